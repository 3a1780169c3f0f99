"""The canned queries over HTTP, through ``requests``: the list
and its JSON twin, a query page with parameters, every download parsed back, formula
neutralisation, bad values, ``Link`` headers for paging, and the OpenAPI document (checked
with openapi-spec-validator, then the API against it with schemathesis).

The store (``tests/queries_server.py``) holds the sample registries (loaded with the
registry loader, which stages the aggregates), the platform, the code lists, the catalog
fixtures of the library tests, and datasets whose titles a spreadsheet would run as formulas
or a page as markup. The pages go through Flask's test client on one engine for the
session; schemathesis runs against a live ``psikg serve``.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests

from tests.in_process import AppClient

BODY = "https://data.psikg.example/public-body/0254452873"
SPENDING = "/queries/spending-by-body-year"


def get(client: AppClient, url: str, **kwargs: object) -> requests.Response:
    return client.get(url, timeout=60, **kwargs)  # type: ignore[arg-type]


def links(response: requests.Response) -> dict[str, str]:
    """The ``Link`` header by ``rel`` (the URLs as sent, relative to the server)."""
    return {rel: link["url"] for rel, link in response.links.items()}


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def csv_rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


# --- the list ---------------------------------------------------------------------------


def test_list_json_twin_names_every_query_with_typed_parameters(
        queries_endpoint: AppClient) -> None:
    response = get(queries_endpoint, "/queries.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    entries = response.json()
    assert isinstance(entries, list)
    names = {entry["name"] for entry in entries}
    assert names == {path.stem for path in Path("queries").glob("*.rq")}
    spending = next(e for e in entries if e["name"] == "spending-by-body-year")
    assert {(p["name"], p["type"], p["list"]) for p in spending["parameters"]} == {
        ("year", "year", True), ("body", "iri", True)}
    assert all(entry["title"] and entry["url"] == f"/queries/{entry['name']}"
               for entry in entries)
    # the same list by Accept, in the language asked for
    by_accept = get(queries_endpoint, "/queries",
                    headers={"Accept": "application/json", "Accept-Language": "nl"})
    assert [e["name"] for e in by_accept.json()] == [e["name"] for e in entries]
    nl = next(e for e in by_accept.json() if e["name"] == "spending-by-body-year")
    assert nl["title"] == "Uitgaven per subsidiërende overheid en per jaar"


@pytest.mark.parametrize(("lang", "title"), [
    ("fr", "Dépenses par pouvoir subsidiant et par année"),
    ("nl", "Uitgaven per subsidiërende overheid en per jaar"),
    ("en", "Spending per granting body and year"),
])
def test_list_page_in_french_dutch_and_english(queries_endpoint: AppClient, lang: str,
                                               title: str) -> None:
    by_parameter = get(queries_endpoint, f"/queries?lang={lang}",
                       headers={"Accept": "text/html"})
    by_header = get(queries_endpoint, "/queries",
                    headers={"Accept": "text/html", "Accept-Language": f"{lang};q=0.9"})
    for response in (by_parameter, by_header):
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.headers["Content-Language"] == lang
        assert f'<html lang="{lang}">' in response.text
        assert title in response.text
    assert 'rel="alternate"' in by_parameter.headers["Link"]
    assert links(by_parameter)["alternate"] == "/queries.json"


def test_queries_are_examples_the_query_ui_can_run(queries_endpoint: AppClient) -> None:
    """The UI's script adds each entry's ``query`` to YASGUI's examples: each one runs."""
    for entry in get(queries_endpoint, "/queries.json").json():
        response = queries_endpoint.post("/sparql", data={"query": entry["query"]},
                                         headers={"Accept": "application/sparql-results+json"},
                                         timeout=60)
        assert response.status_code == 200, (entry["name"], response.text)


# --- one query ----------------------------------------------------------------------------


def test_query_page_has_a_typed_form_a_labelled_table_and_downloads(
        queries_endpoint: AppClient) -> None:
    response = get(queries_endpoint, SPENDING + "?year=2023&lang=en")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Spending per granting body and year</h1>" in page
    assert '<input id="param-year" name="year" type="number" data-type="year" value="2023"' \
        in page
    assert 'name="body" type="url"' in page
    assert '<table class="results" id="results-table">' in page
    assert ">Sample province</a>" in page  # the label, not the bare IRI
    assert f'title="{BODY}"' in page
    assert '<canvas id="chart"' in page and '<script src="/lib/chart.umd.min.js">' in page
    for extension in ("csv", "tsv", "xlsx", "json"):
        assert f'href="/queries/spending-by-body-year.{extension}?year=2023&amp;lang=en"' in page
    assert "delimiter=semicolon" in page
    assert links(response)["alternate"] == SPENDING + ".json?year=2023&lang=en"
    assert get(queries_endpoint, "/lib/chart.umd.min.js").status_code == 200


