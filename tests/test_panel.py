"""The panel (issue 26): country codes, the change check across editions, duplicates, determinism,
the review's country pages, the command line.

Expected values never come from octa: ISO codes are written here by hand, the panel's scores and
changes are compared with the official workbook's cells read here with openpyxl (never with
``octa.dataset``), summary changes with ``tests/oracle.py`` (a separate decimal implementation).
The tests that read ``../shared`` use the conftest fixtures and belong to the ``shared`` group;
the others run on the bundled fixtures.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from octa.cli import main
from octa.model import Profile
from octa.panel import build, change_agrees, printed_decimals, write
from octa.taxonomy.countries import iso3
from tests import oracle
from tests.conftest import FIXTURES

# --------------------------------------------------------------------------------------------
# Country codes (no ../shared needed)
# --------------------------------------------------------------------------------------------

#: Spellings the index and its workbooks use, with their codes, written by hand (ISO 3166-1).
SPELLINGS = [
    ("Congo, Dem. Rep.", "COD"), ("Congo, Dem, Rep,", "COD"), ("Democratic Republic of the Congo", "COD"),
    ("Congo, Rep.", "COG"), ("Côte d'Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"), ("Türkiye", "TUR"),
    ("Turkey", "TUR"), ("eSwatini", "SWZ"), ("Eswatini", "SWZ"), ("St. Lucia", "LCA"), ("St, Lucia", "LCA"),
    ("St. Kitts and Nevis", "KNA"), ("Korea, DPR", "PRK"), ("Korea, Rep.", "KOR"), ("Niger", "NER"),
    ("Nigeria", "NGA"), ("Kenya", "KEN"), ("Russia", "RUS"), ("Brunei", "BRN"),
    ("Micronesia (Federated States of)", "FSM"), ("Kosovo", "XKX"), ("Dominica", "DMA"),
    ("Dominican Republic", "DOM"), ("Guinea", "GIN"), ("Guinea-Bissau", "GNB"), ("Equatorial Guinea", "GNQ"),
]

#: The 54 countries of the ENACT index as its profiles name them, with their codes (by hand).
ENACT_NAMES = [
    ("Algeria", "DZA"), ("Angola", "AGO"), ("Benin", "BEN"), ("Botswana", "BWA"), ("Burkina Faso", "BFA"),
    ("Burundi", "BDI"), ("Cabo Verde", "CPV"), ("Cameroon", "CMR"), ("Central African Republic", "CAF"),
    ("Chad", "TCD"), ("Comoros", "COM"), ("Republic of the Congo", "COG"), ("Côte d'Ivoire", "CIV"),
    ("DR Congo", "COD"), ("Djibouti", "DJI"), ("Egypt", "EGY"), ("Equatorial Guinea", "GNQ"), ("Eritrea", "ERI"),
    ("eSwatini", "SWZ"), ("Ethiopia", "ETH"), ("Gabon", "GAB"), ("Gambia", "GMB"), ("Ghana", "GHA"),
    ("Guinea", "GIN"), ("Guinea-Bissau", "GNB"), ("Kenya", "KEN"), ("Lesotho", "LSO"), ("Liberia", "LBR"),
    ("Libya", "LBY"), ("Madagascar", "MDG"), ("Malawi", "MWI"), ("Mali", "MLI"), ("Mauritania", "MRT"),
    ("Mauritius", "MUS"), ("Morocco", "MAR"), ("Mozambique", "MOZ"), ("Namibia", "NAM"), ("Niger", "NER"),
    ("Nigeria", "NGA"), ("Rwanda", "RWA"), ("São Tomé and Príncipe", "STP"), ("Senegal", "SEN"),
    ("Seychelles", "SYC"), ("Sierra Leone", "SLE"), ("Somalia", "SOM"), ("South Africa", "ZAF"),
    ("South Sudan", "SSD"), ("Sudan", "SDN"), ("Tanzania", "TZA"), ("Togo", "TGO"), ("Tunisia", "TUN"),
    ("Uganda", "UGA"), ("Zambia", "ZMB"), ("Zimbabwe", "ZWE"),
]


@pytest.mark.parametrize(("name", "code"), SPELLINGS + ENACT_NAMES)
def test_index_spellings_map_to_their_iso_code(name: str, code: str) -> None:
    assert iso3(name) == code


def test_enact_names_are_54_distinct_countries() -> None:
    assert len(ENACT_NAMES) == 54
    assert len({iso3(n) for n, _ in ENACT_NAMES}) == 54


@pytest.mark.parametrize("name", ["Atlantis", "Sealand", "Congo Republic of Atlantis", "", "KEN", "Ken ya land"])
def test_unknown_name_has_no_code(name: str) -> None:
    assert iso3(name) is None


def test_profile_carries_its_code_and_json_schema_has_it() -> None:
    src = {"file": "x.pdf", "sha256": "0" * 64, "pages": 1, "engine": "text"}
    assert Profile.model_validate({"source": src, "country": "St, Lucia"}).iso3 == "LCA"
    assert Profile.model_validate({"source": src, "country": "Atlantis"}).iso3 is None
    p = Profile.model_validate({"source": src, "country": "Türkiye"})
    assert json.loads(p.to_json())["iso3"] == "TUR"
    schema = json.loads((FIXTURES.parent / "schema" / "profile.schema.json").read_text(encoding="utf-8"))
    assert "iso3" in schema["properties"]


# --------------------------------------------------------------------------------------------
# The change check's arithmetic (hand-worked cases)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("printed", "text", "computed", "agrees"), [
    (0.1, "+0.1", Fraction(1, 15), True),       # 0.0667 printed at one decimal
    (0.1, "0.10", Fraction(1, 15), False),      # … and at two it is 0.07
    (0.07, "0.07", Fraction(1, 15), True),
    # Mali ENACT 2025 resilience: 25/12 against 28.5/12 = -0.2917: -0.29, not the -0.30 of the rounded values
    (-0.29, "-0.29", Fraction(25, 12) - Fraction(57, 24), True),
    (-0.3, "-0.30", Fraction(25, 12) - Fraction(57, 24), False),
    (-0.3, "-0.3", Fraction(25, 12) - Fraction(57, 24), True),
    (0.5, "0.50", Fraction(1, 2), True),
    (1.0, "1.00", Fraction(1, 2), False),       # one step off
    (-0.5, "0.5", Fraction(-1, 2), True),       # direction from the icon: the value carries the sign
    (0.005, None, Fraction(1, 200), True),      # no printed text: two decimals
])
def test_change_agrees_at_the_printed_precision(printed: float, text: str | None, computed: Fraction,
                                                agrees: bool) -> None:
    assert change_agrees(printed, text, computed) is agrees


@pytest.mark.parametrize(("text", "places"), [("+0.1", 1), ("-0.50", 2), ("1", 0), ("0,5", 1), ("≥1.0", 1),
                                              (None, 2), ("n/a", 2)])
def test_printed_decimals(text: str | None, places: int) -> None:
    assert printed_decimals(text) == places


# --------------------------------------------------------------------------------------------
# Panels of hand-made profile JSON (from the bundled fixtures' truths)
# --------------------------------------------------------------------------------------------

def _fixture(stem_part: str) -> dict:
    path = next(FIXTURES.glob(f"*{stem_part}*.truth.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def _save(folder: Path, name: str, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _next_edition(prev: dict, file: str, sha: str) -> dict:
    """The same country's next edition, by hand: every indicator score as before (change 0.0),
    summary changes not printed."""
    nxt = json.loads(json.dumps(prev))
    nxt["year"] = 2025
    nxt["source"] = {**prev["source"], "file": file, "sha256": sha}
    for ind in nxt["indicators"]:
        ind["change"], ind["change_printed"] = 0.0, "0.0"
    for s in nxt["summary_scores"]:
        s["change"], s["change_printed"] = None, None
    return nxt


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_panel_of_the_bundled_fixtures(tmp_path: Path) -> None:
    files = sorted(FIXTURES.glob("*.truth.json"))
    panel = build(files)
    assert len(panel.items) == 10
    # countries of the fixtures, by hand
    assert {it.profile.country: it.iso3 for it in panel.items} == {
        "Morocco": "MAR", "Burundi": "BDI", "Madagascar": "MDG", "Kenya": "KEN", "Burkina Faso": "BFA",
        "Cabo Verde": "CPV", "Argentina": "ARG", "Turkmenistan": "TKM", "Congo, Rep.": "COG",
        "Trinidad and Tobago": "TTO"}
    # rows: 4 summary metrics + 10+4+12 indicators in 2019/2021, + 15+5+12 in 2023/2025 (DOMAIN §2)
    assert len(panel.long) == 4 * 30 + 6 * 36
    # no country has two editions here: every edition printing changes says so, once
    no_prev = [f for f in panel.findings if f["rule"] == "no_previous"]
    assert sorted((f["iso3"], f["edition"]) for f in no_prev) == [
        ("ARG", 2023), ("BDI", 2021), ("COG", 2025), ("KEN", 2025), ("MDG", 2023), ("TKM", 2023), ("TTO", 2025)]
    assert panel.errors == 0
    checks = {(r["iso3"], r["change_check"]) for r in panel.long}
    assert ("MAR", "first_edition") in checks and ("CPV", "first_edition") in checks
    assert not any(r["change_check"] in ("ok", "mismatch") for r in panel.long)
    write(panel, tmp_path / "out")
    for name in ("panel_long.csv", "panel_wide.csv", "panel_sections.csv", "panel_families.csv",
                 "panel_findings.csv"):
        assert (tmp_path / "out" / name).is_file()
    wide = _csv(tmp_path / "out" / "panel_wide.csv")
    kenya = next(r for r in wide if r["iso3"] == "KEN" and r["indicator"] == "human_trafficking")
    truth = next(i for i in _fixture("kenya")["indicators"] if i["id"] == "human_trafficking")
    assert Decimal(kenya["score_2025"]) == Decimal(str(truth["score"])) and kenya["score_2023"] == ""


def test_change_checked_against_the_previous_profile_and_mutation_found(tmp_path: Path) -> None:
    prev = _fixture("enact_2023_madagascar")
    nxt = _next_edition(prev, "madagascar_2025.pdf", "a" * 64)
    _save(tmp_path / "a", "prev.json", prev)
    _save(tmp_path / "a", "next.json", nxt)
    clean = build([tmp_path / "a"])
    assert clean.errors == 0
    rows = [r for r in clean.long if r["edition"] == 2025 and r["indicator"] == "cocaine_trade"]
    assert [r["change_check"] for r in rows] == ["ok"]
    assert rows[0]["previous_file"] == prev["source"]["file"]
    # the summary changes are not printed: not read, never ok
    assert {r["change_check"] for r in clean.long if r["edition"] == 2025 and r["pillar"] == r["indicator"]} \
        == {"not_read"}
    # one step: 0.0 printed 0.5
    for ind in nxt["indicators"]:
        if ind["id"] == "cocaine_trade":
            ind["change"], ind["change_printed"] = 0.5, "0.5"
    _save(tmp_path / "a", "next.json", nxt)
    bad = build([tmp_path / "a"])
    errors = [f for f in bad.findings if f["severity"] == "error"]
    assert len(errors) == 1
    f = errors[0]
    assert (f["rule"], f["indicator"], f["iso3"], f["edition"]) == ("change_mismatch", "cocaine_trade", "MDG", 2025)
    assert "madagascar_2025.pdf" in f["message"] and prev["source"]["file"] in f["message"]
    assert f["files"] == ";".join(sorted(["madagascar_2025.pdf", prev["source"]["file"]]))
    assert [r["change_check"] for r in bad.long if r["edition"] == 2025 and r["indicator"] == "cocaine_trade"] \
        == ["mismatch"]


def test_duplicates_counted_once_and_conflicting_editions_kept_and_flagged(tmp_path: Path) -> None:
    kenya = _fixture("kenya")
    copy = json.loads(json.dumps(kenya))
    copy["source"]["file"] = "kenya (1).pdf"  # a second download of the same PDF: same sha256
    other = json.loads(json.dumps(kenya))
    other["source"] = {**kenya["source"], "file": "kenya_reprint.pdf", "sha256": "b" * 64}
    _save(tmp_path / "in", "k1.json", kenya)
    _save(tmp_path / "in", "k2.json", copy)
    _save(tmp_path / "in", "k3.json", other)
    panel = build([tmp_path / "in"])
    assert sorted(it.file for it in panel.items) == sorted([kenya["source"]["file"], "kenya_reprint.pdf"])
    dup = [f for f in panel.findings if f["rule"] == "duplicate_input"]
    assert len(dup) == 1 and "kenya (1).pdf" in dup[0]["files"] and kenya["source"]["file"] in dup[0]["files"]
    conflict = [f for f in panel.findings if f["rule"] == "conflicting_edition"]
    assert len(conflict) == 1 and "kenya_reprint.pdf" in conflict[0]["files"]
    n_rows = 4 + 32
    assert len(panel.long) == 2 * n_rows  # both sources kept, the duplicate not counted


def test_unknown_country_is_a_finding(tmp_path: Path) -> None:
    data = _fixture("argentina")
    data["country"] = "Atlantis"
    data.pop("iso3", None)
    _save(tmp_path / "in", "x.json", data)
    panel = build([tmp_path / "in"])
    f = [f for f in panel.findings if f["rule"] == "country_code"]
    assert len(f) == 1 and "Atlantis" in f[0]["message"] and f[0]["severity"] == "error"
    assert all(r["iso3"] is None for r in panel.long)
    # two profiles whose country was not read at all are not taken for one country
    for k in (1, 2):
        data["country"] = None
        data["source"] = {**data["source"], "file": f"unnamed{k}.pdf", "sha256": str(k) * 64}
        _save(tmp_path / "unnamed", f"u{k}.json", data)
    unnamed = build([tmp_path / "unnamed"])
    assert len(unnamed.items) == 2 and not [f for f in unnamed.findings if f["rule"] == "conflicting_edition"]


def test_two_families_of_one_year_compared(tmp_path: Path) -> None:
    enact = _fixture("kenya")
    glob = json.loads(json.dumps(enact))
    glob["family"] = "global"
    glob["source"] = {**enact["source"], "file": "global_kenya_2025.pdf", "sha256": "c" * 64}
    for ind in glob["indicators"]:
        if ind["id"] == "arms_trafficking":
            ind["score"] = 1.0 if ind["score"] != 1.0 else 1.5
    _save(tmp_path / "in", "e.json", enact)
    _save(tmp_path / "in", "g.json", glob)
    panel = build([tmp_path / "in"])
    differ = [r["indicator"] for r in panel.families if r["agree"] == "false"]
    assert differ == ["arms_trafficking"]
    assert len(panel.families) == 4 + 32
    assert {r["family_a"] for r in panel.families} == {"enact"}


def test_split_folders_give_the_same_bytes(tmp_path: Path) -> None:
    files = sorted(FIXTURES.glob("*.truth.json"))
    for name in ("one", "two", "all"):
        (tmp_path / name).mkdir()
    for k, f in enumerate(files):
        shutil.copy(f, tmp_path / ("one" if k % 3 else "two") / f.name)
        shutil.copy(f, tmp_path / "all" / f.name)
    write(build([tmp_path / "two", tmp_path / "one"]), tmp_path / "p2")
    write(build([tmp_path / "all"]), tmp_path / "p1")
    for name in ("panel_long.csv", "panel_wide.csv", "panel_sections.csv", "panel_families.csv",
                 "panel_findings.csv"):
        assert (tmp_path / "p1" / name).read_bytes() == (tmp_path / "p2" / name).read_bytes(), name


def test_python_api_long_frame(tmp_path: Path) -> None:
    import octa

    df = octa.panel(sorted(FIXTURES.glob("*.truth.json")))
    assert list(df.index.names) == ["iso3", "family", "edition", "indicator"]
    truth = next(i for i in _fixture("kenya")["indicators"] if i["id"] == "human_trafficking")
    assert df.loc[("KEN", "enact", 2025, "human_trafficking"), "score"] == truth["score"]


def test_review_country_pages_are_self_contained(tmp_path: Path) -> None:
    from octa.review import write_review

    prev = _fixture("enact_2023_madagascar")
    nxt = _next_edition(prev, "madagascar_2025.pdf", "a" * 64)
    for ind in nxt["indicators"]:
        if ind["id"] == "cocaine_trade":
            ind["change"], ind["change_printed"] = 0.5, "0.5"
    _save(tmp_path / "out" / "profiles", "prev.json", prev)
    _save(tmp_path / "out" / "profiles", "next.json", nxt)
    index = write_review(tmp_path / "out")
    assert "countries/MDG.html" in index.read_text(encoding="utf-8")
    html = (tmp_path / "out" / "review" / "countries" / "MDG.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 4 + 32  # each summary score and indicator of the family
    # self-contained: no external URL, script, style sheet, image or font
    assert not re.search(r"(src|href)=\"(https?:|//)", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html and "url(" not in html
    # each point links to the profile's page; the one failed check is marked
    assert 'href="../next.html#row-cocaine_trade"' in html
    assert html.count('class="mismatch"') == 1
    assert re.search(r'<svg class="sm failed"[^>]*aria-label="Cocaine trade"', html)


def test_cli_panel_help_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["panel", "--help"])
    assert res.exit_code == 0
    for word in ("panel_long.csv", "panel_wide.csv", "panel_sections.csv", "panel_findings.csv", "similarity",
                 "--reference", "change_check"):
        assert word in res.output
    assert runner.invoke(main, ["panel", str(tmp_path / "nope"), "-o", str(tmp_path / "o")]).exit_code == 2
    prev = _fixture("enact_2023_madagascar")
    nxt = _next_edition(prev, "madagascar_2025.pdf", "a" * 64)
    _save(tmp_path / "in", "prev.json", prev)
    _save(tmp_path / "in", "next.json", nxt)
    assert runner.invoke(main, ["panel", str(tmp_path / "in"), "-o", str(tmp_path / "o")]).exit_code == 0
    nxt["indicators"][0]["change"], nxt["indicators"][0]["change_printed"] = -0.5, "-0.5"
    _save(tmp_path / "in", "next.json", nxt)
    res = runner.invoke(main, ["panel", str(tmp_path / "in"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "change_mismatch" in (tmp_path / "o" / "panel_findings.csv").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Against the official workbook (../shared)
# --------------------------------------------------------------------------------------------

#: The countries of the dataset corpus, their codes (by hand) and a key that finds their row in
#: every sheet whatever its punctuation (``Congo, Dem. Rep.`` / ``Congo, Dem, Rep,``).
DATASET_COUNTRIES = {"COD": "congodemrep", "CIV": "cotedivoire", "LCA": "stlucia"}
YEARS = (2021, 2023, 2025)


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("ô", "o"))


def _header_id(header: str) -> str:
    """``Criminality avg.`` → ``criminality``, ``Cyber-dependent crimes`` → ``cyber_dependent_crimes``."""
    h = re.sub(r"\bavg\b", "", header.lower().replace("&", "and"))
    return re.sub(r"[^a-z0-9]+", "_", h).strip("_")


def _workbook(path: Path) -> dict[int, dict[str, dict[str, Decimal]]]:
    """edition → row key → column id → cell, read with openpyxl."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out: dict[int, dict[str, dict[str, Decimal]]] = {}
    names: dict[int, list[str]] = {}
    for ws in book.worksheets:
        m = re.match(r"(\d{4})_dataset$", ws.title)
        if not m:
            continue
        rows = list(ws.iter_rows(values_only=True))
        ids = [_header_id(str(h)) for h in rows[0]]
        year = int(m.group(1))
        out[year] = {}
        names[year] = []
        for r in rows[1:]:
            if not r[2]:
                continue
            names[year].append(str(r[2]))
            out[year][_key(str(r[2]))] = {i: Decimal(str(v)) for i, v in zip(ids, r, strict=False)
                                          if i not in ("continent", "region", "country") and v is not None}
    book.close()
    out[0] = {"names": names}  # type: ignore[dict-item]
    return out


