"""The review pages (``octa review``): a small generated batch with one profile whose PDF was mutated
(a printed score changed, so the validator flags it) and one whose text carries HTML and a script,
rendered and checked in headless Chromium.

Set ``OCTA_WRITE_REVIEW_SCREENSHOT=1`` to also write the screenshot of the flagged profile's page
to ``docs/review.png`` (the README's picture).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from octa import review as review_mod
from octa import synth
from octa.cli import main as cli
from octa.layout import load
from octa.model import Paragraph, Profile, Repair, Section
from octa.pipeline import extract
from octa.review import write_review

ROOT = Path(__file__).resolve().parents[1]
PWN = "document.body.setAttribute('data-pwned','1')"
SCRIPT = f"<script>{PWN}</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">"
# A file name with markup and quotes: stems end up in file names, links and ids.
INJECTED_NAME = "ghana_<b>x&amp;y_\"q'.pdf"


# --------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------

def _mutate_score(pdf: Path, out: Path, profile: Profile) -> tuple[str, float, float]:
    """Redact a printed indicator score whose bar was read and draw score + 1 in its place; the bar
    still says the old value, so the validator can name the indicator."""
    doc = load(pdf)
    for ind in profile.indicators:
        if ind.score is None or ind.bar_score is None or not ind.bbox or ind.score > 9.0:
            continue
        b = ind.bbox
        words = [w for w in doc.pages[ind.page - 1].words if w.text == f"{ind.score:.1f}"
                 and b[0] - 2 <= (w.x0 + w.x1) / 2 <= b[2] + 2 and b[1] - 2 <= (w.y0 + w.y1) / 2 <= b[3] + 2]
        if not words:
            continue
        w = words[0]
        pdf_doc = pymupdf.open(pdf)
        page = pdf_doc[ind.page - 1]
        page.add_redact_annot(pymupdf.Rect(w.x0 + 0.2, w.y0 + 0.5, w.x1 - 0.2, w.y1 - 0.5))
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
        page.insert_text((w.x0, w.baseline), f"{ind.score + 1:.1f}", fontsize=w.size, fontname="helv")
        pdf_doc.save(out, garbage=0, deflate=True)
        pdf_doc.close()
        return ind.id, ind.score, ind.score + 1
    raise AssertionError(f"no indicator with a bar to mutate in {pdf.name}")


def _inject_pdf_text(pdf: Path, out: Path) -> None:
    """Draw markup and a script as ordinary text in the last page's top margin."""
    doc = pymupdf.open(pdf)
    page = doc[-1]
    page.insert_text((40, 20), f"Note {SCRIPT} {IMG} & <b>bold</b>", fontsize=6, fontname="helv")
    doc.save(out, garbage=0, deflate=True)
    doc.close()


def _inject_json(profile: Profile) -> Profile:
    """Markup in every kind of string the review shows."""
    p = profile.model_copy(deep=True)
    p.country = f"{p.country}{SCRIPT}"
    p.sections = [Section(path=[f"Criminal markets {IMG}"], heading=f"Heading {SCRIPT}", level=1,
                          page=1, bbox=[40.0, 60.0, 300.0, 80.0],
                          paragraphs=[Paragraph(text=f"Before {SCRIPT} after \"quoted\" & 'single' {IMG}",
                                                indicator=p.indicators[0].id, pages=[1])])]
    p.cleaning = [Repair(rule="dehyphenate", before=f"{SCRIPT}-", after=f"{IMG}", page=1)]
    return p


class Batch:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "out"
        self.mutated_stem = ""
        self.mutated_id = ""
        self.injected_stem = ""


