"""Budget aggregates computed while a registry loads, stored beside it as an RDF Data Cube.

Why: on a registry of a million subsidies (ten million triples) Oxigraph needs 8 to 66
seconds for a sum per granting body and year or a top-ten of beneficiaries, however the
query is written; analysts should wait a fraction of a second. So when a graph holding
``schema:MonetaryGrant`` s is loaded, psikg tallies it while its N-Triples stream into the
store (:mod:`graph.canned.aggregates_tap`; a graph without a tally is read back,
:func:`summarise`), and stores:

- ``{graph}/aggregates``: two ``qb:DataSet`` s of additive sums (grants counted, amounts
  granted and paid) by granting body and year and by municipality and year; the sums by
  beneficiary, body and year of the beneficiaries with more than
  :data:`PROFILE_MIN_GRANTS` grants (``beneficiary-profile`` looks the others up grant by
  grant, which is as fast for them); and the sums by beneficiary and year as a compact
  table in a few literals (``cube:beneficiaryYearTable``), which no query reads: only the
  next load does, to rank the beneficiaries of all registries;
- ``{base}graph/aggregates/rankings``: for every period ``[from, to]`` of the years the
  registries cover, the :data:`TOP` beneficiaries by amount granted, over all registries.

Both are staged with the registry's graph and committed in the same transaction
(:func:`with_aggregates`, called by ``loaders.registry`` before its commit), so a reader
sees the old registry with its old aggregates or the new with the new, the first query
after a reload included. They are written as N-Triples text, not pyoxigraph objects.

The canned queries that read them carry the plain SPARQL they stand for
(``plain:`` in their header). The sums here follow that SPARQL's semantics exactly:
``SUM(?granted)`` and ``SUM(COALESCE(?paid, 0))`` over the cross product of a grant's
values, integer when no decimal takes part, written in Oxigraph's canonical form. They are
summed as whole numbers of 10⁻¹⁸ (:data:`SCALE`), Oxigraph's decimal unit, so they are
exact. A value that SPARQL would sum differently (a float, text in an amount, a year IRI
of another shape) makes this module build nothing, and the plain query answers.

:func:`is_fresh` tells the runner whether the aggregates match the registries now in the
store: every graph with grants has aggregates made from its current checksum, no
aggregates outlive their graph, and the rankings cover exactly those graphs. Otherwise the
plain query runs. Writes that do not come through the loader (the endpoint's SPARQL Update
and Graph Store writes) run :func:`stale_update` in their transaction: it removes the
checksums the summaries were made from, so the aggregates are stale from that moment
until the registry is loaded again.
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.namespaces import DCT
from graph.namespaces import RDF
from graph.namespaces import SPDX
from graph.namespaces import XSD
from graph.store import Source
from graph.store import StagedLoad
from graph.store import Store
from graph.store import sha256_of

if TYPE_CHECKING:
    from graph.canned.aggregates_tap import Tally
    from graph.canned.run import Executor

CUBE = "https://w3id.org/psikg/aggregates#"
"""psikg's terms for the aggregates (dimensions, measures, kinds of summary)."""
QB = "http://purl.org/linked-data/cube#"
SCHEMA = "https://schema.org/"
OBEU_DIMENSION = "http://data.openbudgets.eu/ontology/dsd/dimension/"
YEAR_IRI = "http://reference.data.gov.uk/id/year/"
TOP = 100
"""Beneficiaries kept per period in the rankings: what ``top-beneficiaries`` can show."""
PROFILE_MIN_GRANTS = 200
"""Beneficiaries with more grants in a registry get their profile precomputed;
looking up 200 grants one by one takes ``beneficiary-profile`` about 0.05 s."""
RANKINGS_ORIGIN = "urn:psikg:aggregates:rankings"
SCALE = 18
"""Amounts are summed as whole numbers of 10⁻¹⁸, the unit of Oxigraph's ``xsd:decimal``."""
UNIT = 10 ** SCALE
TABLE_ROWS = 5000
"""Rows of the beneficiary × year table per literal."""

