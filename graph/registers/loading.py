"""Reading ``ontology/registers/*.yaml`` into :class:`~graph.registers.model.Register` values.

A model file is YAML read with PyYAML's safe loader (plain data only). Everything that can be
wrong with one is found here and named by file and line: an unknown key, a missing language,
a prefix psikg does not know, a node, field or identifier that is referred to but not
defined, an IRI template variable nothing gives, two fields of one register that real
registers would title alike. Nothing is read at import: :func:`read_register` is given a
path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from graph.canned.header import Lines
from graph.canned.header import read_yaml
from graph.canned.header import yaml_error_position
from graph.errors import InputError
from graph.namespaces import MODEL_PREFIXES
from graph.namespaces import RDF
from graph.registers.model import LANGUAGES
from graph.registers.model import TITLES_LANGUAGE
from graph.registers.model import Field
from graph.registers.model import Identifier
from graph.registers.model import Link
from graph.registers.model import NaturalPersonWhen
from graph.registers.model import Node
from graph.registers.model import Reads
from graph.registers.model import Register
from graph.registers.model import Text
from graph.registers.titles import fold

RDF_TYPE = RDF + "type"
DATATYPES = frozenset({"string", "decimal", "integer", "date", "gYear", "boolean", "anyURI"})
NORMALISERS = frozenset({"name"})
PERSONAL_DATA = frozenset({"pseudonymise", "drop"})

TOP_KEYS = {"name", "title", "description", "record", "key", "year", "natural_person_when",
            "nodes", "identifiers", "links", "fields"}
NODE_KEYS = {"title", "class", "classes", "typed_by", "iri", "ask_if_missing", "needed_by",
             "optional_in"}
FIELD_KEYS = {"node", "property", "datatype", "format", "required", "value_iri", "value_node",
              "lang", "nulls", "personal_data", "titles", "description", "needed_by",
              "optional_in"}
LINK_KEYS = {"from", "property", "to", "to_iri", "needed_by", "optional_in"}
IDENTIFIER_KEYS = {"first_of", "normalise"}
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_QUERY = re.compile(r"[a-z0-9][a-z0-9-]*")
_VARIABLE = re.compile(r"\{[+#]?([^{}]+)\}")


class RegisterError(InputError):
    """A register model file that cannot be used; names the file and the line."""


class _Reader:
    """Reads one model file, failing at the line of the key at fault."""

    def __init__(self, path: Path, lines: Lines) -> None:
        self.path = path
        self.lines = lines

    def fail(self, where: tuple[str | int, ...], message: str) -> RegisterError:
        return RegisterError(message, type="invalid-register", file=str(self.path),
                             line=self.lines.of(where))

    def mapping(self, value: Any, where: tuple[str | int, ...], keys: set[str] | None = None,
                required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"{_at(where)} must be a mapping (key: value lines)")
        for key in value:
            if keys is not None and key not in keys:
                raise self.fail((*where, str(key)), f"unknown key {key!r} in {_at(where)}; "
                                f"known keys: {', '.join(sorted(keys))}")
        for key in required:
            if key not in value:
                raise self.fail(where, f"{_at(where)} lacks {key!r}")
        return value

    def text(self, value: Any, where: tuple[str | int, ...]) -> Text:
        data = self.mapping(value, where, set(LANGUAGES), LANGUAGES)
        for lang in LANGUAGES:
            if not isinstance(data[lang], str) or not data[lang].strip():
                raise self.fail((*where, lang), f"{_at(where)}.{lang} must be a non-empty text")
        return {lang: data[lang] for lang in LANGUAGES}

    def name(self, value: Any, where: tuple[str | int, ...]) -> str:
        if not isinstance(value, str) or not _NAME.fullmatch(value):
            raise self.fail(where, f"{_at(where)}: {value!r} is not a name (a-z, 0-9, _)")
        return value

    def iri(self, value: Any, where: tuple[str | int, ...]) -> str:
        """A class or property: a prefixed name with a known prefix, or an absolute IRI."""
        if not isinstance(value, str) or ":" not in value:
            raise self.fail(where, f"{_at(where)}: {value!r} is not a prefixed name or an IRI")
        prefix, local = value.split(":", 1)
        if local.startswith("//"):
            return value
        if prefix not in MODEL_PREFIXES:
            raise self.fail(where, f"{_at(where)}: unknown prefix {prefix!r} in {value!r}; "
                            f"known: {', '.join(sorted(MODEL_PREFIXES))}")
        return MODEL_PREFIXES[prefix] + local

    def queries(self, data: dict[str, Any], where: tuple[str | int, ...]) -> Reads:
        found: dict[str, tuple[str, ...]] = {}
        for key in ("needed_by", "optional_in"):
            names = data.get(key, [])
            if not isinstance(names, list) or not all(
                    isinstance(n, str) and _QUERY.fullmatch(n) for n in names):
                raise self.fail((*where, key), f"{_at((*where, key))} must be a list of "
                                "canned query names")
            found[key] = tuple(names)
        both = set(found["needed_by"]) & set(found["optional_in"])
        if both:
            raise self.fail(where, f"{_at(where)}: {', '.join(sorted(both))} both needs it "
                            "and reads it optionally; say one")
        return Reads(found["needed_by"], found["optional_in"])


def _at(where: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in where) or "the model"


def read_register(path: Path) -> Register:
    """Read and check one model file.

    :raises RegisterError: naming the file and the line of what is wrong.
    """
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RegisterError(f"cannot read the register model {path}: {error}",
                            type="invalid-register", file=str(path)) from None
    try:
        node, data = read_yaml(source)
    except yaml.MarkedYAMLError as error:
        line, column = yaml_error_position(error, source)
        raise RegisterError(f"not valid YAML: {error.problem or error}", type="invalid-register",
                            file=str(path), line=line, column=column) from None
    reader = _Reader(path, Lines(node, 1))
    top = reader.mapping(data, (), TOP_KEYS, ("name", "title", "description", "record",
                                               "nodes", "fields"))
    if top["name"] != path.stem:
        raise reader.fail(("name",), f"name {top['name']!r} must be the file's name "
                          f"{path.stem!r}")
    nodes = {reader.name(n, ("nodes",)): _node(reader, n, value)
             for n, value in reader.mapping(top["nodes"], ("nodes",)).items()}
    fields = {reader.name(n, ("fields",)): _field(reader, n, value)
              for n, value in reader.mapping(top["fields"], ("fields",)).items()}
    identifiers = {reader.name(n, ("identifiers",)): _identifier(reader, n, value)
                   for n, value in reader.mapping(top.get("identifiers", {}),
                                                  ("identifiers",)).items()}
    links = [_link(reader, index, value)
             for index, value in enumerate(top.get("links", []) or [])]
    natural = None
    if "natural_person_when" in top:
        when = reader.mapping(top["natural_person_when"], ("natural_person_when",),
                              {"field"}, ("field",))
        natural = NaturalPersonWhen(reader.name(when["field"], ("natural_person_when",)))
    register = Register(
        name=top["name"], title=reader.text(top["title"], ("title",)),
        description=reader.text(top["description"], ("description",)),
        record=reader.name(top["record"], ("record",)), nodes=nodes, fields=fields,
        identifiers=identifiers, links=tuple(links),
        key=reader.name(top["key"], ("key",)) if top.get("key") is not None else None,
        year=reader.name(top["year"], ("year",)) if top.get("year") is not None else None,
        natural_person_when=natural, path=path)
    _check_references(reader, register)
    _check_titles(reader, register)
    return register


def _node(reader: _Reader, name: str, value: Any) -> Node:
    where: tuple[str | int, ...] = ("nodes", name)
    data = reader.mapping(value, where, NODE_KEYS, ("title", "iri"))
    if "class" in data and "classes" in data:
        raise reader.fail(where, f"{_at(where)} has both class and classes; give one")
    given = data.get("classes", [data["class"]] if "class" in data else [])
    if not isinstance(given, list):
        raise reader.fail((*where, "classes"), f"{_at(where)}.classes must be a list")
    classes = tuple(reader.iri(c, (*where, "classes")) for c in given)
    if not isinstance(data["iri"], str) or not data["iri"]:
        raise reader.fail((*where, "iri"), f"{_at(where)}.iri must be an IRI template")
    typed_by = data.get("typed_by")
    if typed_by is None and len(classes) > 1:
        raise reader.fail(where, f"{_at(where)} has several classes: say which field "
                          "chooses one (typed_by)")
    return Node(name, reader.text(data["title"], (*where, "title")), data["iri"], classes,
                reader.name(typed_by, (*where, "typed_by")) if typed_by else None,
                bool(data.get("ask_if_missing", False)), reader.queries(data, where))


def _field(reader: _Reader, name: str, value: Any) -> Field:
    where: tuple[str | int, ...] = ("fields", name)
    data = reader.mapping(value, where, FIELD_KEYS,
                          ("node", "property", "datatype", "titles", "description"))
    if data["datatype"] not in DATATYPES:
        raise reader.fail((*where, "datatype"), f"{_at(where)}.datatype {data['datatype']!r} "
                          f"is not one of {', '.join(sorted(DATATYPES))}")
    form = data.get("format")
    if form is not None and not isinstance(form, str | dict):
        raise reader.fail((*where, "format"), f"{_at(where)}.format must be a text or a "
                          "mapping (a CSVW number format)")
    if "value_iri" in data and "value_node" in data:
        raise reader.fail(where, f"{_at(where)} has both value_iri and value_node; give one")
    titles = reader.mapping(data["titles"], (*where, "titles"), set(LANGUAGES), LANGUAGES)
    for lang in LANGUAGES:
        if not isinstance(titles[lang], list) or not titles[lang] or not all(
                isinstance(t, str) and fold(t) for t in titles[lang]):
            raise reader.fail((*where, "titles", lang), f"{_at(where)}.titles.{lang} must "
                              "be a list of column titles, the usual one first")
    text_lang = data.get("lang")
    if text_lang is not None and text_lang != TITLES_LANGUAGE and text_lang not in LANGUAGES:
        raise reader.fail((*where, "lang"), f"{_at(where)}.lang is a language "
                          f"({', '.join(LANGUAGES)}) or {TITLES_LANGUAGE!r}")
    personal = data.get("personal_data")
    if personal is not None and personal not in PERSONAL_DATA:
        raise reader.fail((*where, "personal_data"), f"{_at(where)}.personal_data is one of "
                          f"{', '.join(sorted(PERSONAL_DATA))}")
    null = data.get("nulls", [])
    if not isinstance(null, list) or not all(isinstance(n, str) for n in null):
        raise reader.fail((*where, "nulls"), f"{_at(where)}.nulls must be a list of texts")
    return Field(
        name=name, node=reader.name(data["node"], (*where, "node")),
        property=(reader.iri(data["property"], (*where, "property"))
                  if data["property"] is not None else None),
        datatype=data["datatype"], titles={lang: tuple(titles[lang]) for lang in LANGUAGES},
        description=reader.text(data["description"], (*where, "description")),
        format=form, required=bool(data.get("required", False)),
        value_iri=data.get("value_iri"),
        value_node=reader.name(data["value_node"], (*where, "value_node"))
        if "value_node" in data else None,
        lang=text_lang, null=tuple(null), personal_data=personal,
        reads=reader.queries(data, where), line=reader.lines.of(where))


def _identifier(reader: _Reader, name: str, value: Any) -> Identifier:
    where: tuple[str | int, ...] = ("identifiers", name)
    data = reader.mapping(value, where, IDENTIFIER_KEYS, ("first_of",))
    first = data["first_of"]
    if not isinstance(first, list) or not first:
        raise reader.fail((*where, "first_of"), f"{_at(where)}.first_of must list fields")
    normalise = data.get("normalise")
    if normalise is not None and normalise not in NORMALISERS:
        raise reader.fail((*where, "normalise"), f"{_at(where)}.normalise is one of "
                          f"{', '.join(sorted(NORMALISERS))}")
    return Identifier(name, tuple(reader.name(f, (*where, "first_of")) for f in first),
                      normalise)


def _link(reader: _Reader, index: int, value: Any) -> Link:
    where: tuple[str | int, ...] = ("links", index)
    data = reader.mapping(value, where, LINK_KEYS, ("from", "property"))
    if ("to" in data) == ("to_iri" in data):
        raise reader.fail(where, f"{_at(where)} needs either to (a node) or to_iri")
    return Link(reader.name(data["from"], (*where, "from")),
                reader.iri(data["property"], (*where, "property")),
                reader.name(data["to"], (*where, "to")) if "to" in data else None,
                data.get("to_iri"), reader.queries(data, where))


def _check_references(reader: _Reader, register: Register) -> None:
    """Every node, field and template variable referred to is defined."""
    nodes, fields, ids = register.nodes, register.fields, register.identifiers
    if register.record not in nodes:
        raise reader.fail(("record",), f"record {register.record!r} is not a node")
    for key, value in (("key", register.key), ("year", register.year)):
        if value is not None and value not in fields:
            raise reader.fail((key,), f"{key} {value!r} is not a field")
    if register.natural_person_when and register.natural_person_when.field not in fields:
        raise reader.fail(("natural_person_when",), "natural_person_when names no field")
    for node in nodes.values():
        _check_template(reader, register, node.iri, ("nodes", node.name, "iri"))
        if node.typed_by is not None and (node.typed_by not in fields or
                                          fields[node.typed_by].property != RDF_TYPE):
            raise reader.fail(("nodes", node.name, "typed_by"), f"typed_by {node.typed_by!r} "
                              "must be a field whose property is rdf:type")
    for item in fields.values():
        where: tuple[str | int, ...] = ("fields", item.name)
        if item.node not in nodes:
            raise reader.fail((*where, "node"), f"node {item.node!r} is not defined")
        if item.value_node is not None and item.value_node not in nodes:
            raise reader.fail((*where, "value_node"), f"node {item.value_node!r} is not "
                              "defined")
        if item.value_iri is not None:
            _check_template(reader, register, item.value_iri, (*where, "value_iri"))
    for identifier in ids.values():
        for name in identifier.first_of:
            if name not in fields:
                raise reader.fail(("identifiers", identifier.name, "first_of"),
                                  f"{name!r} is not a field")
        if identifier.name in fields:
            raise reader.fail(("identifiers", identifier.name), "an identifier may not have "
                              "a field's name")
    for index, link in enumerate(register.links):
        for end in (link.source, link.target_node):
            if end is not None and end not in nodes:
                raise reader.fail(("links", index), f"node {end!r} is not defined")


def _check_template(reader: _Reader, register: Register, template: str,
                    where: tuple[str | int, ...]) -> None:
    for variable in _VARIABLE.findall(template):
        if variable not in register.fields and variable not in register.identifiers:
            raise reader.fail(where, f"{template!r}: {{{variable}}} is neither a field nor "
                              "an identifier")


def _check_titles(reader: _Reader, register: Register) -> None:
    """No two fields may share a title once folded: a header would match both."""
    seen: dict[str, str] = {}
    for item in register.fields.values():
        for title in item.all_titles():
            key = fold(title)
            other = seen.setdefault(key, item.name)
            if other != item.name:
                raise reader.fail(("fields", item.name, "titles"), f"title {title!r} of "
                                  f"{item.name!r} reads like one of {other!r}; a header would "
                                  "match both")


def template_variables(template: str) -> list[str]:
    """The variables of an IRI template.

    >>> template_variables("subsidy/{reference}/payment"), template_variables("{+page}")
    (['reference'], ['page'])
    """
    return _VARIABLE.findall(template)
