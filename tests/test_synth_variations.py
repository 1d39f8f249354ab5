"""The generator's variation matrix (``octa synth --variations``, issue 15): each class's values
show in the PDF (text layer and drawings) as recorded in ``<stem>.variation.json``, the truth stays
exact, and the default output does not change. These tests check the generator only, not the
parser."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pymupdf
import pytest
from click.testing import CliRunner

from octa import synth, taxonomy
from octa.model import Profile

#: a plain baseline; each test forces the classes it looks at on top of it
PLAIN = {
    "score_decimals": 1, "summary_decimals": 2, "change_decimals": 1, "change_form": "signed",
    "change_icon_side": "before", "new_indicator": "n/a", "label_case": "sentence", "label_amp": "and",
    "letter_spacing": "none", "label_wrap": 1, "row_order": "label_score_change", "table_grid": False,
    "table_columns": 1, "group_headings": False, "soft_hyphens": "none",
    "score_decoration": "none", "rank_tie": "none", "direction_icon": "none", "summary_layout": "side_by_side",
    "narrative_start": "new_page", "header_repeat": True, "hard_hyphen_breaks": False, "visible_soft_hyphen": False,
    "summary_change_places": 2, "paragraph_gap": "normal",
}


def _render(family: str = "global", year: int = 2023, seed: int = 5, font: str | None = None, **forced):
    """Render one profile with the PLAIN variation and ``forced`` classes (and ``font``, a layout
    variant); return the open document, the truth, the spec and the variants record."""
    rng = synth.profile_rng(seed, 0)
    spec = synth.make_profile_spec(rng, family, year, index=0, seed=seed)
    synth.apply_variation(spec, synth.choose_variation(synth.variation_rng(seed, 0), {**PLAIN, **forced}))
    if font is not None:
        spec.variants["font"] = font
    pdf, truth, record = synth.render_profile(spec, rng)
    return pymupdf.open(stream=pdf, filetype="pdf"), truth, spec, record


def _clip(page, bbox, pad: float = 0.5) -> str:
    x0, y0, x1, y1 = bbox
    return page.get_text(clip=pymupdf.Rect(x0 - pad, y0 - pad, x1 + pad, y1 + pad)).strip()


def _right_of(page, bbox, width: float = 40.0) -> tuple[str, list]:
    """The text (spaces dropped) and the drawings just right of a score on its line."""
    x0, y0, x1, y1 = bbox
    area = pymupdf.Rect(x1 + 0.5, y0 - 1, x1 + width, y1 + 1)
    text = "".join(page.get_text(clip=area).split())
    drawings = [d for d in page.get_drawings() if d["rect"].intersects(area) and d["rect"].width < 8]
    return text, drawings


def _expected_change(truth, ind_id: str, var: dict) -> tuple[str, int | None]:
    """The change as it must be printed, written here from the truth's value (not by the
    generator's formatting): the token and the direction (None for a new indicator)."""
    change = truth.indicator(ind_id).change
    if change is None:
        return var["new_indicator"], None
    d = Decimal(str(change))
    mag = f"{abs(d):.{var['change_decimals']}f}"
    if d == 0:
        return mag, 0
    up = d > 0
    form = var["change_form"]
    if form == "signed":
        return ("+" if up else "-") + mag, (1 if up else -1)
    if form == "signed_minus":
        return ("+" if up else "\u2212") + mag, (1 if up else -1)
    if form == "parentheses":
        return (mag if up else f"({mag})"), (1 if up else -1)
    return mag, (1 if up else -1)  # the direction is an icon or glyph beside the number


GLYPHS = {"text_triangles": ("\u25b2", "\u25bc"), "text_arrows": ("\u2191", "\u2193"),
          "symbol_arrows": ("\u2191", "\u2193")}
SIGNS = "+-\u2212()"


# ---------------------------------------------------------------------------------------------
# Files, API, determinism
# ---------------------------------------------------------------------------------------------


def test_variation_json_written_with_every_class(tmp_path):
    pdfs = synth.generate(3, 11, "mixed", tmp_path, variations="all")
    for pdf in pdfs:
        rec = json.loads(pdf.with_suffix(".variation.json").read_text(encoding="utf-8"))
        assert rec["stem"] == pdf.stem
        assert set(rec["variation"]) == set(synth.VARIATION_CLASSES)
        for k, val in rec["variation"].items():
            assert val in synth.VARIATION_CLASSES[k], (k, val)
        Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        # the layout variants record the same choices
        var = json.loads(pdf.with_suffix(".variants.json").read_text(encoding="utf-8"))["variants"]
        assert var["table_columns"] == rec["variation"]["table_columns"]
        assert var["ampersand"] == (rec["variation"]["label_amp"] == "&")
        assert var["table_group_headings"] == rec["variation"]["group_headings"]


