"""``psikg describe``: drafts that load, on the samples and on a City's drifting registers.

On the samples, a draft made with ``--register`` gives the graph the hand-written sample
metadata gives (the mapping is the sample's, column for column), and the dialect it finds
is the one the workbook has. On six yearly files written with the quirks of real
registers (``tests/fixtures/synthetic/drift.py``), it maps every title to the field it names, marks
the year, key and granting body where no column holds them, and the store then holds every
grant with the amount written in the file.
"""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from graph.errors import InputError
from graph.registers import UnknownRegister
from graph.registers import load_registers
from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.describe import describe
from loaders.describe.guess import ColumnData
from loaders.describe.guess import guess
from loaders.describe.todos import todos_in
from loaders.registry import load_table
from loaders.table_model import Cell
from psikg.cli import cli
from tests.fixtures.synthetic.drift import YearFile
from tests.fixtures.synthetic.drift import write_city_registers

BASE = "https://data.psikg.example/"
KEY = b"0123456789abcdef0123456789abcdef"
SCHEMA = "https://schema.org/"
OBEU = "http://data.openbudgets.eu/ontology/dsd/dimension/"
AMOUNT = {"base": "decimal", "format": "psikg:amount-be"}
DATE = {"base": "date", "format": "psikg:date-be"}
KBO = {"base": "string", "format": "psikg:kbo"}
SAMPLES = [("subsidies", ".csv"), ("subsidies", ".xlsx"), ("subsidies", "-cp1252.csv"),
           ("contracts", ".xlsx"), ("inventory", "-cp1252.csv"), ("charges", ".xlsx"),
           ("exclusive-arrangements", ".csv")]


def _draft(tmp_path: Path, table: Path, register: str | None) -> Path:
    found = describe(table, base_iri=BASE, register=register)
    path = tmp_path / "draft-metadata.json"
    path.write_text(json.dumps(found.metadata, ensure_ascii=False), encoding="utf-8")
    return path


def _graph(store: Store, graph: str) -> set[str]:
    return {str(triple) for triple in store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "variant"), SAMPLES)
def test_sample_draft_gives_the_sample_graph(name: str, variant: str, tmp_path: Path) -> None:
    table = EXAMPLES_DIR / f"{name}{variant}"
    draft = _draft(tmp_path, table, name)
    assert todos_in(draft) == []
    with Store(tmp_path / "by-hand") as store:
        sample = load_table(store, table, EXAMPLES_DIR / f"{name}-metadata.json", key=KEY,
                            on_error="skip", aggregates=False)
        expected = _graph(store, sample.graph)
    with Store(tmp_path / "drafted") as store:
        result = load_table(store, table, draft, key=KEY, on_error="skip", aggregates=False)
        drafted = _graph(store, result.graph)
    assert (result.rows_read, result.rows_loaded) == (sample.rows_read, sample.rows_loaded)
    assert result.rows_loaded > 0
    assert drafted == expected


def _header_and_totals(path: Path) -> tuple[str, int, list[int]]:
    """The sheet, its header row and its totals rows, read with openpyxl."""
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    header = totals = None
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        filled = [v for v in row if v not in (None, "")]
        if header is None and len(filled) > 5 and all(isinstance(v, str) for v in filled):
            header = number
        elif header is not None and filled and str(filled[0]).startswith("Total"):
            rows.append(number)
    totals = rows
    assert header is not None
    return sheet.title, header, totals


@pytest.mark.parametrize("name", ["subsidies", "contracts", "inventory", "charges",
                                  "exclusive-arrangements"])
def test_sample_workbook_dialect(name: str) -> None:
    path = EXAMPLES_DIR / f"{name}.xlsx"
    sheet, header, totals = _header_and_totals(path)
    found = describe(path, base_iri=BASE, register=name)
    dialect = found.metadata["dialect"]
    assert dialect["psikg:sheet"] == sheet
    assert "psikg:headerRowPattern" in dialect and "delimiter" not in dialect
    assert found.summary[0].startswith(f"{name}.xlsx (sheet {sheet!r}): header on row "
                                       f"{header}, below ")
    assert f"{len(totals)} total row(s) skipped (rows {', '.join(map(str, totals))})" in (
        found.summary[0])
    sample = json.loads((EXAMPLES_DIR / f"{name}-metadata.json").read_text(encoding="utf-8"))
    assert dialect["psikg:sheet"] == sample["dialect"]["psikg:sheet"]


