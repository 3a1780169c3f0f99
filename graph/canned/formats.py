"""A canned query's page of results as a download: CSV, TSV, SPARQL JSON or XLSX.

- CSV is for spreadsheets: UTF-8 with a byte order mark (so Excel reads accents), plain
  values (an IRI as itself, a literal as its text), ``,`` or, on request, ``;`` (what Excel
  expects in Belgian locales).
- TSV and JSON are the SPARQL 1.1 result formats: every term whole, nothing lost.
- XLSX is written by XlsxWriter: numbers as numbers, everything else as text cells.

CSV and XLSX cells that a spreadsheet would run as a formula (text starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) get a leading ``'``, the OWASP advice
against formula injection; numeric literals are written as numbers and are not touched.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

import pyoxigraph as ox

from graph.canned.run import Cell
from graph.canned.run import Result
from graph.namespaces import XSD

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC = {XSD + name for name in ("integer", "decimal", "double", "float", "long", "int",
                                   "short", "nonNegativeInteger", "positiveInteger",
                                   "negativeInteger", "nonPositiveInteger")}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/sparql-results+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""Download format → media type."""


def number_of(cell: Cell) -> Decimal | None:
    """The value of a numeric literal, else ``None``."""
    if isinstance(cell, ox.Literal) and cell.datatype.value in NUMERIC:
        try:
            value = Decimal(cell.value)
        except InvalidOperation:
            return None
        return value if value.is_finite() else None
    return None


def plain(cell: Cell) -> str:
    """A cell as a spreadsheet shows it: the IRI, the literal's text, or nothing."""
    if cell is None:
        return ""
    if isinstance(cell, ox.BlankNode):
        return f"_:{cell.value}"
    return cell.value


def neutralised(cell: Cell) -> str:
    """:func:`plain`, with a ``'`` before text a spreadsheet would run as a formula.

    >>> minus_three = ox.Literal("-3", datatype=ox.NamedNode(XSD + "integer"))
    >>> neutralised(ox.Literal("=HYPERLINK(1)")), neutralised(minus_three)
    ("'=HYPERLINK(1)", '-3')
    """
    text = plain(cell)
    if number_of(cell) is None and text.startswith(FORMULA_START):
        return "'" + text
    return text


def to_csv(result: Result, delimiter: str = ",") -> bytes:
    """UTF-8 CSV with a byte order mark, header row of variable names."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([neutralised(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_tsv(result: Result) -> bytes:
    """SPARQL 1.1 TSV results: ``?var`` headers, terms in N-Triples syntax."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if cell is None else str(cell) for cell in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def binding(cell: ox.NamedNode | ox.Literal | ox.BlankNode) -> dict[str, str]:
    """One term as a SPARQL JSON results binding."""
    if isinstance(cell, ox.NamedNode):
        return {"type": "uri", "value": cell.value}
    if isinstance(cell, ox.BlankNode):
        return {"type": "bnode", "value": cell.value}
    data = {"type": "literal", "value": cell.value}
    if cell.language:
        data["xml:lang"] = cell.language
    elif cell.datatype.value != XSD + "string":
        data["datatype"] = cell.datatype.value
    return data


def sparql_json(result: Result) -> dict[str, Any]:
    """The page as a SPARQL 1.1 JSON results document (``head`` and ``results``)."""
    return {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [
            {name: binding(cell) for name, cell in zip(result.variables, row, strict=True)
             if cell is not None}
            for row in result.rows]},
    }


def to_json(result: Result) -> bytes:
    return json.dumps(sparql_json(result), ensure_ascii=False).encode("utf-8")


def to_xlsx(result: Result, labels: dict[str, str] | None = None) -> bytes:
    """An XLSX workbook with one sheet: the header row, then the rows.

    :param labels: column titles by variable name (the variable name where absent).
    """
    import xlsxwriter  # type: ignore[import-untyped]

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                         "strings_to_numbers": False,
                                         "strings_to_urls": False})
    sheet = workbook.add_worksheet(result.query.name[:31])
    bold = workbook.add_format({"bold": True})
    for column, variable in enumerate(result.variables):
        sheet.write_string(0, column, (labels or {}).get(variable, variable), bold)
    for line, row in enumerate(result.rows, start=1):
        for column, cell in enumerate(row):
            value = number_of(cell)
            if value is not None and abs(value) < Decimal("1e15"):
                sheet.write_number(line, column, float(value))
            elif cell is not None:
                sheet.write_string(line, column, neutralised(cell))
    workbook.close()
    return out.getvalue()


WRITERS: dict[str, Callable[[Result], bytes]] = {
    "csv": to_csv, "tsv": to_tsv, "json": to_json, "xlsx": to_xlsx,
}
"""Download format → writer."""
