from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from octa import taxonomy
from octa.cli import main
from octa.dataset import ReferenceRow
from octa.model import Finding, Indicator, Paragraph, Profile, Section, Source, Summary, SummaryScore
from octa.validate import (
    Reference,
    check_paragraph_count,
    check_reference,
    fmt,
    implied_previous,
    infer_missing,
    load_reference,
    profile_from_reference,
    validate,
    validated,
)
from tests import oracle
from tests.conftest import FIXTURES, mutation_module

# --------------------------------------------------------------------------------------------
# Hand-made profiles, built from the taxonomy and the score arithmetic (no hard-coded answers).
# Their printed averages and changes come from tests/oracle.py, a second implementation of DOMAIN §3
# that shares no code with octa.scoring: the validator's arithmetic is checked, not reused.
# --------------------------------------------------------------------------------------------

#: The half-step grid 1.0 … 10.0, written out here.
GRID = tuple(Fraction(k, 2) for k in range(2, 21))


def _x(v: object) -> Fraction:
    """A printed number (float or text) as an exact fraction, through its decimal text."""
    return Fraction(str(v).strip())


def _dec(scores: dict) -> dict:
    """Scores for tests/oracle.py (which reads decimals): a half-step fraction as its exact decimal."""
    return {k: Decimal(v.numerator) / Decimal(v.denominator) if isinstance(v, Fraction) else v
            for k, v in scores.items()}


def _round_half_up(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grid_scores(year: int, seed: int) -> dict[str, Fraction]:
    """Deterministic half-step scores for every indicator of an edition."""
    grid = GRID
    return {ind.id: grid[(k * 7 + seed * 5 + 3) % len(grid)] for k, ind in enumerate(taxonomy.indicators_for(year))}


def make_profile(
    scores: dict[str, Fraction | None],
    year: int,
    family: str = "global",
    previous: dict[str, Fraction] | None = None,
    country: str = "Mali",
) -> Profile:
    """A profile printing what ``scores`` imply: summary (from the unrounded means), changes against
    ``previous`` (n/a for new indicators), summary changes."""
    has_changes = taxonomy.has_changes(family, year)
    prev_year = taxonomy.previous_edition(family, year)
    indicators = []
    for ind in taxonomy.indicators_for(year):
        if ind.id not in scores:
            continue
        s = scores[ind.id]
        change = None
        printed = None
        if has_changes and taxonomy.is_new_indicator(ind.id, year):
            printed = "n/a"
        elif has_changes and previous is not None and s is not None:
            change = float(s - previous[ind.id])
        indicators.append(Indicator(id=ind.id, label=ind.label, pillar=ind.pillar, group=ind.group,
                                    score=None if s is None else float(s), change=change, change_printed=printed))
    complete = {k: v for k, v in scores.items() if v is not None}
    full = grid_scores(year, 0) | complete  # pillars with a gap keep their printed average from these
    summary = {m: float(v) for m, v in oracle.summary(_dec(full), year).items()}
    changes = (oracle.summary_changes(_dec(full), year, _dec(previous), prev_year)
               if previous is not None and prev_year else None)
    summary_scores = [
        SummaryScore(metric=m, score=summary.get(m), change=None if changes is None else float(changes[m]))
        for m in taxonomy.SUMMARY_IDS
    ]
    return Profile(
        source=Source(file=f"{country}-{year}.pdf", sha256="0" * 64, pages=4, engine="pymupdf"),
        family=family,  # type: ignore[arg-type]
        country=country,
        year=year,
        summary=Summary(**summary),
        summary_scores=summary_scores,
        indicators=indicators,
    )


def pair(year: int = 2023, seed: int = 1) -> tuple[Profile, dict[str, Fraction], dict[str, Fraction]]:
    prev_year = taxonomy.previous_edition("global", year)
    prev = grid_scores(prev_year, seed + 1) if prev_year else None
    cur = grid_scores(year, seed)
    return make_profile(cur, year, previous=prev), cur, prev  # type: ignore[return-value]


def reference_rows(country: str, editions: dict[int, dict[str, Fraction]]) -> list[ReferenceRow]:
    rows = []
    for year, scores in editions.items():
        rounded = oracle.summary(_dec(scores), year)
        rows.append(ReferenceRow(year, country, country, "Africa", "West Africa", dict(scores), rounded))
    return rows


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def set_score(profile: Profile, ind_id: str, value: float | None) -> None:
    ind = profile.indicator(ind_id)
    assert ind is not None
    ind.score = value


# --------------------------------------------------------------------------------------------
# The real dataset: every row is clean
# --------------------------------------------------------------------------------------------


def test_all_386_reference_rows_validate_without_errors(reference_xlsx: Path) -> None:
    ref = Reference.load(reference_xlsx)
    assert len(ref) == 386
    assert ref.editions == (2021, 2023)
    checked = 0
    for row in ref:
        previous = ref.get(row.country, 2021) if row.edition == 2023 else None
        if row.edition == 2023:
            assert previous is not None, row.country
        profile = profile_from_reference(row, previous)
        assert errors(validate(profile)) == [], row.country
        assert errors(validate(profile, reference=ref)) == [], row.country
        checked += 1
    assert checked == 386


def test_reference_lookup_is_tolerant(reference_xlsx: Path) -> None:
    ref = Reference.load(reference_xlsx)
    for spelling in ("Cote d'Ivoire", "Côte d’Ivoire", "Türkiye", "Turkey", "Republic of the Congo",
                     "Democratic Republic of the Congo", "MALI"):
        assert ref.get(spelling, 2023) is not None, spelling
        assert ref.get(spelling, 2021) is not None, spelling
    assert ref.get("Mali", 2025) is None


def test_real_mali_altered_score_found_by_reference(reference_xlsx: Path) -> None:
    ref = Reference.load(reference_xlsx)
    row = ref.get("Mali", 2023)
    assert row is not None
    profile = profile_from_reference(row, ref.get("Mali", 2021))
    real = row.scores["cocaine_trade"]
    set_score(profile, "cocaine_trade", float(real + 1))
    found = by_rule(validate(profile, reference=ref), "reference")
    assert [f.indicator for f in found] == ["cocaine_trade"]
    assert "Mali 2023" in found[0].message
    assert _x(found[0].message.split("extracted ")[1].split(",")[0]) == real + 1


# --------------------------------------------------------------------------------------------
# Hand-made profiles
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "family"), [(2021, "global"), (2023, "global"), (2025, "global"),
                                              (2019, "enact"), (2021, "enact"), (2025, "enact")])
