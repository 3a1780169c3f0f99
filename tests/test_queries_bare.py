"""``/queries/NAME.srj`` through Flask's test client, on an engine of its own (these tests
write): the bare SPARQL JSON results are the rows ``/sparql`` gives for the same bound
query, paged answers keep their links, and the aggregates' freshness, kept between writes,
never outlives one: right after a SPARQL Update or a Graph Store write the plain query
answers, with its rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.endpoint_server import TOKEN
from tests.endpoint_server import copy_store
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

SRJ = "application/sparql-results+json"
TOP = "/queries/top-beneficiaries"
GRAPH = "https://data.psikg.example/graph/subsidies.csv"
BENEFICIARY = "https://data.psikg.example/beneficiary/written-by-a-test"


@pytest.fixture(scope="module")
def server(queries_template: Path, tmp_path_factory: pytest.TempPathFactory,
           token_file: Path) -> Iterator[AppClient]:
    """An endpoint on an engine and a store of its own (these tests write to its store)."""
    folder = tmp_path_factory.mktemp("queries-bare")
    with engine_on(copy_store(queries_template, folder / "store")) as engine:
        yield app_client(engine, folder / "run", update_token_file=token_file)


def get(client: AppClient, url: str, **kwargs: Any) -> requests.Response:
    return client.get(url, timeout=60, **kwargs)


def bindings(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text[:300]
    data = response.json()
    assert set(data) == {"head", "results"}, "bare results: no psikg member"
    rows: list[dict[str, Any]] = data["results"]["bindings"]
    return rows


def sparql_of(server: AppClient, path: str) -> str:
    """The bound query a canned page says it ran (its ``psikg.sparql``)."""
    page = get(server, path.replace(".srj", ".json")).json()
    text: str = page["psikg"]["sparql"]
    return text


def test_srj_gives_the_rows_sparql_gives_for_the_same_query(server: AppClient) -> None:
    path = TOP + ".srj?from=2023&to=2025"
    bare = get(server, path)
    assert bare.headers["Content-Type"].startswith(SRJ)
    assert bare.headers["Psikg-Accelerated"] == "true"
    same = get(server, "/sparql", params={"query": sparql_of(server, path)},
               headers={"Accept": SRJ})
    assert bindings(bare) == bindings(same)
    assert bindings(bare), "the sample registry has beneficiaries in 2023-2025"
    assert bindings(get(server, TOP + "?from=2023&to=2025&format=srj")) == bindings(bare)


def test_srj_of_a_paged_query_keeps_its_links(server: AppClient) -> None:
    first = get(server, "/queries/subsidies-by-municipality.srj?page_size=2&lang=nl")
    rows = bindings(first)
    assert len(rows) == 2
    assert "next" in first.links and "last" in first.links
    page = get(server, "/queries/subsidies-by-municipality.json?page_size=2&lang=nl").json()
    assert rows == page["results"]["bindings"]
    last = get(server, first.links["last"]["url"])
    assert "next" not in last.links and 1 <= len(bindings(last)) <= 2


def test_bad_values_and_formats_are_named(server: AppClient) -> None:
    wrong = get(server, TOP + ".srj?from=twenty")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["parameter"] == "from"
    missing = get(server, TOP + ".nope")
    assert missing.status_code == 404 and ".srj" in missing.json()["error"]


def update(server: AppClient, text: str) -> None:
    response = server.post("/sparql", data={"update": text}, timeout=60,
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text[:300]


def test_a_write_makes_the_aggregates_stale_at_once(server: AppClient) -> None:
    """Reads between writes keep the cached answer; the first read after a write does not."""
    path = TOP + ".srj?from=2024&to=2024"
    for _ in range(3):
        assert get(server, path).headers["Psikg-Accelerated"] == "true"
    before = bindings(get(server, path))
    grant = "https://data.psikg.example/subsidy/WRITTEN-BY-A-TEST"
    update(server, f"""INSERT DATA {{ GRAPH <{GRAPH}> {{
        <{grant}> a <https://schema.org/MonetaryGrant> ;
            <https://schema.org/fundedItem> <{BENEFICIARY}> ;
            <http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear>
                <http://reference.data.gov.uk/id/year/2024> ;
            <https://schema.org/amount> 999999999 . }} }}""")
    after = get(server, path)
    assert after.headers["Psikg-Accelerated"] == "false"
    rows = bindings(after)
    assert rows[0]["beneficiary"]["value"] == BENEFICIARY, "the new grant is counted"
    assert rows[1:] == before[:len(rows) - 1]
    plain = get(server, "/sparql", params={"query": sparql_of(server, path)},
                headers={"Accept": SRJ})
    assert bindings(plain) == rows
    page = get(server, TOP + ".json?from=2024&to=2024").json()
    assert page["psikg"]["paging"]["accelerated"] is False


def test_a_graph_store_write_makes_them_stale_too(queries_template: Path, tmp_path: Path,
                                                 token_file: Path) -> None:
    with engine_on(copy_store(queries_template, tmp_path / "store")) as engine:
        client = app_client(engine, tmp_path / "run", update_token_file=token_file)
        path = "/queries/spending-by-body-year.srj"
        assert get(client, path).headers["Psikg-Accelerated"] == "true"
        response = client.post(
            "/store", params={"graph": GRAPH}, timeout=60,
            data=f"<{BENEFICIARY}> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .\n",
            headers={"Authorization": f"Bearer {TOKEN}",
                     "Content-Type": "application/n-triples"})
        assert response.status_code in (200, 201, 204), response.text[:300]
        assert get(client, path).headers["Psikg-Accelerated"] == "false"
        # queries by POST with a SPARQL body are not writes: they keep nothing stale
        client.post("/sparql", data="ASK {}", timeout=60,
                    headers={"Content-Type": "application/sparql-query"})
        assert get(client, path).headers["Psikg-Accelerated"] == "false"
