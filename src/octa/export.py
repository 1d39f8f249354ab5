"""Exporters: atomic writes, safe output names and the tables of a batch folder (DOMAIN §5).

Tables are lists of row dicts with a fixed, typed column list (:data:`TABLES`). The same rows feed
the CSV files (formula-like text neutralised, see :func:`neutralise`), ``datapackage.json`` (the
Frictionless descriptor of the CSVs), ``scores.parquet`` and the pandas DataFrames of
:func:`octa.convert.run_batch`. Every writer is deterministic: the same rows give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import regex

from octa import taxonomy
from octa.model import Profile, long_rows

LONG_COLUMNS = ["file", "country", "year", "family", "pillar", "group", "indicator", "label", "score", "change",
                "page"]

#: Contract order of the wide table's score columns: each summary metric (in the taxonomy's order),
#: followed by its pillar's indicators (in taxonomy order) when it is a pillar's mean.
WIDE_SCORE_COLUMNS: list[str] = [c for m in taxonomy.SUMMARY for c in (
    m.id, *(i.id for i in taxonomy.INDICATORS if m.pillar is not None and i.pillar == m.pillar))]

#: The official dataset's column names for each summary metric (the taxonomy's ``official``: as the
#: workbook users download today spells them, sheet ``2025_dataset`` of ``global_oc_index_2025.xlsx``;
#: the 2023 workbook wrote a comma for the full stop); indicators use their taxonomy label, which is the
#: workbook's heading.
OFFICIAL_SUMMARY_NAMES: dict[str, str] = {m.id: m.official for m in taxonomy.SUMMARY}

#: The official dataset's column order after ``Continent``, ``Region``, ``Country`` (sheet
#: ``2025_dataset``: its markets in the order of the profiles, where the 2023 workbook put the five
#: markets new in 2023 after the other ten): the wide table's order.
OFFICIAL_ORDER: list[str] = WIDE_SCORE_COLUMNS


def official_name(column_id: str) -> str:
    """The official dataset's column name of a summary metric or indicator id."""
    if column_id in OFFICIAL_SUMMARY_NAMES:
        return OFFICIAL_SUMMARY_NAMES[column_id]
    return taxonomy.INDICATORS_BY_ID[column_id].label


# --------------------------------------------------------------------------------------------
# Table definitions: (column, Frictionless type). Contract columns first, additions after.
# --------------------------------------------------------------------------------------------

_META = [("file", "string"), ("country", "string"), ("year", "integer"), ("family", "string")]

TABLES: dict[str, list[tuple[str, str]]] = {
    "scores_long": _META + [("pillar", "string"), ("group", "string"), ("indicator", "string"),
                            ("label", "string"), ("score", "number"), ("change", "number"), ("page", "integer"),
                            ("status", "string"), ("inferred_score", "number"), ("confirmed_by", "string"),
                            ("stem", "string"), ("iso3", "string")],
    "scores_wide": _META + [(c, "number") for c in WIDE_SCORE_COLUMNS] + [("stem", "string"), ("iso3", "string")],
    "sections": _META + [("path", "string"), ("heading", "string"), ("level", "integer"),
                         ("paragraph", "integer"), ("indicator", "string"), ("pages", "string"),
                         ("text", "string"), ("stem", "string")],
    "validation": _META + [("rule", "string"), ("severity", "string"), ("indicator", "string"),
                           ("message", "string"), ("stem", "string")],
    "errors": [("file", "string"), ("error", "string"), ("message", "string"), ("stem", "string")],
}

DESCRIPTIONS = {
    "scores_long": "One row per profile and summary score or indicator (taxonomy order).",
    "scores_wide": "One row per profile: summary scores and every indicator score.",
    "sections": "One row per narrative paragraph, with its heading path and indicator.",
    "validation": "One row per validation finding.",
    "errors": "One row per input that could not be converted, with the reason.",
}

#: Columns whose numbers are printed with two decimals.
_TWO_DECIMALS = {"score", "change", *WIDE_SCORE_COLUMNS}

