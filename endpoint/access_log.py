"""The access log: one JSON object per line and per request, where ``psikg serve
--access-log`` says (a file, or ``-`` for standard error).

A line holds ``time`` (UTC, ISO 8601, milliseconds), ``method``, ``route`` (the Flask
rule), ``path`` (cut at :data:`MAX_PATH`), ``query`` (the query string, cut at
:data:`MAX_QUERY` characters, with ``query_cut`` true when it was), ``status``, ``error``
(the error ``type`` of an error answer), ``duration_ms`` (to the last byte sent), ``bytes``
(of the body sent), ``client`` (the peer's address) and ``user_agent`` (cut at
:data:`MAX_AGENT`). Never a header other than ``User-Agent``: the update token travels in
``Authorization`` and never reaches the log, nor does a request body (a posted query or
update).

Every worker process appends to the same file: each line is one ``write`` on a file opened
with ``O_APPEND``, so lines from different workers never interleave.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import UTC
from datetime import datetime

from endpoint.observe import Exchange
from graph.errors import UsageError

MAX_QUERY = 512
"""Longest query string kept (a SPARQL query sent by GET is in it)."""
MAX_AGENT = 256
MAX_PATH = 1024
STDERR = "-"
log = logging.getLogger("psikg.serve")


class AccessLog:
    """Appends one JSON line per request to ``target`` (a path, or ``-`` for stderr)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._fd: int | None = None
        self._lock = threading.Lock()

    def _descriptor(self) -> int:
        if self.target == STDERR:
            return 2
        with self._lock:
            if self._fd is None:  # opened in the worker that writes, never before a fork
                self._fd = os.open(self.target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            return self._fd

    def __call__(self, exchange: Exchange) -> None:
        try:
            os.write(self._descriptor(), line(exchange))
        except OSError as error:  # a full disk must not fail the request it would log
            log.warning("access log %s: %s", self.target, error.strerror)


def check_target(target: str) -> None:
    """Refuse an access log that cannot be written, before ``psikg serve`` starts.

    :raises UsageError: if the file cannot be opened for appending.
    """
    if not target or target == STDERR:
        return
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640))
    except OSError as error:
        raise UsageError(f"cannot write the access log: {error.strerror}",
                         type="access-log", file=target) from None


def line(exchange: Exchange) -> bytes:
    """The log line of one request, newline included."""
    query = exchange.query_string
    record: dict[str, object] = {
        "time": datetime.fromtimestamp(exchange.started, UTC).isoformat(
            timespec="milliseconds").replace("+00:00", "Z"),
        "method": exchange.method, "route": exchange.route, "path": exchange.path[:MAX_PATH],
        "query": query[:MAX_QUERY], "status": exchange.status,
        "duration_ms": round(exchange.seconds * 1000, 3), "bytes": exchange.bytes_sent,
        "client": exchange.client, "user_agent": exchange.user_agent[:MAX_AGENT],
    }
    if len(query) > MAX_QUERY:
        record["query_cut"] = True
    if exchange.error:
        record["error"] = exchange.error
    return json.dumps(record, ensure_ascii=False).encode() + b"\n"