def test_sample_csv_dialect_and_encoding() -> None:
    found = describe(EXAMPLES_DIR / "subsidies-cp1252.csv", base_iri=BASE)
    assert found.metadata["dialect"] == {"delimiter": ";", "skipBlankRows": True}
    assert "encoding cp1252 (detected" in found.summary[1]
    assert "Référence" in json.dumps(found.metadata, ensure_ascii=False)


def test_plain_draft_guesses_the_datatypes_and_loads(tmp_path: Path) -> None:
    table = EXAMPLES_DIR / "subsidies.csv"
    found = describe(table, base_iri=BASE)
    columns = {c["titles"]: c for c in found.metadata["tableSchema"]["columns"]}
    expected = {"Référence": "string", "Exercice": "gYear", "Pouvoir subsidiant": "string",
                "N° BCE du pouvoir subsidiant": KBO, "Bénéficiaire": "string",
                "Numéro d'entreprise": KBO, "Montant octroyé (€)": AMOUNT,
                "Montant liquidé (€)": AMOUNT, "Objet": "string", "Article budgétaire": "string",
                "Date de décision": DATE,
                "Code INS": {"base": "string", "format": "psikg:nis"}}
    assert {title: c["datatype"] for title, c in columns.items()} == expected
    assert found.metadata["tableSchema"]["primaryKey"] == "reference"
    assert found.metadata["tableSchema"]["aboutUrl"] == BASE + "subsidies/{reference}"
    assert columns["Montant octroyé (€)"]["propertyUrl"] == (
        BASE + "def/subsidies/montant_octroye")
    assert columns["Montant octroyé (€)"]["required"] is True
    assert "required" not in columns["Numéro d'entreprise"]  # natural persons have none
    path = tmp_path / "plain-metadata.json"
    path.write_text(json.dumps(found.metadata), encoding="utf-8")
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, path)
    assert result.rows_loaded == sum(1 for _ in table.open(encoding="utf-8")) - 1


def test_plain_draft_guesses_booleans_cpv_and_open_end_dates() -> None:
    inventory = describe(EXAMPLES_DIR / "inventory.xlsx", base_iri=BASE)
    by_title = {c["titles"]: c for c in inventory.metadata["tableSchema"]["columns"]}
    assert by_title["Données dynamiques"]["datatype"] == {"base": "boolean",
                                                          "format": "oui|non"}
    contracts = describe(EXAMPLES_DIR / "contracts.csv", base_iri=BASE)
    by_title = {c["titles"]: c for c in contracts.metadata["tableSchema"]["columns"]}
    assert by_title["Code CPV"]["datatype"] == {"base": "string", "format": "psikg:cpv"}
    charges = describe(EXAMPLES_DIR / "charges.csv", base_iri=BASE)
    by_title = {c["titles"]: c for c in charges.metadata["tableSchema"]["columns"]}
    assert by_title["Fin"]["null"] == ["", "31/12/9999", "9999-12-31"]
    assert by_title["Rendement (%)"]["datatype"] == {"base": "decimal",
                                                     "format": {"decimalChar": ","}}


# --- a City's registers, six years that drift -------------------------------------------


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> list[YearFile]:
    return write_city_registers(tmp_path_factory.mktemp("city"))


def test_drifting_titles_map_to_the_fields_they_name(city: list[YearFile]) -> None:
    for year in city:
        found = describe(year.path, base_iri=BASE, register="subsidies")
        expected = [(title.replace("\n", " "), field) for title, field in year.mapping.items()]
        assert found.fields == expected, year.path.name
        todos = " | ".join(found.todos)
        assert ("no column holds the budget year" in todos) == (not year.has_year)
        assert ("no key" in todos) == (not year.unique_key)
        assert ("no column names the granting body" in todos) == (not year.has_body)


