"""Score parser: summary scores, every indicator's score and change, ranks, country, year, family.

It anchors on the taxonomy's labels (matched fuzzily to garbled, split and interleaved label text)
and on geometry (same row band, nearest numbers in the reading direction), never on coordinates
or fonts of one producer. The same row interpretation serves PDF mode (positioned words from
:mod:`octa.layout`) and text mode (lines of text another tool extracted).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from itertools import islice, pairwise
from operator import attrgetter
from typing import NamedTuple

import regex

from octa import taxonomy
from octa.clean import narrative_start, symbol_meaning
from octa.layout import CLIPPED, ICON_MAX, Document, Line, Page, Rect, Word, is_symbol_font
from octa.parse.settings import DEFAULT_SETTINGS, ScoreTableSettings
from octa.scoring import SCORE_GRID, exact, round_to

# ------------------------------------------------------------------------------------------------
# Tokens
# ------------------------------------------------------------------------------------------------

#: Glyphs meaning "down" / "up" when drawn from symbol fonts or decoded wrongly (DOMAIN §4: the real
#: ENACT 2025 sample decodes the decrease arrow as ``≥`` in tables and ``د`` after the summary score).
DOWN_GLYPHS = frozenset("↓▼⬇▾↘⇩⇓⬊🔻▽⯆≥د")
UP_GLYPHS = frozenset("↑▲⬆▴↗⇧⇑⬈🔺△⯅≤")
FLAT_GLYPHS = frozenset("→►▶⇨=–—•●■◆▬")
MINUS = frozenset("-−–‒")

_GLYPH_CLASS = regex.escape("".join(sorted(DOWN_GLYPHS | UP_GLYPHS)))
#: Letters, then an arrow and a number (``N▼0.50``: no label holds an arrow).
_LETTERS_THEN_CHANGE = regex.compile(r"^(\p{L}{1,3})([" + _GLYPH_CLASS + r"][+\-−]?\d{1,2}(?:\.\d{1,2})?)$")
_NUM = regex.compile(
    r"^(?P<pre>(?:[^\d\p{L}+\-−–‒.]|[" + _GLYPH_CLASS + r"])*)(?P<sign>[+\-−–‒])?(?P<num>\d{1,2}(?:\.\d{1,2})?)"
    r"(?P<post>(?:[^\d\p{L}%]|[" + _GLYPH_CLASS + r"])*)$")
_NA = regex.compile(r"^(?:n\s*/\s*a|n\.a\.?|new|–|—)$", regex.IGNORECASE)


@dataclass
class Token:
    """A number, an ``n/a``, or an arrow glyph, with where it was read."""

    text: str
    kind: str  # "num" | "na" | "arrow"
    value: Fraction | None = None
    sign: int | None = 0  # +1/-1 from a sign or arrow; 0 unsigned; None: a glyph of unknown meaning
    decimals: int = 0
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    size: float = 0.0
    order: int = 0  # position in reading order (text mode)
    parts: tuple = ()  # the tokens an arrow and its number were merged from
    role: str = ""  # "change": a change by its place (an icon beside it, a CHANGE column)
    decorated: bool = False  # printed with a decoration the value was read through (``6.50/10``, ``7.50*``)
    note: str = ""  # kind "unread": why the token was not read (a percentage, another scale, …)
    baseline: float | None = None  # the baseline of the word it was read from (PDF mode)

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(id(p) for p in self.parts) + (id(self),)

    @property
    def cx(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2 if self.bbox else float(self.order)


def _glyph_sign(glyphs: str) -> int | None:
    glyphs = glyphs.strip().strip("()[]").strip()  # brackets around a number say nothing of its sign
    if not glyphs:
        return 0
    if any(g in DOWN_GLYPHS for g in glyphs):
        return -1
    if any(g in UP_GLYPHS for g in glyphs):
        return 1
    if all(g in FLAT_GLYPHS for g in glyphs):
        return 0
    return None


_GLUED_FIRST = regex.compile(r"^(?:10|\d)\.\d{1,2}$")
_GLUED_SECOND = regex.compile(r"^[+\-−]?(?:0|[1-9])\.\d{1,2}(?:[^\d.]{0,2})$")


def split_glued(text: str) -> tuple[str, str] | None:
    """A score and its change printed without a space (``7.500.50``, ``5.00-0.50``, ``5.930.05``,
    as the official pages' text layer gives them): the one way to cut the word into a number of at
    most 10 and a change below 10, each with one or two decimals; None when there is not exactly
    one such cut."""
    if text.count(".") != 2 or len(text) > 14:
        return None
    cuts = []
    for i in range(3, len(text) - 2):
        a, b = text[:i], text[i:]
        if _GLUED_FIRST.match(a) and _GLUED_SECOND.match(b):
            cuts.append((a, b))
    return cuts[0] if len(cuts) == 1 else None


#: Spaces a number may hold inside (a thin, narrow no-break, figure or no-break space): no word break.
_INNER_SPACES = regex.compile(r"[\u00a0\u2007\u2009\u200a\u202f]")
#: A number on a stated scale (``6.50/10``, ``6.5 / 10``, ``6.5 out of 10``).
_SCALE = regex.compile(r"^(?P<body>.*\d)\s*(?:/|out\s+of)\s*(?P<scale>\d{1,3})$", regex.IGNORECASE)
#: A number as a percentage (``65%``, ``65 %``, ``65 per cent``).
_PERCENT = regex.compile(r"^(?P<body>.*\d)\s*(?:%|per\s*cent|percent)$", regex.IGNORECASE)
#: One footnote or emphasis mark: a symbol, a superscript digit or a superscript letter.
_MARK = "[*†‡§¶]|[⁰¹²³⁴⁵⁶⁷⁸⁹]|[ᵃᵇᶜᵈᵉ]"
#: Footnote and emphasis marks after a number (``7.50*``, ``7.50¹``, ``7.50†``, ``7.50ᵃ``, ``7.50#``).
_MARKS = regex.compile(r"(?<=[\d)%])(?:[#]|" + _MARK + ")+$")
#: The scale every score, average and change of the index is on.
INDEX_SCALE = 10


def decorated_number(text: str) -> Token | None:
    """A number printed with a decoration, read: the token (``text`` the word as printed,
    ``decorated`` set), or None when the word holds no decorated number. A decoration that says
    nothing of the value (the index's own scale ``/10``, a footnote or emphasis mark, a thin or
    no-break space) is dropped; one that changes its meaning (a percentage, another scale) makes
    the token ``unread``, with the reason in ``note``: never a silent conversion."""
    printed = text.strip()
    t = _INNER_SPACES.sub("", printed)
    marked = _MARKS.sub("", t)  # a mark after the scale or the percent sign (``4.00/10¹``)
    t = marked if marked and marked != t and (_SCALE.match(marked) or _PERCENT.match(marked)) else t
    m = _PERCENT.match(t)
    if m is not None and _plain_token(m.group("body")) is not None:
        return Token(printed, "unread", note="a percentage, not a value on the index's scale of 1 to 10")
    m = _SCALE.match(t)
    if m is not None:
        body = _plain_token(_MARKS.sub("", m.group("body").strip()))
        if body is None or body.kind != "num":
            return None
        if int(m.group("scale")) != INDEX_SCALE:
            return Token(printed, "unread", note=f"on a scale of {int(m.group('scale'))}, not the index's scale "
                         "of 1 to 10")
    else:
        stripped = _MARKS.sub("", t)
        if stripped == printed:
            return None
        body = _plain_token(stripped)
        if body is None or body.kind != "num":
            return None
    body.text, body.decorated = printed, True
    return body


#: A word that is only the layout's mark of a cut (:data:`octa.layout.CLIPPED`), after a sign or a
#: number's first glyphs at most (``…``, ``+…``, ``0.…``): what is left of a number whose glyphs a
#: clip path cut off. A parser never reads a number that holds the mark.
_CUT_ALONE = regex.compile(r"^[+\-−]?[\d.,]*" + regex.escape(CLIPPED) + "$")
#: A line that starts with a footnote or emphasis mark: a note (``* Score revised after ...``).
_NOTE_MARK = regex.compile(r"^\s*(?:" + _MARK + ")")
#: What may decorate a number (a quick test before :func:`decorated_number`).
_DECORATION = regex.compile(r"[/%*†‡§¶#⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉ\u00a0\u2007\u2009\u200a\u202f]|out\s+of|cent",
                            regex.IGNORECASE)


def parse_token(text: str) -> Token | None:
    """Classify one word: a number (with sign or arrow glyphs), ``n/a``, or an arrow alone; a number
    printed with a decoration (see :func:`decorated_number`) is read, or ``unread`` with the reason."""
    if CLIPPED in text and (_has_digit(text) or _CUT_ALONE.match(text.strip())):  # glyphs a clip path cut off (``▼0…``)
        return Token(text.strip(), "unread", note="cut off where it is printed (a clip path leaves part of it undrawn)")
    if _DECORATION.search(text) is not None and _has_digit(text):
        t = decorated_number(text)
        if t is not None:
            return t
    return _plain_token(text)


def _plain_token(text: str) -> Token | None:
    t = text.strip()
    if not t:
        return None
    if _NA.match(t):  # n/a, and a lone dash where a change would stand
        return Token(t, "na")
    m = _NUM.match(t)
    if m:
        num = m.group("num")
        sign_char = m.group("sign")
        sign = 0
        if sign_char:
            sign = -1 if sign_char in MINUS else 1
        glyph = _glyph_sign((m.group("pre") or "") + (m.group("post") or "").replace("%", ""))
        if glyph is None:
            sign = None if not sign_char else sign
        elif glyph and not sign_char:
            sign = glyph
        if m.group("post") and any(c.isdigit() for c in m.group("post")):
            return None
        decimals = len(num.split(".")[1]) if "." in num else 0
        return Token(t, "num", exact(num), sign, decimals)
    if t in ("-", "−", "‒", "+"):  # a sign set apart from its number: it binds to the next number only
        return Token(t, "sign", sign=1 if t == "+" else -1)
    if len(t) <= 2 and all(not c.isalnum() for c in t):
        s = _glyph_sign(t)
        if s is not None and s != 0 or t in DOWN_GLYPHS | UP_GLYPHS:
            return Token(t, "arrow", sign=s)
    return None


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------

@dataclass
class ScoreRead:
    """One score (indicator or summary) as read: value, change, provenance."""

    key: str  # indicator id or summary id
    score: Fraction | None
    change: Fraction | None
    change_printed: str | None
    change_sign_unknown: bool = False
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    label_text: str = ""
    label_bbox: tuple[float, float, float, float] | None = None
    bar_score: Fraction | None = None
    #: how the score was placed: "row" (in the label's row), "below" (under the label), "nearby"
    #: (a summary figure above or below its caption), "line" (text: on the label's own line),
    #: "stream" (text: on a line of numbers next to a line holding only the label)
    how: str = "row"
    #: other numbers in the label's cell that could also have been its score
    alternatives: int = 0
    direction: int = 0
    block: object = field(default=None, repr=False, compare=False)
    score_token: Token | None = field(default=None, repr=False, compare=False)
    change_token: Token | None = field(default=None, repr=False, compare=False)
    change_unsigned: bool = False


@dataclass
class RankRead:
    metric: str
    scope: str
    rank: int
    of: int
    area: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    tie: bool = False  # printed as a tie (``=23rd``)


@dataclass
class UnreadCell:
    """A row whose label was read and whose score's place holds a token not understood (``abc``,
    ``65%``, ``5.0/100``): the value is missing, and the token is quoted as printed."""

    key: str  # indicator id or summary id
    printed: str
    note: str = ""  # why it was not read, when known (a percentage, another scale)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class ScoreResult:
    indicators: dict[str, ScoreRead] = field(default_factory=dict)
    summary: dict[str, ScoreRead] = field(default_factory=dict)
    #: rows read as labels whose score could not be read (by key), see :class:`UnreadCell`
    unread: dict[str, UnreadCell] = field(default_factory=dict)
    ranks: list[RankRead] = field(default_factory=list)
    country: str | None = None
    year: int | None = None
    family: str | None = None
    notes: list[str] = field(default_factory=list)  # things the validator should report
    table_pages: list[int] = field(default_factory=list)

    @property
    def found_anything(self) -> bool:
        return bool(self.indicators) or any(s.score is not None for s in self.summary.values())


# ------------------------------------------------------------------------------------------------
# Cells: interpreting the tokens that follow a label
# ------------------------------------------------------------------------------------------------

def _merge_arrows(tokens: list[Token], st: ScoreTableSettings) -> list[Token]:
    """Attach an arrow glyph to the number next to it (``↓`` ``0.5`` → change −0.5)."""
    out: list[Token] = []
    sign_reach, arrow_reach, nearer = st.sign_reach, st.arrow_reach, st.arrow_nearer_ratio
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind == "sign":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            close = nxt is not None and (t.bbox is None or nxt.bbox is None
                                         or nxt.bbox[0] - t.bbox[2] <= sign_reach * max(nxt.size, 1.0))
            if close and nxt.kind == "num" and nxt.sign == 0:  # type: ignore[union-attr]
                out.append(Token(t.text + nxt.text, "num", nxt.value, t.sign, nxt.decimals, nxt.page,  # type: ignore[union-attr]
                                 _union(t.bbox, nxt.bbox), nxt.size, nxt.order, (t, nxt), nxt.role))  # type: ignore[union-attr]
                i += 2
                continue
            i += 1
            continue
        if t.kind == "arrow":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            prev_num = out[-1] if out and out[-1].kind == "num" and out[-1].sign == 0 else None
            gap_next = _gap(t, nxt) if nxt is not None and nxt.kind == "num" and nxt.sign == 0 else None
            gap_prev = _gap(prev_num, t) if prev_num is not None else None
            # an arrow binds to the number it stands closer to (``1.0 ↑      4.5``: the 1.0), and
            # only to one right beside it
            if gap_next is not None and gap_prev is not None and gap_prev < nearer * gap_next:
                nxt = None  # clearly closer to the number before it (a glyph's box may be empty)
            if gap_next is not None and gap_next > arrow_reach * max(t.size, 1.0) and t.bbox is not None:
                nxt = None
            if gap_prev is not None and gap_prev > arrow_reach * max(t.size, 1.0) and t.bbox is not None:
                out_ok = False
            else:
                out_ok = True
            if nxt is not None and nxt.kind == "num" and nxt.sign == 0:
                out.append(Token(t.text + nxt.text, "num", nxt.value, t.sign, nxt.decimals, nxt.page,
                                 _union(t.bbox, nxt.bbox), nxt.size, nxt.order, (t, nxt)))
                i += 2
                continue
            if out_ok and out and out[-1].kind == "num" and out[-1].sign == 0:
                prev = out[-1]
                out[-1] = Token(prev.text + t.text, "num", prev.value, t.sign, prev.decimals, prev.page,
                                _union(prev.bbox, t.bbox), prev.size, prev.order, (prev, t))
                i += 1
                continue
            i += 1
            continue
        out.append(t)
        i += 1
    return out


def _gap(a: Token, b: Token) -> float:
    """The horizontal gap from ``a`` to ``b`` (0 without boxes: text mode keeps reading order)."""
    if a.bbox is None or b.bbox is None:
        return 0.0
    return max(0.0, b.bbox[0] - a.bbox[2], a.bbox[0] - b.bbox[2])


def _union(a: tuple[float, float, float, float] | None, b: tuple[float, float, float, float] | None):
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _score_like(t: Token, summary: bool) -> bool:
    """Whether ``t`` can be a score: an unsigned number in range. Its count of decimals never
    matters (producers print ``7``, ``7.5`` or ``7.50`` alike): an indicator score lies on the
    half-step grid, a summary score between 1 and 10 with at most two decimals."""
    if t.kind != "num" or t.sign != 0 or t.value is None or t.role == "change" or _bracketed(t):
        return False  # a number in brackets is a change (or a note), never a score
    if summary:
        return Fraction(1) <= t.value <= Fraction(10) and (t.value * 100).denominator == 1
    return t.value in _GRID


#: The half-step grid as a set (a hashed lookup: this test runs for every number of every cell).
_GRID = frozenset(SCORE_GRID)


def _bracketed(t: Token) -> bool:
    return "(" in t.text and ")" in t.text


def _change_like(t: Token) -> bool:
    """Whether ``t`` can be a change: ``n/a``, a signed or arrowed number, or an unsigned number
    below 10 (a change whose direction is shown by an icon, or a zero)."""
    if t.kind == "na":
        return True
    return t.kind == "num" and t.value is not None and t.value < 10


def interpret_cell(tokens: Sequence[Token], summary: bool = False,
                   settings: ScoreTableSettings | None = None, label_size: float = 0.0,
                   ) -> tuple[Token | None, Token | None]:
    """Pick the score and the change among the tokens of one cell (``tokens`` in reading order
    outward from the label). The score is the unsigned in-range number nearest the label (a
    clearly larger figure wins: a headline score beside a small note); the change is the marked
    one (signed, arrowed, ``n/a``) nearest the score, else the unsigned number nearest after it.
    Counts of decimals decide nothing. ``label_size``: the size of an indicator's label (PDF mode):
    a nearer number as large as the label is no small note, and no larger figure beyond it takes
    its place (a pillar heading's average on the row of the next column's label)."""
    st = DEFAULT_SETTINGS if settings is None else settings
    ordered = list(tokens)
    if all(t.bbox is not None for t in ordered):
        ordered.sort(key=lambda t: t.bbox[0])  # type: ignore[index]  # glyphs bind in visual order
    else:
        ordered.sort(key=lambda t: t.order)
    toks = _merge_arrows(ordered, st)
    rank = {id(t): i for i, t in enumerate(tokens)}

    def distance(t: Token) -> int:
        return min((rank.get(i, 99) for i in t.ids if i in rank), default=99)

    by_distance = sorted(toks, key=distance)
    if _unread_first(by_distance, summary) is not None:
        return None, None  # the score's place holds a token not understood: no neighbour takes it
    score: Token | None = None
    headline = st.headline_ratio
    for t in by_distance:
        if _score_like(t, summary) and (score is None or t.size > score.size * headline
                                        and (not label_size or score.size * headline < label_size)):
            score = t
    if score is None:
        return None, None
    rest = [t for t in by_distance if t is not score]
    marked = [t for t in rest if t.kind == "na" or (t.kind == "num" and t.sign != 0)]
    if marked:
        return score, min(marked, key=lambda t: abs(t.cx - score.cx))
    d0 = distance(score)
    after = [t for t in rest if distance(t) > d0 and _change_like(t)]
    before = [t for t in rest if distance(t) < d0 and _change_like(t)]
    change = after[0] if after else (before[-1] if before else None)
    return score, change


def _unread_first(by_distance: Sequence[Token], summary: bool) -> Token | None:
    """The token in the score's place (nearest the label of those that could be a score, or a
    token not understood) when it is one not understood (``65%``, ``5.0/100``); else None."""
    for t in by_distance:
        if t.kind == "unread":
            return t
        if _score_like(t, summary):
            return None
    return None


def unread_score(tokens: Sequence[Token], summary: bool = False,
                 settings: ScoreTableSettings | None = None) -> Token | None:
    """The token not understood that stands in a cell's score place (``tokens`` in reading order
    outward from the label, as for :func:`interpret_cell`), or None."""
    st = DEFAULT_SETTINGS if settings is None else settings
    ordered = list(tokens)
    if all(t.bbox is not None for t in ordered):
        ordered.sort(key=lambda t: t.bbox[0])  # type: ignore[index]
    else:
        ordered.sort(key=lambda t: t.order)
    rank = {id(t): i for i, t in enumerate(tokens)}
    toks = sorted(_merge_arrows(ordered, st),
                  key=lambda t: min((rank.get(i, 99) for i in t.ids if i in rank), default=99))
    return _unread_first(toks, summary)


def change_token(tokens: Sequence[Token], settings: ScoreTableSettings | None = None) -> Token | None:
    """The change among tokens that hold no score (a change printed on the other side of the
    label, or below the score): the marked one nearest the start, else the first unsigned."""
    toks = _merge_arrows(sorted(tokens, key=lambda t: t.bbox[0] if t.bbox else t.order),
                         DEFAULT_SETTINGS if settings is None else settings)
    rank = {id(t): i for i, t in enumerate(tokens)}
    toks.sort(key=lambda t: min((rank.get(i, 99) for i in t.ids if i in rank), default=99))
    marked = [t for t in toks if t.kind == "na" or (t.kind == "num" and t.sign != 0)]
    if marked:
        return marked[0]
    plain = [t for t in toks if _change_like(t)]
    return plain[0] if plain else None


#: How many indicators a pillar has in each edition of the bundled families.
_PILLAR_SIZES: dict[str, set[int]] = {p: {len(e.indicators_for(p)) for f in taxonomy.FAMILIES
                                          for e in taxonomy.family(f).editions} for p in taxonomy.PILLARS}


def _whole_pillar(res: ScoreResult, pillar: str) -> list[Fraction | None] | None:
    """The pillar's indicator scores as read, when the pillar is whole (as many indicators as one of
    the editions has); None otherwise: only a whole pillar can reproduce its average or change."""
    reads = [r for k, r in res.indicators.items() if taxonomy.INDICATORS_BY_ID[k].pillar == pillar]
    sizes = _PILLAR_SIZES.get(pillar, set())
    return [r.score for r in reads] if len(reads) in sizes else None


def _average_checks(res: ScoreResult) -> list[bool]:
    """For each printed pillar average over a whole pillar of read scores: whether they reproduce it."""
    out = []
    for pillar in taxonomy.PILLARS:
        printed = res.summary.get(pillar)
        want = _computed_summary(res, pillar)
        if printed is None or printed.score is None or want is None:
            continue
        out.append(want == printed.score)
    return out


def _computed_summary(res: ScoreResult, key: str) -> Fraction | None:
    """The summary score ``key`` as the read indicator scores give it, by the taxonomy's formula
    (a pillar's mean, or the mean of other summaries' unrounded means), rounded as profiles print
    it; None unless every pillar it needs is whole."""
    from octa.scoring import round2

    value = _exact_summary(res, key)
    return None if value is None else Fraction(round2(value))


def _exact_summary(res: ScoreResult, key: str) -> Fraction | None:
    """The summary score ``key`` as the read indicator scores give it, unrounded (see
    :func:`_computed_summary`); None unless every pillar it needs is whole."""
    from octa.scoring import mean

    def exact(metric: str) -> Fraction | None:
        m = _SUMMARY_BY_ID[metric]
        if m.pillar is not None:
            vals = _whole_pillar(res, m.pillar)
            return None if vals is None or any(v is None for v in vals) else mean(vals)  # type: ignore[arg-type]
        parts = [exact(x) for x in m.mean_of]
        return None if not parts or None in parts else mean(parts)  # type: ignore[arg-type]

    return exact(key) if key in _SUMMARY_BY_ID else None


_SUMMARY_BY_ID = {m.id: m for m in taxonomy.SUMMARY}


def _pillar_fits(res: ScoreResult) -> int:
    """How many printed pillar averages the indicator scores reproduce (whole pillars only)."""
    return sum(_average_checks(res))


def _decide_by_averages(res: ScoreResult, alts: dict[int, list[Token]]) -> None:
    """Where rows left two readings (the score, or the other bare number of the row: ``7.50 1.50``
    read either way), the printed pillar averages decide between the two page-wide readings: every
    ambiguous row as read, or every ambiguous row the other way round. The other reading is kept
    only when it reproduces more printed averages; otherwise nothing changes (and the rows stay
    unconfirmed unless something else confirms them)."""
    ambiguous = [r for r in res.indicators.values() if len(alts.get(id(r), ())) == 1]
    if not ambiguous:
        return
    before = _pillar_fits(res)
    saved = [(r, r.score, r.score_token, r.change, r.change_printed, r.change_sign_unknown, r.change_token,
              r.change_unsigned, r.bbox) for r in ambiguous]
    for r in ambiguous:
        alt = alts[id(r)][0]
        old = r.score_token
        r.score, r.score_token, r.bbox = alt.value, alt, alt.bbox
        if old is not None:
            _set_change(r, old)
    if _pillar_fits(res) > before:
        for r in ambiguous:
            r.alternatives = 0  # decided by the arithmetic: the averages confirm it
            r.how = "average"
        return
    for r, score, tok, change, printed, unknown, ctok, unsigned, bbox in saved:
        r.score, r.score_token, r.change, r.change_printed, r.change_sign_unknown = score, tok, change, printed, unknown
        r.change_token, r.change_unsigned, r.bbox = ctok, unsigned, bbox


def _resolve_unsigned(res: ScoreResult, st: ScoreTableSettings, pages: Sequence[Page] = (),
                      printed: Iterable[Token] = ()) -> None:
    """The direction of changes printed without a sign and without an icon of their own (a number
    with one took the icon's sign when it was read: :func:`_mark_changes`). Brackets mark decreases
    where the document sets them against plain or plus-marked increases; an unsigned number is an
    increase only where the document marks decreases with a minus or a down arrow and never marks
    an increase (the convention of plain numbers), and draws no direction icons; anywhere else its
    sign is unknown, and the change is left out (``change_sign_unknown``) rather than guessed. Then
    the pillars' printed changes may fix what is left (:func:`_signs_by_pillar_change`)."""
    reads = [r for r in (*res.indicators.values(), *res.summary.values()) if r.change_token is not None]
    icons = {p.number: p.icons for p in pages}
    marked_down = marked_up = False
    # every sign the tables print (a rank's own change, ``+3``, is an integer and says nothing)
    signed = [*(r.change_token for r in reads), *(t for t in printed if t.kind == "num" and t.decimals >= 1)]
    for t in signed:
        if t is not None and t.kind == "num" and t.sign:
            marked_down |= t.sign < 0
            marked_up |= t.sign > 0
    pending = [r for r in reads if r.change_unsigned]
    bracketed = [r for r in pending if _bracketed(r.change_token)]  # type: ignore[arg-type]
    plain = [r for r in pending if not _bracketed(r.change_token)]  # type: ignore[arg-type]
    # Brackets mark decreases (the accounting convention) where the document sets them against
    # plain or plus-marked increases and never uses a minus
    brackets_down = bool(bracketed) and not marked_down and bool(plain or marked_up)
    # (a number with its own icon got the icon's sign when it was read: see _mark_changes)
    no_icons = not any(icons.values())
    for r in pending:
        t = r.change_token
        sign = None
        if brackets_down and no_icons:
            sign = -1 if r in bracketed else (1 if not marked_up else None)
        if sign is not None:
            r.change = abs(t.value) * sign  # type: ignore[union-attr,operator]
            r.change_printed = _fmt_change(r.change, t.decimals)  # type: ignore[union-attr]
            r.change_sign_unknown = False
        elif not (marked_down and not marked_up and no_icons and r not in bracketed):
            # no convention either: the direction is unknown, and the change is left out
            r.change_printed = t.text if t is not None else None
            r.change = None
            r.change_sign_unknown = True
    _signs_by_pillar_change(res, st)


def _signs_by_pillar_change(res: ScoreResult, st: ScoreTableSettings) -> None:
    """Changes whose direction could not be read, fixed by the arithmetic: where a pillar is whole,
    no indicator of it is new (``n/a``), and its own change is printed with a sign, the mean of its
    indicators' changes is that change (a pillar's change is the difference of the unrounded
    means). The one assignment of directions that reproduces it, if only one does, is taken."""
    from itertools import product

    from octa.scoring import round2

    for pillar in taxonomy.PILLARS:
        printed = res.summary.get(pillar)
        if printed is None or printed.change is None:
            continue
        if _whole_pillar(res, pillar) is None:
            continue
        reads = [r for k, r in res.indicators.items() if taxonomy.INDICATORS_BY_ID[k].pillar == pillar]
        unknown = [r for r in reads if r.change_sign_unknown and r.change_token is not None
                   and r.change_token.value is not None]
        if not unknown or len(unknown) > st.max_unknown_signs:
            continue
        known = [r.change for r in reads if r not in unknown]
        if any(c is None for c in known):
            continue  # a new indicator or an unread change: the identity does not hold
        base = sum(known, Fraction(0))
        fits = [signs for signs in product((1, -1), repeat=len(unknown))
                if Fraction(round2((base + sum(s * r.change_token.value for s, r in zip(signs, unknown, strict=True)))  # type: ignore[union-attr,operator]
                                   / len(reads))) == printed.change]
        if len(fits) != 1:
            continue
        for sign, r in zip(fits[0], unknown, strict=True):
            t = r.change_token
            r.change = t.value * sign  # type: ignore[union-attr,operator]
            r.change_printed = _fmt_change(r.change, t.decimals)  # type: ignore[union-attr,arg-type]
            r.change_sign_unknown = False


def _change_value(tok: Token | None) -> tuple[Fraction | None, str | None, bool]:
    if tok is None:
        return None, None, False
    if tok.kind == "na":
        return None, "n/a", False
    if tok.sign is None:
        return None, tok.text, True
    value = tok.value if tok.value is not None else None
    if value is not None and tok.sign < 0:
        value = -value
    printed = None if value is None else _fmt_change(value, tok.decimals)
    return value, printed, False


def _fmt_change(v: Fraction, decimals: int) -> str:
    q = f"{float(v):.{max(decimals, 1)}f}"
    return q if v < 0 or q.startswith("-") else q


# ------------------------------------------------------------------------------------------------
# Ranks, country, year, family (shared by both modes; operate on text)
# ------------------------------------------------------------------------------------------------

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


def match_summary(text: str, settings: ScoreTableSettings | None = None) -> tuple[str, float] | None:
    """The summary score whose wording ``text`` is (key, similarity), or None (see
    ``summary_similarity`` and ``summary_max_chars`` of :class:`ScoreTableSettings`)."""
    return _match_summary(text, DEFAULT_SETTINGS if settings is None else settings)


# ------------------------------------------------------------------------------------------------
# PDF mode
# ------------------------------------------------------------------------------------------------

@dataclass
class _Segment:
    words: list[Word]
    page: int
    text: str = ""
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    size: float = 0.0
    baseline: float = 0.0
    parts: tuple[int, ...] = ()  # ids of the segments a joined segment was made of
    #: x of the grid's vertical rules that the segment's words cross at its height: a label
    #: overflowing its cell (``INTERNATIONAL`` over the change cell's border and its ``0.00``)
    crossed: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        ws = self.words
        if not self.parts:
            self.parts = (id(self),)
        if len(ws) == 1:  # (most segments: a word alone)
            w = ws[0]
            self.text, self.bbox, self.size, self.baseline = w.text, (w.x0, w.y0, w.x1, w.y1), w.size, w.baseline
            return
        self.text = " ".join([w.text for w in ws])
        self.bbox = (min([w.x0 for w in ws]), min([w.y0 for w in ws]), max([w.x1 for w in ws]),
                     max([w.y1 for w in ws]))
        self.size = max([w.size for w in ws])
        self.baseline = ws[0].baseline


@dataclass
class _Block:
    segments: list[_Segment]
    key: str
    kind: str  # "indicator" | "summary"
    similarity: float
    page: int = 0
    text: str = ""
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    size: float = 0.0
    first_part: int = 0  # a label broken by its column: how many of its segments stand at the first column's foot

    def __post_init__(self) -> None:
        segs = self.segments
        self.page = segs[0].page
        self.text = " ".join(s.text for s in segs)
        # a label broken by the page or by its column: it stands where its first part is
        bs = [s.bbox for s in (segs[:self.first_part] if self.first_part else segs) if s.page == self.page]
        self.bbox = (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))
        self.size = max(s.size for s in segs)


