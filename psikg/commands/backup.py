"""``psikg backup`` and ``psikg restore``: a consistent snapshot of the store, also while
``psikg serve`` runs, and a store made from one (``graph/backup.py``)."""

from __future__ import annotations

from pathlib import Path

import click

from graph.engine.serving import announced
from graph.errors import UsageError
from graph.settings import Settings
from graph.store import Store
from psikg.commands.graphs import graph_line
from psikg.context import pass_settings
from psikg.context import reports_errors
from psikg.context import served_store


@click.command()
@click.argument("destination", metavar="DIR",
                type=click.Path(file_okay=False, path_type=Path))
@pass_settings
@reports_errors
def backup(settings: Settings, /, destination: Path) -> None:
    """Back the store up into DIR, a new or empty folder.

    DIR gets Oxigraph's checkpoint of the store (hard links to its files when on the same
    file system), the metadata graph (the provenance of every graph) in metadata.nq, and
    psikg-backup.json (psikg's version, counts, checksums), which `psikg restore` checks.

    While `psikg serve` holds the store, the backup goes through it (with the update
    token, --token-file): it pauses the query engine for the checkpoint, usually well
    under a second, and DIR is a folder on the server's machine.
    """
    from graph import backup as backups

    server = served_store(settings)
    if server is not None:
        with server:
            answer = server.backup(destination.absolute())
        click.echo(f"backed up into {answer['destination']}: {answer['summary']} "
                   f"(engine paused {answer['paused_s']:g} s)")
        return
    if settings.engine_url:
        from graph.remote.dialects import dialect_for

        advice = dialect_for(settings.engine_kind).backup_advice
        raise UsageError(f"psikg cannot back up the store of the {settings.engine_kind} "
                         f"engine at {settings.engine_url}: use {advice}",
                         type="not-offered-by-engine")
    if not (settings.store / "CURRENT").is_file():
        raise UsageError("there is no store here to back up (give --store)",
                         type="store-missing", file=str(settings.store))
    backups.checkpoint(settings.store, destination)
    manifest = backups.describe(destination, settings.store, settings.base_iri)
    click.echo(f"backed up into {destination}: {manifest.summary()}")


@click.command()
@click.argument("source", metavar="DIR",
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace the store if it holds anything. Default: refuse.")
@pass_settings
@reports_errors
def restore(settings: Settings, /, source: Path, replace: bool) -> None:
    """Make the store (--store) from the backup in DIR that `psikg backup` wrote.

    The backup is checked first: its manifest, its quad count, its metadata graph. A
    store that `psikg serve` holds is never replaced (stop it first); one that holds
    anything only with --replace. What a load in flight at backup time had written is
    removed, so every graph is as it was before that load or after it. It prints what it
    restored: the backup's origin, time and psikg version, then each graph with its
    provenance, as `psikg graphs` lists them.
    """
    from graph import backup as backups

    holder = announced(settings.store)
    if settings.server or holder is not None:
        where = settings.server or (holder.url if holder else "")
        raise UsageError(f"the store is served by `psikg serve` at {where}: "
                         "stop it before restoring, then start it again",
                         type="store-served", file=str(settings.store))
    restored = backups.restore(source, settings.store, replace=replace)
    click.echo(restored.summary())
    with Store(settings.store, restored.manifest.base_iri) as store:
        for info in store.graphs():
            click.echo(f"  {graph_line(info)}")
    if restored.manifest.base_iri.rstrip("/#") != settings.base_iri.rstrip("/#"):
        click.echo(f"note: the backup's base IRI is {restored.manifest.base_iri}; "
                   f"use --base-iri {restored.manifest.base_iri} with this store", err=True)
