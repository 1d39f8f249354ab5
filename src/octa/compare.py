"""Field-by-field comparison of two profiles (an extraction against a truth, or two engines).

Used by the accuracy script (``scripts/accuracy.py``) and the tests: every number the pipeline
emits is compared with an independent truth, field by field.

The comparison is symmetric in what it counts as wrong: a value the truth does not have (an
invented summary change, a change where the truth prints ``n/a``, a score of an indicator the
truth lacks, a rank the truth does not print) is a difference exactly like a missing or a wrong
value. A reported number is only right when the truth holds the same number, at the precision the
profile printed it with: a summary change printed ``+0.1`` (the profile's own rounding of an exact
0.0667) is right where the truth holds 0.07, one printed ``+0.10`` is not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from octa.layout.page import CLIPPED
from octa.model import Profile


@dataclass(frozen=True)
class Difference:
    field: str  # "country", "indicator.score", "summary", "rank", ...
    key: str  # indicator id, summary id, rank metric/scope, or ""
    got: object
    expected: object


def _num(x: float | None) -> str | None:
    return None if x is None else f"{x + 0.0:.2f}"  # (+ 0.0: a negative zero is zero)


def _places(printed: str | None) -> int | None:
    """The decimals of the first number of a printed value (``'+0.1'`` → 1), None without one."""
    m = re.search(r"\d+(?:[.,](\d+))?", printed or "")
    return None if m is None else len(m.group(1) or "")


def _at(x: float, places: int) -> Decimal:
    """``x`` (a truth's two-decimal value) rounded half away from zero to ``places`` decimals."""
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


SUMMARY_KEYS = ("criminality", "criminal_markets", "criminal_actors", "resilience")


def compare_scores(got: Profile, truth: Profile) -> list[Difference]:
    """Differences in metadata, summary scores and changes, ranks, indicator scores and changes.
    Every key present on either side is compared: a value where the truth has none is a difference."""
    out: list[Difference] = []
    for f in ("country", "year", "family"):
        if getattr(got, f) != getattr(truth, f):
            out.append(Difference(f, "", getattr(got, f), getattr(truth, f)))
    for k in SUMMARY_KEYS:
        g, t = getattr(got.summary, k), getattr(truth.summary, k)
        if _num(g) != _num(t):
            out.append(Difference("summary", k, g, t))
    gch = {s.metric: s.change for s in got.summary_scores}
    gprinted = {s.metric: s.change_printed for s in got.summary_scores}
    tch = {s.metric: s.change for s in truth.summary_scores}
    # a truth that records the change as printed at one decimal (the exact difference rounded, which
    # its two-decimal change rounded again may not give: -0.2467 is -0.2, -0.25 would be -0.3)
    tprinted = {s.metric: s.change_printed for s in truth.summary_scores}
    for k in [m for m in SUMMARY_KEYS if m in gch or m in tch]:
        g, t = gch.get(k), tch.get(k)
        places = _places(gprinted.get(k))
        if g is not None and t is not None and places is not None and places < 2:
            want = _at(t, places)
            if _places(tprinted.get(k)) == places:
                want = Decimal(re.sub(r"[^\d.+-]", "", tprinted[k] or "").replace("+", "") or "0")
            if Decimal(str(g)) != want:
                out.append(Difference("summary.change", k, g, t))
        elif _num(g) != _num(t):
            out.append(Difference("summary.change", k, g, t))
    granks = {(r.metric, r.scope): (r.rank, r.of, r.area) for r in got.ranks}
    tranks = {(r.metric, r.scope): (r.rank, r.of, r.area) for r in truth.ranks}
    for key in sorted(set(granks) | set(tranks)):
        if granks.get(key) != tranks.get(key):
            out.append(Difference("rank", "/".join(key), granks.get(key), tranks.get(key)))
    gind = {i.id: i for i in got.indicators}
    tind = {i.id: i for i in truth.indicators}
    for iid in sorted(set(gind) | set(tind)):
        g, t = gind.get(iid), tind.get(iid)
        # a score is a score whatever the status says: "missing" with a number is still a number
        gs = None if g is None else g.score
        ts = None if t is None else t.score
        if _num(gs) != _num(ts):
            out.append(Difference("indicator.score", iid, gs, ts))
        gc = None if g is None else g.change
        tc = None if t is None else t.change
        if _num(gc) != _num(tc):
            out.append(Difference("indicator.change", iid, gc, tc))
    return out


def colour_only_null(got: Profile, d: Difference, truth: Profile | None = None) -> bool:
    """A change the parser left null because nothing printed gives its direction (a colour alone),
    with its size in ``change_printed`` and a ``change_direction`` finding: the behaviour the
    output contract asks for, counted apart (neither right nor wrong)."""
    if d.field not in ("indicator.change", "summary.change") or d.got is not None or d.expected is None:
        return False
    if d.field == "indicator.change":
        item = got.indicator(d.key)
    else:
        item = next((s for s in got.summary_scores if s.metric == d.key), None)
    printed = (item.change_printed or "").strip("()[] ") if item is not None else ""
    try:
        size = abs(Fraction(printed))
    except (ValueError, ZeroDivisionError):
        return False
    # the size at the precision it was printed with (a summary change printed +0.3 for -0.29)
    places = len(printed.split(".")[1]) if "." in printed else 0
    truth_size = abs(Decimal(str(d.expected))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if d.field == "summary.change" and truth is not None:
        t = next((s for s in truth.summary_scores if s.metric == d.key), None)
        if t is not None and t.change_printed and t.change_printed.count(".") == 1 \
                and len(t.change_printed.split(".")[1]) == places:
            truth_size = abs(Decimal(t.change_printed.replace("+", "")))
    return size == Fraction(truth_size) and any(
        f.rule == "change_direction" and f.indicator == d.key for f in got.validation)


def clip_cut_null(got: Profile, d: Difference) -> bool:
    """A change the parser left null because the page draws it cut off by a clip path (a table
    wider than its page: ``0…``), with the token as drawn in ``change_printed`` and an
    ``indicator_change`` finding saying so: the value is not on the page whole, so it is counted
    apart (neither right nor wrong), like a direction printed by colour alone."""
    if d.field != "indicator.change" or d.got is not None or d.expected is None:
        return False
    item = got.indicator(d.key)
    return item is not None and CLIPPED in (item.change_printed or "") and any(
        f.rule == "indicator_change" and f.indicator == d.key and "cut off" in f.message for f in got.validation)


def contract_null(got: Profile, d: Difference, truth: Profile | None = None) -> str | None:
    """Why a difference is a null the output contract asks for (``colour only``: a change whose
    direction nothing printed gives; ``cut off``: a change a clip path cuts), or None when it is a
    difference."""
    if colour_only_null(got, d, truth):
        return "colour only"
    if clip_cut_null(got, d):
        return "cut off"
    return None
