"""The fixture generator ``octa synth``: quirks in the PDFs, exact truth, determinism, variants."""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from octa import prose, synth, taxonomy
from octa.model import Profile

from . import oracle

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SCHEMA = ROOT / "schema" / "profile.schema.json"
FIXTURE_ARGS = {"count": 10, "seed": 2026, "family": "mixed"}  # as documented in fixtures/README.md
LIGS = "\ufb00\ufb01\ufb02\ufb03"
#: The half-step grid 1.0 … 10.0 (DOMAIN §3), written out here rather than taken from octa.scoring.
GRID = frozenset(Fraction(k, 2) for k in range(2, 21))


def _on_grid(x: object) -> bool:
    return Fraction(str(x)) in GRID


def _dec(scores: dict) -> dict:
    """Scores for tests/oracle.py (which reads decimals): a half-step fraction as its exact decimal."""
    return {k: v if not isinstance(v, Fraction) else Decimal(v.numerator) / Decimal(v.denominator)
            for k, v in scores.items()}


def _delig(s: str) -> str:
    return s.replace("\ufb03", "ffi").replace("\ufb00", "ff").replace("\ufb01", "fi").replace("\ufb02", "fl")


def _ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _stems(folder: Path) -> list[str]:
    return sorted(p.name[: -len(".pdf")] for p in folder.glob("*.pdf"))


def _load(folder: Path, stem: str) -> tuple[Profile, dict, list[str]]:
    truth = Profile.model_validate_json((folder / f"{stem}.truth.json").read_text(encoding="utf-8"))
    variants = json.loads((folder / f"{stem}.variants.json").read_text(encoding="utf-8"))["variants"]
    with pymupdf.open(folder / f"{stem}.pdf") as doc:
        pages = [page.get_text() for page in doc]
    return truth, variants, pages


@pytest.fixture(scope="module")
def fixtures() -> list[tuple[str, Profile, dict, list[str]]]:
    stems = _stems(FIXTURES)
    assert stems, "no committed fixtures"
    return [(s, *_load(FIXTURES, s)) for s in stems]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    synth.generate(60, 11, "mixed", out)
    return out


# ---------------------------------------------------------------------------------------------
# The committed fixtures
# ---------------------------------------------------------------------------------------------


def test_fixtures_cover_families_and_editions(fixtures):
    pdfs = list(FIXTURES.glob("*.pdf"))
    assert 1 <= len(pdfs) <= 12
    assert sum(p.stat().st_size for p in pdfs) <= 3_000_000
    combos = {(t.family, t.year) for _, t, _, _ in fixtures}
    assert combos == set(synth.COMBOS)
    assert (FIXTURES / "README.md").read_text(encoding="utf-8").count("octa synth") >= 1


def test_fixtures_regenerate_byte_identically(tmp_path):
    synth.generate(FIXTURE_ARGS["count"], FIXTURE_ARGS["seed"], FIXTURE_ARGS["family"], tmp_path)
    fresh = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in FIXTURES.iterdir() if p.name != "README.md")
    assert fresh == committed
    for name in fresh:
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name


def test_split_words_in_score_tables(fixtures):
    """A label drawn as two runs with a gap: not found intact, but with one space inside a word."""
    seen = 0
    for _, _truth, var, pages in fixtures:
        table = _ws(" ".join(pages[: var["table_pages"]]))
        for ind_id in var["split_labels"]:
            if ind_id in var["wrapped_labels"] or ind_id in taxonomy.GROUPS_BY_ID:  # heading = label
                continue
            printed = synth._case(taxonomy.INDICATORS_BY_ID[ind_id].label, var["label_case"], var["ampersand"])
            assert printed not in table
            pattern = r"\s?".join(re.escape(c) for c in printed.replace(" ", ""))
            m = re.search(pattern, table)
            assert m is not None and m.group(0).count(" ") == printed.count(" ") + 1, (ind_id, printed)
            seen += 1
    assert seen >= 5
    # the score headings split by a tracking gap, like "RESILIEN NCE SCORE"
    heads = [p[0] for _, _, v, p in fixtures if v["split_score_headings"]]
    assert heads and all("RESILIENCE SCORE" not in h or "CRIMINALITY SCORE" not in h for h in heads)


