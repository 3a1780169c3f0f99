"""The one HTTP(S) client for URLs a user or a document gave: tables, metadata, DCAT
documents and paged catalogs, SPARQL endpoints harvested, the URLs a quality check tries.

Each request goes where :func:`loaders.http_fetch.policy.checked_target` allows: to the
address that was checked, with the name kept for ``Host`` and for TLS (SNI and the
certificate check). Timeouts bound the connection and each read, a deadline bounds the
whole response, and the body is cut at ``max_bytes`` (``Content-Length`` is checked
first). Redirects are followed by hand, at most ``max_redirects``, each checked again.

The client is urllib3: the connection layer under requests, maintained, and the one that
lets a connection go to a chosen address while TLS checks the name (``server_hostname``,
``assert_hostname``), which the policy needs; requests and httpx hide that layer behind
adapters and transports, and ``urllib.request`` (under SPARQLWrapper) resolves the name
again when it connects.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO
from urllib.parse import urljoin

import urllib3

from loaders.http_fetch.policy import FetchError
from loaders.http_fetch.policy import FetchPolicy
from loaders.http_fetch.policy import Target
from loaders.http_fetch.policy import checked_target

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 1 << 16


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


@dataclass(frozen=True)
class _Request:
    method: str
    body: bytes | None
    headers: Mapping[str, str]

    def redirected(self, status: int) -> _Request:
        """The request sent to a redirect's location, as browsers, urllib3 and requests send
        it: ``307`` and ``308`` keep the method and the body; ``301``, ``302`` and ``303``
        turn a ``POST`` into a ``GET`` without a body."""
        if status in (307, 308) or self.method in ("GET", "HEAD"):
            return self
        headers = {name: value for name, value in self.headers.items()
                   if name.lower() != "content-type"}
        return _Request("GET", None, headers)


def fetch(url: str, policy: FetchPolicy, *, max_bytes: int | None = None,
          sink: IO[bytes] | None = None, headers: Mapping[str, str] | None = None,
          method: str = "GET", body: bytes | None = None) -> Response:
    """Send ``method`` to ``url`` under ``policy``, following redirects; any status is
    returned, not raised.

    :param max_bytes: a tighter size limit for this fetch (metadata files).
    :param headers: request headers to add (``Accept``, ``If-None-Match``…); ``Host``
        and ``User-Agent`` are psikg's own.
    :param sink: write the body there instead of into :attr:`Response.body`
        (large tables, spooled to a temporary file).
    :param method: ``GET`` (the default) or ``POST`` with ``body`` (a SPARQL query).
    :raises FetchError: if the URL is not http(s), resolves to a refused
        address, cannot be reached in time, is too large or redirects too often.
    """
    limit = policy.max_bytes if max_bytes is None else min(max_bytes, policy.max_bytes)
    request = _Request(method, body, headers or {})
    current = policy.mirrored(url)
    for _ in range(policy.max_redirects + 1):
        response = _send_once(current, policy, limit, sink, request)
        location = response.header("location")
        if response.status not in REDIRECT_STATUSES or not location:
            response.url = policy.unmirrored(current)
            return response
        current = urljoin(current, location)
        request = request.redirected(response.status)
    raise FetchError(f"{url} redirects more than {policy.max_redirects} times",
                     type="too-many-redirects", file=url,
                     expected=f"at most {policy.max_redirects} redirects")


def _pool(target: Target, policy: FetchPolicy) -> urllib3.HTTPConnectionPool:
    """A one-connection pool to the checked address; TLS checks the name the URL gave."""
    timeout = urllib3.Timeout(connect=policy.timeout_s, read=policy.timeout_s)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(target.address, target.port, timeout=timeout,
                                           retries=False, maxsize=1,
                                           server_hostname=target.host,
                                           assert_hostname=target.host,
                                           cert_reqs="CERT_REQUIRED")
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout,
                                      retries=False, maxsize=1)


def _send_once(url: str, policy: FetchPolicy, limit: int, sink: IO[bytes] | None,
               request: _Request) -> Response:
    target = checked_target(url, policy)
    pool = _pool(target, policy)
    try:
        raw = pool.urlopen(request.method, target.path, body=request.body, redirect=False,
                           preload_content=False,
                           headers={"Accept": "*/*", **request.headers,
                                    "Host": target.host_header,
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
