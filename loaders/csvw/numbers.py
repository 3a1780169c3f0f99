"""Numbers as CSVW reads them: XSD lexical forms, ``decimalChar``/``groupChar``, LDML patterns.

Written here because psikg checks every cell of a streamed table against
its pattern and reports a mismatch as a value (a :class:`CellError`), which
the ``csvw`` package's parsing API does not offer; ``csvw`` was read, not run
against the W3C suite (loaders/README.md). A pattern is compiled here into one regular
expression plus digit-count checks (UAX #35 number patterns: ``0``, ``#``,
grouping, fraction grouping, ``E``, ``+``, ``-``, ``%``, ``‰``), once per
column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation

INTEGER_RE = re.compile(r"[+-]?[0-9]+")
DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
DOUBLE_RE = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF)|NaN")


class PatternError(ValueError):
    """A number format pattern that is not UAX #35 syntax."""


@dataclass(frozen=True)
class NumberFormat:
    """A column's number format: optional pattern, decimal and group characters."""

    pattern: str | None = None
    decimal_char: str = "."
    group_char: str | None = None

    def compile(self) -> _Compiled:
        return _Compiled(self)


class _Compiled:
    """A number format ready to parse cells: ``parse(text) -> normalised text``."""

    def __init__(self, fmt: NumberFormat) -> None:
        self.fmt = fmt
        self.checks: _PatternChecks | None = (
            _PatternChecks(fmt.pattern, fmt.decimal_char, fmt.group_char or ",")
            if fmt.pattern else None)

    def parse(self, text: str, kind: str) -> str | None:
        """The XSD lexical form of ``text`` for ``kind`` (integer, decimal, double), or None.

        Percent and per-mille values are divided by 100 and 1000.
        """
        if self.checks is not None and not self.checks.matches(text):
            return None
        scale = 0
        if text.endswith("%") or text.startswith("%"):
            scale, text = 2, text.replace("%", "", 1)
        elif text.endswith("‰") or text.startswith("‰"):
            scale, text = 3, text.replace("‰", "", 1)
        group = self.fmt.group_char or ("," if self.checks else None)
        if group:
            if group + group in text:
                return None
            text = text.replace(group, "")
        if self.fmt.decimal_char != ".":
            if "." in text:
                return None
            text = text.replace(self.fmt.decimal_char, ".")
        if kind == "double":
            if not DOUBLE_RE.fullmatch(text):
                return None
        elif kind == "integer":
            if not INTEGER_RE.fullmatch(text) and not (scale and DECIMAL_RE.fullmatch(text)):
                return None
        elif not DECIMAL_RE.fullmatch(text):
            return None
        if scale:
            try:
                value = Decimal(text).scaleb(-scale)
            except InvalidOperation:
                return None
            text = format(value, "f")
            if kind == "integer":
                if value != value.to_integral_value():
                    return None
                text = str(int(value))
        return text


class _PatternChecks:
    """A UAX #35 pattern as a regular expression and the digit counts it requires."""

    def __init__(self, pattern: str, decimal: str, group: str) -> None:
        positive = pattern.split(";")[0]
        match = re.fullmatch(r"([^#0,.E]*?)([#0" + re.escape(group) + r"]*)"
                             r"(?:" + re.escape(decimal) + r"([#0" + re.escape(group) + r"]*))?"
                             r"(E[+-]?0+)?([^#0]*)", positive)
        if not match or not match.group(2) and not match.group(3):
            raise PatternError(f"not a number pattern: {pattern!r}")
        prefix, integer, fraction, exponent, suffix = match.groups()
        if any(char in "#0" for char in prefix + suffix) or "'" in prefix + suffix:
            raise PatternError(f"not a number pattern: {pattern!r}")
        if re.search(r"0#", integer.replace(group, "")) or (
                fraction and re.search(r"#0", fraction.replace(group, ""))):
            raise PatternError(f"misplaced 0 or # in number pattern {pattern!r}")
        self.min_integer = integer.count("0")
        groups = integer.split(group)
        self.primary = len(groups[-1]) if len(groups) > 1 else 0
        self.secondary = len(groups[-2]) if len(groups) > 2 else self.primary
        fraction = fraction or ""
        self.has_fraction = match.group(3) is not None
        self.min_fraction = fraction.count("0")
        self.max_fraction = fraction.count("0") + fraction.count("#")
        self.fraction_group = len(fraction.split(group)[0]) if group in fraction else 0
        self.exponent = exponent
        self.group = group
        self.decimal = decimal
        sign = r"[+-]?"
        affix = {"%": "%", "‰": "‰", "+": r"\+", "-": "-"}
        self.regex = re.compile(
            "".join(affix.get(c, re.escape(c)) for c in prefix) + sign
            + r"(?P<int>[0-9" + re.escape(group) + r"]*)"
            + r"(?:" + re.escape(decimal) + r"(?P<frac>[0-9" + re.escape(group) + r"]*))?"
            + (r"(?P<exp>E[+-]?[0-9]+)" if exponent else "")
            + "".join(affix.get(c, re.escape(c)) for c in suffix))

    def matches(self, text: str) -> bool:
        match = self.regex.fullmatch(text)
        if not match:
            return False
        integer, fraction = match.group("int"), match.group("frac")
        if not self._integer_ok(integer):
            return False
        if fraction is None:
            return self.min_fraction == 0
        if not self.has_fraction:
            return False
        return self._fraction_ok(fraction)

    def _integer_ok(self, integer: str) -> bool:
        digits = integer.replace(self.group, "")
        if len(digits) < max(self.min_integer, 1 if not self.has_fraction else 0):
            return False
        if not self.primary:
            return self.group not in integer
        groups = integer.split(self.group)
        if len(groups) == 1:
            return len(digits) <= self.primary
        if len(groups[-1]) != self.primary:
            return False
        middle, first = groups[1:-1], groups[0]
        return (all(len(g) == self.secondary for g in middle)
                and 1 <= len(first) <= self.secondary)

    def _fraction_ok(self, fraction: str) -> bool:
        digits = fraction.replace(self.group, "")
        if not self.min_fraction <= len(digits) <= self.max_fraction:
            return False
        if not self.fraction_group:
            return self.group not in fraction
        groups = fraction.split(self.group)
        return (all(len(g) == self.fraction_group for g in groups[:-1])
                and 1 <= len(groups[-1]) <= self.fraction_group)
