"""How long the panel of 1,000 profiles takes to build and write (issue 26; a benchmark, not a test).

    python benchmarks/panel.py [--profiles 1000] [--seed 0] [--repeat 3] [--keep DIR]

Makes ``--profiles`` profile JSON files in a temporary batch folder (``profiles/*.json``) from the
bundled fixtures' truths: each of the 193 countries in turn, every edition of both families
(global 2021/2023/2025, ENACT 2019–2025 for African countries), seeded random scores on the
half-step grid with consistent indicator changes and each profile's narrative, so that the panel
has long histories, changes to check and paragraphs to compare. It then times, as the median of
``--repeat`` rounds, :func:`octa.panel.build` (reading every JSON, the change checks, the wide,
section and family tables) and :func:`octa.panel.write` (the CSV files and the Parquet file),
and prints the row counts and the findings by rule. No PDF is read: the panel works on profile
JSON, which the batch has already written.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from octa import taxonomy  # noqa: E402
from octa.panel import build, write  # noqa: E402


def _templates() -> dict[tuple[str, int], dict]:
    out: dict[tuple[str, int], dict] = {}
    for path in sorted((ROOT / "fixtures").glob("*.truth.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.setdefault((data["family"], data["year"]), data)
    return out


def make_corpus(folder: Path, n: int, seed: int) -> int:
    """Write ``n`` profile JSON files into ``folder/profiles``; return how many."""
    rng = random.Random(seed)
    templates = _templates()
    profiles = folder / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    combos = []
    for country, continent, _region in taxonomy.COUNTRIES:
        combos += [(country, "global", y) for y in taxonomy.EDITIONS["global"]]
        if continent == "Africa":
            combos += [(country, "enact", y) for y in taxonomy.EDITIONS["enact"]]
    written = 0
    previous: dict[tuple[str, str, int | None], dict[str, float]] = {}
    for k in range(n):
        country, family, year = combos[k % len(combos)]
        data = json.loads(json.dumps(templates[(family, year)]))
        stem = f"{family}_{year}_{country}".replace(" ", "_").replace(",", "").replace(".", "").replace("'", "")
        if k >= len(combos):  # a second source of an edition already made (flagged conflicting_edition)
            stem += f"_reprint{k // len(combos)}"
        data["country"] = country
        data.pop("iso3", None)
        data["source"] = {**data["source"], "file": f"{stem}.pdf", "sha256": f"{written:064x}"}
        for s in data["summary_scores"]:  # the template's summary changes are not this profile's
            s["change"], s["change_printed"] = None, None
        prev_year = taxonomy.previous_edition(family, year)
        before = previous.get((country, family, prev_year), {})
        scores = {}
        for ind in data["indicators"]:
            s = before.get(ind["id"], rng.randint(2, 20) / 2)
            s = min(10.0, max(1.0, s + rng.choice((-0.5, 0.0, 0.0, 0.5))))
            scores[ind["id"]] = s
            ind["score"] = s
            if ind["id"] in before:
                ind["change"] = s - before[ind["id"]]
                ind["change_printed"] = f"{ind['change']:.1f}"
        previous.setdefault((country, family, year), scores)
        (profiles / f"{stem}.json").write_text(json.dumps(data), encoding="utf-8")
        written += 1
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profiles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="Make the corpus and the panel in this folder (kept).")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="octa-panel-bench-"))
    n = make_corpus(folder, args.profiles, args.seed)
    builds, writes, cpu = [], [], []
    panel = None
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        panel = build([folder])
        t1 = time.perf_counter()
        write(panel, folder / "panel")
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        writes.append(t2 - t1)
        cpu.append(time.process_time() - c0)
    assert panel is not None
    rules = Counter(f["rule"] for f in panel.findings)
    print(f"{n} profiles ({len({it.key[0] for it in panel.items})} countries): panel_long {len(panel.long)} rows, "
          f"panel_wide {len(panel.wide)}, panel_sections {len(panel.sections)}, panel_families "
          f"{len(panel.families)}; findings {dict(sorted(rules.items()))}")
    print(f"build {statistics.median(builds):.2f} s, write {statistics.median(writes):.2f} s "
          f"(median of {args.repeat}); CPU time of both {statistics.median(cpu):.2f} s"
          + (f"; {folder}" if args.keep else ""))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
