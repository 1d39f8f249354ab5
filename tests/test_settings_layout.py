"""The layout layer's named thresholds (:class:`octa.layout.LayoutSettings`): frozen, documented, and
read by the rules they name. Each behaviour is shown on a PDF: the fixture profile, or one drawn here by
hand with reportlab, with every position and expected word written here by hand."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from octa import layout
from octa.layout import DEFAULT_SETTINGS, LayoutSettings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "enact_2019_morocco_s2026_0003.pdf"
ENGINES = ("pymupdf", "pdfplumber")
A4 = (595.0, 842.0)


def _pdf(path: Path, items: list[tuple]) -> Path:
    """A one-page PDF, positions in points from the top-left corner: ``("t", x, y_baseline, size,
    text)`` a Helvetica text run, ``("tri", x, y_top, side)`` a filled triangle pointing up."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setPageCompression(0)
    for it in items:
        if it[0] == "t":
            _, x, y, size, text = it
            c.setFont("Helvetica", size)
            c.drawString(x, A4[1] - y, text)
        else:
            _, x, y, a = it
            top, bottom = A4[1] - y, A4[1] - y - a
            p = c.beginPath()
            p.moveTo(x, bottom)
            p.lineTo(x + a, bottom)
            p.lineTo(x + a / 2, top)
            p.close()
            c.drawPath(p, fill=1, stroke=0)
    c.showPage()
    c.save()
    return path


def _texts(doc: layout.Document) -> tuple[list[str], list[str]]:
    page = doc.pages[0]
    return [w.text for w in page.words], [ln.text for ln in page.lines]


def test_settings_are_frozen() -> None:
    s = LayoutSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.word_gap = 1.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_SETTINGS.line_gap = 2.0  # type: ignore[misc]
    assert dataclasses.replace(s, word_gap=1.0).word_gap == 1.0
    assert s.word_gap == 0.12  # replace made a new object


def test_every_setting_is_documented() -> None:
    fields = dataclasses.fields(LayoutSettings)
    assert len(fields) >= 20
    for f in fields:
        doc = f.metadata.get("doc")
        assert isinstance(doc, str) and len(doc.strip()) > 20, f.name
        assert isinstance(f.default, (int, float)) and not isinstance(f.default, bool), f.name


def test_defaults_are_the_thresholds_the_project_was_built_with() -> None:
    s = LayoutSettings()
    assert (s.word_gap, s.line_gap, s.baseline_tol, s.overprint_tol, s.icon_max, s.collision,
            s.overlaid_baselines, s.space_gap) == (0.12, 1.0, 0.25, 1.0, 16.0, 0.08, 0.1, 0.25)
    assert layout.ICON_MAX == 16.0  # the score parser's name for it


@pytest.mark.parametrize("engine", ENGINES)
def test_default_settings_read_the_fixture_as_without_settings(engine: str) -> None:
    plain = layout.load(FIXTURE, engine=engine)
    given = layout.load(FIXTURE, engine=engine, settings=LayoutSettings())
    for a, b in zip(plain.pages, given.pages, strict=True):
        assert [(w.text, w.bbox, w.gapped) for w in a.words] == [(w.text, w.bbox, w.gapped) for w in b.words]
        assert [ln.text for ln in a.lines] == [ln.text for ln in b.lines]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_wider_word_gap_joins_the_fixtures_kerned_headings(engine: str) -> None:
    """The fixture prints its headings with a kerning gap inside a word (a generator quirk); the
    summary's names are the truth's. Words are split there by default, joined with a wider word gap
    (and recorded as joined across a space-wide gap)."""
    truth = json.loads(FIXTURE.with_suffix(".truth.json").read_text())
    names = {"criminality", "resilience"}
    assert names <= set(truth["summary"])
    def headings(settings: LayoutSettings | None) -> list[list[layout.Word]]:
        doc = layout.load(FIXTURE, engine=engine, settings=settings)
        return [ln.words for ln in doc.pages[0].lines if ln.words[-1].text == "SCORE"]

    default = headings(None)
    assert len(default) == 2
    assert all(len(ws) > 2 and not names & {w.text.lower() for w in ws} for ws in default)
    wide = headings(LayoutSettings(word_gap=1.0))
    assert sorted(ws[0].text.lower() for ws in wide) == sorted(names)
    # joined across one gap as wide as a space; the space before SCORE still separates words
    assert all(len(ws) == 2 and ws[0].joined_gaps == 1 and ws[0].gapped.replace(" ", "") == ws[0].text
               and " " in ws[0].gapped for ws in wide)


