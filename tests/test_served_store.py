"""Every command against a running ``psikg serve``: the same output as offline, writes with
the update token, readers that never see a graph half replaced, and a load killed part-way
that leaves the old graph whole.

One live server for the module (the server is what is under test), on a copy of a store
that an offline twin copies too, so that each command's output can be compared with the
same command on the twin.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from graph.engine.served_store import ServedStore
from graph.errors import StoreError
from graph.settings import EXAMPLES_DIR
from tests.cli_runs import run_in_process
from tests.endpoint_server import TOKEN
from tests.endpoint_server import live_server

pytestmark = pytest.mark.slow

PLATFORM = "https://data.psikg.example/graph/platform.ttl"
SUBSIDIES = "https://data.psikg.example/graph/subsidies.csv"
VERSION = "http://example.org/version"
KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
SELECT_PARAMS = ("--param", "year=2024", "--format", "csv")


@dataclass
class Served:
    url: str
    store: Path
    twin: Path
    token_file: Path
    folder: Path

    def run(self, *arguments: str, token: bool = False, server: bool = False,
            store: Path | None = None) -> subprocess.CompletedProcess[str]:
        """``psikg`` on the served store (found through its announcement, or ``--server``),
        with the token in ``PSIKG_UPDATE_TOKEN_FILE``."""
        env = {"PSIKG_PSEUDONYM_KEY": KEY}
        if token:
            env["PSIKG_UPDATE_TOKEN_FILE"] = str(self.token_file)
        given = ["--server", self.url] if server else []
        return run_in_process(["--store", str(store or self.store), *given, *arguments],
                              env=env)

    def offline(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """``psikg`` on the twin, which nobody serves."""
        return run_in_process(["--store", str(self.twin), *arguments],
                              env={"PSIKG_PSEUDONYM_KEY": KEY})


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("served")
    template = folder / "template"
    base = ["--store", str(template)]
    _ok(run_in_process([*base, "load", str(EXAMPLES_DIR / "platform.ttl")]))
    _ok(run_in_process([*base, "load", str(EXAMPLES_DIR / "subsidies.csv")],
                       env={"PSIKG_PSEUDONYM_KEY": KEY}))
    store, twin = folder / "store", folder / "twin"
    shutil.copytree(template, store)
    shutil.copytree(template, twin)
    token_file = folder / "token"
    token_file.write_text(TOKEN, encoding="utf-8")
    with live_server(store, "--update-token-file", str(token_file), "--max-rows", "5000") as url:
        yield Served(url, store, twin, token_file, folder)


READS = [
    ("query", "SELECT ?d ?t { ?d a dcat:Dataset ; dct:title ?t } ORDER BY ?d ?t",
     "--format", "csv"),
    ("query", "ASK { ?s a dcat:Catalog }"),
    ("query", "CONSTRUCT { ?d dct:title ?t } WHERE { ?d a dcat:Dataset ; dct:title ?t }",
     "--format", "ntriples"),
    ("graphs",),
    ("graphs", "--format", "json"),
    ("stats",),
    ("stats", "--format", "json"),
    ("queries", "spending-by-body-year", *SELECT_PARAMS),
    ("queries", "spending-by-body-year", "--param", "year=2024"),
    ("queries",),
    ("export", "--graph", PLATFORM, "--format", "turtle"),
]


@pytest.mark.parametrize("arguments", READS, ids=" ".join)
def test_reads_answer_as_offline(served: Served, arguments: tuple[str, ...]) -> None:
    expected = _ok(served.offline(*arguments))
    assert _ok(served.run(*arguments)) == expected
    assert _ok(served.run(*arguments, server=True, store=served.folder / "elsewhere")
               ) == expected
    assert not (served.folder / "elsewhere").exists()  # the server's store, not this one


def test_the_whole_store_exports_as_offline(served: Served) -> None:
    offline = _ok(served.offline("export", "--format", "nquads")).splitlines()
    through = _ok(served.run("export", "--format", "nquads")).splitlines()
    assert len(through) == len(offline) > 5000
    assert sorted(line for line in through if "_:" not in line) == sorted(
        line for line in offline if "_:" not in line)


def test_a_syntax_error_on_the_server_is_said_in_words(served: Served) -> None:
    query = "SELECT * {\n  ?d a dcat:Dataset ; schema:name ?n }"
    done = served.run("query", query)
    assert done.returncode == 2
    assert "2:34: SPARQL syntax error: the prefix schema: is not declared" in done.stderr
    assert done.stderr == served.offline("query", query).stderr


def test_an_answer_the_server_cut_is_an_error_never_a_short_answer(served: Served) -> None:
    done = served.run("query", "SELECT * { ?s ?p ?o }", "--format", "csv")
    assert done.returncode == 1
    assert "cut the answer at 5000 rows (its --max-rows)" in done.stderr
    assert done.stdout == ""


def test_a_query_the_server_refuses_says_why(served: Served) -> None:
    done = served.run("query", "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert done.returncode == 2
    assert "refused the query: SERVICE http://example.org/sparql is not allowed" in done.stderr
    assert "syntax error" not in done.stderr


def test_validate_on_the_server_reports_as_offline_and_records_with_the_token(
        served: Served) -> None:
    arguments = ("validate", "--graph", PLATFORM, "--format", "json")
    expected = json.loads(_ok(served.offline(*arguments)))
    without = served.run(*arguments)
    assert json.loads(_ok(without)) == expected
    assert "not recorded" in without.stderr
    assert json.loads(_ok(served.run(*arguments, token=True))) == expected
    graphs = {g["graph"]: g for g in json.loads(_ok(served.run("graphs", "--format", "json")))}
    assert graphs[PLATFORM]["validation"]["conforms"] is True


def test_writes_need_the_update_token(served: Served) -> None:
    source = served.folder / "refused.ttl"
    source.write_text("<http://example.org/a> <http://example.org/b> 1 .\n", encoding="utf-8")
    done = served.run("load", str(source))
    assert done.returncode == 2
    assert "update token" in done.stderr and "--token-file" in done.stderr
    done = served.run("graphs", "drop", PLATFORM)
    assert done.returncode == 2
    assert PLATFORM in _ok(served.run("graphs"))


def test_load_and_drop_through_the_server_as_offline(served: Served) -> None:
    source = served.folder / "extra.ttl"
    source.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ; ex:d [ ex:e 1 ] .\n",
                      encoding="utf-8")
    graph = "https://data.psikg.example/graph/extra.ttl"
    assert _ok(served.run("load", str(source), token=True)) == _ok(
        served.offline("load", str(source)))
    through = {g["graph"]: g for g in json.loads(_ok(served.run("graphs", "--format", "json")))}
    offline = {g["graph"]: g for g in json.loads(_ok(served.offline("graphs", "--format",
                                                                    "json")))}
    assert through[graph]["triples"] == offline[graph]["triples"] == 3
    assert through[graph]["sha256"] == offline[graph]["sha256"]
    assert through[graph]["origin"] == source.resolve().as_uri()
    dropped = run_in_process(["--server", served.url, "--token-file", str(served.token_file),
                              "graphs", "drop", graph])
    assert _ok(dropped) == f"dropped <{graph}>\n"
    assert graph not in _ok(served.run("graphs"))


def test_a_registry_loads_through_the_server_with_its_aggregates(served: Served) -> None:
    done = served.run("load", str(EXAMPLES_DIR / "subsidies.csv"), token=True)
    assert "400 rows, 5321 triples" in _ok(done)
    graphs = _ok(served.run("graphs"))
    assert f"{SUBSIDIES}/aggregates" in graphs and "rankings" in graphs
    table = served.run("queries", "spending-by-body-year", "--param", "year=2024")
    assert "out of date" not in table.stderr  # the aggregates were committed with the load
    assert _ok(table) == _ok(served.offline("queries", "spending-by-body-year", "--param",
                                            "year=2024"))


def _versions(count: int, version: str) -> str:
    return "".join(f'<http://example.org/s/{i}> <{VERSION}> "{version}" .\n'
                   for i in range(count))


def _select(url: str, query: str) -> list[dict[str, str]]:
    answer = requests.post(f"{url}/sparql", data={"query": query}, timeout=60,
                           headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    return [{name: cell["value"] for name, cell in row.items()}
            for row in answer.json()["results"]["bindings"]]


def test_readers_see_the_old_graph_or_the_new_never_a_mix(served: Served) -> None:
    versions = served.folder / "versions.nt"
    versions.write_text(_versions(20_000, "1"), encoding="utf-8")
    graph = "http://example.org/graph/versions"
    _ok(served.run("load", str(versions), "--graph", graph, token=True))
    versions.write_text(_versions(150_000, "2"), encoding="utf-8")
    fresh = served.folder / "fresh.nt"
    fresh.write_text(_versions(100_000, "new"), encoding="utf-8")
    store = ServedStore(served.url, token=TOKEN)
    loads = [threading.Thread(target=store.load_files, args=([versions],),
                              kwargs={"graph": graph}),
             threading.Thread(target=ServedStore(served.url, token=TOKEN).load_files,
                              args=([fresh],), kwargs={"graph": "http://example.org/fresh"})]
    seen: list[tuple[tuple[str, int], ...]] = []
    names: set[str] = set()
    for load in loads:
        load.start()
    while any(load.is_alive() for load in loads):
        rows = _select(served.url, f"SELECT ?v (COUNT(*) AS ?n) {{ ?s <{VERSION}> ?v }} "
                       "GROUP BY ?v ORDER BY ?v")
        seen.append(tuple((row["v"], int(row["n"])) for row in rows))
        names |= {row["g"] for row in _select(served.url, "SELECT ?g { GRAPH ?g { } }")}
    for load in loads:
        load.join()
    assert len(seen) > 3  # readers ran while the graphs were being loaded
    allowed = {(("1", 20_000),), (("2", 150_000),), (("1", 20_000), ("new", 100_000)),
               (("2", 150_000), ("new", 100_000))}
    assert set(seen) <= allowed, set(seen) - allowed
    assert not any(name.startswith("urn:psikg:") for name in names)
    final = _select(served.url, f"SELECT ?v (COUNT(*) AS ?n) {{ ?s <{VERSION}> ?v }} "
                    "GROUP BY ?v ORDER BY ?v")
    assert [(row["v"], int(row["n"])) for row in final] == [("2", 150_000), ("new", 100_000)]


def _loads_folder(store: Path) -> Path:
    """The folder of loads in flight of the ``psikg serve`` on ``store`` (in its run folder)."""
    for settings in Path(tempfile.gettempdir()).glob("psikg-serve-*/settings.json"):
        if json.loads(settings.read_text(encoding="utf-8")).get("store") == str(store):
            return settings.parent / "loads"
    raise AssertionError(f"no run folder for {store}")


def _wait_for_upload(loads: Path, started: set[str], running: Callable[[], bool]) -> str:
    """The id of the load that started after ``started``, once it sends its data: the
    server touches the load's file at each step, and the data comes after the file is read
    (a second or so)."""
    deadline = time.monotonic() + 120
    run, created = None, 0.0
    while time.monotonic() < deadline and running():
        new = set(os.listdir(loads)) - started if loads.exists() else set()
        if run is None and new:
            run, created = new.pop(), time.time()
        if run is not None and (loads / run).stat().st_mtime > created + 0.3:
            return run
        time.sleep(0.005)
    raise AssertionError("the load never sent its data")


def test_a_load_killed_part_way_leaves_the_old_graph_whole(served: Served) -> None:
    source = served.folder / "killed.nt"
    graph = "http://example.org/graph/killed"
    source.write_text(_versions(10_000, "old"), encoding="utf-8")
    _ok(served.run("load", str(source), "--graph", graph, token=True))
    before = _ok(served.run("graphs", "--format", "json"))
    source.write_text(_versions(600_000, "doomed"), encoding="utf-8")
    loads = _loads_folder(served.store)
    started = set(os.listdir(loads)) if loads.exists() else set()
    child = subprocess.Popen(
        [sys.executable, "-m", "psikg", "--store", str(served.store), "load", str(source),
         "--graph", graph], env={**os.environ, "PSIKG_UPDATE_TOKEN_FILE": str(served.token_file)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run = _wait_for_upload(loads, started, lambda: child.poll() is None)
    time.sleep(0.2)  # the N-Triples are on their way to the engine
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert (loads / run).exists(), "the load finished before it was killed"
    rows = _select(served.url, f"SELECT ?v (COUNT(*) AS ?n) FROM <{graph}> "
                   f"{{ ?s <{VERSION}> ?v }} GROUP BY ?v")
    assert [(row["v"], int(row["n"])) for row in rows] == [("old", 10_000)]
    rows = _select(served.url, f"SELECT ?v (COUNT(*) AS ?n) {{ ?s <{VERSION}> ?v }} GROUP BY ?v")
    assert "doomed" not in {row["v"] for row in rows}
    assert _ok(served.run("graphs", "--format", "json")) == before
    source.write_text(_versions(5, "next"), encoding="utf-8")
    _ok(served.run("load", str(source), "--graph", graph, token=True))
    rows = _select(served.url, f"SELECT ?v (COUNT(*) AS ?n) FROM <{graph}> "
                   f"{{ ?s <{VERSION}> ?v }} GROUP BY ?v")
    assert [(row["v"], int(row["n"])) for row in rows] == [("next", 5)]


def test_a_load_left_staged_by_a_dead_client_stays_hidden(served: Served) -> None:
    """The client dies after its data reached the engine and before the commit."""
    graph, fresh = "http://example.org/graph/left", "http://example.org/graph/left-new"
    source = served.folder / "left.nt"
    source.write_text(_versions(3, "kept"), encoding="utf-8")
    _ok(served.run("load", str(source), "--graph", graph, token=True))
    before = _graphs_but_meta(served)
    source.write_text(_versions(50, "staged"), encoding="utf-8")
    dead = ServedStore(served.url, token=TOKEN)
    staged = dead.stage([dead.file_source(source, graph=graph),
                         dead.file_source(source, graph=fresh)])
    assert staged.counts == [{graph: 50}, {fresh: 50}]  # on the engine, not committed
    dead.close()
    rows = _select(served.url, f"SELECT ?v (COUNT(*) AS ?n) {{ ?s <{VERSION}> ?v }} GROUP BY ?v")
    assert "staged" not in {row["v"] for row in rows}
    assert ("kept", 3) in {(row["v"], int(row["n"])) for row in rows}
    assert _graphs_but_meta(served) == before  # the metadata graph holds the load marker
    assert fresh not in {row["g"] for row in _select(served.url, "SELECT ?g { GRAPH ?g { } }")}
    dump = _ok(served.run("export", "--format", "nquads"))
    assert '"kept"' in dump
    assert '"staged"' not in dump and "urn:psikg:staging:" not in dump
    assert _ok(served.offline("query", "ASK { ?s ?p ?o }"))  # the twin is untouched


def _graphs_but_meta(served: Served) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(_ok(served.run("graphs", "--format", "json")))
    return [graph for graph in listed if graph["graph"] != "https://data.psikg.example/graph/meta"]


def test_harvest_and_quality_through_the_server_as_offline(served: Served) -> None:
    source = Path(__file__).parent / "fixtures" / "harvest" / "defects.ttl"
    harvest = ("harvest", str(source), "--quality")
    assert _ok(served.run(*harvest, token=True)) == _ok(served.offline(*harvest))
    graph = "https://data.psikg.example/graph/harvest/defects.ttl"
    listed = _ok(served.run("graphs"))
    assert all(f"{graph}{tail}  " in listed for tail in ("", "/report", "/quality"))
    assert "unchanged since the last harvest" in _ok(served.run(*harvest, token=True))
    quality = ("quality", "--graph", graph, "--datasets")
    assert served.run(*quality).returncode == 2  # it stores its scores: the token is needed
    assert _ok(served.run(*quality, token=True)) == _ok(served.offline(*quality))


def test_an_engine_killed_under_a_load_leaves_the_old_graph_and_serves_again(
        served: Served) -> None:
    source = served.folder / "engine-killed.nt"
    graph = "http://example.org/graph/engine-killed"
    source.write_text(_versions(1_000, "before"), encoding="utf-8")
    _ok(served.run("load", str(source), "--graph", graph, token=True))
    source.write_text(_versions(600_000, "lost"), encoding="utf-8")
    loads = _loads_folder(served.store)
    started = set(os.listdir(loads))
    failures: list[BaseException] = []

    def load() -> None:
        try:
            ServedStore(served.url, token=TOKEN).load_files([source], graph=graph)
        except (StoreError, OSError) as error:
            failures.append(error)

    loading = threading.Thread(target=load)
    loading.start()
    run = _wait_for_upload(loads, started, loading.is_alive)
    time.sleep(0.3)
    engine = int((loads.parent / "engine.pid").read_text(encoding="ascii"))
    os.kill(engine, signal.SIGKILL)
    loading.join(120)
    assert failures, "the load did not notice the engine's death"
    assert "engine" in str(failures[0])
    assert not (loads / run).exists()  # the load was aborted on the restarted engine
    rows = _select(served.url, f"SELECT ?v (COUNT(*) AS ?n) FROM <{graph}> "
                   f"{{ ?s <{VERSION}> ?v }} GROUP BY ?v")
    assert [(row["v"], int(row["n"])) for row in rows] == [("before", 1_000)]
    assert not any(g.startswith("urn:psikg:") for g in
                   {row["g"] for row in _select(served.url, "SELECT ?g { GRAPH ?g { } }")})


def test_a_registry_with_violations_is_refused_or_skipped_as_offline(served: Served) -> None:
    inventory = str(EXAMPLES_DIR / "inventory.csv")
    before = _ok(served.run("graphs", "--format", "json"))
    refused, offline = served.run("load", inventory, token=True), served.offline(
        "load", inventory)
    assert refused.returncode == offline.returncode == 1
    assert refused.stderr == offline.stderr
    assert "Reuse conditions missing" in refused.stderr and "[row refused]" in refused.stderr
    assert _ok(served.run("graphs", "--format", "json")) == before  # nothing was loaded
    skipped = served.run("load", inventory, "--on-error", "skip", token=True)
    expected = served.offline("load", inventory, "--on-error", "skip")
    assert (skipped.stdout, skipped.stderr) == (expected.stdout, expected.stderr)
    assert "192 rows, 3314 triples" in _ok(skipped)
    assert "8 bad row(s) skipped" in skipped.stdout
