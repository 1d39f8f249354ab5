"""Validation of extracted profiles: the score arithmetic of DOMAIN §3, the taxonomy, the narrative's
paragraph counts, and a cross-check against the official dataset.

Every rule is a small function ``check_<rule>(...) -> list[Finding]``; :func:`validate` applies them
in a fixed order, so its output is deterministic. A finding names the indicator at fault
(``Finding.indicator``) wherever one indicator is at fault; a wrong pillar average names the pillar
id, a wrong criminality score ``"criminality"``, a summary change the summary metric.

Recovery is never silent: :func:`infer_missing` fills a single missing indicator of a pillar when the
printed pillar average fixes it uniquely on the half-step grid: the indicator gets ``status="inferred"``
and ``inferred_score`` (its ``score`` stays null: it was not read), and an ``inferred_score`` warning
names the value and the average it comes from. The arithmetic rules use the inferred value.

Without the previous edition, the printed changes still constrain each other: ``score − change`` is
the previous edition's score, which must lie on the grid (``indicator_change``), and the printed
summary changes must equal what the current scores and these implied previous scores give
(``implied_previous``). That is what finds a misprinted or misread change.

Rule names (``Finding.rule``): ``edition``, ``score_grid``, ``indicator_set``, ``inferred_score``,
``pillar_average``, ``summary_change``, ``indicator_change``, ``implied_previous``, ``bar_score``,
``paragraph_count``,
``summary_present``, ``previous``, ``reference``, ``reference_missing`` (and ``profile_json`` for a
file of a batch folder that is not a readable profile).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import combinations_with_replacement
from pathlib import Path

from octa import scoring, taxonomy
from octa.dataset import ReferenceRow, Workbook, read_workbook
from octa.model import Finding, Indicator, Profile, Section, Source, Summary, SummaryScore, read_profile

RULES: tuple[str, ...] = (
    "edition",
    "score_grid",
    "indicator_set",
    "inferred_score",
    "pillar_average",
    "summary_change",
    "indicator_change",
    "implied_previous",
    "bar_score",
    "paragraph_count",
    "summary_present",
    "previous",
    "reference",
    "reference_missing",
    "unconfirmed",
    "change_direction",
    "profile_json",
)

#: How far a score read from a drawn bar may be from the printed score.
BAR_TOLERANCE = Fraction(1, 4)
#: The largest possible indicator change (10.0 − 1.0).
MAX_CHANGE = Fraction(9)
_TAXONOMY_ORDER = {ind.id: k for k, ind in enumerate(taxonomy.INDICATORS)}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

def _finding(rule: str, severity: str, message: str, indicator: str | None = None) -> Finding:
    return Finding(rule=rule, severity=severity, message=message, indicator=indicator)  # type: ignore[arg-type]


def fmt(x: scoring.Number | None, places: int = 1) -> str:
    """A value for a message: exact decimals with at least ``places`` places (``7.5``, ``2.08``,
    ``7.25``), or a fraction with 4 decimals when it is not a short decimal (``25/12 ≈ 2.0833``)."""
    if x is None:
        return "null"
    f = scoring.exact(x)
    for k in range(places, 7):
        scaled = f * 10**k
        if scaled.denominator == 1:
            return f"{Decimal(scaled.numerator).scaleb(-k):.{k}f}"
    return f"{f.numerator}/{f.denominator} ≈ {float(f):.4f}"


def _label(profile: Profile) -> str:
    parts = [profile.country or "unknown country", str(profile.year) if profile.year else "unknown edition"]
    if profile.family:
        parts.append(f"({profile.family})")
    return " ".join(parts)


def _edition_ok(profile: Profile) -> bool:
    if profile.year is None:
        return False
    if profile.family is None:
        return any(profile.year in eds for eds in taxonomy.EDITIONS.values())
    return profile.year in taxonomy.EDITIONS[profile.family]


def _has_changes(profile: Profile) -> bool | None:
    """Whether the profile's edition prints changes; None when the family or edition is unknown."""
    if profile.family is None or not _edition_ok(profile):
        return None
    return taxonomy.has_changes(profile.family, profile.year)  # type: ignore[arg-type]


def _printed(profile: Profile, metric: str) -> Fraction | None:
    """A printed summary score: ``profile.summary`` first, else ``profile.summary_scores``."""
    val = getattr(profile.summary, metric)
    if val is None:
        val = next((s.score for s in profile.summary_scores if s.metric == metric and s.score is not None), None)
    return None if val is None else scoring.exact(val)


def _scores(profile: Profile) -> dict[str, Fraction | None]:
    return {i.id: (None if i.score is None else scoring.exact(i.score)) for i in profile.indicators}


def _exact_summary(profile: Profile) -> scoring.Summary | None:
    """Unrounded pillar means from the profile's indicator scores (None without a known edition)."""
    if not _edition_ok(profile):
        return None
    return scoring.summarise(_scores(profile), profile.year, profile.family)


