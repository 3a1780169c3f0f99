"""``psikg load``: RDF files into named graphs, each replacing its previous version."""

from __future__ import annotations

from pathlib import Path

import click

from graph.formats import RDF_FORMATS
from psikg.context import Config
from psikg.context import pass_config
from psikg.context import reports_errors


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", metavar="IRI", help="Load into this graph (one file only). "
              "Default: {base}graph/{file name}; TriG, N-Quads and JSON-LD keep their own "
              "graph names.")
@click.option("--format", "format_name", type=click.Choice(list(RDF_FORMATS)),
              help="Format of the files. Default: guessed from each extension.")
@pass_config
@reports_errors
def load(config: Config, files: tuple[Path, ...], graph: str | None,
         format_name: str | None) -> None:
    """Load RDF files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD).

    Each file replaces the graphs it loaded last time, and all files are
    loaded together or not at all: a file that does not parse leaves the
    store as it was. Provenance (origin, checksum, format, time, triples) goes
    to the metadata graph.
    """
    with config.open_store() as store:
        results = store.load_files(list(files), graph=graph, format_name=format_name)
    for path, result in zip(files, results, strict=True):
        for name, triples in result.graphs.items():
            click.echo(f"{path}: {triples} triples into <{name}>")