def test_default_writes_no_variation_and_same_spec(tmp_path):
    a = synth.generate(2, 3, "global", tmp_path / "a")
    b = synth.generate(2, 3, "global", tmp_path / "b", variations="all")
    assert not list((tmp_path / "a").glob("*.variation.json"))
    # the same countries, scores and narrative with and without variations
    for pa, pb in zip(a, b, strict=True):
        assert pa.name == pb.name
        ta = Profile.model_validate_json(pa.with_suffix(".truth.json").read_text(encoding="utf-8"))
        tb = Profile.model_validate_json(pb.with_suffix(".truth.json").read_text(encoding="utf-8"))
        assert [(i.id, i.score, i.change) for i in ta.indicators] == [(i.id, i.score, i.change) for i in tb.indicators]
        hard = json.loads(pb.with_suffix(".variation.json").read_text(encoding="utf-8"))["variation"][
            "hard_hyphen_breaks"]
        pa_text = [p.text for s in ta.sections for p in s.paragraphs]
        pb_text = [p.text for s in tb.sections for p in s.paragraphs]
        if not hard:
            assert pa_text == pb_text
        else:  # hard_hyphen_breaks adds a sentence with compounds of digits at the end of some paragraphs
            assert len(pa_text) == len(pb_text) and all(b.startswith(a) for a, b in zip(pa_text, pb_text, strict=True))


def test_same_seed_same_bytes_and_forcing_keeps_other_draws(tmp_path):
    a = synth.generate(2, 9, "mixed", tmp_path / "a", variations="all")
    b = synth.generate(2, 9, "mixed", tmp_path / "b", variations="all")
    for pa, pb in zip(a, b, strict=True):
        for suffix in (".pdf", ".truth.json", ".variation.json"):
            assert pa.with_suffix(suffix).read_bytes() == pb.with_suffix(suffix).read_bytes()
    free = synth.choose_variation(synth.variation_rng(9, 0))
    forced = synth.choose_variation(synth.variation_rng(9, 0), {"score_decimals": 2})
    assert forced["score_decimals"] == 2
    assert {k: v for k, v in forced.items() if k != "score_decimals"} == {
        k: v for k, v in free.items() if k != "score_decimals"}


def test_forced_dict_and_bad_values(tmp_path):
    pdfs = synth.generate(2, 4, "global", tmp_path, variations={"table_grid": True, "change_form": "parentheses"})
    for pdf in pdfs:
        rec = json.loads(pdf.with_suffix(".variation.json").read_text(encoding="utf-8"))["variation"]
        assert rec["table_grid"] is True and rec["change_form"] == "parentheses"
    for bad in ({"nope": 1}, {"score_decimals": 3}, {"table_columns": True}, "some"):
        with pytest.raises(ValueError):
            synth.generate(1, 4, "global", tmp_path / "bad", variations=bad)


def test_cli_variations_all(tmp_path):
    from octa.cli import main

    res = CliRunner().invoke(main, ["synth", "--count", "1", "--seed", "2", "--out", str(tmp_path),
                                    "--variations", "all"])
    assert res.exit_code == 0, res.output
    assert len(list(tmp_path.glob("*.variation.json"))) == 1


# ---------------------------------------------------------------------------------------------
# Number formats and the truth
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("decimals", synth.VARIATION_CLASSES["score_decimals"])
def test_score_decimals_printed_at_truth_bbox(decimals):
    doc, truth, _, _ = _render(score_decimals=decimals)
    text = doc[0].get_text()
    for ind in truth.indicators:
        d = Decimal(str(ind.score))
        want = {"g": f"{d.normalize():f}", 1: f"{d:.1f}", 2: f"{d:.2f}"}[decimals]
        assert _clip(doc[ind.page - 1], ind.bbox) == want, (ind.id, want)
        assert Decimal(want) == d  # the printed value is the truth
    if decimals == 2:
        assert re.search(r"\b\d{1,2}\.\d0\b", text)
    if decimals == "g":
        whole = [i for i in truth.indicators if i.score == int(i.score)]
        assert whole and all(_clip(doc[i.page - 1], i.bbox) == str(int(i.score)) for i in whole)


@pytest.mark.parametrize("decimals", synth.VARIATION_CLASSES["summary_decimals"])
def test_summary_decimals(decimals):
    for seed in range(5, 9):
        doc, truth, _, _ = _render(seed=seed, summary_decimals=decimals)
        for s in truth.summary_scores:
            if s.bbox is None:
                continue
            printed = _clip(doc[s.page - 1], s.bbox)
            two = f"{Decimal(str(s.score)):.2f}"
            want = two[:-1] if decimals == 1 and two.endswith("0") else two  # 1 only where exact
            assert printed == want, (s.metric, printed, two)


