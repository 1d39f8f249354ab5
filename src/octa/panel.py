"""The panel: the profiles of any number of batch folders joined by country, family and edition.

``octa panel BATCH_DIR... -o OUT`` (and ``octa batch --panel``) reads every profile JSON of the
folders given (a batch output folder's ``profiles/*.json``, a folder of profile JSON files, or JSON
files), identifies each country by its ISO 3166-1 alpha-3 code (:attr:`octa.model.Profile.iso3`)
and writes:

* ``panel_long.csv`` (and ``panel_long.parquet`` with pyarrow): one row per profile × summary metric
  or indicator (:data:`LONG`): the score, the change as printed, the change computed from the
  previous edition's profile in the panel and whether the two agree (``change_check``), and the
  same against the previous edition's sheet of a reference workbook when one is given;
* ``panel_wide.csv``: one row per country × family × summary metric or indicator, one score column
  per edition (``score_2021`` …);
* ``panel_sections.csv``: one row per country × family × indicator × edition with the narrative
  paragraph and its similarity (0–1, :func:`rapidfuzz.fuzz.ratio` / 100) to the previous edition's
  paragraph on the same indicator;
* ``panel_families.csv``: where a country has profiles of two families for one year, each
  indicator both give, and whether they agree (informational: the indices need not agree);
* ``panel_findings.csv``: rule, severity, iso3, family, edition, indicator, files, message.

Changes are checked with the index's exact arithmetic (DOMAIN §3, :mod:`octa.scoring`): an
indicator's change is the difference of its two scores; a summary change is the difference of the
*unrounded* means of both profiles' indicator scores. Both are compared at the precision the change
was printed with (the decimals of ``change_printed``; two when the profile does not say): a change
printed ``+0.1`` agrees with 0.0667, one printed ``0.10`` does not.

Inputs with the same content (the ``sha256`` of the source a profile was read from) count once and
are reported (``duplicate_input``); two different sources claiming one country, family and edition
are both kept and flagged (``conflicting_edition``). Every table is sorted by content (country code,
family, edition, taxonomy order, file), never by folder or reading order, so a panel built from one
batch folder and from the same profiles split over two folders is byte-identical.

This module is callable: ``octa.panel(paths)`` is :func:`frame` (the long table as a DataFrame).
"""

from __future__ import annotations

import csv
import io
import sys
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import regex

from octa.export import _cell as export_cell
from octa.model import Profile

#: Columns of each panel table with their types (``string``, ``integer``, ``number``).
LONG: list[tuple[str, str]] = [
    ("iso3", "string"), ("country", "string"), ("family", "string"), ("edition", "integer"),
    ("pillar", "string"), ("indicator", "string"), ("label", "string"), ("score", "number"),
    ("change_printed", "string"), ("change", "number"), ("previous_edition", "integer"),
    ("change_computed", "number"), ("change_check", "string"), ("change_reference", "number"),
    ("reference_check", "string"), ("status", "string"), ("page", "integer"), ("file", "string"),
    ("previous_file", "string"), ("sha256", "string"),
]
SECTIONS: list[tuple[str, str]] = [
    ("iso3", "string"), ("country", "string"), ("family", "string"), ("indicator", "string"),
    ("edition", "integer"), ("previous_edition", "integer"), ("similarity", "number"), ("pages", "string"),
    ("file", "string"), ("text", "string"),
]
FAMILIES: list[tuple[str, str]] = [
    ("iso3", "string"), ("country", "string"), ("edition", "integer"), ("indicator", "string"),
    ("family_a", "string"), ("score_a", "number"), ("family_b", "string"), ("score_b", "number"),
    ("agree", "string"), ("file_a", "string"), ("file_b", "string"),
]
FINDINGS: list[tuple[str, str]] = [
    ("rule", "string"), ("severity", "string"), ("iso3", "string"), ("family", "string"),
    ("edition", "integer"), ("indicator", "string"), ("files", "string"), ("message", "string"),
]