def _is_labelish(word: Word) -> bool:
    # a glyph of a symbol font (an arrow drawn as ``M`` in ZapfDingbats) is never a label's letter
    return _labelish_text(word.text) and not (len(word.text) <= 2 and is_symbol_font(word.font))


# The same words and label texts recur on every page and in every profile: their readings are
# pure functions of the text, kept in bounded caches. The label matches see many texts that occur
# once (a country's own words): a small cache keeps the recurring ones and fills within the first
# hundred profiles, so a worker's memory does not creep up over a long batch.
_CACHE = 1 << 14
_LABEL_CACHE = 1 << 12


@lru_cache(maxsize=_CACHE)
def _labelish_text(t: str) -> bool:
    if t in ("&", "-", "–", "/"):  # joiners inside labels (``A n t i - m o n e y`` when tracked wide)
        return True
    if parse_token(t) is not None or any(c.isdigit() for c in t):
        return False
    return any(c.isalpha() for c in t) or t in ("&", "-", "–", "/")


@lru_cache(maxsize=_LABEL_CACHE)
def _match_label(text: str) -> tuple[str, float] | None:
    return taxonomy.match_label(text)


@lru_cache(maxsize=_LABEL_CACHE)
def _in_order(text: str, indicator_id: str) -> float:
    """Similarity of ``text`` to the indicator's labels with the words kept in their order."""
    from rapidfuzz import fuzz

    ns = taxonomy.fold(text).replace(" ", "")
    labels = taxonomy.INDICATORS_BY_ID[indicator_id].all_labels
    return max(fuzz.ratio(ns, taxonomy.fold(lab).replace(" ", "")) for lab in labels)


@lru_cache(maxsize=_LABEL_CACHE)
def _summary_best(text: str, max_chars: int) -> tuple[str, float] | None:
    """The summary wording most similar to ``text`` (key, similarity), whatever the similarity;
    None for a text longer than ``max_chars`` letters (folded)."""
    from rapidfuzz import fuzz

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


def _match_summary(text: str, st: ScoreTableSettings) -> tuple[str, float] | None:
    best = _summary_best(text, st.summary_max_chars)
    return best if best is not None and best[1] >= st.summary_similarity else None


@lru_cache(maxsize=_CACHE)
def _token_reading(text: str) -> tuple[str, str, Fraction | None, int | None, int, bool, str] | None:
    t = parse_token(text)
    return None if t is None else (t.text, t.kind, t.value, t.sign, t.decimals, t.decorated, t.note)


def _placed(r: tuple[str, str, Fraction | None, int | None, int, bool, str], page: int,
            bbox: tuple[float, float, float, float], size: float, baseline: float | None = None) -> Token:
    """The token of a reading (:func:`_token_reading`) where it was read."""
    return Token(r[0], r[1], r[2], r[3], r[4], page, bbox, size, decorated=r[5], note=r[6], baseline=baseline)


class _Rules:
    """A page's vertical rules (a grid's cell borders: drawn boxes at most ``rule_max_width`` wide
    and at least ``rule_min_height`` tall), for asking whether one stands in the gap between two
    words of a line: words on either side of a border are in different cells, however close a
    label overflowing its cell brings them (``TRANSPARENCY`` | ``ENFORCEMENT``)."""

    def __init__(self, page: Page, st: ScoreTableSettings) -> None:
        max_width, min_height = st.rule_max_width, st.rule_min_height
        rules = sorted((r.x0, r.x1, r.y0, r.y1) for r in page.rects
                       if 0 <= r.x1 - r.x0 <= max_width and r.y1 - r.y0 >= min_height)
        self.rules = rules
        self.x0s = [r[0] for r in rules]
        self.slack = st.edge_slack

    def crossing(self, seg: _Segment) -> _Segment:
        """The segment, with the rules its words cross at its height (``crossed``) noted."""
        if self.rules:
            x0, y0, x1, y1 = seg.bbox
            mid, slack = (y0 + y1) / 2, self.slack
            lo, hi = bisect_right(self.x0s, x0 + slack), bisect_left(self.x0s, x1 - slack)
            if lo < hi:
                seg.crossed = tuple(r[0] for r in self.rules[lo:hi] if r[2] <= mid <= r[3])
        return seg

    def between(self, a: Word, b: Word) -> bool:
        """Whether a rule stands in the gap between ``a`` and ``b`` (``a`` left) at their height."""
        if not self.rules:
            return False
        mid = (max(a.y0, b.y0) + min(a.y1, b.y1)) / 2
        slack = self.slack
        lo = bisect_left(self.x0s, a.x1 - slack)
        hi = bisect_right(self.x0s, b.x0 + slack)
        return any(r[1] <= b.x0 + slack and r[2] <= mid <= r[3] for r in self.rules[lo:hi])


def _scale_words(words: Sequence[Word]) -> frozenset[int]:
    """Ids of the words of a line that start a scale right after a number (``out`` ``of`` of
    ``4.50 out of``): the number's, never a label's, whether or not the scale's digits follow."""
    out: set[int] = set()
    for k in range(len(words) - 2):
        if words[k + 1].text.lower() == "out" and words[k + 2].text.lower() == "of" and _has_digit(words[k].text) \
                and _token_reading(words[k].text) is not None:
            out.update((id(words[k + 1]), id(words[k + 2])))
    return frozenset(out)


def _segments(page: Page, st: ScoreTableSettings) -> list[_Segment]:
    """Runs of label words within each line, split at numbers and glyph tokens, at wide gaps and at
    the vertical rules of a grid."""
    segs: list[_Segment] = []
    others: list[Word] = []  # the words that are no label's (numbers, glyphs)
    rules = _Rules(page, st)
    word_gap = st.label_word_gap
    for line in page.lines:
        run: list[Word] = []
        words = line.words
        scale = _scale_words(words) if _DIGIT_CHAR.search(line.text) is not None else frozenset()
        for w in words:
            # a dash joins a label's words but never starts a label: one before a label is a change
            # printed as a dash (``10  –  Financial Crimes``); the words of a number's scale
            # (``4.50 out of``, its ``10`` wrapped under it) are the number's
            text = w.text  # (:func:`_is_labelish` written out: this runs for every word)
            if _labelish_text(text) and not (len(text) <= 2 and is_symbol_font(w.font)) \
                    and (run or text not in ("-", "–")) and id(w) not in scale:
                if run and (w.x0 - run[-1].x1 > word_gap * max(w.size, run[-1].size) or rules.between(run[-1], w)):
                    segs.append(rules.crossing(_Segment(run, page.number)))
                    run = []
                run.append(w)
            else:
                others.append(w)
                if run:
                    segs.append(rules.crossing(_Segment(run, page.number)))
                run = []
        if run:
            segs.append(rules.crossing(_Segment(run, page.number)))
    return segs + _joined_segments(segs, others, page.number, rules, st)


def _joined_segments(segs: list[_Segment], others: list[Word], page: int, rules: _Rules,
                     st: ScoreTableSettings) -> list[_Segment]:
    """Extra candidates: segments side by side on one baseline with a gap of up to three of their
    sizes and nothing between them (none of the page's ``others``, its words that are no label's,
    and no rule of a grid), joined (widely tracked or justified label words that the layout split into separate runs).
    The parts stay candidates on their own."""
    rows: dict[int, list[_Segment]] = {}
    for sg in segs:
        rows.setdefault(round(sg.baseline), []).append(sg)
    out: list[_Segment] = []
    max_words, join_gap, join_baseline, blocker = (st.max_label_words, st.join_gap, st.join_baseline,
                                                   st.join_blocker_baseline)
    for row in rows.values():
        row.sort(key=lambda sg: sg.bbox[0])
        for i, a in enumerate(row):
            chain = [a]
            for b in row[i + 1:i + max_words]:
                prev = chain[-1]
                gap = b.bbox[0] - prev.bbox[2]
                size = max(prev.size, b.size)
                if not (0 < gap <= join_gap * size) or abs(b.baseline - prev.baseline) > join_baseline * size or any(
                        prev.bbox[2] <= (w.x0 + w.x1) / 2 <= b.bbox[0] and abs(w.baseline - b.baseline) < blocker * size
                        for w in others) or rules.between(prev.words[-1], b.words[0]):
                    break
                chain.append(b)
                out.append(_Segment([w for sg in chain for w in sg.words], page,
                                    parts=tuple(i for sg in chain for i in sg.parts)))
    return out


def _below(a: _Segment, b: _Segment, st: ScoreTableSettings) -> bool:
    """Whether ``b`` continues ``a`` on the next line of the same cell."""
    ax0, ay0, ax1, ay1 = a.bbox
    bx0, by0, bx1, by1 = b.bbox
    size = max(a.size, b.size)
    step = b.baseline - a.baseline
    if not (st.min_line_step * size <= step <= st.max_line_step * size):
        return False
    if abs(a.size - b.size) > st.same_size * size:
        return False
    overlap = min(ax1, bx1) - max(ax0, bx0)
    column = st.column_alignment * size
    aligned = abs(ax0 - bx0) < column or abs(ax1 - bx1) < column
    return overlap > 0 and aligned


@lru_cache(maxsize=_CACHE)
def _label_size(text: str) -> tuple[int, int]:
    """(words, letters) of a label text, counting a letter-spaced run (``H u m a n``) as one word
    and spaces as nothing, so that tracking never makes a label look like prose."""
    lengths = [len(w) for w in text.split()]
    letters = sum(lengths)
    if 1 not in lengths:
        return len(lengths), letters
    # a one-letter word after another one-letter word is part of the same tracked run
    return len(lengths) - sum(1 for a, b in zip(lengths, lengths[1:], strict=False) if a == b == 1), letters


def _chains(chain: list[_Segment], nexts: dict[int, list[_Segment]], st: ScoreTableSettings,
            letters: int = 0) -> Iterator[list[_Segment]]:
    """``chain`` and every chain of lines continuing it downwards: any branching up to
    ``branching_lines`` lines, then only a single way on up to ``max_label_lines`` (a label squeezed
    into a narrow cell, a syllable a line, has one line under another and nothing beside), as long
    as they are not longer than a label (``letters``: those of the chain so far)."""
    letters = letters or _label_size(chain[-1].text)[1]
    yield chain
    if len(chain) >= st.max_label_lines:
        return
    following = nexts[id(chain[-1])]
    if len(chain) < st.branching_lines or len(following) == 1:
        for b in following:
            more = letters + _label_size(b.text)[1]
            if more <= st.max_label_chars:
                yield from _chains([*chain, b], nexts, st, more)


def _label_blocks(segs: list[_Segment], st: ScoreTableSettings) -> list[_Block]:
    """Candidate label blocks (one to three stacked segments) matched to the taxonomy."""
    by_page: dict[int, list[_Segment]] = {}
    max_words, max_chars = st.max_label_words, st.max_label_chars
    for s in segs:
        n_words, n_chars = _label_size(s.text)
        if n_words <= max_words and n_chars <= max_chars:
            by_page.setdefault(s.page, []).append(s)
    cands: list[_Block] = []
    line_step, bonus, penalty = st.max_line_step, st.in_order_bonus, st.wrap_penalty
    summary_chars, summary_similarity = st.summary_max_chars, st.summary_similarity
    for page_segs in by_page.values():
        page_segs.sort(key=lambda s: s.baseline)
        nexts: dict[int, list[_Segment]] = {}
        for i, a in enumerate(page_segs):
            out = []
            for b in page_segs[i + 1:]:
                if b.baseline - a.baseline > line_step * max(a.size, b.size):
                    break
                if _below(a, b, st):
                    out.append(b)
            nexts[id(a)] = out
        for a in page_segs:
            for chain in _chains([a], nexts, st):  # (no longer than a label: _chains stops there)
                text = " ".join(s.text for s in chain)
                m = _match_label(text)
                if m:
                    sim = m[1]
                    if len(chain) > 1:  # stacked lines read top to bottom: words out of order are a
                        sim = min(sim, _in_order(text, m[0]) + bonus)  # neighbour's lines, not a wrap
                    cands.append(_Block(chain, m[0], "indicator", sim - penalty * (len(chain) - 1)))
                sm = _summary_best(text, summary_chars)  # (see _match_summary)
                if sm is not None and sm[1] >= summary_similarity:
                    cands.append(_Block(chain, sm[0], "summary", sm[1] - penalty * (len(chain) - 1)))
    return cands


