"""``LATERAL`` (Oxigraph's extension, SPARQL 1.2) for engines that lack it: sent as a plain
group where a plain group answers the same.

psikg's canned queries use ``LATERAL { … }`` to make Oxigraph look a value up once per row
(a beneficiary's name, a grant's facts) instead of for every entity of the store. Such a
block binds, in its own patterns, every variable it shares with the part of the query
before it: joining it answers exactly what evaluating it per row does. A block that only
*tests* an outer variable (``FILTER(?x = ?outer)``), takes a ``LIMIT`` per row, or binds
the variable in one ``UNION`` branch only would answer otherwise: it is left as it is, and
the engine refuses it in its own words, never with a wrong answer.

This is a lexer's judgement (:func:`graph.sparql_text.blank`), not a parser's; whatever it
cannot read as safe it leaves alone.
"""

from __future__ import annotations

import re

from graph.sparql_text import blank
from graph.sparql_text import closing_brace

_LATERAL = re.compile(r"(?<![\w:?$])LATERAL(?=\s*\{)", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")
_PER_ROW = re.compile(r"(?<![\w:?$])(LIMIT|OFFSET)(?![\w:])", re.IGNORECASE)
_UNION = re.compile(r"(?<![\w:?$])UNION(?![\w:])", re.IGNORECASE)
_OPTIONAL = re.compile(r"\s*OPTIONAL\s*\{", re.IGNORECASE)
_TESTS = re.compile(r"(?<![\w:?$])(FILTER|BIND|MINUS|EXISTS|SELECT)(?![\w:])", re.IGNORECASE)
"""Where a variable is tested or projected, not bound: ``FILTER``, ``BIND``, ``MINUS``,
``[NOT] EXISTS`` and a sub-select's projection."""


def lateral_as_join(query: str) -> str:
    """``query`` with each ``LATERAL`` that a plain group answers alike removed; a
    ``LATERAL { OPTIONAL { … } }`` becomes the ``OPTIONAL { … }`` (a group holding only an
    ``OPTIONAL`` would drop the rows it does not match).

    >>> lateral_as_join("SELECT * { ?s a ?t LATERAL { ?s <p> ?o } }")
    'SELECT * { ?s a ?t  { ?s <p> ?o } }'
    >>> lateral_as_join("SELECT * { ?s a ?t LATERAL { OPTIONAL { ?s <p> ?o } } }")
    'SELECT * { ?s a ?t  OPTIONAL { ?s <p> ?o }  }'
    >>> lateral_as_join("SELECT * { ?s a ?t LATERAL { ?o <p> 1 FILTER(?o = ?s) } }")
    'SELECT * { ?s a ?t LATERAL { ?o <p> 1 FILTER(?o = ?s) } }'
    """
    code = blank(query)
    cuts: list[tuple[int, int]] = []
    for match in _LATERAL.finditer(code):
        cuts += _cuts(code, match.start(), match.end())
    for start, end in sorted(cuts, reverse=True):
        query = query[:start] + query[end:]
    return query


def _cuts(code: str, keyword: int, after: int) -> list[tuple[int, int]]:
    """What to cut for the ``LATERAL`` at ``keyword`` to become a plain join (nothing if
    the block after it would answer otherwise): the keyword, and for a block that is one
    ``OPTIONAL``, the block's own braces."""
    opening = code.index("{", after)
    closing = closing_brace(code, opening)
    block = code[opening + 1:closing]
    if _PER_ROW.search(block):
        return []
    shared = _variables(_untested(code[:keyword])) & _variables(block)
    optional = _OPTIONAL.match(block)
    if optional and closing_brace(block, optional.end() - 1) == len(block.rstrip()) - 1:
        inner = block[optional.end():len(block.rstrip()) - 1]
        if all(shared <= _variables(_untested(b)) for b in _branches(inner)):
            return [(keyword, opening + 1), (closing, closing + 1)]
        return []
    if all(shared <= _variables(_untested(branch)) for branch in _branches(block)):
        return [(keyword, after)]
    return []


def _variables(code: str) -> set[str]:
    return set(_VARIABLE.findall(code))


def _untested(code: str) -> str:
    """``code`` without what only tests or projects variables (:data:`_TESTS`): the text
    from such a keyword to the end of its parenthesis or brace group, or a sub-select's
    projection up to its ``WHERE`` group."""
    kept, at = [], 0
    for match in _TESTS.finditer(code):
        if match.start() < at:
            continue
        kept.append(code[at:match.start()])
        at = _group_end(code, match.end(), match.group(1).upper() == "SELECT")
    kept.append(code[at:])
    return "".join(kept)


def _group_end(code: str, start: int, projection: bool) -> int:
    """Where the group after a keyword ends: the first balanced ``(…)`` or ``{…}``, words
    before it skipped (``NOT EXISTS {``); for a projection, the ``{`` of its ``WHERE``."""
    depth = 0
    for at in range(start, len(code)):
        char = code[at]
        if projection and depth == 0 and char == "{":
            return at
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
            if depth == 0 and not projection:
                return at + 1
    return len(code)


def _branches(block: str) -> list[str]:
    """The block's top-level ``UNION`` branches (the block itself if it has none)."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|" + _UNION.pattern, block, re.IGNORECASE):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            parts.append(block[start:match.start()])
            start = match.end()
    parts.append(block[start:])
    return parts
