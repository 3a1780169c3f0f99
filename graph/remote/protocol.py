"""The SPARQL 1.1 Protocol and Graph Store Protocol as psikg speaks them to an engine it
does not run: form POSTs for queries, updates and graph writes with the engine's
credentials (HTTP Digest, answered on the engine's 401), and the engine's refusals turned
into psikg's errors.

Requests go through :class:`graph.engine.client.EngineClient`, the engine's one HTTP
client; nothing here opens a connection itself.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote
from urllib.parse import urlencode

from graph.engine.client import Deadline
from graph.engine.client import EngineClient
from graph.engine.client import Response
from graph.errors import InputError
from graph.errors import NotFoundError
from graph.errors import StoreError
from graph.errors import UsageError
from graph.remote.dataset_text import with_dataset
from graph.remote.dialects import Dialect
from graph.remote.digest import DigestAuth
from graph.remote.spellings import canonical_json_term

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
NTRIPLES = "application/n-triples"
WRITE_TIMEOUT_S = 600.0
"""Longest a write (an update, or one part of a load) may take."""
_VALID_BNODE = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_VIRTUOSO_BNODE = "nodeID://"


@dataclass(frozen=True)
class Answer:
    """An engine's answer to a query: the body, and the row cap the engine says the answer
    reached (then it may have cut it; empty if it did not say so)."""

    body: bytes
    cap: str = ""


@dataclass(frozen=True)
class Opened:
    """An engine's answer to a query whose headers are read: the body still on the wire,
    and the row cap the engine says the answer reached (empty if it did not say so)."""

    response: Response
    cap: str = ""


class SparqlProtocol:
    """Queries, updates and graph writes to the engine at ``url``.

    :param url: the engine's base URL; the dialect's paths are appended to it.
    :param user: the user writes are made as (HTTP Digest), if the engine wants one.
    :param timeout_s: longest a query may run.
    """

    def __init__(self, url: str, dialect: Dialect, user: str = "", password: str = "",
                 timeout_s: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.dialect = dialect
        self.timeout_s = timeout_s
        self._client = EngineClient(self.url)
        self._auth = DigestAuth(user, password) if user else None
        self._local = threading.local()

    @contextmanager
    def until(self, deadline: float) -> Iterator[None]:
        """This thread's requests within the block end at ``deadline`` (monotonic) at the
        latest: ``psikg serve`` gives each request its own (:mod:`endpoint.remote_engine`)."""
        self._local.deadline = deadline
        try:
            yield
        finally:
            self._local.deadline = None

    def close(self) -> None:
        self._client.drop()

    def query(self, text: str, accept: str, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Answer:
        """Run a query as a form POST, over ``default_graphs`` and ``named_graphs`` if given;
        its answer read whole (psikg's own small queries, and pages).

        :raises UsageError: if the engine refuses the query (its own words).
        :raises StoreError: if it fails, or gives no answer within the timeout.
        """
        opened = self.open_query(text, accept, default_graphs, named_graphs)
        try:
            return Answer(opened.response.read(), opened.cap)
        except Deadline:
            raise self._late() from None

    def open_query(self, text: str, accept: str, default_graphs: list[str] | None = None,
                   named_graphs: list[str] | None = None) -> Opened:
        """:meth:`query`, its answer's body left on the wire to be read as it comes (it
        then raises :class:`Deadline` at the deadline, and the connection is closed).

        The engine says in headers, before the body, whether it cut the answer at its row
        cap or stopped the query at its time limit: both are known here.
        """
        written = with_dataset(text, default_graphs or [], named_graphs or []) \
            if self.dialect.dataset_in_text and (default_graphs or named_graphs) else None
        fields = [("query", text if written is None else written)]
        if written is None:
            fields += [("default-graph-uri", name) for name in default_graphs or ()]
            fields += [("named-graph-uri", name) for name in named_graphs or ()]
        if self.dialect.timeout_field:  # the engine stops the query itself at the deadline
            left = self._deadline(self.timeout_s) - time.monotonic()
            fields.append((self.dialect.timeout_field, str(max(1, int(left * 1000)))))
        answer = self._send("POST", self.dialect.query_path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded",
                             "Accept": accept}, self.timeout_s)
        cap = answer.headers.get(self.dialect.capped_header, "") if self.dialect.capped_header \
            else ""
        if answer.status >= 300:
            self._body(answer, "query")
        if self.dialect.interrupted[0] and answer.headers.get(
                self.dialect.interrupted[0], "").startswith(self.dialect.interrupted[1]):
            answer.abandon()
            raise StoreError(f"the engine at {self.url} stopped the query at its time limit "
                             "and gave an incomplete answer", type="engine-timeout")
        return Opened(answer, cap)

    def _late(self) -> StoreError:
        return StoreError(f"the engine at {self.url} gave no answer within "
                          f"{self.timeout_s:g} s", type="engine-timeout")

    def _deadline(self, timeout_s: float) -> float:
        """When this thread's request must be answered: in ``timeout_s``, or earlier if the
        thread has a deadline of its own (:meth:`until`)."""
        deadline = time.monotonic() + timeout_s
        given: float | None = getattr(self._local, "deadline", None)
        return deadline if given is None else min(given, deadline)

    def update(self, text: str) -> None:
        """Run an update (one request: the engine runs it as one transaction).

        :raises UsageError: if the engine refuses it or the credentials.
        """
        self._body(self._send("POST", self.dialect.update_path,
                              urlencode({"update": self.dialect.update_text(text)}).encode(),
                              {"Content-Type": "application/x-www-form-urlencoded"},
                              WRITE_TIMEOUT_S, write=True), "update")

    def update_unlogged(self, text: str) -> None:
        """Run one of psikg's own large updates (a load's commit, a drop) outside the
        engine's transaction log where it has one that such an update overflows, and have
        the engine write it to disk before returning (:attr:`Dialect.unlogged`,
        :attr:`Dialect.checkpoint`).

        :raises StoreError: if the update ran but the engine did not write it to disk
            (it is visible, but a crash of the engine before its next checkpoint loses it).
        """
        self.update(self.dialect.unlogged + text)
        if not self.dialect.checkpoint:
            return
        try:
            self._body(self._send("POST", self.dialect.update_path,
                                  urlencode({"query": self.dialect.checkpoint}).encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded",
                                   "Accept": JSON_RESULTS}, WRITE_TIMEOUT_S, write=True),
                       "checkpoint")
        except (StoreError, UsageError) as error:
            raise StoreError(f"the update ran, but the engine at {self.url} did not write it "
                             f"to disk ({error}): a crash before its next checkpoint loses "
                             "it; run the command again", type="engine-not-durable") from None

    def post_graph(self, graph: str, ntriples: bytes) -> None:
        """Add N-Triples to ``graph`` with the Graph Store Protocol (one request: blank node
        labels are one node each within it)."""
        path = f"{self.dialect.store_path}?graph={quote(graph, safe='')}"
        self._body(self._send("POST", path, ntriples, {"Content-Type": NTRIPLES},
                              WRITE_TIMEOUT_S, write=True), "graph write")

    # --- HTTP --------------------------------------------------------------------------

    def _send(self, method: str, path: str, body: bytes, headers: dict[str, str],
              timeout_s: float, write: bool = False) -> Response:
        path = path or ("" if self._client.prefix else "/")  # the engine's URL itself
        for attempt in range(2):
            sent = dict(headers)
            if write and self._auth is not None:
                authorization = self._auth.header(method, self._client.prefix + path)
                if authorization is not None:
                    sent["Authorization"] = authorization
            deadline = self._deadline(timeout_s)
            timeout_s = max(0.0, deadline - time.monotonic())
            try:
                answer = self._client.call(method, path, body, sent, deadline=deadline)
            except Deadline:
                raise StoreError(f"the engine at {self.url} gave no answer within "
                                 f"{timeout_s:g} s", type="engine-timeout") from None
            challenge = answer.headers.get("www-authenticate", "")
            if answer.status != 401 or self._auth is None or attempt or not challenge:
                return answer
            answer.read()
            try:
                self._auth.challenged(challenge)
            except ValueError as error:
                raise UsageError(f"the engine at {self.url} asks for credentials psikg "
                                 f"cannot give: {error}", type="engine-credentials") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _body(self, answer: Response, what: str) -> bytes:
        body = answer.read()
        if answer.status < 300:
            return body
        message = _message(body) or f"HTTP {answer.status}"
        text = f"the engine at {self.url} refused the {what}: {message}"
        if answer.status == 401:
            who = f"user {self._auth.user!r}" if self._auth else "no user"
            raise UsageError(f"the engine at {self.url} refused the {what} to {who}: set "
                             "PSIKG_ENGINE_USER and PSIKG_ENGINE_PASSWORD_FILE to a user "
                             "who may write", type="engine-credentials")
        if answer.status == 403:
            raise UsageError(text, type="engine-refused")
        if answer.status == 404:
            raise NotFoundError(text, type="not-found")
        if answer.status in (400, 413, 415):
            raise (UsageError if what == "query" else InputError)(text, type="engine-refused")
        raise StoreError(text, type="engine-error")


def _message(body: bytes) -> str:
    """The engine's error, on one line and short (Virtuoso repeats the whole query)."""
    try:
        found = json.loads(body)
        if isinstance(found, dict) and "error" in found:
            return str(found["error"])[:300]
    except ValueError:
        pass
    text = body.decode("utf-8", "replace").strip()
    text = text.split("\n\nSPARQL query:", 1)[0]
    return " ".join(text.split())[:300]


