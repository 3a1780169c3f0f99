"""What a person reads for an IRI: its label from the store, else a short name.

The canned-query pages (``endpoint``) and ``psikg queries`` (the command line) both show
an answer's IRIs by their labels; both call :func:`labels` on their own
:class:`~graph.canned.run.Executor` (the query engine over HTTP, the embedded store), so
the same IRI gets the same label in both.

Labels are read with one query per page of results, whose IRIs are a ``VALUES`` block
written by pyoxigraph's serializer (:func:`graph.canned.binding.values_block`), the same
binding the canned queries use: an IRI from the data is a term, never text pasted into
SPARQL.

Which label wins (:func:`best_label`): a label the reader can read (one in a language of
theirs, or untagged: a name reads the same in every language) beats one they cannot. Among
those, the property decides, in the order of :data:`LABEL_PROPERTIES`; within it, the
reader's order of languages, then the smallest text (never the order the store gave). So a
Dutch reader gets a body's ``rdfs:label`` in Dutch before its ``skos:prefLabel`` in French,
and a beneficiary's preferred label (its most frequent spelling) before the other spellings
of its name. The canned results, the linked-data pages and the catalog's facets all choose
this way.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

import pyoxigraph as ox

from graph.canned.binding import values_block
from graph.canned.run import Cell
from graph.canned.run import Executor
from graph.languages import UNTAGGED
from graph.languages import pick
from graph.namespaces import DCT
from graph.namespaces import DISPLAY_PREFIXES
from graph.namespaces import EPO
from graph.namespaces import FOAF
from graph.namespaces import RDFS
from graph.namespaces import SCHEMA
from graph.namespaces import SKOS
from graph.namespaces import VCARD

LABEL_PROPERTIES = (
    SKOS + "prefLabel",
    RDFS + "label",
    DCT + "title",
    FOAF + "name",
    SCHEMA + "name",
    VCARD + "fn",
    EPO + "hasLegalName",
    EPO + "hasTitle",
)
"""Where a label is read from, best first among labels of one language. ``skos:prefLabel``
is the one label SKOS allows per language, and psikg writes there the most frequent of a
beneficiary's spellings (the registers spell one name several ways, in ``schema:name``);
``rdfs:label`` is what the ontology and most vocabularies give; a title or a name is what
the data gives when nothing was meant as a label (a dataset's title, an organisation's
name, a contact's formatted name, an eProcurement party's legal name before a lot's
title)."""
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


Label = tuple[str, str, str]
"""A label as found: its text, its language tag (``""`` for none) and its property's IRI."""


def choose(by_property: dict[str, list[tuple[str, str]]], order: Sequence[str]) -> str:
    """The label of one IRI, from its ``(text, language tag)`` labels by property.

    >>> choose({"https://schema.org/name": [("Ville de Namur", "")],
    ...         "http://www.w3.org/2004/02/skos/core#prefLabel": [("Namur", "")]}, ("fr",))
    'Namur'
    """
    return best_label(((text, tag, prop) for prop, values in by_property.items()
                       for text, tag in values), order) or ""


def best_label(found: Iterable[Label], order: Sequence[str]) -> str | None:
    """The label that wins among one IRI's labels (see the module's docstring).

    :param order: languages, best first (:func:`graph.languages.fallback_order`); those up
        to ``""`` (untagged) are the reader's.

    >>> best_label([("VILLE DE LIEGE", "", "https://schema.org/name"),
    ...             ("Ville de Liège", "", "http://www.w3.org/2004/02/skos/core#prefLabel"),
    ...             ("Luik", "nl", "https://schema.org/name")], ("fr", "", "nl"))
    'Ville de Liège'
    >>> best_label([("Namur", "fr", "http://www.w3.org/2004/02/skos/core#prefLabel"),
    ...             ("Namen", "nl", "http://www.w3.org/2000/01/rdf-schema#label")],
    ...            ("nl", "", "fr"))
    'Namen'
    """
    labels = list(found)
    readable = {*(order[:order.index(UNTAGGED)] if UNTAGGED in order else order), UNTAGGED}
    for candidates in ([v for v in labels if _language(v[1]) in readable], labels):
        if candidates:
            rank = min(_RANK.get(prop, len(_RANK)) for _, _, prop in candidates)
            return pick([(text, tag) for text, tag, prop in candidates
                         if _RANK.get(prop, len(_RANK)) == rank], order)
    return None


def _language(tag: str) -> str:
    return tag.split("-")[0].lower()


_RANK = {prop: rank for rank, prop in enumerate(LABEL_PROPERTIES)}


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
