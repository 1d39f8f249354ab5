"""octa batch: conversion of a folder with hostile files, determinism across workers, Dask and a
SIGKILLed-then-resumed run, timeouts, usage errors, the Python API and the official columns.

No test here depends on ../shared (the hostile folder makes its own non-profile PDF; the real
methodology PDF is tried in a test of the "shared" group) and none reads the wall clock: the timeout
and the kill are driven by an injected hang (:func:`hanging_worker`) and, for the timeout, a clock
that only moves on when that hang has begun."""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import octa
from octa import export as ex
from octa.compare import compare_scores
from octa.convert import BatchUsageError, collect_inputs, run_batch, stable_manifest
from octa.model import Profile
from octa.synth import generate

from .conftest import ROOT

GOOD = 6  # generated profiles in the shared corpus (the 200-profile run is done by hand: see the report)
HOSTILE = {  # file → reason
    "empty.pdf": "empty",
    "truncated.pdf": "corrupt",
    "encrypted.pdf": "encrypted",
    "image_only.pdf": "no text layer",
    "meeting_minutes.pdf": "not a profile",
}


def hanging_worker(hang: frozenset[str], marks: str, conn, opts, reference) -> None:
    """A pool worker in place of ``octa.convert._worker_main``: it converts files as the real one does,
    except the files named in ``hang``. On those it writes its pid to ``marks/<name>`` and blocks
    until its pipe to the parent closes (the parent killed it, or the parent itself died): a file that
    never finishes, however fast or slow the machine. Runs in the worker process (importable by name:
    the pool pickles its target)."""
    from octa import convert as batch

    real = batch.convert

    def convert(path: str, o: dict) -> dict:
        name = Path(path).name
        if name in hang:
            tmp = Path(marks) / f".{name}.tmp"
            tmp.write_text(str(os.getpid()))
            tmp.replace(Path(marks) / name)
            try:
                while True:
                    conn.recv()
            except (EOFError, OSError):
                pass
            os._exit(0)
        return real(path, o)

    batch.convert = convert
    batch._worker_main(conn, opts, reference)


def _hostile(folder: Path, good_pdf: Path) -> None:
    import pymupdf

    (folder / "empty.pdf").write_bytes(b"")
    data = good_pdf.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    with pymupdf.open(good_pdf) as doc:
        doc.save(folder / "encrypted.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret",
                 owner_pw="owner")
    img = pymupdf.open()
    page = img.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 60), 0)
    pix.clear_with(180)
    page.insert_image(page.rect, pixmap=pix)
    img.save(folder / "image_only.pdf")
    minutes = pymupdf.open()  # a PDF with a text layer that is not a profile (prose, no score table)
    prose = ("The committee met to review the minutes of the previous meeting, the budget for the coming "
             "year and the schedule of its working groups; members discussed the report in detail. ") * 5
    for n in range(3):
        minutes.new_page().insert_textbox(pymupdf.Rect(50, 50, 545, 790),
                                          f"{n + 1} . Minutes\n\n{prose}\nPAGE {n + 1} OF 3", fontsize=10)
    minutes.save(folder / "meeting_minutes.pdf")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    pdfs = generate(GOOD, 11, "mixed", folder)
    _hostile(folder, pdfs[0])
    return folder


def _good(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.glob("*.pdf") if (corpus / f"{p.stem}.truth.json").exists())


def _cli(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "octa", "batch", *args], capture_output=True, text=True,
                          timeout=300, **kw)  # type: ignore[call-overload]


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def assert_same_outputs(a: Path, b: Path) -> None:
    """Byte-identical outputs, manifest.json apart from its run-dependent values."""
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    for name in fa:
        if name != "manifest.json":
            assert fa[name] == fb[name], name
    ma, mb = (json.loads(x["manifest.json"]) for x in (fa, fb))
    assert stable_manifest(ma) == stable_manifest(mb)


@pytest.fixture(scope="module")
def reference_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("run") / "out"
    proc = _cli(str(corpus), "-o", str(out), "--workers", "2")
    return out, proc


