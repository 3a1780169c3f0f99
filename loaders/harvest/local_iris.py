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

The renaming is done on the N-Triples written for the store, one part at a time while the
store loads the parts before (:func:`renamed_parts`), with two regular-expression passes
over a part: one call per run of lines sharing a subject, one per line whose predicate may
point at a renamed node. A SPARQL update moving every statement of every dataset in the
working store took four times longer than a loop over the lines, and that loop (one Python
step per line) twice as long as these passes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox

from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import OWL
from graph.namespaces import RDF

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


def referring_predicates(work: ox.Store) -> list[str]:
    """Predicates of ``work``'s default graph whose object is a DCAT node: the only lines
    :func:`rename_ntriples` has to look at for a renamed object."""
    kinds = " ".join(f"<{DCAT}{cls}>" for cls, _ in KINDS)
    rows = work.query(f"SELECT DISTINCT ?p WHERE {{ VALUES ?t {{ {kinds} }} ?o a ?t . "
                      f"?s ?p ?o FILTER(isIRI(?o)) }}")
    assert isinstance(rows, ox.QuerySolutions)
    return sorted(row["p"].value for row in rows)


_SUBJECT_RUN = re.compile(rb"^(<[^>\n]*>) [^\n]*\n(?:\1 [^\n]*\n)*", re.MULTILINE)
"""Lines that share an IRI subject, one after another (Oxigraph writes a subject's
statements together; if it did not, each line would be a run of its own)."""


def rename_ntriples(data: bytes, table: dict[bytes, bytes], referring: list[str]) -> bytes:
    """Oxigraph's N-Triples with renamed subjects and renamed IRI objects of the
    ``referring`` predicates; ``table`` maps ``<old>`` to ``<new>`` (:func:`iri_table`).

    Oxigraph writes one statement per line, terms separated by single spaces, and never a
    raw line break inside a literal; a subject is the first term, an IRI object the last
    before `` .``. Text inside literals is never touched.

    >>> print(rename_ntriples(b'<a> <p> <b> .\\n<b> <q> "<b> x" .\\n<b> <p> <b> .\\n',
    ...                       iri_table({"b": "B"}), ["p"]).decode(), end="")
    <a> <p> <B> .
    <B> <q> "<b> x" .
    <B> <p> <B> .
    """
    if not table:
        return data
    get = table.get

    def subject_run(match: re.Match[bytes]) -> bytes:
        old = match[1]
        new = get(old)
        if new is None:
            return match[0]
        return new + match[0][len(old):].replace(b"\n" + old + b" ", b"\n" + new + b" ")

    if data and not data.endswith(b"\n"):
        data += b"\n"
    data = _SUBJECT_RUN.sub(subject_run, data)
    if referring:
        alternatives = b"|".join(re.escape(f"<{p}>".encode()) for p in referring)
        objects = re.compile(rb" (?:" + alternatives + rb") (<[^>\n]*>) \.$", re.MULTILINE)

        def renamed_object(match: re.Match[bytes]) -> bytes:
            new = get(match[1])
            if new is None:
                return match[0]
            return match[0][:match.start(1) - match.start(0)] + new + b" ."

        data = objects.sub(renamed_object, data)
    return data


def same_as_ntriples(table: dict[bytes, bytes]) -> bytes:
    """One ``<new> owl:sameAs <original>`` line per renamed node."""
    same = f" <{OWL}sameAs> ".encode()
    return b"".join(new + same + old + b" .\n" for old, new in table.items())


def iri_table(renames: dict[str, str]) -> dict[bytes, bytes]:
    """New IRIs by original IRI, both as N-Triples terms (``<…>``)."""
    return {f"<{old}>".encode(): f"<{new}>".encode() for old, new in renames.items()}


_BLANK_LINE = re.compile(rb"^[^\n]*_:[^\n]*\n", re.MULTILINE)
"""A line that may name a blank node (or just hold ``_:`` in a literal)."""

FIRST_PART_BYTES = 2 << 20
"""The first part is small, so that the store starts within a fraction of a second."""
PART_BYTES = 16 << 20
"""Each next part is twice the last, up to this: a large catalog goes in a handful of
parts, then a last one (blank-node lines and ``owl:sameAs``); ``bench/harvest.py``
measured the sizes."""


def renamed_parts(data: bytes, renames: dict[str, str], referring: list[str],
                  first: int = FIRST_PART_BYTES, most: int = PART_BYTES) -> Iterator[bytes]:
    """Oxigraph's N-Triples renamed (:func:`rename_ntriples`) one part at a time, cut between
    lines, then the ``owl:sameAs`` lines; each is renamed only when asked for, so that the
    store loads a part while the next one is renamed.

    Each ``bulk_load`` call has blank nodes of its own: the lines that may name one all go
    in the last part, so that a blank node keeps its statements together.

    >>> parts = renamed_parts(b'<a> <p> <b> .\\n<b> <q> _:x .\\n_:x <p> "1" .\\n<c> <p> "2" .\\n',
    ...                       {"b": "B"}, ["p"], first=8, most=16)
    >>> for part in parts:
    ...     print(part.decode().replace(OWL, "owl:"), end="--\\n")
    <a> <p> <B> .
    --
    <c> <p> "2" .
    --
    <B> <q> _:x .
    _:x <p> "1" .
    <B> <owl:sameAs> <b> .
    --
    """
    table = iri_table(renames)
    blank = b""
    if b"_:" in data:
        blank = b"".join(_BLANK_LINE.findall(data))
        data = _BLANK_LINE.sub(b"", data)
    start, size = 0, first
    while start < len(data):
        end = data.find(b"\n", start + size - 1) + 1 or len(data)
        yield rename_ntriples(data[start:end], table, referring)
        start, size = end, min(size * 2, most)
    yield rename_ntriples(blank, table, referring) + same_as_ntriples(table)