def test_enum_boolean_and_date_parameters_get_their_own_inputs(queries_endpoint: AppClient) -> None:
    municipality = get(queries_endpoint, "/queries/subsidies-by-municipality").text
    assert '<select id="param-lang" name="lang" data-type="enum">' in municipality
    personal = get(queries_endpoint, "/queries/personal-data?lang=nl").text
    assert '<select id="param-anonymised" name="anonymised" data-type="boolean">' in personal
    assert ">ja</option>" in personal
    cessation = get(queries_endpoint, "/queries/art14-cessation-notices").text
    assert 'name="since" type="date"' in cessation


def test_json_twin_is_sparql_json_built_from_the_page(queries_endpoint: AppClient) -> None:
    url = SPENDING + "?year=2023&lang=en"
    by_extension = get(queries_endpoint, SPENDING + ".json?year=2023&lang=en")
    by_accept = get(queries_endpoint, url, headers={"Accept": "application/sparql-results+json"})
    by_json = get(queries_endpoint, url, headers={"Accept": "application/json"})
    assert by_extension.status_code == by_accept.status_code == by_json.status_code == 200
    assert by_extension.headers["Content-Type"].startswith("application/sparql-results+json")
    data = by_extension.json()
    for other in (by_accept.json(), by_json.json()):
        assert without_urls(other) == without_urls(data)
    assert data["head"]["vars"] == ["body", "fiscal_year", "grants", "granted", "paid"]
    rows = data["results"]["bindings"]
    assert rows and all(row["fiscal_year"]["value"] == "2023" for row in rows)
    assert data["psikg"]["labels"][BODY] == "Sample province"
    assert data["psikg"]["query"]["name"] == "spending-by-body-year"
    assert data["psikg"]["paging"]["total"] == len(rows)
    assert links(by_extension)["alternate"] == SPENDING + "?year=2023&lang=en"


def without_urls(page: dict[str, Any]) -> dict[str, Any]:
    """The page less what holds the URL it was asked at (links keep their path)."""
    return {**page, "psikg": {key: value for key, value in page["psikg"].items()
                              if key not in {"links", "languages", "downloads"}}}


def sparql_rows(data: dict[str, Any]) -> list[list[str]]:
    head = data["head"]["vars"]
    return [[row.get(v, {}).get("value", "") for v in head]
            for row in data["results"]["bindings"]]


def test_every_download_parses_back_to_the_same_rows(queries_endpoint: AppClient) -> None:
    from python_calamine import CalamineWorkbook

    base = SPENDING
    expected = sparql_rows(get(queries_endpoint, base + ".json?year=2023").json())
    assert expected

    comma = get(queries_endpoint, base + ".csv?year=2023")
    assert comma.headers["Content-Type"].startswith("text/csv")
    assert 'filename="spending-by-body-year.csv"' in comma.headers["Content-Disposition"]
    assert csv_rows(comma.content) == [["body", "fiscal_year", "grants", "granted", "paid"],
                                       *expected]
    semicolon = get(queries_endpoint, base + ".csv?year=2023&delimiter=semicolon")
    assert csv_rows(semicolon.content, ";") == csv_rows(comma.content)
    assert b";" in semicolon.content.splitlines()[0]

    tsv = get(queries_endpoint, base + ".tsv?year=2023")
    assert tsv.headers["Content-Type"].startswith("text/tab-separated-values")
    lines = tsv.text.splitlines()
    assert lines[0] == "?body\t?fiscal_year\t?grants\t?granted\t?paid"
    assert lines[1].split("\t")[0] == f"<{BODY}>" or lines[1].startswith("<")
    assert len(lines) == len(expected) + 1

    xlsx = get(queries_endpoint, base + ".xlsx?year=2023&lang=en")
    assert xlsx.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0)
    table = sheet.to_python()
    # the IRIs stay the data; their names (where the store has labels) sit beside them
    assert table[0] == ["Granting body", "Granting body (name)", "Budget year", "Grants",
                        "Granted (€)", "Paid (€)"]
    assert [str(row[0]) for row in table[1:]] == [row[0] for row in expected]
    assert [row[1] for row in table[1:]] == [
        "Sample province" if row[0] == BODY else "" for row in expected]
    assert [float(str(row[4])) for row in table[1:]] == [float(row[3]) for row in expected]


