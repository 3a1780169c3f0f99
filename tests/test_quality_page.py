"""The MQA and decree scores on a harvested dataset's ``/id/`` page (HTML and its JSON twin),
through Flask's test client, on an engine over a store where ``psikg harvest`` and
``psikg quality`` ran."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.endpoint_server import psikg
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

FIXTURE = Path(__file__).parent / "fixtures" / "harvest" / "defects.ttl"
BASE = "https://data.psikg.example/"
PV = "https://piveau.eu/ns/voc#"
PSIQ = "https://w3id.org/psikg/quality#"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    folder = tmp_path_factory.mktemp("quality-page")
    store = folder / "store"
    psikg(store, "harvest", str(FIXTURE), "--name", "defects")
    psikg(store, "quality")
    with engine_on(store) as engine:
        yield app_client(engine, folder / "run")


def stored_scores(client: AppClient) -> dict[str, dict[str, float]]:
    """Per dataset, the stored pv:score and decree score, read over SPARQL."""
    query = (f"SELECT ?d ?metric ?v WHERE {{ ?m <http://www.w3.org/ns/dqv#computedOn> ?d ; "
             f"<http://www.w3.org/ns/dqv#isMeasurementOf> ?metric ; "
             f"<http://www.w3.org/ns/dqv#value> ?v VALUES ?metric {{ <{PV}score> "
             f"<{PSIQ}decreeScore> }} ?d a <http://www.w3.org/ns/dcat#Dataset> }}")
    answer = client.post("/sparql", data={"query": query}, timeout=30,
                         headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    scores: dict[str, dict[str, float]] = {}
    for row in answer.json()["results"]["bindings"]:
        scores.setdefault(row["d"]["value"], {})[row["metric"]["value"]] = float(
            row["v"]["value"])
    return scores


def test_dataset_page_shows_its_scores(served: AppClient) -> None:
    scores = stored_scores(served)
    dataset, stored = next((d, s) for d, s in sorted(scores.items())
                           if d.startswith(BASE) and len(s) == 2)
    path = "/id/" + dataset[len(BASE):]
    page = served.get(path, headers={"Accept": "application/json"}, timeout=30)
    assert page.status_code == 200, page.text
    quality = page.json()["quality"]
    assert quality["score"] == stored[PV + "score"]
    assert quality["max"] == 405
    assert quality["decree"] == round(stored[PSIQ + "decreeScore"] * 100, 1)
    assert quality["band"] in {"excellent", "good", "sufficient", "bad"}
    assert sum(i["points"] for i in quality["indicators"]) == pytest.approx(quality["score"])
    html = served.get(path, headers={"Accept": "text/html"}, timeout=30)
    assert html.status_code == 200
    assert 'id="quality"' in html.text
    assert f"<strong>{quality['score']}</strong> / 405" in html.text
    assert f"<strong>{quality['decree']} %</strong>" in html.text
    french = served.get(path + "?lang=fr", headers={"Accept": "text/html"},
                        timeout=30)
    assert "Qualité des métadonnées" in french.text


def test_a_page_without_scores_has_no_quality_section(served: AppClient) -> None:
    query = ("SELECT ?x WHERE { ?x a <http://www.w3.org/ns/dcat#Distribution> "
             f"FILTER(STRSTARTS(STR(?x), \"{BASE}\")) }} ORDER BY ?x LIMIT 1")
    answer = served.post("/sparql", data={"query": query}, timeout=30,
                         headers={"Accept": "application/sparql-results+json"})
    distribution = answer.json()["results"]["bindings"][0]["x"]["value"]
    path = "/id/" + distribution[len(BASE):]
    page = served.get(path, headers={"Accept": "application/json"}, timeout=30)
    assert page.status_code == 200, page.text
    assert page.json()["quality"] is None
    html = served.get(path, headers={"Accept": "text/html"}, timeout=30)
    assert 'id="quality"' not in html.text
