"""An update request with a prologue before any operation, as the engine can read it.

SPARQL 1.1 allows a prologue before every operation of an update request (``Update ::=
Prologue (Update1 (';' Update)?)?``; the Update spec's own example declares a second
``PREFIX`` after ``;``, and rdflib's batched ``SPARQLUpdateStore`` joins operations that
each carry theirs). Oxigraph 0.5 reads a prologue only at the start. So the declarations
of later operations are moved to the front, and the request stays one request, hence one
transaction:

- a ``PREFIX`` that binds a new name, or the name to the IRI it already has, moves to
  the front (its IRI made absolute against the base in force where it was written);
- a ``PREFIX`` that binds a name again to another IRI gets a fresh name
  (``ex`` → ``ex_2``) from that operation on, and its prefixed names are renamed there;
- a ``BASE`` that changes the base makes the relative IRIs of the following operations
  absolute.

The declarations are blanked where they stood, so every line and column of the user's
text stays where it was, unless a name had to be renamed or an IRI resolved. Like
:mod:`graph.sparql_text` this is a lexer: what it cannot read, the engine rejects with
its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urljoin

from graph.sparql_text import blank

_DECLARATION = re.compile(
    r"(?:\s|#[^\n]*)*(?:PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>|BASE\s*<([^<>\s]*)>)",
    re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w.\-:?$])([A-Za-z][\w.-]*)?:")
_IRI = re.compile(r"""<([^<>"{}|^`\\\s]*)>""")
_ABSOLUTE = re.compile(r"^[A-Za-z][\w+.-]*:")
_OPENS, _CLOSES = "{([", "})]"


@dataclass
class _Rewrite:
    """What the front of the request declares, and the edits of the user's text."""

    base: str
    declared: dict[str, str] = field(default_factory=dict)
    """Every prefix name the engine sees, with its IRI."""
    active: dict[str, str] = field(default_factory=dict)
    """A name the user wrote → the name it has from here on."""
    hoisted: list[str] = field(default_factory=list)
    edits: list[tuple[int, int, str]] = field(default_factory=list)


def operations(code: str) -> list[tuple[int, int]]:
    """The spans of the operations of a blanked update, split at its top-level ``;``.

    >>> operations("INSERT DATA { <a> <b> 'c' ; <d> 'e' } ; DROP ALL")
    [(0, 38), (39, 48)]
    """
    spans, depth, start = [], 0, 0
    for index, char in enumerate(code):
        if char in _OPENS:
            depth += 1
        elif char in _CLOSES:
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(code)))
    return spans


def one_prologue(text: str, base: str) -> tuple[str, str]:
    """The update as a first line of declarations and the user's text, the declarations
    of later operations moved to that line.

    :param text: the update request as the user sent it.
    :param base: the base IRI psikg resolves relative IRIs against.
    :returns: ``(first_line, text)``: send ``first_line + "\\n" + text``.

    >>> one_prologue("PREFIX a: <http://a/> INSERT DATA { a:x a:y 1 } ;\\n"
    ...              "PREFIX b: <http://b/> INSERT DATA { b:x b:y 2 }", "http://e/")
    ('BASE <http://e/> PREFIX b: <http://b/>', 'PREFIX a: <http://a/> INSERT DATA { \
a:x a:y 1 } ;\\n                      INSERT DATA { b:x b:y 2 }')
    """
    if ";" not in text:
        return f"BASE <{base}>", text
    code = blank(text)
    iris = blank(text, keep_iris=True)
    spans = operations(code)
    rewrite = _Rewrite(base)
    _read_prologue(iris, spans[0][0], rewrite, hoist=False)
    engine_base = rewrite.base  # the first prologue's base holds for the whole request
    for start, end in spans[1:]:
        body_start = _read_prologue(iris, start, rewrite, hoist=True)
        _rename(code, body_start, end, rewrite)
        if rewrite.base != engine_base:
            _absolute_iris(iris, body_start, end, rewrite.base, rewrite)
    edited = text
    for start, end, replacement in sorted(rewrite.edits, reverse=True):
        edited = edited[:start] + replacement + edited[end:]
    return " ".join([f"BASE <{base}>", *rewrite.hoisted]), edited


def _read_prologue(iris: str, start: int, rewrite: _Rewrite, *, hoist: bool) -> int:
    """Read the declarations at ``start``; blank and hoist them when ``hoist``. Returns
    where the operation itself starts."""
    position = start
    while match := _DECLARATION.match(iris, position):
        if match.group(3) is not None:
            rewrite.base = urljoin(rewrite.base, match.group(3))
        else:
            name, iri = match.group(1) or "", urljoin(rewrite.base, match.group(2))
            if hoist:
                _bind(name, iri, rewrite, iris)
            else:
                rewrite.declared[name] = iri
                rewrite.active[name] = name
        if hoist:
            declaration = iris[match.start():match.end()]
            rewrite.edits.append((match.start(), match.end(),
                                  re.sub(r"[^\n]", " ", declaration)))
        position = match.end()
    return position


def _bind(name: str, iri: str, rewrite: _Rewrite, iris: str) -> None:
    """Bind ``name`` to ``iri`` for the following operations, under a fresh name if the
    engine already knows ``name`` as another IRI."""
    if rewrite.declared.get(name, iri) == iri:
        alias = name
    else:
        alias = next((known for known, value in rewrite.declared.items()
                      if value == iri and known.startswith(f"{name or 'p'}_")), "")
        number = 2
        while not alias:
            candidate = f"{name or 'p'}_{number}"
            if candidate not in rewrite.declared and f"{candidate}:" not in iris:
                alias = candidate
            number += 1
    if alias not in rewrite.declared:
        rewrite.declared[alias] = iri
        rewrite.hoisted.append(f"PREFIX {alias}: <{iri}>")
    rewrite.active[name] = alias


def _rename(code: str, start: int, end: int, rewrite: _Rewrite) -> None:
    """Rename the prefixed names of one operation whose prefix has a fresh name."""
    renamed = {name: alias for name, alias in rewrite.active.items() if name != alias}
    if not renamed:
        return
    for match in _PREFIXED.finditer(code, start, end):
        name = match.group(1) or ""
        if name in renamed:
            rewrite.edits.append((match.start(), match.end(), f"{renamed[name]}:"))


def _absolute_iris(iris: str, start: int, end: int, base: str, rewrite: _Rewrite) -> None:
    """Write the relative IRIs of one operation against the base its prologue set."""
    for match in _IRI.finditer(iris, start, end):
        if not _ABSOLUTE.match(match.group(1)):
            rewrite.edits.append((match.start(), match.end(),
                                  f"<{urljoin(base, match.group(1))}>"))