def test_acceptance_folder_with_hostile_files(corpus: Path, reference_run) -> None:
    out, proc = reference_run
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    summary = proc.stderr.strip().splitlines()[-1]
    assert f"{GOOD} ok" in summary or "with findings" in summary
    assert "5 failed" in summary and "profiles/s" in summary
    good = _good(corpus)
    for pdf in good:
        got = Profile.model_validate_json((out / "profiles" / f"{pdf.stem}.json").read_text())
        truth = Profile.model_validate_json((corpus / f"{pdf.stem}.truth.json").read_text())
        assert compare_scores(got, truth) == [], pdf.name
    import pandas as pd

    errors = pd.read_csv(out / "errors.csv", keep_default_na=False)
    assert list(errors.columns[:3]) == ["file", "error", "message"]
    assert dict(zip(errors["file"], errors["error"], strict=True)) == HOSTILE
    assert len(set(errors["error"])) == 5  # five distinct reasons
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert manifest["counts"]["inputs"] == GOOD + 5 and manifest["counts"]["failed"] == 5
    assert [e["path"] for e in manifest["inputs"]] == sorted(str(p.resolve()) for p in corpus.glob("*.pdf"))
    for e in manifest["inputs"]:
        assert set(e) >= {"path", "file", "stem", "sha256", "status", "output", "error", "message", "seconds"}
        assert (e["output"] is None) == (e["status"] == "failed")
        if e["output"]:
            assert (out / e["output"]).is_file()
    wide = pd.read_csv(out / "scores_wide.csv")
    assert len(wide) == GOOD and list(wide["file"]) == [p.name for p in good]
    long = pd.read_csv(out / "scores_long.csv")
    assert list(long.columns[:len(ex.LONG_COLUMNS)]) == ex.LONG_COLUMNS
    assert set(long["file"]) == {p.name for p in good}
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_datapackage_validates_and_parquet_matches(reference_run) -> None:
    frictionless = pytest.importorskip("frictionless")
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out, _ = reference_run
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = [r["name"] for r in json.loads((out / "datapackage.json").read_text())["resources"]]
    assert names == ["scores-long", "scores-wide", "sections", "validation", "errors"]
    pq = pd.read_parquet(out / "scores.parquet")
    csv = pd.read_csv(out / "scores_long.csv")
    assert list(pq.columns) == list(csv.columns)
    assert len(pq) == len(csv)
    assert (pq["score"].round(2).fillna(-99) == csv["score"].fillna(-99)).all()


def test_workers_1_and_python_api_give_same_bytes(corpus: Path, reference_run, tmp_path: Path) -> None:
    out, _ = reference_run
    res = octa.batch([corpus], out=tmp_path / "w1", workers=1)
    assert res.exit_code == 1
    assert_same_outputs(out, tmp_path / "w1")
    assert res.manifest["run"]["workers"] == 1
    # the tables as DataFrames
    assert len(res.scores_wide) == GOOD and len(res.errors) == 5
    assert set(res.errors["error"]) == set(HOSTILE.values())
    assert list(res.scores_long.columns[:len(ex.LONG_COLUMNS)]) == ex.LONG_COLUMNS
    assert res.scores_long["score"].dtype == "Float64"
    first = next(iter(res.profiles.values()))
    assert len(first.scores_frame()) == len(res.scores_long[res.scores_long["stem"] == next(iter(res.profiles))])


