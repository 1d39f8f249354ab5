"""Stage 1, tokens and numbers: a word's text → a :class:`Token` (a number with its sign, arrow or
decoration, ``n/a``, an arrow alone, a sign set apart, or a token not understood and why); a cell's
tokens → its score and its change.

Takes text only (a word as printed, or the tokens of one cell, in reading order outward from the
label); gives :func:`parse_token` (and its cached reading, ``_token_reading``), :func:`split_glued`
(a score and its change printed without a space), :func:`decorated_number`, :func:`interpret_cell`,
:func:`unread_score` and :func:`change_token`, and the tests later stages ask of a token
(``_score_like``, ``_change_like``, ``_bracketed``). The glyph sets say what an arrow means. Both
modes, PDF and text, read their cells here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import regex

from octa.layout.page import CLIPPED
from octa.parse.settings import DEFAULT_SETTINGS, ScoreTableSettings
from octa.scoring import SCORE_GRID, exact

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


#: A decimal digit (what a number token is made of; see ``_NUM``): a quick test of a whole line or
#: word. (Other digits, ``²``, make no number, so no number in prose either.)
_DIGIT_CHAR = regex.compile(r"\d")


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds a decimal digit."""
    return _DIGIT_CHAR.search(text) is not None


# The same words and label texts recur on every page and in every profile: their readings are
# pure functions of the text, kept in bounded caches. The label matches see many texts that occur
# once (a country's own words): a small cache keeps the recurring ones and fills within the first
# hundred profiles, so a worker's memory does not creep up over a long batch.
_CACHE = 1 << 14
_LABEL_CACHE = 1 << 12


@lru_cache(maxsize=_CACHE)
def _token_reading(text: str) -> tuple[str, str, Fraction | None, int | None, int, bool, str] | None:
    t = parse_token(text)
    return None if t is None else (t.text, t.kind, t.value, t.sign, t.decimals, t.decorated, t.note)


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
