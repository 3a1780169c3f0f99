"""Metadata quality: data.europa.eu's MQA score per dataset, publisher and source; a decree score.

The MQA dimensions and weights (``reference/mqa.md``; 405 points at most):

- findability 100: keyword 30, theme 30, spatial 20, temporal 20 (dataset);
- accessibility 100: access URL answers 50, download URL given 20, download URL answers 30
  (distributions). URLs are checked only when asked (:func:`score_graph` ``reachable``);
  unchecked, the access URL counts when it is given and a download URL's 30 points are not
  awarded;
- interoperability 110: format 20, media type 10, format or media type from the vocabulary
  10, non-proprietary 20, machine-readable 20 (distributions; the flags of psikg's
  ``file-type`` code list, which follows data.europa.eu's lists), DCAT-AP compliance 30
  (dataset: the published catalog would keep it whole, see :mod:`graph.catalog_rules`);
- reusability 75: licence 20, known licence 10 (distributions), access rights 10, access rights
  from the vocabulary 5, contact point 20, publisher 10 (dataset);
- contextuality 20: rights 5, byte size 5 (distributions), issued 5, modified 5 (dataset).

A distribution-level indicator scores ``weight × share of the dataset's distributions
that pass``. Bands: excellent from 351, good from 221, sufficient from 121, bad below.

The decree score is the share of the decree's shape groups (one per article file in
``ontology/shapes``) with no violation on the dataset or its distributions.

Scores are stored as DQV: ``?m a dqv:QualityMeasurement ; dqv:computedOn ?dataset ;
dqv:isMeasurementOf pv:score ; dqv:value 312.5``, with the piveau metric IRIs
(``https://piveau.eu/ns/voc#``) for each indicator and ``psiq:decreeScore`` for the decree.
"""

from __future__ import annotations

import functools
import hashlib
import statistics
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

import pyoxigraph as ox

from graph import settings
from graph.catalog_rules import materialise
from graph.catalog_rules import prune
from graph.namespaces import ACCESS_RIGHT
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import DQV
from graph.namespaces import FILE_TYPE
from graph.namespaces import LICENCE
from graph.namespaces import PIVEAU
from graph.namespaces import PROV
from graph.namespaces import PSI
from graph.namespaces import PSI_QUALITY
from graph.namespaces import RDF
from graph.namespaces import XSD
from graph.store_api import StoreReader

DATASET_INDICATORS: dict[str, tuple[float, str]] = {
    "keywordAvailability": (30, f"<{DCAT}keyword>"),
    "categoryAvailability": (30, f"<{DCAT}theme>"),
    "spatialAvailability": (20, f"<{DCT}spatial>"),
    "temporalAvailability": (20, f"<{DCT}temporal>"),
    "accessRightsAvailability": (10, f"<{DCT}accessRights>"),
    "contactPointAvailability": (20, f"<{DCAT}contactPoint>"),
    "publisherAvailability": (10, f"<{DCT}publisher>"),
    "dateIssuedAvailability": (5, f"<{DCT}issued>"),
    "dateModifiedAvailability": (5, f"<{DCT}modified>"),
}
DISTRIBUTION_INDICATORS: dict[str, tuple[float, str]] = {
    "accessUrlStatusCode": (50, f"<{DCAT}accessURL>"),
    "downloadUrlAvailability": (20, f"<{DCAT}downloadURL>"),
    "formatAvailability": (20, f"<{DCT}format>"),
    "mediaTypeAvailability": (10, f"<{DCAT}mediaType>"),
    "licenceAvailability": (20, f"<{DCT}license>"),
    "rightsAvailability": (5, f"<{DCT}rights>"),
    "byteSizeAvailability": (5, f"<{DCAT}byteSize>"),
}
BANDS = ((351, "excellent"), (221, "good"), (121, "sufficient"), (0, "bad"))


def band(points: float) -> str:
    """The MQA band of a score.

    >>> band(351), band(350.9), band(121), band(120)
    ('excellent', 'good', 'sufficient', 'bad')
    """
    return next(name for floor, name in BANDS if points >= floor)


