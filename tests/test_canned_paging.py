"""Paged aggregates give the plain query's pages and total: ``subsidies-by-municipality``
reads its whole (short) answer once and pages it in psikg (``pagination.whole``), so one
query gives a page and the total. Every parameter combination (no year, one year, several
years, lang fr/nl) and every page, on the sample registry and on two random registries,
against the plain query paged by SPARQL and counted by its own ``COUNT``. The freshness
kept between writes is checked against real write counter files."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.budget.freshness import Freshness
from graph.budget.freshness import stale_update
from graph.canned.binding import COUNT_VARIABLE
from graph.canned.binding import count
from graph.canned.library import load_library
from graph.canned.model import CannedQuery
from graph.canned.run import Result
from graph.canned.run import StoreExecutor
from graph.canned.run import plan
from graph.canned.run import run
from graph.settings import QUERIES_DIR
from graph.store import Store
from graph.write_count import WriteCounter
from tests.fixtures.synthetic.random_grants import random_registry
from tests.test_queries_aggregates_random import FIXTURES
from tests.test_queries_aggregates_random import load_random_registry
from tests.test_queries_aggregates_random import sample_store

NAME = "subsidies-by-municipality"


class CountingExecutor(StoreExecutor):
    """The embedded store, counting the queries sent to it."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.sent: list[str] = []

    def select(self, sparql: str) -> ox.QuerySolutions:
        self.sent.append(sparql)
        return super().select(sparql)


@pytest.fixture(scope="module")
def query() -> CannedQuery:
    found = load_library(QUERIES_DIR)[NAME]
    assert found.pagination is not None and found.pagination.whole
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = sample_store(tmp_path_factory.mktemp("sample"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def randoms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("randoms")
    store = Store(folder / "store")
    rng = random.Random(5)
    for name in ("a", "b"):
        load_random_registry(store, folder, name, random_registry(rng, name, 600))
    store.load_files([FIXTURES / "municipalities.ttl"])
    yield store
    store.close()


def years_of(store: Store) -> list[str]:
    rows = store.query("SELECT DISTINCT ?y WHERE { ?g <http://data.openbudgets.eu/ontology/"
                       "dsd/dimension/fiscalYear> ?y }")
    return sorted(row["y"].value.rsplit("/", 1)[1] for row in rows)


def combinations(years: list[str]) -> list[dict[str, list[str]]]:
    cases: list[dict[str, list[str]]] = []
    for lang in ([], ["fr"], ["nl"]):
        for chosen in ([], years[:1], years[-1:], years[:2], years + ["1999"], ["1999"]):
            case = {"year": chosen} if chosen else {}
            cases.append({**case, **({"lang": lang} if lang else {})})
    return cases


def plain_total(store: Store, query: CannedQuery, values: dict[str, list[str]]) -> int:
    chosen = plan(query, StoreExecutor(store), values, force_plain=True)
    counted = list(store.query(count(chosen.text, chosen.sparql.shape)))
    return int(counted[0][COUNT_VARIABLE].value)


def walk(store: Store, query: CannedQuery, values: dict[str, list[str]], size: int,
         force_plain: bool) -> list[Result]:
    pages = []
    executor = CountingExecutor(store)
    number = 1
    while True:
        sent_before = len(executor.sent)
        result = run(query, executor, values, page=number, page_size=size,
                     force_plain=force_plain)
        if not force_plain:
            assert result.accelerated is True
            sent = [t for t in executor.sent[sent_before:] if "cube:municipality" in t]
            assert len(sent) == 1, "one query for a page and its total"
        pages.append(result)
        if not result.has_next:
            return pages
        number += 1


@pytest.mark.parametrize("which", ["sample", "randoms"])
def test_every_page_and_total_match_the_plain_query(
        which: str, query: CannedQuery, request: pytest.FixtureRequest) -> None:
    store: Store = request.getfixturevalue(which)
    for values in combinations(years_of(store)):
        fast = walk(store, query, values, 2, force_plain=False)
        slow = walk(store, query, values, 2, force_plain=True)
        assert [p.rows for p in fast] == [p.rows for p in slow], values
        expected = plain_total(store, query, values)
        assert sum(len(p.rows) for p in fast) == expected, values
        for page in fast + slow:
            assert page.total == expected, values
            assert page.last_page == max(1, -(-expected // 2))
        whole = run(query, StoreExecutor(store), values, page_size=1000)
        assert whole.rows == [row for p in fast for row in p.rows]
        beyond = run(query, StoreExecutor(store), values, page=len(fast) + 3, page_size=2)
        assert beyond.rows == [] and beyond.total == expected and not beyond.has_next


def test_some_combinations_have_names_in_each_language(sample: Store,
                                                       query: CannedQuery) -> None:
    """The cases above are not vacuous: names differ between fr and nl, rows span pages."""
    fr = run(query, StoreExecutor(sample), {"lang": ["fr"]}, page_size=1000).rows
    nl = run(query, StoreExecutor(sample), {"lang": ["nl"]}, page_size=1000).rows
    assert len(fr) > 2 and [r[2] for r in fr] != [r[2] for r in nl]


def test_freshness_is_kept_between_writes_and_never_across_one(
        randoms: Store, tmp_path: Path) -> None:
    executor = StoreExecutor(randoms)
    writes = WriteCounter(tmp_path)
    fresh = Freshness(writes)
    assert fresh(executor) and fresh(executor) and fresh.asked == 1
    writes.begin()  # a write is running: every read asks the store
    assert fresh(executor) and fresh(executor) and fresh.asked == 3
    randoms.update(stale_update("https://e.x/graph/a"))
    writes.end()
    assert not fresh(executor) and not fresh(executor) and fresh.asked == 4
    other = Freshness(WriteCounter(tmp_path))  # another worker sees the same counts
    assert not other(executor)
    unkept = Freshness(None)
    assert not unkept(executor) and not unkept(executor) and unkept.asked == 2
