"""The rows of a registry into N-Triples: header check, anonymisation, strict conversion.

:func:`convert_rows` runs in the loader's process; the store bulk-loads its parts in a
worker thread while the next part is converted (:attr:`graph.sources.Source.parts`).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Literal

import pyoxigraph as ox

import loaders.plugins  # noqa: F401 - registers the spreadsheet reader and psikg: formats
from graph.errors import InputError
from loaders.anonymise import Plan
from loaders.anonymise import dataset_statements
from loaders.anonymise import plan_for
from loaders.csvw.column_plan import ColumnPlan
from loaders.csvw.convert import Conversion
from loaders.csvw.convert import csv2rdf
from loaders.csvw.datatypes import Mismatch
from loaders.csvw.model import Column
from loaders.csvw.model import Table
from loaders.excel import normalise_title
from loaders.prepared import Prepared
from loaders.problems import RowProblem
from loaders.problems import problem_of_cell
from loaders.table_model import Cell


@dataclass
class RowConversion:
    """One strict conversion of a table's rows, with what it found."""

    prepared: Prepared
    conversion: Conversion
    plan: Plan
    table: Table
    """The model of the table converted (the engine's, from the metadata)."""
    rows_read: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def chunks(self) -> Iterator[bytes]:
        """The N-Triples, then what the dataset says about its personal data."""
        yield from self.conversion.chunks()
        dataset = self.prepared.table_json.get("psikg:dataset")
        if isinstance(dataset, str):
            tail = dataset_statements(dataset, self.plan)
            if tail:
                yield ox.serialize(tail, format=ox.RdfFormat.N_TRIPLES) or b""

    def summary(self) -> ConversionSummary:
        """What the conversion found, once its chunks are consumed."""
        return ConversionSummary(
            [problem_of_cell(e, self.prepared) for e in self.conversion.errors],
            self.prepared.sheet, self.rows_read, self.conversion.rows,
            self.plan.rows_anonymised)


@dataclass(frozen=True)
class ConversionSummary:
    """What a conversion found: its bad cells as row problems, and its counts."""

    problems: list[RowProblem]
    sheet: str | None
    """The sheet's name, as the reader opened it (``None`` for a CSV)."""
    rows_read: int
    rows_converted: int
    rows_anonymised: int


def convert_rows(prepared: Prepared, key: bytes | None, excluded: set[int],
                 progress: Callable[[int], None] | None = None,
                 mode: Literal["minimal", "standard"] = "minimal",
                 blank: bool = False) -> RowConversion:
    """Start converting ``prepared`` (rows in ``excluded`` left out), anonymising on the way.

    :param blank: keep rows whose bad cells are all optional, those cells left empty
        (``--on-error blank``, :mod:`loaders.csvw.blanking`).

    :raises InputError: if the header does not match the metadata, or the table is unusable.
    :raises UsageError: if personal data must be pseudonymised and there is no key.
    """
    plan = plan_for(prepared.table_json, key, str(prepared.metadata))
    conversion = csv2rdf(str(prepared.table), metadata=prepared.given(), mode=mode,
                         strict=True, blank=blank)
    raw = conversion.raws[prepared.url]
    table = next(t for t in conversion.group.tables if t.url == prepared.url)
    if blank and plan.condition is not None:
        plan.left_empty = left_empty_test(table.columns[plan.condition[0]])
    if raw.sheet is not None:
        prepared.sheet = raw.sheet  # the name, where the dialect may have given a position
    check_header(table.columns, raw.header, raw.label)
    result = RowConversion(prepared, conversion, plan, table)

    def rows(source: Iterator[Any]) -> Iterator[Any]:
        for row in source:
            result.rows_read += 1
            if progress is not None and result.rows_read % 1000 == 0:
                progress(result.rows_read)
            if row.number not in excluded:
                yield row

    raw.rows = plan.apply(rows(raw.rows))
    return result


def left_empty_test(column: Column) -> Callable[[Cell], bool]:
    """Whether a blank conversion will leave a cell of ``column`` empty: an Excel error, or a
    value (not one of the column's nulls) that its datatype does not read."""
    datatype = column.datatype

    def left_empty(cell: Cell) -> bool:
        if cell.error is not None:
            return True
        value = cell.value
        if isinstance(value, str):
            value = value.strip() if datatype.trims else value
            if value in column.null:
                return False
        elif value is None:
            return False
        try:
            datatype.parse(value)
        except Mismatch:
            return True
        return False

    return left_empty


def check_header(described: list[Column], header: list[list[str]], label: str) -> None:
    """Check the file's header against the column titles of the table's model, column by
    column.

    CSVW only warns when they differ; a strict load refuses, because a renamed or
    missing column shifts every value into the wrong property.

    :raises InputError: ``missing-column``, ``renamed-header`` or ``extra-column``.
    """
    columns = [c for c in described if not c.virtual]
    found = [titles[0] if titles else "" for titles in header]
    if not header or not any(c.title_list for c in columns):
        return
    folded = [normalise_title(title).casefold() for title in found]
    listing = ", ".join(repr(t) for t in found)
    for index, column in enumerate(columns):
        titles = column.title_list
        wanted = {normalise_title(t).casefold() for t in titles}
        if not wanted or (index < len(folded) and folded[index] in wanted):
            continue
        expected = " or ".join(repr(t) for t in titles)
        if not any(title in wanted for title in folded) and len(found) < len(columns):
            raise InputError(
                f"column {expected} not found in the header of {label}; found: {listing}; "
                "check `titles` in the CSVW metadata", type="missing-column", file=label,
                value=listing, expected=expected, details={"column": index + 1})
        actual = found[index] if index < len(found) else ""
        raise InputError(
            f"header column {index + 1} of {label} is {actual!r} where the metadata expects "
            f"{expected}; rename the header, or add the title to `titles` in the CSVW "
            "metadata", type="renamed-header", file=label, value=actual,
            expected=expected, details={"column": index + 1})
    if len(found) > len(columns) and any(found[len(columns):]):
        extra = ", ".join(repr(t) for t in found[len(columns):] if t)
        raise InputError(f"the header of {label} has columns the metadata does not describe: "
                         f"{extra}; describe them in the CSVW metadata or remove them",
                         type="extra-column", file=label, value=extra,
                         expected=f"{len(columns)} columns")


def titles_by_property(table: Table) -> dict[str, str]:
    """Property IRI → the title of the column that writes it (for shape violations): the
    property as the row writer writes it, inherited and prefixed ones expanded, and the
    column's French title, else its first."""
    titles: dict[str, str] = {}
    for index, column in enumerate(table.columns):
        written = column.titles.get("fr") or next(iter(column.titles.values()), [])
        prop = ColumnPlan(column, table, index, {}).property
        if written and prop is not None:
            titles.setdefault(prop[1:-1], written[0])
    return titles
