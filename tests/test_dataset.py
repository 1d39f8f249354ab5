"""The official dataset workbooks of every edition (issue 16): one reader for the 2023 workbook
(``global_oc_index.xlsx``) and the 2025 one (``global_oc_index_2025.xlsx``), any header spelling and
column order, the arithmetic of every row, profiles of the 2025 edition checked against the 2025
sheet, ENACT profiles against the sheet of their year, and ``octa reference``.

Expected values come from the workbooks' cells read here with openpyxl (headers mapped by a
normalisation written out in this file) and from :mod:`tests.oracle`, never from ``octa.dataset``
or ``octa.scoring``."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from octa import export as ex
from octa import taxonomy
from octa.cli import main
from octa.dataset import read_reference, read_workbook
from octa.model import Indicator, Profile, Rank, Source, Summary, SummaryScore
from octa.validate import (
    Reference,
    check_reference,
    fmt,
    load_reference,
    profile_from_reference,
    validate,
    validated,
)
from tests import oracle
from tests.conftest import ROOT, mutation_module

#: (workbook fixture, sheet, edition): the five edition sheets of the two published workbooks.
SHEETS = [("reference_xlsx", "2023_dataset", 2023), ("reference_xlsx", "2021_dataset", 2021),
          ("reference_2025_xlsx", "2025_dataset", 2025), ("reference_2025_xlsx", "2023_dataset", 2023),
          ("reference_2025_xlsx", "2021_dataset", 2021)]


# --------------------------------------------------------------------------------------------
# The cells as they are, read independently of octa.dataset
# --------------------------------------------------------------------------------------------

def _plain_id(header: str) -> str:
    """A header as an id, by a rule of this test: its lower-case words joined by ``_``, without
    ``avg`` (``'Criminality avg,'`` → ``criminality``, ``'Non-state actors'`` → ``non_state_actors``)."""
    return "_".join(w for w in re.findall(r"[a-z]+", header.lower()) if w != "avg")


def raw_sheet(path: Path, sheet: str) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """(header cells, printed country → {plain id: cell value}) of one sheet."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()
    header = [str(h) for h in rows[0]]
    ids = [_plain_id(h) for h in header]
    out: dict[str, dict[str, Any]] = {}
    for r in rows[1:]:
        if r[ids.index("country")] is None:
            continue
        out[str(r[ids.index("country")])] = {i: v for i, v in zip(ids, r, strict=True) if v is not None}
    return header, out


def _scores(cells: dict[str, Any], year: int) -> dict[str, Any]:
    return {i: cells[i] for ids in oracle.pillar_ids(year).values() for i in ids}


def _dec(v: Any) -> Decimal:
    return Decimal(repr(v))


# --------------------------------------------------------------------------------------------
# Both workbooks read; every row of the five edition sheets passes the arithmetic
# --------------------------------------------------------------------------------------------

def test_both_workbooks_read(reference_xlsx: Path, reference_2025_xlsx: Path) -> None:
    old, new = read_workbook(reference_xlsx), read_workbook(reference_2025_xlsx)
    assert old.problems == [] and new.problems == []
    assert old.editions == (2021, 2023) and new.editions == (2021, 2023, 2025)
    assert [(s.name, s.edition, s.rows) for s in new.dataset_sheets] == [
        ("2025_dataset", 2025, 193), ("2023_dataset", 2023, 193), ("2021_dataset", 2021, 193)]
    assert [(s.name, s.rows) for s in old.dataset_sheets] == [("2023_dataset", 193), ("2021_dataset", 193)]
    # the introduction sheets hold a year too, but no table: listed as not read
    assert [s.name for s in new.sheets if s.skipped] == ["2025_Global_OC_Index"]
    assert [s.name for s in old.sheets if s.skipped] == ["2023_Global_OC_Index"]
    assert len(read_reference(reference_xlsx)) == 386 and len(read_reference(reference_2025_xlsx)) == 579
    assert old.unmatched == [] and new.unmatched == []