def test_consistent_profile_has_no_findings(year: int, family: str) -> None:
    prev_year = taxonomy.previous_edition(family, year)
    prev = grid_scores(prev_year, 4) if prev_year else None
    profile = make_profile(grid_scores(year, 2), year, family, previous=prev)
    assert validate(profile) == []
    assert infer_missing(profile) == profile


def test_changed_score_flagged_at_pillar_and_by_reference() -> None:
    profile, cur, prev = pair()
    target = "law_enforcement"
    old = cur[target]
    new = old + Fraction(1, 2) if old < 10 else old - Fraction(1, 2)
    set_score(profile, target, float(new))
    found = validate(profile)
    pillar = by_rule(found, "pillar_average")
    assert [f.indicator for f in pillar] == ["resilience"]
    printed = oracle.summary(_dec(cur), 2023)["resilience"]
    recomputed = oracle.summary(_dec(cur | {target: new}), 2023)["resilience"]
    assert printed != recomputed
    assert "resilience" in pillar[0].message
    assert str(printed) in pillar[0].message and str(recomputed) in pillar[0].message
    # The change against the previous edition (known from the reference) names the indicator too.
    ref = Reference(reference_rows("Mali", {2021: prev, 2023: cur}))
    found = validate(profile, reference=ref)
    refs = by_rule(found, "reference")
    assert [f.indicator for f in refs] == [target]
    assert refs[0].severity == "error"
    msg = refs[0].message
    assert "Mali" in msg and "2023" in msg and target in msg
    assert f"extracted {float(new):.1f}" in msg and f"reference {float(old):.1f}" in msg
    assert [f.indicator for f in by_rule(found, "indicator_change")] == [target]


def test_changed_market_score_names_criminal_markets_and_criminality() -> None:
    profile, cur, _ = pair()
    target = "cocaine_trade"
    new = cur[target] + 1 if cur[target] <= 9 else cur[target] - 1
    set_score(profile, target, float(new))
    exp = oracle.summary(_dec(cur | {target: new}), 2023)
    printed = oracle.summary(_dec(cur), 2023)
    found = by_rule(validate(profile), "pillar_average")
    names = [f.indicator for f in found]
    assert "criminal_markets" in names
    assert ("criminality" in names) == (exp["criminality"] != printed["criminality"])


def test_score_off_the_grid() -> None:
    profile, _, _ = pair()
    set_score(profile, "prevention", 7.3)
    grid = by_rule(validate(profile), "score_grid")
    assert [(f.indicator, f.severity) for f in grid] == [("prevention", "error")]
    assert "7.3" in grid[0].message
    set_score(profile, "prevention", 10.5)
    assert [f.indicator for f in by_rule(validate(profile), "score_grid")] == ["prevention"]


def test_wrong_summary_change() -> None:
    profile, cur, prev = pair()
    previous = make_profile(prev, 2021)
    assert validate(profile, previous=previous) == []
    res = next(s for s in profile.summary_scores if s.metric == "resilience")
    assert res.change is not None
    res.change = float(_x(res.change) + Fraction(1, 100))
    found = validate(profile, previous=previous)
    assert [(f.rule, f.indicator) for f in errors(found)] == [("summary_change", "resilience")]
    # Without a previous edition the printed indicator changes imply the previous scores: the
    # wrong summary change is still found, at the summary metric.
    found = errors(validate(profile))
    assert [(f.rule, f.indicator) for f in found] == [("implied_previous", "resilience")]
    assert "-0.49" in found[0].message or "-0.47" in found[0].message or str(res.change) in found[0].message


def test_summary_change_uses_unrounded_means_mali_enact() -> None:
    # DOMAIN §3: resilience 25/12 (2025) against 28.5/12 (2023) prints -0.29, the rounded values -0.30.
    res_2025 = dict(zip([i.id for i in taxonomy.indicators_for(2025, "resilience")],
                        [Fraction(x) for x in ("2", "2", "3", "2.5", "2", "2", "1.5", "2.5", "2", "1.5", "2", "2")],
                        strict=True))
    res_2023 = {k: Fraction(5, 2) for k in res_2025}
    for k in ("law_enforcement", "prevention", "non_state_actors"):
        res_2023[k] = Fraction(2)  # 9 × 2.5 + 3 × 2.0 = 28.5
    assert sum(res_2023.values()) == Fraction(57, 2) and sum(res_2025.values()) == 25
    base = grid_scores(2025, 3)
    cur = base | res_2025
    prev = base | res_2023
    profile = make_profile(cur, 2025, "enact", previous=prev)
    previous = make_profile(prev, 2023, "enact")
    res = next(s for s in profile.summary_scores if s.metric == "resilience")
    assert res.change == -0.29
    assert validate(profile, previous=previous) == []
    res.change = -0.30  # what the rounded averages would give
    assert [f.indicator for f in errors(validate(profile, previous=previous))] == ["resilience"]


def test_change_printed_for_a_new_indicator() -> None:
    profile, _, _ = pair()
    ind = profile.indicator("private_sector_actors")
    assert ind is not None and taxonomy.is_new_indicator(ind.id, 2023)
    ind.change = 0.5
    found = errors(validate(profile))
    assert [(f.rule, f.indicator) for f in found] == [("indicator_change", "private_sector_actors")]