_TYPE = RDF + "type"
_GRANT = SCHEMA + "MonetaryGrant"
_FUNDER = SCHEMA + "funder"
_AMOUNT = SCHEMA + "amount"
_BENEFICIARY = SCHEMA + "fundedItem"
_YEAR = OBEU_DIMENSION + "fiscalYear"
_SPATIAL = DCT + "spatial"
_OBJECT = SCHEMA + "object"
_PRICE = SCHEMA + "price"


class NotSummable(ValueError):
    """A value SPARQL would not sum the way this module does: build nothing."""


@dataclass(slots=True)
class Measures:
    """Additive measures of one cell: solutions counted, sums (in units of 10⁻¹⁸), and
    whether a decimal took part in each sum (else SPARQL gives an integer)."""

    grants: int = 0
    granted: int = 0
    paid: int = 0
    granted_decimal: bool = False
    paid_decimal: bool = False
    amount: int = 0
    """The amounts without the payments: ``SUM(?amount)`` of a query with no payment in it
    (``granted`` counts an amount once per payment, as the queries joining payments do)."""
    amount_decimal: bool = False

    def add(self, other: Measures) -> None:
        self.grants += other.grants
        self.granted += other.granted
        self.paid += other.paid
        self.granted_decimal |= other.granted_decimal
        self.paid_decimal |= other.paid_decimal
        self.amount += other.amount
        self.amount_decimal |= other.amount_decimal


@dataclass
class Summary:
    """The aggregates of one graph, by slice, before they are written as RDF (picklable)."""

    body_year: dict[tuple[str, int], Measures] = field(default_factory=dict)
    municipality_year: dict[tuple[str, int], Measures] = field(default_factory=dict)
    beneficiary_year: dict[tuple[str, int], Measures] = field(default_factory=dict)
    profile: dict[tuple[str, str, int], Measures] = field(default_factory=dict)
    """By beneficiary, body and year: only beneficiaries with more than
    :data:`PROFILE_MIN_GRANTS` grants."""

    @property
    def empty(self) -> bool:
        return not self.body_year and not self.municipality_year and not self.beneficiary_year


def scaled(lexical: bytes, decimal: bool) -> int:
    """The value of an ``xsd:decimal`` (or ``xsd:integer``) lexical form in units of 10⁻¹⁸.

    :raises NotSummable: if it is not a valid lexical form, or beyond what Oxigraph holds
        exactly (decimals: 18 fractional digits, below 10²⁰; integers: 64 bits).
    """
    sign = lexical[:1]
    digits = lexical[1:] if sign in (b"+", b"-") else lexical
    whole, _, fraction = digits.partition(b".") if decimal else (digits, b"", b"")
    if not (whole.isdigit() or (not whole and fraction)) or \
            (fraction and not fraction.isdigit()):
        raise NotSummable(f"{lexical.decode(errors='replace')} is not a valid number")
    fraction = fraction.rstrip(b"0")
    if len(fraction) > SCALE:
        raise NotSummable(f"{lexical.decode()} is beyond Oxigraph's decimals")
    value: int = int(whole or b"0") * UNIT + int(fraction.ljust(SCALE, b"0"))
    if value >= (10 ** 20 * UNIT if decimal else 2 ** 63 * UNIT):
        raise NotSummable(f"{lexical.decode()} is beyond Oxigraph's numbers")
    return -value if sign == b"-" else value


def canonical_text(value: int, decimal: bool) -> str:
    """A sum (units of 10⁻¹⁸) as Oxigraph writes it: ``10`` not ``10.00``.

    >>> canonical_text(278750 * UNIT, True), canonical_text(-UNIT // 2, True)
    ('278750', '-0.5')
    """
    whole, fraction = divmod(abs(value), UNIT)
    sign = "-" if value < 0 else ""
    if not decimal or not fraction:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{fraction:018d}".rstrip("0")


