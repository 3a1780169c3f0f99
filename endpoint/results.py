"""SELECT results under a row limit, never truncated silently, in bounded memory.

To say in a *header* that the limit was reached, the endpoint must know it before the
headers go out, so under a limit it reads the engine's answer up to ``max_rows + 1`` rows
into a spool (:class:`tempfile.SpooledTemporaryFile`: the first :data:`SPOOL_MEMORY_BYTES`
in memory, the rest on disk) and only then answers: ``Psikg-Max-Rows`` always, and
``Psikg-Truncated: true`` when rows were left out, plus a note in the body where the format
has room for one that parsers skip (a JSON member, an XML comment; never a line of CSV or
TSV, which every parser would read as a row). Memory stays flat whatever the result's
size. With ``max_rows = 0`` there is nothing to count and the engine's bytes pass straight
through as they are read.

Rows are counted in the bytes the engine sends, without parsing them in Python: lines in
TSV (newlines in values are escaped), lines outside quotes in CSV, ``<result>`` elements
in XML. SPARQL JSON has no exact row boundary a byte search can see, but ``},{`` occurs
between every two rows (and elsewhere only inside string values), so its count plus one
bounds the rows from above: JSON is asked from the engine as JSON and sent verbatim when
that bound is within the limit, which is the common, cheap case. Only when it is not is
the query asked again as TSV and re-serialized by pyoxigraph batch by batch (lossless:
TSV writes whole RDF terms), cut at the limit.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox

from graph.formats import CSV
from graph.formats import SPARQL_JSON
from graph.formats import SPARQL_XML
from graph.formats import TSV
from graph.formats import Format

SPOOL_MEMORY_BYTES = 1 << 20
"""How much of a held result stays in memory before the spool moves to a temporary file."""
READ_BYTES = 1 << 16


def engine_format(target: Format, max_rows: int, again: bool = False) -> Format:
    """What to ask the engine for to answer in ``target`` under ``max_rows``; ``again`` when
    :func:`hold` returned ``None`` for the first answer (JSON that may pass the limit)."""
    return TSV if again and max_rows and target == SPARQL_JSON else target


@dataclass
class Held:
    """A result read to its end or to the row limit, ready to be sent."""

    spool: IO[bytes]
    rows: int | None
    """The rows held; ``None`` when a JSON answer was held verbatim without counting."""
    truncated: bool

    def small(self) -> bytes | None:
        """The whole result if it is at most :data:`READ_BYTES` long (then the spool is
        closed): a WSGI server sends it in one write, with a ``Content-Length``."""
        if self.spool.tell() > READ_BYTES:
            return None
        self.spool.seek(0)
        data = self.spool.read()
        self.spool.close()
        return data

    def chunks(self) -> Iterator[bytes]:
        try:
            self.spool.seek(0)
            while chunk := self.spool.read(READ_BYTES):
                yield chunk
        finally:
            self.spool.close()


class _LineCounter:
    """Counts row ends (``\\n``) in TSV, or in CSV outside double quotes."""

    def __init__(self, quoted: bool) -> None:
        self.quoted = quoted
        self.in_quote = False

    def ends(self, chunk: bytes) -> list[int]:
        """Offsets just past each row end in ``chunk`` (the header line counts as one)."""
        if not self.quoted:
            return _positions(chunk, b"\n", 1)
        found: list[int] = []
        offset = 0
        for index, part in enumerate(chunk.split(b'"')):
            if index:
                self.in_quote = not self.in_quote
                offset += 1
            if not self.in_quote:
                found.extend(offset + p for p in _positions(part, b"\n", 1))
            offset += len(part)
        return found

    def count(self, chunk: bytes) -> int:
        if not self.quoted:
            return chunk.count(b"\n")
        parts = chunk.split(b'"')
        start = 1 if self.in_quote else 0
        total = sum(part.count(b"\n") for part in parts[start::2])
        if len(parts) % 2 == 0:
            self.in_quote = not self.in_quote
        return total


def _positions(data: bytes, needle: bytes, after: int) -> list[int]:
    found, start = [], data.find(needle)
    while start != -1:
        found.append(start + after)
        start = data.find(needle, start + 1)
    return found


def hold_lines(chunks: Iterable[bytes], max_rows: int, quoted: bool) -> Held:
    """Spool a TSV (``quoted=False``) or CSV result up to ``max_rows`` rows."""
    counter = _LineCounter(quoted)
    spool = tempfile.SpooledTemporaryFile(SPOOL_MEMORY_BYTES)  # noqa: SIM115 - closed by Held
    lines = 0  # the header line, then one per row
    for chunk in chunks:
        if lines > max_rows:  # the previous chunk ended exactly after row max_rows
            return Held(spool, max_rows, True)
        saved = counter.in_quote
        more = counter.count(chunk)
        if lines + more <= max_rows:
            spool.write(chunk)
            lines += more
            continue
        counter.in_quote = saved
        cut = counter.ends(chunk)[max_rows - lines]
        spool.write(chunk[:cut])
        if cut < len(chunk):
            return Held(spool, max_rows, True)
        lines = max_rows + 1
    return Held(spool, max(lines - 1, 0), False)


def hold_xml(chunks: Iterable[bytes], max_rows: int) -> Held:
    """Spool a SPARQL XML result up to ``max_rows`` ``<result>`` elements."""
    marker = b"<result>"
    spool = tempfile.SpooledTemporaryFile(SPOOL_MEMORY_BYTES)  # noqa: SIM115 - closed by Held
    rows, pending = 0, b""
    for chunk in chunks:
        data = pending + chunk
        starts = _positions(data, marker, 0)
        if rows + len(starts) > max_rows:
            spool.write(data[:starts[max_rows - rows]])
            spool.write(b"</results><!-- psikg: truncated at %d rows (max_rows); page with "
                        b"LIMIT and OFFSET --></sparql>" % max_rows)
            return Held(spool, max_rows, True)
        rows += len(starts)
        keep = len(marker) - 1
        spool.write(data[:-keep])
        pending = data[-keep:]
    spool.write(pending)
    return Held(spool, rows, False)


def hold_tsv_as_json(chunks: Iterable[bytes], max_rows: int) -> Held:
    """Spool a TSV result up to ``max_rows`` rows, re-serialized as SPARQL JSON.

    When rows were left out, a ``"psikg"`` member between ``head`` and ``results`` says so
    (parsers read members before ``results``; pyoxigraph refuses any after it).
    """
    tsv = hold_lines(chunks, max_rows, quoted=False)
    spool = tempfile.SpooledTemporaryFile(SPOOL_MEMORY_BYTES)  # noqa: SIM115 - closed by Held
    note = (b',"psikg":{"truncated":true,"max_rows":%d,"message":"the result has more rows '
            b'than max_rows; page with LIMIT and OFFSET"}' % max_rows) if tsv.truncated else b""
    header, rest = b"", b""
    first = True
    for chunk in tsv.chunks():
        data = rest + chunk
        if not header:
            end = data.find(b"\n")
            if end == -1:
                rest = data
                continue
            header, data = data[:end + 1], data[end + 1:]
        cut = data.rfind(b"\n") + 1
        batch, rest = data[:cut], data[cut:]
        if batch or first:
            first = _write_json_batch(spool, header, batch, first, note)
    if header and first:
        _write_json_batch(spool, header, b"", True, note)
    spool.write(b"]}}")
    return Held(spool, tsv.rows, tsv.truncated)


def _write_json_batch(spool: IO[bytes], header: bytes, batch: bytes, first: bool,
                      note: bytes) -> bool:
    """Write one batch of rows as JSON: the document's start for the first, then ``,rows``."""
    solutions = ox.parse_query_results(header + batch, format=ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    text = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    assert text is not None  # no output file given: the bytes are returned
    start = text.index(b'"bindings":[') + len(b'"bindings":[')
    rows = text[start:-3]  # without the closing ]}}
    if first:
        opening = text[:start]
        head_end = opening.index(b',"results":')
        spool.write(opening[:head_end] + note + opening[head_end:] + rows)
    elif rows:
        spool.write(b"," + rows)
    return False


def hold_json(chunks: Iterable[bytes], max_rows: int) -> Held | None:
    """Spool a SPARQL JSON result verbatim if it surely has at most ``max_rows`` rows;
    ``None`` (the answer left unread) if it may have more."""
    spool = tempfile.SpooledTemporaryFile(SPOOL_MEMORY_BYTES)  # noqa: SIM115 - closed by Held
    bound, tail = 1, b""  # rows <= boundaries + 1
    for chunk in chunks:
        data = tail + chunk  # tail is too short to hold a boundary by itself
        bound += data.count(b"},{")
        if bound > max_rows:
            spool.close()
            return None
        tail = data[-2:]
        spool.write(chunk)
    return Held(spool, None, False)


def hold(chunks: Iterable[bytes], target: Format, max_rows: int,
         source: Format | None = None) -> Held | None:
    """Read a SELECT result from the engine, sent in ``source`` (:func:`engine_format` by
    default), up to the limit; ``None`` when it must be asked again in
    ``engine_format(target, max_rows, again=True)``."""
    source = source or engine_format(target, max_rows)
    if target == SPARQL_JSON:
        if source == SPARQL_JSON:
            return hold_json(chunks, max_rows)
        return hold_tsv_as_json(chunks, max_rows)
    if target == SPARQL_XML:
        return hold_xml(chunks, max_rows)
    # CSV and TSV have no place for a note that no parser reads as a row: the headers say it
    return hold_lines(chunks, max_rows, quoted=target == CSV)
