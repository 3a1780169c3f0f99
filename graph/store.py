"""The on-disk store: one pyoxigraph store, one named graph per source.

Loading replaces a source's graphs atomically, at bulk-load speed where it
can. Nothing a load writes is visible until its commit, one small SPARQL
update (Oxigraph runs an update as one transaction):

- a graph that does not exist yet is bulk-loaded under its final name behind
  a *load marker* in the metadata graph; readers (:meth:`Store.query`) leave
  marked graphs out, and the commit removes the marker;
- a graph that exists keeps serving its old version while the new one is
  bulk-loaded into a *staging* graph (``urn:psikg:staging:…``); the commit
  moves it in. Oxigraph copies quads one at a time inside a transaction, so
  replacing a large graph is the slow case.

A load that dies part-way leaves only marked or staging graphs, which the
next process that opens the store removes: the old graphs stay as they were.

pyoxigraph's store is a RocksDB folder that one process at a time may open;
a second process gets :class:`~graph.errors.StoreError` of type
``store-locked``. Readers therefore live in the writer's process.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from pathlib import Path
from typing import IO
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from graph import provenance
from graph.commit import GENERATED
from graph.commit import Staged
from graph.commit import clear_batch
from graph.commit import commit_update
from graph.commit import mark
from graph.commit import previous_graphs_query
from graph.commit import staging_graphs
from graph.errors import NotFoundError
from graph.errors import StoreError
from graph.errors import UsageError
from graph.formats import check_dump_format
from graph.formats import holds_datasets
from graph.namespaces import meta_graph
from graph.provenance import ProvenanceRow
from graph.provenance import ValidationSummary
from graph.settings import DEFAULT_BASE_IRI
from graph.sources import FileLoading
from graph.sources import GraphInfo
from graph.sources import LoadResult
from graph.sources import Source
from graph.sources import StagedLoad
from graph.sources import sha256_of
from graph.sources import source_parse_error
from graph.sparql_text import has_dataset_clause
from graph.sparql_text import query_syntax_error

STAGING_PREFIX = "urn:psikg:staging:"
OPTIMIZE_AFTER_TRIPLES = 100_000
"""Loads that add at least this many triples are followed by ``optimize()``:
a freshly bulk-loaded store answers joins several times slower until compacted."""


class Store(FileLoading):
    """The psikg store at ``path``, opened for reading and writing.

    :param path: the store folder; created if missing.
    :param base_iri: base of graph names minted for sources.
    :raises StoreError: if another process holds the store or it cannot be opened.
    """

    def __init__(self, path: Path, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.path = Path(path)
        self.base_iri = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
        self.meta_graph = meta_graph(self.base_iri)
        self.writable = True
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"store path {self.path} is a file, not a folder",
                             type="store-invalid", file=str(self.path))
        self._store = self._opened()
        self._compacting: Future[None] | None = None
        self._remove_staging()

    def _opened(self) -> ox.Store:
        """The store, opened; a store this process closed but whose object a reference
        cycle still keeps (its lock with it) is collected first."""
        try:
            return ox.Store(str(self.path))
        except OSError as error:
            if "current process" not in str(error):
                raise self._open_error(error) from None
        gc.collect()
        try:
            return ox.Store(str(self.path))
        except OSError as error:
            raise self._open_error(error) from None

    def _open_error(self, error: OSError) -> StoreError:
        if "lock" in str(error).lower():
            from graph.engine.serving import locked_message

            return StoreError(locked_message(self.path), type="store-locked",
                              file=str(self.path))
        return StoreError(f"cannot open store {self.path}: {error}", type="store-invalid",
                          file=str(self.path))

    def close(self) -> None:
        """Release the store so that another process may open it."""
        self._finish_compaction()
        self._store.flush()
        del self._store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- loading -----------------------------------------------------------------------


    def load_file(self, path: Path, *, graph: str | None = None,
                  format_name: str | None = None) -> LoadResult:
        """Load one RDF file; see :meth:`load_files`."""
        return self.load_files([Path(path)], graph=graph, format_name=format_name)[0]



    def stage(self, sources: list[Source], *, compact: bool = False) -> StagedLoad:
        """Write sources where readers cannot see them; :meth:`commit` or :meth:`abort` next.

        :param compact: start compacting (:meth:`optimize_in_background`) once the sources
            are written, so that counting them, and what the caller does before committing,
            overlap the compaction the commit would otherwise run after a large load.

        :raises InputError: if a source does not parse (what was staged is removed).
        :raises UsageError: if a target graph is reserved or two sources share one.
        """
        run = f"{STAGING_PREFIX}{uuid.uuid4().hex}/"
        staged = StagedLoad(sources)
        try:
            for index, source in enumerate(sources):
                self._check_writable_name(source.default_graph)
                staged.places.append({})
                self._stage_source(source, f"{run}{index}/", staged.places[-1])
            staged.refuse_shared_graphs()
        except BaseException:
            self.abort(staged)
            raise
        if compact:
            self.optimize_in_background()
        staged.counts = [{name: self._count(where) for name, where in places.items()}
                         or {source.default_graph: 0}
                         for source, places in zip(sources, staged.places, strict=True)]
        return staged

    def commit(self, staged: StagedLoad) -> list[LoadResult]:
        """Make staged sources visible in one transaction, replacing their previous graphs."""
        results = [LoadResult(source.origin, source.checksum or sha256_of(source.path), counts)
                   for source, counts in zip(staged.sources, staged.counts, strict=True)]
        self._swap(list(zip(staged.sources, results, staged.places, strict=True)))
        compacted = self._finish_compaction()
        if not compacted and sum(result.triples for result in results) >= OPTIMIZE_AFTER_TRIPLES:
            self._store.optimize()
        return results

    def optimize_in_background(self) -> None:
        """Start compacting now, in a thread, so that it overlaps the caller's own work on a
        staged load (the budget aggregates); the next :meth:`commit` waits for it instead of
        compacting again. What is staged meanwhile (a few aggregates) is left to RocksDB's
        own compactions. pyoxigraph releases the GIL while it compacts."""
        if self._compacting is None:
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="psikg-optimize")
            self._compacting = pool.submit(self._store.optimize)
            pool.shutdown(wait=False)  # the thread ends with the compaction

    def _finish_compaction(self) -> bool:
        """Wait for a compaction started by :meth:`optimize_in_background`; whether one ran."""
        compacting, self._compacting = self._compacting, None
        if compacting is None:
            return False
        compacting.result()
        return True

    def abort(self, staged: StagedLoad) -> None:
        """Remove everything a staged load wrote; the store is as it was before."""
        self._finish_compaction()
        self._drop_staged(staged.places)

    def _stage_source(self, source: Source, run: str, places: dict[str, str]) -> None:
        try:
            self._stage(source, run, places)
        except SyntaxError as error:
            raise source_parse_error(error, source) from None
        except OSError as error:
            raise StoreError(f"writing to the store failed: {error}", type="store-write",
                             file=str(self.path)) from None

    def _check_writable_name(self, graph: str) -> None:
        if graph == self.meta_graph or graph.startswith(STAGING_PREFIX):
            raise UsageError(f"graph {graph} is reserved for psikg's own use",
                             type="reserved-graph", value=graph)

    def _stage(self, source: Source, run: str, places: dict[str, str]) -> None:
        """Write a source where readers cannot see it yet, recording ``name -> where``.

        A triple source whose graph does not exist yet is bulk-loaded under its
        final name, hidden behind a load marker: committing it is then a tiny
        transaction. A graph that exists must stay readable, so its new version
        goes to a staging graph and is brought in by the commit, by difference
        (:mod:`graph.commit`), the staging graph cleared after.
        """
        if not source.keep_graph_names and not holds_datasets(source.fmt):
            target = source.default_graph
            places[target] = self._hidden_name(run, target)
            if source.parts is not None:
                self._bulk_load_parts(source, source.parts, ox.NamedNode(places[target]))
                return
            self._store.bulk_load(**source.reader_arguments(), format=source.fmt,
                                  base_iri=source.origin, to_graph=ox.NamedNode(places[target]),
                                  lenient=source.lenient)
            return
        self._store.bulk_extend(self._renamed(source, run, places))

    def _bulk_load_parts(self, source: Source, parts: Iterable[bytes], graph: ox.NamedNode
                         ) -> None:
        """Bulk-load the parts in worker threads (:attr:`Source.loaders` at a time) while
        ``parts`` makes the next one; at most that many parts are held."""
        with ThreadPoolExecutor(max_workers=source.loaders,
                                thread_name_prefix="psikg-bulk-load") as pool:
            pending: list[Future[None]] = []
            try:
                for part in parts:
                    if len(pending) == source.loaders:
                        pending.pop(0).result()
                    pending.append(pool.submit(
                        self._store.bulk_load, input=part, format=source.fmt,
                        base_iri=source.origin, to_graph=graph, lenient=source.lenient))
                for loading in pending:
                    loading.result()
            except BaseException:
                wait(pending)  # the abort that follows must not race a part still loading
                raise

    def _hidden_name(self, run: str, target: str) -> str:
        """The final name behind a load marker if the graph is new, else a staging name."""
        if self._store.contains_named_graph(ox.NamedNode(target)):
            return run + quote(target, safe="")
        self._store.update(mark(self.meta_graph, run, target))
        return target

    def _renamed(self, source: Source, run: str, places: dict[str, str]) -> Iterator[ox.Quad]:
        """The source's quads moved to staging graphs (datasets always go through staging)."""
        for quad in ox.parse(**source.reader_arguments(), format=source.fmt,
                             base_iri=source.origin):
            name = quad.graph_name
            dest = (name.value if source.keep_graph_names and isinstance(name, ox.NamedNode)
                    else source.default_graph)
            if dest not in places:
                self._check_writable_name(dest)
                places[dest] = run + quote(dest, safe="")
            yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(places[dest]))

    def _drop_staged(self, staged: list[dict[str, str]]) -> None:
        """Undo a failed load: remove what it wrote and its load markers."""
        for stage in staged:
            for name in stage.values():
                self._clear(ox.NamedNode(name))
        self._clear_markers()

    def _clear(self, name: ox.NamedNode) -> None:
        """Remove a hidden graph in small transactions (:func:`graph.commit.clear_batch`):
        one transaction for a graph of a million quads would hold gigabytes."""
        if not self._store.contains_named_graph(name):
            return
        while self._store.query(f"ASK {{ GRAPH {name} {{ ?s ?p ?o }} }}"):
            self._store.update(clear_batch(name.value))
        self._store.remove_graph(name)

    def _unfinished(self) -> set[str]:
        """Graphs that a load is still writing (or was, when it died): not yet readable."""
        rows = self._select(
            f"SELECT ?g WHERE {{ GRAPH {ox.NamedNode(self.meta_graph)} {{ ?run {GENERATED} ?g "
            f"FILTER(STRSTARTS(STR(?run), \"{STAGING_PREFIX}\")) }} }}")
        return {row["g"].value for row in rows}

    def _clear_markers(self) -> None:
        self._store.update(
            f"DELETE WHERE {{ GRAPH {ox.NamedNode(self.meta_graph)} {{ ?run {GENERATED} ?g }} }}")

    def _remove_staging(self) -> None:
        """Remove what a load that died had written: staging graphs and unfinished graphs."""
        doomed = self._unfinished()
        for name in list(self._store.named_graphs()):
            if isinstance(name, ox.NamedNode) and (
                    name.value.startswith(STAGING_PREFIX) or name.value in doomed):
                self._clear(name)
        if doomed:
            self._clear_markers()

    def live_graphs(self) -> list[ox.NamedNode]:
        """The graphs readers may see: all but staging graphs and graphs still loading."""
        hidden = self._unfinished()
        return [name for name in self._store.named_graphs()
                if isinstance(name, ox.NamedNode)
                and not name.value.startswith(STAGING_PREFIX) and name.value not in hidden]

    def _select(self, sparql: str) -> ox.QuerySolutions:
        """Run one of psikg's own SELECT queries on the raw store (no live-graph filtering)."""
        rows = self._store.query(sparql)
        if not isinstance(rows, ox.QuerySolutions):
            raise TypeError(f"expected SELECT solutions, got {type(rows).__name__}")
        return rows

    def _count(self, graph: str) -> int:
        rows = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
        return int(next(iter(rows))["n"].value)

    def _previous_graphs(self, origin: str) -> set[str]:
        rows = self._select(previous_graphs_query(self.meta_graph, origin))
        return {row["g"].value for row in rows}

    def _swap(self, loads: list[Staged]) -> None:
        """In one transaction: retire old graphs, move staging in, record provenance (and
        remove every load marker: one process at a time loads offline)."""
        previous = {source.origin: self._previous_graphs(source.origin)
                    for source, _, _ in loads}
        self._store.update(commit_update(self.meta_graph, STAGING_PREFIX, loads, previous))
        for staging in staging_graphs(loads):  # hidden; what is left of a crash goes at open
            self._clear(ox.NamedNode(staging))

    # --- graphs ------------------------------------------------------------------------

    def require_graph(self, iri: str) -> None:
        """Check that the store or its metadata knows the graph ``iri``.

        :raises NotFoundError: if it does not.
        """
        if self._store.contains_named_graph(ox.NamedNode(iri)):
            return
        if iri not in {row.graph for row in self._provenance_rows()}:
            raise NotFoundError(f"no graph {iri} in store {self.path}", type="unknown-graph",
                                value=iri, expected="one of the IRIs `psikg graphs` lists")

    def drop_graph(self, iri: str) -> None:
        """Remove a graph and its provenance in one transaction.

        :raises NotFoundError: if neither the store nor its metadata knows the graph.
        """
        self.require_graph(iri)
        self._check_writable_name(iri)
        self._store.update(f"DROP SILENT GRAPH {ox.NamedNode(iri)} ;\n"
                           + provenance.delete_description(self.meta_graph, iri))

    def graphs(self) -> list[GraphInfo]:
        """Every named graph (the metadata graph included) with its provenance, by IRI."""
        records = {row.graph: row for row in self._provenance_rows()}
        names = {g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}
        names |= records.keys()
        infos = []
        for name in sorted(names):
            record = records.get(name)
            infos.append(GraphInfo(
                name,
                self._count(name),
                record.provenance if record else None,
                record.validation if record else None,
            ))
        return infos

    def _provenance_rows(self) -> Iterator[ProvenanceRow]:
        for row in self._select(provenance.list_query(self.meta_graph)):
            yield ProvenanceRow.from_solution(row)

    def record_validation(self, graph: str, summary: ValidationSummary) -> None:
        """Replace the stored outcome of the last validation of ``graph``."""
        self._store.update(provenance.delete_validation(self.meta_graph, graph) + " ;\n"
                           + provenance.insert_validation(self.meta_graph, graph, summary))

    def graph_ntriples(self, iri: str) -> bytes:
        """One graph as N-Triples, for handing to rdflib (validation)."""
        data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        return data or b""

    # --- reading -----------------------------------------------------------------------

    def query(self, sparql: str, *, substitutions: dict[ox.Variable, Any] | None = None,
              union_default_graph: bool = True, prefixes: Mapping[str, str] | None = None
              ) -> Any:
        """Run a SPARQL query.

        Unless the query names its own dataset (``FROM``), the default graph is
        the union of the live named graphs (:meth:`live_graphs`), as users of a
        quad store expect; graphs a load is still writing stay out of sight. (Oxigraph's
        own union joins faster than this list, but it would see a graph a load in another
        thread creates between the list and the query.)

        :param prefixes: prefixes the query may use without declaring them.
        :raises UsageError: if the query does not parse (with line and column).
        """
        options: dict[str, Any] = {}
        if union_default_graph and not has_dataset_clause(sparql):
            live = self.live_graphs()
            options.update(default_graph=live, named_graphs=live)
        if prefixes:
            options["prefixes"] = dict(prefixes)
        try:
            return self._store.query(sparql, substitutions=substitutions, **options)
        except SyntaxError as error:
            raise query_syntax_error(error, sparql) from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction.

        :raises UsageError: if the update does not parse.
        """
        try:
            self._store.update(sparql)
        except SyntaxError as error:
            raise query_syntax_error(error, sparql) from None

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """Write one graph, or the whole store for dataset formats, to ``output``.

        :raises UsageError: if a triple format is asked for the whole store.
        :raises NotFoundError: if ``graph`` is not in the store.
        """
        check_dump_format(fmt, graph)
        if graph is None:
            self._store.dump(output, format=fmt, prefixes=prefixes)
            return
        self.require_graph(graph)
        self._store.dump(output, format=fmt, from_graph=ox.NamedNode(graph), prefixes=prefixes)

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        """Every quad of ``graph``, staging graphs included, grouped by subject.

        For code that derives data from a staged graph before it is committed
        (the canned queries' aggregates, :mod:`graph.budget`).
        """
        return iter(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def optimize(self) -> None:
        """Compact the store; worth it after large bulk loads."""
        self._store.optimize()

