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
from dataclasses import dataclass
from dataclasses import field

import pyoxigraph as ox

from graph import settings
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
    rows = store.query(f"SELECT ?d (SAMPLE(?pub) AS ?publisher) WHERE {{ GRAPH {g} {{ "
                       f"?d a <{DCAT}Dataset> FILTER(isIRI(?d)) OPTIONAL {{ ?d <{DCT}publisher> "
                       "?pub } } } GROUP BY ?d ORDER BY ?d")
    scores = {r["d"].value: DatasetScore(r["d"].value, graph, r["publisher"].value
                                         if r["publisher"] else None) for r in rows}
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


def _distribution_points(store: StoreReader, g: str, scores: dict[str, DatasetScore],
                         reachable: Reachable | None) -> None:
    """Distribution indicators: the weight times the share of distributions that pass."""
    flags = "\n".join(
        f"OPTIONAL {{ ?x {prop} ?{name}_ }}" for name, (_, prop) in
        DISTRIBUTION_INDICATORS.items())
    rows = store.query(f"""
        SELECT ?d ?x ?access ?download ?format ?media ?licence {_vars()} WHERE {{
          GRAPH {g} {{ ?d <{DCAT}distribution> ?x . {flags}
            OPTIONAL {{ ?x <{DCAT}accessURL> ?access }}
            OPTIONAL {{ ?x <{DCAT}downloadURL> ?download }}
            OPTIONAL {{ ?x <{DCT}format> ?format }} OPTIONAL {{ ?x <{DCAT}mediaType> ?media }}
            OPTIONAL {{ ?x <{DCT}license> ?licence }} }} }}""")
    machine, open_formats = _format_flags()
    per: dict[str, dict[str, dict[str, float]]] = {}
    for r in rows:
        d = r["d"].value
        if d not in scores:
            continue
        dist = per.setdefault(d, {}).setdefault(r["x"].value, {})
        for name, (weight, _) in DISTRIBUTION_INDICATORS.items():
            if r[f"{name}_"] is not None:
                dist[name] = max(dist.get(name, 0), weight)
        fmt, media = r["format"], r["media"]
        if (fmt is not None and fmt.value.startswith(FILE_TYPE)) or (
                media is not None and "iana.org/assignments/media-types/" in media.value):
            dist["formatMediaTypeVocabularyAlignment"] = 10
        if fmt is not None and fmt.value in machine:
            dist["formatMediaTypeMachineInterpretable"] = 20
        if fmt is not None and fmt.value in open_formats:
            dist["formatMediaTypeNonProprietary"] = 20
        licence = r["licence"]
        if licence is not None and licence.value.startswith(LICENCE):
            dist["knownLicence"] = 10
        if reachable is not None:
            access, download = r["access"], r["download"]
            dist["accessUrlStatusCode"] = 50 if access is not None and reachable(
                access.value) else 0
            dist["downloadUrlStatusCode"] = 30 if download is not None and reachable(
                download.value) else 0
    for d, dists in per.items():
        names = {name for dist in dists.values() for name in dist}
        for name in names:
            scores[d].points[name] = round(
                sum(dist.get(name, 0) for dist in dists.values()) / len(dists), 2)


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


def _vars() -> str:
    return " ".join(f"?{name}_" for name in DISTRIBUTION_INDICATORS)


def _compliance(store: StoreReader, graph: str, scores: dict[str, DatasetScore]) -> None:
    """30 points when the published catalog would keep the dataset whole: no omission on it
    or on its distributions (:func:`graph.catalog_rules.prune`, run once on the graph)."""
    page = ox.Store()
    found = store.query(f"""
        CONSTRUCT {{ ?d ?p ?o . ?o ?p2 ?o2 }} WHERE {{ GRAPH <{graph}> {{
          ?d a <{DCAT}Dataset> ; ?p ?o FILTER(?p != <{DCAT}dataset>)
          OPTIONAL {{ ?o ?p2 ?o2 FILTER(!isLiteral(?o)) }} }} }}""")
    page.extend(ox.Quad(t.subject, t.predicate, t.object) for t in found)
    owner = {q.object.value: q.subject.value for q in page.quads_for_pattern(
        None, ox.NamedNode(DCAT + "distribution"), None) if isinstance(q.object, ox.NamedNode)
        and isinstance(q.subject, ox.NamedNode)}
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
