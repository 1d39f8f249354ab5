"""octa's benchmark (issue 10): speed and memory against the physical floor and the tools users
would otherwise pick, all on the same seeded corpus.

Usage::

    pip install -e ".[bench]"
    python benchmarks/run.py --profiles 1000 --repeat 3 --out results.json

It generates ``--profiles`` profiles with ``octa synth --family mixed`` outside the repository
(``--corpus``, default ``/tmp/octa-bench``; reused when already there), then measures, each
configuration in a fresh Python process, round after round (every round runs every configuration,
so a slow moment of the machine hits all of them alike):

* ``floor``: pymupdf opens each file and calls ``page.get_text("dict")`` on every page;
* ``reads``: pymupdf opens each file and calls ``page.get_texttrace()`` and ``page.get_cdrawings()``
  on every page, what octa's pymupdf layout reads, with no work on the result (a lower bound of
  any pipeline that needs glyph geometry and vector paths through PyMuPDF's Python API);
* ``octa_pymupdf`` / ``octa_pdfplumber``: :func:`octa.pipeline.extract` per file (load, scores,
  cleaner, sections, validator; nothing written);
* ``batch_w1`` / ``batch_w2``: ``octa batch DIR -o OUT --workers N`` end to end (a subprocess:
  start-up, every file, every output file); skipped with a note while the command does not exist;
* ``plumber_text``: pdfplumber ``extract_text()`` of every page;
* ``pymupdf4llm``: ``pymupdf4llm.to_markdown()`` of every file (its default: the layout model).

The slow tools (pdfplumber, pymupdf4llm) run on an evenly spaced sample of the corpus
(``--plumber-sample``, ``--llm-sample``); their ratios to the floor use the floor's times on the
same sample, and the report says so. Per-page and per-profile figures are medians of per-file
times (a file's time divided by its pages, for per page), taken in each round, then the median
over rounds; throughput is profiles per second of wall time over the files measured.

Memory: peak resident set (``ru_maxrss``) of a fresh process running the octa pipeline over the
first 100 and over all profiles, and of every process of ``octa batch --workers 2`` on the same
two sets (sampled with psutil while it runs, and the kernel's peak of the largest child).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve()

# ------------------------------------------------------------------------------------------------
# Workers: one configuration in this (fresh) process
# ------------------------------------------------------------------------------------------------


def _floor(path: str) -> int:
    import pymupdf

    doc = pymupdf.open(path)
    n = 0
    for page in doc:
        page.get_text("dict")
        n += 1
    doc.close()
    return n


def _reads(path: str) -> int:
    """What octa's pymupdf layout asks MuPDF for, and nothing else: every glyph with its box and
    origin (``get_texttrace()``) and the vector paths (``get_cdrawings()``, for the score bars) of
    every page. No Python work on the result: the lower bound of any pipeline that reads glyph
    geometry through PyMuPDF's Python API."""
    import pymupdf

    doc = pymupdf.open(path)
    n = 0
    for page in doc:
        page.get_texttrace()
        page.get_cdrawings()
        n += 1
    doc.close()
    return n


def _plumber_text(path: str) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            n += 1
    return n


def _llm(path: str) -> int:
    import pymupdf4llm

    pymupdf4llm.to_markdown(path)
    return 0


def _pipeline(engine: str):
    from octa.pipeline import extract

    def run(path: str) -> int:
        return extract(path, engine=engine).source.pages

    return run


