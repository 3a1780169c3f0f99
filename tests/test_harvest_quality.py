"""Metadata quality: MQA points per indicator, bands, DQV measurements in the store, URL checks
against a real local server, and the decree score."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.quality import band
from graph.quality import score_graph
from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.quality import score_and_store
from loaders.harvest.quality import url_checker
from loaders.harvest.run import harvest
from tests.conftest import RunPsikg
from tests.conftest import write
from tests.fixtures.harvest.server import PREFIXES
from tests.fixtures.harvest.server import PortalServer
from tests.fixtures.harvest.server import Route
from tests.fixtures.harvest.server import dataset_turtle

BASE = "https://data.psikg.example/"


def test_points_per_indicator(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "one.ttl", PREFIXES + dataset_turtle(1))
    with Store(store_dir) as store:
        harvest(store, SourceSpec("one", str(source)), HarvestPolicy())
        [score] = score_graph(store, BASE + "graph/harvest/one")
    assert score.points == {
        "keywordAvailability": 30, "categoryAvailability": 30, "spatialAvailability": 20,
        "accessRightsAvailability": 10, "accessRightsVocabularyAlignment": 5,
        "contactPointAvailability": 20, "publisherAvailability": 10,
        "dateIssuedAvailability": 5, "dateModifiedAvailability": 5,
        "accessUrlStatusCode": 50, "downloadUrlAvailability": 20, "formatAvailability": 20,
        "mediaTypeAvailability": 10, "formatMediaTypeVocabularyAlignment": 10,
        "formatMediaTypeMachineInterpretable": 20, "formatMediaTypeNonProprietary": 20,
        "licenceAvailability": 20, "knownLicence": 10, "byteSizeAvailability": 5}
    # No temporal coverage, no rights; the publisher has no name, so DCAT-AP compliance fails.
    assert score.total == 320 and score.band == "good"


@pytest.mark.parametrize(("points", "expected"), [(405, "excellent"), (351, "excellent"),
                                                   (350, "good"), (221, "good"),
                                                   (220, "sufficient"), (121, "sufficient"),
                                                   (120, "bad"), (0, "bad")])
def test_bands(points: float, expected: str) -> None:
    assert band(points) == expected


def test_scores_are_stored_as_dqv_measurements(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "two.ttl", PREFIXES + dataset_turtle(1) + dataset_turtle(2))
    graph = BASE + "graph/harvest/two"
    with Store(store_dir) as store:
        harvest(store, SourceSpec("two", str(source)), HarvestPolicy())
        score_and_store(store, graph, decree=True)
        rows = list(store.query("""
            PREFIX dqv: <http://www.w3.org/ns/dqv#>
            SELECT ?on ?metric ?value WHERE { ?m a dqv:QualityMeasurement ; dqv:computedOn ?on ;
              dqv:isMeasurementOf ?metric ; dqv:value ?value
              FILTER(?metric IN (<https://piveau.eu/ns/voc#score>,
                                 <https://w3id.org/psikg/quality#decreeScore>)) }"""))
    found = {(r["on"].value.rsplit("/", 2)[-2], r["metric"].value.rsplit("#", 1)[1],
              float(r["value"].value)) for r in rows}
    assert ("harvest", "score", 320.0) in found  # the source graph: .../graph/harvest/two
    assert sum(1 for on, metric, _ in found if metric == "decreeScore") == 1  # same value twice
    assert ("org", "score", 320.0) in found  # per publisher (…/org/1 and …/org/2)


def test_urls_are_checked_only_when_asked(tmp_path: Path, store_dir: Path) -> None:
    with PortalServer().running() as portal:
        portal.routes["/ok.csv"] = Route(body=b"a,b\n", media_type="text/csv")
        text = (PREFIXES + dataset_turtle(1)).replace(
            "<https://portal.example/download/1.csv>", f"<{portal.url('/ok.csv')}>").replace(
            "<https://portal.example/download/1>", f"<{portal.url('/gone')}>")
        source = write(tmp_path / "one.ttl", text)
        policy = HarvestPolicy(allowed_networks=("127.0.0.1",))
        with Store(store_dir) as store:
            harvest(store, SourceSpec("one", str(source)), HarvestPolicy())
            graph = BASE + "graph/harvest/one"
            [unchecked] = score_graph(store, graph)
            [checked] = score_graph(store, graph, url_checker(policy))
            [refused] = score_graph(store, graph, url_checker())
        assert portal.hits["/ok.csv"] == 1 and portal.hits["/gone"] == 1
    assert "downloadUrlStatusCode" not in unchecked.points
    assert checked.points["downloadUrlStatusCode"] == 30
    assert checked.points["accessUrlStatusCode"] == 0
    assert refused.points["downloadUrlStatusCode"] == 0  # 127.0.0.1 is not allowed by default


def test_harvest_prints_a_quality_summary(psikg: RunPsikg, tmp_path: Path) -> None:
    source = write(tmp_path / "two.ttl", PREFIXES + dataset_turtle(1) + dataset_turtle(2))
    done = psikg("harvest", source, "--name", "two")
    assert done.returncode == 0, done.stderr
    assert "quality: MQA mean 320.0 of 405 (good); 0 excellent, 2 good" in done.stdout
    done = psikg("quality", "--datasets")
    assert done.returncode == 0, done.stderr
    # One article group fails: the generated datasets name no rights holder (Art. 11, 2°).
    assert "2 datasets, MQA mean 320.0 (good), decree 90%" in done.stdout