@pytest.fixture(scope="module")
def dataset_batch(reference_2025_xlsx: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from octa.convert import run_batch
    from octa.synth import generate

    root = tmp_path_factory.mktemp("panel")
    pdfs = generate(9, 0, "global", root / "pdf", from_dataset=reference_2025_xlsx,
                    countries=["Congo, Dem. Rep.", "Côte d'Ivoire", "St. Lucia"])
    res = run_batch([root / "pdf"], root / "batch", workers=2, formats="csv", panel=True)
    assert res.exit_code == 0
    return root, pdfs, _workbook(reference_2025_xlsx)


def test_dataset_panel_equals_the_workbook(dataset_batch) -> None:  # type: ignore[no-untyped-def]
    root, _pdfs, book = dataset_batch
    long = _csv(root / "batch" / "panel_long.csv")
    assert {(r["iso3"], r["edition"]) for r in long} == {(c, str(y)) for c in DATASET_COUNTRIES for y in YEARS}
    checked = 0
    for r in long:
        year = int(r["edition"])
        cells = book[year][DATASET_COUNTRIES[r["iso3"]]]
        assert Decimal(r["score"]) == cells[r["indicator"]], r
        prev = book.get(year - 2, {}).get(DATASET_COUNTRIES[r["iso3"]])
        if year == 2021:
            assert r["change_check"] == "first_edition" and r["change"] == ""
            continue
        assert prev is not None
        if r["indicator"] in oracle.summary(cells, year):  # summary metric: oracle from the cells
            want = oracle.summary_changes(cells, year, prev, year - 2)[r["indicator"]]
        elif r["indicator"] not in prev:
            assert r["change_check"] == "new" and r["change"] == "" and r["change_computed"] == ""
            continue
        else:
            want = cells[r["indicator"]] - prev[r["indicator"]]
        assert Decimal(r["change"]) == want, r
        assert Decimal(r["change_computed"]) == want, r
        assert r["change_check"] == "ok", r
        checked += 1
    assert checked == 3 * (30 + 36)  # every 2023 and 2025 value but the six indicators new in 2023
    wide = _csv(root / "batch" / "panel_wide.csv")
    assert len(wide) == 3 * 36
    for r in wide:
        for y in YEARS:
            cells = book[y][DATASET_COUNTRIES[r["iso3"]]]
            got = r[f"score_{y}"]
            assert (Decimal(got) if got else None) == cells.get(r["indicator"]), (r, y)
    findings = _csv(root / "batch" / "panel_findings.csv")
    assert [f for f in findings if f["severity"] == "error"] == []
    sections = _csv(root / "batch" / "panel_sections.csv")
    assert {r["edition"] for r in sections} == {"2021", "2023", "2025"}
    sims = [float(r["similarity"]) for r in sections if r["similarity"]]
    assert sims and all(0 <= s <= 1 for s in sims)
    assert all(r["similarity"] == "" for r in sections if r["edition"] == "2021")


def test_dataset_panel_finds_a_change_altered_by_one_step(dataset_batch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _pdfs, _book = dataset_batch
    shutil.copytree(root / "batch" / "profiles", tmp_path / "profiles")
    target = next((tmp_path / "profiles").glob("global_2025_cote_divoire_*.json"))
    prev_file = next((root / "pdf").glob("global_2023_cote_divoire_*.pdf")).name
    data = json.loads(target.read_text(encoding="utf-8"))
    s = next(x for x in data["summary_scores"] if x["metric"] == "resilience")
    step = Decimal("0.01")
    s["change"] = float(Decimal(str(s["change"])) + step)
    s["change_printed"] = f"{Decimal(str(s['change'])):.2f}"
    target.write_text(json.dumps(data), encoding="utf-8")
    panel = build([tmp_path])
    errors = [f for f in panel.findings if f["severity"] == "error"]
    assert len(errors) == 1, errors
    f = errors[0]
    assert (f["rule"], f["indicator"], f["iso3"], f["edition"]) == ("change_mismatch", "resilience", "CIV", 2025)
    assert data["source"]["file"] in f["message"] and prev_file in f["message"]


def test_dataset_panel_with_the_reference_and_split_batches(dataset_batch, reference_2025_xlsx: Path,
                                                            tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from octa.convert import run_batch

    root, pdfs, _book = dataset_batch
    for k, pdf in enumerate(sorted(pdfs)):
        (tmp_path / f"in{k % 2}").mkdir(exist_ok=True)
        shutil.copy(pdf, tmp_path / f"in{k % 2}" / pdf.name)
    for k in (0, 1):
        assert run_batch([tmp_path / f"in{k}"], tmp_path / f"b{k}", workers=2, formats="csv").exit_code == 0
    write(build([tmp_path / "b1", tmp_path / "b0"]), tmp_path / "split")
    for name in ("panel_long.csv", "panel_wide.csv", "panel_sections.csv", "panel_families.csv",
                 "panel_findings.csv"):
        assert (tmp_path / "split" / name).read_bytes() == (root / "batch" / name).read_bytes(), name
    # against the workbook's previous sheets: every printed change agrees, and so do the two sources
    ref = build([root / "batch"], reference=reference_2025_xlsx)
    assert ref.errors == 0
    assert not [f for f in ref.findings if f["rule"] == "sources_disagree"]
    assert {r["reference_check"] for r in ref.long if r["edition"] != 2021} <= {"ok", "new"}
    assert sum(r["reference_check"] == "ok" for r in ref.long) == 3 * (30 + 36)


def test_every_workbook_name_maps_to_a_code(reference_2025_xlsx: Path) -> None:
    book = _workbook(reference_2025_xlsx)
    names = book[0]["names"]  # type: ignore[index]
    assert sorted(names) == [2021, 2023, 2025]
    for year, sheet in names.items():
        assert len(sheet) == 193, year
        codes = {n: iso3(n) for n in sheet}
        assert [n for n, c in codes.items() if c is None] == [], year
        assert len(set(codes.values())) == 193, year
    assert iso3("Congo, Dem, Rep,") == "COD" and iso3("St, Lucia") == "LCA"


def test_dataset_review_points_link_to_the_boxes(dataset_batch) -> None:  # type: ignore[no-untyped-def]
    from octa.review import write_review

    root, pdfs, _book = dataset_batch
    write_review(root / "batch")
    html = (root / "batch" / "review" / "countries" / "CIV.html").read_text(encoding="utf-8")
    stems = sorted(p.stem for p in pdfs if "cote_divoire" in p.name)
    assert len(stems) == 3
    for stem in stems:  # every edition's point links to the box of the value on its page image
        assert f'href="../{stem}.html#box-human_trafficking"' in html
        assert f'href="../{stem}.html#box-resilience"' in html
        page = (root / "batch" / "review" / f"{stem}.html").read_text(encoding="utf-8")
        assert 'id="box-human_trafficking"' in page
    assert "class=\"mismatch\"" not in html and not re.search(r"(src|href)=\"(https?:|//)", html)


def test_validator_reports_a_country_name_without_a_code() -> None:
    """The per-profile validation (validation.csv) says so too, and only for a name with no code."""
    from octa.validate import validated

    data = _fixture("argentina")
    data.pop("iso3", None)
    for name, expected in (("Atlantis", 1), ("Congo, Dem. Rep.", 0), ("Türkiye", 0)):
        profile = Profile.model_validate({**data, "country": name})
        found = [f for f in validated(profile).validation if f.rule == "country_code"]
        assert len(found) == expected, (name, found)
        if expected:
            assert "'Atlantis'" in found[0].message and found[0].severity == "warning"


def test_a_panel_written_without_parquet_leaves_no_stale_parquet(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder holding an earlier run's panel_long.parquet, written again where no Parquet can be
    made (pyarrow absent): the old file is removed, never left beside the new CSVs as if current."""
    import octa.panel as panel_mod

    out = tmp_path / "out"
    out.mkdir()
    (out / "panel_long.parquet").write_bytes(b"PAR1 an earlier run's panel PAR1")
    monkeypatch.setattr(panel_mod, "_parquet", lambda cols, rows: None)
    written = write(build(sorted(FIXTURES.glob("*.truth.json"))), out)
    assert not (out / "panel_long.parquet").exists()
    assert sorted(p.name for p in written) == sorted(p.name for p in out.iterdir())
