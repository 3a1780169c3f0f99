"""A bad row of a registry, as ``psikg load`` reports it: one value per row and column.

Two sources, one shape: a cell error of the CSVW engine (the value does not
fit the column) and a decree-shape violation traced back to the row that
described its focus node. Each names the file, the sheet, the row (the data
row number, and the line of a CSV or the row of a sheet, saying which), the
column, the value and what was expected, so a person can open the file and
fix it, and its outcome: the row refused, or (``--on-error blank``) the cell
left empty and the row loaded. :func:`write_report` writes them as CSV for
``--report``.
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Protocol

from graph.validation.report import ValidationReport
from loaders.csvw.errors import CellError

ROW_REFUSED = "row refused"
"""The outcome of a problem whose row was not loaded (and, under ``refuse``, no row was)."""
CELL_LEFT_EMPTY = "cell left empty"
"""The outcome of a bad cell that ``--on-error blank`` left empty, its row loaded."""


@dataclass(frozen=True)
class RowProblem:
    """Why one row was refused or skipped, or one of its cells left empty."""

    type: str
    """A cell error's slug (``datatype``, ``required``, ``primary-key``…) or ``shape``."""
    message: str
    file: str
    sheet: str | None
    row: int | None
    """The data row number: 1 for the first row after the header."""
    source_row: int | None
    """Where the row is in the file: its line (CSV) or its sheet row (spreadsheet)."""
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    outcome: str = ROW_REFUSED
    """:data:`ROW_REFUSED` or :data:`CELL_LEFT_EMPTY`."""

    @property
    def place(self) -> str:
        """``data row 3 (line 5)`` or ``data row 3 (sheet 'Subsides', row 7)``."""
        if self.row is None:
            return "no single row"
        where = (f"sheet {self.sheet!r}, row {self.source_row}" if self.sheet is not None
                 else f"line {self.source_row}")
        return f"data row {self.row} ({where})"

    def one_line(self) -> str:
        """The problem as ``psikg load`` prints it."""
        text = f"{self.file}: {self.place}"
        if self.column:
            text += f", column {self.column!r}"
        if self.value is not None:
            text += f", value {self.value!r}"
        text += f": {self.message}"
        if self.expected and "expected" not in self.message and self.expected not in self.message:
            text += f"; expected {self.expected}"
        return f"{text} [{self.outcome}]"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Prepared(Protocol):
    table: Path
    sheet: str | None


def problem_of_cell(error: CellError, prepared: _Prepared) -> RowProblem:
    """A cell error of the engine as a row problem of ``prepared``'s table (the file as the
    user named it, the sheet by its name: the engine's label says both in one string)."""
    column = error.titles[0] if error.titles else error.column
    return RowProblem(error.type, error.message, str(prepared.table), prepared.sheet, error.row,
                      error.source_row, column, error.value, error.expected,
                      CELL_LEFT_EMPTY if error.blanked else ROW_REFUSED)


def problems_of_report(report: ValidationReport, rows: dict[str, tuple[int, int]],
                       prepared: _Prepared, titles: dict[str, str]) -> list[RowProblem]:
    """Each violation, tied to the row that described its focus node where one did."""
    problems = []
    for result in report.violations:
        row, source_row = rows.get(result.focus_node, (None, None))
        column = titles.get(result.path or "", result.path)
        problems.append(RowProblem(
            "shape", result.text("en"), str(prepared.table), prepared.sheet, row, source_row,
            column, result.value, _requirement(result.article)))
    return problems


def _requirement(article: str | None) -> str | None:
    """What a violated shape expects, by its article: ``what Art. 11 of the decree requires``."""
    if article is None or "#art_" not in article:
        return None
    return f"what Art. {article.rsplit('#art_', 1)[1]} of the decree requires"


def write_report(path: Path, problems: list[RowProblem]) -> None:
    """Write the problems as CSV (UTF-8 with a BOM, so Excel opens it right)."""
    fields = ["file", "sheet", "row", "source_row", "column", "value", "expected", "type",
              "outcome", "message"]
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for problem in problems:
            writer.writerow({key: _safe(value) for key, value in problem.as_dict().items()})


def _safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading quote (formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
