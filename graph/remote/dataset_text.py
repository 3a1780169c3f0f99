"""A query's dataset written into its text (``FROM``, ``FROM NAMED``) rather than sent as
the protocol's ``default-graph-uri`` and ``named-graph-uri`` fields.

psikg sends every query that names no dataset over its own graphs, each of them listed.
Virtuoso 7.2 takes such a list far more slowly as protocol fields than in the query's text,
and repeats each field in its answer's header: an IRI lookup over 1,000 graphs took 129 ms
with the fields and 8.6 ms with the same graphs in the text (1.9 ms over one graph;
docs/engines.md, "Many graphs"). Where the dataset clauses go is found in the query's
text, its strings, IRIs and comments blanked: before the top-level ``WHERE``, else before
the group that is the query's pattern.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph.sparql_text import QUERY_FORM
from graph.sparql_text import blank

_TOKENS = re.compile(r"[{}()]|(?<![\w:?$])WHERE(?![\w:])", re.IGNORECASE)


def dataset_position(query: str) -> int | None:
    """Where dataset clauses go in ``query``: before its top-level ``WHERE``, else before
    the group of its pattern (a ``CONSTRUCT``'s second group, its first being the
    template). ``None`` if there is none to find (a ``DESCRIBE`` without a pattern).

    >>> q = 'SELECT (EXISTS { ?a ?b ?c } AS ?e) { SELECT * WHERE { ?s ?p ?o } }'
    >>> q[dataset_position(q):][:10]
    '{ SELECT *'
    >>> q = 'PREFIX w: <http://x/WHERE> CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }'
    >>> q[dataset_position(q):]
    '{ ?s ?p ?o }'
    >>> dataset_position('DESCRIBE <http://x/WHERE>') is None
    True
    """
    code = blank(query)
    form = QUERY_FORM.search(code)
    if form is None:
        return None
    groups_to_pass = 1 if form.group(1).upper() == "CONSTRUCT" else 0
    braces = parentheses = 0
    for token in _TOKENS.finditer(code, form.end()):
        text = token.group(0)
        if braces == 0 and parentheses == 0 and (text.upper() == "WHERE" or text == "{"):
            if text != "{" or groups_to_pass == 0:
                return token.start()
            groups_to_pass -= 1
        braces += {"{": 1, "}": -1}.get(text, 0)
        parentheses += {"(": 1, ")": -1}.get(text, 0)
    return None


def with_dataset(query: str, default_graphs: list[str], named_graphs: list[str]) -> str | None:
    """``query`` with ``FROM`` each default graph and ``FROM NAMED`` each named graph, or
    ``None`` if :func:`dataset_position` finds no place for them.

    >>> with_dataset('ASK { ?s ?p ?o }', ['http://g/1'], ['http://g/1', 'http://g/2'])
    'ASK FROM <http://g/1>\\nFROM NAMED <http://g/1>\\nFROM NAMED <http://g/2>\\n{ ?s ?p ?o }'
    """
    position = dataset_position(query)
    if position is None:
        return None
    clauses = [f"FROM {ox.NamedNode(name)}\n" for name in default_graphs]
    clauses += [f"FROM NAMED {ox.NamedNode(name)}\n" for name in named_graphs]
    return query[:position] + "".join(clauses) + query[position:]
