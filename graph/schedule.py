"""When a scheduled run is due: an interval (``every = "6h"``) or a cron line
(``cron = "0 3 * * *"``), as a value.

``harvest.toml`` declares a source's schedule (read by :mod:`loaders.harvest.config`) and
the scheduler inside ``psikg serve`` (:mod:`endpoint.scheduler`) asks it for the next run;
both build on this module, which lives in ``graph`` because neither may import the other.
Cron lines are read by croniter (the five fields of cron, and the ``@daily`` shorthands),
in UTC, so that a schedule means the same on every server whatever its time zone.

The next run follows from the last one, so that a restart keeps the rhythm: an interval
counts from the start of the last run; a cron line gives its first time after the last
run's start. Either may already be past (the server was down, or a run lasted longer than
its interval): the run is then due at once, and only once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from croniter import croniter

from graph.errors import UsageError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_EVERY = re.compile(r"(?:\d+(?:\.\d+)?[smhdw])+")


@dataclass(frozen=True)
class Schedule:
    """An interval in seconds, or a cron line (exactly one of them)."""

    every_s: float | None = None
    cron: str | None = None

    def text(self) -> str:
        """How the schedule reads on the admin page.

        >>> Schedule(every_s=21600).text(), Schedule(cron="0 3 * * *").text()
        ('every 6h', 'cron 0 3 * * *')
        """
        if self.cron is not None:
            return f"cron {self.cron}"
        return f"every {duration_text(self.every_s or 0)}"

    def next_run(self, last_start: datetime | None, now: datetime) -> datetime:
        """When the next run is due, given the start of the last one (``None``: never ran).

        A source that never ran on an interval is due at once; on a cron line, at the
        line's next time.

        >>> t = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
        >>> Schedule(every_s=3600).next_run(t, t).isoformat()
        '2026-01-01T13:00:00+00:00'
        >>> Schedule(cron="0 3 * * *").next_run(None, t).isoformat()
        '2026-01-02T03:00:00+00:00'
        """
        if self.cron is not None:
            after = last_start or now
            found: datetime = croniter(self.cron, after.astimezone(UTC)).get_next(datetime)
            return found
        if last_start is None:
            return now
        return last_start + timedelta(seconds=self.every_s or 0)


def parse_every(text: str) -> float:
    """Seconds in an interval such as ``90s``, ``15m``, ``6h``, ``1d``, ``1h30m``.

    >>> parse_every("6h"), parse_every("1h30m"), parse_every("0.5s")
    (21600.0, 5400.0, 0.5)

    :raises ValueError: if ``text`` is not an interval, or is zero.
    """
    compact = text.replace(" ", "").lower()
    if not _EVERY.fullmatch(compact):
        raise ValueError(f"{text!r} is not an interval")
    seconds = sum(float(number) * _UNITS[unit]
                  for number, unit in re.findall(r"(\d+(?:\.\d+)?)([smhdw])", compact))
    if seconds <= 0:
        raise ValueError(f"{text!r} is no time at all")
    return seconds


def duration_text(seconds: float) -> str:
    """An interval as :func:`parse_every` reads it.

    >>> duration_text(21600), duration_text(5400), duration_text(2.5)
    ('6h', '1h30m', '2.5s')
    """
    parts: list[str] = []
    left = seconds
    for unit, size in sorted(_UNITS.items(), key=lambda item: -item[1]):
        if unit == "w":
            continue
        if left >= size and (unit != "s" or left.is_integer()):
            count = int(left // size)
            parts.append(f"{count}{unit}")
            left -= count * size
    if left:
        parts.append(f"{left:g}s")
    return "".join(parts) or "0s"


def schedule_from(every: object, cron: object, where: str) -> Schedule | None:
    """The schedule of a config entry's ``every`` and ``cron`` keys; ``None`` if neither.

    :param where: the file and entry, for the error.
    :raises UsageError: if both are given, or one cannot be read.
    """
    if every is None and cron is None:
        return None
    if every is not None and cron is not None:
        raise UsageError("give `every` or `cron`, not both", type="invalid-schedule",
                         file=where, value=f"every = {every!r}, cron = {cron!r}")
    if every is not None:
        try:
            return Schedule(every_s=parse_every(str(every)))
        except ValueError as error:
            raise UsageError(f"bad `every`: {error}", type="invalid-schedule", file=where,
                             value=str(every), expected='an interval such as "6h", '
                             '"30m", "1d" or "1h30m"') from None
    line = " ".join(str(cron).split())
    if not croniter.is_valid(line):
        raise UsageError(f"bad `cron`: {line!r} is not a cron line", type="invalid-schedule",
                         file=where, value=line, expected='five fields, minute hour day '
                         'month weekday, e.g. "0 3 * * *" (03:00 UTC every day)')
    return Schedule(cron=line)
