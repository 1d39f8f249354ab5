"""Batch conversion: many profiles into one output folder (``octa batch``, ``octa.batch(...)``).

The per-file function is :func:`convert` (``octa.pipeline.extract`` with every failure turned into a
record). It runs in a supervised pool of processes (:class:`_Pool`: one task at a time per worker, a
worker past ``timeout`` is killed, its file recorded as ``timeout`` and the worker replaced) or, with
``dask=``, on a Dask cluster. The parent process alone writes to the output folder, every file through
:func:`octa.export.write_atomic`, so a batch killed at any moment leaves only complete files.

Output folder (DOMAIN §5): ``profiles/<stem>.json``, ``scores_long.csv``, ``scores_wide.csv``,
``sections.csv``, ``validation.csv``, ``errors.csv``, ``datapackage.json``, ``scores.parquet`` and
``manifest.json``. The tables are built at the end from the profile files on disk, in input-path
order, so they are the same whatever the number of workers, the scheduler, or how often the batch was
interrupted and resumed.

Determinism: every output file is byte-identical across ``workers``, schedulers and resumed runs,
except two parts of ``manifest.json`` that describe the run rather than its result: the ``run`` object
(workers, scheduler, inputs resumed, wall time, profiles per second) and each input's ``seconds``.
:func:`stable_manifest` drops exactly those.

Resume: the manifest is written at the start (``"complete": false``) and rewritten at most once a
second while the batch runs; ``resume=True`` reuses every input whose stem and SHA-256 are recorded
with a final outcome (a failure other than ``timeout``, or a profile whose file exists), and any
``profiles/<stem>.json`` written after the last manifest update whose source SHA-256 matches. It
refuses (usage error) to resume a folder made with a different engine, page cap, password or
reference dataset.
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from octa import __version__
from octa import export as ex
from octa.layout import sha256_file

#: Suffixes picked up when an input is a folder or a glob.
INPUT_SUFFIXES = (".pdf", ".txt")
#: Formats ``--format`` accepts.
FORMATS = ("csv", "json", "parquet")
#: Default per-file time limit, in seconds.
DEFAULT_TIMEOUT = 120.0
#: Default memory limit per worker process (address space), in MiB; 0 for none.
DEFAULT_MAX_MEMORY = 4096
#: The manifest is rewritten at most this often while a batch runs (seconds).
MANIFEST_INTERVAL = 1.0
#: Tables of the batch folder, in the order they are written.
TABLE_NAMES = ("scores_long", "scores_wide", "sections", "validation", "errors")
#: Options a resumed batch must share with the run it resumes (they change the profiles).
RESUME_KEYS = ("engine", "max_pages", "password", "reference")


class BatchUsageError(ValueError):
    """Bad usage: no inputs, an input that does not exist, an unwritable output folder, a bad option.
    The command line prints the message and exits with status 2."""


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------

def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(INPUT_SUFFIXES):
                yield Path(root) / name


def collect_inputs(items: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The input files of ``items`` (files as given; folders searched recursively for ``*.pdf`` and
    ``*.txt``; globs expanded, ``**`` included), resolved to absolute paths, without duplicates,
    sorted by path. Raises :class:`BatchUsageError` for a path that does not exist, a glob that
    matches nothing, or no input at all."""
    found: dict[str, Path] = {}

    def add(p: Path) -> None:
        r = p.resolve()
        found.setdefault(str(r), r)

    items = list(items)
    if not items:
        raise BatchUsageError("no input given (name files, folders or globs)")
    for item in items:
        text = os.fspath(item)
        p = Path(text).expanduser()
        if p.is_dir():
            for f in _walk(p):
                add(f)
        elif p.exists():
            add(p)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
            if not matches:
                raise BatchUsageError(f"{text}: no file matches this pattern")
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    for f in _walk(mp):
                        add(f)
                elif mp.is_file() and mp.name.lower().endswith(INPUT_SUFFIXES):
                    add(mp)
        else:
            raise BatchUsageError(f"{text}: no such file or folder")
    if not found:
        raise BatchUsageError("no input files: found no *.pdf or *.txt file in "
                              + ", ".join(os.fspath(i) for i in items))
    return [found[k] for k in sorted(found)]


# --------------------------------------------------------------------------------------------
# The per-file function
# --------------------------------------------------------------------------------------------

_REFERENCES: dict[str, Any] = {}


def load_reference(path: str | os.PathLike[str]) -> Any:
    """Read the official dataset (``octa.validate.load_reference``, else ``Reference.load``)."""
    from octa import validate

    loader = getattr(validate, "load_reference", None) or validate.Reference.load
    return loader(path)


def _reference(path: str | None) -> Any:
    if path is None:
        return None
    if path not in _REFERENCES:
        _REFERENCES[path] = load_reference(path)
    return _REFERENCES[path]


def _failed(reason: str, message: str) -> dict[str, Any]:
    return {"status": "failed", "error": reason, "message": message, "profile": None}


