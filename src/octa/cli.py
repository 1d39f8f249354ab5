"""The ``octa`` command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from octa import __version__


def _family_files(ctx: click.Context, param: click.Parameter, files: tuple[Path, ...]) -> tuple[Path, ...]:
    """Read family files before any command imports the taxonomy: through the environment
    (``OCTA_FAMILY_FILES``), so that every worker process of a batch reads them too."""
    if not files:
        return files
    if "octa.taxonomy" in sys.modules:
        raise click.UsageError("--family-file must come before octa reads its taxonomy (in a Python process, "
                               "set OCTA_FAMILY_FILES before importing octa's modules)")
    env = "OCTA_FAMILY_FILES"
    os.environ[env] = os.pathsep.join([x for x in os.environ.get(env, "").split(os.pathsep) if x]
                                      + [str(f.resolve()) for f in files])
    try:
        from octa import taxonomy  # noqa: F401  (reads and checks them now)
    except ValueError as exc:  # TaxonomyError, naming the file and the entry
        sys.modules.pop("octa.taxonomy", None)
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    return files


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="octa")
@click.option("--family-file", "family_files", multiple=True, callback=_family_files, expose_value=False,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An index family of your own, described in a TOML file like octa's global.toml (its "
                   "pillars, groups, indicators, summary metrics, editions, detection patterns); repeatable. "
                   "Commands then detect, read, generate, validate and export its profiles.")
def main() -> None:
    """octa turns OCTA-style organised-crime country profiles (Global Organized Crime Index and
    ENACT Africa Organised Crime Index PDFs, or text already extracted from them) into clean,
    validated, structured data: every score, change and rank, the narrative per indicator, and an
    audit trail of every repair and check."""


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema here instead of printing it.")
def schema(output: Path | None) -> None:
    """Print (or write) the JSON Schema of the per-profile JSON."""
    from octa.model import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--engine", type=click.Choice(["pymupdf", "pdfplumber"]), default="pymupdf", show_default=True,
              help="Layout engine for PDFs.")
@click.option("--text", "text_mode", is_flag=True, default=None,
              help="Treat FILE as text another tool already extracted (default for .txt files).")
@click.option("--country", help="Set the country instead of detecting it.")
@click.option("--year", type=int, help="Set the edition year instead of detecting it.")
@click.option("--family", help="Set the family instead of detecting it: global, enact, or a family of a "
                                "--family-file.")
@click.option("--reference", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Cross-check against the official dataset workbook of any edition (e.g. "
                   "global_oc_index_2025.xlsx; `octa reference XLSX` shows what octa reads in it).")
@click.option("--password", help="Password of an encrypted PDF.")
@click.option("--max-pages", type=int, default=200, show_default=True, help="Refuse PDFs with more pages.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the profile JSON here instead of printing it.")
def extract(file: Path, engine: str, text_mode: bool | None, country: str | None, year: int | None,
            family: str | None, reference: Path | None, password: str | None, max_pages: int,
            output: Path | None) -> None:
    """Extract one profile (PDF or extracted text) and print its JSON: scores, changes, ranks,
    sections, validation findings and cleaning repairs.

    Exit status 0 on success, 2 when FILE cannot be read as a profile (corrupt, encrypted,
    empty, no text layer, not a profile, too large), with the reason on stderr; 3 on an internal error
    (a bug in octa, reported in one line)."""
    from octa.errors import OctaError
    from octa.pipeline import extract as run_extract

    if not file.exists():
        click.echo(f"octa: {file}: no such file", err=True)
        sys.exit(2)
    _known_family(family)
    ref = None
    if reference is not None:
        from octa.validate import load_reference

        try:
            ref = load_reference(reference)
        except (ValueError, OSError) as exc:
            click.echo(f"octa: {reference}: cannot read the reference dataset: {exc}", err=True)
            sys.exit(2)
    try:
        profile = run_extract(file, engine=engine, password=password, text_mode=text_mode, country=country,
                              year=year, family=family, reference=ref, max_pages=max_pages)
    except OctaError as exc:
        click.echo(f"octa: {exc.path}: {exc.reason}: {exc.message}", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug, not the input's fault: one line, the batch's wording, no traceback
        _internal_error(file, exc)
    text = profile.to_json()
    if output is None:
        sys.stdout.write(text)
    else:
        from octa.export import write_atomic

        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    click.echo(_extract_summary(file, profile), err=True)


def _known_family(family: str | None) -> None:
    from octa import taxonomy

    if family is not None and family not in taxonomy.FAMILIES:
        raise click.BadParameter(f"unknown family {family!r} (families: {', '.join(taxonomy.FAMILIES)}; add one "
                                 "with octa --family-file FILE)", param_hint="--family")


def _extract_summary(file: Path, profile: object) -> str:
    """One line on stderr: what was read, what is unconfirmed or missing, the findings."""
    from octa.convert import value_counts

    counts = value_counts(profile)
    ind = profile.indicators  # type: ignore[attr-defined]
    ok = sum(1 for i in ind if i.status == "ok")
    errors = sum(1 for f in profile.validation if f.severity == "error")  # type: ignore[attr-defined]
    what = " ".join(str(x) for x in (profile.country, profile.year, profile.family) if x)  # type: ignore[attr-defined]
    return (f"octa: {file}: {what or 'profile'}: {len(ind)} indicators ({ok} ok), {counts['unconfirmed']} values "
            f"unconfirmed, {counts['missing']} missing; {len(profile.validation)} findings "  # type: ignore[attr-defined]
            f"({errors} errors)")


def _internal_error(file: Path, exc: Exception) -> NoReturn:
    """An exception that is not an input error is a bug in octa: say so in one line (exit 3), as
    ``octa batch`` records it, instead of a traceback; OCTA_DEBUG=1 re-raises it."""
    if os.environ.get("OCTA_DEBUG"):
        raise exc
    first = str(exc).splitlines()[0] if str(exc) else ""
    click.echo(f"octa: {file}: internal error: {type(exc).__name__}: {first} (a bug in octa {__version__}: "
               "please report it with this file; OCTA_DEBUG=1 shows the traceback)", err=True)
    sys.exit(3)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--explain", is_flag=True, help="Also print every repair (rule, page, before, after) as a table.")
@click.option("--engine", type=click.Choice(["pymupdf", "pdfplumber"]), default="pymupdf", show_default=True,
              help="Layout engine for PDFs.")
@click.option("--text", "text_mode", is_flag=True, default=None,
              help="Treat FILE as extracted text (default for .txt files).")
@click.option("--password", help="Password of an encrypted PDF.")
@click.option("--max-pages", type=int, default=200, show_default=True, help="Refuse PDFs with more pages.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the cleaned text here instead of printing it.")
def clean(file: Path, explain: bool, engine: str, text_mode: bool | None, password: str | None, max_pages: int,
          output: Path | None) -> None:
    """Print the cleaned text of FILE (a PDF, or text another tool extracted): kerning splits joined,
    running headers and chart residue dropped, ligatures, hyphenation, split words, torn numbers,
    symbol-font arrows, bullets and page-broken paragraphs repaired. Works on any PDF, profile or not.

    With --explain, every repair follows as a table (on stderr when the text goes to stdout).
    Exit status 2 when FILE cannot be read (corrupt, empty, encrypted, no text layer, too large)."""
    from octa import clean as cleaner
    from octa.errors import OctaError
    from octa.pipeline import detect_edition, is_text_input, read_text_input

    if not file.exists():
        click.echo(f"octa: {file}: no such file", err=True)
        sys.exit(2)
    try:
        if text_mode or (text_mode is None and is_text_input(file)):
            raw = read_text_input(file)
            text, repairs = cleaner.clean_text(raw, detect_edition(raw))
        else:
            from octa import layout

            doc = layout.load(file, engine=engine, password=password, max_pages=max_pages)
            cleaned = cleaner.clean_document(doc, detect_edition("\n".join(ln.text for p in doc.pages for ln in p.lines)))
            text, repairs = cleaned.text, cleaned.repairs
    except OctaError as exc:
        click.echo(f"octa: {exc.path}: {exc.reason}: {exc.message}", err=True)
        sys.exit(2)
    except Exception as exc:
        _internal_error(file, exc)
    if output is None:
        sys.stdout.write(text)
    else:
        from octa.export import write_atomic

        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    if explain:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(repairs)} repairs", show_lines=False)
        for col in ("rule", "page", "before", "after"):
            table.add_column(col, overflow="fold")
        for row in cleaner.explain(repairs):
            table.add_row(*row)
        Console(stderr=output is None, width=160, highlight=False).print(table)


@main.command()
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path), help="Output folder (required).")
@click.option("--workers", type=int, help="Worker processes (default: every core).")
@click.option("--engine", type=click.Choice(["pymupdf", "pdfplumber"]), default="pymupdf", show_default=True,
              help="Layout engine for PDFs.")
@click.option("--reference", type=click.Path(path_type=Path),
              help="Cross-check against the official dataset workbook of any edition (e.g. "
                   "global_oc_index_2025.xlsx; `octa reference XLSX` shows what octa reads in it).")
@click.option("--timeout", type=float, default=120.0, show_default=True,
              help="Seconds one file may take; past that it is recorded as timeout and its worker replaced "
                   "(0: no limit).")
@click.option("--max-pages", type=int, default=200, show_default=True, help="Refuse PDFs with more pages.")
@click.option("--max-memory", type=int, default=4096, show_default=True,
              help="Address-space limit per worker process, in MiB (0: no limit).")
@click.option("--password", help="Password for encrypted PDFs.")
@click.option("--resume", is_flag=True, help="Skip inputs the folder's manifest.json already records as done.")
@click.option("--format", "formats", default=None,
              help="Comma-separated outputs among csv, json, parquet (default: all three, parquet when pyarrow "
                   "is installed). Profile JSON files are always written: they are the batch's state.")
@click.option("--official-columns", is_flag=True,
              help="Name and order scores_wide.csv's score columns as the 2025 official dataset does "
                   "(the workbook's own headings: 'Country', each summary's '… avg.', each indicator's label).")
@click.option("--dask", metavar="local|ADDRESS",
              help="Run on Dask: a local cluster of --workers processes, or the scheduler at ADDRESS "
                   "(its workers must see the input paths).")
@click.option("--review", is_flag=True, help="Also write the review pages (OUTDIR/review/index.html).")
@click.option("--panel", "panel_", is_flag=True,
              help="Also write the panel of the batch's profiles (OUTDIR/panel_*.csv, as `octa panel OUTDIR -o "
                   "OUTDIR` does: every printed change checked against the previous edition's profile).")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: on a terminal) or one log line per file.")
def batch(inputs: tuple[str, ...], outdir: Path | None, workers: int | None, engine: str, reference: Path | None,
          timeout: float, max_pages: int, max_memory: int, password: str | None, resume: bool,
          formats: str | None, official_columns: bool, dask: str | None, review: bool, panel_: bool,
          progress: bool | None) -> None:
    """Convert every profile of INPUT (files, folders searched recursively for *.pdf and *.txt, or
    globs) into OUTDIR: profiles/<stem>.json, scores_long.csv, scores_wide.csv, sections.csv,
    validation.csv, errors.csv (file, error, message), manifest.json, datapackage.json and
    scores.parquet.

    A file that cannot be converted (corrupt, encrypted, no text layer, not a profile, too large,
    timeout) goes to errors.csv and the batch goes on. Every output is written atomically, in
    input-path order: the same inputs give the same bytes whatever --workers or --dask, and after an
    interruption --resume finishes the job (manifest.json's "run" and per-input "seconds" are the only
    run-dependent values).

    Exit status 0 when every file converted, 1 when some failed, 2 on bad usage."""
    from octa.convert import BatchUsageError, PlainProgress, RichProgress, run_batch

    def usage(msg: str) -> None:
        click.echo(f"octa batch: error: {msg}", err=True)
        sys.exit(2)

    if outdir is None:
        usage("give the output folder with -o OUTDIR")
    if not inputs:
        usage("no input given (name files, folders or globs)")
    if progress is None:
        progress = sys.stderr.isatty()
    reporter = RichProgress() if progress else PlainProgress()
    try:
        result = run_batch(list(inputs), outdir, workers=workers, engine=engine, reference=reference,
                           timeout=timeout, max_pages=max_pages, max_memory=max_memory, password=password,
                           resume=resume, formats=formats, official_columns=official_columns, dask=dask,
                           review=review, panel=panel_, progress=reporter)
    except BatchUsageError as exc:
        usage(str(exc))
    except KeyboardInterrupt:
        click.echo("octa batch: interrupted; run again with --resume to finish", err=True)
        sys.exit(130)
    sys.exit(result.exit_code)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--reference", "reference", type=click.Path(path_type=Path),
              help="Cross-check against the official dataset workbook of any edition (e.g. "
                   "global_oc_index_2025.xlsx; `octa reference XLSX` shows what octa reads in it).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def validate(paths: tuple[Path, ...], reference: Path | None, as_json: bool) -> None:
    """Re-run the validation rules on profile JSON files or batch output folders. Exit status 1 when
    any error is found, 0 otherwise, 2 on bad usage."""
    from octa.validate import UsageProblem, run

    try:
        code = run(paths, reference, as_json)
    except UsageProblem as exc:
        click.echo(f"octa validate: error: {exc}", err=True)
        sys.exit(2)
    sys.exit(code)


@main.command()
@click.argument("batch_dirs", nargs=-1, metavar="BATCH_DIR...")
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write the panel tables into (required).")
@click.option("--reference", type=click.Path(path_type=Path, dir_okay=False),
              help="Also check every printed change against the previous edition's sheet of this official "
                   "workbook (e.g. global_oc_index_2025.xlsx), and report where it and the previous edition's "
                   "profile disagree.")
def panel(batch_dirs: tuple[str, ...], outdir: Path | None, reference: Path | None) -> None:
    """Join the profiles of any number of batch folders (their profiles/*.json; or folders of profile
    JSON files, or such files) by country (ISO 3166-1 alpha-3 code), family and edition, and write
    into OUT:

    \b
      panel_long.csv, .parquet  one row per profile × summary metric or indicator: iso3, country,
                                family, edition, indicator, score, change_printed, change,
                                change_computed (from the previous edition's profile in the panel),
                                change_check (ok, mismatch, new, first_edition, no_previous,
                                ambiguous, not_read), change_reference and reference_check (with
                                --reference), status, file, previous_file, sha256
      panel_wide.csv            one row per country × family × indicator, score_<year> per edition
      panel_sections.csv        one row per country × family × indicator × edition: the paragraph and
                                its similarity (0-1) to the previous edition's paragraph
      panel_families.csv        a country's global and ENACT profiles of one year, indicator by
                                indicator: agree true/false (informational)
      panel_findings.csv        rule, severity, iso3, family, edition, indicator, files, message

    Printed changes are checked with the index's exact arithmetic at the precision printed: an
    indicator's as the difference of its scores, a summary's from the unrounded means of both
    profiles' indicator scores. A disagreement is an error naming both files and both values. Inputs
    with the same content count once (duplicate_input); different sources claiming one edition of a
    country are all kept and flagged (conflicting_edition); a country name with no ISO code is an
    error finding (country_code). The tables do not depend on how the profiles are split over
    folders.

    Exit status 0 when no error finding, 1 when any, 2 on bad usage."""
    from octa.panel import PanelError, build, write

    def usage(msg: str) -> NoReturn:
        click.echo(f"octa panel: error: {msg}", err=True)
        sys.exit(2)

    if outdir is None:
        usage("give the output folder with -o OUT")
    if not batch_dirs:
        usage("no batch folder given")
    try:
        result = build(batch_dirs, reference=reference)
    except PanelError as exc:
        usage(str(exc))
    if not result.items:
        usage(f"no profile JSON found in {', '.join(batch_dirs)}")
    write(result, outdir)
    checks: dict[str, int] = {}
    for r in result.long:
        checks[r.get("change_check") or ""] = checks.get(r.get("change_check") or "", 0) + 1
    countries = len({it.key[0] for it in result.items})
    errors = result.errors
    click.echo(f"octa panel: {len(result.items)} profiles, {countries} countries; changes: "
               + ", ".join(f"{k} {v}" for k, v in sorted(checks.items()) if k)
               + f"; {errors} error finding(s) → {printable(outdir)}", err=True)
    for f in result.findings:
        if f["severity"] == "error":
            click.echo(f"  error {f['rule']}: {printable(f['message'])}", err=True)
    sys.exit(1 if errors else 0)


def printable(text: object) -> str:
    from octa.convert import printable as _printable

    return _printable(text)


@main.command()
@click.argument("xlsx", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the description as JSON.")
def reference(xlsx: Path, as_json: bool) -> None:
    """What an official dataset workbook (global_oc_index.xlsx, global_oc_index_2025.xlsx, …) holds,
    as octa reads it for --reference: each sheet with its edition and row count; the columns it
    mapped (by normalised name: case, punctuation, 'avg', '&'/'and' do not matter) and those it
    could not; the arithmetic of every row (DOMAIN §3: each rule and its count of exceptions); the
    country names read through the alias table and those it does not know.

    Exit status 0 when the workbook reads cleanly and every row passes, 1 when there are problems
    (an unknown or missing column, an arithmetic exception, an unknown country name), 2 when XLSX
    cannot be read as a workbook."""
    from octa.dataset import describe, read_workbook

    if not xlsx.is_file():
        click.echo(f"octa reference: error: {xlsx}: no such file", err=True)
        sys.exit(2)
    try:
        book = read_workbook(xlsx)
    except ValueError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        click.echo(f"octa reference: error: {first}", err=True)
        sys.exit(2)
    doc = describe(book)
    bad = bool(doc["problems"] or doc["arithmetic"]["exceptions"] or doc["countries"]["unmatched"])
    if as_json:
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        _print_reference(doc)
    sys.exit(1 if bad else 0)


def _print_reference(doc: dict) -> None:  # type: ignore[type-arg]
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from octa import taxonomy

    def canonical(kind: str, cid: str) -> str:
        if kind == "summary":
            return taxonomy.SUMMARY_LABELS[cid]
        if kind == "indicator":
            return taxonomy.INDICATORS_BY_ID[cid].label
        return cid.capitalize()

    con = Console(highlight=False)
    if not con.is_terminal:  # a file or a pipe: wide enough that no table cell wraps
        con = Console(highlight=False, width=max(con.width, 150))
    sha = f" (sha256 {doc['sha256'][:8]}…{doc['sha256'][-5:]})" if doc["sha256"] else ""
    con.print(f"[bold]{escape(doc['file'])}[/bold]{sha}: editions "
              f"{', '.join(map(str, doc['editions'])) or 'none'}")
    sheets = Table(title="Sheets", title_justify="left")
    for col in ("sheet", "edition", "rows", "columns mapped", "not mapped", "missing"):
        sheets.add_column(col, justify="right" if col in ("edition", "rows", "columns mapped") else "left")
    read = [s for s in doc["sheets"] if s["read"]]
    for s in doc["sheets"]:
        if not s["read"]:
            sheets.add_row(escape(s["name"]), str(s["edition"] or "–"), "–", "–",
                           f"[dim]sheet not read: {escape(s['skipped'] or '')}[/dim]", "")
            continue
        mapped = sum(1 for c in s["columns"] if c["kind"] != "unknown")
        sheets.add_row(escape(s["name"]), str(s["edition"]), str(s["rows"]), str(mapped),
                       f"[red]{escape(', '.join(map(repr, s['unmapped'])))}[/red]" if s["unmapped"] else "none",
                       f"[red]{escape(', '.join(s['missing']))}[/red]" if s["missing"] else "none")
    con.print(sheets)
    if read:
        cols = Table(title="Columns: the letter of each, and its heading where it is not spelled as octa's label",
                     title_justify="left")
        cols.add_column("maps to", no_wrap=True)
        for s in read:
            cols.add_column(escape(s["name"]))
        ids: list[tuple[str, str]] = []
        for s in read:
            for c in s["columns"]:
                if c["kind"] != "unknown" and (c["kind"], c["id"]) not in ids:
                    ids.append((c["kind"], c["id"]))
        for kind, cid in ids:
            cells = []
            for s in read:
                got = next((c for c in s["columns"] if c["kind"] == kind and c["id"] == cid), None)
                if got is None:
                    cells.append("[red]missing[/red]" if cid in s["missing"] else "[dim]–[/dim]")
                elif got["header"] == canonical(kind, cid):
                    cells.append(got["letter"])
                else:
                    cells.append(f"{got['letter']} [cyan]{escape(repr(got['header']))}[/cyan]")
            cols.add_row(escape(canonical(kind, cid)), *cells)
        for s in read:
            for c in s["columns"]:
                if c["kind"] == "unknown":
                    cols.add_row("[red]not mapped[/red]", *[
                        f"[red]{c['letter']} {escape(repr(c['header']))}[/red]" if t is s else "" for t in read])
        con.print(cols)
        ar = Table(title=f"Arithmetic (DOMAIN §3) of all {doc['arithmetic']['rows']} rows: exceptions per rule",
                   title_justify="left")
        ar.add_column("rule")
        for s in read:
            ar.add_column(escape(s["name"]), justify="right")
        for rule in doc["arithmetic"]["rules"]:
            counts = [rule["exceptions"].get(s["name"], 0) for s in read]
            ar.add_row(escape(rule["text"]), *[f"[red]{n}[/red]" if n else "0" for n in counts])
        con.print(ar)
        for msg in doc["arithmetic"]["exceptions"][:20]:
            con.print(f"  [red]exception[/red] {escape(msg)}")
        if len(doc["arithmetic"]["exceptions"]) > 20:
            con.print(f"  … and {len(doc['arithmetic']['exceptions']) - 20} more")
    countries = doc["countries"]
    if countries["aliased"]:
        shown = "; ".join(f"{escape(repr(a))} → {escape(repr(b))}" for a, b in countries["aliased"][:8])
        more = f"; … ({len(countries['aliased'])} in all)" if len(countries["aliased"]) > 8 else ""
        con.print(f"Country names read through the alias table (octa.taxonomy.COUNTRY_ALIASES): {shown}{more}")
    for u in countries["unmatched"]:
        con.print(f"  [yellow]unknown country[/yellow] {escape(repr(u['name']))} ({escape(u['sheet'])} row {u['row']}): "
                  "not in the alias table; a profile of it will not find this row")
    for p in doc["problems"]:
        con.print(f"  [red]problem[/red] {escape(p)}")
    n_exc = len(doc["arithmetic"]["exceptions"])
    if doc["problems"] or n_exc or countries["unmatched"]:
        con.print(f"[bold red]{len(doc['problems'])} problem(s), {n_exc} arithmetic exception(s), "
                  f"{len(countries['unmatched'])} unknown country name(s)[/bold red]")
    else:
        total = sum(s["rows"] for s in read)
        con.print(f"[bold green]ok: {len(read)} dataset sheet(s), {total} rows, every column mapped, "
                  "0 arithmetic exceptions, every country known[/bold green]")


@main.command()
@click.option("--count", type=int, default=10, show_default=True, help="Number of profiles to write.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same bytes).")
@click.option("--family", default="mixed", show_default=True,
              help="Family: global, enact, a family of a --family-file, or mixed (cycles through every edition "
                   "of every family).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output directory.")
@click.option("--from-dataset", "from_dataset", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Take countries, scores and ranks from the official dataset (xlsx); family global, every "
                   "edition the workbook has a sheet for (2025, 2023, 2021), changes from the previous sheet.")
@click.option("--country", "countries", multiple=True, metavar="NAME",
              help="With --from-dataset: these countries (any spelling the alias table knows), in this order, "
                   "instead of a seeded draw; repeatable. --count editions × countries makes every edition of "
                   "each (e.g. --count 9 with three countries: each in 2025, 2023 and 2021).")
@click.option("--variations", type=click.Choice(["all"]), default=None,
              help="Draw every class of the variation matrix (number formats, change forms, label case and "
                   "wrapping, row orders, grids, columns, group headings, soft hyphens) for every profile and "
                   "record them in <stem>.variation.json (default: the usual layouts).")
def synth(count: int, seed: int, family: str, out: Path, from_dataset: Path | None, countries: tuple[str, ...],
          variations: str | None) -> None:
    """Write synthetic profile PDFs with ground truth (<stem>.truth.json) and layout variants
    (<stem>.variants.json)."""
    from octa.synth import generate

    if family != "mixed":
        _known_family(family)
    try:
        if countries and from_dataset is None:
            raise ValueError("--country needs --from-dataset")
        paths = generate(count, seed, family, out, from_dataset=from_dataset, variations=variations,
                         countries=countries or None)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"wrote {len(paths)} profiles to {out}", err=True)


@main.command()
@click.argument("outdir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--open", "open_browser", is_flag=True, help="Open the index page in a web browser.")
def review(outdir: Path, open_browser: bool) -> None:
    """Write review pages for a batch output folder: OUTDIR/review/index.html (every profile, worst
    first) and one page per profile with the page images, a box around every value read (coloured
    ok, inferred or flagged), the values, the validator's findings and the cleaning repairs."""
    from octa.review import write_review

    if not outdir.is_dir():
        click.echo(f"octa review: error: {outdir}: no such directory", err=True)
        sys.exit(2)
    index = write_review(outdir)
    click.echo(f"wrote {index}", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(index.resolve().as_uri())
