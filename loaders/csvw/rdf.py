"""csv2rdf proper: rows of an annotated table to N-Triples lines (the recommendation's section 4).

:class:`RowWriter` turns one row into its triples: cell values through the
column's datatype, subjects and objects through the URI templates, and, in
standard mode, the row's own description (``csvw:Row``, ``csvw:rownum``,
``csvw:url``, ``csvw:describes``). Group and table descriptions (notes and
common properties, a small JSON-LD to RDF) are written by
:func:`loaders.csvw.describe.describe`; what the writer needs of each column is its
:class:`~loaders.csvw.column_plan.ColumnPlan`.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import blake2b
from typing import Any

from graph.namespaces import CSVW
from graph.namespaces import XSD
from loaders.csvw.blanking import blank_cells
from loaders.csvw.blanking import refuses
from loaders.csvw.blanking import settle_outcome
from loaders.csvw.column_plan import ColumnPlan
from loaders.csvw.csv_reader import line_of
from loaders.csvw.datatypes import Mismatch
from loaders.csvw.datatypes import a_or_an
from loaders.csvw.errors import CellError
from loaders.csvw.first_of import first_value
from loaders.csvw.keys import check_references
from loaders.csvw.memo import TermExpander
from loaders.csvw.model import Column
from loaders.csvw.model import Table
from loaders.csvw.terms import BlankNodes
from loaders.csvw.terms import iri
from loaders.csvw.terms import literal
from loaders.csvw.vocab import RDF_FIRST
from loaders.csvw.vocab import RDF_NIL
from loaders.csvw.vocab import RDF_REST
from loaders.csvw.vocab import RDF_TYPE
from loaders.table_model import Row

_TYPE = iri(RDF_TYPE)
_CSVW_ROW = iri(CSVW + "Row")
_ROW = iri(CSVW + "row")
_ROWNUM = iri(CSVW + "rownum")
_URL = iri(CSVW + "url")
_DESCRIBES = iri(CSVW + "describes")
_TITLE = iri(CSVW + "title")
_INTEGER = XSD + "integer"


class RowWriter:
    """Writes the triples of each row of one table.

    :param standard: standard mode (row descriptions) or minimal.
    :param table_node: the table's node (N-Triples text), in standard mode.
    :param report: receives each cell error.
    :param strict: withhold the triples of rows that have errors.
    :param blank: with ``strict``, keep a row whose errors are all about optional cells,
        those cells null (:mod:`loaders.csvw.blanking`).
    """

    def __init__(self, table: Table, bnodes: BlankNodes, *, standard: bool,
                 table_node: str | None, report: Callable[[CellError], None],
                 strict: bool, blank: bool = False) -> None:
        self.table = table
        self.bnodes = bnodes
        self.standard = standard
        self.table_node = table_node
        self.report = report
        self.strict = strict
        self.blank = blank and strict
        self.by_name = {column.name: column for column in table.columns}
        self.index_of = {column.name: index for index, column in enumerate(table.columns)}
        expanders: dict[tuple[Any, ...], TermExpander] = {}
        self.plans = [ColumnPlan(column, table, index, expanders)
                      for index, column in enumerate(table.columns)]
        self.real = [plan for plan in self.plans if not plan.column.virtual]
        self.first_of = [plan for plan in self.plans if plan.column.first_of]
        self.output = [plan for plan in self.plans if not plan.column.suppress_output]
        self.url = table.url
        self.row_url = table.url.split("#")[0]
        self.keys: set[int] = set()
        """Digests of the primary keys seen (:func:`key_digest`), not the keys themselves."""

    def values(self, row: Row) -> tuple[list[Any], dict[str, Any], list[CellError]]:
        """Parse a row's cells: per column (lexical, value, valid) or a list; template values."""
        errors: list[CellError] = []
        cells = row.cells
        parsed: list[Any] = [None] * len(self.plans)
        variables: dict[str, Any] = {"_row": str(row.number),
                                     "_sourceRow": str(row.source_number)}
        if len(cells) > len(self.real) and self.table.schema_given:
            errors.append(self._error("column-count", row, None, None,
                                      f"{len(cells)} cells where {len(self.real)} columns "
                                      "are described", f"{len(self.real)} cells"))
        for plan in self.real:
            cell = cells[plan.index] if plan.index < len(cells) else None
            value = self.settle_cell(plan, cell, row, errors)
            parsed[plan.index] = value
            if value is None:
                continue
            if isinstance(value, list):
                variables[plan.column.name] = [item[0] for item in value]
            else:
                variables[plan.column.name] = value[0]
        if errors and self.blank:
            errors = blank_cells(errors, self.by_name, self.index_of, parsed, variables)
        for plan in self.first_of:
            self._first_of(plan, parsed, variables, row, errors)
        if self.table.primary_key:
            self._check_key(parsed, row, errors)
        if self.strict and self.table.foreign_keys:
            errors.extend(check_references(self.table, parsed, row))
        if self.blank and errors:
            errors = settle_outcome(errors)
        return parsed, variables, errors

    def settle_cell(self, plan: ColumnPlan, cell: Any, row: Row,
                    errors: list[CellError]) -> Any:
        """A cell through trimming, default, null and datatype: ``(lexical, value, valid)``,
        a list of them (``separator``) or ``None`` (null); its errors appended to ``errors``."""
        column = plan.column
        if cell is not None and cell.error:
            errors.append(self._error("excel-error", row, column, cell,
                                      f"{cell.error} in cell {cell.ref}: the workbook holds an "
                                      "error where a value belongs; fix the formula there",
                                      f"{a_or_an(column.datatype.base)} value",
                                      value=cell.error))
            return None
        raw = cell.value if cell is not None else None
        if raw is None:
            raw = ""
        if isinstance(raw, str):
            return self.settle_text(plan, raw, row, cell, errors)
        return self._parse(plan, raw, row, cell, errors)

    def settle_text(self, plan: ColumnPlan, raw: str, row: Row, cell: Any,
                    errors: list[CellError]) -> Any:
        """:meth:`settle_cell` for a cell given as text (``cell`` only names it in errors)."""
        column = plan.column
        if plan.datatype.trims:
            raw = raw.strip()
        if raw == "":
            raw = column.default
        if column.separator is not None:
            if raw in column.null:
                return self._null(column, row, cell, errors)
            if raw == "":
                return []
            items = raw.split(column.separator)
            out = []
            for item in items:
                item = item.strip() if plan.datatype.trims else item
                if item in column.null:
                    continue
                out.append(self._parse(plan, item, row, cell, errors))
            return out
        if raw in column.null:
            return self._null(column, row, cell, errors)
        found = plan.parsed.table.get(raw)
        if found is not None:
            return found
        return self._parse(plan, raw, row, cell, errors)

    def _first_of(self, plan: ColumnPlan, parsed: list[Any], variables: dict[str, Any],
                  row: Row, errors: list[CellError]) -> None:
        """Settle a ``psikg:firstOf`` column from the row's settled cells."""
        column = plan.column
        value = first_value(parsed, column.first_of, plan.normalise)
        if value is None:
            if column.required:
                listed = [self.table.columns[index] for index in column.first_of]
                names = ", ".join(repr(c.title_list[0] if c.title_list else c.name)
                                  for c in listed)
                errors.append(self._error("required", row, column, None,
                                          f"{column.name} is required, and none of {names} "
                                          "has a value", f"a value in one of {names}"))
            return
        parsed[plan.index] = (value, value, True)
        variables[plan.column.name] = value

    def _null(self, column: Column, row: Row, cell: Any, errors: list[CellError]) -> None:
        if column.required:
            errors.append(self._error("required", row, column, cell,
                                      "a required cell is empty", "a value"))
        return None

    def _parse(self, plan: ColumnPlan, raw: Any, row: Row, cell: Any,
               errors: list[CellError]) -> tuple[str, Any, bool]:
        if type(raw) is str:
            found = plan.parsed.table.get(raw)
            if found is not None:
                return found
        try:
            lexical, value = plan.datatype.parse(raw)
        except Mismatch as mismatch:
            text = raw if isinstance(raw, str) else str(raw)
            errors.append(self._error(mismatch.kind, row, plan.column, cell,
                                      f"{text!r} is not {mismatch.expected}", mismatch.expected,
                                      value=text))
            return text, text, False
        if type(raw) is str:
            return plan.parsed.put(raw, (lexical, value, True))
        return lexical, value, True

    def _check_key(self, parsed: list[Any], row: Row, errors: list[CellError]) -> None:
        key = tuple(_key_part(parsed[index]) for index in self.table.primary_key)
        digest = key_digest(key)
        if digest in self.keys:
            columns = [self.table.columns[i] for i in self.table.primary_key]
            names = ", ".join(c.title_list[0] if c.title_list else c.name for c in columns)
            shown = ", ".join("" if part is None else str(part) for part in key)
            one = columns[0] if len(columns) == 1 else None
            cell = (row.cells[one.number - 1] if one is not None
                    and one.number - 1 < len(row.cells) else None)
            errors.append(self._error("primary-key", row, one, cell,
                                      f"duplicate primary key: an earlier row already has "
                                      f"{names} {shown!r}", "a key no other row has",
                                      value=shown))
        else:
            self.keys.add(digest)

    def _error(self, kind: str, row: Row, column: Column | None, cell: Any, message: str,
               expected: str | None, value: str | None = None) -> CellError:
        return CellError(kind, message, self.table.label, row.number, line_of(row),
                         column.name if column else None,
                         column.title_list if column else (),
                         cell.ref if cell is not None else None, value, expected)

    def write(self, row: Row) -> tuple[list[str], list[CellError]]:
        """The N-Triples lines of a row, and its cell errors (reported as they are found)."""
        parsed, variables, errors = self.values(row)
        for error in errors:
            self.report(error)
        if errors and self.strict and refuses(errors):
            return [], errors
        lines: list[str] = []
        default_subject: str | None = None
        subjects: dict[str, None] = {}
        about_cache: dict[int, str] = {}
        for plan in self.output:
            value = parsed[plan.index]
            column = plan.column
            if value is None and not column.virtual:
                continue
            if plan.guards and not all(name in variables for name in plan.guards):
                continue
            if value == [] and column.value_url is None:
                continue
            about = plan.about
            if about is None:
                if default_subject is None:
                    default_subject = self.bnodes.new()
                subject = default_subject
            else:
                known = about_cache.get(id(about))
                if known is None:
                    known = about_cache[id(about)] = about.term(variables)
                subject = known
            subjects[subject] = None
            predicate = plan.property or plan.property_term.term(variables)  # type: ignore
            if plan.value_term is not None:
                lines.append(f"{subject} {predicate} {plan.value_term.term(variables)} .\n")
                continue
            if value is None:
                continue
            if isinstance(value, list):
                objects = [self.literal_of(plan, item) for item in value]
                if column.ordered and objects:
                    head = self._list(objects, lines)
                    lines.append(f"{subject} {predicate} {head} .\n")
                else:
                    lines.extend(f"{subject} {predicate} {obj} .\n" for obj in objects)
            else:
                lines.append(f"{subject} {predicate} {self.literal_of(plan, value)} .\n")
        if self.standard:
            node = self.bnodes.new()
            lines.append(f"{self.table_node} {_ROW} {node} .\n")
            lines.append(f"{node} {_TYPE} {_CSVW_ROW} .\n")
            lines.append(f"{node} {_ROWNUM} {literal(str(row.number), _INTEGER)} .\n")
            lines.append(f"{node} {_URL} {iri(f'{self.row_url}#row={row.source_number}')} .\n")
            for index in self.table.row_titles:
                title = parsed[index]
                if title is not None:
                    for item in title if isinstance(title, list) else [title]:
                        text = self.literal_of(self.plans[index], item)
                        lines.append(f"{node} {_TITLE} {text} .\n")
            lines.extend(f"{node} {_DESCRIBES} {subject} .\n" for subject in subjects)
        return lines, errors

    def literal_of(self, plan: ColumnPlan, value: tuple[str, Any, bool]) -> str:
        """The N-Triples literal of a settled cell (a plain string if it was invalid)."""
        lexical, _, valid = value
        if not valid:
            return literal(lexical)
        found = plan.literals.table.get(lexical)
        if found is not None:
            return found
        return plan.literals.put(lexical, plan.literal_text(lexical))

    def _list(self, objects: list[str], lines: list[str]) -> str:
        nodes = [self.bnodes.new() for _ in objects]
        for position, (node, obj) in enumerate(zip(nodes, objects, strict=True)):
            rest = nodes[position + 1] if position + 1 < len(nodes) else iri(RDF_NIL)
            lines.append(f"{node} {iri(RDF_FIRST)} {obj} .\n")
            lines.append(f"{node} {iri(RDF_REST)} {rest} .\n")
        return nodes[0]


def key_digest(key: tuple[Any, ...]) -> int:
    """128 bits of BLAKE2b of the key's ``repr`` (injective for str, tuple and None parts).

    A digest takes about half the memory of a tuple of strings; two different keys of a
    million share a digest with a probability near 1e-27.
    """
    return int.from_bytes(blake2b(repr(key).encode(), digest_size=16).digest(), "big")


def _key_part(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(item[0] for item in value)
    return value[0]
