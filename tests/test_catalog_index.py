"""The catalog's text index (SQLite FTS5) through ``/catalog.json``, on a real engine: case and
accents ignored, every language, BM25 ranking, and kept in step with the store when a graph
is replaced, dropped, or changed by a bare SPARQL update; several readers refreshing at once;
a reader kept waiting; the same index built from the embedded store; and a live
``psikg serve`` with two worker processes following a load and a drop through it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from endpoint.catalog_index import SCHEMA
from endpoint.catalog_index import connect
from endpoint.catalog_index import index_path
from endpoint.catalog_index import refresh
from endpoint.catalog_index import stamps
from graph.engine.process import EngineProcess
from graph.settings import DEFAULT_BASE_IRI
from graph.sources import source_graph
from graph.store import Store
from tests.endpoint_server import TOKEN
from tests.endpoint_server import live_server
from tests.endpoint_server import load
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

AUTH = {"Authorization": f"Bearer {TOKEN}"}
EX = "https://portal.example/dataset/"
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <https://portal.example/dataset/> .
"""


def dataset(name: str, titles: dict[str, str], description: str, *keywords: str) -> str:
    """A published dataset in Turtle: titles by language, a French description, keywords."""
    title = ", ".join(f'"{text}"@{lang}' for lang, text in titles.items())
    words = "".join(f' ; dcat:keyword "{word}"@fr' for word in keywords)
    return (f'ex:{name} a dcat:Dataset ; dct:title {title} ; '
            f'dct:description "{description}"@fr{words} .\n')


NETWORK = dataset("network", {"fr": "Réseau de distribution d'eau",
                              "nl": "Waterdistributienetwerk",
                              "de": "Wasserverteilungsnetz",
                              "en": "Water distribution network"}, "Les conduites publiques.")
SCHOOLS = dataset("schools", {"fr": "Écoles communales"},
                  "Les écoles du réseau communal, réseau par réseau.")
ROADS = dataset("roads", {"fr": "Voiries"}, "Les routes.", "réseau")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    folder = tmp_path_factory.mktemp("catalog-index")
    store = folder / "store"
    source = folder / "portal.ttl"
    source.write_text(PREFIXES + NETWORK + SCHOOLS + ROADS, encoding="utf-8")
    load(store, source)
    with engine_on(store) as running:
        yield running


@pytest.fixture(scope="module")
def served(engine: EngineProcess, token_file: Path) -> AppClient:
    return app_client(engine, engine.store.parent / "run", update_token_file=token_file)


def found(served: AppClient, **params: Any) -> list[str]:
    response = served.get("/catalog.json", params={"page_size": 100, **params})
    assert response.status_code == 200, response.text
    return [d["iri"] for d in response.json()["datasets"]]


