"""The annotated table group: metadata after normalisation, inheritance and merging.

These are the objects the row converter reads; nothing here parses JSON or
reads files. Inherited properties (``null``, ``datatype``, ``aboutUrl``…) are
already resolved onto each :class:`Column`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

from loaders.csvw.datatypes import Datatype
from loaders.csvw.templates import Template


@dataclass
class Column:
    """One column of a table, with every inherited property resolved."""

    number: int
    """1-based position, virtual columns after the others."""
    name: str
    titles: dict[str, list[str]]
    """Language tag (``und`` when none) → titles."""
    datatype: Datatype
    virtual: bool = False
    suppress_output: bool = False
    required: bool = False
    null: tuple[str, ...] = ("",)
    default: str = ""
    separator: str | None = None
    ordered: bool = False
    lang: str = "und"
    text_direction: str = "inherit"
    about_url: Template | None = None
    property_url: Template | None = None
    value_url: Template | None = None
    first_of: tuple[int, ...] = ()
    """A virtual column's ``psikg:firstOf``: the indexes of the columns whose first non-null
    value it takes (:mod:`loaders.csvw.first_of`)."""
    normalise: str | None = None
    """Its ``psikg:normalise``: a name in :data:`loaders.csvw.first_of.NORMALISERS`."""

    @property
    def title_list(self) -> tuple[str, ...]:
        """Every title, in all languages, for messages."""
        return tuple(title for titles in self.titles.values() for title in titles)


@dataclass
class ForeignKey:
    """Columns of this table that refer to columns of another table."""

    columns: list[int]
    """Indexes (0-based) of the referencing columns."""
    table_url: str
    referenced: list[int]
    """Indexes (0-based) of the referenced columns in the referenced table."""


@dataclass
class Table:
    """One table: where it is, how it is read, its columns and what to say about it."""

    url: str
    columns: list[Column]
    dialect: dict[str, object]
    id: str | None = None
    suppress_output: bool = False
    notes: list[Any] = field(default_factory=list)
    common: list[tuple[str, Any]] = field(default_factory=list)
    """Common properties as (property IRI, normalised JSON-LD value)."""
    primary_key: list[int] = field(default_factory=list)
    row_titles: list[int] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    label: str = ""
    """How messages name the table."""
    schema_given: bool = False
    """Whether the metadata gave columns (else they come from the header)."""


@dataclass
class TableGroup:
    """The tables converted together, with the group's own description."""

    tables: list[Table]
    id: str | None = None
    notes: list[Any] = field(default_factory=list)
    common: list[tuple[str, Any]] = field(default_factory=list)
    language: str | None = None
    """The metadata's default ``@language``, for common property strings."""
    base: str = ""
    """The base URL of the metadata, for ``@id`` values in common properties."""
