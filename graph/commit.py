"""The one small SPARQL update that makes a staged load visible, and the load markers.

:class:`graph.store.Store` (offline) and :class:`graph.engine.served_store.ServedStore`
(through a running ``psikg serve``) stage a load the same way and commit it with the same
update, built here: old graphs the source no longer writes are dropped, each staged graph
moved in (or, behind a load marker, simply unmarked), and the provenance of each graph
replaced. The engine runs it as one transaction, so readers see the old graphs or the new.
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
                  previous: Mapping[str, set[str]]) -> str:
    """The update that retires old graphs, moves staged ones in and records provenance.

    :param run: the load's staging prefix; its markers are removed.
    :param previous: by origin, the graphs it loaded last time.
    """
    loaded_at = provenance.now()
    operations: list[str] = []
    for source, result, staged in loads:
        for old in sorted(previous.get(source.origin, set()) - result.graphs.keys()):
            operations.append(f"DROP SILENT GRAPH {ox.NamedNode(old)}")
            operations.append(provenance.delete_description(meta_graph, old))
        for name, triples in result.graphs.items():
            if staged.get(name) != name:
                operations.append(f"DROP SILENT GRAPH {ox.NamedNode(name)}")
            if staged.get(name, name) != name:
                operations.append(f"MOVE SILENT GRAPH {ox.NamedNode(staged[name])} "
                                  f"TO GRAPH {ox.NamedNode(name)}")
            operations.append(provenance.delete_description(meta_graph, name))
            operations.append(provenance.insert_provenance(
                meta_graph, Provenance(name, source.origin, from_rdf(source.fmt).iri,
                                       result.checksum, triples, loaded_at, source.extra)))
    operations.append(unmark(meta_graph, run))
    return " ;\n".join(operations)
