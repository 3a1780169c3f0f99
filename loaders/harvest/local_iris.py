"""Harvested catalogs, datasets, distributions and services get IRIs under psikg's base.

The platform republishes what it harvests, and every dataset and distribution
it publishes must be dereferenceable at its own ``/id/`` pages (the base IRI),
as data.europa.eu's piveau mints its own IRIs for what it harvests. Each such
node is renamed ``{base}harvest/{source}/{kind}/{key}``, ``key`` being the
first 16 hex digits of the SHA-1 of its original IRI (stable from one harvest
to the next), and keeps its original IRI as ``owl:sameAs``, which is also how
:mod:`loaders.harvest.links` recognises one dataset on two portals. Blank
nodes were already named under the same prefix by the repairs.

A source without any ``dcat:Catalog`` gets one, ``{base}harvest/{source}/catalog``,
listing its datasets: the platform catalog shows every harvested portal as a
catalog of its own.

The renaming is three SPARQL updates per class on the in-memory working store:
no Python per triple.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox

from loaders.harvest.terms import DCAT
from loaders.harvest.terms import DCT
from loaders.harvest.terms import OWL
from loaders.harvest.terms import RDF

KINDS = (("Catalog", "catalog"), ("Dataset", "dataset"), ("DatasetSeries", "series"),
         ("Distribution", "distribution"), ("DataService", "service"))


def prefix_of(base_iri: str, source: str) -> str:
    """Where a source's nodes are named: ``{base}harvest/{source}/``."""
    return f"{base_iri}harvest/{quote(source, safe='')}/"


def localise(work: ox.Store, base_iri: str, source: str, title: str | None) -> int:
    """Rename the DCAT nodes of ``work``'s default graph; return how many were renamed."""
    prefix = prefix_of(base_iri, source)
    renamed = 0
    for cls, kind in KINDS:
        where = (f"?d a <{DCAT}{cls}> FILTER(isIRI(?d) && !STRSTARTS(STR(?d), \"{prefix}\")) "
                 f"BIND(IRI(CONCAT(\"{prefix}{kind}/\", SUBSTR(SHA1(STR(?d)), 1, 16))) AS ?n)")
        rows = work.query(f"SELECT (COUNT(DISTINCT ?d) AS ?c) WHERE {{ {where} }}")
        assert isinstance(rows, ox.QuerySolutions)
        count = int(next(iter(rows))["c"].value)
        if not count:
            continue
        renamed += count
        work.update(
            f"DELETE {{ ?d ?p ?o }} INSERT {{ ?n ?p ?o . ?n <{OWL}sameAs> ?d }} "
            f"WHERE {{ {where} ?d ?p ?o }} ;\n"
            f"DELETE {{ ?s ?p ?d }} INSERT {{ ?s ?p ?n }} "
            f"WHERE {{ ?n <{OWL}sameAs> ?d FILTER(STRSTARTS(STR(?n), \"{prefix}{kind}/\")) "
            f"?s ?p ?d FILTER(?p != <{OWL}sameAs>) }}")
    catalog = ox.NamedNode(f"{prefix}catalog")
    has_catalog = work.query(f"ASK {{ ?c a <{DCAT}Catalog> }}")
    if not has_catalog:
        work.add(ox.Quad(catalog, ox.NamedNode(RDF + "type"), ox.NamedNode(DCAT + "Catalog")))
        work.add(ox.Quad(catalog, ox.NamedNode(DCT + "title"), ox.Literal(title or source)))
        work.update(f"INSERT {{ <{catalog.value}> <{DCAT}dataset> ?d }} "
                    f"WHERE {{ ?d a <{DCAT}Dataset> }}")
    return renamed
