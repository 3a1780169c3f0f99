"""The same dataset harvested from two portals, recognised and linked.

data.gov.be republishes the Walloon portal's datasets; a municipality's portal
and its region's may list the same one. Two datasets of two harvested graphs
are the same when they share a ``dct:identifier``, an ``adms:identifier``
(its ``skos:notation``), a ``dcat:landingPage`` or their original IRI (``owl:sameAs``,
see :mod:`loaders.harvest.local_iris`). Both copies stay, each in its
source's graph with its own provenance, and the links graph
``{base}graph/harvest-links`` says ``?a prov:alternateOf ?b`` both ways (PROV:
two entities that present aspects of the same thing). Datasets with the same
IRI in two graphs need no link; they are counted all the same.

The links graph is recomputed from all harvested graphs after each harvest that
wrote something, so a source that drops a dataset drops its links too.
"""

from __future__ import annotations

import hashlib
import io

import pyoxigraph as ox

from graph.store import Source
from graph.store import Store
from loaders.harvest.terms import ADMS
from loaders.harvest.terms import DCAT
from loaders.harvest.terms import DCT
from loaders.harvest.terms import OWL
from loaders.harvest.terms import PROV
from loaders.harvest.terms import SKOS


def links_graph(store: Store) -> str:
    return f"{store.base_iri}graph/harvest-links"


def _harvest_graph_filter(store: Store, var: str) -> str:
    prefix = f"{store.base_iri}graph/harvest/"
    return (f"STRSTARTS(STR({var}), \"{prefix}\") && !STRENDS(STR({var}), \"/report\") "
            f"&& !STRENDS(STR({var}), \"/last-failure\") && !STRENDS(STR({var}), \"/quality\")")


def find(store: Store) -> tuple[list[tuple[str, str]], int]:
    """Pairs of different IRIs for one dataset, and the count of IRIs found in several graphs."""
    graphs = [g for g in store.live_graphs() if g.value.startswith(
        f"{store.base_iri}graph/harvest/") and not g.value.endswith(("/report", "/last-failure",
                                                                      "/quality"))]
    if len(graphs) < 2:
        return [], 0
    key = (f"?{{d}} <{DCT}identifier>|<{ADMS}identifier>/<{SKOS}notation>|"
           f"<{DCAT}landingPage>|<{OWL}sameAs> ?key")
    pairs = store.query(
        f"SELECT DISTINCT ?a ?b WHERE {{ GRAPH ?g1 {{ ?a a <{DCAT}Dataset> . "
        f"{key.format(d='a')} }} GRAPH ?g2 {{ ?b a <{DCAT}Dataset> . {key.format(d='b')} }} "
        f"FILTER(?g1 != ?g2 && STR(?a) < STR(?b) && {_harvest_graph_filter(store, '?g1')} && "
        f"{_harvest_graph_filter(store, '?g2')}) }}")
    shared = store.query(
        f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH ?g1 {{ ?a a <{DCAT}Dataset> }} "
        f"GRAPH ?g2 {{ ?a a <{DCAT}Dataset> }} FILTER(?g1 != ?g2 && "
        f"{_harvest_graph_filter(store, '?g1')} && {_harvest_graph_filter(store, '?g2')}) }}")
    found = sorted((row["a"].value, row["b"].value) for row in pairs)
    return found, int(next(iter(shared))["n"].value)


def relink(store: Store) -> int:
    """Recompute the links graph; return how many datasets are listed by more than one portal."""
    pairs, shared = find(store)
    graph = links_graph(store)
    known = any(g.value == graph for g in store.live_graphs())
    if not pairs and not known:
        return shared
    alternate = ox.NamedNode(PROV + "alternateOf")
    triples = [ox.Triple(ox.NamedNode(x), alternate, ox.NamedNode(y))
               for a, b in pairs for x, y in ((a, b), (b, a))]
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    source = Source(origin=f"{graph}#source", fmt=ox.RdfFormat.N_TRIPLES, default_graph=graph,
                    stream=io.BytesIO(body), checksum=hashlib.sha256(body).hexdigest())
    store.commit(store.stage([source]))
    return shared + len({d for pair in pairs for d in pair})
