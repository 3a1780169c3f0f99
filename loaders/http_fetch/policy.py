"""Whether psikg may send a request to a URL that a user or a document gave (SSRF policy).

A URL typed by a user, or found in a metadata file or a harvested catalog, must not make
psikg read its own host's services or the local network. So every request, and every
redirect it follows, is checked the same way:

1. the URL is ``http`` or ``https`` and names a host;
2. the host name is resolved once, and every address it resolves to must be a global one
   (no loopback, private, link-local, shared, reserved or multicast address, IPv4-mapped
   IPv6 included), or be allowed by the policy;
3. the connection goes to the address that was checked (:class:`Target`), with the name
   kept for ``Host`` and TLS, so a second, different DNS answer (DNS rebinding) cannot slip
   another address in;
4. timeouts, a deadline, a size limit and a bound on redirects, all in :class:`FetchPolicy`.

This module decides (steps 1–2) and holds the limits; :mod:`loaders.http_fetch.client`
is the one client that acts on them (steps 3–4). ``allow_private`` (``--allow-private`` or
``PSIKG_ALLOW_PRIVATE_ADDRESSES=1``) lifts step 2, for tests against a server on 127.0.0.1
and for intranets; ``allowed_networks`` lifts it for chosen networks only (a harvest's
local mirror).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlsplit

from graph.errors import InputError

ALLOW_PRIVATE_ENV = "PSIKG_ALLOW_PRIVATE_ADDRESSES"
"""Set to ``1`` to let psikg fetch from loopback and private addresses."""


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


@dataclass(frozen=True)
class Target:
    """Where one request may go: the checked address to connect to, and the name and
    port the URL gave, kept for ``Host`` and for TLS (SNI and the certificate check)."""

    scheme: str
    host: str
    port: int
    address: str
    path: str
    """The request target: path and query, never empty."""

    @property
    def host_header(self) -> str:
        """The ``Host`` header: the name, its port unless the scheme's default, IPv6 bracketed.

        >>> Target("https", "::1", 8443, "::1", "/").host_header
        '[::1]:8443'
        """
        name = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") \
            else self.host
        default = 443 if self.scheme == "https" else 80
        return name if self.port == default else f"{name}:{self.port}"


def checked_target(url: str, policy: FetchPolicy) -> Target:
    """Where a request to ``url`` may go under ``policy``, its host resolved once.

    :raises FetchError: ``bad-url`` if ``url`` is not an http(s) URL with a host and a
        valid port, ``dns`` if the name does not resolve, ``private-address`` if an
        address it resolves to is refused.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"cannot fetch {url!r}: only http and https URLs are fetched",
                         type="bad-url", value=url, expected="an http(s) URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"bad port in {url!r}", type="bad-url", value=url) from None
    address = checked_addresses(parts.hostname, port, policy)[0]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, address, path)


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
