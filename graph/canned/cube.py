"""Budget aggregates computed while a registry loads, stored beside it as an RDF Data Cube.

Why: on a registry of a million subsidies (ten million triples) Oxigraph needs 8 to 66
seconds for a sum per granting body and year or a top-ten of beneficiaries, however the
query is written; analysts should wait a fraction of a second. So when a graph holding
``schema:MonetaryGrant`` s is loaded, psikg tallies it while its N-Triples stream into the
store (:mod:`graph.canned.aggregates_tap`; a graph without a tally is read back,
:func:`summarise`), and stores:

- ``{graph}/aggregates``: three ``qb:DataSet`` s of additive sums (grants counted, amounts
  granted and paid) by granting body and year, by municipality and year, and by
  beneficiary and year;
- ``{base}graph/aggregates/rankings``: for every period ``[from, to]`` of the years the
  registries cover, the :data:`TOP` beneficiaries by amount granted, over all registries.

Both are staged with the registry's graph and committed in the same transaction
(:func:`with_aggregates`, called by ``loaders.registry`` before its commit), so a reader
sees the old registry with its old aggregates or the new with the new, the first query
after a reload included.

The canned queries that read them carry the plain SPARQL they stand for
(``plain:`` in their header). The sums here follow that SPARQL's semantics exactly:
``SUM(?granted)`` and ``SUM(COALESCE(?paid, 0))`` over the cross product of a grant's
values, integer when no decimal takes part, written in Oxigraph's canonical form. A value
that SPARQL would sum differently (a float, text in an amount, a year IRI of another shape)
makes this module build nothing, and the plain query answers.

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
import itertools
import os
import re
import tempfile
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation
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
RANKINGS_ORIGIN = "urn:psikg:aggregates:rankings"

_TYPE = RDF + "type"
_GRANT = SCHEMA + "MonetaryGrant"
_FUNDER = SCHEMA + "funder"
_AMOUNT = SCHEMA + "amount"
_BENEFICIARY = SCHEMA + "fundedItem"
_YEAR = OBEU_DIMENSION + "fiscalYear"
_SPATIAL = DCT + "spatial"
_OBJECT = SCHEMA + "object"
_PRICE = SCHEMA + "price"
_WANTED = {_TYPE, _FUNDER, _AMOUNT, _BENEFICIARY, _YEAR, _SPATIAL}
_NUMERIC = {XSD + "decimal": True, XSD + "integer": False}
"""Datatypes summed here, and whether they make a sum decimal."""
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")


Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""What a quad's subject or object can be."""


class NotSummable(ValueError):
    """A value SPARQL would not sum the way this module does: build nothing."""


@dataclass
class Measures:
    """Additive measures of one cell: solutions counted, sums, and their datatypes."""

    grants: int = 0
    granted: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    granted_decimal: bool = False
    paid_decimal: bool = False
    amount: Decimal = Decimal(0)
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
    """The aggregates of one graph, by slice, before they are written as RDF."""

    body_year: dict[tuple[str, int], Measures] = field(default_factory=dict)
    municipality_year: dict[tuple[str, int], Measures] = field(default_factory=dict)
    beneficiary_year: dict[tuple[str, int], Measures] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.body_year and not self.municipality_year and not self.beneficiary_year


def number(term: Node) -> tuple[Decimal, bool]:
    """A literal's numeric value and whether it is a decimal.

    :raises NotSummable: if it is not an integer or decimal literal with a valid value.
    """
    if not isinstance(term, ox.Literal) or term.datatype.value not in _NUMERIC:
        raise NotSummable(f"{term} is not an xsd:integer or xsd:decimal")
    lexical = _DECIMAL if _NUMERIC[term.datatype.value] else _INTEGER
    if not lexical.fullmatch(term.value):
        raise NotSummable(f"{term} is not a valid number")
    value = Decimal(term.value)
    # Oxigraph keeps decimals as 128-bit integers of 10^-18 and integers as 64-bit ones
    if _NUMERIC[term.datatype.value]:
        if -value.normalize().as_tuple().exponent > 18 or abs(value) >= 10 ** 20:  # type: ignore[operator]
            raise NotSummable(f"{term} is beyond Oxigraph's decimals")
    elif abs(value) >= 2 ** 63:
        raise NotSummable(f"{term} is beyond Oxigraph's integers")
    try:
        value = Decimal(term.value)
    except InvalidOperation:
        raise NotSummable(f"{term} is not a number") from None
    if not value.is_finite():
        raise NotSummable(f"{term} is not a number")
    return value, _NUMERIC[term.datatype.value]