#: The index of :func:`frame`'s DataFrame (a profile's rows are unique under it, except where two
#: different sources claim one edition of a country: then the ``file`` column tells them apart).
INDEX = ["iso3", "family", "edition", "indicator"]

#: Decimals written for each number column of the CSV files.
_DECIMALS = {"score": 2, "change": 2, "change_computed": 2, "change_reference": 2, "score_a": 2, "score_b": 2,
             "similarity": 4}

#: ``change_check`` / ``reference_check`` values.
CHECKS = {
    "ok": "the printed change equals the one computed, at the printed precision",
    "mismatch": "it does not (an error finding names both files and both values)",
    "new": "printed n/a: the indicator is new in this edition",
    "first_edition": "the edition prints no changes (its family's first)",
    "no_previous": "the previous edition's profile is not in the panel (reported once per profile)",
    "ambiguous": "several different profiles claim the previous edition (flagged conflicting_edition)",
    "not_read": "the score, the change or a previous score was not read",
}


class PanelError(ValueError):
    """Bad usage: a path that does not exist, or no profile at all."""


@dataclass
class Item:
    """One profile of the panel."""

    profile: Profile
    path: Path  # the JSON file it was read from (never written to a table)
    iso3: str | None
    key: tuple[str, str, int | None]  # (country identity, family, edition)

    @property
    def file(self) -> str:
        return self.profile.source.file

    @property
    def sha256(self) -> str:
        return self.profile.source.sha256


@dataclass
class Panel:
    """What :func:`build` gives: the tables as lists of row dicts, and the profiles kept."""

    items: list[Item]
    long: list[dict[str, Any]] = field(default_factory=list)
    wide: list[dict[str, Any]] = field(default_factory=list)
    wide_columns: list[tuple[str, str]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    families: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f["severity"] == "error" for f in self.findings)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

_NOT_PROFILES = {"manifest.json", "datapackage.json"}


