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

import csv
import io
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
from loaders.registry import load_table
from psikg.cli import cli
from tests.fixtures.accountant import Accountant
from tests.fixtures.accountant import Rows
from tests.fixtures.row_differences import differences
from tests.fixtures.row_differences import of_csv
from tests.fixtures.row_differences import of_term
from tests.fixtures.row_differences import report
from tests.fixtures.synthetic.quirky_model import BASE
from tests.fixtures.synthetic.quirky_model import KEY
from tests.fixtures.synthetic.quirky_model import written_number
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
    loads: dict[str, LoadResult | PsikgError] = {}
    for register in scenario.registers:
        try:
            loads[register.table.name] = load_table(store, register.table, register.metadata,
                                                    on_error="blank",
                                                    key=KEY)
        except PsikgError as error:  # reported by test_each_register_loads_with_its_report
            loads[register.table.name] = error
    store.load_files([scenario.municipalities])
    store.close()
    shutil.copytree(folder / "store", folder / "cli-store")
    store = Store(folder / "store")
    accountant = Accountant(scenario.registers, KEY, MUNICIPALITIES)
    yield World(scenario, accountant, store, folder / "cli-store", loads,
                load_library(QUERIES_DIR))
    store.close()


# --- the cases ----------------------------------------------------------------------------

YEARS = [str(y) for y in range(2018, 2026)]
CITY, CPAS, REGION = "city", "cpas", "region"
ORGANISATIONS = range(30)
"""The organisations of :data:`tests.fixtures.synthetic.quirky_rows.ORGANISATIONS`, by position."""
CASES: list[tuple[str, dict[str, list[str]]]] = [
    *[("spending-by-body-year", p) for p in [
        {}, *({"year": [y]} for y in YEARS), {"year": ["2021", "2022"]},
        {"body": [CPAS]}, {"body": [CITY, REGION], "year": ["2022", "2023", "2024"]}]],
    *[("top-beneficiaries", p) for p in [
        {}, *({"from": [y], "to": [y]} for y in YEARS[1:-1]),
        {"from": ["2020"], "to": ["2022"]}, {"from": ["2023"], "to": ["2024"]},
        {"from": ["2015"], "to": ["2020"]}, {"from": ["2019"], "to": ["2024"]}]],
    *[("subsidies-by-municipality", p) for p in [
        {}, {"lang": ["nl"]}, *({"year": [y]} for y in YEARS[1:-1]),
        {"year": ["2022", "2023"], "lang": ["nl"]}]],
    *[("year-over-year", {"year": [y]}) for y in YEARS],
    *[("granted-vs-paid", p) for p in [
        {}, *({"year": [y]} for y in YEARS[1:-1]), {"year": ["2019", "2020"]},
        {"body": [CPAS, REGION]}, {"body": [CITY], "year": ["2024"]}]],
    *[("contracts-top-contractors", p) for p in [
        {}, {"year": ["2022"]}, {"year": ["2023"]}, {"year": ["2024"]}, {"year": ["2025"]},
        {"year": ["2023", "2024"]}]],
    *[("contracts-by-cpv-procedure", p) for p in [
        {}, {"year": ["2022"]}, {"year": ["2023"]}, {"year": ["2024"]},
        {"year": ["2023", "2024"]}]],
    *[("beneficiary-profile", {"enterprise_number": [f"organisation {i}"]})
      for i in ORGANISATIONS],
    ("beneficiary-profile", {"enterprise_number": ["the region's own number"]}),
    ("beneficiary-profile", {"enterprise_number": ["0203.071.973"]}),  # valid, in no register
]
NUMBER_STYLES = ["dotted", "be", "lost-zero", "compact", "be-spaced"]


def resolved(world: World, params: dict[str, list[str]]) -> dict[str, list[str]]:
    """The case's parameters with bodies and beneficiaries as the registers name them."""
    bodies = world.scenario.bodies
    values = {name: list(vs) for name, vs in params.items()}
    if "body" in values:
        values["body"] = [BASE + f"public-body/{bodies[b].number}" for b in values["body"]]
    number = values.get("enterprise_number", [""])[0]
    if number.startswith("organisation "):
        index = int(number.split()[1])
        entity = world.scenario.beneficiaries[index]
        assert entity.number is not None
        values["enterprise_number"] = [
            str(written_number(entity.number, NUMBER_STYLES[index % len(NUMBER_STYLES)]))]
    elif number == "the region's own number":
        values["enterprise_number"] = [bodies[REGION].number]
    return values


