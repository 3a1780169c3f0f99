"""Binding, paging and counting a canned query, by adding text pyoxigraph wrote.

pyoxigraph's ``substitutions`` only binds variables the query projects (it refuses
``SELECT (SUM(?amount) AS ?total) … ?year …`` with ``?year`` bound), and the SPARQL 1.1
Protocol that the query engine speaks has no way to send bindings at all. So parameters
are bound the way SPARQL itself allows: a ``VALUES`` block at the start of the query's
outermost WHERE group, joined with the rest of the group (where that group is nothing but
a sub-SELECT, ``WHERE { SELECT … }``, at the start of the sub-SELECT's WHERE group).
Every term in it is written by pyoxigraph's N-Triples serializer (``str(term)``), which
escapes quotes, backslashes and line breaks in literals, and pyoxigraph refuses to build
an IRI holding ``>``, spaces or braces. The block goes where
:func:`graph.canned.shape.shape_of` found the group when the library was read: a value
can change what the block says, never where it goes or what else the query says
(``tests/test_queries_binding.py`` tries quotes, ``>``, ``}``, line breaks and SPARQL
keywords).

A parameter with no value (optional, no default) gets no block: its variable stays
unbound and the query matches every value, as the same file run as plain SPARQL does.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence

from graph.canned.params import Term
from graph.canned.shape import Shape

COUNT_VARIABLE = "psikg_count"


def values_block(bindings: Mapping[str, Sequence[Term]]) -> str:
    """``VALUES ?name { term … }`` for each parameter that has values, in order.

    >>> import pyoxigraph as ox
    >>> values_block({"q": [ox.Literal('a" } DROP ALL')], "none": []})
    'VALUES ?q { "a\\\\" } DROP ALL" }'
    """
    return " ".join(f"VALUES ?{name} {{ {' '.join(str(term) for term in terms)} }}"
                    for name, terms in bindings.items() if terms)


def bind(text: str, shape: Shape, bindings: Mapping[str, Sequence[Term]]) -> str:
    """The query with its parameters' values joined at the start of the group
    :attr:`Shape.values_open` says."""
    block = values_block(bindings)
    if not block:
        return text
    return f"{text[:shape.values_open]} {block} {text[shape.values_open:]}"


def page(text: str, limit: int, offset: int) -> str:
    """The query limited to ``limit`` rows from ``offset`` (both checked integers)."""
    return f"{text}\nLIMIT {int(limit)} OFFSET {int(offset)}"


def count(text: str, shape: Shape) -> str:
    """A query counting the rows the query (already bound) gives.

    ``shape`` is the shape of the unbound text; binding only adds text after the
    prologue, so its ``prologue_end`` still holds.
    """
    return (f"{text[:shape.prologue_end]}SELECT (COUNT(*) AS ?{COUNT_VARIABLE}) WHERE {{ {{\n"
            f"{text[shape.prologue_end:]}\n}} }}")
