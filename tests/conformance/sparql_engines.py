"""The three ways the SPARQL 1.1 evaluation tests reach psikg, each a context manager that
loads every test file once and yields a function answering one test.

- ``embedded``: :class:`graph.store.Store`, the store of ``psikg load`` and ``psikg query``;
- ``endpoint``: psikg's ``/sparql`` in this process (Flask test client, ``tests.in_process``)
  over the query engine on that same store;
- ``virtuoso``: :class:`graph.remote.store.RemoteStore` on a Virtuoso from Debian's package,
  started as the tests start it (:mod:`tests.virtuoso_server`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.remote.store import RemoteStore
from graph.sparql_text import has_dataset_clause
from graph.sparql_text import query_form
from graph.store import Store
from graph.store_api import StoreWriter
from tests.conformance.sparql_dataset import protocol_dataset
from tests.conformance.sparql_dataset import sources
from tests.conformance.sparql_dataset import with_base
from tests.conformance.sparql_dataset import with_dataset
from tests.conformance.sparql_manifest import EvalCase
from tests.conformance.sparql_results import Answer
from tests.conformance.sparql_results import from_oxigraph
from tests.conformance.sparql_results import read_csv

Ask = Callable[[EvalCase, str], Answer]
"""Answer a test's query (its text as the suite has it)."""
ENGINES = ("embedded", "endpoint", "virtuoso")
QUERY_TIMEOUT_S = 20.0


class EngineUnavailable(Exception):
    """The engine could not be started (the message says why)."""


def wants_csv(case: EvalCase) -> bool:
    """Whether the test compares the CSV text of the answer."""
    return case.result.endswith(".csv")


def _load(store: StoreWriter, shared: Path, cases: list[EvalCase]) -> None:
    store.commit(store.stage(sources(shared, cases)))


def _answer(case: EvalCase, results: object) -> Answer:
    if wants_csv(case) and isinstance(results, ox.QuerySolutions):
        return read_csv((results.serialize(format=ox.QueryResultsFormat.CSV) or b"").decode())
    return from_oxigraph(results)


@contextmanager
def embedded(shared: Path, cases: list[EvalCase], folder: Path) -> Iterator[Ask]:
    """psikg's embedded store in ``folder/store``, every test file loaded."""
    with Store(folder / "store") as store:
        _load(store, shared, cases)

        def ask(case: EvalCase, text: str) -> Answer:
            return _answer(case, store.query(with_dataset(case, text)))

        yield ask


@contextmanager
def endpoint(shared: Path, cases: list[EvalCase], folder: Path) -> Iterator[Ask]:
    """``/sparql`` of an app in this process over the engine on the embedded store."""
    from tests.in_process import app_client
    from tests.in_process import engine_on

    store_path = folder / "store"
    if not store_path.exists():
        with Store(store_path) as store:
            _load(store, shared, cases)
    with engine_on(store_path) as engine:
        client = app_client(engine, folder / "run")

        def ask(case: EvalCase, text: str) -> Answer:
            form = query_form(text)
            accept = ("text/csv" if wants_csv(case) else "application/n-triples"
                      if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json")
            fields = [("query", with_base(case, text))]
            if not has_dataset_clause(text):
                fields += protocol_dataset(case)
            answer = client.post("/sparql", data=fields, headers={"Accept": accept},
                                 timeout=QUERY_TIMEOUT_S)
            if answer.status_code != 200:
                raise RuntimeError(f"/sparql answered {answer.status_code}: "
                                   f"{answer.text[:200]}")
            if wants_csv(case):
                return read_csv(answer.content.decode())
            if form in ("CONSTRUCT", "DESCRIBE"):
                return [q.triple for q in ox.parse(answer.content,
                                                   format=ox.RdfFormat.N_TRIPLES)]
            return from_oxigraph(ox.parse_query_results(answer.content,
                                                        format=ox.QueryResultsFormat.JSON))

        yield ask


@contextmanager
def virtuoso(shared: Path, cases: list[EvalCase], folder: Path) -> Iterator[Ask]:
    """psikg's remote store on a Virtuoso of its own, every test file loaded through it."""
    from tests import virtuoso_server

    try:
        running, process = virtuoso_server.start(folder / "virtuoso")
    except pytest.fail.Exception as error:
        raise EngineUnavailable(str(error)) from None
    try:
        with RemoteStore(running.url, "virtuoso", user=running.user,
                         password=running.password, timeout_s=QUERY_TIMEOUT_S) as store:
            _load(store, shared, cases)

            def ask(case: EvalCase, text: str) -> Answer:
                return _answer(case, store.query(with_dataset(case, text)))

            yield ask
    finally:
        virtuoso_server.stop(running, process)


RUNNERS = {"embedded": embedded, "endpoint": endpoint, "virtuoso": virtuoso}


def scratch() -> tempfile.TemporaryDirectory[str]:
    """A folder for the stores and Virtuoso's database, removed after the run."""
    return tempfile.TemporaryDirectory(prefix="psikg-sparql11-")

