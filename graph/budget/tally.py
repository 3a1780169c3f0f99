"""The budget aggregates of a registry, tallied from its N-Triples while they stream into the store.

Reading a staged graph back costs about 17 µs a quad; the N-Triples the loader streams into
the store pass through Python anyway. :class:`TapStream` wraps that stream: every byte
pyoxigraph's bulk loader reads is also given to a :class:`Tally`, which keeps, per subject,
only the raw bytes of the values the budget queries use (type, funder, fiscal year,
beneficiary, municipality, amount; a payment's grant and price). :meth:`Tally.summary`
turns them into a :class:`graph.budget.model.Summary` with integer arithmetic: amounts are
whole numbers of 10⁻¹⁸ (:data:`graph.budget.model.SCALE`, Oxigraph's own decimal unit), so
the sums are exact and no ``Decimal`` or pyoxigraph object is made per grant.

Exactness: the store keeps a graph as a set, the stream is a sequence; values are
de-duplicated per subject and predicate as RDF terms (``"10.50"`` and ``"10.5"`` are one
decimal, as Oxigraph stores them), so the tally sums what the store holds. Lines are split
on their first two spaces, as psikg's converter writes them; a line with an escape, a tab,
a comment or another layout goes through pyoxigraph's N-Triples parser, and its terms are
written back in the one form the short path reads. Anything SPARQL would sum differently
(:class:`graph.budget.model.NotSummable`) makes :meth:`Tally.summary` give ``None``, and no
aggregates are built.

Cost: feeding and summing run in Python beside the store's bulk load, which keeps both
cores of a small machine busy, so each CPU second here lengthens the load. A line costs one
split and one lookup; a grant, one record (see :meth:`Tally._block`), and in
:meth:`Tally.summary` one short pass when it has single values and no payment, as nearly
all have (``bench/tally.py`` measures both).
"""

from __future__ import annotations

import gc
import io
import re
from collections import Counter
from typing import IO
from typing import cast

import pyoxigraph as ox

from graph.budget.model import AMOUNT as _AMOUNT
from graph.budget.model import BENEFICIARY as _BENEFICIARY
from graph.budget.model import FISCAL_YEAR as _YEAR
from graph.budget.model import FUNDER as _FUNDER
from graph.budget.model import GRANT as _GRANT
from graph.budget.model import OBJECT as _OBJECT
from graph.budget.model import PRICE as _PRICE
from graph.budget.model import PROFILE_MIN_GRANTS
from graph.budget.model import SCALE
from graph.budget.model import SPATIAL as _SPATIAL
from graph.budget.model import TYPE as _TYPE
from graph.budget.model import UNIT
from graph.budget.model import Measures
from graph.budget.model import NotSummable
from graph.budget.model import Summary
from graph.budget.model import check_year
from graph.budget.model import scaled

_SLOTS = (_YEAR, _FUNDER, _SPATIAL, _BENEFICIARY, _AMOUNT, _PRICE, _OBJECT)
YEAR, FUNDER, SPATIAL, BENEFICIARY, AMOUNT, PRICE, OBJECT = range(len(_SLOTS))
"""Slots of a record: the dimensions first (kept as one shared copy each), then the
numbers, then the two whose values are checked for a comment after them."""
TYPED = len(_SLOTS)
"""Slot of ``rdf:type``: only whether the subject is a ``schema:MonetaryGrant`` is kept."""
_DIMENSIONS = frozenset({YEAR, FUNDER, SPATIAL, BENEFICIARY, TYPED})
_BY_TOKEN = {f"<{p}>".encode(): slot for slot, p in enumerate(_SLOTS)}
_BY_TOKEN[f"<{_TYPE}>".encode()] = TYPED
_GRANT_TOKEN = f"<{_GRANT}>".encode()
_DECIMAL_TAIL = b'"^^<http://www.w3.org/2001/XMLSchema#decimal>'
_INTEGER_TAIL = b'"^^<http://www.w3.org/2001/XMLSchema#integer>'
_IRI = re.compile(rb"<([^<>\"{}|^`\\\x00-\x20]*)>\Z")

Values = bytes | list[bytes] | None
"""A subject's values of one predicate: one, several distinct ones, or none."""


