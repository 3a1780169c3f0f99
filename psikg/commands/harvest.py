"""``psikg harvest``: DCAT-AP catalogs of other portals into their own named graphs."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import click

from graph.errors import UsageError
from graph.formats import FILE_FORMATS
from graph.formats import names
from graph.formats import rdf_format
from graph.quality import DatasetScore
from graph.quality import band
from graph.settings import Settings
from loaders.harvest.config import PAGING
from loaders.harvest.config import HarvestConfig
from loaders.harvest.config import SourceSpec
from loaders.harvest.config import name_for
from loaders.harvest.config import policy_from
from loaders.harvest.config import read_config
from loaders.harvest.quality import score_harvested
from loaders.harvest.report import HarvestReport
from loaders.harvest.run import harvest as harvest_source
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors


@click.command()
@click.argument("source", required=False)
@click.option("--all", "all_sources", is_flag=True,
              help="Harvest every enabled source of the config file.")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              default=Path("harvest.toml"), show_default=True,
              help="The harvest.toml that --all and --source read.")
@click.option("--source", "names", multiple=True, metavar="NAME",
              help="Harvest this source of the config file, enabled or not (repeatable).")
@click.option("--graph", metavar="IRI",
              help="Graph of SOURCE. Default: {base}graph/harvest/{name}.")
@click.option("--name", metavar="NAME", help="Short name of SOURCE. Default: from its URL.")
@click.option("--format", "format_name", type=click.Choice(names(FILE_FORMATS)),
              help="Format of SOURCE. Default: its media type, else its extension.")
@click.option("--paging", type=click.Choice(PAGING), default="hydra", show_default=True,
              help="hydra: follow hydra:next; page: ?page=1,2… until a page has no dataset.")
@click.option("--source-base", metavar="IRI",
              help="Base IRI for the relative IRIs of a local file (where it was published).")
@click.option("--allow-network", "networks", multiple=True, metavar="NET",
              help="Also fetch from this non-public address or network (e.g. 127.0.0.1).")
@click.option("--timeout-s", type=float, help="Seconds to connect and between reads (30).")
@click.option("--max-mb", type=float, help="Largest response in MB (256).")
@click.option("--max-pages", type=int, help="Most pages of one paged catalog (1000).")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.option("--quality/--no-quality", default=True, show_default=True,
              help="Score what was harvested (MQA) and store the scores in {graph}/quality.")
@pass_settings
@reports_errors
def harvest(settings: Settings, source: str | None, all_sources: bool, config_path: Path,
            names: tuple[str, ...], graph: str | None, name: str | None,
            format_name: str | None, paging: str, source_base: str | None,
            networks: tuple[str, ...], timeout_s: float | None, max_mb: float | None,
            max_pages: int | None, as_json: bool, quality: bool) -> None:
    """Harvest DCAT-AP from SOURCE: a file, an http(s) URL, or sparql+https://… endpoint.

    Each source goes into its own graph with its provenance and a report graph
    ({graph}/report): repairs made, problems left as they came. An unchanged
    source (ETag, Last-Modified or checksum) rewrites nothing; a failing one
    keeps its previous graph and its failure goes to {graph}/last-failure.
    Exit 1 if any source failed.
    """
    limits = {k: v for k, v in (("timeout_s", timeout_s), ("max_mb", max_mb),
                                ("max_pages", max_pages)) if v is not None}
    if source and (all_sources or names):
        raise UsageError("give SOURCE, or --all/--source, not both", type="usage")
    if source:
        spec = SourceSpec(name=name or name_for(source), location=source, graph=graph,
                          fmt=rdf_format(format_name) if format_name else None, paging=paging,
                          base_iri=source_base)
        plan = HarvestConfig([spec], policy_from(limits, allow_networks=networks))
    elif all_sources or names:
        loaded = read_config(config_path)
        policy = loaded.policy
        if limits:
            policy = policy_from(limits, allow_networks=policy.allowed_networks)
        policy = replace(policy, allowed_networks=policy.allowed_networks + networks)
        chosen = [s for s in loaded.sources if (s.name in names if names else s.enabled)]
        missing = sorted(set(names) - {s.name for s in loaded.sources})
        if missing:
            raise UsageError(f"no source {missing[0]!r} in {config_path}", type="unknown-source",
                             value=missing[0])
        plan = HarvestConfig(chosen, policy)
        if not chosen:
            click.echo(f"{config_path}: no enabled source (enable one, or name it with --source)")
    else:
        raise UsageError("nothing to harvest: give SOURCE, --all or --source NAME",
                         type="usage")
    reports: list[HarvestReport] = []
    with open_store(settings, load_kind="harvest") as store:
        for spec in plan.sources:
            report = harvest_source(store, spec, plan.policy)
            reports.append(report)
            scores = (score_harvested(store, report)
                      if quality and report.status == "harvested" else [])
            if not as_json:
                for line in report.lines():
                    click.echo(line)
                for line in _quality_lines(scores):
                    click.echo(line)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], indent=2))
    if any(r.status == "failed" for r in reports):
        raise SystemExit(1)


def _quality_lines(scores: list[DatasetScore]) -> list[str]:
    """The mean score and the bands, and why some publishers get no mean of their own."""
    if not scores:
        return []
    mean = sum(s.total for s in scores) / len(scores)
    bands = Counter(s.band for s in scores)
    counts = ", ".join(f"{bands[b]} {b}" for b in ("excellent", "good", "sufficient", "bad"))
    lines = [f"  quality: MQA mean {mean:.1f} of 405 ({band(mean)}); {counts}"]
    unscored = Counter(s.unscored_publisher.split(" (", 1)[0] for s in scores
                       if s.unscored_publisher)
    lines += [f"  quality: {count} datasets scored without a mean for their publisher: it is "
              f"{reason}" for reason, count in sorted(unscored.items())]
    return lines