def json_results(body: bytes) -> bytes:
    """SPARQL JSON results as pyoxigraph reads them.

    - Blank node labels: Virtuoso writes ``nodeID://b10000``, not a valid label, where its
      CONSTRUCT answers write ``_:b10000``: the label is read as ``b10000``, so that a node
      a SELECT names is the node a CONSTRUCT names (the compliance tally joins the two).
      Any other invalid label is spelt in hex, so that two labels stay two nodes and one
      label stays one.
    - Booleans Virtuoso spells ``1`` and ``0`` are spelt ``true`` and ``false``, and
      date-times lose the trailing zeros of their fraction of a second
      (:mod:`graph.remote.spellings`).
    """
    if (b'"bnode"' not in body and b"XMLSchema#boolean" not in body
            and b"XMLSchema#dateTime" not in body):
        return body
    found = json.loads(body)
    for row in found.get("results", {}).get("bindings", ()):
        for term in row.values():
            _fix_bnode(term)
            canonical_json_term(term)
    return json.dumps(found).encode()


def blank_node_label(label: str) -> str:
    """A blank node label as parsers read it: Virtuoso's ``nodeID://b123`` as ``b123``
    (what its CONSTRUCT answers call ``_:b123``, so that the two join), any other label
    that is not valid spelt in hex, so that two labels stay two nodes."""
    if label.startswith(_VIRTUOSO_BNODE) and _VALID_BNODE.fullmatch(
            label[len(_VIRTUOSO_BNODE):]):
        return label[len(_VIRTUOSO_BNODE):]
    return label if _VALID_BNODE.fullmatch(label) else "x" + label.encode().hex()


def _fix_bnode(term: dict[str, object]) -> None:
    if term.get("type") == "bnode":
        term["value"] = blank_node_label(str(term["value"]))
    elif term.get("type") == "triple":  # RDF-star: fix the triple's own terms
        for part in dict(term.get("value") or {}).values():  # type: ignore[call-overload]
            if isinstance(part, dict):
                _fix_bnode(part)
