"""The rules: each a small function over the profile (and the previous edition), run in a fixed
order by :func:`validate`; and the confirmation of each read value's status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from octa import scoring, taxonomy
from octa.layout.page import CLIPPED
from octa.model import Evidence, Finding, Profile, RankEvidence, Section, SummaryEvidence
from octa.validate.common import (
    BAR_TOLERANCE,
    MAX_CHANGE,
    _exact_summary,
    _finding,
    _has_changes,
    _label,
    _printed,
    _printed_summary_text,
    _same_country,
    edition_of,
    fmt,
    printed_text,
)
from octa.validate.inference import _apply, _inference, _with_findings, infer_missing
from octa.validate.reference import (
    Reference,
    check_ranks,
    check_reference,
    expected_ranks,
    rank_agrees,
    summary_agrees,
)
from octa.validate.unread import check_unread_cell

# --------------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------------

def check_edition(profile: Profile, edition: taxonomy.Edition | None = None) -> list[Finding]:
    """The family and edition are known and exist (the other rules need them)."""
    if profile.year is None:
        return [_finding("edition", "error", f"{_label(profile)}: the edition (year) is unknown; "
                         "indicator-set and arithmetic checks skipped")]
    if not (edition or edition_of(profile)).dated:
        fam = profile.family or "any family"
        return [_finding("edition", "error", f"{_label(profile)}: {fam} has no {profile.year} edition")]
    if profile.family is None:
        return [_finding("edition", "warning", f"{_label(profile)}: the index family is unknown; "
                         "change checks skipped")]
    return []


def check_score_grid(profile: Profile) -> list[Finding]:
    """Every indicator score lies on {1.0, 1.5, …, 10.0}; summary scores on 1.00–10.00 (2 decimals)."""
    out: list[Finding] = []
    who = _label(profile)
    for ind in profile.indicators:
        if ind.score is not None and not scoring.is_valid_score(ind.score):
            out.append(_finding("score_grid", "error",
                                f"{who}: {ind.id} score {fmt(ind.score)} is not on the grid 1.0, 1.5, …, 10.0",
                                ind.id))
    for metric in taxonomy.SUMMARY_IDS:
        val = _printed(profile, metric)
        if val is None:
            continue
        if not (1 <= val <= 10) or (val * 100).denominator != 1:
            out.append(_finding("score_grid", "error",
                                f"{who}: {metric} score {fmt(val, 2)} is not a 2-decimal value in 1.00–10.00",
                                metric))
    return out


def check_indicator_set(profile: Profile, original: Profile | None = None, edition: taxonomy.Edition | None = None) -> list[Finding]:
    """The edition's indicator set is complete and nothing else is there. ``original`` is the
    profile before inference (to tell an inferred value from a printed one)."""
    ed = edition or edition_of(profile)
    if not ed.dated:
        return []
    original = original or profile
    who = _label(profile)
    out: list[Finding] = []
    expected = {i.id: i for i in ed.indicators}
    if not any(i.score is not None for i in profile.indicators):
        return [_finding("indicator_set", "error", f"{who}: no indicator scores were extracted "
                         f"({len(expected)} expected)")]
    seen: set[str] = set()
    for ind in profile.indicators:
        if ind.id in seen:
            out.append(_finding("indicator_set", "error", f"{who}: indicator {ind.id} appears more than once", ind.id))
            continue
        seen.add(ind.id)
        if ind.id not in taxonomy.INDICATORS_BY_ID:
            out.append(_finding("indicator_set", "error", f"{who}: unknown indicator {ind.id!r}", ind.id))
        elif ind.id not in expected:
            out.append(_finding("indicator_set", "error",
                                f"{who}: {ind.id} is not an indicator of the {profile.year} edition", ind.id))
        elif ind.pillar != expected[ind.id].pillar:
            out.append(_finding("indicator_set", "error",
                                f"{who}: {ind.id} is filed under pillar {ind.pillar}, not {expected[ind.id].pillar}",
                                ind.id))
    for pillar in ed.pillar_ids:
        ids = [i.id for i in ed.indicators_for(pillar)]
        unresolved = [i for i in ids if (got := profile.indicator(i)) is None or got.score is None]
        printed_rows = [i for i in ids if (b := original.indicator(i)) is not None and b.status != "missing"]
        if len(unresolved) == len(ids) and not printed_rows and _printed(profile, pillar) is None:
            # Nothing of the pillar is in the input (a partial extraction): absent, not wrong.
            out.append(_finding("indicator_set", "warning",
                                f"{who}: no {pillar} table in the input (none of its {len(ids)} indicators nor "
                                "its average); not checked", None))
            continue
        for ind_id in ids:
            now = profile.indicator(ind_id)
            before = original.indicator(ind_id)
            printed_row = before is not None and before.status != "missing"
            if now is not None and now.score is not None:
                continue  # read, or inferred (the inferred_score finding says so)
            if printed_row:
                out.append(_finding("indicator_set", "error",
                                    f"{who}: the {ind_id} row is printed but its score could not be read", ind_id))
            elif len(unresolved) == 1:
                out.append(_finding("indicator_set", "warning",
                                    f"{who}: {ind_id} is not printed and could not be inferred", ind_id))
            else:
                out.append(_finding("indicator_set", "error",
                                    f"{who}: {ind_id} is missing ({len(unresolved)} {pillar} scores missing)",
                                    ind_id))
    return out


def check_pillar_average(profile: Profile, edition: taxonomy.Edition | None = None) -> list[Finding]:
    """Each printed pillar average is the exact mean of its scores rounded half up; criminality is
    the mean of the two *unrounded* pillar means (never of the printed, rounded averages)."""
    ed = edition or edition_of(profile)
    summ = _exact_summary(profile, ed)
    if summ is None:
        return []
    who = _label(profile)
    out: list[Finding] = []
    exact_vals = summ.exact_values()
    for metric in ("criminal_markets", "criminal_actors", "resilience", "criminality"):
        printed = _printed(profile, metric)
        value = exact_vals[metric]
        if printed is None or value is None:
            continue
        text = _printed_summary_text(profile, metric)
        if not scoring.agrees(printed, value, text):
            places = scoring.printed_places(text, printed)
            expected = scoring.round_to(value, places)
            if metric == "criminality":
                how = (f"the mean of the unrounded pillar means ({fmt(summ.criminal_markets, 2)} and "
                       f"{fmt(summ.criminal_actors, 2)}) {fmt(value, 2)} rounds to {expected}")
            else:
                n = len(ed.indicators_for(metric))
                how = (f"the mean of its {n} indicator scores {fmt(value, 2)} rounds to {expected}"
                       + _offset_hint(value * n, n, lambda total, n=n: total / n, printed, "scores", text=text))
            out.append(_finding("pillar_average", "error",
                                f"{who}: printed {metric} {fmt(printed, 2)} but {how}", metric))
    return out


def _offset_hint(total: Fraction, n: int, value_of: Callable[[Fraction], Fraction], printed: Fraction,
                 what: str, culprit: str | None = None, text: str | None = None) -> str:
    """Where a printed value disagrees with a sum of ``n`` half-step values: by how much the sum would
    have to differ (one value off by that much), or that no half-step values give it (then the printed
    value itself is wrong), at the precision it was printed with (``text``). ``value_of`` maps a sum
    to the unrounded printed quantity; ``culprit`` names what is subtracted to give each value (a
    change), when not the value itself."""
    offsets = [Fraction(k, 2) for k in range(-18 * n, 18 * n + 1)
               if k and scoring.agrees(printed, value_of(total + Fraction(k, 2)), text)]
    if not offsets:
        return f"; no half-step {what} give {fmt(printed, 2)}, so the printed value itself is wrong"
    if len(offsets) == 1:
        k = offsets[0]
        high = (k < 0) != (culprit is not None)
        return (f"; {fmt(printed, 2)} needs the {what} to sum to {fmt(total + k)}, not {fmt(total)} "
                f"(one {culprit or what[:-1]} too {'high' if high else 'low'} by {fmt(abs(k))}?)")
    return ""


@dataclass(frozen=True)
class PreviousEdition:
    """The previous edition's indicator scores, from a previous profile or a reference row."""

    year: int
    scores: dict[str, Fraction]
    source: str
    family: str | None = None

    def summary(self) -> scoring.Summary:
        return scoring.summarise(self.scores, self.year, self.family)


