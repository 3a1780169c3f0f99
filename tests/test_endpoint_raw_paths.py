"""``/id/`` paths of IRIs that hold ``%2F``, on live servers under both WSGI servers.

gunicorn passes the raw request line (``RAW_URI``); granian passes only the decoded path,
so the endpoint looks up which of the path's slashes were ``%2F`` in the store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.endpoint_server import live_server
from tests.endpoint_server import load

pytestmark = pytest.mark.slow

BASE = "https://data.psikg.example/id/"
HARVESTED = "harvest/https%3A%2F%2Fdata.example.org%2Fcatalog/dataset/x"
"""A harvested source's local IRI: encoded slashes in the source, plain ones after it."""
KEYED = "budget-article/849%2F435-02"
TWIN_ENCODED, TWIN_PLAIN = "thing/a%2Fb", "thing/a/b"
"""Two IRIs whose decoded paths are the same: only a raw path tells them apart."""
DATA = "\n".join(f'<{BASE}{rest}> <http://www.w3.org/2000/01/rdf-schema#label> "{rest}" .'
                 for rest in (HARVESTED, KEYED, TWIN_ENCODED, TWIN_PLAIN)) + "\n"


@pytest.fixture(scope="module", params=["granian", "gunicorn"])
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("raw-paths")
    (folder / "data.nt").write_text(DATA, encoding="utf-8")
    load(folder / "store", folder / "data.nt", "--graph", "https://data.psikg.example/graph/t")
    with live_server(folder / "store", "--base-iri", BASE, "--wsgi-server",
                     request.param) as url:
        yield request.param, url


def label(url: str, rest: str) -> str:
    answer = requests.get(f"{url}/id/{rest}", timeout=30,
                          headers={"Accept": "application/n-triples"})
    assert answer.status_code == 200, (rest, answer.text[:300])
    labels = [line for line in answer.text.splitlines()
              if line.startswith(f"<{BASE}{rest}> <http://www.w3.org/2000/01/rdf-schema#label>")]
    assert len(labels) == 1, answer.text
    return labels[0].split(" ", 2)[2].rstrip(" .")


@pytest.mark.parametrize("rest", [HARVESTED, KEYED, TWIN_PLAIN])
def test_an_iri_with_encoded_slashes_is_found_under_both_servers(
        server: tuple[str, str], rest: str) -> None:
    assert label(server[1], rest) == f'"{rest}"'


def test_the_raw_path_tells_twins_apart_where_the_server_passes_it(
        server: tuple[str, str]) -> None:
    name, url = server
    answer = requests.get(f"{url}/id/{TWIN_ENCODED}", timeout=30,
                          headers={"Accept": "application/n-triples"})
    assert answer.status_code == 200
    # granian's decoded path cannot tell thing/a%2Fb from thing/a/b: the plain one wins
    shown = TWIN_ENCODED if name == "gunicorn" else TWIN_PLAIN
    assert f'<{BASE}{shown}> <http://www.w3.org/2000/01/rdf-schema#label> "{shown}"' \
        in answer.text


def test_an_unknown_path_with_many_slashes_is_a_plain_404(server: tuple[str, str]) -> None:
    answer = requests.get(f"{server[1]}/id/" + "/".join("abcdefghijklmnop"), timeout=30)
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["type"] == "unknown-resource"
