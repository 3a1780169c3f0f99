"""What the store and the vocabulary say about one IRI: the statements about it (with the
blank nodes it points to), the statements that point to it, the named graphs they sit in,
and what the metadata graph records of those graphs.

Four short SELECTs go to the query engine. The IRI enters their text only as a
:class:`pyoxigraph.NamedNode`, which refuses anything that is not an IRI and writes it
escaped, so no user text is ever spliced into SPARQL. :mod:`endpoint.resources` turns a
:class:`Description` into the page, its JSON twin and its RDF.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

import pyoxigraph as ox

from endpoint.engine_source import EngineSource
from endpoint.vocabulary import Vocabulary
from graph.labels import Label
from graph.labels import label_properties
from graph.namespaces import PSI_COMPLIANCE
from graph.namespaces import SH
from graph.namespaces import meta_graph
from graph.store import STAGING_PREFIX

MAX_STATEMENTS = 2000
"""Most statements about a resource a page shows; a catalog of 20,000 datasets is cut."""
MAX_REFERENCES = 100
"""Most statements pointing to a resource a page shows; the rest are one query away."""
MAX_LABELLED = 400
"""Most IRIs whose labels are looked up in the store for one page."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Statement:
    """One statement of the description, with the graph it was read from."""

    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    object: Term
    graph: str


@dataclass
class Description:
    """Everything one page shows about ``iri``."""

    iri: str
    statements: list[Statement] = field(default_factory=list)
    """About the IRI, and about the blank nodes it points to."""
    references: list[Statement] = field(default_factory=list)
    """Statements whose object is the IRI."""
    truncated: bool = False
    """More statements about the IRI exist than :data:`MAX_STATEMENTS`."""
    more_references: bool = False
    provenance: dict[str, list[Statement]] = field(default_factory=dict)
    """Graph name → what the metadata graph (or the vocabulary) says of it."""
    sources: dict[str, str] = field(default_factory=dict)
    """Graph name → the vocabulary file it was read from, for vocabulary graphs."""
    labels: dict[str, list[Label]] = field(default_factory=dict)
    """IRI → ``(text, language)`` labels found in the store for the IRIs on the page."""

    @property
    def found(self) -> bool:
        return bool(self.statements or self.references)

    @property
    def graphs(self) -> list[str]:
        """The graphs the statements about the IRI come from, in first-seen order."""
        return list(dict.fromkeys(s.graph for s in self.statements if s.subject.value ==
                                  self.iri and isinstance(s.subject, ox.NamedNode)))

    def triples(self) -> list[ox.Triple]:
        """The description as triples (each once, whatever graphs repeat it)."""
        seen = dict.fromkeys(ox.Triple(s.subject, s.predicate, s.object)
                             for s in (*self.statements, *self.references))
        return list(seen)


def describe(source: EngineSource, vocabulary: Vocabulary, iri: str, base_iri: str) -> Description:
    """Read what the store and the vocabulary say about ``iri``.

    :param source: the engine, under the request's deadline.
    :param iri: an IRI already checked by :class:`pyoxigraph.NamedNode`.
    :raises HttpError: 503 if the engine runs past the deadline, 502 if it fails.
    """
    node = ox.NamedNode(iri)
    found = Description(iri)
    rows = list(source.query(_OUTGOING.format(
        node=node, staging=ox.Literal(STAGING_PREFIX), limit=MAX_STATEMENTS + 1)))
    found.truncated = len(rows) > MAX_STATEMENTS
    _outgoing(found, rows[:MAX_STATEMENTS], node)
    _vocabulary_statements(found, vocabulary, node)
    rows = list(source.query(_INCOMING.format(node=node, staging=ox.Literal(STAGING_PREFIX),
                                              meta=ox.NamedNode(meta_graph(base_iri)),
                                              bookkeeping=ox.Literal(PSI_COMPLIANCE),
                                              shacl=ox.Literal(SH),
                                              limit=MAX_REFERENCES + 1)))
    found.more_references = len(rows) > MAX_REFERENCES
    for row in rows[:MAX_REFERENCES]:
        found.references.append(Statement(row["s"], row["p"], node, row["g"].value))
    for quad in vocabulary.store.quads_for_pattern(None, None, node):
        if len(found.references) < MAX_REFERENCES and isinstance(quad.graph_name, ox.NamedNode) \
                and not isinstance(quad.subject, ox.Triple):
            found.references.append(Statement(quad.subject, quad.predicate, node,
                                              quad.graph_name.value))
    _provenance(found, source, vocabulary, base_iri)
    found.labels = store_labels(source, _iris_on_page(found))
    return found


_OUTGOING = """SELECT ?g ?p ?o ?bp ?bo WHERE {{
  GRAPH ?g {{ {node} ?p ?o OPTIONAL {{ ?o ?bp ?bo FILTER(isBlank(?o)) }} }}
  FILTER(!STRSTARTS(STR(?g), {staging}))
}} LIMIT {limit}"""

