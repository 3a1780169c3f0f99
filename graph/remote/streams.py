"""An engine's answer read as it comes, in bounded memory: fixed where the engine spells
terms otherwise than the embedded store, and written again in the format psikg was asked.

SELECT answers are asked as SPARQL XML results, the one format whose terms can be fixed
exactly in the bytes: text holds no ``<`` (it is escaped), so a ``<bnode>…</bnode>`` or a
boolean ``<literal …>`` is found by a byte search, never inside a value. Virtuoso's blank
node labels (``nodeID://b10000``, refused by every parser) are read as its CONSTRUCT
answers spell them (``b10000``: :func:`graph.remote.protocol.blank_node_label`), as in
psikg's JSON reads; a
boolean spelt ``1`` or ``0`` is spelt ``true`` or ``false``, a date-time without the
trailing zeros of its fraction of a second (:mod:`graph.remote.spellings`).
(Virtuoso's TSV is not SPARQL's: its terms are bare strings.)

The answer is cut after a ``</result>`` (or, for a graph, a line of N-Triples) into
batches, each what the engine sent since the last; each batch is parsed and written by pyoxigraph in
the format asked, without the document's opening and closing (:class:`_Frame`), so the
client gets one document, batch after batch, as the engine sends it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from graph.chunk_stream import ChunkStream
from graph.remote.protocol import blank_node_label
from graph.remote.spellings import DATE_TIME
from graph.remote.spellings import canonical
from graph.remote.spellings import canonical_value

MIN_RUN_BYTES = 1 << 12
"""The least of the engine's answer written again at once, unless it is all the engine
sent so far: an engine that sends small pieces is not written again row by row."""
_END_RESULTS = b"</results>"
_XML_CLOSE = b"</results></sparql>"
_RESULTS_OPEN = re.compile(rb"<results\b[^>]*?(/?)>")
_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")
_BOOLEAN = re.compile(rb"(<literal datatype=[\"']http://www\.w3\.org/2001/XMLSchema#boolean"
                      rb"[\"']>)([01])(</literal>)")
_BOOLEAN_WORDS = {b"1": b"true", b"0": b"false"}
_DATE_TIME = re.compile(rb"(<literal datatype=[\"']http://www\.w3\.org/2001/XMLSchema#dateTime"
                        rb"[\"']>)([^<]*)(</literal>)")


def _fix_bnode(found: re.Match[bytes]) -> bytes:
    label = found.group(1).decode()
    return b"<bnode>" + blank_node_label(label).encode() + b"</bnode>"


def fixed_xml(xml: bytes) -> bytes:
    """Whole elements of SPARQL XML results with blank node labels, booleans and
    date-times spelt as the embedded store spells them."""
    if b"<bnode>" in xml:
        xml = _BNODE.sub(_fix_bnode, xml)
    if b"#boolean" in xml:
        xml = _BOOLEAN.sub(lambda m: m.group(1) + _BOOLEAN_WORDS[m.group(2)] + m.group(3), xml)
    if b"#dateTime" in xml:
        xml = _DATE_TIME.sub(lambda m: m.group(1) + canonical_value(
            DATE_TIME.value, m.group(2).decode()).encode() + m.group(3), xml)
    return xml


def _runs(chunks: Iterable[bytes], end: bytes) -> Iterator[bytes]:
    """The bytes as they come, in runs cut just after an ``end``: what the engine sent
    since the last run, up to its last ``end`` (the last run: whatever is left)."""
    pending = bytearray()
    for chunk in chunks:
        pending += chunk
        cut = pending.rfind(end) + len(end)
        if cut >= len(end) and (cut >= MIN_RUN_BYTES or cut == len(pending)):
            yield bytes(pending[:cut])
            del pending[:cut]
    if pending:
        yield bytes(pending)


def xml_reader(chunks: Iterable[bytes]) -> io.BufferedReader:
    """SPARQL XML results, fixed (:func:`fixed_xml`), as a file a parser reads lazily."""
    return io.BufferedReader(ChunkStream(fixed_xml(run) for run in _runs(chunks, b"</result>")),
                             1 << 16)


@dataclass(frozen=True)
class _Frame:
    """What a format writes around the rows or triples: the document written without any
    (``empty``) and where they go in it; ``separator`` goes between two batches."""

    empty: bytes
    at: int
    separator: bytes = b""

    def body(self, document: bytes) -> bytes:
        """The rows or triples of a document written in the same format."""
        return document[self.at:len(document) - (len(self.empty) - self.at)]

    def join(self, bodies: Iterable[bytes]) -> Iterator[bytes]:
        """The whole document, its bodies as they come."""
        yield self.empty[:self.at]
        first = True
        for body in bodies:
            if body:
                yield body if first else self.separator + body
                first = False
        yield self.empty[self.at:]


def _frame(empty: bytes, closer: bytes | None, separator: bytes = b"") -> _Frame:
    return _Frame(empty, empty.rindex(closer) if closer else len(empty), separator)


_CLOSERS: dict[str, tuple[bytes | None, bytes]] = {
    "application/sparql-results+json": (b"]", b","),
    "application/sparql-results+xml": (_END_RESULTS, b""),
    "application/ld+json": (b"]", b","),
    "application/rdf+xml": (b"</rdf:RDF>", b""),
}
"""Formats that wrap their rows or triples: the token that closes the list of them, and
what separates two of them (the others are lines: CSV, TSV, N-Triples, Turtle…)."""


def solutions_as(chunks: Iterable[bytes], fmt: ox.QueryResultsFormat) -> Iterator[bytes]:
    """SPARQL XML results from an engine, as they come, written again in ``fmt``.

    :raises SyntaxError: if the engine's answer is not SPARQL XML results.
    """
    runs = _runs(chunks, b"</result>")
    head = bytearray()
    for run in runs:
        head += run
        if _RESULTS_OPEN.search(head) or b"<boolean" in head:
            break
    opening = _RESULTS_OPEN.search(head)
    if opening is None:  # a boolean (ASK), or no results at all: small, read whole
        head += b"".join(runs)
        yield _serialize(ox.parse_query_results(fixed_xml(bytes(head)),
                                                format=ox.QueryResultsFormat.XML), fmt)
        return
    start = bytes(head[:opening.start()]) + b"<results>"
    first = b"" if opening.group(1) else bytes(head[opening.end():])
    closer, separator = _CLOSERS.get(fmt.media_type, (None, b""))
    frame = _frame(_serialize(ox.parse_query_results(start + _XML_CLOSE,
                                                     format=ox.QueryResultsFormat.XML), fmt),
                   closer, separator)

    def bodies() -> Iterator[bytes]:
        if first:
            yield _batch(start, first, fmt, frame)
        for run in runs:
            yield _batch(start, run, fmt, frame)

    yield from frame.join(bodies())


def _batch(start: bytes, run: bytes, fmt: ox.QueryResultsFormat, frame: _Frame) -> bytes:
    rows = run.split(_END_RESULTS, 1)[0]
    if not rows.strip():
        return b""
    document = start + fixed_xml(rows) + _XML_CLOSE
    return frame.body(_serialize(ox.parse_query_results(
        document, format=ox.QueryResultsFormat.XML), fmt))


def _serialize(results: ox.QuerySolutions | ox.QueryBoolean, fmt: ox.QueryResultsFormat
               ) -> bytes:
    written = results.serialize(format=fmt)
    assert written is not None  # no output file given: the bytes are returned
    return written


def triples_from(chunks: Iterable[bytes]) -> Iterator[ox.Triple]:
    """The triples of an engine's N-Triples answer, as they come, booleans spelt as the
    embedded store spells them."""
    for quad in ox.parse(io.BufferedReader(ChunkStream(iter(chunks)), 1 << 16),
                         format=ox.RdfFormat.N_TRIPLES):
        yield ox.Triple(quad.subject, quad.predicate, canonical(quad.object))


def triples_as(chunks: Iterable[bytes], fmt: ox.RdfFormat) -> Iterator[bytes]:
    """An engine's N-Triples answer, as it comes, written again in ``fmt``: a batch of
    whole lines at a time (a blank node keeps its label from one batch to the next)."""
    closer, separator = _CLOSERS.get(fmt.media_type, (None, b""))
    frame = _frame(ox.serialize([], format=fmt) or b"", closer, separator)
    yield from frame.join(frame.body(_written(run, fmt)) for run in _runs(chunks, b"\n"))


def _written(ntriples: bytes, fmt: ox.RdfFormat) -> bytes:
    """Whole lines of N-Triples in ``fmt``; each triple passes through Python only if a
    boolean may need its spelling fixed."""
    if b"#boolean>" in ntriples or b"#dateTime>" in ntriples:
        return ox.serialize(list(triples_from([ntriples])), format=fmt) or b""
    return ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), format=fmt) or b""