def find_previous(
    profile: Profile, reference: Reference | None = None, previous: Profile | None = None,
    edition: taxonomy.Edition | None = None,
) -> tuple[PreviousEdition | None, list[Finding]]:
    """The previous edition of ``profile`` when known: ``previous`` (if it is the same family,
    country and the edition before), else the reference row of that edition (either family)."""
    findings: list[Finding] = []
    ed = edition or edition_of(profile)
    if ed.family is None or not ed.dated:
        return None, findings
    prev_year = ed.previous
    if prev_year is None:
        return None, findings
    if previous is not None:
        if (previous.year == prev_year and previous.family in (None, profile.family)
                and _same_country(previous.country, profile.country)):
            prev = infer_missing(previous)
            scores = {i.id: scoring.exact(i.score) for i in prev.indicators if i.score is not None}
            return PreviousEdition(prev_year, scores, f"previous profile {previous.source.file}",
                                   profile.family), findings
        findings.append(_finding(
            "previous", "warning",
            f"{_label(profile)}: the previous profile given ({_label(previous)}) is not its "
            f"{profile.family} {prev_year} edition; ignored"))
    if reference is not None:  # both families: ENACT editions since 2021 are the Global index's sheets
        row = reference.get(profile.country, prev_year)
        if row is not None:
            return PreviousEdition(prev_year, dict(row.scores), f"reference {prev_year}", profile.family), findings
    return None, findings


