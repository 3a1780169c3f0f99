"""Reading a catalog from a SPARQL endpoint: ``sparql+https://host/sparql``.

SPARQLWrapper sends one ``CONSTRUCT`` of the DCAT-AP core (catalogs, datasets,
distributions, data services and the nodes they point to one step away:
contact points, periods, agents, checksums) and asks for N-Triples. Two things
are added around it, for the harvest's safety rules:

- the endpoint's host is checked like any harvested URL
  (:func:`loaders.harvest.fetch.checked_address`), and so is every redirect,
  by an ``urllib`` redirect handler that also bounds their number;
- the answer is read through the size limit, never whole into memory first.

An endpoint names the blank nodes of an answer as it likes, and may change their
labels and the order of statements from one query to the next. The answer's checksum
is therefore taken on a canonical form (:func:`canonical_sha256`: RDFC-1.0 blank-node
labels, sorted statements), so that an unchanged source looks unchanged.
"""

from __future__ import annotations

import hashlib
import http.client
import urllib.error
import urllib.request
from typing import IO
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from SPARQLWrapper import SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graph.errors import InputError
from graph.namespaces import DCAT
from graph.namespaces import RDF
from loaders.harvest.document import page_format
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.fetch import Page
from loaders.harvest.fetch import checked_address
from loaders.http_fetch import FetchError

DCAT_AP_CORE = f"""
PREFIX dcat: <{DCAT}>
PREFIX rdf: <{RDF}>
""" + """CONSTRUCT { ?r ?p ?o . ?o ?p2 ?o2 . }
WHERE {
  VALUES ?class { dcat:Catalog dcat:Dataset dcat:DatasetSeries dcat:Distribution
                  dcat:DataService }
  ?r rdf:type ?class ; ?p ?o .
  OPTIONAL { ?o ?p2 ?o2 FILTER(isBlank(?o) || EXISTS { ?o rdf:type ?t
             FILTER(?t NOT IN (dcat:Catalog, dcat:Dataset, dcat:DatasetSeries,
                               dcat:Distribution, dcat:DataService)) }) }
}
"""
"""The DCAT-AP core and what it points to one step away (contact points, periods, agents)."""


def endpoint_url(location: str) -> str:
    """``sparql+https://h/sparql`` → ``https://h/sparql``."""
    return location.split("+", 1)[1]


def construct(location: str, policy: HarvestPolicy, query: str = DCAT_AP_CORE) -> Page:
    """Run ``query`` on the endpoint and return its N-Triples as a :class:`Page`.

    :raises FetchError: ``private-address``, ``dns``, ``timeout``, ``connection``,
        ``too-large``, ``too-many-redirects`` or ``http-status`` (with the endpoint's
        message for a query it refused).
    """
    url = endpoint_url(location)
    _check(url, policy)
    wrapper = _CheckedWrapper(url, policy)
    wrapper.setQuery(query)
    wrapper.setMethod("POST")
    wrapper.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9, "
                                          "application/rdf+xml;q=0.8")
    wrapper.setTimeout(max(1, int(policy.fetch.timeout_s)))
    try:
        response: Any = wrapper.query().response
    except SPARQLWrapperException as error:
        raise FetchError(f"{url} refused the query: {error.msg}", type="http-status",
                         file=url) from None
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url} answered HTTP {error.code}", type="http-status", file=url,
                         value=str(error.code)) from None
    except TimeoutError:
        raise FetchError(f"{url}: no answer within {policy.fetch.timeout_s:g} s",
                         type="timeout", file=url) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, FetchError):
            raise error.reason from None
        raise FetchError(f"cannot query {url}: {error.reason}", type="connection",
                         file=url) from None
    body = _read_limited(response, url, policy.fetch.max_bytes)
    content_type = response.headers.get("content-type")
    return Page(url, response.status, content_type, response.headers.get("etag"),
                response.headers.get("last-modified"), body,
                canonical_sha256(body, content_type, url))


def canonical_sha256(body: bytes, content_type: str | None, base_iri: str | None = None) -> str:
    """The SHA-256 of the answer's statements, whatever their order and blank-node labels.

    N-Triples without blank nodes are hashed as their sorted lines; anything else is
    parsed, its blank nodes relabelled by RDFC-1.0, its statements sorted. An answer that
    does not parse keeps the hash of its bytes (the harvest then reports the parse error).
    """
    try:
        fmt = page_format("", content_type or "application/n-triples", None)
    except InputError:
        return hashlib.sha256(body).hexdigest()
    if fmt == ox.RdfFormat.N_TRIPLES and b"_:" not in body:
        lines = sorted({line.strip() for line in body.splitlines() if line.strip()})
        return hashlib.sha256(b"\n".join(lines)).hexdigest()
    try:
        dataset = ox.Dataset(ox.parse(body, format=fmt, base_iri=base_iri))
    except SyntaxError:
        return hashlib.sha256(body).hexdigest()
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    statements = sorted({str(quad) for quad in dataset})
    return hashlib.sha256("\n".join(statements).encode()).hexdigest()


def _check(url: str, policy: HarvestPolicy) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"not a SPARQL endpoint URL: {url!r}", type="bad-url", value=url,
                         expected="sparql+http(s)://host/path")
    checked_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                    policy)


def _read_limited(response: IO[bytes], url: str, limit: int) -> bytes:
    try:
        body = response.read(limit + 1)
    except TimeoutError:
        raise FetchError(f"{url}: answer not complete in time", type="timeout", file=url) from None
    except http.client.HTTPException as error:
        raise FetchError(f"reading {url} failed: {error}", type="connection", file=url) from None
    if len(body) > limit:
        raise FetchError(f"{url} answered more than {limit:,} bytes", type="too-large", file=url,
                         expected=f"at most {limit:,} bytes")
    return body


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows at most ``max_redirects`` redirects, each to a checked address."""

    max_redirections = 5

    def __init__(self, policy: HarvestPolicy) -> None:
        self.policy = policy

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        _check(newurl, self.policy)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _CheckedWrapper(SPARQLWrapper):
    """SPARQLWrapper whose requests go through :class:`_CheckedRedirects`."""

    def __init__(self, endpoint: str, policy: HarvestPolicy) -> None:
        super().__init__(endpoint, agent=policy.fetch.user_agent)
        handler = _CheckedRedirects(policy)
        type(handler).max_redirections = policy.fetch.max_redirects
        self._opener = urllib.request.build_opener(handler)

    def _query(self) -> Any:
        request = self._createRequest()
        try:
            return self._opener.open(request, timeout=self.timeout), self.returnFormat
        except urllib.error.HTTPError as error:
            if error.code >= 400:
                detail = error.read(2000).decode("utf-8", "replace").strip()
                raise FetchError(f"{self.endpoint} answered HTTP {error.code}: {detail}",
                                 type="http-status", file=self.endpoint,
                                 value=str(error.code)) from None
            raise