def profile_files(paths: Iterable[str | Path]) -> list[Path]:
    """The profile JSON files of ``paths``: a batch output folder's ``profiles/*.json``, a folder's
    ``*.json`` (not its manifest or data package), or JSON files given by name."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            folder = p / "profiles" if (p / "profiles").is_dir() else p
            out.extend(sorted(x for x in folder.glob("*.json") if x.name not in _NOT_PROFILES and x.is_file()))
        elif p.is_file():
            out.append(p)
        else:
            raise PanelError(f"{p}: no such file or folder")
    return out


def identity(profile: Profile) -> str:
    """How the panel joins a country: its ISO code, else (no code: a finding) its printed name."""
    if profile.iso3:
        return profile.iso3
    from octa.taxonomy.text import fold

    # no name at all: the profile stays on its own (never joined with another unnamed one)
    return f"?{fold(profile.country)}" if profile.country and fold(profile.country) else f"?#{profile.source.sha256}"


def _sort_key(it: Item) -> tuple[Any, ...]:
    return (it.key[0], it.key[1], it.key[2] or 0, it.file, it.sha256)


def _finding(rule: str, severity: str, message: str, *, iso3: str | None = None, family: str | None = None,
             edition: int | None = None, indicator: str | None = None, files: Iterable[str] = ()) -> dict[str, Any]:
    return {"rule": rule, "severity": severity, "iso3": iso3, "family": family, "edition": edition,
            "indicator": indicator, "files": ";".join(sorted(set(files))), "message": message}


def load(paths: Iterable[str | Path]) -> tuple[list[Item], list[dict[str, Any]]]:
    """The profiles of ``paths`` (:func:`profile_files`), one per content, sorted, with the findings
    of reading them (unreadable files, duplicates, conflicting editions, names without a code)."""
    from octa.model import read_profile

    findings: list[dict[str, Any]] = []
    by_sha: dict[str, list[Item]] = {}
    for path in profile_files(paths):
        try:
            prof = read_profile(path)
        except OSError as exc:
            findings.append(_finding("unreadable", "error", f"{path.name}: cannot read: {exc.strerror or exc}",
                                     files=[path.name]))
            continue
        except ValueError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            findings.append(_finding("unreadable", "error", f"{path.name}: not a profile JSON ({first})",
                                     files=[path.name]))
            continue
        it = Item(prof, path, prof.iso3, (identity(prof), prof.family or "", prof.year))
        by_sha.setdefault(prof.source.sha256, []).append(it)
    items: list[Item] = []
    for sha, group in sorted(by_sha.items()):
        if len(group) > 1:
            group.sort(key=lambda it: (it.file, it.profile.to_json()))
        kept = group[0]
        items.append(kept)
        if len(group) > 1:
            names = sorted({g.file for g in group})
            findings.append(_finding(
                "duplicate_input", "warning",
                f"{len(group)} inputs have the same content (sha256 {sha[:12]}…): {', '.join(names)}; "
                f"counted once, as {kept.file}",
                iso3=kept.iso3, family=kept.profile.family, edition=kept.profile.year, files=names))
    items.sort(key=_sort_key)
    for it in items:
        p = it.profile
        if not p.iso3:
            findings.append(_finding(
                "country_code", "error",
                f"{it.file}: country {p.country!r} maps to no ISO 3166-1 code (not in the alias table "
                "octa.taxonomy.COUNTRY_ALIASES nor an ISO name); joined by its printed name",
                family=p.family, edition=p.year, files=[it.file]))
    by_key: dict[tuple[str, str, int | None], list[Item]] = {}
    for it in items:
        by_key.setdefault(it.key, []).append(it)
    for group in by_key.values():
        if len(group) > 1:
            p = group[0].profile
            findings.append(_finding(
                "conflicting_edition", "warning",
                f"{len(group)} different sources claim {p.country} {p.year} ({p.family}): "
                f"{', '.join(g.file for g in group)}; all kept",
                iso3=group[0].iso3, family=p.family, edition=p.year, files=[g.file for g in group]))
    return items, findings


# --------------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------------

_DIGITS = regex.compile(r"(\d+)(?:[.,·](\d+))?")


def printed_decimals(change_printed: str | None) -> int:
    """The decimals a change was printed with (``+0.1`` → 1, ``-0.50`` → 2, ``1`` → 0); 2 (the
    contract's) when the profile does not keep the printed text or it holds no number."""
    if change_printed:
        m = _DIGITS.search(change_printed)
        if m:
            return len(m.group(2) or "")
    return 2


def round_half_away(x: Fraction, places: int) -> Decimal:
    """``x`` rounded half away from zero to ``places`` decimals, exactly."""
    n, d = x.numerator, x.denominator
    q = (2 * abs(n) * 10 ** places + d) // (2 * d)  # floor(|x| · 10^places + 1/2), in integers
    return Decimal(-q if n < 0 else q).scaleb(-places)


def change_agrees(printed: float | Decimal | str, change_printed: str | None, computed: Fraction) -> bool:
    """Whether a printed change (its value, and its text for the precision) equals ``computed`` (the
    exact change) rounded half away from zero at the printed precision (DOMAIN §3)."""
    places = printed_decimals(change_printed)
    value = Decimal(repr(printed) if isinstance(printed, float) else str(printed))
    return round_half_away(computed, places) == value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _exact(x: float | None) -> Fraction | None:
    """A score or change as an exact fraction of its shortest decimal repr (a half-step score is
    binary-exact, so it takes the short way)."""
    if x is None:
        return None
    if (2 * x).is_integer():
        return Fraction(int(2 * x), 2)
    return Fraction(repr(x))


def _means(profile: Profile) -> dict[str, Fraction | None]:
    from octa import scoring

    scores = {i.id: _exact(i.score) for i in profile.indicators}
    return scoring.summarise(scores, edition=profile.edition).exact_values()


def _means_of(scores: dict[str, Fraction], family: str | None, year: int) -> dict[str, Fraction | None]:
    """The unrounded means of a workbook row's scores, over its own edition's indicators."""
    from octa import scoring, taxonomy

    return scoring.summarise(dict(scores), edition=taxonomy.resolve(family, year)).exact_values()


def _d2(x: Fraction | None) -> Decimal | None:
    return None if x is None else round_half_away(x, 2)


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------

def build(paths: Iterable[str | Path], reference: str | Path | None = None) -> Panel:
    """The panel of the profiles of ``paths`` (:func:`load`), with every printed change checked
    against the previous edition's profile in the panel and, when ``reference`` (an official
    workbook) is given, against its previous edition's sheet."""
    items, findings = load(paths)
    panel = Panel(items, findings=findings)
    by_key: dict[tuple[str, str, int | None], list[Item]] = {}
    for it in items:
        by_key.setdefault(it.key, []).append(it)
    ref = _reference_rows(reference) if reference is not None else None
    means_cache: dict[int, dict[str, Fraction | None]] = {}

    def means(it: Item) -> dict[str, Fraction | None]:
        k = id(it)
        if k not in means_cache:
            means_cache[k] = _means(it.profile)
        return means_cache[k]

    for it in items:
        p = it.profile
        ed = p.edition
        prev_year = ed.previous
        prevs = by_key.get((it.key[0], it.key[1], prev_year), []) if prev_year is not None else []
        prev = prevs[0] if len(prevs) == 1 else None
        if prev_year is not None and not prevs and _prints_changes(p):
            panel.findings.append(_finding(
                "no_previous", "info",
                f"{p.country} {p.year} ({p.family}): the panel holds no {prev_year} profile; its printed changes "
                "are not checked against a profile", iso3=it.iso3, family=p.family, edition=p.year, files=[it.file]))
        ref_prev = ref.get((it.key[0], prev_year)) if ref is not None and prev_year is not None else None
        if ref is not None and prev_year is not None and ref_prev is None and _prints_changes(p):
            panel.findings.append(_finding(
                "reference_no_previous", "info",
                f"{p.country} {p.year} ({p.family}): the reference workbook has no {prev_year} row for it",
                iso3=it.iso3, family=p.family, edition=p.year, files=[it.file]))
        base = {"iso3": it.iso3, "country": p.country, "family": p.family, "edition": p.year,
                "previous_edition": prev_year, "file": it.file, "previous_file": prev.file if prev else None,
                "sha256": it.sha256, "change_computed": None, "change_check": None, "change_reference": None,
                "reference_check": None}
        by_metric = {s.metric: s for s in p.summary_scores}
        labels = {m.id: m.label for m in ed.summary}
        for metric in ed.summary_ids:
            s = by_metric.get(metric)
            score = getattr(p.summary, metric)
            if s is None and score is None:
                continue
            row = {**base, "pillar": metric, "indicator": metric, "label": labels.get(metric, metric),
                   "score": _dec(score), "change": _dec(s.change if s else None),
                   "change_printed": s.change_printed if s else None,
                   "status": (s.status if s else "ok") if score is not None else "missing",
                   "page": s.page if s else None}
            cur_mean = means(it).get(metric)
            prev_mean = means(prev).get(metric) if prev else None
            _check(panel, row, it, prev, prevs, s.change if s else None, row["change_printed"],
                   cur_mean, prev_mean, metric, labels.get(metric, metric))
            if ref_prev is not None:
                ref_mean = _means_of(ref_prev.scores, p.family, ref_prev.edition).get(metric)
                _check_reference(panel, row, it, ref_prev, s.change if s else None, row["change_printed"],
                                 None if cur_mean is None or ref_mean is None else cur_mean - ref_mean, metric)
                _sources(panel, it, prev, ref_prev, metric, prev_mean, ref_mean, summary=True)
            panel.long.append(row)
        prev_scores = {i.id: i for i in prev.profile.indicators} if prev else {}
        for ind in p.indicators:
            row = {**base, "pillar": ind.pillar, "indicator": ind.id, "label": ind.label, "score": _dec(ind.score),
                   "change": _dec(ind.change), "change_printed": ind.change_printed, "status": ind.status,
                   "page": ind.page}
            pi = prev_scores.get(ind.id)
            cur, before = _exact(ind.score), _exact(pi.score) if pi else None
            _check(panel, row, it, prev, prevs, ind.change, ind.change_printed, cur, before, ind.id, ind.label,
                   new=ed.is_new(ind.id))
            if ref_prev is not None:
                rs = ref_prev.scores.get(ind.id)
                _check_reference(panel, row, it, ref_prev, ind.change, ind.change_printed,
                                 None if cur is None or rs is None else cur - rs, ind.id, new=ed.is_new(ind.id))
                _sources(panel, it, prev, ref_prev, ind.id, before, rs)
            panel.long.append(row)
    panel.long.sort(key=_long_key)
    _wide(panel)
    _sections(panel, by_key)
    _families(panel)
    panel.findings.sort(key=lambda f: (f["iso3"] or "", f["family"] or "", f["edition"] or 0,
                                       taxonomy_order(f["indicator"]), f["rule"], f["files"], f["message"]))
    return panel


def _prints_changes(p: Profile) -> bool:
    return any(i.change is not None or i.change_printed for i in p.indicators) or \
        any(s.change is not None or s.change_printed for s in p.summary_scores)


def _dec(x: float | None) -> Decimal | None:
    return None if x is None else Decimal(repr(x))


def _fmt(x: Fraction | Decimal | float | None) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, Fraction):
        return f"{round_half_away(x, 4).normalize():f}" if x.denominator != 1 else str(x.numerator)
    return f"{Decimal(repr(x)) if isinstance(x, float) else x}"


