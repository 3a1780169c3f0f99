"""Dates and times as CSVW reads them: XSD lexical forms and the recommendation's date patterns.

CSVW names a closed set of date and time patterns (``yyyy-MM-dd``,
``M/d/yyyy``, ``HH:mm:ss.S``, ``X``/``XX``/``XXX``/``x``… time zones; tabular
data model, section 6.4.4). Each is compiled here into a regular expression
with named groups, once per column, and a match is checked against the
calendar (``31/02/2024`` is refused) and written in its XSD canonical form.
``datetime.strptime`` cannot do it: it has no time-zone forms like ``XXX``,
accepts one-digit months for ``%m``, and costs more per call.
"""

from __future__ import annotations

import re
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from datetime import timezone
from typing import Literal

_TZ = r"(?P<tz>Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]|[+-]14:00)?"
NATIVE: dict[str, re.Pattern[str]] = {
    "date": re.compile(r"(?P<y>-?[0-9]{4,})-(?P<M>[0-9]{2})-(?P<d>[0-9]{2})" + _TZ),
    "dateTime": re.compile(r"(?P<y>-?[0-9]{4,})-(?P<M>[0-9]{2})-(?P<d>[0-9]{2})T"
                           r"(?P<H>[0-9]{2}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2}(?:\.[0-9]+)?)" + _TZ),
    "time": re.compile(r"(?P<H>[0-9]{2}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2}(?:\.[0-9]+)?)" + _TZ),
    "gDay": re.compile(r"---(?P<d>[0-9]{2})" + _TZ),
    "gMonth": re.compile(r"--(?P<M>[0-9]{2})" + _TZ),
    "gMonthDay": re.compile(r"--(?P<M>[0-9]{2})-(?P<d>[0-9]{2})" + _TZ),
    "gYear": re.compile(r"(?P<y>-?[0-9]{4,})" + _TZ),
    "gYearMonth": re.compile(r"(?P<y>-?[0-9]{4,})-(?P<M>[0-9]{2})" + _TZ),
}
NATIVE["dateTimeStamp"] = NATIVE["dateTime"]

_FIELDS = [
    ("yyyy", r"(?P<y>[0-9]{4})"), ("MM", r"(?P<M>[0-9]{2})"), ("M", r"(?P<M>[0-9]{1,2})"),
    ("dd", r"(?P<d>[0-9]{2})"), ("d", r"(?P<d>[0-9]{1,2})"), ("HH", r"(?P<H>[0-9]{2})"),
    ("mm", r"(?P<m>[0-9]{2})"), ("ss", r"(?P<s>[0-9]{2})"),
    ("XXX", r"(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})"), ("XX", r"(?P<tz>Z|[+-][0-9]{4})"),
    ("X", r"(?P<tz>Z|[+-][0-9]{2}(?:[0-9]{2})?)"),
    ("xxx", r"(?P<tz>[+-][0-9]{2}:[0-9]{2})"), ("xx", r"(?P<tz>[+-][0-9]{4})"),
    ("x", r"(?P<tz>[+-][0-9]{2}(?:[0-9]{2})?)"),
]
DATE_PATTERNS = {"yyyy-MM-dd", "yyyyMMdd", "dd-MM-yyyy", "d-M-yyyy", "MM-dd-yyyy", "M-d-yyyy",
                 "dd/MM/yyyy", "d/M/yyyy", "MM/dd/yyyy", "M/d/yyyy", "dd.MM.yyyy", "d.M.yyyy",
                 "MM.dd.yyyy", "M.d.yyyy"}
TIME_PATTERNS = {"HH:mm:ss", "HHmmss", "HH:mm", "HHmm"}
_TIMEZONES = ("XXX", "XX", "X", "xxx", "xx", "x")


class DatePatternError(ValueError):
    """A date/time format that is not one of the recommendation's patterns."""


def compile_pattern(pattern: str, kind: str) -> re.Pattern[str]:
    """The regular expression for a CSVW date/time pattern of a ``kind`` (date, time, dateTime).

    :raises DatePatternError: if the pattern is not one CSVW defines for ``kind``.
    """
    body, zone = pattern, ""
    for candidate in _TIMEZONES:
        for sep in (" ", ""):
            if body.endswith(sep + candidate) and len(body) > len(sep + candidate):
                body, zone = body[: -len(sep + candidate)], sep + candidate
                break
        if zone:
            break
    fraction = re.search(r"\.(S+)$", body)
    if fraction:
        body = body[: fraction.start()]
    if kind == "date":
        valid = body in DATE_PATTERNS and not fraction
    elif kind == "time":
        valid = body in TIME_PATTERNS and (not fraction or body.endswith("ss"))
    else:
        parts = re.fullmatch(r"(.+?)(T| )(.+)", body)
        valid = parts is not None and parts.group(1) in DATE_PATTERNS and (
            parts.group(3) in TIME_PATTERNS) and (not fraction or body.endswith("ss"))
    if not valid:
        raise DatePatternError(f"{pattern!r} is not a CSVW {kind} pattern")
    regex = _tokens(body)
    if fraction:
        regex += r"\.(?P<S>[0-9]{1," + str(len(fraction.group(1))) + "})"
    if zone:
        regex += re.escape(zone[:1]) if zone.startswith(" ") else ""
        regex += _tokens(zone.strip())
    return re.compile(regex)


