"""Every canned query of ``queries/`` on the sample registries, against what the registries'
CSV files say (read here with the csv module), and every query that reads the aggregates
against the plain SPARQL it stands for.

The store is built once for the module: the five sample registries through the registry
loader (which stages the aggregates with them), the sample platform, psikg's code lists,
and a small catalog with deliberately incomplete datasets (tests/fixtures/queries/).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.budget.freshness import is_fresh
from graph.canned.library import load_library
from graph.canned.model import CannedQuery
from graph.canned.run import Result
from graph.canned.run import StoreExecutor
from graph.canned.run import run
from graph.settings import EXAMPLES_DIR
from graph.settings import QUERIES_DIR
from graph.settings import ontology_files
from graph.store import Store
from loaders.registry import load_table

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
KEY = b"0123456789abcdef0123456789abcdef"
REGISTRIES = [("subsidies", "refuse"), ("contracts", "refuse"), ("inventory", "skip"),
              ("exclusive-arrangements", "refuse"), ("charges", "refuse")]


def rows_of(name: str, skipped: set[int] = frozenset()) -> list[dict[str, str]]:  # type: ignore[assignment]
    with (EXAMPLES_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    return [row for number, row in enumerate(rows, start=1) if number not in skipped]


def amount(text: str) -> Decimal:
    """``209 650,00 €`` or ``195.300,00`` as a number."""
    cleaned = "".join(c for c in text if c.isdigit() or c in ",-")
    return Decimal(cleaned.replace(",", ".")) if cleaned else Decimal(0)


def kbo(text: str) -> str:
    digits = "".join(c for c in text if c.isdigit())
    return digits.zfill(10)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, set[int]]]]:
    store = Store(tmp_path_factory.mktemp("queries") / "store")
    skipped: dict[str, set[int]] = {}
    for name, on_error in REGISTRIES:
        result = load_table(store, EXAMPLES_DIR / f"{name}.csv",
                            EXAMPLES_DIR / f"{name}-metadata.json", on_error=on_error, key=KEY)
        skipped[name] = {p.row for p in result.problems if p.row is not None}
    store.load_files([EXAMPLES_DIR / "platform.ttl", *ontology_files(),
                      FIXTURES / "incomplete-catalog.ttl", FIXTURES / "municipalities.ttl"])
    yield store, skipped
    store.close()


@pytest.fixture(scope="module")
def library() -> dict[str, CannedQuery]:
    return load_library(QUERIES_DIR)


def ask(store: Store, query: CannedQuery, plain: bool = False, **values: object) -> Result:
    raw = {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in values.items()}
    page_size = query.pagination.max_page_size if query.pagination else None
    return run(query, StoreExecutor(store), raw, page_size=page_size, force_plain=plain)


def number(cell: object) -> Decimal:
    assert isinstance(cell, ox.Literal), cell
    return Decimal(cell.value)


def test_the_library_has_at_least_twenty_queries(library: dict[str, CannedQuery]) -> None:
    assert len(library) >= 20
    for query in library.values():
        assert {"fr", "nl", "en"} <= query.title.keys()


def test_aggregates_are_fresh_after_loading(loaded: tuple[Store, dict[str, set[int]]]) -> None:
    assert is_fresh(StoreExecutor(loaded[0]))


ACCELERATED_VALUES = [
    {}, {"year": 2024}, {"year": [2023, 2025]}, {"year": 1990}, {"from": 2024},
    {"from": 2023, "to": 2024}, {"to": 2023}, {"from": 2030}, {"year": 2025, "lang": "nl"},
]


@pytest.mark.parametrize("name", ["spending-by-body-year", "top-beneficiaries",
                                  "subsidies-by-municipality", "year-over-year",
                                  "granted-vs-paid"])
def test_aggregates_give_what_the_plain_sparql_gives(
        loaded: tuple[Store, dict[str, set[int]]], library: dict[str, CannedQuery],
        name: str) -> None:
    query = library[name]
    names = {p.name for p in query.parameters}
    tried = 0
    for values in ACCELERATED_VALUES:
        if not set(values) <= names:
            continue
        year = query.parameter("year")
        if year is not None and (year.required and "year" not in values
                                 or not year.is_list and isinstance(values.get("year"), list)):
            continue
        fast = ask(loaded[0], query, **values)
        slow = ask(loaded[0], query, plain=True, **values)
        assert fast.accelerated is True and slow.accelerated is False
        assert fast.rows == slow.rows, values
        tried += 1
    assert tried >= 2


def subsidies_by(key: str) -> dict[tuple[str, ...], list[Decimal]]:
    sums: dict[tuple[str, ...], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for row in rows_of("subsidies"):
        keys = {"body": (kbo(row["N° BCE du pouvoir subsidiant"]), row["Exercice"]),
                "municipality": (row["Code INS"],),
                "body-only": (kbo(row["N° BCE du pouvoir subsidiant"]),)}[key]
        cell = sums[keys]
        cell[0] += 1
        cell[1] += amount(row["Montant octroyé (€)"])
        cell[2] += amount(row["Montant liquidé (€)"])
    return dict(sums)


def test_spending_by_body_and_year(loaded: tuple[Store, dict[str, set[int]]],
                                   library: dict[str, CannedQuery]) -> None:
    result = ask(loaded[0], library["spending-by-body-year"])
    got = {(r[0].value.rsplit("/", 1)[1], r[1].value): [number(c) for c in r[2:]]  # type: ignore[union-attr]
           for r in result.rows}
    assert got == {k: v for k, v in subsidies_by("body").items()}
    assert result.total == len(got)


def test_spending_filtered_by_year_and_body(loaded: tuple[Store, dict[str, set[int]]],
                                           library: dict[str, CannedQuery]) -> None:
    expected = subsidies_by("body")
    body, year = sorted(expected)[0]
    iri = f"https://data.psikg.example/public-body/{body}"
    result = ask(loaded[0], library["spending-by-body-year"], year=year, body=iri)
    assert [[number(c) for c in r[2:]] for r in result.rows] == [expected[(body, year)]]


def test_subsidies_per_municipality_with_names(loaded: tuple[Store, dict[str, set[int]]],
                                               library: dict[str, CannedQuery]) -> None:
    result = ask(loaded[0], library["subsidies-by-municipality"], lang="nl")
    expected = subsidies_by("municipality")
    got = {(r[1].value,): [number(c) for c in r[3:]] for r in result.rows}  # type: ignore[union-attr]
    assert got == expected
    names = {r[1].value: r[2].value for r in result.rows if r[2] is not None}  # type: ignore[union-attr]
    assert names["21015"] == "Schaarbeek"


def test_granted_against_paid(loaded: tuple[Store, dict[str, set[int]]],
                              library: dict[str, CannedQuery]) -> None:
    result = ask(loaded[0], library["granted-vs-paid"])
    for row in result.rows:
        count, granted, paid = subsidies_by("body-only")[(row[0].value.rsplit("/", 1)[1],)]  # type: ignore[union-attr]
        assert (number(row[1]), number(row[2]), number(row[3])) == (granted, paid,
                                                                    granted - paid)


def test_year_over_year(loaded: tuple[Store, dict[str, set[int]]],
                        library: dict[str, CannedQuery]) -> None:
    per = subsidies_by("body")
    result = ask(loaded[0], library["year-over-year"], year=2025)
    for row in result.rows:
        body = row[0].value.rsplit("/", 1)[1]  # type: ignore[union-attr]
        before = per.get((body, "2024"), [0, Decimal(0)])[1]
        now = per.get((body, "2025"), [0, Decimal(0)])[1]
        assert (number(row[1]), number(row[2]), number(row[3])) == (before, now, now - before)


def test_top_beneficiaries_over_a_period(loaded: tuple[Store, dict[str, set[int]]],
                                         library: dict[str, CannedQuery]) -> None:
    totals: Counter[str] = Counter()
    for row in rows_of("subsidies"):
        if "2024" <= row["Exercice"] <= "2025":
            totals[row["Bénéficiaire"] + "|" + row["Numéro d'entreprise"]] += amount(  # type: ignore[assignment]
                row["Montant octroyé (€)"])
    result = ask(loaded[0], library["top-beneficiaries"], **{"from": 2024, "to": 2025})
    got = [number(r[2]) for r in result.rows]
    assert got == sorted(got, reverse=True)
    assert sum(got) == sum(totals.values())


def test_a_beneficiarys_profile_by_enterprise_number(
        loaded: tuple[Store, dict[str, set[int]]], library: dict[str, CannedQuery]) -> None:
    rows = [r for r in rows_of("subsidies") if r["Numéro d'entreprise"]]
    number_given = rows[0]["Numéro d'entreprise"]
    mine = [r for r in rows if kbo(r["Numéro d'entreprise"]) == kbo(number_given)]
    result = ask(loaded[0], library["beneficiary-profile"],
                 enterprise_number="BE" + kbo(number_given))
    assert sum(int(r[4].value) for r in result.rows) == len(mine)  # type: ignore[union-attr]
    assert sum(number(r[5]) for r in result.rows) == sum(amount(r["Montant octroyé (€)"])
                                                         for r in mine)


def test_contracts_by_cpv_division_and_procedure(
        loaded: tuple[Store, dict[str, set[int]]], library: dict[str, CannedQuery]) -> None:
    expected: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
    for row in rows_of("contracts"):
        if row["Date d'attribution"].endswith("2024"):
            cell = expected[(row["Code CPV"][:2], row["Code procédure (UE)"])]
            cell[0] += 1
            cell[1] += amount(row["Montant attribué HTVA (€)"])
    result = ask(loaded[0], library["contracts-by-cpv-procedure"], year=2024)
    got = {(r[0].value, r[2].value.rsplit("/", 1)[1]): [number(r[3]), number(r[4])]  # type: ignore[union-attr]
           for r in result.rows}
    assert got == dict(expected)


def test_charges_and_listed_bodies(loaded: tuple[Store, dict[str, set[int]]],
                                   library: dict[str, CannedQuery]) -> None:
    rows = rows_of("charges")
    result = ask(loaded[0], library["art18-charges"])
    assert result.total == len(rows) + 1  # the platform's own charge
    listed = ask(loaded[0], library["art18-charges"], listed="true")
    assert listed.total == sum(1 for r in rows if r["Liste art. 18, § 2"]) + 1


def test_personal_data(loaded: tuple[Store, dict[str, set[int]]],
                       library: dict[str, CannedQuery]) -> None:
    rows = rows_of("inventory", loaded[1]["inventory"])
    personal = [r for r in rows if r["Données personnelles"] == "oui"]
    result = ask(loaded[0], library["personal-data"])
    # + the platform's energy-renovation dataset and the subsidies registry itself, whose
    # beneficiaries include natural persons (pseudonymised by the loader)
    assert result.total == len(personal) + 2
    anonymised = ask(loaded[0], library["personal-data"], anonymised="oui")
    assert anonymised.total == sum(1 for r in personal if r["Anonymisée"] == "oui") + 2


def test_datasets_per_licence(loaded: tuple[Store, dict[str, set[int]]],
                              library: dict[str, CannedQuery]) -> None:
    rows = rows_of("inventory", loaded[1]["inventory"])
    result = ask(loaded[0], library["datasets-per-licence"])
    got = {r[0].value.rsplit("/", 1)[1]: int(r[1].value) for r in result.rows}  # type: ignore[union-attr]
    for licence, count in Counter(r["Licence"] for r in rows).items():
        assert got[licence] >= count


def test_search_datasets_by_title(loaded: tuple[Store, dict[str, set[int]]],
                                  library: dict[str, CannedQuery]) -> None:
    rows = rows_of("inventory", loaded[1]["inventory"])
    result = ask(loaded[0], library["search-datasets"], text="BUDGET")
    expected = sum(("budget" in r["Titre"].lower()) + ("budget" in r["Titre (néerlandais)"]
                                                       .lower()) for r in rows)
    assert result.total == expected


def test_missing_minimum_metadata(loaded: tuple[Store, dict[str, set[int]]],
                                  library: dict[str, CannedQuery]) -> None:
    result = ask(loaded[0], library["art11-missing-metadata"],
                 publisher="https://data.psikg.example/public-body/0999999980")
    got = {r[1].value.rsplit("/", 1)[1]: ", ".join(sorted(r[2].value.split(", ")))  # type: ignore[union-attr]
           for r in result.rows}
    assert got == {"sans-titre": "title", "sans-dates": "created, modified",
                   "sans-licence": "license"}


def test_hvd_arrangements_cessation_and_sources(
        loaded: tuple[Store, dict[str, set[int]]], library: dict[str, CannedQuery]) -> None:
    store = loaded[0]
    hvd = ask(store, library["art12-hvd-without-access"])
    assert [r[0].value.rsplit("/", 1)[1] for r in hvd.rows] == ["sans-api"]  # type: ignore[union-attr]
    notices = ask(store, library["art14-cessation-notices"], since="2026-01-01")
    assert len(notices.rows) == 1
    assert ask(store, library["art14-cessation-notices"], since="2027-01-01").rows == []
    arrangements = rows_of("exclusive-arrangements")
    due = ask(store, library["art20-arrangements-due-for-review"], as_of="2028-06-30")
    expected = sum(1 for r in arrangements
                   if r["Prochain réexamen"] and _iso(r["Prochain réexamen"]) <= "2028-06-30"
                   or not r["Prochain réexamen"] and _iso(r["Dernier réexamen"]) <= "2025-06-30")
    platform_due = 1  # photographies-aeriennes: no next review, last one long ago
    assert due.total == expected + platform_due
    sources = ask(store, library["sources-freshness"])
    kinds = Counter(r[1].value for r in sources.rows)  # type: ignore[union-attr]
    assert kinds["derived"] == 1 and kinds["loaded"] >= 6


def _iso(day: str) -> str:
    d, m, y = day.split("/")
    return f"{y}-{m}-{d}"


def test_non_open_formats_need_a_derogation(loaded: tuple[Store, dict[str, set[int]]],
                                            library: dict[str, CannedQuery]) -> None:
    result = ask(loaded[0], library["art10-non-open-formats"])
    got = {r[1].value.rsplit("/", 1)[1] for r in result.rows}  # type: ignore[union-attr]
    assert "format-ferme" in got and "format-derogation" not in got


def test_every_query_runs_with_its_examples(loaded: tuple[Store, dict[str, set[int]]],
                                           library: dict[str, CannedQuery]) -> None:
    for query in library.values():
        values = {p.name: p.example for p in query.parameters if p.example}
        result = ask(loaded[0], query, **values)
        assert result.variables == list(query.variables), query.name