def canonical(value: int, decimal: bool) -> str:
    """The N-Triples literal of a sum: integer when no decimal was added.

    >>> canonical(278750 * UNIT, True), canonical(0, False)
    ('"278750"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"0"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    kind = "decimal" if decimal else "integer"
    return f'"{canonical_text(value, decimal)}"^^<{XSD}{kind}>'


def check_year(iri: str) -> int:
    """``2024`` from ``http://reference.data.gov.uk/id/year/2024``.

    :raises NotSummable: if the term has another shape (the plain query would give no year).
    """
    tail = iri[len(YEAR_IRI):] if iri.startswith(YEAR_IRI) else ""
    if not tail.isdigit() or not tail.isascii() or str(int(tail)) != tail:
        raise NotSummable(f"{iri} is not a year of {YEAR_IRI}")
    return int(tail)


def summarise(store: Store, graph: str) -> Summary | None:
    """Read a (staged) graph back and tally it. ``None`` if it cannot be summed."""
    from graph.canned.aggregates_tap import Tally

    tally = Tally()
    triples = (quad.triple for quad in store.graph_quads(graph))
    tally.feed(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    return tally.summary()


# --- writing -------------------------------------------------------------------------------

def _integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def _measures(subject: str, cell: Measures, prefix: str) -> str:
    return (f"{subject} <{CUBE}{prefix}Grants> {_integer(cell.grants)} .\n"
            f"{subject} <{CUBE}{prefix}Granted> {canonical(cell.granted, cell.granted_decimal)} .\n"
            f"{subject} <{CUBE}{prefix}Paid> {canonical(cell.paid, cell.paid_decimal)} .\n")


SLICES = {"body_year": "body", "municipality_year": "municipality"}
"""Data sets of :class:`Summary` → the dimension property (``cube:{name}``) beside ``cube:year``."""


def summary_triples(summary: Summary, aggregates: str, source: str, checksum: str
                    ) -> Iterator[str]:
    """The aggregates of one registry graph as N-Triples lines.

    Each slice has its own properties (``cube:body``, ``cube:bodyYear``,
    ``cube:bodyGranted``…): Oxigraph joins a pattern by reading every triple of its
    predicate, so a query of the 300 cells by body and year must not read the measures
    of the thousands of cells by municipality and year.
    """
    head = f"<{aggregates}#summary>"
    yield (f"{head} <{_TYPE}> <{CUBE}Summary> .\n{head} <{CUBE}kind> \"registry\" .\n"
           f"{head} <{CUBE}sourceGraph> <{source}> .\n"
           f"{head} <{CUBE}sourceChecksum> {ox.Literal(checksum)} .\n")
    for name, dimension in SLICES.items():
        dataset = f"<{aggregates}#{name.replace('_', '-')}>"
        yield (f"{dataset} <{_TYPE}> <{QB}DataSet> .\n{dataset} <{QB}structure> <{CUBE}{name}> .\n"
               f"{dataset} <{CUBE}summary> {head} .\n")
        for index, ((key, year), cell) in enumerate(getattr(summary, name).items()):
            o = f"<{aggregates}#{dimension[0]}{index}>"
            yield (f"{o} <{QB}dataSet> {dataset} .\n{o} <{CUBE}{dimension}> <{key}> .\n"
                   f"{o} <{CUBE}{dimension}Year> {_integer(year)} .\n")
            yield _measures(o, cell, dimension)
            if dimension == "body":
                yield f"{o} <{CUBE}bodyAmount> {canonical(cell.amount, cell.amount_decimal)} .\n"
    profiled = set()
    for index, ((beneficiary, body, year), cell) in enumerate(summary.profile.items()):
        if beneficiary not in profiled:
            profiled.add(beneficiary)
            yield f"{head} <{CUBE}profiled> <{beneficiary}> .\n"
        o = f"<{aggregates}#p{index}>"
        yield (f"{o} <{CUBE}profileBeneficiary> <{beneficiary}> .\n"
               f"{o} <{CUBE}profileBody> <{body}> .\n"
               f"{o} <{CUBE}profileYear> {_integer(year)} .\n")
        yield _measures(o, cell, "profile")
    rows = list(summary.beneficiary_year.items())
    for start in range(0, len(rows), TABLE_ROWS):
        table = "\\n".join(_table_row(key, year, cell)
                           for (key, year), cell in rows[start:start + TABLE_ROWS])
        yield f'{head} <{CUBE}beneficiaryYearTable> "{table}" .\n'


def _table_row(beneficiary: str, year: int, cell: Measures) -> str:
    """``IRI year grants granted paid flags``: IRIs hold no space, quote or backslash."""
    flags = cell.granted_decimal + 2 * cell.paid_decimal
    return f"{beneficiary} {year} {cell.grants} {cell.granted} {cell.paid} {flags}"


def _read_table(text: str, into: dict[tuple[str, int], Measures]) -> None:
    for row in text.split("\n"):
        beneficiary, year, grants, granted, paid, flags = row.split(" ")
        cell = Measures(int(grants), int(granted), int(paid), bool(int(flags) & 1),
                        bool(int(flags) & 2))
        into.setdefault((beneficiary, int(year)), Measures()).add(cell)


FIRST_YEAR = 1900
"""The smallest year ``top-beneficiaries`` accepts (its ``from`` default): a period asked
from any year up to the first year with grants is the period from that first year."""
LAST_YEAR = 2100
"""The largest year ``top-beneficiaries`` accepts (its ``to`` default)."""


def rankings_triples(by_beneficiary: dict[tuple[str, int], Measures],
                     sources: dict[str, str], graph: str) -> Iterator[str]:
    """The top beneficiaries of every period of the covered years, over all registries.

    A period ``[s, e]`` (``first <= s <= e <= last`` of the years with grants) is a node
    with the ``cube:from`` and ``cube:to`` values that ask for it: ``s`` itself, and every
    year from :data:`FIRST_YEAR` up to ``first`` when ``s`` is ``first`` (likewise ``e``
    up to :data:`LAST_YEAR`). So the query looks its period up by the two values given,
    two index lookups, and reads its 100 rows; a period with no grant has no node and
    the answer is empty, as the plain query's.
    """
    head = f"<{graph}#summary>"
    yield f"{head} <{_TYPE}> <{CUBE}Summary> .\n{head} <{CUBE}kind> \"rankings\" .\n"
    for index, (source, checksum) in enumerate(sorted(sources.items())):
        covered = f"<{graph}#source-{index}>"
        yield (f"{head} <{CUBE}covers> {covered} .\n"
               f"{covered} <{CUBE}sourceGraph> <{source}> .\n"
               f"{covered} <{CUBE}sourceChecksum> {ox.Literal(checksum)} .\n")
    years = sorted({year for _, year in by_beneficiary})
    if not years:
        return
    first, last = years[0], years[-1]
    yield (f"{head} <{CUBE}firstYear> {_integer(first)} .\n"
           f"{head} <{CUBE}lastYear> {_integer(last)} .\n")
    per_year: dict[int, dict[str, Measures]] = {}
    for (beneficiary, year), cell in by_beneficiary.items():
        per_year.setdefault(year, {})[beneficiary] = cell
    for start in range(first, last + 1):
        totals: dict[str, Measures] = {}
        granted: dict[str, int] = {}
        for end in range(start, last + 1):
            for beneficiary, cell in per_year.get(end, {}).items():
                total = totals.get(beneficiary)
                if total is None:
                    total = totals[beneficiary] = Measures()
                total.add(cell)
                granted[beneficiary] = total.granted
            period = f"<{graph}#period-{start}-{end}>"
            lines = [f"{period} <{CUBE}ranking> {head} .\n"]
            froms = range(min(FIRST_YEAR, start), start + 1) if start == first else [start]
            tos = range(end, max(LAST_YEAR, end) + 1) if end == last else [end]
            lines += [f"{period} <{CUBE}from> {_integer(year)} .\n" for year in froms]
            lines += [f"{period} <{CUBE}to> {_integer(year)} .\n" for year in tos]
            for rank, beneficiary in enumerate(_top(granted), start=1):
                o = f"<{graph}#r{start}-{end}-{rank}>"
                lines.append(f"{o} <{CUBE}period> {period} .\n{o} <{CUBE}rank> "
                             f"{_integer(rank)} .\n{o} <{CUBE}rankedBeneficiary> "
                             f"<{beneficiary}> .\n")
                lines.append(_measures(o, totals[beneficiary], "ranked"))
            yield "".join(lines)


def _top(granted: dict[str, int]) -> list[str]:
    """The :data:`TOP` beneficiaries by amount granted, ties by IRI (as the plain query)."""
    if len(granted) > TOP:
        floor = heapq.nlargest(TOP, granted.values())[-1]
        candidates = [b for b, g in granted.items() if g >= floor]
    else:
        candidates = list(granted)
    candidates.sort(key=lambda b: (-granted[b], b))
    return candidates[:TOP]


# --- staging with the registry ---------------------------------------------------------------

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
            _read_table(row["table"].value, sums)
    return sums, sources


def aggregates_graph(graph: str) -> str:
    """The graph holding the aggregates of ``graph``."""
    return graph.rstrip("/#") + "/aggregates"


def _file(lines: Iterable[str], folder: Path, name: str) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="\n") as output:
        output.writelines(lines)
    return path


def with_aggregates(store: Store, staged: StagedLoad,
                    tallies: Mapping[str, Tally | Summary | None] | None = None) -> StagedLoad:
    """``staged`` plus the aggregates of each of its graphs that holds grants, and the
    rankings over all registries, staged to be committed with it in one transaction.

    :param tallies: by graph, what a :class:`graph.canned.aggregates_tap.TapStream` saw of
        its source's N-Triples while they were staged (or its :meth:`Tally.summary`, made
        elsewhere, ``None`` if it could not be summed); a graph without one is read back
        from the store (:func:`summarise`, slower).

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


