"""Reading a catalog from a SPARQL endpoint: ``sparql+https://host/sparql``.

One ``CONSTRUCT`` of the DCAT-AP core (catalogs, datasets, distributions, data services
and the nodes they point to one step away: contact points, periods, agents, checksums) is
sent as the SPARQL 1.1 Protocol says (``POST``, the query form-encoded), asking for
N-Triples. It goes through the one client of :mod:`loaders.http_fetch`, so the harvest's
safety rules hold as for any harvested URL: the endpoint's host and every redirect are
checked, the connection goes to the checked address, and the answer is read through the
time and size limits, never whole into memory first.

Why not SPARQLWrapper: it parses results this module never reads (it keeps the answer's
bytes), and it sits on ``urllib.request``, which resolves the host again when it connects,
so the policy's checked address could not be enforced without rewriting its connection
layer. It stays a test dependency, the client that proves psikg's endpoint speaks the
protocol.

An endpoint names the blank nodes of an answer as it likes, and may change their
labels and the order of statements from one query to the next. The answer's checksum
is therefore taken on a canonical form (:func:`canonical_sha256`: RDFC-1.0 blank-node
labels, sorted statements), so that an unchanged source looks unchanged.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pyoxigraph as ox

from graph.errors import InputError
from graph.namespaces import DCAT
from graph.namespaces import RDF
from loaders.harvest.document import page_format
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.fetch import Page
from loaders.http_fetch.client import Response
from loaders.http_fetch.client import fetch
from loaders.http_fetch.policy import FetchError

ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
"""What a harvest asks an endpoint for: N-Triples first, then what every endpoint writes."""
MAX_DETAIL_BYTES = 2000
"""How much of an endpoint's error answer goes into the message."""

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

    :raises FetchError: ``bad-url``, ``private-address``, ``dns``, ``timeout``,
        ``connection``, ``too-large``, ``too-many-redirects`` or ``http-status`` (with the
        endpoint's message for a query it refused).
    """
    url = endpoint_url(location)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"not a SPARQL endpoint URL: {url!r}", type="bad-url", value=url,
                         expected="sparql+http(s)://host/path")
    response = fetch(url, policy.fetch_policy(), method="POST",
                     body=urlencode({"query": query}).encode(),
                     headers={"Accept": ACCEPT,
                              "Content-Type": "application/x-www-form-urlencoded"})
    if not response.ok:
        raise _refused(url, response)
    content_type = response.header("content-type")
    return Page(url, response.status, content_type, response.header("etag"),
                response.header("last-modified"), response.body,
                canonical_sha256(response.body, content_type, url))


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



def _refused(url: str, response: Response) -> FetchError:
    """The error for an answer that is not a 2xx, with the endpoint's own message when it
    refused the query."""
    message = f"{url} answered HTTP {response.status}"
    if response.status >= 400:
        detail = response.body[:MAX_DETAIL_BYTES].decode("utf-8", "replace").strip()
        message += f": {detail}"
    return FetchError(message, type="http-status", file=url, value=str(response.status))