def test_year_from_the_file_name_and_rows_keyed_by_the_file(city: list[YearFile]) -> None:
    no_year = next(y for y in city if not y.has_year)
    found = describe(no_year.path, base_iri=BASE, register="subsidies")
    year = next(c for c in found.metadata["tableSchema"]["columns"] if c["name"] == "year")
    assert year["valueUrl"] == f"http://reference.data.gov.uk/id/year/{no_year.year}"
    assert year["virtual"] is True and "from the file's name" in year["psikg:todo"]
    no_key = next(y for y in city if not y.unique_key)
    found = describe(no_key.path, base_iri=BASE, register="subsidies")
    schema = found.metadata["tableSchema"]
    assert schema["aboutUrl"] == f"{BASE}subsidy/subsidies-{no_key.year}/{{_row}}"
    assert "primaryKey" not in schema and "repeats" in schema["psikg:todo"]


def test_drafts_load_every_grant_with_its_amount(city: list[YearFile], tmp_path: Path) -> None:
    graphs = {}
    with Store(tmp_path / "store") as store:
        for year in city:
            draft = tmp_path / f"{year.path.stem}-metadata.json"
            draft.write_text(json.dumps(describe(year.path, base_iri=BASE,
                                                 register="subsidies").metadata),
                             encoding="utf-8")
            result = load_table(store, year.path, draft, key=KEY, on_error="blank")
            assert result.rows_loaded == len(year.grants), year.path.name
            graphs[result.graph] = year
        for graph, year in graphs.items():
            rows = list(store.query(
                f"SELECT ?grant ?fy ?amount ?beneficiary WHERE {{ GRAPH <{graph}> {{ "
                f"?grant a <{SCHEMA}MonetaryGrant> ; <{OBEU}fiscalYear> ?fy ; "
                f"<{SCHEMA}fundedItem> ?beneficiary ; <{SCHEMA}funder> ?funder "
                f"OPTIONAL {{ ?grant <{SCHEMA}amount> ?amount }} }} }}"))
            assert len({r["grant"].value for r in rows}) == len(year.grants)
            assert {r["fy"].value for r in rows} == {
                f"http://reference.data.gov.uk/id/year/{year.year}"}
            total = sum((Decimal(r["amount"].value) for r in rows if r["amount"]), Decimal(0))
            assert total == sum((g.amount for g in year.grants if g.amount is not None),
                                Decimal(0)), year.path.name
            by_kbo = {r["beneficiary"].value for r in rows
                      if r["beneficiary"].value.rsplit("/", 1)[1].isdigit()}
            assert by_kbo == {f"{BASE}beneficiary/{g.kbo}" for g in year.grants if g.kbo}


def test_two_yearly_files_without_a_key_keep_their_rows_apart(city: list[YearFile],
                                                              tmp_path: Path) -> None:
    no_key = next(y for y in city if not y.unique_key)
    copy = tmp_path / f"subsidies-{no_key.year + 10}.xlsx"
    copy.write_bytes(no_key.path.read_bytes())
    with Store(tmp_path / "store") as store:
        for path in (no_key.path, copy):
            draft = tmp_path / f"{path.stem}-metadata.json"
            draft.write_text(json.dumps(describe(path, base_iri=BASE,
                                                 register="subsidies").metadata),
                             encoding="utf-8")
            load_table(store, path, draft, key=KEY, on_error="blank")
        found = store.query(f"SELECT (COUNT(DISTINCT ?g) AS ?n) {{ ?g a <{SCHEMA}MonetaryGrant> }}")
        assert int(next(iter(found))["n"].value) == 2 * len(no_key.grants)


# --- the command ------------------------------------------------------------------------