def _same_country(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return (taxonomy.canonical_country(a) or a) == (taxonomy.canonical_country(b) or b)


# --------------------------------------------------------------------------------------------
# The official dataset
# --------------------------------------------------------------------------------------------

class Reference:
    """The official dataset (any edition's workbook: ``global_oc_index.xlsx``,
    ``global_oc_index_2025.xlsx``), looked up by country and edition.

    Country lookup is tolerant: any spelling :func:`octa.taxonomy.canonical_country` knows
    (``Cote d'Ivoire``, ``Türkiye``, ``Republic of the Congo``, ``Congo, Dem, Rep,`` …) finds the row.
    ``workbook`` (when read from a file) tells which sheet holds each edition and which country
    names the alias table did not know."""

    def __init__(self, rows: Iterable[ReferenceRow], path: str | None = None,
                 workbook: Workbook | None = None) -> None:
        self.rows: list[ReferenceRow] = list(rows)
        self.path = path
        self.workbook = workbook
        self._index: dict[tuple[str, int], ReferenceRow] = {}
        for row in self.rows:
            self._index.setdefault((self._key(row.country), row.edition), row)

    @classmethod
    def load(cls, path: str | Path) -> Reference:
        """Read a dataset workbook (:func:`load_reference`); raises ``ValueError`` naming the file."""
        return load_reference(path)

    @staticmethod
    def _key(country: str) -> str:
        canon = taxonomy.canonical_country(country) or country
        return taxonomy.fold(canon)

    @property
    def editions(self) -> tuple[int, ...]:
        return tuple(sorted({r.edition for r in self.rows}))

    @property
    def name(self) -> str:
        """The workbook's file name (for messages), or ``the reference``."""
        return Path(self.path).name if self.path else "the reference"

    def sheet_name(self, edition: int) -> str:
        """The sheet holding ``edition`` (``2025_dataset``)."""
        if self.workbook is not None and (sheet := self.workbook.sheet_for(edition)) is not None:
            return sheet.name
        row = next((r for r in self.rows if r.edition == edition and r.sheet), None)
        return row.sheet if row is not None else f"{edition}_dataset"

    def unmatched(self, edition: int) -> list[str]:
        """Country names of ``edition``'s sheet that the alias table does not know."""
        return [r.printed_country for r in self.rows
                if r.edition == edition and taxonomy.canonical_country(r.printed_country) is None]

    def get(self, country: str | None, edition: int | None) -> ReferenceRow | None:
        if country is None or edition is None:
            return None
        return self._index.get((self._key(country), edition))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[ReferenceRow]:
        return iter(self.rows)


def profile_from_reference(
    row: ReferenceRow, previous_row: ReferenceRow | None = None, family: str = "global"
) -> Profile:
    """A profile carrying exactly what a profile of ``row``'s country and edition prints: indicator
    scores, changes against ``previous_row`` (``n/a`` for new indicators, all null in a family's
    first edition), the printed summary scores and their changes from the unrounded means."""
    year = row.edition
    changes = family in taxonomy.EDITIONS and year in taxonomy.EDITIONS[family] and taxonomy.has_changes(family, year)
    prev = previous_row if changes else None
    indicators: list[Indicator] = []
    for ind in taxonomy.indicators_of(family, year):
        score = row.scores.get(ind.id)
        change: float | None = None
        printed: str | None = None
        if changes and taxonomy.is_new_indicator(ind.id, year, family):
            printed = "n/a"
        elif prev is not None and score is not None and prev.scores.get(ind.id) is not None:
            ch = scoring.indicator_change(score, prev.scores[ind.id])
            change = float(ch) if ch is not None else None
            printed = None if ch is None else f"{ch:.2f}"
        indicators.append(Indicator(
            id=ind.id, label=ind.label, pillar=ind.pillar, group=ind.group,
            score=None if score is None else float(score), change=change, change_printed=printed,
            status="ok" if score is not None else "missing"))
    cur = scoring.summarise(row.scores, year, family).exact_values()
    old = scoring.summarise(prev.scores, prev.edition, family).exact_values() if prev is not None else None
    summary_scores = []
    for metric in taxonomy.SUMMARY_IDS:
        val = row.summary.get(metric)
        ch = scoring.summary_change(cur[metric], old[metric]) if old is not None else None
        summary_scores.append(SummaryScore(metric=metric, score=None if val is None else float(val),
                                           change=None if ch is None else float(ch)))
    return Profile(
        source=Source(file=f"reference/{row.edition}/{row.country}", sha256="", pages=0, engine="reference"),
        family=family,  # type: ignore[arg-type]
        country=row.country,
        year=year,
        summary=Summary(**{m: (None if row.summary.get(m) is None else float(row.summary[m]))
                           for m in taxonomy.SUMMARY_IDS}),
        summary_scores=summary_scores,
        indicators=indicators,
    )


# --------------------------------------------------------------------------------------------
# Recovery: inferring a missing score from the printed average
# --------------------------------------------------------------------------------------------

def _pillar_gaps(profile: Profile, pillar: str) -> tuple[list[taxonomy.Indicator], list[Fraction]]:
    """(indicators of the pillar without a usable score, the known scores) for the profile's edition.
    Inferred indicators count as gaps here: their value is what is being (re)derived."""
    by_id = {i.id: i for i in profile.indicators}
    gaps: list[taxonomy.Indicator] = []
    known: list[Fraction] = []
    for ind in taxonomy.indicators_of(profile.family, profile.year, pillar):  # type: ignore[arg-type]
        got = by_id.get(ind.id)
        if got is None or got.score is None or got.status == "inferred":
            gaps.append(ind)
        else:
            known.append(scoring.exact(got.score))
    return gaps, known


def _inference(profile: Profile) -> tuple[dict[str, Fraction], list[Finding]]:
    """Values fixed by printed pillar averages (indicator id → score) and the findings saying so."""
    values: dict[str, Fraction] = {}
    findings: list[Finding] = []
    if not _edition_ok(profile):
        return values, findings
    who = _label(profile)
    for pillar in taxonomy.PILLARS:
        printed = _printed(profile, pillar)
        if printed is None:
            continue
        gaps, known = _pillar_gaps(profile, pillar)
        n = len(gaps) + len(known)
        if len(gaps) == 1:
            ind = gaps[0]
            if not all(s in scoring.SCORE_GRID for s in known):
                continue  # off-grid known scores: score_grid reports them, nothing sound to infer from
            fits = scoring.solve_missing(known, printed, n)
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
        elif len(gaps) > 1 and all(s in scoring.SCORE_GRID for s in known):
            target = scoring.round2(printed)
            base = sum(known, Fraction(0))
            sums = sorted({sum(c, Fraction(0)) for c in combinations_with_replacement(scoring.SCORE_GRID, len(gaps))
                           if scoring.round2((base + sum(c, Fraction(0))) / n) == target}) if len(gaps) <= 3 else []
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


def infer_missing(profile: Profile) -> Profile:
    """A copy of ``profile`` where each single missing (or unreadable) indicator of a pillar whose
    value the printed pillar average fixes uniquely gets ``status="inferred"`` and ``inferred_score``
    (``score`` stays null; the entry is created from the taxonomy when the profile printed no such
    row). The ``inferred_score`` findings (also those of ambiguous cases, which stay null) are added
    to the copy's ``validation``."""
    values, findings = _inference(profile)
    out = _apply(profile, values)
    for f in findings:
        if f not in out.validation:
            out.validation.append(f)
    return out


# --------------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------------

def check_edition(profile: Profile) -> list[Finding]:
    """The family and edition are known and exist (the other rules need them)."""
    if profile.year is None:
        return [_finding("edition", "error", f"{_label(profile)}: the edition (year) is unknown; "
                         "indicator-set and arithmetic checks skipped")]
    if not _edition_ok(profile):
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


def check_indicator_set(profile: Profile, original: Profile | None = None) -> list[Finding]:
    """The edition's indicator set is complete and nothing else is there. ``original`` is the
    profile before inference (to tell an inferred value from a printed one)."""
    if not _edition_ok(profile):
        return []
    original = original or profile
    who = _label(profile)
    out: list[Finding] = []
    expected = {i.id: i for i in taxonomy.indicators_of(profile.family, profile.year)}  # type: ignore[arg-type]
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
    for pillar in taxonomy.PILLARS:
        ids = [i.id for i in taxonomy.indicators_of(profile.family, profile.year, pillar)]  # type: ignore[arg-type]
        unresolved = [i for i in ids if (profile.indicator(i) is None or profile.indicator(i).score is None)]  # type: ignore[union-attr]
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


def check_pillar_average(profile: Profile) -> list[Finding]:
    """Each printed pillar average is the exact mean of its scores rounded half up; criminality is
    the mean of the two *unrounded* pillar means (never of the printed, rounded averages)."""
    summ = _exact_summary(profile)
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
        expected = scoring.round2(value)
        if printed != Fraction(expected):
            if metric == "criminality":
                how = (f"the mean of the unrounded pillar means ({fmt(summ.criminal_markets, 2)} and "
                       f"{fmt(summ.criminal_actors, 2)}) {fmt(value, 2)} rounds to {expected}")
            else:
                n = len(taxonomy.indicators_of(profile.family, profile.year, metric))  # type: ignore[arg-type]
                how = (f"the mean of its {n} indicator scores {fmt(value, 2)} rounds to {expected}"
                       + _offset_hint(value * n, n, lambda total, n=n: total / n, printed, "scores"))
            out.append(_finding("pillar_average", "error",
                                f"{who}: printed {metric} {fmt(printed, 2)} but {how}", metric))
    return out


def _offset_hint(total: Fraction, n: int, value_of: Callable[[Fraction], Fraction], printed: Fraction,
                 what: str, culprit: str | None = None) -> str:
    """Where a printed 2-decimal value disagrees with a sum of ``n`` half-step values: by how much the
    sum would have to differ (one value off by that much), or that no half-step values give it (then
    the printed value itself is wrong). ``value_of`` maps a sum to the unrounded printed quantity;
    ``culprit`` names what is subtracted to give each value (a change), when not the value itself."""
    target = Fraction(printed)
    offsets = [Fraction(k, 2) for k in range(-18 * n, 18 * n + 1)
               if k and Fraction(scoring.round2(value_of(total + Fraction(k, 2)))) == target]
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
    profile: Profile, reference: Reference | None = None, previous: Profile | None = None
) -> tuple[PreviousEdition | None, list[Finding]]:
    """The previous edition of ``profile`` when known: ``previous`` (if it is the same family,
    country and the edition before), else the reference row of that edition (either family)."""
    findings: list[Finding] = []
    if profile.family is None or not _edition_ok(profile):
        return None, findings
    prev_year = taxonomy.previous_edition(profile.family, profile.year)  # type: ignore[arg-type]
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


