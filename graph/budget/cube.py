"""The budget aggregates written as an RDF Data Cube, in N-Triples text.

- ``{graph}/aggregates``, one per registry graph (:func:`summary_triples`): two
  ``qb:DataSet`` s of additive sums (grants counted, amounts granted and paid) by granting
  body and year and by municipality and year; the sums by beneficiary, body and year of the
  beneficiaries with more than :data:`~graph.budget.model.PROFILE_MIN_GRANTS` grants
  (``beneficiary-profile`` looks the others up grant by grant); and the sums by
  beneficiary and year, and the spellings of every entity's name with the rows that wrote
  them, as compact tables in a few literals (``cube:beneficiaryYearTable``,
  ``cube:spellingTable``), which no query reads: only the next load does, to rank the
  beneficiaries and label the entities of all registries. A graph without grants but with
  names gets the spellings alone (``cube:kind "names"``).
- ``{base}graph/aggregates/rankings`` (:func:`rankings_triples`): for every period
  ``[from, to]`` of the years the registries cover, the
  :data:`~graph.budget.model.TOP` beneficiaries by amount granted, over all registries;
  and (:func:`label_triples`) the label of every entity written several ways.

They are text, not pyoxigraph objects: a million-grant registry writes a few thousand
lines, and the store bulk-loads them.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator

import pyoxigraph as ox

from graph.budget.model import CUBE
from graph.budget.model import PREFERRED_LABEL
from graph.budget.model import TABLE_ROWS
from graph.budget.model import TOP
from graph.budget.model import TYPE
from graph.budget.model import Measures
from graph.budget.model import Summary
from graph.budget.model import canonical
from graph.namespaces import QB
from graph.namespaces import XSD


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
    kind = "names" if summary.empty else "registry"
    yield (f"{head} <{TYPE}> <{CUBE}Summary> .\n{head} <{CUBE}kind> \"{kind}\" .\n"
           f"{head} <{CUBE}sourceGraph> <{source}> .\n"
           f"{head} <{CUBE}sourceChecksum> {ox.Literal(checksum)} .\n")
    yield from spelling_table(summary.spellings, head)
    if summary.empty:
        return
    for name, dimension in SLICES.items():
        dataset = f"<{aggregates}#{name.replace('_', '-')}>"
        yield (f"{dataset} <{TYPE}> <{QB}DataSet> .\n{dataset} <{QB}structure> <{CUBE}{name}> .\n"
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


def read_table(text: str, into: dict[tuple[str, int], Measures]) -> None:
    for row in text.split("\n"):
        beneficiary, year, grants, granted, paid, flags = row.split(" ")
        cell = Measures(int(grants), int(granted), int(paid), bool(int(flags) & 1),
                        bool(int(flags) & 2))
        into.setdefault((beneficiary, int(year)), Measures()).add(cell)


def spelling_table(spellings: dict[str, dict[str, int]], head: str) -> Iterator[str]:
    """The spellings of a registry's entities, as JSON ``[IRI, spelling, rows]`` rows in a
    few literals (``cube:spellingTable``): no query reads them, the next load does, to
    choose every entity's label over all registries (:func:`label_triples`)."""
    rows = [[iri, text, counts[text]] for iri, counts in sorted(spellings.items())
            for text in sorted(counts)]
    for start in range(0, len(rows), TABLE_ROWS):
        text = json.dumps(rows[start:start + TABLE_ROWS], ensure_ascii=False)
        yield f"{head} <{CUBE}spellingTable> {ox.Literal(text)} .\n"


def read_spellings(text: str, into: dict[str, dict[str, int]]) -> None:
    """Add the rows of one ``cube:spellingTable`` literal to ``into``."""
    for iri, spelling, count in json.loads(text):
        counts = into.setdefault(iri, {})
        counts[spelling] = counts.get(spelling, 0) + count


def label_triples(spellings: dict[str, dict[str, int]]) -> Iterator[str]:
    """``skos:prefLabel`` of every entity written several ways: its most frequent spelling
    over the rows of every register (ties: the first in code-point order). An entity
    written one way needs none: its one name is the label."""
    for iri, counts in spellings.items():
        if len(counts) > 1:
            best = min(counts, key=lambda text: (-counts[text], text))
            yield f"<{iri}> <{PREFERRED_LABEL}> {ox.Literal(best)} .\n"


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
    yield f"{head} <{TYPE}> <{CUBE}Summary> .\n{head} <{CUBE}kind> \"rankings\" .\n"
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
