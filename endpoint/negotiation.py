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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.errors import not_acceptable
from graph.formats import GRAPH_FORMATS
from graph.formats import HTML
from graph.formats import RESULT_FORMATS
from graph.formats import Format


@dataclass(frozen=True)
class _Range:
    media_type: str
    quality: float
    order: int


def parse_accept(header: str) -> list[_Range]:
    """The media ranges of an Accept header with their quality, best first.

    :raises HttpError: 400 if a range is not ``type/subtype`` or a q-value is not a number.

    >>> [r.media_type for r in parse_accept("text/*;q=0.5, application/json, */*;q=0.1")]
    ['application/json', 'text/*', '*/*']
    """
    ranges = []
    for order, item in enumerate(header.split(",")):
        media_type, *params = (part.strip() for part in item.split(";"))
        if not media_type:
            continue
        if "/" not in media_type:
            raise bad_request(f"invalid media range {media_type!r} in the Accept header",
                              type="invalid-accept", value=media_type)
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    raise bad_request(f"invalid q-value {value!r} in the Accept header",
                                      type="invalid-accept", value=value) from None
        ranges.append(_Range(media_type.lower(), quality, order))
    return sorted(ranges, key=lambda r: (-r.quality, r.order))


def _covers(media_range: str, offer: Format) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return offer.media_type.startswith(media_range[:-1])
    return offer.matches(media_range)


def negotiate(accept: str | None, offers: Sequence[Format], *,
              format_param: str | None = None) -> Format:
    """The format to answer in: ``format=`` if given, else the best offer for ``accept``.

    The first offer is the default: what a missing header or ``*/*`` gets.

    :param accept: the Accept header, if any.
    :param offers: the formats this answer can take, preferred first.
    :param format_param: the ``format=`` override (a short name or a media type).
    :raises HttpError: 406 if nothing acceptable is offered, 400 if ``format=`` is unknown.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_FORMATS).name
    'xml'
    >>> negotiate(None, GRAPH_FORMATS).name
    'turtle'
    """
    if format_param:
        wanted = format_param.strip().lower()
        for offer in offers:
            if wanted == offer.name or wanted in offer.names or offer.matches(wanted):
                return offer
        raise HttpError(400 if wanted not in _ALL_NAMES else 406,
                        f"format={format_param} is not available here; use one of "
                        + ", ".join(o.name for o in offers), "unknown-format")
    if not accept or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
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


_ALL_NAMES = {name for f in (*GRAPH_FORMATS, *RESULT_FORMATS, HTML) for name in (f.name, *f.names)}
