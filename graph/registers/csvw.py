"""CSVW metadata for a register, made from its model: the templates and ``psikg describe``.

:func:`table_metadata` writes the metadata of one table whose columns a :class:`Plan` lists
(each mapped to a model field, or a plain column outside the model); :func:`template` is the
plan with every field of the model, every title in every language. The rest follows from the
model: the record's ``aboutUrl``, each column's node, property and value IRI, the virtual
columns that type the nodes, link them, and name a node from the first non-empty of several
columns (``psikg:firstOf``, shared decision 1). Where no column gives what a person must
decide (the budget year, the granting body, a key), the plan carries the decision and its
TODO, written as a ``psikg:todo`` annotation beside a placeholder that still loads.

A node whose IRI needs a column the table lacks is left out, with its fields and links; so
is a field whose value needs one. :attr:`Metadata.unwritten` says which, for the summary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from graph.namespaces import RDF
from graph.registers.loading import template_variables
from graph.registers.model import LANGUAGES
from graph.registers.model import TITLES_LANGUAGE
from graph.registers.model import Field
from graph.registers.model import Register
from graph.registers.model import Text

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
RDF_TYPE = RDF + "type"
TODO = "psikg:todo"
"""The annotation that marks what a person must decide in a draft."""
PERSONAL_DATA = {"method": "pseudonymise", "withoutKey": "drop"}
"""How templates and drafts treat a personal-data column: pseudonymised with a key, dropped
without one, so that a draft loads before anyone has set a key."""
_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|\{\+)")


@dataclass(frozen=True)
class Column:
    """One column of the table as its metadata will describe it.

    :param field: the model field it holds, or ``None`` for a column outside the model.
    :param titles: its titles by language (``und`` when the language is not known).
    :param datatype: for a column outside the model, its CSVW datatype (a name or a
        description); a model field's comes from the model.
    :param required: whether every row has a value; ``None``: what the model says.
    :param property: for a column outside the model, the property that writes it.
    :param lang: the language of the title that named it, for text fields whose language is
        that of their title.
    """

    name: str
    titles: Mapping[str, list[str]]
    field: Field | None = None
    datatype: str | Mapping[str, Any] = "string"
    required: bool | None = None
    property: str | None = None
    lang: str | None = None
    null: tuple[str, ...] = ()
    todo: str | None = None
    personal_data: str | Mapping[str, str] | None = None
    """For a column outside the model: ``psikg:personalData`` (``drop``, or pseudonymise)."""


@dataclass(frozen=True)
class Plan:
    """The columns of a table and what a person decides where no column holds it.

    :param row_key: replaces the key field in every IRI when no column is a unique key:
        ``subsidies-2023/{_row}`` (the row number, made unique by the file's stem).
    :param constants: field name → the value every row has (the year of a yearly file).
    :param placeholders: node name → the IRI (under the base) every row links to.
    :param todos: field or node name → what the person must decide about it.
    """

    columns: tuple[Column, ...]
    url: str = "table.csv"
    dialect: Mapping[str, Any] = field(default_factory=dict)
    primary_key: str | None = None
    row_key: str | None = None
    constants: Mapping[str, str] = field(default_factory=dict)
    placeholders: Mapping[str, str] = field(default_factory=dict)
    todos: Mapping[str, str] = field(default_factory=dict)
    dataset: str | None = None
    """The dataset the registry is (``psikg:dataset``), which the load says is anonymised
    when the table holds personal data."""


@dataclass
class Metadata:
    """The metadata, and what of the model it could not write."""

    document: dict[str, Any]
    unwritten: list[str] = field(default_factory=list)
    """Fields, nodes and links of the model left out, with why."""


def template(register: Register, base_iri: str) -> dict[str, Any]:
    """The CSVW metadata of a table with every column of ``register``, titled in all languages."""
    columns = tuple(Column(f.name, {lang: list(f.titles[lang]) for lang in LANGUAGES}, f)
                    for f in register.fields.values())
    dialect = {"delimiter": ";", "skipBlankRows": True}
    dataset = (f"{base_iri}dataset/{register.name}"
               if any(f.personal_data for f in register.fields.values()) else None)
    return table_metadata(register, Plan(columns, f"{register.name}.csv", dialect,
                                         register.key, dataset=dataset), base_iri).document


def table_metadata(register: Register, plan: Plan, base_iri: str) -> Metadata:
    """The CSVW metadata of the table ``plan`` describes, as a register of ``register``."""
    return _Writer(register, plan, base_iri).metadata()


class _Writer:
    """Writes one table's metadata: IRIs expanded under the base, missing parts left out."""

    def __init__(self, register: Register, plan: Plan, base_iri: str) -> None:
        self.register = register
        self.plan = plan
        self.base = base_iri
        self.present = {c.field.name: c.name for c in plan.columns if c.field is not None}
        self.unwritten: list[str] = []
        self.identifiers = {
            ident.name: [self.present[f] for f in ident.first_of if f in self.present]
            for ident in register.identifiers.values()}

    # --- IRIs ---------------------------------------------------------------------------

    def expand(self, template: str) -> str | None:
        """The template under the base, its variables renamed to the table's columns; ``None``
        if a variable has no column."""
        key = self.register.key
        if self.plan.row_key is not None and key is not None:
            template = template.replace("{" + key + "}", self.plan.row_key)
        for variable in template_variables(template):
            if variable == "_row":
                continue
            column = self.present.get(variable)
            if column is None and self.identifiers.get(variable):
                column = variable
            if column is None:
                return None
            if column != variable:
                template = _renamed(template, variable, column)
        return template if _ABSOLUTE.match(template) else self.base + template

    def node_iri(self, name: str) -> str | None:
        """A node's IRI template, its placeholder, or ``None`` if the table cannot name it."""
        node = self.register.nodes[name]
        found = self.expand(node.iri)
        if found is None and name in self.plan.placeholders:
            return self.base + self.plan.placeholders[name]
        return found

    # --- the document -------------------------------------------------------------------

    def metadata(self) -> Metadata:
        record = self.node_iri(self.register.record)
        if record is None:
            raise ValueError(f"the table has no column for the IRI of a "
                             f"{self.register.record}: give a row_key")
        columns = [self.column(c) for c in self.plan.columns]
        columns += self.virtual_columns()
        schema: dict[str, Any] = {"aboutUrl": record}
        if self.plan.primary_key is not None:
            schema["primaryKey"] = self.present.get(self.plan.primary_key,
                                                    self.plan.primary_key)
        schema["columns"] = columns
        natural = self.register.natural_person_when
        personal = any(c.field is not None and c.field.personal_data for c in self.plan.columns)
        if natural is not None and personal and natural.field in self.present:
            schema["psikg:naturalPersonWhen"] = {"column": self.present[natural.field],
                                                 "empty": True}
        if "table" in self.plan.todos:
            schema[TODO] = self.plan.todos["table"]
        document: dict[str, Any] = {
            "@context": CSVW_CONTEXT, "url": self.plan.url,
            "dc:title": _language_values(self.register.title),
            "dc:description": _language_values(self.register.description)}
        if self.plan.dataset is not None:
            document["psikg:dataset"] = self.plan.dataset
        document.update({"dialect": dict(self.plan.dialect), "tableSchema": schema})
        return Metadata(document, self.unwritten)

    def column(self, column: Column) -> dict[str, Any]:
        out: dict[str, Any] = {"name": column.name}
        titles = {lang: values for lang, values in column.titles.items() if values}
        if titles:
            out["titles"] = titles
        item = column.field
        if item is None:
            out["datatype"] = column.datatype
            if column.required and column.personal_data is None:
                out["required"] = True
            if column.null:
                out["null"] = list(column.null)
            if column.personal_data is not None:
                out["psikg:personalData"] = column.personal_data
            if column.property is None:
                out["suppressOutput"] = True
            else:
                out["propertyUrl"] = column.property
            return self._todo(out, column.todo)
        out["dc:description"] = _language_values(item.description)
        out["datatype"] = datatype_of(item)
        required = item.required if column.required is None else column.required
        if required and item.personal_data is None:  # dropped without a key: then empty
            out["required"] = True
        if item.null or column.null:
            out["null"] = list(item.null or column.null)
        if item.lang is not None and item.datatype == "string":
            out["lang"] = (column.lang or "fr") if item.lang == TITLES_LANGUAGE else item.lang
        if item.personal_data is not None:
            out["psikg:personalData"] = dict(PERSONAL_DATA)
        self._place(out, item)
        return self._todo(out, column.todo or self.plan.todos.get(item.name))

    def _place(self, out: dict[str, Any], item: Field) -> None:
        """Where the field's value goes: its node, property and value IRI, if it can."""
        if item.property is None:
            out["suppressOutput"] = True
            return
        about = self.node_iri(item.node)
        value = self.register.value_template(item)
        value_iri = self.expand(value) if value is not None else None
        if about is None or (value is not None and value_iri is None):
            missing = item.node if about is None else item.value_node or "its value"
            self.unwritten.append(f"{item.name} (no column names the {missing})")
            out["suppressOutput"] = True
            return
        if item.node != self.register.record:
            out["aboutUrl"] = about
        out["propertyUrl"] = item.property
        if value_iri is not None:
            out["valueUrl"] = value_iri

    def virtual_columns(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for name, columns in self.identifiers.items():
            if columns:
                ident = self.register.identifiers[name]
                column: dict[str, Any] = {"name": name, "virtual": True, "suppressOutput": True,
                                          "psikg:firstOf": columns}
                if ident.normalise is not None:
                    column["psikg:normalise"] = ident.normalise
                out.append(column)
        for name, value in self.plan.constants.items():
            out.append(self._constant(self.register.fields[name], value))
        for node in self.register.nodes.values():
            about = self.node_iri(node.name)
            if about is None or not node.classes or node.typed_by is not None:
                continue
            column = {"name": f"{node.name}_type", "virtual": True, "propertyUrl": RDF_TYPE,
                      "valueUrl": node.classes[0]}
            if node.name != self.register.record:
                column["aboutUrl"] = about
            out.append(column)
        for link in self.register.links:
            linked = self._link(link.source, link.property, link.target_node, link.target_iri)
            if linked is not None:
                out.append(linked)
        return out

    def _constant(self, item: Field, value: str) -> dict[str, Any]:
        """A field every row shares, written as a virtual column with a constant value."""
        template = self.register.value_template(item)
        column: dict[str, Any] = {"name": item.name, "virtual": True,
                                  "propertyUrl": item.property or RDF_TYPE}
        if template is not None:
            constant = template.replace("{" + item.name + "}", value)
            column["valueUrl"] = constant if _ABSOLUTE.match(constant) else self.base + constant
        else:
            column["default"] = value
        about = self.node_iri(item.node)
        if about is not None and item.node != self.register.record:
            column["aboutUrl"] = about
        return self._todo(column, self.plan.todos.get(item.name))

    def _link(self, source: str, prop: str, target_node: str | None,
              target_iri: str | None) -> dict[str, Any] | None:
        about = self.node_iri(source)
        target = self.node_iri(target_node) if target_node is not None else target_iri
        name = f"{source}_{prop.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}"
        if about is None or target is None:
            self.unwritten.append(f"{name} (no column names the "
                                  f"{source if about is None else target_node})")
            return None
        column: dict[str, Any] = {"name": name, "virtual": True, "propertyUrl": prop,
                                  "valueUrl": target}
        if source != self.register.record:
            column["aboutUrl"] = about
        todo = None
        if target_node is not None and target_node in self.plan.placeholders:
            todo = self.plan.todos.get(target_node)
        return self._todo(column, todo)

    @staticmethod
    def _todo(column: dict[str, Any], todo: str | None) -> dict[str, Any]:
        if todo:
            column[TODO] = todo
        return column


def can_name(register: Register, node: str, present: set[str]) -> bool:
    """Whether a table with the fields ``present`` gives ``node`` an IRI (its key aside)."""
    for variable in template_variables(register.nodes[node].iri):
        ident = register.identifiers.get(variable)
        if variable == register.key:
            continue
        if variable not in present and not (ident and set(ident.first_of) & present):
            return False
    return True


def _renamed(template: str, variable: str, column: str) -> str:
    """``template`` with ``{variable}`` (and ``{+variable}``) naming ``column`` instead."""
    return re.sub(r"\{([+#]?)" + re.escape(variable) + r"\}",
                  lambda match: "{" + match.group(1) + column + "}", template)


def datatype_of(item: Field) -> str | dict[str, Any]:
    """A field's CSVW datatype: its base, with its format if it has one."""
    if item.format is None:
        return item.datatype
    form = dict(item.format) if isinstance(item.format, Mapping) else item.format
    return {"base": item.datatype, "format": form}


def _language_values(text: Text) -> list[dict[str, str]]:
    return [{"@value": text[lang], "@language": lang} for lang in LANGUAGES]
