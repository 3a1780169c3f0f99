"""Loads are atomic: readers never see a mix, and a killed load leaves the old graph."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.store import STAGING_PREFIX
from graph.store import Store
from tests.conftest import write

GRAPH = "http://example.org/graph/registry"
BIG_TRIPLES = 1_200_000


def ntriples(path: Path, count: int, label: str) -> Path:
    """A file of ``count`` triples whose objects say which version they belong to."""
    with path.open("w", encoding="utf-8") as stream:
        stream.writelines(f'<http://ex/s{i}> <http://ex/version> "{label}" .\n'
                          for i in range(count))
    return path


def versions(store: Store) -> dict[str, int]:
    rows = store.query(f"SELECT ?v (COUNT(*) AS ?n) {{ GRAPH <{GRAPH}> "
                       "{ ?s <http://ex/version> ?v } } GROUP BY ?v")
    return {row["v"].value: int(row["n"].value) for row in rows}


def test_a_reader_sees_the_old_graph_or_the_new_one_never_a_mix(tmp_path: Path,
                                                                store_dir: Path) -> None:
    old = ntriples(tmp_path / "old.nt", 2_000, "old")
    new = ntriples(tmp_path / "new.nt", 3_000, "new")
    seen: list[dict[str, int]] = []
    done = threading.Event()
    with Store(store_dir) as store:
        store.load_file(old, graph=GRAPH)

        def read() -> None:
            while not done.is_set():
                seen.append(versions(store))
                seen.append({"union": sum(int(r["n"].value) for r in store.query(
                    "SELECT (COUNT(*) AS ?n) { ?s <http://ex/version> ?v }"))})

        reader = threading.Thread(target=read)
        reader.start()
        try:
            for round_ in range(6):
                store.load_file(new if round_ % 2 == 0 else old, graph=GRAPH)
        finally:
            done.set()
            reader.join()
    allowed = [{"old": 2_000}, {"new": 3_000}, {"union": 2_000}, {"union": 3_000}]
    assert len(seen) > 10
    assert [view for view in seen if view not in allowed] == []


def start_load(store_dir: Path, source: Path, graph: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
    return subprocess.Popen(
        [sys.executable, "-m", "psikg", "--store", str(store_dir), "load", str(source),
         "--graph", graph], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def kill_part_way(process: subprocess.Popen[bytes], after_s: float) -> None:
    time.sleep(after_s)
    assert process.poll() is None, "the load ended before it could be killed; use a bigger file"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("replacing", [True, False], ids=["replacing", "new-graph"])
def test_killing_a_load_part_way_leaves_the_store_as_it_was(tmp_path: Path, store_dir: Path,
                                                            replacing: bool) -> None:
    big = ntriples(tmp_path / "big.nt", BIG_TRIPLES, "new")
    other = write(tmp_path / "other.ttl", "<http://ex/a> <http://ex/p> \"kept\" .")
    with Store(store_dir) as store:
        store.load_file(other)
        if replacing:
            store.load_file(ntriples(tmp_path / "old.nt", 500, "old"), graph=GRAPH)
        before = store.graphs()

    kill_part_way(start_load(store_dir, big, GRAPH), after_s=2.5)

    with Store(store_dir) as store:
        assert store.graphs() == before
        assert versions(store) == ({"old": 500} if replacing else {})
        names = [g.value for g in store._store.named_graphs()]
        assert not [name for name in names if name.startswith(STAGING_PREFIX)]
        assert store.load_file(other).triples == 1


RELOADED = "http://example.org/graph/reloaded"


def _quads_of(store: Store, graph: str) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object}"
            for q in store.graph_quads(graph)}


def test_a_reload_leaves_exactly_the_new_version_and_no_staging_graph(tmp_path: Path) -> None:
    """A graph replaced by difference holds the new version's quads, term for term: a text
    that gained a language tag is replaced, a blank node of the old version goes,
    what both versions hold stays, and the staging graph is cleared."""
    first, second = tmp_path / "v1.ttl", tmp_path / "v2.ttl"
    prefix = "@prefix ex: <http://example.org/> .\n"
    first.write_text(prefix + 'ex:a ex:label "titre" . ex:kept ex:p "same" .\n'
                     'ex:a ex:note [ ex:text "old" ] . ex:gone ex:p "x" .\n', encoding="utf-8")
    second.write_text(prefix + 'ex:a ex:label "titre"@fr . ex:kept ex:p "same" .\n'
                      'ex:a ex:note [ ex:text "new" ] . ex:new ex:p "y" .\n', encoding="utf-8")
    with Store(tmp_path / "store") as store:
        store.load_files([first], graph=RELOADED)
        store.load_files([second], graph=RELOADED)
        held = _quads_of(store, RELOADED)
        names = {graph.value for graph in store._store.named_graphs()}
    with Store(tmp_path / "alone") as alone:
        alone.load_files([second], graph=RELOADED)
        expected = _quads_of(alone, RELOADED)

    def without_blank_labels(quads: set[str]) -> set[str]:
        return {" ".join("_:b" if part.startswith("_:") else part for part in quad.split(" "))
                for quad in quads}

    assert without_blank_labels(held) == without_blank_labels(expected)
    assert len(held) == len(expected) == 5
    assert '<http://example.org/a> <http://example.org/label> "titre"@fr' in held
    assert '<http://example.org/a> <http://example.org/label> "titre"' not in held
    assert not any(name.startswith(STAGING_PREFIX) for name in names)
