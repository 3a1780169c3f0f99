"""A registry's grant records, as the tally keeps them, summed into a
:class:`~graph.budget.model.Summary`, with integer arithmetic.

A record is a list of slots, one per property the budget queries read (:data:`SLOTS`): each
holds the subject's values of that property as their N-Triples line tails (the term and
`` .``), one value or a list of distinct ones. Amounts are whole numbers of 10⁻¹⁸
(:data:`~graph.budget.model.SCALE`, Oxigraph's own decimal unit), so the sums are exact and
no ``Decimal`` or pyoxigraph object is made per grant.
"""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph as ox

from graph.budget.model import AMOUNT as _AMOUNT
from graph.budget.model import BENEFICIARY as _BENEFICIARY
from graph.budget.model import FISCAL_YEAR as _YEAR
from graph.budget.model import FUNDER as _FUNDER
from graph.budget.model import GRANT_PROPERTIES
from graph.budget.model import OBJECT as _OBJECT
from graph.budget.model import PRICE as _PRICE
from graph.budget.model import PROFILE_MIN_GRANTS
from graph.budget.model import SCALE
from graph.budget.model import SPATIAL as _SPATIAL
from graph.budget.model import UNIT
from graph.budget.model import Measures
from graph.budget.model import NotSummable
from graph.budget.model import Summary
from graph.budget.model import check_year
from graph.budget.model import scaled

SLOTS = (_YEAR, _FUNDER, _SPATIAL, _BENEFICIARY, _AMOUNT, _PRICE, _OBJECT)
"""The properties a record keeps, by slot."""
YEAR, FUNDER, SPATIAL, BENEFICIARY, AMOUNT, PRICE, OBJECT = range(len(SLOTS))
"""Slots of a record: the dimensions first (kept as one shared copy each), then the
numbers, then the two whose values are checked for a comment after them."""
TYPED = len(SLOTS)
"""Slot of ``rdf:type``: only whether the subject is a ``schema:MonetaryGrant`` is kept."""
DIMENSIONS = frozenset({YEAR, FUNDER, SPATIAL, BENEFICIARY, TYPED})
_DECIMAL_TAIL = b'"^^<http://www.w3.org/2001/XMLSchema#decimal>'
_INTEGER_TAIL = b'"^^<http://www.w3.org/2001/XMLSchema#integer>'
_IRI = re.compile(rb"<([^<>\"{}|^`\\\x00-\x20]*)>\Z")

Values = bytes | list[bytes] | None
"""A subject's values of one predicate: one, several distinct ones, or none."""


def summarise_records(records: dict[bytes, list[Values]],
                      spellings: dict[bytes, dict[bytes, int]]) -> Summary:
    """The summary of a registry: its grants summed by cell (:func:`_sum_grants`), how many
    grants lack each property the budget queries read, and the spellings of each entity's
    name with the rows that wrote them.

    :param spellings: subject → the tail of each of its name lines → the lines seen.
    :raises NotSummable: if a value cannot be summed the way SPARQL sums it.
    """
    summary = _sum_grants(records)
    slots = {SLOTS.index(prop): prop for prop in GRANT_PROPERTIES}
    for record in records.values():
        if record[TYPED] is None:
            summary.untyped += record[AMOUNT] is not None
            continue
        summary.grants += 1
        for slot, prop in slots.items():
            if record[slot] is None:
                summary.missing[prop] = summary.missing.get(prop, 0) + 1
    for subject, counts in spellings.items():
        match = _IRI.match(subject)
        if match is None:
            continue
        entity = summary.spellings.setdefault(match.group(1).decode(), {})
        for tail, rows in counts.items():
            text = literal_text(tail[:-2])
            entity[text] = entity.get(text, 0) + rows
    return summary


