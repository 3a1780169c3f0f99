"""The catalog for people: ``/catalog`` for a browser and ``/catalog.json``, through Flask's
test client on an engine over the sample platform, its dataset inventory and a harvested
portal. Search (case and accents ignored), facets, sorting, paging, the four languages,
escaping, bound parameters, and harvesters still getting the same RDF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from graph.settings import EXAMPLES_DIR
from tests.endpoint_server import load
from tests.endpoint_server import psikg
from tests.fixtures.harvest.server import PREFIXES
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

FIXTURE = Path(__file__).parent / "fixtures" / "harvest" / "defects.ttl"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
HYDRA = "http://www.w3.org/ns/hydra/core#"
CUSTOM = "https://formats.example/vendor/Custom-Format"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    folder = tmp_path_factory.mktemp("catalog-search")
    store = folder / "store"
    load(store, EXAMPLES_DIR / "platform.ttl")
    psikg(store, "load", str(EXAMPLES_DIR / "inventory.csv"), "--on-error", "skip")
    psikg(store, "harvest", str(FIXTURE), "--name", "defects", "--no-quality")
    vendor = folder / "vendor.ttl"
    vendor.write_text(PREFIXES + f"""<https://vendor.example/d> a dcat:Dataset ;
      dct:title "Relevés propriétaires"@fr ; dct:description "Un format maison."@fr ;
      dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://vendor.example/f> ;
        dct:format <{CUSTOM}> ] .""", encoding="utf-8")
    psikg(store, "harvest", str(vendor), "--name", "vendor", "--no-quality")
    with engine_on(store) as engine:
        yield app_client(engine, folder / "run")


def found(served: AppClient, **params: Any) -> dict[str, Any]:
    response = served.get("/catalog.json", params=params, timeout=60)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    data: dict[str, Any] = response.json()
    return data


def facet(data: dict[str, Any], name: str) -> dict[str, int]:
    return {value["value"]: value["count"] for value in data["facets"][name]}


def test_harvesters_keep_the_rdf_and_a_browser_gets_the_page(served: AppClient) -> None:
    for accept in (None, "*/*", "text/turtle", "application/rdf+xml", "application/ld+json"):
        response = served.get("/catalog", headers={"Accept": accept} if accept else {},
                              timeout=60)
        assert response.status_code == 200
        assert not response.headers["Content-Type"].startswith("text/html"), accept
    page = served.get("/catalog", headers={"Accept": BROWSER}, timeout=60)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<input type="search" name="q"' in page.text
    assert 'rel="alternate"; type="application/json"' in page.headers["Link"]


def test_the_json_twin_lists_what_the_rdf_catalog_publishes(served: AppClient) -> None:
    data = found(served)
    rdf = served.get("/catalog.nt", params={"page_size": 1}, timeout=60)
    total = next(q.object.value for q in ox.parse(rdf.content, format=ox.RdfFormat.N_TRIPLES)
                 if q.predicate.value == HYDRA + "totalItems")
    assert data["total"] == int(total) > 150
    assert set(data["facets"]) == {"publisher", "theme", "format", "licence", "hvd", "kind",
                                   "language"}
    assert len(data["datasets"]) == 20 and data["pages"] == -(-data["total"] // 20)
    first = data["datasets"][0]
    assert {"iri", "title", "href", "description", "modified"} <= set(first)
    assert sum(facet(data, "format").values()) >= data["total"] - 10  # nearly all have one


def test_search_ignores_case_and_accents_and_ranks_titles_first(served: AppClient) -> None:
    data = found(served, q="ECOLES communales")
    titles = [d["title"] for d in data["datasets"]]
    assert data["total"] == len(titles) > 0 and data["sort"] == "relevance"
    assert all(t.startswith("Écoles communales") for t in titles)
    dutch = found(served, q="gemeentebegroting")  # a title in Dutch only
    assert dutch["total"] > 0
    assert all("Budget" in d["title"] or "begroting" in d["title"].lower()
               for d in dutch["datasets"])
    assert found(served, q="zzz-nothing-like-this")["total"] == 0


def test_facets_filter_and_count(served: AppClient) -> None:
    everything = found(served)
    formats = facet(everything, "format")
    csv = FILE_TYPE + "CSV"
    only_csv = found(served, format=csv, page_size=100)
    assert only_csv["total"] == formats[csv]
    assert all(csv in d["format"] for d in only_csv["datasets"])
    assert facet(only_csv, "format")[csv] == only_csv["total"]
    publisher = next(iter(facet(everything, "publisher")))
    both = found(served, format=csv, publisher=publisher)
    assert both["total"] <= only_csv["total"]
    kinds = facet(everything, "kind")
    assert kinds, "the publishers' kinds of body come from the platform's graph"
    selected = [v for v in found(served, format=csv)["facets"]["format"] if v["selected"]]
    assert [v["value"] for v in selected] == [csv]


def test_sorting_and_paging(served: AppClient) -> None:
    by_date = found(served, sort="modified", page_size=50)["datasets"]
    dates = [d["modified"] or "" for d in by_date]
    assert dates == sorted(dates, reverse=True)
    by_title = [d["title"].casefold() for d in found(served, sort="title")["datasets"]]
    assert by_title[0] <= by_title[-1]
    first, second = found(served, page=1)["datasets"], found(served, page=2)["datasets"]
    assert not {d["iri"] for d in first} & {d["iri"] for d in second}


@pytest.mark.parametrize(("params", "slug"), [({"sort": "price"}, "bad-sort"),
                                              ({"page": "0"}, "bad-page"),
                                              ({"page": "x"}, "bad-page"),
                                              ({"page_size": "1000"}, "bad-page-size")])
def test_bad_parameters_are_400_naming_them(served: AppClient, params: dict[str, str],
                                            slug: str) -> None:
    response = served.get("/catalog.json", params=params, timeout=60)
    assert response.status_code == 400
    assert slug in response.text


def test_the_page_escapes_and_never_splices_what_it_is_given(served: AppClient) -> None:
    hostile = '"} } ; DROP ALL ; <script>alert(1)</script>'
    page = served.get("/catalog", params={"q": hostile, "publisher": hostile + ":x"},
                      headers={"Accept": BROWSER}, timeout=60)
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert found(served)["total"] > 150  # nothing was dropped


def test_every_dataset_links_to_its_page_and_words_follow_the_language(
        served: AppClient) -> None:
    page = served.get("/catalog", params={"lang": "nl"}, headers={"Accept": BROWSER},
                      timeout=60)
    assert "Uitgever" in page.text and "Zoeken" in page.text
    links = re.findall(r'<a class="title" href="([^"]+)"', page.text)
    assert len(links) == 20
    target = served.get(links[0].replace("&amp;", "&"), headers={"Accept": BROWSER},
                        timeout=60)
    assert target.status_code == 200
    german = served.get("/catalog.html", params={"lang": "de"}, timeout=60)
    assert "Herausgeber" in german.text and "Datensätze" in german.text


def test_a_facet_value_without_a_label_reads_as_the_end_of_its_iri(served: AppClient) -> None:
    labels = {v["value"]: v["label"] for v in found(served, lang="en")["facets"]["format"]}
    assert labels[CUSTOM] == "Custom-Format"
    assert labels[FILE_TYPE + "CSV"] == "CSV (comma-separated values)"
