"""The third producer (issue 25, point 7): profiles typeset by Typst (tests/producers/typeset.py).

* the PDFs are valid and carry what their variation record says (a class that silently had no
  effect would make the accuracy per class meaningless): scale suffixes, footnote marks, tie ranks,
  raster and vector icons, soft hyphens, ligature glyphs, two summary boxes stacked;
* the truth round-trips through ``octa extract`` for what today's octa reads on plain profiles
  (country, year, family, summary scores and ranks);
* same seed, same bytes; another seed, another truth;
* a skip only when the optional ``typst`` package is missing, and the skip says so; an installed
  Typst that fails is an error that fails the test (issue 25, point 8).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pymupdf
import pytest

from octa.compare import compare_scores
from octa.model import Profile
from octa.pipeline import extract
from tests.producers import typeset

#: Classes today's octa reads (issue 25 lists the ones it does not): a plain table, signs.
PLAIN = {"score_suffix": "none", "footnote_mark": "none", "change_form": "sign", "summary_layout": "side_by_side",
         "rank_ties": False, "narrative_start": "new_page", "table_columns": 1, "label_case": "sentence"}


def _require_typst() -> None:
    """Skip only for the missing optional dependency; anything else the producer raises fails."""
    try:
        typeset._compiler()
    except typeset.TypstUnavailable as exc:
        pytest.skip(f"optional dependency missing: {exc}")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    _require_typst()
    out = tmp_path_factory.mktemp("typst_plain")
    return typeset.generate(3, 25001, "mixed", out, PLAIN,
                            editions=[("global", 2023), ("enact", 2021), ("global", 2025)])


def _page_text(pdf: Path, page: int = 0) -> str:
    with pymupdf.open(pdf) as doc:
        return doc[page].get_text()


def test_valid_pdfs_with_truth_and_variation_records(plain: list[Path]) -> None:
    assert len(plain) == 3
    for pdf in plain:
        with pymupdf.open(pdf) as doc:
            assert doc.page_count >= 2
            assert doc.metadata["creator"].startswith("Typst")
            fonts = {(f[2], f[5]) for p in doc for f in p.get_fonts()}
        assert ("Type0", "Identity-H") in fonts  # Typst embeds CID fonts
        truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        assert truth.source.engine == "typst" and truth.country in _page_text(pdf)
        recorded = json.loads(pdf.with_suffix(".variation.json").read_text(encoding="utf-8"))
        assert set(recorded) == set(typeset.VARIATIONS)
        assert all(recorded[k] == v for k, v in PLAIN.items() if recorded[k] != "none")
        # every paragraph of the truth was found on the pages it names
        assert all(p.pages for s in truth.sections for p in s.paragraphs)


def test_truth_round_trips_through_extract(plain: list[Path]) -> None:
    for pdf in plain:
        truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        got = extract(pdf)
        diffs = [d for d in compare_scores(got, truth) if d.field in ("country", "year", "family", "summary", "rank")]
        assert diffs == [], pdf.name
        assert (got.country, got.year, got.family) == (truth.country, truth.year, truth.family)


def test_classes_are_drawn_as_recorded(tmp_path: Path) -> None:
    """Each new class forced on one profile shows in the PDF the way its record says."""
    _require_typst()
    forced = {"score_suffix": "slash", "footnote_mark": "superscript", "rank_ties": True,
              "change_form": "png_triangle", "summary_layout": "stacked", "hyphenation": "soft",
              "font": "New Computer Modern", "ligatures": "standard", "narrative_columns": 2}
    (pdf,) = typeset.generate(1, 25002, "global", tmp_path, forced, editions=[("global", 2023)])
    text = _page_text(pdf)
    assert "/10" in text and "\u00b9" in text  # 6.50/10, 7.50¹
    assert any(line.startswith("=") and " of " in line for line in text.splitlines())  # =23rd of 193 countries
    with pymupdf.open(pdf) as doc:
        assert len(doc[0].get_images()) >= 2  # the PNG triangles, up and down
        narrative = "".join(p.get_text() for p in doc.pages(1))
        chars = [c for p in doc.pages(1) for b in p.get_text("rawdict")["blocks"] for ln in b.get("lines", ())
                 for s in ln["spans"] for c in s["chars"]]
        # stacked boxes: the resilience caption below the criminality one, left edges aligned
        caps = [doc[0].search_for(w)[0] for w in ("CRIMINALITY SCORE", "RESILIENCE SCORE")]
    assert caps[1].y0 > caps[0].y1 and abs(caps[1].x0 - caps[0].x0) < 1
    assert "\u00ad" in narrative
    # a ligature glyph: a letter whose box has no width after the one that carries the glyph (ff, fi, fl)
    assert any(a["c"] == "f" and b["c"] in "fil" and b["bbox"][2] - b["bbox"][0] < 0.01
               for a, b in zip(chars, chars[1:], strict=False))
    truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert {(r.metric, r.scope) for r in truth.ranks} == {(m, s) for m in ("criminality", "resilience")
                                                          for s in ("global", "continent", "region")}


def test_vector_icons_are_paths(tmp_path: Path) -> None:
    _require_typst()
    for form in ("svg_arrow", "vector_triangle"):
        (pdf,) = typeset.generate(1, 25003, "global", tmp_path / form, {"change_form": form},
                                  editions=[("global", 2025)])
        with pymupdf.open(pdf) as doc:
            assert doc[0].get_images() == []
            kinds = {d["type"] for d in doc[0].get_drawings() if d["rect"].width < 12 and d["rect"].height < 12}
        assert ("s" if form == "svg_arrow" else "f") in kinds, form  # stroked arrows, filled triangles


def test_same_seed_same_bytes_other_seed_other_truth(tmp_path: Path) -> None:
    _require_typst()
    a = typeset.generate(1, 25004, "global", tmp_path / "a")[0]
    b = typeset.generate(1, 25004, "global", tmp_path / "b")[0]
    assert a.read_bytes() == b.read_bytes()
    assert a.with_suffix(".truth.json").read_bytes() == b.with_suffix(".truth.json").read_bytes()
    ta = Profile.model_validate_json(a.with_suffix(".truth.json").read_text(encoding="utf-8"))
    other = typeset.plan(0, 25005, "global").truth  # another seed, same edition (global 2023)
    assert ta.year == other.year
    assert [i.score for i in ta.indicators] != [float(other.scores[i.id]) for i in ta.indicators]


def test_a_failing_installed_typst_is_an_error_not_a_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the missing package becomes TypstUnavailable (the skip); a compile error of an installed
    Typst propagates as itself, so the tests that use the producer fail."""
    _require_typst()
    import typst

    monkeypatch.setattr(typeset, "profile_source", lambda *a: "#let broken = (")
    with pytest.raises(typst.TypstError) as err:
        typeset.generate(1, 25006, "global", tmp_path)
    assert not isinstance(err.value, typeset.TypstUnavailable)
    monkeypatch.setitem(sys.modules, "typst", None)  # what an uninstalled package looks like to import
    with pytest.raises(typeset.TypstUnavailable, match="not installed"):
        typeset.generate(1, 25006, "global", tmp_path)


