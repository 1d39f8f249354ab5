"""The browser producer itself (tests/producers/browser.py), not the parser: its truth is valid and
follows the arithmetic of tests/oracle.py, its PDFs print the truth's numbers in their text layer,
its variation choices are recorded and forced on request, and its truth is deterministic."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pymupdf
import pytest

from octa import taxonomy
from octa.model import Profile
from tests import oracle
from tests.producers import browser

SEED = 515

#: the issue-25 classes at their plain values (the CASES below look at the earlier classes)
OFF25 = {"score_decoration": "none", "rank_tie": "none", "direction_icon": "none", "narrative_start": "new_page",
         "header_repeat": True, "hard_hyphen_breaks": False, "visible_soft_hyphen": False,
         "summary_change_places": 2, "paragraph_gap": "normal"}

#: Four profiles, one per forced combination, covering the change forms whose direction has no text.
CASES: list[tuple[tuple[str, int], dict]] = [
    (("global", 2023), {**OFF25, "change_form": "svg_icon", "score_decimals": 2, "summary_decimals": "2",
                        "change_decimals": 2, "new_form": "n/a", "hyphenation": "soft", "table_style": "grid",
                        "table_columns": 2}),
    (("enact", 2025), {**OFF25, "change_form": "sign_minus", "score_decimals": 1, "change_decimals": 1,
                       "row_order": "score_below_label", "label_wrap": "narrow", "chart": "svg"}),
    (("global", 2021), {**OFF25, "score_decimals": 0, "table_columns": 3, "group_headings": True, "bars": "css"}),
    (("enact", 2023), {**OFF25, "change_form": "css_triangle", "new_form": "new", "label_case": "upper",
                       "case_by": "text", "rank_change": True, "narrative_columns": 2}),
]


def _render(out: Path) -> list[Path]:
    pdfs: list[Path] = []
    try:
        with browser.Printer() as printer:
            for k, (edition, forced) in enumerate(CASES):
                sub = out / str(k)
                pdfs += browser.generate(1, SEED + k, "mixed", sub, forced, editions=[edition], printer=printer)
    except browser.ChromiumUnavailable as exc:
        pytest.skip(str(exc))
    return pdfs


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Profile, dict, list[str]]]:
    out = []
    for pdf in _render(tmp_path_factory.mktemp("browser-producer")):
        truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        var = json.loads(pdf.with_suffix(".variation.json").read_text(encoding="utf-8"))
        with pymupdf.open(pdf) as doc:
            texts = [p.get_text() for p in doc]
        out.append((pdf, truth, var, texts))
    return out


def _tables(texts: list[str]) -> str:
    """The text of the score pages: everything before the narrative's first heading."""
    return "\n".join(texts).split("\nCRIMINALITY\n")[0]


def _plan(k: int) -> browser.Truth:
    return browser.plan(0, SEED + k, "mixed", CASES[k][1], CASES[k][0])[1]


def test_truth_is_a_valid_profile_of_its_edition(made) -> None:
    for pdf, truth, _, texts in made:
        assert truth.source.file == pdf.name and truth.source.pages == len(texts) >= 2
        assert (truth.family, truth.year) in [c[0] for c in CASES]
        assert [i.id for i in truth.indicators] == [i.id for i in taxonomy.indicators_for(truth.year)]
        assert all(i.score is not None and (i.score * 2).is_integer() and 1 <= i.score <= 10
                   for i in truth.indicators)
        assert truth.country in taxonomy.COUNTRY_INFO
        assert len(truth.ranks) == (6 if truth.family == "global" else 4)


