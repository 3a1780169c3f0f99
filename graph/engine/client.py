"""A lean HTTP/1.1 client for a SPARQL 1.1 store: the engine of :mod:`graph.engine.process`,
or any store that speaks the SPARQL 1.1 Protocol and Graph Store Protocol on ``/query``,
``/update`` and ``/store``. It is the engine's client, not a general one: URLs a user or a
document gives are fetched by ``loaders.http_fetch``, under its address policy.

Written on a bare socket because it sits on the hot path of every request: one kept-alive
connection per thread, the request in one ``sendall``, the status line and headers read
with a buffered reader and split by hand (``http.client`` parses them with the ``email``
package, a large share of psikg's CPU per cheap query: ``endpoint/README.md``), and the
body handed back unread so that results stream. Each call carries a deadline; when it
passes a socket read fails with :class:`Deadline`, and the caller decides what to stop.

A read (``GET``, ``HEAD``, or a query on ``/query``) whose connection breaks before an
answer comes is sent again, to the engine the supervisor restarted, until its deadline:
another query's timeout stops the engine under it, and it still gets its answer. Writes
are never sent twice: one cut short is a :class:`StoreError`.
"""

from __future__ import annotations

import contextlib
import io
import os
import select
import signal
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any
from urllib.parse import urlsplit

from graph.errors import StoreError

if TYPE_CHECKING:
    from graph.engine.loads import LoadsInFlight
    from graph.engine.pause import PauseGate

RECONNECT_S = 10.0
"""How long a call waits for an engine that is restarting before giving up."""
MAX_IDLE_S = 30.0
"""A kept-alive connection idle longer is not reused: Oxigraph 0.5 answers a connection
idle for 60 s with an unsolicited ``500 Resource temporarily unavailable (os error 11)``,
which the next request on it would read as its own answer."""
CONNECT_TIMEOUT_S = 2.0
MAX_HEADER_BYTES = 16 * 1024 * 1024
"""The most an answer's header may hold. Bytes, not lines: Virtuoso repeats the dataset of
every query in its header, an ``X-SPARQL-default-graph`` and an ``X-SPARQL-named-graph``
line per graph of psikg's, two hundred lines and more once a store holds a hundred
graphs."""
MAX_HEADER_LINE = 64 * 1024
"""The longest header line read (a graph's IRI, echoed)."""


class Deadline(Exception):  # noqa: N818 - it is the event, not an error kind
    """The engine did not answer before the call's deadline."""


class _Broken(Exception):
    """The connection failed; ``answered`` says whether any of the answer had arrived."""

    def __init__(self, reason: str, answered: bool) -> None:
        super().__init__(reason)
        self.answered = answered


_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)  # Linux only


class _AckingSocketIO(socket.SocketIO):
    """A socket's reads, each acknowledged at once (``TCP_QUICKACK``, set again before
    every read: Linux clears it).

    An engine that writes its answer's headers and body in two sends with Nagle's
    algorithm on (Virtuoso does) holds the body until the headers are acknowledged; Linux
    delays that acknowledgement (up to its delayed-ACK timer), as nothing goes back to the
    engine meanwhile, and every answer of more than one send waited for it
    (docs/performance.md, ``make bench-engines``).
    """

    def readinto(self, buffer: Any) -> int | None:
        if _QUICKACK is not None:
            with contextlib.suppress(OSError):  # a TLS or closed socket: an ordinary read
                self._sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)  # type: ignore[attr-defined]
        return super().readinto(buffer)


class _Connection:
    """One socket to the engine, with its buffered reader and the engine's pid."""

    def __init__(self, host: str, port: int, pid: int | None, tls: bool = False) -> None:
        self.sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
        if tls:
            self.sock = ssl.create_default_context().wrap_socket(self.sock, server_hostname=host)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = io.BufferedReader(_AckingSocketIO(self.sock, "rb"), 1 << 16)
        self.pid = pid
        self.timeout: float | None = CONNECT_TIMEOUT_S
        self.released = time.monotonic()

    def stale(self) -> bool:
        """Whether the connection may not carry another request: idle too long, or the
        engine sent something (an unsolicited answer, or the end of the connection)."""
        if time.monotonic() - self.released > MAX_IDLE_S:
            return True
        readable, _, _ = select.select([self.sock], [], [], 0)
        return bool(readable)

    def settimeout(self, seconds: float | None) -> None:
        if seconds != self.timeout:  # each change is a syscall
            self.sock.settimeout(seconds)
            self.timeout = seconds

    def close(self) -> None:
        try:
            self.reader.close()
        finally:
            self.sock.close()


