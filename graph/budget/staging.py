"""The budget aggregates staged with the registry they sum, committed in its transaction.

When a graph holding ``schema:MonetaryGrant`` s is loaded, psikg tallies it while its
N-Triples stream into the store (:mod:`graph.budget.tally`; a graph without a tally is
read back, :func:`summarise`). :func:`with_aggregates`, called by ``loaders.registry``
before its commit, stages the graph's aggregates and the rankings over every registry
(:mod:`graph.budget.cube`) beside it, so a reader sees the old registry with its old
aggregates or the new one with the new, the first query after a reload included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from itertools import chain

import pyoxigraph as ox

from graph.budget.cube import label_triples
from graph.budget.cube import rankings_triples
from graph.budget.cube import read_spellings
from graph.budget.cube import read_table
from graph.budget.cube import summary_triples
from graph.budget.model import CUBE
from graph.budget.model import RANKINGS_ORIGIN
from graph.budget.model import Measures
from graph.budget.model import Summary
from graph.budget.model import aggregates_graph
from graph.budget.tally import Tally
from graph.namespaces import DCT
from graph.sources import Source
from graph.sources import StagedLoad
from graph.sources import sha256_of
from graph.store_api import StoreWriter


def summarise(store: StoreWriter, graph: str) -> Summary | None:
    """Read a (staged) graph back and tally it. ``None`` if it cannot be summed."""
    tally = Tally()
    triples = (quad.triple for quad in store.graph_quads(graph))
    tally.feed(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    return tally.summary()


_STORED = f"""
PREFIX cube: <{CUBE}>
SELECT ?src ?kind ?sum ?table ?spellings WHERE {{
  ?summary cube:kind ?kind ; cube:sourceGraph ?src ; cube:sourceChecksum ?sum .
  {{ BIND("head" AS ?part) }}
  UNION {{ ?summary cube:beneficiaryYearTable ?table }}
  UNION {{ ?summary cube:spellingTable ?spellings }}
}}"""


@dataclass
class Registers:
    """What the summaries of registers bring to the rankings and the labels."""

    sums: dict[tuple[str, int], Measures] = field(default_factory=dict)
    """(Beneficiary, year) → its measures over the registers with grants."""
    checksums: dict[str, str] = field(default_factory=dict)
    """Register graph with grants → the checksum its summary was made from."""
    spellings: dict[str, dict[str, int]] = field(default_factory=dict)
    """Entity → spelling → rows, over every register."""

    def add(self, graph: str, checksum: str, summary: Summary) -> None:
        """Count a register being loaded."""
        if not summary.empty:
            self.checksums[graph] = checksum
        for key, cell in summary.beneficiary_year.items():
            total = self.sums.setdefault(key, Measures())
            total.add(cell)
        for iri, counts in summary.spellings.items():
            known = self.spellings.setdefault(iri, {})
            for text, rows in counts.items():
                known[text] = known.get(text, 0) + rows


def stored_registers(store: StoreWriter, replaced: set[str]) -> Registers:
    """The summaries already stored, but those of the ``replaced`` graphs (stale summaries,
    whose checksum an update removed, are left out too)."""
    registers = Registers()
    for row in store.query(_STORED):
        source, kind = row["src"].value, row["kind"].value
        if source in replaced or kind not in ("registry", "names"):
            continue
        if kind == "registry":
            registers.checksums[source] = row["sum"].value
        if row["table"] is not None:
            read_table(row["table"].value, registers.sums)
        if row["spellings"] is not None:
            read_spellings(row["spellings"].value, registers.spellings)
    return registers


def _digest(checksums: list[str]) -> str:
    """The checksum of what the rankings were made from (the store records one per graph)."""
    return hashlib.sha256(",".join(checksums).encode()).hexdigest()


def _document(lines: Iterable[str]) -> list[bytes]:
    """N-Triples lines as the one part the store bulk-loads (no file in between)."""
    return ["".join(lines).encode()]


def summaries_of(store: StoreWriter, staged: StagedLoad,
                 tallies: Mapping[str, Tally | Summary | None] | None = None
                 ) -> list[tuple[str, Source, Summary]]:
    """Each staged graph's summary, when it has grants or names: from its tally, else read
    back from the store (:func:`summarise`). A graph that cannot be summed has none."""
    summaries: list[tuple[str, Source, Summary]] = []
    given = tallies or {}
    for source, places in zip(staged.sources, staged.places, strict=True):
        for graph, where in places.items():
            if graph in given:
                tally = given[graph]
                summary = tally if tally is None or isinstance(tally, Summary) else tally.summary()
            else:
                summary = summarise(store, where)
            if summary is not None and (not summary.empty or summary.spellings):
                summaries.append((graph, source, summary))
    return summaries


def with_aggregates(store: StoreWriter, staged: StagedLoad,
                    tallies: Mapping[str, Tally | Summary | None] | None = None) -> StagedLoad:
    """``staged`` plus the aggregates of each of its graphs that holds grants or names, and
    the rankings and labels over all registers, staged to be committed with it in one
    transaction.

    :param tallies: by graph, the :class:`~graph.budget.tally.Tally` that saw its source's
        N-Triples while they were staged (or its summary, made elsewhere, ``None`` if it
        could not be summed); a graph without one is read back from the store
        (:func:`summarise`, slower).

    A graph without grants, or one that cannot be summed (:class:`NotSummable`), gets no
    sums: its canned queries then run their plain SPARQL.
    """
    summaries = summaries_of(store, staged, tallies)
    if not summaries:
        return staged
    registers = stored_registers(store, {graph for graph, _, _ in summaries})
    extra: list[Source] = []
    for graph, source, summary in summaries:
        checksum = source.checksum or sha256_of(source.path)
        target = aggregates_graph(graph)
        extra.append(Source(origin=f"{source.origin}#aggregates", fmt=ox.RdfFormat.N_TRIPLES,
                            default_graph=target, checksum=checksum,
                            parts=_document(summary_triples(summary, target, graph, checksum)),
                            extra=((DCT + "source", ox.NamedNode(graph)),)))
        registers.add(graph, checksum, summary)
    rankings = store.base_iri + "graph/aggregates/rankings"
    lines = chain(rankings_triples(registers.sums, registers.checksums, rankings),
                  label_triples(registers.spellings))
    extra.append(Source(origin=RANKINGS_ORIGIN, fmt=ox.RdfFormat.N_TRIPLES,
                        default_graph=rankings, parts=_document(lines),
                        checksum=_digest(sorted(registers.checksums.values()))))
    more = store.stage(extra)
    return StagedLoad(staged.sources + more.sources, staged.places + more.places,
                      staged.counts + more.counts)