def literal_text(term: bytes) -> str:
    """The lexical form of an N-Triples literal (language tag or datatype dropped).

    >>> literal_text(b'"ASBL Les Amis"@fr'), literal_text(b'"Caf\\\\u00E9"')
    ('ASBL Les Amis', 'Café')
    """
    if b"\\" not in term:
        return term[1:term.rindex(b'"')].decode()
    triple = next(iter(ox.parse(b"<urn:x:s> <urn:x:p> " + term + b" .\n",
                                format=ox.RdfFormat.N_TRIPLES)))
    return str(triple.object.value)


def _sum_grants(records: dict[bytes, list[Values]]) -> Summary:
    """The cells of every grant, in the order of the grants' first triples.

    A grant with one amount, one year, at most one value of each dimension and no
    payment (nearly all of them) takes the short way; any other, the cross product of
    :func:`_contribution`. Both add the same measures to the same cells in the same order.
    """
    paid: dict[bytes, list[tuple[int, bool]]] = {}
    for record in records.values():
        payments, prices = record[OBJECT], record[PRICE]
        if payments is None or prices is None:
            continue
        read = _numbers(prices)
        for grant in _many(payments):
            paid.setdefault(grant[:-2], []).extend(read)
    summary = Summary()
    large = _large(records)
    slices = ((summary.body_year, FUNDER), (summary.municipality_year, SPATIAL),
              (summary.beneficiary_year, BENEFICIARY))
    body_year, municipality_year, beneficiary_year = (table for table, _ in slices)
    profile = summary.profile
    keys: dict[bytes, str] = {}
    years: dict[bytes, int] = {}
    no_payment: list[tuple[int, bool]] = []
    for subject, record in records.items():
        if record[TYPED] is None:
            continue
        amount_values, year_values = record[AMOUNT], record[YEAR]
        funders, places, beneficiaries = record[FUNDER], record[SPATIAL], record[BENEFICIARY]
        if amount_values.__class__ is bytes and year_values.__class__ is bytes \
                and subject not in paid and funders.__class__ is not list \
                and places.__class__ is not list and beneficiaries.__class__ is not list:
            value, decimal = _number(amount_values)
            year = years.get(year_values)
            if year is None:
                year = years[year_values] = _year(year_values)
            for table, text in ((body_year, funders), (municipality_year, places),
                                (beneficiary_year, beneficiaries)):
                if text is None:
                    continue
                key = keys.get(text)  # type: ignore[arg-type]
                if key is None:
                    key = keys[text] = _key(text)  # type: ignore[index,arg-type]
                cell = table.get((key, year))
                if cell is None:
                    cell = table[key, year] = Measures()
                cell.grants += 1
                cell.granted += value
                cell.amount += value
                if decimal:
                    cell.granted_decimal = cell.amount_decimal = True
                if text is beneficiaries and text in large and funders is not None:
                    triple = (key, keys[funders], year)  # type: ignore[index]
                    cell = profile.get(triple)
                    if cell is None:
                        cell = profile[triple] = Measures()
                    cell.grants += 1
                    cell.granted += value
                    cell.amount += value
                    if decimal:
                        cell.granted_decimal = cell.amount_decimal = True
            continue
        grant_amounts = _numbers(amount_values) if amount_values is not None else []
        if year_values is None:
            continue
        grant_years = []
        for text in _many(year_values):
            year = years.get(text)
            if year is None:
                year = years[text] = _year(text)
            grant_years.append(year)
        if not grant_amounts:
            continue
        grants, granted, paid_sum, amount, amount_decimal, paid_decimal = _contribution(
            grant_amounts, paid.get(subject, no_payment))
        for table, slot in slices:
            values = record[slot]
            if values is None:
                continue
            for text in _many(values):
                key = keys.get(text)
                if key is None:
                    key = keys[text] = _key(text)
                cells = [(table, (key, year)) for year in grant_years]
                if slot == BENEFICIARY and text in large:
                    cells += [(profile, (key, keys[body], year))  # type: ignore[misc]
                              for body in _many(record[FUNDER]) for year in grant_years]
                for where, at in cells:
                    cell = where.get(at)
                    if cell is None:
                        cell = where[at] = Measures()
                    cell.grants += grants
                    cell.granted += granted
                    cell.paid += paid_sum
                    cell.amount += amount
                    if amount_decimal:
                        cell.granted_decimal = cell.amount_decimal = True
                    if paid_decimal:
                        cell.paid_decimal = True
    return summary


