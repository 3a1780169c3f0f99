"""The file ``psikg describe`` drafts metadata for: its kind, encoding, delimiter, sheets, rows.

Everything is read through psikg's own readers (:func:`loaders.csvw.csv_reader.read_csv`,
:func:`loaders.excel.read_excel`) and encoding check (:mod:`loaders.encodings`), so a draft
describes the file exactly as ``psikg load`` will read it. The one thing no reader does is
guess the delimiter: :func:`sniff_delimiter` parses the first lines with each usual one and
keeps the one that splits them most consistently into most columns.

The encoding is found and checked, but left out of the draft: ``psikg load`` detects it
again for each file, so next year's file may come as UTF-8 where this one was
Windows-1252 (a declared ``windows-1252`` would read UTF-8 bytes as garbage without error).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from python_calamine import CalamineError
from python_calamine import CalamineWorkbook

import loaders.plugins  # noqa: F401 - the spreadsheet reader and the psikg formats
from graph.errors import InputError
from loaders.csvw.csv_reader import read_csv
from loaders.csvw.dialect import normalise_dialect
from loaders.encodings import Encoding
from loaders.encodings import detect_encoding
from loaders.excel import EXTENSIONS as SPREADSHEETS
from loaders.excel import check_zip
from loaders.excel import read_excel
from loaders.table_model import Row

DELIMITERS = (";", ",", "\t", "|")
"""The delimiters tried, Belgian first: Excel writes ``;`` where the decimal mark is a comma."""
SNIFF_LINES = 60
SNIFF_BYTES = 1 << 16
TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")


@dataclass
class Source:
    """A table file and how to read it.

    :param sheets: a spreadsheet's sheet names, in order; empty for text files.
    :param encoding: a text file's encoding, as found and checked.
    """

    path: Path
    sheets: list[str] = field(default_factory=list)
    encoding: Encoding | None = None
    delimiter: str | None = None

    @property
    def is_spreadsheet(self) -> bool:
        return self.path.suffix.lower() in SPREADSHEETS

    def dialect(self, sheet: str | None = None, **more: Any) -> dict[str, Any]:
        """The reading dialect: the delimiter or the sheet, the encoding, and ``more``."""
        dialect: dict[str, Any] = {}
        if self.is_spreadsheet:
            if sheet is not None:
                dialect["psikg:sheet"] = sheet
        else:
            dialect["delimiter"] = self.delimiter or ","
            if self.encoding is not None:
                dialect["encoding"] = ("utf-8" if self.encoding.name == "utf-8-sig"
                                       else self.encoding.name)
        dialect.update(more)
        return dialect

    def rows(self, dialect: dict[str, Any]) -> tuple[list[list[str]], Iterator[Row]]:
        """The header titles and the rows of the table read with ``dialect``."""
        full = normalise_dialect(dialect)
        if self.is_spreadsheet:
            table = read_excel(str(self.path), full)
        else:
            table = read_csv(str(self.path), full)
        return table.header, table.rows

    def raw_rows(self, sheet: str | None = None) -> list[Row]:
        """Every row of the file or sheet, title and blank rows included, nothing as header."""
        _, rows = self.rows(self.dialect(sheet, header=False, headerRowCount=0))
        return list(rows)

    def label(self, sheet: str | None = None) -> str:
        return f"{self.path.name} (sheet {sheet!r})" if sheet is not None else self.path.name


def open_source(path: Path) -> Source:
    """Check that ``path`` is a table psikg reads, and find its encoding and delimiter or sheets.

    :raises InputError: if the file is missing or empty, not a spreadsheet it claims to be,
        or neither UTF-8 nor Windows-1252 text (the message says which and why).
    """
    if not path.is_file():
        raise InputError(f"no such file: {path}", type="missing-file", file=str(path))
    if path.stat().st_size == 0:
        raise InputError(f"{path.name} is empty (0 bytes); export the registry again",
                         type="empty-file", file=str(path))
    source = Source(path)
    if source.is_spreadsheet:
        source.sheets = sheet_names(path)
        return source
    source.encoding = detect_encoding(path)
    source.delimiter = ("\t" if path.suffix.lower() == ".tsv"
                        else sniff_delimiter(_head(path, source.encoding.name)))
    return source


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook, in order (its zip checked first, as the reader does)."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        check_zip(path)
    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except CalamineError as error:
        raise InputError(f"{path.name} is not a readable spreadsheet ({error}); save it as "
                         ".xlsx, .xls or .ods, or give a CSV", type="not-a-spreadsheet",
                         file=str(path)) from None


def _head(path: Path, encoding: str) -> str:
    with path.open("rb") as stream:
        data = stream.read(SNIFF_BYTES)
    text = data.decode(encoding, errors="ignore")
    return text if len(data) < SNIFF_BYTES else text[: text.rfind("\n") + 1]


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, most consistently.

    >>> sniff_delimiter('Nom;Montant\\n"A, B";"1.234,56"\\nC;12\\n')
    ';'
    >>> sniff_delimiter('a,b,c\\n1,2,3\\n')
    ','
    """
    lines = [line for line in text.splitlines() if line.strip()][:SNIFF_LINES]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)),
                                             delimiter=delimiter)]
        widths = [n for n in counts if n > 1]
        if not widths:
            continue
        mode = max(set(widths), key=lambda n: (widths.count(n), n))
        score = (widths.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best
