"""The ``psikg:todo`` annotations a metadata file still holds, for ``psikg load`` to print.

``psikg describe`` marks what a person must decide (the budget year, the granting body, a
key) with ``"psikg:todo": "…"`` on the column or the table schema, beside a placeholder
that loads. The load goes ahead, and says, one line per TODO, that the metadata is still a
draft until they are removed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TODO = "psikg:todo"


def todos_in(metadata: Path) -> list[str]:
    """One line per TODO of ``metadata``: the file, where, and the text.

    A file that cannot be read or is not JSON has none here: the load reports it.
    """
    try:
        document = json.loads(metadata.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    lines: list[str] = []
    tables = document.get("tables") if isinstance(document, dict) else None
    for table in tables if isinstance(tables, list) else [document]:
        if isinstance(table, dict):
            lines += _of_table(table, metadata.name)
    return lines


def _of_table(table: dict[str, Any], name: str) -> list[str]:
    lines = [f"{name}: TODO: {text}" for text in _texts(table.get(TODO))]
    schema = table.get("tableSchema")
    if not isinstance(schema, dict):
        return lines
    lines += [f"{name}: TODO: {text}" for text in _texts(schema.get(TODO))]
    for column in schema.get("columns") or []:
        if isinstance(column, dict):
            lines += [f"{name}: TODO (column {column.get('name')!r}): {text}"
                      for text in _texts(column.get(TODO))]
    return lines


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, str)]
    return []
