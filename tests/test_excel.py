"""Spreadsheets read into rows of typed cells: title rows, skipped rows, errors, hostile files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders.excel import check_zip
from loaders.excel import read_excel
from loaders.table_model import Row
from tests.fixtures.synthetic.workbooks import write_huge_cell_xlsx
from tests.fixtures.synthetic.workbooks import write_xlsx
from tests.fixtures.synthetic.workbooks import write_zip_bomb

SUBSIDIES = [
    ["Ville de Bruxelles — subsides octroyés 2024"],
    ["Exporté le 15/01/2025"],
    [],
    ["Bénéficiaire ", "Montant_x000D_\n(€)", "Date de décision", "Numéro d'entreprise"],
    ["ASBL Quartiers vivants", 12500.5, dt.date(2024, 3, 1), "0203.071.973"],
    ["Section 2 : culture"],
    ["Théâtre du Parc", 20000, dt.date(2024, 4, 2), 203071973],
    ["Sous-total culture", 20000, None, None],
    [],
    ["=1+1", ("#REF!",), "31/02/2024", "@SUM(A1)"],
    ["Total général", 32500.5, None, None],
]
DIALECT = {"psikg:sheet": "Subsides", "psikg:headerRowPattern": "^Bénéficiaire",
           "psikg:skipRowPatterns": ["^(Sous-)?[Tt]otal", "^Section"], "skipBlankRows": True}


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "subsides.xlsx", SUBSIDIES)


def rows(path: Path, dialect: dict[str, object] = DIALECT) -> list[Row]:
    return list(read_excel(str(path), dialect).rows)


def test_header_found_below_title_rows_and_normalised(workbook: Path) -> None:
    table = read_excel(str(workbook), DIALECT)
    assert table.header == [["Bénéficiaire"], ["Montant (€)"], ["Date de décision"],
                            ["Numéro d'entreprise"]]
    assert table.label == "subsides.xlsx (sheet 'Subsides')"
    assert table.url == workbook.resolve().as_uri()


def test_cells_keep_their_types_and_places(workbook: Path) -> None:
    first = rows(workbook)[0]
    assert [c.value for c in first.cells] == [
        "ASBL Quartiers vivants", 12500.5, dt.date(2024, 3, 1), "0203.071.973"]
    assert [c.ref for c in first.cells] == ["Subsides!A5", "Subsides!B5", "Subsides!C5",
                                            "Subsides!D5"]
    assert (first.number, first.source_number) == (1, 5)


def test_totals_sections_and_blank_rows_skipped_by_pattern(workbook: Path) -> None:
    table = read_excel(str(workbook), DIALECT)
    found = list(table.rows)
    assert [r.source_number for r in found] == [5, 7, 10]
    assert [r.number for r in found] == [1, 2, 3]
    assert found[1].cells[3].value == 203071973
    assert table.comments == ["Ville de Bruxelles — subsides octroyés 2024",
                              "Exporté le 15/01/2025", "Section 2 : culture",
                              "Sous-total culture\t20000", "Total général\t32500.5"]


def test_blank_rows_kept_without_skip_blank_rows(workbook: Path) -> None:
    found = rows(workbook, {**DIALECT, "skipBlankRows": False})
    assert [r.source_number for r in found] == [5, 7, 9, 10]
    assert all(c.value is None for c in found[2].cells)


def test_error_cells_name_their_cell(workbook: Path) -> None:
    cell = rows(workbook)[2].cells[1]
    assert (cell.value, cell.error, cell.ref) == (None, "#REF!", "Subsides!B10")


def test_formula_like_text_stays_text(workbook: Path) -> None:
    last = rows(workbook)[2]
    assert last.cells[0].value == "=1+1"
    assert last.cells[3].value == "@SUM(A1)"
    assert last.cells[2].value == "31/02/2024"


def test_sheet_by_position_and_unknown_sheet(workbook: Path) -> None:
    assert len(rows(workbook, {**DIALECT, "psikg:sheet": 1})) == 3
    with pytest.raises(InputError, match="no sheet 2") as by_position:
        read_excel(str(workbook), {"psikg:sheet": 2})
    assert by_position.value.type == "unknown-sheet"
    with pytest.raises(InputError, match="no sheet 'Subsidies'; found: Subsides") as caught:
        read_excel(str(workbook), {"psikg:sheet": "Subsidies"})
    assert caught.value.type == "unknown-sheet"


def test_header_by_pattern_and_by_skip_rows(workbook: Path) -> None:
    by_pattern = read_excel(str(workbook), {"psikg:headerRowPattern": "^Bénéficiaire"})
    by_count = read_excel(str(workbook), {"skipRows": 3})
    assert by_pattern.header == by_count.header
    assert by_count.header[0] == ["Bénéficiaire"]
    with pytest.raises(InputError) as caught:
        read_excel(str(workbook), {"psikg:headerRowPattern": "^Beneficiary"})
    assert caught.value.type == "header-not-found"


def test_merged_header_cells_fill_their_range(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [
        [None, None, None],
        ["Bénéficiaire", None, "Année"],
        ["x", "y", 2024],
    ], merge=[(0, 0, 0, 1, "Identité"), (1, 0, 1, 1, "Bénéficiaire")])
    table = read_excel(str(path), {"headerRowCount": 2})
    assert table.header == [["Identité", "Bénéficiaire"], ["Identité", "Bénéficiaire"],
                            ["", "Année"]]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputError) as caught:
        read_excel(str(path), {})
    assert caught.value.type == "empty-file"


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("Bénéficiaire;Montant\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable spreadsheet") as caught:
        read_excel(str(path), {})
    assert caught.value.type == "not-a-spreadsheet"


def test_zip_bomb_refused_before_opening(tmp_path: Path) -> None:
    path = write_zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1 << 20
    with pytest.raises(InputError, match="zip bomb") as caught:
        read_excel(str(path), {})
    assert caught.value.type == "zip-bomb"


def test_zip_total_size_limit(tmp_path: Path, workbook: Path) -> None:
    with pytest.raises(InputError, match="over the limit of 1,000") as caught:
        check_zip(workbook, max_bytes=1000)
    assert caught.value.type == "zip-bomb"


@pytest.mark.slow
def test_huge_cell_refused(tmp_path: Path) -> None:
    path = write_huge_cell_xlsx(tmp_path / "huge.xlsx", megabytes=100)
    with pytest.raises(InputError, match="characters, over the limit") as caught:
        list(read_excel(str(path), {}).rows)
    assert caught.value.type == "cell-too-large"
    assert caught.value.value == "Subsides!A2"
