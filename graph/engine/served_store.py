"""The store of a running ``psikg serve``, for the command line: reads through its engine,
writes with the update token, with the guarantees of an offline load.

It satisfies :class:`graph.store_api.StoreWriter` as :class:`graph.store.Store` does, so
every command runs unchanged whether it opens the store itself or a server holds it.

- **Reads** go to ``/sparql`` (the union of the live graphs, as offline) and ``/store``
  (dumps), and come back as pyoxigraph values, so that the command line writes them as it
  writes the embedded store's.
- **Loads** go through ``/loads`` (:mod:`endpoint.loads`), staged as offline: on psikg's own
  engine a new graph is bulk-loaded under its final name behind a load marker, a new
  version of an existing graph into a staging graph, both outside any transaction
  (Oxigraph's ``no_transaction``); in front of another engine every graph goes into a
  staging graph (:mod:`endpoint.load_targets`). Either way they are hidden from readers
  until the commit, one small update built by :mod:`graph.commit` as the server says
  (by difference, or ``MOVE``). A client killed part-way leaves hidden graphs only; the
  old graphs stay whole.

Differences with the embedded store: the server's row cap (``--max-rows``) applies to
SELECT (an answer it cut is an error here, never a short answer), and a query that names
no graph reads the engine's union whatever ``union_default_graph`` says.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from pathlib import Path
from typing import IO
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from graph import provenance
from graph.chunk_stream import ChunkStream
from graph.commit import commit_update
from graph.commit import previous_graphs_query
from graph.engine.client import EngineClient
from graph.engine.client import Response
from graph.engine.loads import marked_graphs
from graph.engine.loads import of_a_load
from graph.errors import InputError
from graph.errors import NotFoundError
from graph.errors import StoreError
from graph.errors import UsageError
from graph.formats import check_dump_format
from graph.formats import holds_datasets
from graph.namespaces import meta_graph
from graph.provenance import ProvenanceRow
from graph.provenance import ValidationSummary
from graph.remote.pages import distinct_solutions
from graph.settings import DEFAULT_BASE_IRI
from graph.sources import FileLoading
from graph.sources import GraphInfo
from graph.sources import LoadResult
from graph.sources import Source
from graph.sources import StagedLoad
from graph.sources import sha256_of
from graph.sources import source_ntriples
from graph.sources import triples_by_graph
from graph.sparql_text import declare_prefixes
from graph.sparql_text import query_form
from graph.sparql_text import syntax_error
from graph.store import STAGING_PREFIX

JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
NQUADS = "application/n-quads"
_COUNTS = """SELECT ?g (COUNT(?s) AS ?n) WHERE { GRAPH ?g { OPTIONAL { ?s ?p ?o } } }
GROUP BY ?g"""


class ServedStore(FileLoading):
    """The store a ``psikg serve`` at ``url`` holds.

    :param url: the server's base URL (``http://127.0.0.1:8000``).
    :param base_iri: base of the graph names psikg mints (as the server was started with).
    :param token: the update token; reads need none, writes are refused without it.
    """

    def __init__(self, url: str, base_iri: str = DEFAULT_BASE_IRI,
                 token: str | None = None, load_kind: str = "load") -> None:
        self.url = url.rstrip("/")
        self.load_kind = load_kind
        """``load`` or ``harvest``: how the server's ``/metrics`` counts this store's loads."""
        self.base_iri = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
        self.meta_graph = meta_graph(self.base_iri)
        self._client = EngineClient(self.url)
        self._token = token
        self.writable = token is not None
        self._run: str | None = None
        self._by_difference = True
        """How the server's engine brings staged graphs in (``POST /loads`` says)."""

    def __enter__(self) -> ServedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.drop()

    # --- reading -----------------------------------------------------------------------

    def query(self, sparql: str, *, union_default_graph: bool = True,
              prefixes: Mapping[str, str] | None = None) -> Any:
        """Run a query on the server: solutions, a boolean, or a list of triples.

        :raises UsageError: if it does not parse (line and column as the author wrote it).
        :raises StoreError: if the server cut the answer at its row cap.
        """
        text = declare_prefixes(sparql, prefixes) if prefixes else sparql
        graph_form = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        answer = self._call("POST", "/sparql", text.encode(), {
            "Content-Type": "application/sparql-query",
            "Accept": NTRIPLES if graph_form else JSON_RESULTS})
        if answer.status == 400:
            raise self._syntax_error(answer, sparql, len(text) - len(sparql))
        body = self._body(answer)
        if answer.headers.get("psikg-truncated") == "true":
            raise StoreError(f"the server at {self.url} cut the answer at "
                             f"{answer.headers.get('psikg-max-rows')} rows (its --max-rows); "
                             "page the query with LIMIT and OFFSET", type="result-truncated")
        if graph_form:
            return [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def select_paged(self, sparql: str) -> list[ox.QuerySolution]:
        """Every solution of one of psikg's own ``SELECT DISTINCT`` queries, a page at a
        time (:func:`graph.remote.pages.distinct_solutions`): the server's ``--max-rows``,
        or the row cap of the engine it is in front of, would cut it whole
        (:class:`graph.store_api.PagedReads`)."""
        return distinct_solutions(lambda text: (self.query(text), ""), sparql, self.url)

    def live_graphs(self) -> list[ox.NamedNode]:
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { } }")
        return [row["g"] for row in rows if isinstance(row["g"], ox.NamedNode)]

    def graphs(self) -> list[GraphInfo]:
        records = {row.graph: row for row in self._provenance_rows()}
        counts = {row["g"].value: int(row["n"].value) for row in self.query(_COUNTS)}
        return [GraphInfo(name, counts.get(name, 0),
                          records[name].provenance if name in records else None,
                          records[name].validation if name in records else None)
                for name in sorted(counts.keys() | records.keys())]

    def _provenance_rows(self) -> Iterator[ProvenanceRow]:
        for row in self.query(provenance.list_query(self.meta_graph)):
            yield ProvenanceRow.from_solution(row)

    def require_graph(self, iri: str) -> None:
        if self.query(f"ASK {{ GRAPH {ox.NamedNode(iri)} {{ }} }}"):
            return
        if iri not in {row.graph for row in self._provenance_rows()}:
            raise NotFoundError(f"no graph {iri} in the store of {self.url}",
                                type="unknown-graph", value=iri,
                                expected="one of the IRIs `psikg graphs` lists")

    def graph_ntriples(self, iri: str) -> bytes:
        """A graph (a staged one too: it is named with ``FROM``) as N-Triples."""
        answer = self._call("POST", "/sparql", (
            f"CONSTRUCT {{ ?s ?p ?o }} FROM {ox.NamedNode(iri)} WHERE {{ ?s ?p ?o }}").encode(),
            {"Content-Type": "application/sparql-query", "Accept": NTRIPLES})
        return self._body(answer)

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph)
        return (ox.Quad(q.subject, q.predicate, q.object, name)
                for q in ox.parse(self.graph_ntriples(graph), format=ox.RdfFormat.N_TRIPLES))

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """The server's N-Triples or N-Quads, written by pyoxigraph as offline.

        :raises UsageError: if a triple format is asked for the whole store.
        :raises NotFoundError: if ``graph`` is not in the store.
        """
        check_dump_format(fmt, graph)
        if graph is not None:
            self.require_graph(graph)
        path = "/store?" + urlencode({"graph": graph}) if graph else "/store"
        answer = self._call("GET", path, None, {"Accept": NTRIPLES if graph else NQUADS})
        if answer.status >= 300:
            self._body(answer)
        body = io.BufferedReader(ChunkStream(answer.chunks()), 1 << 16)
        quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES if graph
                         else ox.RdfFormat.N_QUADS)
        if graph is not None:
            ox.serialize((q.triple for q in quads), output, format=fmt, prefixes=prefixes)
            return
        marked = {row["g"].value for row in self.query(marked_graphs(self.meta_graph))}
        ox.serialize((q for q in quads if not of_a_load(q, marked)), output, format=fmt,
                     prefixes=prefixes)

    # --- loading -----------------------------------------------------------------------




    def stage(self, sources: list[Source], *, compact: bool = False) -> StagedLoad:
        """Bulk-load the sources into the server, hidden from readers until :meth:`commit`.

        Further calls before the commit (the budget aggregates) join the same load.
        """
        if self._run is None:
            started = self._json("POST", "/loads?" + urlencode({"kind": self.load_kind}), None)
            self._run = started["run"]
            self._by_difference = started.get("commit", "difference") == "difference"
        staged = StagedLoad(sources)
        try:
            for source in sources:
                staged.places.append({})
                self._stage_source(source, staged.places[-1])
            staged.refuse_shared_graphs()
        except BaseException:
            self.abort(staged)
            raise
        staged.counts = [{name: self._count(where) for name, where in places.items()}
                         or {source.default_graph: 0}
                         for source, places in zip(sources, staged.places, strict=True)]
        return staged

    def _stage_source(self, source: Source, places: dict[str, str]) -> None:
        if not source.keep_graph_names and not holds_datasets(source.fmt):
            target = source.default_graph
            where = self._json("POST", self._load_path("graphs", graph=target), None)["where"]
            places[target] = where
            if source.parts is None:
                self._send_part(where, source_ntriples(source), source.lenient)
            else:
                self._send_parts(where, source)
            return
        for dest, triples in triples_by_graph(source).items():
            where = self._json("POST", self._load_path("graphs", graph=dest, staging="1"),
                               None)["where"]
            places[dest] = where
            self._send_part(where, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"",
                            True)

    def _send_parts(self, where: str, source: Source) -> None:
        """Send the parts from a worker thread while the caller's iterator makes the next
        (at most :attr:`Source.loaders` waiting), as :class:`graph.store.Store` bulk-loads
        them: the server's engine loads one part while psikg converts the next."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="psikg-send") as pool:
            pending: list[Future[None]] = []
            try:
                for part in source.parts or ():
                    if len(pending) == source.loaders:
                        pending.pop(0).result()
                    pending.append(pool.submit(self._send_part, where, part, source.lenient))
                for sending in pending:
                    sending.result()
            except BaseException:
                wait(pending)  # the abort that follows must not race a part being sent
                raise

    def _send_part(self, where: str, part: bytes, lenient: bool) -> None:
        arguments = {"graph": where, **({"lenient": "1"} if lenient else {})}
        self._body(self._call("POST", self._load_path("data", **arguments), part,
                              {"Content-Type": NTRIPLES}, write=True))

    def _count(self, where: str) -> int:
        rows = self.query(f"SELECT (COUNT(*) AS ?n) FROM {ox.NamedNode(where)} "
                          "WHERE { ?s ?p ?o }")
        return int(next(iter(rows))["n"].value)

    def commit(self, staged: StagedLoad) -> list[LoadResult]:
        """Make the load visible in one update on the server."""
        if self._run is None:
            raise StoreError("nothing is staged on the server", type="store-write")
        results = [LoadResult(source.origin, source.checksum or sha256_of(source.path), counts)
                   for source, counts in zip(staged.sources, staged.counts, strict=True)]
        previous = {source.origin: {row["g"].value for row in self.query(
            previous_graphs_query(self.meta_graph, source.origin))} for source in staged.sources}
        update = commit_update(self.meta_graph, self._run, list(
            zip(staged.sources, results, staged.places, strict=True)), previous,
            by_difference=self._by_difference)
        self._body(self._call("POST", self._load_path("commit"), update.encode(),
                              {"Content-Type": "application/sparql-update"}, write=True))
        self._run = None
        return results

    def abort(self, staged: StagedLoad) -> None:
        """Remove what the load wrote on the server."""
        if self._run is not None:
            run, self._run = self._run, None
            self._body(self._call("DELETE", self._load_path("", run=run), None, {},
                                  write=True))

    def optimize_in_background(self) -> None:
        """The server's engine compacts on its own."""

    def drop_graph(self, iri: str) -> None:
        self.require_graph(iri)
        answer = self._call("DELETE", "/store?" + urlencode({"graph": iri}), None, {},
                            write=True)
        if answer.status != 404:  # known to the metadata only: nothing to drop there
            self._body(answer)

    def record_validation(self, graph: str, summary: ValidationSummary) -> None:
        self._body(self._call("PUT", "/loads/validation?" + urlencode({"graph": graph}),
                              json.dumps(summary.to_json()).encode(),
                              {"Content-Type": "application/json"},
                              write=True))

    def backup(self, destination: Path) -> dict[str, Any]:
        """Have the server back its store up into ``destination``, a new folder on the
        server's machine (``POST /backup``); its answer: the manifest, how long the engine
        was paused."""
        body = json.dumps({"destination": str(destination)}).encode()
        answer = self._call("POST", "/backup", body, {"Content-Type": "application/json"},
                            write=True)
        found: dict[str, Any] = json.loads(self._body(answer))
        return found

    # --- HTTP --------------------------------------------------------------------------

    def _load_path(self, step: str, run: str | None = None, **arguments: str) -> str:
        run_id = (run or self._run or "").removeprefix(STAGING_PREFIX).strip("/")
        path = f"/loads/{run_id}" + (f"/{step}" if step else "")
        return path + ("?" + urlencode(arguments) if arguments else "")

    def _call(self, method: str, path: str, body: bytes | None, headers: dict[str, str],
              write: bool = False) -> Response:
        if write or path.startswith("/loads"):
            if self._token is None:
                raise UsageError(f"writing to the store of the running `psikg serve` at "
                                 f"{self.url} needs its update token: give --token-file "
                                 "FILE or set PSIKG_UPDATE_TOKEN_FILE", type="token-missing")
            headers = {**headers, "Authorization": f"Bearer {self._token}"}
        return self._client.call(method, path, body=body, headers=headers)

    def _json(self, method: str, path: str, body: bytes | None) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self._body(self._call(method, path, body, {})))
        return found

    def _body(self, answer: Response) -> bytes:
        body = answer.read()
        if answer.status < 300:
            return body
        message = _message(body) or f"HTTP {answer.status}"
        text = f"the server at {self.url} refused: {message}"
        if answer.status in (401, 403):
            raise UsageError(text, type="server-refused")
        if answer.status == 404:
            raise NotFoundError(text, type="not-found")
        if answer.status in (400, 413, 415):
            raise InputError(text, type="server-refused")
        raise StoreError(text, type="server-error")

    def _syntax_error(self, answer: Response, text: str, shift: int) -> UsageError:
        """The server's 400: a parse error said as offline, else its own words."""
        body = answer.read()
        try:
            error = json.loads(body)["errors"][0]
            if error["type"] == "invalid-query":
                message = str(error["message"]).split(": ", 1)[-1]
                return syntax_error(message, error.get("line"), error.get("column"), text,
                                    shift)
        except (ValueError, KeyError, IndexError, TypeError):
            pass
        return UsageError(f"the server at {self.url} refused the query: {_message(body)}",
                          type="query-refused")


def _message(body: bytes) -> str:
    """The ``error`` of psikg's JSON error body, else the text itself."""
    try:
        return str(json.loads(body)["error"])
    except (ValueError, KeyError, TypeError):
        return body.decode("utf-8", "replace").strip()[:300]
