"""Every budget canned query, on registers as public bodies really publish them, gives what
an accountant computes from the source rows.

The quirky registers (:mod:`tests.fixtures.synthetic.quirky_registers`: a City's six yearly subsidy
registers, a second body's, two years of public contracts) are loaded with psikg's loader
(``on_error="blank"``) into a real store; each canned query's rows, from the precomputed
aggregates and from the plain SPARQL, and ``psikg queries NAME --format csv``, are compared
value by value with :mod:`tests.fixtures.accountant`, which reads the source rows without
psikg's code. The load reports are compared with the cells the accountant finds bad.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.canned.library import load_library
from graph.canned.model import CannedQuery
from graph.canned.params import ParameterError
from graph.canned.run import StoreExecutor
from graph.canned.run import run
from graph.errors import PsikgError
from graph.settings import QUERIES_DIR
from graph.store import Store
from loaders.registry import LoadResult
from psikg.cli import cli
from tests.accountant_cases import CASES
from tests.accountant_cases import CLI_CASES
from tests.accountant_cases import assert_canned_answer
from tests.accountant_cases import assert_csv_download
from tests.accountant_cases import case_id
from tests.accountant_cases import load_registers
from tests.accountant_cases import queries_args
from tests.accountant_cases import resolved
from tests.fixtures.accountant import Accountant
from tests.fixtures.synthetic.quirky_model import BASE
from tests.fixtures.synthetic.quirky_model import KEY
from tests.fixtures.synthetic.quirky_registers import MUNICIPALITIES
from tests.fixtures.synthetic.quirky_registers import Scenario
from tests.fixtures.synthetic.quirky_registers import generate


@dataclass
class World:
    scenario: Scenario
    accountant: Accountant
    store: Store
    cli_store: Path
    loads: dict[str, LoadResult | PsikgError]
    library: dict[str, CannedQuery]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("quirky")
    scenario = generate(folder / "registers")
    store = Store(folder / "store")
    loads = load_registers(store, scenario)
    store.close()
    shutil.copytree(folder / "store", folder / "cli-store")
    store = Store(folder / "store")
    accountant = Accountant(scenario.registers, KEY, MUNICIPALITIES)
    yield World(scenario, accountant, store, folder / "cli-store", loads,
                load_library(QUERIES_DIR))
    store.close()


# --- the tests ----------------------------------------------------------------------------

@pytest.mark.parametrize("plain", [False, True], ids=["accelerated", "plain"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_canned_answer_is_the_accountants(world: World,
                                              case: tuple[str, dict[str, list[str]]],
                                              plain: bool) -> None:
    name, params = case
    assert_canned_answer(world.accountant, world.library[name], StoreExecutor(world.store),
                         resolved(world.scenario, params), plain)


@pytest.mark.parametrize("name", list(CLI_CASES))
def test_psikg_queries_csv_is_the_accountants(world: World, name: str) -> None:
    values = resolved(world.scenario, CLI_CASES[name])
    args = ["--store", str(world.cli_store), *queries_args(name, values)]
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, f"psikg {' '.join(args)}: {outcome.output}"
    assert_csv_download(world.accountant, world.library[name], values, outcome.stdout_bytes)


@pytest.mark.parametrize("stem", ["city-2019", "city-2020", "city-2021", "city-2022",
                                  "city-2023", "city-2024", "region-subsidies",
                                  "contracts-2023", "contracts-2024"])
def test_each_register_loads_with_its_report(world: World, stem: str) -> None:
    register = world.scenario.register(stem)
    file = register.table.name
    load = world.loads[file]
    assert isinstance(load, LoadResult), f"{file} was not loaded: {load}"
    expected = [p for p in world.accountant.problems if p.file == file]
    found = []
    unmatched = list(load.problems)
    for problem in expected:
        match = next((p for p in unmatched if p.source_row == problem.line
                      and p.column == problem.column), None)
        where = f"line/row {problem.line}, column {problem.column!r}, value {problem.value!r}"
        if match is None:
            found.append(f"not reported: {where}")
            continue
        unmatched.remove(match)
        line = match.one_line()
        outcome = "row refused" if problem.refused else "cell left empty"
        checks = [(file in match.file, f"the file {file}"),
                  (match.sheet == problem.sheet, f"sheet {problem.sheet!r} (got {match.sheet!r})"),
                  (all(s == problem.sheet for s in re.findall(r"sheet '([^']*)'", line)),
                   f"the sheet by its name {problem.sheet!r} everywhere"),
                  (problem.value is None or match.value == problem.value,
                   f"value {problem.value!r} (got {match.value!r})"),
                  (outcome in line, f"the outcome {outcome!r}")]
        found += [f"{where}: the report does not name {what}: {line}"
                  for ok, what in checks if not ok]
    found += [f"reported, though the cell is good: {p.one_line()}" for p in unmatched]
    loaded = world.accountant.loaded[file]
    if load.rows_loaded != loaded:
        found.append(f"rows loaded: {load.rows_loaded}, the accountant keeps {loaded}")
    assert not found, f"{file}:\n  " + "\n  ".join(found)


def test_a_wrong_enterprise_number_is_not_queryable(world: World) -> None:
    """The registers' numbers with wrong check digits were left empty at load (their grants
    went to the name); asked for, such a number is a parameter error, not an empty answer."""
    wrong = [p.value for p in world.accountant.problems
             if not p.refused and p.column == "Ondernemingsnummer"]
    assert wrong
    for number in wrong:
        with pytest.raises(ParameterError, match="enterprise_number"):
            run(world.library["beneficiary-profile"], StoreExecutor(world.store),
                {"enterprise_number": [str(number)]})


def test_the_big_beneficiarys_profile_is_precomputed(world: World) -> None:
    """The accelerated beneficiary-profile cases include a beneficiary whose sums by body and
    year psikg precomputes (more than 200 grants in one register), not only grant lookups."""
    big = f"<{BASE}beneficiary/{world.scenario.beneficiaries[0].number}>"
    profiled = "<https://w3id.org/psikg/aggregates#profiled>"
    assert world.store.query(f"ASK {{ ?summary {profiled} {big} }}")


def test_the_registers_have_their_quirks(world: World) -> None:
    """The generated registers hold what they are meant to test."""
    accountant = world.accountant
    grants = accountant.grants
    total = sum(g.amount for g in grants)
    without_number = sum(g.amount for g in grants if g.tax_id is None)
    assert Decimal("0.05") < without_number / total < Decimal("0.2")
    assert len({g.beneficiary for g in grants}) > 100  # the ranking's limit cuts
    granted: dict[str, Decimal] = {}
    for g in grants:
        granted[g.beneficiary] = granted.get(g.beneficiary, Decimal(0)) + g.amount
    top = accountant.answer("top-beneficiaries", {})[1]
    left_out = set(granted) - {str(row[0]) for row in top}
    assert any(granted[b] == top[-1][2] for b in left_out)  # a tie across the cut
    in_one_register = Counter((g.beneficiary, g.register) for g in grants)
    assert max(in_one_register.values()) > 200  # a profile psikg precomputes
    spellings: dict[str, Counter[str]] = {}
    for g in grants:
        spellings.setdefault(g.beneficiary, Counter())[g.name] += 1
    assert max(len(s) for s in spellings.values()) >= 4
    names = {a.contractor: Counter[str]() for a in accountant.awards}
    for a in accountant.awards:
        names[a.contractor][a.name] += 1
    assert any(len(set(c.values())) == 1 and len(c) > 1 for c in names.values())  # a tie
    assert any(g.beneficiary.endswith("/goethe-institut-e-v") for g in grants)  # by name
    assert any(g.beneficiary.split("/")[-1].startswith("person-") for g in grants)
    blanked = {(p.file, p.column) for p in accountant.problems if not p.refused}
    refused = {(p.file, p.value) for p in accountant.problems if p.refused}
    assert {("city-2019.csv", None), ("city-2020.xlsx", "#REF!")} <= refused
    assert {("city-2022.csv", "Ondernemingsnummer"), ("city-2024.xlsx", "Numéro BCE"),
            ("city-2023.xlsx", "Montant liquidé")} <= blanked  # wrong check digits, n.c.
    cells = [(r.layout, row.cells) for r in world.scenario.registers for row in r.rows]
    assert any(isinstance(c.get("enterprise_number"), int) for _, c in cells)
    assert any(isinstance(c.get("amount_granted"), float)
               and len(repr(c["amount_granted"]).partition(".")[2]) > 2 for _, c in cells)
    assert any(re.fullmatch(r"\d+\.\d{1,2}", str(c.get("amount_granted"))) for _, c in cells)
    assert any(layout.year and not layout.has("year") for layout, _ in cells)
    assert any(not layout.keyed for layout, _ in cells)
    pct = accountant.answer("year-over-year", {"year": ["2021"]})[1]
    assert "#DIV/0!" in [row[4] for row in pct]  # a body with no grant the year before
