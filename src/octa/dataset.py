"""One reader for every official dataset workbook of the index (``global_oc_index.xlsx`` as
published for 2023, ``global_oc_index_2025.xlsx`` as published for 2025, and any later one of the
same kind).

* **Sheets are found by edition**: a sheet whose name holds a year (``2025_dataset``,
  ``Dataset 2023`` …) and which has a header row with a ``Country`` column. Other sheets (the
  introduction sheet ``2025_Global_OC_Index``) are listed as not read, with the reason.
* **Columns are found by normalised name**, never by position or exact spelling: case, accents,
  punctuation, ``&``/``and`` and the words ``avg``/``average``/``score`` do not matter
  (a summary's ``<label> avg.``, ``<label> avg,``, ``<label>`` and ``<LABEL> AVERAGE`` are the
  same column; an indicator's label with ``&`` for ``and`` is the indicator). Column order is free.
* **Every problem names the file, the sheet and the column** (or the row): a column the reader
  cannot map, a column of the edition's indicator set that is missing, an indicator that is not in
  the edition, two columns for one score, a cell that is not a number, two rows for one country.
* **Country names** go through the one alias table, :data:`octa.taxonomy.COUNTRY_ALIASES` (the
  2023 sheets write ``Congo, Dem, Rep,`` and ``St, Lucia`` where the 2025 sheet writes
  ``Congo, Dem. Rep.`` and ``St. Lucia``; profiles write ``Democratic Republic of the Congo``). A
  name the table does not know is kept as printed and listed in :attr:`Workbook.unmatched`: a
  finding, never a silent skip.

:func:`read_workbook` reads everything it can and reports (``octa reference``);
:func:`read_reference` returns the rows and raises :class:`ValueError` on the first problem (the
validator's ``--reference``). :func:`check_arithmetic` checks DOMAIN §3 on every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

import regex

from octa import scoring, taxonomy
from octa.layout import sha256_file
from octa.scoring import exact

#: A year in a sheet name: its edition.
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
#: Words of a header that do not change which column it is.
_NOISE_WORDS = frozenset({"avg", "average", "score", "scores"})
#: Header (normalised) → identity column.
_META = {"continent": "continent", "region": "region", "country": "country", "country name": "country",
         "countries": "country"}
_SUMMARY_KEYS = {taxonomy.fold(v): k for k, v in taxonomy.SUMMARY_LABELS.items()}
#: How many rows from the top a header row may start.
_HEADER_SEARCH = 10
_CENT = Decimal("0.01")


@dataclass
class ReferenceRow:
    edition: int
    country: str  # canonical name (the printed one when the alias table does not know it)
    printed_country: str
    continent: str
    region: str
    scores: dict[str, Fraction] = field(default_factory=dict)  # indicator id → score
    summary: dict[str, Decimal] = field(default_factory=dict)  # summary id → printed value
    sheet: str = ""  # where the row is: sheet name and 1-based row number, for messages
    row: int = 0

    @property
    def where(self) -> str:
        """``2025_dataset row 12`` (empty for rows not read from a workbook)."""
        return f"{self.sheet} row {self.row}" if self.sheet else ""


@dataclass
class Column:
    """One header cell of a dataset sheet and what it was mapped to."""

    header: str  # as printed
    letter: str  # the spreadsheet column letter (A, B, … AM)
    kind: str  # "meta" | "summary" | "indicator" | "unknown"
    id: str | None  # continent/region/country, a summary id or an indicator id


@dataclass
class Sheet:
    """A sheet of the workbook: a dataset sheet with its edition, or one that was not read."""

    name: str
    edition: int | None
    rows: int = 0  # country rows read
    header_row: int = 0  # 1-based; 0 when the sheet has no header row
    columns: list[Column] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # ids of the edition without a column
    skipped: str | None = None  # why the sheet is not a dataset sheet
    problems: list[str] = field(default_factory=list)  # one line each, naming file, sheet, column/row

    @property
    def mapped(self) -> list[Column]:
        return [c for c in self.columns if c.kind != "unknown"]

    @property
    def unmapped(self) -> list[Column]:
        return [c for c in self.columns if c.kind == "unknown"]


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    rows: list[ReferenceRow]
    unmatched: list[ReferenceRow] = field(default_factory=list)  # rows whose country the alias table lacks

    @property
    def problems(self) -> list[str]:
        out = [p for s in self.sheets for p in s.problems]
        if not any(s.edition is not None and s.skipped is None for s in self.sheets):
            names = ", ".join(repr(s.name) for s in self.sheets) or "none"
            out.insert(0, f"{self.path.name}: no dataset sheet (a sheet named with its edition year, such as "
                          f"2025_dataset, with a 'Country' column); sheets: {names}")
        return out

    @property
    def editions(self) -> tuple[int, ...]:
        return tuple(sorted({s.edition for s in self.dataset_sheets if s.edition is not None}))

    @property
    def dataset_sheets(self) -> list[Sheet]:
        return [s for s in self.sheets if s.skipped is None and s.edition is not None]

    def sheet_for(self, edition: int) -> Sheet | None:
        return next((s for s in self.dataset_sheets if s.edition == edition), None)


def column_key(header: object) -> str:
    """A header's normalised name: folded (case, accents, punctuation, ``&`` → ``and``) without
    the words ``avg``, ``average``, ``score``: ``'<Label> avg.'`` → ``'<label>'``."""
    words = taxonomy.fold(str(header)).split()
    return " ".join(w for w in words if w not in _NOISE_WORDS)


def column_id(header: object) -> tuple[str, str] | None:
    """(kind, id) of a header: ``("meta", "country")``, ``("summary", "criminality")``,
    ``("indicator", "human_trafficking")``; None for a header the reader does not know."""
    key = column_key(header)
    if not key:
        return None
    if key in _META:
        return "meta", _META[key]
    if key in _SUMMARY_KEYS:
        return "summary", _SUMMARY_KEYS[key]
    ind = taxonomy.label_index().get(key)
    return ("indicator", ind) if ind else None


def sheet_edition(name: str) -> int | None:
    """The edition year in a sheet name (``2025_dataset`` → 2025), or None (none, or several)."""
    years = {int(m) for m in _YEAR.findall(str(name))}
    return years.pop() if len(years) == 1 else None


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


def _number(v: object) -> Fraction | None:
    """A cell as an exact number, or None when it is not one (text, dates, booleans)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return exact(v)
    if isinstance(v, str):
        try:
            return Fraction(Decimal(v.strip().replace(",", ".")))
        except (InvalidOperation, ValueError):
            return None
    return None