def check_summary_change(profile: Profile, prev: PreviousEdition | None = None) -> list[Finding]:
    """Printed summary changes: none in a family's first edition; within ±9; and, when the previous
    edition is known, the difference of the unrounded means rounded half away from zero."""
    who = _label(profile)
    out: list[Finding] = []
    has = _has_changes(profile)
    cur = _exact_summary(profile)
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
        if cur is None or old is None:
            continue
        now_v, old_v = cur.exact_values()[ss.metric], old.exact_values()[ss.metric]
        expected = scoring.summary_change(now_v, old_v)
        if expected is not None and change != Fraction(expected):
            out.append(_finding(
                "summary_change", "error",
                f"{who}: printed {ss.metric} change {fmt(change, 2)} but the unrounded means "
                f"{fmt(now_v, 2)} ({profile.year}) − {fmt(old_v, 2)} ({prev.year}, {prev.source}) "  # type: ignore[union-attr]
                f"give {expected}", ss.metric))
    return out


def check_indicator_change(profile: Profile, prev: PreviousEdition | None = None) -> list[Finding]:
    """Indicator changes: multiples of 0.5 within ±9; ``n/a``/null only for indicators new in the
    edition; all null in a family's first edition; ``current − previous`` when the previous edition
    is known."""
    who = _label(profile)
    out: list[Finding] = []
    has = _has_changes(profile)
    for ind in profile.indicators:
        if ind.id not in taxonomy.INDICATORS_BY_ID:
            continue
        change = None if ind.change is None else scoring.exact(ind.change)
        if has is False:
            if change is not None:
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} has a change {fmt(change)}, but the {profile.year} edition is "
                                    f"the first of the {profile.family} family (no changes are printed)", ind.id))
            continue
        if has is None:
            continue
        new = taxonomy.is_new_indicator(ind.id, profile.year, profile.family)  # type: ignore[arg-type]
        if new:
            if change is not None:
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} is new in the {profile.year} edition, so its change must be "
                                    f"n/a, but {fmt(change)} is printed", ind.id))
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
            elif expected is not None:
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} change is missing (expected {fmt(expected)} = "
                                    f"{fmt(ind.score)} − {fmt(prev.scores[ind.id])} from {prev.source})",  # type: ignore[union-attr]
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
            if before not in scoring.SCORE_GRID:
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} score {fmt(ind.score)} with change {fmt(change)} implies a "
                                    f"previous score {fmt(before)} outside 1.0–10.0", ind.id))
                continue
        if prev is not None and ind.score is not None and ind.id in prev.scores:
            expected = scoring.exact(ind.score) - prev.scores[ind.id]
            if change != expected:
                out.append(_finding("indicator_change", "error",
                                    f"{who}: {ind.id} change {fmt(change)} but {fmt(ind.score)} − "
                                    f"{fmt(prev.scores[ind.id])} ({prev.year}, {prev.source}) = {fmt(expected)}",
                                    ind.id))
    return out


