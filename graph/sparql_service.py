"""The endpoints a query's federated ``SERVICE`` clauses would call, and the documents an
update's ``LOAD`` operations would read, from their text.

pyoxigraph exposes no parsed query, and the engine would call any endpoint it is given, so
the endpoint checks the text first: comments and strings are blanked (IRIs kept), ``PREFIX``
and ``BASE`` declarations are read, and each ``SERVICE [SILENT] <iri> | prefix:name |
?var`` is resolved to an absolute IRI (``None`` for a variable, which can name anything).
Like :mod:`graph.sparql_text` it is a lexer: what it cannot read, the engine rejects.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from graph.sparql_text import blank

_PREFIX = re.compile(r"(?<![\w:?$])PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_BASE = re.compile(r"(?<![\w:?$])BASE\s+<([^>]*)>", re.IGNORECASE)
_SERVICE = re.compile(
    r"(?<![\w:?$])SERVICE(?:\s+SILENT)?\s*(<[^>]*>|[?$]\w+|(?:[A-Za-z][\w.-]*)?:[\w.%-]*)",
    re.IGNORECASE)
_LOAD = re.compile(
    r"(?<![\w:?$])LOAD(?:\s+SILENT)?\s*(<[^>]*>|(?:[A-Za-z][\w.-]*)?:[\w.%-]*)",
    re.IGNORECASE)


def _code(text: str) -> str:
    """The text with strings and comments blanked out and IRIs kept."""
    return blank(text, keep_iris=True)


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(iri: str) -> str:
    r"""The IRI as the engine reads it: ``\uXXXX`` and ``\UXXXXXXXX`` decoded.

    >>> _unescape(r"http://a.example\u002Fx")
    'http://a.example/x'
    """
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def service_endpoints(query: str) -> list[str | None]:
    """Every endpoint the query's ``SERVICE`` clauses name, resolved; ``None`` for a variable.

    >>> service_endpoints('PREFIX w: <https://w.example/> SELECT * { SERVICE w:sparql {} '
    ...                   'SERVICE SILENT <http://x/s> {} SERVICE ?e {} } # SERVICE <http://no>')
    ['https://w.example/sparql', 'http://x/s', None]
    """
    return _named_by(query, "service", _SERVICE)


def loaded_documents(update: str) -> list[str | None]:
    """Every document the update's ``LOAD`` operations read, resolved.

    >>> loaded_documents('BASE <http://a.example/> BASE <b/> PREFIX d: <http://d.example/> '
    ...                  'LOAD <x.ttl> ; LOAD SILENT d:y INTO GRAPH <g> # LOAD <http://no>')
    ['http://a.example/b/x.ttl', 'http://d.example/y']
    """
    return _named_by(update, "load", _LOAD)


def _named_by(text: str, keyword: str, pattern: re.Pattern[str]) -> list[str | None]:
    """The IRIs that follow ``keyword`` (``pattern``) in ``text``, resolved against its
    prologue; ``None`` for a variable."""
    if keyword not in text.lower():  # blanking only removes words (SPARQL keywords
        return []                     # cannot be written with \u escapes)
    code = _code(text)
    if keyword not in code.lower():
        return []
    prefixes = {(m.group(1) or ""): _unescape(m.group(2)) for m in _PREFIX.finditer(code)}
    base = ""
    for declaration in _BASE.finditer(code):  # each BASE is relative to the one before
        base = urljoin(base, _unescape(declaration.group(1))) if base else _unescape(
            declaration.group(1))
    found: list[str | None] = []
    for match in pattern.finditer(code):
        token = match.group(1)
        if token[0] in "?$":
            found.append(None)
        elif token.startswith("<"):
            iri = _unescape(token[1:-1])
            found.append(urljoin(base, iri) if base else iri)
        else:
            prefix, _, local = token.partition(":")
            found.append(prefixes[prefix] + local if prefix in prefixes else token)
    return found


def refused_documents(update: str, allowed_prefixes: tuple[str, ...]) -> list[str]:
    """The ``LOAD`` documents of ``update`` that no allowed prefix covers.

    >>> refused_documents('LOAD <http://127.0.0.1:8080/x.ttl>', ('https://data.example/',))
    ['http://127.0.0.1:8080/x.ttl']
    """
    return [document for document in loaded_documents(update) if document is not None
            and ("://" not in document or not document.startswith(allowed_prefixes or ("\0",)))]


def refused_endpoints(query: str, allowed_prefixes: tuple[str, ...]) -> list[str]:
    """The ``SERVICE`` endpoints of ``query`` that no allowed prefix covers, as text.

    >>> refused_endpoints('SELECT * { SERVICE <http://a.example/q> {} }', ())
    ['http://a.example/q']
    >>> refused_endpoints('SELECT * { SERVICE <http://a.example/q> {} }', ('http://a.example/',))
    []
    """
    refused = []
    for endpoint in service_endpoints(query):
        if endpoint is None:
            refused.append("a variable (SERVICE ?endpoint)")
        elif "://" not in endpoint or not endpoint.startswith(allowed_prefixes or ("\0",)):
            refused.append(endpoint)
    return refused
