"""Loads in parts: the store bulk-loads each part in a worker thread (or two parts at once in
two) while the next is made, and ends with the same graph as one stream would give, or
with nothing at all."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.convert import KEY
from graph.errors import InputError
from graph.sources import Source
from graph.store import STAGING_PREFIX
from graph.store import Store
from loaders.csvw.convert import csv2rdf
from loaders.csvw.stream import ChunkStream
from loaders.csvw.stream import in_parts
from loaders.prepared import prepare
from loaders.registry import load_table
from loaders.row_conversion import convert_rows
from tests.fixtures.synthetic.bench_table import generate
from tests.fixtures.synthetic.bench_table import metadata_for

GRAPH = "https://data.psikg.example/graph/parts"
ROWS = 5_000
"""Rows of the bench's subsidies registry: 6 MB of N-Triples, several of the engine's chunks
and more than :data:`~loaders.csvw.stream.FIRST_PART_BYTES`, so parts of the real sizes."""


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bench's subsidies registry (plain notation) and its metadata."""
    table = tmp_path_factory.mktemp("registry") / "subsidies.csv"
    generate(table, ROWS, belgian=False)
    return table, metadata_for(table, belgian=False)


def chunks(registry: tuple[Path, Path]) -> list[bytes]:
    table, metadata = registry
    return list(csv2rdf(table, metadata=metadata, mode="minimal", strict=True).chunks())


def graph_of(store: Store) -> set[str]:
    return {str(quad.triple) for quad in store.graph_quads(GRAPH)}


def source(**data: object) -> Source:
    return Source(origin="https://example.org/subsidies.csv", fmt=ox.RdfFormat.N_TRIPLES,
                  default_graph=GRAPH, checksum="0" * 64, **data)  # type: ignore[arg-type]


def assert_untouched(store: Store) -> None:
    """Nothing but the metadata graph, which holds no load marker."""
    assert [g.value for g in store._store.named_graphs()] == [store.meta_graph]
    assert not any(STAGING_PREFIX in str(quad) for quad in store._store)
    assert not list(store.graph_quads(GRAPH))


@pytest.mark.parametrize("loaders", [1, 2])
def test_parts_give_the_graph_one_stream_gives(tmp_path: Path, registry: tuple[Path, Path],
                                               loaders: int) -> None:
    data = chunks(registry)
    with Store(tmp_path / "one") as store:
        store.commit(store.stage([source(stream=io.BytesIO(b"".join(data)))]))
        whole = graph_of(store)
    with Store(tmp_path / "parts") as store:
        parts = list(in_parts(iter(data), size=1))
        assert len(parts) == len(data) > 1
        staged = store.stage([source(parts=iter(parts), loaders=loaders)])
        assert staged.counts == [{GRAPH: len(whole)}]
        store.commit(staged)
        assert graph_of(store) == whole
        assert len(whole) > 100


@pytest.mark.parametrize("loaders", [1, 2])
def test_a_bad_part_leaves_the_store_as_it_was(tmp_path: Path, registry: tuple[Path, Path],
                                               loaders: int) -> None:
    good = b"".join(chunks(registry))
    with Store(tmp_path / "store") as store:
        with pytest.raises(InputError) as refused:
            store.stage([source(parts=iter([good, b"<a> <b> .\n", good, good]),
                                loaders=loaders)])
        assert refused.value.file == "https://example.org/subsidies.csv"
        assert_untouched(store)


@pytest.mark.parametrize("loaders", [1, 2])
def test_an_error_while_making_parts_removes_what_was_loaded(
        tmp_path: Path, registry: tuple[Path, Path], loaders: int) -> None:
    good = b"".join(chunks(registry))

    def failing() -> Iterator[bytes]:
        yield good
        yield good
        raise InputError("the converter stopped", type="conversion-failed")

    with Store(tmp_path / "store") as store:
        with pytest.raises(InputError, match="converter stopped"):
            store.stage([source(parts=failing(), loaders=loaders)])
        assert_untouched(store)


@pytest.mark.slow
def test_a_registry_load_in_many_parts_is_the_load_in_one(
        tmp_path: Path, registry: tuple[Path, Path]) -> None:
    """Cut into parts of the real sizes, the load gives the graph the conversion gives as
    one stream, bulk-loaded whole."""
    table, metadata = registry
    assert len(list(in_parts(iter(chunks(registry))))) > 1
    prepared = prepare(table, metadata)
    conversion = convert_rows(prepared, KEY, set())
    with Store(tmp_path / "one") as store:
        store.commit(store.stage([source(stream=ChunkStream(conversion.chunks()))]))
        whole = graph_of(store)
    with Store(tmp_path / "many") as store:
        many = load_table(store, table, metadata, graph=GRAPH, key=KEY)
        assert graph_of(store) == whole
    assert (many.triples, many.rows_loaded) == (len(whole), ROWS)
