"""A streaming well-formedness check for RDF/XML, run before pyoxigraph parses it.

pyoxigraph 0.5 accepts an RDF/XML document whose root element is never
closed (a truncated download) and yields no triples and no error, and its
XML errors carry no position. Python's expat reports both, reading the file in
chunks. Entity declarations are refused outright: RDF/XML never needs them,
and they are how XML bombs and external-entity reads are built.
"""

from __future__ import annotations

from pathlib import Path
from xml.parsers import expat

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
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entity
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise InputError(
            f"RDF/XML is not well-formed: {expat.ErrorString(error.code)}",
            type="invalid-rdf", file=str(path), line=error.lineno, column=error.offset + 1,
            expected="a well-formed XML document",
        ) from None
    except _EntityDeclared:
        raise InputError(
            "RDF/XML declares an XML entity; entities are refused (XML bombs, external reads)",
            type="invalid-rdf", file=str(path), line=parser.CurrentLineNumber,
            column=parser.CurrentColumnNumber + 1, expected="no <!ENTITY> declarations",
        ) from None