def value_counts(profile: Any) -> dict[str, int]:
    """How many of a profile's values are unconfirmed and how many missing (indicators the edition
    has and summary scores that were not read)."""
    ind = profile.indicators
    summary_missing = sum(1 for m in ("criminality", "criminal_markets", "criminal_actors", "resilience")
                          if getattr(profile.summary, m) is None)
    return {"unconfirmed": sum(1 for i in ind if i.status == "unconfirmed")
            + sum(1 for s in profile.summary_scores if s.status == "unconfirmed"),
            "missing": sum(1 for i in ind if i.status == "missing") + summary_missing}


def _findings_message(validation: Sequence[Any]) -> str | None:
    if not validation:
        return None
    errors = sum(1 for f in validation if f.severity == "error")
    warnings = len(validation) - errors
    rules = sorted({f.rule for f in validation})
    return (f"{len(validation)} validation finding{'s' if len(validation) != 1 else ''} "
            f"({errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}): "
            + ", ".join(rules))


def convert(path: str, opts: dict[str, Any]) -> dict[str, Any]:
    """Convert one file; never raises for a bad input. Returns ``{"status": "ok" | "findings" |
    "failed", "error": reason or None, "message", "profile": profile JSON text or None, "seconds"}``.
    ``findings`` means the validator reported something (an error or a warning)."""
    from octa.errors import OctaError
    from octa.pipeline import extract

    t0 = time.perf_counter()
    try:
        profile = extract(path, engine=opts.get("engine", "pymupdf"), password=opts.get("password"),
                          max_pages=opts.get("max_pages", 200), reference=_reference(opts.get("reference")))
    except OctaError as exc:
        rec = _failed(exc.reason, exc.message)
    except MemoryError:
        rec = _failed("too large", "ran out of memory while reading this file")
    except RecursionError:
        rec = _failed("corrupt", "structure nested too deeply to read")
    except Exception as exc:  # a bug: record it, keep the batch going
        rec = _failed("internal error", f"{type(exc).__name__}: {exc} (a bug in octa {__version__}: "
                                        "please report it with this file)")
    else:
        rec = {"status": "findings" if profile.validation else "ok", "error": None,
               "message": _findings_message(profile.validation), "profile": profile.to_json(),
               "values": value_counts(profile)}
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    return rec


def _timeout_record(timeout: float, seconds: float) -> dict[str, Any]:
    rec = _failed("timeout", f"still running after the {timeout:g} s limit (--timeout); the worker was stopped "
                             "and replaced")
    rec["seconds"] = round(seconds, 3)
    return rec


def convert_with_timeout(path: str, opts: dict[str, Any]) -> dict[str, Any]:
    """:func:`convert` in a thread, giving up after ``opts["timeout"]`` (for Dask workers, which
    cannot be interrupted from outside; the record names the worker so that it can be restarted)."""
    timeout = opts.get("timeout") or 0
    if not timeout:
        return convert(path, opts)
    box: dict[str, Any] = {}
    t0 = time.perf_counter()
    th = threading.Thread(target=lambda: box.setdefault("rec", convert(path, opts)), daemon=True)
    th.start()
    th.join(timeout)
    if "rec" in box:
        return box["rec"]
    rec = _timeout_record(timeout, time.perf_counter() - t0)
    try:
        from distributed import get_worker

        rec["_worker"] = get_worker().address
    except Exception:  # not on a dask worker
        pass
    return rec


# --------------------------------------------------------------------------------------------
# The supervised process pool
# --------------------------------------------------------------------------------------------

_PRELOAD = ["octa.convert", "octa.pipeline", "octa.validate", "octa.layout", "octa.parse.scores", "octa.clean",
            "octa.parse.sections"]


def _mp_context() -> Any:
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return mp.get_context("spawn")