def check_summary_change(profile: Profile, prev: PreviousEdition | None = None, edition: taxonomy.Edition | None = None) -> list[Finding]:
    """Printed summary changes: none in a family's first edition; within ±9; and, when the previous
    edition is known, the difference of the unrounded means rounded half away from zero."""
    who = _label(profile)
    out: list[Finding] = []
    ed = edition or edition_of(profile)
    has = _has_changes(ed)
    cur = _exact_summary(profile, ed)
    old = prev.summary() if prev is not None else None
    for ss in profile.summary_scores:
        if ss.change is None:
            continue
        change = scoring.exact(ss.change)
        if has is False:
            out.append(_finding("summary_change", "error",
                                f"{who}: a {ss.metric} change {fmt(change, 2)} is printed, but the "
                                f"{profile.year} edition is the first of the {profile.family} family", ss.metric))
            continue
        if abs(change) > MAX_CHANGE or (change * 100).denominator != 1:
            out.append(_finding("summary_change", "error",
                                f"{who}: {ss.metric} change {fmt(change, 2)} is not a 2-decimal value within ±9",
                                ss.metric))
            continue
        if cur is None or old is None or prev is None:
            continue
        now_v, old_v = cur.exact_values()[ss.metric], old.exact_values()[ss.metric]
        if now_v is None or old_v is None:
            continue
        if not scoring.agrees(change, now_v - old_v, ss.change_printed):
            expected = scoring.round_to(now_v - old_v, scoring.printed_places(ss.change_printed, change))
            out.append(_finding(
                "summary_change", "error",
                f"{who}: printed {ss.metric} change {fmt(change, 2)} but the unrounded means "
                f"{fmt(now_v, 2)} ({profile.year}) − {fmt(old_v, 2)} ({prev.year}, {prev.source}) "
                f"give {expected}", ss.metric))
    return out