@pytest.mark.parametrize(("fixture", "sheet", "year"), SHEETS, ids=[f"{f[10:] or 'old'}-{s}" for f, s, _ in SHEETS])
def test_every_row_read_as_printed_and_passes_the_arithmetic(fixture: str, sheet: str, year: int,
                                                            request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(fixture)
    header, cells = raw_sheet(path, sheet)
    assert len(cells) == 193
    rows = {r.printed_country: r for r in read_workbook(path).rows if r.sheet == sheet}
    assert set(rows) == set(cells)
    exceptions = []
    for country, c in cells.items():
        row = rows[country]
        assert row.edition == year
        scores = _scores(c, year)
        # the reader gives every cell as printed, under the right id, whatever the header spelling
        assert row.scores == {i: Fraction(_dec(v)) for i, v in scores.items()}, country
        for metric in oracle.summary(scores, year):
            assert row.summary[metric] == _dec(c[metric]), (country, metric)
        # DOMAIN §3, by the oracle: every score on the grid, every printed average exact
        if any(_dec(v) * 2 % 1 or not 1 <= _dec(v) <= 10 for v in scores.values()):
            exceptions.append((country, "grid"))
        for metric, want in oracle.summary(scores, year).items():
            if want != _dec(c[metric]):
                exceptions.append((country, metric, want, c[metric]))
    assert exceptions == []


def test_the_header_spellings_differ_and_all_map(reference_xlsx: Path, reference_2025_xlsx: Path) -> None:
    h25, _ = raw_sheet(reference_2025_xlsx, "2025_dataset")
    h23new, _ = raw_sheet(reference_2025_xlsx, "2023_dataset")
    h21new, _ = raw_sheet(reference_2025_xlsx, "2021_dataset")
    h23old, _ = raw_sheet(reference_xlsx, "2023_dataset")
    h21old, _ = raw_sheet(reference_xlsx, "2021_dataset")
    assert "Criminality avg." in h25 and "Criminal markets avg." in h25 and "Criminality avg." in h23new
    assert "Criminality avg," in h21new and "Criminality avg," in h23old and "Criminality" in h21old
    # the 2025 sheet orders its markets otherwise than the 2023 sheet of the older file
    assert [_plain_id(h) for h in h25] != [_plain_id(h) for h in h23old]
    assert sorted(_plain_id(h) for h in h25) == sorted(_plain_id(h) for h in h23old)
    book = read_workbook(reference_2025_xlsx)
    for sheet in book.dataset_sheets:
        assert sheet.unmapped == [] and sheet.missing == []
        assert [(c.header, c.id) for c in sheet.columns] == [(c.header, _plain_id(c.header)) for c in sheet.columns]


def test_the_2023_sheets_of_both_workbooks_agree_row_by_row(reference_xlsx: Path, reference_2025_xlsx: Path) -> None:
    old = {(r.edition, r.country): r for r in read_reference(reference_xlsx)}
    new = {(r.edition, r.country): r for r in read_reference(reference_2025_xlsx)}
    assert set(old) == {k for k in new if k[0] != 2025}
    for key, row in old.items():
        assert (row.scores, row.summary) == (new[key].scores, new[key].summary), key
    # the spellings that differ between the sheets meet through the alias table
    printed = {(r.edition, r.printed_country) for r in read_reference(reference_2025_xlsx)}
    assert {(2023, "Congo, Dem, Rep,"), (2023, "Korea, Rep,"), (2023, "St, Lucia"),
            (2025, "Congo, Dem. Rep."), (2025, "Korea, Rep."), (2025, "St. Lucia")} <= printed
    ref = Reference(read_reference(reference_2025_xlsx))
    for spelling in ("Congo, Dem, Rep,", "Congo, Dem. Rep.", "Democratic Republic of the Congo", "DRC",
                     "Korea, Rep,", "South Korea", "St, Lucia", "Saint Lucia", "Türkiye", "Cote d'Ivoire"):
        for year in (2021, 2023, 2025):
            assert ref.get(spelling, year) is not None, (spelling, year)
    assert ref.get("Democratic Republic of the Congo", 2023) is ref.get("Congo, Dem. Rep.", 2023)


def test_official_columns_are_the_2025_headings(reference_2025_xlsx: Path) -> None:
    header, _ = raw_sheet(reference_2025_xlsx, "2025_dataset")
    wide = ex.columns("scores_wide", official=True)
    scores = [c for c in wide if c not in ("file", "country", "year", "family", "stem", "Country", "iso3")]
    assert "Country" in wide
    assert scores == header[3:]  # the same headings in the same order after Continent, Region, Country


# --------------------------------------------------------------------------------------------
# octa reference
# --------------------------------------------------------------------------------------------

def test_reference_command_on_the_2025_workbook(reference_2025_xlsx: Path) -> None:
    res = CliRunner().invoke(main, ["reference", str(reference_2025_xlsx)], terminal_width=140)
    assert res.exit_code == 0, res.output
    out = res.output
    for text in ("2025_dataset", "2023_dataset", "2021_dataset", "2025_Global_OC_Index", "sheet not read",
                 "'Criminality avg.'", "'Criminality avg,'", "0bdfe894", "579 rows", "0 arithmetic exceptions",
                 "'Congo, Dem, Rep,' → 'Congo, Dem. Rep.'", "criminality is the mean of the two unrounded"):
        assert text in out, text
    res = CliRunner().invoke(main, ["reference", "--json", str(reference_2025_xlsx)])
    assert res.exit_code == 0
    doc = json.loads(res.output)
    assert doc["sha256"] == "0bdfe8943de5a82bd4f709f92c91c596de5c60a192dca463bc722d88be7b55f5"
    assert [(s["name"], s["edition"], s["rows"]) for s in doc["sheets"] if s["read"]] == [
        ("2025_dataset", 2025, 193), ("2023_dataset", 2023, 193), ("2021_dataset", 2021, 193)]
    assert all(not s["unmapped"] and not s["missing"] for s in doc["sheets"])
    assert doc["arithmetic"]["rows"] == 579 and doc["arithmetic"]["exceptions"] == []
    assert {r["rule"] for r in doc["arithmetic"]["rules"]} >= {"score_grid", "pillar_average", "criminality"}
    assert all(n == 0 for r in doc["arithmetic"]["rules"] for n in r["exceptions"].values())
    assert doc["countries"]["unmatched"] == [] and doc["problems"] == []


# --------------------------------------------------------------------------------------------
# Any header spelling, any order; a missing or unknown column named
# --------------------------------------------------------------------------------------------

def _spelled(kind: str, id_: str, k: int) -> str:
    """A heading in one of several spellings an official workbook could use."""
    if kind == "summary":
        base = taxonomy.SUMMARY_LABELS[id_]
        return [f"{base} avg.", f"{base.upper()} AVERAGE", f"{base.lower()} (avg)", f"{base} score"][k % 4]
    label = taxonomy.INDICATORS_BY_ID[id_].label
    return [label, label.upper(), label.replace(" and ", " & "), label.replace("-", " ").title()][k % 4]


def write_workbook(path: Path, sheets: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    intro = book.active
    intro.title = "2025_Global_OC_Index"
    intro["B1"] = "GLOBAL ORGANIZED CRIME INDEX - 2025"
    for name, (header, rows) in sheets.items():
        ws = book.create_sheet(name)
        ws.append(header)
        for r in rows:
            ws.append(r)
    book.save(path)


def _rows_for(year: int, countries: list[str], seed: int) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """(columns as (kind, id), one dict per country) with half-step scores and oracle averages."""
    rng = random.Random(seed)
    cols = [("meta", "Continent"), ("meta", "Region"), ("meta", "Country")]
    cols += [("summary", m) for m in ("criminality", "criminal_markets", "criminal_actors", "resilience")]
    cols += [("indicator", i) for ids in oracle.pillar_ids(year).values() for i in ids]
    recs = []
    for c in countries:
        scores = {i: rng.randrange(2, 21) / 2 for ids in oracle.pillar_ids(year).values() for i in ids}
        rec: dict[str, Any] = {"Continent": "Africa", "Region": "Central Africa", "Country": c, **scores}
        rec.update({m: float(v) for m, v in oracle.summary(scores, year).items()})
        recs.append(rec)
    return cols, recs


def _sheet(year: int, countries: list[str], seed: int, shuffle: bool = True,
           drop: str | None = None, extra: str | None = None) -> tuple[list[str], list[list[Any]]]:
    cols, recs = _rows_for(year, countries, seed)
    order = list(range(len(cols)))
    if shuffle:
        random.Random(seed).shuffle(order)
    header, keys = [], []
    for k in order:
        kind, id_ = cols[k]
        if id_ == drop:
            continue
        header.append(id_ if kind == "meta" else _spelled(kind, id_, k))
        keys.append(id_)
    rows = [[rec[key] for key in keys] for rec in recs]
    if extra:
        header.append(extra)
        for r in rows:
            r.append(1.0)
    return header, rows


def test_renamed_reordered_columns_read(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    write_workbook(path, {"2025_dataset": _sheet(2025, ["Mali", "Congo, Dem. Rep."], 1),
                          "Dataset 2023": _sheet(2023, ["Mali", "Congo, Dem, Rep,"], 2)})
    book = read_workbook(path)
    assert book.problems == [], book.problems
    assert book.editions == (2023, 2025)
    for year, seed in ((2025, 1), (2023, 2)):
        _, recs = _rows_for(year, ["Mali", "Congo"], seed)
        for rec, canon in zip(recs, ("Mali", "Congo, Dem. Rep."), strict=True):
            row = next(r for r in book.rows if r.edition == year and r.country == canon)
            assert row.scores == {i: Fraction(_dec(rec[i])) for ids in oracle.pillar_ids(year).values() for i in ids}
            assert {m: float(v) for m, v in row.summary.items()} == {
                m: rec[m] for m in ("criminality", "criminal_markets", "criminal_actors", "resilience")}
    # validated against it: a profile from its 2025 row has no error; the change comes from 'Dataset 2023'
    ref = load_reference(path)
    row, prev = ref.get("DRC", 2025), ref.get("Democratic Republic of the Congo", 2023)
    assert row is not None and prev is not None
    profile = profile_from_reference(row, prev)
    assert [f for f in validate(profile, reference=ref) if f.severity == "error"] == []
    ind = next(i for i in profile.indicators if i.change is not None)
    ind.change = ind.change + 0.5
    found = [f for f in check_reference(profile, ref) if f.rule == "reference"]
    assert [f.indicator for f in found] == [ind.id]
    assert "Dataset 2023 row" in found[0].message and "2025_dataset row" in found[0].message


@pytest.mark.parametrize("case", ["missing", "unknown", "text_cell", "two_sheets", "no_dataset"])
def test_a_bad_column_is_named(tmp_path: Path, case: str) -> None:
    path = tmp_path / f"{case}.xlsx"
    if case == "missing":
        write_workbook(path, {"2025_dataset": _sheet(2025, ["Mali"], 3, drop="cocaine_trade")})
        want = ["missing.xlsx", "2025_dataset", "Cocaine trade"]
    elif case == "unknown":
        write_workbook(path, {"2025_dataset": _sheet(2025, ["Mali"], 3, extra="Cyber crimes")})
        want = ["unknown.xlsx", "2025_dataset", "Cyber crimes"]
    elif case == "text_cell":
        header, rows = _sheet(2025, ["Mali"], 3)
        k = [_plain_id(h) for h in header].index("heroin_trade")
        rows[0][k] = "n/a"
        write_workbook(path, {"2025_dataset": (header, rows)})
        want = ["text_cell.xlsx", "2025_dataset", "row 2", header[k], "'n/a'"]
    elif case == "two_sheets":
        write_workbook(path, {"2025_dataset": _sheet(2025, ["Mali"], 3), "Dataset 2025": _sheet(2025, ["Mali"], 4)})
        want = ["two_sheets.xlsx", "2025_dataset", "Dataset 2025"]
    else:
        write_workbook(path, {"Sheet1": _sheet(2025, ["Mali"], 3)})
        want = ["no_dataset.xlsx", "Sheet1", "no dataset sheet"]
    with pytest.raises(ValueError) as exc:
        load_reference(path)
    msg = str(exc.value)
    assert "\n" not in msg
    for text in want:
        assert text in msg, (text, msg)
    res = CliRunner().invoke(main, ["reference", str(path)], terminal_width=200)
    assert res.exit_code == 1
    assert all(text in res.output for text in want[1:]), res.output
    for cmd in (["validate", str(tmp_path), "--reference", str(path)],
                ["extract", str(next((ROOT / "fixtures").glob("*.pdf"))), "--reference", str(path)]):
        res = CliRunner().invoke(main, cmd)
        assert res.exit_code == 2 and want[-1] in res.output and "Traceback" not in res.output, res.output


def test_an_unknown_country_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "names.xlsx"
    write_workbook(path, {"2025_dataset": _sheet(2025, ["Mali", "Atlantis"], 5)})
    book = read_workbook(path)
    assert [r.printed_country for r in book.unmatched] == ["Atlantis"]
    res = CliRunner().invoke(main, ["reference", str(path)], terminal_width=200)
    assert res.exit_code == 1 and "unknown country 'Atlantis'" in res.output
    ref = load_reference(path)
    mali = ref.get("Mali", 2025)
    assert mali is not None
    profile = profile_from_reference(mali)
    profile.country = "Niger"
    found = check_reference(profile, ref)
    assert [(f.rule, f.severity) for f in found] == [("reference_missing", "warning")]
    assert "'Atlantis'" in found[0].message and "2025_dataset" in found[0].message


# --------------------------------------------------------------------------------------------
# The 2025 edition: profiles from every row of the 2025 sheet, checked against it
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def from_2025_sheet(reference_2025_xlsx: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from octa import synth

    out = tmp_path_factory.mktemp("from2025")
    synth._setup_fonts()
    return synth._generate_from_dataset(193, 11, out, reference_2025_xlsx, editions=(2025,))


def test_profiles_from_every_2025_row_validate_clean(from_2025_sheet: list[Path], reference_2025_xlsx: Path) -> None:
    _, now = raw_sheet(reference_2025_xlsx, "2025_dataset")
    _, before = raw_sheet(reference_2025_xlsx, "2023_dataset")
    canon = {taxonomy.canonical_country(c): c for c in now}
    prev_printed = {taxonomy.canonical_country(c): c for c in before}
    truths = [Profile.model_validate_json(p.with_suffix(".truth.json").read_text(encoding="utf-8"))
              for p in from_2025_sheet]
    assert sorted(t.country for t in truths) == sorted(canon)  # every row, once
    for t in truths:
        assert (t.family, t.year) == ("global", 2025)
        cells, prev = now[canon[t.country]], before[prev_printed[t.country]]
        assert {i.id: Fraction(_dec(i.score)) for i in t.indicators} == {
            k: Fraction(_dec(v)) for k, v in _scores(cells, 2025).items()}
        for ind in t.indicators:  # changes against the 2023 sheet
            want = oracle.indicator_change(_dec(cells[ind.id]), _dec(prev[ind.id]))
            assert ind.change is not None and _dec(ind.change) == want, (t.country, ind.id)
        changes = oracle.summary_changes(_scores(cells, 2025), 2025, _scores(prev, 2023), 2023)
        for s in t.summary_scores:
            assert _dec(s.score) == _dec(cells[s.metric]) and _dec(s.change) == changes[s.metric], (t.country, s)
    folder = from_2025_sheet[0].parent
    res = CliRunner().invoke(main, ["validate", "--json", str(folder), "--reference", str(reference_2025_xlsx)])
    assert res.exit_code == 0, res.output[-2000:]
    doc = json.loads(res.output)
    assert doc["profiles"] == 193 and doc["errors"] == 0
    assert not [f for r in doc["files"] for f in r["findings"] if f["rule"].startswith("reference")]
    assert not [f for r in doc["files"] for f in r["findings"] if f["rule"] == "rank"]  # every printed rank agrees
    # the ranks read from the PDFs are confirmed by the workbook (each as the cells rank it, computed here)
    from octa.pipeline import extract

    ref = load_reference(reference_2025_xlsx)
    for pdf in from_2025_sheet[:8]:
        got = extract(pdf, reference=ref)
        want = _all_ranks(now, canon[got.country])
        assert sorted((r.metric, r.scope, r.rank, r.of) for r in got.ranks) == sorted(
            (r.metric, r.scope, r.rank, r.of) for r in want), pdf.name
        assert [(r.status, r.confirmed_by) for r in got.ranks] == [("ok", ["reference"])] * 6, pdf.name


@pytest.mark.slow
def test_one_printed_value_changed_in_30_is_located_with_the_reference(
        from_2025_sheet: list[Path], reference_2025_xlsx: Path, tmp_path: Path) -> None:
    mutation = mutation_module()
    ref = load_reference(reference_2025_xlsx)
    _, now = raw_sheet(reference_2025_xlsx, "2025_dataset")
    _, before = raw_sheet(reference_2025_xlsx, "2023_dataset")
    rng = random.Random(16)
    used: Counter[str] = Counter()
    outcomes = [mutation.trial(pdf, k, rng, used, workdir=tmp_path, reference=ref)
                for k, pdf in enumerate(from_2025_sheet[:30])]
    assert {k: n for k, n in used.items()} == {"score": 10, "average": 10, "change": 10}
    for o in outcomes:
        m = o.mutation
        assert m is not None and o.clean_errors == [], (o.file, o.clean_errors)
        assert [f for f in o.findings if f.startswith("reference")] == [f"reference:{m.target}"], (o.file, o.findings)
        msg = next(t for t in o.messages if " extracted " in t and "reference " in t)
        country = Profile.model_validate_json(
            (from_2025_sheet[0].parent / o.file).with_suffix(".truth.json").read_text(encoding="utf-8")).country
        cells = now[next(c for c in now if taxonomy.canonical_country(c) == country)]
        if m.kind == "score":
            want = fmt(cells[m.target])
        elif m.kind == "average":
            want = fmt(cells[m.target], 2)
        else:
            prev = before[next(c for c in before if taxonomy.canonical_country(c) == country)]
            want = fmt(_dec(cells[m.target]) - _dec(prev[m.target]))
        assert f"{country} 2025: {m.target}" in msg and f"reference {want}" in msg, msg
        assert "global_oc_index_2025.xlsx, 2025_dataset row " in msg, msg


def test_global_2025_with_the_older_workbook_says_there_is_no_sheet(reference_xlsx: Path,
                                                                     reference_2025_xlsx: Path) -> None:
    new = load_reference(reference_2025_xlsx)
    row = new.get("Mali", 2025)
    assert row is not None
    profile = profile_from_reference(row, new.get("Mali", 2023))
    found = check_reference(profile, load_reference(reference_xlsx))
    assert [(f.rule, f.severity) for f in found] == [("reference_missing", "warning")]
    assert "no sheet for the 2025 edition" in found[0].message and "global_oc_index.xlsx" in found[0].message


# --------------------------------------------------------------------------------------------
# ENACT profiles against the sheet of their year
# --------------------------------------------------------------------------------------------

def test_enact_profile_checked_against_its_years_sheet(reference_2025_xlsx: Path) -> None:
    ref = load_reference(reference_2025_xlsx)
    row, prev = ref.get("Mali", 2025), ref.get("Mali", 2023)
    assert row is not None and prev is not None
    enact = profile_from_reference(row, prev, family="enact")
    assert [f for f in validate(enact, reference=ref) if f.severity == "error" or f.rule.startswith("reference")] == []
    ind = enact.indicator("international_cooperation")
    assert ind is not None and ind.score is not None
    ind.score += 1.0
    found = [f for f in check_reference(enact, ref) if f.rule == "reference"]
    assert [(f.severity, f.indicator) for f in found] == [("error", "international_cooperation")]
    assert "2025_dataset" in found[0].message
    # ENACT 2019 has no sheet in any workbook: a warning says so
    old = profile_from_reference(ref.get("Mali", 2021), family="enact")  # type: ignore[arg-type]
    old.year = 2019
    found = check_reference(old, ref)
    assert [(f.rule, f.severity) for f in found] == [("reference_missing", "warning")]
    assert "no sheet for the 2019 edition" in found[0].message


def test_real_mali_enact_2025_resilience_equals_the_2025_sheet(mali_text: Path, reference_2025_xlsx: Path) -> None:
    from octa.pipeline import extract

    _, now = raw_sheet(reference_2025_xlsx, "2025_dataset")
    profile = extract(mali_text, reference=load_reference(reference_2025_xlsx))
    assert (profile.family, profile.year) == ("enact", 2025)
    resilience = {i.id for i in taxonomy.indicators_for(2025, "resilience")} | {"resilience"}
    checked = [i for i in profile.indicators if i.id in resilience and (i.score is not None or i.inferred_score)]
    assert len(checked) == 12
    for ind in checked:
        assert _dec(ind.score if ind.score is not None else ind.inferred_score) == _dec(now["Mali"][ind.id]), ind.id
    assert not [f for f in profile.validation if f.rule.startswith("reference") and f.indicator in resilience]


# --------------------------------------------------------------------------------------------
# Checks at the printed precision, and ranks, with the 2025 workbook (issue 25 §6). The profiles
# are built here from the sheet's cells (openpyxl) with tests/oracle.py; the ranks are computed
# here: one more than the number of countries of the scope with a higher score (ties share a rank).
# --------------------------------------------------------------------------------------------

def _round_places(x: Decimal, places: int) -> Decimal:
    from decimal import ROUND_HALF_UP

    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _exact_changes(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Decimal]:
    """The unrounded summary changes 2023 → 2025 of one country's cells."""
    a, b = oracle.unrounded(_scores(now, 2025), 2025), oracle.unrounded(_scores(before, 2023), 2023)
    return {m: a[m] - b[m] for m in a}


def _sheet_rank(sheet: dict[str, dict[str, Any]], country: str, metric: str, scope: str) -> tuple[int, int, str]:
    """(rank, of, area) of ``country`` by ``metric`` within ``scope``, from the cells."""
    mine = sheet[country]
    if scope == "global":
        members, area = list(sheet.values()), "countries"
    else:
        members = [c for c in sheet.values() if c[scope] == mine[scope]]
        area = mine[scope]
    return 1 + sum(1 for c in members if _dec(c[metric]) > _dec(mine[metric])), len(members), area


def _hand_profile(now: dict[str, Any], before: dict[str, Any], country: str, change_places: int = 2,
                  ranks: list[Rank] | None = None) -> Profile:
    """A global 2025 profile printing ``now``'s cells, its changes against ``before`` (summary changes
    rounded to ``change_places`` decimals and printed so), and ``ranks``."""
    exact = _exact_changes(now, before)
    indicators = []
    for ind in taxonomy.indicators_for(2025):
        change = _dec(now[ind.id]) - _dec(before[ind.id])
        indicators.append(Indicator(id=ind.id, label=ind.label, pillar=ind.pillar, group=ind.group,
                                    score=float(now[ind.id]), change=float(change), change_printed=f"{change:+.1f}"))
    summary_scores = []
    for m in ("criminality", "criminal_markets", "criminal_actors", "resilience"):
        ch = _round_places(exact[m], change_places)
        summary_scores.append(SummaryScore(metric=m, score=float(now[m]), change=float(ch),  # type: ignore[arg-type]
                                           change_printed=f"{ch:+.{change_places}f}"))
    return Profile(source=Source(file=f"{country}.pdf", sha256="0" * 64, pages=4, engine="pymupdf"),
                   family="global", country=country, year=2025,
                   summary=Summary(**{s.metric: s.score for s in summary_scores}), summary_scores=summary_scores,
                   ranks=ranks or [], indicators=indicators)


def _all_ranks(sheet: dict[str, dict[str, Any]], country: str) -> list[Rank]:
    return [Rank(metric=metric, scope=scope, rank=r, of=n, area=area)  # type: ignore[arg-type]
            for metric in ("criminality", "resilience") for scope in ("global", "continent", "region")
            for r, n, area in [_sheet_rank(sheet, country, metric, scope)]]


def test_a_summary_change_printed_with_one_decimal_agrees_with_the_workbook(reference_2025_xlsx: Path) -> None:
    ref = load_reference(reference_2025_xlsx)
    _, now = raw_sheet(reference_2025_xlsx, "2025_dataset")
    _, before = raw_sheet(reference_2025_xlsx, "2023_dataset")
    # the first country (sheet order) with a summary change like 0.0667: 0.1 at one decimal, 0.07 at two
    country, metric = next((c, m) for c in now if c in before for m, x in _exact_changes(now[c], before[c]).items()
                           if _round_places(x, 1) != _round_places(x, 2))
    one = _round_places(_exact_changes(now[country], before[country])[metric], 1)
    profile = _hand_profile(now[country], before[country], country, change_places=1)
    assert [f for f in validate(profile, reference=ref) if f.severity == "error"] == []
    ss = next(s for s in profile.summary_scores if s.metric == metric)
    assert ss.change_printed == f"{one:+.1f}"
    ss.change_printed = f"{one:.2f}"  # the same value claiming two decimals: wrong at its precision
    found = [f for f in validate(profile, reference=ref) if f.severity == "error"]
    assert [(f.rule, f.indicator) for f in found] == [("summary_change", metric)]
    assert f"{one:.2f}" in found[0].message


def test_30_profiles_with_one_decimal_summary_changes_have_no_errors(reference_2025_xlsx: Path) -> None:
    # issue 25: 7 of 30 clean profiles whose summary changes print one decimal got an error
    ref = load_reference(reference_2025_xlsx)
    _, now = raw_sheet(reference_2025_xlsx, "2025_dataset")
    _, before = raw_sheet(reference_2025_xlsx, "2023_dataset")
    countries = random.Random(25).sample(sorted(c for c in now if c in before), 30)
    differ = 0
    for country in countries:
        exact = _exact_changes(now[country], before[country])
        differ += any(_round_places(x, 1) != _round_places(x, 2) for x in exact.values())
        profile = _hand_profile(now[country], before[country], country, 1, _all_ranks(now, country))
        checked = validated(profile, reference=ref)
        assert [f for f in checked.validation if f.severity == "error"] == [], country
        assert [(r.status, r.confirmed_by) for r in checked.ranks] == [("ok", ["reference"])] * 6, country
    assert differ >= 5  # so that a check at two decimals would fail on these


def test_ranks_confirmed_or_contradicted_by_the_workbook(reference_2025_xlsx: Path) -> None:
    ref = load_reference(reference_2025_xlsx)
    _, now = raw_sheet(reference_2025_xlsx, "2025_dataset")
    _, before = raw_sheet(reference_2025_xlsx, "2023_dataset")
    # Mali 2025 as DOMAIN.md §1 prints it: criminality 43rd of 193, 12th of 54 in Africa, 2nd of 15
    # in West Africa (the highest score ranks 1st); resilience from the cells
    ranks = [Rank(metric="criminality", scope="global", rank=43, of=193, area="countries"),
             Rank(metric="criminality", scope="continent", rank=12, of=54, area="Africa"),
             Rank(metric="criminality", scope="region", rank=2, of=15, area="West Africa"),
             *[r for r in _all_ranks(now, "Mali") if r.metric == "resilience"]]
    profile = _hand_profile(now["Mali"], before["Mali"], "Mali", ranks=ranks)
    checked = validated(profile, reference=ref)
    assert [(r.status, r.confirmed_by) for r in checked.ranks] == [("ok", ["reference"])] * 6
    assert [f for f in checked.validation if f.rule == "rank"] == []
    # without a reference nothing confirms a rank
    assert {(r.status, r.confirmed_by) for r in validated(profile).ranks} == {("unconfirmed", None)}
    # a wrong rank, a wrong number of countries: errors naming metric, scope, both ranks and the sheet
    profile.ranks[2] = Rank(metric="criminality", scope="region", rank=3, of=15, area="West Africa")
    profile.ranks[4] = ranks[4].model_copy(update={"of": ranks[4].of + 1})
    checked = validated(profile, reference=ref)
    found = [f for f in checked.validation if f.rule == "rank"]
    assert [(f.severity, f.indicator) for f in found] == [("error", "criminality"), ("error", "resilience")]
    assert "criminality region rank printed 3 of 15" in found[0].message and "computed 2 of 15" in found[0].message
    assert "2025_dataset" in found[0].message and "global_oc_index_2025.xlsx" in found[0].message
    r4 = ranks[4]
    assert f"resilience continent rank printed {r4.rank} of {r4.of + 1}" in found[1].message
    assert f"computed {r4.rank} of {r4.of}" in found[1].message
    assert [r.status for r in checked.ranks] == ["ok", "ok", "unconfirmed", "ok", "unconfirmed", "ok"]
    # an area that is not the country's: a finding, and the rank stays unconfirmed
    profile.ranks[2] = Rank(metric="criminality", scope="region", rank=2, of=15, area="East Africa")
    checked = validated(profile, reference=ref)
    found = [f for f in checked.validation if f.rule == "rank" and f.severity == "warning"]
    assert len(found) == 1 and "'East Africa'" in found[0].message and "'West Africa'" in found[0].message
    assert checked.ranks[2].status == "unconfirmed"


def test_tied_scores_share_a_rank(reference_2025_xlsx: Path) -> None:
    ref = load_reference(reference_2025_xlsx)
    _, now = raw_sheet(reference_2025_xlsx, "2025_dataset")
    _, before = raw_sheet(reference_2025_xlsx, "2023_dataset")
    # the highest resilience score that two countries share (2025: Finland and Liechtenstein, 8.42)
    counts = Counter(_dec(c["resilience"]) for c in now.values())
    top = max(v for v, n in counts.items() if n >= 2)
    tied = sorted(c for c in now if _dec(now[c]["resilience"]) == top and c in before)[:2]
    assert len(tied) == 2
    shared = 1 + sum(1 for c in now.values() if _dec(c["resilience"]) > top)
    for country in tied:
        ranks = [Rank(metric="resilience", scope="global", rank=shared, of=len(now), area="countries")]
        checked = validated(_hand_profile(now[country], before[country], country, ranks=ranks), reference=ref)
        assert (checked.ranks[0].status, checked.ranks[0].confirmed_by) == ("ok", ["reference"]), country
    # the second of the tied countries printed one place lower (ordinal ranking): contradicted
    ranks = [Rank(metric="resilience", scope="global", rank=shared + 1, of=len(now), area="countries")]
    checked = validated(_hand_profile(now[tied[1]], before[tied[1]], tied[1], ranks=ranks), reference=ref)
    assert checked.ranks[0].status == "unconfirmed"
    assert [(f.rule, f.severity) for f in checked.validation if f.rule == "rank"] == [("rank", "error")]
