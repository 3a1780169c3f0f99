"""Harvests that survive real portals: exports with the shapes of ArcGIS Hub and GeoNetwork
(generated, ``tests/fixtures/harvest/portal_shapes.py``), several values per distribution,
publishers that are no IRI, RDF/XML errors with their position, and a step after the
commit that fails. The time of each harvest is printed (``-s``), never asserted."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from graph.quality import score_graph
from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.quality import score_harvested
from loaders.harvest.quality import url_checker
from loaders.harvest.run import harvest
from tests.conftest import RunPsikg
from tests.conftest import write
from tests.fixtures.harvest.portal_shapes import arcgis_hub
from tests.fixtures.harvest.portal_shapes import geonetwork_vl
from tests.fixtures.harvest.server import PREFIXES
from tests.fixtures.harvest.server import PortalServer
from tests.fixtures.harvest.server import Route

BASE = "https://data.psikg.example/"
EU = "http://publications.europa.eu/resource/authority/"
T = TypeVar("T")


def finished(action: Callable[[], T], label: str, ceiling_s: float = 120) -> T:
    """``action``'s result, its time printed. ``ceiling_s`` only keeps a defect that never
    ends (rows multiplied per value) from hanging the suite: it is no speed figure."""
    result: list[T] = []
    start = time.perf_counter()
    worker = threading.Thread(target=lambda: result.append(action()), daemon=True)
    worker.start()
    worker.join(ceiling_s)
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    assert result, f"{label} did not end within {ceiling_s} s"
    return result[0]


@pytest.mark.slow
def test_an_arcgis_hub_export_is_harvested_and_scored(tmp_path: Path, psikg: RunPsikg) -> None:
    """Blank nodes everywhere and literals for IRIs: the harvest commits and the command
    succeeds; publishers given as a literal or a blank node are scored without a mean of
    their own, and the command says why."""
    source = tmp_path / "arcgis.rdf"
    source.write_bytes(arcgis_hub(1000))
    done = finished(lambda: psikg("harvest", source, "--name", "arcgis"), "arcgis 1000 datasets")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "arcgis: 1000 datasets" in done.stdout
    assert "1000  blank-node-dataset" in done.stdout
    assert "quality: MQA mean" in done.stdout and "warning" not in done.stdout
    # Every third dataset names its publisher as a literal, the others as a blank node.
    assert ("quality: 334 datasets scored without a mean for their publisher: it is a literal, "
            "not an agent's IRI") in done.stdout
    assert ("quality: 666 datasets scored without a mean for their publisher: it is a blank "
            "node") in done.stdout
    again = psikg("quality", "--no-decree")
    assert again.returncode == 0, again.stderr
    assert "1000 datasets, MQA mean" in again.stdout


@pytest.mark.slow
def test_a_geonetwork_export_with_services_is_harvested_and_scored(tmp_path: Path,
                                                                   psikg: RunPsikg) -> None:
    source = tmp_path / "geonetwork.rdf"
    source.write_bytes(geonetwork_vl(400))
    done = finished(lambda: psikg("harvest", source, "--name", "vl", "--json"),
                    "geonetwork 400 datasets")
    assert done.returncode == 0, done.stderr
    [report] = json.loads(done.stdout)
    assert report["status"] == "harvested" and report["datasets"] == 400
    assert report["warnings"] == []
    with Store(tmp_path / "store") as store:
        services = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a "
                               "<http://www.w3.org/ns/dcat#DataService> } }")
        scored = store.query("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH "
                             f"<{BASE}graph/harvest/vl/quality> {{ ?m "
                             "<http://www.w3.org/ns/dqv#computedOn> ?d ; "
                             "<http://www.w3.org/ns/dqv#isMeasurementOf> "
                             "<https://piveau.eu/ns/voc#formatAvailability> } }")
        assert next(iter(services))["n"].value == "80"
        assert next(iter(scored))["n"].value == "400"


def many_values(access: list[str]) -> str:
    """One dataset whose one distribution has six values of every property MQA scores."""
    def values(prop: str, items: list[str]) -> str:
        return f"  {prop} " + " , ".join(items) + " ;\n"

    formats = [f"<{EU}file-type/{f}>" for f in ("CSV", "JSON", "XML", "PDF", "DOCX", "ZIP")]
    return PREFIXES + (
        "<https://portal.example/d> a dcat:Dataset ; dct:title \"D\"@fr ;\n"
        "  dct:description \"D\"@fr ; dcat:distribution <https://portal.example/d/x> .\n"
        "<https://portal.example/d/x> a dcat:Distribution ;\n"
        + values("dcat:accessURL", access)
        + values("dcat:downloadURL", [f"<https://portal.example/dl/{n}>" for n in range(6)])
        + values("dct:format", formats)
        + values("dcat:mediaType", [f"<http://www.iana.org/assignments/media-types/text/t{n}>"
                                    for n in range(6)])
        + values("dct:license", [f"<https://licences.example/{n}>" for n in range(5)]
                 + [f"<{EU}licence/CC_BY_4_0>"])
        + values("dct:rights", [f"\"droit {n}\"" for n in range(6)])
        + values("dcat:byteSize", [f"\"{n}\"^^xsd:nonNegativeInteger" for n in range(6)])
        + "  dct:title \"x\" .\n")


def test_six_values_of_every_property_score_once_per_value(tmp_path: Path,
                                                          store_dir: Path) -> None:
    """A query with one OPTIONAL per property answered 6^12 rows for this one distribution;
    scored one property at a time, any access URL that answers earns the 50 points."""
    with PortalServer().running() as portal:
        portal.routes["/ok"] = Route(body=b"ok", media_type="text/plain")
        access = [f"<{portal.url('/gone/' + str(n))}>" for n in range(5)] + [
            f"<{portal.url('/ok')}>"]
        source = write(tmp_path / "many.ttl", many_values(access))
        with Store(store_dir) as store:
            harvest(store, SourceSpec("many", str(source)), HarvestPolicy())
            checker = url_checker(HarvestPolicy(allowed_networks=("127.0.0.1",)))
            [score] = finished(lambda: score_graph(store, BASE + "graph/harvest/many", checker),
                               "six values of every property")
    points = {name: score.points.get(name) for name in (
        "accessUrlStatusCode", "downloadUrlAvailability", "downloadUrlStatusCode",
        "formatAvailability", "mediaTypeAvailability", "formatMediaTypeVocabularyAlignment",
        "formatMediaTypeMachineInterpretable", "formatMediaTypeNonProprietary",
        "licenceAvailability", "knownLicence", "rightsAvailability", "byteSizeAvailability")}
    assert points == {
        "accessUrlStatusCode": 50, "downloadUrlAvailability": 20, "downloadUrlStatusCode": 0,
        "formatAvailability": 20, "mediaTypeAvailability": 10,
        "formatMediaTypeVocabularyAlignment": 10, "formatMediaTypeMachineInterpretable": 20,
        "formatMediaTypeNonProprietary": 20, "licenceAvailability": 20, "knownLicence": 10,
        "rightsAvailability": 5, "byteSizeAvailability": 5}


def test_a_quality_step_that_fails_is_a_warning_and_the_graph_stays(tmp_path: Path,
                                                                    store_dir: Path) -> None:
    source = write(tmp_path / "one.ttl", many_values(["<https://portal.example/a>"]))
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("one", str(source)), HarvestPolicy())
    assert report.status == "harvested"
    # The store is closed under the scoring: it fails, and says so as a warning.
    assert score_harvested(store, report) == []
    [warning] = report.warnings
    assert warning.type == "quality-failed"
    assert "the harvested graph stays" in warning.message
    assert report.lines()[-1].startswith("  warning: quality-failed: ")
    with Store(store_dir) as store:
        assert any(g.iri == report.graph and g.triples > 0 for g in store.graphs())


RDF_XML = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax'
           '-ns#" xmlns:dct="http://purl.org/dc/terms/"\n  xmlns:dcat="http://www.w3.org/ns/'
           'dcat#">\n<dcat:Dataset rdf:about="https://portal.example/d">\n'
           '  <dct:publisher>Ville <dcat:Agent rdf:about="https://portal.example/a"/>'
           '</dct:publisher>\n</dcat:Dataset>\n</rdf:RDF>\n')


def test_rdf_xml_that_is_not_rdf_names_line_and_column(tmp_path: Path, psikg: RunPsikg) -> None:
    """Well-formed XML that pyoxigraph refuses as RDF/XML (text, then a node, in a property):
    the error points at the node, on line 5, column 24."""
    source = write(tmp_path / "text-then-node.rdf", RDF_XML)
    done = psikg("harvest", source, "--json")
    assert done.returncode == 1
    [report] = json.loads(done.stdout)
    assert report["error"]["type"] == "invalid-rdf"
    assert (report["error"]["line"], report["error"]["column"]) == (5, 24)
    loaded = psikg("load", source)
    assert loaded.returncode == 1
    assert "text-then-node.rdf:5:24: Unexpected node" in loaded.stderr
