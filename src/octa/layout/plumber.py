"""The pdfplumber engine (pdfminer-based, a second opinion): pdfplumber's chars, rects and curves
turned into the page model; icon boxes rendered with MuPDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from octa.errors import CorruptFile, EncryptedFile, TooLarge
from octa.layout.drawn import (
    _DIGIT,
    _glyph_icons_chars,
    _image_icons,
    _InkReader,
    _page_cut,
    _path_icons,
    icon_direction,
)
from octa.layout.files import _check_box, _check_pages, _short
from octa.layout.page import NOT_TEXT, Char, Document, Icon, Page, Rect
from octa.layout.settings import LayoutSettings


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
