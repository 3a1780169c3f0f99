"""Reading harvested documents into the in-memory working graph.

Every page of a source is parsed by pyoxigraph straight into one in-memory
:class:`pyoxigraph.Store` (Rust all the way: no Python per triple), whose
default graph is what the repairs then edit and what is finally bulk-loaded
into the on-disk store as N-Triples. Pages of a dataset format (TriG,
N-Quads, JSON-LD) keep their graph names while paging and are folded into the
default graph afterwards (:func:`fold_named_graphs`).

The format of a page is ``--format`` if given, else its ``Content-Type``, else
its extension. A page whose media type is not RDF (an HTML error page served
with 200) is refused with ``wrong-media-type`` rather than parsed as Turtle.
RDF/XML is first checked by :func:`graph.xml_check.check_well_formed` (no
entities, truncation found with a position); JSON-LD remote contexts are never
fetched (pyoxigraph has no document loader; :func:`graph.store.parse_error`
names that case).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from graph.errors import InputError
from graph.formats import EXTENSIONS
from graph.formats import HARVEST_FORMATS
from graph.formats import from_media_type
from graph.formats import holds_datasets
from graph.namespaces import HYDRA
from graph.namespaces import RDF
from graph.sources import parse_error
from graph.xml_check import check_well_formed

RDF_TYPE = RDF + "type"
_GENERIC = {"application/octet-stream", "binary/octet-stream", "text/plain"}
_RELATIVE_TURTLE = re.compile(rb"<(?![A-Za-z][A-Za-z0-9+.\-]*:)[^<>\s\"{}|^`\\]*>")
_RELATIVE_XML = re.compile(rb"rdf:(?:about|resource)=\"(?![A-Za-z][A-Za-z0-9+.\-]*:)")


def page_format(url: str, content_type: str | None, given: ox.RdfFormat | None) -> ox.RdfFormat:
    """The RDF format of a page: ``given``, else its media type, else its extension.

    :raises InputError: ``wrong-media-type`` if the media type is not an RDF one and
        no format was given.
    """
    if given is not None:
        return given
    media = (content_type or "").split(";", 1)[0].strip().lower()
    by_extension = EXTENSIONS.get(Path(urlsplit(url).path).suffix.lower())
    by_media = from_media_type(media, HARVEST_FORMATS) if media else None
    if by_media is not None and by_media.rdf is not None and (
            media not in _GENERIC or by_extension is None):
        return by_media.rdf
    if by_extension is not None and (not media or media in _GENERIC):
        return by_extension
    raise InputError(
        f"{url} is served as {media or 'no media type'}, not as RDF", type="wrong-media-type",
        file=url, value=media or "(none)",
        expected="an RDF media type (text/turtle, application/rdf+xml, application/ld+json…) "
                 "or --format")


def load_page(work: ox.Store, body: bytes, fmt: ox.RdfFormat, base_iri: str, label: str) -> int:
    """Parse ``body`` into ``work`` (triples into its default graph); return the number of
    relative IRIs the text held, all resolved against ``base_iri``.

    :raises InputError: ``invalid-rdf`` with the parser's message, line and column, or
        ``remote-context`` for a JSON-LD document that needs a remote ``@context``.
    """
    if fmt == ox.RdfFormat.RDF_XML:
        _check_xml(body, label)
    try:
        work.load(body, format=fmt, base_iri=base_iri)
    except SyntaxError as error:
        raise parse_error(error, label, rdf_xml=body if fmt == ox.RdfFormat.RDF_XML else None,
                          base_iri=base_iri) from None
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3):
        return len(_RELATIVE_TURTLE.findall(body))
    if fmt == ox.RdfFormat.RDF_XML:
        return len(_RELATIVE_XML.findall(body))
    return 0


_UNESCAPED_TAGS = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N_TRIPLES,
                   ox.RdfFormat.N_QUADS, ox.RdfFormat.N3)
"""Formats in which a language tag is written as it is (no escapes, no context)."""


def may_hold_translation_tags(body: bytes, fmt: ox.RdfFormat) -> bool:
    """Whether a ``-t-`` (machine translation) language tag can be in this page: the text
    test spares the repairs a scan of every literal of a large catalog that has none."""
    return fmt not in _UNESCAPED_TAGS or b"-t-" in body.lower()


def fold_named_graphs(work: ox.Store, fmt: ox.RdfFormat) -> None:
    """Move the triples of every named graph of ``work`` into its default graph."""
    if not holds_datasets(fmt):
        return
    work.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } ; DROP NAMED")


PAGING_TERMS = ("view", "next", "nextPage", "previous", "previousPage", "first", "firstPage",
                "last", "lastPage", "totalItems", "itemsPerPage", "member")
PAGING_TYPES = ("PartialCollectionView", "PagedCollection", "Collection")


def drop_paging(work: ox.Store) -> None:
    """Remove Hydra paging statements (views, next links): they describe pages, not data.

    Looked up term by term in the indexes, so that a large catalog is never scanned.
    """
    doomed = [q for term in PAGING_TERMS for q in work.quads_for_pattern(
        None, ox.NamedNode(HYDRA + term), None, ox.DefaultGraph())]
    views = {q.subject for kind in PAGING_TYPES for q in work.quads_for_pattern(
        None, ox.NamedNode(RDF_TYPE), ox.NamedNode(HYDRA + kind), ox.DefaultGraph())}
    doomed += [q for view in views if not isinstance(view, ox.Triple)
               for q in work.quads_for_pattern(view, None, None, ox.DefaultGraph())]
    for quad in dict.fromkeys(doomed):
        work.remove(quad)


def _check_xml(body: bytes, label: str) -> None:
    """:func:`check_well_formed` reads a file: give it one, and name the page in errors."""
    with tempfile.NamedTemporaryFile(suffix=".rdf") as handle:
        handle.write(body)
        handle.flush()
        try:
            check_well_formed(Path(handle.name))
        except InputError as error:
            error.file = label
            raise
