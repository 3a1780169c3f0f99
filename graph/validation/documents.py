"""A document sent to the validation service, as bytes: its format, and its triples.

A request body, an uploaded file, pasted text and a fetched URL all come as bytes with a
media type, a file name or neither. :func:`document_format` says which RDF syntax they
are (the media type, else the name's extension, else Turtle, of which N-Triples is a
part), and :func:`document_triples` parses them with pyoxigraph: a syntax error becomes an
:class:`InputError` naming the line and column (:func:`graph.sources.parse_error`, the one
home of that), RDF/XML is checked for well-formedness and entities first
(:mod:`graph.xml_check`), and a JSON-LD remote ``@context`` is refused, never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pyoxigraph as ox

from graph.errors import UsageError
from graph.formats import FILE_FORMATS
from graph.formats import HARVEST_FORMATS
from graph.formats import from_extension
from graph.formats import from_media_type
from graph.formats import from_name
from graph.formats import names
from graph.sources import parse_error
from graph.xml_check import check_well_formed_bytes

_UNTYPED = {"", "application/octet-stream", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data"}
"""Media types that say nothing of the syntax: the name, else Turtle, decides."""


@dataclass(frozen=True)
class Document:
    """An RDF document to validate.

    :param body: its bytes.
    :param fmt: its syntax.
    :param label: how errors name it (``request body``, the file's name, the URL).
    :param base_iri: what its relative IRIs resolve against (the URL it came from).
    """

    body: bytes
    fmt: ox.RdfFormat
    label: str
    base_iri: str


def document_format(media_type: str | None = None, name: str | None = None,
                    format_name: str | None = None) -> ox.RdfFormat:
    """The syntax of a document: ``format_name`` if given, else its media type, else the
    extension of its name (a file name or a URL's path), else Turtle.

    >>> document_format("application/rdf+xml; charset=utf-8").name
    'RDF/XML'
    >>> document_format("application/octet-stream", "https://x.example/c.jsonld").name
    'JSON-LD'
    >>> document_format(None, None).name
    'Turtle'

    :raises UsageError: if ``format_name`` or the media type is not an RDF syntax.
    """
    if format_name:
        found = from_name(format_name, FILE_FORMATS)
        if found is None or found.rdf is None:
            raise UsageError(f"unknown RDF format {format_name!r}", type="unknown-format",
                             value=format_name, expected="one of " + ", ".join(
                                 names(FILE_FORMATS)))
        return found.rdf
    wanted = (media_type or "").split(";", 1)[0].strip().lower()
    if wanted not in _UNTYPED:
        typed = from_media_type(wanted, HARVEST_FORMATS)
        if typed is None or typed.rdf is None:
            raise UsageError(
                f"cannot validate a document of type {wanted}", type="unsupported-media-type",
                value=wanted, expected="an RDF media type: " + ", ".join(
                    f.media_type for f in FILE_FORMATS))
        return typed.rdf
    suffix = PurePosixPath(urlsplit(name or "").path).suffix
    by_name = from_extension(suffix, HARVEST_FORMATS) if suffix else None
    return by_name.rdf if by_name is not None and by_name.rdf is not None else ox.RdfFormat.TURTLE


def document_triples(document: Document) -> list[ox.Triple]:
    """Every triple of ``document``, graph names dropped.

    :raises InputError: ``invalid-rdf`` naming line and column if it does not parse,
        ``remote-context`` if it is JSON-LD with a remote ``@context``.
    """
    if document.fmt == ox.RdfFormat.RDF_XML:
        check_well_formed_bytes(document.body, document.label)
    try:
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(document.body, format=document.fmt,
                                  base_iri=document.base_iri)]
    except SyntaxError as error:
        raise parse_error(error, document.label, base_iri=document.base_iri,
                          rdf_xml=document.body if document.fmt == ox.RdfFormat.RDF_XML
                          else None) from None
