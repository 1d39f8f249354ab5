"""The section parser: the real Mali text (text mode) and generated profiles (PDF mode, both engines)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from octa import clean, layout, taxonomy
from octa.model import Profile
from octa.parse.sections import parse_sections, parse_sections_text
from octa.pipeline import extract

MALI_COUNTS = {
    "PEOPLE": 3, "TRADE": 3, "ENVIRONMENT": 3, "DRUGS": 4, "CYBER-DEPENDENT CRIMES": 1, "FINANCIAL CRIMES": 1,
    "Criminal actors": 5, "LEADERSHIP AND GOVERNANCE": 4, "CRIMINAL JUSTICE AND SECURITY": 3,
    "ECONOMIC AND FINANCIAL ENVIRONMENT": 2, "CIVIL SOCIETY AND SOCIAL PROTECTION": 2,
}

MALI_RESILIENCE = {
    "political_leadership_and_governance": (2.0, -0.5), "government_transparency_and_accountability": (2.0, -0.5),
    "international_cooperation": (3.0, -1.0), "national_policies_and_laws": (2.5, 0.0),
    "judicial_system_and_detention": (2.0, -0.5), "law_enforcement": (2.0, 0.0),
    "territorial_integrity": (1.5, 0.0), "anti_money_laundering": (2.5, 0.0),
    "economic_regulatory_capacity": (2.0, 0.0), "victim_and_witness_support": (1.5, 0.0), "prevention": (2.0, 0.0),
}


@pytest.fixture(scope="module")
def mali_profile(mali_text: Path) -> Profile:
    return extract(mali_text)


def test_mali_metadata_and_resilience_scores(mali_profile: Profile) -> None:
    p = mali_profile
    assert (p.family, p.year, p.country) == ("enact", 2025, "Mali")
    assert p.summary.resilience == 2.08
    res = next(s for s in p.summary_scores if s.metric == "resilience")
    assert res.change == -0.29
    for ind_id, (score, change) in MALI_RESILIENCE.items():
        ind = p.indicator(ind_id)
        assert ind is not None and (ind.score, ind.change) == (score, change), ind_id
    nsa = p.indicator("non_state_actors")
    assert nsa is not None and nsa.score is None and nsa.status != "ok"
    assert any(f.indicator == "non_state_actors" and f.severity == "warning" for f in p.validation)


def test_mali_paragraphs(mali_profile: Profile) -> None:
    sections = mali_profile.sections
    counts = {s.heading: len(s.paragraphs) for s in sections if s.paragraphs}
    assert counts == MALI_COUNTS
    assert sum(counts.values()) == 31
    paras = [p for s in sections for p in s.paragraphs]
    assert all(p.indicator for p in paras)
    ids = [p.indicator for p in paras]
    from octa import taxonomy

    order = [i.id for i in taxonomy.indicators_for(2025) if i.id != "non_state_actors"]
    assert ids == order  # each tied to its indicator, in taxonomy order
    assert paras[-1].indicator == "prevention"
    assert paras[-1].text.startswith("The government has made modest prevention efforts")
    assert "media environment has also deteriorated" in paras[-1].text
    assert [s.path for s in sections][:3] == [["CRIMINALITY"], ["CRIMINALITY", "Criminal markets"],
                                              ["CRIMINALITY", "Criminal markets", "PEOPLE"]]
    assert ["RESILIENCE", "CIVIL SOCIETY AND SOCIAL PROTECTION"] in [s.path for s in sections]
    warnings = [f for f in mali_profile.validation if f.rule == "paragraph_count"]
    assert warnings and all(f.severity == "warning" for f in warnings)
    assert any("non_state_actors" in f.message or f.indicator == "non_state_actors" for f in warnings)


def test_text_mode_sections_from_cleaned_text(mali_text: Path) -> None:
    ed = taxonomy.resolve(None, 2025)
    text, _ = clean.clean_text(mali_text.read_text(encoding="utf-8"), ed)
    sections = parse_sections_text(text, ed)
    assert sum(len(s.paragraphs) for s in sections) == 31


def test_extract_text_cli_with_overrides(mali_text: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "octa", "extract", str(mali_text), "--country", "Mali",
                          "--year", "2025", "--family", "enact"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["source"]["engine"] == "text" and sum(len(s["paragraphs"]) for s in data["sections"]) == 31


def _check_against_truth(pdf: Path, engine: str) -> list[str]:
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    ed = taxonomy.resolve(truth["family"], truth["year"])
    sections = parse_sections(clean.clean_document(layout.load(pdf, engine=engine), ed), ed)
    problems = []
    got = [(s.path, len(s.paragraphs), [p.indicator for p in s.paragraphs]) for s in sections]
    want = [(s["path"], len(s["paragraphs"]), [p["indicator"] for p in s["paragraphs"]]) for s in truth["sections"]]
    if got != want:
        problems.append(f"{pdf.name}: {[g for g in got if g not in want]} != {[w for w in want if w not in got]}")
    return problems


def test_generated_sections_equal_truth_pymupdf(corpus: list[Path]) -> None:
    problems = [p for pdf in corpus for p in _check_against_truth(pdf, "pymupdf")]
    assert problems == []


def test_generated_sections_equal_truth_pdfplumber(corpus: list[Path]) -> None:
    problems = [p for pdf in corpus[:10] for p in _check_against_truth(pdf, "pdfplumber")]
    assert problems == []


def test_pipeline_fills_sections_with_pages(corpus: list[Path]) -> None:
    profile = extract(corpus[0])
    paras = [p for s in profile.sections for p in s.paragraphs]
    assert len(paras) >= 20 and all(p.pages and p.indicator for p in paras)
    assert all(s.page for s in profile.sections)
    assert profile.cleaning, "repairs are recorded"


# A group whose paragraph count equals its indicator count although one paragraph is cut at a break
# at a sentence end and two indicators are printed as one paragraph (hand-written blocks).
_DRUGS_CUT_AND_MERGED = [
    ("Ruritania has a moderate market for the heroin trade, which has declined in recent years.", "short"),
    ("Data remain scarce, and the true scale of the market is difficult to assess.", None),
    ("In Ruritania, the cocaine trade is entrenched and linked to the wider illicit economy.", None),
    ("The cannabis market in Ruritania is pervasive. Synthetic drugs such as tramadol are imported.", None),
]


def _drugs_section(paras: list[tuple[str, str | None]]) -> tuple[list, clean.Log]:
    from octa.parse.sections import build_tree
    blocks = [clean.Block("heading", "CRIMINALITY", [3]), clean.Block("heading", "Criminal markets", [3]),
              clean.Block("heading", "DRUGS", [3])]
    blocks += [clean.Block("paragraph", text, [3 + (k > 0)], cut=cut) for k, (text, cut) in enumerate(paras)]
    log = clean.Log()
    return build_tree(blocks, taxonomy.resolve(None, 2021), log)[-1].paragraphs, log


def test_paragraph_cut_at_a_sentence_end_is_joined_when_content_demands_it() -> None:
    paras, log = _drugs_section(_DRUGS_CUT_AND_MERGED)
    assert [(p.indicator, p.text[:20]) for p in paras] == [
        ("heroin_trade", "Ruritania has a mode"), ("cocaine_trade", "In Ruritania, the co"),
        ("cannabis_trade", "The cannabis market ")]
    assert paras[0].text.endswith("recent years. Data remain scarce, and the true scale of the market is difficult to assess.")
    assert paras[0].pages == [3, 4]
    assert [r.rule for r in log.repairs] == ["column_break"]


def test_paragraphs_in_order_are_not_joined_at_a_cut() -> None:
    # the same cut, but four paragraphs that each open on their own indicator: the order already
    # ties them, so the join would gain nothing and is not made
    in_order = [_DRUGS_CUT_AND_MERGED[0], ("Cocaine trafficking is limited to transit.", None),
                ("Cannabis is grown in the south.", None), ("Synthetic drugs such as tramadol circulate.", None)]
    paras, log = _drugs_section(in_order)
    assert [p.indicator for p in paras] == ["heroin_trade", "cocaine_trade", "cannabis_trade", "synthetic_drug_trade"]
    assert log.repairs == []


def test_no_join_when_the_paragraph_is_not_cut() -> None:
    # without a break mark the order stands, even where the content disagrees (never a guess)
    uncut = [(text, None) for text, _ in _DRUGS_CUT_AND_MERGED]
    paras, log = _drugs_section(uncut)
    assert [p.indicator for p in paras] == ["heroin_trade", "cocaine_trade", "cannabis_trade", "synthetic_drug_trade"]
    assert log.repairs == []


def test_piece_after_a_cut_that_goes_on_about_the_indicator_before_it_is_joined() -> None:
    # heroin and cocaine printed as one paragraph, cut at a sentence end: the piece after the cut
    # opens on opium (the heroin paragraph's subject), not on cannabis (the indicator the order
    # would give it); the count matches, and joining gains no score, but the piece goes on
    paras = [("Ruritania has a moderate market for the heroin trade, which has declined in recent years.", "short"),
             ("Opium is grown in the north. In Ruritania, the cocaine trade is entrenched as well.", None),
             ("The cannabis market in Ruritania is pervasive.", None),
             ("Synthetic drugs such as tramadol are imported through regional ports.", None)]
    got, log = _drugs_section(paras)
    assert [(p.indicator, p.text[:20]) for p in got] == [
        ("heroin_trade", "Ruritania has a mode"), ("cannabis_trade", "The cannabis market "),
        ("synthetic_drug_trade", "Synthetic drugs such")]
    assert got[0].text.endswith("recent years. Opium is grown in the north. In Ruritania, the cocaine trade is entrenched as well.")
    assert [r.rule for r in log.repairs] == ["column_break"]
    # the same piece opening on its own indicator is its own paragraph
    own = [paras[0], ("Cocaine trafficking is limited; opium is grown in the north.", None), *paras[2:]]
    got, log = _drugs_section(own)
    assert [p.indicator for p in got] == ["heroin_trade", "cocaine_trade", "cannabis_trade", "synthetic_drug_trade"]
    assert log.repairs == []
