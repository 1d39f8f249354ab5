"""The official dataset: a workbook read as the reference (:class:`Reference`), a profile made
from one of its rows, and the check of a profile's values against it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from octa import scoring, taxonomy
from octa.dataset import ReferenceRow, Workbook, read_workbook
from octa.model import Finding, Indicator, Profile, Rank, Source, Summary, SummaryScore
from octa.validate.common import (
    _TAXONOMY_ORDER,
    _finding,
    _label,
    _printed,
    _printed_summary_text,
    _short,
    fmt,
    printed_text,
)

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
    edition = taxonomy.resolve(family, year)
    changes = edition.family is not None and edition.has_changes
    prev = previous_row if changes else None
    indicators: list[Indicator] = []
    for ind in taxonomy.indicators_of(family, year):
        score = row.scores.get(ind.id)
        change: float | None = None
        printed: str | None = None
        if changes and edition.is_new(ind.id):
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
        family=family,
        country=row.country,
        year=year,
        summary=Summary(**{m: (None if row.summary.get(m) is None else float(row.summary[m]))
                           for m in taxonomy.SUMMARY_IDS}),
        summary_scores=summary_scores,
        indicators=indicators,
    )


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


def _previous_year(profile: Profile) -> int | None:
    """The edition before the profile's in its family (the Global index's when the family is unknown)."""
    return taxonomy.resolve(profile.family or "global", profile.year).previous


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
        if ind.score is not None and ref is not None and not scoring.agrees(ind.score, ref, printed_text(ind)):
            note = " (inferred)" if ind.status == "inferred" else ""
            out.append(_finding("reference", "error",
                                f"{head}: {ind.id} score extracted {fmt(ind.score)}{note}, reference {fmt(ref)}{at}",
                                ind.id))
        if ind.change is not None and prev_row is not None and ref is not None and ind.id in prev_row.scores:
            ref_change = ref - prev_row.scores[ind.id]
            if not scoring.agrees(ind.change, ref_change, ind.change_printed):
                rows_at = f"; {reference.name}, {row.where}, {prev_row.where}" if row.where and prev_row.where else ""
                out.append(_finding("reference", "error",
                                    f"{head}: {ind.id} change extracted {fmt(ind.change)}, reference "
                                    f"{fmt(ref_change)} ({fmt(ref)} − {fmt(prev_row.scores[ind.id])} in {prev_year}"
                                    f"{rows_at})", ind.id))
    for metric in taxonomy.SUMMARY_IDS:
        got = _printed(profile, metric)
        ref_s = row.summary.get(metric)
        if got is not None and ref_s is not None and not summary_agrees(
                got, row, metric, _printed_summary_text(profile, metric)):
            out.append(_finding("reference", "error",
                                f"{head}: {metric} extracted {fmt(got, 2)}, reference {fmt(ref_s, 2)}{at}", metric))
    return out


def summary_agrees(shown: scoring.Number, row: ReferenceRow, metric: str, printed: str | None = None) -> bool:
    """Whether a printed summary score agrees with a reference row: it is the sheet's cell, or, at
    the precision it was printed with (``printed``, its text), the unrounded mean of the row's
    indicator scores (criminality from the unrounded pillar means): a score printed ``5.9`` agrees
    with 5.9333, which the sheet's ``5.93`` rounded again need not give."""
    cell = row.summary.get(metric)
    if cell is not None and scoring.exact(shown) == Fraction(cell):
        return True
    exact = scoring.summarise(row.scores, row.edition).exact_values().get(metric)
    return exact is not None and scoring.agrees(shown, exact, printed)


# --------------------------------------------------------------------------------------------
# Ranks: the competition rank computed from the edition's sheet
# --------------------------------------------------------------------------------------------

#: The metrics a profile ranks by. Both rank highest first: criminality 1st is the most criminal
#: country, resilience 1st the most resilient (DOMAIN §1's Mali 2025 example, 43rd of 193, 12th of 54
#: in Africa, 2nd of 15 in West Africa, is criminality 6.33 ranked so in sheet 2025_dataset; Finland,
#: resilience 8.42 tied with Liechtenstein, is 1st).
RANK_METRICS: tuple[str, ...] = ("criminality", "resilience")


@dataclass(frozen=True)
class ExpectedRank:
    """A rank as the reference's sheet gives it: ``rank`` among ``of`` countries of ``area``."""

    rank: int
    of: int
    area: str  # "countries" (global), else the sheet's continent or region
    sheet: str


