"""A small, safe HTTP(S) fetcher for inputs given as URLs (tables, metadata, DCAT feeds).

A URL typed by a user, or found in a metadata file or a harvested catalog,
must not make psikg read its own host's services or the local network (SSRF).
So every request, and every redirect it follows, is checked the same way:

1. the host name is resolved once, and every address it resolves to must be
   a global one (no loopback, private, link-local, shared, reserved or
   multicast address, IPv4-mapped IPv6 included);
2. the connection goes to the address that was checked, with the name kept
   for ``Host`` and TLS (SNI and certificate check), so a second, different
   DNS answer (DNS rebinding) cannot slip another address in;
3. timeouts bound the connection and each read, a deadline bounds the whole
   response, and the body is cut at ``max_bytes`` (``Content-Length`` is
   checked first);
4. redirects are followed by hand, at most ``max_redirects``, each through
   steps 1–3 again.

``allow_private`` (``--allow-private`` or ``PSIKG_ALLOW_PRIVATE_ADDRESSES=1``)
lifts step 1, for tests against a server on 127.0.0.1 and for intranets.

The client is urllib3: the connection layer under requests, maintained, and the
one that lets a connection go to a chosen address while TLS checks the name
(``server_hostname``/``assert_hostname``), which steps 1–2 need; requests and
httpx hide that layer behind adapters and transports.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import IO
from urllib.parse import urljoin
from urllib.parse import urlsplit

import urllib3

from graph.errors import InputError

ALLOW_PRIVATE_ENV = "PSIKG_ALLOW_PRIVATE_ADDRESSES"
"""Set to ``1`` to let psikg fetch from loopback and private addresses."""

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 1 << 16


class FetchError(InputError):
    """A URL that could not, or may not, be fetched. ``type`` says why:

    ``bad-url``, ``private-address``, ``dns``, ``connection``, ``timeout``,
    ``too-large``, ``too-many-redirects``, ``http-status``.
    """


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may do. The defaults are the safe ones.

    :param allow_private: fetch from loopback and private addresses too.
    :param timeout_s: seconds to connect, and between two reads.
    :param deadline_s: seconds for a whole response, body included.
    :param max_bytes: largest body read; larger ones are refused (``too-large``).
    :param max_redirects: redirects followed per fetch.
    :param mirrors: URL prefix → replacement prefix, tried before fetching: a
        local copy of a site (the W3C test suite served on 127.0.0.1). The
        response keeps the URL that was asked for.
    :param allowed_networks: addresses or networks (``127.0.0.1``, ``10.1.0.0/16``)
        fetched even though they are not public (a harvest's local mirror);
        ``allow_private`` allows them all.
    """

    allow_private: bool = False
    timeout_s: float = 30.0
    deadline_s: float = 600.0
    max_bytes: int = 1 << 30
    max_redirects: int = 5
    mirrors: Mapping[str, str] = field(default_factory=dict)
    user_agent: str = "psikg (+https://w3id.org/psikg)"
    allowed_networks: tuple[str, ...] = ()

    def allows(self, address: str) -> bool:
        """Whether a request may go to ``address``: public, allowed by network, or all allowed."""
        if self.allow_private or is_public_address(address):
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return any(ip in ipaddress.ip_network(net, strict=False)
                   for net in self.allowed_networks)

    @classmethod
    def from_environment(cls, *, allow_private: bool = False, **options: object) -> FetchPolicy:
        """The policy, ``allow_private`` also set by ``PSIKG_ALLOW_PRIVATE_ADDRESSES=1``."""
        allowed = allow_private or os.environ.get(ALLOW_PRIVATE_ENV, "") in {"1", "true", "yes"}
        return cls(allow_private=allowed, **options)  # type: ignore[arg-type]

    def mirrored(self, url: str) -> str:
        """``url`` rewritten by the first mirror whose prefix it starts with."""
        for prefix, replacement in self.mirrors.items():
            if url.startswith(prefix):
                return replacement + url[len(prefix):]
        return url

    def unmirrored(self, url: str) -> str:
        """The inverse of :meth:`mirrored`, so that base IRIs stay the ones asked for."""
        for prefix, replacement in self.mirrors.items():
            if url.startswith(replacement):
                return prefix + url[len(replacement):]
        return url