def _expected(edition: int) -> list[tuple[str, str]]:
    """(kind, id) of every score column an edition's sheet has, in contract order."""
    out = [("summary", m) for m in taxonomy.SUMMARY_IDS]
    out += [("indicator", i.id) for i in taxonomy.indicators_for(edition)]
    return out


def _expected_name(kind: str, id_: str) -> str:
    if kind == "summary":
        return f"{taxonomy.SUMMARY_LABELS[id_]} avg."
    if kind == "meta":
        return id_.capitalize()
    return taxonomy.INDICATORS_BY_ID[id_].label


def _read_sheet(path: Path, name: str, values: Iterable[Sequence[object]]) -> tuple[Sheet, list[ReferenceRow]]:
    where = f"{path.name}, sheet {name!r}"
    edition = sheet_edition(name)
    sheet = Sheet(name, edition)
    rows_iter = iter(values)
    header: Sequence[object] | None = None
    for k, cells in enumerate(rows_iter, start=1):
        if any(column_id(c) == ("meta", "country") for c in cells if not _blank(c)):
            header, sheet.header_row = cells, k
            break
        if k >= _HEADER_SEARCH:
            break
    if header is None:
        sheet.skipped = f"no header row with a 'Country' column in its first {_HEADER_SEARCH} rows"
        return sheet, []
    if edition is None:
        sheet.skipped = "has a 'Country' column but no edition year in its name (such as 2025_dataset)"
        sheet.problems.append(f"{where}: a dataset sheet without an edition year in its name "
                              "(name it <year>_dataset); not read")
        return sheet, []

    ids: dict[int, tuple[str, str]] = {}
    seen: dict[tuple[str, str], Column] = {}
    expected = _expected(edition)
    for idx, cell in enumerate(header):
        if _blank(cell):
            continue
        text = str(cell).strip()
        col = Column(text, _letter(idx), "unknown", None)
        sheet.columns.append(col)
        got = column_id(text)
        if got is None:
            sheet.problems.append(f"{where}: column {col.letter} {text!r} is not a column octa knows "
                                  "(not Continent, Region, Country, a summary score or an indicator label)")
            continue
        col.kind, col.id = got
        if got in seen:
            sheet.problems.append(f"{where}: columns {seen[got].letter} {seen[got].header!r} and {col.letter} "
                                  f"{text!r} are both {got[1]}")
            col.kind, col.id = "unknown", None
            continue
        if got[0] == "indicator" and got not in expected:
            sheet.problems.append(f"{where}: column {col.letter} {text!r} is not an indicator of the {edition} "
                                  "edition")
        seen[got] = col
        ids[idx] = got
    if ("meta", "country") not in seen:  # pragma: no cover - the header row was found by it
        sheet.problems.append(f"{where}: no 'Country' column")
    for kind, id_ in expected:
        if (kind, id_) not in seen:
            sheet.missing.append(id_)
            sheet.problems.append(f"{where}: no column for {_expected_name(kind, id_)!r} ({id_}); the "
                                  f"{edition} edition has it")

    out: list[ReferenceRow] = []
    by_country: dict[str, ReferenceRow] = {}
    for k, cells in enumerate(rows_iter, start=sheet.header_row + 1):
        rec = {ids[i]: v for i, v in enumerate(cells) if i in ids}
        if all(_blank(v) for v in cells):
            continue
        printed = rec.get(("meta", "country"))
        if _blank(printed):
            if any(not _blank(v) for key, v in rec.items() if key[0] != "meta"):
                sheet.problems.append(f"{where}: row {k} has scores but no country name")
            continue  # notes under the table
        printed = str(printed).strip()
        canon = taxonomy.canonical_country(printed)
        row = ReferenceRow(edition, canon or printed, printed,
                           "" if _blank(rec.get(("meta", "continent"))) else str(rec[("meta", "continent")]).strip(),
                           "" if _blank(rec.get(("meta", "region"))) else str(rec[("meta", "region")]).strip(),
                           sheet=name, row=k)
        for (kind, id_), v in rec.items():
            if kind == "meta" or _blank(v):
                continue
            num = _number(v)
            if num is None:
                sheet.problems.append(f"{where}: row {k} ({printed}), column {seen[(kind, id_)].letter} "
                                      f"{seen[(kind, id_)].header!r}: {v!r} is not a number")
                continue
            if kind == "summary":
                row.summary[id_] = Decimal(num.numerator) / Decimal(num.denominator)
                row.summary[id_] = row.summary[id_].quantize(_CENT, rounding=ROUND_HALF_UP)
            else:
                row.scores[id_] = num
        key = taxonomy.fold(row.country)
        if key in by_country:
            first = by_country[key]
            sheet.problems.append(f"{where}: rows {first.row} ({first.printed_country}) and {k} ({printed}) are "
                                  f"both {row.country}")
            continue
        by_country[key] = row
        out.append(row)
    sheet.rows = len(out)
    return sheet, out


