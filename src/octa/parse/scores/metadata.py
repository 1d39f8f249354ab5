"""Stage 3, metadata from text, shared by both modes: a text → its rank phrases
(:func:`parse_rank_text`, :func:`rank_is_tie`), the index family (:func:`detect_family`), the
edition (:func:`detect_year`) and the country (:func:`detect_country`); a label's text → the
summary score whose wording it is (:func:`match_summary`).

Takes text only; gives those readings. Which summary a rank belongs to is the document's or the
text's to say (stages 11 and 12).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import regex

from octa import taxonomy
from octa.parse.scores.tokens import _LABEL_CACHE
from octa.parse.settings import DEFAULT_SETTINGS, ScoreTableSettings

_RANK = regex.compile(
    r"(?P<tie>=\s*)?(?P<rank>\d{1,3})\s*(?:st|nd|rd|th)\b(?P<tie_after>\s*=)?\s*(?:of|/)\s*(?P<of>\d{1,3})\s+"
    r"(?:(?P<demonym>[\p{Lu}][\p{L}\-]*(?:\s+[\p{Lu}][\p{L}\-]*)*?)\s+)?countries"
    r"(?:\s+in\s+(?P<area>(?:the[ \t]+)?[\p{Lu}][\p{L}\-&]*(?:[ \t]+(?:and[ \t]+(?:the[ \t]+)?|&[ \t]+)?[\p{Lu}][\p{L}\-&]*)*))?",
)
CONTINENTS = frozenset({"Africa", "Americas", "Asia", "Europe", "Oceania", "America"})


def rank_is_tie(text: str, span: tuple[int, int]) -> bool:
    """Whether the rank phrase at ``span`` of ``text`` (see :func:`parse_rank_text`) is printed as a
    tie (``=23rd of 193``, ``23rd= of 193``)."""
    m = _RANK.match(text, span[0])
    return m is not None and bool(m.group("tie") or m.group("tie_after"))


def parse_rank_text(text: str) -> list[tuple[int, int, str, str, tuple[int, int]]]:
    """(rank, of, scope, area, span) for every rank phrase in ``text`` (a tie's ``=`` before or after
    the ordinal is part of the phrase: see :func:`rank_is_tie`)."""
    out = []
    for m in _RANK.finditer(text):
        rank, of = int(m.group("rank")), int(m.group("of"))
        if not 1 <= rank <= of:
            continue
        area = m.group("area")
        demonym = m.group("demonym")
        if area:
            area = area.strip()
        elif demonym:
            area = demonym[:-1] if demonym.endswith("African") else demonym
        else:
            area = "countries"
        if area == "countries":
            scope = "global"
        elif area in CONTINENTS:
            scope = "continent"
        else:
            scope = "region"
        out.append((rank, of, scope, area, m.span()))
    return out


#: Each family's detection patterns (the taxonomy's ``detect``), as one alternation per family
_FAMILY_PATTERNS: tuple[tuple[str, regex.Pattern[str]], ...] = tuple(
    (f, regex.compile("|".join(taxonomy.family(f).detect), regex.IGNORECASE)) for f in taxonomy.FAMILIES)
_EDITION = regex.compile(r"(?:Crime\s+Index|ENACT)[^\n\d]{0,40}?(20[12]\d)\b|\b(20[12]\d)\b[^\n\d]{0,30}?"
                         r"(?:Organi[sz]ed\s+Crime\s+Index|ENACT|Global\s+Organi[sz]ed)", regex.IGNORECASE)
_CHART_YEARS = regex.compile(r"(?m)^\s*((?:20[12]\d\s+){1,5})(20[12]\d?|20)?\s*$")


#: Each family's name as a pattern (its words apart by any space, any case)
_FAMILY_NAMES: tuple[tuple[str, regex.Pattern[str]], ...] = tuple(
    (f, regex.compile(r"\s+".join(map(regex.escape, taxonomy.family(f).name.split())), regex.IGNORECASE))
    for f in taxonomy.FAMILIES)


def detect_family(text: str) -> str | None:
    """The family whose full name the text prints, when it prints one family's name only; else
    the family whose detection patterns the text matches most often (a tie goes to the family
    listed first), or None when none matches."""
    named = [f for f, pattern in _FAMILY_NAMES if pattern.search(text)]
    if len(named) == 1:
        return named[0]
    votes = [(len(pattern.findall(text)), -k, f) for k, (f, pattern) in enumerate(_FAMILY_PATTERNS)]
    best = max(votes)
    return best[2] if best[0] else None


def detect_year(text: str, family: str | None = None) -> int | None:
    """The edition: printed beside the index name, else after the last complete chart year."""
    valid = set(taxonomy.EDITIONS[family]) if family else {y for e in taxonomy.EDITIONS.values() for y in e}
    found = Counter()
    for m in _EDITION.finditer(text):
        y = int(m.group(1) or m.group(2))
        if y in valid:
            found[y] += 1
    if found:
        return max(found.items(), key=lambda kv: (kv[1], kv[0]))[0]
    for m in _CHART_YEARS.finditer(text):
        years = [int(y) for y in m.group(1).split()]
        tail = m.group(2)
        if len(years) >= 2 and years == sorted(years):
            last = years[-1]
            if tail and len(tail) == 4 and int(tail) in valid:
                return int(tail)
            if tail and len(tail) < 4 and last + 2 in valid:
                return last + 2  # a truncated last year: the edition after the last complete one
            if last in valid:
                return last
    return None


def detect_country(title_candidates: Iterable[str], text: str) -> str | None:
    """A country printed as a title line, else the country named most often in ``text``."""
    for cand in title_candidates:
        c = taxonomy.canonical_country(cand.strip())
        if c:
            return c
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for spelling, canon in taxonomy.country_display_names():
        if len(spelling) < 4 and spelling.isupper():
            continue
        for m in regex.finditer(r"(?<![\p{L}])" + regex.escape(spelling) + r"(?![\p{L}])", text):
            counts[canon] += 1
            first.setdefault(canon, m.start())
    if not counts:
        return None
    # substrings double-count (Niger in Nigeria is excluded by the letter guards; Guinea in
    # Guinea-Bissau is not): prefer the most frequent, then the earliest
    return max(counts, key=lambda c: (counts[c], -first[c]))


# ------------------------------------------------------------------------------------------------
# Summary labels
# ------------------------------------------------------------------------------------------------

#: What a score table may print beside a summary score, per metric (the taxonomy's ``wordings``).
_SUMMARY_PATTERNS: dict[str, tuple[str, ...]] = {m.id: m.wordings for m in taxonomy.SUMMARY}
#: Every wording of :data:`_SUMMARY_PATTERNS` without its spaces, in order, and the key of each.
_SUMMARY_CHOICES: tuple[str, ...] = tuple(p.replace(" ", "") for pats in _SUMMARY_PATTERNS.values() for p in pats)
_SUMMARY_KEYS: tuple[str, ...] = tuple(key for key, pats in _SUMMARY_PATTERNS.items() for _ in pats)


def match_summary(text: str, settings: ScoreTableSettings | None = None) -> tuple[str, float] | None:
    """The summary score whose wording ``text`` is (key, similarity), or None (see
    ``summary_similarity`` and ``summary_max_chars`` of :class:`ScoreTableSettings`)."""
    return _match_summary(text, DEFAULT_SETTINGS if settings is None else settings)


@lru_cache(maxsize=_LABEL_CACHE)
def _summary_best(text: str, max_chars: int) -> tuple[str, float] | None:
    """The summary wording most similar to ``text`` (key, similarity), whatever the similarity;
    None for a text longer than ``max_chars`` letters (folded)."""
    import rapidfuzz.fuzz as fuzz  # (not `from rapidfuzz import`: that runs importlib's Python on every call)
    import rapidfuzz.process as process

    f = taxonomy.fold(text)
    if not f or len(f) > max_chars:
        return None
    # the ratio to every wording at once: extractOne keeps the first best (a later wording only
    # when strictly more similar) and, without a cutoff, returns one whatever its similarity, as a
    # loop over the wordings in order keeping the best so far with ``>`` would
    _, similarity, k = process.extractOne(f.replace(" ", ""), _SUMMARY_CHOICES, scorer=fuzz.ratio)
    return _SUMMARY_KEYS[k], similarity


def _match_summary(text: str, st: ScoreTableSettings) -> tuple[str, float] | None:
    best = _summary_best(text, st.summary_max_chars)
    return best if best is not None and best[1] >= st.summary_similarity else None
