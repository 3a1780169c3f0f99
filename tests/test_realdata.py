"""The readers on real files published by Belgian bodies (``../shared/realdata``; conformance).

Run with ``pytest -m conformance`` or ``make conformance``; the files are read
where they are, never copied into the repository. What each file does is the
finding: the Brussels list has rows whose FEDER column holds a partner's name,
which the strict loader names one by one; the mangled CSV is refused with the
encoding named; the NBB cube reads with its byte-order mark.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from graph.store import Store
from loaders.csvw.csv_reader import read_csv
from loaders.encodings import detect_encoding
from loaders.excel import read_excel
from loaders.registry import LoadRefused
from loaders.registry import load_table
from tests.conformance import require
from tests.conformance import shared_dir

pytestmark = pytest.mark.conformance
FIXTURES = Path(__file__).parent / "fixtures" / "realdata"
FUNDS = "realdata/eu_structural_funds_be"


def real(name: str) -> Path:
    return require(shared_dir(), f"{FUNDS}/{name}")


def test_brussels_erdf_xls_finds_header_below_titles_and_skips_sections_and_totals() -> None:
    path = real("brussels_erdf_2007-2013_beneficiaires.xls")
    table = read_excel(str(path), {"psikg:sheet": "FR",
                                   "psikg:headerRowPattern": "^N°\tBénéficiaire",
                                   "psikg:skipRowPatterns": ["^\t[^\t]+$", "\tTotal ", "^Total"],
                                   "skipBlankRows": True})
    rows = list(table.rows)
    assert table.header[1] == ["Bénéficiaire / Begunstigde"]
    assert table.header[8] == ["Financement public / Publieke financiering (€)"]
    assert len(rows) == 34
    assert rows[0].cells[6].value == 2008
    assert not any("Total" in str(c.value) for row in rows for c in row.cells)


def test_brussels_erdf_strict_load_names_the_shifted_rows(tmp_path: Path) -> None:
    path = real("brussels_erdf_2007-2013_beneficiaires.xls")
    metadata = FIXTURES / "erdf-brussels-metadata.json"
    with Store(tmp_path / "store") as store:
        with pytest.raises(LoadRefused) as refused:
            load_table(store, path, metadata)
        problems = refused.value.details["problems"]
        assert len({p["row"] for p in problems}) == 8
        assert problems[0]["column"] == "FEDER"
        assert problems[0]["value"] == "Bruxelles Environnement"
        assert problems[0]["source_row"] == 12
        result = load_table(store, path, metadata, on_error="skip")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (34, 26, 8)


def test_flemish_efro_xls_loads_with_text_amounts_and_an_unlabelled_total(tmp_path: Path) -> None:
    path = real("vlaanderen_efro_2014-2020_original.xls")
    with Store(tmp_path / "store") as store:
        result = load_table(store, path, FIXTURES / "efro-vlaanderen-metadata.json")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (23, 23, 0)


def test_mangled_csv_is_refused_with_its_encoding_named() -> None:
    with pytest.raises(InputError) as caught:
        detect_encoding(real("brussels_erdf_2007-2013_okfn-clean_mangled-encoding.csv"))
    assert caught.value.type == "encoding"
    assert "neither UTF-8 nor Windows-1252" in caught.value.message


def test_nbb_csv_with_bom() -> None:
    [path] = sorted(require(shared_dir(), "realdata/nbb_government_finance").glob("*.csv"))
    assert detect_encoding(path).name == "utf-8-sig"
    table = read_csv(str(path), {"delimiter": ","})
    assert table.header[0] == ["NFGOVCOFOG_FUNCTION"]
    assert sum(1 for _ in table.rows) > 4000


def test_brussels_erdf_blank_keeps_the_rows_whose_bad_cells_are_optional(tmp_path: Path) -> None:
    path = real("brussels_erdf_2007-2013_beneficiaires.xls")
    metadata = FIXTURES / "erdf-brussels-metadata.json"
    with Store(tmp_path / "store") as store:
        skipped = load_table(store, path, metadata, on_error="skip")
        blanked = load_table(store, path, metadata, on_error="blank")
    # the shifted rows' bad cells (FEDER, the year) are optional: blank keeps every row
    assert blanked.rows_loaded == blanked.rows_read == skipped.rows_read
    assert blanked.cells_blanked == len(skipped.problems) and blanked.rows_rejected == 0
    assert [(p.row, p.column, p.value) for p in blanked.problems] == [
        (p.row, p.column, p.value) for p in skipped.problems]
    assert {p.sheet for p in blanked.problems} == {"FR"}


def test_flemish_efro_2007_xlsx_names_its_duplicate_row_and_loads_the_others(
        tmp_path: Path) -> None:
    from decimal import ROUND_HALF_UP
    from decimal import Decimal

    from python_calamine import CalamineWorkbook

    path = real("vlaanderen_efro_2007-2013.xlsx")
    metadata = FIXTURES / "efro-vlaanderen-2007-metadata.json"
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header, rows = grid[0], [row for row in grid[1:] if any(row)]
    project, erdf = header.index("PROJECTNUMMER"), header.index("EFRO_STEUN")
    numbers = [row[project] for row in rows]
    repeated = [i for i, n in enumerate(numbers) if n in numbers[:i]]
    with Store(tmp_path / "store") as store:
        with pytest.raises(LoadRefused) as refused:
            load_table(store, path, metadata)  # the sheet given by position
        [problem] = refused.value.details["problems"]
        assert (problem["type"], problem["sheet"], problem["column"]) == (
            "primary-key", "q_gegevens digitale kaart", "PROJECTNUMMER")
        assert [problem["source_row"]] == [i + 2 for i in repeated]
        assert problem["value"] == str(int(numbers[repeated[0]]))
        result = load_table(store, path, metadata, on_error="blank")
        data = store.graph_ntriples(result.graph).decode()
        [total] = store.query(f"SELECT (SUM(?a) AS ?t) {{ GRAPH <{result.graph}> "
                              "{ ?s <https://schema.org/amount> ?a } }")
    assert result.rows_loaded == len(rows) - len(repeated)
    kept = [row for i, row in enumerate(rows) if i not in repeated]
    cents = Decimal("0.01")
    assert Decimal(total["t"].value) == sum(
        Decimal(repr(row[erdf])).quantize(cents, ROUND_HALF_UP) for row in kept)
    assert "/organisation/universiteit-gent>" in data
    assert "@limburg.be" not in data and "Boucneau" not in data
