"""The engine client against a real ``oxigraph serve``: a read whose engine is stopped under
it (another query's timeout) is sent again to the restarted engine and gets its answer; a
write cut short is an error, never sent twice; a read never sees a load that started just
after it looked for one."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from graph.engine.client import EngineClient
from graph.engine.loads import LoadsInFlight
from graph.engine.pause import PauseGate
from graph.engine.process import EngineProcess
from graph.errors import StoreError

TRIPLES = 200
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""A three-way cross product of the store: 8,000,000 rows to count, a few seconds' work."""


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[EngineProcess]:
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_extend(ox.Quad(ox.NamedNode(f"http://example.org/{i}"),
                              ox.NamedNode("http://example.org/p"), ox.Literal(i))
                      for i in range(TRIPLES))
    store.flush()
    del store
    process = EngineProcess(tmp_path / "store")
    process.start()
    process.write_pid(tmp_path / "engine.pid")
    try:
        yield process
    finally:
        process.stop()


def _kill_while_in_flight(engine: EngineProcess, pid_file: Path, call: threading.Thread) -> None:
    """Kill the engine once the call's request is running there, then start it again."""
    call.start()
    while engine.process is not None and _cpu_s(engine.process.pid) < 0.2:
        time.sleep(0.02)  # the engine has started working on the slow query
    engine.kill()
    engine.start()
    engine.write_pid(pid_file)


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_read_cut_by_an_engine_restart_is_sent_again(engine: EngineProcess,
                                                      tmp_path: Path) -> None:
    client = EngineClient(engine.url, tmp_path / "engine.pid")
    got: list[object] = []

    def read() -> None:
        try:
            answer = client.call("POST", "/query", body=SLOW.encode(),
                                 headers={"Content-Type": "application/sparql-query",
                                          "Accept": "application/sparql-results+json"},
                                 deadline=time.monotonic() + 300)
            got.append((answer.status, json.loads(answer.read())))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            got.append(error)

    call = threading.Thread(target=read)
    _kill_while_in_flight(engine, tmp_path / "engine.pid", call)
    call.join()
    assert client.resent >= 1
    status, body = got[0]  # type: ignore[misc]
    assert status == 200
    assert body["results"]["bindings"][0]["n"]["value"] == str(TRIPLES ** 3)


def test_a_write_cut_by_an_engine_restart_is_an_error_not_sent_twice(
        engine: EngineProcess, tmp_path: Path) -> None:
    client = EngineClient(engine.url, tmp_path / "engine.pid")
    update = ("INSERT { <http://example.org/count> <http://example.org/n> ?n } WHERE { "
              f"{{ {SLOW} }} }}")
    got: list[object] = []

    def write() -> None:
        try:
            got.append(client.call("POST", "/update", body=update.encode(),
                                   headers={"Content-Type": "application/sparql-update"},
                                   deadline=time.monotonic() + 300).status)
        except StoreError as error:
            got.append(error)

    call = threading.Thread(target=write)
    _kill_while_in_flight(engine, tmp_path / "engine.pid", call)
    call.join()
    assert isinstance(got[0], StoreError) and got[0].type == "engine-broken"
    assert client.resent == 0


def test_a_kept_connection_the_engine_closed_is_replaced_before_sending(
        engine: EngineProcess, tmp_path: Path) -> None:
    """A connection the engine closed (or answered out of turn, as Oxigraph does after 60 s
    idle) is seen before a request goes on it: a fresh one is used, nothing is resent."""
    client = EngineClient(engine.url, tmp_path / "engine.pid")
    ask = {"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"}
    assert client.call("POST", "/query", body=b"ASK {}", headers=ask).read() == b"true"
    engine.kill()
    engine.start()
    engine.write_pid(tmp_path / "engine.pid")
    assert client.call("POST", "/query", body=b"ASK {}", headers=ask).read() == b"true"
    assert client.resent == 0  # seen as closed before sending, not sent and then resent


COUNT_NAMED = b"SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
READ = {"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"}


