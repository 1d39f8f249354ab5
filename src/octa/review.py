"""The review pages of a batch output folder (``octa review OUTDIR``, ``octa batch --review``).

:func:`write_review` writes ``OUTDIR/review/index.html``, a sortable list of every profile of the batch
(worst first: failed files, then most errors, then most warnings), and one page per profile,
``OUTDIR/review/<stem>.html``: each page of the source PDF as an image with a box around every value
read (indicator scores, summary scores, ranks, section headings), coloured by status (ok, inferred,
flagged by the validator), the extracted values in a table beside it, the validator's findings as
links to the boxes, and the cleaning repairs.

It also writes one page per country, ``OUTDIR/review/countries/<ISO3>.html`` (from the panel of the
folder's profiles, :mod:`octa.panel`): each summary score and each indicator across editions as small
multiples (inline SVG), every point a link to the box on the page image where it was read, and every
printed change whose check against the previous edition's profile failed marked in red.

The pages are self-contained (no network, no external scripts, fonts or style sheets; images are PNG
files under ``review/img/``), carry a Content-Security-Policy that only lets the page's own inline
script run, and escape every string that comes from a PDF or a JSON file. Output bytes are a
function of the batch folder alone (no dates), so a review can be diffed.

The page images are the only place outside the layout layer that opens PDFs, and only to render
them; nothing here parses text.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from octa.model import Finding, Profile, read_profile

#: Rendering scale of the page images (1.5 × 72 dpi = 108 dpi: A4 is 893 × 1263 px).
ZOOM = 1.5
#: Longest side of a page image, in pixels (huge pages are rendered smaller, never larger).
MAX_SIDE = 2400
#: Pages rendered per profile at most.
MAX_PAGES = 60
#: Colours of the page images' palette.
PALETTE = 32
#: Padding around a box, in PDF points.
PAD = 1.5

_STATUS_ORDER = {"failed": 0, "unreadable": 0, "findings": 1, "ok": 2}


def _e(value: Any) -> str:
    """Escape any value for HTML text and attribute values (quotes included)."""
    return escape("" if value is None else str(value), quote=True)


def _anchor(value: str) -> str:
    """A safe fragment id from an indicator or metric id."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", value) or "_"


def _num(x: float | None, places: int = 1) -> str:
    if x is None:
        return ""
    return f"{x:.{places}f}"


# --------------------------------------------------------------------------------------------
# Reading the batch folder
# --------------------------------------------------------------------------------------------

@dataclass
class Entry:
    """One input of the batch: a profile read, or a file that failed."""

    stem: str
    file: str
    status: str  # ok | findings | failed | unreadable
    page: str | None = None  # review page file name (None for failed inputs)
    profile: Profile | None = None
    pdf: Path | None = None
    reason: str = ""
    notices: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.profile.validation) if self.profile else 0

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.profile.validation) if self.profile else 0

    def sort_key(self) -> tuple[Any, ...]:
        return (_STATUS_ORDER.get(self.status, 1), -self.errors, -self.warnings, self.stem, self.file)


def _read_manifest(outdir: Path) -> list[dict[str, Any]] | None:
    from octa.export import read_manifest

    data = read_manifest(outdir)
    return None if data is None else [i for i in data["inputs"] if isinstance(i, dict)]


def _load_profile(path: Path) -> tuple[Profile | None, str]:
    try:
        return read_profile(path), ""
    except OSError as exc:
        return None, f"cannot read {path.name}: {exc.strerror or exc}"
    except ValueError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, f"{path.name} is not a profile JSON ({first})"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def collect(outdir: Path) -> list[Entry]:
    """The entries of a batch folder: from ``manifest.json`` when present, plus any
    ``profiles/*.json`` the manifest does not list."""
    outdir = Path(outdir)
    entries: list[Entry] = []
    seen: set[Path] = set()
    for item in _read_manifest(outdir) or []:
        stem = str(item.get("stem") or Path(str(item.get("file") or item.get("path") or "input")).stem)
        file = str(item.get("file") or Path(str(item.get("path") or stem)).name)
        status = str(item.get("status") or "")
        output = item.get("output")
        src = item.get("path")
        if status == "failed" or not output:
            reason = ": ".join(str(x) for x in (item.get("error"), item.get("message")) if x) or "failed"
            entries.append(Entry(stem, file, "failed", reason=reason))
            continue
        jpath = (outdir / str(output)).resolve()
        seen.add(jpath)
        entry = _entry_from_json(stem, file, jpath, status)
        if entry.profile is not None and src:
            entry.pdf = _source_pdf(Path(str(src)), entry, item.get("sha256"))
        elif entry.profile is not None:
            entry.notices.append("The manifest does not name the source file: no page images.")
        entries.append(entry)
    profiles_dir = outdir / "profiles"
    if profiles_dir.is_dir():
        for jpath in sorted(profiles_dir.glob("*.json")):
            if jpath.resolve() in seen:
                continue
            entry = _entry_from_json(jpath.stem, jpath.name, jpath, "")
            if entry.profile is not None:
                entry.file = entry.profile.source.file
                entry.notices.append("Not in manifest.json (or no manifest): the source PDF is unknown, "
                                     "so there are no page images.")
            entries.append(entry)
    _assign_pages(entries)
    return sorted(entries, key=Entry.sort_key)


