"""Conditional, size-bounded HTTP GETs for harvesting, on top of :mod:`loaders.http_fetch`.

Harvesting needs two things the shared fetcher does not offer: request headers
(``Accept`` for content negotiation, ``If-None-Match``/``If-Modified-Since`` so
that an unchanged catalog costs one ``304``), and an allow-list of addresses
(a harvest config may allow ``127.0.0.1`` for a local mirror without allowing
every private network). This module is that thin layer: it reuses the shared
fetcher's policy, error type and address rules (:func:`is_public_address`),
and keeps its safety steps: every address a host resolves to is checked, the
connection goes to the checked address (no DNS rebinding), timeouts bound the
connection and each read, a deadline the whole body, the body is cut at
``max_bytes`` and redirects are followed by hand, each one checked again.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urljoin
from urllib.parse import urlsplit

import urllib3

from loaders.http_fetch import REDIRECT_STATUSES
from loaders.http_fetch import FetchError
from loaders.http_fetch import FetchPolicy
from loaders.http_fetch import is_public_address

_CHUNK = 1 << 16
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

    def allows(self, address: str) -> bool:
        """Whether a request may go to ``address``."""
        if self.fetch.allow_private or is_public_address(address):
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return any(ip in ipaddress.ip_network(net, strict=False) for net in self.allowed_networks)


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
    current = url
    for _ in range(policy.fetch.max_redirects + 1):
        raw, pool = _open(current, policy, headers or {})
        try:
            location = raw.headers.get("location")
            if raw.status in REDIRECT_STATUSES and location:
                current = urljoin(current, location)
                continue
            page = Page(current, raw.status, raw.headers.get("content-type"),
                        raw.headers.get("etag"), raw.headers.get("last-modified"))
            if raw.status == 304:
                return page
            if not 200 <= raw.status < 300:
                raise FetchError(f"{current} answered HTTP {raw.status}", type="http-status",
                                 file=current, value=str(raw.status), expected="HTTP 200")
            page.body, page.sha256 = _read(raw, current, policy.fetch)
            return page
        finally:
            raw.release_conn()
            pool.close()
    raise FetchError(f"{url} redirects more than {policy.fetch.max_redirects} times",
                     type="too-many-redirects", file=url,
                     expected=f"at most {policy.fetch.max_redirects} redirects")


def checked_address(host: str, port: int, policy: HarvestPolicy) -> str:
    """The first address of ``host``, after checking all of them against ``policy``.

    :raises FetchError: ``dns`` if the name does not resolve; ``private-address`` if an
        address is neither public nor allowed.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve host {host!r}: {error}", type="dns",
                         value=host) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if not policy.allows(address):
            raise FetchError(
                f"refusing to fetch from {host} ({address}): a loopback, private, link-local or "
                "reserved address; allow it in harvest.toml (allow_networks) if intended",
                type="private-address", file=host, value=address, expected="a public address")
    return addresses[0]


_Opened = tuple[urllib3.BaseHTTPResponse, urllib3.HTTPConnectionPool]


def _open(url: str, policy: HarvestPolicy, headers: Mapping[str, str]) -> _Opened:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"cannot fetch {url!r}: only http and https URLs are fetched",
                         type="bad-url", value=url, expected="an http(s) URL")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"bad port in {url!r}", type="bad-url", value=url) from None
    address = checked_address(host, port, policy)
    timeout = urllib3.Timeout(connect=policy.fetch.timeout_s, read=policy.fetch.timeout_s)
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(address, port, timeout=timeout, retries=False,
                                           maxsize=1, server_hostname=host,
                                           assert_hostname=host, cert_reqs="CERT_REQUIRED")
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False,
                                          maxsize=1)
    default_port = 443 if parts.scheme == "https" else 80
    name = f"[{host}]" if ":" in host else host
    request_headers = {"Host": name if port == default_port else f"{name}:{port}",
                       "User-Agent": policy.fetch.user_agent, "Accept": RDF_ACCEPT,
                       **headers}
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        raw = pool.urlopen("GET", target, redirect=False, preload_content=False,
                           headers=request_headers)
    except urllib3.exceptions.TimeoutError:
        pool.close()
        raise FetchError(f"{url}: no answer within {policy.fetch.timeout_s:g} s",
                         type="timeout", file=url) from None
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        raise FetchError(f"cannot fetch {url}: {error}", type="connection", file=url) from None
    return raw, pool


def _read(raw: urllib3.BaseHTTPResponse, url: str, policy: FetchPolicy) -> tuple[bytes, str]:
    declared = raw.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise _too_large(url, policy.max_bytes)
    deadline = time.monotonic() + policy.deadline_s
    body = bytearray()
    digest = hashlib.sha256()
    try:
        for chunk in raw.stream(_CHUNK):
            body += chunk
            digest.update(chunk)
            if len(body) > policy.max_bytes:
                raise _too_large(url, policy.max_bytes)
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: response not complete within {policy.deadline_s:g} s",
                                 type="timeout", file=url)
    except urllib3.exceptions.TimeoutError:
        raise FetchError(f"{url}: no data for {policy.timeout_s:g} s", type="timeout",
                         file=url) from None
    except urllib3.exceptions.HTTPError as error:
        raise FetchError(f"reading {url} failed: {error}", type="connection", file=url) from None
    return bytes(body), digest.hexdigest()


def _too_large(url: str, limit: int) -> FetchError:
    return FetchError(f"{url} is larger than {limit:,} bytes", type="too-large", file=url,
                      expected=f"at most {limit:,} bytes")
