"""``psikg stats``: triples per graph and instances per class."""

from __future__ import annotations

import json

import click

from graph.settings import Settings
from graph.stats import store_stats
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors


@click.command()
@click.option("--format", "format_name", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_settings
@reports_errors
def stats(settings: Settings, format_name: str) -> None:
    """Print triples per named graph and instances per class."""
    with open_store(settings) as store:
        figures = store_stats(store)
    if format_name == "json":
        click.echo(json.dumps({"triples": figures.triples, "graphs": figures.graphs,
                               "classes": figures.classes}, indent=2))
        return
    click.echo(f"{figures.triples} triples in {len(figures.graphs)} graphs")
    for name, count in figures.graphs.items():
        click.echo(f"  {count:>10}  {name}")
    click.echo("instances per class")
    for name, count in figures.classes.items():
        click.echo(f"  {count:>10}  {name}")