def _entry_from_json(stem: str, file: str, jpath: Path, status: str) -> Entry:
    profile, problem = _load_profile(jpath)
    if profile is None:
        return Entry(stem, file, "unreadable", reason=problem)
    derived = "findings" if profile.validation else "ok"
    return Entry(stem, file, status if status in ("ok", "findings") else derived, profile=profile)


def _source_pdf(path: Path, entry: Entry, sha: Any) -> Path | None:
    assert entry.profile is not None
    if entry.profile.source.engine == "text" or entry.profile.source.pages == 0:
        entry.notices.append("Extracted from text, not a PDF: no page images.")
        return None
    if not path.is_file():
        entry.notices.append(f"The source PDF {path} is missing: no page images.")
        return None
    want = entry.profile.source.sha256 or (str(sha) if sha else "")
    try:
        got = _sha256(path)
    except OSError as exc:
        entry.notices.append(f"The source PDF {path} cannot be read ({exc.strerror or exc}): no page images.")
        return None
    if want and got != want:
        entry.notices.append(f"The source PDF {path} changed since it was extracted (SHA-256 differs): "
                             "no page images.")
        return None
    return path


def _assign_pages(entries: list[Entry]) -> None:
    """A unique, safe file name per profile page."""
    used: set[str] = {"index"}
    for e in sorted(entries, key=lambda e: (e.stem, e.file)):
        if e.profile is None:
            continue
        base = re.sub(r"[^A-Za-z0-9._-]", "_", e.stem).strip(".") or "profile"
        base = base[:120]
        name, k = base, 2
        while name.lower() in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name.lower())
        e.page = name


# --------------------------------------------------------------------------------------------
# Page images
# --------------------------------------------------------------------------------------------

@dataclass
class PageImage:
    number: int  # 1-based
    src: str  # relative URL
    width_px: int
    height_px: int
    width_pt: float
    height_pt: float
    matrix: Any = None  # pymupdf rotation matrix (unrotated -> shown coordinates), None if identity


def render_key(sha256: str) -> str:
    """Part of the image file names: the PDF's content and the rendering settings, so a review
    written again reuses the images of unchanged PDFs instead of rendering them again."""
    import pymupdf

    settings = f"{sha256}:{ZOOM}:{MAX_SIDE}:{PALETTE}:{pymupdf.VersionBind}"
    return hashlib.sha256(settings.encode()).hexdigest()[:12]


def _png_size(path: Path) -> tuple[int, int] | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def render_pages(pdf: Path, imgdir: Path, name: str, written: set[str], key: str = "") -> tuple[list[PageImage], str]:
    """Render every page of ``pdf`` to ``imgdir/<name>[-<key>]-p<N>.png`` (reusing an image already
    there when ``key`` is given); (images, problem)."""
    import pymupdf

    images: list[PageImage] = []
    try:
        doc = pymupdf.open(str(pdf), filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for bad files
        return [], f"The source PDF cannot be opened for rendering ({type(exc).__name__}): no page images."
    try:
        if doc.needs_pass:
            return [], "The source PDF is encrypted: no page images."
        for index in range(min(doc.page_count, MAX_PAGES)):
            fname = f"{name}-{key}-p{index + 1}.png" if key else f"{name}-p{index + 1}.png"
            try:
                page = doc.load_page(index)
                rect = page.rect
                if rect.width <= 0 or rect.height <= 0:
                    continue
                size = _png_size(imgdir / fname) if key else None
                if size is None:
                    zoom = min(ZOOM, MAX_SIDE / max(rect.width, rect.height))
                    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False, annots=False)
                    _write_if_changed(imgdir / fname, _png(pix))
                    size = (pix.width, pix.height)
            except Exception as exc:
                return images, f"Page {index + 1} cannot be rendered ({type(exc).__name__}); later pages skipped."
            written.add(fname)
            matrix = page.rotation_matrix if page.rotation else None
            images.append(PageImage(index + 1, f"img/{fname}", size[0], size[1], rect.width, rect.height, matrix))
        if doc.page_count > MAX_PAGES:
            return images, f"Only the first {MAX_PAGES} of {doc.page_count} pages are shown."
    finally:
        doc.close()
    return images, ""