def _sheet_score(row: ReferenceRow, metric: str) -> Fraction | None:
    """The published (2-decimal) score a country is ranked by: the sheet's cell, else the rounded
    mean of its indicator scores."""
    printed = row.summary.get(metric)
    if printed is not None:
        return Fraction(printed)
    exact = scoring.summarise(row.scores, row.edition).exact_values().get(metric)
    return None if exact is None else Fraction(scoring.round2(exact))


def competition_rank(mine: Fraction, others: Iterable[Fraction]) -> int:
    """The "1224" rank of ``mine`` among ``others`` (which include it), highest first: one more than
    the number of strictly higher values, so tied values share the best rank."""
    return 1 + sum(1 for v in others if v > mine)


def expected_ranks(profile: Profile, reference: Reference) -> dict[tuple[str, str], ExpectedRank]:
    """(metric, scope) → the rank the reference's sheet of the profile's edition gives its country,
    by each metric's published score, globally, within its continent and within its region (the
    sheet's ``Continent`` and ``Region`` columns). Empty when the workbook has no sheet for the
    edition or no row for the country (``reference_missing`` says so); a scope whose members lack a
    score, or whose area the sheet leaves blank, is left out."""
    if profile.year is None or profile.year not in reference.editions:
        return {}
    row = reference.get(profile.country, profile.year)
    if row is None:
        return {}
    sheet = reference.sheet_name(profile.year)
    rows = [r for r in reference.rows if r.edition == profile.year]
    out: dict[tuple[str, str], ExpectedRank] = {}
    for metric in RANK_METRICS:
        mine = _sheet_score(row, metric)
        if mine is None:
            continue
        for scope, area, members in (
            ("global", "countries", rows),
            ("continent", row.continent, [r for r in rows if r.continent == row.continent]),
            ("region", row.region, [r for r in rows if r.region == row.region]),
        ):
            if not area:
                continue
            values = [_sheet_score(r, metric) for r in members]
            if any(v is None for v in values):
                continue
            out[(metric, scope)] = ExpectedRank(competition_rank(mine, (v for v in values if v is not None)),
                                                len(members), area, sheet)
    return out


def _area_key(area: str) -> str:
    key = taxonomy.fold(area)
    return key[4:] if key.startswith("the ") else key


def rank_agrees(rank: Rank, expected: ExpectedRank | None) -> bool:
    """Whether the printed ``rank`` is the sheet's: the same rank, of the same number of countries,
    of the same area."""
    return (expected is not None and rank.rank == expected.rank and rank.of == expected.of
            and (rank.scope == "global" or _area_key(rank.area) == _area_key(expected.area)))


def check_ranks(profile: Profile, reference: Reference) -> list[Finding]:
    """Every printed rank against the competition rank computed from the reference's sheet of the
    profile's edition (:func:`expected_ranks`): a rank or a number of countries the sheet does not
    give is an error naming the metric, the scope, the printed and the computed rank and the sheet; a
    printed area that is not the country's continent or region in the sheet is a warning (its name
    may be spelled otherwise; the rank stays unconfirmed)."""
    expected = expected_ranks(profile, reference)
    if not expected:
        return []
    who = _label(profile)
    out: list[Finding] = []
    for r in profile.ranks:
        exp = expected.get((r.metric, r.scope))
        if exp is None:
            continue
        where = f"{reference.name}, sheet {exp.sheet}"
        printed = f"{r.rank} of {r.of}" + ("" if r.scope == "global" else f" in {r.area!r}")
        computed = f"{exp.rank} of {exp.of}" + ("" if r.scope == "global" else f" in {exp.area!r}")
        if r.scope != "global" and _area_key(r.area) != _area_key(exp.area):
            out.append(_finding("rank", "warning",
                                f"{who}: {r.metric} {r.scope} rank printed {printed}, but {where} places "
                                f"{profile.country} in {exp.area!r} (where it ranks {computed}); not confirmed",
                                r.metric))
        elif r.rank != exp.rank or r.of != exp.of:
            out.append(_finding("rank", "error",
                                f"{who}: {r.metric} {r.scope} rank printed {printed}, computed {computed} from "
                                f"{where} (the {r.metric} scores, highest first, ties sharing the best rank)",
                                r.metric))
    return out