def implied_previous(profile: Profile) -> PreviousEdition | None:
    """The previous edition's scores implied by the printed changes (``score − change``) of every
    indicator that has both and whose implied score is on the grid; None when the edition prints no
    changes. Indicators new in the edition (``n/a``) are not in the previous edition's set, so a
    pillar's previous mean is complete once each of its previous-edition indicators has a change."""
    if not _has_changes(profile):
        return None
    prev_year = taxonomy.previous_edition(profile.family, profile.year)  # type: ignore[arg-type]
    if prev_year is None:
        return None
    scores: dict[str, Fraction] = {}
    for tax in taxonomy.indicators_of(profile.family, prev_year):
        ind = profile.indicator(tax.id)
        if ind is None or ind.status != "ok" or ind.score is None or ind.change is None:
            continue
        score, change = scoring.exact(ind.score), scoring.exact(ind.change)
        if score not in scoring.SCORE_GRID or score - change not in scoring.SCORE_GRID:
            continue  # score_grid / indicator_change report it
        scores[tax.id] = score - change
    if not scores:
        return None
    return PreviousEdition(prev_year, scores, "implied by the printed indicator changes", profile.family)


def check_implied_previous(profile: Profile) -> list[Finding]:
    """Without the previous edition: each printed summary change equals the change between the exact
    summaries of the current scores and of the previous scores implied by the printed indicator
    changes (criminality from the unrounded pillar means, changes of unrounded means rounded half
    away from zero). A mismatch means a printed change of the pillar (an indicator's or the
    summary's), or a score, is wrong; it is reported at the summary metric."""
    prev = implied_previous(profile)
    cur = _exact_summary(profile)
    if prev is None or cur is None:
        return []
    who = _label(profile)
    old = prev.summary().exact_values()
    now = cur.exact_values()
    out: list[Finding] = []
    for ss in profile.summary_scores:
        if ss.change is None or now[ss.metric] is None or old[ss.metric] is None:
            continue
        change = scoring.exact(ss.change)
        if abs(change) > MAX_CHANGE or (change * 100).denominator != 1:
            continue  # summary_change reports it
        expected = scoring.summary_change(now[ss.metric], old[ss.metric])
        if expected is not None and change != Fraction(expected):
            pillars = ("criminal_markets", "criminal_actors") if ss.metric == "criminality" else (ss.metric,)
            hint = ""
            printed_avg = _printed(profile, ss.metric)
            if ss.metric != "criminality" and printed_avg == Fraction(scoring.round2(now[ss.metric])):  # type: ignore[arg-type]
                # the current scores agree with their printed average: the offset is in the changes
                n_prev = len(taxonomy.indicators_of(prev.family, prev.year, ss.metric))
                now_v = now[ss.metric]
                hint = _offset_hint(old[ss.metric] * n_prev, n_prev,  # type: ignore[operator]
                                    lambda total, n=n_prev, c=now_v: c - total / n, change,
                                    f"implied {prev.year} scores", "change")
            out.append(_finding(
                "implied_previous", "error",
                f"{who}: printed {ss.metric} change {fmt(change, 2)} but the current scores and the {prev.year} "
                f"scores implied by the printed changes (score − change) give {expected} (unrounded means "
                f"{fmt(now[ss.metric], 2)} − {fmt(old[ss.metric], 2)}): a printed score or change of a "
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


def _section_kind(section: Section) -> tuple[str, str] | None:
    key = taxonomy.fold(section.heading)
    group = taxonomy.heading_index().get(key)
    if group is not None:
        return "group", group
    for pillar in taxonomy.PILLARS_BY_ID.values():  # a pillar whose paragraphs stand under its own heading
        if pillar.narrative and key == taxonomy.fold(pillar.narrative[-1]) and taxonomy.narrative_pillar(pillar.narrative):
            return "pillar", pillar.id
    return None


def check_paragraph_count(profile: Profile) -> list[Finding]:
    """Each group heading has one paragraph per indicator of the group, and a pillar without groups
    (the criminal actors) one per indicator under its own heading (DOMAIN §4). Only when the profile
    has sections."""
    if not profile.sections or not _edition_ok(profile):
        return []
    who = _label(profile)
    out: list[Finding] = []
    found: dict[tuple[str, str], list[Section]] = {}
    for sec in profile.sections:
        kind = _section_kind(sec)
        if kind is not None:
            found.setdefault(kind, []).append(sec)
    targets: list[tuple[tuple[str, str], str, list[str]]] = []
    for pillar in taxonomy.PILLARS:
        inds = taxonomy.indicators_of(profile.family, profile.year, pillar)  # type: ignore[arg-type]
        own = taxonomy.narrative_pillar(taxonomy.PILLARS_BY_ID[pillar].narrative)
        if own is not None and own.id == pillar:
            targets.append((("pillar", pillar), own.narrative[-1], [i.id for i in inds]))
            continue
        for group in taxonomy.groups_for(pillar):
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


def _previous_year(profile: Profile) -> int | None:
    """The edition before the profile's in its family (the Global index's when the family is unknown)."""
    family = profile.family or "global"
    if profile.year is None or profile.year not in taxonomy.EDITIONS.get(family, ()):
        return None
    return taxonomy.previous_edition(family, profile.year)


def check_reference(profile: Profile, reference: Reference) -> list[Finding]:
    """Every extracted value (indicator scores, summary scores, indicator changes where both editions
    are in the reference) against the sheet of the profile's edition in the official dataset.
    Profiles of both families: an ENACT profile is checked against the sheet of its year (since 2021
    the ENACT index is the Global index's assessment of Africa: the real Mali ENACT 2025 scores equal
    Mali's row of ``2025_dataset``). Where the workbook has no sheet for the edition (ENACT 2019, or
    2025 in the 2023 workbook), or no row for the country, a ``reference_missing`` warning says so."""
    if profile.year is None:
        return []  # check_edition reports it
    who = _label(profile)
    if profile.year not in reference.editions:
        sheets = ", ".join(reference.sheet_name(y) for y in reference.editions) or "none"
        return [_finding("reference_missing", "warning",
                         f"{who}: {reference.name} has no sheet for the {profile.year} edition (its dataset "
                         f"sheets: {sheets}); not cross-checked")]
    row = reference.get(profile.country, profile.year)
    if row is None:
        unknown = reference.unmatched(profile.year)
        note = (f"; its names not in the country alias table (octa.taxonomy.COUNTRY_ALIASES): "
                f"{', '.join(map(repr, unknown[:5]))}{' …' if len(unknown) > 5 else ''}") if unknown else ""
        return [_finding("reference_missing", "warning",
                         f"{who}: no row for {profile.country or 'this country'} in sheet "
                         f"{reference.sheet_name(profile.year)} of {reference.name}{note}; not cross-checked")]
    out: list[Finding] = []
    prev_year = _previous_year(profile)
    prev_row = reference.get(profile.country, prev_year) if prev_year is not None else None
    head = f"{row.country} {row.edition}"
    at = f" ({reference.name}, {row.where})" if row.where else ""
    for ind in sorted(profile.indicators, key=lambda i: _TAXONOMY_ORDER.get(i.id, len(_TAXONOMY_ORDER))):
        ref = row.scores.get(ind.id)
        if ind.score is not None and ref is not None and scoring.exact(ind.score) != ref:
            note = " (inferred)" if ind.status == "inferred" else ""
            out.append(_finding("reference", "error",
                                f"{head}: {ind.id} score extracted {fmt(ind.score)}{note}, reference {fmt(ref)}{at}",
                                ind.id))
        if ind.change is not None and prev_row is not None and ref is not None and ind.id in prev_row.scores:
            ref_change = ref - prev_row.scores[ind.id]
            if scoring.exact(ind.change) != ref_change:
                rows_at = f"; {reference.name}, {row.where}, {prev_row.where}" if row.where and prev_row.where else ""
                out.append(_finding("reference", "error",
                                    f"{head}: {ind.id} change extracted {fmt(ind.change)}, reference "
                                    f"{fmt(ref_change)} ({fmt(ref)} − {fmt(prev_row.scores[ind.id])} in {prev_year}"
                                    f"{rows_at})", ind.id))
    for metric in taxonomy.SUMMARY_IDS:
        got = _printed(profile, metric)
        ref_s = row.summary.get(metric)
        if got is not None and ref_s is not None and got != Fraction(ref_s):
            out.append(_finding("reference", "error",
                                f"{head}: {metric} extracted {fmt(got, 2)}, reference {fmt(ref_s, 2)}{at}", metric))
    return out


def validate(profile: Profile, reference: Reference | None = None, previous: Profile | None = None) -> list[Finding]:
    """Every rule on ``profile``, in a fixed order. Missing scores that the printed averages fix are
    inferred first (as :func:`infer_missing` does), so the arithmetic checks see the inferred value;
    the ``inferred_score`` findings say so. ``reference`` adds the dataset cross-check and supplies
    the previous edition; ``previous`` is the profile of the previous edition, when known."""
    values, inferred = _inference(profile)
    work = _apply(profile, values, internal=True)
    findings: list[Finding] = []
    findings += check_edition(work)
    findings += check_score_grid(work)
    findings += check_indicator_set(work, original=profile)
    findings += inferred
    findings += check_pillar_average(work)
    prev, prev_findings = find_previous(work, reference, previous)
    findings += check_summary_change(work, prev)
    findings += check_indicator_change(work, prev)
    if prev is None:
        findings += check_implied_previous(work)
    findings += check_bar_score(work)
    findings += check_paragraph_count(work)
    findings += check_summary_present(work)
    findings += prev_findings
    if reference is not None:
        findings += check_reference(work, reference)
    # the statuses' own findings, from the profile as the output has it (an inferred score stays
    # null there: the average it was inferred from cannot also confirm its pillar)
    findings += confirm(_apply(profile, values), reference)[1]
    return findings


def validated(profile: Profile, reference: Reference | None = None, previous: Profile | None = None) -> Profile:
    """``infer_missing``, ``confirm``, then ``validate``: the profile with inferred scores, each read
    value's status, and its ``validation`` replaced by the findings (the one call a pipeline needs)."""
    out, _ = confirm(infer_missing(profile), reference)
    out.validation = validate(profile, reference, previous)
    return out


# --------------------------------------------------------------------------------------------
# Confirmation: a value is ok only when something independent of its reading confirms it
# --------------------------------------------------------------------------------------------

def confirm(profile: Profile, reference: Reference | None = None) -> tuple[Profile, list[Finding]]:
    """Each read score's ``confirmed_by`` and ``status``. A score is confirmed by its geometry (the
    parser found no other number that could have been it: ``geometry``, kept from the reading), by
    the printed pillar average its pillar's scores reproduce (``average``), by its drawn bar
    (``bar``), or by the official dataset (``reference``). A read score that nothing confirms gets
    status ``unconfirmed`` and an ``unconfirmed`` finding; a change printed without a readable
    direction gets a ``change_direction`` finding. Idempotent: re-validating the output gives the
    same statuses."""
    out = profile.model_copy(update={"indicators": [i.model_copy() for i in profile.indicators],
                                     "summary_scores": [s.model_copy() for s in profile.summary_scores]})
    who = _label(out)
    findings: list[Finding] = []
    row = None
    if reference is not None and out.year is not None and out.year in reference.editions:
        row = reference.get(out.country, out.year)
    reproduced: set[str] = set()
    contradicted: dict[str, Decimal] = {}  # summary scores the indicator scores give otherwise
    exact_summary = _exact_summary(out)
    if exact_summary is not None:
        computed = exact_summary.rounded()
        for metric in taxonomy.SUMMARY_IDS:
            printed = _printed(out, metric)
            value = computed.get(metric)
            if printed is not None and value is not None:
                if Fraction(value) == printed:
                    reproduced.add(metric)
                else:
                    contradicted[metric] = value
    for ind in out.indicators:
        if ind.score is None or ind.status in ("inferred", "missing"):
            continue
        assessed = ind.confirmed_by is not None  # read by octa's parser, which says what its geometry gave
        # a pillar whose scores do not give its printed average holds a misread number, the average
        # or one of the scores: its place alone confirms none of them
        why = (["geometry"] if assessed and "geometry" in ind.confirmed_by  # type: ignore[operator]
               and ind.pillar not in contradicted else [])
        if ind.pillar in reproduced:
            why.append("average")
        bar_off = ind.bar_score is not None and abs(scoring.exact(ind.bar_score) - scoring.exact(ind.score)) > BAR_TOLERANCE
        if ind.bar_score is not None and not bar_off:
            why.append("bar")
        ref = row.scores.get(ind.id) if row is not None else None
        if ref is not None and scoring.exact(ind.score) == ref:
            why.append("reference")
        if bar_off and "reference" not in why:
            why = []  # its own bar contradicts it: nothing short of the dataset confirms it
        if not assessed and not why and not bar_off:
            continue  # a profile built otherwise: nothing to say either way
        ind.confirmed_by = why  # type: ignore[assignment]
        ind.status = "ok" if why else "unconfirmed"
        if bar_off and not why:
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: {ind.id} score {fmt(ind.score)} is unconfirmed: its drawn bar says "
                f"{fmt(ind.bar_score, 2)}", ind.id))
        elif not why and ind.pillar in contradicted:
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: {ind.id} score {fmt(ind.score)} is unconfirmed: the {ind.pillar} scores give "
                f"{fmt(contradicted[ind.pillar], 2)}, not the printed average, and neither a drawn bar nor a "
                "reference confirms it", ind.id))
        elif not why:
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: {ind.id} score {fmt(ind.score)} is unconfirmed: its row held other numbers that could "
                "be the score, and neither the printed pillar average, a drawn bar nor a reference confirms it",
                ind.id))
    for s in out.summary_scores:
        if s.score is None:
            continue
        assessed = s.confirmed_by is not None
        # its place may have left no other reading, but a number the indicator scores contradict is
        # not confirmed by its place (the place was another number's: a neighbour's change)
        why = (["geometry"] if assessed and "geometry" in s.confirmed_by  # type: ignore[operator]
               and s.metric not in contradicted else [])
        if s.metric in reproduced:
            why.append("average")
        ref_s = row.summary.get(s.metric) if row is not None else None
        if ref_s is not None and Fraction(ref_s) == scoring.exact(s.score):
            why.append("reference")
        if not assessed and not why:
            continue
        s.confirmed_by = why  # type: ignore[assignment]
        s.status = "ok" if why else "unconfirmed"
        if not why and s.metric in contradicted:
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: the {s.metric} score {fmt(s.score, 2)} is unconfirmed: the indicator scores give "
                f"{fmt(contradicted[s.metric], 2)}, and no reference confirms it", s.metric))
        elif not why:
            findings.append(_finding(
                "unconfirmed", "warning",
                f"{who}: the {s.metric} score {fmt(s.score, 2)} is unconfirmed: other numbers beside it could be "
                "the score, and neither the indicator scores nor a reference reproduce it", s.metric))
    for item in (*out.indicators, *out.summary_scores):
        printed = item.change_printed
        if item.change is None and printed and printed.strip().lower() not in ("n/a", "na", "n.a.", "new", "–", "—", "-"):
            key = getattr(item, "id", None) or getattr(item, "metric", None)
            findings.append(_finding(
                "change_direction", "warning",
                f"{who}: {key} change printed {printed!r} without a sign, and no arrow or icon beside it gives "
                "its direction; the change is left null (its size is in change_printed)", key))
    return out, findings


