"""A byte-chunk iterator as a readable file, for pyoxigraph's bulk loader.

The engine yields N-Triples a row (or a batch of rows) at a time.
``Store.stage`` hands a :class:`graph.store.Source` stream to pyoxigraph's
``bulk_load``, which reads a binary file object: :class:`ChunkStream` is
that file, pulling chunks only as pyoxigraph reads, so the graph never sits in
memory whole.

    >>> stream = ChunkStream(iter([b"<a> <b> <c> .\\n", b"<d> <e> <f> .\\n"]))
    >>> stream.read(5), stream.read()
    (b'<a> <', b'b> <c> .\\n<d> <e> <f> .\\n')
"""

from __future__ import annotations

import io
from collections.abc import Iterator


class ChunkStream(io.RawIOBase):
    """A read-only, non-seekable binary stream over an iterator of ``bytes``.

    :param chunks: the bytes to serve, in order; pulled lazily.
    """

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        closer = getattr(self._chunks, "close", None)
        if closer is not None:
            closer()
        super().close()
