"""``psikg export``: the store, or one graph, as RDF."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.formats import NQUADS
from graph.formats import TRIG
from graph.formats import TURTLE
from graph.formats import names
from graph.formats import rdf_format
from graph.namespaces import PREFIXES
from graph.settings import Settings
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors


@click.command()
@click.option("--graph", metavar="IRI", help="Export this graph only. Default: every graph.")
@click.option("--format", "format_name", type=click.Choice(names((NQUADS, TRIG, TURTLE))),
              default="nquads", show_default=True,
              help="Output format; turtle needs --graph.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file. Default: standard output.")
@pass_settings
@reports_errors
def export(settings: Settings, graph: str | None, format_name: str, output: Path | None) -> None:
    """Write the store's graphs (with their names) or one graph as RDF."""
    fmt = rdf_format(format_name)
    with open_store(settings) as store:
        if output is None:
            store.dump(sys.stdout.buffer, fmt, graph, PREFIXES)
            return
        with output.open("wb") as stream:
            store.dump(stream, fmt, graph, PREFIXES)
