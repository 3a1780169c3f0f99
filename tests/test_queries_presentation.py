"""What people read of the canned answers, on a store of the sample registries: the query
pages write numbers as the page's language does (fr, nl, de, en), checked against sums
computed here from ``examples/subsidies.csv``; the downloads keep plain numbers; the chart of
``spending-by-body-year`` is per year; a division by zero reads as one; ``psikg queries``
shows labels beside IRIs and writes the web's downloads byte for byte.

The pages go through Flask's test client on ``endpoint.create_app`` in front of a real
``oxigraph serve`` on the store; the command line runs through click's CliRunner on a copy
of the store (the engine holds the original).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_FLOOR
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from python_calamine import CalamineWorkbook

from endpoint.app import create_app
from graph.canned.library import load_query
from graph.engine.process import EngineProcess
from graph.settings import EXAMPLES_DIR
from graph.settings import Settings
from psikg.cli import cli
from tests.endpoint_server import copy_store
from tests.test_queries_web import BODY

BASE = "https://data.psikg.example/"
SPENDING = "/queries/spending-by-body-year"
LANGUAGES = ("fr", "nl", "de", "en")
HTML = {"Accept": "text/html"}


# --- what the sample rows say, computed here ----------------------------------------------


def amount(text: str) -> Decimal:
    """A Belgian amount of the sample (``195.300,00``, ``EUR 9 999,99``, ``209 650,00 €``)."""
    return Decimal(re.sub(r"EUR|€|\s", "", text).replace(".", "").replace(",", "."))


@dataclass
class Sums:
    grants: int = 0
    granted: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)


def sample_sums() -> dict[tuple[str, int], Sums]:
    """Grants, amounts granted and paid by body IRI and budget year, from the CSV."""
    sums: dict[tuple[str, int], Sums] = defaultdict(Sums)
    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file, delimiter=";"):
            body = BASE + "public-body/" + re.sub(r"\D", "", row["N° BCE du pouvoir subsidiant"])
            found = sums[(body, int(row["Exercice"]))]
            found.grants += 1
            found.granted += amount(row["Montant octroyé (€)"])
            found.paid += amount(row["Montant liquidé (€)"])
    return sums


SUMS = sample_sums()


def written(number: Decimal, language: str, places: int) -> str:
    """``number`` as ``language`` writes it, built by hand from Python's own grouping (not
    by Babel, which the pages use): fr groups with a narrow no-break space and a comma,
    nl and de with a dot and a comma, en with a comma and a dot."""
    english = f"{number:,.{places}f}"
    if language == "fr":
        return english.replace(",", "\u202f").replace(".", ",")
    if language in ("nl", "de"):
        return english.replace(",", "_").replace(".", ",").replace("_", ".")
    return english


def per_cent(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole`` in per cent, rounded to 2 decimals, halves toward +∞."""
    return (part / whole * 10_000 + Decimal("0.5")).to_integral_value(ROUND_FLOOR) / 100


# --- the app and the store -------------------------------------------------------------


@pytest.fixture(scope="module")
def stores(queries_template: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Path, Path]:
    """The sample store for the engine, and a copy for the command line (both copies of the
    session's template, ``tests/queries_server.py``)."""
    folder = tmp_path_factory.mktemp("presentation")
    return (copy_store(queries_template, folder / "store"),
            copy_store(queries_template, folder / "cli-store"))


@pytest.fixture(scope="module")
def client(stores: tuple[Path, Path]) -> Iterator[FlaskClient]:
    engine = EngineProcess(stores[0])
    engine.start()
    try:
        app = create_app(Settings(engine_url=engine.url, base_iri=BASE))
        ratios = Path(stores[0]).parent / "ratios.rq"
        ratios.write_text(RATIOS, encoding="utf-8")
        app.extensions["psikg-queries"]["ratios"] = load_query(ratios)
        yield app.test_client()
    finally:
        engine.stop()


RATIOS = """#+ title: {fr: Parts, nl: Aandelen, en: Shares}
#+ description: {fr: Parts, nl: Aandelen, en: Shares}
#+ columns:
#+   share: {fr: Part (%), nl: Aandeel (%), en: Share (%), kind: percent}
#+ chart: {type: bar, x: body, y: share}
SELECT ?body ?share WHERE {
  VALUES (?body ?share) { (<https://data.psikg.example/public-body/0254452873> "#DIV/0!")
                          (<https://data.psikg.example/public-body/0260187949> 12.5) }
}
"""
"""A query whose first ratio divides by zero, as shared decision 4 writes it."""


