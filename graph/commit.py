"""The one small SPARQL update that makes a staged load visible, and the load markers.

:class:`graph.store.Store` (offline) and :class:`graph.engine.served_store.ServedStore`
(through a running ``psikg serve``) stage a load the same way and commit it with the same
update, built here: old graphs the source no longer writes are dropped, each staged graph
brought in (or, behind a load marker, simply unmarked), and the provenance of each graph
replaced. The engine runs it as one transaction, so readers see the old graphs or the new.

A staged graph is brought in *by difference*: the quads of the old version the new one
lacks are deleted, the new version's quads the old one lacks are inserted. A reload mostly
rewrites what was there, so the transaction holds what changed, not the graph twice over
(``MOVE`` copies every quad in the transaction and deletes the old ones: minutes and
gigabytes for a register of a million triples, and Oxigraph holds a transaction in
memory). The staging graph stays, hidden, and is cleared after the commit in batches of
:data:`CLEAR_BATCH` quads (:func:`clear_batch`), each a small transaction, before the load
lets readers use the native union again.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from graph import provenance
from graph.formats import from_rdf
from graph.namespaces import PROV
from graph.provenance import Provenance
from graph.sources import LoadResult
from graph.sources import Source

GENERATED = ox.NamedNode(PROV + "generated")
"""Load marker in the metadata graph: ``<urn:psikg:staging:run/n/> prov:generated <graph>``."""

Staged = tuple[Source, LoadResult, dict[str, str]]
"""A staged source, what it wrote, and where each of its graphs is now."""
CLEAR_BATCH = 50_000
"""Quads a hidden graph loses per transaction when it is cleared (:func:`clear_batch`)."""


def mark(meta_graph: str, run: str, target: str) -> str:
    """The update that hides the new graph ``target`` behind the load ``run``'s marker."""
    return (f"INSERT DATA {{ GRAPH {ox.NamedNode(meta_graph)} {{ "
            f"{ox.NamedNode(run)} {GENERATED} {ox.NamedNode(target)} }} }}")


def mark_if_new(meta_graph: str, run: str, target: str) -> str:
    """The update that hides ``target`` behind the load ``run``'s marker only if no graph
    and no other load's marker has that name yet: one transaction, so two loads through a
    server never both write a new graph under its final name (the second stages it)."""
    meta, graph = ox.NamedNode(meta_graph), ox.NamedNode(target)
    return (f"INSERT {{ GRAPH {meta} {{ {ox.NamedNode(run)} {GENERATED} {graph} }} }} "
            f"WHERE {{ FILTER NOT EXISTS {{ GRAPH {graph} {{ }} }} "
            f"FILTER NOT EXISTS {{ GRAPH {meta} {{ ?other {GENERATED} {graph} }} }} }}")


def unmark(meta_graph: str, run: str) -> str:
    """The update that removes the markers of the load whose runs start with ``run``."""
    meta = ox.NamedNode(meta_graph)
    return (f"DELETE {{ GRAPH {meta} {{ ?run {GENERATED} ?g }} }} WHERE {{ GRAPH {meta} {{ "
            f"?run {GENERATED} ?g FILTER(STRSTARTS(STR(?run), {ox.Literal(run)})) }} }}")


def previous_graphs_query(meta_graph: str, origin: str) -> str:
    """The graphs the metadata graph says ``origin`` loaded last time (``?g``)."""
    return (f"SELECT ?g WHERE {{ GRAPH {ox.NamedNode(meta_graph)} "
            f"{{ ?g <{PROV}wasDerivedFrom> {ox.NamedNode(origin)} }} }}")


def commit_update(meta_graph: str, run: str, loads: list[Staged],
                  previous: Mapping[str, set[str]], *, by_difference: bool = True) -> str:
    """The update that retires old graphs, brings staged ones in and records provenance.

    :param run: the load's staging prefix; its markers are removed.
    :param previous: by origin, the graphs it loaded last time.
    :param by_difference: bring a staged graph in by difference, leaving the staging
        graph to clear (:func:`staging_graphs`); else ``MOVE`` it (an engine whose own
        ``MOVE`` is cheap, or that plans the difference badly).
    """
    loaded_at = provenance.now()
    operations: list[str] = []
    for source, result, staged in loads:
        for old in sorted(previous.get(source.origin, set()) - result.graphs.keys()):
            operations.append(f"DROP SILENT GRAPH {ox.NamedNode(old)}")
            operations.append(provenance.delete_description(meta_graph, old))
        for name, triples in result.graphs.items():
            where = staged.get(name)
            if where is None:
                operations.append(f"DROP SILENT GRAPH {ox.NamedNode(name)}")
            elif where != name and by_difference:
                operations += replace_by_difference(name, where)
            elif where != name:
                operations.append(f"MOVE SILENT GRAPH {ox.NamedNode(where)} "
                                  f"TO GRAPH {ox.NamedNode(name)}")
            operations.append(provenance.delete_description(meta_graph, name))
            operations.append(provenance.insert_provenance(
                meta_graph, Provenance(name, source.origin, from_rdf(source.fmt).iri,
                                       result.checksum, triples, loaded_at, source.extra)))
    operations.append(unmark(meta_graph, run))
    return " ;\n".join(operations)


def replace_by_difference(target: str, staging: str) -> list[str]:
    """The operations that make ``target`` hold exactly the quads of ``staging``, writing
    only what differs (``staging`` is left as it is)."""
    old, new = ox.NamedNode(target), ox.NamedNode(staging)
    return [f"DELETE {{ GRAPH {old} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {old} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH {new} {{ ?s ?p ?o }} }} }}",
            f"INSERT {{ GRAPH {old} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {new} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH {old} {{ ?s ?p ?o }} }} }}"]


def staging_graphs(loads: list[Staged]) -> list[str]:
    """The staging graphs a committed load leaves to clear."""
    return sorted({where for _, _, staged in loads for name, where in staged.items()
                   if where != name})


def clear_batch(graph: str, size: int = CLEAR_BATCH) -> str:
    """The update that deletes up to ``size`` quads of ``graph``: sent until the graph is
    empty, it clears a large hidden graph without one large transaction."""
    name = ox.NamedNode(graph)
    return (f"DELETE {{ GRAPH {name} {{ ?s ?p ?o }} }} WHERE {{ SELECT ?s ?p ?o WHERE "
            f"{{ GRAPH {name} {{ ?s ?p ?o }} }} LIMIT {size} }}")
