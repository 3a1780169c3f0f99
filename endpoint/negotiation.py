"""Content negotiation, written once: the Accept header (q-values, ``type/*``, ``*/*``) or a
``format=`` override, a list of offers, a default; the answer is a format or a 406 that
names every acceptable type.

Formats are values, all in one registry (:mod:`graph.formats`): a :class:`Format` knows
its media type, the other media types clients send for it, its short names and
extension. The HTML views of the UI are offers too (:data:`graph.formats.HTML`), so a
browser and a SPARQL client asking the same URL each get what they prefer.

Ties between equally preferred types go to the server's order of offers, so ``*/*`` and
a missing header get the default. Werkzeug's ``MIMEAccept`` would break ties by
specificity only and could not tell us which types were asked for in a 406.

Lenient on purpose, as SPARQL clients need: ``format=`` (and Fuseki's ``output=``) takes
the names SPARQLWrapper, Virtuoso and Fuseki users send (``rdf+xml``, ``n3``, ``nt``…) or a
media type; one that names nothing this answer can take is ignored and ``Accept``
decides. Java's ``*`` is read as ``*/*``; a range or q-value that cannot be read is
dropped. Each leniency is said in a ``Warning`` header (:mod:`endpoint.warning_header`),
never a 400.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import request
from werkzeug.datastructures import MultiDict

from endpoint.errors import HttpError
from endpoint.errors import not_acceptable
from endpoint.warning_header import warn
from graph.formats import Format
from graph.formats import from_media_type
from graph.formats import from_name

FORMAT_PARAMETERS = ("format", "output")
"""The query parameters that name a format: psikg's and SPARQLWrapper's ``format``,
Fuseki's ``output`` (SPARQLWrapper sends both)."""


@dataclass(frozen=True)
class _Range:
    media_type: str
    quality: float
    order: int


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an Accept header with their quality, best first.

    A lone ``*`` (Java's default header) is ``*/*``; a range that is not ``type/subtype``,
    or whose q-value is not a number from 0 to 1, is dropped with a warning.

    >>> [r.media_type for r in parse_accept("text/*;q=0.5, application/json, */*;q=0.1")]
    ['application/json', 'text/*', '*/*']
    >>> [(r.media_type, r.quality) for r in parse_accept("text/html, *; q=.2")]
    [('text/html', 1.0), ('*/*', 0.2)]
    """
    ranges = []
    for order, item in enumerate(header.split(",")):
        media_type, *params = (part.strip() for part in item.split(";"))
        if not media_type:
            continue
        if media_type == "*":
            media_type = "*/*"
        kind, _, subtype = media_type.partition("/")
        if not kind or not subtype or " " in media_type:
            warn(f"ignored the media range {media_type!r} of the Accept header: "
                 "not type/subtype")
            continue
        quality = _quality(params)
        if quality is None:
            warn(f"ignored the media range {media_type!r} of the Accept header: "
                 "its q-value is not a number from 0 to 1")
            continue
        ranges.append(_Range(media_type.lower(), quality, order))
    return sorted(ranges, key=lambda r: (-r.quality, r.order))


def _quality(params: list[str]) -> float | None:
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                return None
            return quality if 0 <= quality <= 1 else None
    return 1.0


def _covers(media_range: str, offer: Format) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return offer.media_type.startswith(media_range[:-1])
    return offer.matches(media_range)


def _named(value: str, offers: Sequence[Format]) -> Format | None:
    """The offer that a ``format=`` value names: a name, another name or a media type.

    A ``+`` sent unencoded in a URL arrives as a space (``?format=rdf+xml``): read it back.
    """
    wanted = value.split(";", 1)[0].strip().lower().replace(" ", "+")
    return next((offer for offer in offers if wanted == offer.name or wanted in offer.names
                 or offer.matches(wanted)), None)


def negotiate(accept: str | None, offers: Sequence[Format], *,
              format_param: str | Sequence[str] | None = None,
              strict: bool = False) -> Format:
    """The format to answer in: the first ``format=`` value that names an offer, else the
    best offer for ``accept``.

    The first offer is the default: what a missing header or ``*/*`` gets.

    :param accept: the Accept header, if any.
    :param offers: the formats this answer can take, preferred first.
    :param format_param: the ``format=`` values, in the order sent (short names or media
        types); those that name no offer are ignored with a warning.
    :param strict: refuse a ``format=`` that names no offer instead, as an API whose
        contract lists its formats does (the canned queries' OpenAPI document).
    :raises HttpError: 406 if nothing acceptable is offered, or if ``strict`` and
        ``format=`` names a format not offered here; 400 if ``strict`` and it names none.

    >>> from graph.formats import GRAPH_FORMATS, RESULT_FORMATS
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_FORMATS).name
    'xml'
    >>> negotiate(None, GRAPH_FORMATS).name
    'turtle'
    >>> negotiate("text/csv", RESULT_FORMATS, format_param=["yaml", "rdf+xml", "tsv"]).name
    'tsv'
    """
    values = [format_param] if isinstance(format_param, str) else list(format_param or ())
    for value in values:
        if value.strip() and (chosen := _named(value, offers)) is not None:
            return chosen
    if strict and (named := [value for value in values if value.strip()]):
        known = from_name(named[0]) or from_media_type(named[0])
        raise HttpError(406 if known else 400,
                        f"format={named[0]} is not available here; use one of "
                        + ", ".join(o.name for o in offers), "unknown-format")
    if any(value.strip() for value in values):
        warn(f"format={', '.join(values)} names no format this answer can take ("
             + ", ".join(o.name for o in offers) + "); answered as the Accept header asks")
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    refused = [r.media_type for r in ranges if r.quality <= 0]
    for media_range in ranges:
        if media_range.quality <= 0:
            continue
        for offer in offers:
            # A wildcard never brings back a type the client refused with q=0.
            if _covers(media_range.media_type, offer) and not any(
                    offer.matches(media_type) for media_type in refused):
                return offer
    raise not_acceptable(accept, [offer.media_type for offer in offers])


def for_request(offers: Sequence[Format], params: MultiDict[str, str] | None = None, *,
                strict: bool = False) -> Format:
    """:func:`negotiate` for the current request: its Accept header and every ``format=``
    and ``output=`` value of ``params`` (the query string by default)."""
    source = request.args if params is None else params
    values = [value for name in FORMAT_PARAMETERS for value in source.getlist(name)]
    return negotiate(request.headers.get("Accept"), offers, format_param=values,
                     strict=strict)
