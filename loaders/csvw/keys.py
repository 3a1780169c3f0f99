"""Row-level foreign-key checks for the strict loader.

csv2rdf does not check that a foreign key refers to a row (the recommendation
leaves that to validators), so ``psikg convert`` does not either. A strict
load does: a referencing row whose key matches no row of the referenced table
is a :class:`CellError` of type ``foreign-key`` of that row, which ``--on-error
refuse`` refuses and ``--on-error skip`` drops and reports.

The referenced table is read once, on the first check, through its own reader
and dialect, and only its key values are kept (a set of tuples of lexical
forms, as the key columns' datatypes write them). :func:`register` is called
when foreign keys are linked (:func:`loaders.csvw.annotate.link_foreign_keys`);
:func:`check_references` is called by the row writer for each row.

``psikg load`` takes one table, so :func:`referenced_tables` gives the loader
the descriptions of the tables its foreign keys refer to, to keep beside it
(suppressed from the output) in the metadata it converts with.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from loaders.csvw.csv_reader import local_path
from loaders.csvw.datatypes import Mismatch
from loaders.csvw.errors import CellError
from loaders.csvw.errors import CsvwError
from loaders.csvw.model import Column
from loaders.csvw.model import ForeignKey
from loaders.csvw.model import Table
from loaders.csvw.readers import reader_for
from loaders.table_model import Cell
from loaders.table_model import Row

Key = tuple[str, ...]


@dataclass
class _Reference:
    """One foreign key of a table, and the keys of the table it refers to (read lazily)."""

    key: ForeignKey
    target: Table
    found: set[Key] | None = field(default=None)

    def known(self) -> set[Key]:
        if self.found is None:
            self.found = _read_keys(self.target, self.key.referenced)
        return self.found


_REFERENCES: dict[int, list[_Reference]] = {}
"""id(referencing table) → its references; an entry goes when its table does."""


def register(table: Table, key: ForeignKey, target: Table) -> None:
    """Remember that ``table``'s ``key`` refers to rows of ``target``, for the checks."""
    if id(table) not in _REFERENCES:
        _REFERENCES[id(table)] = []
        weakref.finalize(table, _REFERENCES.pop, id(table), None)
    _REFERENCES[id(table)].append(_Reference(key, target))


def check_references(table: Table, parsed: list[Any], row: Row) -> list[CellError]:
    """The ``foreign-key`` errors of one row: each key that matches no referenced row.

    :param parsed: the row's parsed cells, as the row writer holds them: per
        column ``(lexical, value, valid)``, a list of them, or ``None`` (null).
    A key with a null part is not checked, as in SQL.
    """
    errors: list[CellError] = []
    for reference in _REFERENCES.get(id(table), ()):
        columns = reference.key.columns
        parts = [_lexical(parsed[index]) if index < len(parsed) else None
                 for index in columns]
        if any(part is None for part in parts):
            continue
        key = tuple(str(part) for part in parts)
        if key in reference.known():
            continue
        errors.append(_error(table, reference, row, key))
    return errors


def _error(table: Table, reference: _Reference, row: Row, key: Key) -> CellError:
    first: Column = table.columns[reference.key.columns[0]]
    target = reference.target
    target_names = ", ".join(target.columns[i].name for i in reference.key.referenced)
    value = key[0] if len(key) == 1 else ", ".join(key)
    where = Path(local_path(target.url)).name if target.url.startswith("file:") else target.url
    cell = row.cells[first.number - 1] if first.number - 1 < len(row.cells) else None
    expected = f"a {target_names} of a row of {where}"
    return CellError("foreign-key", f"{value!r} refers to no row of {where} "
                                    f"(no row has it as {target_names})",
                     table.label, row.number, row.source_number, first.name,
                     first.title_list, cell.ref if cell is not None else None, value, expected)


def _lexical(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(item[0] for item in value) if value else None
    return str(value[0])


def _read_keys(target: Table, columns: list[int]) -> set[Key]:
    """The key values of every row of ``target``, through its reader and datatypes."""
    if not target.url.startswith("file:"):
        raise CsvwError(f"foreign keys are checked against local tables only, not "
                        f"{target.url}", type="foreign-key-metadata", file=target.url)
    raw = reader_for(target.url)(str(local_path(target.url)), dict(target.dialect))
    keys: set[Key] = set()
    for row in raw.rows:
        parts = [_cell_key(target.columns[index],
                           row.cells[index] if index < len(row.cells) else None)
                 for index in columns]
        if all(part is not None for part in parts):
            keys.add(tuple(str(part) for part in parts))
    return keys


def _cell_key(column: Column, cell: Cell | None) -> str | None:
    """A referenced cell's lexical form, as the row writer would write it (``None``: null)."""
    if cell is None or cell.error:
        return None
    value: Any = "" if cell.value is None else cell.value
    if isinstance(value, str):
        if column.datatype.trims:
            value = value.strip()
        if value == "":
            value = column.default
        if value in column.null:
            return None
    try:
        return column.datatype.parse(value)[0]
    except Mismatch:
        return value if isinstance(value, str) else str(value)


def referenced_tables(document: dict[str, Any], table_json: dict[str, Any],
                      metadata: Path) -> list[dict[str, Any]]:
    """The descriptions of the tables ``table_json``'s foreign keys refer to, made standalone.

    Each inherits the group's properties (its dialect above all), gets an absolute
    ``url`` (resolved against ``metadata``'s place) and ``suppressOutput``: the loader
    keeps them in the metadata it converts with, so that the keys can be checked,
    without their rows reaching the graph. ``table_json``'s references are made
    absolute the same way (its ``tableSchema`` is replaced by a copy).
    """
    base = metadata.resolve().as_uri()
    schema = table_json.get("tableSchema")
    if not isinstance(schema, dict) or not isinstance(schema.get("foreignKeys"), list):
        return []
    keys = []
    for key in schema["foreignKeys"]:
        reference = key.get("reference") if isinstance(key, dict) else None
        if isinstance(reference, dict) and isinstance(reference.get("resource"), str):
            key = {**key, "reference": {**reference,
                                        "resource": urljoin(base, reference["resource"])}}
        keys.append(key)
    table_json["tableSchema"] = {**schema, "foreignKeys": keys}
    wanted = {key["reference"]["resource"] for key in keys
              if isinstance(key, dict) and isinstance(key.get("reference"), dict)
              and "resource" in key["reference"]}
    inherited = {k: v for k, v in document.items() if k not in ("tables", "@id", "@context")}
    found = []
    for table in document.get("tables", []):
        if not isinstance(table, dict) or "url" not in table or table is table_json:
            continue
        url = urljoin(base, str(table["url"]))
        if url in wanted and url != table_json.get("url"):
            found.append({**inherited, **table, "url": url, "suppressOutput": True})
    return found