@pytest.mark.parametrize("decimals", synth.VARIATION_CLASSES["change_decimals"])
def test_change_decimals(decimals):
    doc, truth, spec, _ = _render(change_decimals=decimals, change_form="signed")
    var = spec.variation
    for ind in truth.indicators:
        got, _ = _right_of(doc[ind.page - 1], ind.bbox)
        want, _ = _expected_change(truth, ind.id, var)
        assert got == want, (ind.id, got, want)
        if ind.change is not None:
            assert Decimal(want) == Decimal(str(ind.change))
            assert len(want.split(".")[1]) == decimals


# ---------------------------------------------------------------------------------------------
# Change forms
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", synth.VARIATION_CLASSES["change_icon_side"])
@pytest.mark.parametrize("form", synth.VARIATION_CLASSES["change_form"])
def test_change_forms(form, side):
    doc, truth, spec, _ = _render(change_form=form, change_icon_side=side)
    var = spec.variation
    seen_dirs = set()
    glyphs: dict[int, set[str]] = {}
    for ind in truth.indicators:
        page = doc[ind.page - 1]
        got, drawings = _right_of(page, ind.bbox)
        number, direction = _expected_change(truth, ind.id, var)
        if ind.change is None:
            assert got == "n/a"
            continue
        assert Decimal(re.sub(r"[^\d.]", "", number)) == abs(Decimal(str(ind.change)))
        if direction == 0:  # zero is unsigned and has no icon
            assert got == "0.0" and not drawings
            continue
        seen_dirs.add(direction)
        if form == "zapf_triangles":  # a symbol font's code, decoded as some other character
            glyph = got[0] if side == "before" else got[-1]
            assert not glyph.isdigit() and glyph not in SIGNS
            assert got == (glyph + number if side == "before" else number + glyph), (ind.id, got)
            glyphs.setdefault(direction, set()).add(glyph)
        elif form in GLYPHS:
            glyph = GLYPHS[form][0 if direction > 0 else 1]
            assert got == (glyph + number if side == "before" else number + glyph), (ind.id, got)
        else:
            assert got == number, (ind.id, got)
        if form in ("vector_triangle", "vector_arrow", "colour_shape"):
            # the direction is a drawn path beside the number, nothing of it in the text layer
            assert not any(c in got for c in SIGNS + "\u25b2\u25bc\u2191\u2193"), got
            assert drawings, ind.id
            if form == "colour_shape":
                want = synth._UP_GREEN if direction > 0 else synth._DOWN_RED
                assert any(d["fill"] and tuple(round(c, 2) for c in d["fill"]) == want for d in drawings)
            if form == "vector_triangle":  # the apex up or down
                pts = [p for d in drawings for it in d["items"] for p in it[1:] if isinstance(p, pymupdf.Point)]
                top = min(pts, key=lambda p: p.y)
                assert (abs(top.x - sum(p.x for p in pts) / len(pts)) < 1.0) == (direction > 0)
        elif form in ("signed", "signed_minus", "parentheses"):
            assert not drawings
            minus = {"signed": "-", "signed_minus": "\u2212", "parentheses": "("}[form]
            assert got.startswith("+" if direction > 0 and form != "parentheses" else minus) or (
                form == "parentheses" and direction > 0 and got[0].isdigit())
    assert seen_dirs == {1, -1}
    if glyphs:  # one glyph a direction
        assert len(glyphs[1]) == len(glyphs[-1]) == 1 and glyphs[1] != glyphs[-1]


@pytest.mark.parametrize("token", synth.VARIATION_CLASSES["new_indicator"])
def test_new_indicator_token(token):
    doc, truth, _, _ = _render(new_indicator=token, change_form="vector_arrow")
    new = [i for i in truth.indicators if taxonomy.is_new_indicator(i.id, truth.year)]
    assert new
    for ind in new:
        assert ind.change is None
        got, drawings = _right_of(doc[ind.page - 1], ind.bbox)
        assert got == token and not drawings


def test_first_edition_prints_no_changes():
    doc, truth, _, _ = _render(family="enact", year=2019, change_form="signed", table_grid=True)
    assert all(i.change is None for i in truth.indicators)
    text = doc[0].get_text()
    assert "CHANGE" not in text and "n/a" not in text and not re.search(r"[+\u2212]\d", text)


# ---------------------------------------------------------------------------------------------
# Labels, rows and tables
# ---------------------------------------------------------------------------------------------


def _table_text(doc, record) -> str:
    return "".join("".join(doc[p].get_text().split()) for p in range(record["variants"]["table_pages"]))


