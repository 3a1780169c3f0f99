"""Where things are in a canned query's text: its prologue, its WHERE group, its variables.

A canned query is bound by adding ``VALUES`` blocks of RDF terms at the start of its
outermost WHERE group, or, where that group is nothing but a sub-SELECT
(``WHERE { SELECT … }``), at the start of the sub-SELECT's own WHERE group
(:mod:`graph.canned.binding`), paged by adding ``LIMIT``/``OFFSET``
after it, and counted by wrapping it in ``SELECT (COUNT(*) …)``. Those places depend on the
query's structure only, never on a value, so they are found once, when the library is read.
pyoxigraph exposes no parsed query, so this module blanks strings, IRIs and comments
(:func:`graph.sparql_text.blank` keeps every offset) and reads the braces and keywords that
remain. It is a lexer, not a parser: pyoxigraph parses every text this module helps build,
and a text it rejects is a start-up error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.sparql_text import blank

_WORD = re.compile(r"[?$]?[A-Za-z_][\w-]*(?::[\w.-]*)?")
_VARIABLE = re.compile(r"[?$]([A-Za-z_][\w]*)")


@dataclass(frozen=True)
class Shape:
    """The places in one SELECT query that binding, paging and counting use.

    :param prologue_end: offset where the prologue (``BASE``/``PREFIX``) ends.
    :param where_open: offset just after the ``{`` that opens the outermost WHERE group.
    :param where_close: offset of the ``}`` that closes it.
    :param values_open: offset just after the ``{`` of the group the parameters join: the
        outermost WHERE group, or the WHERE group of the sub-SELECT that is all of it.
    :param values_close: offset of the ``}`` that closes that group.
    :param has_limit: whether the query has its own top-level ``LIMIT`` or ``OFFSET``.
    :param has_trailing_values: whether a ``VALUES`` clause follows the WHERE group.
    """

    prologue_end: int
    where_open: int
    where_close: int
    has_limit: bool
    has_trailing_values: bool
    values_open: int
    values_close: int


class ShapeError(ValueError):
    """The text is not a single SELECT query this module can find its way in.

    :param offset: where in the text the problem is.
    """

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def shape_of(text: str) -> Shape:
    """The :class:`Shape` of a SELECT query.

    :raises ShapeError: if it is not a SELECT query, or its braces do not balance.

    >>> s = shape_of('PREFIX a: <http://a/>\\nSELECT ?x WHERE { ?x a:p "{" } LIMIT 3')
    >>> s.prologue_end, s.where_open, s.has_limit
    (22, 39, True)
    """
    code = blank(text)
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(code)]
    form = next(((start, word) for start, word in words
                 if word.upper() in {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}), None)
    if form is None or form[1].upper() != "SELECT":
        raise ShapeError("a canned query is one SELECT query", form[0] if form else 0)
    prologue_end = form[0]
    depth = 0
    where_open = None
    where_close = None
    for index in range(prologue_end, len(code)):
        char = code[index]
        if char == "{":
            if depth == 0 and where_open is None:
                where_open = index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise ShapeError("a '}' closes a group that was never opened", index)
            if depth == 0 and where_close is None:
                where_close = index
    if where_open is None or where_close is None or depth != 0:
        raise ShapeError("the WHERE group's braces do not balance", len(code))
    tail = code[where_close + 1:].upper()
    tail_words = set(re.findall(r"[A-Z]+", tail))
    values_open, values_close = _values_group(code, where_open, where_close)
    return Shape(prologue_end, where_open, where_close,
                 has_limit=bool(tail_words & {"LIMIT", "OFFSET"}),
                 has_trailing_values="VALUES" in tail_words,
                 values_open=values_open, values_close=values_close)


_BARE_SELECT = re.compile(r"\s*SELECT(?![\w:])", re.IGNORECASE)


def _values_group(code: str, start: int, end: int) -> tuple[int, int]:
    """The group whose start the parameters join, inside the group ``start``–``end``: that
    group, or, where it is nothing but a sub-SELECT (``{ SELECT … }``, which has no place
    for a ``VALUES`` block before it), the sub-SELECT's WHERE group, so that the values
    filter what it aggregates (``granted-vs-paid``: an outer ``IF`` then tests no
    aggregate, which Virtuoso cannot compile).

    >>> c = 'SELECT ?x { SELECT ?x (1 AS ?y) { ?x ?p ?o } GROUP BY ?x } ORDER BY ?x'
    >>> s = shape_of(c)
    >>> c[s.values_open:s.values_close], c[s.where_open:s.where_close].strip()[:9]
    (' ?x ?p ?o ', 'SELECT ?x')
    """
    opening = code.find("{", start, end)
    if not _BARE_SELECT.match(code, start, end) or opening < 0:
        return start, end
    depth = 0
    for index in range(opening, end):
        depth += {"{": 1, "}": -1}.get(code[index], 0)
        if depth == 0:
            return _values_group(code, opening + 1, index)
    return start, end  # unbalanced: pyoxigraph says where


def variables_in(text: str) -> set[str]:
    """The names of the variables written in ``text`` (strings, IRIs, comments left out).

    >>> sorted(variables_in('?a <http://x?b> "?c" $d # ?e'))
    ['a', 'd']
    """
    return {m.group(1) for m in _VARIABLE.finditer(blank(text))}


def subquery_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the sub-SELECTs in ``text`` (from their ``{`` to their ``}``) that the
    outer group's bindings do not reach.

    A VALUES block at the start of the outer group does not reach into a sub-SELECT
    unless the sub-SELECT projects the variable, so a parameter written only there is
    reported at start-up. The group of a ``LATERAL`` (Oxigraph) is evaluated with the
    bindings of each solution before it, which reach the variables a sub-SELECT there
    projects: such a sub-SELECT is left out (it must project the parameter).

    >>> t = 'SELECT * { ?a ?b ?c { SELECT ?x { ?x ?y ?z } } LATERAL { SELECT ?y {} } }'
    >>> [t[s:e] for s, e in subquery_spans(t)]
    ['{ SELECT ?x { ?x ?y ?z } }']
    """
    code = blank(text)
    opens: list[int] = []
    spans = []
    starts_subquery: set[int] = set()
    for match in re.finditer(r"[{}]|(?<![\w?$:])SELECT(?![\w:])", code, re.IGNORECASE):
        token = match.group(0)
        if token == "{":
            opens.append(match.start())
        elif token == "}":
            start = opens.pop() if opens else 0
            if start in starts_subquery:
                spans.append((start, match.end()))
        elif opens:
            before = code[opens[-1] + 1:match.start()]
            lateral = _LATERAL_BEFORE.search(code, 0, opens[-1]) is not None
            if not before.strip() and not lateral:
                starts_subquery.add(opens[-1])
    return sorted(spans)