def case_id(case: tuple[str, dict[str, list[str]]]) -> str:
    name, params = case
    return name + "[" + ",".join(f"{k}={'+'.join(v)}" for k, v in params.items()) + "]"


def _page_size(query: CannedQuery) -> int | None:
    return query.pagination.max_page_size if query.pagination else None


# --- the tests ----------------------------------------------------------------------------

@pytest.mark.parametrize("plain", [False, True], ids=["accelerated", "plain"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_canned_answer_is_the_accountants(world: World,
                                              case: tuple[str, dict[str, list[str]]],
                                              plain: bool) -> None:
    name, params = case
    values = resolved(world, params)
    query = world.library[name]
    columns, expected = world.accountant.answer(name, values)
    result = run(query, StoreExecutor(world.store), values, page_size=_page_size(query),
                 force_plain=plain)
    how = "plain SPARQL" if plain else "precomputed aggregates"
    if not plain and query.plain is not None:
        assert result.accelerated is True, (
            f"{name} {values}: the aggregates did not answer (accelerated="
            f"{result.accelerated}, notes {result.notes}); the plain query did")
    got = [tuple(of_term(cell) for cell in row) for row in result.rows]
    found = differences(name, columns, expected, result.variables, got)
    assert not found, report(name, values, how, expected, len(got), found)
    if result.total is not None:
        assert result.total == len(expected), (
            f"{name} {values} ({how}): total {result.total}, accountant {len(expected)} rows")


CLI_CASES = {"spending-by-body-year": {}, "top-beneficiaries": {"from": ["2020"]},
             "subsidies-by-municipality": {"lang": ["nl"]},
             "beneficiary-profile": {"enterprise_number": ["organisation 0"]},
             "year-over-year": {"year": ["2022"]}, "granted-vs-paid": {},
             "contracts-top-contractors": {}, "contracts-by-cpv-procedure": {"year": ["2023"]}}


@pytest.mark.parametrize("name", list(CLI_CASES))
def test_psikg_queries_csv_is_the_accountants(world: World, name: str) -> None:
    values = resolved(world, CLI_CASES[name])
    columns, expected = world.accountant.answer(name, values)
    query = world.library[name]
    if query.pagination is not None:
        expected = expected[:query.pagination.page_size]
    args = ["--store", str(world.cli_store), "queries", name, "--format", "csv"]
    for parameter, vs in values.items():
        args += [arg for v in vs for arg in ("--param", f"{parameter}={v}")]
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, f"psikg {' '.join(args)}: {outcome.output}"
    table = list(csv.reader(io.StringIO(outcome.stdout_bytes.decode("utf-8-sig"))))
    found = csv_differences(world.accountant, name, columns, expected, table[0], table[1:])
    assert not found, report(name, values, "psikg queries --format csv", expected,
                             len(table) - 1, found)


def csv_differences(accountant: Accountant, name: str, columns: list[str], expected: Rows,
                    header: list[str], rows: list[list[str]]) -> list[str]:
    """Differences between the accountant's rows and a CSV download. A column beside the
    query's own may only give the label of one of them (``beneficiary_label``): then it
    must be the accountant's label."""
    missing = [c for c in columns if c not in header]
    if missing:
        return [f"columns {missing} missing from the CSV header {header}"]
    labels = {}
    for index, title in enumerate(header):
        match = re.fullmatch(r"(\w+?)[ _-]?(label|name)", title, re.IGNORECASE)
        if title in columns:
            continue
        if match is None or match.group(1) not in columns:
            return [f"column {title!r} is neither one of the query's {columns} nor a label"]
        labels[index] = header.index(match.group(1))
    found = [f"row {n}, column {header[i]!r}: expected the label "
             f"{accountant.labels[row[of]]!r}, got {row[i]!r}"
             for n, row in enumerate(rows, 1) for i, of in labels.items()
             if row[of] in accountant.labels and row[i] != accountant.labels[row[of]]]
    got = [tuple(of_csv(row[header.index(c)]) for c in columns) for row in rows]
    return found + differences(name, columns, expected, columns, got)


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