def _check(panel: Panel, row: dict[str, Any], it: Item, prev: Item | None, prevs: list[Item],
           printed: float | None, change_printed: str | None, cur: Fraction | None, before: Fraction | None,
           target: str, label: str, new: bool = False) -> None:
    p = it.profile
    if p.edition.previous is None:
        row["change_check"] = "first_edition"
        return
    if new or (change_printed or "").strip().lower() in ("n/a", "new"):
        row["change_check"] = "new"
        return
    if not prevs:
        row["change_check"] = "no_previous"
        return
    if prev is None:
        row["change_check"] = "ambiguous"
        return
    if cur is None or before is None or printed is None:
        row["change_check"] = "not_read"
        return
    computed = cur - before
    row["change_computed"] = _d2(computed)
    if change_agrees(printed, change_printed, computed):
        row["change_check"] = "ok"
        return
    row["change_check"] = "mismatch"
    shown = change_printed if change_printed is not None else _fmt(printed)
    what = "score" if target not in _summary_ids() else "unrounded mean"
    panel.findings.append(_finding(
        "change_mismatch", "error",
        f"{p.country} {p.year} ({p.family}) {label}: printed change {shown} in {it.file}, but the {what} "
        f"{_fmt(cur)} minus {_fmt(before)} in {prev.file} ({prev.profile.year}) is "
        f"{round_half_away(computed, printed_decimals(change_printed))}",
        iso3=it.iso3, family=p.family, edition=p.year, indicator=target, files=[it.file, prev.file]))


