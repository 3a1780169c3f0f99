"""Loads in parts: the store bulk-loads each part in a worker thread while the next is
made, and ends with the same graph as one stream would give, or with nothing at all."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import InputError
from graph.store import STAGING_PREFIX
from graph.store import Source
from graph.store import Store
from loaders.csvw.convert import csv2rdf
from loaders.csvw.stream import in_parts
from loaders.registry import load_table

EXAMPLES = Path(__file__).parent.parent / "examples"
GRAPH = "https://data.psikg.example/graph/parts"


def chunks() -> list[bytes]:
    conversion = csv2rdf(EXAMPLES / "contracts.csv", metadata=EXAMPLES / "contracts-metadata.json",
                         mode="minimal", strict=True)
    return list(conversion.chunks())


def graph_of(store: Store) -> set[str]:
    return {str(quad.triple) for quad in store.graph_quads(GRAPH)}


def source(**data: object) -> Source:
    return Source(origin="https://example.org/contracts.csv", fmt=ox.RdfFormat.N_TRIPLES,
                  default_graph=GRAPH, checksum="0" * 64, **data)  # type: ignore[arg-type]


def assert_untouched(store: Store) -> None:
    """Nothing but the metadata graph, which holds no load marker."""
    assert [g.value for g in store._store.named_graphs()] == [store.meta_graph]
    assert not any(STAGING_PREFIX in str(quad) for quad in store._store)
    assert not list(store.graph_quads(GRAPH))


def test_parts_give_the_graph_one_stream_gives(tmp_path: Path) -> None:
    data = chunks()
    with Store(tmp_path / "one") as store:
        store.commit(store.stage([source(stream=io.BytesIO(b"".join(data)))]))
        whole = graph_of(store)
    with Store(tmp_path / "parts") as store:
        parts = list(in_parts(iter(data), size=1))
        assert len(parts) == len(data) > 1
        store.commit(store.stage([source(parts=iter(parts))]))
        assert graph_of(store) == whole
        assert len(whole) > 100


def test_a_bad_part_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    good = b"".join(chunks())
    with Store(tmp_path / "store") as store:
        with pytest.raises(InputError) as refused:
            store.stage([source(parts=iter([good, b"<a> <b> .\n", good]))])
        assert refused.value.file == "https://example.org/contracts.csv"
        assert_untouched(store)


def test_an_error_while_making_parts_removes_what_was_loaded(tmp_path: Path) -> None:
    good = b"".join(chunks())

    def failing() -> Iterator[bytes]:
        yield good
        raise InputError("the converter stopped", type="conversion-failed")

    with Store(tmp_path / "store") as store:
        with pytest.raises(InputError, match="converter stopped"):
            store.stage([source(parts=failing())])
        assert_untouched(store)


def test_a_registry_load_in_many_parts_is_the_load_in_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table, metadata = EXAMPLES / "contracts.csv", EXAMPLES / "contracts-metadata.json"
    with Store(tmp_path / "one") as store:
        one = load_table(store, table, metadata, graph=GRAPH)
        whole = graph_of(store)
    monkeypatch.setattr("loaders.registry.in_parts",
                        lambda chunks, tap=None: in_parts(chunks, tap, 4096))
    with Store(tmp_path / "many") as store:
        many = load_table(store, table, metadata, graph=GRAPH)
        assert graph_of(store) == whole
    assert (many.triples, many.rows_loaded) == (one.triples, one.rows_loaded)
