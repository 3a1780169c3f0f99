"""N-Triples text for IRIs, blank nodes and literals, written by hand for speed.

The engine writes N-Triples lines directly: building pyoxigraph term objects
for every cell, only to serialise them again, costs several times more, and
N-Triples is what the store's bulk loader reads fastest. The escaping
follows RDF 1.1 N-Triples: in literals ``\\``, ``"``, LF and CR are escaped;
in IRIs the characters N-Triples forbids are written as ``\\u`` escapes
(``psikg`` never emits them unescaped, whatever a template produced).
"""

from __future__ import annotations

import itertools
import re

from graph.namespaces import XSD

_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri(value: str) -> str:
    """``<value>``, with characters N-Triples forbids in IRIs escaped.

    >>> iri("http://example.org/a b")
    '<http://example.org/a\\\\u0020b>'
    """
    if _IRI_FORBIDDEN.search(value):
        value = _IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04X}", value)
    return f"<{value}>"


def literal(lexical: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal: plain (``xsd:string``), language-tagged, or typed.

    >>> literal('say "hi"'), literal("chat", language="fr"), literal("1", XSD + "integer")
    ('"say \\\\"hi\\\\""', '"chat"@fr', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    text = f'"{lexical.translate(_LITERAL_ESCAPES)}"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^{iri(datatype)}"
    return text


XSD_STRING = XSD + "string"


class BlankNodes:
    """Fresh blank node labels, unique within one conversion."""

    def __init__(self, prefix: str = "b") -> None:
        self._prefix = prefix
        self._counter = itertools.count()

    def new(self) -> str:
        return f"_:{self._prefix}{next(self._counter)}"
