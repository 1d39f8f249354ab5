"""Text keys of the taxonomy: the case-, accent- and punctuation-insensitive fold under which
labels, headings and country names are compared."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

_FOLD_DASH = regex.compile(r"[\p{Pd}_/]")
_FOLD_OTHER = regex.compile(r"[^\p{L}\p{N} ]+")
_FOLD_SPACE = regex.compile(r"\s+")


#: The fold of ASCII text in one ``str.translate`` (after ``&`` and case): a dash, ``_`` and ``/``
#: become a space, a letter, digit or space stays, anything else goes (the three patterns below
#: restricted to ASCII, where the only ``\p{Pd}`` is ``-`` and ``\p{L}``/``\p{N}`` are letters and
#: digits; tabs and newlines are neither, and go).
_ASCII_FOLD = {c: (" " if chr(c) in "-_/" else None if not (chr(c).isalnum() or chr(c) == " ") else chr(c))
               for c in range(128)}


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: ``'Political leadership & governance'`` →
    ``'political leadership and governance'``."""
    if text.isascii():  # (nothing to decompose; the patterns in one translation, the spaces joined)
        return " ".join(text.replace("&", " and ").lower().translate(_ASCII_FOLD).split())
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("&", " and ").lower()
    t = _FOLD_DASH.sub(" ", t)
    t = _FOLD_OTHER.sub("", t)
    return _FOLD_SPACE.sub(" ", t).strip()
