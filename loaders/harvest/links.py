"""The same dataset harvested from two portals, recognised and linked.

data.gov.be republishes the Walloon portal's datasets; a municipality's portal
and its region's may list the same one. Two datasets of two harvested graphs
are the same when they share a ``dct:identifier``, an ``adms:identifier``
(its ``skos:notation``), a ``dcat:landingPage`` or their original IRI (``owl:sameAs``,
see :mod:`loaders.harvest.local_iris`). Both copies stay, each in its
source's graph with its own provenance, and the links graph
``{base}graph/harvest-links`` says ``?a prov:alternateOf ?b`` both ways (PROV:
two entities that present aspects of the same thing). Datasets with the same
IRI in two graphs cannot occur: each source's datasets are renamed under its own prefix,
their original IRI kept as ``owl:sameAs``, which is one of the keys.

The links graph is recomputed from all harvested graphs after each harvest that
wrote something, so a source that drops a dataset drops its links too.
"""

from __future__ import annotations

import hashlib
import io

import pyoxigraph as ox

from graph.namespaces import ADMS
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import OWL
from graph.namespaces import PROV
from graph.namespaces import SKOS
from graph.sources import Source
from graph.store_api import StoreWriter
from graph.store_api import select_whole


def links_graph(store: StoreWriter) -> str:
    return f"{store.base_iri}graph/harvest-links"


def _harvest_graph_filter(store: StoreWriter, var: str) -> str:
    prefix = f"{store.base_iri}graph/harvest/"
    return (f"STRSTARTS(STR({var}), \"{prefix}\") && !STRENDS(STR({var}), \"/report\") "
            f"&& !STRENDS(STR({var}), \"/last-failure\") && !STRENDS(STR({var}), \"/quality\")")


def find(store: StoreWriter) -> list[tuple[str, str]]:
    """Pairs of datasets of two harvested graphs that are one dataset (sorted, ``a < b``)."""
    graphs = [g for g in store.live_graphs() if g.value.startswith(
        f"{store.base_iri}graph/harvest/") and not g.value.endswith(("/report", "/last-failure",
                                                                      "/quality"))]
    if len(graphs) < 2:
        return []
    key = (f"?{{d}} <{DCT}identifier>|<{ADMS}identifier>/<{SKOS}notation>|"
           f"<{DCAT}landingPage>|<{OWL}sameAs> ?key")
    pairs = select_whole(store, (
        f"SELECT DISTINCT ?a ?b WHERE {{ GRAPH ?g1 {{ ?a a <{DCAT}Dataset> . "
        f"{key.format(d='a')} }} GRAPH ?g2 {{ ?b a <{DCAT}Dataset> . {key.format(d='b')} }} "
        f"FILTER(?g1 != ?g2 && STR(?a) < STR(?b) && {_harvest_graph_filter(store, '?g1')} && "
        f"{_harvest_graph_filter(store, '?g2')}) }}"))
    return sorted((row["a"].value, row["b"].value) for row in pairs)


def relink(store: StoreWriter, graph: str) -> int:
    """Recompute the links graph; return how many datasets of ``graph`` another harvested
    portal also lists."""
    pairs = find(store)
    target = links_graph(store)
    known = any(g.value == target for g in store.live_graphs())
    if pairs or known:
        alternate = ox.NamedNode(PROV + "alternateOf")
        triples = [ox.Triple(ox.NamedNode(x), alternate, ox.NamedNode(y))
                   for a, b in pairs for x, y in ((a, b), (b, a))]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        source = Source(origin=f"{target}#source", fmt=ox.RdfFormat.N_TRIPLES,
                        default_graph=target, stream=io.BytesIO(body),
                        checksum=hashlib.sha256(body).hexdigest())
        store.commit(store.stage([source]))
    linked = {d for pair in pairs for d in pair}
    if not linked:
        return 0
    rows = select_whole(store, f"SELECT DISTINCT ?d WHERE {{ GRAPH <{graph}> {{ "
                        f"?d a <{DCAT}Dataset> }} }}")
    return sum(1 for row in rows if row["d"].value in linked)
