"""``psikg queries``: list the canned queries of ``queries/``, or run one.

``psikg queries`` lists them; ``psikg queries NAME --param year=2023 --format csv`` runs one
against the store and writes the page of results to standard output (or ``--output``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.canned.formats import WRITERS
from graph.canned.formats import plain
from graph.canned.formats import to_csv
from graph.canned.formats import to_xlsx
from graph.canned.library import load_library
from graph.canned.model import CannedQuery
from graph.canned.params import pick
from graph.canned.run import StoreExecutor
from graph.canned.run import result_summary
from graph.canned.run import run
from graph.errors import NotFoundError
from graph.errors import UsageError
from graph.settings import QUERIES_DIR
from psikg.context import Config
from psikg.context import pass_config
from psikg.context import reports_errors

FORMATS = ("table", "csv", "csv-semicolon", "json", "tsv", "xlsx")


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
              show_default=True, help="Language of titles.")
@click.option("--plain", "force_plain", is_flag=True,
              help="Run the plain SPARQL even if precomputed aggregates are up to date.")
@click.option("--queries-dir", type=click.Path(file_okay=False, path_type=Path),
              default=QUERIES_DIR, show_default=False, help="Folder of .rq files.")
@pass_config
@reports_errors
def queries(config: Config, name: str | None, params: tuple[str, ...], format_name: str,
            page: int | None, page_size: int | None, output: Path | None, lang: str,
            force_plain: bool, queries_dir: Path) -> None:
    """List the canned queries, or run the one called NAME.

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
    with config.open_store() as store:
        result = run(query, StoreExecutor(store), parse_params(params), page, page_size,
                     force_plain=force_plain)
    if format_name == "table":
        _table(query, result.variables, [[plain(c) for c in row] for row in result.rows], lang)
        summary = result_summary(result)
        for note in summary["notes"]:
            click.echo(f"note: {note}", err=True)
        if result.has_next:
            click.echo(f"page {result.page}; more with --page {result.page + 1}", err=True)
        return
    if format_name == "csv-semicolon":
        data = to_csv(result, ";")
    elif format_name == "xlsx":
        data = to_xlsx(result, {v: query.column_title(v, lang) for v in result.variables})
    else:
        data = WRITERS[format_name](result)
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


def _table(query: CannedQuery, variables: list[str], rows: list[list[str]], lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=pick(query.title, lang))
    for variable in variables:
        table.add_column(query.column_title(variable, lang))
    for row in rows:
        table.add_row(*row)
    Console(width=200).print(table)