def canonical(value: Decimal, decimal: bool) -> ox.Literal:
    """A sum as Oxigraph writes it: ``10`` not ``10.00``; integer when no decimal was added.

    >>> str(canonical(Decimal("278750.00"), True)), str(canonical(Decimal(0), False))
    ('"278750"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"0"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    if not decimal:
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    text = format(value.normalize(), "f") if value else "0"
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))


def fiscal_year(term: Node) -> int:
    """``2024`` from ``<http://reference.data.gov.uk/id/year/2024>``.

    :raises NotSummable: if the term has another shape (the plain query would give no year).
    """
    text = term.value if isinstance(term, ox.NamedNode) else ""
    tail = text[len(YEAR_IRI):] if text.startswith(YEAR_IRI) else ""
    if not tail.isdigit() or not tail.isascii() or str(int(tail)) != tail:
        raise NotSummable(f"{term} is not a year of {YEAR_IRI}")
    return int(tail)


def _subjects(quads: Iterator[ox.Quad]) -> Iterator[tuple[Node, dict[str, list[Node]]]]:
    """Each subject with its values by predicate (the store yields a graph by subject)."""
    current: Node | None = None
    values: dict[str, list[Node]] = {}
    for quad in quads:
        if quad.subject != current:
            if current is not None:
                yield current, values
            current, values = quad.subject, {}
        values.setdefault(quad.predicate.value, []).append(quad.object)
    if current is not None:
        yield current, values


def summarise(store: Store, graph: str) -> Summary | None:
    """Read a (staged) graph twice: payments, then grants. ``None`` if it cannot be summed."""
    payments: dict[str, list[tuple[Decimal, bool]]] = {}
    try:
        for _, values in _subjects(store.graph_quads(graph)):
            prices = values.get(_PRICE)
            granted_ones = values.get(_OBJECT)
            if prices and granted_ones:
                read = [number(price) for price in prices]
                for grant in granted_ones:
                    payments.setdefault(str(grant), []).extend(read)
        summary = Summary()
        for subject, values in _subjects(store.graph_quads(graph)):
            types = values.get(_TYPE, ())
            if not any(t.value == _GRANT for t in types if isinstance(t, ox.NamedNode)):
                continue
            _add_grant(summary, values, payments.get(str(subject), []))
    except NotSummable:
        return None
    return summary


def _cell(amounts: list[tuple[Decimal, bool]], paid: list[tuple[Decimal, bool]],
          times: int) -> Measures:
    """The measures of one grant for one combination of dimension values."""
    cell = Measures()
    paid_options = paid or [(Decimal(0), False)]
    for amount, amount_decimal in amounts:
        cell.amount += amount * times
        cell.amount_decimal |= amount_decimal
    for (amount, amount_decimal), (price, price_decimal) in itertools.product(amounts,
                                                                              paid_options):
        cell.grants += times
        cell.granted += amount * times
        cell.paid += price * times
        cell.granted_decimal |= amount_decimal
        cell.paid_decimal |= price_decimal
    return cell


def _add_grant(summary: Summary, values: dict[str, list[Node]],
               paid: list[tuple[Decimal, bool]]) -> None:
    amounts = [number(term) for term in values.get(_AMOUNT, ())]
    years = [fiscal_year(term) for term in values.get(_YEAR, ())]
    if not amounts or not years:
        return
    slices = (
        (summary.body_year, values.get(_FUNDER, [])),
        (summary.municipality_year, values.get(_SPATIAL, [])),
        (summary.beneficiary_year, values.get(_BENEFICIARY, [])),
    )
    for table, keys in slices:
        for key, year in itertools.product(keys, years):
            if not isinstance(key, ox.NamedNode):
                raise NotSummable(f"{key} as a dimension value")
            cell = table.setdefault((key.value, year), Measures())
            cell.add(_cell(amounts, paid, 1))


# --- writing -------------------------------------------------------------------------------

def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


SLICES = {"body_year": "body", "municipality_year": "municipality",
          "beneficiary_year": "beneficiary"}
"""Slice of :class:`Summary` → the dimension property (``cube:{name}``) beside ``cube:year``."""


def _measures(subject: ox.BlankNode, cell: Measures, prefix: str) -> Iterator[ox.Triple]:
    yield ox.Triple(subject, _node(f"{CUBE}{prefix}Grants"), _integer(cell.grants))
    yield ox.Triple(subject, _node(f"{CUBE}{prefix}Granted"), canonical(cell.granted,
                                                                        cell.granted_decimal))
    yield ox.Triple(subject, _node(f"{CUBE}{prefix}Paid"), canonical(cell.paid,
                                                                     cell.paid_decimal))


def summary_triples(summary: Summary, aggregates: str, source: str, checksum: str
                    ) -> Iterator[ox.Triple]:
    """The aggregates of one registry graph as RDF Data Cube triples.

    Each slice has its own properties (``cube:body``, ``cube:bodyYear``,
    ``cube:bodyGranted``…): Oxigraph joins a pattern by reading every triple of its
    predicate, so a query of the 300 cells by body and year must not read the measures
    of the hundreds of thousands of cells by beneficiary and year.
    """
    head = _node(aggregates + "#summary")
    yield ox.Triple(head, _node(_TYPE), _node(CUBE + "Summary"))
    yield ox.Triple(head, _node(CUBE + "kind"), ox.Literal("registry"))
    yield ox.Triple(head, _node(CUBE + "sourceGraph"), _node(source))
    yield ox.Triple(head, _node(CUBE + "sourceChecksum"), ox.Literal(checksum))
    for name, dimension in SLICES.items():
        dataset = _node(f"{aggregates}#{name.replace('_', '-')}")
        yield ox.Triple(dataset, _node(_TYPE), _node(QB + "DataSet"))
        yield ox.Triple(dataset, _node(QB + "structure"), _node(CUBE + name))
        yield ox.Triple(dataset, _node(CUBE + "summary"), head)
        for (key, year), cell in getattr(summary, name).items():
            observation = ox.BlankNode()
            yield ox.Triple(observation, _node(QB + "dataSet"), dataset)
            yield ox.Triple(observation, _node(CUBE + dimension), _node(key))
            yield ox.Triple(observation, _node(f"{CUBE}{dimension}Year"), _integer(year))
            yield from _measures(observation, cell, dimension)
            if dimension == "body":
                yield ox.Triple(observation, _node(CUBE + "bodyAmount"),
                                canonical(cell.amount, cell.amount_decimal))


FIRST_YEAR = 1900
"""The smallest year ``top-beneficiaries`` accepts (its ``from`` default): a period asked
from any year up to the first year with grants is the period from that first year."""
LAST_YEAR = 2100
"""The largest year ``top-beneficiaries`` accepts (its ``to`` default)."""


def rankings_triples(by_beneficiary: dict[tuple[str, int], Measures],
                     sources: dict[str, str], graph: str) -> Iterator[ox.Triple]:
    """The top beneficiaries of every period of the covered years, over all registries.

    A period ``[s, e]`` (``first <= s <= e <= last`` of the years with grants) is a node
    with the ``cube:from`` and ``cube:to`` values that ask for it: ``s`` itself, and every
    year from :data:`FIRST_YEAR` up to ``first`` when ``s`` is ``first`` (likewise ``e``
    up to :data:`LAST_YEAR`). So the query looks its period up by the two values given,
    two index lookups, and reads its 100 rows; a period with no grant has no node and
    the answer is empty, as the plain query's.
    """
    head = _node(graph + "#summary")
    yield ox.Triple(head, _node(_TYPE), _node(CUBE + "Summary"))
    yield ox.Triple(head, _node(CUBE + "kind"), ox.Literal("rankings"))
    for index, (source, checksum) in enumerate(sorted(sources.items())):
        covered = _node(f"{graph}#source-{index}")
        yield ox.Triple(head, _node(CUBE + "covers"), covered)
        yield ox.Triple(covered, _node(CUBE + "sourceGraph"), _node(source))
        yield ox.Triple(covered, _node(CUBE + "sourceChecksum"), ox.Literal(checksum))
    years = sorted({year for _, year in by_beneficiary})
    if not years:
        return
    first, last = years[0], years[-1]
    yield ox.Triple(head, _node(CUBE + "firstYear"), _integer(first))
    yield ox.Triple(head, _node(CUBE + "lastYear"), _integer(last))
    per_year: dict[int, dict[str, Measures]] = {}
    for (beneficiary, year), cell in by_beneficiary.items():
        per_year.setdefault(year, {})[beneficiary] = cell
    for start in range(first, last + 1):
        totals: dict[str, Measures] = {}
        for end in range(start, last + 1):
            for beneficiary, cell in per_year.get(end, {}).items():
                totals.setdefault(beneficiary, Measures()).add(cell)
            period = _node(f"{graph}#period-{start}-{end}")
            yield ox.Triple(period, _node(CUBE + "ranking"), head)
            froms = range(min(FIRST_YEAR, start), start + 1) if start == first else [start]
            tos = range(end, max(LAST_YEAR, end) + 1) if end == last else [end]
            for year in froms:
                yield ox.Triple(period, _node(CUBE + "from"), _integer(year))
            for year in tos:
                yield ox.Triple(period, _node(CUBE + "to"), _integer(year))
            ranked = heapq.nsmallest(TOP, totals.items(),
                                     key=lambda item: (-item[1].granted, item[0]))
            for rank, (beneficiary, total) in enumerate(ranked, start=1):
                observation = ox.BlankNode()
                yield ox.Triple(observation, _node(CUBE + "period"), period)
                yield ox.Triple(observation, _node(CUBE + "rank"), _integer(rank))
                yield ox.Triple(observation, _node(CUBE + "rankedBeneficiary"),
                                _node(beneficiary))
                yield from _measures(observation, total, "ranked")


# --- staging with the registry ---------------------------------------------------------------

_OTHERS = f"""
PREFIX cube: <{CUBE}>
PREFIX qb: <{QB}>
SELECT ?src ?sum ?beneficiary ?year ?grants ?granted ?paid WHERE {{
  ?summary cube:kind "registry" ; cube:sourceGraph ?src ; cube:sourceChecksum ?sum .
  ?dataset cube:summary ?summary ; qb:structure cube:beneficiary_year .
  OPTIONAL {{
    ?o qb:dataSet ?dataset ; cube:beneficiary ?beneficiary ; cube:beneficiaryYear ?year ;
       cube:beneficiaryGrants ?grants ; cube:beneficiaryGranted ?granted ;
       cube:beneficiaryPaid ?paid .
  }}
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
        if row["beneficiary"] is None:
            continue
        granted, granted_decimal = number(row["granted"])
        paid, paid_decimal = number(row["paid"])
        cell = Measures(int(row["grants"].value), granted, paid, granted_decimal, paid_decimal)
        sums.setdefault((row["beneficiary"].value, int(row["year"].value)),
                        Measures()).add(cell)
    return sums, sources


def aggregates_graph(graph: str) -> str:
    """The graph holding the aggregates of ``graph``."""
    return graph.rstrip("/#") + "/aggregates"


def _file(triples: Iterator[ox.Triple], folder: Path, name: str) -> Path:
    path = folder / name
    with path.open("wb") as output:
        ox.serialize(triples, output, format=ox.RdfFormat.N_TRIPLES)
    return path


def with_aggregates(store: Store, staged: StagedLoad,
                    tallies: Mapping[str, Tally] | None = None) -> StagedLoad:
    """``staged`` plus the aggregates of each of its graphs that holds grants, and the
    rankings over all registries, staged to be committed with it in one transaction.

    :param tallies: by graph, what a :class:`graph.canned.aggregates_tap.TapStream` saw of
        its source's N-Triples while they were staged; a graph without one is read back
        from the store (:func:`summarise`, slower).

    A graph without grants, or one that cannot be summed (:class:`NotSummable`), gets no
    aggregates: its canned queries then run their plain SPARQL.
    """
    summaries: list[tuple[str, Source, Summary]] = []
    for source, places in zip(staged.sources, staged.places, strict=True):
        for graph, where in places.items():
            tally = (tallies or {}).get(graph)
            summary = tally.summary() if tally is not None else summarise(store, where)
            if summary is not None and not summary.empty:
                summaries.append((graph, source, summary))
    if not summaries:
        return staged
    folder = Path(tempfile.mkdtemp(prefix="psikg-aggregates-"))
    try:
        try:
            others, sources = _other_registries(store, {graph for graph, _, _ in summaries})
        except NotSummable:
            others, sources = {}, {}
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
                others.setdefault(key, Measures()).add(cell)
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
