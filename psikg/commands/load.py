"""``psikg load``: RDF files, or a registry (CSV, spreadsheet) with its CSVW metadata.

RDF files load as they always have (:meth:`graph.store.Store.load_files`).
A table goes through the strict loader (:func:`loaders.registry.load_table`):
converted, anonymised, validated against the decree's shapes and loaded as
its source's graph, all or nothing unless ``--on-error skip`` or ``blank``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graph.formats import FILE_FORMATS
from graph.formats import names
from graph.settings import Settings
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors

if TYPE_CHECKING:
    from loaders.problems import RowProblem

MAX_PRINTED_PROBLEMS = 50
PROGRESS_AFTER_S = 1.0


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", metavar="IRI", help="Load into this graph (one file only). "
              "Default: {base}graph/{file name}; TriG, N-Quads and JSON-LD keep their own "
              "graph names.")
@click.option("--format", "format_name", type=click.Choice(names(FILE_FORMATS)),
              help="Format of RDF files. Default: guessed from each extension.")
@click.option("--metadata", type=click.Path(path_type=Path, dir_okay=False), metavar="M.json",
              help="CSVW metadata of the table. Default: {stem}-metadata.json beside it.")
@click.option("--on-error", type=click.Choice(["refuse", "skip", "blank"]), default="refuse",
              show_default=True, help="Tables: refuse stores nothing when a row is bad; skip "
              "loads the good rows and reports each bad one; blank is skip, but a row whose "
              "bad cells are all in optional (not required) columns is loaded with those "
              "cells left empty, each reported.")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.csv",
              help="Tables: write each bad row or cell (file, sheet, row, column, value, "
              "expected, outcome: row refused or cell left empty) to this CSV file.")
@click.option("--pseudonym-key-file", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="Tables: the secret key for pseudonyms of personal data. "
              "Default: the PSIKG_PSEUDONYM_KEY environment variable.")
@pass_settings
@reports_errors
def load(settings: Settings, files: tuple[Path, ...], graph: str | None, format_name: str | None,
         metadata: Path | None, on_error: str, report: Path | None,
         pseudonym_key_file: Path | None) -> None:
    """Load RDF files, or one registry table (.csv, .tsv, .xlsx, .xls, .ods).

    RDF files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD) each
    replace the graphs they loaded last time, all of them or none; each graph
    is then validated against the decree's shapes and the outcome recorded
    (psikg graphs, /compliance).

    A table is read with its CSVW metadata, its personal data pseudonymised or
    dropped as the metadata says, validated against the decree's shapes and
    loaded as one graph that replaces its previous version. A bad row (a value
    that does not fit its column, a shape violation) refuses the whole table,
    unless --on-error skip (the other rows load) or blank (rows whose bad
    cells are all optional load too, those cells empty). Provenance (file,
    sheet, checksum, metadata, rows read and rejected, cells left empty, time)
    goes to the metadata graph. Metadata drafted by psikg describe loads as it
    is, and each "psikg:todo" it still holds is printed.
    """
    from loaders.registry import is_table

    tables = [path for path in files if is_table(path)]
    if not tables:
        if metadata is not None:
            raise click.UsageError("--metadata describes a table (.csv, .xlsx…); "
                                   "RDF files need none")
        _load_rdf(settings, files, graph, format_name)
        return
    if len(files) > 1:
        raise click.UsageError("load one table at a time (its metadata is per table); "
                               f"got {len(files)} files")
    _load_table(settings, tables[0], graph, metadata, on_error, report, pseudonym_key_file)


def _load_rdf(settings: Settings, files: tuple[Path, ...], graph: str | None,
              format_name: str | None) -> None:
    from graph.errors import PsikgError
    from graph.validation.graphs import validate_graph

    with open_store(settings) as store:
        results = store.load_files(list(files), graph=graph, format_name=format_name)
        for path, result in zip(files, results, strict=True):
            for name, triples in result.graphs.items():
                click.echo(f"{path}: {triples} triples into <{name}>")
                try:  # the graph is loaded whatever happens: its validation is history
                    validate_graph(store, name, trigger="load")
                except PsikgError as error:
                    click.echo(f"psikg: {path}: warning: the validation of <{name}> was not "
                               f"recorded ({error.one_line()}); psikg validate --graph "
                               f"{name} records it", err=True)


def _load_table(settings: Settings, table: Path, graph: str | None, metadata: Path | None,
                on_error: str, report: Path | None, key_file: Path | None) -> None:
    from loaders.anonymise import load_key
    from loaders.describe.todos import todos_in
    from loaders.problems import CELL_LEFT_EMPTY
    from loaders.problems import write_report
    from loaders.registry import LoadRefused
    from loaders.registry import OnError
    from loaders.registry import find_metadata
    from loaders.registry import load_table

    key = load_key(os.environ, key_file)
    metadata = metadata or find_metadata(table)
    for todo in todos_in(metadata):  # a draft of psikg describe: loads, and says so
        click.echo(f"psikg: {todo}", err=True)
    modes: dict[str, OnError] = {"skip": "skip", "blank": "blank"}
    mode = modes.get(on_error, "refuse")
    with open_store(settings) as store, _progress(table.name) as progress:
        try:
            result = load_table(store, table, metadata, graph=graph,
                                on_error=mode, key=key, progress=progress)
        except LoadRefused as refused:
            problems = refused.problems
            _print_problems(problems)
            if report is not None:
                write_report(report, problems)
            raise
    _print_problems(result.problems)
    for warning in result.warnings:
        click.echo(f"psikg: {table.name}: warning: {warning}", err=True)
    if report is not None:
        write_report(report, result.problems)
    where = f" (sheet {result.sheet!r})" if result.sheet else ""
    click.echo(f"{table}{where}: {result.rows_loaded} rows, {result.triples} triples into "
               f"<{result.graph}>")
    see = f"; report in {report}" if report else "; see the lines above"
    if result.rows_rejected:
        click.echo(f"  {result.rows_rejected} bad row(s) skipped{see}")
    if result.cells_blanked:
        rows = len({p.row for p in result.problems if p.outcome == CELL_LEFT_EMPTY})
        click.echo(f"  {result.cells_blanked} bad cell(s) left empty in {rows} loaded row(s)"
                   f"{see}")
    if result.rows_anonymised:
        click.echo(f"  personal data anonymised in {result.rows_anonymised} row(s)")
    state = "conforms to the decree shapes"
    if result.focus_nodes == 0:
        state += " (no shape applies to it)"
    click.echo(f"  {state}")


def _print_problems(problems: Sequence[RowProblem]) -> None:
    for problem in problems[:MAX_PRINTED_PROBLEMS]:
        click.echo(f"psikg: {problem.one_line()}", err=True)
    if len(problems) > MAX_PRINTED_PROBLEMS:
        click.echo(f"psikg: … and {len(problems) - MAX_PRINTED_PROBLEMS} more (--report FILE "
                   "writes them all)", err=True)


@contextmanager
def _progress(name: str) -> Iterator[Callable[[int], None] | None]:
    """A row counter on standard error, shown once a load has run a second, on a terminal only."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress
    from rich.progress import SpinnerColumn
    from rich.progress import TextColumn
    from rich.progress import TimeElapsedColumn

    started = time.monotonic()
    bar: Progress | None = None
    task = None

    def update(rows: int) -> None:
        nonlocal bar, task
        if bar is None:
            if time.monotonic() - started < PROGRESS_AFTER_S:
                return
            bar = Progress(SpinnerColumn(), TextColumn(f"{name}: {{task.completed:,}} rows"),
                           TimeElapsedColumn(), transient=True)
            bar.start()
            task = bar.add_task("load", total=None)
        assert task is not None
        bar.update(task, completed=rows)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()
