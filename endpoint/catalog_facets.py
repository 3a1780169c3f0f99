"""The catalog's entries as each worker holds them in memory, once per store generation:
every facet value as a bitmap of the entries that have it, and the entries' order by title
(in each page language) and by date.

Why: the page counts every facet value over the datasets found, on every request. Over SQL
that is a join and a GROUP BY as large as the matches times their values; over bitmaps it is
one AND and one ``bit_count`` a value, and a filter is an OR and an AND. Python's integers
are the bitmaps (no dependency). They are read from the index (:mod:`endpoint.catalog_index`)
when its generation changes, within the page's read snapshot, so they always match the
entries the page reads.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from graph.labels import Label
from graph.languages import LANGUAGES


@dataclass
class Entries:
    """One generation of the index's entries (ids from 1, in IRI order)."""

    generation: str
    size: int
    """The largest entry id plus one: the bitmaps' width."""
    values: list[tuple[str, str]]
    """``(facet, value)`` of each value, by position."""
    bitmaps: list[int]
    """The entries that have each value, by position."""
    positions: dict[tuple[str, str], int]
    by_title: dict[str, array[int]]
    """Per page language, the entry ids in title order."""
    title_rank: dict[str, array[int]]
    """Per page language, each entry's place in title order (by entry id)."""
    date_rank: array[int]
    """Each entry's place by ``dct:modified``, newest first (equal dates share a place)."""
    labels: dict[str, list[Label]]
    doc_entry: array[int]
    """Each document's entry (by document id; 0 for a document that is not published): the
    text index's matches are documents."""
    everything: int = field(init=False)
    _all_counts: list[tuple[str, str, int]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.everything = (1 << self.size) - 2 if self.size > 1 else 0  # every id from 1

    def counts(self, mask: int) -> list[tuple[str, str, int]]:
        """``(facet, value, count)`` of every value some entry of ``mask`` has."""
        if mask == self.everything and self._all_counts is not None:
            return self._all_counts
        found = []
        for (facet, value), bitmap in zip(self.values, self.bitmaps, strict=True):
            count = (bitmap & mask).bit_count()
            if count:
                found.append((facet, value, count))
        if mask == self.everything:
            self._all_counts = found
        return found

    def chosen(self, chosen: Mapping[str, Sequence[str]]) -> int:
        """The entries with one of the values asked of each facet (all, when none is)."""
        mask = self.everything
        for facet, values in chosen.items():
            if values:
                either = 0
                for value in values:
                    position = self.positions.get((facet, value))
                    if position is not None:
                        either |= self.bitmaps[position]
                mask &= either
        return mask

    def members(self, mask: int) -> list[int]:
        """The ids of ``mask``, ascending."""
        data = mask.to_bytes((self.size + 7) // 8, "little")
        return [8 * at + bit for at, byte in enumerate(data) if byte
                for bit in range(8) if byte >> bit & 1]


def mask_of(ids: Iterable[int]) -> int:
    """The bitmap of ``ids``."""
    bits = bytearray()
    for entry in ids:
        at = entry >> 3
        if at >= len(bits):
            bits.extend(bytes(at + 1 - len(bits)))
        bits[at] |= 1 << (entry & 7)
    return int.from_bytes(bits, "little")


class EntriesCache:
    """The latest generation's :class:`Entries` of one index, shared by a worker's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: Entries | None = None

    def current(self, conn: sqlite3.Connection) -> Entries:
        """The entries of the generation ``conn`` sees (call it inside a read snapshot)."""
        row = conn.execute("SELECT value FROM about WHERE key = 'generation'").fetchone()
        generation = "" if row is None else str(row[0])
        with self._lock:
            if self._entries is None or self._entries.generation != generation:
                self._entries = _read(conn, generation)
            return self._entries


def _read(conn: sqlite3.Connection, generation: str) -> Entries:
    size = int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM entries").fetchone()[0])
    values: list[tuple[str, str]] = []
    positions: dict[int, int] = {}
    for value_id, facet, value in conn.execute("SELECT id, facet, value FROM facet_values "
                                               "ORDER BY id"):
        positions[value_id] = len(values)
        values.append((facet, value))
    bits = [bytearray((size + 7) // 8) for _ in values]
    for value_id, entry in conn.execute("SELECT value, entry FROM entry_facets"):
        bits[positions[value_id]][entry >> 3] |= 1 << (entry & 7)
    by_title: dict[str, array[int]] = {}
    title_rank: dict[str, array[int]] = {}
    for language in LANGUAGES:
        order = array("l", (i for (i,) in conn.execute(
            f"SELECT id FROM entries ORDER BY sort_{language}, id")))
        by_title[language] = order
        rank = array("l", [0]) * size
        for place, entry in enumerate(order):
            rank[entry] = place
        title_rank[language] = rank
    date_rank = array("l", [0]) * size
    place, last = -1, None
    for entry, modified in conn.execute("SELECT id, modified FROM entries "
                                        "ORDER BY modified DESC"):
        if modified != last:
            place, last = place + 1, modified
        date_rank[entry] = place
    labels: dict[str, list[Label]] = {}
    for iri, label, lang, prop in conn.execute("SELECT iri, label, lang, prop FROM labels"):
        labels.setdefault(iri, []).append((label, lang, prop))
    docs = conn.execute("SELECT id, entry FROM docs WHERE entry IS NOT NULL").fetchall()
    doc_entry = array("l", [0]) * (max((doc for doc, _ in docs), default=0) + 1)
    for doc, entry in docs:
        doc_entry[doc] = entry
    return Entries(generation, size, values, [int.from_bytes(b, "little") for b in bits],
                   {v: i for i, v in enumerate(values)}, by_title, title_rank, date_rank,
                   labels, doc_entry)
