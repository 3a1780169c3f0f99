"""On Virtuoso too, every budget canned query gives what an accountant computes from the
source rows: the quirky registers of :mod:`tests.test_budget_accountant` are loaded by
psikg's loader into a Virtuoso, and each case's rows, from the precomputed aggregates and
from the plain SPARQL, and ``psikg --engine-url … queries NAME --format csv``, are compared
value by value with :mod:`tests.fixtures.accountant`, never with the embedded store's
answer.

The Virtuoso is this module's own: the canned queries read every register psikg holds in
the engine, and the run's shared Virtuoso holds the other tests' budgets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from graph.canned.library import load_library
from graph.canned.model import CannedQuery
from graph.canned.run import StoreExecutor
from graph.errors import PsikgError
from graph.remote.store import RemoteStore
from graph.settings import QUERIES_DIR
from loaders.registry import LoadResult
from tests.accountant_cases import CASES
from tests.accountant_cases import CLI_CASES
from tests.accountant_cases import assert_canned_answer
from tests.accountant_cases import assert_csv_download
from tests.accountant_cases import case_id
from tests.accountant_cases import load_registers
from tests.accountant_cases import queries_args
from tests.accountant_cases import resolved
from tests.cli_runs import run_in_process
from tests.fixtures.accountant import Accountant
from tests.fixtures.synthetic.quirky_model import BASE
from tests.fixtures.synthetic.quirky_model import KEY
from tests.fixtures.synthetic.quirky_registers import MUNICIPALITIES
from tests.fixtures.synthetic.quirky_registers import Scenario
from tests.fixtures.synthetic.quirky_registers import generate
from tests.virtuoso_server import Virtuoso
from tests.virtuoso_server import start
from tests.virtuoso_server import stop


@dataclass
class OnVirtuoso:
    scenario: Scenario
    accountant: Accountant
    virtuoso: Virtuoso
    store: RemoteStore
    loads: dict[str, LoadResult | PsikgError]
    library: dict[str, CannedQuery]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OnVirtuoso]:
    folder = tmp_path_factory.mktemp("quirky-on-virtuoso")
    virtuoso, process = start(folder / "virtuoso")
    try:
        scenario = generate(folder / "registers")
        with RemoteStore(virtuoso.url, "virtuoso", BASE, virtuoso.user,
                         virtuoso.password) as store:
            loads = load_registers(store, scenario)
            yield OnVirtuoso(scenario, Accountant(scenario.registers, KEY, MUNICIPALITIES),
                             virtuoso, store, loads, load_library(QUERIES_DIR))
    finally:
        stop(virtuoso, process)


def test_each_register_loads_on_virtuoso_as_the_accountant_reads_it(
        world: OnVirtuoso) -> None:
    loaded = {file: load.rows_loaded if isinstance(load, LoadResult) else str(load)
              for file, load in world.loads.items()}
    assert loaded == world.accountant.loaded


@pytest.mark.parametrize("plain", [False, True], ids=["accelerated", "plain"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_canned_answer_on_virtuoso_is_the_accountants(
        world: OnVirtuoso, case: tuple[str, dict[str, list[str]]], plain: bool) -> None:
    name, params = case
    assert_canned_answer(world.accountant, world.library[name], StoreExecutor(world.store),
                         resolved(world.scenario, params), plain)


@pytest.mark.parametrize("name", list(CLI_CASES))
def test_psikg_queries_csv_on_virtuoso_is_the_accountants(world: OnVirtuoso,
                                                          name: str) -> None:
    values = resolved(world.scenario, CLI_CASES[name])
    args = ["--base-iri", BASE, *queries_args(name, values)]
    done = run_in_process(args, env=world.virtuoso.environment())
    assert done.returncode == 0, f"psikg {' '.join(args)}: {done.stderr}"
    assert_csv_download(world.accountant, world.library[name], values,
                        done.stdout.encode("utf-8"))