def _large(records: dict[bytes, list[Values]]) -> set[bytes]:
    """The beneficiaries of more than PROFILE_MIN_GRANTS grants."""
    counts = Counter(record[BENEFICIARY] for record in records.values()
                     if record[TYPED] is not None and isinstance(record[BENEFICIARY], bytes))
    for record in records.values():
        several = record[BENEFICIARY]
        if record[TYPED] is not None and isinstance(several, list):
            counts.update(several)
    return {text for text, count in counts.items()  # type: ignore[misc]
            if count > PROFILE_MIN_GRANTS and text is not None}


Contribution = tuple[int, int, int, int, bool, bool]
"""What one grant adds to each of its cells: solutions, granted, paid, amount, flags."""


def _contribution(amounts: list[tuple[int, bool]], prices: list[tuple[int, bool]]
                  ) -> Contribution:
    """A grant's measures over the cross product of its amounts and payments (SPARQL's
    ``SUM(?amount)`` and ``SUM(COALESCE(?price, 0))`` of the joined solutions)."""
    times = len(prices) or 1
    if len(amounts) == 1:
        total, amount_decimal = amounts[0]
    else:
        total = sum(value for value, _ in amounts)
        amount_decimal = any(decimal for _, decimal in amounts)
    paid = sum(value for value, _ in prices) * len(amounts) if prices else 0
    paid_decimal = any(decimal for _, decimal in prices) if prices else False
    return (len(amounts) * times, total * times, paid, total, amount_decimal, paid_decimal)


def _many(values: Values) -> list[bytes]:
    if values is None:
        return []
    return values if isinstance(values, list) else [values]


def _numbers(values: Values) -> list[tuple[int, bool]]:
    """Distinct numbers as the store keeps them (``"10.50"`` and ``"10.5"`` are one)."""
    if isinstance(values, bytes):
        return [_number(values)]
    return list(dict.fromkeys(_number(value) for value in _many(values)))


_POWERS = [10 ** (SCALE - digits) for digits in range(SCALE + 1)]
_DECIMAL_END = _DECIMAL_TAIL + b" ."


def _number(value: bytes) -> tuple[int, bool]:
    """A kept value (a line's tail) as :func:`number_of` reads it; plain decimals the short
    way (whole digits below 10²⁰, at most 18 fractional ones, as :func:`scaled` takes)."""
    if value[:1] == b'"' and value.endswith(_DECIMAL_END):
        whole, _, fraction = value[1:-len(_DECIMAL_END)].partition(b".")
        if whole.isdigit() and len(whole) < 20 and fraction.isdigit() and len(fraction) <= SCALE:
            return int(whole) * UNIT + int(fraction) * _POWERS[len(fraction)], True
    return number_of(value[:-2])


def number_of(text: bytes) -> tuple[int, bool]:
    """An ``xsd:integer`` or ``xsd:decimal`` literal in N-Triples as (units of 10⁻¹⁸, decimal).

    :raises NotSummable: for any other literal, or a value Oxigraph would not hold exactly.
    """
    if text[:1] == b'"':
        if text.endswith(_DECIMAL_TAIL):
            return scaled(text[1:-len(_DECIMAL_TAIL)], True), True
        if text.endswith(_INTEGER_TAIL):
            return scaled(text[1:-len(_INTEGER_TAIL)], False), False
    raise NotSummable(f"{text.decode(errors='replace')} is not an xsd:integer or xsd:decimal")


def _year(value: bytes) -> int:
    text = value[:-2]
    match = _IRI.match(text)
    return check_year(match.group(1).decode() if match else text.decode())


def _key(value: bytes) -> str:
    text = value[:-2]
    match = _IRI.match(text)
    if match is None:
        raise NotSummable(f"{text.decode(errors='replace')} as a dimension value")
    return match.group(1).decode()