def _build_batch(root: Path) -> Batch:
    """Four generated profiles (one with a mutated score, one with markup in its PDF text) and a
    broken file, converted by ``octa batch --review``; then markup is written into the injected
    profile's JSON (country, sections, repairs), as a hostile PDF's text could put it there."""
    batch = Batch(root)
    pdfs = synth.generate(4, 7, "mixed", root / "src")
    inputs_dir = root / "inputs"
    inputs_dir.mkdir()
    mutated_file = injected_file = ""
    for k, pdf in enumerate(pdfs):
        if k == 0:
            target = inputs_dir / pdf.name
            batch.mutated_id, _, _ = _mutate_score(pdf, target, extract(pdf))
            mutated_file = target.name
        elif k == 1:
            target = inputs_dir / INJECTED_NAME
            _inject_pdf_text(pdf, target)
            injected_file = target.name
        else:
            shutil.copyfile(pdf, inputs_dir / pdf.name)
    (inputs_dir / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    result = CliRunner().invoke(cli, ["batch", str(inputs_dir), "-o", str(batch.out), "--workers", "1",
                                      "--review", "--no-progress", "--format", "csv"])
    assert result.exit_code == 1, result.output  # broken.pdf failed, the others converted
    assert (batch.out / "review" / "index.html").is_file()
    manifest = json.loads((batch.out / "manifest.json").read_text(encoding="utf-8"))
    by_file = {i["file"]: i for i in manifest["inputs"]}
    assert by_file["broken.pdf"]["status"] == "failed"
    batch.mutated_stem = by_file[mutated_file]["stem"]
    injected = by_file[injected_file]
    batch.injected_stem = injected["stem"]
    jpath = batch.out / injected["output"]
    jpath.write_text(_inject_json(Profile.model_validate_json(jpath.read_bytes())).to_json(), encoding="utf-8")
    return batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    b = _build_batch(tmp_path_factory.mktemp("review"))
    result = CliRunner().invoke(cli, ["review", str(b.out)])
    assert result.exit_code == 0, result.output
    return b


# --------------------------------------------------------------------------------------------
# DOM helpers
# --------------------------------------------------------------------------------------------

class _Dom(HTMLParser):
    """Elements with their attributes, by id, plus every element in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict[str, str]] = {}
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if "id" in a:
            self.by_id[a["id"]] = {"tag": tag, **a}

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def dom(html: str) -> _Dom:
    d = _Dom()
    d.feed(html)
    return d


def classes(el: dict[str, str]) -> set[str]:
    return set(el.get("class", "").split())


def _page_of(b: Batch, stem: str) -> Path:
    """The review page of a stem, found through the index: the link in the row of its file."""
    index = (b.out / "review" / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((b.out / "manifest.json").read_text(encoding="utf-8"))
    file = next(i["file"] for i in manifest["inputs"] if i["stem"] == stem)
    pos = index.index(f">{_esc(file)}</td>")
    row = dom(index[index.rindex("<tr", 0, pos):pos])
    link = next(a["href"] for t, a in row.elements if t == "a")
    return b.out / "review" / link


def _esc(s: str) -> str:
    from html import escape

    return escape(s, quote=True)


# --------------------------------------------------------------------------------------------
# Static checks
# --------------------------------------------------------------------------------------------

def test_mutated_pdf_is_flagged_by_the_validator(batch: Batch) -> None:
    p = Profile.model_validate_json((batch.out / "profiles" / f"{batch.mutated_stem}.json").read_bytes())
    errors = [f for f in p.validation if f.severity == "error"]
    assert batch.mutated_id in {f.indicator for f in errors}
    others = [Profile.model_validate_json(j.read_bytes()) for j in (batch.out / "profiles").glob("*.json")
              if j.stem not in (batch.mutated_stem, batch.injected_stem)]
    assert others and all(not any(f.severity == "error" for f in o.validation) for o in others)


def test_index_lists_worst_first_with_failed_reason(batch: Batch) -> None:
    html = (batch.out / "review" / "index.html").read_text(encoding="utf-8")
    d = dom(html)
    body_rows = [a for t, a in d.elements if t == "tr" and "data-order" in a]
    assert len(body_rows) == 5
    assert [r["class"] for r in body_rows][:2] == ["failed", "findings"]
    # the failed input with its reason
    failed = html[html.index('class="failed"'):]
    failed = failed[:failed.index("</tr>")]
    assert "broken.pdf" in failed and "corrupt: " in failed
    assert "<script" not in html.split("<script>", 1)[0] and html.count("<script") == 1
    # the mutated profile (errors) comes right after the failed input
    first_link = next(a["href"] for t, a in d.elements if t == "a" and a.get("href", "").endswith(".html"))
    assert first_link == f"{batch.mutated_stem}.html"
    # sortable headers, and the only script is the page's own, allowed by hash
    csp = next(a["content"] for t, a in d.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "unsafe-eval" not in csp


def test_profile_page_boxes_rows_and_findings(batch: Batch) -> None:
    page = _page_of(batch, batch.mutated_stem)
    html = page.read_text(encoding="utf-8")
    d = dom(html)
    box = d.by_id[f"box-{batch.mutated_id}"]
    assert {"box", "flagged", "error"} <= classes(box)
    assert {"flagged"} <= classes(d.by_id[f"row-{batch.mutated_id}"])
    # findings link to their boxes, and every link target exists
    finding_links = [a["href"] for t, a in d.elements if t == "a" and a.get("href", "").startswith("#box-")]
    assert f"#box-{batch.mutated_id}" in finding_links
    for t, a in d.elements:
        if t == "a" and a.get("href", "").startswith("#"):
            assert a["href"][1:] in d.by_id, a["href"]
    # a box for every indicator and summary score with a bbox, ok ones not flagged
    p = Profile.model_validate_json((batch.out / "profiles" / f"{batch.mutated_stem}.json").read_bytes())
    flagged = {f.indicator for f in p.validation if f.indicator}
    for ind in p.indicators:
        if ind.bbox:
            cls = classes(d.by_id[f"box-{ind.id}"])
            assert ("flagged" in cls) == (ind.id in flagged), ind.id
    for s in p.summary_scores:
        if s.bbox:
            assert f"box-{s.metric}" in d.by_id
    # page images: one PNG per page, relative links, no network anywhere
    imgs = [a["src"] for t, a in d.elements if t == "img"]
    assert len(imgs) == p.source.pages
    for src in imgs:
        assert src.startswith("img/")
        assert (page.parent / src).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "http://" not in html and "https://" not in html and "<link" not in html and "<script" not in html


def test_injected_text_is_escaped_in_the_html(batch: Batch) -> None:
    page = _page_of(batch, batch.injected_stem)
    assert page.name.endswith(".html") and "<" not in page.name and '"' not in page.name
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "<img src=x" not in html and "<b>" not in html
    assert f"&lt;script&gt;{_esc(PWN)}&lt;/script&gt;" in html
    assert "&quot;quoted&quot; &amp; &#x27;single&#x27;" in html


def test_review_is_deterministic_and_rewrites_in_place(batch: Batch, monkeypatch: pytest.MonkeyPatch) -> None:
    def snapshot() -> dict[str, str]:
        return {str(f.relative_to(batch.out / "review")): hashlib.sha256(f.read_bytes()).hexdigest()
                for f in sorted((batch.out / "review").rglob("*")) if f.is_file()}

    before = snapshot()
    stale = batch.out / "review" / "img" / "gone-p1.png"
    stale.write_bytes(b"x")
    assert write_review(batch.out) == batch.out / "review" / "index.html"
    assert snapshot() == before
    assert not stale.exists()
    # images of unchanged PDFs are reused, not rendered again

    def no_render(pix: object) -> bytes:
        raise AssertionError("rendered again")

    monkeypatch.setattr(review_mod, "_png", no_render)
    write_review(batch.out)
    assert snapshot() == before


def test_without_manifest_or_pdf_a_notice_replaces_the_images(batch: Batch, tmp_path: Path) -> None:
    out = tmp_path / "bare"
    shutil.copytree(batch.out / "profiles", out / "profiles")
    (out / "profiles" / "junk.json").write_text("{not json", encoding="utf-8")
    index = write_review(out)
    html = index.read_text(encoding="utf-8")
    assert "unreadable" in html and "junk.json is not a profile JSON" in html
    page = out / "review" / f"{batch.mutated_stem}.html"
    text = page.read_text(encoding="utf-8")
    assert "no page images" in text and "<img" not in text
    assert not any((out / "review" / "img").iterdir())


# --------------------------------------------------------------------------------------------
# Headless Chromium
# --------------------------------------------------------------------------------------------

def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium not found (install the Debian 'chromium' package; .ci/run does)")


def _run_chromium(tmp_path: Path, url: str, *args: str) -> str:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'chromium-profile'}", *args, url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_chromium_dom_flags_the_mutated_indicator(batch: Batch, tmp_path: Path) -> None:
    page = _page_of(batch, batch.mutated_stem)
    d = dom(_run_chromium(tmp_path, page.as_uri(), "--dump-dom"))
    assert {"box", "flagged"} <= classes(d.by_id[f"box-{batch.mutated_id}"])
    assert "flagged" in classes(d.by_id[f"row-{batch.mutated_id}"])
    assert "ok" in classes(next(v for k, v in d.by_id.items() if k.startswith("box-") and "flagged" not in
                                classes(v) and "indicator" in classes(v)))


def test_chromium_injected_script_does_not_run(batch: Batch, tmp_path: Path) -> None:
    page = _page_of(batch, batch.injected_stem)
    dumped = _run_chromium(tmp_path, page.as_uri(), "--dump-dom")
    d = dom(dumped)
    body = next(a for t, a in d.elements if t == "body")
    assert "data-pwned" not in body and "data-pwned=" not in dumped.split("<body", 1)[1].split(">", 1)[0]
    assert not any(t == "script" for t, _ in d.elements)
    assert not any(t == "img" and a.get("src") == "x" for t, a in d.elements)
    text = "".join(d.text)
    assert SCRIPT in text and IMG in text  # shown as text
    # the index's own script did run under its Content-Security-Policy (sortable marker set)
    index = dom(_run_chromium(tmp_path, (batch.out / "review" / "index.html").as_uri(), "--dump-dom"))
    table = next(a for t, a in index.elements if t == "table")
    assert table.get("data-sortable") == "1"


def test_chromium_screenshot(batch: Batch, tmp_path: Path) -> None:
    page = _page_of(batch, batch.mutated_stem)
    shot = tmp_path / "review.png"
    _run_chromium(tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1400,1800")
    data = shot.read_bytes()
    assert _png_size(data) == (1400, 1800)
    assert len(data) > 50_000  # a page image, boxes and tables, not a blank page
    from PIL import Image

    img = Image.open(shot).convert("RGB")
    colours = img.getcolors(img.width * img.height) or []
    red = sum(n for n, (r, g, b) in colours if r > 180 and g < 90 and b < 90)
    green = sum(n for n, (r, g, b) in colours if g > 100 and r < 80 and b < 100)
    assert red > 500 and green > 500, (red, green)  # flagged and ok boxes are drawn
    if os.environ.get("OCTA_WRITE_REVIEW_SCREENSHOT"):
        target = ROOT / "docs" / "review.png"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, target)


def test_chromium_index_headers_sort(batch: Batch, tmp_path: Path) -> None:
    """Click the Errors header twice, then Year, through a copy of the index whose CSP is removed so
    that a test script can do the clicking."""
    html = (batch.out / "review" / "index.html").read_text(encoding="utf-8")
    html = "\n".join(line for line in html.splitlines() if "Content-Security-Policy" not in line)
    probe = ("<script>var th=document.querySelectorAll('table.index th');function col(k){return Array.prototype"
             ".map.call(document.querySelectorAll('tbody tr'),function(r){return r.cells[k].dataset.sort;}).join('"
             ",');}th[4].click();document.body.dataset.up=col(4);th[4].click();document.body.dataset.down=col(4);"
             "th[1].click();document.body.dataset.years=col(1);</script>")
    copy = batch.out / "review" / "sort-probe.html"
    copy.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    try:
        d = dom(_run_chromium(tmp_path, copy.as_uri(), "--dump-dom"))
    finally:
        copy.unlink()
    body = next(a for t, a in d.elements if t == "body")
    assert body["data-up"] == "0,0,0,0,3"
    assert body["data-down"] == "3,0,0,0,0"
    assert body["data-years"] == "0,2019,2021,2023,2025"  # the failed input has no year


def test_ranks_and_summaries_are_boxed_by_their_own_status() -> None:
    """A rank confirmed by the workbook is boxed ok, one no reference checked is unconfirmed, one a
    ``rank`` finding contradicts is flagged (the finding names its metric and, in its text, its
    scope); a summary score that nothing confirms is unconfirmed, never drawn as ok."""
    from octa.model import Finding, Rank, Source, SummaryScore
    p = Profile(source=Source(file="p.pdf", sha256="0" * 64, pages=1, engine="pymupdf"), family="global", country="Mali", year=2023,
                summary_scores=[SummaryScore(metric="criminality", score=5.37, status="unconfirmed", page=1,
                                             bbox=[1, 1, 2, 2]),
                                SummaryScore(metric="resilience", score=3.25, status="ok", page=1, bbox=[3, 3, 4, 4])],
                ranks=[Rank(metric="criminality", scope="global", rank=76, of=193, area="countries", status="ok",
                            confirmed_by=["reference"]),
                       Rank(metric="criminality", scope="region", rank=5, of=15, area="West Africa"),
                       Rank(metric="resilience", scope="continent", rank=40, of=54, area="Africa")],
                validation=[Finding(rule="rank", severity="error", indicator="resilience",
                                    message="Mali 2023 (global): resilience continent rank printed 40 of 54 in "
                                            "'Africa', computed 41 of 54 in 'Africa' from w.xlsx, sheet 2023")])
    got = {it.anchor: (it.status, it.severity) for it in review_mod._items(p)}
    assert got["criminality"] == ("unconfirmed", "") and got["resilience"] == ("ok", "")
    assert got[review_mod._anchor("rank-criminality-global")] == ("ok", "")
    assert got[review_mod._anchor("rank-criminality-region")] == ("unconfirmed", "")
    assert got[review_mod._anchor("rank-resilience-continent")] == ("flagged", "error")
    css = review_mod._document("t", "")
    assert ".box.unconfirmed{" in css and ".box.rank.ok{" in css
    html = review_mod._findings_html(p, review_mod._items(p), {review_mod._anchor("rank-resilience-continent")})
    assert f"href=\"#box-{review_mod._anchor('rank-resilience-continent')}\"" in html