def _check_reference(panel: Panel, row: dict[str, Any], it: Item, ref_prev: Any, printed: float | None,
                     change_printed: str | None, computed: Fraction | None, target: str, new: bool = False) -> None:
    p = it.profile
    if new or (change_printed or "").strip().lower() in ("n/a", "new"):
        row["reference_check"] = "new"
        return
    if computed is None or printed is None:
        row["reference_check"] = "not_read"
        return
    row["change_reference"] = _d2(computed)
    if change_agrees(printed, change_printed, computed):
        row["reference_check"] = "ok"
        return
    row["reference_check"] = "mismatch"
    shown = change_printed if change_printed is not None else _fmt(printed)
    panel.findings.append(_finding(
        "reference_change_mismatch", "error",
        f"{p.country} {p.year} ({p.family}) {target}: printed change {shown} in {it.file}, but against the "
        f"reference's {ref_prev.sheet} row {ref_prev.row} it is "
        f"{round_half_away(computed, printed_decimals(change_printed))}",
        iso3=it.iso3, family=p.family, edition=p.year, indicator=target, files=[it.file]))


def _sources(panel: Panel, it: Item, prev: Item | None, ref_prev: Any, target: str, from_profile: Fraction | None,
             from_reference: Fraction | None, summary: bool = False) -> None:
    """Where the previous edition's profile and the workbook's previous sheet disagree."""
    if prev is None or from_profile is None or from_reference is None or from_profile == from_reference:
        return
    p = prev.profile
    what = "unrounded mean" if summary else "score"
    panel.findings.append(_finding(
        "sources_disagree", "warning",
        f"{p.country} {p.year} ({p.family}) {target}: {what} {_fmt(from_profile)} in {prev.file}, "
        f"{_fmt(from_reference)} in the reference's {ref_prev.sheet} row {ref_prev.row}",
        iso3=it.iso3, family=p.family, edition=p.year, indicator=target, files=[prev.file]))


