"""Where a graph to validate lives: a graph of the store, or the triples of a file.

The scoped validation (:mod:`graph.validation.scope`) finds focus nodes with SPARQL
queries that name their graph (``FROM``), takes the triples around them, and, when it
must fall back to pyshacl on the whole graph, every triple as N-Triples.
:class:`StoreGraphs` reads a graph of the store so; their answers grow with the graph, so
on an engine that cuts answers at a row cap they are read a page at a time
(:class:`graph.store_api.PagedReads`), triples as ``SELECT DISTINCT ?s ?p ?o``.
:class:`MemoryGraph` holds the triples of an RDF file that is not in the store (``psikg
validate --data``), or of a graph with a few triples added (the decree score of
:mod:`graph.quality`): an in-memory Oxigraph store answers the queries, and the triples
themselves come from the file, as written. A store keeps typed literals in a canonical
form (``"8.0"^^xsd:decimal`` is read back as ``"8"``, ``"1"^^xsd:boolean`` and
``"true"^^xsd:boolean`` are one literal), and a report must show a file's values as the
file wrote them: so the shapes' SPARQL constraints, whose values come out of a store when
they run on pyoxigraph, run in pyshacl with the others on a file's triples
(:attr:`GraphSource.canonical`).
"""

from __future__ import annotations

import typing as t
from collections import defaultdict
from collections.abc import Collection
from collections.abc import Iterable

import pyoxigraph as ox

from graph.store_api import StoreReader
from graph.store_api import select_whole

Side = t.Literal["subject", "object"]
_BATCH = 500


class GraphSource(t.Protocol):
    """A graph to validate, and the queries and triples the validation reads of it."""

    canonical: bool
    """Whether its typed literals are in Oxigraph's canonical form already (a graph of the
    store), so that what a query on a copy of its triples answers is what it holds."""

    def query(self, sparql: str) -> t.Any:
        """Run a SPARQL query (the validation's queries name their graph with ``FROM``)."""

    def select(self, sparql: str) -> list[ox.QuerySolution]:
        """Every solution of a ``SELECT DISTINCT``, however many (no ``LIMIT``, ``OFFSET``
        or ``ORDER BY``)."""

    def around(self, graph: str, nodes: Collection[str], side: Side) -> list[ox.Triple]:
        """The triples whose subject (or object) is one of ``nodes`` (``<iri>`` texts)."""

    def beside(self, graph: str, nodes: Collection[str]) -> list[ox.Triple]:
        """The triples whose subject is a blank node beside one of ``nodes`` (an object of
        theirs, or a subject pointing to one): reached through them, never named."""

    def with_predicate(self, graph: str, predicate: str) -> list[ox.Triple]:
        """The triples of one predicate."""

    def ntriples(self, graph: str) -> bytes:
        """Every triple, as N-Triples."""


class StoreGraphs:
    """The graphs of a store, read with SPARQL.

    :param store: the store (a graph being loaded may be read under its staging name).
    """

    canonical = True

    def __init__(self, store: StoreReader) -> None:
        self.store = store

    def query(self, sparql: str) -> t.Any:
        return self.store.query(sparql)

    def select(self, sparql: str) -> list[ox.QuerySolution]:
        return select_whole(self.store, sparql)

    def around(self, graph: str, nodes: Collection[str], side: Side) -> list[ox.Triple]:
        bound = "s" if side == "subject" else "o"
        return [triple for values in _batches(nodes) for triple in triples(self.select(
            f"SELECT DISTINCT ?s ?p ?o FROM <{graph}> "
            f"WHERE {{ VALUES ?{bound} {{ {values} }} ?s ?p ?o }}"))]

    def beside(self, graph: str, nodes: Collection[str]) -> list[ox.Triple]:
        return [triple for values in _batches(nodes) for triple in triples(self.select(
            f"SELECT DISTINCT ?s ?p ?o FROM <{graph}> WHERE {{ VALUES ?n {{ {values} }} "
            "{ ?n ?x ?s } UNION { ?s ?x ?n } FILTER(isBlank(?s)) ?s ?p ?o }"))]

    def with_predicate(self, graph: str, predicate: str) -> list[ox.Triple]:
        return triples(self.select(f"SELECT DISTINCT ?s ?p ?o FROM <{graph}> "
                                   f"WHERE {{ VALUES ?p {{ <{predicate}> }} ?s ?p ?o }}"))

    def ntriples(self, graph: str) -> bytes:
        return self.store.graph_ntriples(graph)


class MemoryGraph:
    """One graph held in memory: its triples as given, and a store that answers queries.

    :param name: the graph's IRI, which the queries name.
    :param triples: its triples (duplicates are dropped).
    """

    canonical = False

    def __init__(self, name: str, triples: Iterable[ox.Triple]) -> None:
        self.name = name
        self._triples = list(dict.fromkeys(triples))
        self._store = ox.Store()
        graph = ox.NamedNode(name)
        self._store.bulk_extend(ox.Quad(triple.subject, triple.predicate, triple.object, graph)
                                for triple in self._triples)
        self._index: dict[tuple[str, str], list[ox.Triple]] = defaultdict(list)
        for triple in self._triples:
            self._index["subject", str(triple.subject)].append(triple)
            self._index["object", str(triple.object)].append(triple)
            self._index["predicate", triple.predicate.value].append(triple)

    def query(self, sparql: str) -> t.Any:
        return self._store.query(sparql)

    def select(self, sparql: str) -> list[ox.QuerySolution]:
        rows = self._store.query(sparql)
        if not isinstance(rows, ox.QuerySolutions):
            raise TypeError(f"expected SELECT solutions, got {type(rows).__name__}")
        return list(rows)

    def around(self, graph: str, nodes: Collection[str], side: Side) -> list[ox.Triple]:
        return [triple for node in nodes for triple in self._index.get((side, node), ())]

    def beside(self, graph: str, nodes: Collection[str]) -> list[ox.Triple]:
        blank = {str(triple.object) for triple in self.around(graph, nodes, "subject")
                 if isinstance(triple.object, ox.BlankNode)}
        blank |= {str(triple.subject) for triple in self.around(graph, nodes, "object")
                  if isinstance(triple.subject, ox.BlankNode)}
        return self.around(graph, blank, "subject")

    def with_predicate(self, graph: str, predicate: str) -> list[ox.Triple]:
        return list(self._index.get(("predicate", predicate), ()))

    def ntriples(self, graph: str) -> bytes:
        return ox.serialize(self._triples, format=ox.RdfFormat.N_TRIPLES) or b""


def triples(rows: Iterable[ox.QuerySolution]) -> list[ox.Triple]:
    """The triples of a ``SELECT ?s ?p ?o``'s solutions."""
    return [ox.Triple(row["s"], row["p"], row["o"]) for row in rows]


def _batches(nodes: Collection[str]) -> Iterable[str]:
    """``nodes`` in sorted batches of :data:`_BATCH`, each as the body of a ``VALUES``."""
    names = sorted(nodes)
    return (" ".join(names[start:start + _BATCH]) for start in range(0, len(names), _BATCH))


def graph_source(holder: StoreReader | GraphSource) -> GraphSource:
    """The store read as a :class:`GraphSource`; any other source as it is."""
    if isinstance(holder, StoreGraphs | MemoryGraph):
        return holder
    return StoreGraphs(holder)  # type: ignore[arg-type]