def test_cli_writes_the_draft_and_load_prints_its_todos(city: list[YearFile],
                                                          tmp_path: Path) -> None:
    no_year = next(y for y in city if not y.has_year)
    runner = CliRunner()
    draft = tmp_path / "draft.json"
    described = runner.invoke(cli, ["describe", str(no_year.path), "--register", "subsidies",
                                    "-o", str(draft)])
    assert described.exit_code == 0, described.output
    assert "register subsidies: 7 of 7 columns recognised" in described.stderr
    assert described.stderr.count("TODO: ") == 2 and described.stdout == ""
    assert json.loads(draft.read_text(encoding="utf-8"))["tableSchema"]["columns"]
    loaded = runner.invoke(cli, ["--store", str(tmp_path / "store"), "load",
                                 str(no_year.path), "--metadata", str(draft),
                                 "--on-error", "blank"])
    assert loaded.exit_code == 0, loaded.output
    todo_lines = [line for line in loaded.stderr.splitlines() if "TODO" in line]
    assert len(todo_lines) == 2
    assert todo_lines[0].startswith("psikg: draft.json: TODO (column 'year'): ")
    assert f"{len(no_year.grants)} rows" in loaded.stdout


def test_cli_prints_the_draft_to_stdout() -> None:
    result = CliRunner().invoke(cli, ["describe", str(EXAMPLES_DIR / "contracts.csv")])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["dialect"]["delimiter"] == ";"
    assert result.stderr.startswith("contracts.csv: header on row 1; 300 data rows")


def _one_line_error(args: list[str], code: int) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    return lines[-1]


def test_errors_are_one_line(tmp_path: Path) -> None:
    line = _one_line_error(["describe", str(EXAMPLES_DIR / "subsidies.csv"), "--register",
                            "grants"], 2)
    assert "unknown register 'grants'" in line and "subsidies" in line
    line = _one_line_error(["describe", str(tmp_path / "nothing.csv")], 1)
    assert "no such file" in line and "nothing.csv" in line
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    assert "fake.xlsx is not a readable spreadsheet" in _one_line_error(
        ["describe", str(fake)], 1)
    numbers = tmp_path / "numbers.csv"
    numbers.write_text("1;2;3\n4;5;6\n", encoding="utf-8")
    line = _one_line_error(["describe", str(numbers)], 1)
    assert "numbers.csv: no header row found" in line
    line = _one_line_error(["describe", str(EXAMPLES_DIR / "subsidies.xlsx"), "--sheet",
                            "Feuil1"], 1)
    assert "has no sheet 'Feuil1'; found: Subsides" in line


def test_unknown_register_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(UnknownRegister):
        describe(tmp_path / "missing.csv", base_iri=BASE, register="grants")
    with pytest.raises(InputError):
        describe(tmp_path / "missing.csv", base_iri=BASE)


def test_personal_data_columns_are_marked(tmp_path: Path) -> None:
    table = tmp_path / "contacts.csv"
    with table.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["Référence", "Projet", "Personne de contact", "Courriel"])
        writer.writerow(["P1", "Jardin", "Marie Dupont", "marie@example.org"])
        writer.writerow(["P2", "Fresque", "Jan Peeters", "jan@example.org"])
    found = describe(table, base_iri=BASE)
    columns = {c["titles"]: c for c in found.metadata["tableSchema"]["columns"]}
    assert columns["Courriel"]["psikg:personalData"] == "drop"
    assert columns["Personne de contact"]["psikg:personalData"]["method"] == "pseudonymise"
    assert "psikg:personalData" not in columns["Projet"]
    assert len(found.todos) == 2
    draft = tmp_path / "contacts-metadata.json"
    draft.write_text(json.dumps(found.metadata), encoding="utf-8")
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, draft)
        texts = {r["o"].value for r in store.query(
            f"SELECT ?o {{ GRAPH <{result.graph}> {{ ?s ?p ?o }} }}")}
    assert result.rows_loaded == 2
    assert not any("@" in text or "Dupont" in text for text in texts)


