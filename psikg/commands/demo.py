"""``psikg demo``: the sample data loaded, validated and summed up, in one command."""

from __future__ import annotations

import click

from graph.settings import EXAMPLES_DIR
from graph.stats import store_stats
from graph.store_validation import validate_graph
from psikg.context import Config
from psikg.context import pass_config
from psikg.context import reports_errors


@click.command()
@click.option("--no-serve", is_flag=True,
              help="Stop after loading and validating (serving arrives with `psikg serve`).")
@pass_config
@reports_errors
def demo(config: Config, no_serve: bool) -> None:
    """Load the sample data of examples/, validate each graph and print the statistics.

    Exits 1 if a sample graph does not conform: the samples are meant to pass.
    """
    samples = sorted(EXAMPLES_DIR.glob("*.ttl"))
    failed = False
    with config.open_store() as store:
        for result in store.load_files(samples):
            for name, triples in result.graphs.items():
                report = validate_graph(store, name)
                state = "conforms" if report.conforms else "does NOT conform"
                click.echo(f"{name}: {triples} triples, {state} "
                           f"({len(report.violations)} violations, {len(report.warnings)} "
                           "warnings)")
                failed = failed or not report.conforms
        figures = store_stats(store)
    click.echo(f"\nstore {config.store_path}: {figures.triples} triples in "
               f"{len(figures.graphs)} graphs")
    for name, count in figures.classes.items():
        click.echo(f"  {count:>8}  {name}")
    if not no_serve:
        click.echo("\n`psikg serve` is not built yet: the store is ready for `psikg query`.")
    if failed:
        raise SystemExit(1)
