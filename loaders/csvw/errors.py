"""Errors of the CSVW engine, as values.

Two kinds, as the recommendation has them:

- a :class:`CellError` belongs to one cell (or one row): a value that does
  not match its datatype, a required cell left empty, a duplicate primary
  key, an Excel error cell, a row with the wrong number of cells. ``convert``
  reports them as warnings and goes on (the value becomes a plain string
  literal, as csv2rdf says); the strict loader refuses or skips the rows that
  have them. They are collected, never raised.
- a :class:`CsvwError` stops the conversion: metadata that is not JSON, a
  table that cannot be read, a schema that does not fit its table. It is a
  :class:`graph.errors.InputError`, so the command line prints it as one line.

Warnings that are not about a cell (an unknown metadata property, a linked
metadata file that does not describe the table) are :class:`CsvwWarning` values.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

from graph.errors import InputError


@dataclass(frozen=True)
class CellError:
    """One bad cell or row, with everything a user needs to find and fix it.

    ``type`` is a stable slug: ``datatype`` (value does not match the column's
    datatype or format), ``constraint`` (length, minimum, maximum), ``required``
    (an empty required cell), ``primary-key`` (a duplicate key), ``foreign-key``
    (a reference to no row), ``excel-error`` (``#REF!`` and its kin),
    ``column-count`` (a row with more or fewer cells than columns).
    """

    type: str
    message: str
    file: str
    """The table as messages name it: a path, a URL, or ``file.xlsx`` with its sheet."""
    row: int
    """The CSVW row number: 1 for the first data row."""
    source_row: int
    """Where the row is in the file: its line (CSV) or sheet row (spreadsheets)."""
    column: str | None = None
    """The column's name (its CSVW ``name``)."""
    titles: tuple[str, ...] = ()
    """The column's titles, as the file's header shows them."""
    ref: str | None = None
    """The cell's place: ``Subsides!D14`` or ``line 12, column 4``."""
    value: str | None = None
    expected: str | None = None
    blanked: bool = False
    """A blank conversion left this cell empty and kept its row (:mod:`loaders.csvw.blanking`);
    otherwise a strict conversion withholds the row."""

    def one_line(self) -> str:
        """The error as ``convert`` prints it: place, column, value, what was expected."""
        where = f"{self.file}: row {self.row} (line {self.source_row})"
        if self.ref and not self.ref.startswith("line "):
            where = f"{self.file}: row {self.row} ({self.ref})"
        column = ""
        if self.column is not None:
            title = self.titles[0] if self.titles else self.column
            column = f", column {title!r}"
        text = f"{where}{column}: {self.message}"
        if self.value is not None and repr(self.value) not in text:
            text += f" (value {self.value!r})"
        if self.expected and "expected" not in self.message and self.expected not in self.message:
            text += f"; expected {self.expected}"
        return text

    def as_dict(self) -> dict[str, Any]:
        """The error with stable keys, for load reports and JSON answers."""
        data: dict[str, Any] = {"type": self.type, "message": self.message, "file": self.file,
                                "row": self.row, "source_row": self.source_row}
        for key in ("column", "ref", "value", "expected"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.titles:
            data["titles"] = list(self.titles)
        if self.blanked:
            data["blanked"] = True
        return data


class CsvwError(InputError):
    """Metadata or a table that the engine cannot convert at all (the conversion stops)."""


@dataclass(frozen=True)
class CsvwWarning:
    """A problem the recommendation says to report and go on from (not about a cell)."""

    type: str
    message: str
    file: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def one_line(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message