def read_workbook(path: str | Path) -> Workbook:
    """Every sheet of the workbook at ``path``: the dataset sheets with their rows, columns and
    problems, and the sheets that were not read. Raises :class:`ValueError` (naming the file) only
    when the file cannot be opened as an xlsx workbook."""
    import openpyxl

    p = Path(path)
    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl and zipfile raise many types for bad files
        raise ValueError(f"{p}: cannot read as an xlsx workbook ({type(exc).__name__}: {exc})") from exc
    sheets: list[Sheet] = []
    rows: list[ReferenceRow] = []
    try:
        for ws in book.worksheets:
            sheet, got = _read_sheet(p, ws.title, ws.iter_rows(values_only=True))
            sheets.append(sheet)
            rows += got
    finally:
        book.close()
    by_edition: dict[int, Sheet] = {}
    for sheet in sheets:
        if sheet.skipped is None and sheet.edition is not None:
            if sheet.edition in by_edition:
                first = by_edition[sheet.edition]
                sheet.skipped = f"a second sheet for the {sheet.edition} edition (after {first.name!r})"
                sheet.problems.append(f"{p.name}: sheets {first.name!r} and {sheet.name!r} are both the "
                                      f"{sheet.edition} edition; only the first is read")
                rows = [r for r in rows if r.sheet != sheet.name]
                continue
            by_edition[sheet.edition] = sheet
    unmatched = [r for r in rows if taxonomy.canonical_country(r.printed_country) is None]
    return Workbook(p, sheets, rows, unmatched)


def read_reference(path: str | Path) -> list[ReferenceRow]:
    """Every country row of every dataset sheet, in sheet then row order. Raises
    :class:`ValueError` with the first problem (naming the file, the sheet and the column or row)
    and how many there are."""
    book = read_workbook(path)
    problems = book.problems
    if problems:
        more = f" (and {len(problems) - 1} more problem(s); `octa reference {book.path.name}` lists them)" \
            if len(problems) > 1 else ""
        raise ValueError(problems[0] + more)
    return book.rows


