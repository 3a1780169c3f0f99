"""``psikg describe``: draft the CSVW metadata of a registry (CSV or spreadsheet).

The command composes; :mod:`loaders.describe` computes. The draft goes to standard output
(or ``--output``) as JSON, the summary of what was found and what needs a decision to
standard error, so ``psikg describe t.xlsx > t-metadata.json`` keeps them apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.settings import Settings
from psikg.context import pass_settings
from psikg.context import reports_errors


@click.command()
@click.argument("table", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--register", metavar="NAME", help="Map the columns to a register model: "
              "subsidies, contracts, inventory, charges, exclusive-arrangements "
              "(docs/registers.md).")
@click.option("--sheet", metavar="NAME", help="Spreadsheets: the sheet to describe. Default: "
              "the one that looks most like the table (or the register).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              metavar="METADATA.json", help="Write the draft to this file instead of "
              "standard output.")
@pass_settings
@reports_errors
def describe(settings: Settings, table: Path, register: str | None, sheet: str | None,
             output: Path | None) -> None:
    """Draft CSVW metadata for TABLE (.csv, .tsv, .xlsx, .xls, .ods).

    Finds the encoding, delimiter, sheet, title rows, header, total and section rows, and
    guesses each column's datatype (Belgian amounts and dates, enterprise numbers, NIS
    codes, years…). With --register, maps the columns it recognises by their French,
    Dutch, German or English titles to the register's model. The draft loads as it is
    (psikg load TABLE --metadata DRAFT); what a person must decide is marked
    "psikg:todo", and psikg load prints each TODO until it is removed.
    """
    from loaders.describe import describe as draft_metadata

    found = draft_metadata(table, base_iri=settings.base_iri, register=register, sheet=sheet)
    text = json.dumps(found.metadata, ensure_ascii=False, indent=2) + "\n"
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    for line in found.summary:
        click.echo(line, err=True)
    if output is not None:
        click.echo(f"wrote {output}", err=True)