def test_summary_and_changes_follow_the_oracle(made) -> None:
    for k, (_, truth, _, _) in enumerate(made):
        scores = {i.id: Decimal(str(i.score)) for i in truth.indicators}
        expected = oracle.summary(scores, truth.year)
        assert {k_: Decimal(str(v)) for k_, v in truth.summary.model_dump().items()} == expected
        t = _plan(k)
        assert {i: float(s) for i, s in t.scores.items()} == {i.id: i.score for i in truth.indicators}
        for s in truth.summary_scores:
            assert Decimal(str(s.score)) == expected[s.metric]
        if not taxonomy.has_changes(truth.family, truth.year):
            assert all(s.change is None for s in truth.summary_scores)
            assert all(i.change is None for i in truth.indicators)
            continue
        prev = taxonomy.previous_edition(truth.family, truth.year)
        ch = oracle.summary_changes(scores, truth.year, t.previous, prev)
        assert {s.metric: Decimal(str(s.change)) for s in truth.summary_scores} == ch
        for i in truth.indicators:
            want = oracle.indicator_change(scores[i.id], (t.previous or {}).get(i.id))
            assert (None if i.change is None else Decimal(str(i.change))) == want
            assert (i.change is None) == (truth.year == 2023 and taxonomy.is_new_indicator(i.id, truth.year))


def test_pdf_prints_the_truth_numbers(made) -> None:
    for _, truth, var, texts in made:
        text = "\n".join(texts)
        tokens = re.findall(r"\d+(?:\.\d+)?", text)
        for s in truth.summary_scores:
            assert browser.fmt_summary(Decimal(str(s.score)), var["summary_decimals"]) in tokens
        for i in truth.indicators:
            assert browser.fmt_score(Decimal(str(i.score)), var["score_decimals"]) in tokens
        if var["score_decimals"] == 2:  # unambiguous: every score printed once in the tables
            for i in truth.indicators:
                assert text.count(f"{i.score:.2f}") >= 1
        assert truth.country in texts[0]
        pub = browser.PUBLISHER[truth.family]
        assert f"{pub} {truth.year}" in texts[0]
        for r in truth.ranks:
            assert browser.rank_text(truth.family, r.scope, r.rank, r.of, r.area) in texts[0]


def test_icon_only_changes_have_no_sign_in_the_text(made) -> None:
    for pdf, truth, var, texts in made:
        if var["change_form"] not in ("svg_icon", "css_triangle"):
            continue
        first = "\n".join(x for x in _tables(texts).splitlines() if "countries" not in x)  # ranks: own changes
        assert not set("+\u2212\u25b2\u25bc\u2191\u2193") & set(first)
        assert not re.search(r"-\d", first)
        changed = [i for i in truth.indicators if i.change]
        assert changed
        for i in changed:
            assert f"{abs(i.change):.{var['change_decimals']}f}" in first
        with pymupdf.open(pdf) as doc:  # the direction is drawn: filled triangles
            assert sum(len(p.get_drawings()) for p in doc) > len(changed)
        new = [i for i in truth.indicators if i.change is None]
        if new:
            assert first.count(var["new_form"]) >= len(new)


def test_signed_changes_are_printed_with_their_sign(made) -> None:
    for _, truth, var, texts in made:
        if var["change_form"] != "sign_minus":
            continue
        neg = [i for i in truth.indicators if i.change is not None and i.change < 0]
        pos = [i for i in truth.indicators if i.change is not None and i.change > 0]
        assert neg and pos
        for i in neg:
            assert f"\u2212{abs(i.change):.1f}" in _tables(texts)
        for i in pos:
            assert f"+{i.change:.1f}" in _tables(texts)


def test_variations_are_recorded_and_forced(made) -> None:
    for k, (_, truth, var, texts) in enumerate(made):
        assert set(var) == set(browser.VARIATIONS)
        for cls, val in var.items():
            assert val == "none" or val in browser.VARIATIONS[cls], (cls, val)
        for cls, val in CASES[k][1].items():
            applies = not (cls in ("change_form", "change_decimals", "new_form", "rank_change", "direction_icon",
                                   "summary_change_places")
                           and not taxonomy.has_changes(truth.family, truth.year))
            assert var[cls] == (val if applies else "none"), cls
        if var["hyphenation"] == "soft":
            assert "\u00ad" in "".join(texts[1:])
        if var["rank_change"] is True:
            assert re.search(r"countries [+-]\d", texts[0])
    with pytest.raises(ValueError):
        browser.choose_variations(browser.random.Random(1), "global", 2023, {"change_form": "smoke_signals"})
    with pytest.raises(ValueError):
        browser.choose_variations(browser.random.Random(1), "global", 2023, {"no_such_class": 1})


