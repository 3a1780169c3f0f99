"""``/metrics``: Prometheus text that the client's own parser reads, counters that move with
real requests (in this process, and summed over the workers of a live ``psikg serve``),
route labels that are Flask rules, and no token needed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from graph.engine.process import EngineProcess
from tests.cli_runs import run_in_process
from tests.endpoint_server import TOKEN
from tests.endpoint_server import copy_store
from tests.endpoint_server import live_server
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.test_endpoint_limits import FOREVER

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(text: str) -> Samples:
    """Every sample of a scrape, by name and sorted labels, read by Prometheus's parser."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def scrape_when(url: str, name: str, at_least: float, **labels: str) -> Samples:
    """A scrape of a live server once ``name`` has reached ``at_least`` (or after 30 s, on a
    busy machine): a request is counted when its answer has been sent, a moment after its
    client has it, and an engine restart once the supervisor has seen the engine answer."""
    deadline = time.monotonic() + 30
    while True:
        samples = scrape(requests.get(f"{url}/metrics", timeout=10).text)
        if value(samples, name, **labels) >= at_least or time.monotonic() > deadline:
            return samples
        time.sleep(0.05)


@pytest.fixture
def app(sample_engine: EngineProcess, token_file: Path, tmp_path: Path) -> AppClient:
    """An app of this test's own: its counters start at zero."""
    return app_client(sample_engine, tmp_path / "run", update_token_file=token_file)


def test_metrics_parse_and_count_requests_by_route_and_status(app: AppClient) -> None:
    before = scrape(app.get("/metrics").text)
    assert app.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    assert app.get("/sparql", params={"query": "ASK {"}).status_code == 400
    assert app.get("/id/thing/with/a/long/path").status_code in (200, 303, 404)
    assert app.get("/no/such/route").status_code == 404
    answer = app.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    after = scrape(answer.text)
    requests_total = "psikg_http_requests_total"
    for status in ("200", "400"):
        assert value(after, requests_total, route="/sparql", method="GET", status=status) == (
            value(before, requests_total, route="/sparql", method="GET", status=status) + 1)
    assert value(after, requests_total, route="unmatched", method="GET", status="404") == 1
    assert value(after, "psikg_http_request_duration_seconds_count", route="/sparql") == 2
    assert value(after, "psikg_http_request_duration_seconds_bucket", route="/sparql",
                 le="+Inf") == 2
    labels = {v for (_, pairs) in after for (_, v) in pairs}
    assert not any("long/path" in label or "no/such" in label for label in labels)
    assert any(label.startswith("/id/<") for label in labels)


def test_store_size_is_what_health_says(app: AppClient) -> None:
    health = app.get("/health").json()
    samples = scrape(app.get("/metrics").text)
    assert value(samples, "psikg_store_triples") == health["triples"] > 0
    assert value(samples, "psikg_store_graphs") == health["graphs"]


def test_metrics_need_no_token_though_writes_do(app: AppClient) -> None:
    assert app.put("/store", params={"graph": "http://example.org/m"}, data="",
                   headers={"Content-Type": "text/turtle"}).status_code == 401
    answer = app.get("/metrics")
    assert answer.status_code == 200
    assert TOKEN not in answer.text


# --- a live server: two workers, the engine restarted, a load through the server ----------


@pytest.fixture(scope="module")
def live(sample_template: Path, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[str, Path, Path]]:
    folder = tmp_path_factory.mktemp("metrics-live")
    store = copy_store(sample_template, folder / "store")
    token = folder / "token"
    token.write_text(TOKEN, encoding="utf-8")
    with live_server(store, "--workers", "2", "--timeout-s", "1",
                     "--update-token-file", str(token)) as url:
        yield url, store, token


@pytest.mark.slow
def test_counters_of_every_worker_are_summed(live: tuple[str, Path, Path]) -> None:
    """Requests on many connections reach both workers; every scrape, whichever worker
    answers it, counts them all. (Not ``/health``: the start-up's polls may be counted
    late, as a request is counted once its answer is sent.)"""
    url, _, _ = live
    before = scrape(requests.get(f"{url}/metrics", timeout=10).text)

    def ask(_: int) -> int:
        with requests.Session() as session:  # a connection of its own
            return sum(session.get(f"{url}/sparql", params={"query": "ASK {}"},
                                   timeout=10).status_code == 200 for _ in range(5))

    with ThreadPoolExecutor(max_workers=8) as pool:
        answered = sum(pool.map(ask, range(16)))
    assert answered == 80
    sparql = {"route": "/sparql", "method": "GET", "status": "200"}
    scrape_when(url, "psikg_http_requests_total",
                value(before, "psikg_http_requests_total", **sparql) + 80, **sparql)
    counts = set()
    for _ in range(8):
        with requests.Session() as session:
            samples = scrape(session.get(f"{url}/metrics", timeout=10).text)
        counts.add(value(samples, "psikg_http_requests_total", route="/sparql", method="GET",
                         status="200") - value(before, "psikg_http_requests_total",
                                               route="/sparql", method="GET", status="200"))
    assert counts == {80}


