"""Linked-data pages of the endpoint (in this process), with ``requests`` and rdflib as clients:
content negotiation, the JSON twin, languages and their fallback, escaping, provenance,
``/describe`` for other IRIs and harvested ones, code lists and ontology terms."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
import requests
from rdflib.namespace import DCTERMS
from rdflib.namespace import OWL
from rdflib.namespace import RDF

from graph.settings import PROJECT_ROOT
from tests.in_process import AppClient
from tests.pages_server import BASE
from tests.pages_server import HARVESTED_DATASET

BUDGET = BASE + "dataset/budget"
BODY = BASE + "public-body/0207000001"
PSI = "https://w3id.org/psikg/ontology#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def get(client: AppClient, path: str, accept: str | None = None, language: str | None = None,
        **kwargs: object) -> requests.Response:
    headers = {}
    if accept is not None:
        headers["Accept"] = accept
    if language is not None:
        headers["Accept-Language"] = language
    return client.get(path, headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]


def h1(html: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", html, re.DOTALL)
    assert match, html[:500]
    return match.group(1).strip()


# --- content negotiation ----------------------------------------------------------------

def test_browser_gets_html_with_link_to_json_and_rdf(pages_endpoint: AppClient) -> None:
    answer = get(pages_endpoint, "/id/dataset/budget", BROWSER)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    link = answer.headers["Link"]
    assert 'rel="alternate"; type="application/json"' in link
    assert 'type="text/turtle"' in link
    assert "Accept" in answer.headers["Vary"]


def test_no_accept_gets_turtle(pages_endpoint: AppClient) -> None:
    answer = pages_endpoint.get("/id/dataset/budget", timeout=30,
                                headers={"Accept": "*/*"})
    assert answer.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=answer.text, format="turtle")
    assert (rdflib.URIRef(BUDGET), DCTERMS.title, rdflib.Literal("Budget communal", lang="fr")) \
        in graph


@pytest.mark.parametrize(("accept", "parser"), [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
])
def test_rdf_by_accept_is_the_same_graph(pages_endpoint: AppClient, accept: str,
                                         parser: str) -> None:
    answer = get(pages_endpoint, "/id/dataset/budget", accept)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith(accept)
    graph = rdflib.Graph().parse(data=answer.content, format=parser)
    reference = rdflib.Graph().parse(
        data=get(pages_endpoint, "/id/dataset/budget", "application/n-triples").content,
        format="nt")
    assert len(graph) == len(reference) > 8
    assert (rdflib.URIRef(BUDGET), DCTERMS.publisher, rdflib.URIRef(BODY)) in graph
    # the resources that point to it are part of the description too
    assert (rdflib.URIRef(BASE + "dataset/dutch-only"), DCTERMS.publisher,
            rdflib.URIRef(BODY)) in rdflib.Graph().parse(
        data=get(pages_endpoint, "/id/public-body/0207000001", accept).content, format=parser)


def test_format_parameter_overrides_accept(pages_endpoint: AppClient) -> None:
    answer = get(pages_endpoint, "/id/dataset/budget?format=ntriples", BROWSER)
    assert answer.headers["Content-Type"].startswith("application/n-triples")
    assert f"<{BUDGET}>" in answer.text


def test_json_twin_is_the_page_dict(pages_endpoint: AppClient) -> None:
    by_param = get(pages_endpoint, "/id/dataset/budget?format=json&lang=en").json()
    by_accept = get(pages_endpoint, "/id/dataset/budget?lang=en", "application/json").json()
    assert by_param == by_accept
    assert by_param["iri"] == BUDGET
    assert by_param["label"] == "Municipal budget"
    assert [t["iri"] for t in by_param["types"]] == ["http://www.w3.org/ns/dcat#Dataset"]
    properties = {g["property"]["iri"]: g for g in by_param["properties"]}
    publisher = properties[str(DCTERMS.publisher)]
    assert publisher["property"]["label"] == "publisher"
    assert publisher["values"][0]["label"] == "Commune de Namur"
    assert publisher["values"][0]["href"] == "/id/public-body/0207000001?lang=en"
    assert {f["name"] for f in by_param["formats"]} == {"json", "turtle", "jsonld", "ntriples",
                                                         "rdfxml"}


def test_unacceptable_type_is_406(pages_endpoint: AppClient) -> None:
    answer = get(pages_endpoint, "/id/dataset/budget", "image/png")
    assert answer.status_code == 406
    assert "text/turtle" in answer.json()["error"]


def test_unknown_resource_is_404_in_both_shapes(pages_endpoint: AppClient) -> None:
    answer = get(pages_endpoint, "/id/dataset/nothing-here", "application/json")
    assert answer.status_code == 404
    body = answer.json()
    assert body["ok"] is False and body["status"] == 404
    assert body["errors"][0]["type"] == "unknown-resource"
    page = get(pages_endpoint, "/id/dataset/nothing-here", BROWSER)
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    assert "&lt;https://data.psikg.example/dataset/nothing-here&gt;" in page.text


@pytest.mark.parametrize(("path", "label"), [
    ("/id/budget-article/849%2F435-02", "Article 849/435-02"),
    ("/id/beneficiary/Caf%C3%A9%20R%C3%A9paration", "Café Réparation"),
])
def test_percent_encoded_iris_dereference(pages_endpoint: AppClient, path: str, label: str) -> None:
    # the WSGI server decodes the path; the page still finds the IRI as it was minted
    assert get(pages_endpoint, path + "?format=json").json()["label"] == label


def test_links_to_iris_with_encoded_slashes_go_through_describe(pages_endpoint: AppClient) -> None:
    data = get(pages_endpoint, "/id/beneficiary/Caf%C3%A9%20R%C3%A9paration?format=json").json()
    [reference] = data["referenced_by"]
    assert reference["resource"]["href"].startswith("/describe?iri=")
    assert get(pages_endpoint, reference["resource"]["href"] + "&format=json").json()[
        "label"] == "Article 849/435-02"


# --- languages --------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "title"), [
    ("nl-BE,nl;q=0.9,en;q=0.5", "Gemeentebegroting"),
    ("de-CH", "Gemeindehaushalt"),
    ("en-GB,en", "Municipal budget"),
    ("fr", "Budget communal"),
    ("es", "Budget communal"),  # none of ours: French, the decree's language
])
def test_label_in_the_accepted_language(pages_endpoint: AppClient, language: str,
                                        title: str) -> None:
    page = get(pages_endpoint, "/id/dataset/budget", BROWSER, language)
    assert h1(page.text) == title
    assert page.headers["Content-Language"] in {"fr", "nl", "de", "en"}


def test_lang_parameter_overrides_accept_language(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/id/dataset/budget?lang=de", BROWSER, "nl")
    assert h1(page.text) == "Gemeindehaushalt"
    assert '<html lang="de">' in page.text


def test_missing_language_falls_back_in_turn(pages_endpoint: AppClient) -> None:
    # German asked, no German or French title: Dutch, the next of fr, nl, de, en.
    page = get(pages_endpoint, "/id/dataset/dutch-only", BROWSER, "de")
    assert h1(page.text) == "Alleen in het Nederlands"
    # the publisher's name: no German, so French
    data = get(pages_endpoint, "/id/dataset/dutch-only?format=json", language="de").json()
    publisher = next(g for g in data["properties"]
                     if g["property"]["iri"] == str(DCTERMS.publisher))
    assert publisher["values"][0]["label"] == "Commune de Namur"
    # and the reader's own second choice comes before the fixed order
    data = get(pages_endpoint, "/id/public-body/0207000001?format=json",
               language="de, nl;q=0.5").json()
    assert data["label"] == "Gemeente Namen"


def test_property_labels_follow_the_language(pages_endpoint: AppClient) -> None:
    labels = {}
    for language in ("fr", "nl", "de", "en"):
        data = get(pages_endpoint, f"/id/dataset/budget?format=json&lang={language}").json()
        labels[language] = {g["property"]["iri"]: g["property"]["label"]
                            for g in data["properties"]}
    title = str(DCTERMS.title)
    assert [labels[code][title] for code in ("fr", "nl", "de", "en")] == \
        ["titre", "titel", "Titel", "title"]
    mode = PSI + "disseminationMode"
    assert labels["fr"][mode] != labels["en"][mode]


def test_properties_link_to_their_page_or_their_vocabulary(pages_endpoint: AppClient) -> None:
    data = get(pages_endpoint, "/id/dataset/dutch-only?format=json&lang=en").json()
    links = {g["property"]["iri"]: g["property"]["href"] for g in data["properties"]}
    # described by psikg's vocabulary (labels.ttl): its page here
    assert links[str(DCTERMS.title)].startswith("/describe?iri=")
    # unknown here: the IRI itself, where its vocabulary documents it
    assert links["http://vocab.example/ns#audited"] == "http://vocab.example/ns#audited"


def test_language_switch_links_work_without_scripts(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/id/dataset/budget", BROWSER, "fr")
    for code in ("nl", "de", "en"):
        assert f'href="/id/dataset/budget?lang={code}"' in page.text
    switched = get(pages_endpoint, "/id/dataset/budget?lang=nl", BROWSER, "fr")
    assert h1(switched.text) == "Gemeentebegroting"
    # links to other pages keep the chosen language
    assert 'href="/id/public-body/0207000001?lang=nl"' in switched.text


# --- escaping ---------------------------------------------------------------------------

def test_labels_holding_markup_stay_text(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/id/dataset/xss", BROWSER, "en")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#39;psikg&#39;)&lt;/script&gt;" in page.text
    assert 'href="javascript:' not in page.text
    data = get(pages_endpoint, "/id/dataset/xss?format=json").json()
    assert data["label"] == "<script>alert('psikg')</script>"


def test_error_page_escapes_what_it_was_given(pages_endpoint: AppClient) -> None:
    page = get(pages_endpoint, "/describe?iri=" + quote("<script>x</script>"), BROWSER)
    assert page.status_code == 400
    assert "<script>x" not in page.text
    assert "&lt;script&gt;x&lt;/script&gt;" in page.text


# --- references and provenance ----------------------------------------------------------

def test_page_lists_what_points_to_it(pages_endpoint: AppClient) -> None:
    data = get(pages_endpoint, "/id/public-body/0207000001?format=json&lang=fr").json()
    pointing = {(r["resource"]["iri"], r["property"]["iri"]) for r in data["referenced_by"]}
    assert (BUDGET, str(DCTERMS.publisher)) in pointing
    assert ("http://other.example/dataset/rivers", str(DCTERMS.publisher)) in pointing
    budget = next(r for r in data["referenced_by"] if r["resource"]["iri"] == BUDGET)
    assert budget["resource"]["label"] == "Budget communal"
    assert budget["resource"]["href"] == "/id/dataset/budget?lang=fr"


def test_page_names_its_graph_and_source(pages_endpoint: AppClient) -> None:
    data = get(pages_endpoint, "/id/dataset/budget?format=json").json()
    [graph] = data["graphs"]
    assert graph["iri"] == BASE + "graph/pages.ttl"
    provenance = {g["property"]["iri"]: g["values"] for g in graph["provenance"]}
    origin = provenance["http://www.w3.org/ns/prov#wasDerivedFrom"][0]["iri"]
    assert origin.startswith("file://") and origin.endswith("/pages.ttl")
    assert "http://rdfs.org/ns/void#triples" in provenance
    html = get(pages_endpoint, "/id/dataset/budget", BROWSER).text
    assert "graph/pages.ttl" in html and "pages.ttl</a>" in html


# --- /describe ----------------------------------------------------------------------------

def test_describe_an_iri_outside_the_base(pages_endpoint: AppClient) -> None:
    iri = "http://other.example/dataset/rivers"
    page = get(pages_endpoint, "/describe?iri=" + quote(iri, safe=""), BROWSER, "fr")
    assert page.status_code == 200
    assert h1(page.text) == "Cours d&#39;eau"
    turtle = get(pages_endpoint, "/describe?iri=" + quote(iri, safe=""), "text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(iri), RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")) \
        in graph


def test_describe_a_harvested_dataset(pages_endpoint: AppClient) -> None:
    path = "/describe?iri=" + quote(HARVESTED_DATASET, safe="") + "&lang=nl"
    redirect = get(pages_endpoint, path, BROWSER, allow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["Location"].startswith("/id/harvest/portal/dataset/")
    page = get(pages_endpoint, path, BROWSER)
    assert page.status_code == 200
    assert h1(page.text) == "Gemeentewegen"
    data = get(pages_endpoint, path.replace("&lang=nl", "&format=json")).json()
    assert data["same_as"] == [HARVESTED_DATASET]
    assert data["graphs"][0]["iri"] == BASE + "graph/harvest/portal"
    turtle = get(pages_endpoint, path, "text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (None, OWL.sameAs, rdflib.URIRef(HARVESTED_DATASET)) in graph


@pytest.mark.parametrize("iri", [
    "not an iri",
    "http://x> } ; DROP ALL ; SELECT * { <x",
    "relative/path",
])
def test_describe_refuses_what_is_not_an_iri(pages_endpoint: AppClient, iri: str) -> None:
    answer = get(pages_endpoint, "/describe?iri=" + quote(iri, safe=""), "application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["type"] == "invalid-iri"
    assert get(pages_endpoint, "/id/dataset/budget", "application/json").status_code == 200


def test_describe_without_iri_says_how(pages_endpoint: AppClient) -> None:
    answer = get(pages_endpoint, "/describe", "application/json")
    assert answer.status_code == 400
    assert "?iri=" in answer.json()["error"]


# --- vocabulary ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def ontology_docs() -> Path:
    """The ontology's HTML documentation, generated as ``make docs`` does if missing."""
    path = PROJECT_ROOT / "docs" / "ontology.html"
    if not path.is_file():
        subprocess.run([sys.executable, str(PROJECT_ROOT / "docs" / "ontology_html.py")],
                       check=True, capture_output=True)
    return path


