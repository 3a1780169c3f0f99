"""``psikg serve`` in front of an engine it does not run, written through ``/loads``: the
command line's ``--server`` loads, harvests and drops on Virtuoso, with the same output as
on the embedded store; a load killed part-way that leaves the old graph whole and is
cleaned up by a later load; ``--watch`` and ``--schedule`` on a remote Oxigraph; backups
refused with what to do instead.

Live servers: the server (its workers, its run folder of loads in flight) is under test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from graph.engine.process import EngineProcess
from graph.errors import StoreError
from graph.remote import pages
from graph.remote.dialects import dialect_for
from graph.remote.protocol import SparqlProtocol
from graph.remote.store import RemoteStore
from graph.scheduled_runs import RunLog
from graph.scheduled_runs import runs_file
from tests import engine_apps
from tests.cli_runs import run_in_process
from tests.conftest import write
from tests.endpoint_server import live_server
from tests.fixtures.synthetic.compliance_bodies import body_iri
from tests.fixtures.synthetic.compliance_bodies import portal_export
from tests.in_process import app_client
from tests.in_process import engine_on
from tests.virtuoso_server import Virtuoso

pytestmark = pytest.mark.slow

DCAT_FILES = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata" / "dcat"
ODWB = DCAT_FILES / "datagovbe_odwb.ttl"
"""415 datasets, 68,322 triples harvested: past Virtuoso's cap of 10,000 rows."""
GENT = DCAT_FILES / "datagovbe_gent.ttl"
"""270 datasets, mixed date types and data services: a quarter of the ODWB's size."""
EXAMPLES = engine_apps.EXAMPLES
VERSION = "http://ex.example/version"
AUTH = {"Authorization": f"Bearer {engine_apps.TOKEN}"}
MARKER = "<http://www.w3.org/ns/prov#generated>"


@contextmanager
def serving(tmp_path: Path, environment: dict[str, str], *options: str) -> Iterator[str]:
    """A live ``psikg serve`` in front of the engine ``environment`` names, with the token."""
    token = write(tmp_path / "token", engine_apps.TOKEN)
    with live_server(tmp_path / "no-store", "--update-token-file", str(token), *options,
                     env=environment) as url:
        yield url


def through(url: str, tmp_path: Path, base: str, *arguments: str | Path
            ) -> subprocess.CompletedProcess[str]:
    """``psikg --server URL ARGS…`` with the token and the server's base IRI."""
    return run_in_process(["--server", url, "--token-file", str(tmp_path / "token"),
                           "--base-iri", base, *map(str, arguments)],
                          env=engine_apps.PSEUDONYM_KEY)


