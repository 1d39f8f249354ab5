"""The hostile corpus (tests/hostile.py): every file gets its specific outcome through
``octa.pipeline.extract``, through ``octa extract`` (exit 2, the reason on stderr, never a
traceback) and through ``octa batch`` (errors.csv reasons, every good profile converted, nothing
written outside OUTDIR, CSV cells neutralised, HTML escaped in the review pages)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from octa.cli import main
from octa.errors import OctaError
from octa.pipeline import extract
from tests.hostile import (
    FORMULA_PAYLOADS,
    HOSTILE_CHARS,
    HOSTILE_NAMES,
    HTML_PAYLOAD,
    PASSWORD,
    PROFILE,
    Case,
    build_corpus,
    good_profiles,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    cases = build_corpus(folder)
    return folder, {c.name: c for c in cases}


_OUTCOMES: dict[tuple[str, str, str], tuple[str, str | None]] = {}


def _outcome(folder: Path, case: Case, engine: str) -> tuple[str, str | None]:
    """The reason (or "profile") and the profile JSON of ``case`` with ``engine`` (memoised: the
    corpus is read-only, and extraction is the expensive part of these tests)."""
    key = (str(folder), case.name, engine)
    if key not in _OUTCOMES:
        kw = {"max_pages": case.max_pages} if case.max_pages else {}
        try:
            profile = extract(folder / case.name, engine=engine, password=case.password, **kw)
        except OctaError as exc:
            assert exc.path == str(folder / case.name)
            assert exc.message and "Traceback" not in exc.message
            _OUTCOMES[key] = (exc.reason, None)
        else:
            _OUTCOMES[key] = (PROFILE, profile.to_json())
    return _OUTCOMES[key]


def _truth_diff(profile_json: dict, truth: dict) -> list[str]:
    """What an extracted profile got wrong against its truth: metadata, summary, scores, changes."""
    diff = [f"{k}: {profile_json[k]!r} != {truth[k]!r}" for k in ("country", "year", "family", "summary")
            if profile_json[k] != truth[k]]
    got = {i["id"]: (i["score"], i["change"]) for i in profile_json["indicators"]}
    want = {i["id"]: (i["score"], i["change"]) for i in truth["indicators"]}
    diff += [f"{k}: {got.get(k)} != {v}" for k, v in want.items() if got.get(k) != v]
    return diff


def _check(folder: Path, case: Case, engine: str) -> str | None:
    """None when ``case`` gets its outcome with ``engine`` (and its truth's scores when a profile)."""
    reason, profile = _outcome(folder, case, engine)
    if reason != case.expect(engine):
        return f"{case.name!r} [{engine}]: {reason} (expected {case.expect(engine)}; {case.why})"
    if profile is not None and case.truth:
        diff = _truth_diff(json.loads(profile), json.loads((folder / case.truth).read_text("utf-8")))
        if diff:
            return f"{case.name!r} [{engine}]: wrong values: {diff[:4]}"
    return None


def test_corpus_covers_the_issue(corpus) -> None:
    _folder, cases = corpus
    outcomes = {c.expect() for c in cases.values()}
    assert {PROFILE, "corrupt", "encrypted", "no text layer", "not a profile", "too large"} <= outcomes
    names = set(cases)
    for needed in ("empty.pdf", "few_bytes.pdf", "random.pdf", "html.pdf", "encrypted_user.pdf",
                   "encrypted_owner_only.pdf", "image_only.pdf", "zero_pages.pdf", "pages_2000.pdf",
                   "huge_page_box.pdf", "broken_xref.pdf", "actions.pdf", "control_chars.pdf", "html_formula.pdf",
                   *HOSTILE_NAMES):
        assert needed in names
    truncated = [c for c in cases.values() if "truncated" in c.tags]
    assert len(truncated) >= 30 and len(cases) >= 80
    assert {c.expect("pymupdf") for c in truncated} == {PROFILE, "corrupt", "empty"}


def test_pymupdf_gives_every_file_its_outcome(corpus) -> None:
    """Every file (the hostile names, copies of good.pdf, are run through the CLI below)."""
    folder, cases = corpus
    wrong = [w for c in cases.values() if "name" not in c.tags and (w := _check(folder, c, "pymupdf"))]
    assert not wrong, "\n".join(wrong)


def test_pdfplumber_gives_every_file_its_outcome(corpus) -> None:
    """Every failure case, and a sample of the profiles (pdfplumber takes ~1 s a profile)."""
    folder, cases = corpus
    sample = {"good.pdf", "control_chars.pdf", "encrypted_user_pw.pdf", "actions.pdf"}
    sample.add(max(n for n, c in cases.items() if "truncated" in c.tags and c.expect("pdfplumber") == PROFILE))
    picked = [c for c in cases.values() if c.expect("pdfplumber") != PROFILE or c.name in sample]
    assert len(picked) > 50
    wrong = [w for c in picked if (w := _check(folder, c, "pdfplumber"))]
    assert not wrong, "\n".join(wrong)


def test_control_and_bidi_characters_never_reach_the_output(corpus) -> None:
    folder, cases = corpus
    raw = (folder / "control_chars.pdf").read_bytes()
    assert raw  # the text layer does carry them: MuPDF's own text extraction returns them
    import pymupdf

    with pymupdf.open(folder / "control_chars.pdf") as doc:
        layer = "".join(page.get_text() for page in doc)
    assert {"\u202e", "\u2066", "\u200f", "\ufeff"} <= set(layer)
    for engine in ("pymupdf", "pdfplumber"):
        reason, text = _outcome(folder, cases["control_chars.pdf"], engine)
        assert reason == PROFILE and text is not None
        assert not set(text) & HOSTILE_CHARS, engine
        data = json.loads(text)
        strings = json.dumps(data, ensure_ascii=False)
        assert not set(strings) & HOSTILE_CHARS
        paragraphs = [p["text"] for s in data["sections"] for p in s["paragraphs"]]
        assert paragraphs, "the narrative was read"


def test_control_characters_in_a_text_input(corpus) -> None:
    folder, cases = corpus
    case = cases["control_chars_profile.txt"]
    text = (folder / case.name).read_text("utf-8")
    assert sum(text.count(c) for c in HOSTILE_CHARS) > 500
    data = json.loads(extract(folder / case.name).to_json())
    assert not _truth_diff(data, json.loads((folder / case.truth).read_text("utf-8")))
    assert not set(json.dumps(data, ensure_ascii=False)) & HOSTILE_CHARS
    assert any(r["rule"] == "control_characters" for r in data["cleaning"])  # removed, and logged


def test_no_action_runs_and_nothing_is_written(corpus, tmp_path: Path) -> None:
    """Launch actions point at a script that would create LAUNCHED; JavaScript would export the
    embedded payload: extracting (both engines, the CLI) must do neither, nor write anything."""
    folder, cases = corpus
    before = sorted(os.listdir(folder))
    cwd_before = sorted(os.listdir(tmp_path))
    for engine in ("pymupdf", "pdfplumber"):
        reason, text = _outcome(folder, cases["actions.pdf"], engine)
        assert reason == PROFILE and json.loads(text)["country"] == "Mali"
    proc = subprocess.run([sys.executable, "-m", "octa", "extract", str(folder / "actions.pdf")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not (folder / "LAUNCHED").exists()
    assert sorted(os.listdir(folder)) == before
    assert sorted(os.listdir(tmp_path)) == cwd_before
    assert "PWNED" not in proc.stdout and "payload" not in proc.stdout


def test_cli_gives_every_file_its_outcome(corpus) -> None:
    """``octa extract`` in-process on every file: exit 0 and the profile JSON, or exit 2 and
    ``octa: <path>: <reason>: <message>`` on stderr; never an uncaught exception."""
    folder, cases = corpus
    runner = CliRunner()
    wrong = []
    sample = {"good.pdf", "html_formula.pdf", "control_chars.pdf", "encrypted_owner_only.pdf", "broken_xref.pdf",
              "encrypted_user_pw.pdf", "control_chars_profile.txt"}
    for case in cases.values():
        if case.expect() == PROFILE and case.name not in sample:
            continue  # extraction itself is checked above; the CLI prints what it returns
        args = ["extract", str(folder / case.name)]
        if case.password:
            args += ["--password", case.password]
        if case.max_pages:
            args += ["--max-pages", str(case.max_pages)]
        res = runner.invoke(main, args, catch_exceptions=True)
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            wrong.append(f"{case.name!r}: uncaught {res.exception!r}")
            continue
        expected = case.expect("pymupdf")
        if expected == PROFILE:
            if res.exit_code != 0 or json.loads(res.stdout)["schema_version"] != "1":
                wrong.append(f"{case.name!r}: exit {res.exit_code} {res.stderr[-200:]}")
        elif res.exit_code != 2 or f"octa: {folder / case.name}: {expected}: " not in res.stderr:
            wrong.append(f"{case.name!r}: exit {res.exit_code}, stderr {res.stderr[-200:]!r}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def _octa(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "octa", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


@pytest.mark.parametrize("name", ["random.pdf", "truncated_000100.pdf", "encrypted_user.pdf", "image_only.pdf",
                                  "pages_2000.pdf", "not_a_profile.pdf", "binary.txt"])
def test_cli_process_reports_the_reason(corpus, name: str) -> None:
    folder, cases = corpus
    proc = _octa("extract", name, cwd=folder)
    reason = cases[name].expect("pymupdf")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"octa: {name}: {reason}: "), proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr  # one line: no library noise


def test_cli_password(corpus) -> None:
    folder, _ = corpus
    proc = _octa("extract", "encrypted_user.pdf", "--password", PASSWORD, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["country"] == "Mali"
    proc = _octa("extract", "good.pdf", "--max-pages", "3", cwd=folder)
    assert proc.returncode == 2 and "too large: " in proc.stderr and "page cap of 3" in proc.stderr


@pytest.mark.parametrize("args", [["--", "-rf.pdf"], ["./-rf.pdf"], ["--", "--help.pdf"],
                                  ["prófil ünïcode 日本 ملف.pdf"], ["new\nline.pdf"]])
def test_cli_hostile_file_names(corpus, args: list[str]) -> None:
    folder, _ = corpus
    proc = _octa("extract", *args, cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["country"] == "Mali"
    assert data["source"]["file"] == Path(args[-1]).name


# ----------------------------------------------------------------------------------------------
# The batch over the corpus mixed with good profiles
# ----------------------------------------------------------------------------------------------

def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def batch_run(corpus, tmp_path_factory: pytest.TempPathFactory):
    folder, cases = corpus
    parent = tmp_path_factory.mktemp("batchparent")
    goods = parent / "goods"
    good_paths = good_profiles(goods, count=3)
    before_parent, before_corpus = _listing(parent), _listing(folder)
    out = parent / "OUTDIR"
    proc = _octa("batch", str(folder), str(goods), "-o", str(out), "--workers", "2", "--timeout", "60",
                 "--no-progress", cwd=parent)
    return folder, cases, parent, out, good_paths, proc, before_parent, before_corpus


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_batch_converts_every_good_profile_and_names_every_failure(batch_run) -> None:
    folder, cases, parent, out, good_paths, proc, *_ = batch_run
    assert proc.returncode == 1, proc.stderr[-2000:]  # some inputs failed
    assert "Traceback" not in proc.stderr
    errors = {r["file"].removeprefix("'"): r for r in _rows(out / "errors.csv")}
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest
    wrong = []
    for case in cases.values():
        expected = case.expect_default("pymupdf")
        row = errors.get(case.name)
        if expected == PROFILE and row is not None:
            wrong.append(f"{case.name!r}: failed {row['error']}: {row['message']}")
        elif expected != PROFILE and (row is None or row["error"] != expected):
            wrong.append(f"{case.name!r}: {row and row['error']} (expected {expected})")
    for p in good_paths:
        if p.name in errors:
            wrong.append(f"good {p.name}: {errors[p.name]}")
    assert not wrong, "\n".join(wrong)
    converted = len(list((out / "profiles").glob("*.json")))
    expected_ok = sum(c.expect_default() == PROFILE for c in cases.values()) + len(good_paths)
    assert converted == expected_ok
    wide = _rows(out / "scores_wide.csv")
    assert len(wide) == expected_ok
    for p in good_paths:
        truth = json.loads(p.with_suffix("").with_suffix(".truth.json").read_text("utf-8"))
        row = next(r for r in wide if r["file"] == p.name)
        assert float(row["criminality"]) == truth["summary"]["criminality"]


def test_batch_writes_nothing_outside_outdir_and_runs_no_action(batch_run) -> None:
    folder, _cases, parent, out, _goods, _proc, before_parent, before_corpus = batch_run
    after = [p for p in _listing(parent) if p != "OUTDIR" and not p.startswith("OUTDIR/")]
    assert after == before_parent
    assert _listing(folder) == before_corpus
    assert not (folder / "LAUNCHED").exists()
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())
        assert not p.is_symlink()
        if p.is_file():
            assert not os.access(p, os.X_OK), f"{p} is executable"


def test_batch_csv_cells_are_neutralised(batch_run) -> None:
    _folder, _cases, _parent, out, *_ = batch_run
    seen_names = set()
    for table in sorted(out.glob("*.csv")):
        with open(table, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@"):
                        float(cell)  # only numbers may start so
                    if cell.startswith("'"):
                        seen_names.add(cell[1:])
    # the hostile names and the formula-like narrative arrive neutralised, not dropped
    assert '=HYPERLINK("http:evil","x").pdf' in seen_names and "-rf.pdf" in seen_names
    assert "+1 @SUM.pdf" in seen_names
    sections = (out / "sections.csv").read_text("utf-8")
    for payload in FORMULA_PAYLOADS:
        assert payload.replace('"', '""') in sections


def test_review_pages_escape_pdf_text(batch_run) -> None:
    _folder, _cases, parent, out, *_ = batch_run
    proc = _octa("review", str(out), cwd=parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pages = list((out / "review").rglob("*.html"))
    assert len(pages) > 10
    html = "\n".join(p.read_text("utf-8") for p in pages)
    assert "<script>alert('octa')" not in html and "onerror=alert(1)>" not in html
    assert HTML_PAYLOAD not in html
    assert "&lt;script&gt;alert(" in html  # the narrative is shown, escaped


def test_cli_reports_a_bug_in_one_line_not_a_traceback(corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception that is no input error (a bug) gives one line naming the file, exit status 3."""
    folder, cases = corpus
    good = next(folder / c.name for c in cases.values() if c.expect() == "profile" and c.name.endswith(".pdf"))

    def broken(*_a, **_k):
        raise KeyError("boom")

    monkeypatch.setattr("octa.pipeline._extract_pdf", broken)
    res = CliRunner().invoke(main, ["extract", str(good)])
    assert res.exit_code == 3
    assert "internal error: KeyError" in res.output and good.name in res.output
    assert "Traceback" not in res.output
