#!/usr/bin/env python
"""Fuzz octa at scale: mutated fixture PDFs and mutated or generated text inputs, each run through
``octa.pipeline.extract`` (and, for texts, ``octa.clean.clean_text``) in a pool of worker processes.

Counts, and writes to ``OUT/fuzz.json``:

* crashes: an exception other than ``OctaError`` (the case file is kept in ``OUT/crashes``), or a
  worker that died (signal, abort); memory exhaustion under ``--max-memory`` is listed apart;
* hangs: a case still running after ``--timeout`` seconds (its worker is killed and replaced; the
  case is kept in ``OUT/hangs``);
* peak memory: the largest resident set size any worker reached (``ru_maxrss``);
* files written outside OUT: new or changed entries around the workers' own folders (they run in
  OUT/sandbox/work, so an escape upwards lands in OUT/sandbox or OUT) and in the fixtures
  folder, plus anything the workers left in their own cwd, HOME and TMPDIR (all inside OUT, all
  expected empty: extraction writes nothing).

Cases are derived from ``--seed`` and their index (``tests/hostile.py``: ``random_pdf_case``,
``random_text_bytes``), so any case can be regenerated: ``--only pdf:1234``.

    python scripts/fuzz.py --pdfs 10000 --texts 10000 --timeout 10 --out /tmp/octa-fuzz/out
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import shutil
import sys
import time
import traceback
from collections import Counter
from multiprocessing.connection import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.hostile
sys.path.insert(0, str(ROOT / "src"))


# ----------------------------------------------------------------------------------------------
# Workers
# ----------------------------------------------------------------------------------------------

def _worker(conn, sandbox: str, max_memory: int, engine: str) -> None:
    """Run cases sent by the parent: (case id, kind, path) → (case id, outcome, detail, seconds, rss KiB)."""
    import resource

    os.chdir(sandbox)
    if max_memory:
        limit = max_memory * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    from octa.clean import clean_text
    from octa.errors import OctaError
    from octa.pipeline import detect_edition, extract

    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        case_id, kind, path = msg
        t0 = time.perf_counter()
        outcome, detail = "profile", ""
        try:
            if kind == "text":
                raw = Path(path).read_bytes()
                cleaned, repairs = clean_text(raw.decode("utf-8", errors="replace"), detect_edition(raw.decode("utf-8", errors="replace")))
                if not isinstance(cleaned, str) or not isinstance(repairs, list):
                    raise TypeError("clean_text returned the wrong types")
            profile = extract(path, engine=engine)
            json.loads(profile.to_json())
        except OctaError as exc:
            outcome, detail = f"error:{exc.reason}", exc.message[:200]
        except MemoryError:
            outcome, detail = "memory", "MemoryError"
        except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
            outcome = "crash"
            detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send((case_id, outcome, detail, time.perf_counter() - t0, rss))


class Pool:
    """Worker processes fed one case at a time; a worker past the timeout is killed and replaced."""

    def __init__(self, workers: int, sandbox: Path, max_memory: int, engine: str, timeout: float) -> None:
        self.ctx = mp.get_context("spawn")
        self.sandbox, self.max_memory, self.engine, self.timeout = sandbox, max_memory, engine, timeout
        self.slots = [self._spawn() for _ in range(workers)]
        self.respawns = 0

    def _spawn(self) -> dict:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child, str(self.sandbox), self.max_memory, self.engine),
                                daemon=True)
        proc.start()
        child.close()
        return {"proc": proc, "conn": parent, "case": None, "deadline": 0.0, "started": 0.0}

    def _replace(self, i: int) -> None:
        slot = self.slots[i]
        slot["proc"].kill()
        slot["proc"].join(5)
        slot["conn"].close()
        self.slots[i] = self._spawn()
        self.respawns += 1

    def run(self, cases, on_result) -> None:
        """``cases``: iterator of (case id, kind, path); ``on_result(case, outcome, detail, seconds, rss)``."""
        cases = iter(cases)
        pending = True
        while True:
            for slot in self.slots:
                if slot["case"] is None and pending:
                    case = next(cases, None)
                    if case is None:
                        pending = False
                        break
                    slot["case"] = case
                    slot["started"] = time.monotonic()
                    slot["deadline"] = slot["started"] + self.timeout
                    slot["conn"].send(case)
            busy = [s for s in self.slots if s["case"] is not None]
            if not busy:
                return
            now = time.monotonic()
            ready = wait([s["conn"] for s in busy] + [s["proc"].sentinel for s in busy],
                         timeout=max(0.01, min(s["deadline"] for s in busy) - now))
            now = time.monotonic()
            for i, slot in enumerate(self.slots):
                case = slot["case"]
                if case is None:
                    continue
                if slot["conn"] in ready:
                    try:
                        result = slot["conn"].recv()
                    except (EOFError, OSError):
                        result = None
                    if result is not None:
                        slot["case"] = None
                        on_result(case, *result[1:])
                        continue
                if slot["proc"].sentinel in ready and not slot["proc"].is_alive():
                    code = slot["proc"].exitcode
                    slot["case"] = None
                    self._replace(i)
                    on_result(case, "died", f"worker exit code {code}", now - slot["started"], 0)
                elif now >= slot["deadline"]:
                    slot["case"] = None
                    self._replace(i)
                    on_result(case, "hang", f"still running after {self.timeout} s", now - slot["started"], 0)

    def close(self) -> int:
        """Stop the workers; return the largest ru_maxrss (KiB) of any worker that ever ran."""
        import resource

        for slot in self.slots:
            try:
                slot["conn"].send(None)
            except OSError:
                pass
        for slot in self.slots:
            slot["proc"].join(10)
            if slot["proc"].is_alive():
                slot["proc"].kill()
                slot["proc"].join()
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


# ----------------------------------------------------------------------------------------------
# Watching the file system
# ----------------------------------------------------------------------------------------------

def snapshot(folder: Path, exclude: tuple[Path, ...] = (), depth: int = 2) -> dict[str, tuple[int, int]]:
    """Relative path → (size, mtime_ns) of the entries of ``folder`` down to ``depth`` levels."""
    out: dict[str, tuple[int, int]] = {}

    def walk(d: Path, level: int) -> None:
        try:
            entries = list(os.scandir(d))
        except OSError:
            return
        for e in entries:
            p = Path(e.path)
            if any(p == ex or ex in p.parents for ex in exclude):
                continue
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            out[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
            if e.is_dir(follow_symlinks=False) and level < depth:
                walk(p, level + 1)

    walk(folder, 1)
    return out


def changed(before: dict, after: dict) -> list[str]:
    return sorted(k for k, v in after.items() if before.get(k) != v)


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink())


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdfs", type=int, default=1000, help="number of mutated PDFs")
    ap.add_argument("--texts", type=int, default=1000, help="number of text inputs")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per case before it counts as a hang")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: a new temporary one)")
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--engine", choices=("pymupdf", "pdfplumber"), default="pymupdf")
    ap.add_argument("--max-memory", type=int, default=2048, help="address-space limit per worker, MiB (0: none)")
    ap.add_argument("--only", action="append", default=[], help="run only these cases (pdf:N or text:N)")
    ap.add_argument("--keep", action="store_true", help="keep every case file, not only crashes and hangs")
    args = ap.parse_args(argv)

    import tempfile

    from tests.hostile import fuzz_seeds, random_pdf_case, random_text_bytes

    out = (args.out or Path(tempfile.mkdtemp(prefix="octa-fuzz-")) / "out").resolve()
    if out.exists() and any(out.iterdir()):
        if not (out / "fuzz.json").exists():  # never wipe a folder that is not an earlier run's
            ap.error(f"--out {out} exists and is not an earlier fuzz run's folder (no fuzz.json): "
                     "give a new or empty folder")
        shutil.rmtree(out)
    for sub in ("cases", "crashes", "hangs", "sandbox/work", "sandbox/home", "sandbox/tmp"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    sandbox = out / "sandbox"
    fixtures = ROOT / "fixtures"
    # Workers run in OUT/sandbox/work, so a write that climbs out of its cwd ("../x", "../../x")
    # lands in OUT/sandbox or OUT, which are watched (OUT's parent is not: it may be a shared /tmp).
    own = tuple(out / sub for sub in ("cases", "crashes", "hangs", "sandbox/work", "sandbox/home", "sandbox/tmp"))
    watched = {"OUT": (out, own), "fixtures": (fixtures, ())}
    before = {k: snapshot(d, ex) for k, (d, ex) in watched.items()}

    pdf_seeds, text_seeds = fuzz_seeds(fixtures)
    todo = [("pdf", i) for i in range(args.pdfs)] + [("text", i) for i in range(args.texts)]
    if args.only:
        todo = [(k, int(i)) for k, i in (x.split(":") for x in args.only)]

    def cases():
        for kind, i in todo:
            rng = random.Random(f"octa-fuzz:{args.seed}:{kind}:{i}")
            if kind == "pdf":
                data, suffix = random_pdf_case(rng, pdf_seeds), ".pdf"
            else:
                data, suffix = random_text_bytes(rng, text_seeds), ".txt"
            path = out / "cases" / f"{kind}_{i:06d}{suffix}"
            path.write_bytes(data)
            yield (f"{kind}:{i}", kind, str(path))

    os.environ.update(HOME=str(sandbox / "home"), TMPDIR=str(sandbox / "tmp"), TEMP=str(sandbox / "tmp"),
                      TMP=str(sandbox / "tmp"))
    outcomes: dict[str, Counter] = {"pdf": Counter(), "text": Counter()}
    findings: list[dict] = []
    seconds: list[float] = []
    peak = {"rss_kib": 0, "case": None}
    t_start = time.perf_counter()
    done = 0

    def on_result(case, outcome, detail, secs, rss):
        nonlocal done
        case_id, kind, path = case
        done += 1
        outcomes[kind][outcome] += 1
        seconds.append(secs)
        if rss > peak["rss_kib"]:
            peak.update(rss_kib=rss, case=case_id)
        src = Path(path)
        if outcome in ("crash", "hang", "died", "memory"):
            keep = out / ("hangs" if outcome == "hang" else "crashes") / src.name
            shutil.copyfile(src, keep)
            findings.append({"case": case_id, "outcome": outcome, "file": str(keep), "seconds": round(secs, 2),
                             "detail": detail})
            print(f"\n{outcome.upper()} {case_id}: {detail.strip().splitlines()[-1] if detail.strip() else ''}",
                  flush=True)
        if not args.keep:
            src.unlink(missing_ok=True)
        if done % 200 == 0 or done == len(todo):
            rate = done / (time.perf_counter() - t_start)
            print(f"[{done}/{len(todo)}] {rate:.1f} cases/s; crashes {sum(f['outcome'] != 'hang' for f in findings)}, "
                  f"hangs {sum(f['outcome'] == 'hang' for f in findings)}; peak RSS {peak['rss_kib'] / 1024:.0f} MiB",
                  flush=True)

    pool = Pool(args.workers, sandbox / "work", args.max_memory, args.engine, args.timeout)
    try:
        pool.run(cases(), on_result)
    finally:
        children_peak = pool.close()
    elapsed = time.perf_counter() - t_start

    after = {k: snapshot(d, ex) for k, (d, ex) in watched.items()}
    outside = {k: changed(before[k], after[k]) for k in watched}
    left = {sub: files_in(sandbox / sub) for sub in ("work", "home", "tmp")}
    seconds.sort()
    crashes = [f for f in findings if f["outcome"] in ("crash", "died")]
    report = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "seed": args.seed,
        "engine": args.engine,
        "timeout_s": args.timeout,
        "max_memory_mib": args.max_memory,
        "workers": args.workers,
        "cases": {"pdf": sum(outcomes["pdf"].values()), "text": sum(outcomes["text"].values())},
        "outcomes": {k: dict(sorted(v.items())) for k, v in outcomes.items()},
        "crashes": len(crashes),
        "hangs": sum(f["outcome"] == "hang" for f in findings),
        "memory_exhausted": sum(f["outcome"] == "memory" for f in findings),
        "worker_respawns": pool.respawns,
        "peak_rss_mib": round(max(peak["rss_kib"], children_peak) / 1024, 1),
        "peak_rss_case": peak["case"],
        "seconds": round(elapsed, 1),
        "cases_per_second": round(done / elapsed, 2) if elapsed else None,
        "case_seconds": {"median": round(seconds[len(seconds) // 2], 3) if seconds else None,
                         "p99": round(seconds[int(len(seconds) * 0.99)], 3) if seconds else None,
                         "max": round(seconds[-1], 3) if seconds else None},
        "written_outside_out": sum(len(v) for v in outside.values()),
        "written_outside_detail": {k: v[:50] for k, v in outside.items() if v},
        "left_by_workers": sum(len(v) for v in left.values()),
        "left_by_workers_detail": {k: v[:50] for k, v in left.items() if v},
        "findings": findings[:200],
        "python": platform.python_version(),
    }
    try:
        import pymupdf

        report["pymupdf"] = pymupdf.VersionBind
    except Exception:  # noqa: BLE001
        pass
    (out / "fuzz.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    summary = {k: v for k, v in report.items() if k not in ("findings", "written_outside_detail",
                                                            "left_by_workers_detail")}
    print(json.dumps(summary, indent=2))
    print(f"wrote {out / 'fuzz.json'}")
    bad = report["crashes"] or report["hangs"] or report["written_outside_out"] or report["left_by_workers"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
