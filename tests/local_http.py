"""A test's own HTTP server on 127.0.0.1, on a free port, in a thread, for one ``with``
block: what an engine, a portal or a suite's documents look like from psikg's side."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Handler = Callable[..., http.server.BaseHTTPRequestHandler]


@contextmanager
def local_http(handler: Handler | Any) -> Iterator[str]:
    """Serve ``handler`` (a request handler class, or a factory of one) until the block
    ends; yields the server's root URL, without its trailing slash."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
