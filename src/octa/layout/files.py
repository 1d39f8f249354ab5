"""Files before any engine reads them: the limits (pages, page box, bytes), the checks that name a
bad file's reason, the file's digest, and the collector pause for building a page model.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from octa.errors import CorruptFile, TooLarge

ENGINES: tuple[str, ...] = ("pymupdf", "pdfplumber")

#: Default page cap: profiles have 3–8 pages; anything far longer is not a profile.
DEFAULT_MAX_PAGES = 200
#: Largest page side accepted, in points (PDF's own limit is 14,400 pt = 200 in).
MAX_PAGE_SIDE = 14400.0
#: Largest input file accepted, in bytes.
MAX_FILE_BYTES = 200 * 1024 * 1024


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


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