def test_narrative_has_one_paragraph_per_indicator_in_taxonomy_order(made) -> None:
    for _, truth, _, _ in made:
        paras = [p for s in truth.sections for p in s.paragraphs]
        assert [p.indicator for p in paras] == [i.id for i in taxonomy.indicators_for(truth.year)]
        assert all(p.pages and p.pages[0] >= 2 for p in paras)  # found in the printed text
        actors = next(s for s in truth.sections if s.path == ["CRIMINALITY", "Criminal actors"])
        assert len(actors.paragraphs) == (4 if truth.year <= 2021 else 5)


def test_forcing_a_class_leaves_the_truth_and_other_choices_unchanged() -> None:
    a_stem, a, av, _ = browser.plan(3, 99, "mixed")
    b_stem, b, bv, _ = browser.plan(3, 99, "mixed", {"table_columns": 3 if av["table_columns"] != 3 else 1})
    assert a_stem == b_stem and a == b
    assert {k: v for k, v in av.items() if k != "table_columns"} == {k: v for k, v in bv.items()
                                                                      if k != "table_columns"}


def test_truth_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    runs = []
    try:
        with browser.Printer() as printer:
            for name in ("a", "b"):
                pdfs = browser.generate(2, 4711, "mixed", tmp_path / name, printer=printer)
                runs.append([(p.name, json.loads(p.with_suffix(".truth.json").read_text(encoding="utf-8")),
                              p.with_suffix(".variation.json").read_text(encoding="utf-8")) for p in pdfs])
    except browser.ChromiumUnavailable as exc:
        pytest.skip(str(exc))
    for run in runs:
        for _, truth, _ in run:
            truth["source"].pop("sha256")  # Chromium stamps a creation date into the PDF
    assert runs[0] == runs[1]


# ---------------------------------------------------------------------------------------------
# Issue 25: the new classes are drawn (not whether octa reads them: scripts/classes_report.py)
# ---------------------------------------------------------------------------------------------

CASES_25: list[tuple[tuple[str, int], dict]] = [
    (("global", 2023), {**OFF25, "direction_icon": "raster", "score_decoration": "slash10", "rank_tie": "all",
                        "narrative_start": "after_table", "score_decimals": 1, "hyphenation": "none",
                        "table_columns": 3, "label_wrap": "none", "chart": "none", "summary_layout": "side_by_side"}),
    (("enact", 2025), {**OFF25, "direction_icon": "font_diagonal", "score_decoration": "out_of_10", "score_decimals": 1,
                       "narrative_start": "beside_table", "hard_hyphen_breaks": True, "visible_soft_hyphen": True,
                       "hyphenation": "none", "text_align": "left", "label_wrap": "narrow", "group_headings": True,
                       "bars": "css"}),  # a long table: it ends in the first column of page 2
    (("global", 2025), {**OFF25, "direction_icon": "font_ge_le", "table_style": "grid", "table_columns": 2,
                        "header_repeat": False, "score_decoration": "brackets", "score_decimals": 1,
                        "rank_tie": "first", "hyphenation": "none"}),
    (("enact", 2023), {**OFF25, "direction_icon": "font_pua", "score_decoration": "dagger", "score_decimals": 1,
                       "hyphenation": "none"}),
    (("global", 2023), {**OFF25, "direction_icon": "none", "change_form": "sign_ascii", "summary_change_places": 1,
                        "summary_decimals": "2", "paragraph_gap": "tight", "narrative_columns": 1, "score_decimals": 1,
                        "hyphenation": "none", "score_decoration": "none"}),
]

#: hand-written: the token of a decorated number n
DECORATED = {"slash10": "{n}/10", "out_of_10": "{n} out of 10", "brackets": "[{n}]", "dagger": "{n}\u2020",
             "none": "{n}"}