def joined_variables(text: str) -> set[str]:
    """The variables of ``text`` that the bindings of its outer group meet: those outside
    every sub-SELECT (of :func:`subquery_spans`), and those a sub-SELECT projects, through
    which its solutions join the outer ones (``SELECT *``: every variable it names).

    >>> sorted(joined_variables('?a { SELECT ?b (MIN(?c) AS ?d) { ?b ?p ?c } GROUP BY ?b }'))
    ['a', 'b', 'd']
    """
    code = blank(text)
    outside = list(code)
    projected: set[str] = set()
    covered = 0
    for start, end in subquery_spans(text):
        if start < covered:
            continue  # inside a sub-SELECT already counted
        covered = end
        outside[start:end] = " " * (end - start)
        head = _PROJECTION.search(code, start, end)
        if head is None or head.group(1).strip() == "*":
            projected |= variables_in(code[start:end])
        else:
            projected |= _projected(head.group(1))
    return variables_in("".join(outside)) | projected


def _projected(projection: str) -> set[str]:
    """The variables a projection gives: bare ones and those after ``AS``."""
    names = {m.group(1) for m in _AS_VARIABLE.finditer(projection)}
    depth = 0
    for match in re.finditer(r"[()]|[?$](\w+)", projection):
        if match.group(0) in "()":
            depth += 1 if match.group(0) == "(" else -1
        elif depth == 0:
            names.add(match.group(1))
    return names


_PROJECTION = re.compile(r"(?<![\w?$:])SELECT(?![\w:])\s*(?:DISTINCT|REDUCED)?([^{]*?)"
                         r"(?:(?<![\w?$:])WHERE(?![\w:])|\{)", re.IGNORECASE | re.DOTALL)
_AS_VARIABLE = re.compile(r"(?<![\w?$:])AS\s+[?$](\w+)", re.IGNORECASE)


_LATERAL_BEFORE = re.compile(r"(?<![\w?$:])LATERAL\s*\Z", re.IGNORECASE)
