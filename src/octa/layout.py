"""The layout layer: the only module that touches a PDF library.

It turns a PDF into positioned text, the same page model whatever the engine:

* :class:`Char` — one glyph with its box, baseline, font and size;
* :class:`Word` — glyphs joined where the gap between them is smaller than a space at that size
  (so kerning and tracking gaps do not split words), with overprinted duplicates dropped;
* :class:`Line` — words on one baseline, split where a gap is wide enough to be a column or cell
  boundary (so two columns never merge into one line);
* :class:`Rect` — filled rectangles (score bars, backgrounds).

Coordinates are PDF points with the origin at the top left of the page; pages are 1-based.
Engines: ``pymupdf`` (default, fast) and ``pdfplumber`` (pdfminer-based, a second opinion).
Bad input raises an :class:`octa.errors.OctaError` subclass naming the reason.
"""

from __future__ import annotations

import gc
import hashlib
import operator
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from math import inf
from pathlib import Path
from typing import Any

from octa.errors import CorruptFile, EmptyFile, EncryptedFile, NoTextLayer, TooLarge, UnsupportedInput

ENGINES: tuple[str, ...] = ("pymupdf", "pdfplumber")

#: Default page cap: profiles have 3–8 pages; anything far longer is not a profile.
DEFAULT_MAX_PAGES = 200
#: Largest page side accepted, in points (PDF's own limit is 14,400 pt = 200 in).
MAX_PAGE_SIDE = 14400.0
#: Largest input file accepted, in bytes.
MAX_FILE_BYTES = 200 * 1024 * 1024


def documented(default: Any, doc: str) -> Any:
    """A settings field with its default and its documentation (``metadata["doc"]``): the fields of
    :class:`LayoutSettings` and of the score parser's ``ScoreTableSettings``."""
    return field(default=default, metadata={"doc": doc})


_doc = documented


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    """The geometric thresholds of the layout layer, one field each, passed down from :func:`load`
    (or :func:`build_words_and_lines`) to every rule that uses one, the way pdfplumber passes its
    ``TableSettings``. "× size" fields are multiples of the font size (of the larger of the two glyphs
    compared, unless the doc says otherwise); "pt" fields are PDF points. The defaults are the values
    every output of the project was made with; ``dataclasses.replace(DEFAULT_SETTINGS, word_gap=...)``
    makes a variant. Each field's ``metadata["doc"]`` says what it decides."""

    # words: the word-break rule (:func:`_gap_verdict`, :func:`_glyph_break`)
    word_gap: float = _doc(0.12, "× size: a gap between two glyphs wider than the row's tight letter gap plus "
                                 "this separates words")
    tight_gap: float = _doc(0.08, "× size: a gap wider than this is more than a tight letter gap: right after a "
                                  "space glyph it separates words; otherwise, when it joins, it is counted as a "
                                  "joined gap (tracking, kerning: Word.joined_gaps)")
    space_gap: float = _doc(0.25, "× size (in the fast path of whole runs: of the later glyph): a joined gap at "
                                  "least this wide is one a reader cutting at spaces' width would have cut "
                                  "(Word.gapped, recorded as kerning_gap)")
    letter_gap_max: float = _doc(0.5, "× size of the row's first glyph: the row's tight letter gap (the lower "
                                      "quartile of its glyph gaps, raised by tracking) is taken at most this wide")
    tracking_gaps: int = _doc(3, "letter gaps: a stretch of one font and size (no gap in it wider than "
                                 "letter_gap_max) with at least this many gaps between neighbouring letters has "
                                 "its own tight letter gap when wider than its row's (a letter-spaced label in a "
                                 "row of untracked cells)")
    size_change: float = _doc(0.3, "× size: glyphs whose sizes differ by more than this are in different words "
                                   "(except at a ligature drawn from a fallback font)")
    collision: float = _doc(0.08, "× size: a letter and a digit of one text run, or two digits, whose "
                                  "boxes overlap by more than this run into each other (two texts, not kerning) "
                                  "and are split")
    space_min_width: float = _doc(0.05, "× size of the blank: a blank glyph at most this wide is no space (a "
                                        "browser's soft hyphen drawn as a space with no advance)")
    # lines and rows
    line_gap: float = _doc(1.0, "× size: a gap between two words wider than this separates line segments "
                                "(cells, columns)")
    baseline_tol: float = _doc(0.25, "× size: glyphs whose baselines differ by at most this share a row")
    overlaid_baselines: float = _doc(0.1, "× size: glyphs drawn over one another whose baselines are further "
                                          "apart than this are two texts (a label overflowing onto a number), "
                                          "read one baseline at a time")
    overlay_fraction: float = _doc(0.25, "× width of the narrower glyph: a glyph starting more than this before "
                                         "the right edge of the previous one (in x order), from another baseline, "
                                         "is drawn over it")
    layer_overlap: float = _doc(0.05, "× size of the later run: when a run of figures is drawn over letters, a run "
                                      "starting at most this before the end of a layer's last run joins that layer "
                                      "(else it starts another)")
    # glyphs as the engines give them
    overprint_tol: float = _doc(1.0, "pt: a glyph drawn again within this of itself (in x and baseline) is an "
                                     "overprint (fake bold, producer duplicates), kept once; a whole MuPDF text "
                                     "run, when its origin falls in the same or a neighbouring cell of a grid of "
                                     "this step")
    no_advance: float = _doc(0.01, "pt: a blank or non-text glyph whose next glyph starts within this of its "
                                   "origin has no advance and is dropped")
    hyphen_advance: float = _doc(0.15, "× size: a soft hyphen (U+00AD) drawn with at least this advance (to the "
                                       "next glyph of its word, or its own width at a word's end) is a drawn "
                                       "hyphen, read as '-'; with less it is an invisible break point")
    rotation_tol: float = _doc(0.01, "sine of the angle: text whose direction leaves the horizontal by more "
                                     "than this (or runs right to left) is rotated decoration, skipped")
    axis_tol: float = _doc(0.01, "pt: a path of 3-5 lines, each with ends this close in x or in y, is an "
                                 "axis-aligned box (a filled rectangle)")
    # icons (arrows and triangles giving the direction of a change)
    icon_max: float = _doc(16.0, "pt: largest side of an icon; larger shapes are charts, logos or decoration")
    icon_covered: float = _doc(0.25, "× the icon glyph's box: glyphs of other texts whose boxes cover this much of "
                                     "it, together, make its ink unreadable (the lines of a label overflowing "
                                     "its cell over a change's arrow)")
    icon_point_tol: float = _doc(0.05, "pt: consecutive outline points this close are one vertex")
    icon_max_vertices: int = _doc(12, "count: a shape with more distinct vertices than this (a circle) is no icon")
    icon_min_side: float = _doc(0.2, "pt: a shape this narrow or this flat is a line, no icon")
    icon_tip_tol: float = _doc(0.08, "× the shape's height: vertices this close to its top (bottom) are at "
                                     "its top (bottom); a single one there is a tip")
    icon_barb_zone: float = _doc(0.1, "× the shape's width: vertices this close to its left or right side are "
                                      "the barbs of a line arrow")
    icon_barb_band: float = _doc(0.4, "× the shape's height: a line arrow's barbs whose mean height is within "
                                      "this of its top point up, within this of its bottom point down")
    # icons read from their ink (images, glyphs): see octa.ink
    icon_render_px: float = _doc(40.0, "px: an icon's box (a small image, a glyph) is rendered once, at the zoom "
                                       "that makes its longer side this many pixels, and its ink read")
    clip_cut: float = _doc(0.25, "× glyph width: a glyph that a clip box's edge leaves this much of outside (and "
                                 "more than clip_slack) is cut off (read as the mark of a cut, not as its letter)")
    clip_slack: float = _doc(0.12, "× size: a glyph's box may stand out of a clip box's edge by this much and still "
                                   "be drawn whole (its side bearing and a letter spacing are no ink)")
    icon_renders: int = _doc(400, "count: at most this many icon boxes are rendered on one page (a hostile page "
                                  "of thousands of tiny images or icon glyphs); the rest are read as no icon")
    icon_glyph_reach: float = _doc(2.0, "× size: a glyph that may be an icon (of a symbol or icon font, or a "
                                        "code point that is not text beside a number: an arrow, a shape, a "
                                        "comparison sign, a Private Use Area point, an Arabic letter on a Latin "
                                        "page) is read as one when a digit on its baseline is at most this far")
    icon_tip_ratio: float = _doc(0.4, "ratio: an end of a rendered figure whose slices are at most this × as "
                                      "wide as the slices a quarter to a third of the way in narrows to a point "
                                      "(a tip: a triangle's apex, an arrow's head; a base or a shaft ends flat)")
    icon_tip_px: float = _doc(2.0, "px: the allowance of ``icon_tip_ratio`` for a small figure's apex, which keeps "
                                   "a couple of pixels of width (anti-aliasing, an enlarged image's steps); an "
                                   "end at most 0.6 × as wide as the slices further in is still required")
    icon_axis_tol: float = _doc(0.25, "× the widest slice of a rendered figure: a tip's middle stands at most "
                                      "this far from the figure's axis (else no tip: the point of a ``≥``)")
    icon_diagonal: float = _doc(1.5, "ratio: a rendered figure whose ink spreads this many times further along "
                                     "its main axis than across it, the axis running within 20° of a diagonal, "
                                     "is read along that diagonal (``➚``, ``➘``)")
    icon_max_fill: float = _doc(0.7, "ratio: an upright rendered figure whose silhouette covers more than this "
                                     "share of its box is round or square (a dot, a numbered badge), no pointer "
                                     "(a triangle covers half its box, a disc 0.79)")


#: The settings every caller gets unless it passes its own.
DEFAULT_SETTINGS = LayoutSettings()

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
#: Glyphs that are dropped when drawn with no advance (the next glyph starts where they start): a
#: glyph without text (U+FFFD, MuPDF's stand-in for a control code) or a blank is not a gap then.
_NO_ADVANCE_DROP = frozenset(" \t\n\r\x0b\x0c\xa0\ufffd")
_SUSPECT = NOT_TEXT | _NO_ADVANCE_DROP

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


#: Largest icon side, in points (:attr:`LayoutSettings.icon_max` of the default settings; the score
#: parser uses it for its own marks).
ICON_MAX = DEFAULT_SETTINGS.icon_max


def icon_direction(points: Sequence[tuple[float, float]], settings: LayoutSettings | None = None) -> int | None:
    """Up (+1) or down (-1) for the outline of a filled shape that ends in a point at its top or
    at its bottom (a triangle, an arrow), from geometry alone: the end where a single vertex
    stands is the tip. None for anything else (circles, squares, diamonds, left/right arrows)."""
    s = settings or DEFAULT_SETTINGS
    tol = s.icon_point_tol
    pts: list[tuple[float, float]] = []
    for x, y in points:
        if not pts or abs(pts[-1][0] - x) > tol or abs(pts[-1][1] - y) > tol:
            pts.append((x, y))
    if len(pts) > 1 and abs(pts[0][0] - pts[-1][0]) <= tol and abs(pts[0][1] - pts[-1][1]) <= tol:
        pts.pop()
    uniq = {(round(x, 1), round(y, 1)) for x, y in pts}
    if not 3 <= len(uniq) <= s.icon_max_vertices:
        return None
    xs = [x for x, _ in uniq]
    ys = [y for _, y in uniq]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    if w <= s.icon_min_side or h <= s.icon_min_side:
        return None
    eps = s.icon_tip_tol * h
    top = [p for p in uniq if p[1] - min(ys) <= eps]
    bottom = [p for p in uniq if max(ys) - p[1] <= eps]
    if len(top) == 1 and len(bottom) > 1:
        return 1  # a tip at the top (y grows downwards): a triangle, a block arrow
    if len(bottom) == 1 and len(top) > 1:
        return -1
    if len(top) == 1 and len(bottom) == 1:  # a line arrow (shaft and barbs): the tip is by the barbs
        zone = s.icon_barb_zone * w
        barbs = [y for x, y in uniq if x - min(xs) <= zone or max(xs) - x <= zone]
        at = (sum(barbs) / len(barbs) - min(ys)) / h
        if at < s.icon_barb_band:
            return 1
        if at > 1 - s.icon_barb_band:
            return -1
    return None


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