def test_wrapped_labels_interleave(fixtures):
    seen = 0
    for _, _, var, pages in fixtures:
        table = " ".join(pages[: var["table_pages"]])
        for ind_id in var["wrapped_labels"]:
            if ind_id in var["split_labels"] or ind_id in taxonomy.GROUPS_BY_ID:
                continue
            printed = synth._case(taxonomy.INDICATORS_BY_ID[ind_id].label, var["label_case"], var["ampersand"])
            assert printed not in _ws(table), printed  # something else is printed between its two lines
            words = printed.split(" ")
            assert _ws(table).count(words[0]) >= 1 and words[-1] in table
            seen += 1
    assert seen >= 5


def test_ligature_characters_present(fixtures):
    found = set()
    for _, _, var, pages in fixtures:
        text = "".join(pages[var["table_pages"]:])
        if var["ligatures"]:
            assert any(c in text for c in LIGS)
        found |= {c for c in LIGS if c in text}
    assert found == set(LIGS)


def test_hyphenated_line_ends(fixtures):
    syllable = compound = 0
    for _, truth, _, pages in fixtures:
        words = set()
        for sec in truth.sections:
            for p in sec.paragraphs:
                words |= {w.strip(".,;:()") for w in p.text.split()}
        for page in pages:
            lines = page.split("\n")
            for a, b in zip(lines, lines[1:], strict=False):
                if not a.endswith("-") or not b.strip() or len(a.split()) < 2:
                    continue
                head = _delig(a.split()[-1])
                tail = _delig(b.split()[0]).strip(".,;:()")
                if head + tail in words:
                    compound += 1
                elif head[:-1] + tail in words:
                    syllable += 1
    assert syllable >= 20
    assert compound >= 1


def test_paragraphs_broken_across_pages(fixtures):
    broken = [p for _, t, _, _ in fixtures for s in t.sections for p in s.paragraphs if len(p.pages) == 2]
    assert len(broken) >= 5
    assert all(p.pages[1] == p.pages[0] + 1 for p in broken)


def test_symbol_glyphs_chart_furniture_and_overprint(fixtures):
    styles = defaultdict(list)
    for _, truth, var, pages in fixtures:
        styles[var["change_style"]].append(pages[0])
        if truth.family == "enact":
            lines = pages[0].split("\n")
            assert {"10", "5", "0", "2019", "2021", "2023", "2025"} <= set(lines)
        n = len(pages)
        if var["footer_style"] == "page_of":
            assert all(f"PAGE {i} OF {n}" in pages[i - 1] for i in range(1, n + 1))
        assert ("\u00a9" + str(truth.year) + " OCINDEX.NET" if truth.family == "global"
                else "\u00a9 ENACT " + str(truth.year)) in pages[-1]
        assert "n/a" in pages[0] or truth.year != 2023
        for p in var["overprint_pages"]:
            lines = [ln for ln in pages[p - 1].split("\n") if len(ln) > 30]
            assert len(lines) > len(set(lines)), f"no duplicated line on page {p}"
    assert any("\u2191" in p or "\u2193" in p for p in styles["symbol_arrows"])
    assert styles["signs"] and any(re.search(r"\+\d\.\d\b", p) for p in styles["signs"])
    assert any(var["overprint_pages"] for _, _, var, _ in fixtures)


def test_truth_bboxes_locate_printed_scores(fixtures):
    for stem, truth, _, _ in fixtures[:4]:
        with pymupdf.open(FIXTURES / f"{stem}.pdf") as doc:
            for ind in truth.indicators:
                page = doc[ind.page - 1]
                x0, y0, x1, y1 = ind.bbox
                hits = page.search_for(f"{ind.score:.1f}", clip=pymupdf.Rect(x0 - 2, y0 - 2, x1 + 2, y1 + 2))
                assert hits, (stem, ind.id)
            for s in truth.summary_scores:
                x0, y0, x1, y1 = s.bbox
                hits = doc[s.page - 1].search_for(f"{s.score:.2f}", clip=pymupdf.Rect(x0 - 2, y0 - 2, x1 + 2, y1 + 2))
                assert hits, (stem, s.metric)
            for r in truth.ranks:
                x0, y0, x1, y1 = r.bbox
                text = doc[r.page - 1].get_text(clip=pymupdf.Rect(x0 - 1, y0 - 1, x1 + 1, y1 + 1))
                assert text.startswith(synth.ordinal(r.rank) + f" of {r.of} "), (stem, text)
            for sec in truth.sections:
                x0, y0, x1, y1 = sec.bbox
                text = doc[sec.page - 1].get_text(clip=pymupdf.Rect(x0 - 1, y0 - 1, x1 + 1, y1 + 1))
                assert text.replace(" ", "").strip() == sec.heading.replace(" ", ""), (stem, text)