def _reference_rows(path: str | Path) -> dict[tuple[str, int], Any]:
    from octa.dataset import read_reference
    from octa.taxonomy.countries import iso3

    try:
        rows = read_reference(path)
    except (OSError, ValueError) as exc:
        raise PanelError(f"{path}: cannot read the reference dataset: {exc}") from None
    out: dict[tuple[str, int], Any] = {}
    for r in rows:
        code = iso3(r.country)
        if code:
            out.setdefault((code, r.edition), r)
    return out


def _summary_ids() -> tuple[str, ...]:
    from octa import taxonomy

    return taxonomy.SUMMARY_IDS


def taxonomy_order(metric: str | None) -> int:
    """Taxonomy order of a summary metric (first) or indicator; unknown ids last."""
    from octa import taxonomy

    if metric is None:
        return -1
    ids = _TAXONOMY_ORDER.get("ids")
    if ids is None:
        ids = {m: k for k, m in enumerate([*taxonomy.SUMMARY_IDS, *(i.id for i in taxonomy.INDICATORS)])}
        _TAXONOMY_ORDER["ids"] = ids
    return ids.get(metric, len(ids))


_TAXONOMY_ORDER: dict[str, dict[str, int]] = {}


def _long_key(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["iso3"] or "", r["country"] or "", r["family"] or "", r["edition"] or 0, r["file"], r["sha256"],
            taxonomy_order(r["indicator"]), r["indicator"])


def _wide(panel: Panel) -> None:
    years = sorted({r["edition"] for r in panel.long if r["edition"] is not None})
    panel.wide_columns = [("iso3", "string"), ("country", "string"), ("family", "string"), ("pillar", "string"),
                          ("indicator", "string"), ("label", "string")] + [(f"score_{y}", "number") for y in years]
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    values: dict[tuple[Any, ...], dict[int, set[Decimal | None]]] = {}
    for r in panel.long:
        k = (r["iso3"] or "", r["country"] if not r["iso3"] else "", r["family"] or "", r["indicator"])
        rows.setdefault(k, {"iso3": r["iso3"], "country": r["country"], "family": r["family"], "pillar": r["pillar"],
                            "indicator": r["indicator"], "label": r["label"]})
        if r["edition"] is not None:
            values.setdefault(k, {}).setdefault(r["edition"], set()).add(r["score"])
    for k, row in rows.items():
        for y, vals in values.get(k, {}).items():
            row[f"score_{y}"] = next(iter(vals)) if len(vals) == 1 else None  # conflicting sources: flagged
    panel.wide = [rows[k] for k in sorted(rows, key=lambda k: (k[0], k[1], k[2], taxonomy_order(k[3]), k[3]))]