def check_indicator_change(profile: Profile, prev: PreviousEdition | None = None, edition: taxonomy.Edition | None = None) -> list[Finding]:
    """Indicator changes: multiples of 0.5 within ±9; ``n/a``/null only for indicators new in the
    edition; all null in a family's first edition; ``current − previous`` when the previous edition
    is known."""
    who = _label(profile)
    out: list[Finding] = []
    ed = edition or edition_of(profile)
    has = _has_changes(ed)
    for ind in profile.indicators:
        if ind.id not in taxonomy.INDICATORS_BY_ID:
            continue
        change = None if ind.change is None else scoring.exact(ind.change)
        if has is None:
            continue
        if has is False or ed.is_new(ind.id):  # no change may be printed
            if change is not None:
                why = (f"has a change {fmt(change)}, but the {profile.year} edition is the first of the "
                       f"{profile.family} family (no changes are printed)" if has is False else
                       f"is new in the {profile.year} edition, so its change must be n/a, but {fmt(change)} is printed")
                out.append(_finding("indicator_change", "error", f"{who}: {ind.id} {why}", ind.id))
            continue
        if change is None:
            if ind.status != "ok" or ind.score is None:
                continue  # not printed or not read: indicator_set / inferred_score report it
            expected = None
            if prev is not None and ind.id in prev.scores:
                expected = scoring.exact(ind.score) - prev.scores[ind.id]
            if ind.change_printed is not None and ind.change_printed.strip().lower() in ("n/a", "na", "n.a."):
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} prints change n/a but is not new in the {profile.year} edition"
                                    + (f" (expected {fmt(expected)})" if expected is not None else ""), ind.id))
            elif ind.change_printed is not None and CLIPPED in ind.change_printed:  # the layout's mark of a cut
                out.append(_finding("indicator_change", "warning",
                                    f"{who}: {ind.id} change is cut off where it is printed (drawn as "
                                    f"'{ind.change_printed}': a clip path leaves part of it undrawn); not read",
                                    ind.id))
            elif expected is not None and prev is not None:
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} change is missing (expected {fmt(expected)} = "
                                    f"{fmt(ind.score)} − {fmt(prev.scores[ind.id])} from {prev.source})",
                                    ind.id))
            else:
                out.append(_finding("indicator_change", "warning",
                                    f"{who}: {ind.id} change was not read", ind.id))
            continue
        if (change * 2).denominator != 1 or abs(change) > MAX_CHANGE:
            out.append(_finding("indicator_change", "error",
                                f"{who}: {ind.id} change {fmt(change)} is not a multiple of 0.5 within ±9", ind.id))
            continue
        if ind.score is not None and scoring.is_valid_score(ind.score):
            before = scoring.exact(ind.score) - change
            if before not in scoring.SCORE_SET:
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} score {fmt(ind.score)} with change {fmt(change)} implies a "
                                    f"previous score {fmt(before)} outside 1.0–10.0", ind.id))
                continue
        if prev is not None and ind.score is not None and ind.id in prev.scores:
            expected = scoring.exact(ind.score) - prev.scores[ind.id]
            if not scoring.agrees(change, expected, ind.change_printed):
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} change {fmt(change)} but {fmt(ind.score)} − "
                                    f"{fmt(prev.scores[ind.id])} ({prev.year}, {prev.source}) = {fmt(expected)}",
                                    ind.id))
    return out


def implied_previous(profile: Profile, edition: taxonomy.Edition | None = None) -> PreviousEdition | None:
    """The previous edition's scores implied by the printed changes (``score − change``) of every
    indicator that has both and whose implied score is on the grid; None when the edition prints no
    changes. Indicators new in the edition (``n/a``) are not in the previous edition's set, so a
    pillar's previous mean is complete once each of its previous-edition indicators has a change."""
    ed = edition or edition_of(profile)
    prev_year = ed.previous if _has_changes(ed) else None
    if prev_year is None:
        return None
    scores: dict[str, Fraction] = {}
    for tax in taxonomy.resolve(ed.family, prev_year).indicators:
        ind = profile.indicator(tax.id)
        if ind is None or ind.status != "ok" or ind.score is None or ind.change is None:
            continue
        score, change = scoring.exact(ind.score), scoring.exact(ind.change)
        if score not in scoring.SCORE_SET or score - change not in scoring.SCORE_SET:
            continue  # score_grid / indicator_change report it
        scores[tax.id] = score - change
    if not scores:
        return None
    return PreviousEdition(prev_year, scores, "implied by the printed indicator changes", profile.family)


def check_implied_previous(profile: Profile, edition: taxonomy.Edition | None = None) -> list[Finding]:
    """Without the previous edition: each printed summary change equals the change between the exact
    summaries of the current scores and of the previous scores implied by the printed indicator
    changes (criminality from the unrounded pillar means, changes of unrounded means rounded half
    away from zero). A mismatch means a printed change of the pillar (an indicator's or the
    summary's), or a score, is wrong; it is reported at the summary metric."""
    ed = edition or edition_of(profile)
    prev = implied_previous(profile, ed)
    cur = _exact_summary(profile, ed)
    if prev is None or cur is None:
        return []
    who = _label(profile)
    old = prev.summary().exact_values()
    now = cur.exact_values()
    out: list[Finding] = []
    for ss in profile.summary_scores:
        now_v, old_v = now[ss.metric], old[ss.metric]
        if ss.change is None or now_v is None or old_v is None:
            continue
        change = scoring.exact(ss.change)
        if abs(change) > MAX_CHANGE or (change * 100).denominator != 1:
            continue  # summary_change reports it
        if not scoring.agrees(change, now_v - old_v, ss.change_printed):
            expected = scoring.round_to(now_v - old_v, scoring.printed_places(ss.change_printed, change))
            pillars = ("criminal_markets", "criminal_actors") if ss.metric == "criminality" else (ss.metric,)
            hint = ""
            printed_avg = _printed(profile, ss.metric)
            if (ss.metric != "criminality" and printed_avg is not None
                    and scoring.agrees(printed_avg, now_v, _printed_summary_text(profile, ss.metric))):
                # the current scores agree with their printed average: the offset is in the changes
                n_prev = len(taxonomy.resolve(prev.family, prev.year).indicators_for(ss.metric))
                hint = _offset_hint(old_v * n_prev, n_prev,
                                    lambda total, n=n_prev, c=now_v: c - total / n, change,
                                    f"implied {prev.year} scores", "change", text=ss.change_printed)
            out.append(_finding(
                "implied_previous", "error",
                f"{who}: printed {ss.metric} change {fmt(change, 2)} but the current scores and the {prev.year} "
                f"scores implied by the printed changes (score − change) give {expected} (unrounded means "
                f"{fmt(now_v, 2)} − {fmt(old_v, 2)}): a printed score or change of a "
                f"{' or '.join(pillars)} indicator, or the {ss.metric} change, is wrong{hint}", ss.metric))
    return out


