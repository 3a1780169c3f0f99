"""``psikg serve``: the SPARQL endpoint under a production WSGI server, in front of the query
engine; ``psikg serve --get /path`` sends one request through the app without a server."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import click

from graph.settings import Settings
from psikg.context import pass_settings
from psikg.context import reports_errors


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
@click.option("--access-log", metavar="FILE",
              help="Write one JSON line per request to FILE, or to standard error with '-'. "
              "Default: none.")
@click.option("--wsgi-server", type=click.Choice(["granian", "gunicorn"]),
              help="Production WSGI server. Default: granian.")
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
    """Serve the SPARQL endpoint, Graph Store and pages of the store over HTTP."""
    from graph.settings import resolve

    given = {"store": settings.store, "base_iri": serve_base_iri or settings.base_iri,
             **options}
    served = resolve(given, Path(config_file) if config_file else None)
    if get_path is not None:
        raise SystemExit(_get(served, get_path))
    from endpoint.server import serve as run

    raise SystemExit(run(served))


def _get(settings: Settings, path: str) -> int:
    """One request through the app, with the engine started for it; 0 if it answered 200."""
    from endpoint.app import create_app
    from graph.engine.process import EngineProcess
    from graph.engine.process import prepare_store

    prepare_store(settings.store, settings.base_iri)
    engine = EngineProcess(settings.store)
    engine.start()
    try:
        app = create_app(dataclasses.replace(settings, engine_url=engine.url))
        response = app.test_client().get(path)
        sys.stdout.buffer.write(response.get_data())
        sys.stdout.flush()
        if response.status_code != 200:
            click.echo(f"psikg serve --get {path}: HTTP {response.status_code}", err=True)
            return 1
        return 0
    finally:
        engine.stop()
