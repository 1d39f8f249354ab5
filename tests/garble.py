"""Garbled copies of label texts, as a layout garbles them, for tests that compare a matcher with
a plain second implementation of it."""

from __future__ import annotations

import random


def garbled(rnd: random.Random, choices: list[str], alphabet: str = "abcdeilnorst ", edits: int = 9) -> str:
    """One of ``choices`` with up to ``edits`` letters dropped, added (from ``alphabet``) or swapped."""
    s = list(rnd.choice(choices))
    for _ in range(rnd.randint(0, edits)):
        i = rnd.randrange(len(s) + 1)
        op = rnd.random()
        if op < 0.3 and s:
            s.pop(min(i, len(s) - 1))
        elif op < 0.6:
            s.insert(i, rnd.choice(alphabet))
        elif s:
            j, k = rnd.randrange(len(s)), rnd.randrange(len(s))
            s[j], s[k] = s[k], s[j]
    return "".join(s)