#: Separator of a section's heading path in ``sections.csv``.
PATH_SEP = " > "


def columns(table: str, official: bool = False) -> list[str]:
    """Column names of ``table`` as written (``official`` renames the wide table's score columns
    and ``country`` as the official dataset does)."""
    cols = [c for c, _ in TABLES[table]]
    if table == "scores_wide" and official:
        return [_official_wide(c) for c in _official_wide_order()]
    return cols


def _official_wide_order() -> list[str]:
    return ["file", "country", "year", "family", *OFFICIAL_ORDER, "stem", "iso3"]


def _official_wide(c: str) -> str:
    if c == "country":
        return "Country"
    if c in ("file", "year", "family", "stem", "iso3"):
        return c
    return official_name(c)


def column_types(table: str, official: bool = False) -> list[tuple[str, str]]:
    types = dict(TABLES[table])
    if table == "scores_wide" and official:
        return [(_official_wide(c), types[c]) for c in _official_wide_order()]
    return list(TABLES[table])


# --------------------------------------------------------------------------------------------
# Atomic writes
# --------------------------------------------------------------------------------------------

@contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: a temporary file beside it, renamed into place (after
    an fsync) when the block ends, removed when the block raises. A reader, or a run killed
    mid-write, only ever sees a complete file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes 0600 files: give the usual permissions
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_manifest(folder: str | Path) -> dict[str, Any] | None:
    """The ``manifest.json`` of a batch output folder (the one reader of it), or None when the
    folder has none or it is not a manifest (no ``inputs`` list)."""
    try:
        data = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("inputs"), list) else None


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (:func:`atomic_file`)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(path) as fh:
        fh.write(raw)