def test_changes_in_a_first_edition_and_off_grid_changes() -> None:
    profile = make_profile(grid_scores(2021, 1), 2021)
    ind = profile.indicator("human_smuggling")
    assert ind is not None
    ind.change = 1.0
    assert [(f.rule, f.indicator) for f in errors(validate(profile))] == [("indicator_change", "human_smuggling")]
    profile, _, _ = pair()
    ind = profile.indicator("fauna_crimes")
    assert ind is not None
    ind.change = 0.3
    assert [(f.rule, f.indicator) for f in errors(validate(profile))] == [("indicator_change", "fauna_crimes")]


def test_wrong_indicator_change_against_previous_profile() -> None:
    profile, _, prev = pair()
    previous = make_profile(prev, 2021)
    ind = profile.indicator("heroin_trade")
    assert ind is not None and ind.change is not None
    ind.change = ind.change + (0.5 if ind.change < 0 else -0.5)
    found = errors(validate(profile, previous=previous))
    assert [(f.rule, f.indicator) for f in found] == [("indicator_change", "heroin_trade")]


def test_bar_score_disagreeing() -> None:
    profile, cur, _ = pair()
    ind = profile.indicator("flora_crimes")
    assert ind is not None and ind.score is not None
    ind.bar_score = ind.score + (0.2 if ind.score < 9 else -0.2)
    assert validate(profile) == []
    ind.bar_score = ind.score + (0.5 if ind.score < 9 else -0.5)
    found = validate(profile)
    # the score its own bar contradicts is an error, and the value is not confirmed
    assert [(f.rule, f.severity, f.indicator) for f in found] == [("bar_score", "error", "flora_crimes"),
                                                                  ("unconfirmed", "warning", "flora_crimes")]


MALI_RESILIENCE_11 = ("2.0", "2.0", "3.0", "2.5", "2.0", "2.0", "1.5", "2.5", "2.0", "1.5", "2.0")


def mali_enact_2025_without_non_state_actors() -> Profile:
    ids = [i.id for i in taxonomy.indicators_for(2025, "resilience") if i.id != "non_state_actors"]
    scores: dict[str, Fraction | None] = dict(grid_scores(2025, 5))
    scores.update(zip(ids, (Fraction(x) for x in MALI_RESILIENCE_11), strict=True))
    del scores["non_state_actors"]
    profile = make_profile(scores, 2025, "enact", previous=grid_scores(2023, 6))
    profile.summary.resilience = 2.08  # as printed on the real page
    for s in profile.summary_scores:
        if s.metric == "resilience":
            s.score = 2.08
    return profile


def test_mali_missing_indicator_inferred() -> None:
    profile = mali_enact_2025_without_non_state_actors()
    assert profile.indicator("non_state_actors") is None
    fixed = infer_missing(profile)
    ind = fixed.indicator("non_state_actors")
    assert ind is not None
    assert (ind.score, ind.inferred_score, ind.status) == (None, 2.0, "inferred")  # not read, so no score
    assert (ind.pillar, ind.group) == ("resilience", "civil_society_and_social_protection")
    assert [i.id for i in fixed.indicators] == [i.id for i in taxonomy.indicators_for(2025)]
    assert [(f.rule, f.severity, f.indicator) for f in fixed.validation] == [
        ("inferred_score", "warning", "non_state_actors")]
    assert "2.0" in fixed.validation[0].message and "2.08" in fixed.validation[0].message
    assert profile.indicator("non_state_actors") is None  # the input is left alone
    # The rules see the inferred value: no error, only the inference.
    for p in (profile, fixed):
        found = validate(p)
        assert [(f.rule, f.severity, f.indicator) for f in found] == [
            ("inferred_score", "warning", "non_state_actors")]
    # ... and an average contradicted by the inferred value would be reported: the inference is
    # what the arithmetic checks use.
    assert validated(profile).indicator("non_state_actors") == ind
    # Re-validating the inferred profile (as loaded from its JSON) gives the same findings.
    again = Profile.model_validate_json(fixed.to_json())
    assert validate(again) == validate(profile)


def test_unreadable_printed_score_inferred() -> None:
    profile, cur, _ = pair()
    set_score(profile, "territorial_integrity", None)
    fixed = infer_missing(profile)
    ind = fixed.indicator("territorial_integrity")
    assert ind is not None and ind.status == "inferred" and ind.score is None
    assert _x(ind.inferred_score) == cur["territorial_integrity"]
    assert errors(validate(profile)) == []
    msg = by_rule(fixed.validation, "inferred_score")[0].message
    assert "territorial_integrity" in msg and fmt(cur["territorial_integrity"]) in msg


def test_ambiguous_inference_left_null() -> None:
    profile, cur, _ = pair()
    set_score(profile, "foreign_actors", None)
    set_score(profile, "private_sector_actors", None)
    fixed = infer_missing(profile)
    for ind_id in ("foreign_actors", "private_sector_actors"):
        ind = fixed.indicator(ind_id)
        assert ind is not None and ind.score is None and ind.status != "inferred"
    warn = by_rule(fixed.validation, "inferred_score")
    assert len(warn) == 1 and warn[0].severity == "warning"
    total = cur["foreign_actors"] + cur["private_sector_actors"]
    assert f"sum to {float(total):.1f}" in warn[0].message
    found = validate(profile)
    assert by_rule(found, "inferred_score") == warn
    assert {f.indicator for f in by_rule(found, "indicator_set")} == {"foreign_actors", "private_sector_actors"}
    assert by_rule(found, "pillar_average") == []


