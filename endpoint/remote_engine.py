"""``psikg serve`` in front of an engine it does not run (``--engine-url``): the workers'
engine client, speaking that engine's dialect behind the interface they already use.

Every route talks to its engine as to ``oxigraph serve`` (:class:`EngineClient`: ``/query``
with ``union-default-graph``, ``/update``, ``GET /store``). :class:`RemoteEngine` takes the
same calls and answers them through :class:`graph.remote.store.RemoteStore`, which knows
each engine's paths, form POSTs, credentials and quirks (:mod:`graph.remote.dialects`):

- a query that names no dataset reads psikg's graphs (those its metadata graph records),
  never the engine's own graphs nor a load's staging graphs; ``union-default-graph`` makes
  them its default graph too, as on the embedded store;
- an answer the engine says it cut at its row cap (Virtuoso's ``ResultSetMaxRows``) is an
  error, never a short answer; booleans spelt ``1`` and blank node labels such as
  ``nodeID://b1`` are read back as the embedded store writes them;
- the answer is written again in the format the route asked for as the engine sends it
  (:class:`Streamed`, :mod:`graph.remote.streams`), so that the routes' own row limit,
  paging and formats work unchanged, in bounded memory;
- at the request's deadline the route answers 503 (or cuts the stream) as usual, and the
  connection to the engine is closed; the engine cannot be killed from here, so whether
  the query stops is the engine's affair (Virtuoso: its ``timeout``; ``docs/engines.md``).

Loads through the server (``/loads``) write through the same store
(:class:`endpoint.load_targets.RemoteLoads`). What only an engine psikg runs can do
(``/backup``, which pauses it) is refused with 501 by :func:`install`, naming the engine's
own backup instead.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from collections.abc import Generator
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Flask
from flask import request

from endpoint.errors import HttpError
from endpoint.errors import query_timeout
from endpoint.state import EndpointState
from endpoint.state import state
from graph.commit import unmark
from graph.engine.client import Deadline
from graph.engine.client import EngineClient
from graph.engine.client import Response
from graph.errors import NotFoundError
from graph.errors import StoreError
from graph.errors import UsageError
from graph.formats import JOINABLE_FORMATS
from graph.remote.dialects import dialect_for
from graph.remote.store import RemoteStore
from graph.settings import Settings
from graph.sparql_text import blank
from graph.store_api import select_whole

FORM_TYPE = "application/x-www-form-urlencoded"
DATASET = ("default-graph-uri", "named-graph-uri")
_SQL_LAYER = ("calls an engine's SQL layer, not a SPARQL 1.1 function: psikg does not pass "
              "it on (Virtuoso's bif:exec runs SQL statements for anyone who may query, "
              "checkpoint among them)")
_ENGINE_ONLY = (
    (re.compile(r"(?<![\w?$:])DEFINE\s+[A-Za-z_-]+:[A-Za-z_-]+", re.IGNORECASE), False,
     "is an engine's pragma, not SPARQL 1.1: psikg does not pass it on (Virtuoso's would "
     "let it fetch documents past the SERVICE and LOAD allow-list)"),
    (re.compile(r"(?<![\w?$:.-])(?:bif|sql):[A-Za-z_][\w-]*", re.IGNORECASE), False,
     _SQL_LAYER),
    (re.compile(r"<\s*(?:bif|sql):[^>]*", re.IGNORECASE), True, _SQL_LAYER),
)
"""What a query or update may not send to the engine, and why: Virtuoso's ``DEFINE``
pragmas (``input:grab-all``, ``get:soft``…: its Sponger fetches what they name) and its
``bif:`` and ``sql:`` functions (its built-ins and stored procedures, which psikg cannot
tell safe from not), in the text or as IRIs; whatever prefix the query declares for them."""
REFUSED = ("/backup",)
"""Routes that need an engine psikg runs: backups that pause it."""


def _engine_only(fields: list[tuple[str, str]]) -> str | None:
    """Why the query or update in ``fields`` may not go to the engine, if it may not
    (:data:`_ENGINE_ONLY`)."""
    for name, value in fields:
        if name not in ("query", "update"):
            continue
        for pattern, keep_iris, why in _ENGINE_ONLY:
            found = pattern.search(blank(value, keep_iris=keep_iris))
            if found is not None:
                return f"{found.group(0).lstrip('<').strip()}… {why}"
    return None


class Answer(Response):
    """An answer held whole, read as the engine client's answers are."""

    def __init__(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.status = status
        self.headers = {"content-type": content_type}
        self.content_type = content_type
        self._body = body
        self._sent = 0
        self.done = not body

    def chunks(self, size: int = 1 << 16) -> Iterator[bytes]:
        """The rest of the body; :meth:`start` reads the first part, a later call the rest."""
        while not self.done:
            chunk = self._body[self._sent:self._sent + size]
            self._sent += len(chunk)
            self.done = self._sent >= len(self._body)
            yield chunk

    def abandon(self) -> None:
        self.done = True


class Streamed(Response):
    """An answer written as the engine sends it: the engine's connection stays open while
    the route reads, and is closed when it stops reading (:meth:`abandon`)."""

    def __init__(self, content_type: str, chunks: Generator[bytes, None, None],
                 on_abandon: Callable[[], None]) -> None:
        self.status = 200
        self.headers = {"content-type": content_type}
        self.content_type = content_type
        self._chunks = chunks
        self._on_abandon = on_abandon
        self.done = False

    def chunks(self, size: int = 1 << 16) -> Iterator[bytes]:
        """The rest of the answer (:meth:`start` reads its first part).

        :raises Deadline: at the request's deadline (the engine's connection is closed).
        :raises StoreError: if the engine breaks its answer off, or it does not parse.
        """
        while not self.done:
            try:
                chunk = next(self._chunks, None)
            except BaseException:
                self.abandon()
                raise
            if chunk is None:
                self.done = True
            elif chunk:
                yield chunk

    def abandon(self) -> None:
        if not self.done:
            self.done = True
            self._chunks.close()
            self._on_abandon()


class RemoteEngine(EngineClient):
    """The workers' client of an engine psikg does not run (see the module's docstring)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings.engine_url)
        self.store = RemoteStore(settings.engine_url, settings.engine_kind, settings.base_iri,
                                 settings.engine_user, settings.read_engine_password(),
                                 settings.timeout_s)

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: Mapping[str, str] | None = None,
             deadline: float | None = None, whole_store: bool = False) -> Response:
        """What ``oxigraph serve`` would answer, asked of the remote engine.

        :raises Deadline: if the engine gives no answer before ``deadline``.
        :raises StoreError: if it cannot be reached.
        """
        target, _, query_string = path.partition("?")
        fields = parse_qsl(query_string, keep_blank_values=True)
        headers = headers or {}
        if body is not None and headers.get("Content-Type") == FORM_TYPE:
            fields += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        elif body is not None and target == "/query":
            fields.append(("query", body.decode("utf-8")))
        accept = headers.get("Accept", "")
        return self._guarded(deadline, lambda: self._answer(method, target, fields, accept))

    def write_graph(self, graph: str, ntriples: bytes, *, replace: bool, then: list[str],
                    deadline: float) -> Response:
        """Replace (``replace``) or extend ``graph`` with ``ntriples``, and run the update
        operations ``then`` in the same transaction: the engine's parser holds no large
        ``INSERT DATA`` (Virtuoso's ``SP031``), so they are written to a staging graph
        behind a marker, through the engine's Graph Store (one request: their blank nodes
        are their own), then brought in by one update (:meth:`RemoteStaging.commit`).

        :raises Deadline: past ``deadline``; what was staged is dropped.
        """
        staging = self.store.staging
        run = staging.new_run()

        def stage_and_commit() -> Response:
            where = staging.place(run, graph)
            staging.write(where, ntriples)
            target, staged_graph = ox.NamedNode(graph), ox.NamedNode(where)
            moves = ([f"DROP SILENT GRAPH {target}",  # MOVE SILENT from no graph (an empty
                      f"MOVE SILENT GRAPH {staged_graph} TO GRAPH {target}"]  # body) varies
                     if replace else [f"ADD SILENT GRAPH {staged_graph} TO GRAPH {target}",
                                      f"DROP SILENT GRAPH {staged_graph}"])
            staging.commit(" ;\n".join([*moves, *then, unmark(staging.meta_graph, run)]))
            return Answer(204, b"")

        answer: Response | None = None
        try:
            answer = self._guarded(deadline, stage_and_commit)
        finally:
            if answer is None or answer.status >= 300:  # else its markers are gone
                with contextlib.suppress(StoreError, UsageError):  # swept a day later
                    staging.abort(run)
        return answer

    def _guarded(self, deadline: float | None, ask: Callable[[], Response]) -> Response:
        """``ask``'s answer by ``deadline``, the store's errors as the engine's answers."""
        try:
            if deadline is None:
                return ask()
            with self.store.until(deadline):
                return ask()
        except StoreError as error:
            if error.type == "engine-timeout":
                raise Deadline from None
            if error.type == "engine-unavailable":
                raise
            return Answer(500, error.message.encode())
        except NotFoundError as error:
            return Answer(404, error.message.encode())
        except UsageError as error:
            return Answer(500 if error.type == "engine-credentials" else 400,
                          error.message.encode())

    def _answer(self, method: str, target: str, fields: list[tuple[str, str]],
                accept: str) -> Response:
        refused = _engine_only(fields)
        if refused is not None:
            return Answer(400, refused.encode())
        if target == "/query":
            return self._query(fields, accept)
        if target == "/update" and method == "POST":
            return self._update(fields)
        if target == "/store" and method in ("GET", "HEAD"):
            return self._graph(dict(fields).get("graph"), accept)
        return Answer(501, f"{method} {target} is not offered in front of a "
                      f"{self.store.dialect.kind} engine".encode())

    def _query(self, fields: list[tuple[str, str]], accept: str) -> Response:
        """The engine's answer, written again in the format asked as it comes."""
        text = next((value for name, value in fields if name == "query"), "")
        given = ([v for n, v in fields if n == DATASET[0]], [v for n, v in fields
                                                           if n == DATASET[1]])
        opened = self.store.open_query(text, union_default_graph=any(
            name == "union-default-graph" for name, _ in fields),
            dataset=given if given[0] or given[1] else None)
        media_type, chunks = opened.written(accept)
        return Streamed(media_type, chunks, opened.abandon)

    def _update(self, fields: list[tuple[str, str]]) -> Response:
        """The update, as the engine's writer; ``/sparql`` refused ``using-graph-uri``."""
        self.store.update(next((value for name, value in fields if name == "update"), ""))
        return Answer(204, b"")

    def _graph(self, graph: str | None, accept: str) -> Response:
        """One of psikg's graphs, or all of them (the Graph Store's ``GET``)."""
        fmt = ox.RdfFormat.from_media_type(accept) or (
            ox.RdfFormat.N_QUADS if graph is None else ox.RdfFormat.N_TRIPLES)
        if fmt in {joinable.rdf for joinable in JOINABLE_FORMATS}:  # never held whole
            parts = self.store.dump_parts(fmt, graph)
            return Streamed(fmt.media_type, parts, parts.close)
        output = io.BytesIO()
        self.store.dump(output, fmt, graph)
        return Answer(200, output.getvalue(), fmt.media_type)

    def has_graph(self, graph: str) -> bool:
        """Whether ``graph`` is one of psikg's graphs (an engine's own graph is not: a
        ``GRAPH <g> {}`` would match it, or on Virtuoso any graph, once)."""
        try:
            self.store.require_graph(graph)
        except NotFoundError:
            return False
        return True

    def kill_engine(self, pid: int | None) -> bool:
        """An engine psikg does not run is never stopped from here."""
        return False

    def drop(self) -> None:
        self.store.close()


def select_own(current: EndpointState, sparql: str, deadline: float,
               otherwise: Callable[[str], Iterable[ox.QuerySolution]]
               ) -> list[ox.QuerySolution]:
    """Every solution of one of the routes' own ``SELECT DISTINCT`` queries whose answer
    grows with the data (the compliance dashboard's bodies and tallies, the catalog's
    index and DCAT feed): a page at a time on an engine psikg does not run
    (:meth:`graph.remote.store.RemoteStore.select_paged`), else ``otherwise``'s answer.
    A user's query never comes here: it stays whole or an error.

    :raises HttpError: 503 past ``deadline`` (as ``otherwise`` says it).
    :raises StoreError: if the engine cut a page, or the data changed between pages.
    """
    engine = current.engine
    if not isinstance(engine, RemoteEngine):
        return list(otherwise(sparql))
    try:
        with engine.store.until(deadline):
            return select_whole(engine.store, sparql)
    except StoreError as error:
        if error.type == "engine-timeout":
            raise query_timeout(current.settings.timeout_s) from None
        raise


def limits(settings: Settings) -> str:
    """What ``psikg serve`` cannot do in front of this engine, in one line (said at start)."""
    return (f"psikg serve in front of the {settings.engine_kind} engine at "
            f"{settings.engine_url}: {dialect_for(settings.engine_kind).limits}; no /backup "
            "(501: back up with the engine's own tool); a query past --timeout-s is "
            "answered 503 but runs on in the engine until its own limit")


def install(app: Flask) -> None:
    """Refuse, with 501, the routes only an engine psikg runs can serve, saying what to do
    instead."""

    @app.before_request
    def refuse() -> None:
        if request.path.startswith(REFUSED):
            kind = state().settings.engine_kind
            raise HttpError(501, f"{request.path} needs the engine `psikg serve` runs itself; "
                            f"in front of the {kind} engine, back its store up with "
                            f"{dialect_for(kind).backup_advice}",
                            "not-offered-by-engine")

