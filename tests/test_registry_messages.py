"""What a refusal says: the file, the sheet by its name, the row, the column, the value, what
was expected, in plain words (tried on generated registers with real registers' quirks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.store import Store
from loaders.registry import LoadRefused
from loaders.registry import load_table
from tests.fixtures.synthetic.workbooks import write_xlsx

COLUMNS = [
    {"name": "ref", "titles": "Réf.", "required": True, "propertyUrl": "dcterms:identifier"},
    {"name": "year", "titles": "Année", "datatype": "integer",
     "propertyUrl": "https://schema.org/temporalCoverage"},
    {"name": "amount", "titles": "Montant", "required": True,
     "datatype": {"base": "decimal", "format": "psikg:amount-be"},
     "propertyUrl": "https://schema.org/amount"},
]


def metadata(folder: Path, dialect: dict[str, object]) -> Path:
    path = folder / "m.json"
    path.write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "url": "t.csv",
                                "dialect": dialect,
                                "tableSchema": {"aboutUrl": "https://x.example/{ref}",
                                                "primaryKey": "ref", "columns": COLUMNS}}),
                    encoding="utf-8")
    return path


def test_a_refusal_names_the_file_once_and_each_row_plainly(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("Réf.;Année;Montant\nA;2009+2010;1,00\nB;2010;-\nA;2011;2,00\n",
                     encoding="utf-8")
    with Store(tmp_path / "store") as store, pytest.raises(LoadRefused) as refused:
        load_table(store, table, metadata(tmp_path, {"delimiter": ";"}))
    error = refused.value
    assert error.file == str(table)
    assert error.one_line().count("t.csv") == 2  # where, and the first problem's place
    lines = [problem["message"] for problem in error.details["problems"]]
    assert lines[0] == "'2009+2010' is not an integer"
    assert "it holds no digits; if it means 'nothing'" in lines[1]
    assert lines[2] == "duplicate primary key: an earlier row already has Réf. 'A'"
    third = error.details["problems"][2]
    assert (third["row"], third["source_row"], third["column"], third["value"]) == (
        3, 4, "Réf.", "A")


@pytest.mark.parametrize(("key", "value"), [("psikg:sheet", True), ("psikg:sheet", 2.5)])
def test_a_bad_sheet_setting_names_the_workbook(tmp_path: Path, key: str, value: object) -> None:
    table = write_xlsx(tmp_path / "t.xlsx", [["Réf.", "Année", "Montant"], ["A", 2024, 1.5]])
    with Store(tmp_path / "store") as store, pytest.raises(InputError) as caught:
        load_table(store, table, metadata(tmp_path, {key: value}))
    assert caught.value.type == "invalid-dialect"
    assert caught.value.file == "t.xlsx"
    assert caught.value.one_line().startswith(f"t.xlsx: dialect key {key!r} has {value!r}")


def test_an_excel_error_cell_in_a_workbook_says_where_and_what_to_fix(tmp_path: Path) -> None:
    table = write_xlsx(tmp_path / "t.xlsx", [["Réf.", "Année", "Montant"], ["A", 2024.0, 1.5],
                                              ["B", 2024, ("#DIV/0!",)]], sheet="Exercice 2024")
    with Store(tmp_path / "store") as store, pytest.raises(LoadRefused) as refused:
        load_table(store, table, metadata(tmp_path, {"psikg:sheet": 1}))
    [problem] = refused.value.details["problems"]
    assert problem["sheet"] == "Exercice 2024"
    assert (problem["row"], problem["source_row"], problem["column"], problem["value"]) == (
        2, 3, "Montant", "#DIV/0!")
    assert "Exercice 2024!C3" in problem["message"] and "fix the formula" in problem["message"]
    assert problem["expected"] == "a decimal value"
