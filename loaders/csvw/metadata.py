"""Metadata documents: checked and normalised as the recommendation says (tabular metadata, 5–6).

Each property is checked against its kind (array, link, URI template,
column reference, object, natural language, atomic). A value of the wrong
kind is a warning and the property takes its default; what the
recommendation calls an error (a bad ``@context``, a table without ``url``,
a blank-node ``@id``, contradictory datatype constraints, a malformed common
property) stops the conversion with a :class:`CsvwError`.

The result is plain JSON (dicts and lists) with links resolved, titles in
``{language: [titles]}`` form and objects referenced by URL fetched in. The
``csvw`` package does this normalisation too, but it raises on the first
invalid property where the recommendation wants a warning, and it cannot
report warnings as values, so this module is psikg's own (``csvw`` was read,
not run against the W3C suite).

psikg's dialect and column keys (``psikg:sheet``, ``psikg:firstOf``…) are
settings, not descriptions: they keep their JSON value as written, whatever
``@language`` the context sets (a prefixed key elsewhere is a common property,
whose strings take it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from loaders.csvw.common_properties import LANGUAGE_RE
from loaders.csvw.common_properties import common_property
from loaders.csvw.dialect import EXTENSION_PREFIX
from loaders.csvw.errors import CsvwError
from loaders.csvw.templates import Template
from loaders.csvw.templates import TemplateError
from loaders.csvw.vocab import expand

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
NAME_RE = re.compile(r"^(?:[A-Za-z0-9]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9._]|%[0-9A-Fa-f]{2})*$")

INHERITED = {"aboutUrl", "datatype", "default", "lang", "null", "ordered", "propertyUrl",
             "required", "separator", "textDirection", "valueUrl"}
OWN = {
    "TableGroup": {"tables", "dialect", "notes", "tableDirection", "tableSchema",
                   "transformations", "@id", "@type", "@context"},
    "Table": {"url", "dialect", "notes", "suppressOutput", "tableDirection", "tableSchema",
              "transformations", "@id", "@type", "@context"},
    "Schema": {"columns", "foreignKeys", "primaryKey", "rowTitles", "@id", "@type"},
    "Column": {"name", "suppressOutput", "titles", "virtual", "@id", "@type"},
    "Dialect": {"commentPrefix", "delimiter", "doubleQuote", "encoding", "header",
                "headerRowCount", "lineTerminators", "quoteChar", "skipBlankRows", "skipColumns",
                "skipInitialSpace", "skipRows", "trim", "@id", "@type"},
    "Template": {"url", "scriptFormat", "targetFormat", "source", "titles", "@id", "@type"},
}
DIALECT_KINDS: dict[str, Callable[[Any], bool]] = {
    "commentPrefix": lambda v: isinstance(v, str),
    "delimiter": lambda v: isinstance(v, str),
    "doubleQuote": lambda v: isinstance(v, bool),
    "encoding": lambda v: isinstance(v, str) and _known_encoding(v),
    "header": lambda v: isinstance(v, bool),
    "headerRowCount": lambda v: _natural(v),
    "lineTerminators": lambda v: isinstance(v, str) or (
        isinstance(v, list) and all(isinstance(x, str) for x in v)),
    "quoteChar": lambda v: v is None or isinstance(v, str),
    "skipBlankRows": lambda v: isinstance(v, bool),
    "skipColumns": lambda v: _natural(v),
    "skipInitialSpace": lambda v: isinstance(v, bool),
    "skipRows": lambda v: _natural(v),
    "trim": lambda v: isinstance(v, bool) or v in ("true", "false", "start", "end"),
}


def _natural(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _known_encoding(name: str) -> bool:
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


class Normaliser:
    """Checks and normalises one metadata document.

    :param url: where the document was read (its base URL).
    :param load_json: fetches a referenced JSON document (a ``tableSchema`` by URL).
    :param warn: receives each warning.
    :param label: how errors name the document (default: ``url``).
    """

    def __init__(self, url: str, load_json: Callable[[str], Any],
                 warn: Callable[[str], None], label: str | None = None) -> None:
        self.url = url
        self.label = label or url
        self.base = url
        self.language: str | None = None
        self.load_json = load_json
        self.warn = warn

    def fail(self, message: str, kind: str = "metadata") -> CsvwError:
        return CsvwError(message, type=kind, file=self.label)

    # --- top level --------------------------------------------------------------------------

    def document(self, document: Any) -> dict[str, Any]:
        """The document as a normalised table group (a lone table is wrapped in one)."""
        if not isinstance(document, dict):
            raise self.fail("the metadata is not a JSON object")
        self._context(document.get("@context"))
        if "tables" in document:
            group = self.table_group(document)
        elif "url" in document:
            table = self.table(document)
            group = {key: table.pop(key) for key in list(table)
                     if key == "@context"}
            group["tables"] = [table]
        else:
            raise self.fail("the metadata describes neither a table group (tables) nor a "
                            "table (url)")
        if self.language:
            group["@language"] = self.language
        return group

    def _context(self, context: Any) -> None:
        if context == CSVW_CONTEXT:
            return
        if (isinstance(context, list) and len(context) == 2 and context[0] == CSVW_CONTEXT
                and isinstance(context[1], dict)):
            local = context[1]
            extra = set(local) - {"@base", "@language"}
            if extra or not local:
                raise self.fail(f"@context may hold only @base and @language, not "
                                f"{', '.join(sorted(extra))}")
            if "@base" in local:
                if not isinstance(local["@base"], str):
                    raise self.fail("@base must be a string")
                self.base = urljoin(self.url, local["@base"])
            if "@language" in local:
                if isinstance(local["@language"], str) and LANGUAGE_RE.match(local["@language"]):
                    self.language = local["@language"]
                else:
                    self.warn(f"@language {local['@language']!r} is not a language tag")
            return
        raise self.fail(f"@context must be {CSVW_CONTEXT!r} (or it and a local context)")

    def table_group(self, group: dict[str, Any]) -> dict[str, Any]:
        tables = group.get("tables")
        if not isinstance(tables, list):
            raise self.fail("tables must be an array of tables")
        if not tables:
            raise self.fail("tables is empty")
        out = self._object(group, "TableGroup")
        out["tables"] = [self.table(table) for table in tables if self._is_object(table,
                                                                                  "table")]
        if not out["tables"]:
            raise self.fail("tables holds no table")
        return out

    def table(self, table: Any) -> dict[str, Any]:
        if not isinstance(table, dict):
            raise self.fail("a table must be an object")
        if "url" not in table:
            raise self.fail("a table has no url")
        if not isinstance(table["url"], str):
            raise self.fail(f"the table url {table['url']!r} is not a string")
        return self._object(table, "Table")

    # --- objects ----------------------------------------------------------------------------

    def _is_object(self, value: Any, what: str) -> bool:
        if isinstance(value, dict):
            return True
        self.warn(f"{what} {value!r} is not an object; ignored")
        return False

    def _object(self, source: dict[str, Any], kind: str) -> dict[str, Any]:
        """Check and normalise the properties of an object of ``kind``."""
        allowed = OWN[kind] | (INHERITED if kind in ("TableGroup", "Table", "Schema",
                                                     "Column") else set())
        out: dict[str, Any] = {}
        for key, value in source.items():
            if key == "@type":
                if value != kind:
                    raise self.fail(f"@type {value!r} where {kind!r} was expected")
                out[key] = value
            elif key == "@id":
                identifier = self._id(value)
                if identifier is not None:
                    out[key] = identifier
            elif key == "@context":
                if kind not in ("TableGroup", "Table"):
                    raise self.fail("@context is allowed only at the top of the document")
                out[key] = value
            elif kind in ("Dialect", "Column") and key.startswith(EXTENSION_PREFIX):
                out[key] = value  # psikg's settings (psikg:sheet, psikg:firstOf…), as written
            elif key in allowed:
                normalised = self._property(key, value, kind)
                if normalised is not _INVALID:
                    out[key] = normalised
            elif key == "notes" or ":" in key and not key.startswith("@"):
                out[key] = self.common(value)
            elif key.startswith("@"):
                raise self.fail(f"{key} is not allowed on a {kind}")
            else:
                self.warn(f"property {key!r} is not defined for a {kind}; ignored")
        return out

    def _id(self, value: Any) -> str | None:
        if not isinstance(value, str):
            self.warn(f"@id {value!r} is not a string; the empty link is used")
            return urljoin(self.base, "")
        if value.startswith("_:"):
            raise self.fail(f"@id {value!r} is a blank node identifier")
        return urljoin(self.base, value)

    def _property(self, key: str, value: Any, kind: str) -> Any:
        handler = getattr(self, "_p_" + key, None)
        if handler is not None:
            return handler(value, kind)
        if kind == "Dialect":
            if DIALECT_KINDS[key](value):
                return value
            self.warn(f"dialect {key} {value!r} is invalid; the default is used")
            return _INVALID
        return value

    def _p_tables(self, value: Any, kind: str) -> Any:
        return value

    def _p_url(self, value: Any, kind: str) -> Any:
        if not isinstance(value, str):
            if kind == "Table":
                raise self.fail(f"url {value!r} is not a string")
            self.warn(f"url {value!r} is not a string; ignored")
            return _INVALID
        return urljoin(self.base, value)

    def _p_notes(self, value: Any, kind: str) -> Any:
        if not isinstance(value, list):
            self.warn("notes must be an array; ignored")
            return _INVALID
        return [self.common(note) for note in value]

    def _p_dialect(self, value: Any, kind: str) -> Any:
        value = self._referenced(value, "dialect")
        return _INVALID if value is _INVALID else self._object(value, "Dialect")

    def _p_tableSchema(self, value: Any, kind: str) -> Any:  # noqa: N802 - the CSVW name
        value = self._referenced(value, "tableSchema")
        return {} if value is _INVALID else self._object(value, "Schema")

    def _referenced(self, value: Any, what: str) -> Any:
        if isinstance(value, str):
            url = urljoin(self.base, value)
            document = self.load_json(url)
            if not isinstance(document, dict):
                self.warn(f"{what} at {url} is not a JSON object; ignored")
                return _INVALID
            inner = Normaliser(url, self.load_json, self.warn)
            if "@context" in document:
                inner._context(document.pop("@context"))
            document.setdefault("@id", url)
            normalised = inner._object(document, "Dialect" if what == "dialect" else "Schema")
            normalised.pop("@id", None) if what == "dialect" else None
            return normalised
        if isinstance(value, dict):
            return value
        self.warn(f"{what} {value!r} is neither an object nor a URL; ignored")
        return _INVALID

    def _p_transformations(self, value: Any, kind: str) -> Any:
        if not isinstance(value, list):
            self.warn("transformations must be an array; ignored")
            return _INVALID
        return [self._object(item, "Template") for item in value
                if self._is_object(item, "transformation")]

    def _p_columns(self, value: Any, kind: str) -> Any:
        if not isinstance(value, list):
            self.warn("columns must be an array; ignored")
            return _INVALID
        columns = [self._object(column, "Column") for column in value
                   if self._is_object(column, "column")]
        names: set[str] = set()
        virtual = False
        for column in columns:
            name = column.get("name")
            if name is not None:
                if name in names:
                    raise self.fail(f"two columns are named {name!r}")
                names.add(name)
            if column.get("virtual"):
                virtual = True
            elif virtual:
                raise self.fail("a non-virtual column follows a virtual one")
        return columns

    def _p_foreignKeys(self, value: Any, kind: str) -> Any:  # noqa: N802 - the CSVW name
        if not isinstance(value, list):
            self.warn("foreignKeys must be an array; ignored")
            return _INVALID
        keys = []
        for key in value:
            if not isinstance(key, dict):
                self.warn(f"foreign key {key!r} is not an object; ignored")
                continue
            extra = sorted(set(key) - {"columnReference", "reference"})
            if extra:
                raise self.fail(f"a foreign key may hold only columnReference and reference, "
                                f"not {', '.join(extra)}")
            reference = key.get("reference")
            if not isinstance(reference, dict) or set(reference) - {
                    "resource", "schemaReference", "columnReference"}:
                raise self.fail("a foreign key reference may hold only resource, "
                                "schemaReference and columnReference")
            if ("resource" in reference) == ("schemaReference" in reference):
                raise self.fail("a foreign key reference needs resource or schemaReference")
            normalised = dict(reference)
            for link in ("resource", "schemaReference"):
                if link in normalised:
                    normalised[link] = urljoin(self.base, str(normalised[link]))
            keys.append({"columnReference": key.get("columnReference"),
                         "reference": normalised})
        return keys

    def _p_primaryKey(self, value: Any, kind: str) -> Any:  # noqa: N802 - the CSVW name
        return self._column_reference(value, "primaryKey")

    def _p_rowTitles(self, value: Any, kind: str) -> Any:  # noqa: N802 - the CSVW name
        return self._column_reference(value, "rowTitles")

    def _column_reference(self, value: Any, key: str) -> Any:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return value
        self.warn(f"{key} {value!r} is not a column reference; ignored")
        return _INVALID

    def _p_name(self, value: Any, kind: str) -> Any:
        if not isinstance(value, str) or not NAME_RE.match(value):
            self.warn(f"column name {value!r} is not valid; a name is derived from titles")
            return _INVALID
        return value

    def _p_titles(self, value: Any, kind: str) -> Any:
        if isinstance(value, str):
            return {self.language or "und": [value]}
        if isinstance(value, list):
            strings = [v for v in value if isinstance(v, str)]
            if len(strings) != len(value):
                self.warn("titles holds values that are not strings; they are ignored")
            return {self.language or "und": strings}
        if isinstance(value, dict):
            titles: dict[str, list[str]] = {}
            for language, texts in value.items():
                if not LANGUAGE_RE.match(language):
                    self.warn(f"titles language {language!r} is not a language tag; ignored")
                    continue
                texts = [texts] if isinstance(texts, str) else texts
                if not isinstance(texts, list):
                    self.warn(f"titles for {language!r} are not strings; ignored")
                    continue
                good = [t for t in texts if isinstance(t, str)]
                if len(good) != len(texts):
                    self.warn("titles holds values that are not strings; they are ignored")
                titles[language] = good
            return titles
        self.warn(f"titles {value!r} are not strings; ignored")
        return _INVALID

    def _boolean(self, key: str, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        self.warn(f"{key} {value!r} is not a boolean; false is used")
        return _INVALID

    def _p_suppressOutput(self, value: Any, kind: str) -> Any:  # noqa: N802
        return self._boolean("suppressOutput", value)

    def _p_virtual(self, value: Any, kind: str) -> Any:
        return self._boolean("virtual", value)

    def _p_required(self, value: Any, kind: str) -> Any:
        return self._boolean("required", value)

    def _p_ordered(self, value: Any, kind: str) -> Any:
        return self._boolean("ordered", value)

    def _p_tableDirection(self, value: Any, kind: str) -> Any:  # noqa: N802
        if value in ("rtl", "ltr", "auto"):
            return value
        self.warn(f"tableDirection {value!r} is not rtl, ltr or auto; ignored")
        return _INVALID

    def _p_textDirection(self, value: Any, kind: str) -> Any:  # noqa: N802
        if value in ("rtl", "ltr", "auto", "inherit"):
            return value
        self.warn(f"textDirection {value!r} is not rtl, ltr, auto or inherit; ignored")
        return _INVALID

    def _p_null(self, value: Any, kind: str) -> Any:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            strings = [v for v in value if isinstance(v, str)]
            if len(strings) != len(value):
                self.warn("null holds values that are not strings; they are ignored")
            return strings
        self.warn(f"null {value!r} is not a string; ignored")
        return _INVALID

    def _p_default(self, value: Any, kind: str) -> Any:
        if isinstance(value, str):
            return value
        self.warn(f"default {value!r} is not a string; ignored")
        return _INVALID

    def _p_separator(self, value: Any, kind: str) -> Any:
        if value is None or isinstance(value, str):
            return value
        self.warn(f"separator {value!r} is not a string; ignored")
        return _INVALID

    def _p_lang(self, value: Any, kind: str) -> Any:
        if isinstance(value, str) and LANGUAGE_RE.match(value):
            return value
        self.warn(f"lang {value!r} is not a language tag; ignored")
        return _INVALID

    def _template(self, key: str, value: Any) -> Any:
        if not isinstance(value, str):
            self.warn(f"{key} {value!r} is not a URI template; an empty template is used")
            return ""
        try:
            Template(value)
        except TemplateError as error:
            self.warn(f"{key}: {error}; ignored")
            return _INVALID
        return value

    def _p_aboutUrl(self, value: Any, kind: str) -> Any:  # noqa: N802
        return self._template("aboutUrl", value)

    def _p_propertyUrl(self, value: Any, kind: str) -> Any:  # noqa: N802
        return self._template("propertyUrl", value)

    def _p_valueUrl(self, value: Any, kind: str) -> Any:  # noqa: N802
        return self._template("valueUrl", value)

    def _p_datatype(self, value: Any, kind: str) -> Any:
        if isinstance(value, str):
            return {"base": value}
        if isinstance(value, dict):
            out = dict(value)
            if "@id" in out:
                identifier = out["@id"]
                if not isinstance(identifier, str) or identifier.startswith("_:"):
                    raise self.fail(f"datatype @id {identifier!r} is not an absolute IRI")
                from loaders.csvw.datatypes import BUILTIN
                from loaders.csvw.datatypes import iri_of
                if identifier in {iri_of(name) for name in BUILTIN}:
                    raise self.fail(f"datatype @id {identifier!r} is a built-in datatype")
                out["@id"] = expand(identifier) or identifier
            return out
        self.warn(f"datatype {value!r} is neither a name nor an object; string is used")
        return _INVALID

    def common(self, value: Any) -> Any:
        """A common property's value, checked and normalised as JSON-LD (section 6.1)."""
        return common_property(value, self.language, self.base, self.fail)


class _Invalid:
    """Marks a property value that was warned about and dropped."""


_INVALID: Any = _Invalid()
