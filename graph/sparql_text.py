"""What psikg needs to know about a SPARQL string before pyoxigraph runs it.

pyoxigraph exposes no parsed query, and its ``use_default_graph_as_union``
and ``default_graph`` options override a query's own ``FROM``. To honour
``FROM`` and ``FROM NAMED`` the store must know whether the text has them, so
this module strips comments, strings and IRIs (where the word could appear
harmlessly) and looks for the keyword. It is a lexer, not a parser: anything
it cannot classify is left to pyoxigraph, which reports the syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from graph.errors import UsageError

_NOISE = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r'''|"(?:[^"\\\n]|\\.)*"'''
    r"""|'(?:[^'\\\n]|\\.)*'"""
    r"""|<[^<>"{}|^`\\\s]*>"""
    r"""|\#[^\n]*""",
)
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:])", re.IGNORECASE)
_NOT_NEWLINE = re.compile(r"[^\n]")
QUERY_FORM = re.compile(
    r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE
)
"""A query form's keyword (group 1), searched in :func:`blank` text."""


def blank(text: str, *, keep_iris: bool = False) -> str:
    """The text with strings, comments and (unless kept) IRIs replaced by spaces.

    Every offset is kept (line breaks inside long strings stay), so a position
    found in the blanked text is the same position in the original.

    >>> blank('SELECT * { ?s <http://x/> "}" } # }')
    'SELECT * { ?s                 } #  '
    >>> blank('SELECT * { ?s <http://x/> "}" }', keep_iris=True)
    'SELECT * { ?s <http://x/>     }'
    """

    def spaces(match: re.Match[str]) -> str:
        found = match.group(0)
        if keep_iris and found.startswith("<"):
            return found
        if found.startswith("#"):
            return "#" + " " * (len(found) - 1)
        if "\n" in found:
            return _NOT_NEWLINE.sub(" ", found)
        return " " * len(found)

    return _NOISE.sub(spaces, text)


@lru_cache(maxsize=32)
def _code(text: str) -> str:
    """The text blanked, kept for the few calls that each request makes on it."""
    return blank(text)


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset with ``FROM`` or ``FROM NAMED``.

    >>> has_dataset_clause('SELECT * FROM <http://g> { ?s ?p ?o }')
    True
    >>> has_dataset_clause('SELECT * { ?s <http://x/FROM> "FROM" } # FROM')
    False
    """
    if "from" not in query.lower():
        return False
    return _FROM.search(_code(query)) is not None


def closing_brace(code: str, opening: int) -> int:
    """Where the ``}`` that closes the ``{`` at ``opening`` is, in :func:`blank` text.

    >>> closing_brace(blank('{ ?s ?p "}" { } } x'), 0)
    16

    :raises ValueError: if there is none.
    """
    depth = 0
    for position in range(opening, len(code)):
        depth += (code[position] == "{") - (code[position] == "}")
        if depth == 0:
            return position
    raise ValueError("unbalanced braces")


def query_form(query: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first form keyword, if any.

    >>> query_form('PREFIX ex: <http://ex/> construct { ?s ?p ?o } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    match = QUERY_FORM.search(_code(query))
    return match.group(1).upper() if match else None


_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_MAX_MESSAGE = 240
"""The parser lists every token it would accept, Unicode ranges included: keep the start."""
_PREFIXED_NAME_END = re.compile(
    r"([A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:[^\s{}()<>;,]*$")
"""A prefixed name that ends where the parser stopped (``dcat:Dataset``), and its prefix."""


def parser_message(text: str) -> tuple[int | None, int | None, str]:
    """The line, column and message of an Oxigraph parse error (``error at 2:7: …``), the
    message cut after its first tokens.

    >>> parser_message("error at 2:7: expected one of CREATE, DELETE")
    (2, 7, 'expected one of CREATE, DELETE')
    """
    line = column = None
    if match := _POSITION.match(text):
        line, column = int(match.group(1)), int(match.group(2))
        text = text[match.end():]
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE].rsplit(", ", 1)[0] + ", …"
    return line, column, text


def declare_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` with ``prefixes`` declared before it, on its own first line, so that every
    line keeps its number (a query's own ``PREFIX`` of the same name comes later and wins).

    >>> declare_prefixes('ASK { ?s a dcat:Dataset }', {'dcat': 'http://www.w3.org/ns/dcat#'})
    'PREFIX dcat: <http://www.w3.org/ns/dcat#> ASK { ?s a dcat:Dataset }'
    """
    head = "".join(f"PREFIX {name}: <{iri}> " for name, iri in prefixes.items())
    return head + text


def query_syntax_error(error: SyntaxError, text: str | None = None, shift: int = 0
                       ) -> UsageError:
    """A SPARQL parse error with its line and column, said in words where psikg can.

    :param text: the query as its author wrote it, to name an undeclared prefix.
    :param shift: columns added before the author's first line (:func:`declare_prefixes`).
    """
    line, column, message = parser_message(error.msg)
    return syntax_error(message, line if line is not None else error.lineno,
                        column if column is not None else error.offset, text, shift)


def syntax_error(message: str, line: int | None, column: int | None, text: str | None = None,
                 shift: int = 0) -> UsageError:
    """A parser's message at ``line``:``column`` as an error a person reads: "the prefix
    dcat: is not declared" rather than the tokens the parser would have accepted."""
    if line == 1 and column is not None:
        column = max(1, column - shift)
    prefix = _undeclared_prefix(text, line, column) if "Prefix not found" in message else None
    if prefix is not None:
        return UsageError(f"SPARQL syntax error: the prefix {prefix}: is not declared; "
                          f"declare it with PREFIX {prefix}: <IRI>", type="undeclared-prefix",
                          line=line, column=column, value=f"{prefix}:")
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE].rsplit(", ", 1)[0] + ", …"
    return UsageError(f"SPARQL syntax error: {message}", type="invalid-query",
                      line=line, column=column)


def _undeclared_prefix(text: str | None, line: int | None, column: int | None) -> str | None:
    """The prefix of the prefixed name that ends at ``line``:``column`` of ``text``."""
    if text is None or line is None or column is None:
        return None
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    found = _PREFIXED_NAME_END.search(lines[line - 1][:column - 1])
    return found.group(1) or "" if found else None