MISLEADING = {"font_ge_le": ("\u2265", "\u2264"), "font_diagonal": ("\u0630", "\u062f"),
              "font_pua": ("\ue000", "\ue001")}


@pytest.fixture(scope="module")
def made25(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Profile, dict, list[str]]]:
    out_dir = tmp_path_factory.mktemp("browser-25")
    out = []
    try:
        with browser.Printer() as printer:
            for k, (edition, forced) in enumerate(CASES_25):
                for pdf in browser.generate(1, 2500 + k, "mixed", out_dir / str(k), forced, editions=[edition],
                                            printer=printer):
                    truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
                    var = json.loads(pdf.with_suffix(".variation.json").read_text(encoding="utf-8"))
                    with pymupdf.open(pdf) as doc:
                        texts = [p.get_text() for p in doc]
                    out.append((pdf, truth, var, texts))
    except browser.ChromiumUnavailable as exc:
        pytest.skip(f"chromium is not installed: {exc}")
    return out


def _octa_chars(pdf: Path) -> list[tuple[int, str, pymupdf.Rect]]:
    with pymupdf.open(pdf) as doc:
        return [(p.number, c["c"], pymupdf.Rect(c["bbox"])) for p in doc for b in p.get_text("rawdict")["blocks"]
                for ln in b.get("lines", []) for sp in ln["spans"] if "Octa" in sp["font"] for c in sp["chars"]]


def test_25_classes_recorded(made25) -> None:
    for k, (_, _, var, _) in enumerate(made25):
        for cls, val in CASES_25[k][1].items():
            assert var[cls] == val, (k, cls)


def test_25_score_decoration_around_every_score(made25) -> None:
    for _, truth, var, texts in made25:
        flat = re.sub(r"[ \n]+", " ", _tables(texts).replace("\u00a0", " "))
        for i in truth.indicators:
            tok = DECORATED[var["score_decoration"]].format(n=f"{i.score:.1f}")
            assert tok in flat, (var["score_decoration"], i.id, tok)
        for s in truth.summary_scores:
            if s.metric in ("criminality", "resilience"):
                tok = DECORATED[var["score_decoration"]].format(n=f"{s.score:.2f}")
                assert tok in flat, (s.metric, tok)


def test_25_rank_tie(made25) -> None:
    for _, truth, var, texts in made25:
        lines = [ln.strip() for ln in texts[0].split("\n")]
        tied = [ln for ln in lines if re.match(r"=\d+(st|nd|rd|th) of \d+ ", ln)]
        want = {"none": 0, "first": 2, "all": len(truth.ranks)}[var["rank_tie"]]
        assert len(tied) == want, (var["rank_tie"], tied)


def test_25_raster_icons_green_up_red_down(made25) -> None:
    pdf, truth, var, _ = made25[0]
    assert var["direction_icon"] == "raster"
    up = sum(1 for i in truth.indicators if i.change and i.change > 0)
    down = sum(1 for i in truth.indicators if i.change and i.change < 0)
    green = red = 0
    with pymupdf.open(pdf) as doc:
        for page in doc:
            for im in page.get_image_info():
                pix = page.get_pixmap(clip=pymupdf.Rect(im["bbox"]), dpi=300)
                px = [pix.samples[k:k + 3] for k in range(0, len(pix.samples), pix.n)]
                g = sum(1 for p in px if p[1] > 100 and p[0] < 80)
                r = sum(1 for p in px if p[0] > 150 and p[1] < 100)
                green += g > r
                red += r > g
    assert green >= up and red >= down and up and down
    assert not re.search(r"[+\u2212\u25b2\u25bc]\d", _tables(made25[0][3]))  # unsigned numbers


def test_25_icon_font_glyphs_have_misleading_code_points(made25) -> None:
    for pdf, truth, var, _ in made25[1:4]:
        pair = MISLEADING[var["direction_icon"]]
        chars = [c for _, c, _ in _octa_chars(pdf) if c in pair or c not in ("\u2010", "\u00ad")]
        up = sum(1 for i in truth.indicators if i.change and i.change > 0)
        down = sum(1 for i in truth.indicators if i.change and i.change < 0)
        assert set(chars) <= set(pair), (var["direction_icon"], set(chars))
        assert chars.count(pair[0]) >= up and chars.count(pair[1]) >= down and up + down > 0