def _followed(seg: _Segment, segs: list[_Segment], k: int, st: ScoreTableSettings) -> bool:
    """Whether a line continues ``seg`` (``segs[k]``) underneath (``segs`` in baseline order)."""
    for b in segs[k + 1:]:
        if b.baseline - seg.baseline > st.max_line_step * max(seg.size, b.size):
            return False
        if _below(seg, b, st):
            return True
    return False


def _page_broken_blocks(segs: list[_Segment], chosen: list[_Block], st: ScoreTableSettings) -> list[_Block]:
    """Labels broken by a page (``Government`` / ``transparency &`` at the foot of one page,
    ``accountability`` at the head of the next): the lines left over at the foot of a page, in a
    column, joined with the lines left over at the head of the next page in the same column (past
    a repeated table header), or for a page's lowest line in the next page's first table column (a
    table flowing on from one column to the next), when together they match an indicator not read
    yet. The block stands where its first part is."""
    used = {i for b in chosen for sg in b.segments for i in sg.parts}
    have = {b.key for b in chosen if b.kind == "indicator"}
    free: dict[int, list[_Segment]] = {}
    for sg in segs:
        if len(sg.parts) == 1 and sg.parts[0] not in used and _label_size(sg.text)[0] <= st.max_label_words:
            free.setdefault(sg.page, []).append(sg)
    for page_segs in free.values():
        page_segs.sort(key=lambda sg: sg.baseline)
    out: list[_Block] = []
    part_lines, header_lines, line_step = st.broken_part_lines, st.header_lines, st.max_line_step
    column_alignment, same_size, max_chars = st.column_alignment, st.same_size, st.max_label_chars
    bonus, penalty = st.in_order_bonus, st.wrap_penalty
    for page, page_segs in sorted(free.items()):
        nxt = free.get(page + 1, [])
        labels = [b for b in chosen if b.page == page]
        if not nxt or not labels:
            continue  # no table rows on the page, or nothing after it
        # a label broken by the page ends where the page's last rows are
        low = max(b.bbox[3] for b in labels) - part_lines * line_step * max(b.size for b in labels)
        baselines = [sg.baseline for sg in page_segs]
        reach = line_step * max(sg.size for sg in page_segs) + 1.0  # farther than any line above another
        for k, last in enumerate(page_segs):
            if last.baseline < low:
                continue
            column = column_alignment * last.size
            if any(b.bbox[1] > last.baseline and abs(b.bbox[0] - last.bbox[0]) < column for b in labels):
                continue  # a label of its column follows on its page: not a page's foot
            if _followed(last, page_segs, k, st):
                continue  # not the last line of its chain
            foot = [last]
            while len(foot) < part_lines:
                top = foot[0]  # the lines that may stand right above it (see _below), in a window
                window = page_segs[bisect_left(baselines, top.baseline - reach):bisect_right(baselines, top.baseline)]
                prev = [a for a in window if _below(a, top, st)]
                if not prev:
                    break
                foot.insert(0, prev[-1])
            # the head of the next page in the same column; for the page's lowest line, also in the
            # next page's first table column (a table flowing on from one column to the next; a
            # label standing lower in a column left of this one is before it in reading order)
            xs = [last.bbox[0]]
            firsts = [b.bbox[0] for b in chosen if b.page == page + 1 and b.kind == "indicator"]
            if firsts and not any(b.bbox[1] > last.baseline and b.bbox[2] > last.bbox[0] for b in labels) \
                    and abs(min(firsts) - last.bbox[0]) >= column:
                xs.append(min(firsts))
            overleafs = [list(islice((b for b in nxt if abs(b.bbox[0] - x) < column
                                      and abs(b.size - last.size) <= same_size * last.size), part_lines + header_lines))
                         for x in xs]
            best: _Block | None = None
            # (letters counted as the chain grows: a chain longer than any label stops growing)
            foot_letters = [sum(len(sg.text) - sg.text.count(" ") for sg in foot[i:]) for i in range(len(foot))]
            for i, overleaf in ((i, o) for o in overleafs for i in range(len(foot))):
                if foot_letters[i] > max_chars:
                    continue
                for j in range(min(header_lines + 1, len(overleaf))):  # past a repeated table header
                    head = [overleaf[j]]
                    for b in overleaf[j + 1:]:
                        if len(head) >= part_lines or not _below(head[-1], b, st):
                            break
                        head.append(b)
                    letters = foot_letters[i]
                    for h in range(1, len(head) + 1):
                        letters += len(head[h - 1].text) - head[h - 1].text.count(" ")
                        if letters > max_chars:
                            break
                        chain = foot[i:] + head[:h]
                        text = " ".join(sg.text for sg in chain)
                        m = _match_label(text)
                        if m is None or m[0] in have:
                            continue
                        sim = min(m[1], _in_order(text, m[0]) + bonus) - penalty * (len(chain) - 1)
                        if best is None or sim > best.similarity:
                            best = _Block(chain, m[0], "indicator", sim)
            if best is not None:
                out.append(best)
                have.add(best.key)
    return out


def _heading_text(text: str) -> str:
    """A heading's words for comparison: casefolded, ``&`` as ``and``, spaces collapsed."""
    return " ".join(text.casefold().replace("&", " and ").split())


def _column_broken_blocks(segs: list[_Segment], chosen: list[_Block], st: ScoreTableSettings) -> list[_Block]:
    """Labels broken by a column of their page (``MAFIA-`` / ``STYLE`` at the foot of the left
    column, ``GROUPS`` atop the right one under the table's header repeated there; ``Government
    transparency`` / ``and accountability``): the lines left over at the foot of a column, under
    its lowest label, joined with the lines left over above the first label of the next column of
    the page (past a repeated table header; a pillar heading and its table's header may follow
    them), when together they match an indicator not read yet. The block stands where its first
    part is."""
    used = {i for b in chosen for sg in b.segments for i in sg.parts}
    have = {b.key for b in chosen if b.kind == "indicator"}
    free: dict[int, list[_Segment]] = {}
    for sg in segs:
        if len(sg.parts) == 1 and sg.parts[0] not in used and _label_size(sg.text)[0] <= st.max_label_words:
            free.setdefault(sg.page, []).append(sg)
    out: list[_Block] = []
    part_lines, header_lines, line_step = st.broken_part_lines, st.header_lines, st.max_line_step
    column_alignment, same_size, max_chars = st.column_alignment, st.same_size, st.max_label_chars
    bonus, penalty = st.in_order_bonus, st.wrap_penalty
    for page, page_segs in sorted(free.items()):
        labels = [b for b in chosen if b.page == page and b.kind == "indicator"]
        if len(labels) < 2:
            continue
        page_segs.sort(key=lambda sg: sg.baseline)
        baselines = [sg.baseline for sg in page_segs]
        reach = line_step * max(sg.size for sg in page_segs) + 1.0
        for k, last in enumerate(page_segs):
            column = column_alignment * last.size
            mine = [b for b in labels if abs(b.bbox[0] - last.bbox[0]) < column]
            if not mine or any(b.bbox[1] > last.baseline for b in mine) or _followed(last, page_segs, k, st):
                continue  # no label in its column, a label follows it, or not the last line of its chain
            right = [b for b in labels if b.bbox[0] > last.bbox[2] and b.bbox[1] < last.baseline]
            if not right:
                continue
            x = min(b.bbox[0] for b in right)
            first = min((b for b in right if b.bbox[0] - x < column), key=lambda b: b.bbox[1])
            overleaf = [sg for sg in page_segs if abs(sg.bbox[0] - x) < column and sg.bbox[1] < first.bbox[1]
                        and abs(sg.size - last.size) <= same_size * last.size][-(part_lines + 2 * header_lines):]
            if not overleaf:
                continue
            foot = [last]
            while len(foot) < part_lines:
                top = foot[0]
                window = page_segs[bisect_left(baselines, top.baseline - reach):bisect_right(baselines, top.baseline)]
                prev = [a for a in window if _below(a, top, st)]
                if not prev:
                    break
                foot.insert(0, prev[-1])
            best: _Block | None = None
            for i in range(len(foot)):
                for j in range(len(overleaf)):  # past a repeated table header
                    head = [overleaf[j]]
                    for b in overleaf[j + 1:]:
                        if len(head) >= part_lines or not _below(head[-1], b, st):
                            break
                        head.append(b)
                    chain = foot[i:] + head
                    text = " ".join(sg.text for sg in chain)
                    m = _match_label(text) if _label_size(text)[1] <= max_chars else None
                    if m is None or m[0] in have:
                        continue
                    sim = min(m[1], _in_order(text, m[0]) + bonus) - penalty * (len(chain) - 1)
                    if best is None or sim > best.similarity:
                        best = _Block(chain, m[0], "indicator", sim, first_part=len(foot) - i)
            if best is not None:
                out.append(best)
                have.add(best.key)
    return out


def _symbol_text(word: Word) -> str:
    return symbol_meaning(word.text, word.font)


_TORN_PART = regex.compile(r"^[+\-−]?[\d.]+$")
_WHOLE_NUMBER = regex.compile(r"^[+\-−]?\d{1,2}\.\d{1,2}$")


