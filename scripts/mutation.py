"""Mutation test of the validator: change one printed value in each of N generated profile PDFs
(an indicator score, a printed average, or an indicator's change; the kinds spread evenly over the
set), extract and validate, and check that every mutation is detected and located, and that the
unmutated profiles have no error finding.

    python scripts/mutation.py --profiles 200 --seed 99 [--json results.json]
    python scripts/mutation.py --profiles 20 --from-dataset global_oc_index.xlsx --reference global_oc_index.xlsx

The mutation is made in the PDF, not in the JSON: the printed number is redacted and the new one
drawn in its place, so the whole pipeline (layout, parser, validator) is under test.

Detected: at least one finding of severity error. Located: an error finding names the mutated
indicator (for an average, the summary metric). Where the document itself cannot single out one
indicator (a score on a page without bars, whose other evidence is the pillar average; a change,
whose evidence is the pillar's summary change), the mutation counts as located when an error names
its pillar (or criminality, for a market or actor indicator) *and* the script shows that the
document is equally consistent with another indicator of that pillar having been altered instead:
correcting that other indicator by the same amount leaves a profile without error findings. A
pillar-level finding without such an alternative counts as a miss: the validator should have named
the indicator.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from octa import synth
from octa.layout import load
from octa.model import Finding, Profile
from octa.pipeline import extract
from octa.validate import Reference, validate

KINDS = ("score", "average", "change")


@dataclass
class Mutation:
    kind: str
    target: str  # indicator id, or summary metric for an average
    pillar: str
    old: float
    new: float


@dataclass
class Outcome:
    file: str
    mutation: Mutation | None
    clean_errors: list[str] = field(default_factory=list)  # error findings on the unmutated profile
    findings: list[str] = field(default_factory=list)  # error findings on the mutated profile (rule:where)
    messages: list[str] = field(default_factory=list)
    detected: bool = False
    located: str | None = None  # "indicator" | "pillar" | None
    alternatives: list[str] = field(default_factory=list)  # other indicators that explain the document

    @property
    def ok(self) -> bool:
        return not self.clean_errors and (self.mutation is None or (self.detected and self.located is not None))


# --------------------------------------------------------------------------------------------
# Editing the PDF
# --------------------------------------------------------------------------------------------

def _word_at(pdf: Path, page: int, text: str, bbox: list[float] | None) -> Any:
    """The layout word printing ``text`` on ``page`` (inside ``bbox`` when given)."""
    doc = load(pdf)
    for w in doc.pages[page - 1].words:
        if w.text != text:
            continue
        if bbox is not None:
            cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
            if not (bbox[0] - 2 <= cx <= bbox[2] + 2 and bbox[1] - 2 <= cy <= bbox[3] + 2):
                continue
        return w
    return None


def rewrite(pdf: Path, out: Path, page: int, word: Any, new_text: str) -> None:
    """Redact ``word`` and draw ``new_text`` at its place, in its size."""
    doc = pymupdf.open(pdf)
    p = doc[page - 1]
    r = pymupdf.Rect(word.x0 + 0.2, word.y0 + 0.5, word.x1 - 0.2, word.y1 - 0.5)
    p.add_redact_annot(r)
    p.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
    p.insert_text((word.x0, word.baseline), new_text, fontsize=word.size, fontname="helv")
    doc.save(out, garbage=0, deflate=True)


def _fmt(v: float, places: int) -> str:
    return f"{v:.{places}f}"


def _mutate_score(pdf: Path, truth: Profile, rng: random.Random, out: Path) -> Mutation | None:
    cands = [i for i in truth.indicators if i.score is not None and i.bbox and i.page]
    rng.shuffle(cands)
    for ind in cands:
        assert ind.score is not None and ind.page is not None
        delta = rng.choice([0.5, 1.0, -0.5, -1.0])
        new = ind.score + delta
        if not 1.0 <= new <= 10.0:
            new = ind.score - delta
        w = _word_at(pdf, ind.page, _fmt(ind.score, 1), ind.bbox)
        if w is None:
            continue
        rewrite(pdf, out, ind.page, w, _fmt(new, 1))
        return Mutation("score", ind.id, ind.pillar, ind.score, new)
    return None


def _mutate_average(pdf: Path, truth: Profile, rng: random.Random, out: Path) -> Mutation | None:
    cands = [s for s in truth.summary_scores if s.score is not None and s.bbox and s.page]
    rng.shuffle(cands)
    for s in cands:
        assert s.score is not None and s.page is not None
        new = round(s.score + rng.choice([0.01, 0.02, 0.05, 0.1, -0.01, -0.03, -0.1]), 2)
        if not 1.0 <= new <= 10.0:
            continue
        w = _word_at(pdf, s.page, _fmt(s.score, 2), s.bbox)
        if w is None:
            continue
        rewrite(pdf, out, s.page, w, _fmt(new, 2))
        return Mutation("average", s.metric, s.metric, s.score, new)
    return None


def _mutate_change(pdf: Path, truth: Profile, rng: random.Random, out: Path) -> Mutation | None:
    # A zero change prints without a sign or arrow: a new magnitude there would have no direction.
    cands = [i for i in truth.indicators if i.change not in (None, 0.0) and i.page and i.score is not None]
    rng.shuffle(cands)
    for ind in cands:
        assert ind.change is not None and ind.page is not None and ind.score is not None
        mag = _fmt(abs(ind.change), 1)
        score_w = _word_at(pdf, ind.page, _fmt(ind.score, 1), ind.bbox)
        if score_w is None:
            continue
        # the change's magnitude is printed in the indicator's row, next to the score
        row = [w for w in load(pdf).pages[ind.page - 1].words
               if abs(w.baseline - score_w.baseline) < 1 and w.text.endswith(mag)
               and abs(w.x0 - score_w.x0) > 0.5]
        if not row:
            continue
        w = min(row, key=lambda w: abs(w.x0 - score_w.x0))
        step = rng.choice([0.5, -0.5]) if abs(ind.change) > 0.5 else 0.5
        new_mag = abs(ind.change) + step
        rewrite(pdf, out, ind.page, w, w.text[: -len(mag)] + _fmt(new_mag, 1))
        return Mutation("change", ind.id, ind.pillar, ind.change, new_mag if ind.change > 0 else -new_mag)
    return None


MUTATORS = {"score": _mutate_score, "average": _mutate_average, "change": _mutate_change}


def mutate(pdf: Path, truth: Profile, rng: random.Random, out: Path, kinds: list[str]) -> Mutation | None:
    """The first of ``kinds`` that can be made in ``pdf`` (a first edition prints no changes)."""
    for kind in kinds:
        m = MUTATORS[kind](pdf, truth, rng, out)
        if m is not None:
            return m
    return None


# --------------------------------------------------------------------------------------------
# Judging the validator
# --------------------------------------------------------------------------------------------

def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def _pillar_names(pillar: str) -> set[str]:
    return {pillar, "criminality"} if pillar in ("criminal_markets", "criminal_actors") else {pillar}


def alternatives(got: Profile, m: Mutation, reference: Reference | None = None) -> list[str]:
    """Other indicators of the mutated one's pillar whose correction by the same amount (the score,
    or the change) leaves ``got`` without error findings: the document is equally consistent with
    one of them having been altered, so arithmetic cannot name the mutated one."""
    if m.kind == "average":
        return []
    delta = m.new - m.old
    out = []
    for ind in got.indicators:
        if ind.pillar != m.pillar or ind.id == m.target:
            continue
        field_ = "score" if m.kind == "score" else "change"
        value = getattr(ind, field_)
        if value is None:
            continue
        alt = got.model_copy(deep=True)
        setattr(alt.indicator(ind.id), field_, value - delta)
        if not _errors(validate(alt, reference)):
            out.append(ind.id)
    return out


def judge(outcome: Outcome, got: Profile, m: Mutation, reference: Reference | None = None) -> None:
    errs = _errors(got.validation)
    outcome.findings = sorted(f"{f.rule}:{f.indicator}" for f in errs)
    outcome.messages = [f.message for f in errs]
    outcome.detected = bool(errs)
    named = {f.indicator for f in errs}
    if m.target in named:
        outcome.located = "indicator"
    elif named & _pillar_names(m.pillar):
        outcome.alternatives = alternatives(got, m, reference)
        if outcome.alternatives:
            outcome.located = "pillar"


def trial(pdf: Path, index: int, rng: random.Random, used: Counter[str], *, workdir: Path,
          reference: Reference | None = None, clean: Profile | None = None) -> Outcome:
    """One profile: validate the original (``clean``, its extraction, when already made), mutate one
    value (the least used kind of ``used`` that the profile allows) into ``workdir``, extract and
    judge the mutant."""
    truth = Profile.model_validate_json(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    if clean is None:
        clean = extract(pdf, reference=reference)
    outcome = Outcome(pdf.name, None, clean_errors=[f"{f.rule}:{f.indicator}: {f.message}"
                                                    for f in _errors(clean.validation)])
    # the least used kind first, ties in an order rotating with the index, so the kinds spread evenly
    kinds = sorted(KINDS, key=lambda kd: (used[kd], (KINDS.index(kd) - index) % len(KINDS)))
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / pdf.name
    m = mutate(pdf, truth, rng, out, kinds)
    outcome.mutation = m
    if m is not None:
        used[m.kind] += 1
        judge(outcome, extract(out, reference=reference), m, reference)
    return outcome


def run(count: int, seed: int, workdir: Path, *, family: str = "mixed", from_dataset: Path | None = None,
        reference: Reference | None = None, progress: bool = False) -> list[Outcome]:
    """Generate ``count`` profiles into ``workdir``, mutate one value in each (kinds balanced over
    the set), extract and validate the originals and the mutants."""
    rng = random.Random(seed)
    pdfs = synth.generate(count, seed, family, workdir / "clean", from_dataset=from_dataset)
    used: Counter[str] = Counter()
    outcomes: list[Outcome] = []
    for k, pdf in enumerate(pdfs):
        outcomes.append(trial(pdf, k, rng, used, workdir=workdir / "mutated", reference=reference))
        if progress and (k + 1) % 20 == 0:
            print(f"… {k + 1}/{len(pdfs)}", file=sys.stderr, flush=True)
    return outcomes


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    stats: Counter[str] = Counter()
    stats["profiles"] = len(outcomes)
    stats["clean_with_errors"] = sum(1 for o in outcomes if o.clean_errors)
    for o in outcomes:
        m = o.mutation
        if m is None:
            stats["not_mutated"] += 1
            continue
        stats[f"{m.kind}.mutated"] += 1
        stats[f"{m.kind}.detected"] += o.detected
        if o.located:
            stats[f"{m.kind}.located_{o.located}"] += 1
    stats["ok"] = sum(o.ok for o in outcomes)
    return dict(sorted(stats.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", type=int, default=200)
    ap.add_argument("--seed", type=int, default=99)
    ap.add_argument("--family", choices=["global", "enact", "mixed"], default="mixed")
    ap.add_argument("--from-dataset", type=Path, help="Generate from the official dataset (xlsx).")
    ap.add_argument("--reference", type=Path, help="Validate against the official dataset (xlsx).")
    ap.add_argument("--keep", type=Path, help="Keep the PDFs in this directory.")
    ap.add_argument("--json", type=Path, help="Write every outcome here.")
    args = ap.parse_args()
    from octa.validate import load_reference

    ref = load_reference(args.reference) if args.reference else None
    family = "global" if args.from_dataset else args.family
    with tempfile.TemporaryDirectory(prefix="octa-mutation-") as tmp:
        work = args.keep or Path(tmp)
        outcomes = run(args.profiles, args.seed, work, family=family, from_dataset=args.from_dataset,
                       reference=ref, progress=True)
    stats = summarise(outcomes)
    for k, v in stats.items():
        print(f"{k:28s} {v}")
    bad = [o for o in outcomes if not o.ok]
    for o in bad[:30]:
        print("MISS", json.dumps(asdict(o), default=str))
    if args.json:
        args.json.write_text(json.dumps({"stats": stats, "outcomes": [asdict(o) for o in outcomes]},
                                        indent=2, default=str) + "\n", encoding="utf-8")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
