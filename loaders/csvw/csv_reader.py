"""The CSV/TSV reader: a CSVW dialect over Python's ``csv`` module.

The ``csv`` module (C) splits records, quotes and doubled quotes at about a
million rows a second; what it does not do, this module adds around it,
following the recommendation's parsing algorithm (tabular data model,
section 8): skipped rows and comment lines become comments, header rows give
the titles, ``skipColumns``, ``skipBlankRows`` and ``trim`` are applied, and
each record keeps its source row (RFC 7111 numbering, as ``#row=`` and
``_sourceRow`` use) and the line it starts on, for messages. psikg's
``psikg:headerRowPattern`` and ``psikg:skipRowPatterns`` are applied here too
(see :mod:`loaders.csvw.dialect`).

The text stays text: a cell's value is the ``str`` written in the file, never
evaluated (a cell starting with ``=`` is a string like any other).

Line terminators: the ``csv`` module ends a record at any of ``\r\n``,
``\n`` and ``\r``, which is what the default ``["\r\n", "\n"]`` needs. Any
other ``lineTerminators`` (``["\r\n"]`` alone, where a bare ``\n`` belongs to
the cell, ``["|"]``, several) go through :func:`records_by_terminators`,
which splits records itself, outside quotes, and hands the ``csv`` module one
record at a time, with the number of line breaks it spans.

Rows and lines: a row's ``source_number`` counts records (RFC 7111's rows, as
``#row=`` and ``_sourceRow`` need), while messages name the physical line a
record starts on, which is further down once a record has held a quoted line
break: each row is a :class:`CsvRow`, which keeps that line (:func:`line_of`).
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit

from loaders.csvw.dialect import RowPatterns
from loaders.csvw.dialect import normalise_dialect
from loaders.csvw.dialect import row_text
from loaders.csvw.errors import CsvwError
from loaders.encodings import decoding_error
from loaders.table_model import Cell
from loaders.table_model import RawTable
from loaders.table_model import Row

MAX_CELL_CHARS = 10_000_000
"""Longest cell read (10 M characters); longer ones are an error, not a memory blow-up."""
NATIVE_TERMINATORS = (frozenset({"\r\n", "\n"}), frozenset({"\r\n", "\n", "\r"}))
"""Terminator sets the ``csv`` module splits on by itself."""
_HIDDEN = {"\r": "\ue000", "\n": "\ue001"}
"""Line breaks inside a record, hidden from the ``csv`` module in private-use characters."""
_SHOWN = str.maketrans({hidden: shown for shown, hidden in _HIDDEN.items()})
_HIDE = str.maketrans(_HIDDEN)
_READ_CHARS = 1 << 16


@dataclass(slots=True)
class CsvRow(Row):
    """A row of a CSV file: ``source_number`` is its record, ``line`` the line it starts on."""

    line: int = 0
    """The physical line (1-based, any of CR LF, LF, CR ending one) where the record starts."""


def line_of(row: Row) -> int:
    """The line to name in a message about ``row``: where its record starts in a CSV file,
    else its ``source_number`` (a sheet's row)."""
    return row.line if isinstance(row, CsvRow) and row.line else row.source_number


def local_path(location: str) -> Path:
    """The file a location names: a path, or a ``file:`` URL."""
    if location.startswith("file:"):
        return Path(unquote(urlsplit(location).path))
    return Path(location)


def read_csv(location: str, dialect: Mapping[str, object]) -> RawTable:
    """Read a CSV or TSV file with a CSVW dialect.

    :param location: a path or ``file:`` URL.
    :param dialect: CSVW dialect keys (defaults filled in if missing).
    :raises CsvwError: if the file is missing, the encoding is unknown, or the
        header row pattern matches no row.
    """
    path = local_path(location)
    full = normalise_dialect(dialect) if "headerRowCount" not in dialect else dict(dialect)
    encoding = str(full["encoding"])
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise CsvwError(f"unknown encoding {encoding!r} in the dialect", type="encoding",
                        file=str(path), value=encoding, expected="utf-8, windows-1252…") from None
    try:
        stream = path.open(encoding="utf-8-sig" if codec == "utf-8" else codec, newline="")
    except OSError as error:
        raise CsvwError(f"cannot read {path}: {error.strerror}", type="missing-file",
                        file=str(path)) from None
    records = _Records(stream, full, str(path), terminators(full.get("lineTerminators")))
    try:
        header, comments = records.header()
    except BaseException:
        stream.close()
        raise
    return RawTable(path.resolve().as_uri(), str(path), header, records.rows(), comments)


def terminators(given: object) -> list[str] | None:
    """The dialect's line terminators, or ``None`` when the ``csv`` module's own will do."""
    found = [given] if isinstance(given, str) else given
    if not isinstance(found, list):
        return None
    ends = [end for end in found if isinstance(end, str) and end]
    if not ends or frozenset(ends) in NATIVE_TERMINATORS:
        return None
    return ends


def records_by_terminators(stream: IO[str], ends: list[str], quote: str | None,
                           escape: str | None) -> Iterator[tuple[str, int]]:
    """The stream's records, split on ``ends`` outside quotes, each ending with ``\n``,
    and the number of line breaks each spans, its terminator's included.

    Line breaks inside a record are hidden (private-use characters) so that the
    ``csv`` module reads the record as one line; :class:`_Records` shows them again.
    The count lets messages name physical lines, not records. The stream is read
    in blocks: memory holds one record and one block.
    """
    parts = sorted(ends, key=len, reverse=True)
    if quote:
        parts.append(quote)
    token = re.compile("|".join([re.escape(escape) + "." if escape else "(?!)",
                                 *map(re.escape, parts)]), re.DOTALL)
    margin = max(2, *map(len, parts))
    record: list[str] = []
    buffer = ""
    quoted = False
    breaks = _Breaks()
    while True:
        block = stream.read(_READ_CHARS)
        buffer += block
        safe = len(buffer) - margin if block else len(buffer)
        start = done = 0
        for match in token.finditer(buffer):
            if match.start() >= safe:
                break
            text = match.group()
            done = match.end()
            if text == quote:
                quoted = not quoted
            elif text in ends and not quoted:
                record.append(buffer[start:match.start()])
                whole = "".join(record)
                yield _hidden(whole), breaks.count(whole) + breaks.count(text)
                record.clear()
                start = done
        done = max(done, safe, start)
        record.append(buffer[start:done])
        buffer = buffer[done:]
        if not block:
            rest = "".join(record) + buffer
            if rest:
                yield _hidden(rest), breaks.count(rest)
            return


class _Breaks:
    """Counts line breaks in consecutive pieces of text (a CR LF split between two is one)."""

    def __init__(self) -> None:
        self.after_cr = False

    def count(self, text: str) -> int:
        if not text:
            return 0
        found = text.count("\n") + text.count("\r") - text.count("\r\n")
        if self.after_cr and text[0] == "\n":
            found -= 1
        self.after_cr = text[-1] == "\r"
        return found


def _hidden(record: str) -> str:
    """``record`` as one line for the ``csv`` module; refused if it already holds the
    private-use characters that hide its line breaks (they would come out as breaks)."""
    if "\ue000" in record or "\ue001" in record:
        raise CsvwError("a record holds U+E000 or U+E001, which cannot be read with custom "
                        "lineTerminators", type="unsupported-character",
                        value=record[:80], expected="text without U+E000 and U+E001")
    return record.translate(_HIDE) + "\n"


class _Lines:
    """The file's lines for the ``csv`` module (records, with custom terminators), the
    physical lines read so far counted, and the first line of the record being read."""

    def __init__(self, stream: IO[str], label: str, ends: list[str] | None = None,
                 quote: str | None = None, escape: str | None = None) -> None:
        self.stream = stream
        self.records: Iterator[tuple[str, int]] | None = (
            None if ends is None else records_by_terminators(stream, ends, quote, escape))
        self.label = label
        self.number = 0
        self.first: str | None = None

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        try:
            if self.records is None:
                line = next(self.stream)
                breaks = 1
            else:
                line, breaks = next(self.records)
        except UnicodeDecodeError as error:
            raise self._decoding_error(error) from None
        self.number += breaks
        if self.first is None:
            self.first = line
        return line


    def _decoding_error(self, error: UnicodeDecodeError) -> CsvwError:
        """The first byte the encoding cannot decode, with its line and column: the file
        is decoded once, by this reader, and only a bad file is read again to place it."""
        name, encoding = getattr(self.stream, "name", None), getattr(self.stream, "encoding", None)
        if isinstance(name, str) and isinstance(encoding, str):
            found = decoding_error(Path(name), encoding)
            return CsvwError(found.message, type="encoding", file=self.label, line=found.line,
                             column=found.column, value=found.value, expected=found.expected)
        return CsvwError(f"line {self.number + 1} is not valid {encoding or 'text'}: "
                         f"{error.reason}", type="encoding", file=self.label,
                         line=self.number + 1, expected="the dialect's encoding")


class _Records:
    """The records of one file, as the dialect splits, skips and trims them."""

    def __init__(self, stream: IO[str], dialect: Mapping[str, object], label: str,
                 ends: list[str] | None = None) -> None:
        self.stream = stream
        self.label = label
        quote = dialect.get("quoteChar")
        self.lines = _Lines(stream, label, ends, str(quote) if quote else None,
                            None if not quote or dialect["doubleQuote"] else "\\")
        self.hidden = ends is not None
        options: dict[str, Any] = {"delimiter": str(dialect["delimiter"] or ","),
                                      "strict": False}
        if quote:
            options["quotechar"] = str(quote)
            options["doublequote"] = bool(dialect["doubleQuote"])
            if not dialect["doubleQuote"]:
                options["escapechar"] = "\\"
        else:
            options["quoting"] = csv.QUOTE_NONE
        options["skipinitialspace"] = bool(dialect["skipInitialSpace"])
        if len(str(options["delimiter"])) != 1:
            raise CsvwError(f"delimiter {options['delimiter']!r} is not one character",
                            type="dialect", file=label, value=str(options["delimiter"]),
                            expected="a one-character delimiter")
        csv.field_size_limit(min(MAX_CELL_CHARS, sys.maxsize))
        self.reader = csv.reader(self.lines, **options)
        self.comment_prefix = str(dialect["commentPrefix"] or "")
        self.skip_rows = int(dialect["skipRows"])  # type: ignore[call-overload]
        self.header_rows = int(dialect["headerRowCount"])  # type: ignore[call-overload]
        self.skip_columns = int(dialect["skipColumns"])  # type: ignore[call-overload]
        self.skip_blank = bool(dialect["skipBlankRows"])
        self.trim = _trimmer(dialect["trim"])
        self.patterns = RowPatterns.of(dialect, label)
        self.record = 0
        self.line = 0
        self.comments: list[str] = []
        self._pending: list[list[str]] = []
        self._found = False

    def next_record(self) -> list[str] | None:
        """The next record, or ``None`` at the end; ``record``/``line`` say where it was."""
        self.lines.first = None
        start = self.lines.number + 1
        try:
            values = next(self.reader)
        except StopIteration:
            return None
        except csv.Error as error:
            raise CsvwError(f"the record starting on line {start}: {error}", type="csv-syntax",
                            file=self.label, line=start) from None
        self.record += 1
        self.line = start
        if self.hidden:
            return [value.translate(_SHOWN) for value in values]
        return values

    def comment_of(self, values: list[str]) -> str | None:
        """The comment text if this record is a comment line, else ``None``."""
        first = self.lines.first
        if self.comment_prefix and first is not None and first.startswith(self.comment_prefix):
            return first[len(self.comment_prefix):].translate(_SHOWN).strip()
        return None

    def header(self) -> tuple[list[list[str]], list[str]]:
        """Skip rows, title rows and comments; read the header rows' titles."""
        for _ in range(self.skip_rows):
            values = self.next_record()
            if values is None:
                break
            comment = self.comment_of(values)
            text = comment if comment is not None else self._raw()
            if text:
                self.comments.append(text)
        if self.patterns.header is not None:
            self._find_header()
        titles: list[list[str]] = []
        read = 0
        while read < self.header_rows:
            values = self.next_record() if not self._pending else self._pending.pop()
            if values is None:
                break
            self._found = False
            read += 1
            for index, value in enumerate(values[self.skip_columns:]):
                while len(titles) <= index:
                    titles.append([])
                value = self.trim(value)
                if value:
                    titles[index].append(value)
        return titles, self.comments

    def _find_header(self) -> None:
        pattern = self.patterns.header
        assert pattern is not None
        while True:
            values = self.next_record()
            if values is None:
                raise CsvwError(f"no row matches the header pattern {pattern.pattern!r}",
                                type="header-not-found", file=self.label,
                                value=pattern.pattern, expected="a header row that matches")
            if pattern.search(row_text(values[self.skip_columns:])):
                self._pending = [values]
                self._found = True
                return
            text = row_text(values)
            if text:
                self.comments.append(text)

    def _raw(self) -> str:
        return (self.lines.first or "").rstrip("\r\n").translate(_SHOWN).strip()

    def rows(self) -> Iterator[Row]:
        """The data rows, as :class:`Row` of :class:`Cell` (text as written, trimmed)."""
        number = 0
        trim = self.trim
        skip_columns = self.skip_columns
        columns: list[str] = []  # "column N" of each position, made once
        try:
            while True:
                values = self.next_record()
                if values is None:
                    return
                comment = self.comment_of(values)
                if comment is not None:
                    self.comments.append(comment)
                    continue
                if skip_columns:
                    values = values[skip_columns:]
                if self.skip_blank and not any(values):
                    continue
                if self.patterns.skip and self.patterns.skips(row_text(values)):
                    self.comments.append(row_text(values))
                    continue
                number += 1
                line = f"line {self.line}, "
                if len(values) > len(columns):
                    columns = [f"column {index}" for index in
                               range(skip_columns + 1, skip_columns + 1 + len(values))]
                cells = [Cell(trim(value), line + column)
                         for value, column in zip(values, columns, strict=False)]
                yield CsvRow(number, self.record, cells, self.line)
        finally:
            self.stream.close()


def _trimmer(trim: object):  # type: ignore[no-untyped-def]
    mode = str(trim).lower()
    if mode == "true":
        return str.strip
    if mode == "start":
        return str.lstrip
    if mode == "end":
        return str.rstrip
    return _same


def _same(value: str) -> str:
    return value