def _stage_breakdown(path: str) -> dict[str, float]:
    """Seconds per stage of the pymupdf pipeline for one file, the stages of
    ``octa.pipeline._extract_pdf`` and ``extract`` in their order."""
    from octa import clean, layout, taxonomy
    from octa.model import Source
    from octa.parse import sections as sections_parser
    from octa.parse.scores import parse_document
    from octa.pipeline import build_profile
    from octa.validate import validated

    out = {}
    t = time.perf_counter()
    doc = layout.load(path, engine="pymupdf")
    out["load"] = time.perf_counter() - t
    counts = _glyph_reads(doc)
    t = time.perf_counter()
    scores = parse_document(doc)
    out["scores"] = time.perf_counter() - t
    t = time.perf_counter()
    edition = taxonomy.resolve(scores.family, scores.year)
    cleaned = clean.clean_document(doc, edition)
    out["clean"] = time.perf_counter() - t
    t = time.perf_counter()
    sections = sections_parser.parse_sections(cleaned, edition)
    out["sections"] = time.perf_counter() - t
    t = time.perf_counter()
    profile = build_profile(Source(file=Path(path).name, sha256=doc.sha256, pages=len(doc.pages), engine="pymupdf"),
                            scores, edition)
    profile.sections = sections
    profile.cleaning = list(cleaned.repairs)
    out["profile"] = time.perf_counter() - t
    t = time.perf_counter()
    validated(profile, edition=edition)
    out["validate"] = time.perf_counter() - t
    return out, counts


def _glyph_reads(doc) -> dict[str, int]:
    """How the layout read a document: its pages and lines, those whose glyphs it asked MuPDF for
    (today every page's: ``get_texttrace()`` hands over every glyph of a page, so every line asked),
    and the pages it then built glyph by glyph (a Char object per glyph: the engine's runs did not
    hold, see :mod:`octa.layout.words`) rather than run by run."""
    from octa.layout.words import _LazyChars

    pages = len(doc.pages)
    lines = sum(len(p.lines) for p in doc.pages)
    by_glyph = [p for p in doc.pages if p.chars and not isinstance(p.chars, _LazyChars)]
    return {"pages": pages, "lines": lines, "pages_glyphs_asked": pages, "lines_glyphs_asked": lines,
            "pages_glyph_by_glyph": len(by_glyph), "lines_glyph_by_glyph": sum(len(p.lines) for p in by_glyph)}


def worker(config: str, list_file: str, out_file: str, check_truth: bool) -> None:
    files = Path(list_file).read_text(encoding="utf-8").split("\n")
    files = [f for f in files if f]
    if config == "floor":
        fn = _floor
    elif config == "reads":
        fn = _reads
    elif config == "plumber_text":
        fn = _plumber_text
    elif config == "pymupdf4llm":
        import pymupdf4llm  # noqa: F401  (import cost outside the timed loop)

        fn = _llm
    elif config.startswith("octa_"):
        fn = _pipeline(config.removeprefix("octa_"))
    elif config == "stages":
        result = {"stages": [], "reads": []}
        _stage_breakdown(files[0])  # untimed warm-up (imports, lazy tables), as for the other configurations
        for f in files:
            stage, counts = _stage_breakdown(f)
            result["stages"].append(stage)
            result["reads"].append(counts)
        Path(out_file).write_text(json.dumps(result), encoding="utf-8")
        return
    else:
        raise SystemExit(f"unknown configuration {config}")
    # one untimed warm-up file (imports, lazy tables): per-file figures are steady state
    fn(files[0])
    times, pages, errors = [], [], []
    t_all = time.perf_counter()
    for f in files:
        t = time.perf_counter()
        try:
            n = fn(f)
        except Exception as exc:  # an error is a finding, not a crash of the benchmark
            n = 0
            errors.append(f"{Path(f).name}: {type(exc).__name__}: {exc}")
        times.append(time.perf_counter() - t)
        pages.append(n)
    wall = time.perf_counter() - t_all
    result = {"times": times, "pages": pages, "wall": wall, "errors": errors,
              "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if check_truth and config.startswith("octa_"):
        result["truth_mismatches"] = _truth_mismatches(files, config.removeprefix("octa_"))
    Path(out_file).write_text(json.dumps(result), encoding="utf-8")


def _truth_mismatches(files: list[str], engine: str) -> list[str]:
    """Files whose scores differ from the generator's truth (untimed; a speed-up must not cost accuracy),
    leaving out the nulls the output contract asks for (a change whose direction is printed by
    colour alone, or cut off by a clip path: :func:`octa.compare.contract_null`)."""
    from octa.compare import compare_scores, contract_null
    from octa.model import Profile
    from octa.pipeline import extract

    bad = []
    for f in files:
        truth = Path(f).with_suffix(".truth.json")
        if not truth.exists():
            continue
        try:
            got = extract(f, engine=engine)
        except Exception as exc:
            bad.append(f"{Path(f).name}: {type(exc).__name__}")
            continue
        want = Profile.model_validate_json(truth.read_text(encoding="utf-8"))
        diffs = [d for d in compare_scores(got, want) if contract_null(got, d, want) is None]
        if diffs:
            bad.append(f"{Path(f).name}: {diffs[:2]}")
    return bad


# ------------------------------------------------------------------------------------------------
# The driver
# ------------------------------------------------------------------------------------------------


def _run_config(config: str, files: list[Path], check_truth: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="octa-bench-") as tmp:
        lst = Path(tmp) / "files.txt"
        lst.write_text("\n".join(str(f) for f in files), encoding="utf-8")
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, str(HERE), "--_worker", config, "--_list", str(lst), "--_result", str(out)]
        if check_truth:
            cmd.append("--_truth")
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"{config} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def _batch_available() -> str | None:
    """None when ``octa batch`` exists, else why not."""
    proc = subprocess.run([sys.executable, "-m", "octa", "batch", "--help"], capture_output=True, text=True)
    if proc.returncode != 0:
        return "`octa batch` is not available yet (" + (proc.stderr.strip().splitlines() or ["no output"])[-1] + ")"
    if "--workers" not in proc.stdout:
        return "`octa batch` has no --workers option"
    return None


