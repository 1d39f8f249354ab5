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

#: Four profiles, one per forced combination, covering the change forms whose direction has no text.
CASES: list[tuple[tuple[str, int], dict]] = [
    (("global", 2023), {"change_form": "svg_icon", "score_decimals": 2, "summary_decimals": "2",
                        "change_decimals": 2, "new_form": "n/a", "hyphenation": "soft", "table_style": "grid",
                        "table_columns": 2}),
    (("enact", 2025), {"change_form": "sign_minus", "score_decimals": 1, "change_decimals": 1,
                       "row_order": "score_below_label", "label_wrap": "narrow", "chart": "svg"}),
    (("global", 2021), {"score_decimals": 0, "table_columns": 3, "group_headings": True, "bars": "css"}),
    (("enact", 2023), {"change_form": "css_triangle", "new_form": "new", "label_case": "upper",
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
            applies = not (cls in ("change_form", "change_decimals", "new_form", "rank_change")
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
