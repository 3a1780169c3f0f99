"""A lean HTTP client for a SPARQL 1.1 store: the engine of :mod:`graph.engine`, or any store
that speaks the SPARQL 1.1 Protocol and Graph Store Protocol on ``/query``, ``/update``
and ``/store``.

Written on :mod:`http.client` rather than requests or urllib3 because it sits on the hot
path of every request: one kept-alive connection per thread, no pool bookkeeping, and the
response handed back unread so that results stream. Each call carries a deadline; when it
passes the socket read fails with :class:`Deadline`, and the caller decides what to stop.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from graph.errors import StoreError

RECONNECT_S = 10.0
"""How long a call waits for an engine that is restarting before giving up."""


class Deadline(Exception):  # noqa: N818 - it is the event, not an error kind
    """The engine did not answer before the call's deadline."""


class Response:
    """The engine's answer: status, headers, and the body still on the wire."""

    def __init__(self, raw: http.client.HTTPResponse, client: EngineClient,
                 deadline: float | None) -> None:
        self.raw = raw
        self.status = raw.status
        self.content_type = raw.getheader("Content-Type", "")
        self._client = client
        self._deadline = deadline

    def chunks(self, size: int = 1 << 16) -> Iterator[bytes]:
        """The body as it arrives.

        :raises Deadline: if the deadline passes while reading.
        :raises StoreError: if the engine breaks the stream (it stopped or was killed).
        """
        while True:
            self._client.arm(self._deadline)
            try:
                chunk = self.raw.read1(size)
            except TimeoutError:
                self.abandon()
                raise Deadline from None
            except (http.client.IncompleteRead, ConnectionError) as error:
                self.abandon()
                raise StoreError(f"the query engine broke off its answer: {error}",
                                 type="engine-broken") from None
            if not chunk:
                return
            if self._deadline is not None and time.monotonic() > self._deadline:
                self.abandon()  # the engine keeps sending: the socket timeout never fires
                raise Deadline
            yield chunk

    def read(self) -> bytes:
        """The whole body (small answers: errors, ASK, updates)."""
        return b"".join(self.chunks())

    def abandon(self) -> None:
        """Stop reading: the connection cannot be reused and is closed."""
        self._client.drop()


class EngineClient:
    """Calls to the engine at ``url``; safe to share between threads.

    :param url: the engine's base URL, e.g. ``http://127.0.0.1:7878``.
    :param pid_file: where the supervisor writes the engine's pid, for :meth:`kill_engine`.
    """

    def __init__(self, url: str, pid_file: Path | None = None) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.pid_file = pid_file
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port)
            self._local.connection = connection
        return connection

    def arm(self, deadline: float | None) -> None:
        """Make the next socket operation fail when ``deadline`` (monotonic) passes."""
        sock = self._connection().sock
        if sock is not None:
            sock.settimeout(None if deadline is None
                            else max(0.001, deadline - time.monotonic()))

    def drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: Mapping[str, str] | None = None,
             deadline: float | None = None) -> Response:
        """Send one request and return the response with its body unread.

        A kept-alive connection the engine has closed is reopened, and an engine that is
        restarting is waited for (up to :data:`RECONNECT_S`).

        :raises Deadline: if no answer comes before ``deadline``.
        :raises StoreError: if the engine cannot be reached.
        """
        give_up = time.monotonic() + RECONNECT_S
        while True:
            connection = self._connection()
            reused = connection.sock is not None
            try:
                if connection.sock is None:
                    connection.timeout = 2.0
                    connection.connect()
                    self._local.pid = self.engine_pid()
                    if connection.sock is not None:
                        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.arm(deadline)
                connection.request(method, self.prefix + path, body=body,
                                   headers=dict(headers or {}))
                return Response(connection.getresponse(), self, deadline)
            except TimeoutError:
                self.drop()
                if deadline is not None and time.monotonic() >= deadline:
                    raise Deadline from None
                if time.monotonic() >= give_up:
                    raise self._unreachable("timed out") from None
            except (ConnectionError, http.client.HTTPException) as error:
                self.drop()
                if reused:
                    continue  # the engine closed an idle connection: try a fresh one
                if time.monotonic() >= min(give_up, deadline or give_up):
                    raise self._unreachable(str(error)) from None
                time.sleep(0.05)  # the engine is restarting

    def _unreachable(self, reason: str) -> StoreError:
        return StoreError(f"the query engine at {self.host}:{self.port} does not answer "
                          f"({reason}); is `psikg serve` running?", type="engine-unavailable")

    def engine_pid(self) -> int | None:
        """The pid of the engine now serving, as the supervisor recorded it."""
        if self.pid_file is None:
            return None
        try:
            return int(self.pid_file.read_text(encoding="ascii"))
        except (OSError, ValueError):
            return None

    def connected_pid(self) -> int | None:
        """The pid of the engine this thread's last connection went to."""
        pid: int | None = getattr(self._local, "pid", None)
        return pid

    def kill_engine(self, pid: int | None) -> bool:
        """Kill the engine if ``pid`` is still the one serving; the supervisor restarts it.

        Stopping the process is the only way to stop a query that ignores Oxigraph's own
        timeout; the queries it was running at the same time fail and are retried by the
        endpoint when they had sent nothing yet.
        """
        self.drop()
        if pid is None or pid != self.engine_pid():
            return False
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True
