"""The budget canned queries' cases an accountant checks (:mod:`tests.fixtures.accountant`),
shared by the embedded store's test (:mod:`tests.test_budget_accountant`) and Virtuoso's
(:mod:`tests.test_budget_accountant_virtuoso`): each query with the parameters that cut
the quirky registers differently, and how a CSV download is compared with the accountant.
"""

from __future__ import annotations

import csv
import io
import re

from graph.canned.model import CannedQuery
from graph.canned.run import Executor
from graph.canned.run import run
from graph.errors import PsikgError
from graph.store_api import StoreWriter
from loaders.registry import LoadResult
from loaders.registry import load_table
from tests.fixtures.accountant import Accountant
from tests.fixtures.accountant import Rows
from tests.fixtures.row_differences import differences
from tests.fixtures.row_differences import of_csv
from tests.fixtures.row_differences import of_term
from tests.fixtures.row_differences import report
from tests.fixtures.synthetic.quirky_model import BASE
from tests.fixtures.synthetic.quirky_model import KEY
from tests.fixtures.synthetic.quirky_model import written_number
from tests.fixtures.synthetic.quirky_registers import Scenario

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


def resolved(scenario: Scenario, params: dict[str, list[str]]) -> dict[str, list[str]]:
    """The case's parameters with bodies and beneficiaries as the registers name them."""
    bodies = scenario.bodies
    values = {name: list(vs) for name, vs in params.items()}
    if "body" in values:
        values["body"] = [BASE + f"public-body/{bodies[b].number}" for b in values["body"]]
    number = values.get("enterprise_number", [""])[0]
    if number.startswith("organisation "):
        index = int(number.split()[1])
        entity = scenario.beneficiaries[index]
        assert entity.number is not None
        values["enterprise_number"] = [
            str(written_number(entity.number, NUMBER_STYLES[index % len(NUMBER_STYLES)]))]
    elif number == "the region's own number":
        values["enterprise_number"] = [bodies[REGION].number]
    return values


def case_id(case: tuple[str, dict[str, list[str]]]) -> str:
    name, params = case
    return name + "[" + ",".join(f"{k}={'+'.join(v)}" for k, v in params.items()) + "]"


def page_size(query: CannedQuery) -> int | None:
    return query.pagination.max_page_size if query.pagination else None


CLI_CASES = {"spending-by-body-year": {}, "top-beneficiaries": {"from": ["2020"]},
             "subsidies-by-municipality": {"lang": ["nl"]},
             "beneficiary-profile": {"enterprise_number": ["organisation 0"]},
             "year-over-year": {"year": ["2022"]}, "granted-vs-paid": {},
             "contracts-top-contractors": {}, "contracts-by-cpv-procedure": {"year": ["2023"]}}


def queries_args(name: str, values: dict[str, list[str]]) -> list[str]:
    """``psikg queries NAME --format csv`` with ``values`` as its ``--param`` options."""
    args = ["queries", name, "--format", "csv"]
    for parameter, vs in values.items():
        args += [arg for v in vs for arg in ("--param", f"{parameter}={v}")]
    return args


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


def assert_canned_answer(accountant: Accountant, query: CannedQuery, executor: Executor,
                         values: dict[str, list[str]], plain: bool) -> None:
    """``query``'s answer on ``executor``, from the aggregates or (``plain``) from its plain
    SPARQL, is the accountant's, value by value, with the accountant's total."""
    name = query.name
    columns, expected = accountant.answer(name, values)
    result = run(query, executor, values, page_size=page_size(query), force_plain=plain)
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


def assert_csv_download(accountant: Accountant, query: CannedQuery,
                        values: dict[str, list[str]], download: bytes) -> None:
    """A CSV of ``query``'s first page (``psikg queries --format csv``) is the accountant's."""
    columns, expected = accountant.answer(query.name, values)
    if query.pagination is not None:
        expected = expected[:query.pagination.page_size]
    table = list(csv.reader(io.StringIO(download.decode("utf-8-sig"))))
    found = csv_differences(accountant, query.name, columns, expected, table[0], table[1:])
    assert not found, report(query.name, values, "psikg queries --format csv", expected,
                             len(table) - 1, found)


def load_registers(store: StoreWriter, scenario: Scenario) -> dict[str, LoadResult | PsikgError]:
    """Load every register of ``scenario`` with psikg's loader (``on_error="blank"``), and
    the municipalities' names: each register's result, or the error that refused it (the
    tests compare them with the accountant's)."""
    loads: dict[str, LoadResult | PsikgError] = {}
    for register in scenario.registers:
        try:
            loads[register.table.name] = load_table(store, register.table, register.metadata,
                                                    on_error="blank", key=KEY)
        except PsikgError as error:
            loads[register.table.name] = error
    store.load_files([scenario.municipalities])
    return loads