def check_bar_score(profile: Profile) -> list[Finding]:
    """A score read from a drawn bar's length agrees with the printed score within 0.25."""
    who = _label(profile)
    out: list[Finding] = []
    for ind in profile.indicators:
        if ind.bar_score is None or ind.score is None:
            continue
        diff = abs(scoring.exact(ind.bar_score) - scoring.exact(ind.score))
        if diff > BAR_TOLERANCE:
            out.append(_finding("bar_score", "error",
                                f"{who}: {ind.id} score {fmt(ind.score)} but its bar is drawn at "
                                f"{fmt(ind.bar_score, 2)} (off by {fmt(diff, 2)}, tolerance 0.25)", ind.id))
    return out


def _section_kind(section: Section, edition: taxonomy.Edition) -> tuple[str, str] | None:
    key = taxonomy.fold(section.heading)
    group = next((g.id for g in edition.groups if taxonomy.fold(g.heading) == key), None)
    if group is not None:
        return "group", group
    for pillar in edition.pillars:  # a pillar whose paragraphs stand under its own heading
        if pillar.narrative and key == taxonomy.fold(pillar.narrative[-1]) and edition.narrative_pillar(pillar.narrative):
            return "pillar", pillar.id
    return None


def check_paragraph_count(profile: Profile, edition: taxonomy.Edition | None = None) -> list[Finding]:
    """Each group heading has one paragraph per indicator of the group, and a pillar without groups
    (the criminal actors) one per indicator under its own heading (DOMAIN §4). Only when the profile
    has sections."""
    ed = edition or edition_of(profile)
    if not profile.sections or not ed.dated:
        return []
    who = _label(profile)
    out: list[Finding] = []
    found: dict[tuple[str, str], list[Section]] = {}
    for sec in profile.sections:
        kind = _section_kind(sec, ed)
        if kind is not None:
            found.setdefault(kind, []).append(sec)
    targets: list[tuple[tuple[str, str], str, list[str]]] = []
    for pillar in ed.pillar_ids:
        inds = ed.indicators_for(pillar)
        own = ed.narrative_pillar(ed.pillar(pillar).narrative)
        if own is not None and own.id == pillar:
            targets.append((("pillar", pillar), own.narrative[-1], [i.id for i in inds]))
            continue
        for group in ed.groups_for(pillar):
            ids = [i.id for i in inds if i.group == group.id]
            if ids:
                targets.append((("group", group.id), group.heading, ids))
    for key, heading, ids in targets:
        secs = found.get(key)
        if not secs:
            out.append(_finding("paragraph_count", "warning",
                                f"{who}: no narrative section headed {heading!r} (for {', '.join(ids)})",
                                ids[0] if len(ids) == 1 else None))
            continue
        # Several sections with the same heading (a summary box and the narrative): the fullest counts.
        paras = max((s.paragraphs for s in secs), key=len)
        if len(paras) == len(ids):
            continue
        linked = {p.indicator for p in paras if p.indicator}
        uncovered = [i for i in ids if i not in linked]
        if len(paras) < len(ids):
            if not paras or (linked and uncovered):
                for ind_id in uncovered:
                    out.append(_finding("paragraph_count", "warning",
                                        f"{who}: {heading!r} has {len(paras)} paragraphs for {len(ids)} indicators; "
                                        f"{ind_id} has no paragraph of its own", ind_id))
            else:
                out.append(_finding("paragraph_count", "warning",
                                    f"{who}: {heading!r} has {len(paras)} paragraphs for {len(ids)} indicators "
                                    f"({', '.join(ids)})", ids[0] if len(ids) == 1 else None))
        else:
            out.append(_finding("paragraph_count", "warning",
                                f"{who}: {heading!r} has {len(paras)} paragraphs for {len(ids)} indicators "
                                "(a paragraph split by a page break?)", ids[0] if len(ids) == 1 else None))
    return out