#: A decimal digit (what a number token is made of; see ``_NUM``): a quick test of a whole line or
#: word. (Other digits, ``²``, make no number, so no number in prose either.)
_DIGIT_CHAR = regex.compile(r"\d")


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds a decimal digit."""
    return _DIGIT_CHAR.search(text) is not None


#: The words of a number's decoration printed apart from it: a scale (``/`` ``10``, ``/10``, ``out``
#: ``of`` ``10``), a percent sign or a footnote mark.
_DECORATION_WORDS = (("/", "#"), ("/#",), ("out", "of", "#"), ("%",), ("per", "cent"), ("^",))
#: A footnote or emphasis mark printed as a word of its own (``10`` ``¹`` torn by tracking, ``4.5 *``).
_MARK_WORD = regex.compile(r"^(?:" + _MARK + ")+$")


def _decoration_words(texts: Sequence[str], i: int) -> int:
    """How many words after ``texts[i]`` (a number) are its decoration (0 when none)."""
    if _has_digit(texts[i]) and _token_reading(texts[i]) is None:
        return 0
    for form in _DECORATION_WORDS:
        if i + len(form) >= len(texts):
            continue
        ok = True
        for k, want in enumerate(form):
            w = texts[i + 1 + k]
            if want in ("#", "/#") and k == len(form) - 1:
                w = _MARKS.sub("", w)  # a footnote mark after the scale (``6.5 / 10†``)
            if want == "^":
                ok = _MARK_WORD.match(w) is not None
            elif want == "#":
                ok = w.isdigit() and len(w) <= 3
            elif want == "/#":
                ok = w.startswith("/") and w[1:].isdigit() and len(w) <= 4
            else:
                ok = w.lower() == want
            if not ok:
                break
        if ok:
            return len(form)
    return 0


def _decorations_joined(words: list[Word], st: ScoreTableSettings, prose: set[int] = frozenset()) -> list[Word]:  # type: ignore[assignment]
    """A line's words with a number and the decoration printed apart from it (``6.5`` ``/`` ``10``)
    made one word, its text as printed (words apart by a space); a number of running text
    (``prose``: ids of its words) is left alone."""
    texts = [w.text for w in words]
    out: list[Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        n = _decoration_words(texts, i) if _has_digit(w.text) and id(w) not in prose else 0
        if n and all(0 <= words[i + k + 1].x0 - words[i + k].x1 <= st.decoration_gap * max(w.size, 1.0)
                     for k in range(n)):
            last = words[i + n]
            # a footnote mark is the number's own (``4.5*``); a scale or unit is printed apart
            glue = "" if n == 1 and _MARKS.fullmatch(texts[i] + texts[i + 1]) is None and \
                _MARKS.search(texts[i] + texts[i + 1]) is not None else " "
            out.append(Word(glue.join(texts[i:i + n + 1]), w.x0, min(x.y0 for x in words[i:i + n + 1]), last.x1,
                            max(x.y1 for x in words[i:i + n + 1]), w.baseline, w.font, w.size, w.page))
            i += n + 1
            continue
        out.append(w)
        i += 1
    return out


def _untorn_words(page: Page, st: ScoreTableSettings, prose: set[int] = frozenset()) -> list[Word]:  # type: ignore[assignment]
    """The page's words with numbers torn by wide tracking put together again (``5`` ``.`` ``5``
    side by side on one line, closer than their size: ``5.5``), and numbers joined with their
    decoration printed as words of its own (``6.5`` ``/`` ``10``)."""
    out: list[Word] = []
    torn_gap = st.torn_number_gap
    for line in page.lines:
        ws = line.words
        if _DIGIT_CHAR.search(line.text) is None:  # no number to put together
            out.extend(ws)
            continue
        # the torn numbers first, so that a decoration is joined with a whole number (``1`` ``.``
        # ``6`` ``7`` ``/`` ``1`` ``0``: ``1.67 / 10``, not ``1.6`` and ``7 / 1``)
        whole: list[Word] = []
        i = 0
        while i < len(ws):
            j = i
            while (j + 1 < len(ws) and _TORN_PART.match(ws[j].text) and _TORN_PART.match(ws[j + 1].text)
                   and 0 <= ws[j + 1].x0 - ws[j].x1 <= torn_gap * ws[j].size):
                j += 1
            text = "".join(w.text for w in ws[i:j + 1]) if j > i else ""
            # a number with its decimal point, or a scale's digits after its slash (``/ 1 0``)
            if j > i and ((_WHOLE_NUMBER.match(text) and any("." in w.text and not _WHOLE_NUMBER.match(w.text)
                                                               for w in ws[i:j + 1]))
                          # the one whole number of two digits on the index's scale, a digit apart
                          or (text == "10" and all(len(w.text) == 1 for w in ws[i:j + 1]))
                          or (whole and whole[-1].text == "/" and text.isdigit()
                              and all(len(w.text) == 1 for w in ws[i:j + 1]))):
                first, last = ws[i], ws[j]
                whole.append(Word(text, first.x0, min(w.y0 for w in ws[i:j + 1]), last.x1,
                                  max(w.y1 for w in ws[i:j + 1]), first.baseline, first.font, first.size, first.page))
                i = j + 1
                continue
            whole.append(ws[i])
            i += 1
        out.extend(_decorations_joined(whole, st, prose))
    return _wrapped_scales_joined(out, st, prose)


#: A scale's first words at the end of a line whose number is on it (``4.50 out of`` | ``10``).
_SCALE_STARTS = (("out", "of"), ("/",))
_SCALE_FIRST_WORDS = frozenset(("/", "out", "Out", "OUT"))


def _wrapped_scales_joined(words: list[Word], st: ScoreTableSettings, prose: set[int]) -> list[Word]:
    """Numbers whose scale a narrow cell wrapped onto the next line (``4.50 out of`` over ``10``,
    ``6.5 /`` over ``10``) made one word with it: the number and the scale's first words side by
    side on one line as ``decoration_gap`` allows, and the scale's digits alone as a word under
    them, its top within ``scale_wrap_reach`` sizes of their bottom, its box within the span of
    the number and those words (a word space either side). A scale's digits left alone would be
    read as a score of 10."""
    # the numbers followed by a scale's first word (``out``, ``/``): a quick pass over the texts first
    # (at C speed: most pages print no such word)
    if _SCALE_FIRST_WORDS.isdisjoint(map(attrgetter("text"), words)):
        return words
    starts = [k - 1 for k, w in enumerate(words) if k and w.text in _SCALE_FIRST_WORDS]
    if not starts:
        return words
    cands = [k for k, w in enumerate(words) if w.text.isdigit() and len(w.text) <= 3]
    if not cands:
        return words
    gap, reach = st.decoration_gap, st.scale_wrap_reach
    drop: set[int] = set()
    joined: dict[int, Word] = {}
    for i in starts:
        w = words[i]
        if i in joined or i in drop or id(w) in prose or not _has_digit(w.text) or _token_reading(w.text) is None:
            continue
        size = max(w.size, 1.0)
        for form in _SCALE_STARTS:
            parts = words[i + 1:i + 1 + len(form)]
            if len(parts) != len(form) or any(x.text.lower() != f for x, f in zip(parts, form, strict=True)):
                continue
            chain = [w, *parts]
            if any(not (0 <= b.x0 - a.x1 <= gap * size and abs(b.baseline - a.baseline) <= 0.2 * size)
                   for a, b in pairwise(chain)):
                continue
            y1 = max(x.y1 for x in chain)
            under = [k for k in cands if k not in drop and words[k].page == w.page
                     and -0.3 * size <= words[k].y0 - y1 <= reach * size
                     and words[k].x0 >= w.x0 - size and words[k].x1 <= chain[-1].x1 + size]
            if len(under) != 1:
                continue
            sc = words[under[0]]
            text = " ".join([*(x.text for x in chain), sc.text])
            joined[i] = Word(text, min(w.x0, sc.x0), min(x.y0 for x in chain), max(chain[-1].x1, sc.x1), sc.y1,
                             w.baseline, w.font, w.size, w.page)
            drop.update(range(i + 1, i + 1 + len(form)))
            drop.add(under[0])
            break
    if not joined:
        return words
    return [joined.get(k, x) for k, x in enumerate(words) if k not in drop]


#: Words a table prints in a change's place (a new indicator, a change not available).
_CHANGE_WORDS = frozenset({"new", "n/a", "na", "n.a."})


def _prose_words(page: Page, st: ScoreTableSettings) -> set[int]:
    """Numbers inside running text (``roughly 1.5 million``): a word between two words of letters on
    its baseline, each within a word space or so, on a row of four or more words of letters. A
    table's numbers stand at the end of a label or of a row, or between numbers."""
    words = page.words
    # the rows (words by rounded baseline, in the page's order) that hold a digit: found from the
    # lines' texts when the lines hold the page's words (as the layout makes them), else word by word
    if sum(len(ln.words) for ln in page.lines) == len(words):
        numbered = {round(w.baseline) for ln in page.lines if _DIGIT_CHAR.search(ln.text) is not None
                    for w in ln.words if _has_digit(w.text)}
    else:
        numbered = {round(w.baseline) for w in words if _has_digit(w.text)}
    rows: dict[int, list[Word]] = {}
    if numbered:
        baselines = list(map(attrgetter("baseline"), words))
        order = sorted(range(len(words)), key=baselines.__getitem__)
        ordered = [baselines[i] for i in order]
        for k in numbered:
            near = order[bisect_left(ordered, k - 0.5):bisect_right(ordered, k + 0.5)]
            rows[k] = [words[i] for i in sorted(near) if round(baselines[i]) == k]
    out: set[int] = set()

    def letters(w: Word, end: int) -> bool:  # a word of letters (not an arrow glyph of a symbol font,
        # nor the word a table prints for a new indicator's change)
        return len(w.text) >= 2 and w.text[end].isalpha() and w.text[:2].isalpha() and not is_symbol_font(w.font) \
            and w.text.lower() not in _CHANGE_WORDS

    min_words, gap, space_ratio, space_max = st.prose_min_words, st.prose_gap, st.prose_space_ratio, st.prose_space_max
    for row in rows.values():
        row.sort(key=lambda w: w.x0)
        starts = [letters(w, 0) for w in row]
        if sum(starts) < min_words:
            continue
        ends = [letters(w, -1) for w in row]
        # the row's word space: the median gap between neighbouring words of letters (a justified
        # line stretches it alike everywhere)
        spaces = sorted(row[k + 1].x0 - row[k].x1 for k in range(len(row) - 1)
                        if ends[k] and starts[k + 1] and row[k + 1].x0 > row[k].x1)
        space = spaces[len(spaces) // 2] if spaces else 0.0
        texts = [w.text for w in row]
        for k in range(1, len(row) - 1):
            # a number with its decoration printed as words (``5.50`` ``out`` ``of`` ``10``): its
            # neighbour on the right is the word after the decoration (a heading's average followed
            # by its scale is not running text; ``1.5 out of 10 people`` is)
            n = _decoration_words(texts, k) if _has_digit(texts[k]) else 0
            if k + n + 1 >= len(row):
                continue
            a, w, b = row[k - 1], row[k], row[k + n + 1]
            limit = max(gap * w.size, space_ratio * space) if space < space_max * w.size else gap * w.size
            if (ends[k - 1] and starts[k + n + 1] and _has_digit(w.text)
                    and w.x0 - a.x1 <= limit and b.x0 - row[k + n].x1 <= limit):
                out.add(id(w))
        # a number starting or ending a run of more words of letters than any label holds, each
        # within a word space of the next (pieces of a word closer than any word space are one
        # word): a line of running text that begins or ends with it
        # (``5.5 million people were ...`` in the column beside a table)
        # (in a run, a word may end in its punctuation, ``fee.``, and be the article ``a`` or ``I``)
        run_words = st.prose_run_words
        worded: list[bool] | None = None
        for k, w in enumerate(row):
            if id(w) in out or not _has_digit(w.text):
                continue
            if worded is None:
                worded = [starts[j] or _prose_word(x) for j, x in enumerate(row)]
            limit = max(gap * w.size, space_ratio * space) if space < space_max * w.size else gap * w.size
            for step in (1, -1):
                n, prev = 0, w
                j = k + step
                while 0 <= j < len(row) and (worded[j] if step > 0 else ends[j] or worded[j]):
                    nxt = row[j]
                    apart = nxt.x0 - prev.x1 if step > 0 else prev.x0 - nxt.x1
                    if apart > limit:
                        break
                    # pieces of one word (a label's letters broken up by the text layer) count once
                    n += 1 if n == 0 or apart > st.prose_fragment_gap * nxt.size else 0
                    prev, j = nxt, j + step
                if n >= run_words:
                    out.add(id(w))
                    break
    return out


#: A word of running text that :func:`_prose_words`' word test leaves out: the one-letter words of
#: English, a word of letters ending in its punctuation (``fee.``, ``tation,``).
_PROSE_WORD = regex.compile(r"^(?:[aAI]|\p{L}{2,}[.,;:!?]{1,2})$")


def _prose_word(w: Word) -> bool:
    return _PROSE_WORD.match(w.text) is not None and not is_symbol_font(w.font)


def _tokens(page: Page, st: ScoreTableSettings) -> list[Token]:
    toks = []
    prose = _prose_words(page, st)
    for w in _untorn_words(page, st, prose):
        if id(w) in prose:
            continue
        if is_symbol_font(w.font):
            meaning = _symbol_text(w)
            if meaning in ("-", "+"):  # a minus or plus from a symbol font: the sign of the next number
                toks.append(Token(w.text, "sign", sign=-1 if meaning == "-" else 1, page=page.number, bbox=w.bbox,
                                  size=w.size))
                continue
            sign = _glyph_sign(meaning)
            if sign:
                toks.append(Token(w.text, "arrow", sign=sign, page=page.number, bbox=w.bbox, size=w.size))
            elif "?" in _symbol_text(w) and len(w.text) <= 2:
                toks.append(Token(w.text, "arrow", sign=None, page=page.number, bbox=w.bbox, size=w.size))
            continue
        r = _token_reading(w.text)
        if r is None and (m := _LETTERS_THEN_CHANGE.match(w.text)) is not None:
            # a label's last letter run into an arrowed change drawn over it (a label overflowing
            # its cell into the change's): the change is a token, the letters stay the label's
            pr = _token_reading(m.group(2))
            if pr is not None:
                x0, y0, x1, y1 = w.bbox
                cut = x0 + (x1 - x0) * m.start(2) / len(w.text)
                toks.append(_placed(pr, page.number, (cut, y0, x1, y1), w.size, w.baseline))
            continue
        if r is None:
            glued = split_glued(w.text) if w.text.count(".") == 2 else None  # (a quick test first)
            if glued is None:
                continue
            x0, y0, x1, y1 = w.bbox
            cut = x0 + (x1 - x0) * len(glued[0]) / len(w.text)
            for part, box in ((glued[0], (x0, y0, cut, y1)), (glued[1], (cut, y0, x1, y1))):
                pr = _token_reading(part)
                if pr is not None:
                    toks.append(_placed(pr, page.number, box, w.size, w.baseline))
            continue
        toks.append(_placed(r, page.number, w.bbox, w.size, w.baseline))
    _mark_changes(page, toks, st)
    return toks


_CHANGE_HEADER = regex.compile(r"^(?:change|changes|chg|trend|\+/-|±|Δ|delta)[:.]?$", regex.IGNORECASE)
#: The characters a CHANGE header may start with (a quick test before the pattern).
_CHANGE_HEADER_FIRST = frozenset("cCtTdD+±Δδ")


def _mark_changes(page: Page, toks: list[Token], st: ScoreTableSettings) -> None:
    """Numbers that are changes by their place, whatever they look like: those with an up or down
    icon drawn right beside them (the icon gives the sign; see also :func:`_mark_change_columns`).
    Such a number is never taken as a score."""
    nums = [t for t in toks if t.kind == "num" and t.bbox is not None]
    slack, reach = st.icon_row_slack, st.icon_reach
    for ic in page.icons:  # each icon belongs to the number nearest it on its row
        best: tuple[float, Token] | None = None
        for t in nums:
            x0, y0, x1, y1 = t.bbox  # type: ignore[misc]
            h = max(y1 - y0, 1.0)
            cy = (ic.y0 + ic.y1) / 2
            if not (y0 - slack * h <= cy <= y1 + slack * h):
                continue
            gap = max(ic.x0 - x1, x0 - ic.x1, 0.0)
            if gap <= reach * h and (best is None or gap < best[0]):
                best = (gap, t)
        if best is not None:
            t = best[1]
            if t.sign == 0 and t.value:
                t.sign, t.role, t.text = ic.direction, "change", t.text + ("▲" if ic.direction > 0 else "▼")
                t.bbox = _union(t.bbox, (ic.x0, ic.y0, ic.x1, ic.y1))  # the change as drawn, icon and all


def _band_overlap(tb: tuple[float, float, float, float], bb: tuple[float, float, float, float], pad: float) -> bool:
    cy = (tb[1] + tb[3]) / 2
    return bb[1] - pad <= cy <= bb[3] + pad


class _Band:
    """A page's tokens by height: those whose middle is in a row band (as :func:`_band_overlap`
    keeps them), or whose top is in a range, in the page's order, without reading every token of
    the page. ``used``: ids of tokens to leave out."""

    def __init__(self, tokens: list[Token]) -> None:
        boxed = [(i, t.bbox) for i, t in enumerate(tokens) if t.bbox is not None]
        middles = sorted((cy, i) for i, b in boxed if (cy := (b[1] + b[3]) / 2) == cy)  # (not NaN: in no band)
        tops = sorted((b[1], i) for i, b in boxed if b[1] == b[1])
        self.middles, self.by_middle = [k for k, _ in middles], [i for _, i in middles]
        self.tops, self.by_top = [k for k, _ in tops], [i for _, i in tops]
        self.tokens = tokens

    def _pick(self, keys: list[float], index: list[int], lo: float, hi: float, used: set[int]) -> list[Token]:
        found = (self.tokens[i] for i in sorted(index[bisect_left(keys, lo):bisect_right(keys, hi)]))
        return [t for t in found if id(t) not in used]

    def __call__(self, box: tuple[float, float, float, float], pad: float, used: set[int]) -> list[Token]:
        """The tokens whose middle is within ``pad`` of the box's height."""
        return self._pick(self.middles, self.by_middle, box[1] - pad, box[3] + pad, used)

    def starting(self, lo: float, hi: float, used: set[int]) -> list[Token]:
        """The tokens whose top is between ``lo`` and ``hi``."""
        return self._pick(self.tops, self.by_top, lo, hi, used)


class _Boxes:
    """Boxes of a page by their top, each with its owner (a label block, a placed score): those that
    may share some of a band's height, without reading every box of the page."""

    def __init__(self, items: list[tuple[tuple[float, float, float, float], object]]) -> None:
        finite: list[tuple[tuple[float, float, float, float], object]] = []
        self.odd: list[tuple[tuple[float, float, float, float], object]] = []  # (NaN or inf: always looked at)
        for it in items:
            (finite if all(abs(v) < float("inf") for v in it[0]) else self.odd).append(it)
        finite.sort(key=lambda it: it[0][1])
        self.items = finite
        self.tops = [box[1] for box, _ in finite]
        self.reach = max((box[3] - box[1] for box, _ in finite), default=0.0) + 1.0  # the tallest, and more

    def sharing(self, lo: float, hi: float) -> list[tuple[tuple[float, float, float, float], object]]:
        """The boxes that may overlap the height from ``lo`` to ``hi`` (and a few that do not)."""
        return self.items[bisect_left(self.tops, lo - self.reach):bisect_left(self.tops, hi)] + self.odd


def _label_edge(block: _Block, t: Token, direction: int) -> float:
    """The label's edge facing a token on one side: of the label's lines that share height with the
    token, the one reaching least far towards it (a number set between two lines of a wrapped
    label, or beside its short line, stands past that line even where a longer line, or a word
    overflowing its cell, reaches further); the whole label's edge when it shares none."""
    assert t.bbox is not None
    if len(block.segments) == 1:  # one line: its edge whatever the token shares with it
        return block.bbox[2] if direction > 0 else block.bbox[0]
    touching = [sg.bbox for sg in block.segments if min(sg.bbox[3], t.bbox[3]) - max(sg.bbox[1], t.bbox[1]) > 0]
    if not touching:
        return block.bbox[2] if direction > 0 else block.bbox[0]
    return min(b[2] for b in touching) if direction > 0 else max(b[0] for b in touching)


def _past_label(block: _Block, t: Token, direction: int, st: ScoreTableSettings) -> float | None:
    """How far past the label a token stands on one side, or None when it does not stand past it:
    it may start a little inside the label's box (a tracked label's box ends with a letter space:
    ``tracking_overhang``) when its middle is past it."""
    assert t.bbox is not None
    edge = _label_edge(block, t, direction)
    d = (t.bbox[0] - edge) if direction > 0 else (edge - t.bbox[2])
    centre = ((t.bbox[0] + t.bbox[2]) / 2 - edge) * direction
    if d >= -st.tracking_overhang * block.size or centre > 0:
        return d
    # a label overflowing its grid cell: a token in the next cell, past the cell's border (a rule
    # the label's words cross at its height), stands past the label whatever the overflow
    slack = st.edge_slack
    for sg in block.segments:
        if sg.crossed and sg.bbox[1] < t.bbox[3] and sg.bbox[3] > t.bbox[1]:
            for x in sg.crossed:
                past = (t.bbox[0] - x) if direction > 0 else (x - t.bbox[2])
                if past > -slack:
                    return max(past, 0.0)
    return None


def _in_label_word(block: _Block, t: Token, st: ScoreTableSettings) -> bool:
    """Is ``t`` a sign read inside one of the label's own words (the hyphen of a wrapped ``Non-`` or
    ``CYBER-``)? It stands past the label's line it ends, but it is the label, not a change beside it."""
    if t.kind != "sign" or t.bbox is None:
        return False
    x0, y0, x1, y1 = t.bbox
    bx0, by0, bx1, by1 = block.bbox
    if x1 < bx0 or x0 > bx1 or y1 < by0 or y0 > by1:
        return False
    slack = st.edge_slack
    return any(w.x0 - slack <= x0 and x1 <= w.x1 + slack and w.y0 - slack <= y0 and y1 <= w.y1 + slack
               for sg in block.segments for w in sg.words)


def _marks(page: Page, st: ScoreTableSettings) -> _Marks:
    """The shapes a page draws inside a row, by left edge: small ones (a colour square or an icon
    beside a change: no side over :data:`ICON_MAX` nor under ``mark_min``, which leaves out a grid's
    rules), and a bar's track or fill (no taller than an icon, wider: ``score [bar] change label``
    draws the bar between two numbers of one row)."""
    least = st.mark_min
    return _Marks(sorted((r.x0, r.y0, r.x1, r.y1) for r in page.rects
                         if least <= r.x1 - r.x0 and least <= r.y1 - r.y0 <= ICON_MAX))


class _Marks(list):
    """A page's marks by left edge, knowing the widest (a mark that covers an x starts at most that
    far left of it)."""

    def __init__(self, items: list[tuple[float, float, float, float]]) -> None:
        super().__init__(items)
        self.widest = max((m[2] - m[0] for m in items), default=0.0)


def _open_gap(x0: float, x1: float, y0: float, y1: float, marks: _Marks) -> float:
    """The widest stretch of the gap from ``x0`` to ``x1`` that no mark standing in the height
    ``y0``-``y1`` covers (a colour square drawn before a change is part of its row, not a gap)."""
    widest, at = 0.0, x0
    for mx0, my0, mx1, my1 in marks[bisect_left(marks, (x0 - marks.widest,)):bisect_right(marks, (x1,))]:
        if mx1 <= at or my1 < y0 or my0 > y1:
            continue
        widest = max(widest, mx0 - at)
        at = max(at, mx1)
    return max(widest, x1 - at)


_Box = tuple[float, float, float, float]


def _in_joined_columns(left: _Box, right: _Box, joins: Sequence[tuple[_Box, _Box]], tol: float) -> bool:
    """Whether two tokens of a row (``left`` and ``right`` in x order) stand in the columns of a
    pair of ``joins`` (two tokens another row joined into one cell): an edge of each (left, centre
    or right) within ``tol`` of the same edge of the pair's token on its side."""
    def near(a: _Box, b: _Box) -> bool:
        return abs(a[0] - b[0]) <= tol or abs(a[2] - b[2]) <= tol or abs(a[0] + a[2] - b[0] - b[2]) <= 2 * tol
    return any(near(left, jl) and near(right, jr) for jl, jr in joins)


def _cell_tokens(block: _Block, tokens: list[Token], blocks: list[_Block], sides: Iterable[int],
                 max_dist: float, st: ScoreTableSettings,
                 marks: _Marks | tuple[()] = (),
                 joins: Sequence[tuple[_Box, _Box]] = (), pairs: list[tuple[_Box, _Box, bool]] | None = None,
                 ) -> dict[int, list[Token]]:
    """Tokens in the label's row band on each side, up to the next label block on that side (of
    ``tokens``: those of the row band, or more; of ``blocks``: those near the row, or more).
    ``marks``: the page's small shapes (see :func:`_marks`), which join the numbers they stand between.
    ``joins``: pairs of tokens (left, right boxes) other rows joined, whose columns join two tokens
    however wide the gap between them; ``pairs``: where given, each pair of neighbouring tokens
    looked at is added to it as (left box, right box, whether the gap split them)."""
    bx0, by0, bx1, by1 = block.bbox
    pad = st.row_band_pad * block.size
    cell_gap = st.cell_gap
    # the labels sharing the row (each side's nearest ends the cell)
    row = [other.bbox for other in blocks if other is not block and other.page == block.page
           and (other.bbox[1] - pad <= (by0 + by1) / 2 <= other.bbox[3] + pad
                or by0 <= (other.bbox[1] + other.bbox[3]) / 2 <= by1)]
    own = {(round(w.x0, 1), round(w.y0, 1)) for sg in block.segments for w in sg.words}  # the label's own words
    near = [t for t in tokens if t.page == block.page and t.bbox is not None and _band_overlap(t.bbox, block.bbox, pad)
            # a joiner of the label (the ``-`` of ``N O N -``) is not a number beside it
            and (round(t.bbox[0], 1), round(t.bbox[1], 1)) not in own]
    cells: dict[int, list[Token]] = {}
    for direction in sides:
        edge = bx1 if direction > 0 else bx0
        limit = max_dist
        for ob in row:
            d = (ob[0] - edge) if direction > 0 else (edge - ob[2])
            if 0 <= d < limit:
                limit = d
        out = [t for t in near if _past_label(block, t, direction, st) is not None
               and ((t.bbox[0] - edge) if direction > 0 else (edge - t.bbox[2])) <= limit]  # type: ignore[index]
        out.sort(key=lambda t: t.bbox[0] if direction > 0 else -t.bbox[2])  # type: ignore[index]  # noqa: B023
        # a cell is a contiguous run: a gap much wider than the numbers' size ends it, but for a
        # run of changes only, whose row's score stands past the gap (cells spread over a wide
        # table: ``8.5*      ▼0.50  <label>``), up to that one number
        cell: list[Token] = []
        for t in out:
            if cell:
                prev = cell[-1]
                gap = (t.bbox[0] - prev.bbox[2]) if direction > 0 else (prev.bbox[0] - t.bbox[2])  # type: ignore[index]
                reach = cell_gap * max(t.size, prev.size, 1.0)
                pair = (prev.bbox, t.bbox) if direction > 0 else (t.bbox, prev.bbox)
                past = gap > reach and _score_like(t, False) and all(_change_evidence(c) for c in cell)
                if past:  # the row's score past the gap after its changes: the cell ends with it
                    cell.append(t)
                    break
                if gap > reach and (not marks or _open_gap(*((prev.bbox[2], t.bbox[0]) if direction > 0 else (
                        t.bbox[2], prev.bbox[0])), by0 - pad, by1 + pad, marks) > reach) \
                        and not (joins and _in_joined_columns(*pair, joins,  # type: ignore[arg-type]
                                                              st.cell_column_align * max(t.size, prev.size, 1.0))):
                    if pairs is not None:
                        pairs.append((*pair, True))  # type: ignore[arg-type]
                    break
                if pairs is not None:
                    pairs.append((*pair, False))  # type: ignore[arg-type]
            cell.append(t)
        cells[direction] = cell
    return cells


def _change_evidence(t: Token) -> bool:
    """What a score never is: zero, bracketed, signed or arrowed, ``n/a``."""
    return t.kind == "na" or (t.kind == "num" and (t.sign != 0 or t.value == 0 or _bracketed(t)))


def _mark_change_columns(blocks: list[_Block], page: Page, cells: dict[tuple[int, int], list[Token]],
                         st: ScoreTableSettings) -> None:
    """The table's column structure: numbers in the indicator rows under a CHANGE column header,
    and those that line up in a column (same left or same right edge) holding things a score never
    is (zeros, brackets, signs, ``n/a``) in at least two rows, are changes, whatever each of them
    looks like (``1.5`` in a change column is a change of 1.5, not a score). ``cells`` holds each
    label's cell on either side, by ``(id(label), side)``."""
    # each number of a label's cell belongs to the label whose cell holds it that it is printed on
    # a line of, else to the nearest: a summary's headline figure in an indicator's cell (a pillar
    # heading on a row of the next column) is not one of the indicator rows' numbers
    owner: dict[int, tuple[tuple[tuple[int, int], float], _Block, Token]] = {}
    level = st.owner_baseline
    for b in blocks:
        if b.page != page.number:
            continue
        for d in (1, -1):
            for t in cells[(id(b), d)]:
                if t.kind in ("num", "na") and t.bbox is not None:
                    # how far off the label's nearest line it is printed, in tenths of a size (a
                    # number level with two labels' lines belongs to the one it is on more closely)
                    off = min((abs(s.baseline - t.baseline) / max(s.size, t.size) for s in b.segments
                               if s.page == b.page), default=None) if t.baseline is not None else None
                    key = ((0, round(10 * off)) if off is not None and off <= level else (1, 0), _apart(b.bbox, t.bbox))
                    if id(t) not in owner or key < owner[id(t)][0]:
                        owner[id(t)] = (key, b, t)
    cand = [t for _, b, t in owner.values() if b.kind == "indicator"]
    # numbers of the indicator rows under a CHANGE column header: under the nearest header row
    # above them (each table of a page may have its own columns)
    headers = [w for w in page.words if (t := w.text.strip())[:1] in _CHANGE_HEADER_FIRST and _CHANGE_HEADER.match(t)]
    slack, header_row, header_pad, share = st.edge_slack, st.change_header_row, st.change_header_pad, \
        st.change_header_overlap
    # (a header row level with a number counts as above it: a table flowing on into the next
    # column prints its header in the first column only, level with the next column's first row)
    for t in cand:
        above = [h for h in headers if h.y1 - slack <= t.bbox[1] or h.y0 < t.bbox[1]]  # type: ignore[index]
        if t.role or not above:
            continue
        nearest = max(h.y1 for h in above)
        for h in above:
            if h.y1 < nearest - header_row * h.size:
                continue
            lo, hi = h.x0 - header_pad * h.size, h.x1 + header_pad * h.size
            overlap = min(hi, t.bbox[2]) - max(lo, t.bbox[0])  # type: ignore[index]
            if overlap >= share * (t.bbox[2] - t.bbox[0]):  # type: ignore[index]
                t.role = "change"
    # a column is one table's: the numbers under one header row (the nearest CHANGE header row
    # above them, where the tables print one), whatever another table's columns line up with
    table_of = {id(t): max((h.y1 for h in headers if h.y1 - slack <= t.bbox[1] or h.y0 < t.bbox[1]),  # type: ignore[index]
                           default=None)
                for t in cand}
    for edge in (0, 2):
        cols: dict[int, list[Token]] = {}
        for t in cand:
            cols.setdefault(round(t.bbox[edge]), []).append(t)  # type: ignore[index]
        keys = sorted(cols)
        merged: list[list[Token]] = []
        for k in keys:  # neighbouring keys (rounding) form one column
            if merged and k - round(merged[-1][-1].bbox[edge]) <= 1:  # type: ignore[index]
                merged[-1].extend(cols[k])
            else:
                merged.append(list(cols[k]))
        tables: list[list[Token]] = []
        for col in merged:
            by_table: dict[float | None, list[Token]] = {}
            for t in col:
                by_table.setdefault(table_of[id(t)], []).append(t)
            tables.extend(by_table.values())
        for col in tables:
            evidence = sum(1 for t in col if _change_evidence(t))
            if len(col) >= st.change_column_rows and evidence >= st.change_column_evidence \
                    and evidence >= st.change_column_share * len(col):
                for t in col:
                    if t.role == "" and not _row_has_change(t, owner[id(t)][1], cells):
                        t.role = "change"


def _row_has_change(t: Token, b: _Block, cells: dict[tuple[int, int], list[Token]]) -> bool:
    """Whether the row of label ``b`` holds, beside ``t``, a number that is what a score never is
    (signed, arrowed, zero, ``n/a``): that is the row's change, and ``t``, however it lines up with
    other rows' changes (cells that a layout engine places row by row, never in columns), is not."""
    return any(o is not t and _change_evidence(o) for d in (1, -1) for o in cells[(id(b), d)])


def _bar_pairs(rects: list[Rect], st: ScoreTableSettings) -> list[tuple[Rect, Rect]]:
    """(track, bar) pairs: a filled bar drawn over a track of the full scale that starts at the same
    x. The track colour is the page's: the colour of the longer rect in unequal pairs (a full
    score's bar is as long as its track)."""
    slack, max_height, ratio, extra = st.bar_edge_slack, st.bar_max_height, st.track_height_ratio, st.track_height_extra

    def stacked(a: Rect, b: Rect) -> bool:
        return (a is not b and a.fill != b.fill and abs(a.x0 - b.x0) < slack and 0 < a.height <= max_height
                and abs(a.y0 - b.y0) < slack + abs(a.height - b.height) and b.y0 - slack <= a.y0
                and a.y1 <= b.y1 + slack and b.height < ratio * a.height + extra)

    # a bar's track starts at most ``slack`` below the bar's top and is less high than ``ratio``
    # bars and ``extra`` (see stacked): look at the rects whose top is near each bar's (a wider
    # window, by 2 pt and 1 pt), in their order
    tops = sorted((r.y0, k) for k, r in enumerate(rects) if r.y0 == r.y0)
    ys, at = [y for y, _ in tops], [k for _, k in tops]
    above, below = ratio * max_height + extra + 2.0, slack + 1.0
    min_width, width_slack = st.bar_min_width, st.bar_width_slack
    pairs = [(t, b) for b in rects if b.width > min_width and 0 < b.height <= max_height
             for t in (rects[k] for k in sorted(at[bisect_left(ys, b.y1 - above):bisect_right(ys, b.y0 + below)]))
             if stacked(b, t) and t.width >= b.width - width_slack]
    longer = Counter(t.fill for t, b in pairs if t.width > b.width + st.track_longer)
    if not longer:
        return []
    track_fill = longer.most_common(1)[0][0]
    best: dict[int, tuple[Rect, Rect]] = {}
    for t, b in pairs:
        if t.fill != track_fill or b.fill == track_fill:
            continue
        if id(t) not in best or b.width < best[id(t)][1].width:
            best[id(t)] = (t, b)
    out = list(best.values())
    # a full bar may hide its track entirely (renderers skip covered shapes): a bar-coloured rect
    # as long as the tracks, where the tracks start, is a full bar
    if out:
        bar_fill = Counter(b.fill for _, b in out).most_common(1)[0][0]
        used = {id(b) for _, b in out} | {id(t) for t, _ in out}
        shapes = {(round(t.x0), round(t.width)) for t, _ in out}
        heights = [b.height for _, b in out]
        h = sorted(heights)[len(heights) // 2]
        full = st.full_bar_slack
        for r in rects:
            if id(r) in used or r.fill != bar_fill or abs(r.height - h) > slack:
                continue
            if any(abs(r.x0 - x0) <= full and abs(r.width - w) <= full for x0, w in shapes):
                out.append((r, r))
    return out


def _bar_series(pairs: list[tuple[Rect, Rect]], st: ScoreTableSettings) -> list[tuple[Rect, Rect]]:
    """The pairs that belong to a bar chart: every track of a chart is the full scale, so a chart
    is at least ``bar_series`` tracks of one length (within ``full_bar_slack``) in the document's
    table pages (a table's last rows may stand alone on a page); a lone pair of rects one inside
    the other (a highlighted box, a legend swatch) is not a bar, and its "reading" must never
    confirm a score. A bar shorter than ``bar_least`` of the lowest score's is no bar either."""
    full = st.full_bar_slack
    least = float(SCORE_GRID[0]) / 10 * st.bar_least
    pairs = [(t, b) for t, b in pairs if b.width >= least * t.width]
    widths = sorted(t.width for t, _ in pairs)
    out = []
    for t, b in pairs:
        same = bisect_right(widths, t.width + full) - bisect_left(widths, t.width - full)
        if same >= st.bar_series:
            out.append((t, b))
    return out


def _too_coarse(pairs: list[tuple[Rect, Rect]], st: ScoreTableSettings) -> bool:
    """Whether the bars are drawn on a grid too coarse to check a score: their widths (three or
    more different ones) are whole multiples of one step, the smallest difference between them
    (measured over their whole span), which is not the score grid's own step or a multiple of it
    (a half point: the track's twentieth, where bars are drawn exactly) but a device's (a
    browser's pixel, 0.75 pt), and one step of it is worth more than ``bar_agreement`` on the
    track (a bar of an 18 pt track, 24 pixels, reads 8.33 for 8.0)."""
    fit = st.bar_grid_fit
    widths: list[float] = []
    for w in sorted(b.width for _, b in pairs):
        if not widths or w - widths[-1] > fit:
            widths.append(w)
    if len(widths) < 3:
        return False
    least = min(b - a for a, b in pairwise(widths))
    step = (widths[-1] - widths[0]) / round((widths[-1] - widths[0]) / least)  # (the step over the whole span)
    if any(abs(w / step - round(w / step)) * step > fit for w in widths):
        return False
    track = min(t.width for t, _ in pairs)
    half = track / 20  # a half point's width
    if step >= half - fit and abs(step / half - round(step / half)) * half <= fit:
        return False  # the score grid's own step, or a multiple of it (no two scores half a point apart): exact bars
    return Fraction(10 * step / track) > st.bar_agreement


def _read_bars(res: ScoreResult, page: Page, pairs: list[tuple[Rect, Rect]], st: ScoreTableSettings) -> None:
    """Score implied by each drawn bar (bar/track × 10), tied to its label by the page's consistent
    bar-to-row offset (bars sit beside, below or above their rows, the same way on one page)."""
    reads = [r for r in res.indicators.values() if r.page == page.number and r.bbox and r.label_bbox]
    if not reads or not pairs:
        return
    def row_box(r: ScoreRead) -> tuple[float, float, float, float]:
        return _union(r.label_bbox, r.bbox)  # type: ignore[return-value]
    median_size = sorted((row_box(r)[3] - row_box(r)[1]) for r in reads)[len(reads) // 2]
    # Register bars to rows with one page-wide rule: a reference edge of the row (top, centre or
    # bottom: bars sit above, beside or below their rows, the same way on one page) and an offset
    # from it. Of the rules seen, the one under which the most bars agree with their row's printed
    # score wins (one degree of freedom for the page, so a single misprinted score still disagrees
    # with its bar).
    refs = {"top": lambda b: b[1], "centre": lambda b: (b[1] + b[3]) / 2, "bottom": lambda b: b[3]}
    cands: dict[str, list[list[tuple[float, ScoreRead]]]] = {m: [] for m in refs}
    boxes = [(row_box(r), r) for r in reads]
    for track, _bar in pairs:
        cy = (track.y0 + track.y1) / 2
        rows: dict[str, list[tuple[float, ScoreRead]]] = {m: [] for m in refs}
        for box, r in boxes:
            if min(box[2], track.x1) - max(box[0], track.x0) <= 0:
                continue
            for m, ref in refs.items():
                rows[m].append((cy - ref(box), r))
        for m in refs:
            cands[m].append(rows[m])

    # each pair's reading, and whether it agrees with a row's printed score, computed once: the
    # offsets tried below reuse them
    readings = [Fraction(bar.width / track.width).limit_denominator(2000) * 10 for track, bar in pairs]
    tolerance = st.bar_offset_tolerance * max(median_size, 1.0)

    # each pair's rows by offset (an offset that is not a number fits nothing), for a quick look
    # at the offsets near the one tried
    by_offset = {m: [sorted((o, k) for k, (o, _) in enumerate(row) if o == o) for row in rows]
                 for m, rows in cands.items()}

    def assign(mode: str, offset: float) -> dict[str, tuple[float, int]]:
        taken: dict[str, tuple[float, int]] = {}
        for i, row in enumerate(cands[mode]):
            srt = by_offset[mode][i]
            near = srt[bisect_left(srt, (offset - tolerance - 1.0,)):bisect_right(srt, (offset + tolerance + 1.0,))]
            # the nearest fitting offset, the first in the row's order among equals
            fits = [(abs(o - offset), k) for o, k in near if abs(o - offset) < tolerance]
            if not fits:
                continue
            dev, k = min(fits)
            r = row[k][1]
            if r.key in taken and taken[r.key][0] <= dev:
                continue
            taken[r.key] = (dev, i)
        return taken

    scores = {r.key: r.score for r in reads}
    agrees: dict[tuple[str, int], bool] = {}
    agreement = st.bar_agreement

    def agrees_with(key: str, i: int) -> bool:
        got = agrees.get((key, i))
        if got is None:
            got = agrees[(key, i)] = scores[key] is not None and abs(readings[i] - scores[key]) <= agreement
        return got

    best: tuple[int, float, dict[str, tuple[float, int]]] | None = None
    step, reach = st.bar_offset_step, st.bar_offset_reach * median_size
    for mode in refs:
        offsets = sorted({round(o / step) * step for c in cands[mode] for o, _ in c if abs(o) < reach})
        for off in offsets:
            taken = assign(mode, off)
            agree = sum(1 for k, (_, i) in taken.items() if agrees_with(k, i))
            if best is None or (agree, -abs(off)) > (best[0], -abs(best[1])):
                best = (agree, off, taken)
    if best is None:
        return
    for r in reads:
        if r.key in best[2]:
            r.bar_score = readings[best[2][r.key][1]]


def _select_blocks(cands: list[_Block]) -> list[_Block]:
    """Best non-overlapping label blocks, each segment used once."""
    chosen: list[_Block] = []
    used: set[int] = set()
    for b in sorted(cands, key=lambda b: (-b.similarity, len(b.segments), b.page, b.bbox[1], b.bbox[0])):
        ids = {i for s in b.segments for i in s.parts}
        if ids & used:
            continue
        chosen.append(b)
        used |= ids
    return chosen


def _table_goes_on(page: Page, cands: list[_Block], tokens: dict[int, list[Token]], st: ScoreTableSettings) -> bool:
    """Whether a page holds score-table rows (so the table may go on overleaf): three indicator
    labels or more standing alone on their lines, and as many numbers outside running text (see
    ``table_min_labels``). ``tokens``: the tokens of the pages read so far, by page (this page's
    kept when read here)."""
    labels = {b.key for b in cands if b.page == page.number and b.kind == "indicator"
              and b.similarity >= st.table_label_similarity}
    if len(labels) < st.table_min_labels:
        return False
    if page.number not in tokens:
        tokens[page.number] = _tokens(page, st)
    return sum(1 for t in tokens[page.number] if t.kind == "num") >= st.table_min_numbers


def parse_document(doc: Document, max_table_pages: int = 3, *,
                   settings: ScoreTableSettings | None = None) -> ScoreResult:
    """Read the score tables of a profile PDF (from its layout model): the first
    ``max_table_pages`` pages, and the pages after them as long as the table goes on (up to
    ``table_pages_limit``). ``settings``: the thresholds (:data:`DEFAULT_SETTINGS` when None)."""
    st = DEFAULT_SETTINGS if settings is None else settings
    res = ScoreResult()
    pages, segs, cands, tokens_by_page = _table_pages(doc, max_table_pages, st)
    blocks = _select_blocks(cands)
    blocks += _column_broken_blocks(segs, blocks, st)  # (before the page's: a column's foot is not a page's)
    blocks += _page_broken_blocks(segs, blocks, st)
    lines = _WordLines(pages)
    inside = {id(b) for b in blocks if b.kind == "indicator" and _in_running_text(b, lines, st)}
    blocks += _cut_label_blocks(segs, blocks, inside, lines, st)
    blocks = _without_mentions(blocks, inside)
    for p in pages:
        if p.number not in tokens_by_page:
            tokens_by_page[p.number] = _tokens(p, st)
    reader = _PdfReader(st, pages, blocks, tokens_by_page)
    reader.place_scores(res)
    reader.place_changes(res)
    _decide_by_averages(res, reader.alternatives(res))
    _resolve_unsigned(res, st, pages, (t for p in pages for t in tokens_by_page[p.number] if t.sign))
    res.table_pages.sort()
    pairs = {p.number: _bar_pairs(p.rects, st) for p in pages}
    charted = _bar_series([pair for found in pairs.values() for pair in found], st)
    if _too_coarse(charted, st):
        charted = []  # bars that cannot tell one score from the next check none
    tracks = {id(t) for t, _ in charted}
    for p in pages:
        _read_bars(res, p, [pair for pair in pairs[p.number] if id(pair[0]) in tracks], st)
    _read_metadata(res, doc, pages, blocks, max_table_pages, st)
    return res


class _WordLines:
    """The line of a page's word and its place in it, found by the word's baseline (a page's lines
    are sorted by baseline): no map of every word is built."""

    def __init__(self, pages: Sequence[Page]) -> None:
        self.pages = {p.number: p for p in pages}
        self.keys: dict[int, list[float]] = {}

    def get(self, w: Word) -> tuple[Line, int] | None:
        page = self.pages.get(w.page)
        if page is None:
            return None
        lines = page.lines
        keys = self.keys.get(w.page)
        if keys is None:
            keys = self.keys[w.page] = [ln.baseline for ln in lines]
        k = bisect_left(keys, w.baseline - 1.0)
        while k < len(lines) and keys[k] <= w.baseline + 1.0:
            for i, o in enumerate(lines[k].words):
                if o is w:
                    return lines[k], i
            k += 1
        return None


def _in_running_text(block: _Block, lines: _WordLines, st: ScoreTableSettings) -> bool:
    """Whether an indicator's label block stands inside a line of running text: the word right
    before its first word or right after its last word on that word's line is a word of letters,
    as close as words of one text (``In Lithuania, foreign actors have remained``). A table's
    label stands apart from its row's other words: numbers, bars, or a gap to the next cell."""
    reach = st.join_gap
    for w, step in ((block.segments[0].words[0], -1), (block.segments[-1].words[-1], 1)):
        at = lines.get(w)
        if at is None:
            continue
        line, i = at
        j = i + step
        if 0 <= j < len(line.words):
            o = line.words[j]
            gap = (w.x0 - o.x1) if step < 0 else (o.x0 - w.x1)
            if gap <= reach * max(w.size, o.size) and _is_labelish(o) and any(c.isalpha() for c in o.text):
                return True
    return False


def _without_mentions(blocks: list[_Block], inside: set[int]) -> list[_Block]:
    """The label blocks, less an indicator's label found inside running text (``inside``: ids of
    the blocks :func:`_in_running_text`; the narrative naming the indicator, on a page read for
    tables) where the same indicator's label also stands apart: a mention, not a row, whatever
    number stands near it."""
    apart = {b.key for b in blocks if b.kind == "indicator" and id(b) not in inside}
    return [b for b in blocks if id(b) not in inside or b.key not in apart]


def _edition_sets() -> tuple[frozenset[str], ...]:
    """The indicators of each edition of each index family (families read from a file too)."""
    return tuple(frozenset(i.id for i in taxonomy.indicators_of(f, y))
                 for f, years in taxonomy.EDITIONS.items() for y in years)


@lru_cache(maxsize=1)
def _label_starts() -> frozenset[str]:
    """Every run of first words of a label (folded): ``state``, ``state embedded``, ..."""
    out = set()
    for lab in taxonomy.label_index():
        words = lab.split()
        out.update(" ".join(words[:k]) for k in range(1, len(words)))
    return frozenset(out)


@lru_cache(maxsize=_LABEL_CACHE)
def _label_begun(text: str, least: float) -> str | None:
    """The one indicator whose label (or a variant) begins with the words of ``text`` and goes on
    after them, ``text`` holding at least ``least`` of its letters; None when no label or more
    than one indicator's does."""
    f = taxonomy.fold(text)
    if not f:
        return None
    found = {iid for lab, iid in taxonomy.label_index().items()
             if lab.startswith(f + " ") and len(f.replace(" ", "")) >= least * len(lab.replace(" ", ""))}
    return found.pop() if len(found) == 1 else None


def _cut_label_blocks(segs: list[_Segment], blocks: list[_Block], inside: set[int], lines: _WordLines,
                      st: ScoreTableSettings) -> list[_Block]:
    """Labels whose last words the page cut off (a row broken by the page, whose label's last
    line a browser did not draw at all: ``State-`` / ``embedded`` at the foot of page 1, no
    ``actors`` anywhere): a chain of lines of one column (as a wrapped label's, see
    :func:`_below`), standing apart from running text, with no label of the tables under it in
    its column on its page, whose words begin one indicator's label and no other's
    (``cut_label_letters`` of its letters or more), when that indicator's label stands nowhere
    else but inside running text (the narrative naming it). Only where the tables lack an
    indicator; the row is read as any other (its score must still be in its row). ``inside``: ids
    of the blocks in running text; ``lines``: the pages' lines, by word."""
    found = {b.key for b in blocks if b.kind == "indicator" and id(b) not in inside}
    if any(e <= found for e in _edition_sets()):
        return []
    used = {i for b in blocks for sg in b.segments for i in sg.parts}
    out: list[_Block] = []
    starts = _label_starts()
    for number in lines.pages:
        mine = [sg for sg in segs if sg.page == number and len(sg.parts) == 1]
        for sg in mine:
            if used & set(sg.parts) or taxonomy.fold(sg.text) not in starts:
                continue
            chain = [sg]
            while len(chain) < st.max_label_lines:
                under = [o for o in mine if o is not chain[-1] and not used & set(o.parts)
                         and 0 < o.baseline - chain[-1].baseline <= st.max_line_step * max(o.size, chain[-1].size)
                         and _below(chain[-1], o, st)]
                if len(under) != 1 or taxonomy.fold(" ".join(c.text for c in [*chain, under[0]])) not in starts:
                    break
                chain.append(under[0])
            key = _label_begun(" ".join(c.text for c in chain), st.cut_label_letters)
            if key is None or key in found:
                continue
            x0, x1 = min(c.bbox[0] for c in chain), max(c.bbox[2] for c in chain)
            bottom = chain[-1].bbox[3]
            if any(b.page == number and b.bbox[1] > bottom and b.bbox[0] < x1 and b.bbox[2] > x0
                   for b in blocks):
                continue  # the table goes on under it in its column: not cut by the page
            block = _Block(chain, key, "indicator", 0.0)
            if _in_running_text(block, lines, st):
                continue
            out.append(block)
            found.add(key)
            used |= {i for c in chain for i in c.parts}
    return out


def _table_pages(doc: Document, max_table_pages: int, st: ScoreTableSettings,
                 ) -> tuple[list[Page], list[_Segment], list[_Block], dict[int, list[Token]]]:
    """The pages read for score tables (the first ``max_table_pages``, then each next one while the
    last one read still holds table rows), their label segments, the candidate label blocks, and
    the tokens of the pages read so far (by page number)."""
    pages = list(doc.pages[:max_table_pages])
    segs: list[_Segment] = []
    for p in pages:
        segs.extend(_segments(p, st))
    cands = _label_blocks(segs, st)
    tokens_by_page: dict[int, list[Token]] = {}
    while len(pages) < min(len(doc.pages), st.table_pages_limit) and pages \
            and _table_goes_on(pages[-1], cands, tokens_by_page, st):
        more = _segments(doc.pages[len(pages)], st)
        pages.append(doc.pages[len(pages)])
        segs.extend(more)
        cands.extend(_label_blocks(more, st))
    return pages, segs, cands, tokens_by_page


def _read_metadata(res: ScoreResult, doc: Document, pages: list[Page], blocks: list[_Block],
                   max_table_pages: int, st: ScoreTableSettings) -> None:
    """Ranks (by the summary labels), family, year (the table pages' text first) and country."""
    all_text = "\n".join(line.text for p in doc.pages for line in p.lines)
    head_text = "\n".join(line.text for p in pages[:max_table_pages] for line in p.lines)
    res.ranks = _ranks_pdf(pages, blocks, st)
    res.family = detect_family(all_text)
    res.year = detect_year(head_text, res.family) or detect_year(all_text, res.family)
    titles = _title_candidates(doc.pages[0]) if doc.pages else []
    res.country = detect_country(titles, all_text)


class _PdfReader:
    """The state of one PDF's score tables while they are read: the settings, the pages read, the
    label blocks, each page's tokens and the structures that look them up by height, each label's
    cells by geometry alone, each page's reading direction and placement (voted by its rows), and
    the tokens claimed so far (``used``)."""

    def __init__(self, st: ScoreTableSettings, pages: list[Page], blocks: list[_Block],
                 tokens_by_page: dict[int, list[Token]]) -> None:
        self.st = st
        self.pages = pages
        self.blocks = blocks
        self.tokens_by_page = tokens_by_page
        self.width = {p.number: p.width for p in pages}
        self.marks = {p.number: _marks(p, st) for p in pages}
        self.bands = {p: _Band(ts) for p, ts in tokens_by_page.items()}
        on_page: dict[int, list[_Block]] = {}
        for x in blocks:
            on_page.setdefault(x.page, []).append(x)
        self.on_page = on_page
        self.label_boxes = {p: _Boxes([(x.bbox, x) for x in xs]) for p, xs in on_page.items()}
        #: ids of the tokens claimed (scores, changes): one set, updated in place
        self.used: set[int] = set()
        #: the tokens of each placed label's cell (by ``id`` of the label block)
        self.cells: dict[int, frozenset[int]] = {}
        #: labels whose score's place holds a token not understood (by ``id`` of the label block)
        self.unread: dict[int, Token] = {}
        # every label's cell on either side, by geometry alone (roles do not change them); where a
        # gap ended a cell, again with the columns of the pairs the page's cells joined
        self.joins: dict[int, list[tuple[_Box, _Box]]] = {}
        self.base_cells = {}
        joins: dict[int, list[tuple[_Box, _Box]]] = {}
        split: list[_Block] = []
        for b in blocks:
            seen: list[tuple[_Box, _Box, bool]] = []
            for d, cell in self.cell_of(b, set(), (1, -1), seen).items():
                self.base_cells[(id(b), d)] = cell
            joins.setdefault(b.page, []).extend((left, right) for left, right, gap in seen if not gap)
            if any(gap for _, _, gap in seen):
                split.append(b)
        self.joins = joins
        for b in split:  # (only a cell a gap ended can change)
            if self.joins[b.page]:
                for d, cell in self.cell_of(b, set(), (1, -1)).items():
                    self.base_cells[(id(b), d)] = cell
        for p in pages:
            _mark_change_columns(blocks, p, self.base_cells, st)
        self.directions, self.below_pages = self._vote_directions()
        self.score_columns = self._score_columns()
        self.pending = self._reading_order()

    def cell_of(self, b: _Block, claimed: set[int], sides: Iterable[int],
                pairs: list[tuple[_Box, _Box, bool]] | None = None) -> dict[int, list[Token]]:
        """The label's cell on each side, of the tokens not claimed (``pairs``: see :func:`_cell_tokens`)."""
        pad = self.st.row_band_pad * b.size
        row = self.bands[b.page](b.bbox, pad, claimed)  # the tokens of the label's row band
        beside = [x for _, x in self.label_boxes[b.page].sharing(b.bbox[1] - pad, b.bbox[3] + pad + 1.0)]
        return _cell_tokens(b, row, beside, sides, self.width[b.page], self.st,  # type: ignore[arg-type]
                            self.marks[b.page], self.joins.get(b.page, ()), pairs)

    def under(self, b: _Block, claimed: set[int]) -> list[Token]:
        """The tokens not claimed whose top is on the line under the label (see _score_below)."""
        st = self.st
        return self.bands[b.page].starting(b.bbox[3] - st.below_top_slack * b.size,
                                           b.bbox[3] + st.below_line_reach * b.size, claimed)

    def _vote_directions(self) -> tuple[dict[int, int], set[int]]:
        """Reading direction per page: the side of the label where its score sits, by majority vote
        of the indicator rows. A page whose scores stand under their labels (more labels with a
        score right under them than beside them) is read that way only (the pages returned). A page
        with too few rows to say (the last rows of a table, overleaf) reads like the table's other
        pages."""
        st, blocks, base_cells = self.st, self.blocks, self.base_cells
        directions: dict[int, int] = {}
        below_pages: set[int] = set()
        page_votes: dict[int, Counter[int]] = {}
        for p in self.pages:
            votes = page_votes[p.number] = Counter()
            for b in blocks:
                if b.page != p.number or b.kind != "indicator":
                    continue
                for d in (1, -1):
                    s, _ = interpret_cell(base_cells[(id(b), d)], settings=st, label_size=b.size)
                    if s is not None:
                        votes[d] += 1
                if _score_below(b, self.under(b, set()), self.on_page[p.number], st) is not None:
                    votes[0] += 1
        everywhere = sum(page_votes.values(), Counter())
        for p in self.pages:
            votes = page_votes[p.number]
            if sum(1 for b in blocks if b.page == p.number and b.kind == "indicator") < st.page_rows:
                votes = everywhere
            directions[p.number] = 1 if votes[1] >= votes[-1] else -1
            if votes[0] > max(votes[1], votes[-1]):
                below_pages.add(p.number)
                directions[p.number] = 1
        return directions, below_pages

    def _score_columns(self) -> dict[int, Counter[tuple[int, int]]]:
        """The x edges of the numbers the indicator rows would read as their scores, per page: a
        summary label read against the page's direction may not take a number standing in that
        column."""
        score_columns: dict[int, Counter[tuple[int, int]]] = {}
        for b in self.blocks:
            if b.kind != "indicator" or b.page in self.below_pages:
                continue
            sc, _ = interpret_cell(self.base_cells[(id(b), self.directions[b.page])], settings=self.st,
                                   label_size=b.size)
            if sc is not None and sc.bbox is not None:
                col = score_columns.setdefault(b.page, Counter())
                col[(0, round(sc.bbox[0]))] += 1
                col[(2, round(sc.bbox[2]))] += 1
        return score_columns

    def _reading_order(self) -> list[_Block]:
        """The labels in reading order; a summary label only where it first appears (the headline
        before the tables; the same words later are headings of the narrative or of a table)."""
        pending = sorted(self.blocks, key=lambda b: (b.page, b.bbox[1], b.bbox[0]))
        first_page: dict[str, int] = {}
        for b in pending:
            if b.kind == "summary":
                first_page.setdefault(b.key, b.page)
        return [b for b in pending if b.kind != "summary" or (b.page == first_page[b.key]
                                                               and not self._heads_prose(b))]

    def _heads_prose(self, b: _Block) -> bool:
        """Whether the summary label ``b`` is a heading of the narrative (which may start beside the
        tables or under them): in its column under it, within ``prose_heading_window`` lines and
        before any line holding a number or an indicator's label, a line of running text
        (``prose_run_words`` words of letters or more). A table's caption or pillar heading has its
        numbers or rows under it; a line that starts with a footnote mark is a note (a table's
        last row, a pillar's, may have the note on its table's marks under it), not running text."""
        st = self.st
        page = next((p for p in self.pages if p.number == b.page), None)
        if page is None:
            return False
        x0, bottom = b.bbox[0], b.bbox[3]
        reach = st.label_word_gap * b.size
        under = sorted((ln for ln in page.lines if ln.y0 >= bottom - 1.0 and abs(ln.x0 - x0) <= reach),
                       key=lambda ln: ln.y0)
        for ln in under[:st.prose_heading_window]:
            if _NOTE_MARK.match(ln.text) is not None:
                continue  # a note under the table, explaining a mark (``* Score revised ...``): not prose
            if _DIGIT_CHAR.search(ln.text) is not None:
                return False
            if len(ln.text) <= st.max_label_chars and (m := _match_label(ln.text)) is not None \
                    and m[1] >= st.table_label_similarity:
                return False  # an indicator's label: the table's rows follow
            words = [w for w in ln.words if len(w.text) >= 2 and w.text[:2].isalpha()]
            if len(words) >= st.prose_run_words:
                return True
        return False

    def candidate(self, n: int, b: _Block) -> _Candidate | None:
        """The label's best reading of the tokens not claimed (``n``: its place in reading order)."""
        st, used = self.st, self.used
        summary = b.kind == "summary"
        best_c = None
        if not summary and b.page in self.below_pages:
            t = _score_below(b, self.under(b, used), self.on_page[b.page], st)
            if t is None or t.bbox is None:
                return None
            return _Candidate(t.bbox[1] - b.bbox[3], n, b, t, None, 1, frozenset((id(t),)))
        direction = self.directions[b.page]
        sides = (direction, -direction)
        both = self.cell_of(b, used, sides)
        bad = unread_score(both[direction], summary, st)
        if bad is not None:  # the score's place holds a token not understood: no other number is its score
            self.unread.setdefault(id(b), bad)
            return None
        for d in sides:
            cell = both[d]
            score, change = interpret_cell(cell, summary, st, 0.0 if summary else b.size)
            if score is None or score.bbox is None:
                continue
            edge = b.bbox[2] if d > 0 else b.bbox[0]
            dist = abs((score.bbox[0] if d > 0 else score.bbox[2]) - edge)
            if not summary and d != direction:
                dist += st.cross_direction_penalty * self.width[b.page]
            if summary and d != direction and _in_score_column(score, self.score_columns.get(b.page, Counter())):
                continue  # a number of the indicators' score column belongs to an indicator row
            c = _Candidate(dist, n, b, score, change, d, frozenset(id(t) for t in cell))
            if best_c is None or c.order < best_c.order:
                best_c = c
        return best_c

    def place_scores(self, res: ScoreResult) -> None:
        """Every label's score: nearest pairs first, then the labels left (summary figures above or
        below, scores under their labels or overleaf), then the summaries the arithmetic places
        elsewhere."""
        self._place_nearest_first(res)
        self._place_the_rest(res)
        if self._switch_summaries(res):
            self._read_rows_again(res)
        self._unread_rows(res)
        self._cut_changes(res)

    def _cut_changes(self, res: ScoreResult) -> None:
        """Rows read without a change whose row holds a number cut off where it is printed (a clip
        path leaves part of it undrawn: ``0…``, see :data:`octa.layout.CLIPPED`) beside its label and score, with no
        other row's label or score between: the change is left unread, and the token as drawn is
        kept in ``change_printed`` for the finding that reports it."""
        reads = [*res.indicators.values(), *res.summary.values()]
        for read in res.indicators.values():
            t = read.score_token
            if read.change is not None or read.change_printed is not None or t is None or t.bbox is None \
                    or read.how != "row" or read.label_bbox is None:
                continue
            span = _union(t.bbox, read.label_bbox)
            h = max(t.bbox[3] - t.bbox[1], 1.0)
            lo, hi = t.bbox[1] + 0.3 * h, t.bbox[3] - 0.3 * h
            cut = [c for c in self.tokens_by_page.get(t.page or 0, ()) if c.kind == "unread" and CLIPPED in c.text
                   and c.bbox is not None and c.bbox[1] < hi and c.bbox[3] > lo
                   and (c.bbox[0] >= span[2] or c.bbox[2] <= span[0])]
            if len(cut) != 1:
                continue
            c = cut[0].bbox
            gap = (span[2], c[0]) if c[0] >= span[2] else (c[2], span[0])  # type: ignore[index]
            if any(o is not read and o.page == read.page and any(
                    box is not None and box[1] < hi and box[3] > lo and box[2] > gap[0] and box[0] < gap[1]
                    for box in (o.label_bbox, o.bbox)) for o in reads):
                continue  # another row's label or score stands between: not this row's
            read.change_printed = cut[0].text

    def _unread_rows(self, res: ScoreResult) -> None:
        """The indicator rows whose score's place holds a token not understood: one of the cell's
        tokens (``65%``, ``5.0/100``), or the word nearest the label standing in the page's score
        column (``abc``, where the other rows print their scores). Such a row has no score: a number
        it took from farther on (its change) is given up, and the token is reported as printed."""
        columns = self._placed_columns(res)
        for b in self.pending:
            target = res.summary if b.kind == "summary" else res.indicators
            read = target.get(b.key)
            if read is not None and read.block is not b:
                continue
            bad = self.unread.get(id(b))
            if bad is None and b.kind == "indicator" and b.page not in self.below_pages \
                    and not (read is not None and _in_columns(read.score_token, columns.get(b.page, ()), self.st)):
                bad = self._word_in_score_column(b, read, columns.get(b.page, ()))
            if bad is None or (read is not None and (read.how != "row" or read.score_token is None
                                                     or self._nearer(b, read.score_token, bad))):
                continue  # (a score read elsewhere, under its label or beside its caption, stands)
            if read is not None:
                del target[b.key]
            res.unread.setdefault(b.key, UnreadCell(b.key, bad.text, bad.note, b.page, bad.bbox))

    def _nearer(self, b: _Block, a: Token, other: Token) -> bool:
        """Whether token ``a`` stands nearer the label ``b`` than ``other`` (on the page's side)."""
        if a.bbox is None or other.bbox is None:
            return True
        if self.directions.get(b.page, 1) > 0:
            return a.bbox[0] < other.bbox[0]
        return a.bbox[2] > other.bbox[2]

    def _placed_columns(self, res: ScoreResult) -> dict[int, list[tuple[int, float]]]:
        """Each page's score columns: the edges (left 0, right 2, or centre 1, with their x) that
        ``unread_column_rows`` or more indicator scores read in their label's row share."""
        st = self.st
        votes: dict[int, Counter[tuple[int, int]]] = {}
        for r in res.indicators.values():
            t = r.score_token
            if t is None or t.bbox is None or r.how != "row" or t.page is None:
                continue
            c = votes.setdefault(t.page, Counter())
            for edge, x in ((0, t.bbox[0]), (1, (t.bbox[0] + t.bbox[2]) / 2), (2, t.bbox[2])):
                c[(edge, round(x))] += 1
        out: dict[int, list[tuple[int, float]]] = {}
        for page, c in votes.items():
            out[page] = [(edge, float(x)) for (edge, x), n in c.items() if n >= st.unread_column_rows]
        return out

    def _word_in_score_column(self, b: _Block, read: ScoreRead | None,
                              columns: Sequence[tuple[int, float]]) -> Token | None:
        """The word (with those right after it in one cell) nearest the label on the page's side in
        its row, when it is no number nor label and stands in one of the page's score columns."""
        if not columns:
            return None
        st = self.st
        page = next((p for p in self.pages if p.number == b.page), None)
        if page is None:
            return None
        pad = st.row_band_pad * b.size
        direction = self.directions.get(b.page, 1)
        mine = {id(w) for sg in b.segments for w in sg.words}
        labels = {id(w) for x in self.on_page.get(b.page, ()) for sg in x.segments for w in sg.words}
        edge = b.bbox[2] if direction > 0 else b.bbox[0]
        row = []
        for ln in page.lines:
            if ln.y1 < b.bbox[1] - pad or ln.y0 > b.bbox[3] + pad:
                continue
            for w in ln.words:
                if id(w) in mine or not _band_overlap(w.bbox, b.bbox, pad):
                    continue
                gap = (w.x0 - edge) if direction > 0 else (edge - w.x1)
                if gap >= -0.5:
                    row.append((gap, w))
        if not row:
            return None
        row.sort(key=lambda gw: gw[0])
        first = row[0][1]
        if id(first) in labels or is_symbol_font(first.font) or _token_reading(first.text) is not None:
            return None  # a number (read or not) or another label: the cell's tokens say what it is
        cell = [first]
        for _, w in row[1:]:
            prev = cell[-1]
            gap = (w.x0 - prev.x1) if direction > 0 else (prev.x0 - w.x1)
            if gap > st.label_word_gap * max(w.size, 1.0) or id(w) in labels or _token_reading(w.text) is not None:
                break
            cell.append(w)
        cell.sort(key=lambda w: w.x0)
        text = " ".join(w.text for w in cell)
        if len(text) > st.unread_max_chars:
            return None  # words running on: text beside the table, not a cell
        x0, x1 = cell[0].x0, cell[-1].x1
        if not _in_columns(Token(text, "unread", bbox=(x0, first.y0, x1, first.y1), size=first.size), columns, st):
            return None
        return Token(text, "unread", page=b.page, bbox=(x0, min(w.y0 for w in cell), x1, max(w.y1 for w in cell)),
                     size=first.size)

    def _place_nearest_first(self, res: ScoreResult) -> None:
        """Assign numbers to labels greedily, nearest pair first: in the page's voted reading
        direction before the other one (indicators), either direction alike (summary scores, whose
        rows are often laid out unlike the indicator rows)."""
        pending, used, cells, below_pages = self.pending, self.used, self.cells, self.below_pages
        cache: dict[int, _Candidate | None] = {}
        while True:
            best = None
            for n, b in enumerate(pending):
                if b.key in (res.summary if b.kind == "summary" else res.indicators):
                    continue
                c = cache.get(n, ...)
                if c is ... or (c is not None and c.cell & used):
                    c = cache[n] = self.candidate(n, b)
                if c is not None and (best is None or c.order < best.order):
                    best = c
            if best is None:
                break
            b = best.block
            _assign(res, b, best.score, None, used, best.direction,
                    "below" if b.kind == "indicator" and b.page in below_pages else "row", 0)
            cells[id(b)] = best.cell

    def _place_the_rest(self, res: ScoreResult) -> None:
        """The labels left without a score: summary scores printed above or below their captions,
        indicator scores under their labels, or at the head of the next page."""
        st, used, tokens_by_page = self.st, self.used, self.tokens_by_page
        for b in self.pending:
            if b.key in (res.summary if b.kind == "summary" else res.indicators):
                continue
            toks = [t for t in tokens_by_page[b.page] if id(t) not in used]
            if b.kind == "summary":
                score, _change = _summary_nearby(b, toks, st)
                how = "nearby"
            else:
                score, how = _score_below(b, self.under(b, used), self.on_page[b.page], st), "below"
                if score is None and b.page in self.below_pages:
                    score = self._score_atop_next_column(b, toks, res)
                if score is None and b.page in self.below_pages and b.page + 1 in tokens_by_page:
                    nxt = [t for t in tokens_by_page[b.page + 1] if id(t) not in used]
                    owned = self._atop_next_columns(b.page + 1, nxt, res)
                    placed = [r.bbox for r in res.indicators.values()
                              if r.page == b.page and r.how == "below" and r.bbox is not None]
                    score = _score_over_page(b, [t for t in nxt if id(t) not in owned], toks, self.blocks, st,
                                             placed)
            if score is not None:
                _assign(res, b, score, None, used, 0, how, 0)

    def _atop_next_columns(self, page: int, tokens: list[Token], res: ScoreResult) -> set[int]:
        """The numbers (ids) of ``tokens`` that the labels of ``page`` not placed yet own as their
        scores atop the next column of that page (see :meth:`_score_atop_next_column`): a label of
        an earlier page does not take them (the column after the last one of a page is the next
        page's first one, not the one at its own place)."""
        if page not in self.below_pages:
            return set()
        owned = set()
        for o in self.on_page.get(page, ()):
            if o.kind == "indicator" and o.key not in res.indicators:
                t = self._score_atop_next_column(o, tokens, res)
                if t is not None:
                    owned.update(t.ids)
        return owned

    def _score_atop_next_column(self, b: _Block, tokens: list[Token], res: ScoreResult) -> Token | None:
        """The score of the lowest label of its column with nothing under it, printed atop the next
        column of its page (a table under its labels flowing on from one column to the next): the
        number nearest above that column's topmost label (its own score placed under it; of the
        same pillar, the table going on, or of another one whose heading stands between them, a new
        table starting there), when it can be no other row's. A label above that number
        that was not recognised could own it: so where such a label would end (from the number's top
        up to the reach of a score under its label, ``below_line_reach``, and to its side as far as
        ``below_reach``) no word of letters may be printed but the label's own last part (a label
        broken by its column), a repeat of the table's header (a line of no label and no digit
        printed word for word above the label's own rows too) or a summary box's rank line (which
        owns no number; the box's own score stands above it); nor anything between the number and
        that topmost label but the heading of its group (or of its pillar, and the header)."""
        if b.kind != "indicator":
            return None
        st = self.st
        size = b.size
        reach, top = st.below_reach * size, b.bbox[3] - st.below_top_slack * size
        in_column = (lambda box: _apart(b.bbox, box) <= reach)  # noqa: E731
        if any(t.bbox is not None and t.bbox[1] >= top and in_column(t.bbox) for t in tokens):
            return None  # something is printed under it
        on_page = self.on_page[b.page]
        if any(o is not b and o.bbox[1] > top and in_column(o.bbox) for o in on_page):
            return None  # another label follows it in its column
        right = [o for o in on_page if o.kind == "indicator" and o.bbox[0] > b.bbox[2] and o.bbox[1] < b.bbox[1]]
        if not right:
            return None
        left = min(o.bbox[0] for o in right)
        head = min((o for o in right if o.bbox[0] - left <= st.same_column * size), key=lambda o: o.bbox[1])
        own = res.indicators.get(head.key)
        if own is not None and isinstance(own.block, _Block) and own.block is not head and own.block.page == b.page \
                and abs(own.block.bbox[0] - head.bbox[0]) <= st.same_column * size and own.block.bbox[1] > head.bbox[1]:
            head = own.block  # a group heading printed as its one indicator's label (the cyber-dependent crimes group)
        if own is None or own.block is not head or own.bbox is None \
                or own.bbox[1] < head.bbox[3] - st.below_top_slack * head.size:
            return None  # a column whose rows do not print their scores under them
        pillar = taxonomy.INDICATORS_BY_ID[head.key].pillar
        hreach = st.below_reach * head.size
        above = [t for t in tokens if t.bbox is not None and t.bbox[3] <= head.bbox[1]
                 and _apart(head.bbox, t.bbox) <= hreach and _score_like(t, False)]
        t = max(above, key=lambda t: t.bbox[1], default=None)  # type: ignore[index]
        if t is None or t.bbox is None:
            return None
        page = next(p for p in self.pages if p.number == b.page)
        slack, size = st.edge_slack, max(size, t.size, head.size)
        x0, x1 = min(t.bbox[0], head.bbox[0]), max(t.bbox[2], head.bbox[2])
        between = sorted((ln for ln in page.lines if ln.y0 >= t.bbox[3] - slack and ln.y1 <= head.bbox[1] + slack
                          and ln.x0 < x1 and ln.x1 > x0), key=lambda ln: (ln.y0, ln.x0))
        labels = {id(w) for o in self.blocks for sg in o.segments for w in sg.words}
        shift = head.bbox[0] - b.bbox[0]  # from the label's column to the next one
        if pillar != taxonomy.INDICATORS_BY_ID[b.key].pillar:
            # another pillar's table starts there: the number ends the label's table above that
            # pillar's heading (and the table's header repeated under it)
            heading = {id(w) for o in self.on_page[b.page] if o.kind == "summary" and o.key == pillar
                       for sg in o.segments for w in sg.words}
            if not any(id(w) in heading for ln in between for w in ln.words):
                return None
            between = [ln for ln in between if not any(id(w) in heading for w in ln.words)]
            plain = [ln for ln in between if _DIGIT_CHAR.search(ln.text) is None
                     and not any(id(w) in labels for w in ln.words)]
            rows = [ln.baseline for ln in plain if self._printed_above(b, ln, labels, shift)]
            # the table's header repeated (its row: a cell of it printed above the label's rows)
            plain_ids = {id(ln) for ln in plain}
            between = [ln for ln in between if not (id(ln) in plain_ids and any(
                abs(ln.baseline - y) <= st.owner_baseline * ln.size for y in rows))]
        group = taxonomy.INDICATORS_BY_ID[head.key].group
        if between and (group is None or _heading_text(" ".join(ln.text for ln in between))
                        != _heading_text(taxonomy.GROUPS_BY_ID[group].heading)):
            return None  # something is printed between the number and that label but the heading of its group
        lo, hi = t.bbox[1] - st.below_line_reach * size - slack, t.bbox[1] + st.below_top_slack * size
        near = {id(w) for w in page.words if lo <= w.y1 <= hi and _apart(w.bbox, t.bbox) <= st.below_reach * size
                and _is_labelish(w)}
        near -= {id(w) for sg in b.segments for w in sg.words}  # its own last part (a label broken by its column)
        if not near:
            return t  # no word printed where a label owning it would end
        for ln in page.lines:
            if not any(id(w) in near for w in ln.words):
                continue
            if parse_rank_text(ln.text):
                continue  # a summary box's rank line (``3rd of 15 West African countries``): no label
            if _DIGIT_CHAR.search(ln.text) is not None or any(id(w) in labels for w in ln.words) \
                    or not self._printed_above(b, ln, labels, shift):
                return None
        return t  # under the table's header, repeated atop the next column

    def _printed_above(self, b: _Block, line: Line, labels: set[int], shift: float) -> bool:
        """Whether the words of ``line`` (of the column ``shift`` right of the label ``b``'s; case and
        spacing aside), a line of no label, are printed above ``b`` in its column, at the same place
        in it (on its page or a page before): the line's box moved by ``shift`` to ``b``'s column
        meets the other one's."""
        text = " ".join(line.text.casefold().split())
        x0, x1 = line.x0 - shift, line.x1 - shift
        for p in self.pages:
            if p.number > b.page:
                break
            for ln in p.lines:
                if (p.number < b.page or ln.y1 <= b.bbox[1]) and ln.x0 < x1 and ln.x1 > x0 \
                        and " ".join(ln.text.casefold().split()) == text and not any(id(w) in labels for w in ln.words):
                    return True
        return False

    def _switch_summaries(self, res: ScoreResult) -> bool:
        """A summary whose reading does not reproduce what the indicator scores give, where another
        reading does: the other place of its label printed twice on its page (the headline and a
        table's pillar heading), the other side of its label (a score column of the next table
        beside it), or the number another summary took whose own reading the arithmetic also
        contradicts (a pillar heading or a narrative heading beside the table took a summary row's
        score, and that row then the next headline's: each wrong). The arithmetic decides for that
        reading, at the precision it is printed with; its number goes back to the rows, and a
        summary whose number was taken so is read again the same way (or left unread). Whether any
        summary was switched."""
        st, used, tokens_by_page = self.st, self.used, self.tokens_by_page
        wants = {m.id: _exact_summary(res, m.id) for m in taxonomy.SUMMARY}

        def fits(t: Token | None, key: str) -> bool:
            want = wants.get(key)
            return (want is not None and t is not None and t.value is not None
                    and Fraction(round_to(want, t.decimals)) == t.value)

        keys = list(dict.fromkeys(b.key for b in self.pending if b.kind == "summary"))
        switched = False
        for _ in range(len(keys) + 1):  # each switch makes one more summary agree: at most len(keys)
            changed = False
            for key in keys:
                read = res.summary.get(key)
                if wants.get(key) is None or (read is not None and fits(read.score_token, key)):
                    continue
                mine = set(read.score_token.ids) if read is not None and read.score_token is not None else set()
                wrong = {k: set(r.score_token.ids) for k, r in res.summary.items()
                         if k != key and r.score_token is not None and wants.get(k) is not None
                         and not fits(r.score_token, k)}
                free = used - mine - set().union(*wrong.values())
                for b in sorted((b for b in self.pending if b.kind == "summary" and b.key == key),
                                key=lambda b: read is not None and b is read.block):
                    cell = self.cell_of(b, free, (1, -1))
                    found = [t for t in (interpret_cell(cell[d], True, st)[0] for d in (1, -1)) if t is not None]
                    found.append(_summary_nearby(b, [t for t in tokens_by_page[b.page] if id(t) not in free], st)[0])
                    fit = next((t for t in found if t is not None and fits(t, key) and t.bbox is not None
                                and (read is None or t is not read.score_token)), None)
                    if fit is not None:
                        for holder, ids in wrong.items():
                            if ids & set(fit.ids):
                                del res.summary[holder]
                                used.difference_update(ids)
                        used.difference_update(mine)
                        _assign(res, b, fit, None, used, 0, "average", 0)
                        switched = changed = True
                        break
            if not changed:
                break
        return switched

    def _read_rows_again(self, res: ScoreResult) -> None:
        """The indicator rows left without a score (after a summary gave its number back)."""
        for n, b in enumerate(self.pending):
            if b.kind == "indicator" and b.key not in res.indicators:
                c = self.candidate(n, b)
                if c is not None:
                    _assign(res, b, c.score, None, self.used, c.direction,
                            "below" if b.page in self.below_pages else "row", 0)
                    self.cells[id(b)] = c.cell

    def place_changes(self, res: ScoreResult) -> None:
        """Changes, once every score is placed (a change is never taken before the scores: an
        unsigned change and the next column's score look alike until the scores have claimed
        theirs). The page's placement of changes (beyond the score, between label and score, or
        across the label), by the rows where only one placement holds a change; each row then takes
        its change from the first placement in the page's order that has one left unclaimed."""
        st, used, bands = self.st, self.used, self.bands
        placed: list[tuple[_Block, ScoreRead]] = []
        for b in self.pending:
            target = res.summary if b.kind == "summary" else res.indicators
            read = target.get(b.key)
            if read is not None and read.block is b and read.score_token is not None:
                placed.append((b, read))
        # what a change's run stops at: the labels, and the scores placed (each page's); not a
        # label whose indicator another label's row holds (a group heading printed as the label of
        # its one indicator in capitals over that indicator's row, with no row of its own)
        def elsewhere(x: _Block) -> bool:
            read = res.indicators.get(x.key) if x.kind == "indicator" else None
            return read is not None and read.block is not None and read.block is not x

        stop_items: dict[int, list[tuple[tuple[float, float, float, float], object]]] = {
            p: [(x.bbox, x) for x in xs if not elsewhere(x)] for p, xs in self.on_page.items()}
        for r in (*res.indicators.values(), *res.summary.values()):
            t = r.score_token
            if t is not None and t.bbox is not None and t.page is not None:
                stop_items.setdefault(t.page, []).append((t.bbox, t))
        boxes = {p: _Boxes(items) for p, items in stop_items.items()}

        def unused(b: _Block, read: ScoreRead) -> Callable[[int, tuple[float, float, float, float], float], list[Token]]:
            pages = {b.page, read.page or b.page}  # the label's page and the score's

            def band(page: int, box: tuple[float, float, float, float], pad: float) -> list[Token]:
                return bands[page](box, pad, used) if page in pages and page in bands else []
            return band

        # votes by the side of the row the change stands on (right of label and score, left of
        # them, or between), so that a row laid out the other way round (a pillar heading printed
        # label, score, change over rows printed score, label, change) still finds it on the same side
        # (a row whose cell holds another number that could be its score votes not: its score may
        # still sit on its change, ``1.5`` beside ``3¹``, until the averages decide, and its
        # "change" then be its score)
        by_id = {id(t): t for ts in self.tokens_by_page.values() for t in ts}
        votes: dict[int, Counter[str]] = {}
        for b, read in placed:
            if b.kind != "indicator" or any(
                    i != id(read.score_token) and (t := by_id.get(i)) is not None and _score_like(t, False)
                    for i in self.cells.get(id(b), ())):
                continue
            opts = _change_beside(b, read, unused(b, read), boxes, st)
            if len(opts) == 1:
                votes.setdefault(b.page, Counter())[_side(next(iter(opts)), read.direction or 1)] += 1

        def order(page: int, direction: int) -> list[str]:
            v = votes.get(page, Counter())
            return sorted(_PLACEMENTS, key=lambda w: (-v[_side(w, direction)], _PLACEMENTS.index(w)))

        for rank in range(3):  # every row's first choice before any row's second
            for b, read in placed:
                if read.change_token is not None:
                    continue
                opts = _change_beside(b, read, unused(b, read), boxes, st)
                # a summary row on a page without indicator rows to say: the nearest of the
                # placements (to the score beyond or between, to the label across)
                wheres = order(b.page, read.direction or 1) if b.kind != "summary" or votes.get(b.page) else sorted(
                    _PLACEMENTS, key=lambda w: (_apart(opts[w].bbox, b.bbox if w == "opposite" else read.bbox)
                                                if w in opts else float("inf"), _PLACEMENTS.index(w)))
                change = opts.get(wheres[rank])
                if change is not None and not any(opts.get(w) is not None for w in wheres[:rank]):
                    used.update(change.ids)
                    _set_change(read, change)

    def alternatives(self, res: ScoreResult) -> dict[int, list[Token]]:
        """Each reading's other numbers that could have been its score (by ``id`` of the read), also
        counted in its ``alternatives``. A reading is unambiguous when nothing else in its cell could
        have been its score: any other number there that is not another row's score and could be a
        score (a change printed as a bare 1.5 could) makes it ambiguous."""
        scores_claimed = {id(r.score_token) for r in (*res.indicators.values(), *res.summary.values())}
        alts: dict[int, list[Token]] = {}
        position: dict[int | None, dict[int, int]] = {}  # per page, each token's place in the page's list
        for read in (*res.indicators.values(), *res.summary.values()):
            cell = self.cells.get(id(read.block), frozenset())
            summary = read.key in taxonomy.SUMMARY_IDS
            page_tokens = self.tokens_by_page.get(read.page, [])
            at = position.get(read.page)
            if at is None:
                at = position[read.page] = {id(t): k for k, t in enumerate(page_tokens)}
            in_cell = sorted((page_tokens[k] for k in sorted(at[i] for i in cell if i in at)),  # in the page's order
                             key=lambda t: t.bbox[0] if t.bbox else 0.0)
            marked = {i for m in _merge_arrows(in_cell, self.st) if m.kind == "num" and m.sign != 0 for i in m.ids}
            found = [t for t in in_cell
                     if id(t) not in scores_claimed and id(t) not in marked and _score_like(t, summary)]
            read.alternatives = len(found)
            alts[id(read)] = found
        return alts


def _in_columns(t: Token | None, columns: Sequence[tuple[int, float]], st: ScoreTableSettings) -> bool:
    """Whether token ``t`` stands in one of a page's score columns (see ``_placed_columns``): one of
    its edges (left, centre, right) within ``unread_column_slack`` sizes of the column's."""
    if t is None or t.bbox is None or not columns:
        return False
    x0, x1 = t.bbox[0], t.bbox[2]
    tol = st.unread_column_slack * max(t.size, 1.0)
    return any(abs((x0, (x0 + x1) / 2, x1)[e] - x) <= tol for e, x in columns)


#: Where a change may stand against its score and label (see ``_change_beside``), nearest first.
_PLACEMENTS = ("beyond", "between", "opposite")


def _side(placement: str, direction: int) -> str:
    """The side of the row a placement is on, for a row whose score stands on side ``direction``."""
    if placement == "between":
        return "between"
    return "right" if (placement == "beyond") == (direction > 0) else "left"


class _Candidate(NamedTuple):
    """A label's best reading while scores are placed: nearest pair first (``order``)."""

    dist: float  # from the label's edge to the score (farther on the page's other side)
    n: int  # the label's place in reading order (ties)
    block: _Block
    score: Token
    change: Token | None
    direction: int  # +1 the score right of the label, -1 left, 1 under it
    cell: frozenset[int]  # ids of the cell's tokens: a reading to redo once one of them is claimed

    @property
    def order(self) -> tuple[float, int]:
        return self.dist, self.n


def _assign(res: ScoreResult, b: _Block, score: Token, change: Token | None, used: set[int],
            direction: int, how: str, alternatives: int) -> None:
    used.update(i for t in (score, change) if t is not None for i in t.ids)
    read = ScoreRead(b.key, score.value, None, None, False, score.page or b.page, score.bbox, b.text, b.bbox,
                     how=how, alternatives=alternatives, direction=direction, block=b, score_token=score)
    if change is not None:
        _set_change(read, change)
    if b.kind == "summary":
        res.summary[b.key] = read
    else:
        res.indicators[b.key] = read
    if b.page not in res.table_pages:
        res.table_pages.append(b.page)


def _set_change(read: ScoreRead, change: Token) -> None:
    value, printed, unknown = _change_value(change)
    read.change, read.change_printed, read.change_sign_unknown = value, printed, unknown
    read.change_token = change
    read.change_unsigned = change.kind == "num" and change.sign == 0 and bool(change.value)


def _in_score_column(t: Token, columns: Counter[tuple[int, int]]) -> bool:
    if t.bbox is None:
        return False
    return any(columns[(edge, round(t.bbox[edge]) + k)] >= 2 for edge in (0, 2) for k in (-1, 0, 1))


def _score_over_page(block: _Block, next_tokens: list[Token], tokens: list[Token], blocks: list[_Block],
                     st: ScoreTableSettings, placed: Sequence[tuple[float, float, float, float]] = ()) -> Token | None:
    """The score of a label that ends its page with nothing under it, printed at the head of the
    next page (a table row broken by the page): the first number in the label's column there,
    above every label of that column; or, for the lowest label of its page when that column holds
    none, the number above the first label of the next page's first table column (the table
    flowing on from one column to the next); or, where the next page holds no label of the table
    (the broken row is the table's last), the topmost number there standing in the first score
    column of the label's page (an edge within ``column_alignment`` of one of ``placed``, the
    boxes of the scores read under their labels on that page, in its leftmost column)."""
    by1 = block.bbox[3]
    size = block.size
    reach, top = st.below_reach * size, by1 - st.below_top_slack * size
    in_column = (lambda box: _apart(block.bbox, box) <= reach)  # noqa: E731
    if any(t.page == block.page and t.bbox is not None and t.bbox[1] >= top and in_column(t.bbox)
           and not _in_others_row(block, t.bbox, blocks) for t in tokens):
        return None  # something is printed under it on its own page
    if any(o is not block and o.page == block.page and o.bbox[1] > top and in_column(o.bbox)
           for o in blocks):
        return None  # another label follows it on its page
    same_column = st.same_column * size
    tops = [o.bbox[1] for o in blocks if o.page == block.page + 1 and _apart(block.bbox, o.bbox) <= same_column]
    first = min(tops, default=float("inf"))
    beside = [o for o in blocks if o is not block and o.page == block.page
              and min(o.bbox[3], by1) - max(o.bbox[1], block.bbox[1]) > 0]  # the row's other labels
    cands = [t for t in next_tokens if t.bbox is not None and t.bbox[3] <= first and in_column(t.bbox)
             and _score_like(t, False)
             and not any(_apart(o.bbox, t.bbox) < _apart(block.bbox, t.bbox) for o in beside)]
    # (a label broken by its column, whose first part ends a column, goes on atop the next one, and a
    # label of a column left of this one is before it in the table, however low it stands)
    if cands or any(o is not block and o.page == block.page and o.bbox[1] > block.bbox[1] and not o.first_part
                    and o.bbox[2] > block.bbox[0] for o in blocks):
        return min(cands, key=lambda t: (t.bbox[1], _apart(block.bbox, t.bbox)), default=None)  # type: ignore[index]
    # the lowest label of its page, with nothing in its column at the head of the next page: the
    # table flows on in the next page's first column, whose first label's row the broken row's
    # score stands above (the number nearest above it, under no other label of that column)
    heads = [o for o in blocks if o.page == block.page + 1 and o.kind == "indicator"]
    if not heads:
        if not placed:
            return None
        first_x = min(b[0] for b in placed)
        column = [b for b in placed if b[0] - first_x <= same_column]
        tol = st.column_alignment * size
        aligned = [t for t in next_tokens if t.bbox is not None and _score_like(t, False) and any(
            abs(t.bbox[0] - b[0]) <= tol or abs(t.bbox[2] - b[2]) <= tol for b in column)]
        return min(aligned, key=lambda t: t.bbox[1], default=None)  # type: ignore[index]
    left = min(o.bbox[0] for o in heads)
    head = min((o for o in heads if o.bbox[0] - left <= same_column), key=lambda o: o.bbox[1])
    above = [t for t in next_tokens if t.bbox is not None and t.bbox[3] <= head.bbox[1]
             and _apart(head.bbox, t.bbox) <= reach and _score_like(t, False)]
    return max(above, key=lambda t: t.bbox[1], default=None)  # type: ignore[index]


def _in_others_row(block: _Block, box: tuple[float, float, float, float], blocks: list[_Block]) -> bool:
    """Whether a token's ``box`` beside the label ``block`` (not under its own width) stands in the
    row of another label of its page (their heights sharing half the token's, or more): that row's
    (a pillar heading's change at the foot of the column left of the label's)."""
    if box[2] > block.bbox[0] and box[0] < block.bbox[2]:
        return False
    half = (box[3] - box[1]) / 2
    return any(o is not block and o.page == block.page and min(o.bbox[3], box[3]) - max(o.bbox[1], box[1]) >= half
               for o in blocks)


def _apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Horizontal distance between two boxes (0 when they overlap in x)."""
    return max(0.0, max(a[0], b[0]) - min(a[2], b[2]))


def _score_below(block: _Block, tokens: list[Token], blocks: list[_Block], st: ScoreTableSettings) -> Token | None:
    """A score printed under its label (label above, numbers on the next line), before any other
    label below it (of ``tokens``: those whose top is on that line, or more)."""
    bx0, by0, bx1, by1 = block.bbox
    size = block.size
    best: tuple[tuple[int, int, float], Token] | None = None
    top_slack, line_reach, same_column = st.below_top_slack, st.below_line_reach, st.same_column * size
    reach, quantum = st.below_reach * size, st.below_line_quantum * size
    for t in tokens:
        if t.page != block.page or t.bbox is None:
            continue
        tx0, ty0, tx1, ty1 = t.bbox
        if not (by1 - top_slack * size <= ty0 <= by1 + line_reach * size) or _apart(block.bbox, t.bbox) > reach:
            continue
        if not _score_like(t, False):
            continue
        # a number set in its cell away from a short label (right-aligned, centred) is the label's
        # when no other label ends just above it nearer to it
        if any(o is not block and o.page == block.page and ty0 - line_reach * o.size <= o.bbox[3] <= ty0 + top_slack * o.size
               and _apart(o.bbox, t.bbox) < _apart(block.bbox, t.bbox) for o in blocks):
            continue
        if any(o is not block and o.page == block.page and by1 - top_slack * size < o.bbox[1] < ty0
               and _apart(o.bbox, t.bbox) < same_column for o in blocks):
            continue
        # the first line under it (a number whose top is above the label's foot, within the tolerance
        # of tight leading, is on that line, not before it), then a number standing under the
        # label's own width before one beside it (the next column's row), then the leftmost
        key = (max(0, round((ty0 - by1) / quantum)), 0 if tx1 > bx0 and tx0 < bx1 else 1, abs(tx0 - bx0))
        if best is None or key < best[0]:
            best = (key, t)
    return best[1] if best else None


def _change_beside(block: _Block, read: ScoreRead,
                   in_band: Callable[[int, tuple[float, float, float, float], float], list[Token]],
                   boxes: dict[int, _Boxes], st: ScoreTableSettings) -> dict[str, Token]:
    """Where the change of a placed score may be, by placement: ``beyond`` (on the score's row,
    past the score, up to the next label or claimed score), ``between`` (between the label and
    its score), ``opposite`` (on the label's other side, up to the next label). ``in_band(page,
    box, pad)`` gives the unclaimed tokens of a page whose middle is in the box's height (``pad`` more on
    either side); ``boxes`` holds, per page, the boxes of the labels and of the placed scores."""
    s = read.score_token
    assert s is not None and s.bbox is not None
    size = max(s.size, block.size, 1.0)
    direction = read.direction or 1
    need, run_gap, row_pad, slack = st.shared_height * size, st.change_run_gap * size, st.row_band_pad, st.edge_slack

    def run(cands: list[Token], start: float, d: int, band: tuple[float, float, float, float],
            page: int | None = None, from_label: bool = False) -> list[Token]:
        """The contiguous run of tokens from ``start`` in direction ``d`` (from the label's edge
        beside each token with ``from_label``)."""
        if not cands:
            return []
        page = page or block.page

        # the run ends at the first other label or claimed score that shares any of the band's
        # height (a label of the next table column, however its lines fall against this row)
        lo, hi = band[1], band[3]
        near = boxes[page].sharing(lo, hi) if page in boxes else []
        stops = [x for box, owner in near if owner is not block and owner is not s
                 and (box[3] if box[3] < hi else hi) - (box[1] if box[1] > lo else lo) > need
                 and ((x := box[0] if d > 0 else box[2]) - start) * d > 0]
        limit = min((abs(x - start) for x in stops), default=1e9)
        out = [t for t in cands if (t.bbox[0] - start if d > 0 else start - t.bbox[2]) < limit  # type: ignore[index]
               and (_past_label(block, t, d, st) is not None if from_label
                    else 0 <= (t.bbox[0] - start if d > 0 else start - t.bbox[2]))  # type: ignore[index]
               and not _in_label_word(block, t, st) and not _owned_on_the_way(t, start, d, page)]
        out.sort(key=lambda t: t.bbox[0] * d)  # type: ignore[index]
        cell: list[Token] = []
        for t in out:  # a contiguous run: a wide gap ends it
            if cell:
                prev = cell[-1]
                gap = (t.bbox[0] - prev.bbox[2]) if d > 0 else (prev.bbox[0] - t.bbox[2])  # type: ignore[index]
                if gap > run_gap:
                    break
            cell.append(t)
        return cell

    def _owned_on_the_way(t: Token, start: float, d: int, page: int) -> bool:
        """Whether another label or placed score stands between ``start`` and ``t`` on ``t``'s own
        line (its box holds the token's middle height): the token is that row's (a pillar heading's
        change in the next table column, level with this row's score), never this one's."""
        assert t.bbox is not None
        mid = (t.bbox[1] + t.bbox[3]) / 2
        for box, owner in boxes[page].sharing(mid, mid) if page in boxes else ():
            if owner is block or owner is s or not box[1] <= mid <= box[3]:
                continue
            if (box[0] >= start and box[2] <= t.bbox[0]) if d > 0 else (box[2] <= start and box[0] >= t.bbox[2]):
                return True
        return False

    # a row broken by the page (label at the foot, score overleaf) or by its column (the score atop
    # the next column, above the label): the change is read from the label
    over_page = s.page != block.page or (read.how == "below" and s.bbox[3] <= block.bbox[1])
    row = in_band(s.page or block.page, s.bbox, row_pad * size)
    out: dict[str, Token] = {}
    beyond = change_token(run(row, s.bbox[2] if direction > 0 else s.bbox[0], direction, s.bbox, s.page), st)
    if beyond is None and read.how == "below":  # a grid cell: the change centred on label and score
        both = block.bbox if over_page else _union(block.bbox, s.bbox)
        row = in_band(block.page, both, row_pad * size)  # type: ignore[arg-type]
        if over_page:  # the score overleaf: from the label's edge
            beyond = change_token(run(row, block.bbox[2], 1, both, from_label=True), st)  # type: ignore[arg-type]
        else:  # from the score (a label's lines may overflow its cell over the change column)
            beyond = change_token(run(row, s.bbox[2], 1, both), st)  # type: ignore[arg-type]
    if beyond is not None:
        out["beyond"] = beyond
    if read.how == "row":  # between the label and its score; on the label's other side
        edge = block.bbox[2] if direction > 0 else block.bbox[0]
        between = [t for t in row if t.bbox is not None
                   and (edge - slack <= t.bbox[0] and t.bbox[2] <= s.bbox[0] + slack if direction > 0
                        else s.bbox[2] - slack <= t.bbox[0] and t.bbox[2] <= edge + slack)]
        got = change_token(between, st) if between else None
        if got is not None:
            out["between"] = got
        other = in_band(block.page, block.bbox, row_pad * block.size)
        side = run(other, block.bbox[0] if direction > 0 else block.bbox[2], -direction, block.bbox, from_label=True)
        got = change_token(side, st) if side else None
        if got is not None:
            out["opposite"] = got
    return out


def _summary_nearby(block: _Block, tokens: list[Token], st: ScoreTableSettings) -> tuple[Token | None, Token | None]:
    """A summary score printed above or below its label (big numbers over a caption)."""
    bx0, by0, bx1, by1 = block.bbox
    size = block.size
    best: Token | None = None
    best_d = 1e9
    edge_slack, above_weight, reach, across = st.nearby_edge_slack, st.nearby_above_weight, st.nearby_reach, \
        st.nearby_across_weight
    for t in tokens:
        if not _score_like(t, True) or t.decimals < 1:  # a bare integer near a caption is a chart tick
            continue
        tx0, ty0, tx1, ty1 = t.bbox  # type: ignore[misc]
        if ty1 <= by0 + edge_slack:  # above the caption: less likely than below or level (a figure under its caption)
            dy, weight = by0 - ty1, above_weight
        elif ty0 >= by1 - edge_slack:
            dy, weight = ty0 - by1, 1.0
        else:
            dy, weight = 0.0, 1.0
        if dy > reach * max(size, t.size):
            continue
        # anywhere across the page (a figure right-aligned in the caption's box), nearer is better
        d = weight * max(dy, 0.0) + across * max(0.0, tx0 - bx1, bx0 - tx1)
        if d < best_d:
            best, best_d = t, d
    if best is None:
        return None, None
    row = [t for t in tokens if t is not best and t.bbox and abs((t.bbox[1] + t.bbox[3]) / 2 -
           (best.bbox[1] + best.bbox[3]) / 2) < st.nearby_row * best.size
           and 0 <= t.bbox[0] - best.bbox[2] < st.nearby_change_reach * best.size]
    row.sort(key=lambda t: t.bbox[0])  # type: ignore[index]
    arrows_then = [best, *row]
    _, change = interpret_cell(arrows_then, True, st)
    return best, change


def _title_candidates(page: Page) -> list[str]:
    lines = sorted(page.lines, key=lambda ln: (-ln.size, ln.baseline))
    out: list[str] = []
    for ln in lines[:8]:
        out.append(ln.text)
    return out


def _ranks_pdf(pages: list[Page], blocks: list[_Block], st: ScoreTableSettings) -> list[RankRead]:
    anchors = [b for b in blocks if b.kind == "summary" and b.key in ("criminality", "resilience")]
    out: list[RankRead] = []
    for p in pages:
        lines = sorted(p.lines, key=lambda ln: (ln.baseline, ln.x0))
        # join lines stacked in one cell so that wrapped rank phrases are read whole
        texts = _stacked_texts(lines, st)
        for text, bbox in texts:
            for rank, of, scope, area, span in parse_rank_text(text):
                metric = _nearest_metric(bbox, p.number, anchors, st)
                if metric is None:
                    continue
                out.append(RankRead(metric, scope, rank, of, area, p.number, bbox, rank_is_tie(text, span)))
    # one rank per metric and scope: the first read
    seen: set[tuple[str, str]] = set()
    uniq = []
    for r in out:
        if (r.metric, r.scope) in seen:
            continue
        seen.add((r.metric, r.scope))
        uniq.append(r)
    return uniq


_RANK_START = regex.compile(r"\d+\s*(?:st|nd|rd|th)\s*=?\s*of")


def _stacked_texts(lines: list[Line], st: ScoreTableSettings) -> list[tuple[str, tuple[float, float, float, float]]]:
    out: list[tuple[str, tuple[float, float, float, float]]] = []
    used: set[int] = set()
    line_gap, indent = st.rank_line_gap, st.rank_indent
    for i, ln in enumerate(lines):
        if i in used:
            continue
        group = [ln]
        used.add(i)
        cur = ln
        for j in range(i + 1, len(lines)):
            if j in used:
                continue
            nx = lines[j]
            if nx.y0 - cur.y1 > line_gap * cur.size:
                break
            if abs(nx.x0 - cur.x0) < indent * cur.size and 0 <= nx.y0 - cur.y1 <= line_gap * cur.size \
                    and not _RANK_START.search(nx.text):
                group.append(nx)
                used.add(j)
                cur = nx
        text = " ".join(g.text for g in group)
        bbox = (min(g.x0 for g in group), min(g.y0 for g in group), max(g.x1 for g in group), max(g.y1 for g in group))
        out.append((text, bbox))
    return out


def _nearest_metric(bbox: tuple[float, float, float, float], page: int, anchors: list[_Block],
                    st: ScoreTableSettings) -> str | None:
    """The metric a rank line belongs to: the caption nearest above it in its own column (a box's
    rank lines follow its caption, also where two boxes stand one above the other and the next box's
    caption is nearer below), else the caption nearest by the weighted distance."""
    above = [(bbox[1] - a.bbox[3], a.key) for a in anchors if a.page == page
             and a.bbox[3] <= bbox[1] + st.rank_above_slack * a.size
             and min(a.bbox[2], bbox[2]) - max(a.bbox[0], bbox[0]) > 0]
    if above:
        return min(above)[1]
    best: tuple[float, str] | None = None
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    for a in anchors:
        if a.page != page:
            continue
        ax0, ay0, ax1, ay1 = a.bbox
        acx, acy = (ax0 + ax1) / 2, (ay0 + ay1) / 2
        dy = cy - acy
        d = abs(cx - acx) * st.metric_across_weight + (dy if dy >= 0 else -st.metric_above_weight * dy)
        if best is None or d < best[0]:
            best = (d, a.key)
    return best[1] if best else None


# ------------------------------------------------------------------------------------------------
# Text mode
# ------------------------------------------------------------------------------------------------

_TORN = regex.compile(r"(?<=\d)\.\s+(?=\d\b)")


def _text_groups(line: str, order_base: int) -> list[tuple[str, list]]:
    """Split one text line into alternating groups: ("label", words) and ("nums", tokens)."""
    line = _TORN.sub(".", line)
    groups: list[tuple[str, list]] = []
    words: list[str] = []
    split = regex.split(r"\s+", line.strip())
    k = 0
    while k < len(split):
        w = split[k]
        n = _decoration_words(split, k) if _has_digit(w) else 0
        if n:  # a number and its decoration printed apart (``6.5 / 10``): one token, as printed
            words.append(" ".join(split[k:k + n + 1]))
            k += n + 1
            continue
        glued = split_glued(w) if parse_token(w) is None else None
        words.extend(glued if glued else (w,))
        k += 1
    for i, w in enumerate(words):
        if not w:
            continue
        t = parse_token(w)
        if t is not None:
            t.order = order_base + i
            kind, item = "nums", t
        elif any(c.isalpha() for c in w) or w in ("&", "-", "–"):
            kind, item = "label", w
        else:
            continue
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(item)
        else:
            groups.append((kind, [item]))
    return groups


def _text_pairs(groups: list[tuple[str, list]], label_first: bool) -> list[tuple[str, list[Token]]]:
    """(label text, cell tokens) pairs of one line, in the document's orientation."""
    pairs: list[tuple[str, list[Token]]] = []
    for k, (kind, items) in enumerate(groups):
        if kind != "label":
            continue
        j = k + 1 if label_first else k - 1
        cell = groups[j][1] if 0 <= j < len(groups) and groups[j][0] == "nums" else []
        pairs.append((" ".join(items), cell))
    return pairs


def _read_line_rows(groups: list[list[tuple[str, list]]], label_first: bool, st: ScoreTableSettings) -> ScoreResult:
    """Rows read line by line: each line holds one or more label/number cells. A label's numbers
    are those on its own line; a summary score may also stand alone on the line right above or
    below its label (a headline figure over or under its caption), when only one such line exists."""
    res = ScoreResult()
    pending = ""  # an unmatched label line without numbers: the first line of a wrapped label

    def numbers_only(j: int) -> list[Token] | None:
        if not (0 <= j < len(groups)) or not groups[j] or any(kind == "label" for kind, _ in groups[j]):
            return None
        return [t for _, items in groups[j] for t in items]

    slots = _row_slots(groups, label_first, st)
    for i, g in enumerate(groups):
        for label, cell in _text_pairs(g, label_first):
            m = _match_label(label)
            if pending:
                joined = _match_label(pending + " " + label)
                if joined and (m is None or joined[1] > m[1]):
                    m, label = joined, pending + " " + label
            if m and m[0] not in res.indicators:
                extra = _extra_word(label, m, label_first, st)
                if extra is not None and slots is not None and len(cell) + 1 == slots:
                    # a word in the score's place of a row like the others, that is no part of the
                    # label: a token not understood, and the numbers after it are not the score
                    res.unread.setdefault(m[0], UnreadCell(m[0], extra))
                    continue
            if m and cell:
                score, change = interpret_cell(cell, False, st)
                if score is not None and m[0] not in res.indicators:
                    res.indicators[m[0]] = _text_read(m[0], score, change, label, "line",
                                                      _alternatives(cell, score, False))
                    continue
                if score is None and (bad := unread_score(cell, False, st)) is not None:
                    res.unread.setdefault(m[0], UnreadCell(m[0], bad.text, bad.note))
                    continue
            sm = _match_summary(label, st)
            if sm and sm[0] not in res.summary:
                how = "line"
                if not cell:  # a figure alone on the line above or below, if exactly one side has one
                    sides = [c for c in (numbers_only(_neighbour(groups, i, -1)), numbers_only(_neighbour(groups, i, 1)))
                             if c and interpret_cell(c, True, st)[0] is not None]
                    cell, how = (sides[0], "stream") if len(sides) == 1 else ([], how)
                score, change = interpret_cell(cell, True, st)
                if score is not None:
                    res.summary[sm[0]] = _text_read(sm[0], score, change, label, how,
                                                    _alternatives(cell, score, True))
                elif (bad := unread_score(cell, True, st)) is not None:
                    res.unread.setdefault(sm[0], UnreadCell(sm[0], bad.text, bad.note))
        pending = " ".join(g[0][1]) if len(g) == 1 and g[0][0] == "label" else ""
    for key in [*res.indicators, *res.summary]:
        res.unread.pop(key, None)
    return res


#: Words a table may print after a label that are no token of its score (a new indicator's mark).
_ROW_MARKS = frozenset({"new", "(new)", "na", "n/a", "*"})


def _extra_word(label: str, match: tuple[str, float], label_first: bool, st: ScoreTableSettings) -> str | None:
    """The word at the label's number end (its last word when the numbers follow the label) when it
    is no part of the label: the label without it names the same indicator, more closely, and as
    closely as ``unread_label_similarity`` asks (a torn label's last piece, ``DETENTI ON``, is part
    of it: without it the label is no longer whole)."""
    words = label.split()
    if len(words) < 2:
        return None
    extra, rest = (words[-1], words[:-1]) if label_first else (words[0], words[1:])
    if extra.lower() in _ROW_MARKS or len(extra) > 16:
        return None
    without = _match_label(" ".join(rest))
    return extra if (without is not None and without[0] == match[0] and without[1] > match[1]
                     and without[1] >= st.unread_label_similarity) else None


def _row_slots(groups: list[list[tuple[str, list]]], label_first: bool, st: ScoreTableSettings) -> int | None:
    """How many tokens the indicator rows printed on one line hold after their label (the most
    common count among rows whose score is read; None without three such rows)."""
    counts: Counter[int] = Counter()
    for g in groups:
        for label, cell in _text_pairs(g, label_first):
            if cell and _match_label(label) is not None and interpret_cell(cell, False, st)[0] is not None:
                counts[len(cell)] += 1
    if sum(counts.values()) < 3:
        return None
    return counts.most_common(1)[0][0]


def _text_read(key: str, score: Token, change: Token | None, label: str, how: str, alternatives: int) -> ScoreRead:
    read = ScoreRead(key, score.value, None, None, False, label_text=label, how=how, alternatives=alternatives,
                     score_token=score)
    if change is not None:
        _set_change(read, change)
    return read


def _neighbour(groups: list[list[tuple[str, list]]], i: int, step: int) -> int:
    """The next non-blank line from ``i`` in direction ``step``."""
    j = i + step
    while 0 <= j < len(groups) and not groups[j]:
        j += step
    return j


def _alternatives(cell: Sequence[Token], score: Token, summary: bool) -> int:
    return sum(1 for t in cell if t is not score and _score_like(t, summary))


def _shared(items: list[tuple[str, object]], j: int, label_first: bool) -> bool:
    """Whether the numbers-only item ``j``, taken by the label on one side, could as well belong to
    the label on its other side: a label-only line there with no numbers-only line of its own on
    its far side."""
    k = j + 1 if label_first else j - 1
    if not (0 <= k < len(items)) or items[k][0] != "label":
        return False
    key, kind, _text, _line, has_nums = items[k][1]  # type: ignore[misc]
    if key is None or has_nums or kind != "indicator":  # a pillar heading without numbers is a heading
        return False
    far = k + 1 if label_first else k - 1
    nxt = k + 1
    if nxt < len(items) and items[nxt][0] == "label" and items[nxt][1][0] == key:  # type: ignore[index]
        return False  # a group heading that repeats its one indicator's label (a group of one market)
    return not (0 <= far < len(items) and items[far][0] == "nums" and not items[far][1][2])  # type: ignore[index]


def _read_stream_rows(groups: list[list[tuple[str, list]]], label_first: bool, st: ScoreTableSettings) -> ScoreResult:
    """Rows read as one stream, for extractors that put every cell on its own line: label lines
    are joined into labels (one to four lines), each label paired with the numbers next to it. A
    label line is paired with a line of numbers only when neither holds anything of the other
    kind: numbers on a label's own line are that label's, never its neighbour's."""
    # ("label", (key, kind, text, line, line_has_nums)) | ("nums", ([tokens], line, line_has_label))
    items: list[tuple[str, object]] = []
    lines_run: list[tuple[str, int, bool]] = []

    def flush() -> None:
        k = 0
        while k < len(lines_run):
            for n in (4, 3, 2, 1):
                part = lines_run[k:k + n]
                text = " ".join(t for t, _, _ in part)
                if len(part) < n or len(text) > st.max_label_chars:
                    continue
                m = _match_label(text)
                sm = _match_summary(text, st) if m is None else None
                if m or sm:
                    line, has_nums = part[-1][1], any(h for _, _, h in part)
                    items.append(("label", (m[0], "indicator", text, line, has_nums) if m  # type: ignore[index]
                                  else (sm[0], "summary", text, line, has_nums)))  # type: ignore[index]
                    k += n
                    break
            else:
                items.append(("label", (None, "junk", lines_run[k][0], lines_run[k][1], lines_run[k][2])))
                k += 1
        lines_run.clear()

    for line_no, g in enumerate(groups):
        has_nums = any(kind == "nums" for kind, _ in g)
        has_label = any(kind == "label" for kind, _ in g)
        for kind, vals in g:
            if kind == "label":
                lines_run.append((" ".join(vals), line_no, has_nums))
            else:
                flush()
                prev = items[-1][1] if items and items[-1][0] == "nums" else None
                # numbers of one line, or of consecutive lines that hold nothing else (a cell a line)
                if prev is not None and (prev[1] == line_no or (not has_label and not prev[2])):  # type: ignore[index]
                    prev[0].extend(vals)  # type: ignore[index]
                else:
                    items.append(("nums", (list(vals), line_no, has_label)))
    flush()
    res = ScoreResult()
    slots = _row_slots(groups, label_first, st)
    for k, (kind, val) in enumerate(items):
        if kind != "label":
            continue
        key, lkind, text, line, label_has_nums = val  # type: ignore[misc]
        if key is None:
            continue
        j = k + 1 if label_first else k - 1
        if not (0 <= j < len(items)) or items[j][0] != "nums":
            continue
        cell, nline, nums_have_label = items[j][1]  # type: ignore[misc]
        if nline != line and (label_has_nums or nums_have_label):
            continue
        if nline != line and _shared(items, j, label_first):
            continue  # the numbers could as well be the other neighbour's: neither gets them
        if lkind == "indicator" and nline == line and slots is not None and len(cell) + 1 == slots \
                and (extra := _extra_word(text, (key, _match_label(text)[1]), label_first, st)) is not None:  # type: ignore[index]
            res.unread.setdefault(key, UnreadCell(key, extra))  # a word in the score's place (see _read_line_rows)
            continue
        score, change = interpret_cell(cell, lkind == "summary", st)  # type: ignore[arg-type]
        if score is None:
            if (bad := unread_score(cell, lkind == "summary", st)) is not None:  # type: ignore[arg-type]
                res.unread.setdefault(key, UnreadCell(key, bad.text, bad.note))
            continue
        target = res.summary if lkind == "summary" else res.indicators
        if key not in target:
            target[key] = _text_read(key, score, change, text, "line" if nline == line else "stream",
                                     _alternatives(cell, score, lkind == "summary"))
    return res


def _consistency(res: ScoreResult) -> tuple[int, int]:
    """(arithmetic agreement, indicators found): printed pillar averages that the indicator scores
    reproduce count +1, those they contradict -1."""
    checks = _average_checks(res)
    return sum(checks) - (len(checks) - sum(checks)), len(res.indicators) + len(res.unread)


def parse_text(text: str, family: str | None = None, year: int | None = None,
               country: str | None = None, *, settings: ScoreTableSettings | None = None) -> ScoreResult:
    """Read score rows, summary scores, ranks and metadata from already-extracted text: tab- or
    space-separated rows with one or several cells per line, labels wrapped onto a second line,
    numbers after or before their labels, or every cell on its own line. Of the readings, the one
    whose indicator scores reproduce the printed averages (then: finds the most) wins.
    ``settings``: the thresholds (:data:`DEFAULT_SETTINGS` when None)."""
    st = DEFAULT_SETTINGS if settings is None else settings
    lines = _without_chart_ticks(text.splitlines(), st)
    narrative_start = _narrative_start(lines, st)
    groups = [_text_groups(ln, i * 100) for i, ln in enumerate(lines[:narrative_start])]
    readings = [reader(groups, first, st) for reader in (_read_line_rows, _read_stream_rows) for first in (True, False)]
    res = max(readings, key=_consistency)
    for other in readings:  # summary scores found by one reading only
        for k, v in other.summary.items():
            res.summary.setdefault(k, v)
    for k in [*res.indicators, *res.summary]:
        res.unread.pop(k, None)
    _resolve_unsigned(res, st, (), (t for g in groups for kind, items in g if kind == "nums" for t in items))
    head = "\n".join(lines[:narrative_start])
    ranks = parse_rank_text(head)
    metric_pos = [(m.start(), k) for k in ("criminality", "resilience")
                  for m in regex.finditer(k, head, regex.IGNORECASE)]
    for rank, of, scope, area, span in ranks:
        before = [k for pos, k in metric_pos if pos <= span[0]]
        metric = before[-1] if before else (metric_pos[0][1] if metric_pos else None)
        if metric and not any(r.metric == metric and r.scope == scope for r in res.ranks):
            res.ranks.append(RankRead(metric, scope, rank, of, area, tie=rank_is_tie(head, span)))
    res.family = family or detect_family(text)
    res.year = year or detect_year(head, res.family) or detect_year(text, res.family)
    res.country = country or detect_country([ln for ln in lines[:5] if ln.strip()], text)
    return res


_TICK = regex.compile(r"^\s*(\d{1,3})\s*$")
_YEARS = regex.compile(r"^\s*(?:(?:19|20)\d\d\s+){1,8}(?:(?:19|20)\d{0,2})?\s*$")


def _without_chart_ticks(lines: list[str], st: ScoreTableSettings) -> list[str]:
    """A chart's residue blanked: three or more lines in a row (``chart_tick_lines``) each holding
    one integer, in strictly falling or rising order (axis ticks ``10``, ``5``, ``0``), and lines of
    years only. A lone integer line is kept (a score printed alone on its line)."""
    out = list(lines)
    i = 0
    while i < len(out):
        j = i
        vals: list[int] = []
        while j < len(out) and (m := _TICK.match(out[j])):
            vals.append(int(m.group(1)))
            j += 1
        steps = list(zip(vals, vals[1:], strict=False))
        if len(vals) >= st.chart_tick_lines and (all(a > b for a, b in steps) or all(a < b for a, b in steps)):
            for k in range(i, j):
                out[k] = ""
        i = max(j, i + 1)
    return ["" if _YEARS.match(ln) else ln for ln in out]


def _narrative_start(lines: list[str], st: ScoreTableSettings) -> int:
    """Index of the first narrative line (a long prose line); score rows come before it."""
    chars, spaces = st.narrative_chars, st.narrative_spaces
    return narrative_start(len(lines), None, None, lambda i: len(lines[i]) > chars and lines[i].count(" ") > spaces,
                           len(lines))
