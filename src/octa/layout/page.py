"""The page model, what every reader of the layout consumes, whatever the engine.

* :class:`Char` — one glyph with its box, baseline, font and size;
* :class:`Word` — glyphs joined where the gap between them is smaller than a space at that size
  (so kerning and tracking gaps do not split words), with overprinted duplicates dropped;
* :class:`Line` — words on one baseline, split where a gap is wide enough to be a column or cell
  boundary (so two columns never merge into one line);
* :class:`Rect` — filled rectangles (score bars, backgrounds); :class:`Icon` — an up or down shape;
* :class:`Page`, :class:`Document`.

Coordinates are PDF points with the origin at the top left of the page; pages are 1-based. Also
here: the code points read for what they draw (:data:`AS_DRAWN`), those that are no text
(:data:`NOT_TEXT`), the mark of glyphs cut off (:data:`CLIPPED`) and the font-name tests. Imports
nothing of octa: the engines build this model, the cleaner and parsers read it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Characters a text layer may carry that are not text (the one definition: the cleaner's control
#: characters are these and the whitespace controls): C0/C1 controls other than whitespace, bidi
#: embeddings, overrides, isolates and marks, zero-width spaces, non-joiners and joiners (no script of
#: the profiles needs them), the word joiner and invisible operators, the BOM, interlinear annotation
#: marks. A hostile (or broken) producer can hide them inside words and numbers; they are dropped on
#: load. Soft hyphens are kept (the cleaner removes them, recorded).
NOT_TEXT = frozenset(
    [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if not chr(c).isspace()]
    + ["\u061c", *map(chr, range(0x200B, 0x2010)), *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2060, 0x2065)),
       *map(chr, range(0x2066, 0x2070)), "\ufeff", "\ufff9", "\ufffa", "\ufffb"]
)
assert all(unicodedata.category(c) in ("Cc", "Cf") for c in NOT_TEXT)

#: Code points read for what their glyph draws, whatever the font's mapping says (one table for both
#: engines, and for the cleaner's text mode): the ligatures U+FB00–FB06 as their letters, the hyphens
#: U+2010 and U+2011 as ``-``, the no-break, figure and narrow no-break spaces as a space, fullwidth
#: digits as digits. A soft hyphen (U+00AD) drawn with an advance is a hyphen too (``state-embedded``:
#: a font whose text layer maps its visible hyphen to U+00AD); that needs its box, and is decided where
#: words are made (:func:`_drawn_hyphens`). Words of symbol and icon fonts are not mapped: their code
#: points name pictures (Symbol's arrowdown decodes as U+FB02).
AS_DRAWN: dict[str, str] = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
    "\ufb06": "st", "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u2007": " ", "\u202f": " ",
    **{chr(0xFF10 + d): str(d) for d in range(10)},
}
_AS_DRAWN_TABLE = str.maketrans(AS_DRAWN)
_DRAWN_KEYS = frozenset(AS_DRAWN)
SOFT_HYPHEN = "\u00ad"


def as_drawn(text: str) -> str:
    """``text`` with the code points of :data:`AS_DRAWN` read for what they draw."""
    return text.translate(_AS_DRAWN_TABLE) if not _DRAWN_KEYS.isdisjoint(text) else text


@dataclass(frozen=True, slots=True)
class Char:
    c: str
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float
    font: str
    size: float


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float
    font: str
    size: float
    page: int
    joined_gaps: int = 0  # gaps wider than a tight letter gap that were joined (tracking, kerning)
    #: the word as a reader cutting at every gap as wide as a space would have it (``exploi tation``),
    #: when the layout joined such a gap; "" otherwise (recorded by the cleaner as ``kerning_gap``)
    gapped: str = ""
    #: glyphs of more than one font (a fallback font's glyph inside the word: ``font`` is the most frequent)
    mixed: bool = False

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def bold(self) -> bool:
        return is_bold_font(self.font)


@dataclass(slots=True)
class Line:
    """Words on one baseline. Its text, box, baseline and size are plain attributes, computed when
    the line is made (read many times over by every parser; a property's call costs more than the
    value): ``words`` is not to be changed after the line is made (make a new Line instead). A line
    of no words has its text ("") and no box."""

    words: list[Word]
    page: int
    text: str = field(init=False, repr=False, compare=False)
    x0: float = field(init=False, repr=False, compare=False)
    y0: float = field(init=False, repr=False, compare=False)
    x1: float = field(init=False, repr=False, compare=False)
    y1: float = field(init=False, repr=False, compare=False)
    size: float = field(init=False, repr=False, compare=False)
    baseline: float = field(init=False, repr=False, compare=False)
    _median_size: float | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ws = self.words
        self.text = " ".join([w.text for w in ws])
        if ws:
            if len(ws) == 1:
                w = ws[0]
                self.x0, self.y0, self.x1, self.y1, self.size, self.baseline = w.x0, w.y0, w.x1, w.y1, w.size, \
                    w.baseline
            else:
                self.x0 = min([w.x0 for w in ws])
                self.y0 = min([w.y0 for w in ws])
                self.x1 = max([w.x1 for w in ws])
                self.y1 = max([w.y1 for w in ws])
                self.size = max([w.size for w in ws])
                self.baseline = median([w.baseline for w in ws])

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def median_size(self) -> float:
        """The median of its words' sizes (the cleaner's size of a line)."""
        m = self._median_size
        if m is None:
            m = self._median_size = median([w.size for w in self.words])
        return m

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass(frozen=True, slots=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float
    fill: tuple[float, ...] | None

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class Icon:
    """A small figure that points up or down (a triangle or an arrow): the direction of a change
    printed without a sign. ``direction`` is +1 (up) or -1 (down). ``source``: how it is drawn,
    ``path`` (vector paths: read by their outline, :func:`icon_direction`, or where the outline says
    nothing, from their ink), ``image`` (a raster image) or ``glyph`` (a glyph of a font, whatever its
    code point; taken out of the text layer: ``text`` and ``font`` say what the text layer had).
    Ink is read from the figure's box rendered once (:func:`octa.ink.ink_direction`); the box is then
    the ink's."""

    x0: float
    y0: float
    x1: float
    y1: float
    direction: int
    source: str = "path"
    text: str = ""
    font: str = ""


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    rects: list[Rect]
    words: list[Word] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    overprints: list[str] = field(default_factory=list)  # texts of dropped duplicate glyph runs
    images: int = 0
    icons: list[Icon] = field(default_factory=list)  # up/down shapes (directions of unsigned changes)
    deduped: bool = False  # overprints already removed by the engine loader
    built: bool = False  # words and lines already filled by the engine loader


