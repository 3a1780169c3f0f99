"""``psikg serve --schedule harvest.toml`` live: two sources on short intervals, one of
them failing, harvested by the supervisor's scheduler through the running server; each
run recorded beside the store (kept after the server stops), shown at ``/admin`` behind
the token, and no two runs of one source overlapping. ``psikg serve --watch DIR`` live:
a register copied into the folder is loaded through the server, and reloaded when it
changes."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import requests

from graph.scheduled_runs import Run
from graph.scheduled_runs import RunLog
from graph.scheduled_runs import runs_file
from tests.endpoint_server import TOKEN
from tests.endpoint_server import live_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
CATALOG = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://portal.example/catalog> a dcat:Catalog ; dct:title "Portal"@en ;
    dcat:dataset <https://portal.example/dataset/budget> .
<https://portal.example/dataset/budget> a dcat:Dataset ; dct:title "Budget 2024"@en ;
    dct:description "The budget of the municipality."@en .
"""


def admin(url: str) -> dict[str, dict[str, object]]:
    answer = requests.get(f"{url}/admin.json", headers=AUTH, timeout=10)
    assert answer.status_code == 200, answer.text
    return {source["source"]: source for source in answer.json()["sources"]}


def finished_runs(record: RunLog, source: str, kind: str = "harvest") -> list[Run]:
    return [run for run in record.runs(kind, source, limit=100) if run.ended]


def wait_for(record: RunLog, kind: str, source: str, count: int, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and len(finished_runs(record, source, kind)) < count:
        time.sleep(0.3)
    assert len(finished_runs(record, source, kind)) >= count, record.runs(limit=10)


@pytest.mark.slow
def test_scheduled_harvests_run_through_the_server_and_show_at_admin(
        fresh_sample_store: Path, tmp_path: Path, token_file: Path) -> None:
    catalog = tmp_path / "portal.ttl"
    catalog.write_text(CATALOG, encoding="utf-8")
    config = tmp_path / "harvest.toml"
    config.write_text(f"""
[[source]]
name = "portal"
url = "{catalog}"
every = "2s"

[[source]]
name = "gone"
url = "{tmp_path / 'missing.ttl'}"
every = "1s"

[[source]]
name = "unscheduled"
url = "{catalog}"
""", encoding="utf-8")
    store = fresh_sample_store
    record = RunLog(runs_file(store))
    with live_server(store, "--update-token-file", str(token_file),
                     "--schedule", str(config)) as url:
        assert requests.get(f"{url}/admin.json", timeout=10).status_code == 401
        assert requests.get(f"{url}/admin", headers={"Accept": "text/html"},
                            timeout=10).status_code == 401
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (
                len(finished_runs(record, "portal")) >= 2
                and len(finished_runs(record, "gone")) >= 2):
            time.sleep(0.5)
        sources = admin(url)
        assert set(sources) == {"portal", "gone"}  # a source without a schedule is not run
        portal, gone = sources["portal"], sources["gone"]
        assert portal["schedule"] == "every 2s" and gone["schedule"] == "every 1s"
        assert isinstance(portal["last_run"], dict) and isinstance(gone["last_run"], dict)
        assert portal["last_run"]["result"] in {"ok", "warnings"}, portal["last_run"]
        assert gone["last_run"]["result"] == "failed"
        assert "missing.ttl" in str(gone["last_run"]["report"])
        assert portal["next_run"] or portal["running_since"]
        harvested = requests.get(f"{url}/sparql", timeout=10, params={
            "query": "ASK { GRAPH <https://data.psikg.example/graph/harvest/portal> "
                     "{ ?d a <http://www.w3.org/ns/dcat#Dataset> } }"},
            headers={"Accept": "application/sparql-results+json"})
        assert harvested.json()["boolean"] is True
        page = requests.get(f"{url}/admin", headers={**AUTH, "Accept": "text/html"},
                            timeout=10)
        assert page.status_code == 200 and 'data-source="portal"' in page.text
    runs = record.runs(limit=100)  # the record outlives the server
    assert len(finished_runs(record, "portal")) >= 2 and len(finished_runs(record, "gone")) >= 2
    assert all(run.ended is not None for run in runs)
    with live_server(store, "--update-token-file", str(token_file)) as url:  # no --schedule
        page = requests.get(f"{url}/admin.json", headers=AUTH, timeout=10).json()
        assert page["sources"] == []  # nothing scheduled any more
        assert [run["id"] for run in page["runs"]] == [run.id for run in runs][:50]
    for source in ("portal", "gone"):
        ordered = sorted(record.runs("harvest", source, limit=100), key=lambda run: run.id)
        assert all(a.ended is not None and a.ended <= b.started
                   for a, b in zip(ordered, ordered[1:], strict=False))


@pytest.mark.parametrize(("option", "config", "message"), [
    ("--schedule", '[[source]]\nname = "a"\nurl = "a.ttl"\nevery = "1h"\n',
     "scheduled harvests write through the server: give --update-token-file"),
    ("--watch", None, "loads of a watched folder write through the server: give "
     "--update-token-file"),
    ("--schedule", '[[source]]\nname = "a"\nurl = "a.ttl"\nevery = "soon"\n',
     "bad `every`: 'soon' is not an interval"),
])
def test_a_wrong_schedule_or_folder_stops_serve_before_it_starts(
        tmp_path: Path, option: str, config: str | None, message: str) -> None:
    from tests.cli_runs import run_in_process

    target = tmp_path / "harvest.toml"
    if config is None:
        target = tmp_path / "registers"
        target.mkdir()
    else:
        target.write_text(config, encoding="utf-8")
    done = run_in_process(["--store", str(tmp_path / "store"), "serve", option, str(target),
                           "--port", "1"])
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert message in output and str(target) in output
    assert "Traceback" not in output


def triples_in(url: str, graph: str) -> int:
    answer = requests.get(f"{url}/sparql", timeout=10, params={
        "query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.slow
def test_a_register_in_the_watched_folder_is_loaded_and_reloaded_through_the_server(
        fresh_sample_store: Path, tmp_path: Path, token_file: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    registers = tmp_path / "registers"
    registers.mkdir()
    store = fresh_sample_store
    record = RunLog(runs_file(store))
    graph = "https://data.psikg.example/graph/charges.csv"
    with live_server(store, "--update-token-file", str(token_file),
                     "--watch", str(registers)) as url:
        shutil.copy(examples / "charges-metadata.json", registers)
        shutil.copy(examples / "charges.csv", registers)
        wait_for(record, "load", "charges.csv", 1)
        [loaded] = finished_runs(record, "charges.csv", "load")
        assert loaded.result == "ok", loaded.report
        assert "200 rows" in loaded.summary
        whole = triples_in(url, graph)
        assert whole > 1000
        lines = (examples / "charges.csv").read_text(encoding="utf-8").splitlines(True)
        (registers / "charges.csv").write_text("".join(lines[:101]), encoding="utf-8")
        wait_for(record, "load", "charges.csv", 2)
        assert "100 rows" in finished_runs(record, "charges.csv", "load")[0].summary
        assert 0 < triples_in(url, graph) < whole
        [source] = admin(url).values()
        assert (source["kind"], source["source"]) == ("load", "charges.csv")
        assert source["schedule"] == f"when changed in {registers}"
