"""What a canned query reads: the IRIs its SPARQL names, read from its text.

A query that reads precomputed aggregates names the register's properties only in the
``plain`` SPARQL it stands for, so that is the text read when there is one. Strings and
comments are left out (:func:`graph.sparql_text.blank`); prefixed names are expanded with
the query's own ``PREFIX`` lines. It is a lexer, like :mod:`graph.canned.shape`: it can
only err by naming an IRI the query mentions without matching it, which for the model of
a register is what "reads" should mean.
"""

from __future__ import annotations

import re

from graph.canned.model import CannedQuery
from graph.sparql_text import blank

_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_IRI = re.compile(r"<([^<>\s]+)>")
_PREFIXED = re.compile(r"(?<![\w?$<:/#])([A-Za-z][\w.-]*)?:([A-Za-z_][\w.-]*)")


def iris_named(text: str) -> set[str]:
    """Every IRI ``text`` names, whole or prefixed, outside strings and comments.

    >>> sorted(iris_named('PREFIX s: <https://schema.org/> SELECT * { ?x s:name "s:no" ; '
    ...                   '<http://a.example/p> ?y } # s:comment'))
    ['http://a.example/p', 'https://schema.org/', 'https://schema.org/name']
    """
    code = blank(text, keep_iris=True)
    prefixes = {name or "": iri for name, iri in _PREFIX.findall(code)}
    found = set(_IRI.findall(code))
    for name, local in _PREFIXED.findall(_IRI.sub(" ", code)):
        if (name or "") in prefixes:
            found.add(prefixes[name or ""] + local)
    return found


def read_by(query: CannedQuery) -> set[str]:
    """The IRIs the query reads: those its ``plain`` SPARQL names, else its own."""
    return iris_named((query.plain or query.query).text)
