"""The parts of a canned answer's presentation, on real stores and real query files: which
label an IRI gets (deterministic, untagged names in every language), the ``kind`` and
``aggregate`` header keys and their errors, how a chart combines rows, and how numbers are
written by kind."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.canned.chart import chart_data
from graph.canned.display import shown
from graph.canned.library import LibraryError
from graph.canned.library import load_library
from graph.canned.library import load_query
from graph.canned.run import StoreExecutor
from graph.canned.run import run
from graph.errors import InputError
from graph.labels import labels
from graph.languages import fallback_order
from graph.namespaces import XSD
from graph.settings import QUERIES_DIR
from graph.store import Store
from loaders.registry import load_table
from psikg.cli import cli
from tests.test_budget_many_registers import registers

EX = "https://data.psikg.example/"
PREF = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
NAME = "<https://schema.org/name>"

REGISTER_A = f"""
<{EX}beneficiary/a> {PREF} "Zèbre asbl" ; {RDFS_LABEL} "Aardvark"@en .
<{EX}beneficiary/b> {PREF} "Stad Brussel"@nl .
<{EX}beneficiary/c> {RDFS_LABEL} "Commune"@fr, "Gemeente"@nl ; {NAME} "Anything" .
<{EX}beneficiary/d> {NAME} "VILLE DE LIEGE", "Ville de Liège" .
"""
REGISTER_B = f"""
<{EX}beneficiary/a> {PREF} "Abeille asbl" .
<{EX}beneficiary/b> {PREF} "Ville de Bruxelles" ; {RDFS_LABEL} "Brussels"@en .
<{EX}beneficiary/d> {NAME} "Ville de Liege" .
"""
"""Two sources describing the same beneficiaries, as two registers would."""


def store_of(folder: Path, sources: list[tuple[str, str]]) -> Store:
    folder.mkdir()
    paths = []
    for name, text in sources:
        path = folder / f"{name}.ttl"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    store = Store(folder / "store")
    store.load_files(paths)
    return store


@pytest.fixture(params=["a-then-b", "b-then-a"])
def store(tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    sources = [("a", REGISTER_A), ("b", REGISTER_B)]
    return store_of(tmp_path / request.param,
                    sources if request.param == "a-then-b" else sources[::-1])


def iris(*names: str) -> list[tuple[ox.NamedNode]]:
    return [(ox.NamedNode(f"{EX}beneficiary/{name}"),) for name in names]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_labels_are_deterministic_and_untagged_names_win_over_other_languages(
        store: Store, language: str) -> None:
    found = labels(StoreExecutor(store), iris("a", "b", "c", "d"), fallback_order(language))
    # two untagged prefLabels, whichever register was loaded first: the smallest
    assert found[f"{EX}beneficiary/a"] == "Abeille asbl"
    # an untagged prefLabel beats a prefLabel in a language the reader did not ask for
    assert found[f"{EX}beneficiary/b"] == ("Stad Brussel" if language == "nl"
                                           else "Ville de Bruxelles")
    # rdfs:label comes before schema:name in the reader's language; for a reader of neither
    # of its languages, the untagged name (read the same in every language) comes first
    assert found[f"{EX}beneficiary/c"] == {"fr": "Commune", "nl": "Gemeente"}.get(
        language, "Anything")
    # several spellings of one property: the smallest in code-point order
    assert found[f"{EX}beneficiary/d"] == "VILLE DE LIEGE"
    store.close()


def test_a_readers_accepted_language_comes_before_untagged(store: Store) -> None:
    found = labels(StoreExecutor(store), iris("b"), fallback_order("en", ["nl"]))
    assert found == {f"{EX}beneficiary/b": "Stad Brussel"}
    store.close()


# --- header keys -----------------------------------------------------------------------

QUERY = """#+ title: {fr: Parts, nl: Aandelen, en: Shares}
#+ description: {fr: Parts, nl: Aandelen, en: Shares}
#+ columns:
#+   year: {fr: Exercice, nl: Jaar, en: Year, kind: year}
#+   amount: {fr: Montant, nl: Bedrag, en: Amount, kind: amount}
#+ chart: {type: bar, x: body, y: amount, series: year}
SELECT ?body ?year ?amount WHERE {
  VALUES (?body ?year ?amount) {
    (<https://data.psikg.example/b/1> 2024 10.5) (<https://data.psikg.example/b/1> 2023 1.25)
    (<https://data.psikg.example/b/2> 2024 "#DIV/0!") (<https://data.psikg.example/b/1> 2024 4)
  }
}
"""


def write(folder: Path, text: str, name: str = "shares") -> Path:
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_kinds_are_read_from_the_header(tmp_path: Path) -> None:
    query = load_query(write(tmp_path, QUERY))
    assert query.kinds == {"year": "year", "amount": "amount"}
    assert query.column_title("amount", "nl") == "Bedrag"
    assert [c["kind"] for c in query.summary("en")["columns"]] == [None, "year", "amount"]


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("kind: amount}", "kind: money}", 5, "kind 'money'; expected one of amount, percent"),
    ("kind: amount}", "kinds: amount}", 5, "unknown key 'kinds'"),
    ("en: Year, kind: year}", "en: Year, es: Año}", 4, "unknown key 'es'"),
    ("series: year}", "series: year, aggregate: mean}", 6, "aggregate 'mean'"),
])
def test_a_bad_kind_or_aggregate_is_an_error_naming_the_file_and_line(
        tmp_path: Path, old: str, new: str, line: int, words: str) -> None:
    path = write(tmp_path, QUERY.replace(old, new, 1))
    with pytest.raises(InputError) as caught:
        load_query(path)
    assert (caught.value.type, caught.value.file, caught.value.line) == (
        "invalid-header", str(path), line)
    assert words in caught.value.message
    with pytest.raises(LibraryError):
        load_library(tmp_path)


def test_the_library_says_what_its_year_money_and_share_columns_are() -> None:
    """No year of a canned answer can be written 2 024, and money has its two decimals."""
    for query in load_library(QUERIES_DIR).values():
        for variable in query.variables:
            title = query.column_title(variable, "en")
            expected = ("year" if "year" in variable else "amount" if "(€" in title
                        else "percent" if "(%)" in title else None)
            if expected is not None:
                assert query.kinds.get(variable) == expected, (query.name, variable)


# --- the chart's rows --------------------------------------------------------------------


@pytest.mark.parametrize(("aggregate", "labels_", "data"), [
    (None, ["b/1", "b/1", "b/2"], {"2023": [1.25, None, None],
                                   "2024": [10.5, 4.0, None]}),
    ("sum", ["b/1", "b/2"], {"2023": [1.25, None], "2024": [14.5, None]}),
    ("count", ["b/1", "b/2"], {"2023": [1.0, None], "2024": [2.0, 1.0]}),
])
def test_a_chart_adds_rows_up_only_when_its_header_says_so(
        tmp_path: Path, aggregate: str | None, labels_: list[str],
        data: dict[str, list[float | None]]) -> None:
    text = QUERY if aggregate is None else QUERY.replace(
        "series: year}", f"series: year, aggregate: {aggregate}}}")
    query = load_query(write(tmp_path, text))
    with Store(tmp_path / "store") as store:
        result = run(query, StoreExecutor(store), {})
    names = {f"{EX}b/1": "b/1", f"{EX}b/2": "b/2"}
    assert query.chart is not None
    chart = chart_data(query.chart, result, names, {"amount": "Amount"}, query.kinds)
    assert chart is not None
    assert chart["labels"] == labels_
    # series by year come in year order, though 2024 comes first in the rows
    assert {d["label"]: d["data"] for d in chart["datasets"]} == data
    assert [d["label"] for d in chart["datasets"]] == ["2023", "2024"]


# --- numbers by kind ----------------------------------------------------------------------


def test_numbers_are_written_by_what_the_column_is() -> None:
    integer, decimal, year = XSD + "integer", XSD + "decimal", XSD + "gYear"
    assert shown("2024", integer, "year", "fr").text == "2024"
    assert shown("2024", integer, None, "de").text == "2.024"  # a count, by its datatype
    assert shown("2024", year, None, "de").text == "2024"
    assert shown("1234", integer, "count", "en").text == "1,234"
    assert shown("12.5", decimal, "count", "en").text == "12.5"  # a fraction is not hidden
    assert shown("0.005", decimal, "amount", "nl").text == "0,01"  # cents, half up
    assert shown("-0.005", decimal, "amount", "nl").text == "-0,01"
    assert shown("33.3333", decimal, "percent", "fr").text == "33,33"
    assert shown("1234.5678", decimal, None, "fr").text == "1\u202f234,5678"
    assert shown("n/a", decimal, "amount", "fr").text == "n/a"
    assert shown("Bruxelles", None, None, "nl").text == "Bruxelles"
    assert Decimal(shown("1050000", decimal, "amount", "en").exact or "") == 1050000


# --- end to end: registers that spell a beneficiary several ways ---------------------------


def test_psikg_queries_shows_each_beneficiary_by_its_most_frequent_spelling(
        tmp_path: Path) -> None:
    """Three registers (``tests/test_budget_many_registers.py``'s) spell beneficiaries
    several ways; psikg stores the most frequent spelling as an untagged ``skos:prefLabel``,
    and the table shows it in every language, beside the beneficiary's short name."""
    tables, rows = registers(tmp_path)
    with Store(tmp_path / "store") as store:
        for table in tables:
            load_table(store, table, table.with_name(table.stem + "-metadata.json"))
    expected = {}
    for kbo in {row["kbo"] for row in rows}:
        counts = Counter(row["name"] for row in rows if row["kbo"] == kbo)
        most = max(counts.values())
        expected[kbo] = min(name for name, count in counts.items() if count == most)
    assert len(set(expected.values())) == 3
    for language in ("fr", "nl", "de", "en"):
        result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "--base-iri", EX,
                                          "queries", "top-beneficiaries", "--lang", language],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        for kbo, name in expected.items():
            assert f"{name} (beneficiary/{kbo})" in result.stdout