@pytest.mark.parametrize("engine", ENGINES)
def test_word_gap_and_line_gap_on_a_hand_drawn_gap(tmp_path: Path, engine: str) -> None:
    """``alpha`` and ``beta`` drawn as two runs 6 pt apart at 12 pt: half the size, more than a word gap
    (0.12) and less than a line gap (1.0)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x2 = 72 + stringWidth("alpha", "Helvetica", 12) + 6
    pdf = _pdf(tmp_path / "gap.pdf", [("t", 72, 100, 12, "alpha"), ("t", x2, 100, 12, "beta")])
    assert _texts(layout.load(pdf, engine=engine)) == (["alpha", "beta"], ["alpha beta"])
    doc = layout.load(pdf, engine=engine, settings=LayoutSettings(word_gap=1.0))
    assert _texts(doc) == (["alphabeta"], ["alphabeta"])
    word = doc.pages[0].words[0]
    assert (word.joined_gaps, word.gapped) == (1, "alpha beta")  # 6 pt is wider than a space gap (3 pt)
    # a space gap wider than the gap: joined, but not as a space-wide gap
    word = layout.load(pdf, engine=engine, settings=LayoutSettings(word_gap=1.0, space_gap=0.6)).pages[0].words[0]
    assert (word.text, word.joined_gaps, word.gapped) == ("alphabeta", 1, "")
    assert _texts(layout.load(pdf, engine=engine, settings=LayoutSettings(line_gap=0.25))) == (
        ["alpha", "beta"], ["alpha", "beta"])


@pytest.mark.parametrize("engine", ENGINES)
def test_baseline_tolerance_on_hand_drawn_baselines(tmp_path: Path, engine: str) -> None:
    """``left`` and ``right`` 3 pt apart, baselines 1.5 pt apart at 12 pt: one row within the default
    tolerance (3 pt), two with a tolerance of 0.6 pt."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x2 = 72 + stringWidth("left", "Helvetica", 12) + 3
    pdf = _pdf(tmp_path / "rows.pdf", [("t", 72, 100, 12, "left"), ("t", x2, 101.5, 12, "right")])
    assert _texts(layout.load(pdf, engine=engine)) == (["left", "right"], ["left right"])
    words, lines = _texts(layout.load(pdf, engine=engine, settings=LayoutSettings(baseline_tol=0.05)))
    assert sorted(words) == ["left", "right"] and sorted(lines) == ["left", "right"]


@pytest.mark.parametrize("engine", ENGINES)
def test_icon_max_on_a_hand_drawn_triangle(tmp_path: Path, engine: str) -> None:
    pdf = _pdf(tmp_path / "icon.pdf", [("t", 72, 100, 12, "1.25"), ("tri", 110, 91, 10)])
    icons = layout.load(pdf, engine=engine).pages[0].icons
    assert [i.direction for i in icons] == [1]
    assert layout.load(pdf, engine=engine, settings=LayoutSettings(icon_max=8.0)).pages[0].icons == []


def test_build_words_and_lines_takes_settings(tmp_path: Path) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x2 = 72 + stringWidth("alpha", "Helvetica", 12) + 6
    pdf = _pdf(tmp_path / "gap.pdf", [("t", 72, 100, 12, "alpha"), ("t", x2, 100, 12, "beta")])
    page = layout.load(pdf, engine="pdfplumber").pages[0]
    layout.build_words_and_lines(page, settings=LayoutSettings(word_gap=1.0))
    assert [ln.text for ln in page.lines] == ["alphabeta"]
    layout.build_words_and_lines(page)
    assert [ln.text for ln in page.lines] == ["alpha beta"]