def test_tables_streamed_and_frames_built_when_asked(corpus: Path, reference_run, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables are written one profile at a time and the DataFrames of the result are built only
    when asked for (a command-line batch never builds them): same bytes as the reference run."""
    out, _ = reference_run
    built: list[str] = []
    real = ex.frame
    monkeypatch.setattr(ex, "frame", lambda t, rows, official=False: built.append(t) or real(t, rows, official))
    res = run_batch([corpus], tmp_path / "lazy", workers=1)
    assert_same_outputs(out, tmp_path / "lazy")
    assert built == []
    assert len(res.scores_wide) == GOOD and len(res.scores_wide) == GOOD
    assert built == ["scores_wide"]  # built once, then kept
    assert list(res.errors["file"]) == sorted(HOSTILE)


def test_failure_while_writing_tables_leaves_no_partial_table(corpus: Path, reference_run, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import octa.convert as batch_module

    out, _ = reference_run
    target = tmp_path / "broken"
    real = batch_module._table_rows
    calls = {"n": 0}

    def failing(table: str, prof, e):  # the disk fills up halfway through the tables
        calls["n"] += 1
        if calls["n"] > 10:
            raise OSError(28, "No space left on device")
        return real(table, prof, e)

    monkeypatch.setattr(batch_module, "_table_rows", failing)
    with pytest.raises(OSError, match="No space left"):
        run_batch([corpus], target, workers=1)
    for t in batch_module.TABLE_NAMES:
        assert not (target / f"{t}.csv").exists(), t
    assert not (target / "scores.parquet").exists()
    assert not [p.name for p in target.rglob("*") if p.name.endswith(".tmp")]
    assert json.loads((target / "manifest.json").read_text())["complete"] is False
    assert len(list((target / "profiles").glob("*.json"))) == GOOD  # the profiles are kept
    monkeypatch.setattr(batch_module, "_table_rows", real)
    res = run_batch([corpus], target, workers=1, resume=True)
    assert res.manifest["run"]["resumed"] == res.manifest["counts"]["inputs"]  # nothing converted again
    assert_same_outputs(out, target)


def test_dask_cluster_gives_same_bytes(corpus: Path, reference_run, tmp_path: Path) -> None:
    pytest.importorskip("dask")
    pytest.importorskip("distributed")
    out, _ = reference_run
    # --dask local: a distributed.LocalCluster of --workers (2) worker processes, one thread each
    res = run_batch([corpus], tmp_path / "dask", workers=2, dask="local")
    assert res.exit_code == 1
    assert res.manifest["run"]["scheduler"] == "dask local"
    assert_same_outputs(out, tmp_path / "dask")


def _wait_for(path: Path, proc: subprocess.Popen | None = None, limit: float = 300) -> None:
    """Wait until ``path`` exists (the injected hang has begun). ``limit`` only ends a test that would
    otherwise wait forever; nothing is asserted about how long the wait took."""
    deadline = time.monotonic() + limit
    while not path.exists():
        assert proc is None or proc.poll() is None, "the batch ended without reaching the hanging file"
        assert time.monotonic() < deadline, f"{path.name} was never reached"
        time.sleep(0.01)


def test_sigkill_halfway_then_resume_gives_same_bytes(corpus: Path, reference_run, tmp_path: Path) -> None:
    """The batch is SIGKILLed while its worker hangs on the fourth good file (an injected hang, so
    the kill never races the end of the batch); the resumed run gives the reference run's bytes."""
    out, _ = reference_run
    target = tmp_path / "killed"
    marks = tmp_path / "marks"
    marks.mkdir()
    inputs = sorted(p.name for p in corpus.glob("*.pdf"))
    hang = _good(corpus)[GOOD // 2].name
    before = inputs[: inputs.index(hang)]  # converted before the hang, one worker taking them in order
    script = "\n".join([
        "import functools, sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "import octa.convert",
        "from octa.cli import main",
        "from tests.test_batch import hanging_worker",
        f"octa.convert._worker_main = functools.partial(hanging_worker, frozenset([{hang!r}]), {str(marks)!r})",
        f"main(['batch', {str(corpus)!r}, '-o', {str(target)!r}, '--workers', '1'], prog_name='octa')",
    ])
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        _wait_for(marks / hang, proc)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    # killed: only complete files, no tables yet, an incomplete manifest
    for p in target.rglob("*.json"):
        json.loads(p.read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["complete"] is False
    assert not (target / "scores_long.csv").exists()
    assert not [p for p in target.rglob("*") if p.name.endswith(".tmp")]
    done = sorted(p.name for p in (target / "profiles").glob("*.json"))
    assert done == sorted(f"{Path(n).stem}.json" for n in before if n not in HOSTILE)
    assert len(done) == GOOD // 2
    # the manifest is rewritten at most once a second: the failures it lists are those resumed
    failed_listed = [e for e in manifest["inputs"] if e["status"] == "failed" and e["error"] != "timeout"]
    assert {e["file"] for e in failed_listed} <= set(before) & set(HOSTILE)
    res = _cli(str(corpus), "-o", str(target), "--workers", "1", "--resume")
    assert res.returncode == 1, res.stderr
    final = json.loads((target / "manifest.json").read_text())
    assert final["run"]["resumed"] == len(done) + len(failed_listed), (done, final["run"], res.stderr)
    assert_same_outputs(out, target)


class _Clock:
    """The ``time`` module as octa.convert sees it, with ``monotonic()`` moved on by the test."""

    def __init__(self) -> None:
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def __getattr__(self, name: str):
        return getattr(time, name)


def test_timeout_replaces_worker_and_goes_on(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker still busy after ``timeout`` is killed, its file recorded as ``timeout`` and a new
    worker takes the next file. The file hangs for good (injected); the pool's clock jumps past the
    limit only once the hang has begun, so no conversion is ever timed against the real clock."""
    import multiprocessing.connection as mpc

    import octa.convert as batch_module

    limit = 600.0
    folder = tmp_path / "in"
    folder.mkdir()
    marks = tmp_path / "marks"
    marks.mkdir()
    good = _good(corpus)[:2]
    shutil.copyfile(good[0], folder / "a_hang.pdf")  # a good profile: only the injected hang stops it
    for p in good:
        shutil.copyfile(p, folder / p.name)
    (folder / "z_empty.pdf").write_bytes(b"")

    clock = _Clock()
    real_wait = mpc.wait
    seen: set[str] = set()

    def wait(objects, timeout=None):
        """multiprocessing.connection.wait on the clock above: it waits in short real slices, and
        when a hang has begun, the clock jumps past the limit (the pool then finds its worker late)."""
        deadline = None if timeout is None else clock.monotonic() + timeout
        while True:
            left = 0.05 if deadline is None else max(0.0, min(0.05, deadline - clock.monotonic()))
            ready = real_wait(objects, timeout=left)
            if ready:
                return ready
            begun = {m.name for m in marks.iterdir() if not m.name.startswith(".")} - seen
            if begun:
                seen.update(begun)
                clock.offset += limit + 1
            if deadline is not None and clock.monotonic() >= deadline:
                return []

    monkeypatch.setattr(batch_module, "time", clock)
    monkeypatch.setattr(mpc, "wait", wait)
    monkeypatch.setattr(batch_module, "_worker_main",
                        functools.partial(hanging_worker, frozenset(["a_hang.pdf"]), str(marks)))
    res = run_batch([folder], tmp_path / "out", workers=1, timeout=limit)
    by = {e["file"]: e for e in res.manifest["inputs"]}
    assert by["a_hang.pdf"]["error"] == "timeout" and by["a_hang.pdf"]["status"] == "failed"
    assert by["a_hang.pdf"]["seconds"] > limit
    assert "limit" in by["a_hang.pdf"]["message"]
    assert all(by[p.name]["status"] != "failed" for p in good)  # converted by the replacement worker
    assert by["z_empty.pdf"]["error"] == "empty"
    assert seen == {"a_hang.pdf"}
    pid = int((marks / "a_hang.pdf").read_text())
    with pytest.raises(ProcessLookupError):  # the hung worker was killed (and reaped)
        os.kill(pid, 0)
    assert sorted(p.name for p in (res.outdir / "profiles").iterdir()) == sorted(f"{p.stem}.json" for p in good)


def test_convert_with_timeout_gives_up_on_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Dask path: :func:`convert_with_timeout` returns a ``timeout`` record for a conversion that
    never ends (an injected hang, released afterwards), and the conversion's own record otherwise."""
    import threading

    import octa.convert as batch_module

    release = threading.Event()

    def hang(path: str, opts: dict) -> dict:
        release.wait()
        return {"status": "ok", "error": None, "message": None, "profile": "{}", "seconds": 0.0}

    monkeypatch.setattr(batch_module, "convert", hang)
    try:
        rec = batch_module.convert_with_timeout("x.pdf", {"timeout": 0.05})
    finally:
        release.set()
    assert rec["status"] == "failed" and rec["error"] == "timeout" and "_worker" not in rec
    done = {"status": "ok", "error": None, "message": None, "profile": "{}", "seconds": 0.0}
    monkeypatch.setattr(batch_module, "convert", lambda path, opts: done)
    assert batch_module.convert_with_timeout("x.pdf", {"timeout": 3600}) is done
    assert batch_module.convert_with_timeout("x.pdf", {"timeout": 0}) is done


def test_methodology_pdf_in_a_batch_is_not_a_profile(methodology_pdf: Path, tmp_path: Path) -> None:
    """The real publisher PDF of ../shared (24 pages, not a profile) fails as such in a batch."""
    res = run_batch([methodology_pdf], tmp_path / "out", workers=1, formats="csv")
    assert res.exit_code == 1
    [entry] = res.manifest["inputs"]
    assert entry["status"] == "failed" and entry["error"] == "not a profile", entry


def test_same_stems_and_hostile_names_stay_inside(corpus: Path, tmp_path: Path) -> None:
    src = _good(corpus)[0]
    names = ["a/x.pdf", "b/x.pdf", "b/X.pdf", "c/-rf --help.pdf", "c/..pdf", "c/new\nline.pdf",
             "c/bidi\u202efdp.txt.pdf", "c/Côte d’Ivoire.pdf"]
    for n in names:
        (tmp_path / "in" / n).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, tmp_path / "in" / n)
    out = tmp_path / "out"
    res = run_batch([tmp_path / "in"], out, workers=2, formats="csv,json")
    assert res.exit_code == 0
    stems = [e["stem"] for e in res.manifest["inputs"]]
    assert len({s.casefold() for s in stems}) == len(names)
    written = sorted(p.name for p in (out / "profiles").iterdir())
    assert written == sorted(f"{s}.json" for s in stems)
    assert all(p.resolve().parent == (out / "profiles").resolve() for p in (out / "profiles").iterdir())
    assert not (out / "scores.parquet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
    rows = ex.to_csv("scores_wide", [])  # header only: the file names went through the csv module
    assert rows


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "afile").write_text("x")
    cases = [
        ([str(tmp_path / "empty"), "-o", str(tmp_path / "o1")], "no input files"),
        ([str(tmp_path / "missing.pdf"), "-o", str(tmp_path / "o2")], "no such file"),
        ([str(tmp_path / "nomatch*.pdf"), "-o", str(tmp_path / "o3")], "no file matches"),
        ([str(tmp_path / "afile"), "-o", str(tmp_path / "afile" / "out")], "cannot write"),
        ([str(tmp_path / "afile"), "-o", str(tmp_path / "afile")], "not a folder"),
        ([str(tmp_path / "afile"), "-o", str(tmp_path / "o4"), "--format", "xls"], "unknown format"),
        ([str(tmp_path / "afile")], "-o OUTDIR"),
        ([str(tmp_path / "afile"), "-o", str(tmp_path / "o5"), "--reference", str(tmp_path / "afile")],
         "reference"),
    ]
    for args, message in cases:
        res = _cli(*args)
        assert res.returncode == 2, (args, res.stderr)
        assert message in res.stderr and "Traceback" not in res.stderr, (args, res.stderr)


def test_all_converted_exit_0_and_resume_refuses_other_options(corpus: Path, tmp_path: Path) -> None:
    one = _good(corpus)[0]
    out = tmp_path / "out"
    res = _cli(str(one), "-o", str(out), "--workers", "1", "--no-progress", "--review")
    assert res.returncode == 0, res.stderr
    assert res.stderr.strip().splitlines()[-1].startswith("octa batch: 1 files: ")
    assert (out / "review" / "index.html").is_file()
    again = _cli(str(one), "-o", str(out), "--resume", "--engine", "pdfplumber")
    assert again.returncode == 2 and "cannot resume" in again.stderr
    same = _cli(str(one), "-o", str(out), "--resume")
    assert same.returncode == 0 and "1 resumed" in same.stderr


def test_collect_inputs(tmp_path: Path) -> None:
    (tmp_path / "d" / "e").mkdir(parents=True)
    for n in ("d/a.pdf", "d/e/b.PDF", "d/e/c.txt", "d/e/c.truth.json", "f.pdf"):
        (tmp_path / n).write_bytes(b"x")
    got = collect_inputs([tmp_path / "d", str(tmp_path / "*.pdf"), tmp_path / "d" / "a.pdf"])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == ["d/a.pdf", "d/e/b.PDF", "d/e/c.txt", "f.pdf"]
    with pytest.raises(BatchUsageError):
        collect_inputs([])


def test_fifo_input_is_refused_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.pdf")
    res = run_batch([tmp_path / "pipe.pdf"], tmp_path / "out", workers=1)
    assert res.exit_code == 1
    assert res.manifest["inputs"][0]["error"] == "unsupported"


def test_official_columns_equal_the_official_dataset(reference_xlsx: Path, tmp_path: Path) -> None:
    import pandas as pd

    from octa.dataset import read_reference

    pdfs = generate(4, 5, "global", tmp_path / "in", from_dataset=reference_xlsx)
    res = run_batch([tmp_path / "in"], tmp_path / "out", workers=2, official_columns=True, formats="csv",
                    reference=reference_xlsx)
    assert res.exit_code == 0
    assert res.manifest["options"]["reference"]["file"] == reference_xlsx.name
    assert not [r for r in res.validation.itertuples() if r.rule.startswith("reference")]
    wide = pd.read_csv(tmp_path / "out" / "scores_wide.csv")
    sheet = pd.read_excel(reference_xlsx, sheet_name="2023_dataset")
    # the 2023 workbook writes "Criminality avg,", the one users download today "Criminality avg."
    def spelling(columns) -> set[str]:
        return {c.replace(" avg,", " avg.") for c in columns}

    assert spelling(sheet.columns) - {"Continent", "Region"} <= spelling(wide.columns)
    ref = {(r.country, r.edition): r for r in read_reference(reference_xlsx)}
    assert len(wide) == len(pdfs)
    for _, row in wide.iterrows():
        r = ref[(row["Country"], row["year"])]
        for cid in ex.OFFICIAL_ORDER:
            got = row[ex.official_name(cid)]
            want = r.summary.get(cid) if cid in ex.OFFICIAL_SUMMARY_NAMES else r.scores.get(cid)
            if want is None:
                assert pd.isna(got), (row["Country"], cid)
            else:
                assert got == pytest.approx(float(want), abs=1e-9), (row["Country"], row["year"], cid)


def test_progress_lines_escape_terminal_controls() -> None:
    import io

    from octa.convert import PlainProgress

    buf = io.StringIO()
    rep = PlainProgress(buf)
    rep.start(1, 1, Path("/out\x1b[2J"))
    rep.advance({"file": "evil\x1b]0;pwned\x07\u202etxt.pdf", "status": "failed", "error": "corrupt",
                 "message": "bad\r\nline", "seconds": 0.1})
    text = buf.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\r" not in text
    assert text.count("\n") == 2 and "evil\\x1b]0;pwned" in text


def test_rerun_with_fewer_inputs_removes_the_earlier_runs_profiles(corpus: Path, tmp_path: Path) -> None:
    """A second (not resumed) run into the same folder leaves only its own profiles: the earlier
    run's profile of an input no longer given is removed; a file octa did not write is kept."""
    first, second = _good(corpus)[:2]
    out = tmp_path / "out"
    run_batch([first, second], out=out, workers=1)
    assert sorted(p.name for p in (out / "profiles").iterdir()) == sorted([f"{first.stem}.json", f"{second.stem}.json"])
    (out / "profiles" / "notes.txt").write_text("mine", encoding="utf-8")
    res = run_batch([second], out=out, workers=1)
    assert res.exit_code == 0
    assert sorted(p.name for p in (out / "profiles").iterdir()) == sorted([f"{second.stem}.json", "notes.txt"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["file"] for e in manifest["inputs"]] == [second.name]
    assert {r.split(",")[0] for r in (out / "scores_wide.csv").read_text(encoding="utf-8").splitlines()[1:]} \
        <= {second.name, second.stem}