@pytest.mark.parametrize("case", synth.VARIATION_CLASSES["label_case"])
@pytest.mark.parametrize("amp", synth.VARIATION_CLASSES["label_amp"])
def test_label_case_and_ampersand(case, amp):
    doc, truth, _, record = _render(label_case=case, label_amp=amp)
    table = _table_text(doc, record)
    split = set(record["variants"]["split_labels"])
    for ind in truth.indicators:
        printed = synth._case(ind.label, case, amp == "&")
        if ind.id not in split:
            assert printed.replace(" ", "") in table, printed
    assert ("&" in table) == (amp == "&")
    want = {"upper": "POLITICALLEADERSHIP", "title": "PoliticalLeadership", "sentence": "Politicalleadership"}[case]
    assert want in table or "political_leadership_and_governance" in split


@pytest.mark.parametrize("spacing", synth.VARIATION_CLASSES["letter_spacing"])
def test_letter_spacing(spacing):
    doc, truth, _, record = _render(letter_spacing=spacing, font="helvetica", label_case="sentence")
    if "human_trafficking" in record["variants"]["split_labels"]:
        pytest.skip("label drawn split")
    size = record["variants"]["table_font_size"]
    natural = pymupdf.get_text_length("Human trafficking", fontname="helv", fontsize=size)
    found = []
    for block in doc[0].get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(s["text"] for s in line["spans"])
            if "".join(text.split()) == "Humantrafficking":
                found.append((text, (line["bbox"][2] - line["bbox"][0]) / natural))
    assert len(found) == 1
    text, ratio = found[0]
    lo, hi = {"none": (0.97, 1.03), "light": (1.08, 1.3), "wide": (1.3, 1.7)}[spacing]
    assert lo <= ratio <= hi, (text, ratio)
    # what a text extractor makes of it: the words, or every letter spaced out
    assert (text == "Human trafficking") == (spacing != "wide")


@pytest.mark.parametrize("lines", synth.VARIATION_CLASSES["label_wrap"])
def test_label_wrap(lines):
    doc, truth, spec, record = _render(label_wrap=lines, label_case="upper", table_columns=2)
    rec = spec.variation
    # label_wrap records the most lines a label took (adjusted records what was asked for)
    assert rec["label_wrap"] <= max(lines, 2)
    if rec["label_wrap"] != lines:
        assert record["variants"]["variation_adjusted"] == {"label_wrap": lines}
    wrapped = record["variants"]["wrapped_labels"]
    assert bool(wrapped) == (rec["label_wrap"] > 1)
    page_lines = [ln.strip() for p in range(record["variants"]["table_pages"]) for ln in doc[p].get_text().split("\n")]
    if rec["label_wrap"] == 1:
        assert "POLITICAL LEADERSHIP AND GOVERNANCE" in page_lines
    else:
        assert "POLITICAL LEADERSHIP AND GOVERNANCE" not in page_lines
    if lines == 2:  # a line of a label may be a group heading
        assert "POLITICAL" in page_lines and "LEADERSHIP AND GOVERNANCE" in page_lines
    if rec["label_wrap"] == 4:  # one word a line for the longest labels
        assert "ACCOUNTABILITY" in page_lines and "TRANSPARENCY" in page_lines


def _words(page):
    return [(w[0], w[1], w[2], w[3], w[4]) for w in page.get_text("words")]


@pytest.mark.parametrize("order", synth.VARIATION_CLASSES["row_order"])
def test_row_order(order):
    doc, truth, spec, record = _render(row_order=order, label_case="upper", change_form="signed")
    split = set(record["variants"]["split_labels"])
    checked = 0
    for ind in truth.indicators:
        if ind.id in split:
            continue
        page = doc[ind.page - 1]
        first = synth._case(ind.label, "upper", False).split(" ")[0]
        sx0, sy0, sx1, sy1 = ind.bbox
        sy = (sy0 + sy1) / 2
        words = [pymupdf.Rect(w[:4]) for w in page.get_text("words") if w[4] == first]
        if order == "score_below_label":  # the label's first line above the score, at its left edge
            lab = [r for r in words if abs(r.x0 - sx0) < 1 and 0 < sy - (r.y0 + r.y1) / 2 < 40]
        else:
            lab = [r for r in words if abs((r.y0 + r.y1) / 2 - sy) < 3 and abs(r.x0 - sx0) < 520]
        assert len(lab) >= 1, (ind.id, first)
        lab_r = min(lab, key=lambda r: abs((r.y0 + r.y1) / 2 - sy))
        if order == "label_score_change":
            assert lab_r.x1 < sx0
        elif order in ("score_change_label", "score_label_change"):
            assert sx1 < lab_r.x0
        change, _ = _right_of(page, ind.bbox)
        want, _ = _expected_change(truth, ind.id, spec.variation)
        if order == "score_label_change":  # the label sits between score and change
            assert change[:4] == first[:4]
        else:
            assert change.startswith(want), (ind.id, change, want)
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("grid", synth.VARIATION_CLASSES["table_grid"])
def test_table_grid(grid):
    doc, truth, _, record = _render(table_grid=grid, table_columns=2)
    page = doc[0]
    lines = {w[4] for w in page.get_text("words")}
    rules = [d for d in page.get_drawings() if d.get("color") and not d.get("fill")
             and (d["rect"].width < 0.5 or d["rect"].height < 0.5)]
    if grid:
        assert {"INDICATOR", "SCORE", "CHANGE"} <= lines
        assert len(rules) > 2 * len(truth.indicators)
    else:
        assert "INDICATOR" not in lines and not rules