@dataclass
class DatasetScore:
    """One dataset's points per indicator, their sum, and the decree score if computed."""

    dataset: str
    graph: str
    publisher: str | None
    points: dict[str, float] = field(default_factory=dict)
    decree: float | None = None
    unscored_publisher: str | None = None
    """Why the dataset's publisher gets no mean of its own, if it has none: a blank node or a
    literal has no IRI that a measurement could be computed on (the dataset is scored)."""

    @property
    def total(self) -> float:
        return round(sum(self.points.values()), 1)

    @property
    def band(self) -> str:
        return band(self.total)


Reachable = Callable[[str], bool]
"""Whether a URL answers with a success status (the caller applies the fetch safety rules)."""


def score_graph(store: StoreReader, graph: str, reachable: Reachable | None = None
                ) -> list[DatasetScore]:
    """The MQA points of every dataset of ``graph`` (IRI datasets only)."""
    g = f"<{graph}>"
    rows = store.query(f"SELECT ?d (SAMPLE(?iri) AS ?publisher) (SAMPLE(?other) AS ?odd) WHERE "
                       f"{{ GRAPH {g} {{ ?d a <{DCAT}Dataset> FILTER(isIRI(?d)) OPTIONAL {{ "
                       f"?d <{DCT}publisher> ?pub BIND(IF(isIRI(?pub), ?pub, ?none) AS ?iri) "
                       "BIND(IF(isIRI(?pub), ?none, ?pub) AS ?other) } } } GROUP BY ?d ORDER BY ?d")
    scores = {r["d"].value: DatasetScore(r["d"].value, graph, r["publisher"].value
                                         if r["publisher"] else None,
                                         unscored_publisher=_unscored(r["publisher"], r["odd"]))
              for r in rows}
    for name, (weight, prop) in DATASET_INDICATORS.items():
        for r in store.query(f"SELECT DISTINCT ?d WHERE {{ GRAPH {g} {{ ?d a <{DCAT}Dataset> ; "
                             f"{prop} ?v }} }}"):
            if r["d"].value in scores:
                scores[r["d"].value].points[name] = weight
    vocab = f"STRSTARTS(STR(?v), \"{ACCESS_RIGHT}\")"
    for r in store.query(f"SELECT DISTINCT ?d WHERE {{ GRAPH {g} {{ ?d <{DCT}accessRights> ?v "
                         f"FILTER({vocab}) }} }}"):
        if r["d"].value in scores:
            scores[r["d"].value].points["accessRightsVocabularyAlignment"] = 5
    _distribution_points(store, g, scores, reachable)
    _compliance(store, graph, scores)
    return list(scores.values())


def _unscored(publisher: ox.NamedNode | None, other: ox.BlankNode | ox.Literal | None
              ) -> str | None:
    """The reason a publisher is left out of the means per publisher.

    >>> print(_unscored(None, ox.Literal("Service SIG")))
    a literal, not an agent's IRI ('Service SIG')
    >>> _unscored(None, ox.BlankNode()), _unscored(ox.NamedNode("https://o.example/1"), None)
    ('a blank node, which no measurement can point to', None)
    """
    if publisher is not None or other is None:
        return None
    if isinstance(other, ox.Literal):
        return f"a literal, not an agent's IRI ({other.value!r})"
    return "a blank node, which no measurement can point to"


def _distribution_points(store: StoreReader, g: str, scores: dict[str, DatasetScore],
                         reachable: Reachable | None) -> None:
    """Distribution indicators: the weight times the share of distributions that pass.

    One query per property, each answering one row per value, so that the work grows with
    the number of values: a single query with one OPTIONAL per property would answer the
    product of every property's values for each distribution (three formats, three access
    URLs and two licences already make eighteen rows).
    """
    per: dict[str, dict[str, dict[str, float]]] = {}
    for row in store.query(f"SELECT DISTINCT ?d ?x WHERE {{ GRAPH {g} {{ "
                           f"?d <{DCAT}distribution> ?x }} }}"):
        if row["d"].value in scores:
            per.setdefault(row["d"].value, {})[str(row["x"])] = {}
    owners: dict[str, list[dict[str, float]]] = {}
    for dists in per.values():
        for x, dist in dists.items():
            owners.setdefault(x, []).append(dist)
    values = {prop: _values(store, g, prop) for prop in
              {prop for _, prop in DISTRIBUTION_INDICATORS.values()}}
    for x, points in _distribution_flags(owners, values, reachable).items():
        for dist in owners.get(x, ()):
            dist.update(points)
    for d, dists in per.items():
        names = {name for dist in dists.values() for name in dist}
        for name in names:
            scores[d].points[name] = round(
                sum(dist.get(name, 0) for dist in dists.values()) / len(dists), 2)


