"""Accelerated canned queries give the rows of the plain SPARQL they stand for, with random
parameter values, on the sample subsidies registry and on two random registries loaded
side by side (ties, several values per grant, payments split in parts, integer amounts)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.budget.freshness import is_fresh
from graph.budget.staging import with_aggregates
from graph.budget.tally import Tally
from graph.budget.tally import tapped
from graph.canned.library import load_library
from graph.canned.model import CannedQuery
from graph.canned.run import StoreExecutor
from graph.canned.run import run
from graph.settings import EXAMPLES_DIR
from graph.settings import QUERIES_DIR
from graph.sources import Source
from graph.store import Store
from loaders.registry import load_table
from tests.fixtures.synthetic.random_grants import random_registry
from tests.fixtures.synthetic.random_grants import tax_id

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
KEY = b"0123456789abcdef0123456789abcdef"


def sample_store(folder: Path) -> Store:
    """A new store in ``folder`` with the sample subsidies registry (and its aggregates)
    and the municipalities' names in fr and nl."""
    store = Store(folder / "store")
    load_table(store, EXAMPLES_DIR / "subsidies.csv", EXAMPLES_DIR / "subsidies-metadata.json",
               key=KEY)
    store.load_files([FIXTURES / "municipalities.ttl"])
    return store
S = "https://schema.org/"
PROFILED = "https://w3id.org/psikg/aggregates#profiled"
ACCELERATED = ["spending-by-body-year", "top-beneficiaries", "subsidies-by-municipality",
               "year-over-year", "granted-vs-paid"]


def load_random_registry(store: Store, folder: Path, name: str, data: bytes) -> None:
    """Commit ``data`` (N-Triples) as graph ``https://e.x/graph/{name}`` with the aggregates
    tallied from its stream, as the loader does."""
    path = folder / f"{name}.nt"
    path.write_bytes(data)
    graph = f"https://e.x/graph/{name}"
    tally = Tally()
    with path.open("rb") as raw:
        staged = store.stage([Source(origin=path.as_uri(), fmt=ox.RdfFormat.N_TRIPLES,
                                     default_graph=graph, stream=tapped(raw, tally),
                                     checksum=name * 64)])
    store.commit(with_aggregates(store, staged, {graph: tally}))


def random_values(rng: random.Random, query: CannedQuery, bodies: list[str]
                  ) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for parameter in query.parameters:
        if not parameter.required and rng.random() < 0.3:
            continue
        if parameter.type == "year":
            years = [str(rng.randrange(2016, 2028)) for _ in range(rng.randrange(1, 4))]
            values[parameter.name] = years if parameter.is_list else years[:1]
        elif parameter.name == "body":
            values["body"] = rng.sample(bodies + ["https://e.x/nobody"], rng.randrange(1, 3))
        elif parameter.name == "lang":
            values["lang"] = [rng.choice(["fr", "nl"])]
    return values


def _compare(store: Store, library: dict[str, CannedQuery], seed: int, cases: int) -> None:
    rng = random.Random(seed)
    executor = StoreExecutor(store)
    assert is_fresh(executor)
    bodies = sorted({row["b"].value for row in store.query(
        f"SELECT DISTINCT ?b WHERE {{ ?g <{S}funder> ?b }}")})  # type: ignore[union-attr]
    for name in ACCELERATED:
        query = library[name]
        size = query.pagination.max_page_size if query.pagination else None
        for _ in range(cases):
            values = random_values(rng, query, bodies)
            fast = run(query, executor, values, page_size=size)
            slow = run(query, executor, values, page_size=size, force_plain=True)
            assert fast.accelerated is True
            assert fast.rows == slow.rows, (name, values)


@pytest.fixture(scope="module")
def library() -> dict[str, CannedQuery]:
    return load_library(QUERIES_DIR)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = sample_store(tmp_path_factory.mktemp("sample"))
    yield store
    store.close()


def test_random_values_on_the_sample_registry(sample: Store,
                                              library: dict[str, CannedQuery]) -> None:
    _compare(sample, library, 11, 25)


@pytest.mark.slow
def test_random_values_on_two_random_registries(tmp_path: Path,
                                                library: dict[str, CannedQuery]) -> None:
    rng = random.Random(7)
    store = Store(tmp_path / "store")
    try:
        for name, grants in (("a", 900), ("b", 250)):
            load_random_registry(store, tmp_path, name, random_registry(rng, name, grants))
        _compare(store, library, 3, 30)
        large = f"<{PROFILED}> <https://e.x/beneficiary/0>"
        assert store.query(f"ASK {{ GRAPH <https://e.x/graph/a/aggregates> {{ ?s {large} }} }}")
        assert not store.query(f"ASK {{ GRAPH <https://e.x/graph/b/aggregates> {{ ?s {large} }} }}")
        profile = library["beneficiary-profile"]
        executor = StoreExecutor(store)
        for beneficiary in range(40):
            values = {"enterprise_number": [tax_id(beneficiary)]}
            fast = run(profile, executor, values)
            slow = run(profile, executor, values, force_plain=True)
            assert fast.accelerated is True and fast.rows, beneficiary
            assert fast.rows == slow.rows, beneficiary
    finally:
        store.close()


PROFILE_JOIN = """PREFIX schema: <https://schema.org/>
PREFIX obeu: <http://data.openbudgets.eu/ontology/dsd/dimension/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?beneficiary ?name ?fiscal_year ?body (COUNT(?grant) AS ?grants)
       (SUM(?amount) AS ?granted) (SUM(COALESCE(?price, 0)) AS ?paid)
WHERE {
  VALUES ?enterprise_number { %s }
  ?beneficiary schema:taxID ?enterprise_number .
  OPTIONAL { ?beneficiary schema:name ?name }
  ?grant schema:fundedItem ?beneficiary ; a schema:MonetaryGrant ; schema:funder ?body ;
         obeu:fiscalYear ?fy ; schema:amount ?amount .
  OPTIONAL { ?payment schema:object ?grant ; schema:price ?price }
  BIND(xsd:integer(STRAFTER(STR(?fy), "/id/year/")) AS ?fiscal_year)
}
GROUP BY ?beneficiary ?name ?fiscal_year ?body
ORDER BY ?fiscal_year ?body"""


def test_the_profile_with_lateral_gives_the_plain_join(sample: Store,
                                                       library: dict[str, CannedQuery]) -> None:
    numbers = sorted({row["n"].value for row in sample.query(  # type: ignore[union-attr]
        f"SELECT DISTINCT ?n WHERE {{ ?b <{S}taxID> ?n }}")})
    assert numbers
    for number in numbers:
        fast = run(library["beneficiary-profile"], StoreExecutor(sample),
                   {"enterprise_number": [number]})
        plain = list(sample.query(PROFILE_JOIN % ox.Literal(number)))  # type: ignore[arg-type]
        variables = fast.variables
        assert fast.rows == [tuple(s[v] for v in variables) for s in plain], number
