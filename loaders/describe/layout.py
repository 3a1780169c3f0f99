"""Where the table is in a file: title rows, the header row, total and section rows.

Registries kept in Excel put a title and a date above the header, headings of sections
(priority axes, departments) among the rows, and subtotals and a grand total below them.
:func:`find_layout` reads the file's rows as they are (nothing taken as header) and finds:

- the **header**: the first row whose filled cells are all text and number at least half of
  the widest row near the top (title rows fill one or two cells);
- **total rows**: a row with a cell starting with *Total*, *Sous-total*, *Totaal*,
  *Gesamt*… that fills fewer cells than the rows around it; and **unlabelled totals**: a row
  of numbers only, where rows hold text, that starts with empty cells no data row starts with;
- **section rows**: a row with a single text cell where rows fill three or more.

Each becomes a ``psikg:`` dialect key (:mod:`loaders.csvw.dialect`) whose pattern matches
those rows and no data row: ``psikg:headerRowPattern`` from the header's first titles
(``skipRows`` if titles repeat above it), ``psikg:skipRowPatterns`` for the rest. The
patterns are checked on the rows here; :mod:`loaders.describe.draft` then reads the file
again with them, through the real reader, and checks it finds the same header and rows.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from dataclasses import field

from graph.errors import InputError
from loaders.csvw.dialect import HEADER_ROW_PATTERN
from loaders.csvw.dialect import SKIP_ROW_PATTERNS
from loaders.csvw.dialect import row_text
from loaders.describe.guess import empty
from loaders.excel import normalise_title
from loaders.table_model import Cell
from loaders.table_model import Row

HEAD_ROWS = 40
"""How many rows from the top the header is looked for in."""
TOTAL_WORDS = (r"(?:sous-?\s*total|subtotaal|sub-?\s*total|grand\s+total|total|totaal|"
               r"totaux|totalen|gesamt|summe)")
_TOTAL = re.compile(TOTAL_WORDS + r"\b", re.IGNORECASE)
SECTION_PATTERN = r"^\t*[^\t]+$"
"""A row whose only filled cell is one text: a section heading."""


@dataclass(frozen=True)
class Skipped:
    """A row left out of the data: its place in the file, why, and its text."""

    source_row: int
    kind: str
    text: str


@dataclass
class Layout:
    """Where the table is in the rows of a file or sheet."""

    header_index: int
    header: list[str]
    title_rows: list[str] = field(default_factory=list)
    header_pattern: str | None = None
    skipped: list[Skipped] = field(default_factory=list)
    skip_patterns: list[str] = field(default_factory=list)
    data_rows: int = 0

    @property
    def header_row(self) -> int:
        """The header's row in the file (1-based, a line or a sheet row)."""
        return self.header_index + 1

    def dialect(self) -> dict[str, object]:
        """The dialect keys that read the table from the file."""
        keys: dict[str, object] = {"skipBlankRows": True}
        if self.header_pattern is not None:
            keys[HEADER_ROW_PATTERN] = self.header_pattern
        elif self.header_index:
            keys["skipRows"] = self.header_index
        if self.skip_patterns:
            keys[SKIP_ROW_PATTERNS] = list(self.skip_patterns)
        return keys


def filled(cell: Cell) -> bool:
    """Whether a cell holds something (an error cell does)."""
    return cell.error is not None or not empty(cell.value)


def _is_text(cell: Cell) -> bool:
    return cell.error is None and isinstance(cell.value, str)


def text_of(row: Row) -> str:
    """A row's text as the reader matches patterns against it."""
    return row_text(cell.error if cell.error is not None else cell.value for cell in row.cells)


def find_layout(rows: list[Row], label: str) -> Layout:
    """The layout of a file or sheet read without a header.

    :raises InputError: ``header-not-found`` if no row near the top looks like a header.
    """
    index = find_header(rows, label)
    header = [normalise_title(cell.text) for cell in rows[index].cells]
    while header and not header[-1]:
        header.pop()
    layout = Layout(index, header,
                    [text for row in rows[:index] if (text := text_of(row))])
    layout.header_pattern = header_pattern(rows, index)
    data = [row for row in rows[index + 1:] if any(filled(c) for c in row.cells)]
    skipped = _skipped_rows(data, len(header))
    layout.skipped = skipped
    layout.skip_patterns = _skip_patterns(data, skipped)
    layout.data_rows = len(data) - len(skipped)
    return layout