def _values(store: StoreReader, g: str, prop: str) -> dict[str, list[str]]:
    """Each distribution's values of ``prop`` (one row per value)."""
    found: dict[str, list[str]] = {}
    for row in store.query(f"SELECT DISTINCT ?x ?v WHERE {{ GRAPH {g} {{ "
                           f"?d <{DCAT}distribution> ?x . ?x {prop} ?v }} }}"):
        found.setdefault(str(row["x"]), []).append(row["v"].value)
    return found


def _distribution_flags(distributions: Iterable[str], values: dict[str, dict[str, list[str]]],
                        reachable: Reachable | None) -> dict[str, dict[str, float]]:
    """The points of each distribution, from its values of each property."""
    machine, open_formats = _format_flags()
    flags: dict[str, dict[str, float]] = {x: {} for x in distributions}
    for name, (weight, prop) in DISTRIBUTION_INDICATORS.items():
        for x in values[prop]:
            if x in flags:
                flags[x][name] = weight
    formats, media = values[f"<{DCT}format>"], values[f"<{DCAT}mediaType>"]
    for x, dist in flags.items():
        if any(f.startswith(FILE_TYPE) for f in formats.get(x, ())) or any(
                "iana.org/assignments/media-types/" in m for m in media.get(x, ())):
            dist["formatMediaTypeVocabularyAlignment"] = 10
        if any(f in machine for f in formats.get(x, ())):
            dist["formatMediaTypeMachineInterpretable"] = 20
        if any(f in open_formats for f in formats.get(x, ())):
            dist["formatMediaTypeNonProprietary"] = 20
        if any(lic.startswith(LICENCE) for lic in values[f"<{DCT}license>"].get(x, ())):
            dist["knownLicence"] = 10
        if reachable is not None:
            access = values[f"<{DCAT}accessURL>"].get(x, ())
            download = values[f"<{DCAT}downloadURL>"].get(x, ())
            dist["accessUrlStatusCode"] = 50 if any(map(reachable, access)) else 0
            dist["downloadUrlStatusCode"] = 30 if any(map(reachable, download)) else 0
    return flags


@functools.lru_cache(maxsize=1)
def _format_flags() -> tuple[frozenset[str], frozenset[str]]:
    """File types flagged machine-readable and open in psikg's ``file-type`` code list."""
    codes = ox.Store()
    codes.load(path=str(settings.CODELISTS_DIR / "file-type.ttl"), format=ox.RdfFormat.TURTLE)
    flagged = []
    for prop in ("machineReadable", "openFormat"):
        flagged.append(frozenset(q.subject.value for q in codes.quads_for_pattern(
            None, ox.NamedNode(PSI + prop), None) if isinstance(q.object, ox.Literal)
            and q.object.value == "true" and isinstance(q.subject, ox.NamedNode)))
    return flagged[0], flagged[1]


def _compliance(store: StoreReader, graph: str, scores: dict[str, DatasetScore]) -> None:
    """30 points when the published catalog would keep the dataset whole: no omission on it
    or on its distributions (:func:`graph.catalog_rules.prune`, run once on the graph after
    :func:`~graph.catalog_rules.materialise`, as the catalog does).

    The datasets' descriptions are taken from the graph read whole (every store reads a
    whole graph in checked pages), not from one CONSTRUCT on the store: Virtuoso cuts a
    CONSTRUCT answer at its row cap without saying so (``docs/engines.md``)."""
    whole = ox.Store()
    whole.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                      for t in ox.parse(store.graph_ntriples(graph),
                                        format=ox.RdfFormat.N_TRIPLES))
    page = ox.Store()
    found = whole.query(f"""
        CONSTRUCT {{ ?d ?p ?o . ?o ?p2 ?o2 }} WHERE {{
          ?d a <{DCAT}Dataset> ; ?p ?o FILTER(?p != <{DCAT}dataset>)
          OPTIONAL {{ ?o ?p2 ?o2 FILTER(!isLiteral(?o)) }} }}""")
    assert isinstance(found, ox.QueryTriples)
    page.extend(ox.Quad(t.subject, t.predicate, t.object) for t in found)
    owner = {q.object.value: q.subject.value for q in page.quads_for_pattern(
        None, ox.NamedNode(DCAT + "distribution"), None) if isinstance(q.object, ox.NamedNode)
        and isinstance(q.subject, ox.NamedNode)}
    materialise(page)
    faulty = {owner.get(o.node, o.node) for o in prune(page, [])}
    for dataset, score in scores.items():
        if dataset not in faulty:
            score.points["dcatApCompliance"] = 30


