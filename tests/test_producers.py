"""Profiles from two producers that share nothing, across their variation matrices (issue 15): each
class value forced in turn (the other classes drawn from the seed), every value compared with the
producer's truth. The large runs are ``scripts/accuracy.py``; this is the small cross-product CI runs.

What must hold for every profile of both producers:

* no value differs from the truth while the output calls it ``ok`` (a wrong number never passes
  unseen: it is missing, unconfirmed or flagged by a finding that names it);
* the edition, family, country, summary scores and ranks equal the truth;
* indicator scores and changes equal the truth, except where the producer shows a direction only
  by colour (reportlab's ``colour_shape``), which no reader can see: there the change is left null
  with a ``change_direction`` finding, never given a guessed sign;
* paragraphs equal the truth's and are tied to their indicators.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from octa import synth
from octa.compare import compare_scores
from octa.model import Profile
from octa.pipeline import extract

#: The classes forced one value at a time (the others are drawn per profile).
BROWSER_CLASSES = ("change_form", "row_order", "table_style", "table_columns", "score_decimals", "label_wrap",
                   "letter_spacing", "hyphenation", "summary_decimals", "new_form", "font")
REPORTLAB_CLASSES = ("change_form", "row_order", "score_decimals", "label_wrap", "letter_spacing", "soft_hyphens",
                     "table_grid", "table_columns", "new_indicator", "change_decimals")


def _flagged(profile: Profile, key: str) -> bool:
    return any(f.indicator == key for f in profile.validation)


def check_profile(pdf: Path, *, unreadable_directions: bool = False) -> list[str]:
    """Every way ``pdf``'s extraction departs from its truth, as readable problems."""
    truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    got = extract(pdf)
    problems = []
    for d in compare_scores(got, truth):
        if d.field == "indicator.change" and unreadable_directions and d.got is None:
            ind = got.indicator(d.key)
            if ind is not None and ind.change_printed and any(
                    f.rule == "change_direction" and f.indicator == d.key for f in got.validation):
                continue  # a direction shown by colour only: left null, with the finding that says so
        if d.field == "summary.change" and unreadable_directions and d.got is None:
            continue
        status = ""
        if d.field == "indicator.score":
            ind = got.indicator(d.key)
            status = ind.status if ind is not None else "absent"
            if d.got is not None and status == "ok":
                status = "ok (A WRONG VALUE MARKED OK)"
        problems.append(f"{pdf.name}: {d.field} {d.key}: got {d.got!r}, truth {d.expected!r} {status}")
    tparas = [(p.indicator, p.text) for s in truth.sections for p in s.paragraphs]
    gparas = [(p.indicator, p.text) for s in got.sections for p in s.paragraphs]
    if tparas != gparas:
        missing = [t for t in tparas if t not in gparas]
        problems.append(f"{pdf.name}: {len(missing)} of {len(tparas)} paragraphs differ, first: {missing[:1]}")
    return problems


def wrong_marked_ok(pdf: Path) -> list[str]:
    truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    got = extract(pdf)
    out = []
    for d in compare_scores(got, truth):
        if d.field != "indicator.score" or d.got is None:
            continue
        ind = got.indicator(d.key)
        if ind is not None and ind.status == "ok" and not _flagged(got, d.key):
            out.append(f"{pdf.name}: {d.key} read {d.got}, truth {d.expected}, status ok and no finding")
    return out


@pytest.fixture(scope="module")
def browser_matrix(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from tests.producers import browser

    out = tmp_path_factory.mktemp("browser_matrix")
    try:
        printer = browser.Printer()
    except browser.ChromiumUnavailable as exc:
        pytest.skip(f"chromium is not available: {exc}")
    pdfs: list[Path] = []
    try:
        for k, cls in enumerate(BROWSER_CLASSES):
            for j, value in enumerate(browser.VARIATIONS[cls]):
                pdfs += browser.generate(1, 5000 + 37 * k + j, "mixed", out / f"{cls}_{j}", {cls: value},
                                         printer=printer)
    except browser.ChromiumUnavailable as exc:
        pytest.skip(f"chromium is not available: {exc}")
    finally:
        printer.close()
    return pdfs


@pytest.fixture(scope="module")
def reportlab_matrix(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("reportlab_matrix")
    pdfs: list[Path] = []
    for k, cls in enumerate(REPORTLAB_CLASSES):
        for j, value in enumerate(synth.VARIATION_CLASSES[cls]):
            pdfs += synth.generate(1, 6000 + 37 * k + j, "mixed", out / f"{cls}_{j}", variations={cls: value})
    return pdfs


def test_browser_matrix_no_wrong_value_marked_ok(browser_matrix: list[Path]) -> None:
    assert [p for pdf in browser_matrix for p in wrong_marked_ok(pdf)] == []


def test_reportlab_matrix_no_wrong_value_marked_ok(reportlab_matrix: list[Path]) -> None:
    assert [p for pdf in reportlab_matrix for p in wrong_marked_ok(pdf)] == []


def test_browser_matrix_read_exactly(browser_matrix: list[Path]) -> None:
    assert [p for pdf in browser_matrix for p in check_profile(pdf)] == []


def test_reportlab_matrix_read_exactly(reportlab_matrix: list[Path]) -> None:
    problems = []
    for pdf in reportlab_matrix:
        colour = '"colour_shape"' in pdf.with_suffix(".variation.json").read_text(encoding="utf-8")
        problems += check_profile(pdf, unreadable_directions=colour)
    assert problems == []
