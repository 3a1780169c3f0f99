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
from loaders.csvw.csv_reader import local_path
from loaders.csvw.datatypes import ALIASES
from loaders.csvw.datatypes import BUILTIN
from loaders.csvw.datatypes import Datatype
from loaders.csvw.datatypes import DatatypeError
from loaders.csvw.datatypes import iri_of
from loaders.csvw.errors import CsvwError
from loaders.csvw.first_of import resolve_first_of
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
                warn: Callable[[str], None], metadata_label: str | None = None) -> Table:
    """Annotate one table: its columns with every inherited property resolved.

    :param header: the header's titles, one list per column (empty lists if no header).
    :param width: the number of cells of the widest row seen so far (for a table
        with neither header nor schema).
    :param metadata_label: how messages name the metadata file (default: ``label``).
    :raises CsvwError: if a datatype or a ``psikg:firstOf`` column is impossible.
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
        written = column_json.get("name")
        if isinstance(written, str):
            name = written
        else:
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
    resolve_first_of(columns, columns_json, metadata_label or label)
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

    The referenced table is the group's table whose ``url`` is the reference's
    ``resource``, or the one table whose schema's ``@id`` is its ``schemaReference``;
    the recommendation requires it to be in the group (tabular metadata, 5.5.2.1),
    so a reference to any other table is an error, not a key left unchecked.
    Each key is registered with :mod:`loaders.csvw.keys`, which checks rows against
    it in strict conversions.

    :param schemas: each table's normalised ``tableSchema``, by table URL.
    :param label: how messages name the metadata.
    :raises CsvwError: ``foreign-key-metadata`` if a referenced table or column is
        not there, a ``schemaReference`` fits several tables, or the column lists
        differ in length.
    """
    for table in group.tables:
        schema = schemas.get(table.url, {})
        for key in schema.get("foreignKeys", []):
            source = _reference_list(key.get("columnReference"), label)
            where = f"the foreign key on {', '.join(source)} of {_short(table.url)}"
            reference = key["reference"]
            target = _referenced_table(group, schemas, reference, where, label)
            names = _explicit_names(schema)
            target_names = _explicit_names(schemas.get(target.url, {}))
            referenced = _reference_list(reference.get("columnReference"), label)
            _check_names(source, names, f"{where} names", _short(table.url), label)
            _check_names(referenced, target_names, f"{where} refers to", _short(target.url),
                         label)
            if len(source) != len(referenced):
                raise CsvwError(f"{where} has {len(source)} columns and refers to "
                                f"{len(referenced)}; the two columnReference lists must be "
                                "as long", type="foreign-key-metadata", file=label)
            foreign_key = ForeignKey([names[n] for n in source], target.url,
                                     [target_names[n] for n in referenced])
            table.foreign_keys.append(foreign_key)
            keys.register(table, foreign_key, target)


def _referenced_table(group: TableGroup, schemas: dict[str, dict[str, Any]],
                      reference: dict[str, Any], where: str, label: str) -> Table:
    """The group's table a foreign key's ``reference`` names (by ``resource`` or
    ``schemaReference``), or a :class:`CsvwError` saying what the group holds instead."""
    if "resource" in reference:
        found = [t for t in group.tables if t.url == reference["resource"]]
        wanted = f"the table {reference['resource']}"
        have = "tables: " + ", ".join(t.url for t in group.tables)
    else:
        found = [t for t in group.tables
                 if schemas.get(t.url, {}).get("@id") == reference.get("schemaReference")]
        wanted = f"the schema {reference.get('schemaReference')}"
        ids = [str(schemas.get(t.url, {}).get("@id")) for t in group.tables
               if "@id" in schemas.get(t.url, {})]
        have = "schemas: " + (", ".join(ids) if ids else "none with an @id")
    if len(found) > 1:
        raise CsvwError(keys.ambiguous_schema(where, wanted, [t.url for t in found]),
                        type="foreign-key-metadata", file=label)
    if not found:
        raise CsvwError(keys.missing_table(where, wanted, have), type="foreign-key-metadata",
                        file=label)
    return found[0]


def _check_names(wanted: list[str], names: dict[str, int], what: str, table: str,
                 label: str) -> None:
    missing = [name for name in wanted if name not in names]
    if missing:
        raise CsvwError(f"{what} {', '.join(missing)}, which is not a column name of {table} "
                        f"(its named columns: {', '.join(names) or 'none'})",
                        type="foreign-key-metadata", file=label,
                        value=", ".join(missing), expected=", ".join(names) or None)


def _short(url: str) -> str:
    """A table's URL as messages name it: a local file by its name."""
    return local_path(url).name if url.startswith("file:") else url


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