def test_inferred_value_contradicting_the_average_is_not_trusted() -> None:
    profile = infer_missing(mali_enact_2025_without_non_state_actors())
    ind = profile.indicator("non_state_actors")
    assert ind is not None
    ind.inferred_score = 3.0  # a wrong "inferred" value
    found = validate(profile)
    assert errors(found) == []  # re-derived as 2.0 from the printed average
    assert "2.0" in by_rule(found, "inferred_score")[0].message


def test_criminality_from_unrounded_means_no_false_alarm() -> None:
    # Mali global 2023: markets 97/15 (6.47), actors 27/5 (5.40) → criminality 5.93; the naive mean of
    # the printed averages gives 5.94.
    markets = [i.id for i in taxonomy.indicators_for(2023, "criminal_markets")]
    actors = [i.id for i in taxonomy.indicators_for(2023, "criminal_actors")]
    scores = grid_scores(2023, 0)
    scores.update(zip(markets, [Fraction(13, 2)] * 14 + [Fraction(6)], strict=True))
    scores.update(zip(actors, [Fraction(11, 2)] * 4 + [Fraction(5)], strict=True))
    assert sum(scores[i] for i in markets) == 97 and sum(scores[i] for i in actors) == 27
    profile = make_profile(scores, 2023, previous=grid_scores(2021, 2))
    s = profile.summary
    assert (s.criminal_markets, s.criminal_actors, s.criminality) == (6.47, 5.40, 5.93)
    naive = _round_half_up((Decimal(str(s.criminal_markets)) + Decimal(str(s.criminal_actors))) / 2)
    assert naive == Decimal("5.94")
    assert validate(profile) == []
    profile.summary.criminality = float(naive)
    found = errors(validate(profile))
    assert [(f.rule, f.indicator) for f in found] == [("pillar_average", "criminality")]
    assert "5.94" in found[0].message and "5.93" in found[0].message


def test_missing_and_unexpected_indicators() -> None:
    profile = make_profile(grid_scores(2021, 1), 2021)
    profile.indicators.append(Indicator(id="private_sector_actors", label="Private sector actors",
                                        pillar="criminal_actors", score=5.0))
    found = by_rule(validate(profile), "indicator_set")
    assert [(f.severity, f.indicator) for f in found] == [("error", "private_sector_actors")]
    profile, _, _ = pair()
    profile.indicators = [i for i in profile.indicators if i.id not in ("heroin_trade", "cocaine_trade")]
    found = by_rule(validate(profile), "indicator_set")
    assert [(f.severity, f.indicator) for f in found] == [("error", "heroin_trade"), ("error", "cocaine_trade")]


def test_summary_present() -> None:
    profile, _, _ = pair()
    profile.summary = Summary()
    profile.summary_scores = []
    found = validate(profile)
    assert [(f.rule, f.severity, f.indicator) for f in found] == [
        ("summary_present", "warning", m) for m in taxonomy.SUMMARY_IDS]


def sections_for(year: int, drop: str | None = None) -> list[Section]:
    out: list[Section] = []
    for pillar in taxonomy.PILLARS:
        inds = taxonomy.indicators_for(year, pillar)
        if pillar == "criminal_actors":
            out.append(Section(path=["Criminal actors"], heading="Criminal actors", level=1,
                               paragraphs=[Paragraph(text=i.label, indicator=i.id) for i in inds if i.id != drop]))
            continue
        for g in taxonomy.groups_for(pillar):
            out.append(Section(path=[pillar, g.heading], heading=g.heading, level=2,
                               paragraphs=[Paragraph(text=i.label, indicator=i.id)
                                           for i in inds if i.group == g.id and i.id != drop]))
    return out


def test_paragraph_counts() -> None:
    profile, _, _ = pair()
    profile.sections = sections_for(2023)
    assert check_paragraph_count(profile) == []
    for drop in ("illicit_trade_in_excisable_goods", "state_embedded_actors", "prevention"):
        profile.sections = sections_for(2023, drop)
        found = check_paragraph_count(profile)
        assert [(f.rule, f.severity, f.indicator) for f in found] == [("paragraph_count", "warning", drop)]
    profile.sections = []
    assert check_paragraph_count(profile) == []


def test_reference_missing_and_enact_profiles() -> None:
    profile, cur, prev = pair()
    ref = Reference(reference_rows("Mali", {2021: prev, 2023: cur}))
    assert check_reference(profile, ref) == []
    other = make_profile(cur, 2023, country="Niger")
    found = check_reference(other, ref)
    assert [(f.rule, f.severity) for f in found] == [("reference_missing", "warning")]
    # an ENACT profile printing the row's scores and changes: nothing to report (whether an ENACT
    # profile that differs is compared with the index's dataset is the validator's to say)
    enact = make_profile(cur, 2023, "enact", previous=prev)
    assert check_reference(enact, ref) == []


def test_findings_are_deterministic() -> None:
    profile, _, _ = pair()
    set_score(profile, "prevention", 7.3)
    set_score(profile, "human_trafficking", None)
    assert validate(profile) == validate(profile.model_copy(deep=True))


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


def write_dataset(path: Path, rows: list[ReferenceRow]) -> None:
    """A workbook in the official dataset format (sheets ``<year>_dataset``)."""
    import pandas as pd

    with pd.ExcelWriter(path) as xl:
        for year in sorted({r.edition for r in rows}, reverse=True):
            recs = []
            for r in (r for r in rows if r.edition == year):
                rec: dict[str, object] = {"Continent": r.continent, "Region": r.region, "Country": r.country}
                for m in taxonomy.SUMMARY_IDS:
                    rec[taxonomy.SUMMARY_LABELS[m] + " avg,"] = float(r.summary[m])
                for ind in taxonomy.indicators_for(year):
                    rec[ind.label] = float(r.scores[ind.id])
                recs.append(rec)
            pd.DataFrame(recs).to_excel(xl, sheet_name=f"{year}_dataset", index=False)


