"""The budget aggregates of a registry, tallied from its N-Triples while they stream into the store.

Reading a staged graph back costs about 17 µs a quad; the N-Triples the loader streams into
the store pass through Python anyway. :class:`TapStream` wraps that stream: every byte
pyoxigraph's bulk loader reads is also given to a :class:`Tally`, which keeps, per subject,
only the raw bytes of the values the budget queries use (type, funder, fiscal year,
beneficiary, municipality, amount; a payment's grant and price). :meth:`Tally.summary`
turns them into a :class:`graph.canned.cube.Summary` with integer arithmetic: amounts are
whole numbers of 10⁻¹⁸ (:data:`graph.canned.cube.SCALE`, Oxigraph's own decimal unit), so
the sums are exact and no ``Decimal`` or pyoxigraph object is made per grant.

Exactness: the store keeps a graph as a set, the stream is a sequence; values are
de-duplicated per subject and predicate as RDF terms (``"10.50"`` and ``"10.5"`` are one
decimal, as Oxigraph stores them), so the tally sums what the store holds. Lines are split
on their first two spaces, as psikg's converter writes them; any line with a backslash or
another layout goes through pyoxigraph's N-Triples parser, and its terms are written back
in the one form the fast path reads. Anything SPARQL would sum differently
(:class:`graph.canned.cube.NotSummable`) makes :meth:`Tally.summary` give ``None``, and no
aggregates are built.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import IO
from typing import cast

import pyoxigraph as ox

from graph.canned.cube import _AMOUNT
from graph.canned.cube import _BENEFICIARY
from graph.canned.cube import _FUNDER
from graph.canned.cube import _GRANT
from graph.canned.cube import _OBJECT
from graph.canned.cube import _PRICE
from graph.canned.cube import _SPATIAL
from graph.canned.cube import _TYPE
from graph.canned.cube import _YEAR
from graph.canned.cube import PROFILE_MIN_GRANTS
from graph.canned.cube import SCALE
from graph.canned.cube import Measures
from graph.canned.cube import NotSummable
from graph.canned.cube import Summary
from graph.canned.cube import check_year
from graph.canned.cube import scaled

_SLOTS = (_AMOUNT, _YEAR, _FUNDER, _SPATIAL, _BENEFICIARY, _OBJECT, _PRICE)
AMOUNT, YEAR, FUNDER, SPATIAL, BENEFICIARY, OBJECT, PRICE = range(len(_SLOTS))
TYPED = len(_SLOTS)
_DIMENSIONS = frozenset({YEAR, FUNDER, SPATIAL, BENEFICIARY, TYPED})
"""Slot of ``rdf:type``: only whether the subject is a ``schema:MonetaryGrant`` is kept."""
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
        """Subject → its values, one entry per slot (``True`` at TYPED for grants)."""
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
        data = self._rest + data
        end = data.rfind(b"\n")
        if end < 0:
            self._rest = data
            return
        self._rest = data[end + 1:]
        try:
            self._lines(data[:end])
        except (SyntaxError, ValueError) as error:  # the bulk loader reports the syntax
            self.broken = str(error)

    def _lines(self, block: bytes) -> None:
        by_token, records, grant, shared = _BY_TOKEN, self._records, _GRANT_TOKEN, self._shared
        size = TYPED + 1
        slow: list[bytes] = []
        for line in block.split(b"\n"):
            parts = line.split(b" ", 2)
            if len(parts) < 3:
                if line.strip() and not line.lstrip().startswith(b"#"):
                    slow.append(line)
                continue
            subject, predicate, rest = parts
            slot = by_token.get(predicate)
            if slot is None:
                if b"\\" in predicate or predicate[:1] != b"<":
                    slow.append(line)
                continue
            if rest[-2:] == b" .":
                obj = rest[:-2]
            else:
                rest = rest.rstrip()
                if rest[-1:] != b"." or b"\\" in rest:
                    slow.append(line)
                    continue
                obj = rest[:-1].rstrip()
            first = subject[:1]
            if not ((first == b"<" and subject[-1:] == b">") or first == b"_") \
                    or b"\\" in subject or b"\\" in obj or obj[:1] == b" ":
                slow.append(line)
                continue
            if slot == TYPED and obj != grant:
                continue
            if slot in _DIMENSIONS:
                obj = shared.setdefault(obj, obj)
            record = records.get(subject)
            if record is None:
                record = records[subject] = [None] * size
            known = record[slot]
            if known is None:
                record[slot] = obj
            elif known.__class__ is list:
                if obj not in known:
                    known.append(obj)
            elif known != obj:
                record[slot] = [known, obj]  # type: ignore[list-item]
        if slow:
            self._slow(b"\n".join(slow))

    def _slow(self, text: bytes) -> None:
        """Lines in other layouts, through pyoxigraph's parser, written back in the simple form."""
        lines = []
        for triple in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
            if f"<{triple.predicate.value}>".encode() not in _BY_TOKEN:
                continue
            if isinstance(triple.object, ox.Triple) or isinstance(triple.subject, ox.Triple):
                raise ValueError("an RDF-star triple as a value")
            obj = str(triple.object).encode()
            if b"\\" in obj:  # a literal the fast path would not read: it cannot be a number
                obj = b'"not a number"'
            lines.append(b"%s <%s> %s ." % (str(triple.subject).encode(),
                                            triple.predicate.value.encode(), obj))
        if lines:
            self._lines(b"\n".join(lines))

    def summary(self) -> Summary | None:
        """The aggregates of everything fed, or ``None`` if they cannot be summed exactly."""
        if self._rest.strip():
            try:
                self._lines(self._rest)
            except (SyntaxError, ValueError) as error:
                self.broken = str(error)
            self._rest = b""
        if self.broken is not None:
            return None
        try:
            return _summary(self._records)
        except NotSummable:
            return None


def _summary(records: dict[bytes, list[Values]]) -> Summary:
    numbers: dict[bytes, tuple[int, bool]] = {}
    paid: dict[bytes, list[tuple[int, bool]]] = {}
    for record in records.values():
        payments, prices = record[OBJECT], record[PRICE]
        if payments is None or prices is None:
            continue
        read = _numbers(numbers, prices)
        for grant in _many(payments):
            paid.setdefault(grant, []).extend(read)
    summary = Summary()
    large = _large(records)
    slices = ((summary.body_year, FUNDER), (summary.municipality_year, SPATIAL),
              (summary.beneficiary_year, BENEFICIARY))
    profile = summary.profile
    keys: dict[bytes, str] = {}
    years: dict[bytes, int] = {}
    no_payment: list[tuple[int, bool]] = []
    for subject, record in records.items():
        if record[TYPED] is None:
            continue
        amount_values, year_values = record[AMOUNT], record[YEAR]
        grant_amounts = _numbers(numbers, amount_values) if amount_values is not None else []
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


def _numbers(cache: dict[bytes, tuple[int, bool]], values: Values) -> list[tuple[int, bool]]:
    """Distinct numbers as the store keeps them (``"10.50"`` and ``"10.5"`` are one)."""
    if isinstance(values, bytes):
        read = cache.get(values)
        if read is None:
            read = cache[values] = number_of(values)
        return [read]
    return list(dict.fromkeys(number_of(value) for value in _many(values)))


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


def _year(text: bytes) -> int:
    match = _IRI.match(text)
    return check_year(match.group(1).decode() if match else text.decode())


def _key(text: bytes) -> str:
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
