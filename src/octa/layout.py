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

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from octa.errors import CorruptFile, EncryptedFile, NoTextLayer, TooLarge, UnsupportedInput

ENGINES: tuple[str, ...] = ("pymupdf", "pdfplumber")

#: Default page cap: profiles have 3–8 pages; anything far longer is not a profile.
DEFAULT_MAX_PAGES = 200
#: Largest page side accepted, in points (PDF's own limit is 14,400 pt = 200 in).
MAX_PAGE_SIDE = 14400.0
#: Largest input file accepted, in bytes.
MAX_FILE_BYTES = 200 * 1024 * 1024

# Word and line building, as fractions of the font size.
_WORD_GAP = 0.12  # a gap wider than (base letter gap + this) separates words
_LINE_GAP = 1.0  # a gap wider than this separates line segments (cells, columns)
_BASELINE_TOL = 0.25  # glyphs whose baselines differ less than this share a line
_OVERPRINT_TOL = 1.0  # points: the same glyph drawn again within this is an overprint

#: Characters a text layer may carry that are not text: C0/C1 controls other than whitespace, bidi
#: embeddings, overrides, isolates and marks, zero-width spaces and joiners' invisible kin, the BOM.
#: A hostile (or broken) producer can hide them inside words and numbers; they are dropped on load.
#: Soft hyphens and ZWJ/ZWNJ (meaningful in some scripts) are kept.
NOT_TEXT = frozenset(
    [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if not chr(c).isspace()]
    + ["\u061c", "\u200b", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2060, 0x2065)),
       *map(chr, range(0x2066, 0x2070)), "\ufeff", "\ufff9", "\ufffa", "\ufffb"]
)
assert all(unicodedata.category(c) in ("Cc", "Cf") for c in NOT_TEXT)
#: Glyphs that are dropped when drawn with no advance (the next glyph starts where they start): a
#: glyph without text (U+FFFD, MuPDF's stand-in for a control code) or a blank is not a gap then.
_NO_ADVANCE_DROP = frozenset(" \t\n\r\x0b\x0c\xa0\ufffd")
_SUSPECT = NOT_TEXT | _NO_ADVANCE_DROP


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

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def bold(self) -> bool:
        f = self.font.lower()
        return "bold" in f or "black" in f or "heavy" in f or f.endswith("-bd") or ",bold" in f