# ----------------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------------

def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block that allocates many small objects that all
    stay alive (a page model), restoring its state after; cycles made meanwhile go at the next
    collection. Nests: an inner block leaves a paused collector paused."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def load(
    path: str | Path,
    engine: str = "pymupdf",
    password: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    require_text: bool = True,
    *,
    settings: LayoutSettings | None = None,
) -> Document:
    """Read a PDF into the page model. Raises ``CorruptFile``, ``EncryptedFile``, ``NoTextLayer``,
    ``TooLarge`` or ``UnsupportedInput`` with the file name and the reason. ``settings``: the
    geometric thresholds (:data:`DEFAULT_SETTINGS` when None)."""
    path = Path(path)
    s = settings or DEFAULT_SETTINGS
    if engine not in ENGINES:
        raise UnsupportedInput(str(path), f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CorruptFile(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if size == 0:
        raise EmptyFile(str(path), "the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise TooLarge(str(path), f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise CorruptFile(str(path), "not a PDF file (no %PDF- header)")
    digest = sha256_file(path)
    loader = _load_pymupdf if engine == "pymupdf" else _load_pdfplumber
    # The engines allocate a tuple or dict per glyph and none of them is garbage: the cyclic
    # collector would walk the whole heap many times per page for nothing (a third of the load time
    # in a worker holding pandas).
    with gc_paused():
        doc = loader(path, password, max_pages, s)
        doc.sha256 = digest
        for page in doc.pages:
            if not page.built:
                build_words_and_lines(page, settings=s)
    if require_text and not any(p.chars for p in doc.pages):
        images = sum(p.images for p in doc.pages)
        detail = f" ({images} images: a scanned or image-only PDF)" if images else ""
        raise NoTextLayer(str(path), f"no text layer on any of {len(doc.pages)} pages{detail}")
    return doc


# (?<!\d): a match starts only at the first digit of a run, so a long run of digits costs linear time
# object numbers of more than 10 digits are no PDF's (and int() refuses over 4300 digits)
_OBJ_HEADER = re.compile(rb"(?<!\d)(\d{1,10})\s+\d+\s+obj\b")
_REF = re.compile(r"(?<!\d)(\d{1,10})\s+\d+\s+R\b")
_PARENT = re.compile(r"/Parent\s+\d+\s+\d+\s+R")


def _check_complete(path: Path, pdf: object) -> None:
    """A PDF MuPDF had to repair (its cross-reference table was missing or wrong) must still hold
    every object: a file cut inside its body would otherwise be "repaired" into a profile with pages
    silently missing or half-drawn. Raises ``CorruptFile`` when the last object is cut short or an
    object the page tree needs (pages, contents, resources, fonts) is absent."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - (1 << 20)))
        tail = fh.read()
    end = tail.rfind(b"endobj")
    cut = _OBJ_HEADER.search(tail, end + 6 if end >= 0 else 0)
    if cut is not None or end < 0 and size <= len(tail):
        obj = f" inside object {int(cut.group(1))}" if cut else ""
        raise CorruptFile(str(path), f"the file is truncated{obj} (it ends before its last object does)")
    try:
        count = pdf.xref_length()  # type: ignore[attr-defined]
        root = pdf.xref_get_key(pdf.pdf_catalog(), "Pages")  # type: ignore[attr-defined]
        todo = [int(m.group(1)) for m in _REF.finditer(root[1])] if root[0] == "xref" else []
        seen: set[int] = set()
        missing = None
        while todo and missing is None:
            xref = todo.pop()
            if xref in seen:
                continue
            seen.add(xref)
            src = pdf.xref_object(xref, compressed=True) if 0 < xref < count else "null"  # type: ignore[attr-defined]
            if src.strip() == "null":
                missing = xref
            todo.extend(int(m.group(1)) for m in _REF.finditer(_PARENT.sub("", src)))
    except Exception as exc:
        raise CorruptFile(str(path), f"the repaired object tree cannot be read ({_short(exc)})") from None
    if missing is not None:
        raise CorruptFile(str(path), f"object {missing}, which the pages need, is missing (the file is truncated "
                                     "or damaged)")


def _check_pages(path: Path, count: int, max_pages: int) -> None:
    if count == 0:
        raise CorruptFile(str(path), "the PDF has no pages")
    if count > max_pages:
        raise TooLarge(str(path), f"{count} pages, over the page cap of {max_pages} (a profile has 3-8)")


def _check_box(path: Path, width: float, height: float) -> None:
    if width > MAX_PAGE_SIDE or height > MAX_PAGE_SIDE or width <= 0 or height <= 0:
        raise TooLarge(str(path), f"page box {width:.0f} x {height:.0f} pt is outside the PDF limits")


def _load_pymupdf(path: Path, password: str | None, max_pages: int, s: LayoutSettings) -> Document:
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)  # reasons go to the caller, not to stderr
    try:
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8: MuPDF takes names as UTF-8, so open the bytes
            pdf = pymupdf.open(stream=path.read_bytes(), filetype="pdf")
        else:
            pdf = pymupdf.open(str(path), filetype="pdf")
    except Exception as exc:  # MuPDF raises FileDataError, RuntimeError, ValueError...
        raise CorruptFile(str(path), f"cannot be opened as a PDF ({_short(exc)})") from None
    try:
        if pdf.needs_pass:
            if not password:
                raise EncryptedFile(str(path), "encrypted with a user password (give it with --password)")
            if not pdf.authenticate(password):
                raise EncryptedFile(str(path), "encrypted, and the password given does not open it")
        try:  # a damaged page tree or info dictionary fails here, after the file opened
            count = pdf.page_count
            meta = {k: str(v) for k, v in (pdf.metadata or {}).items() if v}
        except Exception as exc:
            raise CorruptFile(str(path), f"the page tree cannot be read ({_short(exc)})") from None
        _check_pages(path, count, max_pages)
        pages = []
        glyphs: dict[tuple[str, str], set[int]] = {}  # icon glyphs read so far: their directions
        for index in range(count):
            try:
                page = pdf.load_page(index)
                rect = page.rect
                _check_box(path, rect.width, rect.height)
                overprints: list[str] = []
                icons: list[Icon] = []
                unread: list[tuple[float, float, float, float]] = []
                clips: list[tuple[float, ...]] = []  # (x0, y0, x1, y1, after seqno, before seqno)
                rects = list(_pymupdf_rects(page, s, icons, unread, clips))
                trace = page.get_texttrace()
                if any([sp["bbox"][2] > rect.width or sp["bbox"][0] < 0 for sp in trace]):
                    clips.append((0.0, 0.0, rect.width, rect.height, -inf, inf))  # the page's edge cuts too
                if clips:
                    trace = _clipped(trace, clips, s)
                got = _pymupdf_runs(trace, overprints, rect.width, rect.height, s)
                reader = _InkReader(page, s)
                xobjects = page.get_images()
                if xobjects:  # (XObject images only: listing every placement costs a page's run)
                    _image_icons(_pymupdf_image_boxes(page), reader, s, icons)
                if got:
                    runs = isinstance(got[0], _Run)
                    got = (_glyph_icons_runs(got, reader, s, icons, glyphs) if runs  # type: ignore[arg-type]
                           else _glyph_icons_chars(got, reader, s, icons))  # type: ignore[arg-type]
                    if unread:
                        digits = ([(r.x0s[m.start()], r.x1s[m.start()], r.y0, r.y1, r.size) for r in got
                                   for m in _DIGIT.finditer(r.text)] if runs else  # type: ignore[union-attr]
                                  [(c.x0, c.x1, c.y0, c.y1, c.size) for c in got if _DIGIT.match(c.c)])  # type: ignore[union-attr]
                        _path_icons(unread, digits, reader, s, icons)
                images = len(xobjects) if not got else 0
            except (EncryptedFile, TooLarge):
                raise
            except Exception as exc:
                raise CorruptFile(str(path), f"page {index + 1} cannot be read ({_short(exc)})") from None
            if got and isinstance(got[0], _Run):
                p = Page(index + 1, rect.width, rect.height, _LazyChars(got), rects,  # type: ignore[arg-type]
                         overprints=overprints, images=images, icons=icons, deduped=True)
                p.built = _fast_words_and_lines(p, got, s)  # type: ignore[arg-type]
            else:
                p = Page(index + 1, rect.width, rect.height, got, rects, overprints=overprints,  # type: ignore[arg-type]
                         images=images, icons=icons, deduped=True)
            pages.append(p)
        if pdf.is_repaired:
            _check_complete(path, pdf)
    finally:
        pdf.close()
    return Document(str(path), "", "pymupdf", pages, meta)


#: What stands for the glyphs of a word that a clip path cuts off (a table wider than its page's
#: clip: ``▼0`` of a change ``▼0.5`` half drawn, the rest not drawn at all): the word reads as cut
#: (``0…``), so that no number is read from what is left of it.
CLIPPED = "\u2026"


def _clipped(trace: list[dict], clips: list[tuple[float, ...]], s: LayoutSettings) -> list[dict]:
    """The text trace as drawn where a clip path cuts a span off: a span drawn under a clip (its
    sequence number within the clip's scope (:func:`_clip_scopes`), its first glyph starting inside
    the clip's box) that runs out of the box's right edge (or, its last glyph ending inside, out of
    its left edge) is drawn only up to that edge. Its glyphs beyond the edge (one the edge crosses
    with at least ``clip_cut`` of its width and more than ``clip_slack`` sizes outside, and those
    wholly beyond) are not drawn and become one :data:`CLIPPED` mark, so that what is left is never
    read as a whole word or number (``0.00`` cut after ``0.0`` reads ``0.0…``); so does a number
    that ends in its point at the edge (``1.``). Other spans are passed on untouched."""
    out: list[dict] = []
    for span in trace:
        chars = span.get("chars")
        size = span.get("size", 0.0)
        if not chars:
            out.append(span)
            continue
        seq = span.get("seqno", -1)
        first, last = chars[0][3], chars[-1][3]
        fm, lm = (first[1] + first[3]) / 2, (last[1] + last[3]) / 2
        # a number that ends in its point short of the edge by less than a digit: the producer did
        # not draw (nor give) the digit after it, whose ink would have been past the edge
        reach = _digit_width(chars) if chars[-1][0] == 46 else 0.0
        right = [c for c in clips if c[4] < seq < c[5] and c[0] - 0.01 <= first[0] < c[2]
                 and c[1] <= fm <= c[3] and last[2] > c[2] - reach]
        left = [c for c in clips if c[4] < seq < c[5] and c[0] < last[2] <= c[2] + 0.01
                and c[1] <= lm <= c[3] and first[0] < c[0]]
        if not right and not left:
            out.append(span)
            continue
        x_max = min(c[2] for c in right) if right else None
        x_min = max(c[0] for c in left) if left else None
        kept: list = []
        for ch in chars:
            x0, _y0, x1, _y1 = ch[3]
            w = x1 - x0
            if x_max is not None and x1 > x_max or x_min is not None and x0 < x_min:
                outside = max(x1 - x_max if x_max is not None else 0.0, x_min - x0 if x_min is not None else 0.0)
                whole = (x_max is not None and x0 >= x_max) or (x_min is not None and x1 <= x_min)
                if not whole and not _cut_off(outside, w, size, s):
                    kept.append(ch)  # a glyph that only grazes the edge (its side bearing, a letter spacing)
                elif not (kept and kept[-1][0] == ord(CLIPPED)) and not ch[0] == 32:
                    kept.append((ord(CLIPPED), ch[1], ch[2], ch[3]))  # one mark where the drawing stops
                continue
            kept.append(ch)
        last_kept = kept[-1] if kept else None
        if last_kept is not None and last_kept[0] != ord(CLIPPED) and x_max is not None \
                and last_kept[3][2] > x_max - reach \
                and _POINT_ENDED.match("".join(chr(c[0]) for c in kept if c[0] >= 0)):
            # a number that ends in its decimal point right at the edge (``1.`` of ``1.5``, the digit
            # after it not drawn, nor given by the producer): cut there too
            kept.append((ord(CLIPPED), last_kept[1], last_kept[2], last_kept[3]))
        out.append({**span, "chars": kept})
    return out


def _page_cut(chars: list[Char], width: float, s: LayoutSettings) -> list[Char]:
    """Glyphs as the page's right edge draws them (the pdfplumber engine's part of
    :func:`_clipped`, with the page box as the clip): a glyph the edge crosses with at least
    ``clip_cut`` of its width and more than ``clip_slack`` sizes outside, and the glyphs of its line
    wholly beyond, become one :data:`CLIPPED` mark. (Clip paths and the glyphs a producer left out
    at an edge, both in :func:`_clipped`, are the default engine's alone.)"""
    out: list[Char] = []
    for c in chars:
        outside = c.x1 - width
        if outside > 0 and (c.x0 >= width or _cut_off(outside, c.x1 - c.x0, c.size, s)):
            if c.c != " " and not (out and out[-1].c == CLIPPED and out[-1].baseline == c.baseline):
                out.append(Char(CLIPPED, c.x0, c.y0, c.x1, c.y1, c.baseline, c.font, c.size))
            continue
        out.append(c)
    return out


def _cut_off(outside: float, width: float, size: float, s: LayoutSettings) -> bool:
    """Whether a glyph ``width`` wide that an edge crosses, ``outside`` of it beyond, is cut off:
    at least ``clip_cut`` of its width and more than ``clip_slack`` of its size outside (less is
    its side bearing or a letter spacing grazing the edge)."""
    return outside >= s.clip_cut * width and outside > s.clip_slack * size


def _digit_width(chars: Sequence[tuple]) -> float:
    """The widest digit's box among a trace span's glyphs (0 where it has none)."""
    return max([c[3][2] - c[3][0] for c in chars if 48 <= c[0] <= 57], default=0.0)


#: A text that is a number ending in its decimal point (``1.``, ``-0.``, ``▼1.``: after its sign or
#: its direction's arrow): no number is printed so.
_POINT_ENDED = re.compile(r"^\s*[+\-\u2212\u25b2\u25bc\u25b3\u25bd\u25b4\u25be\u2191\u2193\u2b06\u2b07]?\s?\d{1,3}\.$")


def _pymupdf_chars(trace: list[dict], overprints: list[str], s: LayoutSettings) -> list[Char]:
    """Glyphs from MuPDF's text trace (one entry per text run as drawn): visible, horizontal text
    only; a run drawn again within a point of itself (fake bold, producer duplicates) is an
    overprint, kept once and recorded."""
    rot, cell, no_advance = s.rotation_tol, s.overprint_tol, s.no_advance
    out: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    drawn = []
    for span in trace:
        if span.get("type") == 3 or span.get("opacity", 1) == 0 or span.get("wmode", 0) != 0:
            continue  # invisible text (OCR layers, hidden text) and vertical text
        d = span.get("dir", (1, 0))
        if abs(d[1]) > rot or d[0] <= 0:
            continue  # rotated text is decoration in profiles
        if span["chars"]:
            drawn.append(span)
    # a blank ending a span, whose next span starts where it starts, does not advance either
    following = {id(a): b["chars"][0][2] for a, b in zip(drawn, drawn[1:], strict=False)}
    for span in drawn:
        chars = span["chars"]
        text = "".join(chr(c[0]) if c[0] >= 0 else "\ufffd" for c in chars)
        if text.strip():
            ox, oy = chars[0][2]
            gx, gy = int(ox / cell), int(oy / cell)
            if any((text, gx + dx, gy + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                overprints.append(text)
                continue
            seen.add((text, gx, gy))
        font, size = span["font"], round(span["size"], 2)
        last = len(chars) - 1
        after = following.get(id(span))  # the origin of the next span's first glyph
        for k, (ch, (_u, _g, origin, bbox)) in enumerate(zip(text, chars, strict=True)):
            if ch in _SUSPECT and (ch in NOT_TEXT or (abs(chars[k + 1][2][0] - origin[0]) < no_advance if k < last else
                                                     after is not None and abs(after[0] - origin[0]) < no_advance
                                                     and abs(after[1] - origin[1]) < no_advance)):
                continue
            out.append(Char(ch, bbox[0], bbox[1], bbox[2], bbox[3], origin[1], font, size))
    return out


def _pymupdf_rects(page: object, s: LayoutSettings, icons: list[Icon] | None = None,
                   unread: list[tuple[float, float, float, float]] | None = None,
                   clips: list[tuple[float, ...]] | None = None) -> Iterable[Rect]:
    # get_cdrawings(): MuPDF's paths as plain tuples (get_drawings() wraps each point and box in an
    # object, which costs more than the paths themselves); extended: the clip paths too (as cheap),
    # whose boxes (``scissor``) go to ``clips``
    drawn = page.get_cdrawings(extended=clips is not None)  # type: ignore[attr-defined]
    if clips is not None:
        clips.extend(_clip_scopes(drawn))
    for d in drawn:
        if d.get("type") in ("clip", "group"):
            continue
        fill = d.get("fill")
        items = d.get("items", ())
        if fill is None:
            if icons is not None and items and d.get("color") is not None and unread is not None:
                # a stroked figure (a line arrow: shaft and barbs): its outline's vertices depend on how
                # the strokes were joined (a shaft ending just short of the tip read as a second tip),
                # so its ink decides, as for glyphs and images
                # (the box from the points and the stroke's width: MuPDF's rect of a stroked path may
                # leave out a barb)
                pts = [pt for it in items if it[0] in ("l", "c") for pt in (it[1], it[-1])] or [
                    (d["rect"][0], d["rect"][1]), (d["rect"][2], d["rect"][3])]
                pad = (d.get("width") or 1.0) / 2
                x0, x1 = min(p[0] for p in pts) - pad, max(p[0] for p in pts) + pad
                y0, y1 = min(p[1] for p in pts) - pad, max(p[1] for p in pts) + pad
                if 0 <= x1 - x0 <= s.icon_max and 0 < y1 - y0 <= s.icon_max:
                    unread.append((x0, y0, x1, y1))
            continue
        if len(items) == 1 and items[0][0] == "re" or _is_axis_box(items, s.axis_tol):
            x0, y0, x1, y1 = d["rect"]
            yield Rect(x0, y0, x1, y1, tuple(round(c, 3) for c in fill))
        elif icons is not None and items:
            _add_icon(icons, d["rect"], items, s, unread)


def _clip_scopes(drawn: list[dict]) -> list[tuple[float, ...]]:
    """Each clip path of a page's extended drawings list as its box and the scope of sequence
    numbers it holds: after the last item drawn before it, before the next item drawn at its own
    nesting level or above (MuPDF gives a clip no sequence number of its own, and no end)."""
    out = []
    for k, d in enumerate(drawn):
        if d.get("type") != "clip" or d.get("scissor") is None:
            continue
        level = d.get("level", 0)
        lo = next((e["seqno"] for e in reversed(drawn[:k]) if e.get("seqno") is not None), -1)
        hi = next((e["seqno"] for e in drawn[k + 1:] if e.get("seqno") is not None and e.get("level", 0) <= level),
                  float("inf"))
        out.append((*d["scissor"], lo, hi))
    return out


def _add_icon(icons: list[Icon], rect: Sequence[float], items: Sequence[tuple], s: LayoutSettings,
              unread: list[tuple[float, float, float, float]] | None = None) -> None:
    """An icon from a small path's outline; a small path whose outline says no direction goes to
    ``unread`` (its ink may: :func:`_path_icons`)."""
    x0, y0, x1, y1 = rect
    if 0 <= x1 - x0 <= s.icon_max and 0 < y1 - y0 <= s.icon_max:
        pts = [pt for it in items if it[0] in ("l", "c") for pt in (it[1], it[-1])]
        direction = icon_direction(pts, s)
        if direction is not None:
            icons.append(Icon(x0, y0, x1, y1, direction))
        elif unread is not None:
            unread.append((x0, y0, x1, y1))


def _is_axis_box(items: list, tol: float) -> bool:
    if not 3 <= len(items) <= 5 or any(it[0] != "l" for it in items):
        return False
    return all(abs(it[1][0] - it[2][0]) < tol or abs(it[1][1] - it[2][1]) < tol for it in items)


# ----------------------------------------------------------------------------------------------
# Icons read from their ink: small images and glyphs that are pictures
# ----------------------------------------------------------------------------------------------
#
# A direction icon may be a raster image or a glyph of any font and code point (an icon font's
# arrow decoded as ``≥``, ``د`` or a Private Use Area point). Whatever its form, its box is rendered
# once (small, grayscale) and its ink read (:mod:`octa.ink`). A glyph read as an icon leaves the
# text layer: it is a picture, not text, like a vector icon.

#: Code points that may be a drawn icon rather than text when they stand beside a number: arrows,
#: comparison signs, geometric shapes, dingbats, symbols and arrows, pictographs, Private Use Areas.
_ICON_CODE = re.compile("[\u2190-\u21ff\u2264-\u2267\u25a0-\u25ff\u2700-\u27bf\u27f0-\u27ff\u2900-\u297f"
                        "\u2a7d\u2a7e\u2b00-\u2bff\ue000-\uf8ff\U0001f300-\U0001faff\U000f0000-\U0010ffff]")
#: Arabic letters (an icon font's arrow decoded as ``د``): candidates only on a Latin page.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe]")
_LATIN = re.compile("[A-Za-z]")
_DIGIT = re.compile(r"\d")
_MAYBE_ICON = re.compile(_ICON_CODE.pattern + "|" + _ARABIC.pattern)


class _InkReader:
    """Renders small boxes of one page (a display list made on first use, so a page without
    candidates costs nothing) and reads the direction of the figure drawn there."""

    __slots__ = ("_page", "_list", "_s", "_left")

    def __init__(self, page: object, s: LayoutSettings) -> None:
        self._page = page
        self._list: Any = None
        self._s = s
        self._left = s.icon_renders

    def read(self, box: tuple[float, float, float, float]) -> tuple[int, tuple[float, float, float, float]] | None:
        """The direction of the figure drawn in ``box`` and the box of its ink, or None (also when
        the box cannot be rendered: a figure that cannot be drawn gives no direction)."""
        x0, y0, x1, y1 = box
        side = max(x1 - x0, y1 - y0)
        if not side > 0 or self._left <= 0:
            return None
        self._left -= 1
        try:
            return self._read(box, side)
        except Exception:  # MuPDF's errors on a damaged page: no icon there, the text is read as it is
            return None

    def _read(self, box: tuple[float, float, float, float],
              side: float) -> tuple[int, tuple[float, float, float, float]] | None:
        import pymupdf

        from octa.ink import read_rendering

        x0, y0, x1, y1 = box
        if self._list is None:
            self._list = self._page.get_displaylist()  # type: ignore[attr-defined]
        s = self._s
        zoom = min(max(s.icon_render_px / side, 1.0), 64.0)
        pix = self._list.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False,
                                    clip=pymupdf.Rect(x0, y0, x1, y1))
        if pix.width < 3 or pix.height < 3:
            return None
        got = read_rendering(pix.samples, pix.height, pix.stride, pix.width, tip_ratio=s.icon_tip_ratio,
                             axis_tol=s.icon_axis_tol, diagonal_elongation=s.icon_diagonal,
                             max_fill=s.icon_max_fill, tip_px=s.icon_tip_px)
        if got is None:
            return None
        direction, (c0, r0, c1, r1) = got
        ox, oy = pix.x / zoom, pix.y / zoom  # the pixmap's origin, in points
        return direction, (round(ox + c0 / zoom, 3), round(oy + r0 / zoom, 3), round(ox + c1 / zoom, 3),
                           round(oy + r1 / zoom, 3))


def _pymupdf_image_boxes(page: object) -> list[tuple[float, float, float, float]]:
    """Where a page draws its images; none when MuPDF cannot list them (the text is read as it is)."""
    try:
        return [tuple(info["bbox"]) for info in page.get_image_info()]  # type: ignore[attr-defined]
    except Exception:
        return []


class _FitzPages:
    """The pdfplumber engine renders icon boxes with MuPDF (pdfplumber renders whole pages): the
    document is opened on the first box to render."""

    def __init__(self, path: Path, password: str | None) -> None:
        self._path, self._password = path, password
        self._doc: Any = None

    def page(self, index: int) -> object:
        if self._doc is None:
            import pymupdf

            pymupdf.TOOLS.mupdf_display_errors(False)  # reasons go to the caller, not to stderr
            self._doc = pymupdf.open(stream=self._path.read_bytes(), filetype="pdf")
            if self._doc.needs_pass:
                self._doc.authenticate(self._password or "")
        return self._doc.load_page(index)

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()


class _PlumberInk(_InkReader):
    """An :class:`_InkReader` for a page of the pdfplumber engine: MuPDF's page loaded on first use."""

    __slots__ = ("_pages", "_index")

    def __init__(self, pages: _FitzPages, index: int, s: LayoutSettings) -> None:
        super().__init__(None, s)
        self._pages, self._index = pages, index

    def _read(self, box: tuple[float, float, float, float],
              side: float) -> tuple[int, tuple[float, float, float, float]] | None:
        if self._page is None:
            self._page = self._pages.page(self._index)
        return super()._read(box, side)


def _image_icons(boxes: Iterable[tuple[float, float, float, float]], reader: _InkReader, s: LayoutSettings,
                 icons: list[Icon]) -> None:
    """Icons drawn as small raster images (no side over ``icon_max``), read from their ink."""
    for x0, y0, x1, y1 in boxes:
        if s.icon_min_side <= x1 - x0 <= s.icon_max and s.icon_min_side <= y1 - y0 <= s.icon_max:
            got = reader.read((x0, y0, x1, y1))
            if got is not None:
                icons.append(Icon(*got[1], got[0], "image"))


def _path_icons(boxes: list[tuple[float, float, float, float]], digits: list[tuple[float, float, float, float, float]],
                reader: _InkReader, s: LayoutSettings, icons: list[Icon]) -> None:
    """Small paths whose outline says no direction (curves, many vertices, a figure of several
    paths: the boxes of touching paths are joined) standing beside a digit (``digits``: x0, x1, y0,
    y1, size of each), read from their ink."""
    merged: list[list[float]] = []
    for box in sorted(boxes):
        for m in merged:
            if box[0] <= m[2] + 0.5 and m[0] <= box[2] + 0.5 and box[1] <= m[3] + 0.5 and m[1] <= box[3] + 0.5:
                m[:] = [min(m[0], box[0]), min(m[1], box[1]), max(m[2], box[2]), max(m[3], box[3])]
                break
        else:
            merged.append(list(box))
    for x0, y0, x1, y1 in merged:
        if not (s.icon_min_side <= x1 - x0 <= s.icon_max and s.icon_min_side <= y1 - y0 <= s.icon_max):
            continue
        if any(ic.x0 < x1 and x0 < ic.x1 and ic.y0 < y1 and y0 < ic.y1 for ic in icons):
            continue  # read already (by its outline)
        cy = (y0 + y1) / 2
        if not any(dy0 <= cy <= dy1 and 0 <= max(dx0 - x1, x0 - dx1) <= s.icon_glyph_reach * size
                   for dx0, dx1, dy0, dy1, size in digits):
            continue
        if any(x0 < (dx0 + dx1) / 2 < x1 and y0 < (dy0 + dy1) / 2 < y1 for dx0, dx1, dy0, dy1, _ in digits):
            continue  # a shape around a number (a numbered badge): no icon beside one
        got = reader.read((x0, y0, x1, y1))
        if got is not None:
            icons.append(Icon(*got[1], got[0], "path"))


def _icon_candidate(c: str, symbol: bool, latin: bool) -> bool:
    return not c.isspace() and (symbol or _ICON_CODE.match(c) is not None or latin and _ARABIC.match(c) is not None)


def _latin_page(texts: Iterable[str]) -> bool:
    """Whether a page's text is in Latin letters (an Arabic letter there is no text of it)."""
    latin = arabic = 0
    for t in texts:
        latin += len(_LATIN.findall(t))
        arabic += len(_ARABIC.findall(t))
    return latin > 10 * arabic


def _beside_number(box: tuple[float, float, float, float], baseline: float, size: float,
                   digits: Iterable[tuple[float, float, float, float]], s: LayoutSettings) -> bool:
    """Whether a glyph (its box: the font's ascent to descent, so up to twice ``icon_max`` tall for
    an icon) has a digit (x0, x1, baseline, size) on its baseline within reach of it."""
    if box[2] - box[0] > 2 * s.icon_max or box[3] - box[1] > 2 * s.icon_max:
        return False
    reach = s.icon_glyph_reach * size
    for dx0, dx1, db, dsize in digits:
        if abs(db - baseline) <= s.baseline_tol * max(size, dsize) and max(dx0 - box[2], box[0] - dx1) <= reach:
            return True
    return False


def _glyph_icons_runs(runs: list[_Run], reader: _InkReader, s: LayoutSettings, icons: list[Icon],
                      seen: dict[tuple[str, str], set[int]] | None = None) -> list[_Run]:
    """The fast path's runs without the glyphs read as icons (recorded in ``icons``). A glyph of a
    symbol font beside a number whose box glyphs of other runs are drawn over (a change's arrow
    icon under the last letter of a label overflowing its cell: its box holds their ink too, which
    may read as another figure or as none) is the figure that the same glyph (its font and text)
    is read as everywhere else on its page and the pages before (``seen``: the directions read so
    far, by font and text, filled in here), when they all agree; else it stays unread."""
    if seen is None:
        seen = {}
    latin: bool | None = None
    spots: list[tuple[int, int]] = []
    maybe = _MAYBE_ICON.search
    for i, r in enumerate(runs):
        if r.symbol:
            spots.extend((i, k) for k, c in enumerate(r.text) if not c.isspace())
            continue
        if maybe(r.text) is None:
            continue
        if latin is None and _ARABIC.search(r.text) is not None:
            latin = _latin_page(r.text for r in runs)
        spots.extend((i, k) for k, c in enumerate(r.text) if _icon_candidate(c, False, bool(latin)))
    if not spots:
        return runs
    tops = _Tops(runs)
    by_baseline = sorted(((r.baseline, i) for i, r in enumerate(runs) if _DIGIT.search(r.text)))
    keys = [b for b, _ in by_baseline]
    largest = max(r.size for r in runs)
    taken: dict[int, set[int]] = {}
    obscured: list[tuple[int, int]] = []  # symbol glyphs unread under a glyph of another run
    for i, k in spots:
        r = runs[i]
        box = (r.x0s[k], r.y0, r.x1s[k], r.y1)
        near = s.baseline_tol * max(r.size, largest)
        digits = ((rr.x0s[m.start()], rr.x1s[m.start()], rr.baseline, rr.size)
                  for _, j in by_baseline[bisect_left(keys, r.baseline - near):bisect_right(keys, r.baseline + near)]
                  for rr in (runs[j],) for m in _DIGIT.finditer(rr.text))
        if not _beside_number(box, r.baseline, r.size, digits, s):
            continue
        if r.symbol and _drawn_under(i, k, runs, s, tops):  # its box holds other glyphs' ink too: not read
            obscured.append((i, k))
            continue
        got = reader.read(box)
        if got is not None:
            icons.append(Icon(*got[1], got[0], "glyph", r.text[k], r.font))
            taken.setdefault(i, set()).add(k)
            seen.setdefault((r.font, r.text[k]), set()).add(got[0])
    for i, k in obscured:
        r = runs[i]
        read = seen.get((r.font, r.text[k]), set())
        if len(read) == 1:
            icons.append(Icon(r.x0s[k], r.y0, r.x1s[k], r.y1, next(iter(read)), "glyph", r.text[k], r.font))
            taken.setdefault(i, set()).add(k)
    if not taken:
        return runs
    out: list[_Run] = []
    for i, r in enumerate(runs):
        gone = taken.get(i)
        if not gone:
            out.append(r)
            continue
        start = 0
        for stop in [*sorted(gone), len(r.text)]:
            if stop > start and r.text[start:stop].strip():
                x0s, x1s = r.x0s[start:stop], r.x1s[start:stop]
                out.append(_Run(r.seq, r.text[start:stop], r.font, r.size, r.baseline, r.y0, r.y1, x0s, x1s,
                                list(map(operator.sub, x0s[1:], x1s[:-1])), s.space_min_width))
            start = stop + 1
    return out


class _Tops:
    """A page's runs by top, to find those that share a height with a box without a pass over all."""

    def __init__(self, runs: list[_Run]) -> None:
        order = sorted(range(len(runs)), key=lambda j: runs[j].y0)
        self.ys = [runs[j].y0 for j in order]
        self.order = order
        self.tallest = max((r.y1 - r.y0 for r in runs), default=0.0)

    def sharing(self, y0: float, y1: float) -> list[int]:
        """Indices of the runs whose tops lie from a run's height above ``y0`` down to ``y1``."""
        return self.order[bisect_left(self.ys, y0 - self.tallest):bisect_right(self.ys, y1)]


def _drawn_under(i: int, k: int, runs: list[_Run], s: LayoutSettings, tops: _Tops) -> bool:
    """Whether glyphs of other runs are drawn over glyph ``k`` of ``runs[i]``: one on the same
    baseline (within ``baseline_tol``) covers half its width or more, or the boxes of those of any
    baseline cover ``icon_covered`` of its box together (a label's two lines overflowing their
    cell over an arrow between them)."""
    r = runs[i]
    x0, x1 = r.x0s[k], r.x1s[k]
    half = (x1 - x0) / 2
    area = (x1 - x0) * (r.y1 - r.y0)
    covered = 0.0
    for j in tops.sharing(r.y0, r.y1):
        o = runs[j]
        if j == i or o.x0s[0] >= x1 or o.y0 >= r.y1 or o.y1 <= r.y0 or max(o.x1s) <= x0:
            continue
        same = abs(o.baseline - r.baseline) <= s.baseline_tol * max(o.size, r.size)
        high = min(o.y1, r.y1) - max(o.y0, r.y0)
        for c, a, b in zip(o.text, o.x0s, o.x1s, strict=True):
            wide = min(b, x1) - max(a, x0)
            if wide <= 0 or c.isspace():
                continue
            if same and wide >= half:
                return True
            covered += wide * high
    return area > 0 and covered >= s.icon_covered * area


def _glyph_icons_chars(chars: list[Char], reader: _InkReader, s: LayoutSettings, icons: list[Icon]) -> list[Char]:
    """A page's glyphs without those read as icons (recorded in ``icons``)."""
    symbol = {f: is_symbol_font(f) for f in {c.font for c in chars}}
    if not any(symbol.values()) and _MAYBE_ICON.search("".join([c.c for c in chars])) is None:
        return chars
    latin = _latin_page(c.c for c in chars)
    spots = [k for k, c in enumerate(chars) if _icon_candidate(c.c, symbol[c.font], latin)]
    if not spots:
        return chars
    digits = [(c.x0, c.x1, c.baseline, c.size) for c in chars if _DIGIT.match(c.c)]
    taken: set[int] = set()
    for k in spots:
        c = chars[k]
        box = (c.x0, c.y0, c.x1, c.y1)
        if not _beside_number(box, c.baseline, c.size, digits, s):
            continue
        got = reader.read(box)
        if got is not None:
            icons.append(Icon(*got[1], got[0], "glyph", c.c, c.font))
            taken.add(k)
    return [c for k, c in enumerate(chars) if k not in taken] if taken else chars


def _load_pdfplumber(path: Path, password: str | None, max_pages: int, s: LayoutSettings) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(str(path), password=password or "")
    except Exception as exc:
        chain = [exc, exc.__cause__, exc.__context__, *[a for a in getattr(exc, "args", ()) if isinstance(a, Exception)]]
        if any(isinstance(e, PDFPasswordIncorrect) for e in chain):
            raise EncryptedFile(str(path), "encrypted with a user password (give it with --password)"
                                if not password else "encrypted, and the password given does not open it") from None
        raise CorruptFile(str(path), f"cannot be opened as a PDF ({_short(exc)})") from None
    fitz_pages = _FitzPages(path, password)
    try:
        try:
            count = len(pdf.pages)
        except Exception as exc:
            raise CorruptFile(str(path), f"page tree cannot be read ({_short(exc)})") from None
        _check_pages(path, count, max_pages)
        meta = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
        pages = []
        for index, page in enumerate(pdf.pages):
            try:
                _check_box(path, float(page.width), float(page.height))
                height = float(page.height)
                chars = []
                drawn = page.chars
                no_advance = s.no_advance
                for k, ch in enumerate(drawn):
                    if ch.get("upright", True) is False:
                        continue
                    text = ch["text"]
                    if text.isspace() and k + 1 < len(drawn) and abs(drawn[k + 1]["x0"] - ch["x0"]) < no_advance \
                            and abs(drawn[k + 1]["bottom"] - ch["bottom"]) < no_advance:
                        continue  # a blank whose next glyph starts where it starts: no advance
                    if not NOT_TEXT.isdisjoint(text):
                        text = "".join(c for c in text if c not in NOT_TEXT)
                        if not text:
                            continue
                    baseline = height - float(ch["matrix"][5]) if ch.get("matrix") else float(ch["bottom"])
                    x0, x1 = float(ch["x0"]), float(ch["x1"])
                    font, size, top, bottom = str(ch.get("fontname", "")), round(float(ch["size"]), 2), \
                        float(ch["top"]), float(ch["bottom"])
                    if len(text) == 1:
                        chars.append(Char(text, x0, top, x1, bottom, baseline, font, size))
                    else:  # a glyph that stands for several characters (a ligature ``fi``): a part each
                        step = (x1 - x0) / len(text)
                        chars.extend(Char(c, x0 + m * step, top, x0 + (m + 1) * step, bottom, baseline, font, size)
                                     for m, c in enumerate(text))
                if chars and max(c.x1 for c in chars) > page.width:
                    chars = _page_cut(chars, float(page.width), s)
                rects = [Rect(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]),
                              _plumber_fill(r)) for r in page.rects if r.get("fill")]
                images = len(page.images)
                icons = []
                reader = _PlumberInk(fitz_pages, index, s)
                _image_icons(((float(im["x0"]), float(im["top"]), float(im["x1"]), float(im["bottom"]))
                              for im in page.images), reader, s, icons)  # type: ignore[arg-type]
                chars = _glyph_icons_chars(chars, reader, s, icons)  # type: ignore[arg-type]
                icon_max = s.icon_max
                unread = []
                for c in page.curves:  # filled or stroked (an arrow head drawn as a line)
                    if not (0 <= c["x1"] - c["x0"] <= icon_max and 0 < c["bottom"] - c["top"] <= icon_max):
                        continue
                    box = (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))
                    direction = icon_direction([(float(x), float(y)) for x, y in c.get("pts", ())], s)
                    if direction is not None:
                        icons.append(Icon(*box, direction))
                    else:
                        unread.append(box)
                if unread:
                    _path_icons(unread, [(c.x0, c.x1, c.y0, c.y1, c.size) for c in chars if _DIGIT.match(c.c)],
                                reader, s, icons)
            except (EncryptedFile, TooLarge):
                raise
            except Exception as exc:
                raise CorruptFile(str(path), f"page {index + 1} cannot be read ({_short(exc)})") from None
            pages.append(Page(index + 1, float(page.width), float(page.height), chars, rects, images=images,
                              icons=icons))
            page.flush_cache()
    finally:
        pdf.close()
        fitz_pages.close()
    return Document(str(path), "", "pdfplumber", pages, meta)


def _plumber_fill(r: dict) -> tuple[float, ...] | None:
    col = r.get("non_stroking_color")
    if col is None:
        return None
    if isinstance(col, (int, float)):
        return (round(float(col), 3),) * 3
    vals = tuple(round(float(c), 3) for c in col)
    if len(vals) == 1:
        return vals * 3
    if len(vals) == 4:  # CMYK → RGB
        c, m, y, k = vals
        return tuple(round((1 - v) * (1 - k), 3) for v in (c, m, y))
    return vals


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# ----------------------------------------------------------------------------------------------
# The pymupdf engine's fast path: words and lines from whole glyph runs
# ----------------------------------------------------------------------------------------------
#
# Building one Char object per glyph and sorting every glyph of a page costs several times what
# MuPDF takes to read the page. A text-trace span is a run of glyphs drawn in one font and size on
# one baseline; when its glyphs advance left to right and the runs of a row do not interleave, the
# row's glyphs in x order are the runs' glyphs one run after another, and the word rules of
# :func:`_row_words` can be applied to whole pieces of a run (the glyphs between two spaces) with
# list slices instead of per-glyph objects. The result is the same words and lines, in the same
# order, as the glyph-by-glyph path; a page or row where an assumption fails (a run that goes
# backwards, runs that interleave, baselines that tie with different outcomes) takes that path.

_NON_SPACE = re.compile(r"\S+")  # \S in str patterns is exactly "not str.isspace()"
_LIGATURES = frozenset([*map(chr, range(0xFB00, 0xFB07)), "\ufffd"])
_SYMBOL_CACHE: dict[str, bool] = {}
_BOLD_CACHE: dict[str, bool] = {}
_SUSPECT_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_SUSPECT)) + "]")


