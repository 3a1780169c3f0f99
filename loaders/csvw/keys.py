"""Row-level foreign-key checks for the strict loader.

csv2rdf does not check that a foreign key refers to a row (the recommendation
leaves that to validators), so ``psikg convert`` does not either. A strict
load does: a referencing row whose key matches no row of the referenced table
is a :class:`CellError` of type ``foreign-key`` of that row, which ``--on-error
refuse`` refuses and ``--on-error skip`` drops and reports.

The referenced table is read once, on the first check, through its own reader
and dialect, and only its key values are kept (a set of tuples of lexical
forms, as the key columns' datatypes write them, and the few that several rows
share: the recommendation wants a row to reference a *unique* row). :func:`register` is called
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

from loaders.csvw.csv_reader import line_of
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
    repeated: set[Key] = field(default_factory=set)

    def known(self) -> set[Key]:
        if self.found is None:
            self.found, self.repeated = _read_keys(self.target, self.key.referenced)
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
        if key in reference.known() and key not in reference.repeated:
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
    if key in reference.repeated:
        message = (f"{value!r} refers to more than one row of {where} (several rows have it "
                   f"as {target_names}), where a foreign key must pick out one row")
        expected = f"a {target_names} that one row of {where} has"
    else:
        message = f"{value!r} refers to no row of {where} (no row has it as {target_names})"
        expected = f"a {target_names} of a row of {where}"
    return CellError("foreign-key", message, table.label, row.number, line_of(row), first.name,
                     first.title_list, cell.ref if cell is not None else None, value, expected)


def _lexical(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(item[0] for item in value) if value else None
    return str(value[0])


def _read_keys(target: Table, columns: list[int]) -> tuple[set[Key], set[Key]]:
    """The key values of every row of ``target``, through its reader and datatypes, and
    those that more than one row has."""
    if not target.url.startswith("file:"):
        raise CsvwError(f"foreign keys are checked against local tables only, not "
                        f"{target.url}", type="foreign-key-metadata", file=target.url)
    raw = reader_for(target.url)(str(local_path(target.url)), dict(target.dialect))
    keys: set[Key] = set()
    repeated: set[Key] = set()
    for row in raw.rows:
        parts = [_cell_key(target.columns[index],
                           row.cells[index] if index < len(row.cells) else None)
                 for index in columns]
        if all(part is not None for part in parts):
            key = tuple(str(part) for part in parts)
            if key in keys:
                repeated.add(key)
            keys.add(key)
    return keys, repeated


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

    The loader hands the engine a document of its own (one table and what its keys need),
    so every link is made absolute first (against ``metadata``'s place and the context's
    ``@base``): ``table_json``'s ``tableSchema`` is replaced by a copy of it, inlined
    when given by URL, with absolute ``@id`` and references. The tables returned are
    those referenced by ``resource`` or ``schemaReference``, and the tables they refer
    to in turn (each key in the copy must find its table): each inherits the group's
    properties (its dialect above all), gets an absolute ``url``, ``tableSchema`` and
    ``suppressOutput``, so that keys can be checked without their rows reaching the graph.

    :param document: the metadata as written (a table group).
    :param table_json: the description of the table to load, its ``url`` absolute.
    :param metadata: where the metadata file is.
    :raises CsvwError: ``foreign-key-metadata`` if a key refers to a table the group
        does not hold, or a ``schemaReference`` fits several tables (naming ``metadata``).
    """
    label = str(metadata)
    base = _context_base(document.get("@context"), metadata.resolve().as_uri())
    schemas = _Schemas(base, document, label)
    own = schemas.standalone(table_json.get("tableSchema"))
    if own is None:
        return []
    table_json["tableSchema"] = own
    tables = [t for t in document.get("tables", [])
              if isinstance(t, dict) and isinstance(t.get("url"), str)]
    urls = [urljoin(base, t["url"]) for t in tables]
    inherited = {k: v for k, v in document.items() if k not in ("tables", "@id", "@context")}
    found: dict[str, dict[str, Any]] = {}
    waiting = [(table_json["url"], own)]
    while waiting:
        url, schema = waiting.pop(0)
        for key in schema.get("foreignKeys") or []:
            reference = key.get("reference") if isinstance(key, dict) else None
            if not isinstance(reference, dict):
                continue
            index = schemas.target(reference, tables, urls, _key_place(key, url))
            target = urls[index]
            if target == table_json["url"] or target in found:
                continue
            table = tables[index]
            standalone = schemas.standalone(table.get("tableSchema",
                                                      document.get("tableSchema")))
            described = {**inherited, **table, "url": target, "suppressOutput": True}
            if standalone is not None:
                described["tableSchema"] = standalone
                waiting.append((target, standalone))
            found[target] = described
    return list(found.values())


def missing_table(where: str, wanted: str, have: str) -> str:
    """The message for a foreign key whose table is not in the group (which the
    recommendation requires), with the fix."""
    return (f"{where} refers to {wanted}, which is not in the table group (its {have}); "
            "add the referenced table to the group's tables (with suppressOutput: true to "
            "keep its rows out of the output)")


