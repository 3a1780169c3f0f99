"""How the UI's pages answer: one dict per page, sent as HTML to a browser and as JSON to
everyone else, with ``Link: rel="alternate"`` pointing from each to the other forms.

The choice between them is :func:`endpoint.negotiation.negotiate`, the one content
negotiation of the endpoint, over the formats of :mod:`graph.formats` (the page's HTML
and its JSON twin are formats there); this module only renders. Templates are Jinja with
autoescaping, so whatever the data holds is text.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Response
from flask import json
from flask import render_template
from flask import request

from endpoint import negotiation
from endpoint.i18n import messages
from graph.formats import HTML
from graph.formats import JSON
from graph.formats import Format
from graph.languages import LANGUAGES
from graph.words import LANGUAGE_NAMES

PAGE_FORMATS = (HTML, JSON)
"""A page that is only a page: HTML by default, JSON when asked."""


def choose(offers: Sequence[Format]) -> Format:
    """The format of this answer, from ``Accept`` or ``?format=``."""
    return negotiation.for_request(offers)


def url_with(**params: str | None) -> str:
    """The current path with its query changed: ``None`` removes a parameter."""
    args = {key: value for key, value in request.args.items() if key not in params}
    args.update({key: value for key, value in params.items() if value is not None})
    query = urlencode(args)
    return request.path + (f"?{query}" if query else "")


def format_links(offers: Sequence[Format]) -> list[dict[str, str]]:
    """Where each form of this page is: ``?format=NAME`` on the same URL."""
    return [{"name": offer.name, "media_type": offer.media_type,
             "href": url_with(format=offer.name)} for offer in offers]


def language_links(current: str) -> list[dict[str, Any]]:
    """The language switch: the same page with ``?lang=``, which works without scripts."""
    return [{"code": code, "name": LANGUAGE_NAMES[code], "href": url_with(lang=code, format=None),
             "current": code == current} for code in LANGUAGES]


def rdf_response(triples: Iterable[ox.Triple], fmt: Format,
                 prefixes: Mapping[str, str]) -> Response:
    """A page's RDF twin in ``fmt``, pointing back to its HTML form."""
    if fmt.rdf is None:
        raise ValueError(f"{fmt.name} is not an RDF format")
    body = ox.serialize(triples, format=fmt.rdf, prefixes=dict(prefixes))
    response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = f'<{url_with(format="html")}>; rel="alternate"; type="text/html"'
    return response


def render(template: str, data: Mapping[str, Any], fmt: Format, language: str,
           alternates: Sequence[Format] = (JSON,), status: int = 200,
           more_words: Mapping[str, str] | None = None) -> Response:
    """The page in ``fmt``: HTML from ``template``, or ``data`` itself as JSON.

    :param data: the page, built once; the template sees it as ``page``.
    :param alternates: the other forms the HTML's ``Link`` header announces.
    :param more_words: the page's own words beside those of every page (``t``).
    """
    if fmt == HTML:
        body = render_template(template, page=data, t={**messages(language), **(more_words or {})},
                               lang=language)
        response = Response(body, status=status, content_type=fmt.content_type)
        response.headers["Link"] = ", ".join(
            f'<{url_with(format=alt.name)}>; rel="alternate"; type="{alt.media_type}"'
            for alt in alternates)
    else:
        response = Response(json.dumps(data, ensure_ascii=False) + "\n", status=status,
                            content_type=JSON.content_type)
        response.headers["Link"] = (f'<{url_with(format=None)}>; rel="alternate"; '
                                    f'type="text/html"')
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Content-Language"] = language
    return response
