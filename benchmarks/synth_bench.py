"""Time ``octa synth --count 200 --seed 7 --family mixed`` into a temporary directory.

Usage: ``python benchmarks/synth_bench.py [--count N]``. Target: under 60 s on 2 cores.
Not a test: it prints the wall time, the throughput and the output size.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--family", default="mixed")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="octa-synth-bench-") as tmp:
        cmd = [sys.executable, "-m", "octa", "synth", "--count", str(args.count), "--seed", str(args.seed),
               "--family", args.family, "--out", tmp]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True)
        dt = time.perf_counter() - t0
        pdfs = list(Path(tmp).glob("*.pdf"))
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    print(f"octa synth --count {args.count} --seed {args.seed} --family {args.family}: "
          f"{dt:.1f} s wall, {len(pdfs) / dt:.1f} profiles/s, {size / 1e6:.1f} MB written"
          f" ({'OK' if dt < 60 else 'SLOW'}: target < 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