def test_icon_font_is_what_its_builder_makes() -> None:
    """tests/producers/octa-icons.ttf is kept in the repository; it must be what build_icon_font makes."""
    try:
        import fontTools  # noqa: F401
    except ImportError:
        pytest.skip("optional dependency missing: fonttools (pip install fonttools) builds the icon font")
    assert typeset.ICON_FONT.read_bytes() == typeset.build_icon_font()


@pytest.mark.parametrize(("form", "up", "down"), [("icon_font_pua", "\ue000", "\ue001"),
                                                   ("icon_font_mapped", "\u2265", "\u2264"),
                                                   ("icon_font_arabic", "\u0630", "\u062f")])
def test_icon_font_glyphs_at_misleading_code_points(tmp_path: Path, form: str, up: str, down: str) -> None:
    """The icon-font forms draw the font's triangles and arrows; the text layer says only the code
    points the font maps them to (what a reader has to see past)."""
    _require_typst()
    (pdf,) = typeset.generate(1, 25007, "global", tmp_path, {"change_form": form}, editions=[("global", 2023)])
    truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    with pymupdf.open(pdf) as doc:
        spans = [s for b in doc[0].get_text("dict")["blocks"] for ln in b.get("lines", ()) for s in ln["spans"]]
    icons = [s["text"] for s in spans if "OctaIcons" in s["font"]]
    ups = sum(1 for i in truth.indicators if i.change is not None and i.change > 0)
    downs = sum(1 for i in truth.indicators if i.change is not None and i.change < 0)
    assert ups and downs
    # the indicators' icons, and the summary and pillar changes' (up to 2 + 2 more of each)
    assert ups <= "".join(icons).count(up) <= ups + 4
    assert downs <= "".join(icons).count(down) <= downs + 4
