"""The few lines ``psikg describe`` prints beside its draft: what it found, what to decide."""

from __future__ import annotations

from loaders.describe.draft import Draft
from loaders.describe.layout import Layout

MAX_LISTED = 5


def summary_lines(draft: Draft) -> list[str]:
    """What was found (the table, its columns), what does not fit, and the TODOs."""
    scan = draft.scan
    lines = [f"{scan.label}: {_where(scan.layout)}; {scan.rows} data rows"
             + _skips(scan.layout)]
    if scan.other_sheets:
        lines.append(f"  other sheets: {', '.join(repr(s) for s in scan.other_sheets)} "
                     "(--sheet NAME describes one of them)")
    if scan.source.encoding is not None:
        lines.append(f"  encoding {scan.source.encoding.name} ({scan.source.encoding.how}; "
                     f"psikg load detects it again), delimiter {scan.source.delimiter!r}")
    if draft.register is not None:
        mapped = sum(1 for c in draft.columns if c.field is not None)
        lines.append(f"register {draft.register.name}: {mapped} of {len(draft.columns)} "
                     "columns recognised")
    for column in draft.columns:
        target = (f"{column.field} <{column.property}>" if column.field and column.property
                  else f"{column.field} (read, not written)" if column.field
                  else f"<{column.property}>")
        line = f"  {column.title!r} -> {target}: {column.guess.label}"
        if column.key:
            line += ", unique: the key"
        if column.guess.bad:
            line += (f"; {column.guess.bad} cell(s) do not fit (first: "
                     f"{', '.join(column.guess.invalid[:2])}): psikg load refuses their rows, "
                     "or leaves optional cells empty with --on-error blank")
        lines.append(line)
    lines += [f"  {note}" for note in scan.notes + draft.notes]
    lines += [f"TODO: {todo}" for todo in draft.todos]
    if not draft.todos:
        lines.append("nothing to decide: the draft loads as it is")
    return lines


def _where(layout: Layout) -> str:
    if not layout.header_index:
        return "header on row 1"
    titles = len(layout.title_rows)
    return (f"header on row {layout.header_row}, below {titles} title row(s)" if titles
            else f"header on row {layout.header_row}")


def _skips(layout: Layout) -> str:
    if not layout.skipped:
        return ""
    kinds: dict[str, list[int]] = {}
    for row in layout.skipped:
        kinds.setdefault(row.kind, []).append(row.source_row)
    parts = []
    for kind, rows in kinds.items():
        listed = ", ".join(map(str, rows[:MAX_LISTED])) + ("…" if len(rows) > MAX_LISTED else "")
        parts.append(f"{len(rows)} {kind} row(s) skipped (rows {listed})")
    return "; " + "; ".join(parts)