# ---------------------------------------------------------------------------------------------
# Truth: schema, arithmetic, structure (fixtures and a generated corpus)
# ---------------------------------------------------------------------------------------------


_VALIDATOR: list = []


def _validator():
    if not _VALIDATOR:
        jsonschema = pytest.importorskip("jsonschema")
        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        _VALIDATOR.append(jsonschema.validators.validator_for(schema)(schema))
    return _VALIDATOR[0]


def _check_truth(truth: Profile, var: dict) -> None:
    _validator().validate(json.loads(truth.to_json()))
    year, fam = truth.year, truth.family
    assert [i.id for i in truth.indicators] == [i.id for i in taxonomy.indicators_for(year)]
    scores = {i.id: i.score for i in truth.indicators}
    assert all(_on_grid(s) for s in scores.values())
    rounded = oracle.summary(scores, year)  # expected values from tests/oracle.py, not octa.scoring
    assert truth.summary.model_dump() == {k: float(v) for k, v in rounded.items()}
    assert [s.score for s in truth.summary_scores] == [float(rounded[k]) for k in taxonomy.SUMMARY_IDS]
    first = not taxonomy.has_changes(fam, year)
    for ind in truth.indicators:
        if first or taxonomy.is_new_indicator(ind.id, year):
            assert ind.change is None
        else:
            assert ind.change is not None and Fraction(str(ind.change)) * 2 == int(Fraction(str(ind.change)) * 2)
            assert 1 <= ind.score - ind.change <= 10
    assert all((s.change is None) == first for s in truth.summary_scores)
    # ranks: both metrics, in every scope the family prints
    scopes = {"global": ["global", "continent", "region"], "enact": ["continent", "region"]}[fam]
    assert [(r.metric, r.scope) for r in truth.ranks] == [(m, s) for m in ("criminality", "resilience") for s in scopes]
    assert all(1 <= r.rank <= r.of for r in truth.ranks)
    if fam == "enact":
        assert all(r.area.endswith("Africa") for r in truth.ranks)
    # sections: the heading tree, one paragraph per indicator (merged pairs counted once)
    paths = [tuple(s.path) for s in truth.sections]
    assert paths[0] == ("CRIMINALITY",) and ("RESILIENCE",) in paths
    assert all(s.level == len(s.path) and s.heading == s.path[-1] for s in truth.sections)
    got = [p.indicator for s in truth.sections for p in s.paragraphs]
    merged = {b for _, b in var["merged_paragraphs"]}
    assert got == [i.id for i in taxonomy.indicators_for(year) if i.id not in merged]
    actors = next(s for s in truth.sections if s.path == ["CRIMINALITY", "Criminal actors"])
    assert len(actors.paragraphs) == len(taxonomy.indicators_for(year, "criminal_actors")) - len(
        merged & {i.id for i in taxonomy.indicators_for(year, "criminal_actors")})
    for s in truth.sections:
        for p in s.paragraphs:
            assert p.text.endswith(".") and "  " not in p.text and not any(c in p.text for c in LIGS)
            assert 60 <= len(p.text.split()) <= 220
            opening = " ".join(p.text.split()[:30]).lower()
            assert any(name.lower() in opening for name in prose.SYNONYMS[p.indicator]), p.text[:120]
            assert p.pages and all(1 <= x <= truth.source.pages for x in p.pages)
    assert truth.source.engine == "synth" and 3 <= truth.source.pages <= 8