def _paragraphs(p: Profile) -> dict[str, tuple[str, list[int]]]:
    out: dict[str, tuple[list[str], list[int]]] = {}
    for sec in p.sections:
        for par in sec.paragraphs:
            if par.indicator:
                texts, pages = out.setdefault(par.indicator, ([], []))
                texts.append(par.text)
                pages.extend(x for x in par.pages if x not in pages)
    return {k: ("\n\n".join(t), pg) for k, (t, pg) in out.items()}


def similarity(a: str, b: str) -> float:
    """Similarity of two paragraphs, 0–1: rapidfuzz's normalised Indel similarity
    (``fuzz.ratio`` / 100), rounded to 4 decimals."""
    from rapidfuzz import fuzz

    return round(fuzz.ratio(a, b) / 100, 4)


def _sections(panel: Panel, by_key: dict[tuple[str, str, int | None], list[Item]]) -> None:
    paras = {id(it): _paragraphs(it.profile) for it in panel.items}
    rows = []
    for it in panel.items:
        p = it.profile
        prev_year = p.edition.previous
        prevs = by_key.get((it.key[0], it.key[1], prev_year), []) if prev_year is not None else []
        prev = prevs[0] if len(prevs) == 1 else None
        for iid, (text, pages) in paras[id(it)].items():
            sim = None
            if prev is not None and iid in paras[id(prev)]:
                sim = Decimal(repr(similarity(paras[id(prev)][iid][0], text)))
            rows.append({"iso3": it.iso3, "country": p.country, "family": p.family, "indicator": iid,
                         "edition": p.year, "previous_edition": prev_year if prev is not None else None,
                         "similarity": sim, "pages": ";".join(map(str, pages)) or None, "file": it.file,
                         "text": text})
    rows.sort(key=lambda r: (r["iso3"] or "", r["country"] or "", r["family"] or "", taxonomy_order(r["indicator"]),
                             r["indicator"], r["edition"] or 0, r["file"]))
    panel.sections = rows


def _families(panel: Panel) -> None:
    """Each indicator (and summary metric) two families give for one country and year."""
    by: dict[tuple[str, int | None], dict[str, list[Item]]] = {}
    for it in panel.items:
        by.setdefault((it.key[0], it.profile.year), {}).setdefault(it.profile.family or "", []).append(it)
    rows = []
    for (_ident, year), fams in by.items():
        names = sorted(fams)
        for a_k in range(len(names)):
            for b_k in range(a_k + 1, len(names)):
                for a in fams[names[a_k]]:
                    for b in fams[names[b_k]]:
                        rows.extend(_compare(a, b, year))
    rows.sort(key=lambda r: (r["iso3"] or "", r["country"] or "", r["edition"] or 0, r["family_a"], r["family_b"],
                             r["file_a"], r["file_b"], taxonomy_order(r["indicator"])))
    panel.families = rows


def _compare(a: Item, b: Item, year: int | None) -> list[dict[str, Any]]:
    sa = {i.id: i.score for i in a.profile.indicators}
    sb = {i.id: i.score for i in b.profile.indicators}
    for m in _summary_ids():
        sa[m] = getattr(a.profile.summary, m)
        sb[m] = getattr(b.profile.summary, m)
    out = []
    for iid in sorted(set(sa) & set(sb), key=taxonomy_order):
        va, vb = sa[iid], sb[iid]
        if va is None or vb is None:
            continue
        out.append({"iso3": a.iso3, "country": a.profile.country, "edition": year, "indicator": iid,
                    "family_a": a.profile.family, "score_a": _dec(va), "family_b": b.profile.family,
                    "score_b": _dec(vb), "agree": "true" if _dec(va) == _dec(vb) else "false",
                    "file_a": a.file, "file_b": b.file})
    return out


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

