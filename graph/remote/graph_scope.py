"""psikg's graphs as the only ones a ``GRAPH ?g`` may match, said in the query itself.

The SPARQL protocol's ``named-graph-uri`` says it for the whole query, but Virtuoso 7.2's
planner fails on it (``SQ200``, a stack overflow in its cost model) as soon as a
``GRAPH ?g`` sits inside ``FILTER EXISTS`` and two named graphs or more are given, as in
several canned queries; given none, ``GRAPH ?g`` matches its system graphs and the graphs
a load is writing. So each ``GRAPH ?g { … }`` becomes
``{ GRAPH ?g { … } FILTER(?g IN (…psikg's graphs…)) }``, which it plans, but for a
correlated ``FILTER EXISTS { GRAPH ?g { … } }``, which it plans only with the scope outside
the ``EXISTS`` (the ``correlated`` form, asked again when the first fails).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph.sparql_text import blank

# never the word in a variable (``?graph``) or a prefixed name
_GRAPH_NAMED = re.compile(r"(?<![\w?$:])GRAPH\s*(<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*)",
                          re.IGNORECASE)
_PREFIX = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
_GRAPH_VARIABLE = re.compile(r"(?<![\w?$:])GRAPH\s+([?$][A-Za-z0-9_\u00B7-\uFFFF]+)\s*\{",
                             re.IGNORECASE)


def scope_graph_variables(sparql: str, graphs: list[str], *, correlated: bool = False) -> str:
    """The query with every ``GRAPH`` over a variable kept to ``graphs``.

    :param correlated: keep a ``FILTER [NOT] EXISTS { GRAPH ?g { … } }`` whose ``?g`` the
        query also names outside it to ``graphs`` outside the ``EXISTS``, as
        ``FILTER(?g IN (…) && EXISTS { … })`` (``NOT IN … ||`` for ``NOT EXISTS``), which
        Virtuoso plans where it cannot plan the scope inside (``SQ200``). It is exact
        where ``?g`` is bound when the filter runs, as a correlated ``EXISTS`` has it.
    :raises ValueError: if a ``GRAPH`` group has no closing brace (the engine then says
        what is wrong with the query: the caller sends it as written).
    """
    code = blank(sparql)
    allowed = "(" + ", ".join(str(ox.NamedNode(graph)) for graph in graphs) + ")"
    edits: list[tuple[int, int, str]] = []
    for found in _GRAPH_VARIABLE.finditer(code):
        close = _closing_brace(code, found.end() - 1)
        variable = "?" + found.group(1)[1:]
        filtered = _sole_body_of_exists(code, found.start(), close) if correlated else None
        if filtered is not None and _named_outside(code, found.group(1)[1:], *filtered[:2]):
            start, end, negated = filtered
            test = (f"{variable} NOT IN {allowed} || NOT EXISTS {{" if negated
                    else f"{variable} IN {allowed} && EXISTS {{")
            opening = code.index("{", start)
            edits += [(start, opening + 1, f"FILTER({test}"), (end + 1, end + 1, ")")]
            continue
        edits += [(found.start(), found.start(), "{ "),
                  (close + 1, close + 1, f" FILTER({variable} IN {allowed}) }}")]
    text = sparql
    # From the end, and at one position the later edit first, so that a group's closing
    # text comes before the next group's opening brace.
    for start, _, end, inserted in sorted(((start, index, end, inserted) for index, (
            start, end, inserted) in enumerate(edits)), reverse=True):
        text = text[:start] + inserted + text[end:]
    return text


_EXISTS_BEFORE = re.compile(r"\bFILTER\s*(NOT\s+)?EXISTS\s*\{\s*$", re.IGNORECASE)


def _sole_body_of_exists(code: str, start: int, close: int) -> tuple[int, int, bool] | None:
    """Where the ``FILTER [NOT] EXISTS { … }`` whose whole body is the ``GRAPH`` group
    from ``start`` to ``close`` starts and ends, and whether it is ``NOT``; else ``None``."""
    before = _EXISTS_BEFORE.search(code, 0, start)
    after = re.compile(r"\s*\}").match(code, close + 1)
    if before is None or after is None:
        return None
    return before.start(), after.end() - 1, before.group(1) is not None


def _named_outside(code: str, name: str, start: int, end: int) -> bool:
    """Whether the variable ``name`` occurs in ``code`` outside ``start`` to ``end``."""
    variable = re.compile(r"[?$]" + re.escape(name) + r"(?![A-Za-z0-9_\u00B7-\uFFFF])")
    return any(not start <= found.start() <= end for found in variable.finditer(code))


def names_a_graph(sparql: str) -> bool:
    """Whether the query has a ``GRAPH`` over an IRI (``<…>`` or a prefixed name)."""
    return _GRAPH_NAMED.search(blank(sparql, keep_iris=True)) is not None


def foreign_graphs_emptied(sparql: str, graphs: list[str], empty: str) -> str:
    """The query with every ``GRAPH <iri>`` whose IRI is not in ``graphs`` naming
    ``empty`` instead (prefixed names resolved with the query's own prefixes)."""
    code = blank(sparql, keep_iris=True)
    prefixes = {found.group(1) or "": found.group(2) for found in _PREFIX.finditer(code)}
    known = set(graphs)
    edits: list[tuple[int, int]] = []
    for found in _GRAPH_NAMED.finditer(code):
        name = found.group(1)
        if name.startswith("<"):
            iri = name[1:-1]
        else:
            prefix, _, local = name.partition(":")
            if prefix not in prefixes:
                continue  # the engine says the prefix is undeclared
            iri = prefixes[prefix] + local
        if iri not in known:
            edits.append(found.span(1))
    text = sparql
    for start, end in reversed(edits):
        text = text[:start] + str(ox.NamedNode(empty)) + text[end:]
    return text


_EMPTY_GRAPH_VARIABLE = re.compile(
    r"(?<![\w?$:])GRAPH\s+[?$]([A-Za-z0-9_\u00B7-\uFFFF]+)\s*\{\s*\}", re.IGNORECASE)


def empty_graph_patterns_listed(sparql: str, graphs: list[str]) -> str:
    """The query with every ``GRAPH ?g { }`` written ``VALUES ?g { …graphs… }``: one
    solution per graph of psikg's, where the engine would also list the empty graph psikg
    adds to the named graphs (:func:`foreign_graphs_emptied`), or, Virtuoso 7.2, none."""
    values = " ".join(str(ox.NamedNode(graph)) for graph in graphs)
    text = sparql
    for found in reversed(list(_EMPTY_GRAPH_VARIABLE.finditer(blank(sparql)))):
        text = (f"{text[:found.start()]}VALUES ?{found.group(1)} {{ {values} }}"
                f"{text[found.end():]}")
    return text


def _closing_brace(code: str, opening: int) -> int:
    """Where the ``}`` that closes the ``{`` at ``opening`` is (strings and comments
    blanked in ``code``).

    :raises ValueError: if there is none.
    """
    depth = 0
    for position in range(opening, len(code)):
        if code[position] == "{":
            depth += 1
        elif code[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    raise ValueError("a GRAPH group is not closed")
