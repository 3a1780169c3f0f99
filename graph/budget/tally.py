"""The budget aggregates of a registry, tallied from its N-Triples while they stream into the store.

Reading a staged graph back costs a quad lookup a triple; the N-Triples the loader streams
into the store pass through Python anyway. :class:`TapStream` wraps that stream: every byte
pyoxigraph's bulk loader reads is also given to a :class:`Tally`, which keeps, per subject,
only the raw bytes of the values the budget queries use (type, funder, fiscal year,
beneficiary, municipality, amount; a payment's grant and price), and counts how many rows
wrote each spelling of an entity's name (:data:`graph.budget.model.NAMES`): the stream is a
sequence of rows, where the store will keep a set. :meth:`Tally.summary` sums the records
(:mod:`graph.budget.summing`).

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
from typing import IO
from typing import cast

import pyoxigraph as ox

from graph.budget.model import GRANT
from graph.budget.model import NAMES
from graph.budget.model import TYPE
from graph.budget.model import NotSummable
from graph.budget.model import Summary
from graph.budget.summing import AMOUNT
from graph.budget.summing import DIMENSIONS
from graph.budget.summing import PRICE
from graph.budget.summing import SLOTS
from graph.budget.summing import TYPED
from graph.budget.summing import Values
from graph.budget.summing import summarise_records

NAMED = TYPED + 1
"""Not a slot: lines of a name property (:data:`graph.budget.model.NAMES`) are counted, not
kept in a record."""
_BY_TOKEN = {f"<{p}>".encode(): slot for slot, p in enumerate(SLOTS)}
_BY_TOKEN[f"<{TYPE}>".encode()] = TYPED
_BY_TOKEN.update({f"<{p}>".encode(): NAMED for p in NAMES})
_GRANT_TOKEN = f"<{GRANT}>".encode()

Spellings = dict[bytes, dict[bytes, int]]
"""Subject → the tail of each of its name lines (literal and `` .``) → the lines seen."""


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
        self._spellings: Spellings = {}
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
        spellings = self._spellings
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
            if slot == NAMED:
                if obj[:1] != b'"':
                    continue  # an IRI as a name: no spelling
                if obj[-2:] != b" ." or subject[:1] != b"<" or subject[-1:] != b">":
                    odd.append(line)  # a comment after it, a blank node or a bad subject
                    continue
                counts = spellings.get(subject)
                if counts is None:
                    spellings[subject] = {obj: 1}
                else:
                    counts[obj] = counts.get(obj, 0) + 1
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
            if slot == NAMED:
                if isinstance(triple.subject, ox.NamedNode) and isinstance(triple.object,
                                                                           ox.Literal):
                    counts = self._spellings.setdefault(str(triple.subject).encode(), {})
                    spelling = str(triple.object).encode() + b" ."
                    counts[spelling] = counts.get(spelling, 0) + 1
                continue
            if isinstance(triple.object, ox.Triple) or isinstance(triple.subject, ox.Triple):
                raise ValueError("an RDF-star triple as a value")
            obj = str(triple.object).encode()
            obj = (b'"not a number"' if b"\\" in obj else obj) + b" ."
            if slot == TYPED and obj != grant:
                continue
            if slot in DIMENSIONS:
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
            return summarise_records(self._records, self._spellings)
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
