"""``psikg serve --schedule harvest.toml`` live: two sources on short intervals, one of
them failing, harvested by the supervisor's scheduler through the running server; each
run recorded beside the store (kept after the server stops), shown at ``/admin`` behind
the token, and no two runs of one source overlapping."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

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


def finished_runs(record: RunLog, source: str) -> list[object]:
    return [run for run in record.runs("harvest", source, limit=100) if run.ended]


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
    for source in ("portal", "gone"):
        ordered = sorted(record.runs("harvest", source, limit=100), key=lambda run: run.id)
        assert all(a.ended is not None and a.ended <= b.started
                   for a, b in zip(ordered, ordered[1:], strict=False))


def test_a_schedule_without_an_update_token_is_refused(tmp_path: Path) -> None:
    from tests.cli_runs import run_in_process

    config = tmp_path / "harvest.toml"
    config.write_text('[[source]]\nname = "a"\nurl = "a.ttl"\nevery = "1h"\n', encoding="utf-8")
    done = run_in_process(["--store", str(tmp_path / "store"), "serve", "--schedule",
                           str(config), "--port", "1"])
    assert done.returncode == 2
    assert "scheduled harvests write through the server: give --update-token-file" in (
        done.stdout + done.stderr)