@pytest.mark.parametrize("ncol", synth.VARIATION_CLASSES["table_columns"])
def test_table_columns(ncol):
    doc, truth, _, _ = _render(table_columns=ncol, label_wrap=2)
    lefts = sorted({round(i.bbox[0]) for i in truth.indicators if i.page == 1})
    clusters = [x for k, x in enumerate(lefts) if k == 0 or x - lefts[k - 1] > 40]
    assert len(clusters) == ncol or (ncol == 3 and truth.source.pages > 1 and len(clusters) >= 2)


@pytest.mark.parametrize("headings", synth.VARIATION_CLASSES["group_headings"])
def test_group_headings(headings):
    doc, _, _, record = _render(group_headings=headings, label_case="upper")
    lines = {ln.strip() for p in range(record["variants"]["table_pages"]) for ln in doc[p].get_text().split("\n")}
    assert ({"PEOPLE", "TRADE", "DRUGS"} <= lines) == headings
    assert ("PEOPLE" in lines) == headings


# ---------------------------------------------------------------------------------------------
# Soft hyphens
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", synth.VARIATION_CLASSES["soft_hyphens"])
def test_soft_hyphens(mode):
    doc, truth, _, record = _render(soft_hyphens=mode)
    start = record["variants"]["table_pages"]
    text = "".join(doc[p].get_text() for p in range(start, len(doc)))
    inside = re.findall(r"[a-z\ufb00-\ufb04]\u00ad[a-z\ufb00-\ufb04]", text)
    at_end = re.findall(r"[a-z]\u00ad\n", text)
    assert bool(inside) == (mode in ("inword", "both"))
    assert bool(at_end) == (mode in ("lineend", "both"))
    if mode == "inword":
        assert re.search(r"[a-z]-\n", text)  # line ends keep a plain hyphen
    # the truth's paragraphs are clean, and the text layer is them with the hyphens taken out
    paras = " ".join(p.text for s in truth.sections for p in s.paragraphs)
    assert "\u00ad" not in paras
    flat = text.replace("\u00ad\n", "").replace("\u00ad", "")
    for lig, plain in (("\ufb03", "ffi"), ("\ufb00", "ff"), ("\ufb01", "fi"), ("\ufb02", "fl")):
        flat = flat.replace(lig, plain)
    # whole words (not the head or tail of a line-end break) are the truth's words
    words = set(re.findall(r"(?<= )[a-z]{9,}(?=[ .,;:])", flat))
    assert len(words) > 20 and words <= set(re.findall(r"[a-z]+", paras))


def test_truth_exact_across_a_mixed_run(tmp_path):
    """Every printed indicator score, under any drawn variation, is its truth value."""
    pdfs = synth.generate(7, 21, "mixed", tmp_path, variations="all")
    for pdf in pdfs:
        truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        var = json.loads(pdf.with_suffix(".variation.json").read_text(encoding="utf-8"))["variation"]
        with pymupdf.open(pdf) as doc:
            for ind in truth.indicators:
                printed = _number_at(doc[ind.page - 1], ind.bbox)
                assert Decimal(printed) == Decimal(str(ind.score)), (pdf.stem, ind.id, printed)
                if var["score_decimals"] != "g":
                    assert len(printed.split(".")[1]) == var["score_decimals"]
            for s in truth.summary_scores:
                if s.bbox is not None:
                    assert Decimal(_number_at(doc[s.page - 1], s.bbox)) == Decimal(str(s.score)), (pdf.stem, s.metric)


def _number_at(page, bbox) -> str:
    """The number printed in ``bbox`` (a clip may catch a neighbouring decoration character)."""
    text = _clip(page, bbox)
    m = re.search(r"\d+(?:\.\d+)?", text)
    assert m and not re.sub(r"[\[\]/*\u00b9\u2020\u2007 ]", "", text.replace(m.group(0), "", 1)), text
    return m.group(0)


# ---------------------------------------------------------------------------------------------
# Issue 25: decorations, tie ranks, raster and icon-font icons, layouts, hyphens, precision
# (each class drawn as recorded; whether octa reads them is scripts/classes_report.py's business)
# ---------------------------------------------------------------------------------------------

