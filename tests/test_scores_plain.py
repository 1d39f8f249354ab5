"""The score reader's faster paths (issue 27, point 2) against plain implementations of the same
thing: a library call over all choices at once, a precomputed table or a cache gives what the plain
loop it replaced gives, ties and all."""

from __future__ import annotations

import random

from rapidfuzz import fuzz

from octa import taxonomy
from octa.parse.scores.metadata import _SUMMARY_PATTERNS, _summary_best
from tests.garble import garbled


def _summary_best_plain(text: str, max_chars: int) -> tuple[str, float] | None:
    """:func:`_summary_best` as a loop: the first wording with the highest ratio."""
    f = taxonomy.fold(text)
    if not f or len(f) > max_chars:
        return None
    ns = f.replace(" ", "")
    best: tuple[str, float] | None = None
    for key, pats in _SUMMARY_PATTERNS.items():
        for p in pats:
            s = fuzz.ratio(ns, p.replace(" ", ""))
            if best is None or s > best[1]:
                best = (key, s)
    return best


def _garbled(rnd: random.Random, choices: list[str]) -> str:
    return garbled(rnd, choices, "abcdeilnorst &-")


def test_summary_best_agrees_with_a_plain_implementation() -> None:
    """Summary wordings and indicator labels garbled (letters dropped, added, swapped), texts of no
    likeness at all (every ratio 0: the first wording) and texts equally like several wordings:
    the same key and similarity as a loop over the wordings, under and over the length limit."""
    rnd = random.Random(27)
    wordings = [p for pats in _SUMMARY_PATTERNS.values() for p in pats]
    labels = sorted({lab for ind in taxonomy.INDICATORS for lab in ind.all_labels})
    texts = ["", "  ", "&", "zzz", "qqqqqqqqq", "x", "Criminality", "RESILIENCE score", "criminal",
             "criminal actors markets", "Resilience average", "5.50", "Criminal Markets 5.5",
             "crime", "score", "average"]
    texts += [_garbled(rnd, wordings) for _ in range(3000)] + [_garbled(rnd, labels) for _ in range(1000)]
    over = 0
    for text in texts:
        for max_chars in (40, 12):
            want = _summary_best_plain(text, max_chars)
            assert _summary_best.__wrapped__(text, max_chars) == want, (text, max_chars)
            over += want is not None and want[1] >= 88.0
    assert over > 500  # close matches and far ones were both exercised
    # a tie between two summaries' wordings (``crime``: 50 to ``criminality`` and ``criminal
    # markets``): the first in the taxonomy's order
    ratios = {k: max(fuzz.ratio("crime", p.replace(" ", "")) for p in pats) for k, pats in _SUMMARY_PATTERNS.items()}
    assert ratios["criminality"] == ratios["criminal_markets"] == max(ratios.values())
    assert _summary_best.__wrapped__("crime", 40) == ("criminality", ratios["criminality"])


def test_segments_under_agrees_with_below() -> None:
    """The label blocks' pairing of each segment with the lines under it (``_segments_under``,
    :func:`_below` written out over columns) against the loop it replaced, :func:`_below` itself over
    the later segments up to the first past a line step: the same segments in the same order, on random pages of segments whose baselines,
    sizes and boxes tie, overlap and line up by chance (one size and one x more often than not)."""
    from octa.layout.page import Word
    from octa.parse.scores.labels import _below, _Segment, _segments_under
    from octa.parse.settings import DEFAULT_SETTINGS as st

    rnd = random.Random(2712)
    for _ in range(300):
        segs = []
        for k in range(rnd.randint(1, 40)):
            size = rnd.choice([8.0, 8.0, 9.0, 10.0, 12.0])
            x0 = rnd.choice([40.0, 40.0, 60.0, 300.0, rnd.uniform(0, 500)])
            base = rnd.choice([round(rnd.uniform(0, 300)), round(rnd.uniform(0, 300), 2)])
            w = Word(f"w{k}", x0, base - size, x0 + rnd.uniform(5, 200), base + 0.2 * size, base, "Helvetica",
                     size, 1)
            segs.append(_Segment([w], 1))
        segs.sort(key=lambda s: s.baseline)
        got = _segments_under(segs, st)
        for i, a in enumerate(segs):
            want = []
            for b in segs[i + 1:]:  # (the loop it replaced: up to the first segment past a line step)
                if b.baseline - a.baseline > st.max_line_step * max(a.size, b.size):
                    break
                if _below(a, b, st):
                    want.append(b)
            assert got[id(a)] == want