_INCOMING = """SELECT ?g ?s ?p WHERE {{
  GRAPH ?g {{ ?s ?p {node} }}
  FILTER(!STRSTARTS(STR(?g), {staging}))
  FILTER(?g != {meta} || !STRSTARTS(STR(?p), {bookkeeping}) && !STRSTARTS(STR(?p), {shacl}))
}} LIMIT {limit}"""
"""What points to a resource, but psikg's own records of its validations in the metadata
graph (a body's page would list every finding of every load that checked it)."""

_META = """SELECT ?g ?p ?o ?bp ?bo WHERE {{
  VALUES ?g {{ {graphs} }}
  GRAPH {meta} {{ ?g ?p ?o OPTIONAL {{ ?o ?bp ?bo FILTER(isBlank(?o)) }} }}
}}"""

_LABELS = """SELECT ?x ?l ?lp WHERE {{
  VALUES ?x {{ {iris} }}
  GRAPH ?g {{ ?x ?lp ?l }}
  FILTER(isLiteral(?l) && ?lp IN ({predicates}))
}}"""
"""Each IRI's own statements, its labels kept (:func:`graph.labels.label_properties` says
why not a second ``VALUES``)."""


def _outgoing(found: Description, rows: Iterable[ox.QuerySolution], node: ox.NamedNode) -> None:
    """Add the statements of ``?g ?p ?o ?bp ?bo`` rows about ``node`` to ``found``; the
    OPTIONAL repeats a statement once per property of its blank node."""
    seen: set[Statement] = set()
    for row in rows:
        graph = row["g"].value
        statements = [Statement(node, row["p"], row["o"], graph)]
        if row["bp"] is not None:
            statements.append(Statement(row["o"], row["bp"], row["bo"], graph))
        for statement in statements:
            if statement not in seen:
                seen.add(statement)
                found.statements.append(statement)


def _vocabulary_statements(found: Description, vocabulary: Vocabulary,
                           node: ox.NamedNode) -> None:
    """Add what the ontology, code lists and label file say of ``node`` (one level of
    blank nodes, as for the store)."""
    for quad in vocabulary.store.quads_for_pattern(node, None, None):
        assert isinstance(quad.graph_name, ox.NamedNode)
        graph = quad.graph_name.value
        found.sources[graph] = vocabulary.sources[graph]
        if isinstance(quad.object, ox.Triple):
            continue  # RDF 1.2 quoted triples: the vocabulary has none
        found.statements.append(Statement(node, quad.predicate, quad.object, graph))
        if isinstance(quad.object, ox.BlankNode):
            for inner in vocabulary.store.quads_for_pattern(quad.object, None, None):
                if not isinstance(inner.object, ox.Triple):
                    found.statements.append(Statement(quad.object, inner.predicate,
                                                      inner.object, graph))


def _provenance(found: Description, source: EngineSource, vocabulary: Vocabulary,
                base_iri: str) -> None:
    """What the metadata graph records of each graph the description comes from."""
    graphs = [g for g in found.graphs if g not in found.sources]
    for graph in found.graphs:
        found.provenance[graph] = []
    if not graphs:
        return
    meta = ox.NamedNode(meta_graph(base_iri))
    rows = source.query(_META.format(graphs=" ".join(str(ox.NamedNode(g)) for g in graphs),
                                     meta=meta))
    seen: set[Statement] = set()
    for row in rows:
        graph = row["g"]
        statements = [Statement(graph, row["p"], row["o"], meta.value)]
        if row["bp"] is not None:
            statements.append(Statement(row["o"], row["bp"], row["bo"], meta.value))
        for statement in statements:
            if statement not in seen:
                seen.add(statement)
                found.provenance[graph.value].append(statement)


def _iris_on_page(found: Description) -> list[str]:
    iris: dict[str, None] = {}
    for statement in (*found.statements, *found.references,
                      *(s for group in found.provenance.values() for s in group)):
        for term in (statement.subject, statement.object):
            if isinstance(term, ox.NamedNode):
                iris[term.value] = None
    iris.update(dict.fromkeys(found.provenance))
    return list(iris)[:MAX_LABELLED]


def store_labels(source: EngineSource, iris: list[str]) -> dict[str, list[Label]]:
    """The labels the store holds for ``iris`` (:data:`graph.labels.LABEL_PROPERTIES`)."""
    if not iris:
        return {}
    rows = source.query(_LABELS.format(
        iris=" ".join(str(ox.NamedNode(iri)) for iri in iris),
        predicates=label_properties()))
    found: dict[str, list[Label]] = {}
    for row in rows:
        literal = row["l"]
        assert isinstance(literal, ox.Literal)
        found.setdefault(row["x"].value, []).append(
            (literal.value, literal.language or "", row["lp"].value))
    return found
