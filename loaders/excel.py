"""Spreadsheets (``.xlsx``, ``.xls``, ``.ods``) as :class:`~loaders.table_model.RawTable` rows.

python-calamine reads the cells, keeping their types: a date cell is a
``date``, a number a ``float`` or ``int``. This module adds what registries
kept in Excel need and calamine does not do:

- **finding the table**: a sheet by name or position; the header row below
  any title rows, found by ``psikg:headerRowPattern``; rows to skip (totals,
  subtotals, section titles) matched by ``psikg:skipRowPatterns``, never by a
  fixed line number; blank rows under ``skipBlankRows``. The keys mean what
  they mean for CSV (:mod:`loaders.csvw.dialect`), so one metadata file
  describes a registry kept as ``.csv`` or ``.xlsx`` (:class:`SheetOptions`);
- **normalising header titles**: merged header cells are filled across
  their range, and ``_x000D_`` escapes, newlines and trailing spaces are
  folded so that ``"Montant\\n(€) "`` matches the metadata's ``"Montant (€)"``;
- **error cells**: calamine reads ``#REF!`` as an empty string
  (python-calamine issue #105), which would turn a broken formula into a
  silently missing value. For ``.xlsx`` the sheet's XML is scanned for error
  cells (``t="e"``) and they come back as cells with ``error`` set; a text
  cell holding exactly an error literal (what ``.ods`` and CSV exports carry)
  is taken as an error cell too. Legacy ``.xls`` errors stay unseen;
- **hostile files**: an ``.xlsx``/``.ods`` is a zip, and its directory is
  checked before calamine opens it (:func:`check_zip`): a zip bomb is
  refused by its declared sizes; a cell over :data:`MAX_CELL_CHARS` is
  refused by size.

Cell text is never evaluated: a cell holding ``=1+1`` as text stays the text
``=1+1``. Formula cells give the value Excel last computed.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlparse

from python_calamine import CalamineError
from python_calamine import CalamineSheet
from python_calamine import CalamineWorkbook

from graph.errors import InputError
from loaders.csvw.dialect import SHEET
from loaders.csvw.dialect import RowPatterns
from loaders.csvw.dialect import normalise_dialect
from loaders.csvw.dialect import row_text
from loaders.csvw.readers import register_reader
from loaders.excel_xml import error_cells
from loaders.table_model import Cell
from loaders.table_model import CellValue
from loaders.table_model import RawTable
from loaders.table_model import Row

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
"""File extensions this reader takes."""
MAX_UNCOMPRESSED_BYTES = 1 << 30
"""A workbook whose zip members add up to more than 1 GiB uncompressed is refused."""
MAX_RATIO = 200
"""A zip member larger than :data:`RATIO_FLOOR_BYTES` that expands more than this is a bomb;
the XML of real sheets expands 5 to 30 times."""
RATIO_FLOOR_BYTES = 16 << 20
MAX_CELL_CHARS = 1_000_000
"""A cell longer than this is refused (Excel itself stops at 32,767 characters)."""
ERROR_LITERALS = frozenset({"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                            "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!"})

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SPACE_RUN = re.compile(r"\s+")


@dataclass(frozen=True)
class SheetOptions:
    """Where the table is in a workbook, from the CSVW dialect and psikg's keys.

    ``skipRows`` rows are dropped; then rows are title rows until one matches
    ``psikg:headerRowPattern`` (if given); then come ``headerRowCount`` header
    rows. Data rows whose text (:func:`~loaders.csvw.dialect.row_text`) matches
    a ``psikg:skipRowPatterns`` pattern are skipped, blank rows too under
    ``skipBlankRows``; both are kept as comments. ``psikg:sheet`` is a sheet name
    or position (1 for the first).
    """

    sheet: str | int = 1
    skip_rows: int = 0
    header_row_count: int = 1
    skip_columns: int = 0
    skip_blank_rows: bool = False
    patterns: RowPatterns = RowPatterns(None, ())

    @classmethod
    def from_dialect(cls, dialect: Mapping[str, object], label: str) -> SheetOptions:
        """Options from a dialect (CSVW defaults filled in where missing).

        :raises InputError: ``invalid-dialect`` if a key has the wrong kind of value.
        """
        full = normalise_dialect(dialect) if "headerRowCount" not in dialect else dict(dialect)
        sheet = full.get(SHEET, 1)
        if not isinstance(sheet, str | int) or isinstance(sheet, bool):
            raise _dialect_error(SHEET, sheet, "a sheet name, or its position from 1", label)
        counts: dict[str, int] = {}
        for key in ("skipRows", "headerRowCount", "skipColumns"):
            value = full.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise _dialect_error(key, value, "a number of rows or columns, 0 or more", label)
            counts[key] = value
        return cls(sheet, counts["skipRows"], counts["headerRowCount"], counts["skipColumns"],
                   bool(full.get("skipBlankRows")), RowPatterns.of(full, label))


def _dialect_error(key: str, value: object, expected: str, label: str) -> InputError:
    return InputError(f"dialect key {key!r} has {value!r}; it takes {expected}; fix it in the "
                      "CSVW metadata", type="invalid-dialect", file=label,
                      value=str(value), expected=expected)


def read_excel(location: str, dialect: Mapping[str, object]) -> RawTable:
    """Read one sheet of a spreadsheet as a :class:`RawTable` (the table-reader interface).

    :param location: a path or ``file:`` URL of an ``.xlsx``, ``.xls`` or ``.ods`` file.
    :param dialect: the CSVW dialect, with psikg's sheet keys.
    :raises InputError: if the file is missing, empty, not a spreadsheet, a zip bomb, has
        no such sheet, or a cell too large.
    """
    path = _path_of(location)
    options = SheetOptions.from_dialect(dialect, path.name)
    if not path.is_file():
        raise InputError(f"no such file: {path}", type="missing-file", file=str(path))
    if path.stat().st_size == 0:
        raise InputError(f"{path.name} is empty (0 bytes); export the registry again",
                         type="empty-file", file=str(path))
    if zipfile.is_zipfile(path):
        check_zip(path)
    elif path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        raise _not_a_spreadsheet(path, "it is not a zip archive")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = _sheet(workbook, options.sheet, path)
        grid = sheet.to_python(skip_empty_area=False)
    except CalamineError as error:
        raise _not_a_spreadsheet(path, str(error)) from None
    label = f"{path.name} (sheet {sheet.name!r})"
    errors = error_cells(path, sheet.name) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
    return _table(path, sheet, grid, errors, options, label)


def _path_of(location: str) -> Path:
    if location.startswith("file:"):
        return Path(unquote(urlparse(location).path))
    if "://" in location:
        raise InputError(f"{location}: spreadsheets are read from local files; download it first",
                         type="remote-spreadsheet", file=location)
    return Path(location)


def _not_a_spreadsheet(path: Path, why: str) -> InputError:
    return InputError(f"{path.name} is not a readable spreadsheet ({why}); save it as .xlsx, "
                      ".xls or .ods, or give a CSV", type="not-a-spreadsheet", file=str(path),
                      expected="an .xlsx, .xls or .ods workbook")


def check_zip(path: Path, max_bytes: int = MAX_UNCOMPRESSED_BYTES,
              max_ratio: int = MAX_RATIO) -> None:
    """Refuse a zip whose directory declares too much data, before anything inflates it.

    :raises InputError: ``zip-bomb`` if the members add up to more than ``max_bytes``
        or one large member expands more than ``max_ratio`` times; ``not-a-spreadsheet``
        if the directory cannot be read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise _not_a_spreadsheet(path, f"broken zip: {error}") from None
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        raise InputError(
            f"{path.name} would expand to {total:,} bytes, over the limit of {max_bytes:,}: "
            "refused as a possible zip bomb; split the workbook", type="zip-bomb",
            file=str(path), value=f"{total} bytes", expected=f"at most {max_bytes} bytes")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > max_ratio:
            raise InputError(
                f"{path.name}: {member.filename} expands {ratio:,.0f} times "
                f"({member.compress_size:,} to {member.file_size:,} bytes): refused as a "
                "possible zip bomb", type="zip-bomb", file=str(path), value=member.filename,
                expected=f"members that expand at most {max_ratio} times")