def _cell(column: str, value: Any) -> str:
    """A panel cell: numbers at their column's decimals (exact, through Decimal); the rest as the
    batch's tables write them (:func:`octa.export._cell`: empty for null, true/false, text neutralised)."""
    if isinstance(value, Decimal):
        return f"{value:.{_DECIMALS.get(column, 2)}f}"
    if isinstance(value, float):
        return f"{Decimal(repr(value)):.{_DECIMALS.get(column, 2)}f}"
    return export_cell(column, value)


def to_csv(columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> str:
    """CSV text (header, ``\\n`` line ends, UTF-8, empty for null, text neutralised like the batch's)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    names = [c for c, _ in columns]
    w.writerow(names)
    w.writerows([_cell(c, r.get(c)) for c in names] for r in rows)
    return buf.getvalue()


def to_frame(columns: Sequence[tuple[str, str]], rows: Sequence[dict[str, Any]]) -> Any:
    """Rows as a pandas DataFrame with typed columns (nullable integers, floats, strings)."""
    import pandas as pd

    data = {}
    for c, typ in columns:
        vals = [r.get(c) for r in rows]
        if typ == "integer":
            data[c] = pd.array(vals, dtype="Int64")
        elif typ == "number":
            data[c] = pd.array([None if v is None else float(v) for v in vals], dtype="Float64")
        else:
            data[c] = pd.array(vals, dtype="string")
    return pd.DataFrame(data, columns=[c for c, _ in columns])


def _parquet(columns: Sequence[tuple[str, str]], rows: Sequence[dict[str, Any]]) -> bytes | None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None
    arrow = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string()}
    arrays = []
    for c, typ in columns:
        vals = [r.get(c) for r in rows]
        if typ == "number":
            vals = [None if v is None else float(v) for v in vals]
        arrays.append(pa.array(vals, type=arrow[typ]))
    table = pa.Table.from_arrays(arrays, schema=pa.schema([pa.field(c, arrow[t]) for c, t in columns]))
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


#: The files :func:`write` writes.
OUTPUTS = ("panel_long.csv", "panel_wide.csv", "panel_sections.csv", "panel_families.csv", "panel_findings.csv",
           "panel_long.parquet")


def write(panel: Panel, out: str | Path) -> list[Path]:
    """Write the panel's tables into the folder ``out`` (atomically, each); return the paths."""
    from octa.export import write_atomic

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, cols, rows in (("panel_long.csv", LONG, panel.long), ("panel_wide.csv", panel.wide_columns, panel.wide),
                             ("panel_sections.csv", SECTIONS, panel.sections),
                             ("panel_families.csv", FAMILIES, panel.families),
                             ("panel_findings.csv", FINDINGS, panel.findings)):
        write_atomic(out / name, to_csv(cols, rows))
        written.append(out / name)
    data = _parquet(LONG, panel.long)
    if data is not None:
        write_atomic(out / "panel_long.parquet", data)
        written.append(out / "panel_long.parquet")
    else:  # no Parquet this time (pyarrow absent): an earlier run's file would be a stale panel
        (out / "panel_long.parquet").unlink(missing_ok=True)
    return written


def frame(paths: str | Path | Iterable[str | Path], reference: str | Path | None = None) -> Any:
    """The panel's long table (:data:`LONG`) as a pandas DataFrame indexed by :data:`INDEX`
    (``iso3``, ``family``, ``edition``, ``indicator``), sorted. ``paths``: batch output folders,
    folders of profile JSON files, or such files. The findings are in ``df.attrs["findings"]`` (a
    list of dicts with the keys of :data:`FINDINGS`)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    panel = build(paths, reference=reference)
    df = to_frame(LONG, panel.long).set_index(INDEX)
    df.attrs["findings"] = [dict(f) for f in panel.findings]
    return df


class _CallableModule(types.ModuleType):
    """``octa.panel(paths)``: the module called is :func:`frame`."""

    def __call__(self, paths: str | Path | Iterable[str | Path], reference: str | Path | None = None) -> Any:
        return frame(paths, reference=reference)


sys.modules[__name__].__class__ = _CallableModule
