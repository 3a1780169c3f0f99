"""The endpoint for the UI, page and browser tests: a small store of resources under the
default base IRI, with labels in some of the four languages, one label holding a script, a
resource published by another portal (loaded as it came) and one harvested with
``psikg harvest``, built once. The page and UI tests use an app in this process on one
engine for the session (``pages_endpoint``); the browser, a live ``psikg serve``
(``pages_live``). Registered as a pytest plugin by ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.engine.process import EngineProcess
from tests.endpoint_server import copy_store
from tests.endpoint_server import live_server
from tests.endpoint_server import load
from tests.endpoint_server import psikg
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

BASE = "https://data.psikg.example/"

PAGES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix psi: <https://w3id.org/psikg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://data.psikg.example/dataset/budget> a dcat:Dataset ;
    dct:title "Budget communal"@fr , "Gemeentebegroting"@nl , "Gemeindehaushalt"@de ,
              "Municipal budget"@en ;
    dct:publisher <https://data.psikg.example/public-body/0207000001> ;
    dct:modified "2026-01-15"^^xsd:date ;
    psi:disseminationMode <https://w3id.org/psikg/code/dissemination-mode/disseminated> ;
    dcat:keyword "budget"@fr .

<https://data.psikg.example/public-body/0207000001> a psi:PublicBody ;
    foaf:name "Commune de Namur"@fr , "Gemeente Namen"@nl .

<https://data.psikg.example/dataset/dutch-only> a dcat:Dataset ;
    dct:title "Alleen in het Nederlands"@nl ;
    <http://vocab.example/ns#audited> true ;
    dct:publisher <https://data.psikg.example/public-body/0207000001> .

<https://data.psikg.example/dataset/xss> a dcat:Dataset ;
    dct:title "<script>alert('psikg')</script>"@en ;
    dct:description "<img src=x onerror=alert(1)>" ;
    rdfs:seeAlso <javascript:alert(2)> .

<https://data.psikg.example/budget-article/849%2F435-02> rdfs:label "Article 849/435-02"@fr ;
    dct:isPartOf <https://data.psikg.example/beneficiary/Caf%C3%A9%20R%C3%A9paration> .
<https://data.psikg.example/beneficiary/Caf%C3%A9%20R%C3%A9paration> rdfs:label "Café Réparation" .

<http://other.example/dataset/rivers> a dcat:Dataset ;
    dct:title "Cours d'eau"@fr ;
    dct:publisher <https://data.psikg.example/public-body/0207000001> .
"""
"""Resources of the page tests (``pages.ttl``)."""

PORTAL = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://portal.example/catalog> a dcat:Catalog ; dct:title "Portail exemple"@fr ;
    dct:publisher <http://portal.example/org/city> ;
    dcat:dataset <http://portal.example/dataset/roads> .
<http://portal.example/dataset/roads> a dcat:Dataset ;
    dct:title "Voiries communales"@fr , "Gemeentewegen"@nl ;
    dct:description "Le réseau des voiries."@fr ;
    dct:publisher <http://portal.example/org/city> ;
    dcat:distribution <http://portal.example/dist/roads-csv> .
<http://portal.example/dist/roads-csv> a dcat:Distribution ;
    dcat:accessURL <http://portal.example/files/roads.csv> .
<http://portal.example/org/city> a foaf:Agent ; foaf:name "Ville exemple"@fr .
"""
"""A portal's DCAT-AP catalog, harvested with ``psikg harvest`` (``portal.ttl``)."""

HARVESTED_DATASET = "http://portal.example/dataset/roads"


@pytest.fixture(scope="session")
def pages_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of :data:`PAGES` and the harvested :data:`PORTAL`, built once and never
    served: the servers' stores are copies of it."""
    folder = tmp_path_factory.mktemp("pages")
    store = folder / "template"
    (folder / "pages.ttl").write_text(PAGES, encoding="utf-8")
    (folder / "portal.ttl").write_text(PORTAL, encoding="utf-8")
    load(store, folder / "pages.ttl")
    psikg(store, "harvest", str(folder / "portal.ttl"), "--name", "portal")
    return store


@pytest.fixture(scope="session")
def pages_engine(pages_template: Path) -> Iterator[EngineProcess]:
    """The query engine on a copy of :func:`pages_template`, one for the session."""
    with engine_on(copy_store(pages_template, pages_template.parent / "store")) as engine:
        yield engine


@pytest.fixture(scope="session")
def pages_endpoint(pages_engine: EngineProcess,
                   tmp_path_factory: pytest.TempPathFactory) -> AppClient:
    """The endpoint on the pages' store, in this process, with every default."""
    return app_client(pages_engine, tmp_path_factory.mktemp("pages-run"))


@pytest.fixture(scope="session")
def pages_live(pages_template: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[str]:
    """A live server on a copy of :func:`pages_template`, for the browser; yields its URL."""
    with live_server(copy_store(pages_template,
                                tmp_path_factory.mktemp("pages-live") / "store")) as url:
        yield url
