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

The renaming is done on the N-Triples written for the store (:func:`rename_ntriples`),
one pass over the lines: a SPARQL update moving every statement of every dataset in the
working store took four times longer.
"""

from __future__ import annotations

import hashlib
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


def localise(work: ox.Store, base_iri: str, source: str, title: str | None) -> dict[str, str]:
    """The new IRI of each DCAT node of ``work``'s default graph, by its original IRI.

    A source without a catalog gets one (added to ``work``). The renaming itself happens
    on the N-Triples that go to the store (:func:`rename_ntriples`).
    """
    prefix = prefix_of(base_iri, source)
    renames: dict[str, str] = {}
    for cls, kind in KINDS:
        rows = work.query(f"SELECT DISTINCT ?d WHERE {{ ?d a <{DCAT}{cls}> FILTER(isIRI(?d) && "
                          f"!STRSTARTS(STR(?d), \"{prefix}\")) }}")
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            original = row["d"].value
            if original not in renames:
                digest = hashlib.sha1(original.encode()).hexdigest()[:16]
                renames[original] = f"{prefix}{kind}/{digest}"
    catalog = ox.NamedNode(f"{prefix}catalog")
    if not work.query(f"ASK {{ ?c a <{DCAT}Catalog> }}"):
        work.add(ox.Quad(catalog, ox.NamedNode(RDF + "type"), ox.NamedNode(DCAT + "Catalog")))
        work.add(ox.Quad(catalog, ox.NamedNode(DCT + "title"), ox.Literal(title or source)))
        work.update(f"INSERT {{ <{catalog.value}> <{DCAT}dataset> ?d }} "
                    f"WHERE {{ ?d a <{DCAT}Dataset> }}")
    return renames


def rename_ntriples(data: bytes, renames: dict[str, str]) -> bytes:
    """Oxigraph's N-Triples with subjects and IRI objects renamed, plus one ``owl:sameAs``
    per renamed node.

    Oxigraph writes one statement per line, terms separated by single spaces; a subject is
    the first term, an IRI object the last before `` .``. Working on those lines is several
    times faster than a SPARQL update that moves every statement of every dataset.

    >>> rename_ntriples(b'<a> <p> <b> .\\n<b> <q> "x y" .\\n', {"b": "B"}).decode()
    '<a> <p> <B> .\\n<B> <q> "x y" .\\n<B> <http://www.w3.org/2002/07/owl#sameAs> <b> .\\n'
    """
    if not renames:
        return data
    table = {f"<{old}>".encode(): f"<{new}>".encode() for old, new in renames.items()}
    out = []
    for line in data.splitlines():
        subject, _, rest = line.partition(b" ")
        subject = table.get(subject, subject)
        if rest.endswith(b"> ."):
            predicate, _, obj = rest[:-2].partition(b" ")
            renamed = table.get(obj)
            if renamed is not None:
                rest = predicate + b" " + renamed + b" ."
        out.append(subject + b" " + rest)
    same = f"<{OWL}sameAs>".encode()
    out += [new + b" " + same + b" " + old + b" ." for old, new in table.items()]
    return b"\n".join(out) + b"\n"
