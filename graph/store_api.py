"""What the commands and the packages need of a store, whether psikg opens it itself or a
running ``psikg serve`` holds it: the one seam between them and the engine.

:class:`graph.store.Store` (the embedded Oxigraph store) and
:class:`graph.engine.served_store.ServedStore` (the store of a running ``psikg serve``,
read through its engine and written with the update token) both satisfy these protocols;
code that reads or loads takes a :class:`StoreReader` or a :class:`StoreWriter`, never one
of them by name. A store behind another SPARQL 1.1 engine is a third implementation.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from pathlib import Path
from typing import IO
from typing import Any
from typing import Protocol
from typing import runtime_checkable

import pyoxigraph as ox

from graph.provenance import ValidationSummary
from graph.sources import GraphInfo
from graph.sources import LoadResult
from graph.sources import Source
from graph.sources import StagedLoad


class StoreReader(Protocol):
    """A store psikg reads: SPARQL over the union of its live graphs, its graphs, dumps."""

    base_iri: str
    meta_graph: str
    writable: bool
    """Whether writes may be made (a served store without the update token is read-only)."""

    def query(self, sparql: str, *, union_default_graph: bool = True,
              prefixes: Mapping[str, str] | None = None) -> Any:
        """Solutions (:class:`pyoxigraph.QuerySolutions`), a :class:`pyoxigraph.QueryBoolean`,
        or triples (an iterable of :class:`pyoxigraph.Triple`) for CONSTRUCT and DESCRIBE."""

    def live_graphs(self) -> list[ox.NamedNode]:
        """The graphs readers may see (no graph a load is still writing)."""

    def graphs(self) -> list[GraphInfo]:
        """Every named graph with its triples, provenance and last validation."""

    def require_graph(self, iri: str) -> None:
        """:raises NotFoundError: if neither the store nor its metadata knows ``iri``."""

    def graph_ntriples(self, iri: str) -> bytes:
        """One graph (a staged one too) as N-Triples."""

    def graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        """Every quad of ``graph``, staged graphs included."""

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None,
             prefixes: dict[str, str] | None = None) -> None:
        """One graph, or the whole store in a dataset format, to ``output``."""

    def close(self) -> None:
        """Let the store go."""

    def __enter__(self) -> StoreReader: ...

    def __exit__(self, *exc: object) -> None: ...


class StoreWriter(StoreReader, Protocol):
    """A store psikg also loads: staged writes committed in one small update."""

    def source_graph(self, path: Path) -> str:
        """The graph name minted for a source file."""

    def load_files(self, paths: list[Path], *, graph: str | None = None,
                   format_name: str | None = None) -> list[LoadResult]:
        """Load RDF files, each replacing the graphs it loaded last time, all or nothing."""

    def stage(self, sources: list[Source], *, compact: bool = False) -> StagedLoad:
        """Write sources where readers cannot see them."""

    def commit(self, staged: StagedLoad) -> list[LoadResult]:
        """Make staged sources visible in one update, replacing their previous graphs."""

    def abort(self, staged: StagedLoad) -> None:
        """Remove everything a staged load wrote."""

    def optimize_in_background(self) -> None:
        """Start compacting, if the store compacts."""

    def drop_graph(self, iri: str) -> None:
        """Remove a graph and its provenance in one transaction."""

    def record_validation(self, graph: str, summary: ValidationSummary) -> None:
        """Replace the stored outcome of the last validation of ``graph``."""

    def __enter__(self) -> StoreWriter: ...


@runtime_checkable
class PagedReads(Protocol):
    """A store in an engine that cuts answers at a row cap (Virtuoso's
    ``ResultSetMaxRows``), which reads psikg's own queries whole a page at a time. Readers
    whose answers grow with the data (the validation, the compliance tally) use it where a
    store has it; a user's query stays whole or an error (:meth:`StoreReader.query`)."""

    def select_paged(self, sparql: str) -> list[ox.QuerySolution]:
        """Every solution of one of psikg's own ``SELECT DISTINCT`` queries (no ``LIMIT``,
        ``OFFSET`` or ``ORDER BY``), however many."""


class Queries(Protocol):
    """Anything that answers a SPARQL query: a :class:`StoreReader`, or the catalog's view
    of ``psikg serve``'s engine (:class:`endpoint.platform_catalog.CatalogSource`)."""

    def query(self, sparql: str) -> Any:
        """The query's solutions."""


def select_whole(store: Queries, sparql: str) -> list[ox.QuerySolution]:
    """Every solution of one of psikg's own ``SELECT DISTINCT`` queries on ``store``: a page
    at a time where the store's engine caps answers (:class:`PagedReads`), else as its
    ``query`` answers it."""
    if isinstance(store, PagedReads):
        return store.select_paged(sparql)
    return list(store.query(sparql))