@pytest.mark.parametrize(("accept", "media_type"), [
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("text/html", "text/html"),
])
def test_accept_chooses_the_download(queries_endpoint: AppClient, accept: str,
                                     media_type: str) -> None:
    response = get(queries_endpoint, SPENDING + "?year=2024", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media_type)


def test_nothing_acceptable_is_a_406_naming_what_is(queries_endpoint: AppClient) -> None:
    response = get(queries_endpoint, SPENDING, headers={"Accept": "image/png"})
    assert response.status_code == 406
    body = response.json()
    assert body["ok"] is False and body["status"] == 406
    assert "text/csv" in body["error"]


def test_formulas_are_neutralised_in_csv_and_xlsx(queries_endpoint: AppClient) -> None:
    import openpyxl  # type: ignore[import-untyped]

    base = "/queries/search-datasets"
    rows = csv_rows(get(queries_endpoint, base + ".csv?text=trap").content)
    titles = {row[rows[0].index("title")] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://evil.example\",\"Trap formula\")" in titles
    assert "'+Trap plus" in titles and "'@Trap at" in titles
    assert not any(title.startswith(("=", "+", "-", "@")) for title in titles)

    book = openpyxl.load_workbook(
        io.BytesIO(get(queries_endpoint, base + ".xlsx?text=trap").content))
    sheet = book.worksheets[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert all(cell.data_type != "f" for cell in cells)
    values = {cell.value for cell in cells}
    assert "'=HYPERLINK(\"http://evil.example\",\"Trap formula\")" in values
    assert "'@Trap at" in values


def test_markup_in_the_data_is_escaped_in_the_page(queries_endpoint: AppClient) -> None:
    page = get(queries_endpoint, "/queries/search-datasets?text=markup").text
    assert "<script>alert('Trap markup')" not in page
    assert "&lt;script&gt;alert(&#39;Trap markup&#39;)&lt;/script&gt;" in page


# --- wrong values -------------------------------------------------------------------------


def test_a_wrong_value_is_a_400_naming_the_parameter_and_type(queries_endpoint: AppClient) -> None:
    response = get(queries_endpoint, SPENDING + ".json?year=20x3&body=nope")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"ok", "error", "errors", "status"}
    assert body["ok"] is False and body["status"] == 400
    assert "'year'" in body["error"] and "a year as four digits" in body["error"]
    by_name = {error["parameter"]: error for error in body["errors"]}
    assert by_name["year"]["value"] == "20x3"
    assert by_name["year"]["expected"].startswith("a year as four digits")
    assert by_name["body"]["parameter_type"] == "iri"
    assert by_name["body"]["expected"].startswith("an absolute IRI")


@pytest.mark.parametrize(("path", "parameter"), [
    ("/queries/spending-by-body-year.csv?year=1999x", "year"),
    ("/queries/search-datasets.json", "text"),
    ("/queries/art14-cessation-notices.json?since=2024-02-30", "since"),
    ("/queries/personal-data.json?anonymised=perhaps", "anonymised"),
    ("/queries/subsidies-by-municipality.json?lang=xx", "lang"),
    ("/queries/spending-by-body-year.json?page=0", "page"),
    ("/queries/spending-by-body-year.json?page_size=99999", "page_size"),
    ("/queries/spending-by-body-year.csv?delimiter=pipe", "delimiter"),
    ("/queries/spending-by-body-year.json?colour=blue", "colour"),
    ("/queries/spending-by-body-year.json?page=1&page=2", "page"),
])
def test_each_kind_of_wrong_value_is_a_400(queries_endpoint: AppClient, path: str,
                                           parameter: str) -> None:
    response = get(queries_endpoint, path)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["ok"] is False
    assert parameter in {error.get("parameter") for error in body["errors"]}


def test_a_browser_gets_the_form_back_with_the_errors(queries_endpoint: AppClient) -> None:
    response = get(queries_endpoint, SPENDING + "?year=20x3&lang=en",
                   headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")
    assert '<li data-parameter="year">' in response.text
    assert 'class="field invalid"' in response.text
    assert 'value="20x3"' in response.text


def test_unknown_queries_and_extensions_are_404(queries_endpoint: AppClient) -> None:
    assert get(queries_endpoint, "/queries/no-such-query").status_code == 404
    missing = get(queries_endpoint, SPENDING + ".docx")
    assert missing.status_code == 404
    assert ".csv" in missing.json()["error"]


# --- paging ---------------------------------------------------------------------------------


def test_link_headers_page_through_and_keep_the_other_arguments(
        queries_endpoint: AppClient) -> None:
    text = "Odd & <co> #"
    first = get(queries_endpoint, "/queries/search-datasets.json",
                params={"text": text, "page_size": "1", "lang": "nl"})
    assert first.status_code == 200
    found = links(first)
    assert set(found) >= {"first", "next", "last"} and "prev" not in found
    assert "%26" in found["next"] and "%3C" in found["next"] and "%23" in found["next"]
    assert urlsplit(found["next"]).path == "/queries/search-datasets.json"
    assert query_of(found["next"]) == {"text": [text], "page_size": ["1"], "lang": ["nl"],
                                       "page": ["2"]}
    assert query_of(found["last"])["page"] == ["2"]
    second = get(queries_endpoint, found["next"])
    assert second.status_code == 200
    assert second.json()["results"]["bindings"][0]["title"]["value"] == "Odd & <co> #2"
    back = links(second)
    assert "next" not in back
    assert query_of(back["prev"]) == query_of(found["first"])
    again = get(queries_endpoint, back["prev"]).json()
    assert without_urls(again) == without_urls(first.json())


def test_list_parameters_survive_in_links_and_downloads(queries_endpoint: AppClient) -> None:
    response = get(queries_endpoint, SPENDING + ".csv?year=2023&year=2024&page_size=2")
    found = links(response)
    assert query_of(found["next"])["year"] == ["2023", "2024"]
    assert urlsplit(found["next"]).path.endswith(".csv")
    last = int(query_of(found["last"])["page"][0])
    assert last == -(-len(csv_rows(get(queries_endpoint, SPENDING
                                       + ".csv?year=2023&year=2024&page_size=5000").content)
                          [1:]) // 2)
    past = get(queries_endpoint, SPENDING + f".json?year=2023&page_size=2&page={last + 5}")
    assert query_of(links(past)["prev"])["page"] != [str(last + 4)]


def test_an_unpaged_query_sends_no_paging_links(queries_endpoint: AppClient) -> None:
    response = get(queries_endpoint, "/queries/top-beneficiaries.json")
    assert response.status_code == 200
    assert set(links(response)) == {"alternate"}


# --- the API ----------------------------------------------------------------------------------


def test_openapi_document_is_valid_and_has_one_operation_per_query(
        queries_endpoint: AppClient) -> None:
    from openapi_spec_validator import validate

    document = get(queries_endpoint, "/openapi.json").json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    names = {path.stem for path in Path("queries").glob("*.rq")}
    assert {p for p in document["paths"] if p.startswith("/queries/")} == {
        f"/queries/{n}" for n in names}
    spending = document["paths"][SPENDING]["get"]
    parameters = {p["name"]: p for p in spending["parameters"]}
    assert parameters["year"]["schema"]["type"] == "array"
    assert parameters["year"]["schema"]["items"]["type"] == "integer"
    assert parameters["year"]["explode"] is True
    assert parameters["page_size"]["schema"]["maximum"] == 5000
    municipality = document["paths"]["/queries/subsidies-by-municipality"]["get"]
    lang = next(p for p in municipality["parameters"] if p["name"] == "lang")
    assert "enum" in lang["schema"]
    assert set(spending["responses"]["200"]["content"]) == {
        "text/html", "application/sparql-results+json", "text/csv",
        "text/tab-separated-values",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def test_the_validation_service_is_in_the_openapi_document(
        queries_endpoint: AppClient) -> None:
    """``/validate``: its form and its report, their parameters and bodies, and a real
    report and form that have the documented keys."""
    document = get(queries_endpoint, "/openapi.json").json()
    form, post = document["paths"]["/validate"]["get"], document["paths"]["/validate"]["post"]
    profile = next(p for p in post["parameters"] if p["name"] == "profile")
    assert profile["schema"]["enum"] == ["decree", "dcat-ap", "hvd", "all"]
    bodies = post["requestBody"]["content"]
    assert {"text/turtle", "application/rdf+xml", "application/ld+json",
            "multipart/form-data", "application/x-www-form-urlencoded"} <= set(bodies)
    assert set(bodies["multipart/form-data"]["schema"]["properties"]) == {
        "file", "url", "text", "profile", "syntax"}
    assert {"200", "400", "413", "415", "503"} <= set(post["responses"])
    assert set(post["responses"]["200"]["content"]) == {"application/json", "text/turtle",
                                                        "text/html"}
    schemas = document["components"]["schemas"]
    report = queries_endpoint.post("/validate", data=b"<https://e.x/a> a <https://e.x/B> .",
                                   headers={"Content-Type": "text/turtle"}, timeout=120)
    assert report.status_code == 200, report.text
    assert set(schemas["Report"]["required"]) <= set(report.json())
    shown = get(queries_endpoint, "/validate?format=json").json()
    assert set(schemas["ValidationForm"]["required"]) <= set(shown)
    assert form["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationForm"}


def test_every_public_route_is_in_the_openapi_document(queries_endpoint: AppClient) -> None:
    """Every route of the app, each of its methods, is an operation of the document, or is
    named in ``NOT_IN_API`` (files, operations behind the update token) with why; and each
    documented read that needs no value answers with a documented status and media type."""
    from endpoint.openapi_routes import NOT_IN_API
    from endpoint.openapi_routes import TOKEN_METHODS

    document = get(queries_endpoint, "/openapi.json").json()
    routes: set[str] = set()
    missing = []
    for rule in queries_endpoint.app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        routes.add(path)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            left_out = path in NOT_IN_API or method.lower() in TOKEN_METHODS.get(path, ())
            # a route with a variable may be documented once per value (/queries/NAME)
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
            if not left_out and not any(re.fullmatch(pattern, documented) and method.lower()
                                        in item for documented, item in document["paths"].items()):
                missing.append(f"{method} {path}")
    assert missing == []
    assert set(NOT_IN_API) <= routes and set(TOKEN_METHODS) <= routes
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path or any(
                p.get("required") for p in operation.get("parameters", [])):
            continue
        answer = get(queries_endpoint, path)
        assert str(answer.status_code) in operation["responses"], (path, answer.status_code)
        documented = operation["responses"][str(answer.status_code)].get("content", {})
        media = answer.headers.get("Content-Type", "").split(";")[0]
        assert not documented or media in documented, (path, media)


def test_api_docs_page_loads_the_viewer_from_npm(queries_endpoint: AppClient) -> None:
    page = get(queries_endpoint, "/api?lang=en")
    assert page.status_code == 200
    assert '<script src="/lib/swagger-ui-bundle.js">' in page.text
    assert links(page)["alternate"] == "/openapi.json"
    assert get(queries_endpoint, "/lib/swagger-ui-bundle.js").status_code == 200
    assert get(queries_endpoint, "/lib/../../etc/passwd").status_code == 404


@pytest.mark.slow
def test_the_api_conforms_to_its_openapi_document(queries_live: str) -> None:
    """schemathesis, a bounded run with a fixed seed, on this test's own server only."""
    assert urlsplit(queries_live).hostname == "127.0.0.1"
    # no not_a_server_error: a 503 is documented (a query past its time limit, a profile
    # whose shapes this server lacks); an undocumented status, a 500, still fails the
    # status_code_conformance check
    checks = ("status_code_conformance,content_type_conformance,"
              "response_schema_conformance,response_headers_conformance,"
              "negative_data_rejection")
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", queries_live + "/openapi.json",
         "--url", queries_live, "--checks", checks, "--mode", "all",
         "--include-path-regex", "^/(queries|validate)",
         "--max-examples", "6", "--seed", "20261123", "--request-timeout", "60",
         "--no-color"],
        capture_output=True, text=True, timeout=600)
    # exit 0 is every check passing; a warning (a slow answer on a loaded machine) may show
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failures" not in result.stdout


def test_the_granting_bodies_offered_are_the_registers_funders(
        queries_endpoint: AppClient) -> None:
    """The ``body`` parameter of spending-by-body-year offers every granting body of the
    sample subsidies, as their enterprise numbers give them, and nothing else."""
    from graph.settings import EXAMPLES_DIR

    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8", newline="") as table:
        numbers = {row["N° BCE du pouvoir subsidiant"].replace(".", "")
                   for row in csv.DictReader(table, delimiter=";")}
    page = get(queries_endpoint, "/queries/spending-by-body-year").text
    field = re.search(r'<datalist id="values-body">(.*?)</datalist>', page, re.S)
    assert field is not None, "the form offers no value for body"
    offered = re.findall(r'<option value="([^"]+)"', field.group(1))
    assert offered == sorted(offered)
    assert set(offered) == {f"https://data.psikg.example/public-body/{n}" for n in numbers}