def _sheet(workbook: CalamineWorkbook, sheet: str | int, path: Path) -> CalamineSheet:
    names = workbook.sheet_names
    if isinstance(sheet, int):
        if not 1 <= sheet <= len(names):
            raise InputError(
                f"{path.name} has {len(names)} sheet(s) ({', '.join(names)}); there is no "
                f"sheet {sheet}; set psikg:sheet to a name, or a position from 1",
                type="unknown-sheet", file=str(path), value=str(sheet))
        return workbook.get_sheet_by_index(sheet - 1)
    if sheet not in names:
        folded = {normalise_title(n).casefold(): n for n in names}
        if normalise_title(sheet).casefold() not in folded:
            raise InputError(f"{path.name} has no sheet {sheet!r}; found: {', '.join(names)}; "
                             "check psikg:sheet in the CSVW dialect", type="unknown-sheet",
                             file=str(path), value=sheet, expected=", ".join(names))
        sheet = folded[normalise_title(sheet).casefold()]
    return workbook.get_sheet_by_name(sheet)


def normalise_title(text: str) -> str:
    """A header title as the metadata would write it: escapes decoded, whitespace folded.

    >>> normalise_title("Montant_x000D_\\n(€) ")
    'Montant (€)'
    """
    return _SPACE_RUN.sub(" ", _decode_escapes(text)).strip()


