"""A canned query's page of results as a download: CSV, TSV, SPARQL JSON or XLSX.

- CSV is for spreadsheets: UTF-8 with a byte order mark (so Excel reads accents), plain
  values (an IRI as itself, a literal as its text), ``,`` or, on request, ``;`` (what Excel
  expects in Belgian locales).
- TSV and JSON are the SPARQL 1.1 result formats: every term whole, nothing lost.
- XLSX is written by XlsxWriter: numbers as numbers, everything else as text cells, and
  a column of names beside a column of IRIs (:func:`to_xlsx`).

CSV and XLSX cells that a spreadsheet would run as a formula (text starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) get a leading ``'``, the OWASP advice
against formula injection; numeric literals are written as numbers and are not touched.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

import pyoxigraph as ox

from graph.canned.display import default_kind
from graph.canned.params import pick
from graph.canned.run import Cell
from graph.canned.run import Result
from graph.formats import CSV
from graph.formats import SPARQL_JSON
from graph.formats import TSV
from graph.formats import XLSX
from graph.namespaces import XSD
from graph.words import CELLS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMERIC = {XSD + name for name in ("integer", "decimal", "double", "float", "long", "int",
                                   "short", "nonNegativeInteger", "positiveInteger",
                                   "negativeInteger", "nonPositiveInteger")}
MEDIA_TYPES = {
    "csv": CSV.content_type,
    "tsv": TSV.content_type,
    "json": SPARQL_JSON.media_type,
    "xlsx": XLSX.media_type,
}
"""Download format → the media type the query pages and the OpenAPI document give it (the
formats of :mod:`graph.formats`; CSV and TSV with their charset)."""
XLSX_NUMBER_FORMATS = {"amount": "#,##0.00", "percent": "0.00", "count": "#,##0",
                       "year": "0"}
"""Excel number format by column kind (:data:`graph.canned.display.KINDS`)."""
MAX_NUMBER = Decimal("1e15")
"""Numbers from this magnitude up are written as text: a spreadsheet's float would round
them."""


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


def to_xlsx(result: Result, language: str = "en", labels: Mapping[str, str] | None = None
            ) -> bytes:
    """An XLSX workbook with one sheet: the header row, then the rows.

    Column titles are the header's in ``language``. Numbers are number cells, shown by
    Excel in its reader's own locale through a number format for the column's kind
    (:data:`XLSX_NUMBER_FORMATS`); the values stay as the store gives them. A column of
    IRIs of which at least one has a label gets a column of labels right after it,
    titled "… (name)" in ``language``: the IRIs stay the data, the names are what an
    analyst reads and filters on.

    :param labels: label by IRI (:func:`graph.labels.labels`).
    """
    import xlsxwriter  # type: ignore[import-untyped]

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                         "strings_to_numbers": False,
                                         "strings_to_urls": False})
    sheet = workbook.add_worksheet(result.query.name[:31])
    bold = workbook.add_format({"bold": True})
    number_formats = {kind: workbook.add_format({"num_format": pattern})
                      for kind, pattern in XLSX_NUMBER_FORMATS.items()}
    found = labels or {}
    column = 0
    for at, variable in enumerate(result.variables):
        title = result.query.column_title(variable, language)
        kind = result.query.kinds.get(variable)
        cells = [row[at] for row in result.rows]
        sheet.write_string(0, column, title, bold)
        for line, cell in enumerate(cells, start=1):
            value = number_of(cell)
            if isinstance(cell, ox.Literal) and value is not None and abs(value) < MAX_NUMBER:
                cell_kind = kind or default_kind(cell.datatype.value)
                sheet.write_number(line, column, float(value), number_formats.get(cell_kind))
            elif cell is not None:
                sheet.write_string(line, column, neutralised(cell))
        column += 1
        names = [found.get(cell.value) if isinstance(cell, ox.NamedNode) else None
                 for cell in cells]
        if any(names):
            name_word = pick(CELLS["name"], language)
            sheet.write_string(0, column, f"{title} ({name_word})", bold)
            for line, name in enumerate(names, start=1):
                if name:
                    sheet.write_string(line, column, neutralised(ox.Literal(name)))
            column += 1
    workbook.close()
    return out.getvalue()


DOWNLOADS = ("csv", "csv-semicolon", "tsv", "json", "xlsx")
"""The download formats, as ``psikg queries --format`` names them."""


def download(result: Result, name: str, language: str = "en",
             labels: Mapping[str, str] | None = None) -> bytes:
    """The page of results as the download ``name`` (one of :data:`DOWNLOADS`).

    The web's downloads and ``psikg queries --format`` both write their files here, so
    the same query, language and labels give the same file.

    :param labels: for XLSX, label by IRI (:func:`to_xlsx`); the other formats keep the
        IRIs alone, as the SPARQL result formats do.
    """
    if name == "csv":
        return to_csv(result)
    if name == "csv-semicolon":
        return to_csv(result, ";")
    if name == "tsv":
        return to_tsv(result)
    if name == "json":
        return to_json(result)
    return to_xlsx(result, language, labels)
