"""``psikg graphs``: the named graphs with their provenance; ``graphs drop`` removes one."""

from __future__ import annotations

import json
from typing import Any

import click

from graph.settings import Settings
from graph.sources import GraphInfo
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors


def graph_record(info: GraphInfo) -> dict[str, Any]:
    """A graph and its provenance as plain data (the JSON output)."""
    record: dict[str, Any] = {"graph": info.iri, "triples": info.triples}
    if info.provenance:
        record.update(origin=info.provenance.origin, format=info.provenance.format_iri,
                      sha256=info.provenance.checksum,
                      loaded=info.provenance.loaded_at.isoformat())
    if info.validation:
        record["validation"] = {"conforms": info.validation.conforms,
                                "violations": info.validation.violations,
                                "warnings": info.validation.warnings,
                                "validated": info.validation.validated_at.isoformat()}
    return record


def graph_line(info: GraphInfo) -> str:
    """A graph and its provenance on one line (the text output)."""
    line = f"{info.iri}  {info.triples} triples"
    if info.provenance:
        line += f"  from {info.provenance.origin}  at {info.provenance.loaded_at.isoformat()}"
    if info.validation:
        state = "conforms" if info.validation.conforms else "does not conform"
        line += (f"  {state} ({info.validation.violations} violations, "
                 f"{info.validation.warnings} warnings)")
    return line


@click.group(invoke_without_command=True)
@click.option("--format", "format_name", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_context
@reports_errors
def graphs(ctx: click.Context, format_name: str) -> None:
    """List the named graphs with their provenance and last validation."""
    if ctx.invoked_subcommand is not None:
        return
    settings = ctx.find_object(Settings)
    if settings is None:
        raise click.UsageError("psikg graphs runs under the psikg command")
    with open_store(settings) as store:
        infos = store.graphs()
    if format_name == "json":
        click.echo(json.dumps([graph_record(info) for info in infos], indent=2))
        return
    for info in infos:
        click.echo(graph_line(info))


@graphs.command()
@click.argument("iri")
@pass_settings
@reports_errors
def drop(settings: Settings, iri: str) -> None:
    """Remove the graph IRI and its provenance."""
    with open_store(settings) as store:
        store.drop_graph(iri)
    click.echo(f"dropped <{iri}>")
