"""Which label wins for a resource that has several: the reader's language first, then the
property (``graph.labels.LABEL_PROPERTIES``), then the smallest text; the same in a canned
query's table (``graph.labels.labels``), on a resource's page, and for a resource a page
links to.

The store holds a beneficiary whose name the registers spell three ways (``schema:name``)
with its most frequent spelling as ``skos:prefLabel``, a body labelled in French
(``skos:prefLabel``) and in Dutch (``rdfs:label``, ``foaf:name``), and a contact with only a
vCard name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.canned.run import StoreExecutor
from graph.labels import labels
from graph.languages import fallback_order
from graph.settings import DEFAULT_BASE_IRI
from graph.store import Store
from tests.endpoint_server import load
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

LIEGE = DEFAULT_BASE_IRI + "beneficiary/liege"
NAMUR = DEFAULT_BASE_IRI + "public-body/namur"
CONTACT = DEFAULT_BASE_IRI + "contact/dupont"
GRANT = DEFAULT_BASE_IRI + "grant/1"
DATA = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<{LIEGE}> a schema:Organization ; skos:prefLabel "Ville de Liège" ;
    schema:name "VILLE DE LIEGE", "Ville de Liège", "ville de liege" .
<{NAMUR}> a schema:Organization ; skos:prefLabel "Ville de Namur"@fr ;
    rdfs:label "Stad Namen"@nl ; foaf:name "Namen"@nl, "Namur"@fr .
<{CONTACT}> a vcard:Individual ; vcard:fn "Marie Dupont" .
<{GRANT}> a schema:MonetaryGrant ; schema:funder <{NAMUR}> ; schema:recipient <{LIEGE}> ;
    schema:name "Subside 1"@fr .
"""
EXPECTED = {
    # several spellings, none tagged: the preferred label, not the smallest text
    ("fr", LIEGE): "Ville de Liège", ("nl", LIEGE): "Ville de Liège",
    # the reader's language before the property; in it, rdfs:label before foaf:name
    ("fr", NAMUR): "Ville de Namur", ("nl", NAMUR): "Stad Namen",
    # a language the body has no label in: an untagged one, else by language tag
    ("de", NAMUR): "Ville de Namur",
    ("fr", CONTACT): "Marie Dupont",
}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("labels") / "labels.ttl"
    path.write_text(DATA, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def served(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    store = source.parent / "served"
    load(store, source)
    with engine_on(store) as engine:
        yield app_client(engine, source.parent / "run")


@pytest.mark.parametrize(("language", "iri"), list(EXPECTED))
def test_a_canned_table_shows_the_label_that_wins(source: Path, tmp_path: Path,
                                                  language: str, iri: str) -> None:
    with Store(tmp_path / "store") as store:
        store.load_files([source])
        found = labels(StoreExecutor(store), [[ox.NamedNode(iri)]], fallback_order(language))
    assert found[iri] == EXPECTED[(language, iri)]


@pytest.mark.parametrize(("language", "iri"), list(EXPECTED))
def test_a_resource_page_shows_the_same_label(served: AppClient, language: str,
                                              iri: str) -> None:
    path = "/id/" + iri.removeprefix(DEFAULT_BASE_IRI)
    page = served.get(path, params={"format": "json", "lang": language}, timeout=60)
    assert page.status_code == 200, page.text[:300]
    assert page.json()["label"] == EXPECTED[(language, iri)]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_page_names_the_resources_it_links_to_the_same_way(served: AppClient,
                                                             language: str) -> None:
    page = served.get("/id/grant/1", params={"format": "json", "lang": language}, timeout=60)
    assert page.status_code == 200, page.text[:300]
    linked = {value["iri"]: value["label"] for group in page.json()["properties"]
              for value in group["values"] if value["type"] == "iri"}
    assert linked[LIEGE] == EXPECTED[(language, LIEGE)]
    assert linked[NAMUR] == EXPECTED[(language, NAMUR)]
