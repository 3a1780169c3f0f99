"""RFC 6570 URI templates (level 4), compiled once, expanded per cell.

``uritemplate`` (the well-kept RFC 6570 package) expands correctly, but a
registry of a million rows expands two templates a row, and its general
expansion costs several times what a template compiled for its column does.
A template is compiled here into literal parts and expression functions once
per column, and the common case, ``{name}`` or ``{#name}`` of one variable,
becomes one ``quote`` call; the two give identical expansions for the RFC's
level 1–4 examples, which the project tests check this module on.

Values are strings, lists of strings, or ``None`` (undefined). Variable names
may hold percent-encoded characters (CSVW column names such as
``Inventory%20Date``) and dots.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

TemplateValue = str | Sequence[str] | None

_RESERVED = ":/?#[]@!$&'()*+,;="
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED_ONLY = re.compile(r"[A-Za-z0-9_.~-]*\Z")
"""Text ``quote`` leaves as it is (its always-safe characters): the common case, no call."""
_RESERVED_ONLY = re.compile(r"[A-Za-z0-9_.~\-:/?#\[\]@!$&'()*+,;=]*\Z")
"""The same with the reserved characters, for ``{+x}`` and ``{#x}`` (no ``%``: no triplets)."""
_SCHEME_SLASHES = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_EXPRESSION = re.compile(r"\{([^{}]*)\}")
_VARSPEC = re.compile(r"^((?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*)"
                      r"(\*|:[1-9][0-9]{0,3})?$")


class TemplateError(ValueError):
    """A template that is not RFC 6570 syntax; the message says where."""


@dataclass(frozen=True)
class _Operator:
    first: str
    separator: str
    named: bool
    if_empty: str
    reserved: bool


_OPERATORS = {
    "": _Operator("", ",", False, "", False),
    "+": _Operator("", ",", False, "", True),
    "#": _Operator("#", ",", False, "", True),
    ".": _Operator(".", ".", False, "", False),
    "/": _Operator("/", "/", False, "", False),
    ";": _Operator(";", ";", True, "", False),
    "?": _Operator("?", "&", True, "=", False),
    "&": _Operator("&", "&", True, "=", False),
}


_ASCII_ESCAPES = str.maketrans({chr(code): f"%{code:02X}" for code in range(128)
                                if not _UNRESERVED_ONLY.match(chr(code))})
"""``quote(value, safe="")`` of an ASCII text, as one ``str.translate`` (a tenth of the cost)."""


def _encode(value: str, reserved: bool) -> str:
    if not reserved:
        if _UNRESERVED_ONLY.match(value):
            return value
        return value.translate(_ASCII_ESCAPES) if value.isascii() else quote(value, safe="")
    if _RESERVED_ONLY.match(value):
        return value
    parts = _PCT.split(value)
    triplets = _PCT.findall(value)
    out = [quote(parts[0], safe=_RESERVED)]
    for triplet, part in zip(triplets, parts[1:], strict=True):
        out.append(triplet)
        out.append(quote(part, safe=_RESERVED))
    return "".join(out)


def encode(value: str) -> str:
    """A value as a plain ``{name}`` expression writes it: percent-encoded but for the
    unreserved characters.

    >>> encode("ASBL Projet 7"), encode("é/1")
    ('ASBL%20Projet%207', '%C3%A9%2F1')
    """
    return _encode(value, False)


class Template:
    """A compiled URI template.

    >>> Template("http://example.org/{id}{?q,lang}").expand({"id": "a b", "q": "x", "lang": None})
    'http://example.org/a%20b?q=x'
    >>> Template("{#list*}").expand({"list": ["a", "b"]})
    '#a,b'
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.variables: list[str] = []
        self._parts: list[str | Callable[[Mapping[str, TemplateValue]], str]] = []
        position = 0
        for match in _EXPRESSION.finditer(text):
            self._literal(text[position:match.start()])
            self._parts.append(self._compile(match.group(1)))
            position = match.end()
        self._literal(text[position:])
        self._parts = [part for part in self._parts if part != ""]

    def _literal(self, literal: str) -> None:
        if "{" in literal or "}" in literal:
            raise TemplateError(f"unbalanced brace in URI template {self.text!r}")
        self._parts.append(_encode(literal, True))

    def _compile(self, expression: str) -> Callable[[Mapping[str, TemplateValue]], str]:
        operator_key = expression[:1] if expression[:1] in _OPERATORS else ""
        if expression[:1] in "=,!@|":
            raise TemplateError(f"reserved operator in URI template {self.text!r}")
        operator = _OPERATORS[operator_key]
        specs: list[tuple[str, str | None]] = []
        for spec in expression[len(operator_key):].split(","):
            match = _VARSPEC.match(spec)
            if not match:
                raise TemplateError(f"bad variable {spec!r} in URI template {self.text!r}")
            specs.append((match.group(1), match.group(2)))
            self.variables.append(match.group(1))
        if len(specs) == 1 and specs[0][1] is None and operator_key in ("", "#", "+"):
            return partial(_single, specs[0][0], operator)
        return partial(_expression, specs, operator)

    def expand(self, values: Mapping[str, TemplateValue]) -> str:
        """The template with ``values`` substituted (missing or ``None`` ones left out)."""
        return "".join([part if type(part) is str else part(values)  # type: ignore[operator]
                        for part in self._parts])

    @property
    def absolute_start(self) -> bool:
        """Whether every expansion is an absolute hierarchical IRI (``scheme://`` written first).

        >>> Template("https://example.org/{id}").absolute_start, Template("{id}").absolute_start
        (True, False)
        """
        first = self._parts[0] if self._parts else None
        return isinstance(first, str) and _SCHEME_SLASHES.match(first) is not None

    @property
    def simple(self) -> tuple[str, str, str] | None:
        """``(prefix, name, suffix)`` if the template is ``prefix{name}suffix`` with a plain
        (percent-encoding) expression: a text value made of unreserved characters then
        expands to ``prefix + value + suffix``.

        >>> Template("https://example.org/s/{id}.ttl").simple, Template("{+id}").simple
        (('https://example.org/s/', 'id', '.ttl'), None)
        """
        expressions = [part for part in self._parts if type(part) is not str]
        if len(self.variables) != 1 or len(expressions) != 1:
            return None
        expression = expressions[0]
        if not (isinstance(expression, partial) and expression.func is _single
                and expression.args[1] is _OPERATORS[""]):
            return None
        at = self._parts.index(expression)
        prefix, suffix = "".join(self._parts[:at]), "".join(self._parts[at + 1:])  # type: ignore[arg-type]
        return prefix, self.variables[0], suffix

    def __repr__(self) -> str:
        return f"Template({self.text!r})"


def _single(name: str, operator: _Operator, values: Mapping[str, TemplateValue]) -> str:
    value = values.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return operator.first + _encode(value, operator.reserved)
    return _expression([(name, None)], operator, values)


def _expression(specs: list[tuple[str, str | None]], operator: _Operator,
                values: Mapping[str, TemplateValue]) -> str:
    pieces: list[str] = []
    for name, modifier in specs:
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            if modifier and modifier.startswith(":"):
                value = value[:int(modifier[1:])]
            encoded = _encode(value, operator.reserved)
            if operator.named:
                pieces.append(f"{name}={encoded}" if value else name + operator.if_empty)
            else:
                pieces.append(encoded)
            continue
        items = [item for item in value if item is not None]
        if not items:
            continue
        if modifier == "*":
            for item in items:
                encoded = _encode(item, operator.reserved)
                if operator.named:
                    pieces.append(f"{name}={encoded}" if item else name + operator.if_empty)
                else:
                    pieces.append(encoded)
        else:
            joined = ",".join(_encode(item, operator.reserved) for item in items)
            pieces.append(f"{name}={joined}" if operator.named else joined)
    if not pieces:
        return ""
    return operator.first + operator.separator.join(pieces)