def _tokens(text: str) -> str:
    out = []
    position = 0
    while position < len(text):
        for token, regex in _FIELDS:
            if text.startswith(token, position):
                out.append(regex)
                position += len(token)
                break
        else:
            out.append(re.escape(text[position]))
            position += 1
    return "".join(out)


def canonical(match: re.Match[str], kind: str) -> tuple[str, object] | None:
    """The XSD lexical form and a comparable value of a match, or ``None`` if no such day.

    The value is a ``datetime``/``date``/``time`` (aware when a zone was given)
    for ``minimum``/``maximum`` checks.
    """
    groups = match.groupdict()
    zone = _zone(groups.get("tz"))
    if zone is False:
        return None
    tz_text = "" if zone is None else _zone_text(zone)
    try:
        if kind in ("date", "dateTime", "dateTimeStamp"):
            year, month, day = int(groups["y"]), int(groups["M"]), int(groups["d"])
            day_value = date(year, month, day) if 1 <= year <= 9999 else None
            if day_value is None and not (month in range(1, 13) and day in range(1, 32)):
                return None
            date_text = f"{'-' if year < 0 else ''}{abs(year):04d}-{month:02d}-{day:02d}"
            if kind == "date":
                value: object = day_value
                return date_text + tz_text, value
        if kind in ("time", "dateTime", "dateTimeStamp"):
            hour, minute = int(groups["H"]), int(groups["m"])
            second_text = groups.get("s") or "00"
            if groups.get("S"):
                second_text += "." + groups["S"]
            second = float(second_text)
            if hour == 24 and minute == 0 and second == 0:
                hour_value = time(0, 0, 0)
            else:
                hour_value = time(hour, minute, int(second), int(round((second % 1) * 1e6)))
            time_text = f"{hour:02d}:{minute:02d}:{second_text}"
            if kind == "time":
                return time_text + tz_text, hour_value.replace(tzinfo=zone)
            if day_value is None:
                return f"{date_text}T{time_text}{tz_text}", None
            return (f"{date_text}T{time_text}{tz_text}",
                    datetime.combine(day_value, hour_value, tzinfo=zone))
        return _gregorian(groups, kind, tz_text)
    except ValueError:
        return None


def _gregorian(groups: dict[str, str | None], kind: str, tz_text: str) -> tuple[str, object] | None:
    month_text, day_text = groups.get("M"), groups.get("d")
    month = int(month_text) if month_text else None
    day = int(day_text) if day_text else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if month and day:
        date(2000, month, day)
    if kind == "gDay":
        return f"---{day:02d}{tz_text}", day
    if kind == "gMonth":
        return f"--{month:02d}{tz_text}", month
    if kind == "gMonthDay":
        return f"--{month:02d}-{day:02d}{tz_text}", (month, day)
    year = groups["y"] or "0"
    if kind == "gYear":
        return f"{year}{tz_text}", int(year)
    return f"{year}-{month:02d}{tz_text}", (int(year), month)


def _zone(text: str | None) -> timezone | Literal[False] | None:
    """The zone of ``text``, ``None`` without one, ``False`` for an offset past ±14:00."""
    if not text:
        return None
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59 or (hours == 14 and minutes):
        return False
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _zone_text(zone: timezone) -> str:
    offset = zone.utcoffset(None)
    if not offset:
        return "Z"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def typed_value(value: date | datetime | time, kind: str) -> tuple[str, object] | None:
    """A spreadsheet's date/time cell as the lexical form of ``kind``, or ``None`` if it cannot be.

    A date cell fits a date column, a datetime cell a dateTime column (or a
    date column when it falls at midnight, as Excel stores dates).
    """
    if kind == "date":
        if isinstance(value, datetime):
            if value.time() != time(0, 0):
                return None
            value = value.date()
        if isinstance(value, date):
            return value.isoformat(), value
        return None
    if kind in ("dateTime", "dateTimeStamp"):
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time(0, 0))
        if isinstance(value, datetime):
            if kind == "dateTimeStamp" and value.tzinfo is None:
                return None
            text = value.isoformat()
            return (text[:-6] + "Z" if text.endswith("+00:00") else text), value
        return None
    if kind == "time" and isinstance(value, time):
        return value.isoformat(), value
    return None
