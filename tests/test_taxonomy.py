from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from octa import taxonomy
from octa.model import json_schema
from tests.conftest import ROOT
from tests.garble import garbled


def test_indicator_counts_per_edition() -> None:
    for year, (m, a, r) in {2019: (10, 4, 12), 2021: (10, 4, 12), 2023: (15, 5, 12), 2025: (15, 5, 12)}.items():
        assert len(taxonomy.indicators_for(year, "criminal_markets")) == m
        assert len(taxonomy.indicators_for(year, "criminal_actors")) == a
        assert len(taxonomy.indicators_for(year, "resilience")) == r


def test_labels_fold_to_ids() -> None:
    idx = taxonomy.label_index()
    assert idx[taxonomy.fold("Political leadership & governance")] == "political_leadership_and_governance"
    assert idx[taxonomy.fold("NON-RENEWABLE RESOURCE CRIMES")] == "non_renewable_resource_crimes"
    assert len(set(idx.values())) == 32


def test_countries_and_aliases() -> None:
    assert len(taxonomy.COUNTRIES) == 193
    assert taxonomy.canonical_country("Türkiye") == "Turkey"
    assert taxonomy.canonical_country("COTE D'IVOIRE") == "Côte d'Ivoire"
    assert taxonomy.canonical_country("Democratic Republic of the Congo") == "Congo, Dem. Rep."
    assert taxonomy.canonical_country("Atlantis") is None


def test_editions() -> None:
    assert taxonomy.previous_edition("enact", 2025) == 2023
    assert taxonomy.previous_edition("global", 2021) is None
    assert not taxonomy.has_changes("enact", 2019)
    assert taxonomy.is_new_indicator("private_sector_actors", 2023)
    assert not taxonomy.is_new_indicator("private_sector_actors", 2025)


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "profile.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "schema/profile.schema.json is stale: run `octa schema -o schema/profile.schema.json`"


def test_cli_version_and_module_entry() -> None:
    out = subprocess.run([sys.executable, "-m", "octa", "--version"], capture_output=True, text=True, check=True)
    assert "octa" in out.stdout and "0.1.0" in out.stdout


# --------------------------------------------------------------------------------------------
# Families from data (octa/taxonomy/*.toml and any file of the same form)
# --------------------------------------------------------------------------------------------

FAMILY_DIR = Path(__file__).parent / "families"


def test_bundled_families_are_the_data_files() -> None:
    # what the two files say, read here with tomllib (not through octa's loader)
    import tomllib

    here = Path(taxonomy.__file__).parent
    glob_data = tomllib.loads((here / "global.toml").read_text(encoding="utf-8"))
    enact_data = tomllib.loads((here / "enact.toml").read_text(encoding="utf-8"))
    assert taxonomy.FAMILIES == ("global", "enact")
    assert taxonomy.EDITIONS == {"global": tuple(e["year"] for e in glob_data["editions"]),
                                 "enact": tuple(e["year"] for e in enact_data["editions"])}
    assert [i.id for i in taxonomy.INDICATORS] == [i["id"] for i in glob_data["indicators"]]
    assert [g.heading for g in taxonomy.GROUPS] == [g["heading"] for g in glob_data["groups"]]
    assert taxonomy.SUMMARY_IDS == tuple(m["id"] for m in glob_data["summary"])
    def what(fam: str) -> list[tuple]:
        return [(i.id, i.label, i.pillar, i.group, i.variants, i.keywords) for i in taxonomy.family(fam).indicators]
    assert what("enact") == what("global")  # extends
    # an indicator is absent from the editions of either family that leave it out
    assert taxonomy.INDICATORS_BY_ID["financial_crimes"].absent_in == {2019, 2021}
    assert taxonomy.family("global").indicators[-1].absent_in == frozenset()


def test_editions_from_the_data() -> None:
    enact = taxonomy.family("enact")
    assert [(e.year, e.previous, len(e.indicators), len(e.new)) for e in enact.editions] == [
        (2019, None, 26, 0), (2021, 2019, 26, 0), (2023, 2021, 32, 6), (2025, 2023, 32, 0)]
    e2023 = taxonomy.edition("global", 2023)
    assert e2023.has_changes and e2023.is_new("financial_crimes") and not e2023.is_new("heroin_trade")
    assert not taxonomy.edition("global", 2021).has_changes
    with pytest.raises(ValueError, match="global has no 2019 edition"):
        taxonomy.edition("global", 2019)
    with pytest.raises(ValueError, match="unknown index family 'pacific'"):
        taxonomy.family("pacific")


