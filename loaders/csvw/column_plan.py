"""What the row writer needs of a column, computed once: its templates, property, language.

A :class:`ColumnPlan` holds a column's compiled terms (a constant property IRI, or a
memoised :class:`~loaders.csvw.memo.TermExpander` per template), its memo tables of
parsed cells and literals, and the ``psikg:firstOf`` columns its templates name. The
row writer (:mod:`loaders.csvw.rdf`) and the batch writer (:mod:`loaders.csvw.columnar`)
share them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from graph.namespaces import XSD
from loaders.csvw.first_of import NORMALISERS
from loaders.csvw.memo import Memo
from loaders.csvw.memo import TermExpander
from loaders.csvw.model import Column
from loaders.csvw.model import Table
from loaders.csvw.templates import Template
from loaders.csvw.terms import iri
from loaders.csvw.terms import literal
from loaders.csvw.vocab import expand

_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_COLUMN_VARIABLES = {"_name", "_column", "_sourceColumn"}


def resolve(base: str, url: str) -> str:
    """``url`` resolved against ``base`` (a fast path for absolute URLs)."""
    return url if _ABSOLUTE.match(url) else urljoin(base, url)


class ColumnPlan:
    """What the writer needs of a column, computed once, and its memo tables
    (:mod:`loaders.csvw.memo`: the column's datatype and templates are pure functions)."""

    def __init__(self, column: Column, table: Table, index: int,
                 expanders: dict[tuple[Any, ...], TermExpander]) -> None:
        self.column = column
        self.index = index
        self.datatype = column.datatype
        self.fixed = {"_name": column.name, "_column": str(column.number),
                      "_sourceColumn": str(column.number + _skip_columns(table))}
        url = table.url

        def shared(template: Template, prefixed: bool) -> TermExpander:
            """One expander per template text and column variables it uses, for all columns
            (an inherited ``aboutUrl`` is then expanded once a row, not once a column)."""
            key = (prefixed, template.text,
                   tuple((name, self.fixed[name]) for name in template.variables
                         if name in self.fixed))
            if key not in expanders:
                expanders[key] = TermExpander(
                    template, self.fixed,
                    (lambda text: expand(text) or resolve(url, text)) if prefixed
                    else (lambda text: resolve(url, text)))
            return expanders[key]

        self.property: str | None = None
        self.property_term: TermExpander | None = None
        template = column.property_url
        if template is None:
            self.property = iri(url.split("#")[0] + "#" + column.name)
        elif set(template.variables) <= _COLUMN_VARIABLES:
            self.property = iri(_expand_url(template, self.fixed, url))
        else:
            self.property_term = shared(template, True)
        self.about = None if column.about_url is None else shared(column.about_url, False)
        self.value_term = None if column.value_url is None else shared(column.value_url, True)
        self.language = column.lang if column.lang != "und" and (
            column.datatype.base == "string" and column.datatype.iri == XSD + "string") else None
        self.parsed: Memo[str, tuple[str, Any, bool]] = Memo()
        self.literals: Memo[str, str] = Memo()
        first_of = {other.name for other in table.columns if other.first_of}
        self.guards = tuple(dict.fromkeys(
            name for template in (column.about_url, column.property_url, column.value_url)
            if template is not None for name in template.variables if name in first_of))
        """The ``psikg:firstOf`` columns this column's templates name: when one is null the
        column writes no triple (:mod:`loaders.csvw.first_of`)."""
        self.normalise = NORMALISERS[column.normalise] if column.normalise else None

    def literal_text(self, lexical: str) -> str:
        """The N-Triples literal of a valid value of this column (not memoised)."""
        if self.language:
            return literal(lexical, language=self.language)
        return literal(lexical, self.datatype.iri)


def _skip_columns(table: Table) -> int:
    value = table.dialect.get("skipColumns", 0)
    return value if isinstance(value, int) else 0


def _expand_url(template: Template, values: dict[str, Any], base: str) -> str:
    expanded = template.expand(values)
    return expand(expanded) or resolve(base, expanded)