@pytest.fixture
def batch(tmp_path: Path) -> tuple[Path, dict[str, Fraction], dict[str, Fraction]]:
    out = tmp_path / "out"
    (out / "profiles").mkdir(parents=True)
    profile, cur, prev = pair()
    (out / "profiles" / "mali-2023.json").write_text(profile.to_json(), encoding="utf-8")
    (out / "profiles" / "mali-2021.json").write_text(make_profile(prev, 2021).to_json(), encoding="utf-8")
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    return out, cur, prev


def test_cli_clean_folder(batch: tuple[Path, dict, dict]) -> None:
    out, _, _ = batch
    res = CliRunner().invoke(main, ["validate", str(out)])
    assert res.exit_code == 0, res.output
    assert "2 profile(s): 0 error(s), 0 warning(s)" in res.output


def test_cli_error_exit_1_worst_first(batch: tuple[Path, dict, dict]) -> None:
    out, _, _ = batch
    path = out / "profiles" / "mali-2023.json"
    profile = Profile.model_validate_json(path.read_text(encoding="utf-8"))
    set_score(profile, "prevention", 7.3)
    path.write_text(profile.to_json(), encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(out)])
    assert res.exit_code == 1, res.output
    assert "score_grid" in res.output and "prevention" in res.output and "7.3" in res.output
    assert "Findings per rule" in res.output
    assert res.output.index("mali-2023.json") < res.output.index("mali-2021.json")
    res = CliRunner().invoke(main, ["validate", "--json", str(path)])
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert doc["errors"] >= 1 and doc["profiles"] == 1
    grid = [f for f in doc["files"][0]["findings"] if f["rule"] == "score_grid"]
    assert grid == [{"rule": "score_grid", "severity": "error", "message": grid[0]["message"],
                     "indicator": "prevention"}]


def test_cli_uses_previous_edition_in_the_folder(batch: tuple[Path, dict, dict]) -> None:
    out, _, _ = batch
    path = out / "profiles" / "mali-2023.json"
    profile = Profile.model_validate_json(path.read_text(encoding="utf-8"))
    ind = profile.indicator("heroin_trade")
    assert ind is not None and ind.change is not None
    ind.change = ind.change + (0.5 if ind.change < 0 else -0.5)
    path.write_text(profile.to_json(), encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", "--json", str(out)])
    assert res.exit_code == 1
    doc = json.loads(res.output)
    names = [(f["rule"], f["indicator"]) for f in doc["files"][0]["findings"]]
    assert names == [("indicator_change", "heroin_trade")]


def test_cli_bad_usage(tmp_path: Path, batch: tuple[Path, dict, dict]) -> None:
    out, _, _ = batch
    missing = tmp_path / "nowhere"
    res = CliRunner().invoke(main, ["validate", str(missing)])
    assert res.exit_code == 2
    assert "nowhere" in res.output and "Traceback" not in res.output
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(out), "--reference", str(bad)])
    assert res.exit_code == 2
    assert "bad.xlsx" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(main, ["validate", str(out), "--reference", str(tmp_path / "none.xlsx")])
    assert res.exit_code == 2 and "none.xlsx" in res.output
    empty = tmp_path / "empty"
    empty.mkdir()
    res = CliRunner().invoke(main, ["validate", str(empty)])
    assert res.exit_code == 2 and "empty" in res.output
    notjson = tmp_path / "x.json"
    notjson.write_text("{", encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(notjson)])
    assert res.exit_code == 2 and "x.json" in res.output


def test_cli_reference_reports_altered_score(tmp_path: Path, batch: tuple[Path, dict, dict]) -> None:
    out, cur, prev = batch
    xlsx = tmp_path / "dataset.xlsx"
    write_dataset(xlsx, reference_rows("Mali", {2023: cur, 2021: prev}))
    res = CliRunner().invoke(main, ["validate", str(out), "--reference", str(xlsx)])
    assert res.exit_code == 0, res.output
    path = out / "profiles" / "mali-2023.json"
    profile = Profile.model_validate_json(path.read_text(encoding="utf-8"))
    target = "judicial_system_and_detention"
    old = cur[target]
    new = old + 1 if old <= 9 else old - 1
    set_score(profile, target, float(new))
    path.write_text(profile.to_json(), encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", "--json", str(out), "--reference", str(xlsx)])
    assert res.exit_code == 1
    doc = json.loads(res.output)
    ref = [f for f in doc["files"][0]["findings"] if f["rule"] == "reference"]
    assert [f["indicator"] for f in ref] == [target]
    msg = ref[0]["message"]
    assert "Mali" in msg and "2023" in msg and target in msg
    assert f"extracted {float(new):.1f}" in msg and f"reference {float(old):.1f}" in msg
    res = CliRunner().invoke(main, ["validate", str(out), "--reference", str(xlsx)])
    assert res.exit_code == 1
    assert f"extracted {float(new):.1f}" in res.output and "reference" in res.output


def test_cli_real_reference(reference_xlsx: Path, tmp_path: Path) -> None:
    ref = Reference.load(reference_xlsx)
    row = ref.get("Côte d'Ivoire", 2023)
    assert row is not None
    profile = profile_from_reference(row, ref.get("Côte d'Ivoire", 2021))
    profile.country = "Cote d'Ivoire"
    path = tmp_path / "civ.json"
    path.write_text(profile.to_json(), encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(path), "--reference", str(reference_xlsx)])
    assert res.exit_code == 0, res.output


# --------------------------------------------------------------------------------------------
# Changes without the previous edition: the previous scores they imply
# --------------------------------------------------------------------------------------------


