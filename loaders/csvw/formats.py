"""Extra datatype ``format`` parsers: where Belgian amounts, dates and the KBO number plug in.

CSVW gives a column's datatype a ``format``: a number pattern, a date
pattern, ``Y|N`` for booleans, a regular expression for strings. psikg lets a
module register more formats by name, used in the metadata like any other::

    "datatype": {"base": "decimal", "format": "psikg:amount-be"}
    "datatype": {"base": "date", "format": "psikg:date-be"}
    "datatype": {"base": "string", "format": "psikg:kbo"}

A parser receives the cell's value (text from a CSV, a typed value from a
spreadsheet), returns the value in Python's type for the base datatype
(``Decimal``/``int``/``float`` for numbers, ``date``/``datetime``/``time``,
``bool``, ``str``), and raises :class:`FormatMismatch` with what it expected
(and, when it knows, why this value is wrong) when the value does not fit.
A parser that returns ``None`` found no value: the engine treats the cell as
invalid (a cell error, a plain string in ``convert``), never as the text
``"None"``; a value meaning "nothing" belongs in the column's ``null``.
The engine then writes the canonical lexical form of the base datatype and
checks the datatype's constraints (``minimum``, ``maxLength``…), so a
registered format never has to::

    from loaders.csvw.formats import FormatMismatch, register_format

    def belgian_amount(value):
        ...
        raise FormatMismatch("an amount like 1.234,56 or 475 000€")

    register_format("psikg:amount-be", belgian_amount)

Names should start with ``psikg:`` so that they cannot be mistaken for a
pattern. Registration happens when the registering module is imported.
"""

from __future__ import annotations

from collections.abc import Callable

from loaders.table_model import CellValue

FormatParser = Callable[[CellValue], object]
"""A registered format: the cell's value in, the parsed value out (or :class:`FormatMismatch`)."""

_FORMATS: dict[str, FormatParser] = {}


class FormatMismatch(ValueError):  # noqa: N818 - a mismatch is the expected outcome, not a bug
    """A value that does not fit a format; ``expected`` says what would have.

    :param expected: what a fitting value looks like, for the cell error.
    :param reason: why this value does not fit (``its check digits are wrong``),
        when the parser knows; the cell error shows it after ``expected``.
    """

    def __init__(self, expected: str, reason: str | None = None) -> None:
        super().__init__(expected)
        self.expected = expected
        self.reason = reason

    @property
    def explained(self) -> str:
        """``expected``, then the reason when there is one: what the cell error says."""
        return f"{self.expected}: {self.reason}" if self.reason else self.expected


def register_format(name: str, parser: FormatParser) -> None:
    """Make ``name`` usable as a datatype ``format`` in CSVW metadata.

    :param name: the format's name, e.g. ``psikg:amount-be``; re-registering replaces.
    :param parser: see the module docstring.
    """
    _FORMATS[name] = parser


def registered_format(name: object) -> FormatParser | None:
    """The parser registered as ``name``, if ``name`` is a string that names one."""
    return _FORMATS.get(name) if isinstance(name, str) else None
