"""The access log: one JSON line per request with the fields ``endpoint/access_log.py``
lists, the route as a Flask rule, a long query cut, and never the token; to a file from a
live ``psikg serve`` with two workers, and to standard error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from endpoint.access_log import MAX_QUERY
from graph.engine.process import EngineProcess
from tests.cli_runs import run_in_process
from tests.endpoint_server import TOKEN
from tests.endpoint_server import copy_store
from tests.endpoint_server import live_server
from tests.in_process import app_client

FIELDS = {"time", "method", "route", "path", "query", "status", "duration_ms", "bytes",
          "client", "user_agent"}


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_a_live_server_logs_one_json_line_per_request(sample_template: Path,
                                                      tmp_path: Path) -> None:
    store = copy_store(sample_template, tmp_path / "store")
    token = tmp_path / "token"
    token.write_text(TOKEN, encoding="utf-8")
    log = tmp_path / "access.jsonl"
    long_query = "ASK { ?s ?p ?o } #" + "x" * 5000
    with live_server(store, "--workers", "2", "--update-token-file", str(token),
                     "--access-log", str(log)) as url:
        assert requests.get(f"{url}/sparql", params={"query": long_query},
                            headers={"User-Agent": "probe/1.0"}, timeout=10).status_code == 200
        update = requests.post(f"{url}/sparql", data={"update": "CLEAR SILENT GRAPH <urn:x>"},
                               headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        assert update.status_code in (200, 204)
        refused = requests.put(f"{url}/store", params={"graph": "http://example.org/x"},
                               data="", headers={"Content-Type": "text/turtle",
                                                 "Authorization": "Bearer wrong-token-value"},
                               timeout=10)
        assert refused.status_code == 401
        answer = requests.get(f"{url}/queries/no-such-query", timeout=10)
    written = log.read_text(encoding="utf-8")
    assert TOKEN not in written and "wrong-token-value" not in written
    assert "Authorization" not in written and "CLEAR SILENT" not in written
    got = [record for record in lines(log) if record["route"] != "/health"]  # start-up polls
    assert len(got) == 4
    assert all(record.keys() >= FIELDS for record in got)
    read, write, put, missing = got
    assert read["route"] == "/sparql" and read["method"] == "GET" and read["status"] == 200
    assert read["user_agent"] == "probe/1.0" and read["client"] == "127.0.0.1"
    assert len(str(read["query"])) == MAX_QUERY and read["query_cut"] is True
    assert read["bytes"] == len(b'{"head":{},"boolean":true}')
    assert float(str(read["duration_ms"])) > 0
    assert write["method"] == "POST" and write["query"] == ""
    assert put["status"] == 401 and put["error"] == "unauthorized"
    assert missing["route"] == "/queries/<name>" and missing["path"] == "/queries/no-such-query"
    assert missing["status"] == answer.status_code == 404
    assert str(read["time"]).endswith("Z")


def test_the_access_log_goes_to_standard_error_with_a_dash(
        sample_engine: EngineProcess, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    client = app_client(sample_engine, tmp_path / "run", access_log="-")
    capfd.readouterr()
    assert client.get("/health").status_code == 200
    records = [json.loads(line) for line in capfd.readouterr().err.splitlines()
               if line.startswith("{")]
    assert [(r["route"], r["status"]) for r in records] == [("/health", 200)]


def test_no_access_log_unless_asked(sample_engine: EngineProcess, tmp_path: Path,
                                    capfd: pytest.CaptureFixture[str]) -> None:
    client = app_client(sample_engine, tmp_path / "run")
    capfd.readouterr()
    assert client.get("/health").status_code == 200
    assert '"route"' not in capfd.readouterr().err


def test_an_access_log_that_cannot_be_written_stops_serve_before_it_starts(
        tmp_path: Path) -> None:
    done = run_in_process(["--store", str(tmp_path / "store"), "serve", "--port", "1",
                           "--access-log", str(tmp_path / "missing" / "access.jsonl")])
    assert done.returncode == 2
    assert "cannot write the access log: No such file or directory" in done.stderr
    assert not (tmp_path / "store").exists()
