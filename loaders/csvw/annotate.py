"""From normalised metadata and a table's header to the annotated :class:`Table`.

This is where the metadata meets the file (tabular data model, section 6):
columns come from the schema, or from the header when the schema has none;
the two are checked for compatibility (same count, a shared title); names
are derived from titles; inherited properties are resolved from column to
schema, table and group; datatypes and URI templates are compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from loaders.csvw import keys
from loaders.csvw.datatypes import ALIASES
from loaders.csvw.datatypes import BUILTIN
from loaders.csvw.datatypes import Datatype
from loaders.csvw.datatypes import DatatypeError
from loaders.csvw.datatypes import iri_of
from loaders.csvw.errors import CsvwError
from loaders.csvw.model import Column
from loaders.csvw.model import ForeignKey
from loaders.csvw.model import Table
from loaders.csvw.model import TableGroup
from loaders.csvw.templates import Template

BOUND_KEYS = {"minimum": "minInclusive", "maximum": "maxInclusive",
              "minInclusive": "minInclusive", "maxInclusive": "maxInclusive",
              "minExclusive": "minExclusive", "maxExclusive": "maxExclusive"}


def encode_name(title: str) -> str:
    """A column name from a title: everything but letters, digits, ``_`` and ``.`` percent-encoded.

    >>> encode_name("Inventory Date"), encode_name("M-d-yyyy")
    ('Inventory%20Date', 'M%2Dd%2Dyyyy')
    """
    return quote(title, safe="").replace("-", "%2D").replace("~", "%7E")


def inherited(key: str, default: Any, *levels: dict[str, Any]) -> Any:
    """The first level (column, schema, table, group) that sets ``key``, else ``default``."""
    for level in levels:
        if key in level:
            return level[key]
    return default


def build_datatype(spec: dict[str, Any] | None, label: str,
                   warn: Callable[[str], None]) -> Datatype:
    """A compiled :class:`Datatype` from the normalised ``datatype`` property.

    :raises CsvwError: if the constraints contradict each other (the recommendation's error).
    """
    spec = dict(spec or {"base": "string"})
    base = spec.get("base", "string")
    if not isinstance(base, str) or ALIASES.get(base, base) not in BUILTIN:
        warn(f"datatype {base!r} is not a built-in datatype; string is used")
        base = "string"
        spec.pop("format", None)
    base = ALIASES.get(base, base)
    bounds = {}
    for key, target in BOUND_KEYS.items():
        if key in spec:
            if target in bounds:
                raise CsvwError(f"{label}: {key} repeats {target}", type="datatype-metadata",
                                file=label)
            bounds[target] = spec[key]
    lengths = {}
    for key in ("length", "minLength", "maxLength"):
        if key in spec:
            value = spec[key]
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                lengths[key] = value
            else:
                warn(f"datatype {key} {value!r} is not a non-negative integer; ignored")
    try:
        datatype = Datatype(base, spec.get("@id") or iri_of(base), spec.get("format"),
                            lengths.get("length"), lengths.get("minLength"),
                            lengths.get("maxLength"), bounds)
    except DatatypeError as error:
        raise CsvwError(f"{label}: {error}", type="datatype-metadata", file=label) from None
    for warning in datatype.warnings:
        warn(warning)
    return datatype


def build_table(table: dict[str, Any], group: dict[str, Any], header: list[list[str]],
                dialect: dict[str, object], label: str, width: int,
                warn: Callable[[str], None]) -> Table:
    """Annotate one table: its columns with every inherited property resolved.

    :param header: the header's titles, one list per column (empty lists if no header).
    :param width: the number of cells of the widest row seen so far (for a table
        with neither header nor schema).
    """
    has_schema = "tableSchema" in table or "tableSchema" in group
    schema = table.get("tableSchema", group.get("tableSchema", {}))
    given = schema.get("columns", [])
    embedded = [{"titles": {"und": titles}} if titles else {} for titles in header]
    count = max(len(embedded), width)
    if not has_schema:
        embedded += [{}] * (count - len(embedded))
        columns_json = embedded
    else:
        _check_compatible(given, embedded, label, warn)
        real = sum(1 for column in given if not column.get("virtual"))
        virtual = [column for column in given if column.get("virtual")]
        columns_json = [c for c in given if not c.get("virtual")] + [{}] * max(0, count - real)
        columns_json += virtual
    columns: list[Column] = []
    for number, column_json in enumerate(columns_json, start=1):
        levels = (column_json, schema, table, group)
        titles = column_json.get("titles") or {}
        name = column_json.get("name")
        if name is None:
            first = next(iter(titles.get(group.get("@language", "und"), [])), None)
            name = encode_name(first) if first else f"_col.{number}"
        null = inherited("null", [""], *levels)
        columns.append(Column(
            number=number, name=name, titles=titles,
            datatype=build_datatype(inherited("datatype", None, *levels), label, warn),
            virtual=bool(column_json.get("virtual", False)),
            suppress_output=bool(column_json.get("suppressOutput", False)),
            required=bool(inherited("required", False, *levels)),
            null=tuple(null), default=inherited("default", "", *levels),
            separator=inherited("separator", None, *levels),
            ordered=bool(inherited("ordered", False, *levels)),
            lang=inherited("lang", "und", *levels),
            text_direction=inherited("textDirection", "inherit", *levels),
            about_url=_template(inherited("aboutUrl", None, *levels)),
            property_url=_template(inherited("propertyUrl", None, *levels)),
            value_url=_template(inherited("valueUrl", None, *levels)),
        ))
    names = {column.name: index for index, column in enumerate(columns)}
    result = Table(url=table["url"], columns=columns, dialect=dialect, id=table.get("@id"),
                   suppress_output=bool(table.get("suppressOutput", False)),
                   notes=table.get("notes", []),
                   common=[(k, v) for k, v in table.items() if ":" in k and k != "@context"],
                   label=label, schema_given=bool(given))
    result.primary_key = _indexes(schema.get("primaryKey"), names, "primaryKey", warn) or []
    result.row_titles = _indexes(schema.get("rowTitles"), names, "rowTitles", warn) or []
    return result


def _template(text: str | None) -> Template | None:
    return None if text is None else Template(text)


def _indexes(reference: list[str] | None, names: dict[str, int], key: str,
             warn: Callable[[str], None]) -> list[int] | None:
    if not reference:
        return None
    missing = [name for name in reference if name not in names]
    if missing:
        warn(f"{key} names no column {', '.join(missing)}; ignored")
        return None
    return [names[name] for name in reference]


def _check_compatible(given: list[dict[str, Any]], embedded: list[dict[str, Any]], label: str,
                      warn: Callable[[str], None]) -> None:
    real = [column for column in given if not column.get("virtual")]
    if embedded and len(real) != len(embedded):
        warn(f"{label}: the file has {len(embedded)} columns, the metadata describes "
             f"{len(real)}")
    for column, found in zip(real, embedded, strict=False):
        mine = column.get("titles") or {}
        theirs = found.get("titles", {}).get("und", [])
        if not mine or not theirs:
            continue
        if not any(_title_match(title, language, theirs) for language, titles in mine.items()
                   for title in titles):
            warn(f"{label}: column titles {theirs} do not match the metadata's "
                 f"{[t for ts in mine.values() for t in ts]}")


def _title_match(title: str, language: str, found: list[str]) -> bool:
    return title in found


def link_foreign_keys(group: TableGroup, schemas: dict[str, dict[str, Any]],
                      label: str) -> None:
    """Resolve every table's foreign keys to column indexes of the referenced table.

    Each is registered with :mod:`loaders.csvw.keys`, which checks rows against it
    in strict conversions.

    :raises CsvwError: if a referenced table or column does not exist.
    """
    by_url = {table.url: table for table in group.tables}
    for table in group.tables:
        schema = schemas.get(table.url, {})
        for key in schema.get("foreignKeys", []):
            source = _reference_list(key.get("columnReference"), label)
            names = _explicit_names(schema)
            reference = key["reference"]
            target = by_url.get(reference.get("resource", ""))
            if target is None and "schemaReference" in reference:
                target = next((t for t in group.tables
                               if schemas.get(t.url, {}).get("@id") ==
                               reference["schemaReference"]), None)
            if target is None:
                raise CsvwError(f"a foreign key refers to a table not in the group: "
                                f"{reference.get('resource') or reference.get('schemaReference')}",
                                type="foreign-key-metadata", file=label)
            target_names = _explicit_names(schemas.get(target.url, {}))
            referenced = _reference_list(reference.get("columnReference"), label)
            if any(name not in names for name in source) or any(
                    name not in target_names for name in referenced):
                raise CsvwError("a foreign key names a column that does not exist",
                                type="foreign-key-metadata", file=label)
            if len(source) != len(referenced):
                raise CsvwError("a foreign key's column lists differ in length",
                                type="foreign-key-metadata", file=label)
            foreign_key = ForeignKey([names[n] for n in source], target.url,
                                     [target_names[n] for n in referenced])
            table.foreign_keys.append(foreign_key)
            keys.register(table, foreign_key, target)


def _explicit_names(schema: dict[str, Any]) -> dict[str, int]:
    """Columns a reference may name: those with a ``name`` in the metadata (not derived)."""
    return {column["name"]: index for index, column in enumerate(schema.get("columns", []))
            if "name" in column}


def _reference_list(value: Any, label: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    raise CsvwError(f"columnReference {value!r} is not a column name or a list of them",
                    type="foreign-key-metadata", file=label)