def test_implied_previous_finds_a_wrong_change_at_the_pillar() -> None:
    profile, _, _ = pair()
    assert validate(profile) == []
    ind = profile.indicator("fauna_crimes")
    assert ind is not None and ind.change is not None and ind.score is not None
    before = _x(ind.score) - _x(ind.change)
    # a change whose implied previous score stays on the grid: only the pillar's summary changes say so
    ind.change = ind.change + (0.5 if before > 1 else -0.5)
    found = errors(validate(profile))
    assert {f.rule for f in found} == {"implied_previous"}
    assert "criminal_markets" in {f.indicator for f in found}
    assert {f.indicator for f in found} <= {"criminal_markets", "criminality"}
    # an implied previous score off the grid names the indicator
    ind.change = float(_x(ind.score) - Fraction(1, 2))  # previous 0.5
    found = errors(validate(profile))
    assert ("indicator_change", "fauna_crimes") in [(f.rule, f.indicator) for f in found]


def test_implied_previous_skips_pillars_with_an_unread_change() -> None:
    profile, _, _ = pair()
    res = next(s for s in profile.summary_scores if s.metric == "resilience")
    res.change = float(_x(res.change) + 1)
    assert [f.indicator for f in errors(validate(profile))] == ["resilience"]
    ind = profile.indicator("prevention")
    assert ind is not None
    ind.change = None  # the resilience previous mean is no longer known: nothing to compare
    assert [(f.rule, f.severity) for f in validate(profile)] == [("indicator_change", "warning")]


def test_implied_previous_new_indicators_excluded() -> None:
    # 2023 global: the five new market indicators print n/a; the previous markets mean is over the 10 others.
    profile, _, _ = pair(2023, seed=3)
    new = [i for i in profile.indicators if taxonomy.is_new_indicator(i.id, 2023)]
    assert len(new) == 6 and all(i.change is None and i.change_printed == "n/a" for i in new)
    assert validate(profile) == []


# --------------------------------------------------------------------------------------------
# Loading the reference
# --------------------------------------------------------------------------------------------


def test_load_reference_errors(tmp_path: Path) -> None:
    import pandas as pd

    cases = {}
    cases["missing"] = tmp_path / "none.xlsx"
    (tmp_path / "text.xlsx").write_text("not a workbook", encoding="utf-8")
    cases["text"] = tmp_path / "text.xlsx"
    with pd.ExcelWriter(tmp_path / "sheets.xlsx") as xl:
        pd.DataFrame({"Country": ["Mali"], "Human trafficking": [5.0]}).to_excel(xl, sheet_name="Sheet1")
    cases["sheets"] = tmp_path / "sheets.xlsx"
    with pd.ExcelWriter(tmp_path / "columns.xlsx") as xl:
        pd.DataFrame({"Country": ["Mali"], "Population": [5.0]}).to_excel(xl, sheet_name="2023_dataset")
    cases["columns"] = tmp_path / "columns.xlsx"
    cases["dir"] = tmp_path
    for name, path in cases.items():
        with pytest.raises(ValueError) as exc:
            load_reference(path)
        assert path.name in str(exc.value), name
        assert "\n" not in str(exc.value), name
        res = CliRunner().invoke(main, ["validate", str(tmp_path / "x.json"), "--reference", str(path)])
        assert res.exit_code == 2
    # extract --reference: a clear message and exit 2, no traceback
    pdf = next(FIXTURES.glob("*.pdf"))
    for name in ("text", "sheets", "columns"):
        res = CliRunner().invoke(main, ["extract", str(pdf), "--reference", str(cases[name])])
        assert res.exit_code == 2, name
        assert cases[name].name in res.output and "Traceback" not in res.output, name
    rows = reference_rows("Mali", {2023: grid_scores(2023, 1)})
    write_dataset(tmp_path / "ok.xlsx", rows)
    ref = load_reference(tmp_path / "ok.xlsx")
    assert ref.get("Mali", 2023) is not None and ref.editions == (2023,)


# --------------------------------------------------------------------------------------------
# The real Mali text
# --------------------------------------------------------------------------------------------


def test_real_mali_text_infers_non_state_actors(mali_text: Path) -> None:
    from octa.pipeline import extract

    profile = extract(mali_text)
    ind = profile.indicator("non_state_actors")
    assert ind is not None
    assert (ind.score, ind.inferred_score, ind.status) == (None, 2.0, "inferred")
    inferred = by_rule(profile.validation, "inferred_score")
    assert [(f.severity, f.indicator) for f in inferred] == [("warning", "non_state_actors")]
    assert "2.0" in inferred[0].message and "2.08" in inferred[0].message
    # the text holds only the resilience table: the absent pillars are warnings, nothing is an error
    assert errors(profile.validation) == []
    assert [f for f in profile.validation if f.rule == "paragraph_count" and f.indicator != "non_state_actors"] == []
    # the output JSON re-validates to the same findings
    again = Profile.model_validate_json(profile.to_json())
    assert validate(again) == profile.validation


def test_paragraph_count_never_errors() -> None:
    profile, _, _ = pair()
    profile.sections = sections_for(2023)
    for sec in profile.sections:
        if sec.heading == "TRADE":
            sec.paragraphs = []
    found = check_paragraph_count(profile)
    assert [(f.severity, f.indicator) for f in found] == [
        ("warning", i.id) for i in taxonomy.indicators_for(2023) if i.group == "trade"]
    # Mali 2025: CIVIL SOCIETY AND SOCIAL PROTECTION holds two paragraphs, the last for prevention
    mali = mali_enact_2025_without_non_state_actors()
    mali.sections = sections_for(2025, drop="non_state_actors")
    found = validate(mali)
    assert errors(found) == []
    assert [f.indicator for f in by_rule(found, "paragraph_count")] == ["non_state_actors"]


# --------------------------------------------------------------------------------------------
# Generated PDFs, end to end: clean originals, mutations, the reference
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Profile]]:
    """42 generated profiles (every edition of both families, six times) and their extraction."""
    from octa import synth
    from octa.pipeline import extract

    out = tmp_path_factory.mktemp("generated")
    return [(pdf, extract(pdf)) for pdf in synth.generate(42, 7, "mixed", out)]


