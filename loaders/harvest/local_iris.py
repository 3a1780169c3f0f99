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

The renaming is done on the N-Triples written for the store (:func:`renamed_parts`),
one pass over the lines, part by part while the store loads the previous part: a SPARQL
update moving every statement of every dataset in the working store took four times longer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
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


PART_BYTES = 16 << 20
"""Size of the parts the renamed N-Triples go to the store in (:func:`renamed_parts`)."""


def rename_ntriples(data: bytes, renames: dict[str, str]) -> bytes:
    """Oxigraph's N-Triples with subjects and IRI objects renamed, plus one ``owl:sameAs``
    per renamed node (:func:`renamed_parts` in one piece).

    >>> rename_ntriples(b'<a> <p> <b> .\\n<b> <q> "x y" .\\n', {"b": "B"}).decode()
    '<a> <p> <B> .\\n<B> <q> "x y" .\\n<B> <http://www.w3.org/2002/07/owl#sameAs> <b> .\\n'
    """
    return b"".join(renamed_parts(data, renames))


def renamed_parts(data: bytes, renames: dict[str, str],
                  part_bytes: int = PART_BYTES) -> Iterator[bytes]:
    """:func:`rename_ntriples` cut into N-Triples documents of about ``part_bytes``, made one
    at a time, so that the store loads one part while the next is renamed.

    Each part is loaded with blank nodes of its own, so every line that holds ``_:`` goes to
    the last part, with the ``owl:sameAs`` lines. Oxigraph writes one statement per line,
    terms separated by single spaces; a subject is the first term, an IRI object the last
    before `` .``. Working on those lines is several times faster than a SPARQL update that
    moves every statement of every dataset.

    >>> for part in renamed_parts(b'<a> <p> _:x .\\n_:x <q> "1" .\\n<b> <q> "2" .\\n'
    ...                           b'<c> <q> "3" .\\n', {"c": "C"}, part_bytes=1):
    ...     print(part.decode().replace("http://www.w3.org/2002/07/owl#", "owl:"), end="|")
    <b> <q> "2" .
    |<C> <q> "3" .
    |<a> <p> _:x .
    _:x <q> "1" .
    <C> <owl:sameAs> <c> .
    |
    """
    table = {f"<{old}>".encode(): f"<{new}>".encode() for old, new in renames.items()}
    get = table.get
    blank: list[bytes] = []
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + part_bytes)
        end = len(data) if end < 0 else end + 1
        out: list[bytes] = []
        for line in data[start:end].splitlines():
            subject, _, rest = line.partition(b" ")
            subject = get(subject, subject)
            if rest.endswith(b"> ."):
                predicate, _, obj = rest[:-2].partition(b" ")
                renamed = get(obj)
                if renamed is not None:
                    rest = predicate + b" " + renamed + b" ."
            (blank if b"_:" in line else out).append(subject + b" " + rest)
        start = end
        if out:
            yield b"\n".join(out) + b"\n"
    same = f"<{OWL}sameAs>".encode()
    blank += [new + b" " + same + b" " + old + b" ." for old, new in table.items()]
    if blank:
        yield b"\n".join(blank) + b"\n"