class Cells(HTMLParser):
    """The cells of the results table: each one's text and its ``title``, if any."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str | None]]] = []
        self._in_table = self._in_cell = False
        self._title: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "results-table") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag == "td":
            self._in_cell, self._title = True, None
            self.rows[-1].append(("", None))
        elif self._in_cell and tag in ("span", "a"):
            self._title = dict(attrs).get("title")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag == "td" and self._in_cell:
            self._in_cell = False
            text, _ = self.rows[-1][-1]
            self.rows[-1][-1] = (text.strip(), self._title)

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            text, title = self.rows[-1][-1]
            self.rows[-1][-1] = (text + data, title)


def table_of(html: str) -> list[list[tuple[str, str | None]]]:
    parser = Cells()
    parser.feed(html)
    return [row for row in parser.rows if row]


def page_json(client: FlaskClient, path: str) -> dict[str, Any]:
    response = client.get(path, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    data: dict[str, Any] = response.get_json()
    return data


# --- numbers on the pages --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_spending_page_writes_amounts_counts_and_years_in_the_page_language(
        client: FlaskClient, language: str) -> None:
    response = client.get(f"{SPENDING}?lang={language}", headers=HTML)
    assert response.status_code == 200
    rows = table_of(response.get_data(as_text=True))
    data = page_json(client, f"{SPENDING}.json?lang={language}")
    iris = [binding["body"]["value"] for binding in data["results"]["bindings"]]
    assert len(rows) == len(iris) == len(SUMS)
    for row, iri in zip(rows, iris, strict=True):
        _, (year, year_title), (grants, _), granted, paid = row
        expected = SUMS[(iri, int(year))]
        assert year_title is None and year == str(int(year))  # 2024, never 2 024
        assert grants == written(Decimal(expected.grants), language, 0)
        assert granted[0] == written(expected.granted, language, 2)
        assert paid[0] == written(expected.paid, language, 2)
        assert Decimal(granted[1] or "") == expected.granted  # the exact value, kept
    separator = {"fr": "\u202f", "nl": ".", "de": ".", "en": ","}[language]
    assert any(separator in granted for _, _, _, (granted, _), _ in rows)
    label = {"fr": "Province témoin", "nl": "Proefprovincie", "de": "Province témoin",
             "en": "Sample province"}[language]
    assert (label, BODY) in [row[0] for row in rows]


@pytest.mark.parametrize("language", LANGUAGES)
def test_percentages_have_two_decimals_in_the_page_language(client: FlaskClient,
                                                             language: str) -> None:
    rows = table_of(client.get(f"/queries/granted-vs-paid?year=2024&lang={language}",
                               headers=HTML).get_data(as_text=True))
    data = page_json(client, f"/queries/granted-vs-paid.json?year=2024&lang={language}")
    iris = [binding["body"]["value"] for binding in data["results"]["bindings"]]
    assert rows and len(rows) == len(iris)
    for row, iri in zip(rows, iris, strict=True):
        sums = SUMS[(iri, 2024)]
        assert row[1][0] == written(sums.granted, language, 2)
        assert row[3][0] == written(sums.granted - sums.paid, language, 2)
        assert row[4][0] == written(per_cent(sums.paid, sums.granted), language, 2)


def test_downloads_keep_plain_numbers(client: FlaskClient) -> None:
    data = page_json(client, f"{SPENDING}.json?lang=fr")
    for binding in data["results"]["bindings"]:
        sums = SUMS[(binding["body"]["value"], int(binding["fiscal_year"]["value"]))]
        assert Decimal(binding["granted"]["value"]) == sums.granted
        assert re.fullmatch(r"\d+(\.\d+)?", binding["granted"]["value"])
    body = client.get(f"{SPENDING}.csv?lang=fr").get_data().decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(body)))
    assert len(table) == len(SUMS)
    for row in table:
        assert re.fullmatch(r"\d+(\.\d+)?", row["granted"]) and row["fiscal_year"].isdigit()
        assert Decimal(row["paid"]) == SUMS[(row["body"], int(row["fiscal_year"]))].paid
    tsv = client.get(f"{SPENDING}.tsv?lang=fr").get_data(as_text=True)
    assert "\u202f" not in tsv and "1\u202f" not in body


def test_a_division_by_zero_reads_as_one_and_is_no_point_of_the_chart(
        client: FlaskClient) -> None:
    rows = table_of(client.get("/queries/ratios?lang=fr", headers=HTML).get_data(as_text=True))
    assert rows[0][1] == ("division par zéro", "#DIV/0!")
    assert rows[1][1] == ("12,50", "12.5")
    english = table_of(client.get("/queries/ratios?lang=en", headers=HTML)
                       .get_data(as_text=True))
    assert english[0][1] == ("division by zero", "#DIV/0!")
    chart = page_json(client, "/queries/ratios.json")["psikg"]["chart"]
    assert chart["datasets"][0]["data"] == [None, 12.5]
    body = client.get("/queries/ratios.csv").get_data().decode("utf-8-sig")
    assert "#DIV/0!" in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_resource_pages_write_amounts_in_the_page_language(client: FlaskClient,
                                                            language: str) -> None:
    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8", newline="") as file:
        first = next(csv.DictReader(file, delimiter=";"))
    granted = amount(first["Montant octroyé (€)"])
    path = f"/id/subsidy/{first['Référence']}?lang={language}"
    page = client.get(path, headers=HTML).get_data(as_text=True)
    match = re.search(r'<span class="literal number" title="([^"]+)">([^<]+)</span>', page)
    assert match is not None
    assert Decimal(match.group(1)) == granted
    assert match.group(2) == written(granted, language, 2)
    twin = client.get(path + "&format=json").get_json()
    amounts = [value for group in twin["properties"]
               if group["property"]["iri"] == "https://schema.org/amount"
               for value in group["values"]]
    assert [Decimal(v["value"]) for v in amounts] == [granted]
    assert amounts[0]["shown"] == written(granted, language, 2)


# --- the chart ---------------------------------------------------------------------------


def test_spending_chart_is_per_year_not_summed_over_the_years(client: FlaskClient) -> None:
    data = page_json(client, f"{SPENDING}.json?lang=en")
    chart = data["psikg"]["chart"]
    bodies = list(dict.fromkeys(b["body"]["value"] for b in data["results"]["bindings"]))
    years = sorted({year for _, year in SUMS})
    assert [dataset["label"] for dataset in chart["datasets"]] == [str(y) for y in years]
    assert chart["labels"] == [data["psikg"]["names"][iri] for iri in bodies]
    assert "Sample province" in chart["labels"]
    for dataset, year in zip(chart["datasets"], years, strict=True):
        assert dataset["data"] == [float(SUMS[(iri, year)].granted) if (iri, year) in SUMS
                                   else None for iri in bodies]
    assert chart["aggregate"] is None
    # the page draws it from the JSON twin's own data
    html = client.get(f"{SPENDING}?lang=en", headers=HTML).get_data(as_text=True)
    embedded = re.search(r'<script id="psikg-query" type="application/json">(.*?)</script>',
                         html, re.S)
    assert embedded is not None
    assert json.loads(embedded.group(1))["psikg"]["chart"] == chart


# --- the command line ------------------------------------------------------------------


def psikg(store: Path, *arguments: str) -> bytes:
    result = CliRunner().invoke(cli, ["--store", str(store), "--base-iri", BASE, *arguments],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_table_shows_labels_beside_iris_and_numbers_in_lang(stores: tuple[Path, Path],
                                                                language: str) -> None:
    text = psikg(stores[1], "queries", "spending-by-body-year", "-p", "year=2024",
                 "--lang", language).decode("utf-8")
    label = "Province témoin" if language == "fr" else "Sample province"
    assert f"{label} (public-body/0254452873)" in text
    assert BODY not in text  # the short name under the base IRI, not the whole IRI
    for (iri, year), sums in SUMS.items():
        if year != 2024:
            continue
        line = next(line for line in text.splitlines() if iri[len(BASE):] in line)
        assert written(sums.granted, language, 2) in line
        assert written(sums.paid, language, 2) in line
        assert "│ 2024 " in line


@pytest.mark.parametrize(("name", "extension", "arguments"), [
    ("csv", "csv", ""), ("csv-semicolon", "csv", "&delimiter=semicolon"),
    ("tsv", "tsv", ""), ("xlsx", "xlsx", "")])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_command_line_files_are_the_web_downloads(client: FlaskClient,
                                                  stores: tuple[Path, Path], name: str,
                                                  extension: str, arguments: str,
                                                  language: str) -> None:
    mine = psikg(stores[1], "queries", "spending-by-body-year", "--format", name,
                 "--lang", language)
    # Accept-Language must not change a download: the file depends on its URL alone
    web = client.get(f"{SPENDING}.{extension}?lang={language}{arguments}",
                     headers={"Accept-Language": "en"}).get_data()
    if name != "xlsx":
        assert mine == web
        return
    mine_sheet, web_sheet = (CalamineWorkbook.from_filelike(io.BytesIO(data))
                             .get_sheet_by_index(0).to_python() for data in (mine, web))
    assert mine_sheet == web_sheet
    titles = {"fr": ("Pouvoir subsidiant", "Pouvoir subsidiant (nom)"),
              "nl": ("Subsidiërende overheid", "Subsidiërende overheid (naam)")}[language]
    assert tuple(mine_sheet[0][:2]) == titles
    names = {"fr": "Province témoin", "nl": "Proefprovincie"}
    assert {row[1] for row in mine_sheet[1:] if row[0] == BODY} == {names[language]}


def test_command_line_json_is_the_web_pages_results(client: FlaskClient,
                                                    stores: tuple[Path, Path]) -> None:
    mine = json.loads(psikg(stores[1], "queries", "spending-by-body-year", "--format", "json"))
    web = page_json(client, f"{SPENDING}.json")
    assert mine == {"head": web["head"], "results": web["results"]}