def _run_batch(pdf_dir: Path, workers: int) -> dict:
    """``octa batch`` end to end, with the peak RSS of each of its processes (psutil sampling every
    20 ms) and the kernel's peak of the largest process (RUSAGE_CHILDREN of a wrapper)."""
    with tempfile.TemporaryDirectory(prefix="octa-bench-batch-") as tmp:
        out_dir = Path(tmp) / "out"
        res_file = Path(tmp) / "rss.json"
        cmd = [sys.executable, str(HERE), "--_rss", str(res_file), "--",
               sys.executable, "-m", "octa", "batch", str(pdf_dir), "-o", str(out_dir), "--workers", str(workers)]
        peaks: dict[int, float] = {}
        roles: dict[int, str] = {}
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stop = threading.Event()

        def sample() -> None:
            try:
                import psutil
            except ImportError:
                return
            try:
                root = psutil.Process(proc.pid)
            except psutil.Error:
                return
            while not stop.is_set():
                try:
                    procs = root.children(recursive=True)
                except psutil.Error:
                    break
                for p in procs:
                    try:
                        rss = p.memory_info().rss / 2**20
                        if p.pid not in roles:
                            cmd = " ".join(p.cmdline())
                            ppid = p.ppid()
                            # forkserver workers inherit the forkserver's command line: tell them
                            # apart by their parent (the forkserver itself is a child of the main)
                            roles[p.pid] = ("main" if ppid == proc.pid else
                                            "helper" if roles.get(ppid) == "main" and
                                            ("resource_tracker" in cmd or "forkserver" in cmd) else "worker")
                    except psutil.Error:
                        continue
                    if rss > peaks.get(p.pid, 0):
                        peaks[p.pid] = rss
                stop.wait(0.02)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        stdout, stderr = proc.communicate()
        wall = time.perf_counter() - t
        stop.set()
        th.join()
        if proc.returncode not in (0, 1) or not res_file.exists():
            raise RuntimeError(f"octa batch --workers {workers} failed ({proc.returncode}):\n{stderr[-3000:]}")
        rss = json.loads(res_file.read_text(encoding="utf-8"))
        def peaks_of(role: str) -> list[float]:
            return sorted((round(v, 1) for pid, v in peaks.items() if roles.get(pid) == role), reverse=True)

        return {"wall": wall, "returncode": rss["returncode"], "maxrss_children_mb": rss["maxrss_children_mb"],
                "main_peak_mb": (peaks_of("main") or [None])[0], "worker_peaks_mb": peaks_of("worker"),
                "helper_peaks_mb": peaks_of("helper"), "stderr_tail": stderr[-500:]}


