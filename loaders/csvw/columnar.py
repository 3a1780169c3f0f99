"""A batch of rows converted column by column: the same N-Triples as the row writer, cheaper.

The row writer (:class:`loaders.csvw.rdf.RowWriter`) spends tens of microseconds of
Python on a row, even with its memo tables: each cell goes through several calls and
dictionary lookups, each triple through an f-string. At a million rows that keeps a core
busy beside the store's bulk load, on a 2-core machine where the bulk load keeps both
cores busy. :class:`BatchWriter` takes a batch of rows at once and works per
column: each *distinct* cell text is settled once (through the row writer's own
``_cell``, so trimming, defaults, nulls, datatypes and formats are exactly its own), each
distinct template key expanded once (the writer's own expanders), each distinct literal
written once, and the rows' lines are put together with list operations.

The output is byte-identical to the row writer's (``tests/test_columnar.py`` compares
both on the samples, on random registries and on the W3C suite's tables). Whatever this
path does not cover makes :meth:`BatchWriter.for_writer` say ``None`` (the table is
converted row by row) or :meth:`BatchWriter.write` give ``None`` for one batch (that
batch is converted row by row, which also reports its errors in order):

- standard mode (row descriptions, blank nodes), an output column without ``aboutUrl``
  (blank-node subjects), list columns (``separator``), templates naming ``_row`` or
  ``_sourceRow``, and, in strict mode, foreign keys (they are checked row by row);
- in a batch: any cell error (a value that does not fit, an empty required cell, a
  duplicate key, an Excel error cell), a row shorter or longer than the schema.

Spreadsheet cells keep their type (a date, a number): each distinct (type, value) is
settled once; an empty cell (``None``, also a value anonymisation dropped) reads as
``""``, as the row writer reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from typing import cast

from loaders.csvw.column_plan import ColumnPlan
from loaders.csvw.first_of import first_value
from loaders.csvw.memo import TermExpander
from loaders.csvw.rdf import RowWriter
from loaders.csvw.rdf import key_digest
from loaders.table_model import Cell
from loaders.table_model import Row

BATCH_ROWS = 1024
"""Rows converted together: enough for the per-column work to amortise, and a chunk small
enough for the loader's first part."""

_PROBE = Row(0, 0, [])
"""The row a distinct text is settled in: only its errors matter, and they are not kept."""

Outcome = tuple[str, Any, bool] | None
"""A settled cell: (lexical, value, valid), or ``None`` for a null."""


class _Failed(Exception):
    """The batch needs the row writer (an error to report, or a case not covered)."""