def check_summary_present(profile: Profile) -> list[Finding]:
    """The four summary scores were found."""
    who = _label(profile)
    missing = [m for m in taxonomy.SUMMARY_IDS if _printed(profile, m) is None]
    return [_finding("summary_present", "warning", f"{who}: the {m} summary score was not found", m)
            for m in missing]


def check_country_code(profile: Profile) -> list[Finding]:
    """The printed country name has an ISO 3166-1 alpha-3 code (``Profile.iso3``, from the alias table
    and pycountry). A name that maps to none is reported, never guessed: the panel cannot join it."""
    if not profile.country or profile.iso3:
        return []
    return [_finding("country_code", "warning",
                     f"{_label(profile)}: the country name {profile.country!r} maps to no ISO 3166-1 alpha-3 code "
                     "(not in the alias table nor in pycountry); the panel keeps it on its own")]


@dataclass
class Context:
    """What the rules read: the profile as read (``original``), the same with the inferred scores
    applied (``profile``, which the arithmetic rules check), the inference's findings, the previous
    edition when known and the reference."""

    original: Profile
    profile: Profile
    edition: taxonomy.Edition
    values: dict[str, Fraction]
    inferred: list[Finding]
    reference: Reference | None
    previous: PreviousEdition | None
    previous_findings: list[Finding]
    #: the findings of :func:`confirm` on ``original`` with the inferred values, when already made
    confirmed: list[Finding] | None = None


@dataclass(frozen=True)
class Rule:
    """A named check over the :class:`Context`."""

    name: str
    check: Callable[[Context], list[Finding]]


#: The rules in the order their findings are reported (deterministic output). The previous edition
#: is implied from the printed changes only when it is not known; the reference is checked only when
#: given; the statuses' own findings (``unconfirmed``, ``change_direction``) come from the profile as
#: the output has it (an inferred score stays null there: the average it was inferred from cannot
#: also confirm its pillar).
PLAN: tuple[Rule, ...] = (
    Rule("edition", lambda c: check_edition(c.profile, c.edition)),
    Rule("score_grid", lambda c: check_score_grid(c.profile)),
    Rule("indicator_set", lambda c: check_indicator_set(c.profile, c.original, c.edition)),
    Rule("inferred_score", lambda c: c.inferred),
    Rule("pillar_average", lambda c: check_pillar_average(c.profile, c.edition)),
    Rule("summary_change", lambda c: check_summary_change(c.profile, c.previous, c.edition)),
    Rule("indicator_change", lambda c: check_indicator_change(c.profile, c.previous, c.edition)),
    Rule("implied_previous", lambda c: check_implied_previous(c.profile, c.edition) if c.previous is None else []),
    Rule("bar_score", lambda c: check_bar_score(c.profile)),
    Rule("paragraph_count", lambda c: check_paragraph_count(c.profile, c.edition)),
    Rule("summary_present", lambda c: check_summary_present(c.profile)),
    Rule("country_code", lambda c: check_country_code(c.profile)),
    Rule("previous", lambda c: c.previous_findings),
    Rule("reference", lambda c: check_reference(c.profile, c.reference) if c.reference is not None else []),
    Rule("rank", lambda c: check_ranks(c.profile, c.reference) if c.reference is not None else []),
    Rule("confirmation", lambda c: c.confirmed if c.confirmed is not None else
         confirm(_apply(c.original, c.values), c.reference, c.edition)[1]),
    Rule("unread_cell", lambda c: check_unread_cell(c.original)),
)


