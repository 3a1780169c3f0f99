"""A binary file over an iterator of byte chunks, pulled only as its reader reads.

pyoxigraph's parsers and bulk loader read binary files: this is the one way psikg hands
them bytes that arrive a chunk at a time (a conversion's N-Triples, an engine's answer), so
that nothing sits in memory whole.

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