def test_ontology_dereferences_to_docs_and_turtle(pages_endpoint: AppClient,
                                                  ontology_docs: Path) -> None:
    html = get(pages_endpoint, "/ontology", BROWSER)
    assert html.status_code == 200
    assert html.headers["Content-Type"].startswith("text/html")
    assert "https://w3id.org/psikg/ontology#PublicBody" in html.text
    assert "/ontology.ttl" in html.headers["Link"]
    for path, accept in (("/ontology", "text/turtle"), ("/ontology", None),
                         ("/ontology.ttl", BROWSER)):
        answer = get(pages_endpoint, path, accept)
        assert answer.headers["Content-Type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=answer.text, format="turtle")
        assert (rdflib.URIRef(PSI + "PublicBody"), RDF.type, OWL.Class) in graph
    xml = get(pages_endpoint, "/ontology", "application/rdf+xml")
    graph = rdflib.Graph().parse(data=xml.content, format="xml")
    assert (rdflib.URIRef(PSI + "PublicBody"), RDF.type, OWL.Class) in graph


def test_ontology_terms_link_to_their_documentation(pages_endpoint: AppClient,
                                                    ontology_docs: Path) -> None:
    data = get(pages_endpoint, "/id/public-body/0207000001?format=json&lang=en").json()
    [kind] = data["types"]
    assert kind["iri"] == PSI + "PublicBody"
    assert kind["label"] == "Public body"
    anchor = kind["href"].split("#", 1)[1]
    assert f'id="{anchor}"' in get(pages_endpoint, "/ontology", BROWSER).text
    term = get(pages_endpoint, "/describe?iri=" + quote(PSI + "PublicBody", safe="") +
               "&format=json&lang=nl").json()
    assert term["label"] == "Overheidsinstantie"
    assert term["graphs"][0]["file"] == "ontology/psi.ttl"


def test_code_list_concepts_have_pages(pages_endpoint: AppClient) -> None:
    data = get(pages_endpoint, "/code/dissemination-mode/disseminated?format=json&lang=de").json()
    assert data["iri"] == "https://w3id.org/psikg/code/dissemination-mode/disseminated"
    assert data["label"] == next(
        v["value"] for g in data["properties"] if g["property"]["iri"].endswith("prefLabel")
        for v in g["values"] if v.get("language") == "de")
    assert BUDGET in {r["resource"]["iri"] for r in data["referenced_by"]}
    assert data["graphs"][0]["file"] == "ontology/codelists/dissemination-mode.ttl"
    budget = get(pages_endpoint, "/id/dataset/budget?format=json").json()
    mode = next(g for g in budget["properties"]
                if g["property"]["iri"] == PSI + "disseminationMode")
    assert mode["values"][0]["href"] == "/code/dissemination-mode/disseminated"
    turtle = get(pages_endpoint, "/code/dissemination-mode/disseminated", "text/turtle")
    assert turtle.status_code == 200
    rdflib.Graph().parse(data=turtle.text, format="turtle")