def _limit_memory(mib: int) -> None:
    if not mib:
        return
    try:
        import resource

        limit = int(mib) * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _worker_main(conn: Any, opts: dict[str, Any], reference: Any) -> None:
    """A pool worker: convert the files the parent sends, one at a time, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _limit_memory(opts.get("max_memory") or 0)
    if reference is not None and opts.get("reference"):
        _REFERENCES[opts["reference"]] = reference
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        idx, path = task
        rec = convert(path, opts)
        try:
            conn.send((idx, rec))
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Slot:
    proc: Any
    conn: Any
    task: tuple[int, str] | None = None
    started: float = 0.0


def _death_record(exitcode: int | None, seconds: float) -> dict[str, Any]:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
    else:
        name = f"exit status {exitcode}"
    if exitcode == -signal.SIGKILL:
        rec = _failed("too large", f"the worker process was killed ({name}, most likely out of memory) "
                                   "while reading this file")
    else:
        rec = _failed("corrupt", f"the worker process died ({name}) while reading this file")
    rec["seconds"] = round(seconds, 3)
    return rec


class _Pool:
    """``workers`` processes, each converting one file at a time; a worker that runs past ``timeout``
    or dies is killed and replaced, and its file recorded as ``timeout`` (or as the reason its death
    suggests)."""

    def __init__(self, workers: int, opts: dict[str, Any], reference: Any) -> None:
        self.ctx = _mp_context()
        self.workers = workers
        self.opts = opts
        self.reference = reference
        self.timeout = float(opts.get("timeout") or 0)
        self.slots: list[_Slot] = []

    def _spawn(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(child, self.opts, self.reference), daemon=True,
                                name="octa-worker")
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def _stop(self, slot: _Slot, kill: bool) -> None:
        if kill and slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(5)
        if slot.proc.is_alive():
            slot.proc.kill()
            slot.proc.join()
        slot.conn.close()

    def _give(self, slot: _Slot, queue: deque[tuple[int, str]]) -> _Slot | None:
        """Send ``slot`` its next task; return the slot now serving (a replacement if it had died),
        or None when the queue is empty and the worker was told to stop."""
        while queue:
            task = queue[0]
            try:
                slot.conn.send(task)
            except (BrokenPipeError, OSError):
                self._stop(slot, kill=True)
                slot = self._spawn()
                continue
            queue.popleft()
            slot.task = task
            slot.started = time.monotonic()
            return slot
        try:
            slot.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self._stop(slot, kill=False)
        return None

    def run(self, tasks: Sequence[tuple[int, str]], on_result: Callable[[int, dict[str, Any]], None]) -> None:
        from multiprocessing.connection import wait

        queue = deque(tasks)
        try:
            for _ in range(min(self.workers, len(queue))):
                slot = self._give(self._spawn(), queue)
                if slot is not None:
                    self.slots.append(slot)
            while self.slots:
                now = time.monotonic()
                wait_for = None
                if self.timeout:
                    wait_for = max(0.0, min(s.started + self.timeout for s in self.slots) - now) + 0.01
                waitables = [s.conn for s in self.slots] + [s.proc.sentinel for s in self.slots]
                wait(waitables, timeout=wait_for)
                still: list[_Slot] = []
                for slot in self.slots:
                    nxt: _Slot | None = slot
                    assert slot.task is not None
                    idx = slot.task[0]
                    elapsed = time.monotonic() - slot.started
                    if slot.conn.poll():
                        try:
                            ridx, rec = slot.conn.recv()
                        except (EOFError, OSError):
                            self._stop(slot, kill=True)
                            on_result(idx, _death_record(slot.proc.exitcode, elapsed))
                            nxt = self._give(self._spawn(), queue)
                        else:
                            slot.task = None
                            on_result(ridx, rec)
                            nxt = self._give(slot, queue)
                    elif not slot.proc.is_alive():
                        self._stop(slot, kill=True)
                        on_result(idx, _death_record(slot.proc.exitcode, elapsed))
                        nxt = self._give(self._spawn(), queue)
                    elif self.timeout and elapsed > self.timeout:
                        self._stop(slot, kill=True)
                        on_result(idx, _timeout_record(self.timeout, elapsed))
                        nxt = self._give(self._spawn(), queue)
                    if nxt is not None:
                        still.append(nxt)
                self.slots = still
        finally:
            for slot in self.slots:
                self._stop(slot, kill=True)
            self.slots = []


def _run_dask(address: str, workers: int, tasks: Sequence[tuple[int, str]], opts: dict[str, Any],
              keys: Sequence[str], on_result: Callable[[int, dict[str, Any]], None]) -> None:
    """Map :func:`convert_with_timeout` over ``tasks`` on a Dask cluster (``"local"``: a
    ``LocalCluster`` of ``workers`` processes), at most a few tasks per worker in flight. Workers
    must see the input paths (a shared file system). A worker whose task timed out is restarted."""
    import logging

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            client = Client(address, timeout=30)
    except Exception as exc:
        if cluster is not None:
            cluster.close()
        raise BatchUsageError(f"cannot start or reach the Dask scheduler {address!r}: {exc}") from None
    try:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        queue = deque(tasks)
        window = 2 * nworkers + 2
        futures: dict[Any, int] = {}

        def submit() -> Any:
            idx, path = queue.popleft()
            fut = client.submit(convert_with_timeout, path, opts, key=keys[idx], retries=0)
            futures[fut] = idx
            return fut

        ac = as_completed([submit() for _ in range(min(window, len(queue)))])
        for fut in ac:
            idx = futures.pop(fut)
            if fut.status == "finished":
                rec = fut.result()
            else:
                try:
                    exc = fut.exception()
                except Exception as err:  # cancelled
                    exc = err
                rec = _failed("internal error", f"the Dask task failed: {type(exc).__name__}: {exc}")
                rec["seconds"] = None
            worker = rec.pop("_worker", None)
            if worker:  # its thread still runs the hung file: restart the worker (needs a nanny)
                try:
                    client.restart_workers([worker], timeout=60, raise_for_error=False)
                except Exception:
                    pass
            on_result(idx, rec)
            fut.release()
            if queue:
                ac.add(submit())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------

_UNPRINTABLE = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} | {
    c: f"\\u{c:04x}" for c in (0x200B, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
                                0x2068, 0x2069, 0xFEFF)}


def printable(text: object) -> str:
    """``text`` safe for a terminal or a log: control characters (escape sequences), and bidi and
    zero-width characters written as ``\\xNN`` / ``\\uNNNN``."""
    return str(text).translate(_UNPRINTABLE)


class Progress:
    """Progress reporting interface (the API reports nothing by default)."""

    def start(self, total: int, todo: int, outdir: Path) -> None:  # noqa: B027
        pass

    def advance(self, entry: dict[str, Any]) -> None:  # noqa: B027
        pass

    def finish(self, summary: str) -> None:  # noqa: B027
        pass


class PlainProgress(Progress):
    """One log line per file on stderr (for logs and pipes)."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.done = 0
        self.todo = 0

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def start(self, total: int, todo: int, outdir: Path) -> None:
        self.todo = todo
        skipped = total - todo
        self._line(f"octa batch: {total} input{'s' if total != 1 else ''}, {todo} to convert"
                   + (f" ({skipped} already done)" if skipped else "") + f" → {printable(outdir)}")

    def advance(self, entry: dict[str, Any]) -> None:
        self.done += 1
        w = len(str(self.todo))
        what = entry["status"] if entry["status"] != "failed" else f"failed: {entry['error']}: {entry['message']}"
        secs = entry.get("seconds")
        self._line(f"[{self.done:>{w}}/{self.todo}] {printable(entry['file'])}: {printable(what)}"
                   + (f" ({secs:.2f} s)" if isinstance(secs, int | float) else ""))

    def finish(self, summary: str) -> None:
        self._line(summary)