def find_header(rows: list[Row], label: str) -> int:
    """The index of the header: the first all-text row at least half as wide as the widest.

    :raises InputError: ``header-not-found`` if there is none.
    """
    head = rows[:HEAD_ROWS]
    widths = [sum(1 for c in row.cells if filled(c)) for row in head]
    widest = max(widths, default=0)
    if widest == 1:
        return next(i for i, width in enumerate(widths) if width)
    needed = max(2, math.ceil(widest / 2))
    for index, row in enumerate(head):
        cells = [c for c in row.cells if filled(c)]
        texts = [c.text.strip() for c in cells]
        if (len(cells) >= needed and all(_is_text(c) for c in cells)
                and len(set(texts)) == len(texts) and not all(_numeric(t) for t in texts)):
            return index
    raise InputError(
        f"{label}: no header row found in the first {len(head)} rows (a row of column "
        "titles, all text); is this a table?", type="header-not-found", file=label,
        expected="a header row of column titles")


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d.,\s]+", text))


def header_pattern(rows: list[Row], index: int) -> str | None:
    """A pattern that matches the header row and no row above it; ``None`` if no row is
    above it, or if one reads the same (then ``skipRows`` says where it is)."""
    if index == 0:
        return None
    cells = rows[index].cells
    first = next(i for i, c in enumerate(cells) if filled(c))
    target = text_of(rows[index])
    above = [text_of(row) for row in rows[:index]]
    parts = ["^" + "\\t" * first]
    taken = 0
    for position in range(first, len(cells)):
        if position > first:
            parts.append("\\t")
        if filled(cells[position]):
            parts.append(_start_of(cells[position].text))
            taken += 1
        pattern = "".join(parts)
        if taken >= 2 or position == len(cells) - 1:
            compiled = re.compile(pattern)
            if compiled.search(target) and not any(compiled.search(t) for t in above):
                return pattern
    return None


def _start_of(title: str) -> str:
    """The start of a title as a pattern: its first word, then anything up to the next cell.

    >>> _start_of("Montant_x000D_\\n(€)"), _start_of("N° de dossier")
    ('Montant[^\\\\t]*', 'N°[^\\\\t]*')
    """
    word = re.split(r"[\s_]", normalise_title(title), maxsplit=1)[0]
    return re.escape(word) + "[^\\t]*"


def _skipped_rows(data: list[Row], width: int) -> list[Skipped]:
    """The total and section rows among the rows below the header."""
    counts = [sum(1 for c in row.cells if filled(c)) for row in data]
    typical = statistics.median(counts) if counts else 0
    texty = statistics.median([sum(1 for c in row.cells if _is_text(c)) for row in data]
                              ) if data else 0
    found = []
    for row, count in zip(data, counts, strict=True):
        cells = [c for c in row.cells if filled(c)]
        labels = [c for c in cells if _is_text(c) and _TOTAL.match(c.text.strip())]
        if labels and count < typical:
            found.append(Skipped(row.source_number, "total", text_of(row)))
        elif (texty >= 1 and count < typical and cells
              and not any(_is_text(c) for c in cells) and not filled(row.cells[0])):
            found.append(Skipped(row.source_number, "unlabelled total", text_of(row)))
        elif typical >= 3 and count == 1 and _is_text(cells[0]):
            found.append(Skipped(row.source_number, "section", text_of(row)))
    return found


def _skip_patterns(data: list[Row], skipped: list[Skipped]) -> list[str]:
    """Patterns matching the skipped rows; a kind is dropped if its pattern would match a
    data row (its rows then stay, and the summary lists them)."""
    kept = [text_of(row) for row in data
            if row.source_number not in {s.source_row for s in skipped}]
    patterns: list[str] = []
    for kind in ("total", "unlabelled total", "section"):
        rows = [s for s in skipped if s.kind == kind]
        if not rows:
            continue
        candidates = _patterns_for(kind, rows)
        if all(any(re.search(p, s.text) for p in candidates) for s in rows) and not any(
                re.search(p, text) for p in candidates for text in kept):
            patterns += [p for p in candidates if p not in patterns]
        else:
            skipped[:] = [s for s in skipped if s.kind != kind]
    return patterns


def _patterns_for(kind: str, rows: list[Skipped]) -> list[str]:
    if kind == "section":
        return [SECTION_PATTERN]
    if kind == "unlabelled total":
        leading = {len(s.text) - len(s.text.lstrip("\t")) for s in rows}
        return ["^" + "\\t" * n + "(?!\\t)" for n in sorted(leading)]
    columns = set()
    for s in rows:
        cells = s.text.split("\t")
        columns |= {i for i, c in enumerate(cells) if _TOTAL.match(c.strip())}
    return [(f"^(?:[^\\t]*\\t){{{i}}}" if i else "^") + "(?i:" + TOTAL_WORDS + ")\\b"
            for i in sorted(columns)]
