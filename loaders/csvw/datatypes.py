"""Cell values to typed values: the CSVW built-in datatypes, formats and constraints.

One :class:`Datatype` per column, compiled once: ``parse(value)`` turns a
cell's value into the lexical form the literal will carry, or raises
:class:`Mismatch` saying what was expected. Cells come as text (CSV) or as
typed values (spreadsheets): a ``date`` in a date column, a number in a
numeric column and a ``bool`` in a boolean column are taken as they are.

Formats: number patterns (:mod:`loaders.csvw.numbers`), date patterns
(:mod:`loaders.csvw.dates`), ``true|false`` pairs for booleans, regular
expressions for the other types, and the formats registered by name with
:func:`loaders.csvw.formats.register_format` (Belgian amounts and dates, the
KBO number), which take precedence.

Lexical forms follow the W3C test suite: numbers keep the digits as written
(group characters removed, the decimal character made ``.``), dates and
times are written in XSD form.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from graph.namespaces import CSVW
from graph.namespaces import RDF
from graph.namespaces import XSD
from loaders.csvw import dates
from loaders.csvw.formats import FormatMismatch
from loaders.csvw.formats import registered_format
from loaders.csvw.numbers import NumberFormat
from loaders.csvw.numbers import PatternError

ALIASES = {"number": "double", "binary": "base64Binary", "datetime": "dateTime",
           "any": "anyAtomicType"}
INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None), "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1),
    "short": (-2**15, 2**15 - 1), "byte": (-128, 127), "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None), "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 255), "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
}
NUMERIC = frozenset({"decimal", "double", "float", *INTEGER_RANGES})
DATES = frozenset(dates.NATIVE)
DURATIONS = frozenset({"duration", "dayTimeDuration", "yearMonthDuration"})
STRINGS = frozenset({"string", "normalizedString", "token", "language", "Name", "NMTOKEN",
                     "xml", "html", "json", "anyAtomicType", "anyURI", "QName",
                     "base64Binary", "hexBinary"})
BUILTIN = frozenset({*NUMERIC, *DATES, *DURATIONS, *STRINGS, "boolean"})
SPECIAL_IRIS = {"xml": RDF + "XMLLiteral", "html": RDF + "HTML", "json": CSVW + "JSON"}
NO_TRIM = frozenset({"string", "json", "xml", "html", "anyAtomicType"})
"""Types whose values keep their whitespace (tabular data model, 6.4 step 1)."""

_DURATION_RE = {
    "duration": re.compile(r"-?P(?=[0-9T])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
                           r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"),
    "dayTimeDuration": re.compile(r"-?P(?=[0-9T])(?:[0-9]+D)?"
                                  r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?"
                                  r"(?:[0-9]+(?:\.[0-9]+)?S)?)?"),
    "yearMonthDuration": re.compile(r"-?P(?=[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?"),
}
_LANGUAGE_RE = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_NAME_RE = re.compile(r"[A-Za-z_:][\w.\-:]*")
_NMTOKEN_RE = re.compile(r"[\w.\-:]+")


class Mismatch(ValueError):  # noqa: N818 - an expected outcome, not a bug
    """A value that does not fit its datatype: ``kind`` is ``datatype`` or ``constraint``."""

    def __init__(self, expected: str, kind: str = "datatype") -> None:
        super().__init__(expected)
        self.expected = expected
        self.kind = kind


class DatatypeError(ValueError):
    """Metadata that defines an impossible datatype (``minLength`` above ``maxLength``…)."""


def a_or_an(name: str) -> str:
    """A datatype's name with its article, for messages.

    >>> a_or_an("integer"), a_or_an("decimal")
    ('an integer', 'a decimal')
    """
    return f"{'an' if name[:1] in 'aeiouAEIOU' else 'a'} {name}"


def iri_of(base: str) -> str:
    """The datatype IRI of a built-in type name."""
    return SPECIAL_IRIS.get(base, XSD + base)


@dataclass
class Datatype:
    """A column's datatype, compiled.

    :param base: the built-in type (``decimal``, ``date``…), aliases resolved.
    :param iri: the IRI literals carry: the datatype's ``@id`` or the base's.
    :param format: the format as given (a pattern string, a number format, a registered name).
    """

    base: str = "string"
    iri: str = XSD + "string"
    format: Any = None
    length: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    bounds: dict[str, Any] = field(default_factory=dict)
    """``minInclusive``, ``maxInclusive``, ``minExclusive``, ``maxExclusive`` as given."""
    warnings: list[str] = field(default_factory=list)
    """What was wrong in the metadata and ignored (a bad format)."""

    def __post_init__(self) -> None:
        self.trims = self.base not in NO_TRIM
        self._parse = self._compile()
        self._limits = {key: self._bound(key, value) for key, value in self.bounds.items()}
        self._check_consistency()
        self.takes_any_text = (self.base == "string" and self.format is None
                               and not self._limits
                               and self.length is None and self.min_length is None
                               and self.max_length is None)
        """Whether :meth:`parse` of any text gives ``(text, text)``: a plain string with no
        format and no constraint (the batch converter then skips the call)."""

    # --- compilation ----------------------------------------------------------------------

    def _compile(self) -> Callable[[Any], tuple[str, Any]]:
        registered = registered_format(self.format)
        if registered is not None:
            return self._registered(registered)
        if self.base in NUMERIC:
            return self._number()
        if self.base == "boolean":
            return self._boolean()
        if self.base in DATES:
            return self._date()
        return self._text()

    def _ignore_format(self, why: str) -> None:
        self.warnings.append(why)
        self.format = None

    def _number(self) -> Callable[[Any], tuple[str, Any]]:
        fmt = self.format
        number = NumberFormat()
        if isinstance(fmt, str):
            number = NumberFormat(pattern=fmt)
        elif isinstance(fmt, dict):
            pattern = fmt.get("pattern")
            number = NumberFormat(pattern if isinstance(pattern, str) else None,
                                  str(fmt.get("decimalChar") or "."),
                                  str(fmt["groupChar"]) if fmt.get("groupChar") else None)
        try:
            compiled = number.compile()
        except PatternError as error:
            self._ignore_format(str(error))
            compiled = NumberFormat(None, number.decimal_char, number.group_char).compile()
        kind = ("integer" if self.base in INTEGER_RANGES
                else "double" if self.base in ("double", "float") else "decimal")
        low, high = INTEGER_RANGES.get(self.base, (None, None))
        expected = a_or_an(self.base) + (f" like {number.pattern}" if number.pattern else "")

        def parse(value: Any) -> tuple[str, Any]:
            if isinstance(value, bool | date | time):
                raise Mismatch(expected)
            if isinstance(value, int | float | Decimal):
                return _typed_number(value, kind, low, high, expected)
            text = compiled.parse(value, kind)
            if text is None:
                raise Mismatch(expected)
            if kind == "integer":
                number_value: Any = int(text)
                if (low is not None and number_value < low) or (
                        high is not None and number_value > high):
                    raise Mismatch(expected)
            elif kind == "decimal":
                number_value = Decimal(text)
            else:
                number_value = float(text.replace("INF", "inf"))
            return text, number_value

        return parse

    def _boolean(self) -> Callable[[Any], tuple[str, Any]]:
        true: tuple[str, ...] = ("true", "1")
        false: tuple[str, ...] = ("false", "0")
        if self.format is not None:
            if isinstance(self.format, str) and self.format.count("|") == 1:
                yes, no = self.format.split("|")
                true, false = (yes,), (no,)
            else:
                self._ignore_format(f"boolean format {self.format!r} is not 'true|false' form")
        expected = f"{true[0]} or {false[0]}"

        def parse(value: Any) -> tuple[str, Any]:
            if isinstance(value, bool):
                return ("true" if value else "false"), value
            if value in true:
                return "true", True
            if value in false:
                return "false", False
            raise Mismatch(expected)

        return parse

    def _date(self) -> Callable[[Any], tuple[str, Any]]:
        base = "dateTime" if self.base == "dateTimeStamp" else self.base
        regex = dates.NATIVE[self.base]
        expected = f"an xsd:{self.base}"
        if isinstance(self.format, str) and base in ("date", "time", "dateTime"):
            try:
                regex = dates.compile_pattern(self.format, base)
                expected = f"a {self.base} like {self.format}"
            except dates.DatePatternError as error:
                self._ignore_format(str(error))
        elif self.format is not None:
            self._ignore_format(f"{self.format!r} is not a date pattern")
        kind = self.base
        stamp = self.base == "dateTimeStamp"

        def parse(value: Any) -> tuple[str, Any]:
            if isinstance(value, date | time):
                typed = dates.typed_value(value, kind)
                if typed is None:
                    raise Mismatch(expected)
                return typed
            if kind == "gYear" and _whole_number(value):
                value = f"{int(value):04d}"
            if not isinstance(value, str):
                raise Mismatch(expected)
            match = regex.fullmatch(value)
            if not match or (stamp and not match.group("tz")):
                raise Mismatch(expected)
            result = dates.canonical(match, kind)
            if result is None:
                raise Mismatch(expected)
            return result

        return parse

    def _text(self) -> Callable[[Any], tuple[str, Any]]:
        regex = None
        if self.format is not None:
            if isinstance(self.format, str):
                try:
                    regex = re.compile(self.format)
                except re.error as error:
                    self._ignore_format(f"format {self.format!r} is not a regular expression: "
                                        f"{error}")
            else:
                self._ignore_format(f"format {self.format!r} is not a regular expression")
        base = self.base
        expected = f"a value matching {self.format}" if regex else f"an xsd:{base}"

        def parse(value: Any) -> tuple[str, Any]:
            text = value if isinstance(value, str) else _typed_text(value)
            if regex is not None and not regex.fullmatch(text):
                raise Mismatch(expected)
            if not _lexically_valid(base, text):
                raise Mismatch(expected)
            return text, text

        return parse

    def _registered(self, parser: Callable[[Any], object]) -> Callable[[Any], tuple[str, Any]]:
        base = self.base
        nothing = f"a value that format {self.format} reads (it found none in this cell)"

        def parse(value: Any) -> tuple[str, Any]:
            try:
                parsed = parser(value)
            except FormatMismatch as mismatch:
                raise Mismatch(mismatch.explained) from None
            if parsed is None:
                raise Mismatch(nothing)
            return _lexical(parsed, base), parsed

        return parse

    def _bound(self, key: str, value: Any) -> Any:
        if self.base not in NUMERIC and self.base not in DATES and self.base not in DURATIONS:
            raise DatatypeError(f"{key} applies to numbers and dates, not to {self.base}")
        try:
            return self._parse(value if isinstance(value, str) else str(value))[1]
        except Mismatch:
            raise DatatypeError(f"{key} {value!r} is not a {self.base}") from None

    def _check_consistency(self) -> None:
        length, low, high = self.length, self.min_length, self.max_length
        if length is not None and ((low is not None and length < low)
                                   or (high is not None and length > high)):
            raise DatatypeError("length contradicts minLength or maxLength")
        if low is not None and high is not None and low > high:
            raise DatatypeError("minLength is greater than maxLength")
        if (length is not None or low is not None or high is not None) and (
                self.base in NUMERIC or self.base in DATES or self.base == "boolean"):
            raise DatatypeError(f"length constraints do not apply to {self.base}")
        limits = self._limits
        if "minInclusive" in limits and "minExclusive" in limits:
            raise DatatypeError("both minInclusive (minimum) and minExclusive")
        if "maxInclusive" in limits and "maxExclusive" in limits:
            raise DatatypeError("both maxInclusive (maximum) and maxExclusive")
        low_bound = limits.get("minInclusive", limits.get("minExclusive"))
        high_bound = limits.get("maxInclusive", limits.get("maxExclusive"))
        if low_bound is not None and high_bound is not None:
            strict = "minExclusive" in limits or "maxExclusive" in limits
            order = _compare(low_bound, high_bound)
            if order is not None and (order > 0 or (strict and order == 0)):
                raise DatatypeError("the minimum is above the maximum")

    # --- parsing ----------------------------------------------------------------------------

    def parse(self, value: Any) -> tuple[str, Any]:
        """The literal's lexical form and the value; :class:`Mismatch` if it does not fit."""
        lexical, parsed = self._parse(value)
        if self.length is not None or self.min_length is not None or (
                self.max_length is not None):
            self._check_length(lexical)
        if self._limits:
            self._check_bounds(parsed)
        return lexical, parsed

    def _check_length(self, lexical: str) -> None:
        size = len(lexical)
        if self.base == "base64Binary":
            size = len(base64.b64decode(lexical))
        elif self.base == "hexBinary":
            size = len(lexical) // 2
        if self.length is not None and size != self.length:
            raise Mismatch(f"a length of {self.length}", "constraint")
        if self.min_length is not None and size < self.min_length:
            raise Mismatch(f"at least {self.min_length} characters", "constraint")
        if self.max_length is not None and size > self.max_length:
            raise Mismatch(f"at most {self.max_length} characters", "constraint")

    def _check_bounds(self, value: Any) -> None:
        for key, limit in self._limits.items():
            order = _compare(value, limit)
            if order is None:
                continue
            if ((key == "minInclusive" and order < 0) or (key == "maxInclusive" and order > 0)
                    or (key == "minExclusive" and order <= 0)
                    or (key == "maxExclusive" and order >= 0)):
                raise Mismatch(f"{key} {self.bounds[key]}", "constraint")


