"""Recovery that is never silent: a missing score the printed pillar average fixes on the grid."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations_with_replacement

from octa import scoring, taxonomy
from octa.model import Finding, Indicator, Profile
from octa.validate.common import _TAXONOMY_ORDER, _finding, _label, _printed, _printed_summary_text, edition_of, fmt

# --------------------------------------------------------------------------------------------
# Recovery: inferring a missing score from the printed average
# --------------------------------------------------------------------------------------------

def _pillar_gaps(profile: Profile, pillar: str,
                 edition: taxonomy.Edition) -> tuple[list[taxonomy.Indicator], list[Fraction]]:
    """(indicators of the pillar without a usable score, the known scores) for the profile's edition.
    Inferred indicators count as gaps here: their value is what is being (re)derived."""
    by_id = {i.id: i for i in profile.indicators}
    gaps: list[taxonomy.Indicator] = []
    known: list[Fraction] = []
    for ind in edition.indicators_for(pillar):
        got = by_id.get(ind.id)
        if got is None or got.score is None or got.status == "inferred":
            gaps.append(ind)
        else:
            known.append(scoring.exact(got.score))
    return gaps, known


def _inference(profile: Profile, edition: taxonomy.Edition) -> tuple[dict[str, Fraction], list[Finding]]:
    """Values fixed by printed pillar averages (indicator id → score) and the findings saying so."""
    values: dict[str, Fraction] = {}
    findings: list[Finding] = []
    if not edition.dated:
        return values, findings
    who = _label(profile)
    for pillar in edition.pillar_ids:
        printed = _printed(profile, pillar)
        if printed is None:
            continue
        gaps, known = _pillar_gaps(profile, pillar, edition)
        n = len(gaps) + len(known)
        text = _printed_summary_text(profile, pillar)
        if len(gaps) == 1:
            ind = gaps[0]
            if not all(s in scoring.SCORE_SET for s in known):
                continue  # off-grid known scores: score_grid reports them, nothing sound to infer from
            fits = scoring.solve_missing(known, printed, n, text)
            got = profile.indicator(ind.id)
            before = got.inferred_score if got is not None and got.inferred_score is not None else (
                got.score if got is not None and got.status == "inferred" else None)
            why = "has no score read from the profile"  # the same on re-validation of the output
            left = f"its inferred score {fmt(before)} is unsupported; left null" if before is not None else "left null"
            if len(fits) == 1:
                values[ind.id] = fits[0]
                findings.append(_finding(
                    "inferred_score", "warning",
                    f"{who}: {ind.id} {why}; the printed {pillar} average {fmt(printed, 2)} with the other "
                    f"{len(known)} scores fixes it at {fmt(fits[0])} (inferred_score {fmt(fits[0])}, status "
                    "inferred; score left null)", ind.id))
            elif fits:
                findings.append(_finding(
                    "inferred_score", "warning",
                    f"{who}: {ind.id} {why}; the printed {pillar} average {fmt(printed, 2)} fits several "
                    f"scores ({', '.join(fmt(f) for f in fits)}); {left}", ind.id))
            else:
                findings.append(_finding(
                    "inferred_score", "warning",
                    f"{who}: {ind.id} {why}; no score on the grid gives the printed {pillar} average "
                    f"{fmt(printed, 2)} with the other {len(known)} scores; {left}", ind.id))
        elif len(gaps) > 1 and all(s in scoring.SCORE_SET for s in known):
            base = sum(known, Fraction(0))
            sums = sorted({sum(c, Fraction(0)) for c in combinations_with_replacement(scoring.SCORE_GRID, len(gaps))
                           if scoring.agrees(printed, (base + sum(c, Fraction(0))) / n, text)}) if len(gaps) <= 3 else []
            ids = ", ".join(g.id for g in gaps)
            detail = (f"their scores must sum to {' or '.join(fmt(s) for s in sums)}, which several "
                      "combinations fit" if sums else "their values are not fixed by it")
            findings.append(_finding(
                "inferred_score", "warning",
                f"{who}: {len(gaps)} {pillar} scores are missing ({ids}); with the printed average "
                f"{fmt(printed, 2)} {detail}; left null", None))
    return values, findings


def _apply(profile: Profile, values: dict[str, Fraction], *, internal: bool = False) -> Profile:
    """A copy of ``profile`` with the inferred ``values``: as ``inferred_score`` with a null score (what
    the output says), or, ``internal``, as the score itself (what the arithmetic rules work on).
    Indicators marked inferred whose value is no longer fixed lose it."""
    # Only the indicator entries (their scalar fields) and the lists are changed here: copy those,
    # share the rest (sections with their paragraphs and repairs are large and stay untouched).
    out = profile.model_copy(update={"indicators": [i.model_copy() for i in profile.indicators],
                                     "validation": list(profile.validation)})
    for got in out.indicators:
        if got.status == "inferred" and got.id not in values:
            got.inferred_score = None
            got.score = None
            got.status = "missing"
    for ind_id, value in values.items():
        score = float(value) if internal else None
        got = out.indicator(ind_id)
        if got is not None:
            got.score = score
            got.inferred_score = float(value)
            got.status = "inferred"
            continue
        tax = taxonomy.INDICATORS_BY_ID[ind_id]
        new = Indicator(id=ind_id, label=tax.label, pillar=tax.pillar, group=tax.group,
                        score=score, inferred_score=float(value), status="inferred")
        pos = len(out.indicators)
        for k, existing in enumerate(out.indicators):
            if _TAXONOMY_ORDER.get(existing.id, len(_TAXONOMY_ORDER)) > _TAXONOMY_ORDER[ind_id]:
                pos = k
                break
        out.indicators.insert(pos, new)
    return out


def infer_missing(profile: Profile, edition: taxonomy.Edition | None = None) -> Profile:
    """A copy of ``profile`` where each single missing (or unreadable) indicator of a pillar whose
    value the printed pillar average fixes uniquely gets ``status="inferred"`` and ``inferred_score``
    (``score`` stays null; the entry is created from the taxonomy when the profile printed no such
    row). The ``inferred_score`` findings (also those of ambiguous cases, which stay null) are added
    to the copy's ``validation``."""
    values, findings = _inference(profile, edition or edition_of(profile))
    return _with_findings(_apply(profile, values), findings)


def _with_findings(out: Profile, findings: list[Finding]) -> Profile:
    """``out`` (a copy made by :func:`_apply`) with the inference's ``findings`` added to its
    ``validation`` (those not there yet): what :func:`infer_missing` returns."""
    for f in findings:
        if f not in out.validation:
            out.validation.append(f)
    return out