def test_fixture_truth_valid(fixtures):
    for stem, truth, var, _ in fixtures:
        _check_truth(truth, var)
        import hashlib

        assert truth.source.sha256 == hashlib.sha256((FIXTURES / f"{stem}.pdf").read_bytes()).hexdigest()
        assert truth.source.file == f"{stem}.pdf"


def test_corpus_truth_valid(corpus):
    for stem in _stems(corpus):
        truth = Profile.model_validate_json((corpus / f"{stem}.truth.json").read_text(encoding="utf-8"))
        var = json.loads((corpus / f"{stem}.variants.json").read_text(encoding="utf-8"))["variants"]
        _check_truth(truth, var)


def test_corpus_uses_every_variant(corpus):
    seen: dict[str, set] = defaultdict(set)
    totals: dict[str, int] = defaultdict(int)
    for f in corpus.glob("*.variants.json"):
        var = json.loads(f.read_text(encoding="utf-8"))["variants"]
        for k in synth.VARIANT_CHOICES:
            seen[k].add(var[k])
        for k in ("wrapped_labels", "split_labels", "overprint_pages", "merged_paragraphs"):
            totals[k] += len(var[k])
        for k in ("hyphenated_breaks", "compound_breaks", "paragraphs_across_pages"):
            totals[k] += var[k]
        seen["table_pages"].add(var["table_pages"])
    for k, values in synth.VARIANT_CHOICES.items():
        assert set(values) <= seen[k], (k, seen[k])
    assert seen["table_pages"] == {1, 2}
    assert all(totals[k] > 0 for k in totals), totals


# ---------------------------------------------------------------------------------------------
# Determinism, API, CLI
# ---------------------------------------------------------------------------------------------


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    synth.generate(4, 5, "enact", a)
    synth.generate(4, 5, "enact", b)
    names = sorted(p.name for p in a.iterdir())
    assert len(names) == 12 and names == sorted(p.name for p in b.iterdir())
    assert all((a / n).read_bytes() == (b / n).read_bytes() for n in names)



def test_another_seed_gives_other_profiles(tmp_path):
    """The same profile index under another seed is another profile: other scores in the truth, other
    bytes in the PDF (compared index by index, whatever the file names say)."""
    a, c = tmp_path / "a", tmp_path / "c"
    first = sorted(synth.generate(2, 5, "enact", a))
    other = sorted(synth.generate(2, 6, "enact", c))
    assert len(first) == len(other) == 2
    for x, y in zip(first, other, strict=True):
        assert x.name.rsplit("_", 1)[1] == y.name.rsplit("_", 1)[1]  # the same index
        tx = json.loads(x.with_suffix(".truth.json").read_text(encoding="utf-8"))
        ty = json.loads(y.with_suffix(".truth.json").read_text(encoding="utf-8"))
        scores_x = [i["score"] for i in tx["indicators"]]
        scores_y = [i["score"] for i in ty["indicators"]]
        assert scores_x != scores_y or tx["country"] != ty["country"]
        assert x.read_bytes() != y.read_bytes()


def test_profile_index_independent_of_count(tmp_path):
    synth.generate(2, 9, "global", tmp_path / "two")
    synth.generate(3, 9, "global", tmp_path / "three")
    two = sorted(p.name for p in (tmp_path / "two").iterdir())
    assert all((tmp_path / "two" / n).read_bytes() == (tmp_path / "three" / n).read_bytes() for n in two)


def test_make_profile_spec_arithmetic():
    for k, (fam, year) in enumerate(synth.COMBOS * 3):
        spec = synth.make_profile_spec(random.Random(k), fam, year, index=k)
        assert set(spec.scores) == {i.id for i in taxonomy.indicators_for(year)}
        if fam == "enact":
            assert taxonomy.COUNTRY_INFO[spec.country][0] == "Africa"
        changes = spec.summary_changes()
        if spec.previous is None:
            assert all(v is None for v in changes.values())
        else:
            cur, prev = _dec(spec.scores), _dec(spec.previous)
            expected = oracle.summary_changes(cur, year, prev, spec.previous_year)
            for key in taxonomy.SUMMARY_IDS:
                assert changes[key] == expected[key], (fam, year, key)
            for ind in taxonomy.indicators_for(year):
                if taxonomy.is_new_indicator(ind.id, year):
                    assert spec.change(ind.id) is None
                else:
                    want = oracle.indicator_change(cur[ind.id], prev[ind.id])
                    assert Fraction(spec.change(ind.id)) == Fraction(want)
        rounded = spec.summary.rounded()
        assert {k: rounded[k] for k in taxonomy.SUMMARY_IDS} == oracle.summary(_dec(spec.scores), year)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), combo=st.sampled_from(synth.COMBOS))
