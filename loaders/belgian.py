"""Belgian ways of writing amounts, dates, enterprise numbers and municipality codes.

Registries kept by Belgian public bodies write ``1.234,56`` or ``475 000€`` for
amounts, ``31/12/2024`` for dates, and the enterprise number (KBO/BCE) in half a
dozen shapes (``0203.071.973``, ``203071973`` once a spreadsheet dropped the
leading zero, ``BE0203071973``, a number cell). CSVW's number patterns read
``1.234,56`` with ``decimalChar``/``groupChar``, but not a currency sign, a
narrow no-break space or a group separator that changes from row to row, and
CSVW has no enterprise number at all. These parsers fill that gap; the CSVW
engine calls them as extra ``format`` values of its datatypes
(:data:`FORMATS`, registered with :func:`loaders.csvw.formats.register_format`
when this module is imported)::

    "datatype": {"base": "decimal", "format": "psikg:amount-be"}

Every parser takes a cell value as a table reader gives it (text from CSV, a
typed value from a spreadsheet) and returns the parsed value, or raises
:class:`BelgianFormatError`, whose ``type`` slug and ``expected`` text become
the cell error. Nothing is ever evaluated: ``=SUM(A1)`` in an amount column is
an error, and in a text column it is text.

Decisions:

- The open end date ``31/12/9999`` (the convention of Belgian registries for
  "no end date") means no end date: no ``schema:endDate`` triple at all,
  which is what RDF says for "no end". In CSVW metadata that is the column's
  ``"null": ["", "31/12/9999", "9999-12-31"]`` (the second form is how a
  date cell reads), so the standard null rule does it for CSV and Excel
  alike; :func:`parse_end_date` is the same rule for Python callers.
  :func:`parse_date` keeps 9999-12-31 as a date.
- Enterprise numbers are normalised to ten digits without dots
  (``0203071973``), the form python-stdnum checks and KBO's open data uses.
- Amounts are money: every one is a :class:`~decimal.Decimal` rounded to the
  cent, halves away from zero (``ROUND_HALF_UP``), text and number cells alike.
  A number cell computed by an Excel formula carries float residue
  (``294365872.44137821``, ``0.30000000000000004``); rounded to the cent, sums
  of the stored amounts are the sums an accountant makes from the sheet.
- A lone dot with no comma is a group separator only where it can be one in
  Belgian notation: followed by exactly three digits, after one to three
  digits that do not start with 0 (``1.234`` is 1234, ``1.234.567`` too).
  Elsewhere it is the decimal point of text a program wrote
  (``83450.25``, ``1050000.0``, ``-12.5``, ``1234.567``). A comma and a dot
  together the English way (``1,234.56``) stay an error: which one is the
  decimal separator cannot be told for sure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from datetime import datetime
from decimal import ROUND_HALF_UP
from decimal import Context
from decimal import Decimal
from decimal import InvalidOperation

from stdnum import exceptions as stdnum_errors
from stdnum.be import vat

from loaders.csvw.formats import FormatMismatch
from loaders.csvw.formats import register_format
from loaders.table_model import CellValue

OPEN_END = date(9999, 12, 31)
"""The date Belgian registries write for "no end date"."""


class BelgianFormatError(FormatMismatch):
    """A value that does not match its Belgian format (the engine's :class:`FormatMismatch`).

    :param message: what is wrong, for the user, with the fix where one exists.
    :param type: the stable slug of the error (``invalid-amount``, ``invalid-date``…).
    :param expected: what the column accepts, e.g. ``an amount like 1.234,56``.
    :param reason: why this value is wrong (``its check digits are wrong``); the cell
        error the user sees carries it after ``expected``.
    """

    def __init__(self, message: str, *, type: str, expected: str,
                 reason: str | None = None) -> None:
        super().__init__(expected, reason)
        self.args = (message,)
        self.message = message
        self.type = type


# --- amounts -----------------------------------------------------------------------------

AMOUNT_EXPECTED = "an amount like 1.234,56, 1 234,56, 475 000€ or EUR 12.345,00"
_SPACES = "\u00a0\u202f\u2009 "
"""Group separators that are spaces: plain, no-break, narrow no-break, thin."""
_CURRENCY = re.compile(r"^(?:EUR|€)\s*|\s*(?:EUR|€|euros?)$", re.IGNORECASE)
_DOTTED = re.compile(r"^(?P<int>\d+)\.(?P<frac>\d+)$")
_GROUPED = re.compile(r"^[1-9]\d{0,2}\.\d{3}$")
"""A lone dot that can separate thousands: one to three digits, not starting with 0, then three."""
_AMOUNT = re.compile(
    r"^(?P<int>\d{1,3}(?:(?P<group>[.\u00a0\u202f\u2009 ])\d{3})"
    r"(?:(?P=group)\d{3})*|\d+)(?:,(?P<frac>\d+))?$"
)


def parse_amount(value: CellValue) -> Decimal:
    """An amount in euros as a :class:`~decimal.Decimal`, rounded to the cent.

    :param value: a number cell, or text in Belgian notation (or with a program's
        decimal dot, see the module's decisions).
    :raises BelgianFormatError: ``invalid-amount`` if the text is not an amount.

    >>> parse_amount("1.234,56"), parse_amount("475\u202f000€"), parse_amount("EUR 12.345,00")
    (Decimal('1234.56'), Decimal('475000.00'), Decimal('12345.00'))
    >>> parse_amount(1050000.0), parse_amount(294365872.44137821), parse_amount(0.1 + 0.2)
    (Decimal('1050000.00'), Decimal('294365872.44'), Decimal('0.30'))
    >>> parse_amount("83450.25"), parse_amount("-12.5"), parse_amount("1.234")
    (Decimal('83450.25'), Decimal('-12.50'), Decimal('1234.00'))
    >>> parse_amount("2,675"), parse_amount("-2,675")
    (Decimal('2.68'), Decimal('-2.68'))
    """
    if isinstance(value, bool) or value is None:
        raise _amount_error(value, "it is not a number")
    if isinstance(value, int | Decimal):
        return _to_the_cent(value, Decimal(value))
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float: what Excel showed
        return _to_the_cent(value, Decimal(repr(value)))
    if not isinstance(value, str):
        raise _amount_error(value, "it is not a number")
    text = value.strip(_SPACES)
    for _ in range(2):
        text = _CURRENCY.sub("", text).strip(_SPACES)
    sign = ""
    if text[:1] in "-+" and len(text) > 1:
        sign, text = text[0], text[1:].lstrip(_SPACES)
    dotted = _DOTTED.match(text)
    if dotted is not None and not _GROUPED.match(text):
        return _to_the_cent(value, Decimal(f"{sign}{dotted['int']}.{dotted['frac']}"))
    match = _AMOUNT.match(text)
    if match is None:
        raise _amount_error(value, _amount_reason(text))
    digits = match["int"].translate({ord(c): None for c in "." + _SPACES})
    number = f"{sign}{digits}.{match['frac']}" if match["frac"] else f"{sign}{digits}"
    return _to_the_cent(value, Decimal(number))


_CENT = Decimal("0.01")
_ROUNDING = Context(prec=40, rounding=ROUND_HALF_UP, traps=[InvalidOperation])
"""Forty digits: any amount of money with its cents; beyond, quantize traps."""


def _to_the_cent(value: object, number: Decimal) -> Decimal:
    """``number`` rounded to the cent, halves away from zero; infinities, NaN and absurd
    magnitudes (over 10^37 euros) are not amounts."""
    if not number.is_finite():
        raise _amount_error(value, "it is not a finite number")
    try:
        return number.quantize(_CENT, context=_ROUNDING)
    except InvalidOperation:
        raise _amount_error(value, "it is far too large to be an amount in euros") from None


def _amount_reason(text: str) -> str:
    """Why text that looked like it might be an amount is not one, in the user's terms."""
    if not any(c.isdigit() for c in text):
        if text.strip("-–—?") == "" and text:
            return ("it holds no digits; if it means 'nothing', list it among the column's "
                    '"null" values in the CSVW metadata')
        return "it holds no digits"
    if text[0] in "=@":
        return "it is a formula, and formulas are never evaluated"
    if re.search(r"[^\d.,\-+" + _SPACES + "]", text):
        return "it holds characters other than digits, separators and a currency"
    if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+\.\d+", text):
        return "it is written the English way (comma between thousands, dot for decimals)"
    if text.count(",") > 1:
        return "it has more than one decimal comma"
    if re.fullmatch(r"\d{1,3}(?:[" + _SPACES + r"]\d{3})+\.\d+", text):
        return "it has spaces between thousands and a decimal dot; write the decimals after a comma"
    if text.count(".") > 1 and "," not in text:
        return "its dots are not all between groups of three digits"
    return "its thousands are not grouped by three"


def _amount_error(value: object, reason: str) -> BelgianFormatError:
    return BelgianFormatError(
        f"{value!r} is not an amount ({reason}): write it like 1.234,56 (comma for decimals, "
        "dots or spaces between thousands), with or without € or EUR",
        type="invalid-amount", expected=AMOUNT_EXPECTED, reason=reason)


# --- dates -------------------------------------------------------------------------------

DATE_EXPECTED = "a date like 31/12/2024 or 31.12.2024 (day/month/year)"
_DATE = re.compile(r"^(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})$")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")


def parse_date(value: CellValue) -> date:
    """A date written day first (``dd/mm/yyyy``, ``dd.mm.yyyy``), ISO, or a date cell.

    :raises BelgianFormatError: ``invalid-date`` if it is not a date, or not a real
        one (``31/02/2024``).

    >>> parse_date("01.03.2024"), parse_date("2024-03-01")
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = value.strip(_SPACES) if isinstance(value, str) else ""
    match = _DATE.match(text) or _ISO_DATE.match(text)
    if match is None:
        reason = ("it is not written day/month/year" if isinstance(value, str)
                  else "it is not a date or text")
        raise BelgianFormatError(
            f"{value!r} is not a date ({reason}): write it day first, like 31/12/2024 or "
            "31.12.2024", type="invalid-date", expected=DATE_EXPECTED, reason=reason)
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    try:
        return date(year, month, day)
    except ValueError as error:
        reason = f"there is no such day ({error})"
        raise BelgianFormatError(
            f"{text} is not a real date: {reason}; check the day and the month",
            type="invalid-date", expected=DATE_EXPECTED, reason=reason) from None


def parse_end_date(value: CellValue) -> date | None:
    """Like :func:`parse_date`, but the open end ``31/12/9999`` means no end date: ``None``.

    >>> parse_end_date("31/12/9999") is None
    True
    """
    parsed = parse_date(value)
    return None if parsed == OPEN_END else parsed


# --- enterprise numbers ------------------------------------------------------------------

ENTERPRISE_EXPECTED = "an enterprise number (KBO/BCE) like 0203.071.973 or BE0203071973"
_ENTERPRISE_CHARS = re.compile(r"^(?:BE)?[\d.\s\u00a0/-]+$", re.IGNORECASE)


def parse_enterprise_number(value: CellValue) -> str:
    """A Belgian enterprise number (KBO/BCE), normalised to ten digits and checked.

    Accepts ``0203.071.973``, ``203071973`` (leading zero lost), ``BE0203071973`` and
    number cells, and checks the check digits with python-stdnum.

    :raises BelgianFormatError: ``invalid-enterprise-number`` if it has the wrong
        shape, length or check digits.

    >>> parse_enterprise_number(203071973.0), parse_enterprise_number("BE 0203.071.973")
    ('0203071973', '0203071973')
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _ENTERPRISE_CHARS.match(value.strip()):
        raise _enterprise_error(value, "it is not a number")
    try:
        return str(vat.validate(value))
    except stdnum_errors.InvalidChecksum:
        raise _enterprise_error(value, "its check digits are wrong (a typing error?)") from None
    except stdnum_errors.InvalidLength:
        raise _enterprise_error(value, "it does not have ten digits") from None
    except stdnum_errors.ValidationError:
        raise _enterprise_error(value, "it does not start with 0 or 1") from None


def _enterprise_error(value: object, why: str) -> BelgianFormatError:
    return BelgianFormatError(
        f"{value!r} is not a valid enterprise number: {why}; look it up in the "
        "Crossroads Bank for Enterprises (KBO/BCE)",
        type="invalid-enterprise-number", expected=ENTERPRISE_EXPECTED, reason=why)


def format_enterprise_number(number: str) -> str:
    """The ten digits written the usual way, ``0203.071.973``.

    >>> format_enterprise_number("0203071973")
    '0203.071.973'
    """
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


# --- NIS municipality codes --------------------------------------------------------------

NIS_EXPECTED = "a five-digit NIS municipality code like 21004"
_NIS = re.compile(r"^[1-9]\d{4}$")


def parse_nis_code(value: CellValue) -> str:
    """A NIS (Statbel REFNIS) municipality code: five digits, first one the province.

    The format is checked; whether the municipality exists is not (the list
    changes with each merger); :mod:`loaders.nis` names the ones the samples use.

    :raises BelgianFormatError: ``invalid-nis-code`` if it is not five digits.

    >>> parse_nis_code(21004.0), parse_nis_code(" 92094 ")
    ('21004', '92094')
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = value.strip(_SPACES) if isinstance(value, str) else ""
    if not _NIS.match(text):
        reason = ("a NIS code does not start with 0" if re.fullmatch(r"0\d{4}", text)
                  else f"it has {len(text)} digits" if text.isdigit()
                  else "it is not five digits")
        raise BelgianFormatError(
            f"{value!r} is not a NIS municipality code ({reason}): it has five digits, the "
            "first one the province (2 for Brussels and Brabant, 9 for Namur…)",
            type="invalid-nis-code", expected=NIS_EXPECTED, reason=reason)
    return text


Parser = Callable[[CellValue], object]

FORMATS: dict[str, tuple[str, Parser]] = {
    "psikg:amount-be": ("decimal", parse_amount),
    "psikg:date-be": ("date", parse_date),
    "psikg:kbo": ("string", parse_enterprise_number),
    "psikg:nis": ("string", parse_nis_code),
}
"""psikg format name → (the CSVW base datatype it goes with, its parser)."""

for _name, (_base, _parser) in FORMATS.items():
    register_format(_name, _parser)
