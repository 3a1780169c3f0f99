"""Fronts that offer a real ``oxigraph serve``'s three services where another engine
offers them, so that the tests can run psikg's engine kinds for engines no package on
these machines provides:

- :func:`fuseki_route`: all three at one URL, as Fuseki offers them at a dataset's URL
  (``http://host:3030/ds``; the ``generic`` kind): ``?graph=IRI`` or ``?default`` is the
  Graph Store Protocol, a form with ``update=`` or an ``application/sparql-update`` body is
  Update, anything else Query;
- :func:`graphdb_route`: as GraphDB (RDF4J's server protocol) offers them for a repository
  ``/repositories/ID`` (the ``graphdb`` kind): Query at that URL, Update at
  ``…/statements``, the Graph Store at ``…/rdf-graphs/service``.
"""

from __future__ import annotations

import http.server
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import requests

from tests.local_http import local_http

_PASSED = ("Content-Type", "Accept")


Route = Callable[[str, str, str, bytes], str | None]
"""Which of ``oxigraph serve``'s services (``/query``, ``/update``, ``/store``) a request
is for, from its path, query string, content type and body; ``None``: not the engine's."""


@contextmanager
def one_url_front(engine_url: str, route: Route | None = None, path: str = "/ds"
                  ) -> Iterator[str]:
    """The engine's URL as a front at ``path`` for the ``oxigraph serve`` at
    ``engine_url`` offers it, routing each request by ``route`` (default: Fuseki's)."""
    route = route or fuseki_route(path)

    class Front(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the names http.server calls
            self._forward()

        def do_HEAD(self) -> None:  # noqa: N802
            self._forward()

        def do_POST(self) -> None:  # noqa: N802
            self._forward()

        def do_PUT(self) -> None:  # noqa: N802
            self._forward()

        def do_DELETE(self) -> None:  # noqa: N802
            self._forward()

        def _forward(self) -> None:
            parts = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            service = route(parts.path.rstrip("/"), parts.query,
                            self.headers.get("Content-Type", ""), body)
            if service is None:
                self._reply(404, b"no such service", "text/plain")
                return
            answer = requests.request(
                self.command, f"{engine_url}{service}" + (f"?{parts.query}" if parts.query
                                                          else ""),
                data=body, headers={k: v for k in _PASSED if (v := self.headers.get(k))},
                timeout=600)
            self._reply(answer.status_code, answer.content,
                        answer.headers.get("Content-Type", ""))

        def _reply(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    with local_http(Front) as root:
        yield root + path


def fuseki_route(dataset: str) -> Route:
    """Fuseki's routing at a dataset's URL ``dataset`` (a path)."""

    def route(path: str, query_string: str, content_type: str, body: bytes) -> str | None:
        if path != dataset:
            return None
        asked = parse_qs(query_string, keep_blank_values=True)
        if "graph" in asked or "default" in asked:
            return "/store"
        if content_type.startswith("application/sparql-update"):
            return "/update"
        if content_type.startswith("application/x-www-form-urlencoded") and "update" in \
                parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True):
            return "/update"
        return "/query"

    return route


def graphdb_route(repository: str) -> Route:
    """GraphDB's routing for the repository at ``repository`` (a path)."""
    services = {repository: "/query", f"{repository}/statements": "/update",
                f"{repository}/rdf-graphs/service": "/store"}

    def route(path: str, query_string: str, content_type: str, body: bytes) -> str | None:
        return services.get(path)

    return route