@pytest.mark.slow
def test_a_timeout_and_the_engine_restart_are_counted(live: tuple[str, Path, Path]) -> None:
    url, _, _ = live
    before = scrape(requests.get(f"{url}/metrics", timeout=10).text)
    answer = requests.get(f"{url}/sparql", params={"query": FOREVER}, timeout=60)
    assert answer.status_code == 503
    assert requests.get(f"{url}/health", timeout=30).status_code == 200  # engine is back
    scrape_when(url, "psikg_engine_restarts_total",
                value(before, "psikg_engine_restarts_total") + 1)
    after = scrape_when(url, "psikg_query_timeouts_total",
                        value(before, "psikg_query_timeouts_total") + 1)
    assert value(after, "psikg_query_timeouts_total") == (
        value(before, "psikg_query_timeouts_total") + 1)
    assert value(after, "psikg_engine_restarts_total") >= (
        value(before, "psikg_engine_restarts_total") + 1)


@pytest.mark.slow
def test_a_load_through_the_server_is_counted_with_its_duration(
        live: tuple[str, Path, Path], tmp_path: Path) -> None:
    url, store, token = live
    before = scrape(requests.get(f"{url}/metrics", timeout=10).text)
    source = tmp_path / "counted.ttl"
    source.write_text('<http://example.org/a> <http://example.org/b> "c" .\n', encoding="utf-8")
    done = run_in_process(["--store", str(store), "load", str(source)],
                          env={"PSIKG_UPDATE_TOKEN_FILE": str(token)})
    assert done.returncode == 0, done.stderr
    done_load = {"kind": "load", "result": "committed"}
    after = scrape_when(url, "psikg_loads_total",
                        value(before, "psikg_loads_total", **done_load) + 1, **done_load)
    assert value(after, "psikg_loads_total", **done_load) == (
        value(before, "psikg_loads_total", **done_load) + 1)
    count = "psikg_load_duration_seconds_count"
    assert value(after, count, **done_load) == value(before, count, **done_load) + 1
    assert value(after, "psikg_load_duration_seconds_sum", **done_load) > value(
        before, "psikg_load_duration_seconds_sum", **done_load)
    assert value(after, "psikg_loads_in_flight") == 0
    assert value(after, "psikg_store_triples") == value(before, "psikg_store_triples") + 1

    source.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    refused = run_in_process(["--store", str(store), "load", str(source)],
                             env={"PSIKG_UPDATE_TOKEN_FILE": str(token)})
    assert refused.returncode != 0
    aborted = scrape_when(url, "psikg_loads_total", value(
        after, "psikg_loads_total", kind="load", result="aborted") + 1, kind="load",
        result="aborted")
    assert value(aborted, "psikg_loads_total", kind="load", result="aborted") == value(
        after, "psikg_loads_total", kind="load", result="aborted") + 1


@pytest.mark.slow
def test_a_harvest_through_the_server_is_counted_as_a_harvest(
        live: tuple[str, Path, Path]) -> None:
    url, store, token = live
    before = scrape(requests.get(f"{url}/metrics", timeout=10).text)
    source = Path(__file__).parent / "fixtures" / "harvest" / "defects.ttl"
    done = run_in_process(["--store", str(store), "harvest", str(source)],
                          env={"PSIKG_UPDATE_TOKEN_FILE": str(token)})
    assert done.returncode == 0, done.stderr
    harvested = {"kind": "harvest", "result": "committed"}
    after = scrape_when(url, "psikg_loads_total",
                        value(before, "psikg_loads_total", **harvested) + 1, **harvested)
    assert value(after, "psikg_loads_total", **harvested) >= (
        value(before, "psikg_loads_total", **harvested) + 1)
    assert value(after, "psikg_load_duration_seconds_count", **harvested) == value(
        after, "psikg_loads_total", **harvested)
    assert value(after, "psikg_loads_total", kind="load", result="committed") == value(
        before, "psikg_loads_total", kind="load", result="committed")
