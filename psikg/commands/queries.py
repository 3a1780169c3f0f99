"""``psikg queries``: list the canned queries of ``queries/``, or run one.

``psikg queries`` lists them; ``psikg queries NAME --param year=2023 --format csv`` runs one
against the store and writes the page of results to standard output (or ``--output``).
The table shows what the web page shows: IRIs by their labels (with their short names),
numbers as ``--lang`` writes them. The files are the web's downloads, byte for byte
(:func:`graph.canned.downloads.download`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from graph.canned.display import Shown
from graph.canned.display import shown
from graph.canned.downloads import DOWNLOADS
from graph.canned.downloads import download
from graph.canned.downloads import plain
from graph.canned.library import load_library
from graph.canned.model import CannedQuery
from graph.canned.params import pick
from graph.canned.run import Cell
from graph.canned.run import Result
from graph.canned.run import StoreExecutor
from graph.canned.run import result_summary
from graph.canned.run import run
from graph.errors import NotFoundError
from graph.errors import UsageError
from graph.labels import labels
from graph.labels import short_name
from graph.languages import fallback_order
from graph.settings import QUERIES_DIR
from graph.settings import Settings
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors

FORMATS = ("table", *sorted(DOWNLOADS))


def parse_params(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    """``("year=2023", "year=2024")`` as ``{"year": ["2023", "2024"]}``.

    :raises UsageError: if a pair has no ``=``.
    """
    values: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--param takes NAME=VALUE, not {pair!r}", type="invalid-parameter",
                             value=pair, expected="NAME=VALUE, e.g. year=2023")
        values.setdefault(name.strip(), []).append(value)
    return values


@click.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value; repeat it for several values of a list parameter.")
@click.option("--format", "format_name", type=click.Choice(FORMATS), default="table",
              show_default=True, help="Output format (csv-semicolon: ';' for Excel).")
@click.option("--page", type=int, help="Page number, from 1 (paged queries).")
@click.option("--page-size", type=int, help="Rows per page (paged queries).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--lang", type=click.Choice(["fr", "nl", "en", "de"]), default="en",
              show_default=True,
              help="Language of titles, labels and numbers in the table (and of the "
                   "titles and names in xlsx).")
@click.option("--plain", "force_plain", is_flag=True,
              help="Run the plain SPARQL even if precomputed aggregates are up to date.")
@click.option("--queries-dir", type=click.Path(file_okay=False, path_type=Path),
              default=QUERIES_DIR, show_default=False, help="Folder of .rq files.")
@pass_settings
@reports_errors
def queries(settings: Settings, name: str | None, params: tuple[str, ...], format_name: str,
            page: int | None, page_size: int | None, output: Path | None, lang: str,
            force_plain: bool, queries_dir: Path) -> None:
    """List the canned queries, or run the one called NAME.

    The table shows what the web page shows: each IRI by its label, its short name in
    brackets, and numbers as --lang writes them. The files (--format) are the web page's
    downloads; xlsx adds a column of names beside each column of IRIs.

    Exit codes: 0 success, 1 a bad query file or data failure, 2 a bad parameter value.
    """
    library = load_library(queries_dir)
    if name is None:
        _list(library, lang)
        return
    query = library.get(name)
    if query is None:
        raise NotFoundError(f"no canned query {name!r}", type="unknown-query", value=name,
                            expected="one of " + ", ".join(library))
    with open_store(settings) as store:
        executor = StoreExecutor(store)
        result = run(query, executor, parse_params(params), page, page_size,
                     force_plain=force_plain)
        # the languages a download of the web page in --lang would use (no Accept-Language)
        order = fallback_order(lang)
        found = (labels(executor, result.rows, order) if format_name == "table"
                 else labels(executor, result.rows, order, most=None)
                 if format_name == "xlsx" else {})
    if format_name == "table":
        _table(query, result, found, settings.base_iri, lang)
        summary = result_summary(result)
        for note in summary["notes"]:
            click.echo(f"note: {note}", err=True)
        if result.has_next:
            click.echo(f"page {result.page}; more with --page {result.page + 1}", err=True)
        return
    data = download(result, format_name, lang, found)
    if output is not None:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _list(library: dict[str, CannedQuery], lang: str) -> None:
    for query in library.values():
        click.echo(f"{query.name}\t{pick(query.title, lang)}")
        for parameter in query.parameters:
            flags = [parameter.type + ("[]" if parameter.is_list else "")]
            if parameter.required:
                flags.append("required")
            if parameter.default:
                flags.append("default " + ",".join(parameter.default))
            click.echo(f"    --param {parameter.name}=…  ({'; '.join(flags)})")


def _table(query: CannedQuery, result: Result, found: dict[str, str], base_iri: str,
           lang: str) -> None:
    """The page as a table to read: an IRI as its label with its short name beside it,
    numbers written as ``lang`` writes them (as the web page shows them)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    cells = [[_cell(cell, query.kinds.get(variable), found, base_iri, lang)
              for variable, cell in zip(result.variables, row, strict=True)]
             for row in result.rows]
    table = Table(title=pick(query.title, lang))
    for at, variable in enumerate(result.variables):
        numeric = any(row[at] for row in cells) and all(
            row[at].numeric or not row[at].text for row in cells)
        table.add_column(query.column_title(variable, lang),
                         justify="right" if numeric else "left")
    for row in cells:
        table.add_row(*(escape(cell.text) for cell in row))
    Console(width=200).print(table)


def _cell(cell: Cell, kind: str | None, found: dict[str, str], base_iri: str,
          lang: str) -> Shown:
    if isinstance(cell, ox.NamedNode):
        name = short_name(cell.value, base_iri)
        label = found.get(cell.value)
        return Shown(f"{label} ({name})" if label else name)
    if isinstance(cell, ox.Literal):
        return shown(cell.value, None if cell.language else cell.datatype.value, kind, lang)
    return Shown(plain(cell))
