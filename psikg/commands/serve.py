"""``psikg serve``: the SPARQL endpoint under a production WSGI server, in front of the query
engine; ``psikg serve --get /path`` sends one request through the app without a server."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import click

from graph.errors import UsageError
from graph.settings import Settings
from psikg.context import pass_settings
from psikg.context import reports_errors

if TYPE_CHECKING:
    from flask import Flask

    from endpoint.scheduler import Job
    from endpoint.watched_folder import WatchedFolder


@click.command()
@click.option("--host", metavar="ADDR", help="Address to listen on. Default: 127.0.0.1.")
@click.option("--port", type=int, metavar="N", help="Port to listen on. Default: 8000.")
@click.option("--workers", type=int, metavar="N", help="WSGI worker processes. Default: 2.")
@click.option("--threads", type=int, metavar="N", help="Threads per worker. Default: 8.")
@click.option("--update-token-file", type=click.Path(dir_okay=False), metavar="FILE",
              help="File holding the bearer token for SPARQL Update and Graph Store writes. "
              "Without it, writes are refused.")
@click.option("--timeout-s", type=float, metavar="S",
              help="Stop a query after S seconds and answer 503. Default: 30.")
@click.option("--max-body-mb", type=float, metavar="MB",
              help="Largest request body accepted (413 beyond). Default: 16.")
@click.option("--max-rows", type=int, metavar="N",
              help="Most rows a SELECT returns, said in a header and the body when reached; "
              "0 for no limit (results then stream as read). Default: 100000.")
@click.option("--base-iri", "serve_base_iri", metavar="IRI",
              help="Base of the IRIs served at /id/. Default: the global --base-iri.")
@click.option("--public-url", metavar="URL",
              help="The endpoint's URL as clients see it. Default: http://HOST:PORT.")
@click.option("--cors", "cors_origins", metavar="ORIGINS",
              help="Comma-separated origins allowed to call from a browser, or '*'. "
              "Default: none (CORS off).")
@click.option("--service-allow", metavar="PREFIXES",
              help="Comma-separated IRI prefixes of the endpoints SERVICE may call and the "
              "documents LOAD may read. Default: none (federation and LOAD off).")
@click.option("--dcat-ap-shapes", type=click.Path(file_okay=False), metavar="DIR",
              help="Folder of SEMIC's DCAT-AP and HVD shapes (`make dcat-ap-shapes`) for the "
              "dcat-ap and hvd profiles of /validate. Default: none (those profiles off).")
@click.option("--validate-max-mb", type=float, metavar="MB",
              help="Largest document /validate reads (413 beyond). Default: 10.")
@click.option("--validate-timeout-s", type=float, metavar="S",
              help="Stop a validation after S seconds and answer 503. Default: 60.")
@click.option("--access-log", metavar="FILE",
              help="Write one JSON line per request to FILE, or to standard error with '-'. "
              "Default: none.")
@click.option("--wsgi-server", type=click.Choice(["granian", "gunicorn"]),
              help="Production WSGI server. Default: granian.")
@click.option("--schedule", type=click.Path(dir_okay=False, exists=True), metavar="HARVEST.toml",
              help="Harvest the enabled sources of this file that have `every` or `cron` on "
              "their schedules, each run a `psikg harvest` child through this server (needs "
              "--update-token-file); runs are shown at /admin. Default: nothing scheduled.")
@click.option("--watch", type=click.Path(file_okay=False, exists=True), metavar="DIR",
              help="Load the registers (CSV, TSV, XLSX, XLS, ODS) of this folder, and reload "
              "one when it or its {stem}-metadata.json changes, each a `psikg load` child "
              "through this server (needs --update-token-file); runs are shown at /admin.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              metavar="FILE.toml", help="Settings file; options override it, and PSIKG_* "
              "environment variables override both.")
@click.option("--get", "get_path", metavar="PATH",
              help="Send one GET request through the app without a server, print the body, "
              "and exit 1 unless the status is 200.")
@pass_settings
@reports_errors
def serve(settings: Settings, /, serve_base_iri: str | None, config_file: str | None,
          get_path: str | None, **options: Any) -> None:
    """Serve the SPARQL endpoint, Graph Store and pages of the store over HTTP (in front
    of the engine --engine-url names, if any: docs/engines.md)."""
    from graph.settings import resolve

    given = {"store": settings.store, "base_iri": serve_base_iri or settings.base_iri,
             **options, **_engine(settings)}
    served = resolve(given, Path(config_file) if config_file else None)
    if served.remote_engine:
        from endpoint.remote_engine import limits

        click.echo(limits(served), err=True)
    if get_path is not None:
        raise SystemExit(_get(served, get_path))
    from endpoint.server import serve as run
    from psikg.wsgi import TARGET

    raise SystemExit(run(served, scheduled_harvests(served), watched_registers(served),
                        TARGET))


def _engine(settings: Settings) -> dict[str, Any]:
    """The engine psikg serves in front of, from the global options, if one is named."""
    if not settings.engine_url:
        return {}
    return {"engine_url": settings.engine_url, "engine_kind": settings.engine_kind,
            "engine_user": settings.engine_user,
            "engine_password_file": settings.engine_password_file, "remote_engine": True}


def scheduled_harvests(settings: Settings) -> list[Job]:
    """The harvests of :attr:`Settings.schedule` as the supervisor's jobs: each enabled
    source with a schedule, run as ``psikg harvest --source NAME`` through this server.

    :raises UsageError: if the file is wrong, or no update token lets the runs write.
    """
    if settings.schedule is None:
        return []
    from endpoint.scheduler import Job
    from loaders.harvest.config import read_config

    config = settings.schedule.resolve()
    sources = [s for s in read_config(config).sources if s.enabled and s.schedule]
    if not sources:
        click.echo(f"{config}: no enabled source has `every` or `cron`; nothing is "
                   "scheduled", err=True)
        return []
    base = (*_through_server(settings, "scheduled harvests", str(config)),
            "harvest", "--config", str(config), "--source")
    return [Job("harvest", source.name, source.schedule, (*base, source.name),
                source.timeout_s) for source in sources if source.schedule]


def watched_registers(settings: Settings) -> list[WatchedFolder]:
    """The folder of :attr:`Settings.watch`, its registers each loaded through this server
    by ``psikg load FILE`` when it or its CSVW metadata changes."""
    if settings.watch is None:
        return []
    from endpoint.watched_folder import WatchedFolder
    from graph.formats import TABLE_FORMATS

    folder = settings.watch.resolve()
    command = (*_through_server(settings, "loads of a watched folder", str(folder)), "load")
    suffixes = tuple(f".{ext}" for table in TABLE_FORMATS
                     for ext in (table.extension, *table.extensions))
    return [WatchedFolder("load", folder, suffixes, command, ("{stem}-metadata.json",))]


def _through_server(settings: Settings, what: str, where: str) -> tuple[str, ...]:
    """``python -m psikg`` working through this server with its update token.

    :raises UsageError: if the server has no update token (nothing could be written).
    """
    if settings.update_token_file is None:
        raise UsageError(f"{what} write through the server: give --update-token-file too",
                         type="usage", file=where)
    return (sys.executable, "-m", "psikg", "--store", str(settings.store.resolve()),
            "--base-iri", settings.base_iri, "--server", settings.local_url,
            "--token-file", str(settings.update_token_file.resolve()))


def _get(settings: Settings, path: str) -> int:
    """One request through the app, with the engine started for it; 0 if it answered 200."""
    from graph.engine.process import EngineProcess
    from graph.engine.process import prepare_store
    from psikg.wsgi import build_app

    if settings.remote_engine:
        return _answer(build_app(settings), path)
    prepare_store(settings.store, settings.base_iri)
    engine = EngineProcess(settings.store)
    engine.start()
    try:
        return _answer(build_app(dataclasses.replace(settings, engine_url=engine.url)), path)
    finally:
        engine.stop()


def _answer(app: Flask, path: str) -> int:
    """Print the app's answer to ``GET path``; 0 if it is 200."""
    response = app.test_client().get(path)
    sys.stdout.buffer.write(response.get_data())
    sys.stdout.flush()
    if response.status_code != 200:
        click.echo(f"psikg serve --get {path}: HTTP {response.status_code}", err=True)
        return 1
    return 0
