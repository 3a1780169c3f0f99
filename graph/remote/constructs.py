"""CONSTRUCT answers from an engine that cuts them at its row cap without saying so.

Virtuoso stops a CONSTRUCT at ``ResultSetMaxRows`` solutions (10,000 by default) and
answers the triples of those as if they were all: no ``X-SPARQL-MaxRows`` header, as it
sets on a SELECT. So psikg, on such an engine (:attr:`Dialect.graph_answer_rows`):

- reads a CONSTRUCT of one whole graph (``CONSTRUCT { ?s ?p ?o } FROM <g> WHERE { ?s ?p
  ?o }``: what a ``psikg --server`` command asks to read a staged graph) a page at a time,
  checked against the graph's count (:func:`graph.remote.pages.graph_triples`);
- checks any other CONSTRUCT against the count of its solutions
  (:func:`solution_count_query`): an answer whose solutions reach the cap is an error,
  never a short answer.
"""

from __future__ import annotations

import re

from graph.sparql_text import blank
from graph.sparql_text import closing_brace

COUNT_VARIABLE = "psikg_solutions"
_WHOLE_GRAPH = re.compile(
    r"(?:\s*(?:BASE\s*<[^<>]*>|PREFIX\s+[\w.-]*:\s*<[^<>]*>))*"  # a prologue, as routes add
    r"\s*CONSTRUCT\s*\{\s*\?(\w+)\s+\?(\w+)\s+\?(\w+)\s*\.?\s*\}\s*FROM\s*<([^<>\s]*)>\s*"
    r"WHERE\s*\{\s*\?\1\s+\?\2\s+\?\3\s*\.?\s*\}\s*", re.IGNORECASE)
_CONSTRUCT = re.compile(r"\bCONSTRUCT\b", re.IGNORECASE)
_SHORT_FORM = re.compile(r"\s*(FROM\s+(NAMED\s+)?)*WHERE\s*", re.IGNORECASE)
"""What may come between ``CONSTRUCT`` and the pattern of the short form, IRIs blanked."""


def whole_graph(text: str) -> str | None:
    """The graph ``text`` copies whole, if it is ``CONSTRUCT { ?s ?p ?o } FROM <g> WHERE
    { ?s ?p ?o }`` (after a ``BASE`` or ``PREFIX``, if any).

    >>> whole_graph("BASE <http://x/> CONSTRUCT { ?s ?p ?o } FROM <urn:g> WHERE { ?s ?p ?o }")
    'urn:g'
    >>> whole_graph("CONSTRUCT { ?s ?p ?o } FROM <urn:g> WHERE { ?s ?p ?o } LIMIT 3")
    """
    found = _WHOLE_GRAPH.fullmatch(text)
    return found.group(4) if found else None


def solution_count_query(text: str) -> str | None:
    """A SELECT of the number of solutions of the CONSTRUCT ``text`` (its prologue,
    dataset, pattern and modifiers kept), as ``?psikg_solutions``; ``None`` if ``text`` is
    not a CONSTRUCT psikg can take apart.

    >>> print(solution_count_query("CONSTRUCT { ?s <u:p> ?o } WHERE { ?s <u:q> ?o } LIMIT 5"))
    SELECT (COUNT(*) AS ?psikg_solutions) WHERE { SELECT * WHERE { ?s <u:q> ?o } LIMIT 5 }
    >>> solution_count_query("CONSTRUCT FROM <urn:g> WHERE { ?s ?p ?o }")
    'SELECT (COUNT(*) AS ?psikg_solutions) FROM <urn:g> WHERE { SELECT * WHERE { ?s ?p ?o } }'
    """
    code = blank(text)
    form = _CONSTRUCT.search(code)
    opening = code.find("{", form.end()) if form else -1
    if form is None or opening < 0:
        return None
    try:
        if not code[form.end():opening].strip():  # CONSTRUCT { template } dataset WHERE {…}
            start = closing_brace(code, opening) + 1
            opening = code.find("{", start)
        elif _SHORT_FORM.fullmatch(code, form.end(), opening):  # CONSTRUCT dataset WHERE {…}
            start = form.end()
        else:
            return None
        end = closing_brace(code, opening) if opening >= 0 else -1
    except ValueError:
        return None
    if end < 0:
        return None
    head = re.sub(r"\bWHERE\b", "", text[start:opening], flags=re.IGNORECASE).strip()
    select = " ".join(part for part in (
        f"SELECT (COUNT(*) AS ?{COUNT_VARIABLE})", head, "WHERE { SELECT * WHERE",
        text[opening:end + 1], text[end + 1:].strip(), "}") if part)
    return text[:form.start()] + select
