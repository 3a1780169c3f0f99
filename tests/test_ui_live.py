"""The query UI, its assets, ``/void`` and the HTML error page, through Flask's test client:
on the pages' endpoint, and for the missing-assets case on an app pointed at an empty
``node_modules``."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import requests
from rdflib.namespace import RDF
from rdflib.namespace import VOID

from endpoint.app import create_app
from graph.namespaces import PREFIXES
from graph.settings import NODE_MODULES_DIR
from graph.settings import Settings
from tests.in_process import AppClient
from tests.pages_server import BASE

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")

@pytest.fixture
def yasgui_installed() -> None:
    """`make setup` installs YASGUI with npm ci; without it these tests fail, never skip."""
    assert (NODE_MODULES_DIR / "@zazuko/yasgui/build/yasgui.min.js").is_file(), \
        "YASGUI is not installed: `make setup` runs npm ci"


needs_assets = pytest.mark.usefixtures("yasgui_installed")


def get(client: AppClient, path: str, accept: str | None = None) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return client.get(path, headers=headers, timeout=60)


# --- the UI -----------------------------------------------------------------------------

@needs_assets
def test_root_is_yasgui_with_its_assets(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/", BROWSER)
    assert page.status_code == 200
    assert '<script src="/assets/yasgui.min.js"></script>' in page.text
    assert 'href="/assets/yasgui.min.css"' in page.text
    assert 'rel="alternate"; type="application/json"' in page.headers["Link"]
    script = get(pages_endpoint, "/assets/yasgui.min.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["Content-Type"]
    assert len(script.content) > 100_000
    assert get(pages_endpoint, "/assets/yasgui.min.css").headers["Content-Type"] \
        .startswith("text/css")


def test_ui_twin_has_endpoint_prefixes_and_examples(pages_endpoint: AppClient) -> None:
    data = get(pages_endpoint, "/", "application/json").json()
    assert data == get(pages_endpoint, "/?format=json").json()
    assert data["endpoint"] == "/sparql"
    assert data["prefixes"] == PREFIXES
    assert {example["audience"] for example in data["examples"]} == \
        {"developer", "portal", "analyst"}
    assert data["queries_url"] == "/queries.json"
    for prefix, iri in PREFIXES.items():
        assert f"PREFIX {prefix}: <{iri}>" in data["default_query"]


def test_every_example_runs(pages_endpoint: AppClient) -> None:
    for example in get(pages_endpoint, "/?format=json").json()["examples"]:
        answer = pages_endpoint.post("/sparql", data={"query": example["query"]},
                                     headers={"Accept": "application/sparql-results+json"},
                                     timeout=60)
        assert answer.status_code == 200, (example["name"], answer.text)
        assert "results" in answer.json()


def test_the_page_says_how_the_default_graph_counts(pages_endpoint: AppClient) -> None:
    notes = {code: get(pages_endpoint, f"/?lang={code}", BROWSER).text
             for code in ("fr", "nl", "de", "en")}
    assert "SPARQL 1.1 defines the default graph as a set" in notes["en"]
    assert "SPARQL 1.1 définit le graphe par défaut comme un ensemble" in notes["fr"]
    assert "GRAPH ?g" in notes["nl"] and "GRAPH ?g" in notes["de"]


def test_examples_in_the_page_language(pages_endpoint: AppClient) -> None:
    titles = {code: [e["title"] for e in get(pages_endpoint, f"/?format=json&lang={code}")
                     .json()["examples"]] for code in ("fr", "nl", "de", "en")}
    assert len({tuple(t) for t in titles.values()}) == 4


def test_sparql_without_query_shows_the_ui_to_a_browser(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/sparql", BROWSER)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert 'id="yasgui"' in page.text
    description = get(pages_endpoint, "/sparql", "text/turtle")
    graph = rdflib.Graph().parse(data=description.text, format="turtle")
    assert (None, RDF.type, SD.Service) in graph
    assert get(pages_endpoint, "/sparql").headers["Content-Type"].startswith("text/turtle")


def test_query_in_the_url_fills_the_plain_form(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/?query=SELECT%20%3Cx%3E%20%7B%7D", BROWSER)
    assert "SELECT &lt;x&gt; {}</textarea>" in page.text


def test_query_in_the_url_cannot_break_out_of_the_page(pages_endpoint: AppClient) -> None:
    page = pages_endpoint.get("/", params={
        "query": "</script><script>alert(1)</script></textarea><b>x</b>"},
        headers={"Accept": BROWSER}, timeout=60)
    assert "<script>alert(1)" not in page.text
    assert "<b>x</b>" not in page.text
    assert page.text.count("</script>") == page.text.count("<script")


def test_unknown_asset_is_404(pages_endpoint: AppClient) -> None:
    answer = get(pages_endpoint, "/assets/..%2Fpackage.json", "application/json")
    assert answer.status_code == 404
    assert get(pages_endpoint, "/assets/jquery.js", "application/json").json()["errors"][0][
        "type"] == "unknown-asset"


def test_missing_assets_say_which_command_installs_them(tmp_path: Path) -> None:
    app = create_app(Settings(engine_url="http://127.0.0.1:9"))
    app.config["PSIKG_NODE_MODULES"] = str(tmp_path)
    client = app.test_client()
    page = client.get("/?lang=en", headers={"Accept": BROWSER})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "make setup" in text and "npm ci" in text
    assert '<script src="/assets/yasgui.min.js">' not in text
    assert '<form id="fallback"' in text and 'action="/sparql"' in text
    assert client.get("/?format=json").get_json()["assets"]["installed"] is False
    missing = client.get("/assets/yasgui.min.js", headers={"Accept": "application/json"})
    assert missing.status_code == 404
    assert "make setup" in missing.get_json()["error"]


# --- /void --------------------------------------------------------------------------------

def test_void_has_the_statistics_of_each_graph(pages_endpoint: AppClient) -> None:
    answer = get(pages_endpoint, "/void")
    assert answer.headers["Content-Type"].startswith("text/turtle")
    void = rdflib.Graph().parse(data=answer.text, format="turtle")
    dataset = rdflib.URIRef(pages_endpoint.url + "/void#dataset")
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert (dataset, VOID.sparqlEndpoint, rdflib.URIRef(pages_endpoint.url + "/sparql")) in void
    subsets = set(void.objects(dataset, VOID.subset))
    pages_graph = rdflib.URIRef(BASE + "graph/pages.ttl")
    assert pages_graph in subsets
    assert rdflib.URIRef(BASE + "graph/harvest/portal") in subsets
    # the figures are the store's own, counted again here through SPARQL
    counted = pages_endpoint.post("/sparql", data={"query": (
        f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?s) WHERE {{ GRAPH <{pages_graph}> "
        "{ ?s ?p ?o } }")}, headers={"Accept": "application/sparql-results+json"},
        timeout=60).json()["results"]["bindings"][0]
    assert int(void.value(pages_graph, VOID.triples)) == int(counted["n"]["value"])
    full = rdflib.Graph().parse(data=get(pages_endpoint, "/void?detail=full").text,
                                format="turtle")
    assert int(full.value(pages_graph, VOID.triples)) == int(counted["n"]["value"])
    assert int(full.value(pages_graph, VOID.distinctSubjects)) == int(counted["s"]["value"])
    assert len(set(full.objects(pages_graph, VOID.propertyPartition))) == \
        int(full.value(pages_graph, VOID.properties)) > 5
    partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
                  for p in void.objects(pages_graph, VOID.classPartition)}
    assert partitions[rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")] == 4
    assert partitions[rdflib.URIRef("https://w3id.org/psikg/ontology#PublicBody")] == 1
    total = sum(int(void.value(s, VOID.triples)) for s in subsets)
    assert int(void.value(dataset, VOID.triples)) == total


@pytest.mark.parametrize(("accept", "parser"), [
    ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld")])
def test_void_in_every_rdf_format(pages_endpoint: AppClient, accept: str, parser: str) -> None:
    answer = get(pages_endpoint, "/void", accept)
    assert answer.headers["Content-Type"].startswith(accept)
    void = rdflib.Graph().parse(data=answer.content, format=parser)
    assert len(set(void.subjects(RDF.type, VOID.Dataset))) >= 3


def test_void_page_and_its_twin(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/void", BROWSER)
    assert page.headers["Content-Type"].startswith("text/html")
    data = get(pages_endpoint, "/void", "application/json").json()
    graphs = {g["iri"]: g for g in data["graphs"]}
    assert graphs[BASE + "graph/pages.ttl"]["triples"] > 10
    for graph in data["graphs"]:
        assert f'href="{graph["href"]}"'.replace("&", "&amp;") in page.text


# --- errors -------------------------------------------------------------------------------

def test_browser_gets_an_html_error_page(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/no/such/page", BROWSER)
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<h1>" in page.text
    assert get(pages_endpoint, "/no/such/page").headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(("path", "accept"), [
    ("/void", "text/turtle"), ("/sparql", "text/turtle"), ("/sparql", "application/n-triples")])
def test_descriptions_are_the_same_bytes_each_time(pages_endpoint: AppClient, path: str,
                                                    accept: str) -> None:
    """VoID and the service description label their blank nodes: the same store gives the
    same bytes, so a HEAD's Content-Length is its GET's (random labels differ in length)."""
    first, second = get(pages_endpoint, path, accept), get(pages_endpoint, path, accept)
    assert first.status_code == 200 and b"_:" in first.content
    assert first.content == second.content