def _compare(left: Any, right: Any) -> int | None:
    try:
        if isinstance(left, datetime) and isinstance(right, datetime) and (
                (left.tzinfo is None) != (right.tzinfo is None)):
            left, right = left.replace(tzinfo=None), right.replace(tzinfo=None)
        if isinstance(left, Decimal) and isinstance(right, float):
            left = float(left)
        if isinstance(right, Decimal) and isinstance(left, float):
            right = float(right)
        return int((left > right) - (left < right))
    except TypeError:
        return None


def _typed_number(value: int | float | Decimal, kind: str, low: int | None, high: int | None,
                  expected: str) -> tuple[str, Any]:
    if kind == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise Mismatch(expected)
        number = int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            raise Mismatch(expected)
        return str(number), number
    if kind == "decimal":
        try:
            exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise Mismatch(expected) from None
        if not exact.is_finite():
            raise Mismatch(expected)
        return format(exact, "f"), exact
    return repr(float(value)).replace("inf", "INF").replace("nan", "NaN"), float(value)


def _whole_number(value: Any) -> bool:
    """Whether a typed cell is a whole number (a year in an Excel number cell: 2024, 2024.0)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return isinstance(value, int) or (value == value and value not in (
        float("inf"), float("-inf")) and int(value) == value)


def _typed_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _lexical(value: object, base: str) -> str:
    """The lexical form of a registered format's result for its base type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float) and base in INTEGER_RANGES and value.is_integer():
        return str(int(value))
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _lexically_valid(base: str, text: str) -> bool:
    if base in DURATIONS:
        return bool(_DURATION_RE[base].fullmatch(text)) and not text.endswith("T")
    if base == "language":
        return bool(_LANGUAGE_RE.fullmatch(text))
    if base == "Name":
        return bool(_NAME_RE.fullmatch(text))
    if base == "NMTOKEN":
        return bool(_NMTOKEN_RE.fullmatch(text))
    if base == "hexBinary":
        return len(text) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in text)
    if base == "base64Binary":
        try:
            base64.b64decode(text, validate=True)
        except binascii.Error:
            return False
        return True
    if base == "json":
        try:
            json.loads(text)
        except ValueError:
            return False
    return True