class RichProgress(Progress):
    """A rich progress bar on a terminal."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.bar: Any = None
        self.counts = {"ok": 0, "findings": 0, "failed": 0}

    def start(self, total: int, todo: int, outdir: Path) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        skipped = total - todo
        if skipped:
            self.console.print(f"octa batch: {skipped} of {total} inputs already done (--resume)")
        self.bar = Progress(TextColumn("[bold]octa batch"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("[green]{task.fields[ok]} ok[/] [yellow]{task.fields[findings]} findings[/] "
                                       "[red]{task.fields[failed]} failed[/]"),
                            TimeElapsedColumn(), TimeRemainingColumn(), console=self.console)
        self.bar.start()
        self.task = self.bar.add_task("convert", total=todo, **self.counts)

    def advance(self, entry: dict[str, Any]) -> None:
        self.counts[entry["status"]] += 1
        if entry["status"] == "failed":
            from rich.markup import escape

            text = printable(f"{entry['file']}: {entry['error']}: {entry['message']}")
            self.bar.console.print(f"[red]failed[/] {escape(text)}", markup=True, highlight=False)
        self.bar.update(self.task, advance=1, **self.counts)

    def finish(self, summary: str) -> None:
        if self.bar is not None:
            self.bar.stop()
        self.console.print(summary, markup=False, highlight=False, soft_wrap=True)


# --------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------

@dataclass
class InputEntry:
    """One input of a batch: what the manifest records of it (:meth:`record`), and what the run
    knows besides (whether this run converted it, its profile's unconfirmed and missing counts)."""

    path: str
    file: str
    stem: str
    sha256: str | None = None
    status: str | None = None  # ok, findings or failed; None: not done yet
    output: str | None = None  # profiles/<stem>.json
    error: str | None = None
    message: str | None = None
    seconds: float | None = None
    ran: bool = False  # converted by this run (not resumed from an earlier one)
    values: dict[str, Any] | None = None  # the unconfirmed and missing counts of its profile

    def record(self) -> dict[str, Any]:
        """The entry as ``manifest.json`` lists it (and as a :class:`Progress` is given it)."""
        return {"path": self.path, "file": self.file, "stem": self.stem, "sha256": self.sha256,
                "status": self.status, "output": self.output, "error": self.error, "message": self.message,
                "seconds": self.seconds}

    def fail(self, error: str | None, message: str | None) -> None:
        self.status, self.output, self.error, self.message = "failed", None, error, message


@dataclass(frozen=True)
class ConvertResult:
    """What converting one input gave: a worker's record (see :func:`convert`), as the run reads it."""

    status: str  # ok, findings or failed
    profile: str | None = None  # the profile JSON
    error: str | None = None
    message: str | None = None
    seconds: float | None = None
    values: dict[str, Any] | None = None

    @classmethod
    def of(cls, rec: Mapping[str, Any]) -> ConvertResult:
        return cls(rec["status"], rec.get("profile"), rec.get("error"), rec.get("message"), rec.get("seconds"),
                   rec.get("values"))


@dataclass
class BatchResult:
    """What :func:`run_batch` returns: the output folder, the manifest and the tables as pandas
    DataFrames (text as extracted, not neutralised as in the CSV files), each built from the
    profiles on disk the first time it is asked for."""

    outdir: Path
    manifest: dict[str, Any]
    exit_code: int
    summary: str
    #: stem → Profile, read from ``profiles/<stem>.json`` when asked for (a batch of thousands of
    #: profiles is never held in memory at once)
    profiles: Mapping[str, Any] = field(default_factory=dict, repr=False)
    #: the tables, each built from the profiles on disk when first asked for
    tables: Any = field(default=None, repr=False)

    @property
    def counts(self) -> dict[str, Any]:
        return self.manifest["counts"]

    @property
    def scores_long(self) -> Any:
        return self.tables["scores_long"]

    @property
    def scores_wide(self) -> Any:
        return self.tables["scores_wide"]

    @property
    def sections(self) -> Any:
        return self.tables["sections"]

    @property
    def validation(self) -> Any:
        return self.tables["validation"]

    @property
    def errors(self) -> Any:
        return self.tables["errors"]


def stable_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without what describes the run rather than its result (the ``run`` object and
    each input's ``seconds``): equal for any worker count, scheduler, or resumed run."""
    out = {k: v for k, v in manifest.items() if k != "run"}
    out["inputs"] = [{k: v for k, v in e.items() if k != "seconds"} for e in manifest.get("inputs", [])]
    return out


def _parse_formats(formats: str | Iterable[str] | None) -> list[str]:
    if formats is None:
        try:
            import pyarrow  # noqa: F401

            return ["csv", "json", "parquet"]
        except ImportError:
            return ["csv", "json"]
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out = []
    for f in items:
        f = f.strip().lower()
        if not f:
            continue
        if f not in FORMATS:
            raise BatchUsageError(f"unknown format {f!r} (choose from {', '.join(FORMATS)})")
        if f not in out:
            out.append(f)
    if not out:
        raise BatchUsageError("no output format given")
    if "parquet" in out:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise BatchUsageError("--format parquet needs pyarrow: pip install 'octa[parquet]'") from None
    return [f for f in FORMATS if f in out]


def _prepare_outdir(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise BatchUsageError(f"{out}: exists and is not a folder")
    try:
        (out / "profiles").mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".octa-probe.", suffix=".tmp", dir=out)
        os.close(fd)
        os.unlink(probe)
        fd, probe = tempfile.mkstemp(prefix=".octa-probe.", suffix=".tmp", dir=out / "profiles")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise BatchUsageError(f"{out}: cannot write to the output folder ({exc.strerror or exc})") from None
    ex.remove_stale_temporaries(out)
    ex.remove_stale_temporaries(out / "profiles")
    return out.resolve()


def _read_profile(path: Path) -> Any:
    """A profile file of the run, or None when it is missing or damaged (it is then converted again)."""
    from octa.model import read_profile

    try:
        return read_profile(path)
    except (OSError, ValueError):
        return None


def _counts(entries: Sequence[InputEntry]) -> dict[str, Any]:
    reasons: dict[str, int] = {}
    for e in entries:
        if e.status == "failed":
            reasons[e.error] = reasons.get(e.error, 0) + 1  # type: ignore[index]
    return {
        "inputs": len(entries),
        "ok": sum(1 for e in entries if e.status == "ok"),
        "findings": sum(1 for e in entries if e.status == "findings"),
        "failed": sum(1 for e in entries if e.status == "failed"),
        "errors": dict(sorted(reasons.items())),
    }


def run_batch(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
              out: str | os.PathLike[str] | None = None, **options: Any) -> BatchResult:
    """Convert every profile of ``paths`` (files, folders searched for ``*.pdf``/``*.txt``, globs)
    into the batch folder ``out`` (a new temporary folder when None) and return the tables as pandas
    DataFrames. ``options`` are :class:`BatchRun`'s (``workers`` defaults to every core). Raises
    :class:`BatchUsageError` on bad usage; files that cannot be converted are recorded in
    ``errors.csv``, never raised."""
    return BatchRun(paths, out, **options).run()


class BatchRun:
    """One batch conversion (see :func:`run_batch`): the options checked and the output folder
    prepared when made; :meth:`run` converts the inputs not done yet, writing each profile and the
    manifest as results arrive, then the tables."""

    def __init__(
        self,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        out: str | os.PathLike[str] | None = None,
        *,
        workers: int | None = None,
        engine: str = "pymupdf",
        reference: str | os.PathLike[str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_pages: int = 200,
        password: str | None = None,
        resume: bool = False,
        formats: str | Iterable[str] | None = None,
        official_columns: bool = False,
        dask: str | None = None,
        review: bool = False,
        panel: bool = False,
        max_memory: int = DEFAULT_MAX_MEMORY,
        progress: Progress | None = None,
    ) -> None:
        self.t_start = time.perf_counter()
        if isinstance(paths, str | os.PathLike):
            paths = [paths]
        inputs = collect_inputs(paths)
        self.fmts = _parse_formats(formats)
        if engine not in ("pymupdf", "pdfplumber"):
            raise BatchUsageError(f"unknown engine {engine!r} (pymupdf or pdfplumber)")
        if workers is None:
            workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        if workers < 1:
            raise BatchUsageError(f"--workers must be at least 1, not {workers}")
        if timeout is not None and timeout < 0:
            raise BatchUsageError(f"--timeout must be positive (0 for none), not {timeout}")
        if max_pages < 1:
            raise BatchUsageError(f"--max-pages must be at least 1, not {max_pages}")
        if review:
            import importlib.util

            if importlib.util.find_spec("octa.review") is None:
                raise BatchUsageError("--review needs the octa.review module, which this installation of octa lacks")
        if dask:
            try:
                import dask as _dask  # noqa: F401
                import distributed  # noqa: F401
            except ImportError:
                raise BatchUsageError("--dask needs dask and distributed: pip install 'octa[dask]'") from None
        self.workers, self.dask, self.review, self.official = workers, dask, review, official_columns
        self.panel = panel
        self.outdir = _prepare_outdir(Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="octa-batch-")))
        self.profiles_dir = self.outdir / "profiles"

        self.reference = None
        ref_info = None
        ref_path = None
        if reference is not None:
            ref_path = str(Path(reference).resolve())
            try:
                self.reference = load_reference(ref_path)
            except (ValueError, OSError) as exc:
                raise BatchUsageError(f"{reference}: cannot read the reference dataset: {exc}") from None
            ref_info = {"file": Path(ref_path).name, "sha256": sha256_file(Path(ref_path))}

        self.options = {
            "engine": engine,
            "max_pages": max_pages,
            "timeout": timeout or None,
            "max_memory": max_memory or None,
            "password": password is not None,
            "reference": ref_info,
            "formats": self.fmts,
            "official_columns": official_columns,
        }
        self.worker_opts = {"engine": engine, "password": password, "max_pages": max_pages, "timeout": timeout or 0,
                            "reference": ref_path, "max_memory": max_memory or 0}

        # Entries, in input-path order.
        self.entries: list[InputEntry] = []
        for p, stem in zip(inputs, ex.assign_stems(inputs), strict=True):
            entry = InputEntry(str(p), p.name, stem)
            try:
                if not p.is_file():  # a FIFO or device would block or never end: never open one
                    raise OSError(0, "not a regular file")
                entry.sha256 = sha256_file(p)
            except OSError as exc:
                entry.fail("unsupported", f"cannot read file: {exc.strerror or exc}")
            self.entries.append(entry)

        # Profiles an earlier run of this folder wrote (its manifest lists them): those this run does
        # not write again are removed once it completes, so the folder never mixes two runs' inputs.
        earlier = ex.read_manifest(self.outdir)
        self.earlier_outputs = sorted({e["output"] for e in (earlier or {}).get("inputs", [])
                                       if isinstance(e, dict) and isinstance(e.get("output"), str)})
        self.resumed = _resume(self.entries, self.outdir, self.options, earlier) if resume else 0
        self.progress = progress or Progress()
        self.last_flush = 0.0

    def manifest(self, complete: bool, elapsed: float | None = None) -> dict[str, Any]:
        """``manifest.json``: the entries done so far, their counts, and how the run went."""
        done = [e for e in self.entries if e.status is not None]
        m: dict[str, Any] = {"octa_version": __version__, "complete": complete, "options": self.options,
                             "inputs": [e.record() for e in done], "counts": _counts(done)}
        converted = sum(1 for e in self.entries if e.ran and e.status != "failed")
        m["run"] = {"workers": self.workers, "scheduler": f"dask {self.dask}" if self.dask else "processes",
                    "resumed": self.resumed, "seconds": None if elapsed is None else round(elapsed, 3),
                    "profiles_per_second": (round(converted / elapsed, 2) if elapsed else None)}
        return m

    def flush(self, force: bool = False) -> None:
        """Write the manifest as it stands (at most every ``MANIFEST_INTERVAL`` seconds unless forced)."""
        now = time.monotonic()
        if force or now - self.last_flush >= MANIFEST_INTERVAL:
            ex.write_atomic(self.outdir / "manifest.json", ex.dumps_json(self.manifest(False)))
            self.last_flush = now

    def on_result(self, idx: int, rec: dict[str, Any]) -> None:
        """One input's result: its profile written (or a stale one removed), its entry updated."""
        e, result = self.entries[idx], ConvertResult.of(rec)
        target = ex.inside(self.profiles_dir, f"{e.stem}.json")
        if result.status == "failed":
            e.fail(result.error, result.message)
            if target.exists():  # a stale profile of an earlier run
                target.unlink()
        else:
            ex.write_atomic(target, result.profile or "")
            e.status, e.output, e.error, e.message = result.status, f"profiles/{target.name}", None, result.message
            e.values = result.values
        e.seconds = result.seconds
        e.ran = True
        self.progress.advance(e.record())
        self.flush()

    def run(self) -> BatchResult:
        entries, outdir = self.entries, self.outdir
        todo = [i for i, e in enumerate(entries) if e.status is None]
        self.flush(force=True)
        self.progress.start(len(entries), len(todo), outdir)
        tasks = [(i, entries[i].path) for i in todo]
        # the Parquet writer's libraries (pyarrow, and pandas, which pyarrow imports on its first
        # array: about a second) are imported while the workers convert, the parent being idle then
        warm = threading.Thread(target=_import_writers, args=(self.fmts,), name="octa-import-writers")
        warm.start()
        try:
            if tasks and self.dask:
                keys = [f"octa-convert-{i}-{(e.sha256 or '')[:16]}" for i, e in enumerate(entries)]
                _run_dask(self.dask, self.workers, tasks, self.worker_opts, keys, self.on_result)
            elif tasks:
                _Pool(min(self.workers, len(tasks)), self.worker_opts, self.reference).run(tasks, self.on_result)
        finally:
            self.flush(force=True)
            warm.join()

        tables, profiles = _write_tables(outdir, entries, self.fmts, self.official)
        _remove_stale(self.profiles_dir, self.earlier_outputs, {e.output for e in entries if e.output})
        elapsed = time.perf_counter() - self.t_start
        final = self.manifest(True, elapsed)
        ex.write_atomic(outdir / "manifest.json", ex.dumps_json(final))

        counts = final["counts"]
        ran = sum(1 for e in entries if e.ran)
        converted = sum(1 for e in entries if e.ran and e.status != "failed")
        reasons = ", ".join(f"{k} {v}" for k, v in counts["errors"].items())
        unconfirmed = sum((e.values or {}).get("unconfirmed", 0) for e in entries)
        missing = sum((e.values or {}).get("missing", 0) for e in entries)
        summary = (f"octa batch: {counts['inputs']} files: {counts['ok']} ok, {counts['findings']} with findings, "
                   f"{counts['failed']} failed" + (f" ({reasons})" if reasons else "")
                   + f"; values: {unconfirmed} unconfirmed, {missing} missing"
                   + f"; {elapsed:.1f} s, {converted / elapsed if elapsed else 0:.1f} profiles/s"
                   + (f" ({len(entries) - ran} resumed)" if len(entries) - ran else "") + f" → {printable(outdir)}")
        if self.panel:  # before the review, whose country pages read the panel of the folder
            from octa.panel import build, write

            write(build([outdir], reference=self.worker_opts["reference"]), outdir)
        if self.review:
            from octa.review import write_review

            write_review(outdir)
        self.progress.finish(summary)
        return BatchResult(outdir=outdir, manifest=final, exit_code=1 if counts["failed"] else 0, summary=summary,
                           profiles=profiles, tables=tables)


def _import_writers(fmts: Sequence[str]) -> None:
    """Import what writing the tables will import (for Parquet: pyarrow, and pandas, which pyarrow
    imports on its first array), so that the parent does it while waiting for the workers."""
    if "parquet" not in fmts:
        return
    try:
        import pyarrow as pa
        import pyarrow.parquet  # noqa: F401

        pa.array([0.5], type=pa.float64())
    except Exception:  # (whatever fails here fails again, and is reported, where the tables are written)
        pass


def _remove_stale(profiles_dir: Path, earlier: list[str], current: set[str]) -> None:
    """Remove the profiles an earlier run listed (``profiles/<stem>.json``) that this run did not
    write; anything else in the folder is left alone."""
    for rel in earlier:
        if rel in current or not rel.startswith("profiles/"):
            continue
        try:
            target = ex.inside(profiles_dir, rel[len("profiles/"):])
        except ValueError:  # a manifest edited by hand: never follow it out of the folder
            continue
        target.unlink(missing_ok=True)


def _resume(entries: list[InputEntry], outdir: Path, options: dict[str, Any],
            prior: dict[str, Any] | None) -> int:
    """Mark the entries the earlier run of this folder (its manifest, ``prior``) finished; return how
    many."""
    if prior is None:
        return 0
    old = prior.get("options") or {}
    diff = [k for k in RESUME_KEYS if old.get(k) != options.get(k)]
    if diff:
        raise BatchUsageError(
            f"{outdir}: cannot resume: the folder was made with different options ("
            + ", ".join(f"{k}: {old.get(k)!r} then, {options.get(k)!r} now" for k in diff)
            + "); use another output folder or the same options")
    done = {(e.get("stem"), e.get("sha256")): e for e in prior["inputs"] if isinstance(e, dict)}
    n = 0
    for e in entries:
        if e.status is not None:
            continue
        old_e = done.get((e.stem, e.sha256))
        target = outdir / "profiles" / f"{e.stem}.json"
        if old_e is not None and old_e.get("status") == "failed" and old_e.get("error") != "timeout":
            e.fail(old_e.get("error"), old_e.get("message"))
            e.seconds = old_e.get("seconds")
            n += 1
            continue
        if not target.is_file():
            continue
        prof = _read_profile(target)
        if prof is None or prof.source.sha256 != e.sha256 or prof.source.file != e.file:
            continue
        if prof.source.engine not in (options["engine"], "text"):
            continue
        status = "findings" if prof.validation else "ok"
        e.status, e.output, e.error, e.message = status, f"profiles/{target.name}", None, _findings_message(prof.validation)
        e.seconds = old_e.get("seconds") if old_e is not None and old_e.get("status") == status else None
        e.values = value_counts(prof)
        n += 1
    return n


class _ProfilesOnDisk(Mapping):
    """stem → Profile of a finished batch, each read from its file when asked for."""

    def __init__(self, outdir: Path, outputs: dict[str, str]) -> None:
        self._outdir = outdir
        self._outputs = outputs

    def __getitem__(self, stem: str) -> Any:
        prof = _read_profile(self._outdir / self._outputs[stem])
        if prof is None:
            raise KeyError(f"{stem}: {self._outputs[stem]} could not be read back")
        return prof

    def __iter__(self) -> Iterator[str]:
        return iter(self._outputs)

    def __len__(self) -> int:
        return len(self._outputs)


def _table_rows(table: str, prof: Any, e: InputEntry) -> list[dict[str, Any]]:
    """The rows of ``table`` of one profile of the batch."""
    if table == "scores_long":
        return ex.profile_long_rows(prof, e.stem, e.file)
    if table == "scores_wide":
        return [ex.wide_row(prof, e.stem, e.file)]
    if table == "sections":
        return ex.section_rows(prof, e.stem, e.file)
    if table == "validation":
        return ex.validation_rows(prof, e.stem, e.file)
    return []


def _error_row(e: InputEntry) -> dict[str, Any]:
    return {"file": e.file, "error": e.error, "message": e.message, "stem": e.stem}


def _each_profile(outdir: Path, entries: Sequence[InputEntry]) -> Iterator[tuple[InputEntry, Any]]:
    """(entry, profile or None) of every finished entry in input-path order, one profile read from
    its file at a time; None for a failed entry. An entry whose profile cannot be read back (removed
    or damaged behind our back) is turned into a failure: said, never dropped."""
    for e in entries:
        if e.status is None:
            continue
        if e.status == "failed":
            yield e, None
            continue
        prof = _read_profile(outdir / e.output)  # type: ignore[operator]
        if prof is None:
            e.fail("internal error", f"{e.output} could not be read back")
            yield e, None
            continue
        yield e, prof


def _write_tables(outdir: Path, entries: Sequence[InputEntry], fmts: Sequence[str],
                  official: bool) -> tuple[_Tables, Mapping[str, Any]]:
    """Write every table from the profile files on disk (input-path order), streaming: one profile
    and at most one Parquet row group are in memory at a time, whatever the size of the batch. The
    DataFrames of the result are built when first asked for."""
    outputs: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        csvs: dict[str, ex.CsvTable] = {}
        if "csv" in fmts:
            for t in TABLE_NAMES:
                fh = stack.enter_context(ex.atomic_file(outdir / f"{t}.csv"))
                text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
                # detach (not close) when the block ends, so atomic_file can fsync and rename
                stack.callback(text.detach)
                stack.callback(text.flush)
                csvs[t] = ex.CsvTable(text, t, official=official)
        parquet = None
        if "parquet" in fmts:
            parquet = ex.ParquetTable(stack.enter_context(ex.atomic_file(outdir / "scores.parquet")), "scores_long")
            stack.callback(parquet.close)
        for e, prof in _each_profile(outdir, entries):
            if prof is None:
                if "errors" in csvs:
                    csvs["errors"].write([_error_row(e)])
                continue
            outputs[e.stem] = e.output  # type: ignore[assignment]
            long_rows = _table_rows("scores_long", prof, e)  # the long CSV and the Parquet file share them
            for t, table in csvs.items():
                if t != "errors":
                    table.write(long_rows if t == "scores_long" else _table_rows(t, prof, e))
            if parquet is not None:
                parquet.write(long_rows)
    if "csv" in fmts:
        ex.write_atomic(outdir / "datapackage.json", ex.dumps_json(ex.datapackage(TABLE_NAMES, official=official)))
    snapshot = [replace(e) for e in entries if e.status is not None]
    return _Tables(outdir, snapshot, official), _ProfilesOnDisk(outdir, outputs)


class _Tables:
    """The DataFrames of a finished batch, each built from the profile files on disk the first time
    it is asked for (then kept): a batch run from the command line never builds them."""

    def __init__(self, outdir: Path, entries: list[InputEntry], official: bool) -> None:
        self._outdir = outdir
        self._entries = entries
        self._official = official
        self._frames: dict[str, Any] = {}

    def __getitem__(self, table: str) -> Any:
        if table not in self._frames:
            rows: list[dict[str, Any]] = []
            for e, prof in _each_profile(self._outdir, self._entries):
                if prof is None:
                    if table == "errors":
                        rows.append(_error_row(e))
                elif table != "errors":
                    rows.extend(_table_rows(table, prof, e))
            self._frames[table] = ex.frame(table, rows, official=self._official)
        return self._frames[table]
