"""``psikg quality``: MQA and decree scores per dataset, publisher and source, stored as DQV."""

from __future__ import annotations

import click

from graph.quality import aggregate
from graph.quality import band
from graph.settings import Settings
from loaders.harvest.quality import score_and_store
from loaders.harvest.quality import url_checker
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors


@click.command()
@click.option("--graph", "graphs", multiple=True, metavar="IRI",
              help="Score this graph (repeatable). Default: every harvested graph.")
@click.option("--decree/--no-decree", default=True, show_default=True,
              help="Also validate against the decree shapes for the decree score.")
@click.option("--check-urls", is_flag=True,
              help="Fetch access and download URLs (same safety rules as harvesting).")
@click.option("--datasets", is_flag=True, help="Print one line per dataset too.")
@pass_settings
@reports_errors
def quality(settings: Settings, graphs: tuple[str, ...], decree: bool, check_urls: bool,
            datasets: bool) -> None:
    """Score metadata with data.europa.eu's MQA (405 points) and the decree's shapes.

    The scores are stored as DQV measurements in {graph}/quality and printed
    per source and per publisher (mean points and band).
    """
    with open_store(settings) as store:
        chosen = list(graphs) or [g.iri for g in store.graphs()
                                  if g.iri.startswith(f"{store.base_iri}graph/harvest/")
                                  and g.iri.rsplit("/", 1)[-1] not in
                                  {"report", "last-failure", "quality"}]
        reachable = url_checker() if check_urls else None
        for graph in chosen:
            scores = score_and_store(store, graph, decree=decree, reachable=reachable)
            if not scores:
                continue
            mean = sum(s.total for s in scores) / len(scores)
            line = f"{graph}: {len(scores)} datasets, MQA mean {mean:.1f} ({band(mean)})"
            if decree:
                line += f", decree {sum(s.decree or 0 for s in scores) / len(scores):.0%}"
            click.echo(line)
            for publisher, points in aggregate(scores, lambda s: s.publisher).items():
                click.echo(f"  {points:>6.1f}  {band(points):<10}  {publisher}")
            if datasets:
                for s in scores:
                    decree_text = f"  decree {s.decree:.0%}" if s.decree is not None else ""
                    click.echo(f"    {s.total:>6.1f}  {s.band:<10}  {s.dataset}{decree_text}")