class _LoadStartingRightAfterTheCheck(LoadsInFlight):
    """Loads in flight where, the first time a reader looks, a load starts and stages its
    data on the engine just after the reader found none: the worst moment for the reader,
    made certain instead of left to the scheduler."""

    def __init__(self, folder: Path, engine_url: str) -> None:
        super().__init__(folder)
        self.engine_url = engine_url
        self.raced = False

    def hide(self, client: EngineClient, path: str, body: bytes | None,
             headers: Any, deadline: float | None, *, always: bool = False) -> Any:
        sent = super().hide(client, path, body, headers, deadline, always=always)
        if not self.raced:
            self.raced = True
            staging = self.start() + "graph"
            loader = EngineClient(self.engine_url)
            answer = loader.call(
                "POST", "/store?" + urlencode({"graph": staging, "no_transaction": ""}),
                body=b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n",
                headers={"Content-Type": "application/n-triples"}, whole_store=True)
            assert answer.status in (201, 204), answer.read()
            answer.read()
        return sent


def test_a_read_never_sees_a_load_that_started_after_it_looked(
        engine: EngineProcess, tmp_path: Path) -> None:
    loads = _LoadStartingRightAfterTheCheck(tmp_path / "loads", engine.url)
    client = EngineClient(engine.url, tmp_path / "engine.pid", loads=loads)
    answer = client.call("POST", "/query", body=COUNT_NAMED, headers=READ)
    assert loads.raced and loads.any()  # the load is in flight, its graph on the engine
    assert answer.read().decode().split()[1:] == ["0"]
    bare = EngineClient(engine.url)  # what the engine holds, seen without hiding
    assert bare.call("POST", "/query", body=COUNT_NAMED, headers=READ).read().split()[1:] == [
        b"1"]


def test_loads_count_their_starts_in_the_journal(tmp_path: Path) -> None:
    loads = LoadsInFlight(tmp_path / "loads")
    assert loads.epoch() == 0 and not loads.any()
    first = loads.start()
    loads.finish(first.rstrip("/").rsplit(":", 1)[1])
    assert loads.epoch() == 1 and not loads.any()
    loads.start()
    assert loads.epoch() == 2 and loads.any()


def _environment(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(pair.decode().split("=", 1) for pair in pairs if b"=" in pair)


def test_the_engine_gives_flushed_write_buffers_back(engine: EngineProcess) -> None:
    """glibc's allocator is set so that the memory of flushed RocksDB buffers is returned."""
    assert engine.process is not None
    found = _environment(engine.process.pid)
    assert found["MALLOC_ARENA_MAX"] == "2"
    assert int(found["MALLOC_MMAP_THRESHOLD_"]) == int(found["MALLOC_TRIM_THRESHOLD_"]) == 1 << 20


def test_the_allocator_settings_of_the_environment_win(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    process = EngineProcess(tmp_path / "store")
    process.start()
    try:
        assert process.process is not None
        found = _environment(process.process.pid)
        assert found["MALLOC_ARENA_MAX"] == "4"
        assert "MALLOC_MMAP_THRESHOLD_" not in found  # glibc's own, as the environment asks
    finally:
        process.stop()


def test_a_read_past_its_deadline_never_kills_a_write_under_way(engine: EngineProcess,
                                                                tmp_path: Path) -> None:
    """The engine is killed to stop a runaway read only between writes: a write cut short
    could not be sent again (a load through the server would fail)."""
    gate = PauseGate(tmp_path)
    writer = EngineClient(engine.url, tmp_path / "engine.pid", gate=gate)
    reader = EngineClient(engine.url, tmp_path / "engine.pid", gate=gate)
    update = ("INSERT { <http://example.org/count> <http://example.org/n> ?n } WHERE { "
              f"{{ {SLOW} }} }}")
    got: list[object] = []

    def write() -> None:
        got.append(writer.call("POST", "/update", body=update.encode(),
                               headers={"Content-Type": "application/sparql-update"},
                               deadline=time.monotonic() + 300).status)

    call = threading.Thread(target=write)
    call.start()
    assert engine.process is not None
    while _cpu_s(engine.process.pid) < 0.2:
        time.sleep(0.02)  # the engine is working on the write
    assert not reader.kill_engine(engine.pid)
    call.join()
    assert got == [204]
    assert engine.process.poll() is None
    assert reader.kill_engine(engine.pid)  # no write under way now
    engine.process.wait(10)