# --- freshness -------------------------------------------------------------------------------

_GRANT_GRAPHS = f"""
PREFIX spdx: <{SPDX}>
PREFIX schema: <{SCHEMA}>
SELECT DISTINCT ?g ?sum WHERE {{
  GRAPH ?meta {{ ?g spdx:checksum ?c . ?c spdx:checksumValue ?sum }}
  FILTER EXISTS {{ GRAPH ?g {{ ?grant a schema:MonetaryGrant }} }}
}}"""
_SUMMARIES = f"""
PREFIX cube: <{CUBE}>
SELECT ?kind ?src ?sum WHERE {{
  {{ ?s cube:kind "registry" ; cube:sourceGraph ?src ; cube:sourceChecksum ?sum .
     BIND("registry" AS ?kind) }}
  UNION
  {{ ?s cube:kind "rankings" ; cube:covers ?c . ?c cube:sourceGraph ?src ;
     cube:sourceChecksum ?sum . BIND("rankings" AS ?kind) }}
  UNION
  {{ ?s cube:kind "rankings" . BIND("rankings-present" AS ?kind) }}
}}"""


def stale_update(graph: str | None = None) -> str:
    """A SPARQL Update operation that makes aggregates stale: those of ``graph`` (and
    ``graph`` itself, were it an aggregates graph), or all of them.

    The endpoint runs it in the same request as every write that did not come through the
    loader (SPARQL Update, Graph Store POST and PUT), so :func:`is_fresh` is false from the
    moment the write is visible: it removes the checksums the summaries were made from.
    """
    pattern = f"?s <{CUBE}sourceChecksum> ?c"
    if graph is None:
        return f"DELETE WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    return " ;\n".join(f"DELETE WHERE {{ GRAPH {ox.NamedNode(name)} {{ {pattern} }} }}"
                        for name in (graph, aggregates_graph(graph)))


def is_fresh(executor: Executor) -> bool:
    """Whether the stored aggregates match every graph of grants now in the store."""
    grants = {(row["g"].value, row["sum"].value) for row in executor.select(_GRANT_GRAPHS)}
    registry: set[tuple[str, str]] = set()
    rankings: set[tuple[str, str]] = set()
    present = 0
    for row in executor.select(_SUMMARIES):
        kind = row["kind"].value
        if kind == "rankings-present":
            present += 1
            continue
        (registry if kind == "registry" else rankings).add((row["src"].value,
                                                             row["sum"].value))
    return bool(grants) and present == 1 and grants == registry == rankings