def test_readme_documents_the_command_and_its_options() -> None:
    from graph.settings import PROJECT_ROOT
    from psikg.commands.describe import describe as command

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "psikg describe examples/subsidies.xlsx --register subsidies" in readme
    helped = re.sub(r"-\s+", "-", CliRunner().invoke(cli, ["describe", "--help"]).stdout)
    for name in load_registers():
        assert f"`{name}`" in readme and name in helped
    for option in command.params:
        for flag in option.opts:
            if flag.startswith("--"):
                assert flag in readme, f"README does not mention psikg describe {flag}"


def _column(title: str, values: list[object]) -> ColumnData:
    column = ColumnData(0, title)
    for number, value in enumerate(values, start=2):
        column.add(Cell(value, f"A{number}"))  # type: ignore[arg-type]
    return column


@pytest.mark.parametrize(("title", "values", "datatype"), [
    ("Actief", ["ja", "nee", "ja", ""], {"base": "boolean", "format": "ja|nee"}),
    ("Gratuit", ["Oui", "Non"], {"base": "boolean", "format": "Oui|Non"}),
    ("Année", [2008, 2009, 2008], "gYear"),
    ("Jaar", ["2019", "2020", "2020"], "gYear"),
    ("Nr", [934, 954, 956], "integer"),
    ("Ondernemingsnummer", ["0203.071.973", "203071973", "BE0203071973", 203071973, "",
                            "0203.071.974"], KBO),
    ("Code INS", [21004, "92094", "21015"], {"base": "string", "format": "psikg:nis"}),
    ("Bedrag", [1000, "1.234,56", 12.5, "n.c."], AMOUNT),
    ("Uitbetaald", ["1.050.000,00", "83.450,25", "475 000€"], AMOUNT),
    ("Percent", [0.4, 0.40000001238376137, 0.3988], "decimal"),
    ("Site", ["https://a.be/x", "http://b.be"], "anyURI"),
    ("Code postal", ["1000", "0100"], "string"),
    ("Datum", ["01/02/2024", "2024-03-01", "31.12.2023"], DATE),
])
def test_datatypes_guessed_from_cells_and_titles(title: str, values: list[object],
                                                 datatype: object) -> None:
    assert guess(_column(title, values)).datatype == datatype


def test_a_guess_names_the_cells_that_do_not_fit() -> None:
    found = guess(_column("Numéro d'entreprise", ["0203.071.973", "0203.071.974", "",
                                                   "BE0203071973"]))
    assert found.datatype == KBO and found.bad == 1 and found.invalid == ["A3 '0203.071.974'"]
    amounts = guess(_column("Montant", ["1.234,56", "n.c.", 12]))
    assert amounts.bad == 1 and amounts.invalid == ["A3 'n.c.'"]


def test_the_sheet_that_looks_like_the_register_is_chosen(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("Notes")
    notes.write_column(0, 0, ["Exporté le 03/01/2024", "Source : service des finances"])
    people = book.add_worksheet("Contacts")
    for r, row in enumerate([["Nom", "Fonction", "Téléphone"], ["A. Dupont", "Échevin", "02"],
                             ["B. Martin", "Directeur", "03"], ["C. Peeters", "Agent", "04"]]):
        people.write_row(r, 0, row)
    grants = book.add_worksheet("Subsides 2023")
    grants.write_row(0, 0, ["Référence", "Bénéficiaire", "Montant octroyé"])
    grants.write_row(1, 0, ["S1", "ASBL Quartier", 1500.5])
    grants.write_row(2, 0, ["S2", "VZW Wijk", 2500])
    book.close()
    found = describe(path, base_iri=BASE, register="subsidies")
    assert found.metadata["dialect"]["psikg:sheet"] == "Subsides 2023"
    assert found.summary[1] == ("  other sheets: 'Notes', 'Contacts' (--sheet NAME describes "
                                "one of them)")
    assert [field for _, field in found.fields] == ["reference", "beneficiary",
                                                    "amount_granted"]
    plain = describe(path, base_iri=BASE, sheet="Contacts")
    assert plain.metadata["dialect"]["psikg:sheet"] == "Contacts"
    assert [c["titles"] for c in plain.metadata["tableSchema"]["columns"]] == [
        "Nom", "Fonction", "Téléphone"]