class _Run:
    """One text-trace span after filtering: its glyphs' text and columns as the word rules need them.
    ``pieces``: (start, end, wide_space_before) of each run of non-space glyphs. Every glyph of a run
    has the run's font, size, baseline and vertical extent (``y0``, ``y1``)."""

    __slots__ = ("seq", "text", "font", "size", "baseline", "y0", "y1", "x0s", "x1s", "gaps",
                 "pieces", "wide_after", "symbol")

    def __init__(self, seq: int, text: str, font: str, size: float, baseline: float,
                 y0: float, y1: float, x0s: Sequence[float], x1s: Sequence[float], gaps: list[float],
                 space_min_width: float) -> None:
        self.seq = seq
        self.text = text
        self.font = font
        self.size = size
        self.baseline = baseline
        self.y0 = y0
        self.y1 = y1
        self.x0s = x0s
        self.x1s = x1s
        self.gaps = gaps
        self.symbol = is_symbol_font(font)
        wide = space_min_width * size  # a blank wider than this is a space (LayoutSettings.space_min_width)
        pieces = []
        prev_end = 0
        for s, e in map(re.Match.span, _NON_SPACE.finditer(text)):
            if s == prev_end:
                pieces.append((s, e, False))
            elif s == prev_end + 1:
                pieces.append((s, e, x1s[prev_end] - x0s[prev_end] > wide))
            else:
                pieces.append((s, e, any(x1s[k] - x0s[k] > wide for k in range(prev_end, s))))
            prev_end = e
        self.pieces = pieces
        n = len(text)
        self.wide_after = prev_end < n and (x1s[prev_end] - x0s[prev_end] > wide if prev_end == n - 1 else
                                            any(x1s[k] - x0s[k] > wide for k in range(prev_end, n)))

    def char_objects(self) -> list[Char]:
        font, size, baseline, y0, y1 = self.font, self.size, self.baseline, self.y0, self.y1
        return [Char(ch, x0, y0, x1, y1, baseline, font, size)
                for ch, x0, x1 in zip(self.text, self.x0s, self.x1s, strict=True)]


