"""Reading a table for ``psikg describe``: the sheet, the layout, and what each column holds.

The file is read twice through psikg's readers: once as rows with nothing taken as header,
to find the layout (:mod:`loaders.describe.layout`); then with the dialect the draft will
carry, as ``psikg load`` will read it, to gather each column's cells
(:class:`~loaders.describe.guess.ColumnData`). If the second reading does not find the
header and rows the first one found, the header is located by row number instead of by
pattern and the file read again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from graph.errors import InputError
from loaders.describe.guess import ColumnData
from loaders.describe.layout import Layout
from loaders.describe.layout import find_layout
from loaders.describe.source import Source
from loaders.describe.source import open_source
from loaders.excel import normalise_title

Preference = Callable[[list[str]], int]
"""How well a header fits what is looked for (the number of titles a register knows)."""


@dataclass
class Scan:
    """A table as ``psikg describe`` found it."""

    source: Source
    sheet: str | None
    layout: Layout
    dialect: dict[str, Any]
    columns: list[ColumnData]
    rows: int
    other_sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What did not go as planned, for the summary."""

    @property
    def label(self) -> str:
        return self.source.label(self.sheet)

    @property
    def header(self) -> list[str]:
        return self.layout.header


def scan(path: Path, sheet: str | None = None, prefer: Preference | None = None) -> Scan:
    """Find the table in ``path`` (in ``sheet``, or the sheet that looks most like it).

    :raises InputError: if the file cannot be read, the sheet does not exist, or no row
        looks like a header.
    """
    source = open_source(path)
    chosen, layout, others = _choose_sheet(source, sheet, prefer)
    dialect = source.dialect(chosen, **layout.dialect())
    columns, rows = _columns(source, dialect, layout)
    notes: list[str] = []
    if [c.title for c in columns] != layout.header or rows != layout.data_rows:
        if layout.header_pattern is not None:
            layout.header_pattern = None
            dialect = source.dialect(chosen, **layout.dialect())
            columns, rows = _columns(source, dialect, layout)
        if [c.title for c in columns] != layout.header or rows != layout.data_rows:
            notes.append(f"read with this dialect, the file gives {rows} data rows where "
                         f"{layout.data_rows} were expected; check the skipped rows")
    reading = {k: v for k, v in dialect.items() if k != "encoding"}
    return Scan(source, chosen, layout, reading, columns, rows, others, notes)


def _choose_sheet(source: Source, sheet: str | None, prefer: Preference | None
                  ) -> tuple[str | None, Layout, list[str]]:
    if not source.is_spreadsheet:
        return None, find_layout(source.raw_rows(), source.label()), []
    names = source.sheets
    if sheet is not None:
        if sheet not in names:
            raise InputError(f"{source.path.name} has no sheet {sheet!r}; found: "
                             f"{', '.join(names)}", type="unknown-sheet",
                             file=str(source.path), value=sheet, expected=", ".join(names))
        return sheet, find_layout(source.raw_rows(sheet), source.label(sheet)), []
    found: list[tuple[tuple[int, int], str, Layout]] = []
    first_error: InputError | None = None
    for name in names:
        try:
            layout = find_layout(source.raw_rows(name), source.label(name))
        except InputError as error:
            first_error = first_error or error
            continue
        fit = prefer(layout.header) if prefer is not None else 0
        found.append(((fit, layout.data_rows * len(layout.header)), name, layout))
    if not found:
        assert first_error is not None
        raise first_error
    _, best, layout = max(found, key=lambda item: item[0])
    return best, layout, [name for name in names if name != best]


def _columns(source: Source, dialect: dict[str, Any], layout: Layout
             ) -> tuple[list[ColumnData], int]:
    header, rows = source.rows(dialect)
    titles = [normalise_title(t[0]) if t else "" for t in header]
    while titles and not titles[-1]:
        titles.pop()
    columns = [ColumnData(index, title) for index, title in enumerate(titles)]
    count = 0
    for row in rows:
        count += 1
        for column in columns:
            column.add(row.cells[column.index] if column.index < len(row.cells) else None)
    return columns, count
