"""Text keys of the taxonomy: the case-, accent- and punctuation-insensitive fold under which
labels, headings and country names are compared."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

_FOLD_DASH = regex.compile(r"[\p{Pd}_/]")
_FOLD_OTHER = regex.compile(r"[^\p{L}\p{N} ]+")
_FOLD_SPACE = regex.compile(r"\s+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: ``'Political leadership & governance'`` →
    ``'political leadership and governance'``."""
    if text.isascii():  # (nothing to decompose)
        t = text
    else:
        t = unicodedata.normalize("NFKD", text)
        t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("&", " and ").lower()
    t = _FOLD_DASH.sub(" ", t)
    t = _FOLD_OTHER.sub("", t)
    return _FOLD_SPACE.sub(" ", t).strip()