@dataclass
class Response:
    """A fetched response: the final URL (after redirects), status, headers and body."""

    url: str
    status: int
    headers: dict[str, list[str]]
    """Header name (lower case) → its values, in order."""
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of a header, or ``None``."""
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def require_ok(self) -> Response:
        """This response, or :class:`FetchError` ``http-status`` if it is not a 2xx."""
        if not self.ok:
            raise FetchError(f"{self.url} answered HTTP {self.status}", type="http-status",
                             file=self.url, value=str(self.status), expected="HTTP 200")
        return self


def fetch(url: str, policy: FetchPolicy, *, max_bytes: int | None = None,
          sink: IO[bytes] | None = None, headers: Mapping[str, str] | None = None) -> Response:
    """GET ``url`` under ``policy``, following redirects; any status is returned, not raised.

    :param max_bytes: a tighter size limit for this fetch (metadata files).
    :param headers: request headers to add (``Accept``, ``If-None-Match``…); ``Host``
        and ``User-Agent`` are psikg's own.
    :param sink: write the body there instead of into :attr:`Response.body`
        (large tables, spooled to a temporary file).
    :raises FetchError: if the URL is not http(s), resolves to a refused
        address, cannot be reached in time, is too large or redirects too often.
    """
    limit = policy.max_bytes if max_bytes is None else min(max_bytes, policy.max_bytes)
    current = policy.mirrored(url)
    for _ in range(policy.max_redirects + 1):
        response = _get_once(current, policy, limit, sink, headers or {})
        location = response.header("location")
        if response.status not in REDIRECT_STATUSES or not location:
            response.url = policy.unmirrored(current)
            return response
        current = urljoin(current, location)
    raise FetchError(f"{url} redirects more than {policy.max_redirects} times",
                     type="too-many-redirects", file=url,
                     expected=f"at most {policy.max_redirects} redirects")


def checked_addresses(host: str, port: int, policy: FetchPolicy) -> list[str]:
    """Every address ``host`` resolves to, all checked against ``policy``.

    :raises FetchError: ``dns`` if the name does not resolve, ``private-address``
        if any address is not a global one and ``policy`` does not allow it.
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
                f"refusing to fetch from {host} ({address}): a loopback, private, "
                "link-local or reserved address; pass --allow-private, set "
                f"{ALLOW_PRIVATE_ENV}=1, or allow it in harvest.toml (allow_networks) if this "
                "is intended", type="private-address", file=host, value=address,
                expected="a public address")
    return addresses


def is_public_address(address: str) -> bool:
    """Whether ``address`` is a global unicast address (IPv4-mapped IPv6 unwrapped).

    >>> is_public_address("127.0.0.1"), is_public_address("::ffff:10.0.0.1")
    (False, False)
    >>> is_public_address("192.0.2.1"), is_public_address("8.8.8.8")
    (False, True)
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _get_once(url: str, policy: FetchPolicy, limit: int, sink: IO[bytes] | None,
              extra_headers: Mapping[str, str]) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"cannot fetch {url!r}: only http and https URLs are fetched",
                         type="bad-url", value=url, expected="an http(s) URL")
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"bad port in {url!r}", type="bad-url", value=url) from None
    address = checked_addresses(host, port, policy)[0]
    timeout = urllib3.Timeout(connect=policy.timeout_s, read=policy.timeout_s)
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(address, port, timeout=timeout, retries=False,
                                           maxsize=1, server_hostname=host,
                                           assert_hostname=host, cert_reqs="CERT_REQUIRED")
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False,
                                          maxsize=1)
    default_port = 443 if parts.scheme == "https" else 80
    host_header = host if port == default_port else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if port == default_port else f"[{host}]:{port}"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        raw = pool.urlopen("GET", target, redirect=False, preload_content=False,
                           headers={"Accept": "*/*", **extra_headers, "Host": host_header,
                                    "User-Agent": policy.user_agent})
    except urllib3.exceptions.TimeoutError:
        pool.close()
        raise FetchError(f"{url}: no answer within {policy.timeout_s:g} s", type="timeout",
                         file=url) from None
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        raise FetchError(f"cannot fetch {url}: {error}", type="connection", file=url) from None
    try:
        headers: dict[str, list[str]] = {}
        for name, value in raw.headers.iteritems():
            headers.setdefault(name.lower(), []).append(value)
        response = Response(url, raw.status, headers)
        if raw.status in REDIRECT_STATUSES:
            return response
        declared = response.header("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise _too_large(url, limit)
        body = bytearray()
        for chunk in _read(raw, url, policy, limit):
            if sink is None:
                body += chunk
            else:
                sink.write(chunk)
        response.body = bytes(body)
        return response
    finally:
        raw.release_conn()
        pool.close()


def _read(raw: urllib3.BaseHTTPResponse, url: str, policy: FetchPolicy,
          limit: int) -> Iterator[bytes]:
    deadline = time.monotonic() + policy.deadline_s
    size = 0
    try:
        for chunk in raw.stream(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_large(url, limit)
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: response not complete within {policy.deadline_s:g} s",
                                 type="timeout", file=url)
            yield chunk
    except urllib3.exceptions.TimeoutError:
        raise FetchError(f"{url}: no data for {policy.timeout_s:g} s", type="timeout",
                         file=url) from None
    except urllib3.exceptions.HTTPError as error:
        raise FetchError(f"reading {url} failed: {error}", type="connection", file=url) from None


def _too_large(url: str, limit: int) -> FetchError:
    return FetchError(f"{url} is larger than {limit:,} bytes", type="too-large", file=url,
                      expected=f"at most {limit:,} bytes")