# --------------------------------------------------------------------------------------------
# The arithmetic of DOMAIN §3, row by row
# --------------------------------------------------------------------------------------------

#: (rule id, what it checks) in report order.
ARITHMETIC_RULES: tuple[tuple[str, str], ...] = (
    ("score_grid", "every indicator score is one of 1.0, 1.5, …, 10.0"),
    ("pillar_average", "each pillar average is the exact mean of its indicator scores, rounded half up to 2 "
                       "decimals"),
    ("criminality", "criminality is the mean of the two unrounded pillar means (markets, actors), rounded "
                    "half up"),
    ("complete", "the row has every score of its edition"),
)


@dataclass
class ArithmeticException:
    row: ReferenceRow
    rule: str
    message: str


def check_arithmetic(rows: Iterable[ReferenceRow]) -> list[ArithmeticException]:
    """Every exception to DOMAIN §3 in ``rows`` (none for the published workbooks)."""
    out: list[ArithmeticException] = []
    for row in rows:
        who = f"{row.country} {row.edition}" + (f" ({row.where})" if row.where else "")
        ids = [i.id for i in taxonomy.indicators_for(row.edition)]
        absent = [i for i in ids if i not in row.scores] + [m for m in taxonomy.SUMMARY_IDS if m not in row.summary]
        if absent:
            out.append(ArithmeticException(row, "complete", f"{who}: no value for {', '.join(absent)}"))
        for ind_id, v in row.scores.items():
            if v not in scoring.SCORE_GRID:
                out.append(ArithmeticException(row, "score_grid", f"{who}: {ind_id} {float(v)} is not on the grid"))
        means = scoring.summarise(row.scores, row.edition).exact_values()
        for metric in ("criminal_markets", "criminal_actors", "resilience", "criminality"):
            value, printed = means[metric], row.summary.get(metric)
            if value is None or printed is None:
                continue
            want = scoring.round2(value)
            if want != printed:
                rule = "criminality" if metric == "criminality" else "pillar_average"
                out.append(ArithmeticException(row, rule, f"{who}: {metric} printed {printed}, the rule gives "
                                                          f"{want} (unrounded {float(value):.4f})"))
    return out


# --------------------------------------------------------------------------------------------
# What a workbook holds (``octa reference``)
# --------------------------------------------------------------------------------------------

def describe(book: Workbook) -> dict[str, Any]:
    """A plain summary of ``book`` (what ``octa reference`` prints, and its ``--json``): each sheet
    with its edition, row count, mapped, unmapped and missing columns; the arithmetic check of every
    row per rule and sheet; the country names read through the alias table and those it lacks; every
    problem."""
    exceptions = check_arithmetic(book.rows)
    per_rule: dict[str, dict[str, int]] = {r: {} for r, _ in ARITHMETIC_RULES}
    for s in book.dataset_sheets:
        for r, _ in ARITHMETIC_RULES:
            per_rule[r][s.name] = 0
    for e in exceptions:
        per_rule[e.rule][e.row.sheet] = per_rule[e.rule].get(e.row.sheet, 0) + 1
    digest = sha256_file(book.path) if book.path.is_file() else None
    return {
        "file": book.path.name,
        "sha256": digest,
        "editions": list(book.editions),
        "sheets": [{
            "name": s.name,
            "edition": s.edition,
            "read": s.skipped is None and s.edition is not None,
            "skipped": s.skipped,
            "header_row": s.header_row or None,
            "rows": s.rows,
            "columns": [{"letter": c.letter, "header": c.header, "kind": c.kind, "id": c.id} for c in s.columns],
            "unmapped": [c.header for c in s.unmapped],
            "missing": list(s.missing),
        } for s in book.sheets],
        "arithmetic": {
            "rows": len(book.rows),
            "rules": [{"rule": r, "text": text, "exceptions": per_rule[r]} for r, text in ARITHMETIC_RULES],
            "exceptions": [e.message for e in exceptions],
        },
        "countries": {
            "aliased": sorted({(r.printed_country, r.country) for r in book.rows
                               if r.printed_country != r.country and taxonomy.canonical_country(r.printed_country)}),
            "unmatched": [{"sheet": r.sheet, "row": r.row, "name": r.printed_country} for r in book.unmatched],
        },
        "problems": book.problems,
    }