class Response:
    """The engine's answer: status, headers, and the body still on the wire."""

    def __init__(self, client: EngineClient, connection: _Connection, status: int,
                 headers: dict[str, str], deadline: float | None, has_body: bool) -> None:
        self.status = status
        self.headers = headers
        """Header names lower-cased; a repeated header keeps its last value."""
        self.content_type = headers.get("content-type", "")
        self._client = client
        self._connection = connection
        self._deadline = deadline
        self._chunked = headers.get("transfer-encoding", "").lower().endswith("chunked")
        length = headers.get("content-length")
        self._left = int(length) if length is not None and not self._chunked else -1
        self._reusable = headers.get("connection", "").lower() != "close" and (
            self._chunked or self._left >= 0 or not has_body)
        self.done = not has_body or self._left == 0
        """Whether the body has been read to its end (or abandoned)."""
        if self.done:
            self._finish()

    def chunks(self, size: int = 1 << 16) -> Iterator[bytes]:
        """The body as it arrives.

        :raises Deadline: if the deadline passes while reading.
        :raises StoreError: if the engine breaks the stream (it stopped or was killed).
        """
        while not self.done:
            self._client.arm(self._connection, self._deadline)
            try:
                chunk = self._next(size)
            except TimeoutError:
                self.abandon()
                raise Deadline from None
            except (OSError, ValueError) as error:
                self.abandon()
                raise StoreError(f"the query engine broke off its answer: {error}",
                                 type="engine-broken") from None
            if chunk:
                if self._deadline is not None and time.monotonic() > self._deadline:
                    self.abandon()  # the engine keeps sending: the socket timeout never fires
                    raise Deadline
                yield chunk

    def _next(self, size: int) -> bytes:
        reader = self._connection.reader
        if self._chunked:
            if self._left <= 0:
                if self._left == 0:
                    reader.readline()  # the CRLF after the previous chunk
                line = reader.readline(1024)
                if not line.endswith(b"\n"):
                    raise ConnectionError("the engine closed the connection mid-answer")
                self._left = int(line.split(b";", 1)[0], 16)
                if self._left == 0:
                    while reader.readline(8192) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    self._finish()
                    return b""
            chunk = reader.read1(min(size, self._left))
            if not chunk:
                raise ConnectionError("the engine closed the connection mid-answer")
            self._left -= len(chunk)
            return bytes(chunk)
        if self._left < 0:  # the body ends when the engine closes the connection
            chunk = reader.read1(size)
            if not chunk:
                self._finish()
            return bytes(chunk)
        chunk = reader.read1(min(size, self._left))
        if not chunk:
            raise ConnectionError("the engine closed the connection mid-answer")
        self._left -= len(chunk)
        if self._left == 0:
            self._finish()
        return bytes(chunk)

    def _finish(self) -> None:
        self.done = True
        if self._reusable:
            self._client.release(self._connection)
        else:
            self._connection.close()

    def start(self, limit: int = 1 << 16) -> bytes:
        """The body's first bytes: all of it if it ends within ``limit`` bytes (then
        :attr:`done` is true), else at least ``limit`` of them, :meth:`chunks` giving the
        rest. A small answer can so be sent whole, with its ``Content-Length``.

        :raises Deadline: if the deadline passes while reading.
        :raises StoreError: if the engine breaks the stream.
        """
        data = bytearray()
        for chunk in self.chunks():
            data += chunk
            if len(data) >= limit:
                break
        return bytes(data)

    def read(self) -> bytes:
        """The whole body (small answers: errors, ASK, updates)."""
        return b"".join(self.chunks())

    def abandon(self) -> None:
        """Stop reading: the connection cannot be reused and is closed."""
        if not self.done:
            self.done = True
            self._connection.close()


def _read_headers(reader: io.BufferedReader[Any]) -> dict[str, str]:
    """An answer's header fields, read up to the blank line (a repeated field: its last
    value).

    :raises ValueError: past :data:`MAX_HEADER_BYTES`, or on a line that is no field.
    """
    headers: dict[str, str] = {}
    size = 0
    while size <= MAX_HEADER_BYTES:
        line = reader.readline(MAX_HEADER_LINE)
        if line in (b"\r\n", b"\n"):
            return headers
        size += len(line)
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon or not line.endswith(b"\n"):
            raise ValueError(f"not a header line: {line[:60]!r}")
        headers[name.strip().lower()] = value.strip()
    raise ValueError(f"a header of more than {MAX_HEADER_BYTES:,} bytes")


