"""``psikg demo``: the sample platform and registries loaded, validated, summed up and served.

The registries go through the same strict loader as ``psikg load``; the
inventory keeps a few rows that break the decree's shapes on purpose, so it
is loaded with ``skip``: the demo shows them refused, row by row, and goes on.
Then, unless ``--no-serve``, the store is served as ``psikg serve`` serves it
(the store is closed first: the endpoint's engine must be its only holder).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

from graph.settings import EXAMPLES_DIR
from graph.settings import Settings
from graph.stats import store_stats
from graph.store import Store
from graph.validation.graphs import validate_graph
from psikg.context import open_embedded
from psikg.context import pass_settings
from psikg.context import reports_errors

REGISTRIES: list[tuple[str, str, str]] = [
    ("subsidies.xlsx", "subsidies-metadata.json", "refuse"),
    ("contracts.csv", "contracts-metadata.json", "refuse"),
    ("inventory-cp1252.csv", "inventory-metadata.json", "skip"),
    ("exclusive-arrangements.csv", "exclusive-arrangements-metadata.json", "refuse"),
    ("charges.csv", "charges-metadata.json", "refuse"),
]
"""(table, metadata, on-error) of each sample registry, in examples/."""


@click.command()
@click.option("--no-serve", is_flag=True,
              help="Stop after loading and validating instead of serving the store.")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDR",
              help="Address the demo endpoint listens on.")
@click.option("--port", default=8000, show_default=True, type=int, metavar="N",
              help="Port the demo endpoint listens on.")
@pass_settings
@reports_errors
def demo(settings: Settings, no_serve: bool, host: str, port: int) -> None:
    """Load the sample platform and registries of examples/, validate them, print statistics,
    then serve the store (SPARQL, pages, canned queries, catalog) until Ctrl-C.

    Exits 1 if a sample does not load or the platform does not conform; the
    inventory's deliberately broken rows are reported and skipped.
    """
    from loaders.anonymise import load_key

    key = load_key(os.environ)
    if key is None:
        click.echo("No PSIKG_PSEUDONYM_KEY: the demo pseudonymises with a one-off random key, "
                   "so pseudonyms change from one demo to the next.")
        key = secrets.token_hex(32).encode()
    failed = False
    with open_embedded(settings) as store:
        for result in store.load_files(sorted(EXAMPLES_DIR.glob("*.ttl"))):
            for name, triples in result.graphs.items():
                report = validate_graph(store, name)
                state = "conforms" if report.conforms else "does NOT conform"
                click.echo(f"{name}: {triples} triples, {state} "
                           f"({len(report.violations)} violations, {len(report.warnings)} "
                           "warnings)")
                failed = failed or not report.conforms
        for table, metadata, on_error in REGISTRIES:
            _load_registry(store, EXAMPLES_DIR / table, EXAMPLES_DIR / metadata, on_error, key)
        figures = store_stats(store)
    click.echo(f"\nstore {settings.store}: {figures.triples} triples in "
               f"{len(figures.graphs)} graphs")
    for name, count in figures.classes.items():
        click.echo(f"  {count:>8}  {name}")
    if failed:
        raise SystemExit(1)
    if not no_serve:
        raise SystemExit(_serve(settings, host, port))


def _serve(settings: Settings, host: str, port: int) -> int:
    """Serve the demo store with the endpoint's defaults; the exit status of the server."""
    from endpoint.server import serve
    from graph.settings import resolve

    served = resolve({"store": settings.store, "base_iri": settings.base_iri,
                      "host": host, "port": port}, None)
    click.echo(f"\nserving the demo store at http://{host}:{port}/ (Ctrl-C stops it)")
    return serve(served)


def _load_registry(store: Store, table: Path, metadata: Path, on_error: str,
                   key: bytes) -> None:
    from loaders.registry import load_table

    result = load_table(store, table, metadata, on_error="skip" if on_error == "skip"
                        else "refuse", key=key)
    line = (f"{result.graph}: {result.rows_loaded} rows, {result.triples} triples, conforms "
            "to the decree shapes")
    if result.rows_rejected:
        line += f" after skipping {result.rows_rejected} row(s) that do not:"
    click.echo(line)
    for problem in result.problems:
        click.echo(f"    {problem.place}: {problem.message}")