def test_generated_profiles_have_no_errors(generated: list[tuple[Path, Profile]]) -> None:
    assert len(generated) >= 40
    assert {(p.family, p.year) for _, p in generated} == {(f, y) for f, ys in taxonomy.EDITIONS.items() for y in ys}
    for pdf, profile in generated:
        assert errors(profile.validation) == [], pdf.name
        assert [i.id for i in profile.indicators if i.status != "ok"] == [], pdf.name
        truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        assert errors(validate(truth)) == [], pdf.name
        # the changes were checked without the previous edition: every pillar's previous mean is implied
        if taxonomy.has_changes(profile.family, profile.year):  # type: ignore[arg-type]
            prev = implied_previous(profile)
            assert prev is not None and all(v is not None for v in prev.summary().exact_values().values())


def test_mutations_detected_and_located(generated: list[tuple[Path, Profile]], tmp_path: Path) -> None:
    import random
    from collections import Counter

    mutation = mutation_module()
    rng = random.Random(5)
    used: Counter[str] = Counter()
    outcomes = [mutation.trial(pdf, k, rng, used, workdir=tmp_path, clean=profile)
                for k, (pdf, profile) in enumerate(generated[:12])]
    assert used == Counter({"score": 4, "average": 4, "change": 4})
    for o in outcomes:
        assert o.ok, o
        m = o.mutation
        if m.kind == "average":
            assert o.located == "indicator" and m.target in {f.split(":")[1] for f in o.findings}
        if o.located == "pillar":  # only where another indicator of the pillar explains the page as well
            assert m.kind in ("score", "change") and o.alternatives and m.target not in o.alternatives
    assert {o.located for o in outcomes if o.mutation.kind == "score"} >= {"indicator"}


def test_dataset_profiles_agree_with_reference(reference_xlsx: Path, tmp_path: Path) -> None:
    import random

    from octa import synth
    from octa.pipeline import extract

    mutation = mutation_module()
    ref = load_reference(reference_xlsx)
    pdfs = synth.generate(4, 3, "global", tmp_path / "clean", from_dataset=reference_xlsx)
    for pdf in pdfs:
        profile = extract(pdf, reference=ref)
        assert errors(profile.validation) == [], pdf.name
        assert [f for f in profile.validation if f.rule.startswith("reference")] == [], pdf.name
    # one printed score altered in the PDF: named with country, edition, indicator, both values
    pdf = pdfs[0]
    truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    m = mutation._mutate_score(pdf, truth, random.Random(1), tmp_path / "altered.pdf")
    assert m is not None
    got = extract(tmp_path / "altered.pdf", reference=ref)
    found = by_rule(got.validation, "reference")
    assert [(f.severity, f.indicator) for f in found] == [("error", m.target)]
    row = ref.get(truth.country, truth.year)
    assert row is not None and _x(m.old) == _x(row.scores[m.target])
    msg = found[0].message
    assert f"{row.country} {truth.year}" in msg and m.target in msg
    assert f"extracted {fmt(m.new)}" in msg and f"reference {fmt(m.old)}" in msg
    # and through the command line, over a batch folder
    (tmp_path / "out" / "profiles").mkdir(parents=True)
    for p in (got, extract(pdfs[1], reference=ref)):
        (tmp_path / "out" / "profiles" / p.source.file.replace(".pdf", ".json")).write_text(p.to_json(), encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(tmp_path / "out"), "--reference", str(reference_xlsx)])
    assert res.exit_code == 1, res.output
    assert res.output.index(got.source.file.replace(".pdf", ".json")) < res.output.index(
        pdfs[1].name.replace(".pdf", ".json"))
    assert f"extracted {fmt(m.new)}" in res.output


def test_summary_the_indicator_scores_contradict_is_not_confirmed_by_its_place() -> None:
    # a summary read where its place left no other number (geometry) but that the indicator scores
    # do not give (a neighbour's change taken for it) is not ok: the arithmetic outranks the place
    profile, cur, _ = pair()
    for s in profile.summary_scores:
        s.confirmed_by, s.evidence = [], ["geometry"]
    for ind in profile.indicators:
        ind.confirmed_by, ind.evidence = [], ["geometry"]
    resilience = next(s for s in profile.summary_scores if s.metric == "resilience")
    printed = resilience.score
    resilience.score = profile.summary.resilience = 1.5
    checked = validated(profile)
    status = {s.metric: (s.status, s.confirmed_by, s.evidence) for s in checked.summary_scores}
    assert status["resilience"] == ("unconfirmed", [], ["geometry"])  # the place is recorded, not counted
    assert status["criminality"] == ("ok", ["average"], ["geometry"])
    found = [f for f in checked.validation if f.rule == "unconfirmed"]
    assert [f.indicator for f in found if f.indicator == "resilience"] == ["resilience"]
    assert all(f"give {printed:.2f}" in f.message for f in found)
    # which number of the pillar is misread, the average or a score, the arithmetic cannot say: the
    # pillar's scores that only their place confirms are not ok either; the other pillars' are
    resilient = {i.id for i in taxonomy.indicators_for(2023, "resilience")}
    assert {i.id for i in checked.indicators if i.status == "unconfirmed"} == resilient
    assert {f.indicator for f in found} == resilient | {"resilience"}
    assert all(i.confirmed_by == ["average"] for i in checked.indicators if i.id not in resilient)


