"""The aggregates tallied from the N-Triples stream equal those read back from the store,
and writes through the endpoint's update paths make the aggregates stale."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import IO
from typing import cast

import pyoxigraph as ox
import pytest

from graph.budget.staging import summarise
from graph.budget.tally import Tally
from graph.budget.tally import tapped
from graph.sources import Source
from graph.store import Store

S = "https://schema.org/"
GRAPH = "https://data.psikg.example/graph/t"
DEC = "http://www.w3.org/2001/XMLSchema#decimal"
INT = "http://www.w3.org/2001/XMLSchema#integer"
YEAR = "http://reference.data.gov.uk/id/year/"
KEY = b"0123456789abcdef0123456789abcdef"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

TRICKY = f"""<g1> {TYPE} <{S}MonetaryGrant> .
<g1> <{S}amount> "10.50"^^<{DEC}> .
<g1> <{S}amount> "10.50"^^<{DEC}> .
<g1> <{S}amount> "10.5"^^<{DEC}> .
<g1> <http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear> <{YEAR}2024> .
<g1> <{S}funder> <b1> .
<g1> <{S}funder> <b2> .
<g1> <http://purl.org/dc/terms/spatial> <m1> .
<g1> <{S}fundedItem> <x1> .
_:p1 <{S}object> <g1> .
_:p1 <{S}price> "3"^^<{INT}> .
_:p1 <{S}price> "3"^^<{INT}> .
_:p2 <{S}object> <g1> .
_:p2\t<{S}price>  "4.25"^^<{DEC}> .
_:g2 {TYPE} <{S}MonetaryGrant> .
_:g2 <{S}amount> "7"^^<{INT}> .
_:g2 <http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear> <{YEAR}2023> .
_:g2 <{S}fundedItem> <x\\u0031> .
_:g2 <{S}funder> <b1> .
_:g2 <{S}description> "a \\"quoted\\" text"@fr .
<g3> <{S}amount> "99"^^<{INT}> .
<g3> <http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear> <{YEAR}2023> .
<g3> <{S}funder> <b1> .
# a comment
<g4> {TYPE} <{S}MonetaryGrant> .
<g4> <{S}amount> "1"^^<{INT}> .
<g4> <{S}funder> <b1> .
""".replace("<g", "<https://e.x/g").replace("<b", "<https://e.x/b").replace(
    "<m", "<https://e.x/m").replace("<x", "<https://e.x/x")


def _both(tmp_path: Path, text: bytes, chunk: int) -> tuple[object, object]:
    store = Store(tmp_path / "store")
    try:
        tally = Tally()
        stream = cast(IO[bytes], _Chunked(io.BytesIO(text), chunk))
        source = Source(origin="file:///t.nt", fmt=ox.RdfFormat.N_TRIPLES, default_graph=GRAPH,
                        stream=tapped(stream, tally), checksum="x")
        staged = store.stage([source])
        from_store = summarise(store, staged.where(GRAPH))
        store.abort(staged)
        return tally.summary(), from_store
    finally:
        store.close()


class _Chunked(io.RawIOBase):
    """Gives at most ``size`` bytes a read, so lines are cut anywhere."""

    def __init__(self, inner: io.BytesIO, size: int) -> None:
        super().__init__()
        self.inner, self.size = inner, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(min(len(buffer), self.size))
        buffer[:len(data)] = data
        return len(data)


@pytest.mark.parametrize("chunk", [1, 7, 100, 1 << 20])
def test_the_tally_sums_what_the_store_holds(tmp_path: Path, chunk: int) -> None:
    tallied, stored = _both(tmp_path, TRICKY.encode(), chunk)
    assert tallied is not None and tallied == stored


def test_a_random_registry_tallies_as_stored(tmp_path: Path) -> None:
    rng = random.Random(5)
    lines = []
    for i in range(400):
        grant = f"<https://e.x/s/{i % 350}>"  # some grants described twice
        lines += [f"{grant} {TYPE} <{S}MonetaryGrant> .",
                  f"{grant} <http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear> "
                  f"<{YEAR}{2015 + rng.randrange(4)}> .",
                  f"{grant} <{S}funder> <https://e.x/b/{rng.randrange(5)}> .",
                  f"{grant} <{S}fundedItem> <https://e.x/x/{rng.randrange(30)}> .",
                  f"{grant} <{S}amount> \"{rng.randrange(1, 10**6) / 100:.2f}\"^^<{DEC}> ."]
        if rng.random() < 0.7:
            lines += [f"{grant[:-1]}/p> <{S}object> {grant} .",
                      f"{grant[:-1]}/p> <{S}price> \"{rng.randrange(0, 10**5)}\"^^<{INT}> ."]
    rng.shuffle(lines)
    tallied, stored = _both(tmp_path, ("\n".join(lines) + "\n").encode(), 4096)
    assert tallied is not None and tallied == stored


@pytest.mark.parametrize("bad", ['"1e5"^^<DEC>', '"NaN"^^<DEC>', '"1.5"^^<INT>',
                                 '"3"^^<http://www.w3.org/2001/XMLSchema#double>', '"3"'])
def test_amounts_sparql_would_not_sum_alike_build_nothing(tmp_path: Path, bad: str) -> None:
    value = bad.replace("DEC", DEC).replace("INT", INT)
    text = TRICKY + f"<https://e.x/g1> <{S}amount> {value} .\n"
    tallied, stored = _both(tmp_path, text.encode(), 1 << 20)
    assert tallied is None and stored is None


def test_a_year_of_another_shape_builds_nothing(tmp_path: Path) -> None:
    text = TRICKY.replace(f"{YEAR}2023", f"{YEAR}02023")
    tallied, stored = _both(tmp_path, text.encode(), 1 << 20)
    assert tallied is None and stored is None


def test_an_update_outside_the_loader_makes_the_aggregates_stale(tmp_path: Path) -> None:
    from graph.budget.freshness import is_fresh
    from graph.budget.freshness import stale_update
    from graph.budget.model import aggregates_graph
    from graph.canned.run import StoreExecutor
    from graph.settings import EXAMPLES_DIR
    from loaders.registry import load_table

    store = Store(tmp_path / "store")
    try:
        result = load_table(store, EXAMPLES_DIR / "subsidies.csv",
                            EXAMPLES_DIR / "subsidies-metadata.json", key=KEY)
        executor = StoreExecutor(store)
        assert is_fresh(executor)
        store.update(stale_update("https://e.x/another-graph"))
        assert is_fresh(executor)
        store.update(stale_update(result.graph))
        assert not is_fresh(executor)
        load_table(store, EXAMPLES_DIR / "subsidies.csv",
                   EXAMPLES_DIR / "subsidies-metadata.json", key=KEY)
        assert is_fresh(executor)
        store.update(stale_update(aggregates_graph(result.graph)))
        assert not is_fresh(executor)
        load_table(store, EXAMPLES_DIR / "subsidies.csv",
                   EXAMPLES_DIR / "subsidies-metadata.json", key=KEY)
        store.update(stale_update())
        assert not is_fresh(executor)
    finally:
        store.close()
