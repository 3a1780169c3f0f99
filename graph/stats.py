"""Store statistics: triples per graph and instances per class, as ``psikg stats`` prints them."""

from __future__ import annotations

from dataclasses import dataclass

from graph.store_api import StoreReader

_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
WHERE { GRAPH ?g { ?s a ?class } }
GROUP BY ?class
ORDER BY DESC(?n) ?class
"""


@dataclass(frozen=True)
class StoreStats:
    """Counts over the whole store."""

    graphs: dict[str, int]
    classes: dict[str, int]

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def store_stats(store: StoreReader) -> StoreStats:
    """Triples per named graph and distinct instances per class, across all graphs."""
    graphs = {info.iri: info.triples for info in store.graphs()}
    classes = {row["class"].value: int(row["n"].value)
               for row in store.query(_CLASS_COUNTS, union_default_graph=False)}
    return StoreStats(graphs, classes)