def test_the_plan_runs_named_rules_over_one_context() -> None:
    from octa.validate import PLAN, RULES

    names = [r.name for r in PLAN]
    assert len(names) == len(set(names))
    assert set(names) - {"confirmation"} <= set(RULES)
    # the findings are the plan's rules' findings, in the plan's order
    profile, cur, _ = pair()
    set_score(profile, "heroin_trade", None)  # inferred from its pillar's printed average
    ind = profile.indicator("law_enforcement")  # another pillar: its average no longer fits
    assert ind is not None and ind.score is not None
    ind.score = ind.score + (0.5 if ind.score < 9 else -0.5)
    found = validate(profile)
    order = {n: k for k, n in enumerate(names)}
    position = {"unconfirmed": order["confirmation"], "change_direction": order["confirmation"]}
    ranks = [position.get(f.rule, order.get(f.rule, -1)) for f in found]
    assert -1 not in ranks and ranks == sorted(ranks) and len(found) >= 2


# --------------------------------------------------------------------------------------------
# Confirmation means independent (issue 25 §6)
# --------------------------------------------------------------------------------------------


def test_a_value_only_its_geometry_confirms_is_unconfirmed() -> None:
    # every value read where its place left no other reading (geometry), written as an older octa
    # wrote it; the prevention score was not read, so the printed resilience average checks nothing
    profile, cur, _ = pair()
    data = json.loads(profile.to_json())
    for s in data["summary_scores"]:
        s["confirmed_by"] = ["geometry"]
    for ind in data["indicators"]:
        ind["confirmed_by"] = ["geometry"]
        if ind["id"] == "prevention":
            ind["score"], ind["change"], ind["status"] = None, None, "missing"
    checked = validated(Profile.model_validate(data))
    resilience = {"political_leadership_and_governance", "government_transparency_and_accountability",
                  "international_cooperation", "national_policies_and_laws", "judicial_system_and_detention",
                  "law_enforcement", "territorial_integrity", "anti_money_laundering",
                  "economic_regulatory_capacity", "victim_and_witness_support", "non_state_actors"}
    status = {i.id: (i.status, i.confirmed_by, i.evidence) for i in checked.indicators if i.id != "prevention"}
    assert {k for k, v in status.items() if v[0] == "unconfirmed"} == resilience
    assert all(status[k] == ("unconfirmed", [], ["geometry"]) for k in resilience)  # recorded, not counted
    assert all(v == ("ok", ["average"], ["geometry"]) for k, v in status.items() if k not in resilience)
    summary = {s.metric: (s.status, s.confirmed_by) for s in checked.summary_scores}
    assert summary == {"criminality": ("ok", ["average"]), "criminal_markets": ("ok", ["average"]),
                       "criminal_actors": ("ok", ["average"]), "resilience": ("unconfirmed", [])}
    found = {f.indicator for f in checked.validation if f.rule == "unconfirmed"}
    assert found == resilience | {"resilience"}
    assert all("cannot be checked" in f.message or "cannot reproduce" in f.message
               for f in checked.validation if f.rule == "unconfirmed")
    # in the JSON the judgement is kept apart from the checks
    doc = json.loads(checked.to_json())
    law = next(i for i in doc["indicators"] if i["id"] == "law_enforcement")
    assert (law["status"], law["confirmed_by"], law["evidence"]) == ("unconfirmed", [], ["geometry"])


@pytest.mark.parametrize(("shown", "value", "printed", "agree"), [
    ("0.1", Fraction(1, 15), "+0.1", True),  # 0.0667 printed with one decimal
    ("0.1", Fraction(1, 15), "0.10", False),  # … and with two: 0.07
    ("0.07", Fraction(1, 15), "0.07", True),
    ("-0.3", Fraction(-7, 24), "(-0.3)", True),  # −0.2917
    ("-0.29", Fraction(-7, 24), "▼0.29", True),
    ("-0.3", Fraction(-7, 24), "-0.30", False),
    ("2.1", Fraction(25, 12), "2.1", True),  # 2.0833
    ("2.0", Fraction(25, 12), "2.0", False),
    ("7", Fraction(209, 30), "7", True),  # 6.9667 printed without decimals
    ("7", Fraction(209, 30), "7.00", False),
    ("0.1", Fraction(1, 20), "0.1", True),  # a tie rounds away from zero
    ("0.0", Fraction(1, 20), "0.0", False),
    ("-0.1", Fraction(-1, 20), "-0.1", True),
    ("6.5", Fraction(13, 2), "6.50/10", True),
    ("0.1", Fraction(1, 15), None, False),  # no printed text: the contract's two decimals
    ("0.07", Fraction(1, 15), None, True),
])
def test_a_value_agrees_at_the_precision_it_was_printed_with(shown: str, value: Fraction, printed: str | None,
                                                              agree: bool) -> None:
    from octa.scoring import agrees

    assert agrees(float(shown), value, printed) is agree


def _one_decimal(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_summary_change_printed_with_one_decimal_checks_at_one_decimal() -> None:
    # without the previous edition: the summary changes against the scores the printed indicator
    # changes imply. A change printed with one decimal agrees at one decimal; the same value
    # printed with two does not (it claims a precision it has not got).
    profile, cur, prev = pair()
    now, before = oracle.unrounded(_dec(cur), 2023), oracle.unrounded(_dec(prev), 2021)
    exact = {m: now[m] - before[m] for m in now}
    # a metric whose change, rounded to one decimal, is not its two-decimal value
    metric = next(m for m in ("criminality", "criminal_markets", "criminal_actors", "resilience")
                  if _one_decimal(exact[m]) != _round_half_up(exact[m]))
    one = _one_decimal(exact[metric])
    assert validate(profile) == []
    ss = next(s for s in profile.summary_scores if s.metric == metric)
    ss.change, ss.change_printed = float(one), f"{one:+.1f}"
    assert [f for f in validate(profile) if f.severity == "error"] == []
    ss.change_printed = f"{one:.2f}"
    found = [(f.rule, f.indicator) for f in validate(profile) if f.severity == "error"]
    assert found == [("implied_previous", metric)]
