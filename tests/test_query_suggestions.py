"""The values a canned query's form offers (``values_query``): asked only for the form, once
per store generation, and asked again after a write.

On a copy of the canned-query store (``tests/queries_server.py``), served by an app of its
own whose writes need the token; ``spending-by-body-year`` offers the granting bodies that
its aggregates name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.write_count import KeptBetweenWrites
from tests.endpoint_server import TOKEN
from tests.endpoint_server import copy_store
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

SPENDING = "/queries/spending-by-body-year"
NEW_BODY = "https://data.psikg.example/public-body/0999999922"
CUBE = "https://w3id.org/psikg/aggregates#"


@pytest.fixture()
def served(queries_template: Path, tmp_path: Path, token_file: Path) -> Iterator[AppClient]:
    with engine_on(copy_store(queries_template, tmp_path / "store")) as engine:
        yield app_client(engine, tmp_path / "run", update_token_file=token_file)


def offered(client: AppClient, url: str = SPENDING) -> set[str]:
    """The values of the form's ``body`` field (its datalist)."""
    page = client.get(url, timeout=60)
    assert page.status_code in (200, 400), page.text[:300]
    found = re.search(r'<datalist id="values-body">(.*?)</datalist>', page.text, re.S)
    assert found is not None, "the form offers no value for body"
    return set(re.findall(r'<option value="([^"]+)"', found.group(1)))


def asked(client: AppClient) -> int:
    kept: KeptBetweenWrites[object, object] = client.app.extensions["psikg-suggestions"]
    return kept.computed


def test_the_json_answer_runs_no_values_query(served: AppClient) -> None:
    page = served.get(SPENDING + ".json", timeout=60).json()
    described = {p["name"]: p for p in page["psikg"]["query"]["parameters"]}
    assert "suggestions" not in described["body"]
    assert asked(served) == 0
    assert offered(served) and asked(served) == 1


def test_a_second_view_asks_nothing_until_a_write(served: AppClient) -> None:
    first = offered(served)
    assert NEW_BODY not in first and asked(served) == 1
    assert offered(served) == first and offered(served, SPENDING + "?year=2023") == first
    assert offered(served, SPENDING + "?year=nope") == first  # the form with its errors
    assert asked(served) == 1
    update = (f"INSERT DATA {{ GRAPH <https://data.psikg.example/graph/extra> {{ "
              f"<https://data.psikg.example/cube/extra> <{CUBE}body> <{NEW_BODY}> }} }}")
    written = served.post("/sparql", data=update.encode(), timeout=60, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert written.status_code == 204, written.text
    assert offered(served) == first | {NEW_BODY} and asked(served) == 2
    assert offered(served) == first | {NEW_BODY} and asked(served) == 2


def test_each_reading_language_is_kept_apart(served: AppClient) -> None:
    offered(served)
    offered(served, SPENDING + "?lang=nl")
    offered(served, SPENDING + "?lang=nl")
    assert asked(served) == 2