def put(served: AppClient, graph: str, turtle: str) -> None:
    response = served.put("/store", params={"graph": graph}, data=turtle.encode(),
                          headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code in (201, 204), response.text


@pytest.mark.parametrize("q", ["reseau", "RÉSEAU", "Réseau", "réséau distribution"])
def test_case_and_accents_are_ignored(served: AppClient, q: str) -> None:
    assert EX + "network" in found(served, q=q)


@pytest.mark.parametrize("q", ["waterdistributienetwerk", "WASSERVERTEILUNGSNETZ",
                               "water network", "conduites"])
def test_every_language_and_the_description_are_searched(served: AppClient, q: str) -> None:
    assert found(served, q=q) == [EX + "network"]


def test_a_word_finds_the_words_it_starts(served: AppClient) -> None:
    assert EX + "schools" in found(served, q="ecole")  # "Écoles"


def test_a_title_or_keyword_outranks_a_description(served: AppClient) -> None:
    """BM25 with weights 10 (title), 5 (keyword), 1 (description): the word once in a title or
    keyword beats it three times in a description."""
    ranked = found(served, q="reseau")
    assert sorted(ranked) == [EX + "network", EX + "roads", EX + "schools"]
    assert ranked[-1] == EX + "schools"
    assert found(served, q="reseau", sort="title") == [EX + "schools", EX + "network",
                                                        EX + "roads"]


def test_fts_syntax_in_the_words_is_only_words(served: AppClient) -> None:
    for q in ('"', "reseau OR", "NEAR(reseau", "title:reseau", "*", "-reseau", "^reseau"):
        response = served.get("/catalog.json", params={"q": q})
        assert response.status_code == 200, (q, response.text)
    assert found(served, q="*") == []


def test_a_replaced_graph_is_searched_as_it_is_now(served: AppClient) -> None:
    graph = "https://portal.example/graph/replaced"
    put(served, graph, PREFIXES + dataset("lamps", {"fr": "Éclairage public"}, "Les lampadaires."))
    assert found(served, q="eclairage") == [EX + "lamps"]
    put(served, graph, PREFIXES + dataset("lamps", {"fr": "Luminaires"}, "Les lampadaires."))
    assert found(served, q="eclairage") == []
    assert found(served, q="luminaires") == [EX + "lamps"]


def test_a_dropped_graphs_datasets_are_gone(served: AppClient) -> None:
    graph = "https://portal.example/graph/dropped"
    put(served, graph, PREFIXES + dataset("bins", {"fr": "Bulles à verre"}, "Les bulles."))
    before = served.get("/catalog.json").json()["total"]
    assert found(served, q="bulles") == [EX + "bins"]
    assert served.delete("/store", params={"graph": graph}, headers=AUTH).status_code == 204
    assert found(served, q="bulles") == []
    assert served.get("/catalog.json").json()["total"] == before - 1


def test_a_dataset_removed_by_a_bare_update_is_not_listed(served: AppClient) -> None:
    graph = "https://portal.example/graph/updated"
    put(served, graph, PREFIXES + dataset("trees", {"fr": "Arbres remarquables"}, "Les arbres."))
    assert found(served, q="arbres") == [EX + "trees"]
    update = (f"DELETE WHERE {{ GRAPH <{graph}> {{ <{EX}trees> ?p ?o }} }}")
    assert served.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    assert found(served, q="arbres") == []


def test_a_graph_written_by_bare_updates_is_indexed_as_it_grows(served: AppClient) -> None:
    """No load provenance: its stamp is its triple count."""
    graph = "https://portal.example/graph/bare"
    for name, title in (("fountains", "Fontaines"), ("wells", "Fontaines et puits")):
        turtle = dataset(name, {"fr": title}, "De l'eau.").replace("ex:", f"<{EX}")
        data = turtle.replace(" a dcat:Dataset", "> a <http://www.w3.org/ns/dcat#Dataset>")
        update = (f"PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: "
                  f"<http://purl.org/dc/terms/> INSERT DATA {{ GRAPH <{graph}> {{ {data} }} }}")
        response = served.post("/sparql", data={"update": update}, headers=AUTH)
        assert response.status_code == 204, response.text
    assert sorted(found(served, q="fontaines")) == [EX + "fountains", EX + "wells"]


def test_several_records_of_one_graph_give_one_stable_stamp(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    source = tmp_path / "portal.ttl"
    source.write_text(PREFIXES + NETWORK, encoding="utf-8")
    load(store_path, source)
    with Store(store_path) as store:
        graph = store.source_graph(source)
        store.update(f"INSERT DATA {{ GRAPH <{store.meta_graph}> {{ <{graph}> "
                     "<http://www.w3.org/ns/prov#generatedAtTime> "
                     '"2001-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> } }')
        first = stamps(store)
        assert all(stamps(store) == first for _ in range(5))
        assert first[graph].count("|") == 4  # both records


def test_readers_refreshing_at_once_all_see_the_new_graph(served: AppClient) -> None:
    graph = "https://portal.example/graph/concurrent"
    put(served, graph, PREFIXES + "".join(
        dataset(f"park{i}", {"fr": f"Parc numéro {i}"}, "Un parc.") for i in range(50)))
    answers: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            response = served.get("/catalog.json", params={"q": "parc"})
            answers.append(response.status_code if response.status_code != 200
                           else response.json()["total"])
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(8)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert not errors and answers == [50] * 8


def test_a_reader_waiting_too_long_for_a_refresh_gets_a_503(
        served: AppClient, engine: EngineProcess, token_file: Path) -> None:
    impatient = app_client(engine, engine.store.parent / "run-impatient", timeout_s=1,
                           update_token_file=token_file)
    assert impatient.get("/catalog.json").status_code == 200
    put(served, "https://portal.example/graph/busy",
        PREFIXES + dataset("benches", {"fr": "Bancs publics"}, "Les bancs."))
    other = sqlite3.connect(index_path(engine.store, None), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another worker refreshing
    try:
        response = impatient.get("/catalog.json", params={"q": "bancs"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 503
    assert response.json()["errors"][0]["type"] == "index-busy"
    assert response.headers["Retry-After"]
    assert found(impatient, q="bancs") == [EX + "benches"]


def test_the_index_is_built_from_the_embedded_store(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    source = tmp_path / "portal.ttl"
    source.write_text(PREFIXES + NETWORK + SCHOOLS, encoding="utf-8")
    load(store_path, source)
    path = index_path(store_path, None)
    assert path.parent == tmp_path
    with Store(store_path) as store:
        conn = connect(path)
        live = refresh(conn, store)
        assert list(live) == [store.source_graph(source)]
        words = conn.execute("SELECT d.dataset FROM words JOIN docs AS d ON d.id = words.rowid "
                             "WHERE words MATCH '\"reseau\"*'").fetchall()
        assert sorted(w for (w,) in words) == [EX + "network", EX + "schools"]
        entries = {d for (d,) in conn.execute("SELECT dataset FROM entries")}
        assert entries == {EX + "network", EX + "schools"}
        generation = conn.execute("SELECT value FROM about WHERE key = 'generation'").fetchone()
        assert refresh(conn, store) == live  # nothing changed: nothing rewritten
        assert conn.execute("SELECT value FROM about WHERE key = 'generation'"
                            ).fetchone() == generation


def test_an_index_of_another_schema_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript("CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                      "INSERT INTO about VALUES ('schema', '0');"
                      "CREATE TABLE docs (id INTEGER PRIMARY KEY, stale TEXT);")
    old.close()
    conn = connect(path)
    assert conn.execute("SELECT value FROM about WHERE key = 'schema'").fetchone() == (
        str(SCHEMA),)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(docs)")]
    assert "dataset" in columns and "stale" not in columns


def test_every_worker_of_a_live_server_follows_loads_and_drops(
        tmp_path: Path, token_file: Path) -> None:
    """``psikg serve`` with two WSGI worker processes: a load and a drop through the server
    (the command line's path), then pages from both workers at once."""
    store, source = tmp_path / "store", tmp_path / "portal.ttl"
    source.write_text(PREFIXES + NETWORK, encoding="utf-8")
    load(store, source)
    added = tmp_path / "added.ttl"
    added.write_text(PREFIXES + dataset("benches", {"nl": "Openbare banken"}, "Des bancs."),
                     encoding="utf-8")
    env = {**os.environ, "PSIKG_UPDATE_TOKEN_FILE": str(token_file)}

    def cli(*arguments: str) -> None:
        done = subprocess.run([sys.executable, "-m", "psikg", "--store", str(store),
                               *arguments], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    def pages(url: str, q: str) -> set[tuple[str, ...]]:
        with ThreadPoolExecutor(8) as pool:
            return set(pool.map(lambda _: tuple(
                d["iri"] for d in requests.get(f"{url}/catalog.json", params={"q": q},
                                               timeout=60).json()["datasets"]), range(16)))

    with live_server(store, "--workers", "2", "--update-token-file", str(token_file)) as url:
        assert pages(url, "reseau") == {(EX + "network",)}
        cli("load", str(added))
        assert pages(url, "banken") == {(EX + "benches",)}
        graph = source_graph(DEFAULT_BASE_IRI, added)
        cli("graphs", "drop", graph)
        assert pages(url, "banken") == {()}
        assert pages(url, "reseau") == {(EX + "network",)}
