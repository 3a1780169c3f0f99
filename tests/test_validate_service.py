"""The validation service (``/validate``) through its REST API, as a CI pipeline calls it:
real files (``tests/fixtures/validate``), real pyshacl in the service's child processes, the
app in this process (``tests/in_process.py``), URLs through psikg's fetch policy from a real
HTTP server on 127.0.0.1, and the SHACL report parsed back with rdflib.

The SEMIC profiles run here on the stand-in shapes of ``fixtures/validate/semic-standin``
(psikg ships none of SEMIC's files); ``tests/test_validate_semic.py`` runs them on SEMIC's
own under ``make conformance``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from rdflib import Graph
from rdflib import Literal
from rdflib.namespace import RDF
from rdflib.namespace import SH

from graph.namespaces import article
from graph.settings import Settings
from psikg.wsgi import build_app
from tests.in_process import BASE_URL
from tests.in_process import AppClient
from tests.test_csvw_http import serve

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
CONFORMING = FIXTURES / "catalog-conforming.ttl"
VIOLATIONS = FIXTURES / "catalog-violations.ttl"
STANDIN = FIXTURES / "semic-standin"
EX = "https://data.namur-example.example/"
TURTLE = {"Content-Type": "text/turtle", "Accept": "application/json"}
RESULT_KEYS = {"severity", "focusNode", "path", "value", "message", "source"}


_SESSIONS: list[AppClient] = []


def client(**options: Any) -> AppClient:
    """The endpoint with the hooks ``psikg serve`` gives it; no engine (``/validate`` reads
    no store). Its validating children are stopped when the module's tests end."""
    settings = Settings(engine_url="http://127.0.0.1:9", public_url=BASE_URL, **options)
    session = AppClient(build_app(settings), settings.url)
    _SESSIONS.append(session)
    return session


@pytest.fixture(scope="module", autouse=True)
def _stop_children() -> Iterator[None]:
    yield
    while _SESSIONS:
        workers = _SESSIONS.pop().app.extensions.get("psikg-validation")
        if workers is not None:
            workers.close()


@pytest.fixture(scope="module")
def service() -> Iterator[AppClient]:
    yield client(dcat_ap_shapes=STANDIN)


@pytest.fixture(scope="module")
def documents() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving the fixtures, with no media type that says
    Turtle or JSON-LD: the URL's extension tells."""
    yield from serve(FIXTURES)


def post(session: AppClient, path: str, body: bytes, **headers: str) -> requests.Response:
    return session.post(path, data=body, headers={**TURTLE, **headers})


def test_a_conforming_file_conforms(service: AppClient) -> None:
    response = post(service, "/validate?profile=decree", CONFORMING.read_bytes())
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"conforms": True, "violations": 0, "warnings": 0, "results": []}


def test_a_file_with_violations_names_each_with_its_article(service: AppClient) -> None:
    response = post(service, "/validate?profile=decree&lang=en", VIOLATIONS.read_bytes())
    assert response.status_code == 200
    report = response.json()
    assert report["conforms"] is False
    assert (report["violations"], report["warnings"]) == (3, 2)
    for result in report["results"]:
        assert set(result) >= RESULT_KEYS
        assert result["focusNode"] == EX + "dataset-budget"
    title, licence, pdf = (next(r for r in report["results"] if r["severity"] == "Violation"
                                and r["path"].endswith(end))
                           for end in ("title", "license>)", "distribution"))
    assert title["article"] == licence["article"] == article(11)
    assert "dct:title" in title["message"] and "Art. 11" in title["message"]
    assert pdf["article"] == article(10)
    assert pdf["value"] == EX + "distribution-budget-pdf"
    assert {r["path"] for r in report["results"] if r["severity"] == "Warning"} == {
        "http://purl.org/dc/terms/title", "http://purl.org/dc/terms/description"}


def test_messages_come_in_the_readers_language(service: AppClient) -> None:
    """The decree's shapes speak French and English; Dutch and German readers get what the
    constraint means in their language, with the shape's own message."""
    def title_message(**headers: str) -> str:
        report = post(service, "/validate", VIOLATIONS.read_bytes(), **headers).json()
        return next(r["message"] for r in report["results"]
                    if r["severity"] == "Violation" and r["path"].endswith("title"))

    assert title_message(**{"Accept-Language": "fr"}).startswith("Titre manquant")
    assert title_message(**{"Accept-Language": "en"}).startswith("Title missing")
    assert title_message(**{"Accept-Language": "nl-BE"}).startswith("Verplichte waarde ontbreekt: ")
    assert title_message(**{"Accept-Language": "de"}).startswith("Pflichtwert fehlt: ")