def _umask() -> int:
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files :func:`write_atomic` leaves when a run is killed mid-write
    (``.<name>.<random>.tmp``) in ``folder``; return them."""
    removed = []
    if not folder.is_dir():
        return removed
    for p in sorted(folder.iterdir()):
        if p.name.startswith(".") and p.name.endswith(".tmp") and p.is_file():
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed


# --------------------------------------------------------------------------------------------
# Safe output names
# --------------------------------------------------------------------------------------------

_UNSAFE = regex.compile(r"[^\p{L}\p{N}._+-]+")
_WINDOWS_RESERVED = regex.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", regex.IGNORECASE)
MAX_STEM = 120


def safe_stem(name: str) -> str:
    """An output stem from an input file name: NFC, every character other than letters, digits,
    ``.``, ``_``, ``+`` and ``-`` (slashes, ``..``, spaces, control and bidi characters …) replaced by
    ``_``, no leading dot, dash or underscore, at most :data:`MAX_STEM` characters, never empty.
    The result is a single path component that cannot leave the folder it is joined to."""
    stem = name
    for suffix in (".pdf", ".txt", ".text", ".md"):
        if stem.lower().endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = unicodedata.normalize("NFC", stem)
    stem = _UNSAFE.sub("_", stem)
    stem = regex.sub(r"\.{2,}", "_", stem)
    stem = regex.sub(r"_{2,}", "_", stem)
    stem = stem.lstrip("._-+").rstrip("._")
    stem = stem[:MAX_STEM].rstrip("._")
    if not stem:
        stem = "file"
    if _WINDOWS_RESERVED.match(stem):
        stem = "_" + stem
    return stem


def assign_stems(paths: Sequence[Path]) -> list[str]:
    """Distinct output stems for ``paths`` (already sorted): each path's :func:`safe_stem`, and
    ``<stem>-2``, ``<stem>-3`` … in path order for later inputs whose stem is taken (compared
    case-insensitively, for case-insensitive file systems). Deterministic for a given set of inputs."""
    natural = [safe_stem(p.name) for p in paths]
    taken = {s.casefold() for s in natural}
    used: set[str] = set()
    out = []
    for s in natural:
        cand = s
        k = 1
        while cand.casefold() in used or (cand != s and cand.casefold() in taken):
            k += 1
            cand = f"{s}-{k}"
        used.add(cand.casefold())
        out.append(cand)
    return out


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that would not be a plain child of ``folder``."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"unsafe output name {name!r}")
    target = folder / name
    if target.parent.resolve() != folder.resolve():
        raise ValueError(f"output name {name!r} leaves {folder}")
    return target


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------

def _base(profile: Profile, stem: str | None, file: str | None) -> dict[str, Any]:
    return {"file": file or profile.source.file, "country": profile.country, "year": profile.year,
            "family": profile.family, "stem": stem, "iso3": profile.iso3}


def wide_row(profile: Profile, stem: str | None = None, file: str | None = None) -> dict[str, Any]:
    """The ``scores_wide.csv`` row of a profile (null where the edition has no such indicator). The
    columns are the table's (every loaded family's, :data:`WIDE_SCORE_COLUMNS`); the summary values
    are those of the profile's edition's metrics."""
    row = _base(profile, stem, file)
    for metric in profile.edition.summary_ids:
        row[metric] = getattr(profile.summary, metric)
    scores = {i.id: i.score for i in profile.indicators}
    for iid in WIDE_SCORE_COLUMNS:
        if iid not in taxonomy.SUMMARY_IDS:
            row[iid] = scores.get(iid)
    return row


def section_rows(profile: Profile, stem: str | None = None, file: str | None = None) -> list[dict[str, Any]]:
    """One row per paragraph of the narrative (a heading without paragraphs gives one row with
    ``paragraph`` and ``text`` empty, so that the heading tree survives)."""
    base = _base(profile, stem, file)
    rows = []
    for sec in profile.sections:
        head = {**base, "path": PATH_SEP.join(sec.path), "heading": sec.heading, "level": sec.level}
        if not sec.paragraphs:
            rows.append({**head, "paragraph": None, "indicator": None,
                         "pages": str(sec.page) if sec.page else None, "text": None})
        for k, par in enumerate(sec.paragraphs, 1):
            rows.append({**head, "paragraph": k, "indicator": par.indicator,
                         "pages": ";".join(str(p) for p in par.pages) or None, "text": par.text})
    return rows


def validation_rows(profile: Profile, stem: str | None = None, file: str | None = None) -> list[dict[str, Any]]:
    base = _base(profile, stem, file)
    return [{**base, "rule": f.rule, "severity": f.severity, "indicator": f.indicator, "message": f.message}
            for f in profile.validation]


def profile_long_rows(profile: Profile, stem: str | None = None, file: str | None = None) -> list[dict[str, Any]]:
    rows = long_rows(profile)
    for r in rows:
        r["stem"] = stem
        if file:
            r["file"] = file
    return rows


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

#: First characters that make a spreadsheet treat a cell as a formula (or a DDE command).
FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = regex.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not evaluate: text beginning (after spaces) with ``=``, ``+``,
    ``-``, ``@``, a tab or a line break (or their full-width forms) gets a leading ``'``. Plain
    numbers written as text (``-0.5``) are left alone: they cannot run anything."""
    stripped = text.lstrip(" ")
    if stripped and stripped[0] in FORMULA_START and not _PLAIN_NUMBER.match(text.strip()):
        return "'" + text
    return text


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ""
        return f"{value:.2f}" if column in _TWO_DECIMALS else repr(value)
    return neutralise(str(value))


def _keys(table: str, official: bool) -> list[str]:
    return [c for c, _ in TABLES[table]] if not (table == "scores_wide" and official) else _official_wide_order()


class CsvTable:
    """One table written as CSV to ``out`` as its rows come: the header first, then
    :meth:`write` any number of times (the same text as :func:`to_csv` of all the rows at once)."""

    def __init__(self, out: TextIO, table: str, official: bool = False) -> None:
        self._keys = _keys(table, official)
        self._writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        self._writer.writerow(columns(table, official))

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        keys = self._keys
        self._writer.writerows([_cell(k, row.get(k)) for k in keys] for row in rows)


