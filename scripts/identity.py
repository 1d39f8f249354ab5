"""Byte identity of octa's outputs between this checkout and another revision (issue 27, point 5).

    python scripts/identity.py --against HEAD~1
    python scripts/identity.py --against 84d3658 --corpus /tmp/acc13 --engines pymupdf,pdfplumber
    python scripts/identity.py --against main --synth 0 --corpus /tmp/acc13/browser --keep /tmp/idk

A change that should not change what octa reads (a refactoring, a faster path) is checked by
running both trees on the same inputs and comparing every output byte for byte. For every input
and engine it takes what ``octa extract`` gives: the whole profile JSON (every value, its
provenance and flags, every finding, the cleaning log of every repair), or, for a file octa
refuses, the error's reason and message. Then it prints the inputs whose outputs differ, with the
first lines that differ, and exits 1 when any does.

The inputs (``--corpus`` adds folders; PDFs and ``.txt`` files under them, recursively):

* the bundled fixtures (``fixtures/``);
* octa's generator with every variation class: ``octa synth --count N --seed S --family mixed
  --variations all`` (``--synth N``, default 60; 0 leaves it out), made once by the other tree;
* the hostile corpus of the tests (``tests/hostile.py``: corrupt, encrypted, truncated, scanned,
  oversized and malicious files; built small);
* text mode: every case of ``tests/cases/`` as the text another tool extracted, and the real
  garbled text of ``../shared/reference/`` when it is there;
* any folder given with ``--corpus``: the browser and Typst corpora that
  ``scripts/accuracy.py --producer all --variations all --keep DIR`` leaves behind, for example.

The other revision runs from a temporary ``git worktree``; each tree runs in its own Python
processes (``--workers``, default 2) with its own ``src`` first on the path. ``--keep DIR`` keeps
both trees' outputs (``DIR/base``, ``DIR/this``) for a closer look.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OCTA_SHARED") or ROOT.parent / "shared") / "reference"  # as the tests find it


# ------------------------------------------------------------------------------------------------
# Worker: one tree's outputs (runs in a subprocess with that tree's src first on the path)
# ------------------------------------------------------------------------------------------------

def _one(job: tuple[str, str]) -> tuple[str, str, str]:
    from octa.errors import OctaError
    from octa.pipeline import extract

    path, engine = job
    try:
        out = extract(path, engine=engine).model_dump_json(indent=1)
    except OctaError as exc:
        out = f"ERROR {exc.reason}: {exc.message}"
    except Exception as exc:  # a bug in octa: recorded (and compared) as such, never hidden
        out = f"BUG {type(exc).__name__}: {exc}"
    return path, engine, out


def _worker(listing: Path, out: Path, workers: int) -> None:
    jobs = [tuple(job) for job in json.loads(listing.read_text())]
    out.mkdir(parents=True, exist_ok=True)
    digests = {}
    with ProcessPoolExecutor(workers) as ex:
        for path, engine, text in ex.map(_one, jobs, chunksize=4):
            key = f"{engine} {path!r}"
            digests[key] = hashlib.sha256(text.encode()).hexdigest()
            (out / (hashlib.sha1(key.encode()).hexdigest() + ".txt")).write_text(text)
    (out / "digests.json").write_text(json.dumps(digests, indent=0, sort_keys=True))


# ------------------------------------------------------------------------------------------------
# The corpus
# ------------------------------------------------------------------------------------------------

def _text_cases(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for case in sorted((ROOT / "tests" / "cases").glob("*.json")):
        data = json.loads(case.read_text())
        if isinstance(data.get("text"), list):
            (folder / (case.stem + ".txt")).write_text("\n".join(data["text"]) + "\n")
    if SHARED.is_dir():
        for txt in sorted(SHARED.glob("*.txt")):
            (folder / ("reference_" + txt.name)).write_bytes(txt.read_bytes())


def _hostile(folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT))
    from tests.hostile import build_corpus

    build_corpus(folder, truncations=4, pages=250, bomb_mb=8)


def _synth(tree: Path, folder: Path, count: int, seed: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    subprocess.run([sys.executable, "-m", "octa.cli", "synth", "--count", str(count), "--seed", str(seed),
                    "--family", "mixed", "--variations", "all", "--out", str(folder)],
                   check=True, env=env, cwd=tree, stdout=subprocess.DEVNULL)


def _inputs(folders: list[Path]) -> list[Path]:
    found: list[Path] = []
    for f in folders:
        found.extend(p for p in sorted(f.rglob("*")) if p.is_file() and p.suffix.lower() in (".pdf", ".txt")
                     and not p.name.endswith((".truth.json", ".variation.json")))
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--against", required=False, help="the revision to compare with (git rev)")
    ap.add_argument("--corpus", action="append", type=Path, default=[], help="a folder of more inputs (repeatable)")
    ap.add_argument("--engines", default="pymupdf", help="comma-separated engines (default pymupdf)")
    ap.add_argument("--synth", type=int, default=60, help="generated profiles with every variation (0: none)")
    ap.add_argument("--seed", type=int, default=27027, help="the generator's seed")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep both trees' outputs here")
    ap.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _worker(args.worker[0], args.worker[1], args.workers)
        return 0
    if not args.against:
        ap.error("--against REV is required")
    rev = subprocess.run(["git", "rev-parse", "--verify", args.against + "^{commit}"], cwd=ROOT,
                         capture_output=True, text=True)
    if rev.returncode:
        ap.error(f"not a revision: {args.against}")
    base_rev = rev.stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="octa-identity-"))
    base = work / "base-tree"
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(base), base_rev], cwd=ROOT, check=True,
                   capture_output=True)
    try:
        corpus = work / "corpus"
        _text_cases(corpus / "text")
        _hostile(corpus / "hostile")
        if args.synth:
            _synth(base, corpus / "synth", args.synth, args.seed)
        inputs = _inputs([ROOT / "fixtures", corpus, *args.corpus])
        engines = [e for e in args.engines.split(",") if e]
        listing = work / "inputs.json"  # (JSON: the hostile corpus has file names with tabs and newlines)
        listing.write_text(json.dumps([(str(p), e) for p in inputs
                                       for e in (engines if p.suffix.lower() == ".pdf" else engines[:1])]))
        outs = {}
        for name, tree in (("base", base), ("this", ROOT)):
            out = (args.keep or work) / name
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}
            print(f"{name}: {tree} ...", file=sys.stderr, flush=True)
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--workers", str(args.workers),
                            "--worker", str(listing), str(out)], check=True, env=env, cwd=tree)
            outs[name] = out
        a = json.loads((outs["base"] / "digests.json").read_text())
        b = json.loads((outs["this"] / "digests.json").read_text())
        differ = sorted(k for k in a if a[k] != b.get(k))
        print(f"{len(a)} outputs ({len(inputs)} inputs, engines {','.join(engines)}) against {base_rev[:10]}: "
              f"{len(a) - len(differ)} identical, {len(differ)} differ")
        for key in differ:
            name = hashlib.sha1(key.encode()).hexdigest() + ".txt"
            old = (outs["base"] / name).read_text().splitlines()
            new = (outs["this"] / name).read_text().splitlines()
            print(f"\nDIFFERS {key}")
            for line in list(difflib.unified_diff(old, new, "base", "this", n=1, lineterm=""))[2:14]:
                print("   ", line[:160])
        return 1 if differ else 0
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, capture_output=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
