"""Exact money and no lost money: a City's registers of four years through the real loader.

The registers (``tests/fixtures/synthetic/city.py``) mix Belgian strings, a program's
decimal dots, XLSX number cells with float residue and formula cells, ``#REF!``, an empty
amount, a bad optional amount and an enterprise number with wrong check digits. Each is
loaded with ``--on-error blank`` into a real store; the stored amounts are compared, grant
by grant and in total, with what the generator wrote (``decimal``, never psikg's parsers),
and what the load reports with the broken cells the generator put there.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.problems import CELL_LEFT_EMPTY
from loaders.problems import ROW_REFUSED
from loaders.registry import LoadRefused
from loaders.registry import LoadResult
from loaders.registry import load_table
from psikg.cli import cli
from tests.fixtures.synthetic.city import KEY
from tests.fixtures.synthetic.city import YEARS
from tests.fixtures.synthetic.city import Grant
from tests.fixtures.synthetic.city import Year
from tests.fixtures.synthetic.city import grants
from tests.fixtures.synthetic.city import write_register

SCHEMA = "https://schema.org/"
DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
LOAD = "https://w3id.org/psikg/load#"


@dataclass
class Loaded:
    year: Year
    table: Path
    metadata: Path
    rows: list[Grant]
    result: LoadResult


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("registers")


@pytest.fixture(scope="module")
def loaded(folder: Path) -> Iterator[tuple[Store, list[Loaded]]]:
    """The four years, each loaded with ``on_error="blank"`` as its own graph."""
    out = []
    with Store(folder / "store") as store:
        for year in YEARS:
            rows = grants(year)
            table, metadata = write_register(folder, year, rows)
            result = load_table(store, table, metadata, on_error="blank", key=KEY)
            out.append(Loaded(year, table, metadata, rows, result))
        yield store, out


def stored(store: Store, graph: str, predicate: str) -> dict[str, Decimal]:
    """Subject's last IRI segment (the grant's reference) → the amount stored."""
    query = f"SELECT ?s ?v {{ GRAPH <{graph}> {{ ?s <{predicate}> ?v }} }}"
    found = {}
    for solution in store.query(query):
        assert solution["v"].datatype.value == DECIMAL
        subject = solution["s"].value.removesuffix("/payment").rsplit("/", 1)[1]
        found[subject] = Decimal(solution["v"].value)
    return found


def test_every_amount_is_stored_to_the_cent(loaded: tuple[Store, list[Loaded]]) -> None:
    store, years = loaded
    for one in years:
        expected = {g.reference: g.amount for g in one.rows if not g.refused}
        assert stored(store, one.result.graph, SCHEMA + "amount") == expected, one.year
        paid = {g.reference: g.paid for g in one.rows if not g.refused and g.paid is not None}
        assert stored(store, one.result.graph, SCHEMA + "price") == paid, one.year
        for value in stored(store, one.result.graph, SCHEMA + "amount").values():
            assert value == value.quantize(Decimal("0.01"))


def test_sums_of_the_stored_amounts_are_the_sums_of_the_source_rows(
        loaded: tuple[Store, list[Loaded]]) -> None:
    store, years = loaded
    graphs = " ".join(f"<{one.result.graph}>" for one in years)
    query = (f"SELECT (SUM(?a) AS ?total) (COUNT(?a) AS ?n) {{ VALUES ?g {{ {graphs} }} "
             f"GRAPH ?g {{ ?s <{SCHEMA}amount> ?a }} }}")
    [solution] = list(store.query(query))
    rows = [g for one in years for g in one.rows if not g.refused]
    assert Decimal(solution["total"].value) == sum((g.amount for g in rows
                                                    if g.amount is not None), Decimal(0))
    assert int(solution["n"].value) == len(rows)
    for one in years:  # the XLSX years' float residue would show in a sum of unrounded cells
        per_year = sum(stored(store, one.result.graph, SCHEMA + "amount").values(), Decimal(0))
        assert per_year == sum((g.amount for g in one.rows if g.amount is not None), Decimal(0))


def test_blank_keeps_rows_with_bad_optional_cells_and_refuses_the_others(
        loaded: tuple[Store, list[Loaded]]) -> None:
    for one in loaded[1]:
        rows, result = one.rows, one.result
        assert result.rows_read == len(rows)
        assert result.rows_loaded == sum(1 for g in rows if not g.refused)
        assert result.rows_rejected == sum(1 for g in rows if g.refused)
        assert result.cells_blanked == sum(len(g.blanked) for g in rows if not g.refused)
        assert result.sheet == one.year.sheet
        assert set(result.seconds) == {"stage", "validate", "aggregates", "commit"}
        outcomes = {(p.row, p.column, p.outcome) for p in result.problems}
        titles = one.year.titles
        expected = {(index + 1, titles[column], CELL_LEFT_EMPTY)
                    for index, g in enumerate(rows) for column in g.blanked}
        expected |= {(index + 1, titles["amount"], ROW_REFUSED)
                     for index, g in enumerate(rows) if g.refused}
        assert outcomes == expected, one.year


def test_each_problem_names_file_sheet_row_column_value_and_expected(
        loaded: tuple[Store, list[Loaded]]) -> None:
    for one in loaded[1]:
        xlsx = one.year.kind == "xlsx"
        by_row = {index + 1: g for index, g in enumerate(one.rows)}
        for problem in one.result.problems:
            grant = by_row[problem.row]  # type: ignore[index]
            index = problem.row - 1  # type: ignore[operator]
            assert problem.file == str(one.table)
            assert problem.sheet == (one.year.sheet if xlsx else None)
            assert problem.source_row == (index + 5 if xlsx else index + 2)
            assert problem.expected
            line = problem.one_line()
            assert line.startswith(f"{one.table}: data row {problem.row} (")
            assert line.endswith(f"[{problem.outcome}]")
            if xlsx:
                assert f"(sheet {one.year.sheet!r}, row {index + 5})" in line
            column = {title: name for name, title in one.year.titles.items()}[problem.column]
            cell = {"number": grant.number_cell, "paid": grant.paid_cell,
                    "amount": grant.amount_cell}[column]
            if cell == "":
                assert problem.type == "required" and problem.outcome == ROW_REFUSED
            elif isinstance(cell, tuple):
                assert (problem.type, problem.value) == ("excel-error", "#REF!")
                letter = {"amount": "E", "paid": "F"}[column]
                assert f"{one.year.sheet}!{letter}{index + 5}" in problem.message
            else:
                assert problem.value == str(cell)
                assert problem.type == "datatype"


def test_provenance_counts_the_cells_left_empty_and_names_the_sheet(
        loaded: tuple[Store, list[Loaded]]) -> None:
    store, years = loaded
    for one in years:
        query = (f"SELECT ?p ?o {{ GRAPH <{store.meta_graph}> {{ <{one.result.graph}> ?p ?o "
                 f"FILTER(STRSTARTS(STR(?p), '{LOAD}')) }} }}")
        found = {s["p"].value.removeprefix(LOAD): s["o"].value for s in store.query(query)}
        assert found["cellsBlanked"] == str(one.result.cells_blanked) != "0"
        assert found["rowsRejected"] == "2"
        assert found.get("sheet") == one.year.sheet  # its name, also where given by position


def test_the_cli_reports_blanked_cells_and_refused_rows(folder: Path) -> None:
    year = YEARS[3]  # XLSX, its sheet given by position
    rows = grants(year)
    (folder / "cli").mkdir()
    table, metadata = write_register(folder / "cli", year, rows)
    report = folder / "cli" / "report.csv"
    result = CliRunner().invoke(cli, [
        "--store", str(folder / "cli" / "store"), "load", str(table), "--metadata",
        str(metadata), "--on-error", "blank", "--report", str(report)],
        env={"PSIKG_PSEUDONYM_KEY": KEY.decode()})
    assert result.exit_code == 0, result.output
    loaded_rows = sum(1 for g in rows if not g.refused)
    blanked = [(i + 1, column) for i, g in enumerate(rows) for column in g.blanked]
    assert f"(sheet 'Subsides 2024'): {loaded_rows} rows" in result.stdout
    assert "2 bad row(s) skipped; report in" in result.stdout
    assert (f"{len(blanked)} bad cell(s) left empty in {len({r for r, _ in blanked})} loaded "
            "row(s)") in result.stdout
    lines = [line for line in result.stderr.splitlines()
             if line.startswith(f"psikg: {table}: data row ")]
    assert len(lines) == len(blanked) + 2
    assert sum(line.endswith("[cell left empty]") for line in lines) == len(blanked)
    assert sum(line.endswith("[row refused]") for line in lines) == 2
    assert all("(sheet 'Subsides 2024', row " in line for line in lines)
    assert "sheet '2'" not in result.output
    with report.open(encoding="utf-8-sig", newline="") as stream:
        records = list(csv.DictReader(stream))
    assert {(r["row"], r["column"], r["outcome"]) for r in records} == (
        {(str(row), year.titles[column], "cell left empty") for row, column in blanked}
        | {(str(i + 1), year.titles["amount"], "row refused")
           for i, g in enumerate(rows) if g.refused})
    assert {r["sheet"] for r in records} == {"Subsides 2024"}
    assert {r["file"] for r in records} == {str(table)}
    assert all(r["expected"] and r["message"] for r in records)


def test_skip_and_refuse_do_not_keep_rows_with_bad_optional_cells(folder: Path) -> None:
    year = YEARS[0]
    rows = grants(year)
    table, metadata = write_register(folder, year, rows)
    bad = {index + 1 for index, g in enumerate(rows) if g.refused or g.blanked}
    with Store(folder / "skip-store") as store:
        skipped = load_table(store, table, metadata, on_error="skip", key=KEY)
        assert skipped.rows_loaded == len(rows) - len(bad)
        assert {p.row for p in skipped.problems} == bad
        assert {p.outcome for p in skipped.problems} == {ROW_REFUSED}
        assert skipped.cells_blanked == 0
        with pytest.raises(LoadRefused, match=r"--on-error skip .* \(or blank"):
            load_table(store, table, metadata, key=KEY)


@pytest.mark.slow
def test_shape_violations_under_blank_drop_their_rows_as_under_skip(tmp_path: Path) -> None:
    table = EXAMPLES_DIR / "inventory-cp1252.csv"
    metadata = EXAMPLES_DIR / "inventory-metadata.json"
    with Store(tmp_path / "store") as store:
        skipped = load_table(store, table, metadata, on_error="skip", graph="urn:x:skip")
        graph = store.graph_ntriples("urn:x:skip")  # the next load of the file replaces it
        blanked = load_table(store, table, metadata, on_error="blank", graph="urn:x:blank")
        assert store.graph_ntriples("urn:x:blank") == graph
    assert skipped.rows_rejected > 0
    assert (blanked.rows_loaded, blanked.rows_rejected, blanked.triples) == (
        skipped.rows_loaded, skipped.rows_rejected, skipped.triples)
    assert [p.as_dict() for p in blanked.problems] == [p.as_dict() for p in skipped.problems]
    assert {p.outcome for p in blanked.problems} == {ROW_REFUSED}


def test_amount_lexical_forms_reach_the_ntriples_as_decimals(folder: Path) -> None:
    from loaders.csvw.convert import csv2rdf

    year = YEARS[2]
    rows = grants(year)
    (folder / "nt").mkdir()
    table, metadata = write_register(folder / "nt", year, rows)
    conversion = csv2rdf(table, metadata=metadata, strict=True, blank=True)
    text = b"".join(conversion.chunks()).decode()
    amounts = re.findall(r'<https://schema\.org/amount> "([^"]*)"\^\^<([^>]*)>', text)
    assert amounts and all(datatype == DECIMAL for _, datatype in amounts)
    assert all(re.fullmatch(r"-?\d+\.\d\d", lexical) for lexical, _ in amounts)
    assert sorted(Decimal(lexical) for lexical, _ in amounts) == sorted(
        g.amount for g in rows if g.amount is not None)


def test_blank_never_lets_a_persons_name_through_in_clear(tmp_path: Path) -> None:
    """A natural person is told by an empty enterprise number; a number cell that blank
    leaves empty counts as empty, so the row's name is pseudonymised, never stored clear."""
    fixtures = Path(__file__).parent / "fixtures" / "bad"
    table = tmp_path / "grants.csv"
    table.write_text("\n".join([
        "Référence;Bénéficiaire;Numéro d'entreprise;Montant;Date de décision",
        "SUB-1;Marie Dupont;néant;1.234,56;01/03/2024",
        "SUB-2;Pieter Janssens;#REF!;500,00;02/03/2024",
        "SUB-3;ASBL Ateliers du Midi;0203.071.974;750,00;03/03/2024",
        "SUB-4;ASBL Vélo pour tous;0203.071.973;250,00;04/03/2024", ""]), encoding="utf-8")
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, fixtures / "grants-metadata.json", on_error="blank",
                            key=KEY)
        data = store.graph_ntriples(result.graph).decode()
        skipped = load_table(store, table, fixtures / "grants-metadata.json", on_error="skip",
                             key=KEY, graph="urn:x:skip")
    assert result.rows_loaded == 4 and result.cells_blanked == 3
    assert result.rows_anonymised == 3
    for name in ("Marie Dupont", "Pieter Janssens", "ASBL Ateliers du Midi"):
        assert name not in data
        assert not any(name in str(p.as_dict()) for p in result.problems)
    assert data.count('<https://schema.org/name> "person-') == 3
    assert "ASBL Vélo pour tous" in data
    assert skipped.rows_loaded == 1 and skipped.rows_anonymised == 0


def test_a_violation_names_the_column_title_when_the_property_is_prefixed(
        tmp_path: Path) -> None:
    """Metadata may write ``dct:description`` for the IRI: a shape violation on that
    property still names the column by its title, as the row writer expands it."""
    metadata = json.loads((EXAMPLES_DIR / "inventory-metadata.json").read_text("utf-8"))
    for column in metadata["tableSchema"]["columns"]:
        if column.get("propertyUrl") == "http://purl.org/dc/terms/description":
            column["propertyUrl"] = "dc:description"
    prefixed = tmp_path / "inventory-metadata.json"
    prefixed.write_text(json.dumps(metadata), encoding="utf-8")
    with Store(tmp_path / "store") as store:
        result = load_table(store, EXAMPLES_DIR / "inventory-cp1252.csv", prefixed,
                            on_error="skip")
    columns = {p.column for p in result.problems if p.type == "shape"}
    assert "Description" in columns
    assert "http://purl.org/dc/terms/description" not in columns