def _rss_wrapper(res_file: str, cmd: list[str]) -> int:
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(proc.stderr[-4000:])
    Path(res_file).write_text(json.dumps({
        "returncode": proc.returncode, "wrapper_pid": os.getpid(),
        "maxrss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}), encoding="utf-8")
    return proc.returncode


def _corpus(root: Path, count: int, seed: int) -> tuple[list[Path], Path]:
    """The corpus (generated once, reused) and a folder holding only its PDFs (for ``octa batch``)."""
    gen = root / f"synth-n{count}-s{seed}"
    marker = gen / ".complete"
    if not marker.exists():
        if gen.exists():
            shutil.rmtree(gen)
        gen.mkdir(parents=True)
        print(f"generating {count} profiles (octa synth --seed {seed} --family mixed) into {gen} ...", flush=True)
        subprocess.run([sys.executable, "-m", "octa", "synth", "--count", str(count), "--seed", str(seed),
                        "--family", "mixed", "--out", str(gen)], check=True)
        marker.write_text("ok\n")
    files = sorted(gen.glob("*.pdf"))
    if len(files) != count:
        raise SystemExit(f"{gen} holds {len(files)} PDFs, expected {count}: delete it and run again")
    return files, gen


def _pdf_dir(root: Path, name: str, files: list[Path]) -> Path:
    d = root / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    for f in files:
        (d / f.name).symlink_to(f)
    return d


def _sample(files: list[Path], k: int) -> list[Path]:
    if k <= 0 or k >= len(files):
        return list(files)
    step = len(files) / k
    return [files[int(i * step)] for i in range(k)]


def _median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def _summarise(rounds: list[dict], floor_rounds: list[dict] | None, index: list[int], n_files: int) -> dict:
    """Medians over rounds of: per-profile median, per-page median, total seconds, profiles/s and the
    ratio to the floor's total on the same files."""
    per_profile, per_page, totals, thr, ratio, ratio_page = [], [], [], [], [], []
    for k, r in enumerate(rounds):
        times = r["times"]
        pages = [floor_rounds[0]["pages"][i] for i in index] if floor_rounds else r["pages"]  # the floor counts pages
        per_profile.append(statistics.median(times))
        pp = [t / p for t, p in zip(times, pages, strict=True) if p]
        if pp:
            per_page.append(statistics.median(pp))
        total = sum(times)
        totals.append(total)
        thr.append(n_files / total)
        if floor_rounds is not None:
            f = floor_rounds[k]
            floor_total = sum(f["times"][i] for i in index)
            ratio.append(total / floor_total)
            fpp = [f["times"][i] / f["pages"][i] for i in index if f["pages"][i]]
            if pp and fpp:
                ratio_page.append(statistics.median(pp) / statistics.median(fpp))
    return {"files": n_files, "per_profile_ms": _ms(_median(per_profile)), "per_page_ms": _ms(_median(per_page)),
            "total_s": _r(_median(totals), 3), "profiles_per_s": _r(_median(thr), 2),
            "ratio_to_floor_total": _r(_median(ratio), 2), "ratio_to_floor_per_page": _r(_median(ratio_page), 2),
            "rounds": len(rounds)}


def _ms(x: float | None) -> float | None:
    return None if x is None else round(1000 * x, 3)


def _r(x: float | None, n: int) -> float | None:
    return None if x is None else round(x, n)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profiles", type=int, default=1000, help="profiles in the corpus (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of every configuration (default 3)")
    ap.add_argument("--seed", type=int, default=10, help="octa synth seed (default 10)")
    ap.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "octa-bench",
                    help="where corpora are generated and kept (outside the repository)")
    ap.add_argument("--pdfs", type=Path, help="measure on the PDFs of this folder (recursively) instead of "
                    "generating a corpus, e.g. the browser-printed profiles that `scripts/accuracy.py "
                    "--producer browser --keep DIR` leaves in DIR/browser (their .truth.json beside them are "
                    "used for the truth check); --profiles then caps their number (0: all)")
    ap.add_argument("--plumber-sample", type=int, default=40,
                    help="profiles for pdfplumber extract_text and octa's pdfplumber engine (0: all)")
    ap.add_argument("--llm-sample", type=int, default=10, help="profiles for pymupdf4llm.to_markdown (0: all)")
    ap.add_argument("--memory-small", type=int, default=100, help="the small corpus of the memory check")
    ap.add_argument("--skip", default="", help="comma-separated configurations to skip "
                    "(octa_pdfplumber, plumber_text, pymupdf4llm, batch, memory, stages)")
    ap.add_argument("--no-truth", action="store_true", help="do not check octa's scores against the truth")
    ap.add_argument("--out", type=Path, help="write the results as JSON here")
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    ap.add_argument("--_list", help=argparse.SUPPRESS)
    ap.add_argument("--_result", help=argparse.SUPPRESS)
    ap.add_argument("--_truth", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--_rss", help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()
    if args._rss:
        return _rss_wrapper(args._rss, rest[1:] if rest and rest[0] == "--" else rest)
    if args._worker:
        worker(args._worker, args._list, args._result, args._truth)
        return 0
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    args.corpus.mkdir(parents=True, exist_ok=True)
    if args.pdfs:
        files = sorted(p.resolve() for p in args.pdfs.rglob("*.pdf"))
        if args.profiles:
            files = _sample(files, args.profiles)
        if not files:
            raise SystemExit(f"no PDFs under {args.pdfs}")
        gen = args.pdfs
        pdf_dir = _pdf_dir(args.corpus, f"pdfs-{args.pdfs.resolve().name}-n{len(files)}", files)
    else:
        files, gen = _corpus(args.corpus, args.profiles, args.seed)
        pdf_dir = _pdf_dir(args.corpus, f"pdfs-n{args.profiles}-s{args.seed}", files)
    plumber_files = _sample(files, args.plumber_sample)
    llm_files = _sample(files, args.llm_sample)
    pos = {f: i for i, f in enumerate(files)}
    batch_note = None if "batch" not in skip else "skipped (--skip batch)"
    if batch_note is None:
        batch_note = _batch_available()
    notes = []
    if batch_note:
        notes.append(f"batch: {batch_note}")

    configs: list[tuple[str, list[Path]]] = [("floor", files), ("reads", files), ("octa_pymupdf", files)]
    for name, subset in (("octa_pdfplumber", plumber_files), ("plumber_text", plumber_files),
                         ("pymupdf4llm", llm_files)):
        if name not in skip:
            configs.append((name, subset))
    rounds: dict[str, list[dict]] = {name: [] for name, _ in configs}
    batch_rounds: dict[str, list[dict]] = {"batch_w1": [], "batch_w2": []}
    for r in range(args.repeat):
        for name, subset in configs:
            print(f"round {r + 1}/{args.repeat}: {name} ({len(subset)} profiles) ...", flush=True)
            res = _run_config(name, subset, check_truth=(r == 0 and name.startswith("octa_") and not args.no_truth))
            rounds[name].append(res)
        if batch_note is None:
            for w in (1, 2):
                print(f"round {r + 1}/{args.repeat}: octa batch --workers {w} ({len(files)} profiles) ...", flush=True)
                batch_rounds[f"batch_w{w}"].append(_run_batch(pdf_dir, w))

    results: dict = {
        "command": " ".join([Path(sys.executable).name, "benchmarks/run.py", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "corpus": {"dir": str(gen), "profiles": len(files), "seed": None if args.pdfs else args.seed,
                   "pages": sum(rounds["floor"][0]["pages"]),
                   "plumber_sample": len(plumber_files), "llm_sample": len(llm_files)},
        "versions": _versions(),
        "configs": {}, "memory": {}, "notes": notes, "targets": {},
    }
    floor_rounds = rounds["floor"]
    for name, subset in configs:
        idx = [pos[f] for f in subset]
        s = _summarise(rounds[name], floor_rounds, idx, len(subset))
        errs = rounds[name][0]["errors"]
        s["errors"] = len(errs)
        if errs:
            s["error_examples"] = errs[:5]
        if "truth_mismatches" in rounds[name][0]:
            s["truth_mismatches"] = len(rounds[name][0]["truth_mismatches"])
            s["truth_mismatch_examples"] = rounds[name][0]["truth_mismatches"][:5]
        s["maxrss_mb"] = round(max(x["maxrss_mb"] for x in rounds[name]), 1)
        if len(subset) != len(files):
            s["sample"] = f"{len(subset)} of {len(files)} profiles, evenly spaced; ratio against the floor on the same files"
        results["configs"][name] = s
    floor_total = [sum(x["times"]) for x in floor_rounds]
    for name, rs in batch_rounds.items():
        if not rs:
            continue
        walls = [x["wall"] for x in rs]
        results["configs"][name] = {
            "files": len(files), "total_s": round(statistics.median(walls), 3),
            "profiles_per_s": round(len(files) / statistics.median(walls), 2),
            "ratio_to_floor_total": round(statistics.median([w / f for w, f in zip(walls, floor_total, strict=True)]), 2),
            "main_peak_mb": rs[0]["main_peak_mb"], "worker_peaks_mb": rs[0]["worker_peaks_mb"], "rounds": len(rs),
            "returncodes": sorted({x["returncode"] for x in rs}),
        }

    # memory: a fresh process per configuration, small and full corpus
    if "memory" not in skip:
        small = files[: args.memory_small]
        mem = {}
        for label, subset in ((str(len(small)), small), (str(len(files)), files)):
            if label in mem:
                continue
            print(f"memory: octa pipeline over {label} profiles ...", flush=True)
            if label == str(len(files)):
                rss = max(x["maxrss_mb"] for x in rounds["octa_pymupdf"])
            else:
                rss = _run_config("octa_pymupdf", subset)["maxrss_mb"]
            entry = {"pipeline_process_mb": round(rss, 1)}
            if batch_note is None:
                print(f"memory: octa batch --workers 2 over {label} profiles ...", flush=True)
                d = pdf_dir if label == str(len(files)) else _pdf_dir(args.corpus, f"pdfs-n{label}-s{args.seed}", subset)
                b = _run_batch(d, 2)
                entry["batch_w2_main_mb"] = b["main_peak_mb"]
                entry["batch_w2_worker_peaks_mb"] = b["worker_peaks_mb"]
                entry["batch_w2_maxrss_children_mb"] = round(b["maxrss_children_mb"], 1)
            mem[label] = entry
        results["memory"] = mem

    if "stages" not in skip:
        stage_files = _sample(files, 100)
        print(f"stages: octa pipeline stage by stage ({len(stage_files)} profiles) ...", flush=True)
        got = _run_config("stages", stage_files)
        st = got["stages"]
        results["glyph_reads"] = {k: sum(c[k] for c in got["reads"]) for k in got["reads"][0]}
        pages = [pos[f] for f in stage_files]
        npages = sum(floor_rounds[0]["pages"][i] for i in pages)
        floor_ms = 1000 * sum(statistics.median([fr["times"][i] for fr in floor_rounds]) for i in pages) / npages
        results["stages_ms_per_page"] = {"floor": round(floor_ms, 3), **{
            k: round(1000 * sum(s[k] for s in st) / npages, 3) for k in st[0]}}

    results["targets"] = _targets(results)
    _print(results)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("octa", "pymupdf", "pdfplumber", "pdfminer.six", "pymupdf4llm", "pymupdf-layout"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _targets(res: dict) -> dict:
    c = res["configs"]
    t: dict[str, dict] = {}

    def put(name: str, value, ok: bool | None, want: str) -> None:
        t[name] = {"value": value, "want": want, "holds": ok}

    r = c["octa_pymupdf"]["ratio_to_floor_per_page"]
    put("pipeline_pymupdf_per_page_vs_floor", r, r is not None and r <= 2.0, "<= 2.0x the floor")
    if "reads" in c:  # not a target: how much of the 2x budget reading the inputs alone takes
        lb = c["reads"]["ratio_to_floor_per_page"]
        put("reads_alone_per_page_vs_floor (lower bound, not a target)", lb, None,
            "the share of the 2.0x budget taken by get_texttrace() + get_cdrawings() with no processing")
    if "batch_w1" in c and "batch_w2" in c:
        s = c["batch_w2"]["profiles_per_s"] / c["batch_w1"]["profiles_per_s"]
        put("batch_w2_speedup_over_w1", round(s, 2), s >= 1.7, ">= 1.7x")
        if "plumber_text" in c:
            s = c["batch_w2"]["profiles_per_s"] / c["plumber_text"]["profiles_per_s"]
            put("batch_w2_vs_pdfplumber_extract_text", round(s, 1), s >= 25, ">= 25x the throughput")
        if "pymupdf4llm" in c:
            s = c["batch_w2"]["profiles_per_s"] / c["pymupdf4llm"]["profiles_per_s"]
            put("batch_w2_vs_pymupdf4llm", round(s, 1), s > 1, "> 1x (faster)")
    else:
        put("batch", None, None, "octa batch not measured: " + "; ".join(res["notes"]))
    # issue 27: the end-to-end job against the floor and against pdfplumber's plain text
    if "batch_w1" in c:
        r = c["batch_w1"]["ratio_to_floor_total"]
        put("issue27_batch_w1_vs_floor", r, r <= 4.0, "<= 4x the floor end to end (stretch: 3x)")
        if "plumber_text" in c:
            # per profile: the sample's pdfplumber time per profile against batch's wall time per profile
            pt = c["plumber_text"]["total_s"] / c["plumber_text"]["files"]
            bt = c["batch_w1"]["total_s"] / c["batch_w1"]["files"]
            put("issue27_batch_w1_vs_pdfplumber_extract_text", round(pt / bt, 1), pt / bt >= 20,
                ">= 20x faster than pdfplumber extract_text() per profile")
    mem = res.get("memory") or {}
    if len(mem) == 2:
        small, big = (mem[k] for k in sorted(mem, key=int))
        for key, label in (("pipeline_process_mb", "pipeline process"),):
            a, b = small[key], big[key]
            put(f"memory_{label.replace(' ', '_')}_under_250mb", b, b < 250, "< 250 MB")
            put(f"memory_{label.replace(' ', '_')}_growth", round(b / a - 1, 3), abs(b / a - 1) <= 0.10,
                "within 10% between the two corpora")
        if big.get("batch_w2_worker_peaks_mb") and small.get("batch_w2_worker_peaks_mb"):
            a, b = max(small["batch_w2_worker_peaks_mb"]), max(big["batch_w2_worker_peaks_mb"])
            put("memory_batch_worker_under_250mb", b, b < 250, "< 250 MB (largest batch worker)")
            put("memory_batch_worker_growth", round(b / a - 1, 3), abs(b / a - 1) <= 0.10,
                "within 10% between the two corpora")
        if big.get("batch_w2_main_mb") and small.get("batch_w2_main_mb"):  # not a target: the main process
            a, b = small["batch_w2_main_mb"], big["batch_w2_main_mb"]
            put("memory_batch_main_growth (the main process, not a target)", round(b / a - 1, 3), None,
                "flat: the tables are streamed, nothing kept per profile")
    return t


def _print(res: dict) -> None:
    cp = res["corpus"]
    made = f"octa synth --seed {cp['seed']} --family mixed" if cp["seed"] is not None else f"from {cp['dir']}"
    print(f"\ncorpus: {cp['profiles']} profiles, {cp['pages']} pages ({made});"
          f" {res['machine']['cpus']} CPUs, Python {res['machine']['python']}")
    hdr = f"{'configuration':18s} {'files':>6s} {'ms/page':>9s} {'ms/profile':>11s} {'profiles/s':>11s} " \
          f"{'x floor/page':>13s} {'x floor total':>14s} {'peak MB':>8s}"
    print(hdr)
    print("-" * len(hdr))
    for name, s in res["configs"].items():
        peak = s.get("maxrss_mb") or (max(s["worker_peaks_mb"]) if s.get("worker_peaks_mb") else None)
        print(f"{name:18s} {s['files']:6d} {_f(s.get('per_page_ms')):>9s} {_f(s.get('per_profile_ms')):>11s} "
              f"{_f(s.get('profiles_per_s')):>11s} {_f(s.get('ratio_to_floor_per_page')):>13s} "
              f"{_f(s.get('ratio_to_floor_total')):>14s} {_f(peak):>8s}")
    for name, s in res["configs"].items():
        if s.get("sample"):
            print(f"  {name}: {s['sample']}")
        if s.get("errors"):
            print(f"  {name}: {s['errors']} files failed, e.g. {s['error_examples'][0]}")
        if s.get("truth_mismatches"):
            print(f"  {name}: {s['truth_mismatches']} files differ from the truth, e.g. {s['truth_mismatch_examples'][0]}")
        elif "truth_mismatches" in s:
            print(f"  {name}: every score equals the generator's truth")
    if res.get("stages_ms_per_page"):
        print("\npymupdf pipeline by stage, ms/page: " +
              ", ".join(f"{k} {v:.2f}" for k, v in res["stages_ms_per_page"].items()))
    g = res.get("glyph_reads")
    if g:
        print(f"glyph reads (the stage files): {g['pages_glyphs_asked']} of {g['pages']} pages and "
              f"{g['lines_glyphs_asked']} of {g['lines']} lines asked MuPDF for their glyphs "
              f"({100 * g['lines_glyphs_asked'] / max(g['lines'], 1):.0f}% of lines); built glyph by glyph: "
              f"{g['pages_glyph_by_glyph']} pages, {g['lines_glyph_by_glyph']} lines (the rest run by run)")
    if res.get("memory"):
        print("\npeak resident memory (MB), fresh process per configuration:")
        for label, m in res["memory"].items():
            line = f"  {label:>5s} profiles: pipeline process {m['pipeline_process_mb']:.1f}"
            if "batch_w2_worker_peaks_mb" in m:
                line += f"; octa batch --workers 2: workers {m['batch_w2_worker_peaks_mb']}, main {m['batch_w2_main_mb']}" \
                        f" (kernel peak of the largest process {m['batch_w2_maxrss_children_mb']})"
            print(line)
    for n in res["notes"]:
        print(f"note: {n}")
    print("\ntargets (issues 10 and 27):")
    for name, t in res["targets"].items():
        mark = "INFO" if t["holds"] is None and t["value"] is not None else \
            {True: "HOLDS", False: "MISSED", None: "NOT MEASURED"}[t["holds"]]
        print(f"  {mark:12s} {name}: {t['value']} (want {t['want']})")


def _f(x) -> str:
    if x is None:
        return "-"
    return f"{x:.2f}" if isinstance(x, float) else str(x)


if __name__ == "__main__":
    raise SystemExit(main())
