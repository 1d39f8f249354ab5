"""Exporters: safe output names, formula neutralisation, deterministic CSV, atomic writes, tables."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from octa import export as ex
from octa import taxonomy
from octa.model import Finding, Indicator, Paragraph, Profile, Section, Source, Summary, SummaryScore

HOSTILE_NAMES = [
    "../../etc/passwd",
    "..",
    ".",
    "",
    ".pdf",
    "-rf --no-preserve-root.pdf",
    "--help.pdf",
    "a/b\\c.pdf",
    "tab\there.pdf",
    "new\nline.pdf",
    "nul\x00byte.pdf",
    "bidi\u202egnp.exe.pdf",
    "zero\u200bwidth.pdf",
    "CON.pdf",
    "..hidden.pdf",
    "x" * 400 + ".pdf",
    "Côte d’Ivoire 2023 profile.pdf",
    "日本 プロフィール.pdf",
    "=HYPERLINK(1).pdf",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_safe_stem_is_one_harmless_component(name: str, tmp_path: Path) -> None:
    stem = ex.safe_stem(name)
    assert stem and len(stem) <= ex.MAX_STEM
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert not stem.startswith(("-", ".", "_")) or stem.casefold() == "_con"
    assert all(ch.isalnum() or ch in "._+-" for ch in stem), stem
    target = ex.inside(tmp_path, stem + ".json")
    assert target.parent == tmp_path
    target.write_text("{}")
    assert target.resolve().parent == tmp_path.resolve()


def test_safe_stem_keeps_readable_names() -> None:
    assert ex.safe_stem("global_2023_mali.pdf") == "global_2023_mali"
    assert ex.safe_stem("Côte d’Ivoire 2023 profile.pdf") == "Côte_d_Ivoire_2023_profile"
    assert ex.safe_stem("-rf.pdf") == "rf"
    assert ex.safe_stem("CON.pdf") == "_CON"
    assert ex.safe_stem("mali.TXT") == "mali"


def test_inside_refuses_escapes(tmp_path: Path) -> None:
    for bad in ("..", ".", "", "../x.json", "a/b.json", "x\x00.json"):
        with pytest.raises(ValueError):
            ex.inside(tmp_path, bad)


def test_assign_stems_distinct_and_deterministic() -> None:
    paths = sorted([Path("/a/mali.pdf"), Path("/b/mali.pdf"), Path("/c/MALI.pdf"), Path("/d/mali-2.pdf"),
                    Path("/e/mali.txt"), Path("/f/../mali.pdf")])
    stems = ex.assign_stems(paths)
    assert len({s.casefold() for s in stems}) == len(paths)
    assert stems == ex.assign_stems(paths)
    assert stems[0] == "mali"
    # a natural stem is never taken away from its own file by a renamed duplicate
    assert stems[paths.index(Path("/d/mali-2.pdf"))] == "mali-2"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3",
                                  "@SUM(1+1)", "\t=1", "\r=1", "\n=1", "  =1+1", "＝1+1"])
def test_neutralise_formula_like_text(text: str) -> None:
    assert ex.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Mali", "-0.5", "+1.00", "1e3", "a=b", "", "'quoted"])
def test_neutralise_leaves_plain_text(text: str) -> None:
    assert ex.neutralise(text) == text


def _profile(country: str = "Mali", message: str = "fine", paragraph: str = "Text.") -> Profile:
    inds = [Indicator(id=i.id, label=i.label, pillar=i.pillar, group=i.group, score=5.5, change=-1.0, page=1)
            for i in taxonomy.indicators_for(2023)]
    return Profile(
        source=Source(file="mali.pdf", sha256="0" * 64, pages=4, engine="pymupdf"),
        family="global", country=country, year=2023,
        summary=Summary(criminality=5.5, criminal_markets=5.5, criminal_actors=5.5, resilience=5.5),
        summary_scores=[SummaryScore(metric="criminality", score=5.5, change=-0.29, page=1)],
        indicators=inds,
        sections=[Section(path=["Criminality", "Criminal markets"], heading="Criminal markets", level=2,
                          paragraphs=[Paragraph(text=paragraph, indicator="human_trafficking", pages=[2, 3])]),
                  Section(path=["Resilience"], heading="Resilience", level=1)],
        validation=[Finding(rule="reference", severity="warning", message=message, indicator=None)],
    )


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_neutralises_text_but_keeps_numbers() -> None:
    prof = _profile(country='=HYPERLINK("http://evil.example","x")', message="-2+3+cmd|' /C calc'!A0",
                    paragraph="@SUM(1+1)")
    long = _read(ex.to_csv("scores_long", ex.profile_long_rows(prof, "mali")))
    assert all(r["country"] == "'" + prof.country for r in long)
    ht = next(r for r in long if r["indicator"] == "human_trafficking")
    assert ht["score"] == "5.50" and ht["change"] == "-1.00" and ht["page"] == "1" and ht["status"] == "ok"
    crim = next(r for r in long if r["indicator"] == "criminality")
    assert crim["change"] == "-0.29"
    assert _read(ex.to_csv("validation", ex.validation_rows(prof, "mali")))[0]["message"].startswith("'-2+3")
    secs = _read(ex.to_csv("sections", ex.section_rows(prof, "mali")))
    assert secs[0]["text"] == "'@SUM(1+1)" and secs[0]["pages"] == "2;3" and secs[0]["path"] == \
        "Criminality > Criminal markets"
    assert secs[1]["heading"] == "Resilience" and secs[1]["paragraph"] == ""
    # DataFrames carry the text as extracted
    df = ex.frame("sections", ex.section_rows(prof, "mali"))
    assert df["text"][0] == "@SUM(1+1)"


def test_long_csv_contract_columns_first() -> None:
    header = ex.to_csv("scores_long", []).strip().split(",")
    assert header[:len(ex.LONG_COLUMNS)] == ex.LONG_COLUMNS
    assert "status" in header[len(ex.LONG_COLUMNS):]
    wide = ex.to_csv("scores_wide", []).strip().split(",")
    assert wide[:4] == ["file", "country", "year", "family"]
    assert wide[4:6] == ["criminality", "criminal_markets"]
    assert wide[4:4 + len(ex.WIDE_SCORE_COLUMNS)] == ex.WIDE_SCORE_COLUMNS
    assert ex.to_csv("errors", []).startswith("file,error,message")


def test_wide_row_and_official_columns() -> None:
    prof = _profile()
    row = ex.wide_row(prof, "mali")
    text = ex.to_csv("scores_wide", [row], official=True)
    recs = _read(text)
    assert recs[0]["Country"] == "Mali"
    assert recs[0]["Criminality avg."] == "5.50"
    assert recs[0]["Human trafficking"] == "5.50"
    assert len(ex.columns("scores_wide", official=True)) == len(ex.columns("scores_wide"))


def test_write_atomic_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.csv"
    ex.write_atomic(target, "one\n")
    ex.write_atomic(target, b"two\n")
    assert target.read_bytes() == b"two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.csv"]
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask

    with pytest.raises(TypeError):
        ex.write_atomic(target, 12345)  # type: ignore[arg-type]
    assert target.read_bytes() == b"two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.csv"]


def test_stale_temporaries_removed(tmp_path: Path) -> None:
    (tmp_path / ".scores_long.csv.abc123.tmp").write_text("partial")
    (tmp_path / "keep.tmp").write_text("not ours")
    removed = ex.remove_stale_temporaries(tmp_path)
    assert [p.name for p in removed] == [".scores_long.csv.abc123.tmp"]
    assert (tmp_path / "keep.tmp").exists()


def test_scores_frame() -> None:
    df = _profile().scores_frame()
    assert list(df.columns[:len(ex.LONG_COLUMNS)]) == ex.LONG_COLUMNS
    assert len(df) == len(taxonomy.SUMMARY_IDS) + len(taxonomy.indicators_for(2023))
    assert df["change"].iloc[0] == -0.29


def test_parquet_round_trip(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    rows = ex.profile_long_rows(_profile(country="=1+1"), "mali")
    data = ex.parquet_bytes("scores_long", rows)
    assert data == ex.parquet_bytes("scores_long", rows)
    (tmp_path / "s.parquet").write_bytes(data)
    df = pd.read_parquet(tmp_path / "s.parquet")
    assert df["country"].iloc[0] == "=1+1"  # typed storage: nothing to neutralise
    assert df["score"].dtype == "float64" and df["year"].iloc[0] == 2023


def test_streamed_csv_equals_whole_table() -> None:
    rows = [*ex.profile_long_rows(_profile(country="=1+1"), "mali", "a.pdf"),
            *ex.profile_long_rows(_profile(), "niger", "b.pdf")]
    buf = io.StringIO()
    table = ex.CsvTable(buf, "scores_long")
    for k in range(0, len(rows), 7):  # in pieces, as a batch writes one profile at a time
        table.write(rows[k:k + 7])
    assert buf.getvalue() == ex.to_csv("scores_long", rows)
    assert "'=1+1" in buf.getvalue()


def test_streamed_parquet_row_groups(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [r for k in range(5) for r in ex.profile_long_rows(_profile(), f"p{k}", f"p{k}.pdf")]

    def written(chunk: int, pieces: int) -> bytes:
        buf = io.BytesIO()
        table = ex.ParquetTable(buf, "scores_long", chunk=chunk)
        step = -(-len(rows) // pieces)
        for k in range(0, len(rows), step):
            table.write(rows[k:k + step])
        table.close()
        return buf.getvalue()

    small = written(chunk=40, pieces=5)
    assert small == written(chunk=40, pieces=3)  # the bytes depend on the rows, not on how they came
    path = tmp_path / "s.parquet"
    path.write_bytes(small)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == len(rows) and meta.num_row_groups == -(-len(rows) // 40)
    assert pd.read_parquet(path).equals(pd.read_parquet(io.BytesIO(ex.parquet_bytes("scores_long", rows))))
    empty = io.BytesIO()
    ex.ParquetTable(empty, "scores_long").close()
    assert pq.ParquetFile(io.BytesIO(empty.getvalue())).metadata.num_rows == 0