def validate(profile: Profile, reference: Reference | None = None, previous: Profile | None = None,
             edition: taxonomy.Edition | None = None) -> list[Finding]:
    """Every rule of :data:`PLAN` on ``profile``, in order. Missing scores that the printed averages
    fix are inferred first (as :func:`infer_missing` does), so the arithmetic checks see the inferred
    value; the ``inferred_score`` findings say so. ``reference`` adds the dataset cross-check and
    supplies the previous edition; ``previous`` is the profile of the previous edition, when known.
    ``edition`` is the one the pipeline resolved (else :func:`edition_of` the profile)."""
    ed = edition or edition_of(profile)
    return _validate(profile, reference, previous, ed, *_inference(profile, ed))


def _validate(profile: Profile, reference: Reference | None, previous: Profile | None, ed: taxonomy.Edition,
              values: dict[str, Fraction], inferred: list[Finding], confirmed: list[Finding] | None = None,
              ) -> list[Finding]:
    """:func:`validate` with the inference made (``values``, ``inferred``: :func:`_inference`), and
    the confirmation's findings when made (``confirmed``)."""
    work = _apply(profile, values, internal=True)
    prev, prev_findings = find_previous(work, reference, previous, ed)
    context = Context(profile, work, ed, values, inferred, reference, prev, prev_findings, confirmed)
    return [f for rule in PLAN for f in rule.check(context)]


def validated(profile: Profile, reference: Reference | None = None, previous: Profile | None = None,
              edition: taxonomy.Edition | None = None) -> Profile:
    """``infer_missing``, ``confirm``, then ``validate``: the profile with inferred scores, each read
    value's status, and its ``validation`` replaced by the findings (the one call a pipeline needs)."""
    ed = edition or edition_of(profile)
    # (the inference and the confirmation made once, for the output and for its findings: the
    # findings of :func:`confirm` do not depend on the findings the profile carries)
    values, inferred = _inference(profile, ed)
    out, confirmed = confirm(_with_findings(_apply(profile, values), inferred), reference, ed)
    out.validation = _validate(profile, reference, previous, ed, values, inferred, confirmed)
    return out


# --------------------------------------------------------------------------------------------
# Confirmation: a value is ok only when something independent of its reading confirms it
# --------------------------------------------------------------------------------------------

