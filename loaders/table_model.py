"""What every table reader yields and the CSVW engine consumes: rows of cells.

A CSV reader yields cells as the text written in the file. An Excel reader
(python-calamine) yields cells that keep their type: a date stays a
``date``, a number a ``float`` or ``int``, a boolean a ``bool``, and an error
cell (``#REF!``) carries its error. The CSVW engine turns either into RDF
terms through the column's datatype, so the same metadata describes a
registry whether it arrives as ``.csv`` or ``.xlsx``.

Every cell knows its place (``ref``), so an error can name the file, the
sheet, the row and the column, as DESIGN.md asks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from typing import Protocol

CellValue = str | int | float | Decimal | bool | date | datetime | time | None
"""A cell's value: text from CSV, typed values from spreadsheets, ``None`` for empty."""


@dataclass(slots=True)
class Cell:
    """One cell as read, before its column's datatype is applied.

    Treated as immutable (changes go through ``dataclasses.replace``) but not frozen: a
    frozen dataclass costs several times as much to make, and a reader makes one per cell,
    ten million for a registry of a million rows."""

    value: CellValue
    """The value: ``str`` for CSV, a typed value for spreadsheets, ``None`` when empty."""
    ref: str
    """Where it is, for messages: ``Subsides!D14`` (sheet and A1) or ``line 12, column 4``."""
    error: str | None = None
    """A spreadsheet error value (``#REF!``, ``#N/A``…); ``value`` is then ``None``."""

    @property
    def text(self) -> str:
        """The value as a string (what CSVW's string-based rules see); ``""`` when empty."""
        if self.value is None:
            return ""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        if isinstance(self.value, date | datetime | time):
            return self.value.isoformat()
        return str(self.value)


@dataclass(slots=True)
class Row:
    """One data row of a table (treated as immutable, not frozen: see :class:`Cell`)."""

    number: int
    """The CSVW row number: 1 for the first data row after the header."""
    source_number: int
    """The row's position in the file: its line (CSV, 1-based) or sheet row (1-based)."""
    cells: list[Cell] = field(default_factory=list)


@dataclass
class RawTable:
    """A table as read: header titles and the rows that follow.

    :param url: the table's IRI (file: or http(s):), the CSVW ``url``.
    :param label: how messages name it (a path, or ``file.xlsx`` with its sheet).
    :param header: the header rows' titles, one list per column.
    """

    url: str
    label: str
    header: list[list[str]]
    rows: Iterator[Row]
    comments: list[str] = field(default_factory=list)
    """Comment lines (CSVW ``commentPrefix``) and skipped rows, for ``rdfs:comment``."""
    sheet: str | None = None
    """The sheet's name, for a spreadsheet (whether the dialect named it or gave its
    position): what messages, reports and provenance call it."""


class TableReader(Protocol):
    """A reader for one kind of file: CSV/TSV text, or a spreadsheet sheet."""

    def __call__(self, location: str, dialect: dict[str, object]) -> RawTable:
        """Read the table at ``location`` with a CSVW dialect (plus psikg's extensions)."""
        ...
