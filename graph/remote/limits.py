"""A query's own final ``LIMIT`` and ``OFFSET``, read against an engine's limits: whether an
answer that reached the row cap is whole, and the ``LIMIT`` an engine that sorts only so
many rows can take.

Virtuoso refuses an ``ORDER BY`` whose ``LIMIT`` plus ``OFFSET`` passes its
``MaxSortedTopRows`` (``SR353``, 10,000 by default), though fewer rows may exist: the
canned queries ask one row more than a page, 10,001 when unpaged, to know whether there is
more. Such a query is sent with the ``LIMIT`` the engine takes; if it then fills that
``LIMIT``, the rows past it are unknown, and the answer is an error, not a short one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import StoreError
from graph.sparql_text import blank

_FINAL = re.compile(r"(?:\bLIMIT\s+(\d+)(?:\s+OFFSET\s+(\d+))?|\bOFFSET\s+(\d+)\s+LIMIT\s+(\d+))"
                    r"\s*$", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sent:
    """The query text sent, and the ``LIMIT`` psikg lowered it to (``None``: as written)."""

    text: str
    lowered_to: int | None = None


def final_limit(sparql: str) -> tuple[int, int, int] | None:
    """The query's own final ``LIMIT`` and ``OFFSET`` (0 if none), if it ends with them,
    and where they start in the text."""
    found = _FINAL.search(blank(sparql).rstrip())
    if found is None:
        return None
    if found.group(1) is not None:
        return int(found.group(1)), int(found.group(2) or 0), found.start()
    return int(found.group(4)), int(found.group(3)), found.start()


def within_own_limit(sparql: str, cap: str) -> bool:
    """Whether the query's own final ``LIMIT`` is at most the engine's cap: then an answer
    that reached the cap is whole."""
    found = final_limit(sparql)
    return found is not None and cap.isdigit() and found[0] <= int(cap)


def fit_sorted(sparql: str, max_sorted_rows: int) -> Sent:
    """The query with a ``LIMIT`` the engine can sort to (see the module's docstring).

    :raises StoreError: if its ``OFFSET`` alone is past what the engine sorts.
    """
    found = final_limit(sparql)
    if not max_sorted_rows or found is None or not _ORDER_BY.search(blank(sparql)):
        return Sent(sparql)
    limit, offset, start = found
    if limit + offset <= max_sorted_rows:
        return Sent(sparql)
    if offset >= max_sorted_rows:
        raise StoreError(f"the engine sorts at most {max_sorted_rows} rows: an ORDER BY "
                         f"query cannot start at row {offset + 1} there (Virtuoso: raise "
                         "MaxSortedTopRows)", type="result-truncated")
    lowered = max_sorted_rows - offset
    return Sent(f"{sparql[:start]}LIMIT {lowered} OFFSET {offset}", lowered)


def check_lowered(sent: Sent, rows: int, engine: str) -> None:
    """:raises StoreError: if a lowered ``LIMIT`` was filled (more rows may exist)."""
    if sent.lowered_to is not None and rows >= sent.lowered_to:
        raise StoreError(f"the engine at {engine} sorts at most {sent.lowered_to} rows here "
                         "and the answer has more; page the query with a smaller LIMIT (or "
                         "raise Virtuoso's MaxSortedTopRows)", type="result-truncated")