class BatchWriter:
    """Converts batches of rows of one table, for the row writer it mirrors."""

    def __init__(self, writer: RowWriter) -> None:
        self.writer = writer
        self.real = writer.real
        self.width = len(writer.real)

    @classmethod
    def for_writer(cls, writer: RowWriter) -> BatchWriter | None:
        """A batch writer for ``writer``'s table, or ``None`` if it needs row-by-row writing."""
        table = writer.table
        if writer.standard or (writer.strict and table.foreign_keys) or any(
                table.columns[index].virtual for index in table.primary_key):
            return None
        for plan in writer.plans:
            if plan.column.separator is not None and not plan.column.virtual:
                return None
        for plan in writer.output:
            if plan.about is None:
                return None
            for expander in (plan.about, plan.property_term, plan.value_term):
                if expander is not None and expander.constant is None and expander.memo is None:
                    return None
        return cls(writer)

    def write(self, rows: Sequence[Row]) -> str | None:
        """The batch's N-Triples, or ``None``: convert it with the row writer instead."""
        try:
            return self._write(rows)
        except _Failed:
            return None

    def _write(self, rows: Sequence[Row]) -> str:
        cells = [row.cells for row in rows]
        if self.writer.table.schema_given and max(map(len, cells)) > self.width:
            raise _Failed
        settled: list[list[Outcome]] = [[] for _ in self.writer.plans]
        lexicals: dict[str, list[str | None]] = {}
        for plan in self.real:
            outcomes = self._settle(plan, cells)
            settled[plan.index] = outcomes
            lexicals[plan.column.name] = [None if o is None else o[0] for o in outcomes]
        for plan in self.writer.first_of:
            outcomes = self._first_of(plan, settled)
            settled[plan.index] = outcomes
            lexicals[plan.column.name] = [None if o is None else o[0] for o in outcomes]
        if self.writer.table.primary_key:
            self._check_keys(settled, len(rows))
        columns: list[list[str]] = []
        terms: dict[int, list[str]] = {}
        for plan in self.writer.output:
            columns.append(self._lines(plan, settled[plan.index], lexicals, terms, len(rows)))
        return "".join(map("".join, zip(*columns, strict=True)))

    def _settle(self, plan: ColumnPlan, cells: list[list[Cell]]) -> list[Outcome]:
        """Each row's settled cell in this column, each distinct text settled once."""
        index = plan.index
        try:
            texts = [row[index].value for row in cells]
        except IndexError:  # a short row: the row writer says what it means
            raise _Failed from None
        distinct = set(texts)
        if None in distinct:  # an empty spreadsheet cell, or a value anonymisation dropped
            if any(row[index].error for row in cells if row[index].value is None):
                raise _Failed  # an Excel error cell: the row writer reports it
            texts = ["" if text is None else text for text in texts]
            distinct = set(texts)
        errors: list[Any] = []
        if not all(type(text) is str for text in distinct):
            return self._settle_typed(plan, texts, errors)
        settle = self.writer.settle_text
        strings = cast("set[str]", distinct)
        table: dict[Any, Outcome]
        if plan.datatype.takes_any_text and not plan.datatype.trims:
            null = plan.column.null
            table = {text: (text, text, True) if text and text not in null
                     else settle(plan, text, _PROBE, None, errors) for text in strings}
        else:
            table = {text: settle(plan, text, _PROBE, None, errors) for text in strings}
        if errors:
            raise _Failed
        return list(map(table.__getitem__, texts))

    def _settle_typed(self, plan: ColumnPlan, values: list[Any], errors: list[Any]
                      ) -> list[Outcome]:
        """:meth:`_settle` for spreadsheet cells, typed values among the texts: keyed by type
        too, as ``1``, ``1.0`` and ``True`` are one key to a dict but not one cell."""
        keys = [(type(value), value) for value in values]
        cell = self.writer.settle_cell
        table = {key: cell(plan, Cell(key[1], ""), _PROBE, errors) for key in set(keys)}
        if errors:
            raise _Failed
        return list(map(table.__getitem__, keys))

    def _first_of(self, plan: ColumnPlan, settled: list[list[Outcome]]) -> list[Outcome]:
        """A ``psikg:firstOf`` column's value in each row, from the listed columns' settled
        cells (:func:`loaders.csvw.first_of.first_value`, as the row writer takes it)."""
        listed = [settled[index] for index in plan.column.first_of]
        positions = range(len(listed))
        found: dict[tuple[Outcome, ...], Outcome] = {}
        outcomes: list[Outcome] = []
        for cells in zip(*listed, strict=True):
            outcome = found.get(cells, False)
            if outcome is False:
                value = first_value(cells, positions, plan.normalise)
                outcome = found[cells] = None if value is None else (value, value, True)
            outcomes.append(outcome)  # type: ignore[arg-type]
        if plan.column.required and None in outcomes:
            raise _Failed  # the row writer reports the rows that have none
        return outcomes

    def _check_keys(self, settled: list[list[Outcome]], count: int) -> None:
        """The row writer's primary-key check, for the whole batch at once."""
        columns = [settled[index] for index in self.writer.table.primary_key]
        digests = [key_digest(tuple(None if o is None else o[0] for o in key))
                   for key in zip(*columns, strict=True)] if columns else []
        seen = self.writer.keys
        if len(set(digests)) != count or not seen.isdisjoint(digests):
            raise _Failed
        seen.update(digests)

    def _lines(self, plan: ColumnPlan, outcomes: list[Outcome],
               lexicals: dict[str, list[str | None]], terms: dict[int, list[str]],
               count: int) -> list[str]:
        """One line (or ``""``) per row for an output column, as ``RowWriter.write`` has it:
        none where a ``psikg:firstOf`` column its templates name is null."""
        lines = self._column_lines(plan, outcomes, lexicals, terms, count)
        if plan.guards:
            guards = [lexicals[name] for name in plan.guards]
            lines = [line if all(guard[row] is not None for guard in guards) else ""
                     for row, line in enumerate(lines)]
        return lines

    def _column_lines(self, plan: ColumnPlan, outcomes: list[Outcome],
                      lexicals: dict[str, list[str | None]], terms: dict[int, list[str]],
                      count: int) -> list[str]:
        assert plan.about is not None
        subjects = self._terms(plan.about, lexicals, terms, count)
        predicates = ([plan.property] * count if plan.property is not None
                      else self._terms(plan.property_term, lexicals, terms, count))  # type: ignore[arg-type]
        virtual = plan.column.virtual
        if plan.value_term is not None:
            objects = self._terms(plan.value_term, lexicals, terms, count)
            if virtual:
                return [f"{s} {p} {o} .\n"
                        for s, p, o in zip(subjects, predicates, objects, strict=True)]
            return [f"{s} {p} {o} .\n" if v is not None else ""
                    for s, p, o, v in zip(subjects, predicates, objects, outcomes, strict=True)]
        if virtual and not plan.column.first_of:
            return [""] * count
        literal = plan.literal_text
        written = {lexical: literal(lexical)
                   for lexical in {o[0] for o in outcomes if o is not None}}
        return [f"{s} {p} {written[v[0]]} .\n" if v is not None else ""
                for s, p, v in zip(subjects, predicates, outcomes, strict=True)]

    def _terms(self, expander: TermExpander, lexicals: dict[str, list[str | None]],
               terms: dict[int, list[str]], count: int) -> list[str]:
        """The expander's term for each row, each distinct key expanded once (shared
        expanders, e.g. a table's ``aboutUrl``, once a batch)."""
        known = terms.get(id(expander))
        if known is not None:
            return known
        if expander.constant is not None:
            found = [expander.constant] * count
        else:
            names = expander.free
            missing: list[str | None] = [None] * count
            columns = [lexicals.get(name, missing) for name in names]
            found = expander.terms(columns[0] if len(names) == 1
                                   else list(zip(*columns, strict=True)))
        terms[id(expander)] = found
        return found