def _decode_escapes(text: str) -> str:
    """Decode the ``_xHHHH_`` escapes Excel leaves in text (``_x000D_`` is a carriage return)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def cell_text(text: str) -> str:
    """A text cell's value: escapes decoded, CRLF as LF, control characters and edges removed.

    >>> cell_text(" Ligne 1_x000D_\\nLigne 2_x0002_ ")
    'Ligne 1\\nLigne 2'
    """
    text = _decode_escapes(text).replace("\r\n", "\n").replace("\r", "\n")
    if any(ord(c) < 32 and c not in "\t\n" for c in text):
        text = "".join(c for c in text if ord(c) >= 32 or c in "\t\n")
    return text.strip()


def column_letter(index: int) -> str:
    """The A1 letters of a 0-based column index.

    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def find_header(grid: Sequence[Sequence[object]], options: SheetOptions, label: str) -> int:
    """The 0-based index of the first header row (see :class:`SheetOptions`).

    :raises InputError: ``header-not-found`` if no row matches the header pattern.
    """
    pattern = options.patterns.header
    if pattern is None:
        return options.skip_rows
    for index in range(options.skip_rows, len(grid)):
        if pattern.search(row_text(grid[index][options.skip_columns:])):
            return index
    raise InputError(f"{label}: no row matches the header pattern {pattern.pattern!r}; check "
                     "psikg:headerRowPattern in the CSVW dialect", type="header-not-found",
                     value=pattern.pattern, expected="a header row that matches")


def _table(path: Path, sheet: CalamineSheet, grid: list[list[Any]],
           errors: dict[tuple[int, int], str], options: SheetOptions, label: str) -> RawTable:
    first = find_header(grid, options, label)
    skip = options.skip_columns
    comments = [text for row in grid[:first] if (text := row_text(row))]
    header_rows = [list(row) for row in grid[first:first + options.header_row_count]]
    _fill_merged(header_rows, sheet, first)
    header_rows = [row[skip:] for row in header_rows]
    width = max((_last_filled(row) for row in header_rows), default=0)
    if not options.header_row_count:
        width = max((_last_filled(row[skip:]) for row in grid), default=0)
    header = [[normalise_title(str(row[c])) if c < len(row) else "" for row in header_rows]
              for c in range(width)]
    start = first + options.header_row_count
    return RawTable(url=path.resolve().as_uri(), label=label, header=header,
                    rows=_rows(grid, start, width, errors, options, sheet.name, comments, label),
                    comments=comments, sheet=sheet.name)


def _last_filled(row: Sequence[object]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index] not in ("", None):
            return index + 1
    return 0


def _fill_merged(rows: list[list[Any]], sheet: CalamineSheet, first: int) -> None:
    """Copy a merged header cell's value over its whole range (calamine fills only the first)."""
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        value = rows[r0 - first][c0] if 0 <= r0 - first < len(rows) else None
        for r in range(max(r0, first), min(r1, first + len(rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                if c < len(rows[r - first]) and rows[r - first][c] in ("", None):
                    rows[r - first][c] = value if value is not None else ""


def _rows(grid: list[list[Any]], start: int, width: int, errors: dict[tuple[int, int], str],
          options: SheetOptions, sheet: str, comments: list[str], label: str) -> Iterator[Row]:
    """Data rows; rows skipped by pattern are added to ``comments``, as CSVW keeps skips."""
    skip = options.skip_columns
    number = 0
    for index in range(start, len(grid)):
        raw = grid[index][skip:]
        has_error = bool(errors) and any((index, c + skip) in errors for c in range(len(raw)))
        if options.skip_blank_rows and not has_error and not _last_filled(raw):
            continue
        text = row_text(int(v) if isinstance(v, float) and v.is_integer() else v for v in raw)
        if options.patterns.skip and not has_error and options.patterns.skips(text):
            comments.append(text)
            continue
        cells = [_cell(raw[c] if c < len(raw) else "", errors.get((index, c + skip)),
                       f"{sheet}!{column_letter(c + skip)}{index + 1}", label)
                 for c in range(max(width, _last_filled(raw)))]
        number += 1
        yield Row(number=number, source_number=index + 1, cells=cells)


def _cell(value: Any, error: str | None, ref: str, label: str) -> Cell:
    if error is not None:
        return Cell(None, ref, error=error)
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            raise InputError(f"cell {ref} holds {len(value):,} characters, over the limit of "
                             f"{MAX_CELL_CHARS:,}; a registry cell is a value, not a document",
                             type="cell-too-large", file=label, value=ref,
                             expected=f"at most {MAX_CELL_CHARS} characters")
        text = cell_text(value)
        if text in ERROR_LITERALS:
            return Cell(None, ref, error=text)
        return Cell(text or None, ref)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return Cell(int(value), ref)
    return Cell(_plain(value), ref)


def _plain(value: Any) -> CellValue:
    """Calamine's value as a table-model value; a duration becomes its text."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value  # type: ignore[no-any-return]
    return str(value)


register_reader(EXTENSIONS, read_excel)
