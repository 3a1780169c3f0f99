"""How a cell of a canned answer reads to a person: numbers written the way the reader's
language writes them, by what the column is.

What a column is comes from the query's header (``columns: {granted: {…, kind: amount}}``),
never from the value: ``2024`` is a year in one column and a count in another. Without a
kind, the datatype decides (:func:`default_kind`). The numbers are written by Babel from
the CLDR data of each language: ``1 050 000,00`` in French (with a narrow no-break
space), ``1.050.000,00`` in Dutch and German, ``1,050,000.00`` in English.

Only what people read is written so (the query pages, ``psikg queries``' table); the
downloads keep the values as the store gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation

from babel.numbers import format_decimal

from graph.languages import LANGUAGES
from graph.namespaces import XSD
from graph.words import CELLS

KINDS = ("amount", "percent", "count", "year", "number", "text")
"""What a column of a canned answer can be:

- ``amount``: money, two decimals (rounded half away from zero), thousands separated;
- ``percent``: a share in per cent, two decimals;
- ``count``: a whole number, thousands separated;
- ``year``: a year, as it is (``2024``, never ``2 024``);
- ``number``: any other number, thousands separated, the decimals it has;
- ``text``: as it is.
"""

INTEGERS = {XSD + name for name in ("integer", "long", "int", "short", "byte",
                                    "nonNegativeInteger", "positiveInteger",
                                    "negativeInteger", "nonPositiveInteger",
                                    "unsignedLong", "unsignedInt", "unsignedShort",
                                    "unsignedByte")}
DECIMALS = {XSD + name for name in ("decimal", "double", "float")}
YEARS = {XSD + "gYear"}

DIVISION_BY_ZERO = "#DIV/0!"
"""What a canned query answers for a ratio whose divisor is zero (a spreadsheet's words)."""

CENT = Decimal("0.01")
_PATTERNS = {"amount": "#,##0.00", "percent": "#,##0.00", "count": "#,##0"}


@dataclass(frozen=True)
class Shown:
    """A cell as a person reads it.

    :param text: what to show.
    :param exact: the value as the store has it, when ``text`` differs from it (for a
        page's ``title`` attribute); ``None`` when ``text`` is the value.
    :param numeric: whether it is a number (tables align those right).
    """

    text: str
    exact: str | None = None
    numeric: bool = False


def default_kind(datatype: str | None) -> str:
    """The kind of a cell whose column's header says none, from its datatype IRI.

    >>> default_kind(XSD + "integer"), default_kind(XSD + "decimal"), default_kind(None)
    ('count', 'number', 'text')
    """
    if datatype in INTEGERS:
        return "count"
    if datatype in DECIMALS:
        return "number"
    if datatype in YEARS:
        return "year"
    return "text"


def shown(value: str, datatype: str | None, kind: str | None, language: str) -> Shown:
    """A literal's text as a reader of ``language`` reads it in a column of ``kind``.

    :param value: the literal's lexical form.
    :param datatype: its datatype IRI (``None`` for a language-tagged string).
    :param kind: one of :data:`KINDS`, or ``None`` for :func:`default_kind`.
    :param language: one of :data:`graph.languages.LANGUAGES` (English otherwise).

    >>> shown("1050000", XSD + "decimal", "amount", "nl")
    Shown(text='1.050.000,00', exact='1050000', numeric=True)
    >>> shown("2024", XSD + "integer", "year", "fr")
    Shown(text='2024', exact=None, numeric=False)
    >>> shown("#DIV/0!", XSD + "string", "percent", "de")
    Shown(text='Division durch null', exact='#DIV/0!', numeric=False)
    """
    locale = language if language in LANGUAGES else "en"
    if value == DIVISION_BY_ZERO:
        return Shown(CELLS["division_by_zero"][locale], value)
    kind = kind or default_kind(datatype)
    if kind in ("year", "text"):
        return Shown(value)
    number = _number(value)
    if number is None:
        return Shown(value)
    if kind in ("amount", "percent"):
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    elif kind == "count" and number != number.to_integral_value():
        kind = "number"  # a fraction in a count column: shown, not hidden by rounding
    pattern = _PATTERNS.get(kind) or _pattern_keeping(number)
    text = format_decimal(number, format=pattern, locale=locale, decimal_quantization=True)
    return Shown(text, None if text == value else value, numeric=True)


def _number(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _pattern_keeping(number: Decimal) -> str:
    """A Babel pattern with thousands separators and exactly the decimals ``number`` has."""
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * places if places else "")