def embedded(store: Path, base: str, *arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return run_in_process(["--store", str(store), "--base-iri", base, *map(str, arguments)],
                          env=engine_apps.PSEUDONYM_KEY)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def graphs(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    """``psikg graphs --format json`` by graph, without what differs by the time of the run:
    load and validation times, the checksums of the graphs psikg writes itself (reports,
    quality scores: they hold their time), and the metadata graph."""
    found: dict[str, dict[str, object]] = {}
    for row in json.loads(ok(done)):
        if row["graph"].endswith("/graph/meta"):
            continue
        row.pop("loaded", None)
        if isinstance(row.get("validation"), dict):
            row["validation"].pop("validated", None)
        if str(row.get("origin", "")).endswith("#source"):
            row.pop("sha256", None)
        found[row["graph"]] = row
    return found


def in_engine(virtuoso: Virtuoso, query: str) -> list[dict[str, str]]:
    """A query asked of Virtuoso itself, over all its graphs (psikg's never see staging)."""
    rows = pages.select(SparqlProtocol(virtuoso.url, dialect_for("virtuoso")), query)
    names = [variable.value for variable in rows.variables]
    return [{name: row[name].value for name in names if row[name] is not None}
            for row in rows]


@pytest.fixture
def base() -> str:
    return f"https://t{uuid.uuid4().hex[:12]}.psikg.example/"


def test_loads_harvests_and_drops_through_serve_on_virtuoso_as_on_the_embedded_store(
        virtuoso: Virtuoso, tmp_path: Path, base: str) -> None:
    store = tmp_path / "embedded"
    data = write(tmp_path / "d.ttl", engine_apps.DATA)
    harvest = ("harvest", ODWB, "--quality")
    with serving(tmp_path, {**virtuoso.environment(), "PSIKG_BASE_IRI": base}) as url:
        for source in (data, EXAMPLES / "subsidies.csv"):
            assert ok(through(url, tmp_path, base, "load", source)) == ok(
                embedded(store, base, "load", source))
        assert ok(through(url, tmp_path, base, *harvest)) == ok(embedded(store, base, *harvest))
        listed = graphs(through(url, tmp_path, base, "graphs", "--format", "json"))
        assert listed == graphs(embedded(store, base, "graphs", "--format", "json"))
        assert f"{base}graph/subsidies.csv/aggregates" in listed  # committed with the load
        for command in (("queries", "spending-by-body-year", "--param", "year=2024"),
                        ("quality", "--graph", f"{base}graph/harvest/datagovbe_odwb.ttl",
                         "--datasets"),
                        ("validate", "--graph", f"{base}graph/d.ttl")):
            assert ok(through(url, tmp_path, base, *command)) == ok(embedded(store, base, *command))
        write(data, "<http://ex.example/a> <http://ex.example/p> \"new\" .\n")
        ok(through(url, tmp_path, base, "load", data))  # a reload replaces the graph
        rows = json.loads(ok(through(url, tmp_path, base, "query", "--format", "json",
                                     f"SELECT ?o FROM <{base}graph/d.ttl> {{ ?s ?p ?o }}")))
        assert [row["o"]["value"] for row in rows["results"]["bindings"]] == ["new"]
        assert ok(through(url, tmp_path, base, "graphs", "drop", f"{base}graph/d.ttl")) == (
            f"dropped <{base}graph/d.ttl>\n")
        assert f"{base}graph/d.ttl" not in ok(through(url, tmp_path, base, "graphs"))
    left = in_engine(virtuoso, f"SELECT ?run WHERE {{ GRAPH <{base}graph/meta> "
                               f"{{ ?run {MARKER} ?g }} }}")
    assert left == []  # every load committed its markers away


def _loads_folder(store: Path) -> Path:
    """The folder of loads in flight of the ``psikg serve`` started with ``--store store``."""
    for found in Path(os.environ.get("TMPDIR", "/tmp")).glob("psikg-serve-*/settings.json"):
        if json.loads(found.read_text(encoding="utf-8")).get("store") == str(store):
            return found.parent / "loads"
    raise AssertionError(f"no run folder for {store}")


def _versions(count: int, version: str) -> str:
    return "".join(f'<http://ex.example/s/{i}> <{VERSION}> "{version}" .\n'
                   for i in range(count))


def test_a_load_through_serve_killed_part_way_on_virtuoso_leaves_the_old_graph(
        virtuoso: Virtuoso, tmp_path: Path, base: str) -> None:
    """``psikg --server URL load`` killed (SIGKILL) while its parts go to Virtuoso; a later
    load, once the dead one has been silent long enough, removes what it left."""
    graph = f"{base}graph/killed"
    source = write(tmp_path / "killed.nt", _versions(1_000, "old"))
    with serving(tmp_path, {**virtuoso.environment(), "PSIKG_BASE_IRI": base}) as url:
        ok(through(url, tmp_path, base, "load", source, "--graph", graph))
        before = graphs(through(url, tmp_path, base, "graphs", "--format", "json"))
        write(source, _versions(400_000, "doomed"))
        loads = _loads_folder(tmp_path / "no-store")
        child = subprocess.Popen(
            [sys.executable, "-m", "psikg", "--server", url, "--token-file",
             str(tmp_path / "token"), "--base-iri", base, "load", str(source), "--graph",
             graph],
            env={**{k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")},
                 "PYTHONPATH": str(Path(__file__).parent.parent)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        staged = f"SELECT ?g WHERE {{ GRAPH <{base}graph/meta> {{ ?run {MARKER} ?g }} }}"
        give_up = time.monotonic() + 120
        while not in_engine(virtuoso, staged):  # its staging graph is placed: parts follow
            assert child.poll() is None, "the load ended before it could be killed"
            assert time.monotonic() < give_up
            time.sleep(0.01)
        [where] = [row["g"] for row in in_engine(virtuoso, staged)]
        written = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{where}> {{ ?s ?p ?o }} }}"
        give_up = time.monotonic() + 3  # its part on its way, or in Virtuoso already
        while in_engine(virtuoso, written) == [{"n": "0"}] and time.monotonic() < give_up:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        # Virtuoso goes on writing a part the client had sent: wait until it is done, as the
        # hour the sweep waits would (aging the record below skips that hour)
        last, settled = None, time.monotonic() + 120
        while (now := in_engine(virtuoso, written)) != last and time.monotonic() < settled:
            last = now
            time.sleep(1.0)
        [run] = os.listdir(loads)  # still in flight: it never committed
        found = json.loads(ok(through(url, tmp_path, base, "query", "--format", "json",
                                      f"SELECT ?v (COUNT(*) AS ?n) {{ ?s <{VERSION}> ?v }} "
                                      "GROUP BY ?v")))
        assert [(row["v"]["value"], row["n"]["value"])
                for row in found["results"]["bindings"]] == [("old", "1000")]
        assert graphs(through(url, tmp_path, base, "graphs", "--format", "json")) == before
        write(source, _versions(5, "next"))
        ok(through(url, tmp_path, base, "load", source, "--graph", graph))
        assert in_engine(virtuoso, staged) == [{"g": where}]  # silent an hour: it may live
        old = time.time() - 2 * 3600  # the dead load has been silent for two hours
        os.utime(loads / run, (old, old))
        ok(through(url, tmp_path, base, "load", source, "--graph", graph))
        assert in_engine(virtuoso, staged) == []
        assert in_engine(virtuoso, written) == [{"n": "0"}]
        assert not (loads / run).exists()
        found = json.loads(ok(through(url, tmp_path, base, "query", "--format", "json",
                                      f"SELECT ?v (COUNT(*) AS ?n) {{ ?s <{VERSION}> ?v }} "
                                      "GROUP BY ?v")))
        assert [(row["v"]["value"], row["n"]["value"])
                for row in found["results"]["bindings"]] == [("next", "5")]


def _wait_until(check: object, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.3)
    raise AssertionError("never happened")


def _ask(url: str, query: str) -> bool:
    answer = requests.get(f"{url}/sparql", params={"query": query}, timeout=30,
                          headers=engine_apps.JSON)
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def test_watch_and_schedule_load_through_serve_on_a_remote_oxigraph(
        remote_oxigraph: EngineProcess, tmp_path: Path) -> None:
    base = "https://remote.psikg.example/"
    registers = tmp_path / "registers"
    registers.mkdir()
    catalog = Path(__file__).parent / "fixtures" / "harvest" / "defects.ttl"
    config = write(tmp_path / "harvest.toml", f'[[source]]\nname = "portal"\n'
                   f'url = "{catalog}"\nevery = "2s"\n')
    environment = {"PSIKG_ENGINE_URL": remote_oxigraph.url, "PSIKG_ENGINE_KIND": "oxigraph",
                   "PSIKG_BASE_IRI": base}
    with serving(tmp_path, environment, "--watch", str(registers),
                 "--schedule", str(config)) as url:
        shutil.copy(EXAMPLES / "charges-metadata.json", registers)
        shutil.copy(EXAMPLES / "charges.csv", registers)
        record = RunLog(runs_file(tmp_path / "no-store"))  # beside --store, as on its own
        _wait_until(lambda: {(run.kind, run.source) for run in record.runs(limit=100)
                             if run.ended} >= {("load", "charges.csv"), ("harvest", "portal")})
        done = [run for run in record.runs(limit=100) if run.ended]  # before serve stops
        assert all(run.result != "failed" for run in done), [run.report for run in done]
        assert _ask(url, f"ASK {{ GRAPH <{base}graph/charges.csv> {{ ?s ?p ?o }} }}")
        assert _ask(url, f"ASK {{ GRAPH <{base}graph/harvest/portal> "
                         "{ ?d a <http://www.w3.org/ns/dcat#Dataset> } }")


def test_backups_in_front_of_another_engine_say_what_to_do_instead(
        remote_oxigraph: EngineProcess, tmp_path: Path) -> None:
    done = run_in_process(["--engine-url", remote_oxigraph.url, "--engine-kind", "oxigraph",
                           "backup", str(tmp_path / "backup")])
    assert done.returncode == 2 and "oxigraph backup" in done.stderr, done.stderr
    assert "psikg export" in done.stderr
    remote = engine_apps.remote_app(remote_oxigraph.url, "oxigraph", "https://r.psikg.example/",
                                    tmp_path / "run")
    answer = remote.post("/backup", json={"destination": str(tmp_path / "b")}, headers=AUTH)
    assert answer.status_code == 501 and "oxigraph backup" in answer.json()["error"]
    assert not (tmp_path / "backup").exists() and not (tmp_path / "b").exists()


def _comparable(value: object) -> object:
    """A page's JSON without what each store mints: the times of loads and validations,
    the IRIs of the validation records, the labels of blank nodes."""
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()
                if key not in ("validated", "loaded", "at", "when", "time", "record")}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return "_:b" if isinstance(value, str) and value.startswith("_:") else value


def test_compliance_records_on_virtuoso_as_on_the_embedded_store(
        virtuoso: Virtuoso, tmp_path: Path, base: str) -> None:
    """Loads with ``--engine-url``, then through ``psikg serve`` on Virtuoso, keep the same
    records as on the embedded store: ``/compliance`` answers alike, history included."""
    export = tmp_path / "portal.ttl"
    store = tmp_path / "embedded"
    direct = ["--base-iri", base]
    environment = {**virtuoso.environment(), "PSIKG_BASE_IRI": base}
    export.write_text(portal_export(3, fixed=True), encoding="utf-8")
    ok(run_in_process([*direct, "load", str(export)], env=virtuoso.environment()))
    ok(embedded(store, base, "load", export))
    export.write_text(portal_export(3), encoding="utf-8")
    with serving(tmp_path, environment) as url:
        ok(through(url, tmp_path, base, "load", export))
        validated = through(url, tmp_path, base, "validate", "--graph", f"{base}graph/portal.ttl")
    ok(embedded(store, base, "load", export))
    offline = embedded(store, base, "validate", "--graph", f"{base}graph/portal.ttl")
    assert validated.returncode == offline.returncode == 1  # violations: recorded
    remote = engine_apps.remote_app(virtuoso.url, "virtuoso", base, tmp_path / "run",
                                    user=virtuoso.user, password_file=virtuoso.password_file)
    with engine_on(store, base) as local:
        here = app_client(local, tmp_path / "run-embedded", base_iri=base)
        for query in ("", f"?body={quote(body_iri(1), safe='')}"):
            answers = [client.get("/compliance.json" + query) for client in (remote, here)]
            assert [answer.status_code for answer in answers] == [200, 200], answers[0].text
            found = [_comparable(answer.json()) for answer in answers]
            assert found[0] == found[1], query
    history = remote.get(f"/compliance.json?body={quote(body_iri(1), safe='')}").json()
    assert [(run["trigger"], run["violations"]) for run in history["history"]] == [
        ("load", 0), ("load", 6), ("validate", 6)]


def _direct_alike(engine: list[str], tmp_path: Path, base: str) -> None:
    """``harvest --quality`` of Gent's catalog, ``quality`` and ``validate`` with
    ``--engine-url`` answer as on the embedded store."""
    store = tmp_path / "embedded"
    graph = f"{base}graph/harvest/datagovbe_gent.ttl"
    for command in (("harvest", GENT, "--quality"), ("quality", "--graph", graph, "--datasets"),
                    ("validate", "--graph", graph)):
        direct = run_in_process(["--base-iri", base, *engine, *map(str, command)])
        offline = embedded(store, base, *command)
        assert (direct.returncode, direct.stdout) == (offline.returncode, offline.stdout), (
            command, direct.stderr)
    assert graphs(run_in_process(["--base-iri", base, *engine, "graphs", "--format", "json"])
                  ) == graphs(embedded(store, base, "graphs", "--format", "json"))


def test_harvest_quality_and_validate_on_virtuoso_as_on_the_embedded_store(
        virtuoso: Virtuoso, tmp_path: Path, base: str) -> None:
    _direct_alike(["--engine-url", virtuoso.url, "--engine-kind", "virtuoso", "--engine-user",
                   virtuoso.user, "--engine-password-file", str(virtuoso.password_file)],
                  tmp_path, base)


def test_harvest_quality_and_validate_on_a_remote_oxigraph_as_on_the_embedded_store(
        remote_oxigraph: EngineProcess, tmp_path: Path, base: str) -> None:
    _direct_alike(["--engine-url", remote_oxigraph.url, "--engine-kind", "oxigraph"],
                  tmp_path, base)


def test_a_construct_virtuoso_would_cut_is_read_whole_or_refused(
        virtuoso: Virtuoso, tmp_path: Path, base: str) -> None:
    """Virtuoso cuts a CONSTRUCT at 10,000 solutions and says nothing."""
    graph = f"{base}graph/big"
    with RemoteStore(virtuoso.url, "virtuoso", base, virtuoso.user, virtuoso.password) as store:
        store.load_files([write(tmp_path / "big.nt", _versions(12_000, "v"))], graph=graph)
        whole = store.query(f"CONSTRUCT {{ ?s ?p ?o }} FROM <{graph}> WHERE {{ ?s ?p ?o }}")
        assert len(list(whole)) == 12_000  # one whole graph: read in pages
        with pytest.raises(StoreError, match="this one has 12000"):
            store.query(f"CONSTRUCT {{ ?s <{VERSION}> ?o }} WHERE {{ GRAPH <{graph}> "
                        f"{{ ?s <{VERSION}> ?o }} }}")
        assert len(list(store.query(f"CONSTRUCT WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
                                    "LIMIT 9999"))) == 9_999


def test_what_a_forgotten_load_left_is_removed_a_day_later(
        remote_oxigraph: EngineProcess, tmp_path: Path) -> None:
    """A load through ``psikg serve`` whose server was restarted (its record of loads in
    flight gone with its run folder) leaves a staging graph; a load a day later, through a
    server or with ``--engine-url``, removes it."""
    base = "https://forgotten.psikg.example/"
    first = engine_apps.remote_app(remote_oxigraph.url, "oxigraph", base, tmp_path / "run-1")
    run = first.post("/loads", headers=AUTH).json()
    assert run["commit"] == "move"
    load = "/loads/" + run["run"].removeprefix("urn:psikg:staging:").strip("/")
    where = first.post(f"{load}/graphs", params={"graph": f"{base}graph/g"},
                       headers=AUTH).json()["where"]
    assert first.post(f"{load}/data", params={"graph": where}, headers=AUTH,
                      data=_versions(3, "left")).status_code == 204
    marked = f"ASK {{ GRAPH <{base}graph/meta> {{ ?run {MARKER} ?g }} }}"
    later = engine_apps.remote_app(remote_oxigraph.url, "oxigraph", base, tmp_path / "run-2")
    assert later.post("/loads", headers=AUTH).status_code == 200  # within the day: kept
    with RemoteStore(remote_oxigraph.url, "oxigraph", base) as store:
        assert store.query(marked) and store.query(f"ASK FROM <{where}> {{ ?s ?p ?o }}")
    later.app.extensions["psikg"].engine.store.leftover_after_s = 0  # a day has passed
    assert later.post("/loads", headers=AUTH).status_code == 200
    with RemoteStore(remote_oxigraph.url, "oxigraph", base) as store:
        assert not store.query(marked)
        assert not store.query(f"ASK FROM <{where}> {{ ?s ?p ?o }}")
