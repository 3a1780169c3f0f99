"""``psikg describe`` on files Belgian bodies published (``../shared/realdata``).

The files are read where they are, never copied; without the shared folder these tests
skip (the project's own tests do not need it). What each file shows: the Brussels ERDF
list's title rows, section headings and subtotals; the Flemish list's unlabelled total;
the personal data of the Flemish map export; the NBB cube's byte-order mark; and the
mangled CSV, refused in one line.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from graph.store import Store
from loaders.describe import describe
from loaders.describe.source import Source
from loaders.registry import load_table
from psikg.cli import cli
from tests.conformance import shared_dir

FUNDS = shared_dir() / "realdata" / "eu_structural_funds_be"
NBB = shared_dir() / "realdata" / "nbb_government_finance"
FIXTURES = Path(__file__).parent / "fixtures" / "realdata"
BASE = "https://data.psikg.example/"
KEY = b"0123456789abcdef0123456789abcdef"

if not FUNDS.is_dir() or not NBB.is_dir():
    pytest.skip(f"{shared_dir() / 'realdata'} not found (set PSIKG_SHARED)",
                allow_module_level=True)


def _rows_read(path: Path, dialect: dict[str, object]) -> tuple[list[list[str]], list[int]]:
    header, rows = Source(path).rows(dict(dialect))
    return header, [row.source_number for row in rows]


def _draft(tmp_path: Path, path: Path, register: str | None = None
           ) -> tuple[Path, dict[str, Any]]:
    found = describe(path, base_iri=BASE, register=register)
    draft = tmp_path / f"{path.stem}-metadata.json"
    draft.write_text(json.dumps(found.metadata, ensure_ascii=False), encoding="utf-8")
    return draft, found.metadata


def test_brussels_erdf_dialect_is_the_hand_written_one(tmp_path: Path) -> None:
    path = FUNDS / "brussels_erdf_2007-2013_beneficiaires.xls"
    _, drafted = _draft(tmp_path, path, "subsidies")
    by_hand = json.loads((FIXTURES / "erdf-brussels-metadata.json").read_text())["dialect"]
    assert drafted["dialect"]["psikg:sheet"] == "FR"
    assert _rows_read(path, drafted["dialect"]) == _rows_read(path, by_hand)
    header, rows = _rows_read(path, drafted["dialect"])
    assert header[1] == ["Bénéficiaire / Begunstigde"] and len(rows) == 34


def test_brussels_erdf_draft_loads_every_row_whose_cells_fit(tmp_path: Path) -> None:
    path = FUNDS / "brussels_erdf_2007-2013_beneficiaires.xls"
    draft, drafted = _draft(tmp_path, path, "subsidies")
    columns = {c.get("name"): c for c in drafted["tableSchema"]["columns"]}
    assert columns["beneficiary"]["titles"]["fr"][0] == "Bénéficiaire / Begunstigde"
    assert columns["year"]["propertyUrl"].endswith("/fiscalYear")
    assert "{_row}" in drafted["tableSchema"]["aboutUrl"]  # 'N°' is empty on some rows
    _, numbers = _rows_read(path, drafted["dialect"])
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("FR").to_python()
    bad = {n for n in numbers if isinstance(sheet[n - 1][2], str)  # a name in FEDER
           or not isinstance(sheet[n - 1][6], int | float)}  # '2009+2010' as the year
    with Store(tmp_path / "store") as store:
        result = load_table(store, path, draft, key=KEY, on_error="blank")
    assert (result.rows_read, result.rows_loaded) == (34, 34 - len(bad))


def test_flemish_efro_unlabelled_total_is_skipped(tmp_path: Path) -> None:
    path = FUNDS / "vlaanderen_efro_2014-2020_original.xls"
    draft, drafted = _draft(tmp_path, path, "subsidies")
    by_hand = json.loads((FIXTURES / "efro-vlaanderen-metadata.json").read_text())["dialect"]
    assert drafted["dialect"]["psikg:sheet"] == "P2"
    assert _rows_read(path, drafted["dialect"]) == _rows_read(path, by_hand)
    percent = next(c for c in drafted["tableSchema"]["columns"] if c.get("titles") ==
                   {"und": ["Percent"]})
    assert percent["datatype"] == "decimal"
    with Store(tmp_path / "store") as store:
        result = load_table(store, path, draft, key=KEY)
    assert (result.rows_read, result.rows_loaded) == (23, 23)


def test_flemish_map_export_keeps_its_people_out_of_the_store(tmp_path: Path) -> None:
    path = FUNDS / "vlaanderen_efro_2007-2013.xlsx"
    draft, drafted = _draft(tmp_path, path)
    marked = {c["titles"] for c in drafted["tableSchema"]["columns"]
              if "psikg:personalData" in c}
    assert marked == {"PROJECTVERANTWOORDELIJKE", "VOORNAAM", "EMAIL"}
    dates = [c for c in drafted["tableSchema"]["columns"] if "DATUM" in c["titles"]]
    assert {json.dumps(c["datatype"]) for c in dates} == {
        '{"base": "date", "format": "psikg:date-be"}'}
    header, rows = Source(path).rows({})
    at = {title[0]: index for index, title in enumerate(header)}
    people = {cell.value for row in rows for name in ("VOORNAAM", "EMAIL")
              if (cell := row.cells[at[name]]).value}
    assert len(people) > 100
    with Store(tmp_path / "store") as store:
        result = load_table(store, path, draft)
        texts = {r["o"].value for r in store.query(
            f"SELECT ?o {{ GRAPH <{result.graph}> {{ ?s ?p ?o FILTER(isLiteral(?o)) }} }}")}
    assert result.rows_loaded == 449
    assert not people & texts


def test_nbb_cube_with_a_byte_order_mark(tmp_path: Path) -> None:
    [path] = sorted(NBB.glob("*.csv"))
    draft, drafted = _draft(tmp_path, path)
    assert drafted["dialect"] == {"delimiter": ",", "skipBlankRows": True}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    titles = [c["titles"] for c in drafted["tableSchema"]["columns"]]
    assert titles == rows[0]
    with Store(tmp_path / "store") as store:
        result = load_table(store, path, draft)
    assert result.rows_loaded == len(rows) - 1


def test_mangled_csv_is_refused_in_one_line() -> None:
    path = FUNDS / "brussels_erdf_2007-2013_okfn-clean_mangled-encoding.csv"
    result = CliRunner().invoke(cli, ["describe", str(path), "--register", "subsidies"])
    assert result.exit_code == 1
    assert result.stdout == "" and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert path.name in line and "neither UTF-8 nor Windows-1252" in line