def test_invalid_turtle_is_a_400_naming_line_and_column(service: AppClient) -> None:
    body = b"@prefix ex: <http://x.example/> .\nex:a ex:b ex:c ;\n    ex:d .\n"
    response = post(service, "/validate", body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["type"], error["line"], error["column"]) == ("invalid-rdf", 3, 10)
    assert response.json()["error"].startswith("request body:3:10: ")


def test_invalid_rdf_xml_names_line_and_column(service: AppClient) -> None:
    body = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            b'  <rdf:Description rdf:about="http://x.example/a">\n</rdf:RDF>\n')
    response = post(service, "/validate", body, **{"Content-Type": "application/rdf+xml"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["line"], error["column"]) == (3, 3)


@pytest.mark.parametrize(("body", "reason"), [
    (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>\n'
     b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n', "entity"),
    (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
     b'  <rdf:Description rdf:about="http://x.example/a"/>\n', "not well-formed"),
])
def test_rdf_xml_bombs_and_truncated_documents_are_refused(service: AppClient, body: bytes,
                                                          reason: str) -> None:
    """An entity declaration, and a document cut short (pyoxigraph alone would read no
    triple from it, and the empty graph would conform)."""
    response = post(service, "/validate", body, **{"Content-Type": "application/rdf+xml"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert reason in error["message"] and error["line"] >= 2


def test_an_oversize_body_is_a_413(tmp_path: Path) -> None:
    small = client(validate_max_mb=0.001)  # 1,048 bytes
    body = CONFORMING.read_bytes()
    assert len(body) > 1048
    assert post(small, "/validate", body).status_code == 413
    upload = small.post("/validate", files={"file": ("c.ttl", body, "text/turtle")},
                        headers={"Accept": "application/json"})
    assert upload.status_code == 413


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/catalog.ttl", "http://localhost/c.ttl",
                                 "http://10.1.2.3/c.ttl", "http://[::1]/c.ttl",
                                 "http://169.254.169.254/latest/meta-data/"])
def test_a_private_url_is_refused(service: AppClient, url: str) -> None:
    response = service.post("/validate", data={"url": url},
                            headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["type"] == "private-address"


@pytest.mark.parametrize(("language", "advice"), [
    ("fr", "envoyez le fichier ou collez son texte"), ("nl", "stuur het bestand of plak"),
    ("de", "laden Sie die Datei hoch"), ("en", "upload the file or paste its text")])
def test_a_private_url_is_refused_in_the_web_users_words(service: AppClient, language: str,
                                                         advice: str) -> None:
    """The fetch policy's message names the command line's option, an environment variable
    and harvest.toml: none of them is the web user's. The web says what they can do."""
    url = "http://127.0.0.1:9/catalog.ttl"
    answer = service.post(f"/validate?lang={language}", data={"url": url},
                          headers={"Accept": "application/json"})
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert error["type"] == "private-address" and error["value"] == "127.0.0.1"
    assert advice in error["message"] and "127.0.0.1" in error["message"]
    page = service.post(f"/validate?lang={language}", data={"url": url},
                        headers={"Accept": "text/html"})
    assert page.status_code == 400 and advice in html.unescape(page.text)
    for text in (answer.text, html.unescape(page.text)):
        assert not any(word in text for word in ("--allow-private", "PSIKG_", "harvest.toml",
                                                  "allow_networks"))


def test_a_url_is_fetched_when_the_settings_allow_its_address(documents: str) -> None:
    allowed = client(allow_private_addresses=True)
    response = allowed.post("/validate?profile=decree",
                            data={"url": documents + CONFORMING.name},
                            headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["conforms"] is True
    refused = client().post("/validate", data={"url": documents + CONFORMING.name},
                            headers={"Accept": "application/json"})
    assert refused.json()["errors"][0]["type"] == "private-address"


def test_a_url_that_answers_no_document_names_its_status(documents: str) -> None:
    answer = client(allow_private_addresses=True).post(
        "/validate", data={"url": documents + "missing.ttl"},
        headers={"Accept": "application/json"})
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert (error["type"], error["value"]) == ("http-status", "404")


def test_an_app_without_a_fetcher_refuses_urls() -> None:
    """``endpoint.create_app`` alone (not ``psikg serve``'s composition) fetches nothing."""
    from endpoint.app import create_app

    bare = AppClient(create_app(Settings(engine_url="http://127.0.0.1:9")), BASE_URL)
    answer = bare.post("/validate", data={"url": "https://example.org/c.ttl"},
                       headers={"Accept": "application/json"})
    assert answer.status_code == 501
    assert answer.json()["errors"][0]["type"] == "no-fetcher"


REMOTE_CONTEXT = (b'{"@context": "https://schema.org/", "@id": "http://x.example/a",'
                  b' "name": "a"}')


def test_json_ld_with_a_remote_context_is_refused(service: AppClient, documents: str,
                                                  tmp_path: Path) -> None:
    response = post(service, "/validate", REMOTE_CONTEXT,
                    **{"Content-Type": "application/ld+json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["type"] == "remote-context"
    remote = FIXTURES / "remote-context.jsonld"
    assert remote.read_bytes().strip() == REMOTE_CONTEXT
    fetched = client(allow_private_addresses=True).post(
        "/validate", data={"url": documents + remote.name}, headers={"Accept": "application/json"})
    assert fetched.status_code == 400
    assert fetched.json()["errors"][0]["type"] == "remote-context"


def test_the_turtle_report_is_a_shacl_validation_report(service: AppClient) -> None:
    asked = post(service, "/validate", VIOLATIONS.read_bytes(), Accept="text/turtle")
    assert asked.status_code == 200
    assert asked.headers["Content-Type"].startswith("text/turtle")
    report = Graph().parse(data=asked.text, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    results = list(report.objects(node, SH.result))
    counted = post(service, "/validate", VIOLATIONS.read_bytes()).json()
    assert len(results) == len(counted["results"]) == 5
    for result in results:
        assert (result, RDF.type, SH.ValidationResult) in report
        for needed in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.resultMessage):
            assert report.value(result, needed) is not None


def test_a_multipart_upload_and_pasted_text(service: AppClient) -> None:
    body = VIOLATIONS.read_bytes()
    uploaded = service.post("/validate", files={"file": ("mine.ttl", body, "text/turtle")},
                            data={"profile": "decree"}, headers={"Accept": "application/json"})
    pasted = service.post("/validate", data={"text": body.decode(), "profile": "decree"},
                          headers={"Accept": "application/json"})
    assert uploaded.status_code == pasted.status_code == 200
    assert uploaded.json() == pasted.json()
    assert uploaded.json()["violations"] == 3


def test_the_semic_profiles_on_their_stand_in(service: AppClient) -> None:
    """``dcat-ap``: the publisher typed only ``psi:PublicBody`` is no ``foaf:Agent`` without
    psikg's ontology, and the undefined property shape is dropped; ``hvd``: only the
    high-value dataset is held to the HVD shapes."""
    dcat_ap = post(service, "/validate?profile=dcat-ap", VIOLATIONS.read_bytes()).json()
    assert {(r["path"], r["value"]) for r in dcat_ap["results"]} == {
        ("http://purl.org/dc/terms/title", None),
        ("http://purl.org/dc/terms/publisher", EX + "commune")}
    assert post(service, "/validate?profile=dcat-ap", CONFORMING.read_bytes()).json()[
        "conforms"] is True
    assert post(service, "/validate?profile=hvd", VIOLATIONS.read_bytes()).json()[
        "results"] == []  # no high-value dataset: nothing to check
    high_value = CONFORMING.read_text().replace("dcat:contactPoint ex:contact ;\n    psi:", "psi:")
    hvd = post(service, "/validate?profile=hvd", high_value.encode()).json()
    assert [(r["focusNode"], r["path"]) for r in hvd["results"]] == [
        (EX + "dataset-parkings", "http://www.w3.org/ns/dcat#contactPoint")]
    every = post(service, "/validate?profile=all", VIOLATIONS.read_bytes()).json()
    assert every["violations"] == 3 + 2 and every["warnings"] == 2


def test_a_semic_profile_without_its_shapes_is_a_503() -> None:
    bare = client()
    for profile in ("dcat-ap", "hvd", "all"):
        response = post(bare, f"/validate?profile={profile}", CONFORMING.read_bytes())
        assert response.status_code == 503
        assert response.json()["errors"][0]["type"] == "profile-unavailable"
    form = bare.get("/validate", headers={"Accept": "application/json"}).json()
    assert {p["name"]: p["available"] for p in form["profiles"]} == {
        "decree": True, "dcat-ap": False, "hvd": False, "all": False}


def test_a_validation_past_its_deadline_is_a_503_and_the_service_goes_on() -> None:
    hurried = client(validate_timeout_s=0.001)
    response = post(hurried, "/validate", VIOLATIONS.read_bytes())
    assert response.status_code == 503
    assert response.json()["errors"][0]["type"] == "validation-timeout"
    assert response.headers["Retry-After"] == "1"
    patient = client()
    assert post(patient, "/validate", VIOLATIONS.read_bytes()).json()["violations"] == 3


@pytest.mark.parametrize(("path", "body", "headers", "status", "kind"), [
    ("/validate?profile=shacl", CONFORMING.read_bytes(), TURTLE, 400, "unknown-profile"),
    ("/validate", b" \n", TURTLE, 400, "no-document"),
    ("/validate", b"a,b\n1,2\n", {**TURTLE, "Content-Type": "text/csv"}, 415,
     "unsupported-media-type"),
    ("/validate", b"syntax=yaml&text=x",
     {**TURTLE, "Content-Type": "application/x-www-form-urlencoded"}, 400, "unknown-format"),
])
def test_bad_requests_say_what_to_fix(service: AppClient, path: str, body: bytes,
                                      headers: dict[str, str], status: int, kind: str) -> None:
    response = service.post(path, data=body, headers=headers)
    assert response.status_code == status
    assert response.json()["errors"][0]["type"] == kind


def test_the_report_page_groups_results_by_article(service: AppClient) -> None:
    page = post(service, "/validate?lang=de", VIOLATIONS.read_bytes(), Accept="text/html")
    assert page.status_code == 200
    html = page.text
    assert "Artikel 10 des Dekrets" in html and "Artikel 11 des Dekrets" in html
    assert html.index("Artikel 10 des Dekrets") < html.index("Artikel 11 des Dekrets")
    assert '<strong id="violations">3</strong>' in html
    assert '<a href="/validate">Validator</a>' in html  # in the nav of every page
    assert "Nicht konform" in html


def test_the_page_escapes_what_the_document_holds(service: AppClient) -> None:
    hostile = VIOLATIONS.read_text().replace(
        "ex:dataset-budget a dcat:Dataset ;", 'ex:dataset-budget a dcat:Dataset ;\n'
        '    dct:title "<script>alert(1)</script>"@en ;')
    page = service.post("/validate", data={"text": hostile},
                        headers={"Accept": "text/html"}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_a_browser_error_shows_the_form_again_with_the_text(service: AppClient) -> None:
    page = service.post("/validate?lang=en", data={"text": "ex:a ex:b"},
                        headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert 'id="error"' in page.text and "text:1:" in page.text
    assert ">ex:a ex:b</textarea>" in page.text


def test_blank_nodes_keep_the_documents_labels_in_every_profile(service: AppClient) -> None:
    """An export with blank nodes everywhere and literals where IRIs belong (as ArcGIS Hub
    writes them): each result names the node as the document did, the same in the decree's
    results and in SEMIC's, so one report of ``all`` speaks of one node."""
    export = (b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
              b"@prefix dct: <http://purl.org/dc/terms/> .\n"
              b"@prefix psi: <https://w3id.org/psikg/ontology#> .\n"
              b"_:hub a dcat:Catalog , psi:Platform ; dcat:dataset _:parkings .\n"
              b'_:parkings a dcat:Dataset ; dct:publisher "Ville de Namur" .\n')
    report = post(service, "/validate?profile=all", export).json()
    by_source = {("semic" if "semiceu" in r["source"] else "decree", r["focusNode"])
                 for r in report["results"]}
    assert by_source == {("decree", "_:parkings"), ("semic", "_:parkings")}
    literal = next(r for r in report["results"] if r["path"] == "http://purl.org/dc/terms/publisher")
    assert literal["value"] == "Ville de Namur"
