"""Field-by-field comparison of two profiles (an extraction against a truth, or two engines).

Used by the accuracy script (``scripts/accuracy.py``) and the tests: every number the pipeline
emits is compared with an independent truth, field by field."""

from __future__ import annotations

from dataclasses import dataclass

from octa.model import Profile


@dataclass(frozen=True)
class Difference:
    field: str  # "country", "indicator.score", "summary", "rank", ...
    key: str  # indicator id, summary id, rank metric/scope, or ""
    got: object
    expected: object


def _num(x: float | None) -> str | None:
    return None if x is None else f"{x:.2f}"


def compare_scores(got: Profile, truth: Profile) -> list[Difference]:
    """Differences in metadata, summary scores and changes, ranks, indicator scores and changes."""
    out: list[Difference] = []
    for f in ("country", "year", "family"):
        if getattr(got, f) != getattr(truth, f):
            out.append(Difference(f, "", getattr(got, f), getattr(truth, f)))
    for k in ("criminality", "criminal_markets", "criminal_actors", "resilience"):
        g, t = getattr(got.summary, k), getattr(truth.summary, k)
        if _num(g) != _num(t):
            out.append(Difference("summary", k, g, t))
    gch = {s.metric: s.change for s in got.summary_scores}
    for s in truth.summary_scores:
        if s.change is not None and _num(gch.get(s.metric)) != _num(s.change):
            out.append(Difference("summary.change", s.metric, gch.get(s.metric), s.change))
    granks = {(r.metric, r.scope): (r.rank, r.of, r.area) for r in got.ranks}
    tranks = {(r.metric, r.scope): (r.rank, r.of, r.area) for r in truth.ranks}
    for key in sorted(set(granks) | set(tranks)):
        if granks.get(key) != tranks.get(key):
            out.append(Difference("rank", "/".join(key), granks.get(key), tranks.get(key)))
    gind = {i.id: i for i in got.indicators}
    tind = {i.id: i for i in truth.indicators}
    for iid in sorted(set(gind) | set(tind)):
        g, t = gind.get(iid), tind.get(iid)
        gs = None if g is None or g.status == "missing" else g.score
        ts = None if t is None else t.score
        if _num(gs) != _num(ts):
            out.append(Difference("indicator.score", iid, gs, ts))
        gc = None if g is None else g.change
        tc = None if t is None else t.change
        if _num(gc) != _num(tc):
            out.append(Difference("indicator.change", iid, gc, tc))
    return out
