"""Accuracy of the score parser against generated truth, per field and engine.

    python scripts/accuracy.py --profiles 500 --seed 2024 [--engines pymupdf,pdfplumber]

Generates a seeded corpus with ``octa synth`` into a temporary folder (outside the repository),
extracts every profile with each engine and compares every field with the generator's truth:
country, year, family, the four summary scores and their changes, ranks, every indicator's score
and change, and the score read from drawn bars. Prints the accuracy per field and engine and
writes it as JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from octa import synth
from octa.compare import compare_scores
from octa.layout import load
from octa.model import Profile, Source
from octa.parse.scores import parse_document
from octa.pipeline import build_profile


def field_totals(truth: Profile) -> Counter[str]:
    c: Counter[str] = Counter()
    c.update({"country": 1, "year": 1, "family": 1, "summary": 4})
    c["summary.change"] += sum(1 for s in truth.summary_scores if s.change is not None)
    c["rank"] += len(truth.ranks)
    c["indicator.score"] += len(truth.indicators)
    c["indicator.change"] += len(truth.indicators)
    return c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", type=int, default=500)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--engines", default="pymupdf,pdfplumber")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="octa-accuracy-") as tmp:
        t0 = time.perf_counter()
        pdfs = synth.generate(args.profiles, args.seed, "mixed", tmp)
        print(f"generated {len(pdfs)} profiles in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        for engine in args.engines.split(","):
            totals: Counter[str] = Counter()
            wrong: Counter[str] = Counter()
            bars = bars_ok = 0
            t0 = time.perf_counter()
            for pdf in pdfs:
                truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
                scores = parse_document(load(pdf, engine=engine))
                got = build_profile(Source(file=pdf.name, sha256="", pages=0, engine=engine), scores)
                totals.update(field_totals(truth))
                for d in compare_scores(got, truth):
                    wrong[d.field] += 1
                tscore = {i.id: i.score for i in truth.indicators}
                for r in scores.indicators.values():
                    if r.bar_score is not None:
                        bars += 1
                        bars_ok += abs(float(r.bar_score) - float(tscore.get(r.key) or -9)) <= 0.25
            elapsed = time.perf_counter() - t0
            acc = {f: (totals[f] - wrong[f]) / totals[f] for f in sorted(totals) if totals[f]}
            results[engine] = {"fields": {f: {"total": totals[f], "wrong": wrong[f], "accuracy": acc[f]}
                                          for f in acc},
                               "bars": {"read": bars, "agree": bars_ok},
                               "seconds": round(elapsed, 1), "profiles": len(pdfs)}
            print(f"\n{engine}: {len(pdfs)} profiles in {elapsed:.1f}s")
            for f in acc:
                print(f"  {f:18s} {totals[f] - wrong[f]:6d}/{totals[f]:<6d} {100 * acc[f]:7.3f}%")
            print(f"  {'bars':18s} {bars_ok:6d}/{bars:<6d} agree with the printed score")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0 if all(r["fields"][f]["wrong"] == 0 for r in results.values() for f in r["fields"]) else 1


if __name__ == "__main__":
    sys.exit(main())