def confirm(profile: Profile, reference: Reference | None = None,
            edition: taxonomy.Edition | None = None) -> tuple[Profile, list[Finding]]:
    """Each read value's ``confirmed_by`` and ``status``. A score is confirmed only by a check
    independent of its reading: the printed pillar average its pillar's scores reproduce
    (``average``), its drawn bar (``bar``), or the official dataset (``reference``), each at the
    precision the value was printed with (:func:`octa.scoring.agrees`). The parser's own judgement
    that the value's place left no other reading (``geometry``) is kept in ``evidence`` and confirms
    nothing. A read score that nothing confirms gets status ``unconfirmed`` and an ``unconfirmed``
    finding; a change printed without a readable direction gets a ``change_direction`` finding. A
    rank is ``ok`` only when the reference's sheet gives the same competition rank of the same area
    (``check_ranks`` reports those it contradicts); without a reference, ranks are unconfirmed.
    Idempotent: re-validating the output gives the same statuses."""
    out = profile.model_copy(update={"indicators": [i.model_copy() for i in profile.indicators],
                                     "summary_scores": [s.model_copy() for s in profile.summary_scores],
                                     "ranks": [r.model_copy() for r in profile.ranks]})
    for item in (*out.indicators, *out.summary_scores):
        if "geometry" in (item.confirmed_by or ()):  # set the way an older octa did: recorded, not counted
            item.confirmed_by = [e for e in item.confirmed_by or () if e != "geometry"]
            item.evidence = ["geometry"]
    who = _label(out)
    ed = edition or edition_of(out)
    findings: list[Finding] = []
    row = None
    if reference is not None and out.year is not None and out.year in reference.editions:
        row = reference.get(out.country, out.year)
    reproduced: set[str] = set()
    contradicted: dict[str, Decimal] = {}  # summary scores the indicator scores give otherwise
    unchecked: dict[str, str] = {}  # summary metric → why its printed value cannot be checked
    exact_summary = _exact_summary(out, ed)
    if exact_summary is not None:
        for metric, value in exact_summary.exact_values().items():
            printed = _printed(out, metric)
            if printed is None:
                unchecked[metric] = "no printed average"
            elif value is None:
                unchecked[metric] = "a score of the pillar was not read" if metric != "criminality" else \
                    "a criminal markets or actors score was not read"
            else:
                text = _printed_summary_text(out, metric)
                if scoring.agrees(printed, value, text):
                    reproduced.add(metric)
                else:
                    contradicted[metric] = scoring.round_to(value, scoring.printed_places(text, printed))
    for ind in out.indicators:
        if ind.score is None or ind.status in ("inferred", "missing"):
            continue
        assessed = ind.confirmed_by is not None or ind.evidence is not None  # read by octa's parser
        why: list[Evidence] = []
        if ind.pillar in reproduced:
            why.append("average")
        bar_off = ind.bar_score is not None and abs(scoring.exact(ind.bar_score) - scoring.exact(ind.score)) > BAR_TOLERANCE
        if ind.bar_score is not None and not bar_off:
            why.append("bar")
        ref = row.scores.get(ind.id) if row is not None else None
        if ref is not None and scoring.agrees(ind.score, ref, printed_text(ind)):
            why.append("reference")
        if bar_off and "reference" not in why:
            why = []  # its own bar contradicts it: nothing short of the dataset confirms it
        if not assessed and not why and not bar_off:
            continue  # a profile built otherwise: nothing to say either way
        ind.confirmed_by = why
        ind.status = "ok" if why else "unconfirmed"
        if why:
            continue
        if bar_off:
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: {ind.id} score {fmt(ind.score)} is unconfirmed: its drawn bar says "
                f"{fmt(ind.bar_score, 2)}", ind.id))
        elif ind.pillar in contradicted:
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: {ind.id} score {fmt(ind.score)} is unconfirmed: the {ind.pillar} scores give "
                f"{fmt(contradicted[ind.pillar], 2)}, not the printed average, and neither a drawn bar nor a "
                "reference confirms it", ind.id))
        else:
            place = ("its row held no other number that could be the score, but that is the reading's own "
                     "judgement" if "geometry" in (ind.evidence or ()) else
                     "its row held other numbers that could be the score")
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: {ind.id} score {fmt(ind.score)} is unconfirmed: {place}, and nothing independent "
                f"confirms it (the printed {ind.pillar} average cannot be checked: "
                f"{unchecked.get(ind.pillar, 'the edition is unknown')}; no drawn bar, no reference)", ind.id))
    for s in out.summary_scores:
        if s.score is None:
            continue
        assessed = s.confirmed_by is not None or s.evidence is not None
        evidence: list[SummaryEvidence] = []
        if s.metric in reproduced:
            evidence.append("average")
        if row is not None and s.metric in row.summary and summary_agrees(s.score, row, s.metric, printed_text(s)):
            evidence.append("reference")
        if not assessed and not evidence:
            continue
        s.confirmed_by = evidence
        s.status = "ok" if evidence else "unconfirmed"
        if evidence:
            continue
        if s.metric in contradicted:
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: the {s.metric} score {fmt(s.score, 2)} is unconfirmed: the indicator scores give "
                f"{fmt(contradicted[s.metric], 2)}, and no reference confirms it", s.metric))
        else:
            place = ("its place left no other reading, but that is the reading's own judgement"
                     if "geometry" in (s.evidence or ()) else "other numbers beside it could be the score")
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: the {s.metric} score {fmt(s.score, 2)} is unconfirmed: {place}, and nothing independent "
                f"confirms it (the indicator scores cannot reproduce it: "
                f"{unchecked.get(s.metric, 'the edition is unknown')}; no reference)", s.metric))
    expected = expected_ranks(out, reference) if reference is not None else {}
    for r in out.ranks:
        if reference is None:
            r.status, r.confirmed_by = "unconfirmed", None
            continue
        agree = rank_agrees(r, expected.get((r.metric, r.scope)))
        confirmed: list[RankEvidence] = ["reference"] if agree else []
        r.confirmed_by = confirmed
        r.status = "ok" if agree else "unconfirmed"
    for item in (*out.indicators, *out.summary_scores):
        printed = item.change_printed
        if item.change is None and printed and printed.strip().lower() not in ("n/a", "na", "n.a.", "new", "–", "—", "-") \
                and CLIPPED not in printed:  # (a change cut off where it is printed: indicator_change says so)
            key = getattr(item, "id", None) or getattr(item, "metric", None)
            findings.append(_finding(
                "change_direction", "warning",
                f"{who}: {key} change printed {printed!r} without a sign, and no arrow or icon beside it gives "
                "its direction; the change is left null (its size is in change_printed)", key))
    return out, findings