class EngineClient:
    """Calls to the engine at ``url``; safe to share between threads.

    :param url: the engine's base URL, e.g. ``http://127.0.0.1:7878`` (or a ``psikg serve``
        the command line works through, ``https:`` included).
    :param pid_file: where the supervisor writes the engine's pid, for :meth:`kill_engine`.
    :param loads: the loads a ``psikg serve`` has in flight, whose graphs the union of the
        graphs must not show (:mod:`graph.engine.loads`).
    :param gate: the engine's pause gate, held by every write (:mod:`graph.engine.pause`).
    """

    def __init__(self, url: str, pid_file: Path | None = None,
                 loads: LoadsInFlight | None = None, gate: PauseGate | None = None) -> None:
        parts = urlsplit(url)
        self.tls = parts.scheme == "https"
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if self.tls else 80)
        self.loads = loads
        self.gate = gate
        self.prefix = parts.path.rstrip("/")
        self.pid_file = pid_file
        self._host_header = f"Host: {self.host}:{self.port}\r\n"
        self._local = threading.local()
        self.resent = 0
        """How many reads were sent again because the engine stopped under them."""

    def arm(self, connection: _Connection, deadline: float | None) -> None:
        """Make the next socket operation fail when ``deadline`` (monotonic) passes."""
        connection.settimeout(None if deadline is None
                              else max(0.001, deadline - time.monotonic()))

    def release(self, connection: _Connection) -> None:
        """Keep a connection whose answer was read to its end for this thread's next call."""
        idle: _Connection | None = getattr(self._local, "idle", None)
        if idle is not None and idle is not connection:
            idle.close()
        connection.released = time.monotonic()
        self._local.idle = connection

    def drop(self) -> None:
        """Close this thread's kept-alive connection."""
        idle: _Connection | None = getattr(self._local, "idle", None)
        if idle is not None:
            idle.close()
            self._local.idle = None

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: Mapping[str, str] | None = None,
             deadline: float | None = None, whole_store: bool = False) -> Response:
        """Send one request and return the response with its body unread.

        A query that names no dataset sees the live graphs only, not the graphs of loads in
        flight (:attr:`loads`), unless ``whole_store`` (psikg's own bookkeeping of loads).

        A kept-alive connection the engine has closed is reopened, an engine that is
        restarting is waited for (up to :data:`RECONNECT_S`), and a read whose engine
        stopped before answering is sent again.

        :raises Deadline: if no answer comes before ``deadline``.
        :raises StoreError: if the engine cannot be reached, or a write was cut short.
        :raises ValueError: if the path or a header would split the request.
        """
        if self.loads is not None and not whole_store:
            return self._unmixed(self.loads, method, path, body, headers, deadline)
        return self._send(method, path, body, headers, deadline)

    def _unmixed(self, loads: LoadsInFlight, method: str, path: str, body: bytes | None,
                 headers: Mapping[str, str] | None, deadline: float | None) -> Response:
        """:meth:`call` for a request that must not see what loads in flight wrote: hidden
        while any is in flight, and sent again, hidden, if one started before the engine
        answered (:mod:`graph.engine.loads` says why that is enough)."""
        epoch = loads.epoch()
        hidden = loads.hide(self, path, body, headers, deadline)
        answer = self._send(method, *hidden, deadline)
        if not path.startswith("/query") or hidden[0] is not path or loads.epoch() == epoch:
            return answer  # an update or a Graph Store call is never sent twice
        answer.abandon()
        return self._send(method, *loads.hide(self, path, body, headers, deadline,
                                              always=True), deadline)

    def _send(self, method: str, path: str, body: bytes | None,
              headers: Mapping[str, str] | None, deadline: float | None) -> Response:
        """:meth:`call` without the hiding of loads in flight."""
        request = self._request(method, path, body, headers)
        idempotent = method in ("GET", "HEAD") or path.startswith("/query")
        if self.gate is None or idempotent:
            return self._transmit(method, request, idempotent, deadline)
        with self.gate.writing():  # a backup pauses the engine between writes, never under one
            return self._transmit(method, request, idempotent, deadline)

    def _transmit(self, method: str, request: bytes, idempotent: bool, deadline: float | None
                  ) -> Response:
        """:meth:`call`'s request sent: on a kept-alive connection or a new one, again if it
        is a read the engine stopped under."""
        give_up = time.monotonic() + RECONNECT_S
        while True:
            idle: _Connection | None = getattr(self._local, "idle", None)
            self._local.idle = None
            if idle is not None and (idle.stale() or not idempotent
                                     and not self._same_engine(idle)):
                idle.close()  # closed, answered out of turn, or from an engine since restarted
                idle = None
            try:
                connection = idle or _Connection(self.host, self.port, self.engine_pid(),
                                                 self.tls)
            except OSError as error:  # refused or timed out: the engine is (re)starting
                if time.monotonic() >= min(give_up, deadline or give_up):
                    raise self._unreachable(str(error)) from None
                time.sleep(0.05)
                continue
            self._local.pid = connection.pid
            try:
                return self._exchange(connection, request, method, deadline)
            except TimeoutError:
                connection.close()
                raise Deadline from None
            except _Broken as broken:
                connection.close()
                # An idle connection the engine had closed never saw the request; one that
                # broke after sending may have run it: only reads are sent again then.
                if broken.answered or not (idempotent or idle is not None
                                           and self._same_engine(connection)):
                    raise StoreError(f"the query engine stopped while answering ({broken}); "
                                     "a write may or may not have been applied",
                                     type="engine-broken") from None
                if time.monotonic() >= min(give_up, deadline or give_up):
                    raise self._unreachable(str(broken)) from None
                self.resent += 1

    def answers(self, timeout_s: float = 1.0) -> bool:
        """Whether the engine answers a trivial query now: one attempt, no waiting for an
        engine that is starting (the supervisor polls this while it starts one)."""
        try:
            connection = _Connection(self.host, self.port, None)
        except OSError:
            return False
        request = self._request("GET", "/query?query=ASK%7B%7D",
                                None, {"Accept": "application/sparql-results+json"})
        try:
            response = self._exchange(connection, request, "GET", time.monotonic() + timeout_s)
            response.read()
            return response.status == 200
        except (TimeoutError, _Broken, Deadline, StoreError):
            connection.close()
            return False
        finally:
            self.drop()

    def _same_engine(self, connection: _Connection) -> bool:
        """Whether a connection went to the engine still serving: then a kept-alive one that
        broke was closed by it while idle, not by its death."""
        return connection.pid is None or connection.pid == self.engine_pid()

    def _request(self, method: str, path: str, body: bytes | None,
                 headers: Mapping[str, str] | None) -> bytes:
        target = self.prefix + path
        lines = [f"{method} {target} HTTP/1.1\r\n", self._host_header]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}\r\n")
        if body is not None or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body or b'')}\r\n")
        lines.append("\r\n")
        head = "".join(lines)
        if any(c in target for c in " \r\n\t") or head.count("\n") != len(lines):
            raise ValueError("a request path or header holds a space or a line break")
        return head.encode("latin-1") + (body or b"")

    def _exchange(self, connection: _Connection, request: bytes, method: str,
                  deadline: float | None) -> Response:
        self.arm(connection, deadline)
        try:
            connection.sock.sendall(request)
            status_line = connection.reader.readline(8192)
        except TimeoutError:
            raise
        except OSError as error:
            raise _Broken(str(error) or type(error).__name__, answered=False) from None
        if not status_line:
            raise _Broken("the connection was closed", answered=False)
        try:
            status = int(status_line.split(None, 2)[1])
            headers = _read_headers(connection.reader)
        except TimeoutError:
            raise
        except (OSError, ValueError, IndexError) as error:
            raise _Broken(str(error), answered=True) from None
        has_body = method != "HEAD" and status not in (204, 304) and status >= 200
        return Response(self, connection, status, headers, deadline, has_body)

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
        """The pid of the engine this thread's last call went to."""
        pid: int | None = getattr(self._local, "pid", None)
        return pid

    def kill_engine(self, pid: int | None) -> bool:
        """Kill the engine if ``pid`` is still the one serving and no write is under way;
        the supervisor restarts it. Whether it was killed.

        Stopping the process is the only way to stop a query that ignores Oxigraph's own
        timeout. The reads it was running at the same time are sent again by :meth:`call`
        and by the endpoint (:mod:`endpoint.sparql`), unless they had started streaming.
        A write cannot be sent again, so a read's deadline never costs one: while a write is
        under way (it holds the pause gate), the engine is left to finish the read.
        """
        self.drop()
        if pid is None or pid != self.engine_pid():
            return False
        with contextlib.ExitStack() as held:
            if self.gate is not None and not held.enter_context(self.gate.paused(0.0)):
                return False  # a write is under way
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                return False
            _wait_gone(pid)  # a write let through now must not reach the dying engine
        return True


def _wait_gone(pid: int, wait_s: float = 5.0) -> None:
    """Wait until process ``pid`` has exited (a zombie has: its sockets are closed)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        except OSError:
            return
        if stat.rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            return
        time.sleep(0.01)
