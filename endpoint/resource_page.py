"""A :class:`~endpoint.description.Description` as the one dict a resource page is made of:
the HTML page renders it, the JSON twin is it.

Every IRI on the page becomes a term ``{iri, label, href}``: the label is chosen among the
store's, the vocabulary's and the statements' own labels for the page's languages (see
:func:`graph.labels.best_label`), else a prefixed name; the href is where that IRI is
dereferenced on this endpoint (:meth:`Linker.href`). A decimal literal is written as the
page's language writes numbers (``shown``; money with two decimals), its exact value kept
(``value``).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from endpoint.description import Description
from endpoint.description import Statement
from endpoint.vocabulary import Vocabulary
from endpoint.vocabulary import is_code
from endpoint.vocabulary import is_ontology_term
from graph.canned.display import DECIMALS
from graph.canned.display import shown
from graph.labels import LABEL_PROPERTIES
from graph.labels import Label
from graph.labels import best_label
from graph.labels import compact
from graph.namespaces import CODE
from graph.namespaces import EPO
from graph.namespaces import OWL
from graph.namespaces import PSI
from graph.namespaces import RDF
from graph.namespaces import SCHEMA
from graph.namespaces import XSD

RDF_TYPE = RDF + "type"
OWL_SAME_AS = OWL + "sameAs"

MONEY_PROPERTIES = {
    SCHEMA + "amount",
    SCHEMA + "price",
    PSI + "chargeAmount",
    EPO + "hasAmountValue",
}
"""Properties whose values are sums of money (the registers' amounts): the property says
what a value is, as a canned query's header says what a column is."""

_UNSAFE_IN_PATH = ("%2f", "%3f", "%23", "#", "?")
"""What a WSGI server's decoded path cannot give back: such IRIs go to ``/describe``."""


@dataclass(frozen=True)
class Linker:
    """Where IRIs are dereferenced on this endpoint, and how they are named."""

    base_iri: str
    vocabulary: Vocabulary
    order: Sequence[str]
    """Languages to pick labels in, best first."""
    store_labels: dict[str, list[Label]]
    lang_param: str | None = None
    """``?lang=`` to carry along in links, when the reader chose a language."""

    def href(self, iri: str) -> str:
        """The page of ``iri`` here: ``/id/…`` under the base, ``/ontology#…`` for
        ``psi:`` terms, ``/code/…`` for code lists, ``/describe?iri=…`` for the rest."""
        if is_ontology_term(iri):
            return self.vocabulary.documentation_href(iri)
        if is_code(iri):
            path = "/code/" + iri[len(CODE):]
        elif self.base_iri and iri.startswith(self.base_iri) and len(iri) > len(self.base_iri) \
                and not any(mark in iri[len(self.base_iri):].lower() for mark in _UNSAFE_IN_PATH):
            path = "/id/" + iri[len(self.base_iri):]
        else:
            return "/describe?" + urlencode({"iri": iri, **self._lang()})
        return path + (f"?{urlencode(self._lang())}" if self.lang_param else "")

    def _lang(self) -> dict[str, str]:
        return {"lang": self.lang_param} if self.lang_param else {}

    def label(self, iri: str, extra: Iterable[Label] = ()) -> str:
        """The best label of ``iri`` in the page's languages, else its prefixed name."""
        found = [*extra, *self.store_labels.get(iri, ()), *self.vocabulary.labels(iri)]
        return best_label(found, self.order) or compact(iri)

    def property_term(self, iri: str) -> dict[str, str]:
        """A property as a term: linked to its page here when the vocabulary describes it,
        else to the IRI itself (its vocabulary's own documentation), since the store holds
        no statement about a property it merely uses."""
        term = self.term(iri)
        if not (is_ontology_term(iri) or is_code(iri) or self.vocabulary.knows(iri)
                or iri.startswith(self.base_iri)) and iri.startswith(("http://", "https://")):
            term["href"] = iri
        return term

    def term(self, iri: str) -> dict[str, str]:
        """``iri`` as the pages show it: its label, its prefixed name and its link."""
        return {"iri": iri, "label": self.label(iri), "name": compact(iri),
                "href": self.href(iri)}


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal, linker: Linker,
          blanks: dict[str, list[Statement]], predicate: str = "") -> dict[str, Any]:
    """One object of a statement, as the page shows it.

    :param predicate: the statement's property: a decimal of a property of
        :data:`MONEY_PROPERTIES` is written as an amount (two decimals).
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "iri", **linker.term(term.value)}
    if isinstance(term, ox.BlankNode):
        inner = blanks.get(term.value, [])
        return {"type": "blank", "id": term.value,
                "properties": property_groups(inner, linker, {})}
    data: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        data["language"] = term.language
    elif term.datatype.value != XSD + "string":
        data["datatype"] = compact(term.datatype.value)
        if term.datatype.value in DECIMALS:
            # 195300.00 reads 195 300,00 in French; the value itself stays in "value"
            kind = "amount" if predicate in MONEY_PROPERTIES else "number"
            data["shown"] = shown(term.value, term.datatype.value, kind, linker.order[0]).text
    return data


def property_groups(statements: Sequence[Statement], linker: Linker,
                    blanks: dict[str, list[Statement]]) -> list[dict[str, Any]]:
    """Statements grouped by property: labels first, then by the property's label.

    Values read from several graphs are shown once, with every graph they came from.
    """
    groups: dict[str, dict[str, Any]] = {}
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for statement in statements:
        predicate = statement.predicate.value
        group = groups.setdefault(predicate, {"property": linker.property_term(predicate),
                                              "values": []})
        key = (predicate, str(statement.object))
        if key in seen:
            if statement.graph not in seen[key]["graphs"]:
                seen[key]["graphs"].append(statement.graph)
            continue
        item = value(statement.object, linker, blanks, predicate)
        item["graphs"] = [statement.graph]
        seen[key] = item
        group["values"].append(item)
    first = {iri: n for n, iri in enumerate((RDF_TYPE, *LABEL_PROPERTIES))}
    language = linker.order[0]
    for group in groups.values():
        group["values"].sort(key=lambda item: item.get("language", language)
                             .split("-")[0] != language)
    return sorted(groups.values(), key=lambda g: (first.get(g["property"]["iri"], len(first)),
                                                  g["property"]["label"].lower()))


def resource_page(found: Description, linker: Linker) -> dict[str, Any]:
    """The dict of a resource page (see the module's docstring)."""
    about = [s for s in found.statements
             if isinstance(s.subject, ox.NamedNode) and s.subject.value == found.iri]
    blanks: dict[str, list[Statement]] = {}
    for statement in (*found.statements,
                      *(s for group in found.provenance.values() for s in group)):
        if isinstance(statement.subject, ox.BlankNode):
            blanks.setdefault(statement.subject.value, []).append(statement)
    own_labels = [(s.object.value, s.object.language or "", s.predicate.value)
                  for s in about if s.predicate.value in LABEL_PROPERTIES
                  and isinstance(s.object, ox.Literal)]
    types = list(dict.fromkeys(s.object.value for s in about if s.predicate.value == RDF_TYPE
                               and isinstance(s.object, ox.NamedNode)))
    graphs = []
    for graph in found.graphs:
        graphs.append({
            **linker.term(graph),
            "file": found.sources.get(graph),
            "provenance": property_groups(
                [s for s in found.provenance.get(graph, []) if s.subject.value == graph
                 and isinstance(s.subject, ox.NamedNode)], linker, blanks),
        })
    return {
        "iri": found.iri,
        "label": linker.label(found.iri, own_labels),
        "types": [linker.term(iri) for iri in types],
        "same_as": [s.object.value for s in about if s.predicate.value == OWL_SAME_AS
                    and isinstance(s.object, ox.NamedNode)],
        "properties": property_groups([s for s in about if s.predicate.value != RDF_TYPE],
                                      linker, blanks),
        "properties_truncated": found.truncated,
        "referenced_by": [{"resource": _subject(s, linker),
                           "property": linker.property_term(s.predicate.value),
                           "graph": s.graph}
                          for s in found.references],
        "referenced_by_truncated": found.more_references,
        "graphs": graphs,
    }


def _subject(statement: Statement, linker: Linker) -> dict[str, Any]:
    if isinstance(statement.subject, ox.NamedNode):
        return linker.term(statement.subject.value)
    return {"blank": statement.subject.value, "label": "_:" + statement.subject.value,
            "href": None}
