"""Reader for the official dataset format (``global_oc_index.xlsx``): one sheet per edition named
``<year>_dataset``, one row per country, columns ``Continent``, ``Region``, ``Country``, the summary
columns (``Criminality``/``Criminality avg,`` …) and one column per indicator label."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import regex

from octa import taxonomy
from octa.scoring import exact

_SHEET = regex.compile(r"^(\d{4})_dataset$")
_SUMMARY_KEYS = {taxonomy.fold(v): k for k, v in taxonomy.SUMMARY_LABELS.items()}


@dataclass
class ReferenceRow:
    edition: int
    country: str  # canonical name
    printed_country: str
    continent: str
    region: str
    scores: dict[str, Fraction] = field(default_factory=dict)  # indicator id → score
    summary: dict[str, Decimal] = field(default_factory=dict)  # summary id → printed value


def _column_id(col: str) -> tuple[str, str] | None:
    key = taxonomy.fold(regex.sub(r"\bavg\b", "", str(col)))
    if key in _SUMMARY_KEYS:
        return "summary", _SUMMARY_KEYS[key]
    ind = taxonomy.label_index().get(key)
    return ("indicator", ind) if ind else None


def read_reference(path: str | Path) -> list[ReferenceRow]:
    """Every country row of every ``<year>_dataset`` sheet, in sheet then file order."""
    import pandas as pd

    try:
        book = pd.ExcelFile(path)
    except Exception as exc:  # openpyxl raises many types for bad files
        raise ValueError(f"{path}: cannot read as an xlsx workbook ({exc})") from exc
    rows: list[ReferenceRow] = []
    sheets = [s for s in book.sheet_names if _SHEET.match(str(s))]
    if not sheets:
        raise ValueError(f"{path}: no sheet named <year>_dataset (sheets: {', '.join(map(str, book.sheet_names))})")
    for sheet in sheets:
        year = int(_SHEET.match(str(sheet)).group(1))  # type: ignore[union-attr]
        df = pd.read_excel(book, sheet_name=sheet)
        cols = {c: _column_id(c) for c in df.columns}
        for rec in df.to_dict("records"):
            printed = str(rec.get("Country", "")).strip()
            if not printed or printed == "nan":
                continue
            canon = taxonomy.canonical_country(printed) or printed
            row = ReferenceRow(year, canon, printed, str(rec.get("Continent", "")), str(rec.get("Region", "")))
            for col, kind in cols.items():
                val = rec[col]
                if kind is None or val is None or (isinstance(val, float) and val != val):
                    continue
                if kind[0] == "summary":
                    row.summary[kind[1]] = Decimal(repr(float(val))).quantize(Decimal("0.01"))
                else:
                    row.scores[kind[1]] = exact(val)
            rows.append(row)
    return rows