@dataclass(slots=True)
class Line:
    words: list[Word]
    page: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def baseline(self) -> float:
        return median(w.baseline for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

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
    deduped: bool = False  # overprints already removed by the engine loader


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


def load(
    path: str | Path,
    engine: str = "pymupdf",
    password: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    require_text: bool = True,
) -> Document:
    """Read a PDF into the page model. Raises ``CorruptFile``, ``EncryptedFile``, ``NoTextLayer``,
    ``TooLarge`` or ``UnsupportedInput`` with the file name and the reason."""
    path = Path(path)
    if engine not in ENGINES:
        raise UnsupportedInput(str(path), f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CorruptFile(str(path), f"cannot read file: {exc.strerror or exc}") from None
    if size == 0:
        raise CorruptFile(str(path), "empty file (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise TooLarge(str(path), f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise CorruptFile(str(path), "not a PDF file (no %PDF- header)")
    digest = sha256_file(path)
    loader = _load_pymupdf if engine == "pymupdf" else _load_pdfplumber
    doc = loader(path, password, max_pages)
    doc.sha256 = digest
    for page in doc.pages:
        build_words_and_lines(page)
    if require_text and not any(p.chars for p in doc.pages):
        images = sum(p.images for p in doc.pages)
        detail = f" ({images} images: a scanned or image-only PDF)" if images else ""
        raise NoTextLayer(str(path), f"no text layer on any of {len(doc.pages)} pages{detail}")
    return doc


_OBJ_HEADER = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_REF = re.compile(r"(\d+)\s+\d+\s+R\b")
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


def _load_pymupdf(path: Path, password: str | None, max_pages: int) -> Document:
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)  # reasons go to the caller, not to stderr
    try:
        pdf = pymupdf.open(str(path), filetype="pdf")
    except Exception as exc:  # MuPDF raises FileDataError, RuntimeError, ValueError...
        raise CorruptFile(str(path), f"cannot be opened as a PDF ({_short(exc)})") from None
    try:
        if pdf.needs_pass:
            if not password:
                raise EncryptedFile(str(path), "encrypted with a user password (give it with --password)")
            if not pdf.authenticate(password):
                raise EncryptedFile(str(path), "encrypted, and the password given does not open it")
        _check_pages(path, pdf.page_count, max_pages)
        meta = {k: str(v) for k, v in (pdf.metadata or {}).items() if v}
        pages = []
        for index in range(pdf.page_count):
            try:
                page = pdf.load_page(index)
                rect = page.rect
                _check_box(path, rect.width, rect.height)
                overprints: list[str] = []
                chars = [c for c in _pymupdf_chars(page.get_texttrace(), overprints)
                         if c.x1 > 0 and c.y1 > 0 and c.x0 < rect.width and c.y0 < rect.height]
                rects = list(_pymupdf_rects(page))
                images = len(page.get_images()) if not chars else 0
            except (EncryptedFile, TooLarge):
                raise
            except Exception as exc:
                raise CorruptFile(str(path), f"page {index + 1} cannot be read ({_short(exc)})") from None
            pages.append(Page(index + 1, rect.width, rect.height, chars, rects, overprints=overprints,
                              images=images, deduped=True))
        if pdf.is_repaired:
            _check_complete(path, pdf)
    finally:
        pdf.close()
    return Document(str(path), "", "pymupdf", pages, meta)


def _pymupdf_chars(trace: list[dict], overprints: list[str]) -> list[Char]:
    """Glyphs from MuPDF's text trace (one entry per text run as drawn): visible, horizontal text
    only; a run drawn again within a point of itself (fake bold, producer duplicates) is an
    overprint, kept once and recorded."""
    out: list[Char] = []
    seen: set[tuple[str, int, int]] = set()
    for span in trace:
        if span.get("type") == 3 or span.get("opacity", 1) == 0 or span.get("wmode", 0) != 0:
            continue  # invisible text (OCR layers, hidden text) and vertical text
        d = span.get("dir", (1, 0))
        if abs(d[1]) > 0.01 or d[0] <= 0:
            continue  # rotated text is decoration in profiles
        chars = span["chars"]
        if not chars:
            continue
        text = "".join(chr(c[0]) if c[0] >= 0 else "\ufffd" for c in chars)
        if text.strip():
            ox, oy = chars[0][2]
            gx, gy = int(ox), int(oy)
            if any((text, gx + dx, gy + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                overprints.append(text)
                continue
            seen.add((text, gx, gy))
        font, size = span["font"], round(span["size"], 2)
        last = len(chars) - 1
        for k, (ch, (_u, _g, origin, bbox)) in enumerate(zip(text, chars, strict=True)):
            if ch in _SUSPECT and (ch in NOT_TEXT or k < last and abs(chars[k + 1][2][0] - origin[0]) < 0.01):
                continue
            out.append(Char(ch, bbox[0], bbox[1], bbox[2], bbox[3], origin[1], font, size))
    return out


def _pymupdf_rects(page: object) -> Iterable[Rect]:
    for d in page.get_drawings():  # type: ignore[attr-defined]
        fill = d.get("fill")
        if fill is None:
            continue
        items = d.get("items", ())
        if len(items) == 1 and items[0][0] == "re" or _is_axis_box(items):
            r = d["rect"]
            yield Rect(r.x0, r.y0, r.x1, r.y1, tuple(round(c, 3) for c in fill))


def _is_axis_box(items: list) -> bool:
    if not 3 <= len(items) <= 5 or any(it[0] != "l" for it in items):
        return False
    return all(abs(it[1].x - it[2].x) < 0.01 or abs(it[1].y - it[2].y) < 0.01 for it in items)


def _load_pdfplumber(path: Path, password: str | None, max_pages: int) -> Document:
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
                for ch in page.chars:
                    if ch.get("upright", True) is False:
                        continue
                    text = ch["text"]
                    if not NOT_TEXT.isdisjoint(text):
                        text = "".join(c for c in text if c not in NOT_TEXT)
                        if not text:
                            continue
                    baseline = height - float(ch["matrix"][5]) if ch.get("matrix") else float(ch["bottom"])
                    chars.append(Char(text, float(ch["x0"]), float(ch["top"]), float(ch["x1"]),
                                      float(ch["bottom"]), baseline, str(ch.get("fontname", "")),
                                      round(float(ch["size"]), 2)))
                rects = [Rect(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]),
                              _plumber_fill(r)) for r in page.rects if r.get("fill")]
                images = len(page.images)
            except (EncryptedFile, TooLarge):
                raise
            except Exception as exc:
                raise CorruptFile(str(path), f"page {index + 1} cannot be read ({_short(exc)})") from None
            pages.append(Page(index + 1, float(page.width), float(page.height), chars, rects, images=images))
            page.flush_cache()
    finally:
        pdf.close()
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
# Words and lines from glyphs (geometry only; no knowledge of profiles)
# ----------------------------------------------------------------------------------------------

def build_words_and_lines(page: Page) -> None:
    """Fill ``page.words`` and ``page.lines`` from ``page.chars``; record dropped overprints."""
    chars = page.chars if page.deduped else _drop_overprints(page)
    rows = _baseline_rows(chars)
    words: list[Word] = []
    lines: list[Line] = []
    for row in rows:
        row_words = _row_words(row, page.number)
        words.extend(row_words)
        lines.extend(_row_lines(row_words, page.number))
    lines.sort(key=lambda ln: (round(ln.baseline, 1), ln.x0))
    page.words = words
    page.lines = lines


def _drop_overprints(page: Page) -> list[Char]:
    seen: dict[tuple[str, int, int], list[Char]] = {}
    kept: list[Char] = []
    dropped: list[Char] = []
    for ch in page.chars:
        if ch.c.isspace():
            kept.append(ch)
            continue
        key = (ch.c, int(ch.x0 // 4), int(ch.baseline // 4))
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in seen.get((ch.c, key[1] + dx, key[2] + dy), ()):
                    if abs(other.x0 - ch.x0) < _OVERPRINT_TOL and abs(other.baseline - ch.baseline) < _OVERPRINT_TOL:
                        dup = True
                        break
        if dup:
            dropped.append(ch)
            continue
        seen.setdefault(key, []).append(ch)
        kept.append(ch)
    if dropped:
        for row in _baseline_rows(dropped):
            page.overprints.append("".join(c.c for c in sorted(row, key=lambda c: c.x0)))
    return kept


def _baseline_rows(chars: list[Char]) -> list[list[Char]]:
    """Group glyphs by baseline (tolerance relative to font size)."""
    rows: list[list[Char]] = []
    ref: Char | None = None
    last: list[Char] = []
    for ch in sorted(chars, key=lambda c: (c.baseline, c.x0)):
        if ref is not None and abs(ch.baseline - ref.baseline) <= _BASELINE_TOL * (ref.size if ref.size > ch.size
                                                                                     else ch.size):
            last.append(ch)
            continue
        last = [ch]
        rows.append(last)
        ref = ch
    for row in rows:
        row.sort(key=lambda c: c.x0)
    return rows


def _row_words(row: list[Char], page: int) -> list[Word]:
    glyphs = [c for c in row if not c.c.isspace()]
    if not glyphs:
        return []
    gaps = sorted(b.x0 - a.x1 for a, b in zip(glyphs, glyphs[1:], strict=False))
    # The tight letter gap of this row: tracking (letter-spacing) raises it for every glyph alike.
    base = gaps[len(gaps) // 4] if gaps else 0.0
    base = max(0.0, min(base, 0.5 * glyphs[0].size))
    symbol = {f: is_symbol_font(f) for f in {c.font for c in glyphs}}
    words: list[Word] = []
    current: list[Char] = []
    joined = 0
    space_seen = False
    for ch in row:
        if ch.c.isspace():
            if ch.x1 - ch.x0 > 0.05 * ch.size:
                space_seen = True
            continue
        if current:
            prev = current[-1]
            gap = ch.x0 - prev.x1
            size = prev.size if prev.size > ch.size else ch.size
            # A size change splits words, except at a ligature drawn from a fallback font at its own
            # size ("e" + "ﬀ" + "ectively"): the cleaner expands the ligature later.
            resized = abs(prev.size - ch.size) > 0.3 * size and not (_is_ligature(prev.c) or _is_ligature(ch.c))
            brk = space_seen or gap > base + _WORD_GAP * size or resized \
                or (prev.font != ch.font and (symbol[prev.font] or symbol[ch.font]))
            if brk:
                words.append(_make_word(current, page, joined))
                current, joined = [], 0
            elif gap > 0.08 * size:
                joined += 1
        space_seen = False
        current.append(ch)
    if current:
        words.append(_make_word(current, page, joined))
    return words


def is_symbol_font(font: str) -> bool:
    """Fonts whose glyphs are pictures (arrows, bullets), not letters: their decoded characters
    mean nothing as text and must be interpreted by their font."""
    f = font.lower()
    return any(k in f for k in ("symbol", "dingbat", "wingding", "webding", "arrow", "fontawesome", "icon"))


def _is_ligature(c: str) -> bool:
    return "\ufb00" <= c <= "\ufb06" or c == "\ufffd"


def _make_word(chars: list[Char], page: int, joined: int) -> Word:
    if len(chars) > 1 and any(_is_ligature(c.c) for c in chars) and not all(_is_ligature(c.c) for c in chars):
        # The word's size and font are those of its letters, not of a fallback ligature glyph.
        letters = [c for c in chars if not _is_ligature(c.c)]
        ref = letters[len(letters) // 2]
        chars = [c if not _is_ligature(c.c) else Char(c.c, c.x0, ref.y0, c.x1, ref.y1, ref.baseline, ref.font,
                                                      ref.size) for c in chars]
    first = chars[0]
    if len(chars) == 1:
        return Word(first.c, first.x0, first.y0, first.x1, first.y1, first.baseline, first.font, first.size,
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
    return Word("".join(c.c for c in chars), first.x0, y0, x1, y1, chars[len(chars) // 2].baseline, font, size,
                page, joined)


def _row_lines(words: list[Word], page: int) -> list[Line]:
    lines: list[Line] = []
    current: list[Word] = []
    for w in sorted(words, key=lambda w: w.x0):
        if current:
            prev = current[-1]
            if w.x0 - prev.x1 > _LINE_GAP * max(prev.size, w.size):
                lines.append(Line(current, page))
                current = []
        current.append(w)
    if current:
        lines.append(Line(current, page))
    return lines