def _png(pix: Any) -> bytes:
    """PNG bytes of a pixmap, reduced to a 32-colour palette (a third of the size of full colour for
    text pages, legible, deterministic) when Pillow is there (pdfplumber depends on it)."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with pdfplumber
        return pix.tobytes("png")
    import io

    mode = "RGB" if pix.n == 3 else "L" if pix.n == 1 else None
    if mode is None:
        return pix.tobytes("png")
    img = Image.frombytes(mode, (pix.width, pix.height), pix.samples)
    if mode == "RGB":
        img = img.quantize(colors=PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _write_if_changed(path: Path, data: bytes) -> None:
    from octa.export import write_atomic

    try:
        if path.is_file() and path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

CSS = """
:root{--ok:#1a7f37;--inferred:#0b66c3;--flagged:#cf222e;--warning:#bc6c00;--heading:#8250df;--rank:#57606a;--unconfirmed:#6e7781;
--bg:#f6f8fa;--fg:#1f2328;--muted:#57606a;--line:#d0d7de}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--fg);background:var(--bg)}
header{padding:12px 20px;background:#fff;border-bottom:1px solid var(--line)}
header h1{margin:0 0 4px;font-size:20px}
header .meta{color:var(--muted);margin:0;word-break:break-all}
a{color:#0969da}
h2{font-size:15px;margin:16px 0 6px}
.counts span,.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;
background:#eaeef2;margin-right:4px}
.badge.error,.counts .error{background:#ffebe9;color:var(--flagged)}
.badge.warning,.counts .warning{background:#fff8c5;color:var(--warning)}
.badge.failed,.badge.unreadable{background:var(--flagged);color:#fff}
.badge.ok{background:#dafbe1;color:var(--ok)}
.badge.findings{background:#fff8c5;color:var(--warning)}
.legend{margin:6px 0 0;color:var(--muted);font-size:12px}
.legend i{display:inline-block;width:14px;height:10px;border:2px solid;margin:0 4px 0 10px;vertical-align:-1px}
.notice{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;margin:8px 0;border-radius:4px}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 560px;gap:16px;padding:16px 20px;align-items:start}
.pages figure{margin:0 0 18px}
.pages figcaption{color:var(--muted);font-size:12px;margin-bottom:2px}
.sheet{position:relative;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25);max-width:100%}
.sheet img{display:block;width:100%;height:auto}
.box{position:absolute;display:block;border:2px solid var(--ok);background:rgba(26,127,55,.08);
scroll-margin:120px;text-decoration:none}
.box.inferred{border-color:var(--inferred);background:rgba(11,102,195,.12)}
.box.heading{border-color:var(--heading);border-style:dashed;background:transparent}
.box.unconfirmed{border-color:var(--unconfirmed);border-style:dashed;background:rgba(110,119,129,.08)}
.box.rank{border-color:var(--rank);border-style:dotted;background:transparent}
.box.rank.ok{border-color:var(--ok)}
.box.flagged{border-color:var(--flagged);border-width:3px;background:rgba(207,34,46,.10)}
.box.flagged.warning{border-color:var(--warning);background:rgba(188,108,0,.10)}
.box:target,tr:target{outline:4px solid #ffd33d;outline-offset:2px}
.side{position:sticky;top:8px;max-height:calc(100vh - 16px);overflow:auto;background:#fff;border:1px solid var(--line);
border-radius:6px;padding:4px 12px 12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
table.values td.n{white-space:nowrap}
tr.flagged td{background:#ffebe9}
tr.flagged.warning td{background:#fff8c5}
tr.inferred td{background:#ddf4ff}
tr.missing td{color:var(--muted);font-style:italic}
ul.findings{list-style:none;padding:0;margin:0}
ul.findings li{padding:4px 6px;border-left:4px solid var(--warning);margin-bottom:4px;background:#fffdf0}
ul.findings li.error{border-color:var(--flagged);background:#fff5f5}
.rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.repairs td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
details{margin:2px 0}
details p{margin:4px 0 4px 14px;white-space:pre-wrap}
table.index th{cursor:pointer;user-select:none}
table.index th[aria-sort=ascending]::after{content:" \\25B2"}
table.index th[aria-sort=descending]::after{content:" \\25BC"}
table.index{background:#fff}
main.index{padding:16px 20px}
""".strip()

SORT_SCRIPT = """
document.querySelectorAll("table.index").forEach(function(t){t.dataset.sortable="1";});
document.querySelectorAll("table.index th").forEach(function(th,col){
 th.addEventListener("click",function(){
  var table=th.closest("table"),body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
  var asc=th.getAttribute("aria-sort")!=="ascending",num=th.dataset.type==="num";
  table.querySelectorAll("th").forEach(function(h){h.removeAttribute("aria-sort");});
  th.setAttribute("aria-sort",asc?"ascending":"descending");
  rows.sort(function(a,b){
   var x=a.cells[col].dataset.sort,y=b.cells[col].dataset.sort,r;
   if(num){r=parseFloat(x)-parseFloat(y);}else{r=x.localeCompare(y);}
   if(r===0){r=a.dataset.order-b.dataset.order;return r;}
   return asc?r:-r;});
  rows.forEach(function(r){body.appendChild(r);});});});
""".strip()


def _csp(scripts: Iterable[str]) -> str:
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
            f"script-src {hashes or chr(39) + 'none' + chr(39)}; base-uri 'none'; form-action 'none'")


def _document(title: str, body: str, scripts: tuple[str, ...] = (), extra_css: str = "") -> str:
    script_tags = "".join(f"<script>{s}</script>" for s in scripts)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_e(_csp(scripts))}\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_e(title)}</title>\n<style>\n{CSS}{extra_css}\n</style>\n</head>\n<body>\n{body}\n{script_tags}</body>\n</html>\n"
    )


def _title(p: Profile | None, fallback: str) -> str:
    if p is None:
        return fallback
    bits = [p.country or "Unknown country", str(p.year) if p.year else "", f"({p.family})" if p.family else ""]
    return " ".join(b for b in bits if b)


# ---- index ---------------------------------------------------------------------------------

def render_index(entries: list[Entry], outdir: Path, countries: list[tuple[str, str]] | None = None) -> str:
    n_failed = sum(e.status in ("failed", "unreadable") for e in entries)
    n_err = sum(e.errors > 0 for e in entries)
    rows = []
    for order, e in enumerate(entries):
        p = e.profile
        country = p.country if p else None
        year = p.year if p else None
        family = p.family if p else None
        link = f"<a href=\"{_e(e.page)}.html\">{_e(country or e.stem)}</a>" if e.page else _e(country or "—")
        note = e.reason or " ".join(e.notices)
        rows.append(
            f"<tr data-order=\"{order}\" class=\"{_e(e.status)}\">"
            f"<td data-sort=\"{_e(country or '')}\">{link}</td>"
            f"<td data-sort=\"{year or 0}\" class=\"n\">{_e(year or '')}</td>"
            f"<td data-sort=\"{_e(family or '')}\">{_e(family or '')}</td>"
            f"<td data-sort=\"{_STATUS_ORDER.get(e.status, 1)}\"><span class=\"badge {_e(e.status)}\">"
            f"{_e(e.status)}</span></td>"
            f"<td data-sort=\"{e.errors}\" class=\"n\">{e.errors}</td>"
            f"<td data-sort=\"{e.warnings}\" class=\"n\">{e.warnings}</td>"
            f"<td data-sort=\"{_e(e.file)}\">{_e(e.file)}</td>"
            f"<td data-sort=\"{_e(note)}\">{_e(note)}</td></tr>")
    head = "".join(f"<th data-type=\"{t}\" scope=\"col\">{_e(h)}</th>" for h, t in (
        ("Country", "text"), ("Year", "num"), ("Family", "text"), ("Status", "num"), ("Errors", "num"),
        ("Warnings", "num"), ("File", "text"), ("Reason / notes", "text")))
    body = (
        "<header><h1>octa review</h1>"
        f"<p class=\"meta\">{_e(outdir.name or str(outdir))}: {len(entries)} inputs</p>"
        f"<p class=\"counts\"><span>{len(entries) - n_failed} profiles</span>"
        f"<span class=\"error\">{n_err} with errors</span><span class=\"error\">{n_failed} failed</span></p>"
        "<p class=\"legend\">Worst first: failed inputs, then most errors, then most warnings. "
        "Click a column header to sort.</p></header>\n"
        f"<main class=\"index\"><table class=\"index\"><thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows) + "\n</tbody></table>"
        + (("<h2>Across editions</h2><p class=\"countries\">" + " ".join(
            f"<a href=\"countries/{_e(page)}.html\">{_e(name)}</a>" for page, name in countries) + "</p>")
           if countries else "")
        + "</main>")
    return _document("octa review", body, (SORT_SCRIPT,))


# ---- profile page --------------------------------------------------------------------------

@dataclass
class Item:
    """A value with a place on a page: what a box shows."""

    anchor: str  # fragment id without the box-/row- prefix
    kind: str  # indicator | summary | rank | heading
    label: str
    value: str
    status: str  # ok | unconfirmed | inferred | missing | flagged | heading
    severity: str  # "" | error | warning (flagged only)
    page: int | None
    bbox: list[float] | None
    change: str = ""
    bar: str = ""


def _severity(findings: list[Finding]) -> str:
    if not findings:
        return ""
    return "error" if any(f.severity == "error" for f in findings) else "warning"


def _items(p: Profile) -> list[Item]:
    by_target: dict[str, list[Finding]] = {}
    for f in p.validation:
        if f.indicator and f.rule != "rank":  # a rank's finding names its metric: it is the rank's
            by_target.setdefault(f.indicator, []).append(f)
    items: list[Item] = []
    labels = {m.id: m.label for m in p.edition.summary}  # the profile's edition's summary metrics
    for s in p.summary_scores:
        sev = _severity(by_target.get(s.metric, []))
        items.append(Item(_anchor(s.metric), "summary", labels.get(s.metric, s.metric),
                          _num(s.score, 2), "flagged" if sev else s.status, sev, s.page, s.bbox,
                          change=_num(s.change, 2)))
    summary_ids = {s.metric for s in p.summary_scores}
    for metric in labels:  # a summary value with no provenance, or a finding on it
        if metric in summary_ids:
            continue
        value = getattr(p.summary, metric)
        sev = _severity(by_target.get(metric, []))
        if value is not None or sev:
            items.append(Item(_anchor(metric), "summary", labels[metric], _num(value, 2),
                              "flagged" if sev else "ok", sev, None, None))
    for ind in p.indicators:
        sev = _severity(by_target.get(ind.id, []))
        inferred = getattr(ind, "inferred_score", None)
        value = _num(ind.score)
        if ind.status == "inferred" and ind.score is None and inferred is not None:
            value = _num(inferred)
        status = "flagged" if sev else ind.status
        change = ind.change_printed if ind.change_printed is not None else _num(ind.change)
        items.append(Item(_anchor(ind.id), "indicator", ind.label, value, status, sev, ind.page, ind.bbox,
                          change=change, bar=_num(ind.bar_score, 2)))
    rank_findings = [f for f in p.validation if f.rule == "rank"]
    for r in p.ranks:
        label = f"{labels.get(r.metric, r.metric)} rank, {r.area}"
        # a rank's findings name its metric and, in their text, its scope
        sev = _severity([f for f in rank_findings if f.indicator == r.metric and f" {r.scope} rank " in f.message])
        items.append(Item(_anchor(f"rank-{r.metric}-{r.scope}"), "rank", label, f"{r.rank} of {r.of}",
                          "flagged" if sev else r.status, sev, r.page, r.bbox))
    for k, s in enumerate(p.sections):
        items.append(Item(f"section-{k + 1}", "heading", s.heading, f"level {s.level}", "heading", "",
                          s.page, s.bbox))
    return items


def _box(item: Item, img: PageImage) -> str:
    assert item.bbox is not None
    x0, y0, x1, y1 = item.bbox[:4]
    if img.matrix is not None:
        import pymupdf

        r = pymupdf.Rect(x0, y0, x1, y1) * img.matrix
        x0, y0, x1, y1 = r.x0, r.y0, r.x1, r.y1
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    x0, y0 = max(0.0, x0 - PAD), max(0.0, y0 - PAD)
    x1, y1 = min(img.width_pt, x1 + PAD), min(img.height_pt, y1 + PAD)
    if x1 <= x0 or y1 <= y0:
        return ""
    left, top = 100 * x0 / img.width_pt, 100 * y0 / img.height_pt
    width, height = 100 * (x1 - x0) / img.width_pt, 100 * (y1 - y0) / img.height_pt
    classes = " ".join(c for c in ("box", item.kind, item.status, item.severity) if c)
    title = f"{item.label}: {item.value} ({item.severity or item.status})"
    href = f"#row-{item.anchor}" if item.kind != "heading" else f"#sec-{item.anchor}"
    return (f"<a class=\"{_e(classes)}\" id=\"box-{_e(item.anchor)}\" href=\"{_e(href)}\" title=\"{_e(title)}\" "
            f"aria-label=\"{_e(title)}\" style=\"left:{left:.3f}%;top:{top:.3f}%;width:{width:.3f}%;"
            f"height:{height:.3f}%\"></a>")


def render_profile(entry: Entry, images: list[PageImage]) -> str:
    p = entry.profile
    assert p is not None
    items = _items(p)
    boxed: set[str] = set()
    figures = []
    for img in images:
        boxes = []
        for item in items:
            if item.page == img.number and item.bbox and len(item.bbox) >= 4:
                html_box = _box(item, img)
                if html_box and item.anchor not in boxed:
                    boxes.append(html_box)
                    boxed.add(item.anchor)
        figures.append(
            f"<figure class=\"page\" id=\"page-{img.number}\"><figcaption>Page {img.number}"
            f" · {len(boxes)} boxes</figcaption>"
            f"<div class=\"sheet\" style=\"width:{img.width_px}px\">"
            f"<img src=\"{_e(img.src)}\" width=\"{img.width_px}\" height=\"{img.height_px}\" "
            f"alt=\"Page {img.number} of {_e(p.source.file)}\">"
            + "".join(boxes) + "</div></figure>")
    n_err = sum(f.severity == "error" for f in p.validation)
    n_warn = sum(f.severity == "warning" for f in p.validation)
    inferred = sum(i.status == "inferred" for i in p.indicators)
    missing = sum(i.status == "missing" for i in p.indicators)
    notices = "".join(f"<p class=\"notice\">{_e(n)}</p>" for n in entry.notices)
    header = (
        "<header><a href=\"index.html\">← all profiles</a>"
        f"<h1>{_e(_title(p, entry.stem))}</h1>"
        f"<p class=\"meta\">{_e(p.source.file)} · engine {_e(p.source.engine)} · {_e(p.source.pages)} pages · "
        f"SHA-256 {_e(p.source.sha256)}</p>"
        f"<p class=\"counts\"><span class=\"error\">{n_err} errors</span><span class=\"warning\">{n_warn} warnings"
        f"</span><span>{inferred} inferred</span><span>{missing} missing</span><span>{len(p.cleaning)} repairs</span>"
        "</p><p class=\"legend\">Boxes:<i style=\"border-color:var(--ok)\"></i>ok"
        "<i style=\"border-color:var(--unconfirmed);border-style:dashed\"></i>unconfirmed"
        "<i style=\"border-color:var(--inferred)\"></i>inferred<i style=\"border-color:var(--flagged)\"></i>"
        "flagged (error)<i style=\"border-color:var(--warning)\"></i>flagged (warning)"
        "<i style=\"border-color:var(--heading);border-style:dashed\"></i>heading"
        "<i style=\"border-color:var(--rank);border-style:dotted\"></i>rank (dotted; coloured by status)</p>"
        f"{notices}</header>")
    pages_html = "\n".join(figures) if figures else "<p class=\"notice\">No page images for this profile.</p>"
    side = _findings_html(p, items, boxed) + _values_html(items, boxed) + _sections_html(p, boxed) \
        + _repairs_html(p)
    body = (f"{header}\n<main class=\"layout\"><section class=\"pages\">\n{pages_html}\n</section>\n"
            f"<aside class=\"side\">{side}</aside></main>")
    return _document(f"{_title(p, entry.stem)} · octa review", body)


def _findings_html(p: Profile, items: list[Item], boxed: set[str]) -> str:
    known = {i.anchor for i in items}
    order = sorted(p.validation, key=lambda f: (f.severity != "error",))
    lis = []
    for f in order:
        target = _anchor(f.indicator) if f.indicator else None
        if f.rule == "rank" and f.indicator:  # the rank of its metric whose scope the finding names
            target = next((_anchor(f"rank-{r.metric}-{r.scope}") for r in p.ranks
                           if r.metric == f.indicator and f" {r.scope} rank " in f.message), target)
        rule = f"<span class=\"rule\">{_e(f.rule)}</span>"
        if target and target in boxed:
            link = f"<a href=\"#box-{_e(target)}\">{rule} · {_e(f.indicator)}</a>"
        elif target and target in known:
            link = f"<a href=\"#row-{_e(target)}\">{rule} · {_e(f.indicator)}</a>"
        else:
            link = rule + (f" · {_e(f.indicator)}" if f.indicator else "")
        lis.append(f"<li class=\"{_e(f.severity)}\"><span class=\"badge {_e(f.severity)}\">{_e(f.severity)}</span>"
                   f"{link}<br>{_e(f.message)}</li>")
    if not lis:
        return "<h2>Findings</h2><p>No findings.</p>"
    return f"<h2>Findings ({len(lis)})</h2><ul class=\"findings\">{''.join(lis)}</ul>"


def _values_html(items: list[Item], boxed: set[str]) -> str:
    rows = []
    for it in items:
        if it.kind == "heading":
            continue
        label = _e(it.label)
        if it.anchor in boxed:
            label = f"<a href=\"#box-{_e(it.anchor)}\">{label}</a>"
        status = it.severity and f"flagged ({it.severity})" or it.status
        classes = " ".join(c for c in (it.kind, it.status, it.severity) if c)
        rows.append(f"<tr id=\"row-{_e(it.anchor)}\" class=\"{_e(classes)}\"><td>{label}</td>"
                    f"<td class=\"n\">{_e(it.value)}</td><td class=\"n\">{_e(it.change)}</td>"
                    f"<td class=\"n\">{_e(it.bar)}</td><td>{_e(status)}</td><td class=\"n\">{_e(it.page or '')}"
                    "</td></tr>")
    return ("<h2>Extracted values</h2><table class=\"values\"><thead><tr><th>Value</th><th>Score</th>"
            "<th>Change</th><th>Bar</th><th>Status</th><th>Page</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>")


def _sections_html(p: Profile, boxed: set[str]) -> str:
    if not p.sections:
        return "<h2>Sections</h2><p>No sections.</p>"
    out = []
    for k, s in enumerate(p.sections):
        anchor = f"section-{k + 1}"
        head = _e(" › ".join(s.path) if s.path else s.heading)
        if anchor in boxed:
            head = f"<a href=\"#box-{anchor}\">{head}</a>"
        paras = "".join(
            f"<p>{_e(par.text)}" + (f" <span class=\"rule\">[{_e(par.indicator)}]</span>" if par.indicator else "")
            + "</p>" for par in s.paragraphs)
        out.append(f"<details id=\"sec-{anchor}\"><summary>{head} ({len(s.paragraphs)} paragraphs)</summary>"
                   f"{paras}</details>")
    return f"<h2>Sections ({len(p.sections)})</h2>" + "".join(out)


def _repairs_html(p: Profile) -> str:
    if not p.cleaning:
        return "<h2>Cleaning repairs</h2><p>No repairs.</p>"
    rows = "".join(f"<tr><td>{_e(r.rule)}</td><td>{_e(r.before)}</td><td>{_e(r.after)}</td>"
                   f"<td class=\"n\">{_e(r.page or '')}</td></tr>" for r in p.cleaning)
    return (f"<h2>Cleaning repairs ({len(p.cleaning)})</h2><table class=\"repairs\"><thead><tr><th>Rule</th>"
            f"<th>Before</th><th>After</th><th>Page</th></tr></thead><tbody>{rows}</tbody></table>")


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------

def write_review(outdir: Path) -> Path:
    """Write the review pages of the batch folder ``outdir`` into ``outdir/review``; return the path
    of ``index.html``."""
    from octa.export import write_atomic

    outdir = Path(outdir)
    if not outdir.is_dir():
        raise FileNotFoundError(f"{outdir}: no such directory")
    review = outdir / "review"
    imgdir = review / "img"
    imgdir.mkdir(parents=True, exist_ok=True)
    entries = collect(outdir)
    written_imgs: set[str] = set()
    written_pages: set[str] = {"index.html"}
    for e in entries:
        if e.profile is None or e.page is None:
            continue
        images: list[PageImage] = []
        if e.pdf is not None:
            images, problem = render_pages(e.pdf, imgdir, e.page, written_imgs,
                                           render_key(e.profile.source.sha256))
            if problem:
                e.notices.append(problem)
        name = f"{e.page}.html"
        write_atomic(review / name, render_profile(e, images))
        written_pages.add(name)
    countries = _write_countries(outdir, review, entries)
    index = review / "index.html"
    write_atomic(index, render_index(entries, outdir, countries))
    _remove_stale(review, written_pages, "*.html")
    _remove_stale(imgdir, written_imgs, "*.png")
    return index


def _remove_stale(folder: Path, keep: set[str], pattern: str) -> None:
    """Pages and images of profiles no longer in the batch (a review is rewritten in place)."""
    for path in folder.glob(pattern):
        if path.name not in keep:
            try:
                path.unlink()
            except OSError:
                pass


# --------------------------------------------------------------------------------------------
# Country pages: the panel as small multiples
# --------------------------------------------------------------------------------------------

#: Size of one small multiple, in CSS pixels, and its plot margins.
SM_W, SM_H, SM_L, SM_R, SM_T, SM_B = 168, 100, 30, 16, 24, 16

COUNTRY_CSS = """
.multiples{display:flex;flex-wrap:wrap;gap:6px;padding:0 20px 12px}
.sm{background:#fff;border:1px solid var(--line);border-radius:4px}
.sm.failed{border-color:var(--flagged);border-width:2px}
.sm text{font:10px system-ui,sans-serif;fill:var(--muted)}
.sm text.t{fill:var(--fg);font-weight:600}
.sm circle{fill:var(--ok)}
.sm circle.unconfirmed,.sm circle.inferred{fill:var(--inferred)}
.sm circle.mismatch{fill:var(--flagged);stroke:#000;stroke-width:1}
.sm polyline{fill:none;stroke:#8c959f;stroke-width:1.5}
.sm line{stroke:#eaeef2}
section.family{padding:0 0 8px}
section.family h2{padding:0 20px}
"""


def _country_page_name(ident: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", ident.lstrip("?")) or "country"


def _write_countries(outdir: Path, review: Path, entries: list[Entry]) -> list[tuple[str, str]]:
    """Write ``review/countries/<ISO3>.html`` for every country of the folder's panel; return
    (page name, country) pairs in country order (removing pages of countries no longer there)."""
    from octa.export import write_atomic
    from octa.panel import PanelError, build

    folder = review / "countries"
    try:
        panel = build([outdir])
    except PanelError:
        panel = None
    written: set[str] = set()
    out: list[tuple[str, str]] = []
    if panel is not None and panel.items:
        pages: dict[str, tuple[str, bool]] = {}
        for e in entries:
            if e.profile is not None and e.page is not None:
                pages.setdefault(e.profile.source.sha256, (e.page, e.pdf is not None))
        by_country: dict[str, list[dict[str, Any]]] = {}
        for r in panel.long:
            ident = r["iso3"] or "?" + (r["country"] or "")
            by_country.setdefault(ident, []).append(r)
        bboxes = {(it.sha256, m): has for it in panel.items for m, has in _has_box(it.profile).items()}
        used: set[str] = set()
        for ident in sorted(by_country):
            rows = by_country[ident]
            name = _country_page_name(ident)
            base, k = name, 2
            while name.lower() in used:
                name, k = f"{base}-{k}", k + 1
            used.add(name.lower())
            findings = [f for f in panel.findings if (f["iso3"] or "") == (rows[0]["iso3"] or "")
                        and rows[0]["iso3"]]
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(folder / f"{name}.html", render_country(rows, findings, pages, bboxes))
            written.add(f"{name}.html")
            out.append((name, f"{rows[0]['country'] or ident} ({rows[0]['iso3'] or 'no ISO code'})"))
    if folder.is_dir():
        _remove_stale(folder, written, "*.html")
    return out


def _has_box(p: Profile) -> dict[str, bool]:
    out = {s.metric: bool(s.page and s.bbox) for s in p.summary_scores}
    out.update({i.id: bool(i.page and i.bbox) for i in p.indicators})
    return out


def _small_multiple(label: str, years: list[int], points: list[dict[str, Any]],
                    pages: dict[str, tuple[str, bool]], bboxes: dict[tuple[str, str], bool]) -> str:
    """One small multiple: a metric's scores (0–10) across ``years``; each point links to the value
    on its profile's review page; a failed change check is drawn red."""
    pw, ph = SM_W - SM_L - SM_R, SM_H - SM_T - SM_B

    def x(year: int) -> float:
        return SM_L + (pw * years.index(year) / (len(years) - 1) if len(years) > 1 else pw / 2)

    def y(v: float) -> float:
        return SM_T + ph * (1 - v / 10)

    parts = [f"<text class=\"t\" x=\"2\" y=\"11\">{_e(label[:30])}</text>"]
    for v in (0, 5, 10):
        parts.append(f"<line x1=\"{SM_L}\" x2=\"{SM_W - SM_R}\" y1=\"{y(v):.1f}\" y2=\"{y(v):.1f}\"/>"
                     f"<text x=\"{SM_L - 4}\" y=\"{y(v) + 3:.1f}\" text-anchor=\"end\">{v}</text>")
    for yr in years:
        parts.append(f"<text x=\"{x(yr):.1f}\" y=\"{SM_H - 3}\" text-anchor=\"middle\">{yr}</text>")
    one = {}
    for pt in points:
        one.setdefault(pt["edition"], []).append(pt)
    line = [f"{x(yr):.1f},{y(float(pts[0]['score'])):.1f}" for yr, pts in sorted(one.items())
            if len(pts) == 1 and pts[0]["score"] is not None]
    if len(line) > 1:
        parts.append(f"<polyline points=\"{' '.join(line)}\"/>")
    failed = False
    for pt in points:
        if pt["score"] is None:
            continue
        check = pt.get("change_check") or ""
        failed = failed or check == "mismatch"
        cls = "mismatch" if check == "mismatch" else (pt.get("status") or "ok")
        title = (f"{pt['edition']}: {float(pt['score']):.2f}"
                 + (f", change {pt['change_printed']}" if pt.get("change_printed") else "")
                 + (f" (change check: {check})" if check else "") + f" · {pt['file']}")
        circle = (f"<circle class=\"{_e(cls)}\" cx=\"{x(pt['edition']):.1f}\" cy=\"{y(float(pt['score'])):.1f}\" "
                  f"r=\"{4.5 if check == 'mismatch' else 3}\"><title>{_e(title)}</title></circle>")
        page = pages.get(pt["sha256"])
        if page is not None:
            target = "box" if page[1] and bboxes.get((pt["sha256"], pt["indicator"])) else "row"
            href = f"../{page[0]}.html#{target}-{_anchor(pt['indicator'])}"
            circle = f"<a href=\"{_e(href)}\">{circle}</a>"
        parts.append(circle)
    cls = "sm failed" if failed else "sm"
    return (f"<svg class=\"{cls}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{SM_W}\" height=\"{SM_H}\" "
            f"viewBox=\"0 0 {SM_W} {SM_H}\" role=\"img\" aria-label=\"{_e(label)}\">" + "".join(parts) + "</svg>")


def render_country(rows: list[dict[str, Any]], findings: list[dict[str, Any]],
                   pages: dict[str, tuple[str, bool]], bboxes: dict[tuple[str, str], bool]) -> str:
    """The page of one country: per family, its summary scores and indicators across editions."""
    from octa import taxonomy
    from octa.panel import taxonomy_order

    country = rows[0]["country"] or "Unknown country"
    iso = rows[0]["iso3"] or "no ISO code"
    sections = []
    for fam in sorted({r["family"] or "" for r in rows}):
        fr = [r for r in rows if (r["family"] or "") == fam]
        fam_years = list(taxonomy.EDITIONS.get(fam, ())) or sorted({r["edition"] for r in fr if r["edition"]})
        years = sorted(set(fam_years) | {r["edition"] for r in fr if r["edition"] is not None})
        labels: dict[str, str] = {}
        for r in fr:
            labels.setdefault(r["indicator"], r["label"] or r["indicator"])
        order = sorted(labels, key=lambda m: (taxonomy_order(m), m))
        svgs = [_small_multiple(labels[m], years, [r for r in fr if r["indicator"] == m and r["edition"] in years],
                                pages, bboxes) for m in order]
        n_bad = sum(r.get("change_check") == "mismatch" for r in fr)
        sections.append(f"<section class=\"family\"><h2>{_e(fam)} · {len(svgs)} scores · "
                        f"{n_bad} printed change(s) that disagree with the previous edition</h2>"
                        f"<div class=\"multiples\">{''.join(svgs)}</div></section>")
    items = "".join(f"<li class=\"{_e(f['severity'])}\"><span class=\"rule\">{_e(f['rule'])}</span> "
                    f"{_e(f['message'])}</li>" for f in findings)
    header = ("<header><a href=\"../index.html\">← all profiles</a>"
              f"<h1>{_e(country)} ({_e(iso)}) across editions</h1>"
              "<p class=\"legend\">Each score from 0 to 10 by edition; a point links to where it was read. "
              "Red: a printed change that disagrees with the previous edition's profile.</p></header>")
    body = (f"{header}\n" + "\n".join(sections)
            + (f"\n<section class=\"family\"><h2>Panel findings</h2><ul class=\"findings\" "
               f"style=\"padding:0 20px\">{items}</ul></section>" if items else ""))
    return _document(f"{country} across editions · octa review", body, extra_css=COUNTRY_CSS)
