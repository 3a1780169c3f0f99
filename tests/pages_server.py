"""A live ``psikg serve`` for the UI, page and browser tests: a small store of resources under
the default base IRI, with labels in some of the four languages, one label holding a
script, a resource published by another portal (loaded as it came) and one harvested with
the real ``psikg harvest``. Registered as a pytest plugin by ``tests/conftest.py``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.endpoint_server import _env
from tests.endpoint_server import live_server
from tests.endpoint_server import load

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
def pages_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of :data:`PAGES` and the harvested :data:`PORTAL`, built once."""
    folder = tmp_path_factory.mktemp("pages")
    store = folder / "store"
    (folder / "pages.ttl").write_text(PAGES, encoding="utf-8")
    (folder / "portal.ttl").write_text(PORTAL, encoding="utf-8")
    load(store, folder / "pages.ttl")
    subprocess.run([sys.executable, "-m", "psikg", "--store", str(store), "harvest",
                    str(folder / "portal.ttl"), "--name", "portal"],
                   check=True, capture_output=True, env=_env())
    return store


@pytest.fixture(scope="session")
def pages_endpoint(pages_store: Path) -> Iterator[str]:
    """A live server on :func:`pages_store`; yields its base URL."""
    with live_server(pages_store) as url:
        yield url