class _LazyChars(Sequence):
    """``Page.chars`` of a page read by the fast path: the Char objects are made on first use."""

    __slots__ = ("_runs", "_n", "_list")

    def __init__(self, runs: list[_Run]) -> None:
        self._runs = runs
        self._n = sum(len(r.text) for r in runs)
        self._list: list[Char] | None = None

    def _chars(self) -> list[Char]:
        if self._list is None:
            self._list = [c for r in self._runs for c in r.char_objects()]
        return self._list

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        return self._chars()[i]

    def __iter__(self):
        return iter(self._chars())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._chars())


def _pymupdf_runs(trace: list[dict], overprints: list[str], width: float, height: float,
                  s: LayoutSettings) -> list[_Run] | list[Char]:
    """The visible glyph runs of a page (the rules of :func:`_pymupdf_chars` and the page-box
    filter), split where a span changes baseline or goes back, or, when glyph boxes of one run
    differ in height, the page's Char list.

    The glyphs of all kept spans are turned into page-wide columns (text, origins, boxes) by a few
    C-level transpositions; spans are slices of them, so no Python code runs per glyph unless a
    glyph has to be dropped (a control character, a blank drawn with no advance, a glyph off the
    page)."""
    rot, cell, no_advance, space_min_width = s.rotation_tol, s.overprint_tol, s.no_advance, s.space_min_width
    spans = []
    for span in trace:
        if span.get("type") == 3 or span.get("opacity", 1) == 0 or span.get("wmode", 0) != 0:
            continue  # invisible text (OCR layers, hidden text) and vertical text
        d = span.get("dir", (1, 0))
        if abs(d[1]) > rot or d[0] <= 0:
            continue  # rotated text is decoration in profiles
        if span["chars"]:
            spans.append(span)
    if not spans:
        return []
    codes, gids, origins, boxes = zip(*chain.from_iterable([span["chars"] for span in spans]), strict=True)
    if min(gids) < 0:  # glyphs that stand for several characters (MuPDF: the rest with no glyph of their own)
        spans = [_shared_boxes(span, no_advance) for span in spans]
        codes, gids, origins, boxes = zip(*chain.from_iterable([span["chars"] for span in spans]), strict=True)
    ptext = "".join(map(chr, codes)) if min(codes) >= 0 else "".join(
        [chr(u) if u >= 0 else "\ufffd" for u in codes])
    oxs, oys = zip(*origins, strict=True)
    x0a, y0a, x1a, y1a = zip(*boxes, strict=True)
    pgaps = list(map(operator.sub, x0a[1:], x1a[:-1]))
    starts = [0]
    for span in spans:
        starts.append(starts[-1] + len(span["chars"]))
    drop: set[int] = set()
    if not _SUSPECT.isdisjoint(ptext):
        # a glyph that is not text, or a blank drawn with no advance (the next glyph of its span starts
        # where it starts)
        bounds = set(starts)
        drop = {k for k in map(re.Match.start, _SUSPECT_RE.finditer(ptext))
                if ptext[k] in NOT_TEXT or k + 1 < len(ptext) and abs(oxs[k + 1] - oxs[k]) < no_advance
                and (k + 1 not in bounds or abs(oys[k + 1] - oys[k]) < no_advance)}
    on_page = min(x1a) > 0 and min(y1a) > 0 and max(x0a) < width and max(y0a) < height
    runs: list[_Run] = []
    seen: set[tuple[str, int, int]] = set()
    seen_texts: set[str] = set()
    for i, span in enumerate(spans):
        a, b = starts[i], starts[i + 1]
        text = ptext[a:b]
        if text.strip():  # a run drawn again within a point of itself is an overprint
            gx, gy = int(oxs[a] / cell), int(oys[a] / cell)
            if text in seen_texts and any((text, gx + dx, gy + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                overprints.append(text)
                continue
            seen.add((text, gx, gy))
            seen_texts.add(text)
        keep: list[int] | None = None
        if drop and not drop.isdisjoint(range(a, b)):
            keep = [k for k in range(a, b) if k not in drop]
        if not on_page:
            ks = range(a, b) if keep is None else keep
            if min([x1a[k] for k in ks]) <= 0 or min([y1a[k] for k in ks]) <= 0 \
                    or max([x0a[k] for k in ks]) >= width or max([y0a[k] for k in ks]) >= height:
                keep = [k for k in ks if x1a[k] > 0 and y1a[k] > 0 and x0a[k] < width and y0a[k] < height]
        if keep is None:
            x0s, y0s, x1s, y1s, bases = x0a[a:b], y0a[a:b], x1a[a:b], y1a[a:b], oys[a:b]
            gaps = pgaps[a:b - 1]
        else:
            if not keep:
                continue
            text = "".join([ptext[k] for k in keep])
            x0s, y0s, x1s, y1s, bases = ([col[k] for k in keep] for col in (x0a, y0a, x1a, y1a, oys))
            gaps = list(map(operator.sub, x0s[1:], x1s[:-1]))
        font, size = span["font"], round(span["size"], 2)
        n = len(text)
        if min(bases) == max(bases) and all(map(operator.le, x0s, x0s[1:])):
            cuts = [0, n]
        else:  # one span over several lines or going back: a run per baseline and forward stretch
            cuts = [0, *(k for k in range(1, n) if bases[k] != bases[k - 1] or x0s[k] < x0s[k - 1]), n]
        for a0, e in zip(cuts, cuts[1:], strict=False):
            y0, y1 = y0s[a0], y1s[a0]
            if e - a0 == n:
                if min(y0s) != y0 or max(y0s) != y0 or min(y1s) != y1 or max(y1s) != y1:
                    return _slow_chars(spans, overprints, width, height, s)  # glyph boxes of unequal heights
                runs.append(_Run(len(runs), text, font, size, bases[a0], y0, y1, x0s, x1s, gaps, space_min_width))
            else:
                if min(y0s[a0:e]) != y0 or max(y0s[a0:e]) != y0 or min(y1s[a0:e]) != y1 or max(y1s[a0:e]) != y1:
                    return _slow_chars(spans, overprints, width, height, s)
                runs.append(_Run(len(runs), text[a0:e], font, size, bases[a0], y0, y1, x0s[a0:e], x1s[a0:e],
                                 gaps[a0:e - 1], space_min_width))
    return runs


def _shared_boxes(span: dict, no_advance: float) -> dict:
    """A text-trace span whose glyphs that stand for several characters (a ligature ``fi`` or ``ft``
    mapped to its letters: MuPDF gives the glyph's box to the first character and the others no
    glyph, no width, at the same origin) give each of those characters an equal part of the glyph's
    box, so that the word goes on across it (a soft hyphen among them is not drawn, and left out);
    other spans as they are."""
    chars = span["chars"]
    if all(c[1] >= 0 for c in chars):
        return span
    out: list[tuple] = []
    k, n = 0, len(chars)
    while k < n:
        lead = chars[k]
        j = k + 1
        while j < n and chars[j][1] < 0 and abs(chars[j][2][0] - lead[2][0]) < no_advance \
                and abs(chars[j][2][1] - lead[2][1]) < no_advance:
            j += 1
        if j == k + 1:
            out.append(lead)
        else:
            x0, y0, x1, y1 = lead[3]
            ox, oy = lead[2]
            # a soft hyphen among the characters a glyph stands for (``fi`` + U+00AD: a ligature
            # whose text carries a hyphenation point) has no glyph: it is not drawn
            group = [lead, *(c for c in chars[k + 1:j] if c[0] != 0xAD)]
            step = (x1 - x0) / len(group)
            for m, c in enumerate(group):
                out.append((c[0], lead[1] if m == 0 else c[1], (ox + m * step, oy),
                            (x0 + m * step, y0, x0 + (m + 1) * step, y1)))
        k = j
    return {**span, "chars": out}


def _slow_chars(trace: list[dict], overprints: list[str], width: float, height: float,
                s: LayoutSettings) -> list[Char]:
    overprints.clear()
    return [c for c in _pymupdf_chars(trace, overprints, s) if c.x1 > 0 and c.y1 > 0 and c.x0 < width and c.y0 < height]


def _fast_words_and_lines(page: Page, runs: list[_Run], s: LayoutSettings) -> bool:
    """Fill ``page.words`` and ``page.lines`` from runs; False (nothing filled) when the rows of the
    page cannot be formed run by run."""
    order = sorted(runs, key=lambda r: (r.baseline, r.x0s[0]))
    tol = s.baseline_tol
    rows: list[list[_Run]] = []
    ref: _Run | None = None
    i, n = 0, len(order)
    while i < n:
        b = order[i].baseline
        j = i + 1
        while j < n and order[j].baseline == b:
            j += 1
        group = order[i:j]
        if ref is None:
            joins = [False] * len(group)
        else:
            rb, rs = ref.baseline, ref.size
            joins = [abs(r.baseline - rb) <= tol * (rs if rs > r.size else r.size) for r in group]
        if all(joins):
            rows[-1].extend(group)
        elif not any(joins):
            ref = group[0]
            rows.append(group)
        else:
            # Glyphs of one baseline, taken in x order, join the row until the first that does not
            # (a larger glyph tolerates a larger step); that one starts the next row, which the rest
            # join. Run by run only when the runs do not interleave.
            if any(a.x0s[-1] >= b.x0s[0] for a, b in zip(group, group[1:], strict=False)):
                return False
            k = joins.index(False)
            rows[-1].extend(group[:k])
            ref = group[k]
            rows.append(group[k:])
        i = j
    words: list[Word] = []
    lines: list[Line] = []
    number = page.number
    for row in rows:
        row.sort(key=lambda r: r.x0s[0])
        layers = _layers(row, s)
        if len(layers) > 1:  # a number drawn over a word (a label overflowing its cell): each on its own
            row_words = sorted((w for layer in layers for w in _runs_words(layer, number, s)), key=lambda w: w.x0)
            words.extend(row_words)
            lines.extend(_row_lines(row_words, number, s))
            continue
        if any(a.x0s[-1] >= b.x0s[0] or _drawn_over(a.x0s[-1], a.x1s[-1], a.baseline, a.size,
                                                    b.x0s[0], b.x1s[0], b.baseline, b.size, s)
               for a, b in zip(row, row[1:], strict=False)):  # interleaved or overlaid runs: glyph by glyph
            chars = [c for r in sorted(row, key=lambda r: r.seq) for c in r.char_objects()]
            chars.sort(key=lambda c: (c.baseline, c.x0))
            chars.sort(key=lambda c: c.x0)
            row_words = _row_words(chars, number, s)
        else:
            row_words = _runs_words(row, number, s)
        words.extend(row_words)
        lines.extend(_row_lines(row_words, number, s))
    lines.sort(key=lambda ln: (round(ln.baseline, 1), ln.x0))
    page.words = words
    page.lines = lines
    return True


def _numeric_run(r: _Run) -> bool:
    """Whether a run is a number as printed: it starts with a figure, a sign, a bracket or an arrow
    and holds a figure, whatever follows (``0.50``, ``−1.00``, ``(+0.1)``, and with a scale or a mark:
    ``6.50/10``, ``7.5 out of 10``, ``7.50*``)."""
    t = r.text.strip()
    return bool(t) and (t[0].isdigit() or t[0] in "+-\u2212.([▲▼↑↓") and any(c.isdigit() for c in t)


def _layers(row: list[_Run], s: LayoutSettings) -> list[list[_Run]]:
    """The runs of a row (in x order) in layers that do not overlap, when a run of figures is drawn
    over a run of letters (``COUNTERFEIT`` with ``0.00`` over its last letters: glyph by glyph in x
    order they would read ``COUNTERFEI0T.00``), or a glyph of a symbol font (an icon) over a run
    of another font (``ENFORCEMENT`` with a change's arrow icon over its last letters, the change's
    figures right after them: ``ENFORCEMEN`` ``T0.50``); one layer otherwise (accents drawn over
    their letters, kerning, overprints stay as they are)."""
    for a, b in zip(row, row[1:], strict=False):
        if a.x0s[-1] >= b.x0s[0] and (_numeric_run(a) != _numeric_run(b) or a.symbol != b.symbol):
            break
    else:
        return [row]
    overlap = s.layer_overlap
    layers: list[list[_Run]] = []
    for r in row:
        for layer in layers:
            if layer[-1].x1s[-1] <= r.x0s[0] + overlap * r.size:
                layer.append(r)
                break
        else:
            layers.append([r])
    return layers


def _runs_words(row: list[_Run], page: int, s: LayoutSettings) -> list[Word]:
    """:func:`_row_words` for a row whose glyphs in x order are its runs' glyphs run after run. The
    word-break rule is :func:`_gap_verdict` and :func:`_glyph_break`, as there; inside one run (one
    font and size) only the gap can break a word."""
    # the row's glyph gaps: inside pieces, across spaces inside a run, across runs
    gaps: list[float] = []
    first: _Run | None = None
    prev_x1: float | None = None
    for r in row:
        if not r.pieces:
            continue
        if first is None:
            first = r
        g, x0s, x1s = r.gaps, r.x0s, r.x1s
        for s0, e, _wide in r.pieces:
            if prev_x1 is not None:
                gaps.append(x0s[s0] - prev_x1)
            if e - s0 > 1:
                gaps.extend(g[s0:e - 1])
            prev_x1 = x1s[e - 1]
    if first is None:
        return []
    gaps.sort()
    base = _letter_gap(gaps, first.size, s)
    # letter-spaced text in the row (a gap between letters of a run, or of two runs of one font and
    # size, that the row's base would judge): its stretches' own tight gaps (:func:`_tracked_bases`)
    bases: list[float] | None = None
    offsets: dict[int, int] = {}
    cap = s.letter_gap_max
    tracked = False
    for k, r in enumerate(row):
        floor = _gap_floor(r.size, base, s)
        if r.gaps and max(r.gaps) > floor or k and (p := row[k - 1]).font == r.font and p.size == r.size \
                and floor < r.x0s[0] - p.x1s[-1] <= cap * r.size:
            tracked = True
            break
    if tracked:
        x0s: list[float] = []
        x1s: list[float] = []
        fonts: list[str] = []
        sizes: list[float] = []
        for r in row:
            offsets[id(r)] = len(x0s)
            x0s.extend(r.x0s)
            x1s.extend(r.x1s)
            fonts.extend([r.font] * len(r.text))
            sizes.extend([r.size] * len(r.text))
        bases = _tracked_bases(x0s, x1s, "".join([r.text for r in row]), fonts, sizes, base, s)

    words: list[Word] = []
    current: list[tuple[_Run, int, int]] = []  # segments (run, start, end) of the word being built
    joined = 0
    cuts: list[int] = []  # offsets in the word being built of joined gaps as wide as a space
    wlen = 0  # its length so far
    space_seen = False
    verdict, glyph_break = _gap_verdict, _glyph_break
    for r in row:
        size = r.size
        floor = _gap_floor(size, base, s)
        g, x0s, x1s, text = r.gaps, r.x0s, r.x1s, r.text
        for s0, e, wide in r.pieces:
            if wide:
                space_seen = True
            if current:
                pr, _, pe = current[-1]
                gap = x0s[s0] - pr.x1s[pe - 1]
                if pr is r:
                    v = verdict(gap, size, base, space_seen, s, size)
                    brk = v == _BREAK
                else:
                    psize = pr.size
                    big = psize if psize > size else size
                    # (a cut is measured on this run's size here, on the larger one glyph by glyph)
                    v = verdict(gap, big, base if bases is None else bases[offsets[id(r)] - 1], space_seen, s,
                                size)
                    brk = v == _BREAK or glyph_break(pr.text[pe - 1], text[s0], pr.font, r.font, psize, size, big,
                                                      gap, True, text[s0 + 1:s0 + 2], s)
                if brk:
                    words.append(_run_word(current, page, joined, cuts, s))
                    current, joined, cuts, wlen = [], 0, [], 0
                elif v:
                    joined += 1
                    if v == _SPACED:
                        cuts.append(wlen)
            space_seen = False
            # inside the piece: one run, one size and font; only gaps can split it, and only gaps
            # over the floor count
            start = s0
            if e - s0 > 1 and max(g[s0:e - 1]) > floor:
                for k in range(s0, e - 1):
                    gk = g[k]
                    if gk > floor:
                        v = verdict(gk, size, base if bases is None else bases[offsets[id(r)] + k], False, s, size)
                        if v == _BREAK:
                            current.append((r, start, k + 1))
                            words.append(_run_word(current, page, joined, cuts, s))
                            current, joined, cuts, wlen = [], 0, [], 0
                            start = k + 1
                        elif v:
                            joined += 1
                            if v == _SPACED:
                                cuts.append(wlen + k + 1 - start)
            current.append((r, start, e))
            wlen += e - start
        if r.wide_after:
            space_seen = True
    if current:
        words.append(_run_word(current, page, joined, cuts, s))
    return words


def _run_word(segs: list[tuple[_Run, int, int]], page: int, joined: int, cuts: list[int],
              s: LayoutSettings) -> Word:
    """``_gapped_word(_segments_word(segs, page, joined, s), cuts)``, with the most frequent case (a
    word of one run's glyphs, no ligature, no soft hyphen, no gap as wide as a space, nothing to
    read as drawn) made here at once: one call a word instead of three."""
    r0, s0, e0 = segs[0]
    if len(segs) == 1 and not cuts:
        text = r0.text[s0:e0]
        if (e0 - s0 == 1 or _LIGATURES.isdisjoint(text)) and SOFT_HYPHEN not in text and _DRAWN_KEYS.isdisjoint(text):
            x1s = r0.x1s
            return Word(text, r0.x0s[s0], r0.y0, max(x1s[s0:e0]) if e0 - s0 > 1 else x1s[s0], r0.y1, r0.baseline,
                        r0.font, r0.size, page, joined)
    return _gapped_word(_segments_word(segs, page, joined, s), cuts)


def _segments_word(segs: list[tuple[_Run, int, int]], page: int, joined: int,
                   s: LayoutSettings = DEFAULT_SETTINGS) -> Word:
    """:func:`_make_word` for glyphs given as run segments (every glyph of a run has the run's
    font, size, baseline and vertical extent)."""
    r0, s0, e0 = segs[0]
    if len(segs) == 1:
        text = r0.text[s0:e0]
        if (e0 - s0 == 1 or _LIGATURES.isdisjoint(text)) and SOFT_HYPHEN not in text:
            x1s = r0.x1s
            return Word(text, r0.x0s[s0], r0.y0, max(x1s[s0:e0]) if e0 - s0 > 1 else x1s[s0], r0.y1, r0.baseline,
                        r0.font, r0.size, page, joined)
    w = _segments_word_raw(segs, page, joined)
    if SOFT_HYPHEN in w.text:
        w.text = _drawn_hyphens(w.text, [x for r, a, e in segs for x in r.x0s[a:e]],
                                [x for r, a, e in segs for x in r.x1s[a:e]], w.size, w.font, s)
    return w


def _segments_word_raw(segs: list[tuple[_Run, int, int]], page: int, joined: int) -> Word:
    r0, s0, e0 = segs[0]
    if len(segs) == 1:
        text = r0.text[s0:e0]
        if e0 - s0 == 1 or _LIGATURES.isdisjoint(text):
            x1s = r0.x1s
            return Word(text, r0.x0s[s0], r0.y0, max(x1s[s0:e0]) if e0 - s0 > 1 else x1s[s0], r0.y1, r0.baseline,
                        r0.font, r0.size, page, joined)
    texts = [r.text[s:e] for r, s, e in segs]
    text = "".join(texts)
    n = len(text)
    x1 = max(max(r.x1s[s:e]) for r, s, e in segs)
    ligs = [sum(1 for c in t if c in _LIGATURES) for t in texts] if not _LIGATURES.isdisjoint(text) else None
    nlig = sum(ligs) if ligs else 0
    counts: dict[str, int] = {}
    if nlig == 0 or nlig == n:
        y0 = min(r.y0 for r, _, _ in segs)
        y1 = max(r.y1 for r, _, _ in segs)
        size = max(r.size for r, _, _ in segs)
        for r, s, e in segs:
            counts[r.font] = counts.get(r.font, 0) + e - s
        first_font = r0.font
        ref = None
    else:
        # A ligature glyph (often from a fallback font at its own size) takes the font, size,
        # baseline and extent of the word's middle letter.
        k = (n - nlig) // 2
        ref = r0
        for (r, _s, _e), t, lg in zip(segs, texts, ligs, strict=True):  # type: ignore[arg-type]
            if k < len(t) - lg:
                ref = r
                break
            k -= len(t) - lg
        lettered = [r for (r, _s, _e), t, lg in zip(segs, texts, ligs, strict=True) if len(t) > lg]  # type: ignore[arg-type]
        y0 = min(r.y0 for r in lettered)
        y1 = max(r.y1 for r in lettered)
        size = max(r.size for r in lettered)
        for (r, _s, _e), t, lg in zip(segs, texts, ligs, strict=True):  # type: ignore[arg-type]
            if len(t) > lg:
                counts[r.font] = counts.get(r.font, 0) + len(t) - lg
            if lg:
                counts[ref.font] = counts.get(ref.font, 0) + lg
        first_font = ref.font if text[0] in _LIGATURES else r0.font
    font = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if len(counts) > 1 else first_font
    mid = n // 2
    for r, s, e in segs:
        if mid < e - s:
            baseline = ref.baseline if ref is not None and text[n // 2] in _LIGATURES else r.baseline
            break
        mid -= e - s
    return Word(text, r0.x0s[s0], y0, x1, y1, baseline, font, size, page, joined, mixed=len(counts) > 1)


# ----------------------------------------------------------------------------------------------
# Words and lines from glyphs (geometry only; no knowledge of profiles)
# ----------------------------------------------------------------------------------------------

def build_words_and_lines(page: Page, *, settings: LayoutSettings | None = None) -> None:
    """Fill ``page.words`` and ``page.lines`` from ``page.chars``; record dropped overprints.
    ``settings``: the geometric thresholds (:data:`DEFAULT_SETTINGS` when None)."""
    s = settings or DEFAULT_SETTINGS
    chars = page.chars if page.deduped else _drop_overprints(page, s)
    rows = _baseline_rows(chars, s)
    words: list[Word] = []
    lines: list[Line] = []
    drawn: dict[int, int] | None = None  # each glyph's place in the order drawn (asked for lazily)
    for row in rows:
        layers = None
        if _glyphs_overlap(row):
            if drawn is None:
                drawn = {id(c): k for k, c in enumerate(chars)}
            layers = _layers(_char_runs(row, drawn, s.space_gap), s)
        if layers is not None and len(layers) > 1:  # a number drawn over a word: each on its own (as :func:`_layers`)
            row_words = sorted((w for layer in layers
                                for w in _row_words(sorted((c for r in layer for c in r.chars), key=lambda c: c.x0),
                                                    page.number, s)), key=lambda w: w.x0)
        else:
            row_words = _row_words(row, page.number, s)
        words.extend(row_words)
        lines.extend(_row_lines(row_words, page.number, s))
    lines.sort(key=lambda ln: (round(ln.baseline, 1), ln.x0))
    page.words = words
    page.lines = lines


def _glyphs_overlap(row: list[Char]) -> bool:
    """Whether two glyphs of a row (in x order) overlap by more than half the narrower's width."""
    glyphs = [c for c in row if not c.c.isspace()]
    return any(b.x0 < a.x1 - 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) for a, b in zip(glyphs, glyphs[1:], strict=False))


class _CharRun:
    """Glyphs of a row drawn one after the other (in the order drawn) in one font and size, each
    right of the last and near it: the glyph-list engines' runs, for :func:`_layers`."""
    __slots__ = ("chars", "text", "size", "symbol", "x0s", "x1s")

    def __init__(self, chars: list[Char]) -> None:
        self.chars = chars
        self.text = "".join(c.c for c in chars)
        self.size = chars[0].size
        self.symbol = is_symbol_font(chars[0].font)
        self.x0s = [c.x0 for c in chars]
        self.x1s = [c.x1 for c in chars]


def _char_runs(row: list[Char], drawn: dict[int, int], space: float) -> list[_CharRun]:
    """A row's glyphs as runs (:class:`_CharRun`), in x order of their first glyphs; a gap wider
    than ``space`` sizes with no blank drawn in it starts a run (a string placed apart)."""
    runs: list[list[Char]] = []
    for c in sorted(row, key=lambda c: drawn.get(id(c), 0)):
        last = runs[-1][-1] if runs else None
        if last is None or c.font != last.font or c.size != last.size or c.x0 < last.x0 \
                or c.x0 - last.x1 > space * c.size or drawn.get(id(c), 0) != drawn.get(id(last), 0) + 1:
            runs.append([c])
        else:
            runs[-1].append(c)
    return sorted((_CharRun(r) for r in runs), key=lambda r: r.x0s[0])


def _drop_overprints(page: Page, s: LayoutSettings) -> list[Char]:
    tol = s.overprint_tol
    cell = tol if tol > 4.0 else 4.0  # grid step of the search: neighbouring cells hold every glyph within tol
    seen: dict[tuple[str, int, int], list[Char]] = {}
    kept: list[Char] = []
    dropped: list[Char] = []
    for ch in page.chars:
        if ch.c.isspace():
            kept.append(ch)
            continue
        key = (ch.c, int(ch.x0 // cell), int(ch.baseline // cell))
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in seen.get((ch.c, key[1] + dx, key[2] + dy), ()):
                    if abs(other.x0 - ch.x0) < tol and abs(other.baseline - ch.baseline) < tol:
                        dup = True
                        break
        if dup:
            dropped.append(ch)
            continue
        seen.setdefault(key, []).append(ch)
        kept.append(ch)
    if dropped:
        for row in _baseline_rows(dropped, s):
            page.overprints.append("".join(c.c for c in sorted(row, key=lambda c: c.x0)))
    return kept


def _baseline_rows(chars: list[Char], s: LayoutSettings) -> list[list[Char]]:
    """Group glyphs by baseline (tolerance relative to font size)."""
    tol = s.baseline_tol
    rows: list[list[Char]] = []
    ref: Char | None = None
    last: list[Char] = []
    for ch in sorted(chars, key=lambda c: (c.baseline, c.x0)):
        if ref is not None and abs(ch.baseline - ref.baseline) <= tol * (ref.size if ref.size > ch.size else ch.size):
            last.append(ch)
            continue
        last = [ch]
        rows.append(last)
        ref = ch
    for row in rows:
        row.sort(key=lambda c: c.x0)
    return rows


# The word-break rule, written once: :func:`_gap_verdict` (what the gap between two glyphs next to
# each other on a row says) and :func:`_glyph_break` (what the two glyphs themselves say), used by
# :func:`_row_words` glyph by glyph and by :func:`_runs_words` run by run.

#: Verdicts of :func:`_gap_verdict` (falsy only for a tight gap).
_TIGHT, _JOINED, _SPACED, _BREAK = 0, 1, 2, 3


def _gap_verdict(gap: float, size: float, base: float, space_seen: bool, s: LayoutSettings, cut_size: float) -> int:
    """The gap ``gap`` between two glyphs of a row, the larger of size ``size``, the row's tight letter
    gap being ``base`` (:func:`_letter_gap`): ``_BREAK`` when it separates words (wider than ``base``
    plus ``word_gap``, or wider than ``tight_gap`` after a space glyph, ``space_seen``: a space that
    does not advance, a browser's soft hyphen, is no word break); else ``_SPACED`` when it is joined
    though a reader cutting at spaces would have cut it (wider than ``tight_gap``, and than
    ``space_gap`` of ``cut_size``), ``_JOINED`` when joined and wider than ``tight_gap`` (tracking,
    kerning), ``_TIGHT`` otherwise."""
    tight = s.tight_gap * size
    if gap > base + s.word_gap * size or space_seen and gap > tight:
        return _BREAK
    if gap > tight:
        return _SPACED if gap > s.space_gap * cut_size else _JOINED
    return _TIGHT


def _gap_floor(size: float, base: float, s: LayoutSettings) -> float:
    """The widest gap :func:`_gap_verdict` calls ``_TIGHT`` for glyphs of size ``size`` when no space
    glyph is before it: a run's gaps none of which is wider need no verdict."""
    tight = s.tight_gap * size
    brk = base + s.word_gap * size
    return tight if tight < brk else brk


def _letter_gap(gaps: list[float], size: float, s: LayoutSettings) -> float:
    """The tight letter gap of a row from its glyph gaps (sorted) and the size of its first glyph:
    the lower quartile (tracking, letter-spacing, raises it for every glyph alike), at most
    ``letter_gap_max`` of the size and not negative."""
    base = gaps[len(gaps) // 4] if gaps else 0.0
    return max(0.0, min(base, s.letter_gap_max * size))


def _tracked_bases(x0s: Sequence[float], x1s: Sequence[float], text: str, fonts: Sequence[str],
                   sizes: Sequence[float], base: float, s: LayoutSettings) -> list[float]:
    """The tight letter gap each gap of a row is measured from (item ``k``: the gap between glyphs
    ``k`` and ``k + 1`` of the row's glyphs in x order, spaces included). Tracking is set per piece
    of text, not per row: a letter-spaced label (``H U M A N  T R A F F I C K I N G``) shares its
    row with untracked cells, whose tight gaps make the row's lower quartile. So the row is cut into
    stretches of glyphs of one font and size with no gap wider than ``letter_gap_max`` of the size
    and no letter next to a digit (a label overflowing its cell against the number beside it:
    ``E n f o r c e m e n t0.00``), and a stretch with at least ``tracking_gaps`` gaps between neighbouring letters (neither a
    space) measures those from their own lower quartile where it is wider than the row's ``base``
    (at most ``letter_gap_max`` of its size). Every other gap keeps ``base``."""
    n = len(text)
    out = [base] * (n - 1 if n else 0)
    cap, least = s.letter_gap_max, s.tracking_gaps
    start = 0
    for k in range(1, n + 1):
        if k < n and fonts[k] == fonts[start] and sizes[k] == sizes[start] \
                and x0s[k] - x1s[k - 1] <= cap * sizes[start] \
                and not (text[k].isdigit() and text[k - 1].isalpha() or text[k].isalpha() and text[k - 1].isdigit()):
            continue
        letters = [j for j in range(start, k - 1) if not text[j].isspace() and not text[j + 1].isspace()]
        if len(letters) >= least:
            own = _letter_gap(sorted([x0s[j + 1] - x1s[j] for j in letters]), sizes[start], s)
            if own > base:
                for j in letters:
                    out[j] = own
        start = k
    return out


def _glyph_break(a: str, b: str, afont: str, bfont: str, asize: float, bsize: float, size: float, gap: float,
                 other_run: bool, after: str, s: LayoutSettings) -> bool:
    """Whether glyph ``b`` starts a new word after glyph ``a`` whatever the gap (``gap``; ``size``: the
    larger of their sizes): their sizes differ by more than ``size_change`` (except at a ligature drawn
    from a fallback font at its own size, ``e`` + ``ﬀ`` + ``ectively``: the cleaner expands it later),
    one is from a symbol font and the other from another font, or two texts run into each other (a
    label overflowing its cell onto the number of the next column, ``ENFORCEMENT`` over ``0.0``,
    ``PREVENTION`` against ``−1.00`` or ``[1.50]``): across two text runs (``other_run``), a letter
    next to a digit, or to a sign or an opening bracket that starts a number (``after``: the glyph
    after ``b``), however close; two digits whose boxes overlap by more than ``collision`` (``0.2``
    drawn into ``7 out of 10``: digits are not kerned into each other); in one run, a letter and a
    digit whose boxes overlap by more than ``collision`` (``G7``, a kerned ``T-`` and a ligature's
    line-end hyphen ``eﬃ-`` stay words)."""
    if abs(asize - bsize) > s.size_change * size and not (_is_ligature(a) or _is_ligature(b)):
        return True
    if afont != bfont and (is_symbol_font(afont) or is_symbol_font(bfont)) and a not in _HYPHENS and b not in _HYPHENS:
        return True  # (a hyphen drawn from another font between two letters stays in its word)
    digit = (a.isalpha() and b.isdigit()) or (a.isdigit() and b.isalpha())
    if a.isdigit() and b.isdigit() and gap < -s.collision * size:
        return True  # two numbers drawn into each other (a heading's change over the next column's score)
    if other_run:
        return digit or (a.isalpha() and b in _NUMBER_STARTS and after[:1].isdigit())
    return digit and gap < -s.collision * size


#: A hyphen's code points that no symbol font's arrow or sign takes: the soft hyphen (a visible
#: hyphen whose font maps it there), U+2010 and U+2011 (a producer's actual text for it).
_HYPHENS = frozenset((SOFT_HYPHEN, "\u2010", "\u2011"))
_SIGNS = "+-\u2212"
#: The glyphs that may start a number before its first digit: a sign, an opening bracket (``[1.50]``).
_NUMBER_STARTS = _SIGNS + "(["


def _overlaid(row: list[Char], s: LayoutSettings) -> list[list[Char]]:
    """A row's glyphs split into one row per baseline when texts of different baselines are drawn
    over one another (a label overflowing its cell over the number of the next column: taken in x
    order, their glyphs would interleave, ``N0G.0``); else the row as it is."""
    glyphs = sorted((c for c in row if not c.c.isspace()), key=lambda c: c.x0)
    if not any(_drawn_over(a.x0, a.x1, a.baseline, a.size, b.x0, b.x1, b.baseline, b.size, s)
               for a, b in zip(glyphs, glyphs[1:], strict=False)):
        return [row]
    apart = s.overlaid_baselines
    groups: list[list[Char]] = []
    for c in sorted(row, key=lambda c: c.baseline):
        if groups and c.baseline - groups[-1][-1].baseline <= apart * c.size:
            groups[-1].append(c)
        else:
            groups.append([c])
    return [sorted(g, key=lambda c: c.x0) for g in groups]


def _drawn_over(ax0: float, ax1: float, abase: float, asize: float,
                bx0: float, bx1: float, bbase: float, bsize: float, s: LayoutSettings) -> bool:
    """Whether glyph ``b`` (the next in x order) is drawn over glyph ``a`` from another baseline:
    they overlap by more than ``overlay_fraction`` of the narrower one, and their baselines are more
    than ``overlaid_baselines`` apart."""
    return bx0 < ax1 - s.overlay_fraction * min(ax1 - ax0, bx1 - bx0) \
        and abs(abase - bbase) > s.overlaid_baselines * max(asize, bsize)


def _row_words(row: list[Char], page: int, s: LayoutSettings) -> list[Word]:
    parts = _overlaid(row, s)
    if len(parts) > 1:
        return sorted((w for part in parts for w in _row_words(part, page, s)), key=lambda w: w.x0)
    glyphs = [c for c in row if not c.c.isspace()]
    if not glyphs:
        return []
    base = _letter_gap(sorted(b.x0 - a.x1 for a, b in zip(glyphs, glyphs[1:], strict=False)), glyphs[0].size, s)
    bases = _tracked_bases([c.x0 for c in row], [c.x1 for c in row], "".join([c.c for c in row]),
                           [c.font for c in row], [c.size for c in row], base, s)
    wide = s.space_min_width
    verdict, glyph_break = _gap_verdict, _glyph_break
    words: list[Word] = []
    current: list[Char] = []
    joined = 0
    cuts: list[int] = []
    space_seen = False
    for i, ch in enumerate(row):
        if ch.c.isspace():
            if ch.x1 - ch.x0 > wide * ch.size:
                space_seen = True
            continue
        if current:
            prev = current[-1]
            gap = ch.x0 - prev.x1
            size = prev.size if prev.size > ch.size else ch.size
            v = verdict(gap, size, bases[i - 1], space_seen, s, size)
            if v == _BREAK or glyph_break(prev.c, ch.c, prev.font, ch.font, prev.size, ch.size, size, gap, False, "",
                                          s):
                words.append(_gapped_word(_make_word(current, page, joined, s), cuts))
                current, joined, cuts = [], 0, []
            elif v:
                joined += 1
                if v == _SPACED:
                    cuts.append(len(current))
        space_seen = False
        current.append(ch)
    if current:
        words.append(_gapped_word(_make_word(current, page, joined, s), cuts))
    return words


def _gapped(text: str, cuts: list[int]) -> str:
    """``text`` with a space at each offset of ``cuts``."""
    out, last = [], 0
    for c in cuts:
        out.append(text[last:c])
        last = c
    out.append(text[last:])
    return " ".join(out)


def _gapped_word(w: Word, cuts: list[int]) -> Word:
    """The word made: its gapped reading (``cuts``: offsets of joined gaps as wide as a space), and
    its text read as drawn (:data:`AS_DRAWN`; not in a symbol or icon font)."""
    if cuts:
        w.gapped = _gapped(w.text, cuts)
    if not _DRAWN_KEYS.isdisjoint(w.text) and not is_symbol_font(w.font):
        w.text = as_drawn(w.text)
        if w.gapped:
            w.gapped = as_drawn(w.gapped)
    return w


def _drawn_hyphens(text: str, x0s: Sequence[float], x1s: Sequence[float], size: float, font: str,
                   s: LayoutSettings) -> str:
    """``text`` (one word's glyphs, boxes ``x0s``/``x1s``) with each soft hyphen that is drawn (it
    advances at least ``hyphen_advance`` of the size to the next glyph, or at the word's end is that
    wide) read as ``-``: a visible hyphen whose font maps it to U+00AD. A soft hyphen with no advance
    (an invisible break point) stays, for the cleaner to remove; a symbol font's stays what it is
    (Symbol's 0xAD is an up arrow) unless it stands between two letters, where no arrow does (a
    visible hyphen drawn from a fallback or icon font inside a compound: ``Anti-corruption``)."""
    symbol = is_symbol_font(font)
    least = s.hyphen_advance * size
    out = list(text)
    last = len(text) - 1
    for k, c in enumerate(text):
        if c == SOFT_HYPHEN and ((x0s[k + 1] if k < last else x1s[k]) - x0s[k]) >= least and (
                not symbol or (0 < k < last and text[k - 1].isalpha() and text[k + 1].isalpha())):
            out[k] = "-"
    return "".join(out)


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


def _is_ligature(c: str) -> bool:
    return "\ufb00" <= c <= "\ufb06" or c == "\ufffd"


def _make_word(chars: list[Char], page: int, joined: int, s: LayoutSettings = DEFAULT_SETTINGS) -> Word:
    if len(chars) > 1 and any(_is_ligature(c.c) for c in chars) and not all(_is_ligature(c.c) for c in chars):
        # The word's size and font are those of its letters, not of a fallback ligature glyph.
        letters = [c for c in chars if not _is_ligature(c.c)]
        ref = letters[len(letters) // 2]
        chars = [c if not _is_ligature(c.c) else Char(c.c, c.x0, ref.y0, c.x1, ref.y1, ref.baseline, ref.font,
                                                      ref.size) for c in chars]
    first = chars[0]
    if len(chars) == 1:
        text = first.c if first.c != SOFT_HYPHEN else _drawn_hyphens(first.c, [first.x0], [first.x1], first.size,
                                                                     first.font, s)
        return Word(text, first.x0, first.y0, first.x1, first.y1, first.baseline, first.font, first.size,
                    page, joined)
    font = first.font
    y0, y1, x1, size = first.y0, first.y1, first.x1, first.size
    mixed = False
    for c in chars:
        if c.y0 < y0:
            y0 = c.y0
        if c.y1 > y1:
            y1 = c.y1
        if c.x1 > x1:
            x1 = c.x1
        if c.size > size:
            size = c.size
        if c.font != font:
            mixed = True
    if mixed:
        counts: dict[str, int] = {}
        for c in chars:
            counts[c.font] = counts.get(c.font, 0) + 1
        font = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    text = "".join(c.c for c in chars)
    if SOFT_HYPHEN in text and len(text) == len(chars):
        text = _drawn_hyphens(text, [c.x0 for c in chars], [c.x1 for c in chars], size, font, s)
    return Word(text, first.x0, y0, x1, y1, chars[len(chars) // 2].baseline, font, size, page, joined, mixed=mixed)


def _row_lines(words: list[Word], page: int, s: LayoutSettings) -> list[Line]:
    line_gap = s.line_gap
    lines: list[Line] = []
    current: list[Word] = []
    for w in sorted(words, key=lambda w: w.x0):
        if current:
            prev = current[-1]
            if w.x0 - prev.x1 > line_gap * max(prev.size, w.size):
                lines.append(Line(current, page))
                current = []
        current.append(w)
    if current:
        lines.append(Line(current, page))
    return lines
