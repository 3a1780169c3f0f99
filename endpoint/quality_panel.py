"""The metadata quality of a dataset, publisher or harvested source, for its ``/id/`` page.

``psikg harvest`` and ``psikg quality`` store the MQA points and the decree score as DQV
measurements (:func:`graph.quality.measurements`); a page reads those computed on its IRI,
so that a reader sees the score where the dataset is, not only through SPARQL. The page's
JSON twin carries the same dict under ``quality``.
"""

from __future__ import annotations

from typing import Any
from typing import Protocol

import pyoxigraph as ox

from graph.namespaces import DQV
from graph.namespaces import PIVEAU
from graph.namespaces import PROV
from graph.namespaces import PSI_QUALITY
from graph.quality import DATASET_INDICATORS
from graph.quality import DISTRIBUTION_INDICATORS
from graph.quality import band
from graph.store import STAGING_PREFIX
from graph.words import QUALITY
from graph.words import word

MQA_MAX = 405
"""data.europa.eu's MQA maximum (the sum of the dimensions' weights)."""

EXTRA_WEIGHTS = {"accessRightsVocabularyAlignment": 5.0, "dcatApCompliance": 30.0,
                 "formatMediaTypeVocabularyAlignment": 10.0, "formatMediaTypeNonProprietary": 20.0,
                 "formatMediaTypeMachineInterpretable": 20.0, "downloadUrlStatusCode": 30.0,
                 "knownLicence": 10.0}
"""Weights of the indicators that are not a property's mere presence."""

_QUERY = """SELECT ?g ?metric ?value ?when WHERE {{
  GRAPH ?g {{ ?m a <{dqv}QualityMeasurement> ; <{dqv}computedOn> {node} ;
              <{dqv}isMeasurementOf> ?metric ; <{dqv}value> ?value
              OPTIONAL {{ ?m <{prov}generatedAtTime> ?when }} }}
  FILTER(!STRSTARTS(STR(?g), {staging}))
}} ORDER BY ?g ?metric"""


class SelectSource(Protocol):
    """What the panel reads through: the endpoint's engine under the request's deadline."""

    def query(self, sparql: str) -> Any: ...


def quality_of(source: SelectSource, iri: str, language: str) -> dict[str, Any] | None:
    """The scores computed on ``iri`` (``None`` if there are none).

    ``{"title", "labels", "score", "max", "band", "decree", "indicators": [{"name",
    "points", "max"}], "graph", "computed"}``; ``decree`` is a percentage or ``None``.
    The IRI goes into the query as a checked :class:`pyoxigraph.NamedNode`.
    """
    node = ox.NamedNode(iri)
    rows = list(source.query(_QUERY.format(dqv=DQV, prov=PROV, node=node,
                                           staging=ox.Literal(STAGING_PREFIX))))
    if not rows:
        return None
    graph = rows[0]["g"].value
    values = {row["metric"].value: float(row["value"].value) for row in rows
              if row["g"].value == graph}
    when = next((row["when"].value for row in rows if row["when"] is not None), None)
    weights = {name: float(weight) for name, (weight, _) in
               {**DATASET_INDICATORS, **DISTRIBUTION_INDICATORS}.items()} | EXTRA_WEIGHTS
    indicators = [{"name": metric[len(PIVEAU):], "points": points,
                   "max": weights.get(metric[len(PIVEAU):])}
                  for metric, points in sorted(values.items())
                  if metric.startswith(PIVEAU) and metric != PIVEAU + "score"]
    score = values.get(PIVEAU + "score")
    decree = values.get(PSI_QUALITY + "decreeScore")
    return {
        "title": word(QUALITY, "quality", language),
        "labels": {key: word(QUALITY, key, language)
                   for key in ("score", "decree", "indicators", "computed")},
        "score": score, "max": MQA_MAX, "band": band(score) if score is not None else None,
        "decree": round(decree * 100, 1) if decree is not None else None,
        "indicators": indicators, "graph": graph, "computed": when,
    }
