"""Instructions per profile of ``octa.pipeline.extract``, counted by valgrind (callgrind), for this
checkout and for another revision: a speed comparison that does not move with the machine's load
(CPU time on a shared machine varies by a quarter between runs of the same code).

Usage::

    python benchmarks/instructions.py CORPUS --against 4178e2f [--profiles 10]

CORPUS is a folder of profile PDFs (``octa synth`` makes them). Each revision extracts the first
``--profiles`` PDFs (sorted by path) in one process, and again the first two; the difference,
divided by ``profiles - 2``, is the cost per profile without start-up, imports and first-use caches.
The other revision is checked out with ``git worktree`` in a temporary folder and imported from
there (``PYTHONPATH``). Needs ``valgrind``; takes about 10 minutes for 10 profiles and two
revisions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_RUN = """
import glob, sys
from octa.pipeline import extract
for p in sorted(glob.glob(sys.argv[1] + "/**/*.pdf", recursive=True))[: int(sys.argv[2])]:
    extract(p)
"""


def instructions(src: Path, corpus: Path, count: int) -> int:
    """Instructions executed by a fresh Python extracting the first ``count`` PDFs of ``corpus``
    with octa imported from ``src``."""
    env = dict(os.environ, PYTHONPATH=str(src), PYTHONHASHSEED="0")
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                           "-c", _RUN, str(corpus), str(count)], env=env, capture_output=True, text=True)
    for line in proc.stderr.splitlines():
        if "Collected" in line:
            return int(line.split()[-1])
    raise SystemExit(f"valgrind gave no count (exit {proc.returncode}): {proc.stderr[-400:]}")


def per_profile(src: Path, corpus: Path, count: int) -> float:
    return (instructions(src, corpus, count) - instructions(src, corpus, 2)) / (count - 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="folder of profile PDFs")
    ap.add_argument("--against", required=True, help="git revision to compare with (e.g. 4178e2f)")
    ap.add_argument("--profiles", type=int, default=10, help="profiles measured (at least 3; default 10)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt install valgrind)")
    if args.profiles < 3:
        raise SystemExit("--profiles must be at least 3")
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(other), args.against],
                       check=True, capture_output=True)
        try:
            base = per_profile(other / "src", args.corpus, args.profiles)
            here = per_profile(ROOT / "src", args.corpus, args.profiles)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], capture_output=True)
    print(f"{args.against}: {base / 1e6:.1f}M instructions per profile")
    print(f"this checkout: {here / 1e6:.1f}M instructions per profile ({(here / base - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
