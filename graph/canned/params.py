"""Parameter types of canned queries: text from a URL or a command line to one RDF term.

Every value becomes a pyoxigraph term (``NamedNode`` or ``Literal``) here, or a
:class:`ParameterError` that names the parameter, the value and the expected type. The
terms are written into the query by pyoxigraph's own serializer
(:mod:`graph.canned.binding`), so no value is ever pasted into SPARQL as text.

=========  ============================  ===========================================
type       accepts                       binds as
=========  ============================  ===========================================
iri        an absolute IRI               ``NamedNode``
string     any text (``pattern``,        ``xsd:string`` literal
           ``max_length``)
integer    ``-12``, ``42``               ``xsd:integer``
decimal    ``1234.5``                    ``xsd:decimal``
date       ``2024-03-01`` or ``today``   ``xsd:date``
year       ``2024``                      ``xsd:integer`` (so ``?year - 1`` works)
boolean    true/false, 1/0, yes/no,      ``xsd:boolean``
           oui/non, ja/nee
enum       one of ``values``             ``xsd:string`` literal, or ``NamedNode`` with
                                         ``bind: iri``
=========  ============================  ===========================================
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation

import pyoxigraph as ox
from stdnum.be import vat

from graph.errors import UsageError
from graph.namespaces import XSD

TYPES = ("iri", "string", "integer", "decimal", "date", "year", "boolean", "enum")
"""The parameter types a header may name."""

Term = ox.NamedNode | ox.Literal
Text = dict[str, str]
"""A text by language tag: ``fr``, ``nl`` and ``en`` always, ``de`` where written."""

MAX_STRING = 500
"""Longest string value accepted unless the header sets ``max_length``."""
MAX_LIST = 100
"""Most values a list parameter takes in one request."""

_TRUE = {"true", "1", "yes", "oui", "ja"}
_FALSE = {"false", "0", "no", "non", "nee"}
_INTEGER = re.compile(r"[+-]?\d{1,18}")
_DECIMAL = re.compile(r"[+-]?(\d{1,18}(\.\d{0,12})?|\.\d{1,12})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")

EXPECTED = {
    "iri": "an absolute IRI, e.g. https://data.psikg.example/public-body/0216543293",
    "string": "text",
    "integer": "a whole number, e.g. 42",
    "decimal": "a number, e.g. 1234.5",
    "date": "a date as YYYY-MM-DD, or today",
    "year": "a year as four digits, e.g. 2024",
    "boolean": "true or false",
    "enum": "one of the listed values",
}


class ParameterError(UsageError):
    """A parameter value that does not fit its type: a 400 on the web, exit 2 on the CLI."""


def pick(text: Text, lang: str) -> str:
    """The text in ``lang``, else French, English, Dutch, German, else any.

    >>> pick({"fr": "Année", "en": "Year"}, "nl")
    'Année'
    """
    for candidate in (lang, "fr", "en", "nl", "de"):
        if text.get(candidate):
            return text[candidate]
    return next(iter(text.values()), "")


@dataclass(frozen=True)
class Choice:
    """One allowed value, with its label."""

    value: str
    title: Text = field(default_factory=dict)


@dataclass(frozen=True)
class Parameter:
    """One parameter of a canned query; its name is the SPARQL variable it binds.

    :param choices: the allowed values when they are a fixed list (always for ``enum``).
    :param values_query: a SELECT with ``?value`` (and ``?label``) suggesting values for
        forms; the values it gives are offered, not enforced.
    :param default: the value used when none is given (a list for list parameters).
    """

    name: str
    type: str
    title: Text
    description: Text = field(default_factory=dict)
    required: bool = False
    is_list: bool = False
    default: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    values_query: str | None = None
    minimum: str | None = None
    maximum: str | None = None
    pattern: str | None = None
    max_length: int = MAX_STRING
    bind: str = "string"
    example: str | None = None
    normalise: str | None = None
    """``kbo``: a Belgian enterprise number in any common writing (``BE0208.979.372``,
    ``208979372``) is checked and bound as its ten digits, as the registries store it."""

    def fail(self, value: str, why: str | None = None) -> ParameterError:
        """The error for ``value``: it names the parameter, the value and the type."""
        expected = self.expected()
        message = f"parameter {self.name!r} ({self.type}): {value!r} {why or 'does not fit'}"
        return ParameterError(message, type="invalid-parameter", value=value,
                              expected=expected, details={"parameter": self.name,
                                                          "parameter_type": self.type})

    def expected(self) -> str:
        """What a value must look like, for messages and API docs."""
        if self.choices:
            return "one of " + ", ".join(choice.value for choice in self.choices)
        text = EXPECTED[self.type]
        if self.minimum is not None and self.maximum is not None:
            text += f" from {self.minimum} to {self.maximum}"
        elif self.minimum is not None:
            text += f", at least {self.minimum}"
        elif self.maximum is not None:
            text += f", at most {self.maximum}"
        return text

    def term(self, value: str) -> Term:
        """The RDF term for one value.

        :raises ParameterError: if the value does not fit.
        """
        if self.choices and value not in {choice.value for choice in self.choices}:
            raise self.fail(value)
        if self.normalise == "kbo":
            if not vat.is_valid(value):
                raise self.fail(value, "is not a Belgian enterprise number (ten digits with "
                                       "a valid check, e.g. 0208.979.372)")
            value = vat.compact(value)
        term = _CONVERTERS[self.type](self, value)
        self._check_range(value, term)
        return term

    def terms(self, values: Sequence[str]) -> list[Term]:
        """The terms for the values given (the default when none), duplicates dropped.

        :raises ParameterError: if a value does not fit, a single parameter gets several,
            or a required one gets none.
        """
        given = [value for value in values if value != ""] or list(self.default)
        if not given:
            if self.required:
                raise ParameterError(f"parameter {self.name!r} is required",
                                     type="missing-parameter", expected=self.expected(),
                                     details={"parameter": self.name,
                                              "parameter_type": self.type})
            return []
        if len(given) > 1 and not self.is_list:
            raise ParameterError(f"parameter {self.name!r} takes one value, got {len(given)}",
                                 type="invalid-parameter", value=", ".join(given),
                                 expected=self.expected(), details={"parameter": self.name})
        if len(given) > MAX_LIST:
            raise ParameterError(f"parameter {self.name!r} takes at most {MAX_LIST} values",
                                 type="invalid-parameter", expected=self.expected(),
                                 details={"parameter": self.name})
        terms: list[Term] = []
        for value in given:
            term = self.term(value)
            if term not in terms:
                terms.append(term)
        return terms

    def _check_range(self, value: str, term: Term) -> None:
        if self.type not in {"integer", "decimal", "date", "year"}:
            return
        low, high = self.minimum, self.maximum
        if low is not None and _order(self, term) < _order(self, self.term_of(low)):
            raise self.fail(value, f"is below the minimum, {self.minimum}")
        if high is not None and _order(self, term) > _order(self, self.term_of(high)):
            raise self.fail(value, f"is above the maximum, {self.maximum}")

    def term_of(self, value: str) -> Term:
        """The term for a bound written in the header (no range check)."""
        return _CONVERTERS[self.type](self, value)


def _order(parameter: Parameter, term: Term) -> Decimal:
    if parameter.type == "date":
        return Decimal(dt.date.fromisoformat(term.value).toordinal())
    return Decimal(term.value)


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _iri(parameter: Parameter, value: str) -> Term:
    if ":" not in value:
        raise parameter.fail(value)
    try:
        return ox.NamedNode(value)
    except ValueError as error:
        raise parameter.fail(value, f"is not an IRI ({error})") from None


def _string(parameter: Parameter, value: str) -> Term:
    if len(value) > parameter.max_length:
        raise parameter.fail(value[:40] + "…", f"is longer than {parameter.max_length} "
                                                 "characters")
    if parameter.pattern and not re.fullmatch(parameter.pattern, value):
        raise parameter.fail(value, f"does not match {parameter.pattern}")
    return ox.Literal(value)


def _integer(parameter: Parameter, value: str) -> Term:
    text = value.strip()
    if not _INTEGER.fullmatch(text):
        raise parameter.fail(value)
    return _typed(str(int(text)), "integer")


def _decimal(parameter: Parameter, value: str) -> Term:
    text = value.strip()
    if not _DECIMAL.fullmatch(text):
        raise parameter.fail(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise parameter.fail(value) from None
    return _typed(format(number.normalize(), "f") if number else "0", "decimal")


def _date(parameter: Parameter, value: str) -> Term:
    text = value.strip()
    if text.lower() == "today":
        return _typed(dt.date.today().isoformat(), "date")
    if not _DATE.fullmatch(text):
        raise parameter.fail(value)
    try:
        return _typed(dt.date.fromisoformat(text).isoformat(), "date")
    except ValueError:
        raise parameter.fail(value, "is not a day of the calendar") from None


def _year(parameter: Parameter, value: str) -> Term:
    text = value.strip()
    if not _YEAR.fullmatch(text) or text.startswith("0"):
        raise parameter.fail(value)
    return _typed(text, "integer")


def _boolean(parameter: Parameter, value: str) -> Term:
    text = value.strip().lower()
    if text in _TRUE:
        return _typed("true", "boolean")
    if text in _FALSE:
        return _typed("false", "boolean")
    raise parameter.fail(value)


def _enum(parameter: Parameter, value: str) -> Term:
    if parameter.bind == "iri":
        return _iri(parameter, value)
    return ox.Literal(value)


_CONVERTERS = {
    "iri": _iri, "string": _string, "integer": _integer, "decimal": _decimal,
    "date": _date, "year": _year, "boolean": _boolean, "enum": _enum,
}
