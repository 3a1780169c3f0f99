"""What a person reads for an IRI: its label from the store, else a short name.

The canned-query pages (``endpoint``) and ``psikg queries`` (the command line) both show
an answer's IRIs by their labels; both call :func:`labels` on their own
:class:`~graph.canned.run.Executor` (the query engine over HTTP, the embedded store), so
the same IRI gets the same label in both.

Labels are read with one query per page of results, whose IRIs are a ``VALUES`` block
written by pyoxigraph's serializer (:func:`graph.canned.binding.values_block`), the same
binding the canned queries use: an IRI from the data is a term, never text pasted into
SPARQL. The label of an IRI is the first of :data:`LABEL_PROPERTIES` it has, in the
reader's language as :func:`graph.languages.pick` chooses it. ``skos:prefLabel`` comes
first: psikg writes a beneficiary's most frequent spelling there, untagged.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

import pyoxigraph as ox

from graph.canned.binding import values_block
from graph.canned.run import Cell
from graph.canned.run import Executor
from graph.languages import pick
from graph.namespaces import DCT
from graph.namespaces import DISPLAY_PREFIXES
from graph.namespaces import FOAF
from graph.namespaces import RDFS
from graph.namespaces import SCHEMA
from graph.namespaces import SKOS

LABEL_PROPERTIES = (
    SKOS + "prefLabel",
    RDFS + "label",
    FOAF + "name",
    SCHEMA + "name",
    DCT + "title",
)
"""Where a label is read from, in this order of preference."""
MAX_LABELLED = 500
"""Most distinct IRIs of one page that get a label; the rest show as IRIs."""



def compact(iri: str) -> str:
    """A prefixed name for ``iri`` if a known prefix fits, else the IRI.

    >>> compact("http://purl.org/dc/terms/title")
    'dct:title'
    """
    for prefix, namespace in DISPLAY_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def short_name(iri: str, base_iri: str) -> str:
    """``iri``'s path under the base IRI, else a prefixed name, else the IRI.

    >>> short_name("https://b.example/body/1", "https://b.example/")
    'body/1'
    >>> short_name("https://schema.org/name", "https://b.example/")
    'schema:name'
    """
    if base_iri and iri.startswith(base_iri) and iri != base_iri:
        return iri[len(base_iri):]
    return compact(iri)


def iris_of(rows: Iterable[Sequence[Cell]], most: int | None = MAX_LABELLED
            ) -> list[ox.NamedNode]:
    """The distinct IRIs of ``rows``, in the order they first appear, at most ``most``."""
    iris: dict[ox.NamedNode, None] = {}
    for row in rows:
        for cell in row:
            if isinstance(cell, ox.NamedNode):
                iris[cell] = None
                if most is not None and len(iris) >= most:
                    return list(iris)
    return list(iris)


def labels(executor: Executor, rows: Iterable[Sequence[Cell]], order: Sequence[str],
           most: int | None = MAX_LABELLED) -> dict[str, str]:
    """A label for each IRI of ``rows`` that has one, chosen by ``order``.

    :param order: languages to try, best first (:func:`graph.languages.fallback_order`).
    :param most: how many distinct IRIs get a label, ``None`` for all of them (a
        download); they are read :data:`MAX_LABELLED` to a query.
    :returns: label by IRI; IRIs without a label are left out.
    """
    iris = iris_of(rows, most)
    found: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for start in range(0, len(iris), MAX_LABELLED):
        for solution in executor.select(label_query(iris[start:start + MAX_LABELLED])):
            iri, label, prop = solution["iri"], solution["label"], solution["p"]
            if isinstance(iri, ox.NamedNode) and isinstance(label, ox.Literal) \
                    and prop is not None:
                by_property = found.setdefault(iri.value, {})
                by_property.setdefault(prop.value, []).append(
                    (label.value, label.language or ""))
    chosen = {iri: choose(by_property, order) for iri, by_property in found.items()}
    return {iri: text for iri, text in chosen.items() if text}


def choose(by_property: dict[str, list[tuple[str, str]]], order: Sequence[str]) -> str:
    """The label of one IRI: the first property of :data:`LABEL_PROPERTIES` it has, its
    value in the best language of ``order``.

    >>> choose({"https://schema.org/name": [("Ville de Namur", "")],
    ...         "http://www.w3.org/2004/02/skos/core#prefLabel": [("Namur", "")]}, ("fr",))
    'Namur'
    """
    for prop_iri in LABEL_PROPERTIES:
        text = pick(by_property.get(prop_iri, []), order)
        if text:
            return text
    return ""


def names(rows: Iterable[Sequence[Cell]], found: dict[str, str], base_iri: str
          ) -> dict[str, str]:
    """What a table shows for each IRI of ``rows``: its label, else its path under the base
    IRI, else a prefixed name, else the IRI.

    >>> names([(ox.NamedNode("https://b.example/body/1"),)], {}, "https://b.example/")
    {'https://b.example/body/1': 'body/1'}
    """
    shown: dict[str, str] = {}
    for row in rows:
        for cell in row:
            if isinstance(cell, ox.NamedNode) and cell.value not in shown:
                shown[cell.value] = found.get(cell.value) or short_name(cell.value, base_iri)
    return shown


def label_query(iris: Sequence[ox.NamedNode]) -> str:
    """The SELECT reading the labels of ``iris``.

    >>> "VALUES ?iri { <http://example.org/a> }" in label_query([ox.NamedNode("http://example.org/a")])
    True
    """
    return (f"SELECT ?iri ?p ?label WHERE {{ {values_block({'iri': list(iris)})} "
            f"?iri ?p ?label FILTER(isLiteral(?label) && ?p IN ({label_properties()})) }}")


def label_properties() -> str:
    """:data:`LABEL_PROPERTIES` as the list of a SPARQL ``IN``.

    A label query reads each IRI's own statements and keeps its labels: with the properties
    in a second ``VALUES`` block Oxigraph may start from them instead, and read every name
    of every beneficiary of a register (a resource page of a 100,000-row register spent
    150 ms there, against 3 ms).
    """
    return ", ".join(str(ox.NamedNode(p)) for p in LABEL_PROPERTIES)
