"""The endpoint for the canned-query tests: the sample registries, the platform, the code
lists and catalog fixtures in a store built once with psikg's own loaders (a template never
served); one engine on a copy for the session with an app in this process
(``queries_endpoint``), and a live ``psikg serve`` on another copy (``queries_live``) for
schemathesis and the browser. Registered as a pytest plugin by ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

from graph.engine.process import EngineProcess
from graph.settings import EXAMPLES_DIR
from graph.settings import ontology_files
from graph.store import Store
from loaders.registry import load_table
from tests.endpoint_server import copy_store
from tests.endpoint_server import live_server
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
KEY = b"0123456789abcdef0123456789abcdef"
REGISTRIES: list[tuple[str, Literal["refuse", "skip"]]] = [
    ("subsidies", "refuse"), ("contracts", "refuse"), ("inventory", "skip"),
    ("exclusive-arrangements", "refuse"), ("charges", "refuse")]
TRAPS = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://data.psikg.example/dataset/trap-formula> a dcat:Dataset ;
    dct:title "=HYPERLINK(\\"http://evil.example\\",\\"Trap formula\\")"@fr .
<https://data.psikg.example/dataset/trap-plus> a dcat:Dataset ; dct:title "+Trap plus"@fr .
<https://data.psikg.example/dataset/trap-at> a dcat:Dataset ; dct:title "@Trap at"@fr .
<https://data.psikg.example/dataset/trap-markup> a dcat:Dataset ;
    dct:title "<script>alert('Trap markup')</script>"@fr .
<https://data.psikg.example/dataset/escape-1> a dcat:Dataset ; dct:title "Odd & <co> #1"@fr .
<https://data.psikg.example/dataset/escape-2> a dcat:Dataset ; dct:title "Odd & <co> #2"@fr .
<https://data.psikg.example/public-body/0254452873>
    <http://www.w3.org/2004/02/skos/core#prefLabel> "Province témoin"@fr,
        "Proefprovincie"@nl, "Sample province"@en .
"""


def build_store(folder: Path) -> Path:
    """The store of the canned-query tests in ``folder``, built with psikg's own loaders."""
    (folder / "traps.ttl").write_text(TRAPS, encoding="utf-8")
    store = Store(folder / "store")
    try:
        for name, on_error in REGISTRIES:
            load_table(store, EXAMPLES_DIR / f"{name}.csv",
                       EXAMPLES_DIR / f"{name}-metadata.json", on_error=on_error, key=KEY)
        store.load_files([EXAMPLES_DIR / "platform.ttl", *ontology_files(),
                          FIXTURES / "incomplete-catalog.ttl", FIXTURES / "municipalities.ttl",
                          folder / "traps.ttl"])
    finally:
        store.close()
    return folder / "store"


@pytest.fixture(scope="session")
def queries_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of :func:`build_store`, built once and never served."""
    return build_store(tmp_path_factory.mktemp("queries"))


@pytest.fixture(scope="session")
def queries_engine(queries_template: Path) -> Iterator[EngineProcess]:
    """The query engine on a copy of :func:`queries_template`, one for the session."""
    with engine_on(copy_store(queries_template, queries_template.parent / "served")) as engine:
        yield engine


@pytest.fixture(scope="session")
def queries_endpoint(queries_engine: EngineProcess,
                     tmp_path_factory: pytest.TempPathFactory) -> AppClient:
    """The endpoint on the registries' store in this process, with every default."""
    return app_client(queries_engine, tmp_path_factory.mktemp("queries-run"))


@pytest.fixture(scope="session")
def queries_live(queries_template: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """A live server on a copy of :func:`queries_template`; yields its base URL."""
    store = copy_store(queries_template, tmp_path_factory.mktemp("queries-live") / "store")
    with live_server(store) as url:
        yield url
