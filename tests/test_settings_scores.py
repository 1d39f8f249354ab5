"""The score parser's named thresholds (:class:`octa.parse.ScoreTableSettings`): frozen, every field
documented, and passed down to the parser: a changed setting changes what is read from a real
profile, while the defaults read it as its truth says."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction
from pathlib import Path

import pytest

from octa import layout
from octa.parse import DEFAULT_SETTINGS, ScoreTableSettings, scores

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
STEM = "global_2023_argentina_s2026_0008"


@pytest.fixture(scope="module")
def profile() -> tuple[layout.Document, dict]:
    truth = json.loads((FIXTURES / f"{STEM}.truth.json").read_text(encoding="utf-8"))
    return layout.load(FIXTURES / f"{STEM}.pdf"), truth


def _indicator_scores(res: scores.ScoreResult) -> dict[str, Fraction]:
    return {k: r.score for k, r in res.indicators.items() if r.score is not None}


def _truth_scores(truth: dict) -> dict[str, Fraction]:
    return {i["id"]: Fraction(str(i["score"])) for i in truth["indicators"] if i["score"] is not None}


def _truth_summary(truth: dict) -> dict[str, Fraction]:
    return {s["metric"]: Fraction(str(s["score"])) for s in truth["summary_scores"] if s["score"] is not None}


def test_frozen() -> None:
    st = ScoreTableSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        st.label_word_gap = 2.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_SETTINGS.bar_agreement = Fraction(1)  # type: ignore[misc]
    # a variant is derived, the default stays as it was
    wide = dataclasses.replace(DEFAULT_SETTINGS, label_word_gap=2.0)
    assert wide.label_word_gap == 2.0 and DEFAULT_SETTINGS.label_word_gap == ScoreTableSettings().label_word_gap


def test_every_field_documented() -> None:
    fields = dataclasses.fields(ScoreTableSettings)
    assert len(fields) >= 40
    for f in fields:
        doc = f.metadata.get("doc")
        assert isinstance(doc, str) and doc.strip(), f"{f.name} has no documentation"
        assert f.default is not dataclasses.MISSING, f"{f.name} has no default"


def test_scores_module_uses_the_same_settings() -> None:
    assert scores.DEFAULT_SETTINGS is DEFAULT_SETTINGS
    assert scores.ScoreTableSettings is ScoreTableSettings


def test_defaults_read_the_truth(profile) -> None:
    doc, truth = profile
    default = scores.parse_document(doc)
    given = scores.parse_document(doc, settings=DEFAULT_SETTINGS)
    want = _truth_scores(truth)
    assert len(want) >= 20
    assert _indicator_scores(default) == want
    assert _indicator_scores(given) == want
    assert {k: r.score for k, r in given.summary.items()} == _truth_summary(truth)


def test_label_gaps_decide_the_labels(profile) -> None:
    """No gap between label words allowed (and no joining of runs across gaps): multi-word labels
    fall apart into words, and the indicators' rows are no longer found."""
    doc, truth = profile
    want = _truth_scores(truth)
    split = dataclasses.replace(DEFAULT_SETTINGS, label_word_gap=0.0, join_gap=0.0)
    got = _indicator_scores(scores.parse_document(doc, settings=split))
    assert len(got) < len(want) // 2
    # the runs are joined again across the gaps when joining is allowed (the word gap alone is not
    # enough to lose them)
    joined = dataclasses.replace(DEFAULT_SETTINGS, label_word_gap=0.0)
    assert _indicator_scores(scores.parse_document(doc, settings=joined)) == want


def test_summary_similarity_decides_the_summary_labels(profile) -> None:
    doc, truth = profile
    strict = dataclasses.replace(DEFAULT_SETTINGS, summary_similarity=101.0)
    res = scores.parse_document(doc, settings=strict)
    assert not res.summary  # no wording is that similar: no summary label, no summary score
    assert _indicator_scores(res) == _truth_scores(truth)  # the indicator rows do not depend on it


def test_text_mode_takes_settings() -> None:
    text = "Criminality 6.80\nHuman trafficking 7.50 +0.50\nArms trafficking 5.00 -1.00\n"
    assert scores.parse_text(text).indicators["human_trafficking"].score == Fraction(15, 2)
    res = scores.parse_text(text, settings=dataclasses.replace(DEFAULT_SETTINGS, narrative_chars=0,
                                                               narrative_spaces=0))
    assert not res.indicators  # every line is prose: no score rows before it
    assert scores.match_summary("Criminality") is not None
    assert scores.match_summary("Criminality", dataclasses.replace(DEFAULT_SETTINGS, summary_max_chars=5)) is None


def test_extract_passes_both_settings_down() -> None:
    """``octa.pipeline.extract`` takes the layout's and the parser's settings, as pdfplumber takes
    its table settings: the defaults read the fixture's summary scores as its truth says; a parser
    setting no label can meet reads none, and a layout whose words run on across any gap loses a
    summary score (its label and figures become one word)."""
    from octa.layout import LayoutSettings
    from octa.pipeline import extract

    pdf = FIXTURES / f"{STEM}.pdf"
    truth = json.loads((FIXTURES / f"{STEM}.truth.json").read_text(encoding="utf-8"))
    got = extract(pdf)
    assert {s.metric: Fraction(str(s.score)) for s in got.summary_scores if s.score is not None} == _truth_summary(truth)
    strict = extract(pdf, table_settings=dataclasses.replace(DEFAULT_SETTINGS, summary_similarity=101.0))
    assert all(s.score is None for s in strict.summary_scores)
    assert {i.id: Fraction(str(i.score)) for i in strict.indicators if i.score is not None} == _truth_scores(truth)
    merged = extract(pdf, layout_settings=LayoutSettings(word_gap=1000.0, line_gap=1000.0))
    read = {s.metric: Fraction(str(s.score)) for s in merged.summary_scores if s.score is not None}
    assert read != _truth_summary(truth) and set(read) < set(_truth_summary(truth))