#: the token a decoration makes of the number n (hand-written; U+00A0 comes out of PyMuPDF as a space)
DECORATED = {"slash10": "{n}/10", "spaced_slash10": "{n} / 10", "out_of_10": "{n} out of 10",
             "nbsp_slash10": "{n} / 10", "star": "{n}*", "superscript_one": "{n}\u00b9", "dagger": "{n}\u2020",
             "brackets": "[{n}]", "figure_space": "{n}"}


def _line_text(page, bbox, left: float = 12.0, right: float = 70.0) -> str:
    x0, y0, x1, y1 = bbox
    return page.get_text(clip=pymupdf.Rect(x0 - left, y0 + 0.5, x1 + right, y1 - 0.5)).strip()


def _chars(page, rect=None):
    """(char, font, bbox) of every character drawn on ``page`` (within ``rect``)."""
    out = []
    for b in page.get_text("rawdict", clip=rect)["blocks"]:
        for ln in b.get("lines", []):
            for sp in ln["spans"]:
                out += [(c["c"], sp["font"], pymupdf.Rect(c["bbox"])) for c in sp["chars"]]
    return out


@pytest.mark.parametrize("deco", [d for d in synth.VARIATION_CLASSES["score_decoration"] if d != "none"])
def test_score_decoration_printed_around_the_truth_number(deco):
    doc, truth, _, _ = _render(score_decoration=deco, score_decimals=1, summary_decimals=2)
    for ind in truth.indicators:
        page = doc[ind.page - 1]
        n = f"{Decimal(str(ind.score)):.1f}"
        assert DECORATED[deco].format(n=n) in _line_text(page, ind.bbox), (ind.id, _line_text(page, ind.bbox))
        assert _number_at(page, ind.bbox) == n  # the truth's bbox is the number's
    for s in truth.summary_scores:
        if s.bbox is not None:
            n = f"{Decimal(str(s.score)):.2f}"
            assert DECORATED[deco].format(n=n) in _line_text(doc[s.page - 1], s.bbox, right=140), s.metric
    if deco == "figure_space":  # a figure space before every one-digit score, drawn in the text layer
        pads = [c for c in _chars(doc[0]) if c[0] == "\u2007"]
        assert len(pads) >= sum(1 for i in truth.indicators if i.page == 1 and i.score < 10)
    if deco == "nbsp_slash10":
        raw = "".join(c[0] for c in _chars(doc[0]))
        assert "/10" not in raw and " / 10" in raw.replace("\u00a0", " ")


