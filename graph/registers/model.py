"""What a register model is once its file has been read (:mod:`graph.registers.loading`).

A register is a kind of table public bodies publish (subsidies, public contracts…). Its model
says which nodes a row describes (the grant, its beneficiary, its payment), what IRIs they
get, which column titles real registers use for each field and where each value goes, and
which canned queries read what. The CSVW metadata psikg writes for a register
(:mod:`graph.registers.csvw`), ``docs/registers.md`` and ``psikg describe`` are all made
from these values, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

LANGUAGES = ("fr", "nl", "de", "en")
"""The languages every title, description and list of column titles is written in."""

Text = Mapping[str, str]
"""A text in each of :data:`LANGUAGES`."""

TITLES_LANGUAGE = "titles"
"""A field's ``lang`` that means: the language of the title that named its column."""


@dataclass(frozen=True)
class Reads:
    """Which canned queries read a value.

    :param needed_by: queries whose rows need it: without it, an instance gives no row.
    :param optional_in: queries that read it when it is there (``OPTIONAL``, ``EXISTS``,
        one side of a ``|`` path).
    """

    needed_by: tuple[str, ...] = ()
    optional_in: tuple[str, ...] = ()

    @property
    def queries(self) -> tuple[str, ...]:
        """Every query that reads it, needed first."""
        return self.needed_by + self.optional_in


@dataclass(frozen=True)
class Node:
    """Something a row describes, with its own IRI.

    :param name: how the model refers to it (``grant``, ``beneficiary``).
    :param iri: its IRI template: relative to the base IRI (``subsidy/{reference}``), or
        absolute. The variables are field names or identifier names.
    :param classes: the classes of its instances (several when a field chooses one).
    :param typed_by: the field whose value is its class, if a field chooses it.
    :param ask_if_missing: when no column gives its IRI, a person must name it (the body
        that grants every subsidy of a file): ``psikg describe`` leaves a marked TODO.
    :param reads: the queries that read its class.
    """

    name: str
    title: Text
    iri: str
    classes: tuple[str, ...] = ()
    typed_by: str | None = None
    ask_if_missing: bool = False
    reads: Reads = Reads()


@dataclass(frozen=True)
class Identifier:
    """A value that names a node from the first non-empty of several fields (shared
    decision 1: ``psikg:firstOf`` and ``psikg:normalise`` on a virtual column)."""

    name: str
    first_of: tuple[str, ...]
    normalise: str | None = None


@dataclass(frozen=True)
class Field:
    """One column of the register: where its value goes and what real registers call it.

    :param node: the node the value is about.
    :param property: the property it is written with; ``None`` for a column that is read
        (checked, used in IRIs) but not written.
    :param datatype: the CSVW base datatype (``string``, ``decimal``, ``date``, ``gYear``…).
    :param format: the CSVW format: a psikg format (``psikg:amount-be``), a pattern, or a
        number format mapping.
    :param value_iri: for IRI values, the IRI template of the value.
    :param value_node: for IRI values, the node the value is (its IRI template).
    :param titles: the column titles real registers use, by language, the usual one first.
    :param lang: the language of a text value; :data:`TITLES_LANGUAGE` for the language of
        the title that named the column.
    :param null: the cell texts that mean "no value" (``31/12/9999`` for open end dates).
    :param personal_data: ``pseudonymise`` or ``drop`` in rows about natural persons.
    """

    name: str
    node: str
    property: str | None
    datatype: str
    titles: Mapping[str, tuple[str, ...]]
    description: Text
    format: str | Mapping[str, str] | None = None
    required: bool = False
    value_iri: str | None = None
    value_node: str | None = None
    lang: str | None = None
    null: tuple[str, ...] = ()
    personal_data: str | None = None
    reads: Reads = Reads()
    line: int = 0
    """The line of the model file that defines it (for messages)."""

    def all_titles(self) -> tuple[str, ...]:
        """Every title, in the order of :data:`LANGUAGES`."""
        return tuple(t for lang in LANGUAGES for t in self.titles.get(lang, ()))


@dataclass(frozen=True)
class Link:
    """A triple no column holds: from a node to another node, or to a constant IRI."""

    source: str
    property: str
    target_node: str | None = None
    target_iri: str | None = None
    reads: Reads = Reads()


@dataclass(frozen=True)
class NaturalPersonWhen:
    """Rows about natural persons: those whose ``field`` is empty (``psikg:naturalPersonWhen``)."""

    field: str


@dataclass(frozen=True)
class Register:
    """The model of one register.

    :param record: the node one row is (the grant, the contract).
    :param key: the field whose value makes the record's IRI unique, if the register has one.
    :param year: the field that holds the budget year, for registers the budget queries read.
    """

    name: str
    title: Text
    description: Text
    record: str
    nodes: Mapping[str, Node]
    fields: Mapping[str, Field]
    identifiers: Mapping[str, Identifier] = field(default_factory=dict)
    links: tuple[Link, ...] = ()
    key: str | None = None
    year: str | None = None
    natural_person_when: NaturalPersonWhen | None = None
    path: Path | None = None

    @property
    def record_node(self) -> Node:
        return self.nodes[self.record]

    def fields_of(self, node: str) -> tuple[Field, ...]:
        """The fields whose values are about ``node``."""
        return tuple(f for f in self.fields.values() if f.node == node)

    def value_template(self, item: Field) -> str | None:
        """The IRI template of a field's value, from ``value_node`` or ``value_iri``."""
        if item.value_node is not None:
            return self.nodes[item.value_node].iri
        return item.value_iri

    def classes(self) -> tuple[str, ...]:
        """Every class the register's instances have."""
        return tuple(c for node in self.nodes.values() for c in node.classes)
