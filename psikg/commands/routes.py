"""``psikg routes``: every URL the endpoint answers, with its methods and view."""

from __future__ import annotations

import dataclasses

import click

from graph.settings import Settings
from psikg.context import pass_settings
from psikg.context import reports_errors


@click.command()
@pass_settings
@reports_errors
def routes(settings: Settings) -> None:
    """List the endpoint's routes: path, methods and the view that answers."""
    from endpoint.app import create_app

    app = create_app(dataclasses.replace(settings, engine_url="http://127.0.0.1:9"))
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))
    for rule in rules:
        methods = ",".join(sorted((rule.methods or set()) - {"OPTIONS"}))
        click.echo(f"{rule.rule:<32} {methods:<28} {rule.endpoint}")
