"""Write the sample registries of ``examples/``: CSV (UTF-8 and Windows-1252), XLSX, CSVW metadata.

Run ``python examples/generate.py`` (``make examples``): the output is the same
on every run (one seeded random generator), and it is committed so that a
fresh clone has it. Every name, amount and enterprise number is invented; the
enterprise numbers have valid check digits. NIS municipality codes, CPV codes
and the EU vocabularies are real facts. The columns of each registry and how
they map to RDF are in :mod:`examples.registries`.

XlsxWriter (a test dependency) writes the workbooks: text cells are written
as text, so a purpose starting with ``=`` or ``-`` stays text in Excel too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys
from decimal import Decimal
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examples.registries import REGISTRIES  # noqa: E402
from examples.registries import Registry  # noqa: E402
from examples.rows import ROW_MAKERS  # noqa: E402

HERE = Path(__file__).resolve().parent
SEED = 20221124
"""The decree's date: the seed of every random choice."""


def csv_text(registry: Registry, rows: list[dict[str, object]]) -> str:
    """The registry as a ``;``-separated CSV with Belgian number and date notation."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.titles["fr"] for column in registry.columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(f"{column.name}@csv", row.get(column.name)))
                         for column in registry.columns])
    return out.getvalue()


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return belgian_amount(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def belgian_amount(value: Decimal) -> str:
    """``12345.6`` as ``12.345,60``.

    >>> belgian_amount(Decimal("1234567.5"))
    '1.234.567,50'
    """
    whole, cents = f"{value:,.2f}".split(".")
    return whole.replace(",", ".") + "," + cents


def write_xlsx(path: Path, registry: Registry, rows: list[dict[str, object]]) -> None:
    """The registry as Excel keeps it: title rows, the header, the rows, a totals row."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "strings_to_numbers": False})
    workbook.set_properties({"created": dt.datetime(2026, 10, 31), "author": "psikg examples"})
    sheet = workbook.add_worksheet(registry.sheet)
    bold = workbook.add_format({"bold": True, "text_wrap": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_string(0, 0, registry.titles["fr"], workbook.add_format({"bold": True,
                                                                         "font_size": 14}))
    sheet.write_string(1, 0, f"Situation au {dt.date(2026, 10, 31):%d/%m/%Y} — "
                       "document de travail")
    header_row = 3
    for c, column in enumerate(registry.columns):
        # Excel users wrap long titles: the reader folds the line break back to a space.
        sheet.write_string(header_row, c, column.xlsx_title or column.titles["fr"], bold)
    for r, row in enumerate(rows, start=header_row + 1):
        for c, column in enumerate(registry.columns):
            value = row.get(column.name)
            if value is None:
                continue
            xlsx_value = row.get(f"{column.name}@xlsx", value)
            if isinstance(xlsx_value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(xlsx_value, dt.time()), day)
            elif isinstance(xlsx_value, Decimal):
                sheet.write_number(r, c, float(xlsx_value), money)
            elif isinstance(xlsx_value, bool):
                sheet.write_string(r, c, "oui" if xlsx_value else "non")
            elif isinstance(xlsx_value, int):
                sheet.write_number(r, c, xlsx_value)
            else:
                sheet.write_string(r, c, str(xlsx_value))
    total_row = header_row + 1 + len(rows)
    sheet.write_string(total_row, 0, "Total")
    for c, column in enumerate(registry.columns):
        if column.summed:
            total = sum((row[column.name] for row in rows if row.get(column.name) is not None),
                        Decimal(0))
            sheet.write_number(total_row, c, float(total), money)  # type: ignore[arg-type]
    workbook.close()


def main(out: Path = HERE) -> None:
    """Write every registry's files into ``out`` (``examples/`` by default)."""
    random.seed(SEED)
    for registry in REGISTRIES:
        rows = ROW_MAKERS[registry.name](random.Random(f"{SEED}-{registry.name}"))
        text = csv_text(registry, rows)
        (out / f"{registry.name}.csv").write_bytes(text.encode("utf-8"))
        (out / f"{registry.name}-cp1252.csv").write_bytes(text.encode("cp1252"))
        write_xlsx(out / f"{registry.name}.xlsx", registry, rows)
        metadata = registry.metadata()
        (out / f"{registry.name}-metadata.json").write_text(
            json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"examples/{registry.name}: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
