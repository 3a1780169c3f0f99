"""The engine's byte chunks shaped for pyoxigraph's bulk loader: a file, or parts.

The engine yields N-Triples a batch of rows at a time. pyoxigraph's
``bulk_load`` reads a binary file object: :class:`graph.chunk_stream.ChunkStream` is that file,
pulling chunks only as pyoxigraph reads, so the graph never sits in memory
whole (``psikg convert``, the loader's second pass).
The strict loader gives the store :func:`in_parts` instead
(:attr:`graph.sources.Source.parts`): parts of a few tens of MB that the store
bulk-loads in a worker thread while the next is converted.

    >>> stream = ChunkStream(iter([b"<a> <b> <c> .\\n", b"<d> <e> <f> .\\n"]))
    >>> stream.read(5), stream.read()
    (b'<a> <', b'b> <c> .\\n<d> <e> <f> .\\n')
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from typing import Protocol

from graph.chunk_stream import ChunkStream

__all__ = ["FIRST_PART_BYTES", "PART_BYTES", "ChunkStream", "Tap", "in_parts"]


class Tap(Protocol):
    """What :func:`in_parts` hands each chunk to."""

    def feed(self, data: bytes) -> None: ...


PART_BYTES = 32 << 20
"""Size of the parts :func:`in_parts` makes: the largest that keeps a 1M-row load under
1 GB.

The store's peak RSS grows with the part while its CPU barely changes, and psikg end to
end also holds the converter and the aggregates' tally: ``make bench-parts`` measures the
store's cost of each part size and ``make bench-convert`` the whole load
(``docs/performance.md``)."""


FIRST_PART_BYTES = 2 << 20
"""The first part's size; each next part is twice as large, up to :data:`PART_BYTES`.

The store waits, idle, for the first part, and the load is then as long as the
store's own work behind it: a small first part starts the store within a
fraction of a second."""


def in_parts(chunks: Iterable[bytes], tap: Tap | None = None,
             size: int = PART_BYTES) -> Iterator[bytes]:
    """Whole chunks joined into parts of :data:`FIRST_PART_BYTES`, then twice as many, and
    so on up to ``size`` bytes (a part may exceed its size by one chunk; the last is what is
    left).

    Chunks are never cut, so a part ends where a chunk ends (between rows).

    :param tap: also given each chunk, in order (e.g. a tally of the aggregates).

    >>> list(in_parts(iter([b"a\\n", b"b\\n", b"c\\n"]), size=4))
    [b'a\\nb\\n', b'c\\n']
    """
    pending: list[bytes] = []
    held = 0
    target = min(FIRST_PART_BYTES, size)
    for chunk in chunks:
        if tap is not None:
            tap.feed(chunk)
        pending.append(chunk)
        held += len(chunk)
        if held >= target:
            yield b"".join(pending)
            pending.clear()
            held = 0
            target = min(target * 2, size)
    if pending:
        yield b"".join(pending)
