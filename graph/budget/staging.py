"""The budget aggregates staged with the registry they sum, committed in its transaction.

When a graph holding ``schema:MonetaryGrant`` s is loaded, psikg tallies it while its
N-Triples stream into the store (:mod:`graph.budget.tally`; a graph without a tally is
read back, :func:`summarise`). :func:`with_aggregates`, called by ``loaders.registry``
before its commit, stages the graph's aggregates and the rankings over every registry
(:mod:`graph.budget.cube`) beside it, so a reader sees the old registry with its old
aggregates or the new one with the new, the first query after a reload included.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from graph.budget.cube import rankings_triples
from graph.budget.cube import read_table
from graph.budget.cube import summary_triples
from graph.budget.model import CUBE
from graph.budget.model import RANKINGS_ORIGIN
from graph.budget.model import Measures
from graph.budget.model import Summary
from graph.budget.model import aggregates_graph
from graph.budget.tally import Tally
from graph.namespaces import DCT
from graph.store import Source
from graph.store import StagedLoad
from graph.store import Store
from graph.store import sha256_of


def summarise(store: Store, graph: str) -> Summary | None:
    """Read a (staged) graph back and tally it. ``None`` if it cannot be summed."""
    tally = Tally()
    triples = (quad.triple for quad in store.graph_quads(graph))
    tally.feed(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    return tally.summary()


_OTHERS = f"""
PREFIX cube: <{CUBE}>
SELECT ?src ?sum ?table WHERE {{
  ?summary cube:kind "registry" ; cube:sourceGraph ?src ; cube:sourceChecksum ?sum .
  OPTIONAL {{ ?summary cube:beneficiaryYearTable ?table }}
}}"""


def _other_registries(store: Store, replaced: set[str]
                      ) -> tuple[dict[tuple[str, int], Measures], dict[str, str]]:
    """The beneficiary sums and checksums of the registries already stored, but ``replaced``."""
    sums: dict[tuple[str, int], Measures] = {}
    sources: dict[str, str] = {}
    for row in store.query(_OTHERS):
        source = row["src"].value
        if source in replaced:
            continue
        sources[source] = row["sum"].value
        if row["table"] is not None:
            read_table(row["table"].value, sums)
    return sums, sources


def _file(lines: Iterable[str], folder: Path, name: str) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="\n") as output:
        output.writelines(lines)
    return path


def with_aggregates(store: Store, staged: StagedLoad,
                    tallies: Mapping[str, Tally | Summary | None] | None = None) -> StagedLoad:
    """``staged`` plus the aggregates of each of its graphs that holds grants, and the
    rankings over all registries, staged to be committed with it in one transaction.

    :param tallies: by graph, the :class:`~graph.budget.tally.Tally` that saw its source's
        N-Triples while they were staged (or its summary, made elsewhere, ``None`` if it
        could not be summed); a graph without one is read back from the store
        (:func:`summarise`, slower).

    A graph without grants, or one that cannot be summed (:class:`NotSummable`), gets no
    aggregates: its canned queries then run their plain SPARQL.
    """
    summaries: list[tuple[str, Source, Summary]] = []
    for source, places in zip(staged.sources, staged.places, strict=True):
        for graph, where in places.items():
            given = tallies or {}
            if graph in given:
                tally = given[graph]
                summary = tally if tally is None or isinstance(tally, Summary) else tally.summary()
            else:
                summary = summarise(store, where)
            if isinstance(summary, Summary) and not summary.empty:
                summaries.append((graph, source, summary))
    if not summaries:
        return staged
    folder = Path(tempfile.mkdtemp(prefix="psikg-aggregates-"))
    try:
        others, sources = _other_registries(store, {graph for graph, _, _ in summaries})
        extra: list[Source] = []
        for index, (graph, source, summary) in enumerate(summaries):
            checksum = source.checksum or sha256_of(source.path)
            target = aggregates_graph(graph)
            path = _file(summary_triples(summary, target, graph, checksum), folder,
                         f"summary-{index}.nt")
            extra.append(Source(origin=f"{source.origin}#aggregates", fmt=ox.RdfFormat.N_TRIPLES,
                                default_graph=target, path=path, checksum=checksum,
                                extra=((DCT + "source", ox.NamedNode(graph)),)))
            sources[graph] = checksum
            for key, cell in summary.beneficiary_year.items():
                total = others.get(key)
                if total is None:
                    others[key] = cell
                else:
                    others[key] = Measures()
                    others[key].add(total)
                    others[key].add(cell)
        rankings = store.base_iri + "graph/aggregates/rankings"
        path = _file(rankings_triples(others, sources, rankings), folder, "rankings.nt")
        extra.append(Source(origin=RANKINGS_ORIGIN, fmt=ox.RdfFormat.N_TRIPLES,
                            default_graph=rankings, path=path,
                            checksum=",".join(sorted(sources.values()))))
        more = store.stage(extra)
    finally:
        for leftover in folder.iterdir():
            leftover.unlink()
        os.rmdir(folder)
    return StagedLoad(staged.sources + more.sources, staged.places + more.places,
                      staged.counts + more.counts)
