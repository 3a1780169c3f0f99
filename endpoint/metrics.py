"""``/metrics``: the server's counters in the Prometheus text format (``prometheus_client``).

Routes:

- ``GET /metrics``: every metric below, ``text/plain; version=0.0.4``.

What is counted:

- ``psikg_http_requests_total{route, method, status}`` and
  ``psikg_http_request_duration_seconds{route}`` (a histogram, to the last byte sent):
  the route is the Flask rule, never the raw path, so label values stay bounded;
- ``psikg_query_timeouts_total``: queries answered 503 ``query-timeout``;
- ``psikg_loads_total{kind, result}`` (kind ``load`` or ``harvest``, result
  ``committed``, ``aborted``, ``failed``) and ``psikg_load_duration_seconds{kind,
  result}``: loads and harvests through the server (``/loads``), from their start to
  their commit or abort;
- ``psikg_backups_total{result}`` and ``psikg_backup_pause_seconds``: backups through the
  server (``endpoint/backups.py``) and how long the engine was paused for each;
- read when scraped: ``psikg_engine_restarts_total`` (the supervisor restarts the engine
  after a crash or a query killed at its deadline), ``psikg_loads_in_flight``,
  ``psikg_store_triples`` and ``psikg_store_graphs`` (what the metadata graph records, as
  ``/health``).

``psikg serve`` runs several worker processes: each writes its counters to files in the
run folder (``prometheus_client``'s multiprocess mode; the supervisor names the folder in
``PROMETHEUS_MULTIPROC_DIR``) and a scrape adds them up, whichever worker answers. Without
a run folder (tests, ``psikg serve --get``) the counters live in the app.

No token is needed, as for ``/health``: the figures hold no data, no query text and no
path, and the only token psikg has is the update token, which a scraper must not hold
(it would give the monitoring system write access). Fuseki opens its ``/$/metrics`` to
localhost only and Stardog asks for a login (``endpoint/README.md`` weighs both); restrict
``/metrics`` at the reverse proxy if the counts themselves are private.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import current_app
from flask import request
from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Histogram
from prometheus_client import generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from endpoint.observe import Exchange
from endpoint.state import EndpointState
from endpoint.state import state
from graph.atomic_file import replace_file
from graph.engine.client import Deadline
from graph.errors import StoreError
from graph.store import STAGING_PREFIX

blueprint = Blueprint("metrics", __name__)

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
RESTARTS_FILE = "engine-restarts"
LOAD_STARTED = "psikg.load_started"
LOAD_KIND = "psikg.load_kind"
LOAD_KINDS = ("load", "harvest")
"""What ``POST /loads?kind=`` may say (:class:`graph.engine.served_store.ServedStore`)."""
METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"}
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                   60.0, float("inf"))
LOAD_BUCKETS = (0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, float("inf"))


@blueprint.get("/metrics")
def metrics() -> Response:
    """Every metric, summed over the worker processes."""
    current = state()
    registry = CollectorRegistry()
    registry.register(_Scraped(current))
    app_metrics(current_app).collect_into(registry)
    return Response(generate_latest(registry), mimetype="text/plain; version=0.0.4")


class Metrics:
    """The counters of one app, kept in files when ``psikg serve`` runs several workers."""

    def __init__(self, multiprocess_dir: Path | None) -> None:
        self.multiprocess_dir = multiprocess_dir
        self.registry = None if multiprocess_dir else CollectorRegistry()
        registry = self.registry
        self.requests = Counter("psikg_http_requests", "HTTP requests answered, by route "
                                "(the Flask rule), method and status",
                                ["route", "method", "status"], registry=registry)
        self.latency = Histogram("psikg_http_request_duration_seconds", "Time from a "
                                 "request's arrival to its last byte sent, by route",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=registry)
        self.timeouts = Counter("psikg_query_timeouts", "Queries stopped at their deadline "
                                "(answered 503 query-timeout)", registry=registry)
        self.loads = Counter("psikg_loads", "Loads and harvests through the server, by "
                             "kind and result", ["kind", "result"], registry=registry)
        self.load_seconds = Histogram("psikg_load_duration_seconds", "Time from a load's "
                                      "start to its commit or abort", ["kind", "result"],
                                      buckets=LOAD_BUCKETS, registry=registry)
        self.backups = Counter("psikg_backups", "Backups through the server, by result",
                               ["result"], registry=registry)
        self.backup_pause = Histogram("psikg_backup_pause_seconds", "How long a backup "
                                      "paused the query engine", buckets=LOAD_BUCKETS,
                                      registry=registry)

    def collect_into(self, registry: CollectorRegistry) -> None:
        """Add this app's counters (or every worker's) to a registry being scraped."""
        if self.multiprocess_dir is not None:
            from prometheus_client import multiprocess

            multiprocess.MultiProcessCollector(  # type: ignore[no-untyped-call]
                registry, str(self.multiprocess_dir))
        elif self.registry is not None:
            registry.register(_Forward(self.registry))

    def __call__(self, exchange: Exchange) -> None:
        """Count one request (an :mod:`endpoint.observe` listener)."""
        method = exchange.method if exchange.method in METHODS else "other"
        self.requests.labels(exchange.route, method, str(exchange.status)).inc()
        self.latency.labels(exchange.route).observe(exchange.seconds)
        if exchange.error == "query-timeout":
            self.timeouts.inc()
        started = exchange.environ.get(LOAD_STARTED)
        if started is not None:
            result = ("aborted" if exchange.method == "DELETE" else
                      "committed" if exchange.status < 300 else "failed")
            kind = exchange.environ.get(LOAD_KIND, "load")
            self.loads.labels(kind, result).inc()
            self.load_seconds.labels(kind, result).observe(max(0.0, time.time() - started))


def install(app: Flask, current: EndpointState) -> Metrics:
    """Give ``app`` its counters and ``/metrics``; the listener that counts requests."""
    run_dir = current.settings.run_dir
    folder = os.environ.get(MULTIPROCESS_VARIABLE)
    shared = (Path(folder) if folder and run_dir and Path(folder).parent == run_dir
              else None)
    found = Metrics(shared)
    app.extensions["psikg.metrics"] = found
    app.before_request(_note_load_start)
    app.after_request(_note_load_kind)
    return found


def app_metrics(app: Flask) -> Metrics:
    """The counters of ``app``."""
    found: Metrics = app.extensions["psikg.metrics"]
    return found


def multiprocess_folder(run_dir: Path) -> Path:
    """The folder the workers of a ``psikg serve`` keep their counters in (created)."""
    folder = run_dir / "metrics"
    folder.mkdir(exist_ok=True)
    return folder


def count_engine_restart(run_dir: Path) -> None:
    """Add one to the engine restarts of the ``psikg serve`` with this run folder (the
    supervisor, a process of its own, writes it; a scrape reads it)."""
    path = run_dir / RESTARTS_FILE
    replace_file(path, str(_read_count(path) + 1))


def _read_count(path: Path) -> int:
    try:
        return int(path.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return 0


def _note_load_start() -> None:
    """Before a load's commit or abort, when it started (its file goes with it) and its
    kind."""
    if request.endpoint not in ("loads.commit", "loads.abort"):
        return
    loads = state().loads
    run = (request.view_args or {}).get("run", "")
    if loads is None or not run or "/" in run:
        return
    try:
        request.environ[LOAD_STARTED] = float((loads.folder / run).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return
    kind = _kinds_folder(loads.folder) / run
    with contextlib.suppress(OSError):
        request.environ[LOAD_KIND] = _known_kind(kind.read_text(encoding="ascii"))
        kind.unlink()


def _note_load_kind(response: Response) -> Response:
    """After ``POST /loads``, what kind of load started (``?kind=``), for its commit."""
    loads = state().loads
    if request.endpoint != "loads.start" or response.status_code != 200 or loads is None:
        return response
    kind = _known_kind(request.args.get("kind", ""))
    run = str((response.get_json(silent=True) or {}).get("run", ""))
    name = run.removeprefix(STAGING_PREFIX).strip("/")
    if kind != "load" and name and "/" not in name:
        folder = _kinds_folder(loads.folder)
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(kind, encoding="ascii")
    return response


def _kinds_folder(loads: Path) -> Path:
    """Beside the loads in flight (never in their folder: each file there is a load)."""
    return loads.parent / "load-kinds"


def _known_kind(given: str) -> str:
    return given if given in LOAD_KINDS else "load"


class _Forward(Collector):
    """An app's own registry, read by the registry of one scrape."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterable[Metric]:
        return self.registry.collect()


class _Scraped(Collector):
    """What is read when scraped: engine restarts, loads in flight, the store's size."""

    def __init__(self, current: EndpointState) -> None:
        self.current = current

    def collect(self) -> Iterable[Metric]:
        run_dir = self.current.settings.run_dir
        restarts = _read_count(run_dir / RESTARTS_FILE) if run_dir else 0
        yield CounterMetricFamily("psikg_engine_restarts", "Times the supervisor restarted "
                                  "the query engine (a crash, or a query killed at its "
                                  "deadline)", value=restarts)
        loads = self.current.loads
        in_flight = len(list(loads.folder.iterdir())) if loads and loads.folder.is_dir() else 0
        yield GaugeMetricFamily("psikg_loads_in_flight", "Loads through the server not yet "
                                "committed or aborted", value=in_flight)
        from endpoint.health import store_size

        try:
            triples, graphs = store_size(self.current)
        except (Deadline, StoreError):
            return  # the engine does not answer: /health says so, the rest still counts
        yield GaugeMetricFamily("psikg_store_triples", "Triples in the store, as the metadata "
                                "graph records them per graph", value=triples)
        yield GaugeMetricFamily("psikg_store_graphs", "Named graphs with provenance",
                                value=graphs)