def to_csv(table: str, rows: Iterable[dict[str, Any]], official: bool = False) -> str:
    """The CSV text of ``rows`` (header, then one line per row; ``\\n`` line ends; UTF-8 without BOM;
    empty cell for null; text neutralised against formula injection)."""
    buf = io.StringIO()
    CsvTable(buf, table, official).write(rows)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Frictionless descriptor, Parquet, DataFrames
# --------------------------------------------------------------------------------------------

def datapackage(tables: Sequence[str], official: bool = False, name: str = "octa-batch") -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the CSV tables (no dates or hashes: the bytes
    are a function of the options)."""
    from octa import __version__

    resources = []
    for t in tables:
        fields = [{"name": col, "type": typ} for col, typ in column_types(t, official)]
        resources.append({
            "name": t.replace("_", "-"),
            "path": f"{t}.csv",
            "profile": "tabular-data-resource",
            "title": t,
            "description": DESCRIPTIONS[t],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "header": True, "lineTerminator": "\n"},
            "schema": {"fields": fields, "missingValues": [""]},
        })
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": "octa batch output",
        "description": "Scores, narrative sections, validation findings and errors extracted by octa "
                       f"{__version__} from OCTA-style organised-crime country profiles. Text cells that "
                       "began with =, +, -, @ or a control character carry a leading apostrophe.",
        "resources": resources,
    }


def dumps_json(data: Any) -> str:
    """Deterministic JSON text (2-space indent, keys in insertion order, trailing newline)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def frame(table: str, rows: Sequence[dict[str, Any]], official: bool = False) -> Any:
    """``rows`` as a pandas DataFrame with the table's columns and dtypes (text as written to the
    profile, not neutralised; nullable integers)."""
    import pandas as pd

    keys = _keys(table, official)
    types = dict(TABLES[table])
    data = {}
    for k, name in zip(keys, columns(table, official), strict=True):
        vals = [r.get(k) for r in rows]
        typ = types[k]
        if typ == "integer":
            data[name] = pd.array(vals, dtype="Int64")
        elif typ == "number":
            data[name] = pd.array([None if v is None else float(v) for v in vals], dtype="Float64")
        else:
            data[name] = pd.array(vals, dtype="string")
    return pd.DataFrame(data, columns=columns(table, official))


class ParquetTable:
    """One table written as Parquet to the binary file ``out`` as its rows come (pyarrow; typed
    columns, text not neutralised, zstd). Rows are held, as columns, until ``chunk`` of them make a
    row group, so memory stays flat whatever the number of rows; :meth:`close` writes the rest and
    the footer. The bytes depend only on the rows and ``chunk``."""

    def __init__(self, out: BinaryIO, table: str, official: bool = False, chunk: int = 20_000) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        self._keys = _keys(table, official)
        types = dict(TABLES[table])
        arrow = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string()}
        names = columns(table, official)
        self._fields = [pa.field(n, arrow[types[k]]) for k, n in zip(self._keys, names, strict=True)]
        self._schema = pa.schema(self._fields)
        self._writer = pq.ParquetWriter(out, self._schema, compression="zstd")
        self._chunk = max(1, chunk)
        self._cols: list[list[Any]] = [[] for _ in self._keys]  # the pending rows, column by column
        self._wrote = False

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        keys, cols, chunk = self._keys, self._cols, self._chunk
        for r in rows:
            for k, col in zip(keys, cols, strict=True):
                col.append(r.get(k))
            if len(cols[0]) >= chunk:
                self._group()
                cols = self._cols

    def _group(self) -> None:
        pa = self._pa
        arrays = [pa.array(col, type=f.type) for col, f in zip(self._cols, self._fields, strict=True)]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self._cols = [[] for _ in self._keys]
        self._wrote = True

    def close(self) -> None:
        if self._cols[0] or not self._wrote:
            self._group()
        self._writer.close()


def parquet_bytes(table: str, rows: Sequence[dict[str, Any]], official: bool = False) -> bytes:
    """``rows`` as a Parquet file (:class:`ParquetTable`, one row group per 20,000 rows)."""
    buf = io.BytesIO()
    pt = ParquetTable(buf, table, official)
    pt.write(rows)
    pt.close()
    return buf.getvalue()