class Tally:
    """Keeps what the aggregates need from a stream of N-Triples fed in any chunks."""

    def __init__(self) -> None:
        self._rest = b""
        self._records: dict[bytes, list[Values]] = {}
        """Subject → its values, one entry per slot, each kept as its line's tail (the term
        and `` .``); at TYPED, the grant type's for grants."""
        self._shared: dict[bytes, bytes] = {}
        """One copy of each dimension value and of the grant type (years, bodies, places,
        beneficiaries repeat over a registry's grants): a million grants hold references,
        not copies, about 300 bytes a grant less."""
        self.broken: str | None = None
        """Why the tally cannot be trusted (then :meth:`summary` is ``None``)."""

    def feed(self, data: bytes) -> None:
        """Take the next bytes of the stream (lines may be split anywhere)."""
        if self.broken is not None or not data:
            return
        if self._rest:
            data = self._rest + data
        if data[-1:] == b"\n":  # the converter's chunks end with a line: no copy
            self._rest = b""
        else:
            end = data.rfind(b"\n")
            self._rest = data[end + 1:]
            if end < 0:
                return
            data = data[:end + 1]
        collecting = gc.isenabled()
        gc.disable()  # only lists and bytes are made here: no cycle to look for
        try:
            self._block(data)
        except (SyntaxError, ValueError) as error:  # the bulk loader reports the syntax
            self.broken = str(error)
        finally:
            if collecting:
                gc.enable()

    def _block(self, block: bytes) -> None:
        """Whole lines (``block`` ends with a line break), read the short way when they
        have the converter's layout.

        That layout: fields split by single spaces, lines ending with `` .``, no tab or
        carriage return. A line's predicate is then its second field, so a line whose
        predicate is none of ours is skipped on that test alone, and a value is kept as the
        line's tail, `` .`` included (a repeated value is not copied). A subject's triples
        come in a run, so its record is looked up once a run; a subject that recurs later
        finds its record again. A line in any other layout goes through :meth:`_slow`
        (whole blocks with a tab or carriage return do). Lines of other predicates pay for
        one split and one lookup; the layout is checked once a run (subject), once a
        distinct value (dimensions), or once a line only for amounts, prices and payments.
        """
        if b"\t" in block or b"\r" in block:
            self._slow(block)
            return
        lines = block.split(b"\n")
        lines.pop()
        by_token, records, shared = _BY_TOKEN, self._records, self._shared
        grant = _GRANT_TOKEN + b" ."
        escaped = b"\\" in block
        size = TYPED + 1
        odd: list[bytes] = []
        current = b""
        record: list[Values] = []
        for line in lines:
            try:
                subject, predicate, obj = line.split(b" ", 2)
            except ValueError:  # fewer than three fields
                if line.strip() and not line.lstrip().startswith(b"#"):
                    odd.append(line)
                continue
            slot = by_token.get(predicate)
            if slot is None:
                if not subject or not predicate or escaped and b"\\" in predicate:
                    odd.append(line)  # a leading or a double space, an escape
                continue
            if escaped and (b"\\" in obj or b"\\" in subject):
                odd.append(line)
                continue
            if slot < AMOUNT:
                value = shared.get(obj)
                if value is None:
                    if obj[-2:] != b" ." or obj.count(b" ") != 1:
                        odd.append(line)
                        continue
                    value = shared[obj] = obj
                obj = value
            elif obj == grant:
                obj = grant
            elif obj[-2:] != b" ." or obj.count(b" ") != 1 or slot > PRICE \
                    and not _plain_term(obj[:-2]):  # a comment after the object, say
                odd.append(line)
                continue
            elif slot == TYPED:  # not a grant
                continue
            if subject != current:
                first = subject[:1]
                if not ((first == b"<" and subject[-1:] == b">") or first == b"_"):
                    odd.append(line)
                    continue
                found = records.get(subject)
                if found is None:
                    found = records[subject] = [None] * size
                current, record = subject, found
            known = record[slot]  # _keep, inlined: this loop runs once a line
            if known is None:
                record[slot] = obj
            elif known.__class__ is list:
                if obj not in known:
                    known.append(obj)
            elif known != obj:
                record[slot] = [known, obj]  # type: ignore[list-item]
        if odd:
            self._slow(b"\n".join(odd))

    def _slow(self, text: bytes) -> None:
        """Lines in other layouts, read by pyoxigraph's parser; each value kept in the form
        the short path keeps (a literal holding an escape cannot be a number)."""
        records, shared, grant = self._records, self._shared, _GRANT_TOKEN + b" ."
        for triple in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
            slot = _BY_TOKEN.get(f"<{triple.predicate.value}>".encode())
            if slot is None:
                continue
            if isinstance(triple.object, ox.Triple) or isinstance(triple.subject, ox.Triple):
                raise ValueError("an RDF-star triple as a value")
            obj = str(triple.object).encode()
            obj = (b'"not a number"' if b"\\" in obj else obj) + b" ."
            if slot == TYPED and obj != grant:
                continue
            if slot in _DIMENSIONS:
                obj = shared.setdefault(obj, obj)
            subject = str(triple.subject).encode()
            record = records.get(subject)
            if record is None:
                record = records[subject] = [None] * (TYPED + 1)
            _keep(record, slot, obj)

    def summary(self) -> Summary | None:
        """The aggregates of everything fed, or ``None`` if they cannot be summed exactly."""
        if self._rest.strip():
            try:
                self._block(self._rest + b"\n")
            except (SyntaxError, ValueError) as error:
                self.broken = str(error)
            self._rest = b""
        if self.broken is not None:
            return None
        collecting = gc.isenabled()
        gc.disable()  # a million records and cells, none in a cycle
        try:
            return _summary(self._records)
        except NotSummable:
            return None
        finally:
            if collecting:
                gc.enable()


def _plain_term(term: bytes) -> bool:
    """Whether ``term`` is one IRI or blank node and nothing else."""
    if b" " in term or b"#" in term[:1]:
        return False
    if term[:1] == b"<":
        return term.find(b">") == len(term) - 1
    return term[:2] == b"_:" and b"#" not in term and b">" not in term


def _keep(record: list[Values], slot: int, obj: bytes) -> None:
    """Add a value to a subject's slot: a set of values, as a value or a list of them."""
    known = record[slot]
    if known is None:
        record[slot] = obj
    elif known.__class__ is list:
        if obj not in known:
            known.append(obj)
    elif known != obj:
        record[slot] = [known, obj]  # type: ignore[list-item]


def _summary(records: dict[bytes, list[Values]]) -> Summary:
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


class TapStream(io.RawIOBase):
    """A readable binary stream that passes ``inner`` through and feeds ``tally``."""

    def __init__(self, inner: IO[bytes], tally: Tally) -> None:
        super().__init__()
        self._inner = inner
        self.tally = tally

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        if not data:
            return 0
        size = len(data)
        buffer[:size] = data
        self.tally.feed(data)
        return size

    def close(self) -> None:
        self._inner.close()
        super().close()


def tapped(inner: IO[bytes], tally: Tally) -> IO[bytes]:
    """``inner`` as pyoxigraph reads it, every byte also fed to ``tally``."""
    return cast(IO[bytes], TapStream(inner, tally))


__all__ = ["SCALE", "TapStream", "Tally", "number_of", "tapped"]
