"""A streaming well-formedness check for RDF/XML, run before pyoxigraph parses it.

pyoxigraph 0.5 accepts an RDF/XML document whose root element is never
closed (a truncated download) and yields no triples and no error, and its
XML errors carry no position. Python's expat reports both, reading the file in
chunks. Entity declarations are refused outright: RDF/XML never needs them,
and they are how XML bombs and external-entity reads are built.

An RDF/XML error of pyoxigraph's own (well-formed XML that is not RDF/XML) has no
position either: :func:`rdfxml_error_position` finds it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO
from typing import Any
from typing import cast
from xml.parsers import expat

import pyoxigraph as ox

from graph.errors import InputError

CHUNK_BYTES = 1 << 20


class _EntityDeclared(Exception):
    pass


def _refuse_entity(*_args: object) -> None:
    raise _EntityDeclared


def check_well_formed(path: Path) -> None:
    """Raise :class:`InputError` naming line and column if ``path`` is not well-formed XML.

    :raises InputError: if the XML is malformed, truncated or declares entities.
    """
    with path.open("rb") as stream:
        _check_stream(stream, str(path))


def check_well_formed_bytes(data: bytes, label: str) -> None:
    """:func:`check_well_formed` for a document in memory (a request body), named ``label``.

    :raises InputError: if the XML is malformed, truncated or declares entities.
    """
    _check_stream(io.BytesIO(data), label)


def _check_stream(stream: IO[bytes], label: str) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entity
    try:
        while chunk := stream.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise InputError(
            f"RDF/XML is not well-formed: {expat.ErrorString(error.code)}",
            type="invalid-rdf", file=label, line=error.lineno, column=error.offset + 1,
            expected="a well-formed XML document",
        ) from None
    except _EntityDeclared:
        raise InputError(
            "RDF/XML declares an XML entity; entities are refused (XML bombs, external reads)",
            type="invalid-rdf", file=label, line=parser.CurrentLineNumber,
            column=parser.CurrentColumnNumber + 1, expected="no <!ENTITY> declarations",
        ) from None


class _MeteredReader(io.RawIOBase):
    """The document handed to the parser one line per read, and one byte per read from
    ``fine_from`` on: where the parser stood when it failed tells where the fault is."""

    def __init__(self, data: bytes, fine_from: int | None = None) -> None:
        super().__init__()
        self.data, self.fine_from = data, fine_from
        self.position = 0
        self.last_start = 0
        """Where the last read began."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        start, data = self.position, self.data
        if start >= len(data):
            return 0
        if self.fine_from is not None and start >= self.fine_from:
            end = start + 1
        else:
            end = data.find(b"\n", start) + 1 or len(data)
            if self.fine_from is not None:
                end = min(end, self.fine_from)
        end = min(end, start + len(buffer))
        buffer[: end - start] = data[start:end]
        self.last_start, self.position = start, end
        return end - start


def _failing_read(reader: _MeteredReader, base_iri: str | None) -> bool:
    """Parse what ``reader`` hands out; whether the parser failed."""
    try:
        # A raw stream may return less than asked: pyoxigraph reads what it is given.
        for _ in ox.parse(cast(IO[bytes], reader), format=ox.RdfFormat.RDF_XML,
                          base_iri=base_iri):
            pass
    except SyntaxError:
        return True
    return False


def rdfxml_error_position(data: bytes, base_iri: str | None = None) -> tuple[int, int] | None:
    """Line and column (1-based, in characters) where pyoxigraph's RDF/XML parser fails on
    ``data``, or ``None`` if it does not.

    pyoxigraph's RDF/XML errors carry no position ("Unexpected node, a text value is already
    present"). The parser reads its input as it goes, so the document is handed to it in
    small reads: line by line, which finds the read it fails in, then again byte by byte
    from that read's start. The last byte the parser read ends the XML event it refused;
    the position is where that event (a tag, or a text) begins. Run only on a document that
    failed, so a failure costs two parses more.

    >>> rdfxml_error_position(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ...     b' xmlns:ex="http://ex.example/">\\n<ex:A rdf:about="http://ex.example/a">\\n'
    ...     b'  <ex:p>text<ex:B/></ex:p>\\n</ex:A></rdf:RDF>\\n')
    (3, 13)
    """
    coarse = _MeteredReader(data)
    if not _failing_read(coarse, base_iri):
        return None
    fine = _MeteredReader(data, fine_from=coarse.last_start)
    if not _failing_read(fine, base_iri):
        return None
    start = _event_start(data, max(fine.position - 1, 0))
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, start) + 1, column


def _event_start(data: bytes, last: int) -> int:
    """Where the XML event that ends at byte ``last`` begins: a tag ends with ``>`` and
    begins at its ``<``; a text ends where the next tag's ``<`` was read, and begins after
    the tag before it."""
    if data[last:last + 1] == b">":
        return max(data.rfind(b"<", 0, last), 0)
    if data[last:last + 1] == b"<":
        return data.rfind(b">", 0, last) + 1
    return last