def test_a_third_family_loads_from_its_file_alone() -> None:
    fam = taxonomy.load_family(FAMILY_DIR / "pacific.toml")
    assert (fam.id, fam.name, fam.years) == ("pacific", "Pacific Organised Crime Index", (2024,))
    assert [p.id for p in fam.pillars] == ["criminal_markets", "criminal_actors", "resilience"]
    ed = fam.edition(2024)
    assert [i.id for i in ed.indicators_for("criminal_markets")] == ["fauna_crimes", "cocaine_trade",
                                                                     "synthetic_drug_trade"]
    assert [(i.id, i.group) for i in ed.indicators_for("criminal_actors")] == [
        ("criminal_networks", None), ("foreign_actors", None)]
    assert ed.indicators_for("resilience")[0].pillar == "resilience"  # from its group
    assert not ed.has_changes and all(i.small_set for i in fam.indicators)
    assert fam.indicators[0].keywords == ("fauna", "wildlife")


@pytest.mark.parametrize("edit,message", [
    (("group = \"drugs\"", "group = \"narcotics\""), "names unknown group 'narcotics'"),
    (("pillar = \"criminal_actors\"\n\n[[indicators]]\nid = \"foreign_actors\"",
      "pillar = \"actors\"\n\n[[indicators]]\nid = \"foreign_actors\""), "needs a known group or pillar"),
    (("year = 2024", "year = 2024\nexclude = [\"heroin_trade\"]"), "unknown indicators ['heroin_trade']"),
    (("mean_of_pillar = \"resilience\"", "mean_of_pillar = \"justice\""), "names unknown pillar 'justice'"),
    (("id = \"pacific\"", "id = \"pacific\"\nextends = \"atlantic\""), "extends unknown family 'atlantic'"),
    (("[[editions]]", "[[editions]"), "pacific.toml"),
])
def test_a_family_file_with_an_error_is_named(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    text = (FAMILY_DIR / "pacific.toml").read_text(encoding="utf-8")
    assert edit[0] in text
    bad = tmp_path / "pacific.toml"
    bad.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(taxonomy.TaxonomyError, match=re.escape(message)):
        taxonomy.load_family(bad)


def test_a_third_family_end_to_end_from_its_file_alone(tmp_path: Path) -> None:
    """octa --family-file: generate profiles of a family described only by tests/families/pacific.toml,
    extract them, validate them and export them, with no code change (each step a fresh octa process)."""
    import csv

    from octa.compare import compare_scores
    from octa.model import Profile

    fam = ["--family-file", str(FAMILY_DIR / "pacific.toml")]

    def octa(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "octa", *fam, *args], capture_output=True, text=True, timeout=300)

    pdfs, out = tmp_path / "pdfs", tmp_path / "out"
    made = octa("synth", "--family", "pacific", "--count", "3", "--seed", "41", "--out", str(pdfs))
    assert made.returncode == 0, made.stderr
    assert len(list(pdfs.glob("pacific_2024_*.pdf"))) == 3
    run = octa("batch", str(pdfs), "-o", str(out))
    assert run.returncode in (0, 1), run.stderr  # 1: findings (a merged paragraph), never a failure
    import tomllib

    expected = [i["id"] for i in tomllib.loads((FAMILY_DIR / "pacific.toml").read_text(encoding="utf-8"))["indicators"]]
    for pdf in sorted(pdfs.glob("*.pdf")):
        truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
        got = Profile.model_validate_json((out / "profiles" / f"{pdf.stem}.json").read_text(encoding="utf-8"))
        assert (got.family, got.year, got.country) == ("pacific", 2024, truth.country)
        assert [d for d in compare_scores(got, truth)] == []
        assert [i.id for i in got.indicators] == expected and all(i.status == "ok" for i in got.indicators)
        assert not [f for f in got.validation if f.severity == "error"]
    with (out / "scores_long.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["family"] for r in rows} == {"pacific"} and len(rows) == 3 * (4 + len(expected))
    # without the family file, octa does not know the family: a clear error, not a traceback
    plain = subprocess.run([sys.executable, "-m", "octa", "synth", "--family", "pacific", "--out", str(tmp_path / "x")],
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 2 and "unknown family 'pacific'" in plain.stderr and "Traceback" not in plain.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text((FAMILY_DIR / "pacific.toml").read_text().replace('group = "drugs"', 'group = "narcotics"', 1))
    broken = subprocess.run([sys.executable, "-m", "octa", "--family-file", str(bad), "synth", "--out", str(tmp_path / "y")],
                            capture_output=True, text=True, timeout=120)
    assert broken.returncode == 2 and "names unknown group 'narcotics'" in broken.stderr
    assert "Traceback" not in broken.stderr


def _toml(name: str) -> dict:
    import tomllib

    return tomllib.loads((ROOT / "src" / "octa" / "taxonomy" / name).read_text(encoding="utf-8"))


def test_resolve_gives_the_edition_the_data_describes() -> None:
    """taxonomy.resolve(family, year): the family's edition of that year (its indicators the data
    file's minus the edition's exclusions, in file order; the previous edition; the new ones), the
    family's undated edition for a year it has none of, and the bundled taxonomy's for an unknown
    family. Expected values are read from the TOML files here, not from the loader."""
    base, enact = _toml("global.toml"), _toml("enact.toml")
    all_ids = [i["id"] for i in base["indicators"]]
    e2019 = next(e for e in enact["editions"] if e["year"] == 2019)
    e2023 = next(e for e in enact["editions"] if e["year"] == 2023)
    ed = taxonomy.resolve("enact", 2019)
    assert (ed.family, ed.year, ed.previous, ed.has_changes) == ("enact", 2019, None, False)
    assert [i.id for i in ed.indicators] == [i for i in all_ids if i not in e2019["exclude"]]
    ed = taxonomy.resolve("enact", 2023)
    assert (ed.year, ed.previous, ed.has_changes) == (2023, 2021, True)
    assert [i.id for i in ed.indicators] == all_ids and ed.new == frozenset(e2023["new"])
    assert ed.name == enact["name"] and ed.continent == enact["continent"] and ed.detect == tuple(enact["detect"])
    assert [p.id for p in ed.pillars] == [p["id"] for p in base["pillars"]]
    assert ed.narrative_top == tuple(dict.fromkeys(p["narrative"][0] for p in base["pillars"] if p.get("narrative")))
    undated = taxonomy.resolve("global", 1999)
    assert (undated.family, undated.year, undated.dated, undated.has_changes) == ("global", None, False, False)
    assert [i.id for i in undated.indicators] == all_ids
    assert taxonomy.resolve("global", None) is undated  # one object per family: resolved once, shared
    unknown = taxonomy.resolve(None, None)
    assert unknown.family is None and not unknown.dated
    # headings of the edition's tree, tolerant of tracking and case
    group = base["groups"][0]["heading"]
    from octa.clean import heading_of

    assert heading_of(" ".join(group.lower()), ed) == group
    assert ed.place(group) == [*next(p["narrative"] for p in base["pillars"] if p["id"] == base["groups"][0]["pillar"]),
                               group]


def test_the_pipeline_resolves_the_edition_once_and_passes_it_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """extract resolves one Edition after the score tables are read and hands that same object to
    the cleaner, the section parser and the validator; the profile's own edition is that object."""
    from octa import clean, pipeline, validate
    from octa.parse import sections

    pdf = sorted((ROOT / "fixtures").glob("enact_2023_*.pdf"))[0]
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    seen: list[tuple[str, object]] = []

    def spy(name: str, fn, pos: int):  # noqa: ANN001, ANN202
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            seen.append((name, kwargs["edition"] if "edition" in kwargs else args[pos]))
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(clean, "clean_document", spy("clean", clean.clean_document, 1))
    monkeypatch.setattr(sections, "parse_sections", spy("sections", sections.parse_sections, 1))
    monkeypatch.setattr(validate, "validated", spy("validate", validate.validated, 3))
    profile = pipeline.extract(pdf)
    assert [n for n, _ in seen] == ["clean", "sections", "validate"]
    editions = {id(e) for _, e in seen}
    assert len(editions) == 1
    ed = seen[0][1]
    assert isinstance(ed, taxonomy.Edition) and (ed.family, ed.year) == (truth["family"], truth["year"])
    assert profile.edition is ed


def _match_label_plain(text: str, cutoff: float = 86.0, candidates=None):
    """A plain second implementation of label matching, label by label in the taxonomy's order
    (the rule :func:`taxonomy.match_label` documents): the better of the ratio without spaces and
    the ratio of the words sorted, labels of about the text's length only, the first best wins."""
    from rapidfuzz import fuzz

    f = taxonomy.fold(text)
    if not f:
        return None
    labels = [(ind.id, taxonomy.fold(lab)) for ind in taxonomy.INDICATORS for lab in ind.all_labels]
    exact = {lab: iid for iid, lab in labels}
    if f in exact and (candidates is None or exact[f] in candidates):
        return exact[f], 100.0
    nospace = f.replace(" ", "")
    best = None
    seen = set()
    for iid, lab in labels:
        if lab in seen:  # (a label spelled alike twice is one choice, as in the label index)
            continue
        seen.add(lab)
        if candidates is not None and iid not in candidates:
            continue
        lab_ns = lab.replace(" ", "")
        if abs(len(lab_ns) - len(nospace)) > max(6, len(lab_ns) // 3):
            continue
        score = max(fuzz.ratio(nospace, lab_ns), fuzz.ratio(" ".join(sorted(f.split())), " ".join(sorted(lab.split()))))
        if best is None or score > best[1]:
            best = (iid, score)
    return best if best is not None and best[1] >= cutoff else None


def test_label_matching_agrees_with_a_plain_implementation() -> None:
    """Labels garbled as layout garbles them (letters dropped, added, swapped; words reversed;
    kerning spaces), matched by :func:`taxonomy.match_label` (rapidfuzz over all labels at once)
    and label by label: the same indicator and similarity, also with a cutoff and candidates."""
    import random

    rnd = random.Random(27)
    labels = sorted({lab for ind in taxonomy.INDICATORS for lab in ind.all_labels})
    ids = sorted({ind.id for ind in taxonomy.INDICATORS})
    texts = ["", "   ", "Human trafficking", "HUMAN TRAFFICKING", "Finan cial crimes", "cocaine trade 5.5"]
    for _ in range(3000):
        text = garbled(rnd, labels)
        texts.append(" ".join(reversed(text.split())) if rnd.random() < 0.3 else text)
    matched = 0
    for text in texts:
        want = _match_label_plain(text)
        assert taxonomy.match_label(text) == want, text
        matched += want is not None
        some = set(rnd.sample(ids, 6))
        assert taxonomy.match_label(text, 80.0, some) == _match_label_plain(text, 80.0, some), text
    assert 1000 < matched < len(texts)  # both sides of the cutoff were exercised


def test_fold_of_ascii_text_is_the_patterns_fold() -> None:
    """ASCII text is folded by one translation (``taxonomy.text._ASCII_FOLD``): the same key as the
    three patterns that fold any text (dashes, ``_`` and ``/`` to spaces; what is no letter, digit
    or space removed; spaces collapsed), on every ASCII character and on random ASCII texts."""
    import random
    import unicodedata

    import regex

    from octa.taxonomy.text import fold

    def plain(text: str) -> str:
        t = unicodedata.normalize("NFKD", text)
        t = "".join(c for c in t if not unicodedata.combining(c)).replace("&", " and ").lower()
        t = regex.sub(r"[\p{Pd}_/]", " ", t)
        t = regex.sub(r"[^\p{L}\p{N} ]+", "", t)
        return regex.sub(r"\s+", " ", t).strip()

    rnd = random.Random(27)
    texts = [chr(c) for c in range(128)] + ["Political leadership & governance", " A\tB\nC ", "x-/_y", "--", ""]
    alphabet = [chr(c) for c in range(128)] + list("aeiou  ") * 8
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(5000)]
    for t in texts:
        fold.cache_clear()
        assert fold(t) == plain(t), repr(t)
