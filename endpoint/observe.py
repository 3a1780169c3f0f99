"""What each request was, measured around the whole WSGI app: its route, status, bytes and
duration, handed to ``/metrics`` (:mod:`endpoint.metrics`) and the access log
(:mod:`endpoint.access_log`).

Why a WSGI middleware and not Flask's ``after_request``: a streamed answer (a million-row
download) is sent after ``after_request`` has run, so only the iterable the WSGI server
drains knows its bytes and when it ended. The route is the Flask rule (``/queries/<name>``),
never the raw path, so that metric labels stay bounded; a request no rule matched is
``unmatched``. Views and error handlers leave what the middleware cannot see in the
environ: :data:`ROUTE` (set before the view runs), :data:`ERROR` (the error ``type`` of
an error answer, ``endpoint.errors.render``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Any

from flask import Flask
from flask import request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

ROUTE = "psikg.route"
ERROR = "psikg.error"
UNMATCHED = "unmatched"


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, as the middleware saw them."""

    started: float
    """Wall-clock time (``time.time()``) the request arrived."""
    seconds: float
    """From arrival to the last byte handed to the WSGI server."""
    method: str
    route: str
    path: str
    query_string: str
    status: int
    bytes_sent: int
    client: str
    user_agent: str
    error: str
    environ: WSGIEnvironment


Listener = Callable[[Exchange], None]


def install(app: Flask, listeners: list[Listener]) -> None:
    """Measure every request of ``app`` and hand each :class:`Exchange` to ``listeners``."""
    if not listeners:
        return
    app.before_request(_note_route)
    app.wsgi_app = Observed(app.wsgi_app, listeners)  # type: ignore[method-assign]


def _note_route() -> None:
    rule = request.url_rule
    request.environ[ROUTE] = rule.rule if rule is not None else UNMATCHED


class Observed:
    """The WSGI app wrapped: calls the listeners once the answer is sent (or failed)."""

    def __init__(self, app: WSGIApplication, listeners: list[Listener]) -> None:
        self.app = app
        self.listeners = listeners

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse
                 ) -> Iterable[bytes]:
        started, clock = time.time(), time.perf_counter()
        status = [500]

        def start(line: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            status[0] = int(line[:3])
            return start_response(line, headers, *exc_info)

        def finish(sent: int) -> None:
            exchange = Exchange(
                started=started, seconds=time.perf_counter() - clock,
                method=environ.get("REQUEST_METHOD", ""),
                route=environ.get(ROUTE, UNMATCHED), path=environ.get("PATH_INFO", ""),
                query_string=environ.get("QUERY_STRING", ""), status=status[0],
                bytes_sent=sent, client=environ.get("REMOTE_ADDR", ""),
                user_agent=environ.get("HTTP_USER_AGENT", ""),
                error=environ.get(ERROR, ""), environ=environ)
            for listener in self.listeners:
                listener(exchange)

        try:
            body = self.app(environ, start)
        except BaseException:
            finish(0)
            raise
        return _Counted(body, finish)


class _Counted:
    """The answer's body, counted as the WSGI server drains it; ``close`` reports."""

    def __init__(self, body: Iterable[bytes], finish: Callable[[int], None]) -> None:
        self.body = body
        self.finish = finish
        self.sent = 0
        self.done = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            if not self.done:
                self.done = True
                self.finish(self.sent)
