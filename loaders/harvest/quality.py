"""Scoring a harvested graph and storing the scores beside it (``{graph}/quality``).

The scoring itself is :mod:`graph.quality`; this module adds what needs the
loaders: checking URLs with the harvest's safety rules, the write through
the store's stage/commit with provenance, and the rule that scoring a harvest
never undoes it: the harvested graph is committed before it is scored, so a
scoring that fails is a warning of the harvest's report (:func:`score_harvested`).
"""

from __future__ import annotations

import hashlib
import io
import logging

import pyoxigraph as ox

from graph import provenance
from graph.errors import PsikgError
from graph.quality import DatasetScore
from graph.quality import Reachable
from graph.quality import add_decree_scores
from graph.quality import measurements
from graph.quality import score_graph
from graph.sources import Source
from graph.store_api import StoreWriter
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.fetch import get
from loaders.harvest.report import HarvestReport
from loaders.harvest.report import Problem
from loaders.http_fetch.policy import FetchError
from loaders.http_fetch.policy import FetchPolicy


def url_checker(policy: HarvestPolicy | None = None) -> Reachable:
    """A :data:`Reachable` that GETs at most 1 MB with a 10 s timeout, never a private address."""
    chosen = policy or HarvestPolicy(fetch=FetchPolicy(timeout_s=10, deadline_s=20,
                                                       max_bytes=1 << 20))
    seen: dict[str, bool] = {}

    def reachable(url: str) -> bool:
        if url not in seen:
            try:
                seen[url] = get(url, chosen, {"Accept": "*/*"}).status < 400
            except FetchError as error:
                seen[url] = error.type == "too-large"
        return seen[url]

    return reachable


def score_harvested(store: StoreWriter, report: HarvestReport) -> list[DatasetScore]:
    """Score a harvest just committed; a failure is a warning of ``report`` and no scores.

    The harvested graph is already committed and stays whatever happens here.
    """
    try:
        return score_and_store(store, report.graph)
    except PsikgError as error:
        report.warnings.append(Problem(
            "quality-failed", f"the quality scores were not computed ({error.one_line()}); the "
            f"harvested graph stays; psikg quality --graph {report.graph} scores it again"))
        return []


def score_and_store(store: StoreWriter, graph: str, *, decree: bool = False,
                    reachable: Reachable | None = None) -> list[DatasetScore]:
    """Score ``graph``'s datasets and replace ``{graph}/quality`` with the measurements.

    :raises PsikgError: the store's own error, or ``quality-failed`` if the scoring fails
        otherwise (a defect of psikg, logged with its traceback).
    """
    try:
        return _score_and_store(store, graph, decree, reachable)
    except PsikgError:
        raise
    except Exception as error:  # noqa: BLE001 - re-raised as a named error, see the docstring
        logging.getLogger(__name__).exception("scoring %s failed", graph)
        raise PsikgError(f"scoring failed: {type(error).__name__}: {error}",
                         type="quality-failed", value=graph) from error


def _score_and_store(store: StoreWriter, graph: str, decree: bool, reachable: Reachable | None
                     ) -> list[DatasetScore]:
    scores = score_graph(store, graph, reachable)
    if decree:
        add_decree_scores(store, graph, scores)
    when = provenance.now().isoformat().replace("+00:00", "Z")
    body = ox.serialize(measurements(scores, graph, when), format=ox.RdfFormat.N_TRIPLES) or b""
    target = f"{graph}/quality"
    store.commit(store.stage([Source(origin=f"{target}#source", fmt=ox.RdfFormat.N_TRIPLES,
                                     default_graph=target, stream=io.BytesIO(body),
                                     checksum=hashlib.sha256(body).hexdigest())]))
    return scores
