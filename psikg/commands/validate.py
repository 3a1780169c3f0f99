"""``psikg validate``: the decree's SHACL shapes against a graph, the store or a file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.errors import UsageError
from graph.settings import Settings
from graph.validation.graphs import validate_file
from graph.validation.graphs import validate_graph
from graph.validation.graphs import validate_store
from graph.validation.report import ValidationReport
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors


def render(reports: dict[str, ValidationReport], format_name: str, lang: str) -> str:
    """The reports as text (one line per result), Turtle (the SHACL report) or JSON."""
    if format_name == "json":
        return json.dumps({name: report.to_json() for name, report in reports.items()},
                          indent=2, ensure_ascii=False)
    if format_name == "turtle":
        return "\n".join(report.to_turtle() for report in reports.values())
    lines = []
    for name, report in reports.items():
        state = "conforms" if report.conforms else "does not conform"
        lines.append(f"{name}: {state} ({len(report.violations)} violations, "
                     f"{len(report.warnings)} warnings)")
        text = report.to_text(lang)
        if text:
            lines.append(text)
    return "\n".join(lines)


@click.command()
@click.option("--graph", metavar="IRI", help="Validate this graph of the store.")
@click.option("--data", type=click.Path(path_type=Path), metavar="FILE",
              help="Validate an RDF file instead of the store (the store is not opened).")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(path_type=Path),
              metavar="FILE", help="Shapes to use instead of the decree's (repeatable).")
@click.option("--format", "format_name", type=click.Choice(["text", "turtle", "json"]),
              default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the messages in text output.")
@pass_settings
@reports_errors
def validate(settings: Settings, graph: str | None, data: Path | None, shapes: tuple[Path, ...],
             format_name: str, lang: str) -> None:
    """Check data against the decree's SHACL shapes.

    Without --graph or --data, every source graph of the store is validated
    on its own. Store validations are recorded in the metadata graph. Exits 0
    when everything conforms (warnings allowed), 1 when there are violations.
    """
    if graph and data:
        raise UsageError("give --graph or --data, not both", type="conflicting-options")
    shape_files = list(shapes) or None
    if data is not None:
        reports = {str(data): validate_file(data, shape_files)}
    else:
        with open_store(settings) as store:
            if graph:
                reports = {graph: validate_graph(store, graph, shape_files)}
            else:
                reports = validate_store(store, shape_files)
            if not store.writable:
                click.echo("note: the outcome is not recorded in the metadata graph: the "
                           "server's update token was not given (--token-file)", err=True)
    click.echo(render(reports, format_name, lang))
    if not all(report.conforms for report in reports.values()):
        raise SystemExit(1)
