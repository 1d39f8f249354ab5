"""Mutation test of the validator: change one printed value in each of N generated profile PDFs
(an indicator score, a pillar average, or an indicator's change), extract and validate, and check
that every mutation is detected and located, and that unmutated profiles stay clean.

    python scripts/mutation.py --profiles 200 --seed 99 [--json results.json]

The mutation is made in the PDF, not in the JSON: the printed number is redacted and the new one
drawn in its place, so the whole pipeline (layout, parser, validator) is under test.

Located means: a finding of severity error names the mutated indicator (for a score when the
profile draws bars, whose lengths still say the old value; for an average, the pillar), or, where
arithmetic alone cannot single out one indicator of a pillar (a score without bars, a change), the
pillar that contains it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pymupdf

from octa import synth, taxonomy
from octa.layout import load
from octa.model import Profile
from octa.pipeline import extract


def _word_at(pdf: Path, page: int, text: str, bbox: list[float] | None):
    """The layout word printing ``text`` on ``page`` (inside ``bbox`` when given)."""
    doc = load(pdf)
    best = None
    for w in doc.pages[page - 1].words:
        if w.text != text:
            continue
        if bbox is not None:
            cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
            if not (bbox[0] - 2 <= cx <= bbox[2] + 2 and bbox[1] - 2 <= cy <= bbox[3] + 2):
                continue
        best = w
        break
    return best


def rewrite(pdf: Path, out: Path, page: int, word, new_text: str) -> None:
    doc = pymupdf.open(pdf)
    p = doc[page - 1]
    r = pymupdf.Rect(word.x0 + 0.2, word.y0 + 0.5, word.x1 - 0.2, word.y1 - 0.5)
    p.add_redact_annot(r)
    p.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
    p.insert_text((word.x0, word.baseline), new_text, fontsize=word.size, fontname="helv")
    doc.save(out, garbage=0, deflate=True)


def _fmt(v: float, places: int) -> str:
    return f"{v:.{places}f}"


def mutate(pdf: Path, truth: Profile, rng: random.Random, out: Path) -> dict | None:
    kinds = ["score", "average", "change"]
    rng.shuffle(kinds)
    for kind in kinds:
        if kind == "score":
            cands = [i for i in truth.indicators if i.score is not None and i.bbox]
            if not cands:
                continue
            ind = rng.choice(cands)
            delta = rng.choice([0.5, 1.0, -0.5, -1.0])
            new = ind.score + delta
            if not 1.0 <= new <= 10.0:
                new = ind.score - delta
            w = _word_at(pdf, ind.page, _fmt(ind.score, 1), ind.bbox)
            if w is None:
                continue
            rewrite(pdf, out, ind.page, w, _fmt(new, 1))
            return {"kind": kind, "indicator": ind.id, "pillar": ind.pillar, "old": ind.score, "new": new}
        if kind == "average":
            cands = [s for s in truth.summary_scores if s.metric in taxonomy.PILLARS and s.score is not None and s.bbox]
            if not cands:
                continue
            s = rng.choice(cands)
            new = round(s.score + rng.choice([0.01, 0.02, 0.05, -0.01, -0.03, 0.1]), 2)
            w = _word_at(pdf, s.page, _fmt(s.score, 2), s.bbox)
            if w is None:
                continue
            rewrite(pdf, out, s.page, w, _fmt(new, 2))
            return {"kind": kind, "indicator": s.metric, "pillar": s.metric, "old": s.score, "new": new}
        if kind == "change":
            cands = [i for i in truth.indicators if i.change not in (None, 0.0) and i.page]
            if not cands:
                continue
            ind = rng.choice(cands)
            doc = load(pdf)
            mag = _fmt(abs(ind.change), 1)
            # the change's magnitude printed in the indicator's row, right or left of the score
            score_w = _word_at(pdf, ind.page, _fmt(ind.score, 1), ind.bbox)
            if score_w is None:
                continue
            row = [w for w in doc.pages[ind.page - 1].words
                   if abs(w.baseline - score_w.baseline) < 1 and w.text.endswith(mag) and w is not score_w]
            if not row:
                continue
            w = min(row, key=lambda w: abs(w.x0 - score_w.x0))
            new_mag = abs(ind.change) + 0.5
            rewrite(pdf, out, ind.page, w, w.text[: -len(mag)] + _fmt(new_mag, 1))
            return {"kind": kind, "indicator": ind.id, "pillar": ind.pillar, "old": ind.change,
                    "new": new_mag if ind.change > 0 else -new_mag}
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", type=int, default=200)
    ap.add_argument("--seed", type=int, default=99)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    stats: Counter[str] = Counter()
    misses = []
    with tempfile.TemporaryDirectory(prefix="octa-mutation-") as tmp:
        tmpdir = Path(tmp)
        pdfs = synth.generate(args.profiles, args.seed, "mixed", tmpdir / "clean")
        (tmpdir / "mutated").mkdir()
        for pdf in pdfs:
            truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
            clean = extract(pdf)
            errors = [f for f in clean.validation if f.severity == "error"]
            stats["clean"] += 1
            if errors:
                stats["clean_with_errors"] += 1
                misses.append({"file": pdf.name, "problem": "false alarm", "findings": [f.message for f in errors]})
            out = tmpdir / "mutated" / pdf.name
            m = mutate(pdf, truth, rng, out)
            if m is None:
                stats["not_mutated"] += 1
                continue
            stats[f"mutated_{m['kind']}"] += 1
            got = extract(out)
            errs = [f for f in got.validation if f.severity == "error"]
            named = {f.indicator for f in errs}
            if not errs:
                misses.append({"file": pdf.name, "problem": "undetected", **m})
                continue
            stats[f"detected_{m['kind']}"] += 1
            if m["indicator"] in named:
                stats[f"located_exact_{m['kind']}"] += 1
            elif m["pillar"] in named or "criminality" in named and m["pillar"] in ("criminal_markets",
                                                                                    "criminal_actors"):
                stats[f"located_pillar_{m['kind']}"] += 1
            else:
                misses.append({"file": pdf.name, "problem": "mislocated", **m,
                               "findings": sorted(f"{f.rule}:{f.indicator}" for f in errs)})
    for k in sorted(stats):
        print(f"{k:28s} {stats[k]}")
    for miss in misses[:30]:
        print("MISS", json.dumps(miss, default=str))
    if args.json:
        args.json.write_text(json.dumps({"stats": stats, "misses": misses}, indent=2, default=str) + "\n")
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
