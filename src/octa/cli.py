"""The ``octa`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from octa import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="octa")
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
