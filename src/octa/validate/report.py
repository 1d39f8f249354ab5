"""Validating profile JSON files (``octa validate``): collecting them, the per-file reports, the
counts per rule and the printed report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from octa import taxonomy
from octa.model import Finding, Profile, read_profile
from octa.validate.common import RULES, _finding, _label, _short, count, edition_of
from octa.validate.reference import Reference, load_reference
from octa.validate.rules import validate

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
        edition = edition_of(prof)
        if prof.family and prof.country and edition.dated:
            prev_year = edition.previous
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