def load_reference(path: str | Path) -> Reference:
    """The official dataset at ``path``: any edition's workbook (``global_oc_index.xlsx``,
    ``global_oc_index_2025.xlsx``), read by :func:`octa.dataset.read_workbook` (sheets found by
    edition, columns by normalised name). Raises ``ValueError`` with a one-line reason naming the
    file for a missing file, a file that is not an xlsx workbook, a workbook without dataset sheets,
    or the first column or cell it cannot read (naming the sheet and the column; ``octa reference``
    lists them all)."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{p}: no such file")
    if p.is_dir():
        raise ValueError(f"{p}: is a directory, not an xlsx workbook")
    try:
        book = read_workbook(p)
    except ValueError as exc:
        raise ValueError(_short(exc)) from None
    except Exception as exc:  # openpyxl and zipfile raise many types for damaged workbooks
        raise ValueError(f"{p}: cannot read as an xlsx workbook ({type(exc).__name__}: {_short(exc)})") from None
    problems = book.problems
    if problems:
        more = (f" (and {len(problems) - 1} more problem(s): `octa reference {p.name}` lists them)"
                if len(problems) > 1 else "")
        raise ValueError(f"{problems[0]}{more}")
    if not book.rows:
        raise ValueError(f"{p}: the dataset sheets have no country rows")
    return Reference(book.rows, str(p), book)


def count(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    fs = list(findings)
    return sum(f.severity == "error" for f in fs), sum(f.severity == "warning" for f in fs)


# --------------------------------------------------------------------------------------------
# Validating profile JSON files (``octa validate``)
# --------------------------------------------------------------------------------------------

class UsageProblem(ValueError):
    """A bad command line: no such path, an unreadable reference or profile file."""


@dataclass
class FileReport:
    path: Path
    profile: Profile | None
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return count(self.findings)[0]

    @property
    def warnings(self) -> int:
        return count(self.findings)[1]

    @property
    def unconfirmed(self) -> int:
        """Values read but not confirmed (the ``unconfirmed`` findings)."""
        return sum(1 for f in self.findings if f.rule == "unconfirmed")

    def to_dict(self) -> dict[str, object]:
        p = self.profile
        return {
            "file": str(self.path),
            "country": p.country if p else None,
            "year": p.year if p else None,
            "family": p.family if p else None,
            "errors": self.errors,
            "warnings": self.warnings,
            "unconfirmed": self.unconfirmed,
            "findings": [f.model_dump() for f in self.findings],
        }


def collect_profiles(paths: Iterable[str | Path]) -> list[tuple[Path, Profile | None, str | None]]:
    """(file, profile or None, why it failed) for each profile JSON named by ``paths``: a file, or a
    folder (a batch output folder's ``profiles/*.json``, else every ``*.json`` below it that parses as
    a profile). Raises :class:`UsageProblem` for a missing path, an unreadable file named
    explicitly, or a folder without any profile."""
    out: list[tuple[Path, Profile | None, str | None]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageProblem(f"{path}: no such file or directory")
        if path.is_file():
            try:
                out.append((path, read_profile(path), None))
            except (OSError, ValueError) as exc:
                raise UsageProblem(f"{path}: not a readable profile JSON ({_short(exc)})") from exc
            continue
        batch = path / "profiles"
        if batch.is_dir():
            for f in sorted(batch.glob("*.json")):
                try:
                    out.append((f, read_profile(f), None))
                except (OSError, ValueError) as exc:
                    out.append((f, None, _short(exc)))
            continue
        found = 0
        for f in sorted(p for p in path.rglob("*.json") if p.is_file()):
            try:
                out.append((f, read_profile(f), None))
                found += 1
            except (OSError, ValueError):
                continue  # manifest.json and other JSON that is not a profile
        if not found:
            raise UsageProblem(f"{path}: no profile JSON files found")
    return out


def _short(exc: Exception) -> str:
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    text = "; ".join(ln for ln in lines[:3] if not ln.startswith("For further information"))
    return (text[:240] + "…" if len(text) > 240 else text) or type(exc).__name__


def validate_files(paths: Iterable[str | Path], reference: Reference | None = None) -> list[FileReport]:
    """Re-run the rules on every profile JSON under ``paths``; each profile's previous edition, when
    among the files, is used for the change checks. Worst files first (most errors, then warnings)."""
    loaded = collect_profiles(paths)
    by_key: dict[tuple[str | None, str, int | None], Profile] = {}
    for _, prof, _ in loaded:
        if prof is not None and prof.country:
            canon = taxonomy.canonical_country(prof.country) or prof.country
            by_key.setdefault((prof.family, canon, prof.year), prof)
    reports: list[FileReport] = []
    for path, prof, why in loaded:
        if prof is None:
            reports.append(FileReport(path, None, [_finding("profile_json", "error",
                                                            f"{path}: not a readable profile JSON ({why})")]))
            continue
        previous = None
        if prof.family and prof.country and _edition_ok(prof):
            prev_year = taxonomy.previous_edition(prof.family, prof.year)  # type: ignore[arg-type]
            canon = taxonomy.canonical_country(prof.country) or prof.country
            previous = by_key.get((prof.family, canon, prev_year)) if prev_year else None
        reports.append(FileReport(path, prof, validate(prof, reference, previous)))
    reports.sort(key=lambda r: (-r.errors, -r.warnings, str(r.path)))
    return reports


def rule_counts(reports: Iterable[FileReport]) -> list[tuple[str, str, int]]:
    """(rule, severity, count), rules in :data:`RULES` order, errors before warnings."""
    tally: dict[tuple[str, str], int] = {}
    for r in reports:
        for f in r.findings:
            tally[(f.rule, f.severity)] = tally.get((f.rule, f.severity), 0) + 1
    order = {r: k for k, r in enumerate(RULES)}
    return [(rule, sev, n) for (rule, sev), n in
            sorted(tally.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0][0], kv[0][1] != "error"))]


def report_json(reports: list[FileReport]) -> str:
    import json

    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    doc = {
        "profiles": len(reports),
        "errors": errors,
        "warnings": warnings,
        "counts": [{"rule": rule, "severity": sev, "count": n} for rule, sev, n in rule_counts(reports)],
        "files": [r.to_dict() for r in reports],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def print_report(reports: list[FileReport], console: object | None = None) -> None:
    """A readable summary: each file (worst first) with its findings, then counts per rule."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = console if console is not None else Console(highlight=False, soft_wrap=True)
    assert isinstance(con, Console)
    for r in reports:
        p = r.profile
        what = _label(p) if p is not None else "unreadable"
        if not r.findings:
            con.print(f"[green]ok[/green] {escape(str(r.path))} — {escape(what)}")
            continue
        colour = "red" if r.errors else "yellow"
        con.print(f"[bold {colour}]{escape(str(r.path))}[/bold {colour}] — {escape(what)}: "
                  f"{r.errors} error(s), {r.warnings} warning(s)")
        for f in r.findings:
            tag = "[red]error  [/red]" if f.severity == "error" else "[yellow]warning[/yellow]"
            where = f" [{f.indicator}]" if f.indicator else ""
            con.print(f"  {tag} {escape(f.rule + where)}: {escape(f.message)}")
    counts = rule_counts(reports)
    if counts:
        table = Table(title="Findings per rule")
        table.add_column("rule")
        table.add_column("severity")
        table.add_column("count", justify="right")
        for rule, sev, n in counts:
            table.add_row(rule, sev, str(n))
        con.print(table)
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    clean = sum(1 for r in reports if not r.findings)
    unconfirmed = sum(r.unconfirmed for r in reports)
    colour = "red" if errors else ("yellow" if warnings else "green")
    con.print(f"[bold {colour}]{len(reports)} profile(s): {errors} error(s), {warnings} warning(s), "
              f"{unconfirmed} unconfirmed value(s); {clean} clean[/bold {colour}]")


def run(paths: Iterable[str | Path], reference_path: str | Path | None = None, as_json: bool = False) -> int:
    """``octa validate``: 1 when any error is found, 0 otherwise. Raises :class:`UsageProblem`."""
    import sys

    paths = list(paths)
    if not paths:
        raise UsageProblem("give at least one profile JSON file or folder")
    reference = None
    if reference_path is not None:
        try:
            reference = load_reference(reference_path)
        except ValueError as exc:
            raise UsageProblem(f"cannot read the reference dataset: {exc}") from exc
    reports = validate_files(paths, reference)
    if as_json:
        sys.stdout.write(report_json(reports))
    else:
        print_report(reports)
    return 1 if any(r.errors for r in reports) else 0
