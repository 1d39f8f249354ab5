"""Issue 25's classes across producers: every value of each new class of octa's generator (scores
with a scale or a mark, tie ranks, raster and icon-font directions, stacked summary boxes, the
narrative beside or after the table, a table flowing into the next column, hard hyphens at line
ends, visible soft hyphens, one-decimal summary changes, a tight paragraph gap), one profile each
with the other new classes plain, and every value of every class of the third producer (Typst:
its own layout engine, shaping with real ligatures, CID fonts, PNG and SVG icons), one profile each.
Expected values come from each producer's truth (scores drawn by the producer, summaries by
tests/oracle.py), compared by ``octa.compare``; no value that differs from the truth may be ``ok``.

A producer that is installed and fails is a failure; only a missing optional dependency (the
``typst`` package) skips, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from octa import synth
from tests.test_producers import measure, wrong_marked_ok


@pytest.fixture(scope="module")
def reportlab_new_classes(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("issue25_reportlab")
    pdfs: list[Path] = []
    for k, cls in enumerate(synth.ISSUE25_PLAIN):
        for j, value in enumerate(synth.VARIATION_CLASSES[cls]):
            if value == synth.ISSUE25_PLAIN[cls]:
                continue
            pdfs += synth.generate(1, 7100 + 41 * k + j, "mixed", out / f"{cls}_{j}",
                                   variations={**synth.ISSUE25_PLAIN, cls: value})
    return pdfs


@pytest.fixture(scope="module")
def typst_matrix(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from tests.producers import typeset

    try:
        typeset._compiler()
    except typeset.TypstUnavailable as exc:  # the one reason to skip: the optional package is missing
        pytest.skip(f"optional dependency missing: {exc}")
    out = tmp_path_factory.mktemp("issue25_typst")
    pdfs: list[Path] = []
    for k, cls in enumerate(typeset.VARIATIONS):
        for j, value in enumerate(typeset.VARIATIONS[cls]):
            pdfs += typeset.generate(1, 7300 + 43 * k + j, "mixed", out / f"{cls}_{j}", {cls: value})
    return pdfs


#: Floors a little below what these matrices measured when written (a regression fails here).
FLOORS = {"meta": 1.0, "summary": 1.0, "rank": 1.0, "indicator.score": 1.0, "summary.change": 1.0,
          "indicator.change": 0.99, "paragraph": 0.9}


def _below(got: dict[str, tuple[int, int]]) -> dict[str, str]:
    return {f: f"{r}/{t}" for f, (r, t) in got.items() if t and r / t < FLOORS[f]}


def test_new_classes_of_the_generator_no_wrong_value_marked_ok(reportlab_new_classes: list[Path]) -> None:
    assert len(reportlab_new_classes) == sum(len(synth.VARIATION_CLASSES[c]) - 1 for c in synth.ISSUE25_PLAIN)
    assert [p for pdf in reportlab_new_classes for p in wrong_marked_ok(pdf)] == []


def test_new_classes_of_the_generator_accuracy(reportlab_new_classes: list[Path]) -> None:
    assert _below(measure(reportlab_new_classes)) == {}


def test_typst_matrix_no_wrong_value_marked_ok(typst_matrix: list[Path]) -> None:
    assert [p for pdf in typst_matrix for p in wrong_marked_ok(pdf)] == []


def test_typst_matrix_accuracy(typst_matrix: list[Path]) -> None:
    assert _below(measure(typst_matrix)) == {}
