"""The store behind a SPARQL 1.1 engine psikg does not run (Virtuoso, a remote Oxigraph,
any server of the three protocols): a third :class:`graph.store_api.StoreWriter`, beside
the embedded store (:mod:`graph.store`) and a running ``psikg serve``
(:mod:`graph.engine.served_store`).

- **psikg's graphs** are those its metadata graph records (and that graph itself): an
  engine holds graphs of its own (Virtuoso's five system graphs), which psikg's union of
  graphs must not see. A query that names no dataset is sent with those graphs as its
  default and named graphs (``default-graph-uri``, ``named-graph-uri``), with the
  workarounds Virtuoso needs (:meth:`RemoteStore._over_union`).
- **Answers are whole or an error**: an engine that says it reached its row cap
  (:attr:`graph.remote.dialects.Dialect.capped_header`) gets a ``result-truncated`` error,
  and psikg's own reads of whole graphs go a page at a time (:mod:`graph.remote.pages`).
- **Loads are atomic per source**: each graph is written (Graph Store POST of N-Triples)
  into a staging graph named under ``urn:psikg:staging:``, recorded by a load marker, and
  moved in by one update built by :mod:`graph.commit` (``DROP``, ``MOVE``, provenance).
  A load killed before that update leaves the old graph whole; its staging graph stays
  behind its marker, out of psikg's union, until a load a day later removes it.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import IO
from typing import Any

import pyoxigraph as ox

from graph import provenance
from graph.commit import commit_update
from graph.commit import previous_graphs_query
from graph.errors import NotFoundError
from graph.errors import PsikgError
from graph.errors import StoreError
from graph.errors import UsageError
from graph.formats import JOINABLE_FORMATS
from graph.formats import check_dump_format
from graph.formats import holds_datasets
from graph.namespaces import meta_graph
from graph.provenance import ProvenanceRow
from graph.provenance import ValidationSummary
from graph.remote import pages
from graph.remote import records
from graph.remote.answers import OpenAnswer
from graph.remote.answers import in_batches
from graph.remote.ask import ask_as_select
from graph.remote.constructs import COUNT_VARIABLE
from graph.remote.constructs import solution_count_query
from graph.remote.constructs import whole_graph
from graph.remote.dialects import dialect_for
from graph.remote.graph_scope import empty_graph_patterns_listed
from graph.remote.graph_scope import foreign_graphs_emptied
from graph.remote.graph_scope import names_a_graph
from graph.remote.graph_scope import scope_graph_variables
from graph.remote.lateral import lateral_as_join
from graph.remote.limits import Sent
from graph.remote.limits import fit_sorted
from graph.remote.limits import within_own_limit
from graph.remote.protocol import JSON_RESULTS
from graph.remote.protocol import NTRIPLES
from graph.remote.protocol import XML_RESULTS
from graph.remote.protocol import Opened
from graph.remote.protocol import SparqlProtocol
from graph.remote.staging import RemoteStaging
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
from graph.sparql_text import has_dataset_clause
from graph.sparql_text import query_form
from graph.store import STAGING_PREFIX

EMPTY_GRAPH = "urn:psikg:no-graph"
"""A graph psikg never writes: the default graph of a query that must not see the union."""
LEFTOVER_AFTER_S = 24 * 3600.0
"""How old an uncommitted load must be before another load takes it for a killed one."""
UNION_MAX_AGE_S = 1.0
"""How long a query may use psikg's list of graphs read for an earlier one. Reading it is a
round trip of its own, about as long as a lookup on Virtuoso (docs/performance.md). A load
replaces a graph under its name, so a list a second old misses only a source first loaded
(or dropped) by another process within that second; this process's own writes read it
again."""
_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class RemoteStore(FileLoading):
    """psikg's store in the engine at ``url``.

    :param kind: ``oxigraph``, ``virtuoso`` or ``generic`` (:mod:`graph.remote.dialects`).
    :param user: who writes (HTTP Digest); reads are anonymous.
    :param timeout_s: longest a query may run.
    :raises UsageError: if ``kind`` is unknown.
    """

    def __init__(self, url: str, kind: str = "generic", base_iri: str = DEFAULT_BASE_IRI,
                 user: str = "", password: str = "", timeout_s: float = 30.0) -> None:
        self.dialect = dialect_for(kind)
        self.url = url.rstrip("/")
        self.base_iri = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
        self.meta_graph = meta_graph(self.base_iri)
        self.writable = True
        self._protocol = SparqlProtocol(self.url, self.dialect, user, password, timeout_s)
        self.staging = RemoteStaging(self._protocol, self.meta_graph,
                                     committed=self._forget_union)
        """Where loads write before their commit, for this store's loads and for
        ``psikg serve``'s ``/loads`` (:mod:`graph.remote.staging`)."""
        self._run: str | None = None
        self._union_kept: tuple[float, list[str]] = (-UNION_MAX_AGE_S, [])
        self.leftover_after_s = LEFTOVER_AFTER_S
        """A load whose staging graphs are older than this was killed: the next load
        removes them."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._protocol.close()

    def until(self, deadline: float) -> AbstractContextManager[None]:
        """This thread's calls to the engine within the block end at ``deadline``."""
        return self._protocol.until(deadline)

    def update(self, text: str) -> None:
        """Run a SPARQL update as the engine's writer (``psikg serve``'s ``/sparql``, after
        its own checks of the token and of psikg's reserved graphs)."""
        self._protocol.update(text)
        self._forget_union()

    @property
    def limits(self) -> str:
        """What this engine cannot do, in one line (said when a command starts)."""
        return f"psikg works on the {self.dialect.kind} engine at {self.url}: " \
            f"{self.dialect.limits}"

    # --- reading -----------------------------------------------------------------------

    def query(self, sparql: str, *, union_default_graph: bool = True,
              prefixes: Mapping[str, str] | None = None,
              dataset: tuple[list[str], list[str]] | None = None) -> Any:
        """Run a query on the engine: solutions, a boolean, or triples, parsed as they are
        iterated (:meth:`open_query`)."""
        return self.open_query(sparql, union_default_graph=union_default_graph,
                               prefixes=prefixes, dataset=dataset).parsed()

    def open_query(self, sparql: str, *, union_default_graph: bool = True,
                   prefixes: Mapping[str, str] | None = None,
                   dataset: tuple[list[str], list[str]] | None = None) -> OpenAnswer:
        """Send a query to the engine; its answer to be read as it comes.

        Unless it names its own dataset (``FROM``, or ``dataset``: the protocol's default
        and named graphs), it reads the union of psikg's graphs.

        :raises UsageError: if the engine refuses it (in its own words).
        :raises StoreError: if the engine says it cut the answer at its row cap.
        """
        text = declare_prefixes(sparql, prefixes) if prefixes else sparql
        whole = whole_graph(sparql) if self.dialect.graph_answer_rows else None
        if whole is not None:  # the engine would cut it: read it a page at a time
            return OpenAnswer.paged(pages.graph_triples(self._protocol, whole), self.url)
        counted = text
        if not self.dialect.lateral:
            text = lateral_as_join(text)
        form = query_form(sparql)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        if form == "CONSTRUCT" and self.dialect.graph_answer_rows:  # before this answer opens
            self._check_solutions(counted, union_default_graph, dataset)
        by_select = form == "ASK" and self.dialect.asks_by_select
        if by_select:
            text = ask_as_select(text)
        accept = NTRIPLES if graph_form else JSON_RESULTS if by_select else XML_RESULTS
        if dataset is not None or has_dataset_clause(sparql):
            sent = fit_sorted(text, self.dialect.max_sorted_rows)
            opened = self._protocol.open_query(sent.text, accept, *(dataset or ([], [])))
        else:
            sent, opened = self._over_union(text, accept, union_default_graph)
        if opened.cap and not within_own_limit(sent.text, opened.cap):
            opened.response.abandon()
            raise StoreError(f"the engine at {self.url} cut the answer at its cap of "
                             f"{opened.cap} rows; page the query with LIMIT and OFFSET, or "
                             "raise the engine's cap (Virtuoso: ResultSetMaxRows)",
                             type="result-truncated")
        return OpenAnswer(opened.response, sent, graph_form, by_select, self.url)

    def _check_solutions(self, construct: str, union_default_graph: bool,
                         dataset: tuple[list[str], list[str]] | None) -> None:
        """:raises StoreError: if the CONSTRUCT has as many solutions as the engine's cap
        (it may have cut the answer without saying so: :mod:`graph.remote.constructs`)."""
        counting = solution_count_query(construct)
        rows = list(self.query(counting, union_default_graph=union_default_graph,
                               dataset=dataset)) if counting else []
        found = int(rows[0][COUNT_VARIABLE].value) if rows else None
        if found is None or found >= self.dialect.graph_answer_rows:
            raise StoreError(f"the engine at {self.url} cuts a CONSTRUCT answer at its cap "
                             f"of {self.dialect.graph_answer_rows} solutions without saying "
                             "so, and this one has " + (f"{found}" if found is not None else
                                                        "solutions psikg cannot count")
                             + ": narrow it, or page it with LIMIT and OFFSET",
                             type="result-truncated")

    def select_paged(self, sparql: str) -> list[ox.QuerySolution]:
        """Every solution of one of psikg's own ``SELECT DISTINCT`` queries, read a page at
        a time if the engine caps answers (:func:`graph.remote.pages.distinct_solutions`).

        :raises StoreError: if a page was cut, or the data changed between pages.
        """
        if not (self.dialect.capped_header or self.dialect.graph_answer_rows):
            return list(self.query(sparql))
        return pages.distinct_solutions(self._select_page, sparql, self.url)

    def _select_page(self, text: str) -> tuple[ox.QuerySolutions, str]:
        """One SELECT over the dataset it names, else psikg's graphs: its solutions and the
        cap the engine says it reached (:data:`graph.remote.pages.PageSender`)."""
        if not self.dialect.lateral:
            text = lateral_as_join(text)
        if has_dataset_clause(text):
            opened = self._protocol.open_query(text, JSON_RESULTS)
        else:
            opened = self._over_union(text, JSON_RESULTS, True)[1]
        return pages.solutions(opened.response.read()), opened.cap

    def _over_union(self, text: str, accept: str, union_default_graph: bool
                    ) -> tuple[Sent, Opened]:
        """Run a query that names no dataset over psikg's graphs: they are its named graphs
        and, with ``union_default_graph``, its default graph (else an empty one, as
        offline).

        On Virtuoso a ``GRAPH <iri>`` naming no graph of psikg's names an empty graph (it
        would match once, empty, over a dataset that does not hold it), and a query whose
        plan fails (``SQ200``) is asked again with the graphs in its text
        (:mod:`graph.remote.graph_scope`) if it names none by IRI.
        """
        graphs = self._union_kept_for_queries()
        default = graphs if union_default_graph else [EMPTY_GRAPH]
        if self.dialect.empties_foreign_graphs:
            text = foreign_graphs_emptied(text, graphs, EMPTY_GRAPH)
        text = empty_graph_patterns_listed(text, graphs)  # GRAPH ?g { }: not EMPTY_GRAPH
        sent = fit_sorted(text, self.dialect.max_sorted_rows)
        try:
            return sent, self._protocol.open_query(sent.text, accept, default,
                                                   [*graphs, EMPTY_GRAPH])
        except PsikgError as error:
            if not (self.dialect.replan_on and self.dialect.replan_on in str(error)
                    and not names_a_graph(text)):
                raise
            failure = error
        try:
            scoped = scope_graph_variables(text, graphs, correlated=True)
        except ValueError:
            raise failure from None
        sent = fit_sorted(scoped, self.dialect.max_sorted_rows)
        return sent, self._protocol.open_query(sent.text, accept, default)

    def _recorded(self) -> list[str]:
        """The graphs psikg's metadata graph records, as it lists them."""
        rows = pages.select(self._protocol, provenance.names_query(self.meta_graph))
        return sorted({row["graph"].value for row in rows})

    def _union(self) -> list[str]:
        """psikg's graphs: the recorded ones and the metadata graph (never empty, so that
        the engine's own graphs never come in through an empty dataset)."""
        return [self.meta_graph, *(g for g in self._recorded() if g != self.meta_graph)]

    def _union_kept_for_queries(self) -> list[str]:
        """:meth:`_union`, read again once it is :data:`UNION_MAX_AGE_S` old."""
        read_at, graphs = self._union_kept
        if time.monotonic() - read_at >= UNION_MAX_AGE_S:
            graphs = self._union()
            self._union_kept = (time.monotonic(), graphs)
        return graphs

    def _forget_union(self) -> None:
        """After a write of this process's: the next query reads the list again."""
        self._union_kept = (-UNION_MAX_AGE_S, [])

    def live_graphs(self) -> list[ox.NamedNode]:
        return [ox.NamedNode(name) for name in self._union()]

    def graphs(self) -> list[GraphInfo]:
        records = {row.graph: row for row in self._provenance_rows()}
        names = [self.meta_graph, *records]
        counts = {row["g"].value: int(row["n"].value)
                  for row in pages.select(self._protocol, _COUNTS, named_graphs=names)}
        return [GraphInfo(name, counts.get(name, 0),
                          records[name].provenance if name in records else None,
                          records[name].validation if name in records else None)
                for name in sorted(set(names)) if name in counts or name in records]

    def _provenance_rows(self) -> Iterator[ProvenanceRow]:
        rows = pages.select(self._protocol, provenance.list_query(self.meta_graph))
        return (ProvenanceRow.from_solution(row) for row in rows)

    def require_graph(self, iri: str) -> None:
        """:raises NotFoundError: if ``iri`` is none of psikg's graphs (an engine's own
        graph is never exported nor dropped through psikg)."""
        if iri in self._union():
            return
        raise NotFoundError(f"no graph {iri} in the store of the engine at {self.url}",
                            type="unknown-graph", value=iri,
                            expected="one of the IRIs `psikg graphs` lists")

    def graph_ntriples(self, iri: str) -> bytes:
        return ox.serialize(pages.graph_triples(self._protocol, iri),
                            format=ox.RdfFormat.N_TRIPLES) or b""

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph)
        return (ox.Quad(t.subject, t.predicate, t.object, name)
                for t in pages.graph_triples(self._protocol, graph))

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """One graph, or every graph of psikg's in a dataset format, to ``output``.

        :raises UsageError: if a triple format is asked for the whole store.
        :raises NotFoundError: if ``graph`` is not in the store.
        """
        ox.serialize(self._dumped(fmt, graph), output, format=fmt, prefixes=prefixes)

    def dump_parts(self, fmt: ox.RdfFormat, graph: str | None = None
                   ) -> Generator[bytes, None, None]:
        """:meth:`dump` a batch of triples at a time, as it is read, for a format of
        :data:`graph.formats.JOINABLE_FORMATS` (bounded memory for a graph of any size).

        :raises UsageError: if the format cannot be written so, or is a triple format
            asked for the whole store.
        :raises NotFoundError: if ``graph`` is not in the store (before a byte is given).
        """
        if fmt not in {joinable.rdf for joinable in JOINABLE_FORMATS}:
            raise UsageError(f"{fmt.name} cannot be written a part at a time",
                             type="invalid-format", value=fmt.media_type)
        return in_batches(self._dumped(fmt, graph), fmt, pages.PAGE_ROWS)

    def _dumped(self, fmt: ox.RdfFormat, graph: str | None
                ) -> Iterator[ox.Triple] | Iterator[ox.Quad]:
        """What :meth:`dump` writes, read a page at a time (checked before any is read)."""
        check_dump_format(fmt, graph)
        if graph is not None:
            self.require_graph(graph)
            return pages.graph_triples(self._protocol, graph)
        return (quad for name in sorted(set(self._union())) for quad in self.graph_quads(name))

    # --- loading -----------------------------------------------------------------------

    def stage(self, sources: list[Source], *, compact: bool = False) -> StagedLoad:
        """Write each source's graphs into staging graphs, out of every reader's sight
        (:mod:`graph.remote.staging`).

        Further calls before the commit (the budget aggregates) join the same load.
        """
        if self._run is None:
            self.staging.remove_leftovers(self.leftover_after_s)
            self._run = self.staging.new_run()
        staged = StagedLoad(sources)
        try:
            for source in sources:
                staged.places.append({})
                self._stage_source(self._run, source, staged.places[-1])
            staged.refuse_shared_graphs()
        except BaseException:
            self.abort(staged)
            raise
        staged.counts = [{name: pages.count(self._protocol, where)
                          for name, where in places.items()} or {source.default_graph: 0}
                         for source, places in zip(sources, staged.places, strict=True)]
        return staged

    def _stage_source(self, run: str, source: Source, places: dict[str, str]) -> None:
        if not source.keep_graph_names and not holds_datasets(source.fmt):
            where = places[source.default_graph] = self.staging.place(run,
                                                                       source.default_graph)
            self.staging.write_parts(where, source.parts if source.parts is not None
                                     else [source_ntriples(source)])
            return
        for dest, triples in triples_by_graph(source).items():
            places[dest] = self.staging.place(run, dest)
            self.staging.write(places[dest],
                               ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")

    def commit(self, staged: StagedLoad) -> list[LoadResult]:
        """Make the load visible in one update: old graphs dropped, staging graphs moved
        in, provenance replaced, markers removed."""
        if self._run is None:
            raise StoreError("nothing is staged in the engine", type="store-write")
        results = [LoadResult(source.origin, source.checksum or sha256_of(source.path), counts)
                   for source, counts in zip(staged.sources, staged.counts, strict=True)]
        previous = {source.origin: {row["g"].value for row in pages.select(
            self._protocol, previous_graphs_query(self.meta_graph, source.origin))}
            for source in staged.sources}
        update = commit_update(self.meta_graph, self._run, list(
            zip(staged.sources, results, staged.places, strict=True)), previous,
            by_difference=False)
        try:
            self.staging.commit(update)  # one transaction
        except BaseException:
            self.abort(staged)  # after a commit that did run, it finds nothing to drop
            raise
        self._run = None
        return results

    def abort(self, staged: StagedLoad) -> None:
        """Drop what the load wrote, and its markers."""
        if self._run is not None:
            run, self._run = self._run, None
            self.staging.abort(run)

    def optimize_in_background(self) -> None:
        """The engine compacts on its own."""

    def drop_graph(self, iri: str) -> None:
        self.require_graph(iri)
        if iri == self.meta_graph or iri.startswith(STAGING_PREFIX):
            raise UsageError(f"graph {iri} is reserved for psikg's own use",
                             type="reserved-graph", value=iri)
        try:
            self._protocol.update_unlogged(f"DROP SILENT GRAPH {ox.NamedNode(iri)} ;\n"
                                           + provenance.delete_description(self.meta_graph,
                                                                           iri))
        finally:
            self._forget_union()

    def record_validation(self, graph: str, summary: ValidationSummary) -> None:
        records.record_validation(self._protocol, self.staging, graph, summary)


