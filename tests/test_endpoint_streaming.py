"""Large results in bounded memory: a one-million-row SELECT in CSV and JSON, streamed (no row
limit) and spooled (under a row limit), against a generated store. Memory, not time: the
peak resident size of psikg's processes (the supervisor and its WSGI workers) during the
1M-row download must stay within a few MiB of the peak during a 100k-row download.

The engine is left out of the sum: RocksDB's block cache grows with the data a query
touches (bounded by its own configuration), whatever is done with the rows."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from tests.endpoint_server import live_server

pytestmark = pytest.mark.slow

ROWS = 1_000_000
GRAPH = "https://data.psikg.example/graph/big.nt"
SLACK_MIB = 16.0
"""How much more the 1M-row download may take than the 100k-row one (allocator noise)."""


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A million triples in one named graph, bulk-loaded with pyoxigraph and optimised: the
    store ``psikg load`` would leave, less its provenance (loading is not under test here,
    and psikg's atomic load of a million triples costs several times as much)."""
    folder = tmp_path_factory.mktemp("big")
    source = folder / "big.nt"
    with source.open("w", encoding="utf-8") as out:
        for i in range(ROWS):
            out.write(f'<http://example.org/s/{i}> <http://example.org/p> "value {i}" .\n')
    store = ox.Store(str(folder / "store"))
    store.bulk_load(path=str(source), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(GRAPH))
    store.optimize()
    del store
    source.unlink()
    return folder / "store"


def serve_pid(port: str) -> int:
    """The pid of the ``psikg serve`` listening on ``port``."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in argv and b"--port" in argv and port.encode() in argv:
                return int(entry.name)
    raise LookupError(port)


def tree_rss_mib(root: int) -> float:
    """Resident memory of ``root`` and its descendants but the engine, in MiB."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    engines = {pid for pid in parents if _is_engine(pid)}
    members = {root}
    grew = True
    while grew:
        before = len(members)
        members |= {pid for pid, parent in parents.items()
                    if parent in members and pid not in engines}
        grew = len(members) != before
    total = 0
    for pid in members:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmRSS:")), 0)
    return total / 1024


def _is_engine(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "oxigraph"
    except OSError:
        return False


def download_peak(url: str, rows: int, fmt: str) -> tuple[float, int]:
    """Download a ``rows``-row SELECT; the server tree's peak RSS meanwhile and the bytes."""
    pid = serve_pid(url.rsplit(":", 1)[1])
    peak = [tree_rss_mib(pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mib(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    query = f"SELECT ?s ?o WHERE {{ ?s <http://example.org/p> ?o }} LIMIT {rows}"
    size = 0
    try:
        with requests.get(f"{url}/sparql", params={"query": query, "format": fmt},
                          stream=True, timeout=300) as response:
            assert response.status_code == 200
            assert "Psikg-Truncated" not in response.headers
            for chunk in response.iter_content(1 << 16):
                size += len(chunk)
    finally:
        done.set()
        sampler.join()
    return peak[0], size


@pytest.fixture(scope="module")
def streaming(big_store: Path) -> Iterator[str]:
    with live_server(big_store, "--max-rows", "0", "--timeout-s", "300") as url:
        yield url


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_million_rows_stream_in_flat_memory(streaming: str, fmt: str) -> None:
    small_peak, small_size = download_peak(streaming, ROWS // 10, fmt)
    big_peak, big_size = download_peak(streaming, ROWS, fmt)
    assert big_size > 9 * small_size
    assert big_peak - small_peak < SLACK_MIB, (small_peak, big_peak)


def test_a_million_rows_under_a_row_limit_spool_in_flat_memory(big_store: Path,
                                                                tmp_path: Path) -> None:
    store = tmp_path / "store"
    subprocess.run(["cp", "-r", str(big_store), str(store)], check=True)
    with live_server(store, "--max-rows", str(2 * ROWS), "--timeout-s", "300") as url:
        small_peak, small_size = download_peak(url, ROWS // 10, "csv")
        big_peak, big_size = download_peak(url, ROWS, "csv")
    assert big_size > 9 * small_size
    assert big_peak - small_peak < SLACK_MIB, (small_peak, big_peak)