def add_decree_scores(store: StoreReader, graph: str, scores: list[DatasetScore]) -> None:
    """Set each score's ``decree``: the share of article shape groups it passes.

    The decree's shapes apply to what a platform lists (Art. 10, § 3). A harvested source is
    not listed by psikg's platform, so it is validated as if a platform of its own listed
    each of its datasets: the question asked is "would this pass if published under the
    decree?".
    """
    from rdflib import RDF as RDFLIB_TYPE
    from rdflib import URIRef

    from graph.validation.rdf_io import ntriples_to_rdflib
    from graph.validation.shacl import validate

    groups = [p for p in settings.shape_files() if p.name != "components.ttl"]
    data = ntriples_to_rdflib(store.graph_ntriples(graph))
    platform = URIRef(f"{graph}#as-listed")
    data.add((platform, RDFLIB_TYPE.type, URIRef(PSI + "Platform")))
    for score in scores:
        data.add((platform, URIRef(DCAT + "dataset"), URIRef(score.dataset)))
    report = validate(data)
    owner: dict[str, str] = {}
    for row in store.query(f"SELECT ?d ?x WHERE {{ GRAPH <{graph}> {{ ?d <{DCAT}distribution> "
                           "?x } }"):
        owner[row["x"].value] = row["d"].value
    failed: dict[str, set[str]] = {}
    for result in report.violations:
        dataset = owner.get(result.focus_node, result.focus_node)
        failed.setdefault(dataset, set()).add(result.article or result.source_shape)
    for score in scores:
        score.decree = round(1 - len(failed.get(score.dataset, set())) / len(groups), 3)


def aggregate(scores: list[DatasetScore], key: Callable[[DatasetScore], str | None]
              ) -> dict[str, float]:
    """The mean total per group (publisher, source), as data.europa.eu averages a catalog."""
    groups: dict[str, list[float]] = {}
    for score in scores:
        name = key(score)
        if name:
            groups.setdefault(name, []).append(score.total)
    return {name: round(statistics.fmean(values), 1) for name, values in sorted(groups.items())}


def measurements(scores: list[DatasetScore], graph: str, when: str) -> list[ox.Triple]:
    """The scores as DQV measurements: per dataset (each indicator, the total, the decree
    score), per publisher and for the source ``graph`` (mean totals)."""
    triples: list[ox.Triple] = []

    def measure(node: str, metric: str, value: float) -> None:
        digest = hashlib.sha256(f"{node} {metric}".encode()).hexdigest()[:16]
        m = ox.NamedNode(f"{graph}/quality#{digest}")
        triples.extend([
            ox.Triple(m, ox.NamedNode(RDF + "type"), ox.NamedNode(DQV + "QualityMeasurement")),
            ox.Triple(m, ox.NamedNode(DQV + "computedOn"), ox.NamedNode(node)),
            ox.Triple(m, ox.NamedNode(DQV + "isMeasurementOf"), ox.NamedNode(metric)),
            ox.Triple(m, ox.NamedNode(DQV + "value"), ox.Literal(
                str(value), datatype=ox.NamedNode(XSD + "decimal"))),
            ox.Triple(m, ox.NamedNode(PROV + "generatedAtTime"), ox.Literal(
                when, datatype=ox.NamedNode(XSD + "dateTime")))])

    for score in scores:
        for name, points in score.points.items():
            measure(score.dataset, PIVEAU + name, points)
        measure(score.dataset, PIVEAU + "score", score.total)
        if score.decree is not None:
            measure(score.dataset, PSI_QUALITY + "decreeScore", score.decree)
    for publisher, mean in aggregate(scores, lambda s: s.publisher).items():
        measure(publisher, PIVEAU + "score", mean)
    if scores:
        measure(graph, PIVEAU + "score", round(statistics.fmean(s.total for s in scores), 1))
    return triples