def test_spec_property(seed, combo):
    fam, year = combo
    spec = synth.make_profile_spec(random.Random(seed), fam, year, index=seed % 7)
    assert all(v in GRID for v in spec.scores.values())
    if spec.previous is not None:
        assert all(v in GRID for v in spec.previous.values())
        assert set(spec.previous) == {i.id for i in taxonomy.indicators_for(spec.previous_year)}
    ids = [i for _, covered, _ in spec.paragraphs for i in covered]
    assert ids == [i.id for i in taxonomy.indicators_for(year)]
    for _, _, text in spec.paragraphs:
        assert 60 <= len(text.split()) <= 220 and text.endswith(".")


def test_rank_wordings():
    assert [synth.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 43, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "43rd", "101st", "111th"]
    for fam, want in (("global", ["43rd of 193 countries", "12th of 54 countries in Africa",
                                  "2nd of 15 countries in West Africa"]),
                      ("enact", ["12th of 54 African countries", "2nd of 15 West African countries"])):
        spec = synth.make_profile_spec(random.Random(1), fam, 2025, country="Mali")
        r = synth.Renderer(spec, random.Random(1))
        ranks = [synth.RankSpec("criminality", "global", 43, 193, "countries"),
                 synth.RankSpec("criminality", "continent", 12, 54, "Africa"),
                 synth.RankSpec("criminality", "region", 2, 15, "West Africa")]
        got = [r._rank_text(x) for x in ranks if fam == "global" or x.scope != "global"]
        assert got == want


def test_from_dataset(tmp_path, reference_xlsx):
    from octa.dataset import read_reference

    paths = synth.generate(4, 3, "global", tmp_path, from_dataset=reference_xlsx)
    rows = {(r.edition, r.country): r for r in read_reference(reference_xlsx)}
    for p in paths:
        truth = Profile.model_validate_json(p.with_name(p.stem + ".truth.json").read_text(encoding="utf-8"))
        assert truth.family == "global" and truth.year in (2021, 2023)
        row = rows[(truth.year, truth.country)]
        assert {i.id: Fraction(str(i.score)) for i in truth.indicators} == row.scores
        for k, v in row.summary.items():
            assert getattr(truth.summary, k) == float(v)
        if truth.year == 2023:
            prev = rows[(2021, truth.country)].scores
            for i in truth.indicators:
                assert i.change is None if i.id not in prev else Fraction(str(i.change)) == row.scores[i.id] - prev[i.id]
        ranks = synth.dataset_ranks(list(rows.values()), truth.year)[truth.country]
        assert [(r.scope, r.rank, r.of, r.area) for r in truth.ranks] == [(r.scope, r.rank, r.of, r.area) for r in ranks]
        assert [r.of for r in truth.ranks if r.scope == "global"] == [193, 193]


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError):
        synth.generate(1, 0, "asia", tmp_path)
    with pytest.raises(ValueError):
        synth.generate(1, 0, "enact", tmp_path, from_dataset=tmp_path / "x.xlsx")
    with pytest.raises(ValueError):
        synth.make_profile_spec(random.Random(0), "enact", 2022)


def test_cli(tmp_path):
    from octa.cli import main

    res = CliRunner().invoke(main, ["synth", "--count", "2", "--seed", "4", "--family", "global", "--out",
                                    str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert len(list(tmp_path.glob("*.pdf"))) == 2
    assert len(list(tmp_path.glob("*.truth.json"))) == 2 and len(list(tmp_path.glob("*.variants.json"))) == 2
