"""The table readers, by file extension: where ``.xlsx`` and friends plug into the engine.

The engine never opens a table itself: it asks :func:`reader_for` for the
reader of the table's file name (or media type) and calls it with the table's
location and its dialect (CSVW keys plus psikg's ``psikg:`` extensions, see
``loaders/README.md``). A reader returns a :class:`~loaders.table_model.RawTable`.

Built in: ``.csv``, ``.tsv`` and ``.txt`` (:func:`loaders.csvw.csv_reader.read_csv`),
also the fallback for any other name. Spreadsheets register themselves::

    from loaders.csvw.readers import register_reader
    register_reader([".xlsx", ".xls", ".ods"], read_spreadsheet)

A table fetched over HTTP is first spooled to a temporary file (bounded by
the fetch policy), so every reader is given a local path; the engine then
sets :attr:`RawTable.url` to the URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import unquote
from urllib.parse import urlsplit

from graph.formats import TABLE_FORMATS
from graph.formats import TSV
from graph.formats import from_media_type
from loaders.csvw.csv_reader import read_csv
from loaders.table_model import TableReader

_READERS: dict[str, TableReader] = {}


def register_reader(extensions: Iterable[str], reader: TableReader) -> None:
    """Make ``reader`` read the files whose names end with one of ``extensions``.

    :param extensions: with their dot, any case: ``[".xlsx", ".xls"]``. A later
        registration for the same extension replaces the earlier one.
    :param reader: called as ``reader(path, dialect)``; see :class:`TableReader`.
    """
    for extension in extensions:
        if not extension.startswith("."):
            raise ValueError(f"extension {extension!r} must start with a dot")
        _READERS[extension.lower()] = reader


def extension_of(location: str) -> str:
    """The lower-case extension of a path or URL's last segment (``""`` if none).

    >>> extension_of("https://example.org/a/Subsides%202023.XLSX?x=1")
    '.xlsx'
    """
    path = urlsplit(location).path if "://" in location else location
    return PurePosixPath(unquote(path).replace("\\", "/")).suffix.lower()


def reader_for(location: str, media_type: str | None = None) -> TableReader:
    """The reader for a table: by extension, else by media type, else the CSV reader."""
    reader = _READERS.get(extension_of(location))
    if reader is None and media_type:
        # A URL without a telling name: the reader of its media type's table format.
        table = from_media_type(media_type, TABLE_FORMATS)
        reader = _READERS.get("." + table.extension) if table else None
    return reader or read_csv


def is_tab_separated(location: str, media_type: str | None = None) -> bool:
    """Whether a table is TSV by name or media type (its default delimiter is a tab)."""
    if extension_of(location) == ".tsv":
        return True
    return media_type is not None and from_media_type(media_type, TABLE_FORMATS) == TSV


register_reader([".csv", ".tsv", ".txt"], read_csv)
