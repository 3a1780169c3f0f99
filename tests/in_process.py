"""The endpoint in this process: a ``requests`` session whose requests go to a Flask app
through its test client (``app.test_client()``), not over a socket, and the query engine
that such apps share (one ``oxigraph serve`` per store, started once).

Why ``requests`` on top of the test client rather than the test client alone: the tests of
the endpoint read answers as a client does (``response.json()``, ``.content``, ``.links``,
redirects followed), and the same helpers serve the few tests that need a live server
(``tests/endpoint_server.py``). Only the transport differs; what the app answers is the
same bytes, headers and status.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import TestResponse

from endpoint.app import create_app
from graph.engine.process import EngineProcess
from graph.engine.process import prepare_store
from graph.settings import DEFAULT_BASE_IRI
from graph.settings import Settings

BASE_URL = "http://endpoint.test"
"""Where an in-process app pretends to be (``.test`` never resolves: a request that missed
the app fails instead of reaching the network)."""


class FlaskClientAdapter(BaseAdapter):
    """A transport adapter that hands each prepared request to a Flask test client."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: object = None, verify: object = True, cert: object = None,
             proxies: Mapping[str, str] | None = None) -> requests.Response:
        url = urlsplit(request.url or "")
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):
            body = b"".join(body)  # a generator body, sent chunked by a real client
        # a client per request: threads of one test may send requests at once
        answer = self.app.test_client().open(
            url.path or "/", method=request.method or "GET", query_string=url.query, data=body,
            headers=list(request.headers.items()), base_url=f"{url.scheme}://{url.netloc}")
        return _response(request, answer)

    def close(self) -> None:
        pass


def _response(request: requests.PreparedRequest, answer: TestResponse) -> requests.Response:
    response = requests.Response()
    response.status_code = answer.status_code
    response.reason = answer.status.partition(" ")[2]
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    for name, value in answer.headers.items():
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    response.headers = headers
    response._content = answer.get_data()  # noqa: SLF001 - how requests holds a read body
    response.encoding = get_encoding_from_headers(headers)
    response.url = request.url or ""
    response.request = request
    answer.close()
    return response


class AppClient(requests.Session):
    """``requests`` on ``app`` at :data:`BASE_URL`; paths starting with ``/`` are relative to
    it. Everything else ``requests`` does (redirects, cookies, ``links``) is unchanged.

    :param app: the app, e.g. ``endpoint.create_app(settings)``.
    :param url: its public URL, the ``public_url`` of its settings.
    """

    def __init__(self, app: Flask, url: str = BASE_URL) -> None:
        super().__init__()
        self.app = app
        self.url = url.rstrip("/")
        self.mount(self.url + "/", FlaskClientAdapter(app))

    def request(self, method: str | bytes, url: str | bytes,
                *args: Any, **kwargs: Any) -> requests.Response:
        if isinstance(url, str) and url.startswith("/"):
            url = self.url + url
        return super().request(method, url, *args, **kwargs)


@contextmanager
def engine_on(store: Path, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[EngineProcess]:
    """The query engine on ``store`` until the block ends, the store prepared first as
    ``psikg serve`` prepares it (what a dead load left is removed)."""
    prepare_store(store, base_iri)
    engine = EngineProcess(store)
    engine.start()
    try:
        yield engine
    finally:
        engine.stop()


def app_client(engine: EngineProcess, run_dir: Path, **options: Any) -> AppClient:
    """An app of its own on ``engine``, with ``options`` as its :class:`Settings`.

    :param run_dir: the app's run folder (where it counts writes, as under ``psikg serve``).
        No engine pid is written there: an app in this process never kills the shared engine.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(store=engine.store, engine_url=engine.url, public_url=BASE_URL,
                        run_dir=run_dir, **options)
    return AppClient(create_app(settings), settings.url)