@dataclass(slots=True)
class Document:
    path: str
    sha256: str
    engine: str
    pages: list[Page]
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return Path(self.path).name


#: What stands for the glyphs of a word that a clip path cuts off (a table wider than its page's
#: clip: ``▼0`` of a change ``▼0.5`` half drawn, the rest not drawn at all): the word reads as cut
#: (``0…``), so that no number is read from what is left of it.
CLIPPED = "\u2026"
_SYMBOL_CACHE: dict[str, bool] = {}
_BOLD_CACHE: dict[str, bool] = {}


def is_bold_font(font: str) -> bool:
    """A bold (black, heavy) face, by its name."""
    known = _BOLD_CACHE.get(font)
    if known is None:
        f = font.lower()
        # (PyMuPDF cuts long names: ``LiberationSansNarrow-Bol``)
        known = "bold" in f or "black" in f or "heavy" in f or f.endswith(("-bd", "-bol", "-bo")) or ",bold" in f
        if len(_BOLD_CACHE) > 4096:  # a hostile file with endless font names must not grow it
            _BOLD_CACHE.clear()
        _BOLD_CACHE[font] = known
    return known


def median(values: Sequence[float]) -> float:
    """:func:`statistics.median` (same result) without its generality, for the short lists of a page."""
    data = sorted(values)
    n = len(data)
    if not n:
        raise ValueError("no median for empty data")
    i = n // 2
    return data[i] if n % 2 else (data[i - 1] + data[i]) / 2


_FONT_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def is_symbol_font(font: str) -> bool:
    """Fonts whose glyphs are pictures (arrows, bullets), not letters: their decoded characters
    mean nothing as text and must be interpreted by their font."""
    known = _SYMBOL_CACHE.get(font)
    if known is not None:
        return known
    # by the words of the name (``ZapfDingbats``, ``MaterialIcons``, ``Arrows-Regular``), never by a
    # substring of one (``LiberationSansNarrow`` is no arrow font)
    name = font.split("+", 1)[-1]
    words = [w.lower() for w in _FONT_WORDS.findall(name)]
    known = "fontawesome" in name.lower() or any(
        w.startswith(("symbol", "dingbat", "wingding", "webding", "arrow", "icon")) for w in words)
    if len(_SYMBOL_CACHE) > 4096:  # a hostile file with endless font names must not grow it
        _SYMBOL_CACHE.clear()
    _SYMBOL_CACHE[font] = known
    return known