def ambiguous_schema(where: str, wanted: str, urls: list[str]) -> str:
    """The message for a ``schemaReference`` that several tables of the group fit."""
    return (f"{where} refers to {wanted}, which {len(urls)} tables of the group use "
            f"({', '.join(urls)}); a schemaReference must fit one table: refer to the "
            "table by resource instead")


class _Schemas:
    """The group's schemas as standalone JSON (links absolute), read once each."""

    def __init__(self, base: str, document: dict[str, Any], label: str) -> None:
        self.base = base
        self.document = document
        self.label = label
        self.ids: dict[int, str | None] = {}

    def standalone(self, value: Any) -> dict[str, Any] | None:
        """A schema object with absolute links; a schema given by URL is read and inlined
        (with its ``@id`` defaulting to that URL, as when it is referenced)."""
        if isinstance(value, dict):
            return _absolute(dict(value), self.base)
        if not isinstance(value, str):
            return None
        from loaders.csvw.locate import load_json
        from loaders.http_fetch.policy import FetchPolicy

        url = urljoin(self.base, value)
        document = load_json(url, FetchPolicy.from_environment())
        if not isinstance(document, dict):
            return None
        schema = dict(document)
        context = schema.pop("@context", None)
        schema.setdefault("@id", url)
        language = _context_language(context)
        if language is not None:
            schema["columns"] = [_titles_in(column, language)
                                 for column in schema.get("columns") or []]
        return _absolute(schema, _context_base(context, url))

    def schema_id(self, table: dict[str, Any]) -> str | None:
        if id(table) not in self.ids:
            schema = self.standalone(table.get("tableSchema",
                                               self.document.get("tableSchema")))
            found = schema.get("@id") if schema is not None else None
            self.ids[id(table)] = found if isinstance(found, str) else None
        return self.ids[id(table)]

    def target(self, reference: dict[str, Any], tables: list[dict[str, Any]], urls: list[str],
               where: str) -> int:
        """The index of the table ``reference`` names, as
        :func:`loaders.csvw.annotate.link_foreign_keys` finds it."""
        if isinstance(reference.get("resource"), str):
            indexes = [i for i, url in enumerate(urls) if url == reference["resource"]]
            wanted = f"the table {reference['resource']}"
            have = "tables: " + ", ".join(urls)
        else:
            wanted_id = reference.get("schemaReference")
            indexes = [i for i, table in enumerate(tables)
                       if self.schema_id(table) == wanted_id]
            wanted = f"the schema {wanted_id}"
            ids = [str(self.schema_id(t)) for t in tables if self.schema_id(t)]
            have = "schemas: " + (", ".join(ids) if ids else "none with an @id")
            if len(indexes) > 1:
                raise CsvwError(ambiguous_schema(where, wanted, [urls[i] for i in indexes]),
                                type="foreign-key-metadata", file=self.label)
        if not indexes:
            raise CsvwError(missing_table(where, wanted, have), type="foreign-key-metadata",
                            file=self.label)
        return indexes[0]


def _key_place(key: dict[str, Any], url: str) -> str:
    columns = key.get("columnReference")
    names = ", ".join(columns) if isinstance(columns, list) else str(columns)
    return f"the foreign key on {names} of {local_path(url).name}"


def _absolute(schema: dict[str, Any], base: str) -> dict[str, Any]:
    """``schema`` with its ``@id`` and its foreign keys' references resolved against ``base``."""
    if isinstance(schema.get("@id"), str):
        schema["@id"] = urljoin(base, schema["@id"])
    keys = schema.get("foreignKeys")
    if isinstance(keys, list):
        schema["foreignKeys"] = [_absolute_key(key, base) for key in keys]
    return schema


def _absolute_key(key: Any, base: str) -> Any:
    reference = key.get("reference") if isinstance(key, dict) else None
    if not isinstance(reference, dict):
        return key
    resolved = {name: urljoin(base, value)
                if name in ("resource", "schemaReference") and isinstance(value, str) else value
                for name, value in reference.items()}
    return {**key, "reference": resolved}


def _context_base(context: Any, url: str) -> str:
    """The base URL a document's ``@context`` gives (its ``@base`` against ``url``)."""
    local = context[1] if isinstance(context, list) and len(context) == 2 else None
    base = local.get("@base") if isinstance(local, dict) else None
    return urljoin(url, base) if isinstance(base, str) else url


def _context_language(context: Any) -> str | None:
    local = context[1] if isinstance(context, list) and len(context) == 2 else None
    language = local.get("@language") if isinstance(local, dict) else None
    return language if isinstance(language, str) else None


def _titles_in(column: Any, language: str) -> Any:
    """A column of an inlined schema with plain titles tagged with its document's language."""
    if isinstance(column, dict) and isinstance(column.get("titles"), str | list):
        titles = column["titles"]
        return {**column, "titles": {language: [titles] if isinstance(titles, str) else titles}}
    return column
