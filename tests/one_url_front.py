"""A front that offers a SPARQL engine's three services at one URL, as Fuseki offers them
at a dataset's URL (``http://host:3030/ds``): the request's shape says which service it is
for. It stands in front of a real ``oxigraph serve`` so that the tests can run psikg's
``generic`` engine kind (every service at the engine's URL) without Fuseki, which no
package on these machines provides.

- ``?graph=IRI`` or ``?default``: the Graph Store Protocol (``/store``);
- a form with ``update=``, or an ``application/sparql-update`` body: Update (``/update``);
- anything else (``?query=``, a form with ``query=``, ``application/sparql-query``): Query.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import requests

_PASSED = ("Content-Type", "Accept")


@contextmanager
def one_url_front(engine_url: str, path: str = "/ds") -> Iterator[str]:
    """The URL of a front at ``path`` for the ``oxigraph serve`` at ``engine_url``."""

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
            if parts.path.rstrip("/") != path:
                self._reply(404, b"not a dataset", "text/plain")
                return
            service = _service(parts.query, self.headers.get("Content-Type", ""), body)
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

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Front)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()


def _service(query_string: str, content_type: str, body: bytes) -> str:
    """Which of the engine's services a request at the dataset's URL is for."""
    asked = parse_qs(query_string, keep_blank_values=True)
    if "graph" in asked or "default" in asked:
        return "/store"
    if content_type.startswith("application/sparql-update"):
        return "/update"
    if content_type.startswith("application/x-www-form-urlencoded") and "update" in parse_qs(
            body.decode("utf-8", "replace"), keep_blank_values=True):
        return "/update"
    return "/query"