def test_25_narrative_after_or_beside_the_tables(made25) -> None:
    for pdf, _truth, var, texts in made25[:2]:
        table_end = max(k for k, t in enumerate(texts) if "\nPrevention\n" in f"\n{t}")
        assert "CRIMINALITY" in [ln.strip() for ln in texts[table_end].split("\n")], var["narrative_start"]
        with pymupdf.open(pdf) as doc:
            page = doc[table_end]
            head = [r for r in page.search_for("CRIMINALITY") if r.height > 12]  # the narrative's heading
            assert head
            prev = page.search_for("Prevention")[0]
            if var["narrative_start"] == "after_table":
                assert min(r.y0 for r in head) > prev.y1
            else:  # the column beside the table
                assert max(r.x0 for r in head) > page.rect.width / 2 > prev.x1


def test_25_grid_header_only_in_the_first_column(made25) -> None:
    pdf, truth, var, texts = made25[2]
    assert var["table_style"] == "grid" and var["header_repeat"] is False and var["table_columns"] == 2
    with pymupdf.open(pdf) as doc:
        heads = sum(1 for p in doc for w in p.get_text("words") if w[4] == "INDICATOR")
    assert heads == 3  # one per pillar table, though each flows over two columns


def test_25_hard_hyphen_breaks_and_visible_soft_hyphen(made25) -> None:
    pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber reads the ToUnicode map without ActualText")
    pdf, truth, var, texts = made25[1]
    paras = " ".join(p.text for s in truth.sections for p in s.paragraphs)
    assert "24-month" in paras and "mid-2023" in paras
    narrative = "\n".join(texts)
    assert re.search(r"(\b\d+-|\bmid-)\n", narrative), "no compound with digits broken at a line end"
    with pdfplumber.open(pdf) as doc:  # the visible hyphen's code point in the text layer is U+00AD
        shy = [c for p in doc.pages for c in p.chars if c["fontname"].endswith("OctaIcons-Regular")
               and c["text"] == "\u00ad"]
    assert len(shy) >= 3
    assert all(c["x1"] - c["x0"] > 1 for c in shy)  # an advance: drawn, not a soft hyphen


def test_25_summary_change_one_decimal_and_tight_paragraphs(made25) -> None:
    from decimal import ROUND_HALF_UP

    pdf, truth, var, texts = made25[4]
    t = browser.plan(0, 2504, "mixed", CASES_25[4][1], CASES_25[4][0])[1]
    now, before = oracle.unrounded(t.scores, t.year), oracle.unrounded(t.previous, t.previous_year)
    flat = " ".join(texts[0].split())
    for s in truth.summary_scores:
        if s.metric not in ("criminality", "resilience"):
            continue
        d = (now[s.metric] - before[s.metric]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        tok = "0.0" if d == 0 else (f"+{d}" if d > 0 else f"-{abs(d)}")
        assert re.search(rf"{s.score:.2f} ?{re.escape(tok)}(?!\d)", flat), (s.metric, tok)
    with pymupdf.open(pdf) as doc:  # a paragraph's gap a little more than the leading
        gaps = []
        for page in doc[1:]:
            ys = [round(ln["spans"][0]["origin"][1], 2) for b in page.get_text("dict")["blocks"]
                  for ln in b.get("lines", []) if abs(ln["spans"][0]["size"] - 9.5) < 0.05]
            gaps += [round(b - a, 2) for a, b in zip(ys, ys[1:], strict=False) if 0 < b - a < 40]
    lead = min(gaps)
    paragraph = {g for g in gaps if lead + 0.3 < g < lead * 1.6}
    assert paragraph and all(g / lead < 1.2 for g in paragraph), (lead, sorted(paragraph))
