"""Conditional, size-bounded HTTP GETs for harvesting, through :mod:`loaders.http_fetch`.

Harvesting asks the one client for two things through its options:
request headers (``Accept`` for content negotiation, ``If-None-Match`` and
``If-Modified-Since`` so that an unchanged catalog costs one ``304``) and an
allow-list of networks (a harvest config may allow ``127.0.0.1`` for a local
mirror without allowing every private network). Every safety step is the
one policy's: all addresses a host resolves to are checked, the
connection goes to the checked address (no DNS rebinding), timeouts bound the
connection and each read, a deadline the whole body, the body is cut at
``max_bytes`` and each redirect is checked again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from loaders.http_fetch.client import fetch
from loaders.http_fetch.policy import FetchPolicy

RDF_ACCEPT = ("text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, "
              "application/trig;q=0.8, application/n-triples;q=0.7, application/n-quads;q=0.7, "
              "*/*;q=0.1")
"""What a harvest asks for: any RDF syntax, Turtle first."""


@dataclass(frozen=True)
class HarvestPolicy:
    """What a harvest may do over HTTP.

    :param fetch: timeouts, size limit and redirect bound (the shared fetcher's policy).
    :param allowed_networks: addresses or networks (``127.0.0.1``, ``10.1.0.0/16``)
        fetched even though they are not public; ``fetch.allow_private`` allows all.
    :param max_pages: pages read from one paged catalog before the harvest stops
        with ``too-many-pages``.
    """

    fetch: FetchPolicy = field(default_factory=lambda: FetchPolicy(
        timeout_s=30.0, deadline_s=300.0, max_bytes=256 << 20, max_redirects=5))
    allowed_networks: tuple[str, ...] = ()
    max_pages: int = 1000

    def fetch_policy(self) -> FetchPolicy:
        """The shared fetcher's policy with this harvest's allowed networks added."""
        return replace(self.fetch, allowed_networks=self.fetch.allowed_networks
                       + self.allowed_networks)


@dataclass
class Page:
    """One fetched document: final URL, status, validators and body with its SHA-256."""

    url: str
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body: bytes = b""
    sha256: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def get(url: str, policy: HarvestPolicy, headers: Mapping[str, str] | None = None) -> Page:
    """GET ``url`` with ``headers``, following at most ``max_redirects`` checked redirects.

    A ``304`` is returned as a :class:`Page` with :attr:`Page.not_modified`; any
    other non-2xx status raises.

    :raises FetchError: ``bad-url``, ``private-address``, ``dns``, ``connection``,
        ``timeout``, ``too-large``, ``too-many-redirects`` or ``http-status``.
    """
    response = fetch(url, policy.fetch_policy(), headers={"Accept": RDF_ACCEPT, **(headers or {})})
    page = Page(response.url, response.status, response.header("content-type"),
                response.header("etag"), response.header("last-modified"))
    if page.not_modified:
        return page
    response.require_ok()
    page.body, page.sha256 = response.body, hashlib.sha256(response.body).hexdigest()
    return page

