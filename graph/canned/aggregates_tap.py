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
from graph.canned.cube import SCALE
from graph.canned.cube import Measures
from graph.canned.cube import NotSummable
from graph.canned.cube import Summary
from graph.canned.cube import check_year
from graph.canned.cube import scaled

_SLOTS = (_AMOUNT, _YEAR, _FUNDER, _SPATIAL, _BENEFICIARY, _OBJECT, _PRICE)
AMOUNT, YEAR, FUNDER, SPATIAL, BENEFICIARY, OBJECT, PRICE = range(len(_SLOTS))
TYPED = -1
"""Slot of ``rdf:type``: only whether the subject is a ``schema:MonetaryGrant`` is kept."""
_BY_TOKEN = {f"<{p}>".encode(): slot for slot, p in enumerate(_SLOTS)}
_BY_TOKEN[f"<{_TYPE}>".encode()] = TYPED
_GRANT_TOKEN = f"<{_GRANT}>".encode()
_DECIMAL_TAIL = b'"^^<http://www.w3.org/2001/XMLSchema#decimal>'
_INTEGER_TAIL = b'"^^<http://www.w3.org/2001/XMLSchema#integer>'
_IRI = re.compile(rb"<([^<>\"{}|^`\\\x00-\x20]*)>\Z")


class Tally:
    """Keeps what the aggregates need from a stream of N-Triples fed in any chunks."""

    def __init__(self) -> None:
        self._rest = b""
        self._values: list[dict[bytes, bytes]] = [{} for _ in _SLOTS]
        self._more: dict[tuple[int, bytes], list[bytes]] = {}
        """Second and further distinct values of a subject's slot (rare)."""
        self._typed: set[bytes] = set()
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
        by_token, values, typed, grant = _BY_TOKEN, self._values, self._typed, _GRANT_TOKEN
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
            if slot == TYPED:
                if obj == grant:
                    typed.add(subject)
                continue
            table = values[slot]
            known = table.get(subject)
            if known is None:
                table[subject] = obj
            elif known != obj:
                more = self._more.setdefault((slot, subject), [])
                if obj not in more:
                    more.append(obj)
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

    def _all(self, slot: int, subject: bytes) -> list[bytes]:
        first = self._values[slot].get(subject)
        if first is None:
            return []
        more = self._more.get((slot, subject))
        return [first, *more] if more else [first]

    def _numbers(self, slot: int, subject: bytes) -> list[tuple[int, bool]]:
        """Distinct numbers as the store keeps them (``"10.50"`` and ``"10.5"`` are one)."""
        return list(dict.fromkeys(number_of(value) for value in self._all(slot, subject)))

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
            return self._summary()
        except NotSummable:
            return None

    def _summary(self) -> Summary:
        values, more = self._values, self._more
        paid: dict[bytes, list[tuple[int, bool]]] = {}
        objects = values[OBJECT]
        for payment in values[PRICE]:
            if payment not in objects:
                continue
            read = self._numbers(PRICE, payment)
            for grant in self._all(OBJECT, payment):
                paid.setdefault(grant, []).extend(read)
        summary = Summary()
        slices = ((summary.body_year, FUNDER), (summary.municipality_year, SPATIAL),
                  (summary.beneficiary_year, BENEFICIARY))
        profile: dict[tuple[str, str, int], Measures] = {}
        keys: dict[bytes, str] = {}
        years: dict[bytes, int] = {}
        amounts, fiscal = values[AMOUNT], values[YEAR]
        for grant in self._typed:
            amount_text = amounts.get(grant)
            year_text = fiscal.get(grant)
            if (AMOUNT, grant) in more or amount_text is None:
                grant_amounts = self._numbers(AMOUNT, grant)
            else:
                grant_amounts = [number_of(amount_text)]
            if (YEAR, grant) in more or year_text is None:
                grant_years = [_year(years, text) for text in self._all(YEAR, grant)]
            else:
                grant_years = [_year(years, year_text)]
            if not grant_amounts or not grant_years:
                continue
            prices = paid.get(grant, [])
            times = len(prices) or 1
            total = sum(value for value, _ in grant_amounts)
            amount_decimal = any(decimal for _, decimal in grant_amounts)
            count = len(grant_amounts) * times
            granted = total * times
            paid_sum = sum(value for value, _ in prices) * len(grant_amounts)
            paid_decimal = any(decimal for _, decimal in prices)
            bodies: list[str] = []
            for table, slot in slices:
                for key_text in self._all(slot, grant):
                    key = keys.get(key_text)
                    if key is None:
                        key = keys[key_text] = _key(key_text)
                    if slot == FUNDER:
                        bodies.append(key)
                    for year in grant_years:
                        cell = table.get((key, year))
                        if cell is None:
                            cell = table[(key, year)] = Measures()
                        cell.grants += count
                        cell.granted += granted
                        cell.paid += paid_sum
                        cell.amount += total
                        cell.granted_decimal |= amount_decimal
                        cell.paid_decimal |= paid_decimal
                        cell.amount_decimal |= amount_decimal
                    if slot == BENEFICIARY:
                        for body in bodies:
                            for year in grant_years:
                                cell = profile.get((key, body, year))
                                if cell is None:
                                    cell = profile[(key, body, year)] = Measures()
                                cell.grants += count
                                cell.granted += granted
                                cell.paid += paid_sum
                                cell.granted_decimal |= amount_decimal
                                cell.paid_decimal |= paid_decimal
        summary.keep_profiles(profile)
        return summary


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


def _year(cache: dict[bytes, int], text: bytes) -> int:
    year = cache.get(text)
    if year is None:
        match = _IRI.match(text)
        year = cache[text] = check_year(match.group(1).decode() if match else text.decode())
    return year


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