def _ordinal(n: int) -> str:
    return f"{n}" + ("th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


@pytest.mark.parametrize("tie", synth.VARIATION_CLASSES["rank_tie"])
def test_rank_tie_prints_an_equals_sign_on_the_truth_rank(tie):
    doc, truth, _, _ = _render(rank_tie=tie)
    lines = [ln.strip() for ln in doc[0].get_text().split("\n")]
    tied = [ln for ln in lines if re.match(r"=\d+(st|nd|rd|th) of \d+ ", ln)]
    assert len(tied) == {"none": 0, "first": 2, "all": len(truth.ranks)}[tie]
    for r in truth.ranks:  # the printed number is the truth's rank, with or without "="
        assert any(re.match(rf"=?{_ordinal(r.rank)} of {r.of} ", ln) for ln in lines), (r.metric, r.scope)


def _changed(truth):
    return [i for i in truth.indicators if i.change]


def test_direction_icon_raster_is_an_image_beside_the_unsigned_number():
    doc, truth, spec, _ = _render(direction_icon="raster", change_form="signed", change_icon_side="after")
    changed = _changed(truth)
    assert changed
    for ind in changed:
        page = doc[ind.page - 1]
        got, _ = _right_of(page, ind.bbox)
        assert got == f"{abs(Decimal(str(ind.change))):.1f}", (ind.id, got)  # unsigned
        x0, y0, x1, y1 = ind.bbox
        row = pymupdf.Rect(x1, y0 - 2, x1 + 45, y1 + 2)
        imgs = [pymupdf.Rect(im["bbox"]) for im in page.get_image_info() if pymupdf.Rect(im["bbox"]).intersects(row)]
        assert len(imgs) == 1, ind.id
        pix = page.get_pixmap(clip=imgs[0], dpi=300)
        r = g = 0
        for k in range(0, len(pix.samples), pix.n):
            px = pix.samples[k:k + 3]
            r += px[0] > 150 and px[1] < 100
            g += px[1] > 100 and px[0] < 80
        assert (g > 20 and r == 0) if ind.change > 0 else (r > 20 and g == 0), (ind.id, r, g)  # green up, red down


#: direction_icon -> (up, down) code points of the text layer, as the issue describes them
MISLEADING = {"font_ge_le": ("\u2265", "\u2264"), "font_arabic": ("\u0631", "\u0632"),
              "font_pua": ("\ue000", "\ue001"), "font_diagonal": ("\u0630", "\u062f")}


@pytest.mark.parametrize("icon", list(MISLEADING))
def test_direction_icon_font_glyph_has_the_misleading_code_point(icon):
    doc, truth, _, _ = _render(direction_icon=icon, change_form="signed", change_icon_side="before")
    changed = _changed(truth)
    assert changed
    for ind in changed:
        page = doc[ind.page - 1]
        x0, y0, x1, y1 = ind.bbox
        glyphs = [c for c in _chars(page, pymupdf.Rect(x1, y0 - 1, x1 + 40, y1 + 1)) if c[1].startswith("Octa")]
        assert len(glyphs) == 1, ind.id
        char, _, box = glyphs[0]
        assert char == MISLEADING[icon][0 if ind.change > 0 else 1], (ind.id, char)
        # drawn: ink in the glyph's box, and a triangle's ink heaviest at its base
        pix = page.get_pixmap(clip=box, dpi=400, colorspace=pymupdf.csGRAY)
        rows = [sum(255 - v for v in pix.samples[r * pix.stride:r * pix.stride + pix.width]) for r in range(pix.height)]
        assert sum(rows) > 0
        if icon != "font_diagonal":
            ink = [r for r in rows if r]
            top, bottom = sum(ink[: len(ink) // 2]), sum(ink[len(ink) // 2:])
            assert (bottom > top) == (ind.change > 0), (ind.id, top, bottom)
        got, _ = _right_of(page, ind.bbox)
        assert got.endswith(f"{abs(Decimal(str(ind.change))):.1f}") and not re.search(r"[+\u2212-]\d", got)


@pytest.mark.parametrize("layout", synth.VARIATION_CLASSES["summary_layout"])
def test_summary_layout(layout):
    doc, truth, _, _ = _render(summary_layout=layout)
    crim = next(s for s in truth.summary_scores if s.metric == "criminality")
    res = next(s for s in truth.summary_scores if s.metric == "resilience")
    per_metric = {m: [r for r in truth.ranks if r.metric == m] for m in ("criminality", "resilience")}
    assert len(per_metric["criminality"]) == 3
    if layout == "stacked":  # one above the other, the criminality's three rank lines between them
        assert abs(crim.bbox[0] - res.bbox[0]) < 1 and res.bbox[1] > crim.bbox[3]
        assert all(crim.bbox[3] < r.bbox[1] < res.bbox[1] for r in per_metric["criminality"])
        assert all(r.bbox[1] > res.bbox[3] for r in per_metric["resilience"])
    else:
        assert abs(crim.bbox[1] - res.bbox[1]) < 1 and res.bbox[0] > crim.bbox[2]


@pytest.mark.parametrize("start", synth.VARIATION_CLASSES["narrative_start"])
def test_narrative_start(start):
    doc, truth, _, record = _render(narrative_start=start, table_columns=2)
    last = record["variants"]["table_pages"]
    first = truth.sections[0]
    on_last = [i for i in truth.indicators if i.page == last]
    if start == "new_page":
        assert first.page == last + 1
        return
    assert first.page == last
    if start == "after_table":
        assert first.bbox[1] > max(i.bbox[3] for i in on_last)
    else:  # in the column beside the table (the table drawn in one column)
        assert first.bbox[0] > max(i.bbox[2] for i in on_last) and first.bbox[0] > doc[0].rect.width / 2
        assert record["variants"]["variation_adjusted"]["table_columns"] == 2
    assert first.heading in [ln.strip().replace(" ", "") for ln in doc[last - 1].get_text().split("\n")] or \
        first.heading in doc[last - 1].get_text()


@pytest.mark.parametrize("repeat", synth.VARIATION_CLASSES["header_repeat"])
def test_header_repeat(repeat):
    doc, truth, _, record = _render(header_repeat=repeat, table_grid=True, table_columns=3, label_wrap=2)
    heads = sum(1 for p in range(record["variants"]["table_pages"]) for w in doc[p].get_text("words")
                if w[4] == "INDICATOR")
    lefts = {(i.page, round(i.bbox[0])) for i in truth.indicators}
    assert len(lefts) >= 2  # the table flows into another column
    assert heads == (len(lefts) if repeat else 1)


def test_hard_hyphen_breaks():
    plain_doc, plain, _, _ = _render(hard_hyphen_breaks=False)
    doc, truth, _, record = _render(hard_hyphen_breaks=True)
    text = "".join(p.get_text() for p in doc)
    paras = " ".join(p.text for s in truth.sections for p in s.paragraphs)
    assert "24-month" in paras and "mid-2023" in paras and "south-western" in paras
    assert "24-month" not in " ".join(p.text for s in plain.sections for p in s.paragraphs)
    ends = re.findall(r"(\S+-)\n(\S+)", text)
    digit = [(a, b) for a, b in ends if a[:-1].isdigit() or b[:1].isdigit()]
    assert digit, ends  # "24-" / "month" or "mid-" / "2023" at a line end
    for a, b in ends:  # every compound broken at its hyphen is a compound of the truth
        word = re.sub(r"[.,;:]$", "", a + b)
        if word[:1].isalnum() and "\u00ad" not in word:
            assert word in paras or re.sub(r"-", "", word, count=1) in paras, word
    assert record["variants"]["hard_hyphen_breaks"] >= 2


@pytest.mark.parametrize("visible", synth.VARIATION_CLASSES["visible_soft_hyphen"])
def test_visible_soft_hyphen(visible):
    doc, truth, _, record = _render(visible_soft_hyphen=visible)
    start = record["variants"]["table_pages"]
    shy = [(p, c) for p in range(start, len(doc)) for c in _chars(doc[p]) if c[0] == "\u00ad"]
    assert bool(shy) == visible
    for p, (_, _, box) in shy[:10]:  # drawn: a hyphen's ink, between two letters of a line
        pix = doc[p].get_pixmap(clip=box, dpi=300, colorspace=pymupdf.csGRAY)
        assert min(pix.samples) < 100
    text = "".join(doc[p].get_text() for p in range(start, len(doc)))
    assert bool(re.search(r"[a-z]\u00ad[a-z]", text)) == visible
    assert all("\u00ad" not in p.text for s in truth.sections for p in s.paragraphs)


def test_summary_change_places_one_decimal_from_the_exact_difference():
    from decimal import ROUND_HALF_UP

    from tests import oracle

    doc, truth, spec, _ = _render(summary_change_places=1, change_form="signed", summary_decimals=2)
    scores = {i.id: Decimal(str(i.score)) for i in truth.indicators}
    prev = {k: Decimal(v.numerator) / Decimal(v.denominator) for k, v in spec.previous.items()}  # halves: exact
    now, before = oracle.unrounded(scores, truth.year), oracle.unrounded(prev, spec.previous_year)
    seen = 0
    for s in truth.summary_scores:
        if s.bbox is None:
            continue
        want = (now[s.metric] - before[s.metric]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        token = "0.0" if want == 0 else (f"+{want}" if want > 0 else f"-{abs(want)}")
        got, _ = _right_of(doc[s.page - 1], s.bbox, width=60)
        assert got.startswith(token) and not got[len(token):len(token) + 1].isdigit(), (s.metric, got, token)
        assert abs(Decimal(str(s.change)) - want) <= Decimal("0.05")  # the truth keeps its two decimals
        seen += 1
    assert seen >= 3


def _body_gaps(doc, start: int) -> list[float]:
    """Baseline distances between consecutive body lines (one column, one size) on the narrative pages."""
    from collections import Counter

    gaps = []
    pages = [[(round(ln["bbox"][0]), ln["spans"][0]["origin"][1], round(ln["spans"][0]["size"], 2))
              for b in doc[p].get_text("dict")["blocks"] for ln in b.get("lines", [])] for p in range(start, len(doc))]
    size = Counter(ln[2] for lines in pages for ln in lines).most_common(1)[0][0]
    for lines in pages:
        body = [ln for ln in lines if ln[2] == size]
        for (x0, y0, _), (x1, y1, _) in zip(body, body[1:], strict=False):
            if x0 == x1 and 0 < y1 - y0 < 40:
                gaps.append(round(y1 - y0, 2))
    return gaps


@pytest.mark.parametrize("gap", synth.VARIATION_CLASSES["paragraph_gap"])
def test_paragraph_gap(gap):
    doc, truth, _, record = _render(paragraph_gap=gap)
    gaps = _body_gaps(doc, record["variants"]["table_pages"])
    lead = min(gaps)
    assert gaps.count(lead) > len(gaps) / 2
    ratios = {round(g / lead, 2) for g in gaps if g > lead + 0.01}
    para_gaps = {r for r in ratios if r < 1.7}  # a heading's gap is larger
    if gap == "tight":
        assert para_gaps and all(1.05 <= r <= 1.2 for r in para_gaps), ratios
    else:
        assert para_gaps and all(1.35 <= r <= 1.55 for r in para_gaps), ratios


def test_icon_font_rebuilds_byte_identically():
    pytest.importorskip("fontTools", reason="fontTools (test extras) builds the icon font")
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "make_icon_font.py"
    spec = importlib.util.spec_from_file_location("make_icon_font", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == synth.ICON_FONT_FILE.read_bytes()
