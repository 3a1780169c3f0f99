"""The budget aggregates of a registry, tallied from its N-Triples while they stream into the store.

Reading a staged graph back costs about 17 µs a quad (twice: payments, then grants); the
N-Triples the loader streams into the store pass through Python anyway. :class:`TapStream`
wraps that stream: every byte pyoxigraph's bulk loader reads is also given to a
:class:`Tally`, which keeps, per subject, only the values the budget queries use (type,
funder, fiscal year, beneficiary, municipality, amount; a payment's grant and price) and
builds the same :class:`graph.canned.cube.Summary` :func:`graph.canned.cube.summarise`
reads from the store.

Exactness: the store keeps a graph as a set, the stream is a sequence; values are
de-duplicated per subject and predicate (as RDF terms: ``"1.0"`` and ``"1.00"`` stay two),
so the tally sums what the store holds. Lines are split on their first two spaces, as
psikg's converter writes them; any line whose predicate is not a plain ``<IRI>`` without
escapes, or whose wanted subject or object is not in the simple forms read here, goes
through pyoxigraph's N-Triples parser instead. Anything :func:`graph.canned.cube.summarise`
would refuse (:class:`graph.canned.cube.NotSummable`) makes :meth:`Tally.summary` give
``None``, and no aggregates are built.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
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
from graph.canned.cube import NotSummable
from graph.canned.cube import Summary
from graph.canned.cube import _add_grant
from graph.canned.cube import number

_SLOT = {_TYPE: 0, _AMOUNT: 1, _YEAR: 2, _FUNDER: 3, _SPATIAL: 4, _BENEFICIARY: 5}
"""Predicate → slot in a subject's record; payments have their own records."""
_PAYMENT = {_OBJECT: 0, _PRICE: 1}
_BY_TOKEN = {f"<{p}>".encode(): ("grant", s) for p, s in _SLOT.items()}
_BY_TOKEN.update({f"<{p}>".encode(): ("payment", s) for p, s in _PAYMENT.items()})
_NAMES = {_TYPE: "type", _AMOUNT: "amount", _YEAR: "year", _FUNDER: "funder",
          _SPATIAL: "spatial", _BENEFICIARY: "beneficiary"}
_IRI = re.compile(rb"<([^<>\"{}|^`\\\x00-\x20]*)>\Z")
_LITERAL = re.compile(rb"\"([^\"\\\r\n]*)\"\^\^<([^<>\"{}|^`\\\x00-\x20]*)>\Z")
_BLANK = re.compile(rb"_:[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")

Value = ox.NamedNode | ox.Literal | ox.BlankNode


class Tally:
    """Keeps what the aggregates need from a stream of N-Triples fed in any chunks."""

    def __init__(self) -> None:
        self._rest = b""
        self._grants: dict[bytes | str, list[list[Value] | None]] = {}
        self._payments: dict[bytes | str, list[list[Value] | None]] = {}
        self._terms: dict[bytes, Value] = {}
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
        by_token = _BY_TOKEN
        slow: list[bytes] = []
        for line in block.split(b"\n"):
            parts = line.split(b" ", 2)
            if len(parts) < 3:
                if line.strip() and not line.lstrip().startswith(b"#"):
                    slow.append(line)
                continue
            wanted = by_token.get(parts[1])
            if wanted is None:
                if b"\\" in parts[1] or not parts[1].startswith(b"<"):
                    slow.append(line)
                continue
            rest = parts[2].rstrip()
            if not rest.endswith(b"."):
                slow.append(line)
                continue
            subject = parts[0]
            obj = self._term(rest[:-1].rstrip())
            if obj is None or not (_IRI.match(subject) or _BLANK.match(subject)):
                slow.append(line)
                continue
            self._put(wanted, subject, obj)
        if slow:
            for triple in ox.parse(b"\n".join(slow), format=ox.RdfFormat.N_TRIPLES):
                wanted = by_token.get(f"<{triple.predicate.value}>".encode())
                if wanted is not None:
                    self._put(wanted, str(triple.subject).encode(), triple.object)

    def _term(self, text: bytes) -> Value | None:
        """The object term of a simple form (cached: dimension values repeat), else ``None``."""
        term = self._terms.get(text)
        if term is not None:
            return term
        match = _IRI.match(text)
        if match:
            term = ox.NamedNode(match.group(1).decode())
            self._terms[text] = term
            return term
        match = _LITERAL.match(text)
        if match:
            return ox.Literal(match.group(1).decode(),
                              datatype=ox.NamedNode(match.group(2).decode()))
        return None

    def _put(self, wanted: tuple[str, int], subject: bytes, obj: Value | ox.Triple) -> None:
        kind, slot = wanted
        if isinstance(obj, ox.Triple):
            raise ValueError("an RDF-star triple as a value")
        table, size = (self._grants, 6) if kind == "grant" else (self._payments, 2)
        record = table.get(subject)
        if record is None:
            record = table[subject] = [None] * size
        values = record[slot]
        if values is None:
            record[slot] = [obj]
        else:
            values.append(obj)

    def summary(self) -> Summary | None:
        """The aggregates of everything fed, or ``None`` if they cannot be summed exactly."""
        if self._rest.strip():
            self._lines(self._rest)
            self._rest = b""
        if self.broken is not None:
            return None
        try:
            paid: dict[bytes, list[tuple[Decimal, bool]]] = {}
            for objects, prices in self._payments.values():
                if not objects or not prices:
                    continue
                read = [number(price) for price in _distinct_numbers(prices)]
                for grant in _distinct(objects):
                    paid.setdefault(str(grant).encode(), []).extend(read)
            summary = Summary()
            grant_type = ox.NamedNode(_GRANT)
            for subject, record in self._grants.items():
                if not record[0] or grant_type not in record[0]:
                    continue
                values = {predicate: _distinct(record[slot] or [])
                          for predicate, slot in _SLOT.items() if slot}
                values[_AMOUNT] = _distinct_numbers(values[_AMOUNT])
                _add_grant(summary, values, paid.get(subject, []))  # type: ignore[arg-type]
        except NotSummable:
            return None
        return summary


def _distinct(values: list[Value]) -> list[Value]:
    return values if len(values) == 1 else list(dict.fromkeys(values))


def _distinct_numbers(values: list[Value]) -> list[Value]:
    """Numbers distinct as the store keeps them: ``"10.50"`` and ``"10.5"`` are one decimal."""
    if len(values) == 1:
        return values
    kept: dict[tuple[str, Decimal], Value] = {}
    for value in values:
        number(value)  # NotSummable if it is not a valid integer or decimal
        assert isinstance(value, ox.Literal)
        kept.setdefault((value.datatype.value, Decimal(value.value)), value)
    return list(kept.values())


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


__all__ = ["TapStream", "Tally", "tapped"]
