"""The Flask app factory: :func:`create_app` builds one app from a :class:`Settings`.

Each area is one blueprint with its routes at the top of its module; :data:`BLUEPRINTS`
lists them in the order they are registered, and ``psikg routes`` prints the result.
The UI, linked-data pages and ``/void`` add their blueprints to this list.
"""

from __future__ import annotations

import importlib
import logging

from flask import Flask
from flask import Response

from endpoint import cors
from endpoint import errors
from endpoint import warning_header
from endpoint.state import DocumentFetcher
from endpoint.state import EndpointState
from graph.engine.client import EngineClient
from graph.engine.loads import LoadsInFlight
from graph.engine.pause import PauseGate
from graph.engine.process import pid_file as engine_pid_file
from graph.settings import Settings
from graph.words import count_noun

BLUEPRINTS = (
    "endpoint.sparql:blueprint",
    "endpoint.graph_store:blueprint",
    "endpoint.loads:blueprint",
    "endpoint.health:blueprint",
    "endpoint.catalog:blueprint",
    "endpoint.compliance:blueprint",
    "endpoint.ui:blueprint",
    "endpoint.resources:blueprint",
    "endpoint.void:blueprint",
    "endpoint.queries:blueprint",
    "endpoint.openapi:blueprint",
    "endpoint.admin:blueprint",
    "endpoint.validate:blueprint",
    "endpoint.metrics:blueprint",
    "endpoint.backups:blueprint",
)
"""``module:attribute`` of every blueprint, imported when an app is created."""


def create_app(settings: Settings, engine: EngineClient | None = None,
               fetch_document: DocumentFetcher | None = None) -> Flask:
    """The endpoint as a WSGI app.

    :param settings: how to run; nothing is read from the environment here.
    :param engine: the client of the query engine; one for ``settings.engine_url`` if
        ``None``.
    :param fetch_document: how ``/validate`` fetches a URL (``EndpointState.fetch_document``);
        ``None``: it fetches none.
    :raises UsageError: if the update token file cannot be read.
    """
    app = Flask("endpoint")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.add_template_global(count_noun)  # "1 violation", "2 violations" in the page's language
    pid_file = engine_pid_file(settings.run_dir) if settings.run_dir else None
    loads = LoadsInFlight(settings.run_dir / "loads") if settings.run_dir else None
    if engine is not None and engine.loads is None:
        engine.loads = loads
    if engine is None and settings.remote_engine:
        from endpoint import remote_engine

        engine = remote_engine.RemoteEngine(settings)
        remote_engine.install(app)
    app.extensions["psikg"] = EndpointState(
        settings=settings,
        engine=engine or EngineClient(settings.engine_url, pid_file, loads,
                                      PauseGate(settings.run_dir) if settings.run_dir else None),
        update_token=settings.read_update_token(),
        loads=loads,
        fetch_document=fetch_document,
    )
    errors.install(app)
    warning_header.install(app)
    cors.install(app, settings.cors_origins)
    for target in BLUEPRINTS:
        module, attribute = target.split(":")
        app.register_blueprint(getattr(importlib.import_module(module), attribute))
    app.after_request(_no_sniff)
    _observe(app)
    logging.getLogger("endpoint").setLevel(logging.INFO)
    return app


def _observe(app: Flask) -> None:
    """Count every request for ``/metrics`` and write it to the access log, if any."""
    from endpoint import metrics
    from endpoint import observe
    from endpoint.access_log import AccessLog

    current: EndpointState = app.extensions["psikg"]
    listeners: list[observe.Listener] = [metrics.install(app, current)]
    if current.settings.access_log:
        listeners.append(AccessLog(current.settings.access_log))
    observe.install(app, listeners)


def _no_sniff(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
