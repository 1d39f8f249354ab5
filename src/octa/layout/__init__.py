"""The layout layer: the only package that touches a PDF library.

It turns a PDF into positioned text, the same page model whatever the engine. Its modules, from
the bottom up:

* :mod:`octa.layout.page` — the page model the readers consume (:class:`Char`, :class:`Word`,
  :class:`Line`, :class:`Rect`, :class:`Icon`, :class:`Page`, :class:`Document`); it imports
  nothing of octa;
* :mod:`octa.layout.settings` — the layer's thresholds (:class:`LayoutSettings`);
* :mod:`octa.layout.words` — the word and line builder (glyphs → words → lines), the same for
  every engine;
* :mod:`octa.layout.drawn` — what is drawn, read alike in both engines: glyphs cut off at an edge,
  icons from their outline or ink;
* :mod:`octa.layout.files` — limits and checks of a file before an engine reads it;
* :mod:`octa.layout.mupdf` — the pymupdf engine (default, fast);
* :mod:`octa.layout.plumber` — the pdfplumber engine (pdfminer-based, a second opinion);
* this module: :func:`load`, which checks a file, runs an engine and builds the words and lines.

The readers (cleaner, parsers) import only the page model; an engine is one module behind it.
Coordinates are PDF points with the origin at the top left of the page; pages are 1-based. Bad
input raises an :class:`octa.errors.OctaError` subclass naming the reason.
"""

from __future__ import annotations

from pathlib import Path

from octa.errors import CorruptFile, EmptyFile, NoTextLayer, TooLarge, UnsupportedInput
from octa.layout.files import DEFAULT_MAX_PAGES, ENGINES, MAX_FILE_BYTES, MAX_PAGE_SIDE, gc_paused, sha256_file
from octa.layout.mupdf import _load_pymupdf
from octa.layout.page import (
    AS_DRAWN,
    CLIPPED,
    NOT_TEXT,
    SOFT_HYPHEN,
    Char,
    Document,
    Icon,
    Line,
    Page,
    Rect,
    Word,
    as_drawn,
    is_bold_font,
    is_symbol_font,
    median,
)
from octa.layout.plumber import _load_pdfplumber
from octa.layout.settings import DEFAULT_SETTINGS, LayoutSettings
from octa.layout.words import build_words_and_lines
from octa.thresholds import ICON_MAX, documented

__all__ = [
    "AS_DRAWN", "CLIPPED", "DEFAULT_MAX_PAGES", "DEFAULT_SETTINGS", "ENGINES", "ICON_MAX", "MAX_FILE_BYTES",
    "MAX_PAGE_SIDE", "NOT_TEXT", "SOFT_HYPHEN", "Char", "Document", "Icon", "LayoutSettings", "Line", "Page",
    "Rect", "Word", "as_drawn", "build_words_and_lines", "documented", "gc_paused", "is_bold_font",
    "is_symbol_font", "load", "median", "sha256_file",
]


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
