"""The data of a canned query's chart: what the page's script hands to Chart.js.

It is computed here, from the page of rows and the header's ``chart:``, and sent in the
page's JSON twin (``psikg.chart``), so that what the chart shows can be read and tested
without a browser; ``endpoint/static/queries.js`` only draws it.

- ``x`` gives the labels along the axis: an IRI by its name (as the table shows it), a
  literal as its text.
- With ``series``, there is one dataset per value of that column, for the first ``y``
  column; series whose column holds numbers (years) come in numeric order, others in the
  order they first appear. Without it, one dataset per ``y`` column.
- Rows with the same ``x`` (and series value) are added up only when the header asks for
  it (``aggregate: sum``, or ``count`` to count rows); otherwise each row is a point of
  its own and a repeated ``x`` is drawn again beside the first.
- A cell that is not a number (``"#DIV/0!"``, an unbound cell) is no point (``None``),
  never a zero.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from graph.canned.display import default_kind
from graph.canned.downloads import number_of
from graph.canned.model import Chart
from graph.canned.run import Cell
from graph.canned.run import Result

NUMERIC_KINDS = {"amount", "percent", "count", "year", "number"}


def chart_data(chart: Chart, result: Result, names: Mapping[str, str],
               titles: Mapping[str, str], kinds: Mapping[str, str]) -> dict[str, Any] | None:
    """The chart of one page of rows, or ``None`` for a query without one.

    :param names: what the table shows for each IRI (:func:`graph.labels.names`).
    :param titles: column titles in the page's language, by variable.
    :param kinds: the columns' kinds the header declares, by variable.
    :returns: ``type``, ``x_title``, ``y_title``, ``labels`` (along x) and ``datasets``
        (each a ``label`` and its ``data``, one number or ``None`` per label).
    """
    if chart.type == "none" or chart.x is None or not chart.y:
        return None
    column = {name: index for index, name in enumerate(result.variables)}
    x_at = column[chart.x]
    series_at = column[chart.series] if chart.series is not None else None
    keys = _series_keys(result.rows, series_at, chart, kinds, names, titles)
    points: dict[tuple[str, int], dict[str, Decimal | None]] = {}
    by_x: dict[str, list[tuple[str, int]]] = {}  # a repeated x goes beside the first
    text: dict[str, str] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for row in result.rows:
        x = _key(row[x_at])
        series = _key(row[series_at]) if series_at is not None else ""
        repeat = 0 if chart.aggregate else seen[(x, series)]
        seen[(x, series)] += 1
        if (x, repeat) not in points:
            points[(x, repeat)] = {}
            by_x.setdefault(x, []).append((x, repeat))
            text[x] = _text(row[x_at], names)
        point = points[(x, repeat)]
        targets = ([(series, column[chart.y[0]])] if series_at is not None
                   else [(y, column[y]) for y in chart.y])
        for key, at in targets:
            point[key] = _combine(chart.aggregate, point.get(key), row[at])
    slots = [slot for group in by_x.values() for slot in group]
    labels = [text[x] for x, _ in slots]
    datasets = [{"label": label, "data": [_float(points[slot].get(key)) for slot in slots]}
                for key, label in keys.items()]
    return {"type": chart.type,
            "x_title": titles.get(chart.x, chart.x),
            "y_title": ", ".join(titles.get(y, y) for y in chart.y),
            "aggregate": chart.aggregate,
            "labels": labels, "datasets": datasets}


def _series_keys(rows: list[tuple[Cell, ...]], series_at: int | None, chart: Chart,
                 kinds: Mapping[str, str], names: Mapping[str, str],
                 titles: Mapping[str, str]) -> dict[str, str]:
    """The datasets, in the order they are drawn: their key and their label."""
    if series_at is None:
        return {y: titles.get(y, y) for y in chart.y}
    cells = list({_key(row[series_at]): row[series_at] for row in rows}.values())
    assert chart.series is not None
    kind = kinds.get(chart.series) or next(
        (default_kind(c.datatype.value) for c in cells if isinstance(c, ox.Literal)), "text")
    numbers = [number_of(c) for c in cells]
    if kind in NUMERIC_KINDS and all(n is not None for n in numbers):
        cells = [c for _, c in sorted(zip(numbers, cells, strict=True),
                                      key=lambda pair: pair[0] or 0)]
    return {_key(c): _text(c, names) for c in cells}


def _combine(aggregate: str | None, before: Decimal | None, cell: Cell) -> Decimal | None:
    if aggregate == "count":
        return (before or Decimal(0)) + (1 if cell is not None else 0)
    value = number_of(cell)  # "#DIV/0!" and other text: no point
    if aggregate == "sum" and before is not None:
        return before if value is None else before + value
    return value


def _key(cell: Cell) -> str:
    """A cell's identity: two IRIs with the same label are two points, one IRI is one."""
    return "" if cell is None else str(cell)


def _text(cell: Cell, names: Mapping[str, str]) -> str:
    if cell is None:
        return ""
    if isinstance(cell, ox.NamedNode):
        return names.get(cell.value, cell.value)
    return cell.value


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
