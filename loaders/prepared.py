"""A registry table and its CSVW metadata, made ready for the strict loader.

The same metadata describes ``subsidies.csv``, its Windows-1252 twin and
``subsidies.xlsx``, so the loader points the parsed metadata at the table it was given,
with the encoding it detected (:mod:`loaders.encodings`), and hands that document to the
CSVW engine (:class:`loaders.csvw.locate.GivenMetadata`): the file is read once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.errors import UsageError
from loaders.csvw.keys import referenced_tables
from loaders.csvw.locate import GivenMetadata
from loaders.encodings import detect_encoding
from loaders.excel import EXTENSIONS as SPREADSHEETS

TABLE_EXTENSIONS = (".csv", ".tsv", ".txt", *SPREADSHEETS)


@dataclass
class Prepared:
    """A table, its metadata file, and the metadata document pointed at it."""

    table: Path
    metadata: Path
    document: dict[str, Any]
    """The metadata as the engine reads it: the table's description, pointed at ``table``
    with the encoding found, and the tables its foreign keys refer to."""
    table_json: dict[str, Any]
    url: str
    sheet: str | None
    """A spreadsheet's sheet: the dialect's ``psikg:sheet`` (a name, or a position such as
    ``"1"``) until the reader has opened the workbook, then the sheet's name
    (:func:`loaders.row_conversion.convert_rows` sets it), which every message uses."""
    encoding: str | None

    def given(self) -> GivenMetadata:
        """The metadata as the CSVW engine takes it, named by the user's file in messages."""
        return GivenMetadata(self.document, self.metadata.resolve().as_uri(),
                             str(self.metadata))


def is_table(path: Path) -> bool:
    """Whether ``psikg load`` reads ``path`` as a registry rather than an RDF file."""
    return path.suffix.lower() in TABLE_EXTENSIONS


def find_metadata(table: Path) -> Path:
    """The metadata beside a table: ``{stem}-metadata.json``, then CSVW's ``{name}-metadata.json``.

    :raises UsageError: ``metadata-not-found`` if there is neither.
    """
    for candidate in (table.with_name(f"{table.stem}-metadata.json"),
                      table.with_name(f"{table.name}-metadata.json"),
                      table.with_name("csv-metadata.json")):
        if candidate.is_file():
            return candidate
    raise UsageError(f"cannot tell the RDF format of {table.name!r}: it is a table, which "
                     f"loads with its CSVW metadata; give --metadata M.json (there is no "
                     f"{table.stem}-metadata.json beside it)", type="metadata-not-found",
                     file=str(table))


def prepare(table: Path, metadata: Path) -> Prepared:
    """Check the table and metadata files, settle the encoding, point the metadata at the
    table.

    :raises InputError: if a file is missing or empty, the metadata is not JSON, or
        the encoding is wrong.
    """
    for path, what in ((table, "table"), (metadata, "metadata")):
        if not path.is_file():
            raise InputError(f"no such {what} file: {path}", type="missing-file", file=str(path))
    if table.stat().st_size == 0:
        raise InputError(f"{table.name} is empty (0 bytes); export the registry again",
                         type="empty-file", file=str(table))
    try:
        document = json.loads(metadata.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{metadata.name} is not JSON: {error}", type="invalid-metadata",
                         file=str(metadata)) from None
    if not isinstance(document, dict):
        raise InputError(f"{metadata.name} is not a CSVW metadata object",
                         type="invalid-metadata", file=str(metadata))
    table_json = the_table(document, table, metadata)
    url = table.resolve().as_uri()
    table_json["url"] = url
    dialect = dict(table_json.get("dialect") or document.get("dialect") or {})
    sheet = None
    encoding = None
    if table.suffix.lower() in SPREADSHEETS:
        sheet = str(dialect.get("psikg:sheet", 1))
    else:
        found = detect_encoding(table, dialect.get("encoding"))
        encoding = found.name
        dialect["encoding"] = "utf-8" if found.name == "utf-8-sig" else found.name
    table_json["dialect"] = dialect
    if "tables" in document:
        document = {**document,
                    "tables": [table_json, *referenced_tables(document, table_json, metadata)]}
        document.pop("dialect", None)
    else:
        referenced_tables({**document, "tables": [table_json]}, table_json, metadata)  # inlines
        document = table_json  # a tableSchema given by URL
    return Prepared(table, metadata, document, table_json, url, sheet, encoding)


def the_table(document: dict[str, Any], table: Path, metadata: Path) -> dict[str, Any]:
    """The table description for ``table``: the metadata's only table, or the one named so."""
    if "tables" not in document:
        return dict(document)
    tables = [t for t in document["tables"] if isinstance(t, dict)]
    if len(tables) == 1:
        return {**{k: v for k, v in document.items() if k not in ("tables", "@id")},
                **tables[0]}
    named = [t for t in tables if Path(str(t.get("url", ""))).name in (table.name,)]
    if len(named) != 1:
        raise InputError(f"{metadata.name} describes {len(tables)} tables and none is named "
                         f"{table.name}; load with a metadata file for this table",
                         type="invalid-metadata", file=str(metadata), value=table.name)
    return {**{k: v for k, v in document.items() if k not in ("tables", "@id")}, **named[0]}


