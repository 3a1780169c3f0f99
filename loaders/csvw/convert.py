"""``csv2rdf``: from a table or a metadata file to a stream of N-Triples and a list of errors.

The entry point for ``psikg convert`` (lenient) and the strict loader alike:

1. locate the metadata (:mod:`loaders.csvw.locate`) and normalise it;
2. open every table with its reader, read its header, annotate it;
3. yield each row's triples as N-Triples bytes, in chunks of a few hundred
   rows, collecting cell errors as they are found.

Memory stays flat with the row count: rows are read, converted and dropped
one at a time. What grows is only what checking needs: the keys already
seen, when the schema has a primary key or another table refers to it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from itertools import islice
from pathlib import Path
from typing import Any
from typing import Literal

from graph.namespaces import CSVW
from graph.namespaces import RDFS
from loaders.csvw import locate
from loaders.csvw.annotate import build_table
from loaders.csvw.annotate import link_foreign_keys
from loaders.csvw.blanking import refuses
from loaders.csvw.columnar import BATCH_ROWS
from loaders.csvw.columnar import BatchWriter
from loaders.csvw.describe import describe
from loaders.csvw.dialect import normalise_dialect
from loaders.csvw.errors import CellError
from loaders.csvw.errors import CsvwWarning
from loaders.csvw.model import Table
from loaders.csvw.model import TableGroup
from loaders.csvw.rdf import RowWriter
from loaders.csvw.readers import is_tab_separated
from loaders.csvw.readers import reader_for
from loaders.csvw.stream import ChunkStream
from loaders.csvw.terms import BlankNodes
from loaders.csvw.terms import iri
from loaders.csvw.vocab import RDF_TYPE
from loaders.http_fetch.policy import FetchPolicy
from loaders.table_model import RawTable
from loaders.table_model import Row

Mode = Literal["standard", "minimal"]
ROWS_PER_CHUNK = 256


@dataclass
class Conversion:
    """One conversion, run lazily by :meth:`chunks`.

    :ivar errors: cell errors, appended as rows are converted.
    :ivar warnings: metadata and table warnings (known before the first chunk).
    """

    group: TableGroup
    raws: dict[str, RawTable]
    mode: Mode = "standard"
    strict: bool = False
    on_error: Callable[[CellError], None] | None = None
    blank: bool = False
    """With ``strict``: keep rows whose errors are all about optional cells, those cells
    null (:mod:`loaders.csvw.blanking`); their errors come ``blanked``."""
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CsvwWarning] = field(default_factory=list)
    rows: int = 0
    """Rows converted (strict: rows not withheld)."""
    rejected_rows: int = 0
    columnar: bool = True
    """Convert batches of rows column by column where the table allows it
    (:mod:`loaders.csvw.columnar`, same output); ``False``: always row by row."""
    batched_rows: int = 0
    """Rows of :attr:`rows` that a batch wrote (the others went row by row)."""
    _cleanup: list[Path] = field(default_factory=list)

    def chunks(self) -> Iterator[bytes]:
        """The N-Triples of the whole group, a few hundred rows per chunk."""
        try:
            yield from self._chunks()
        finally:
            self.close()

    def stream(self) -> ChunkStream:
        """The N-Triples as a binary file for :class:`graph.sources.Source`."""
        return ChunkStream(self.chunks())

    def close(self) -> None:
        """Remove the temporary copies of tables fetched over HTTP."""
        for path in self._cleanup:
            path.unlink(missing_ok=True)
        self._cleanup.clear()

    def _report(self, error: CellError) -> None:
        self.errors.append(error)
        if self.on_error is not None:
            self.on_error(error)

    def _chunks(self) -> Iterator[bytes]:
        standard = self.mode == "standard"
        bnodes = BlankNodes()
        lines: list[str] = []
        group_node = None
        if standard:
            group_node = iri(self.group.id) if self.group.id else bnodes.new()
            lines.append(f"{group_node} {iri(RDF_TYPE)} {iri(CSVW + 'TableGroup')} .\n")
            describe(group_node, _described(self.group.notes, self.group.common), bnodes, lines)
        for table in self.group.tables:
            if table.suppress_output:
                for _ in self.raws[table.url].rows:
                    pass
                continue
            table_node = None
            if standard:
                table_node = iri(table.id) if table.id else bnodes.new()
                lines.append(f"{group_node} {iri(CSVW + 'table')} {table_node} .\n")
                lines.append(f"{table_node} {iri(RDF_TYPE)} {iri(CSVW + 'Table')} .\n")
                lines.append(f"{table_node} {iri(CSVW + 'url')} {iri(table.url)} .\n")
                describe(table_node, _described(table.notes, table.common), bnodes, lines)
            writer = RowWriter(table, bnodes, standard=standard, table_node=table_node,
                               report=self._report, strict=self.strict, blank=self.blank)
            raw = self.raws[table.url]
            batches = BatchWriter.for_writer(writer) if self.columnar else None
            if batches is None:
                for rows in _batched(raw.rows, ROWS_PER_CHUNK):
                    self._write_rows(writer, rows, lines)
                    if lines:
                        yield "".join(lines).encode()
                        lines.clear()
            else:
                for rows in _batched(raw.rows, BATCH_ROWS):
                    text = batches.write(rows)
                    if text is None:
                        self._write_rows(writer, rows, lines)
                        text = "".join(lines)
                        lines.clear()
                    else:
                        self.rows += len(rows)
                        self.batched_rows += len(rows)
                    yield text.encode()
            if standard:
                for comment in raw.comments:
                    lines.append(f"{table_node} {iri(RDFS + 'comment')} "
                                 f"{_plain(comment)} .\n")
        if lines:
            yield "".join(lines).encode()


    def _write_rows(self, writer: RowWriter, rows: Iterable[Row], lines: list[str]) -> None:
        """Rows through the row writer, one at a time (strict: rows with errors withheld)."""
        for row in rows:
            triples, errors = writer.write(row)
            if errors and self.strict and refuses(errors):
                self.rejected_rows += 1
                continue
            self.rows += 1
            lines.extend(triples)


def _plain(text: str) -> str:
    from loaders.csvw.terms import literal

    return literal(text)


def _described(notes: list[Any], common: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return ([("notes", notes)] if notes else []) + common


def csv2rdf(source: str | os.PathLike[str], *,
            metadata: str | os.PathLike[str] | locate.GivenMetadata | None = None,
            mode: Mode = "standard", strict: bool = False, policy: FetchPolicy | None = None,
            on_error: Callable[[CellError], None] | None = None,
            link_header: str | None = None, blank: bool = False) -> Conversion:
    """Prepare the conversion of a table (CSV, TSV, a registered spreadsheet) or a metadata file.

    Metadata is located and checked now, and each table's header read, so a
    bad metadata file fails here, before any output; rows are converted as
    :meth:`Conversion.chunks` is consumed.

    :param source: a path or http(s) URL: a table, or a CSVW metadata file (``.json``).
    :param metadata: user metadata overriding what would be found for a table: a path or
        URL, or a document already read (:class:`~loaders.csvw.locate.GivenMetadata`).
    :param mode: ``standard`` (with table, row and group descriptions) or ``minimal``.
    :param strict: withhold rows that have cell errors (the loader's mode).
    :param blank: with ``strict``, keep a row whose errors are all about cells of optional
        columns, those cells null (``psikg load --on-error blank``).
    :param policy: how URLs may be fetched; default: the safe policy, with
        ``PSIKG_ALLOW_PRIVATE_ADDRESSES`` honoured.
    :param on_error: called with each cell error as it is found (``convert`` prints them).
    :param link_header: a ``Link`` header to act on as if the table's server had sent it.
    :raises CsvwError: if the metadata or a table cannot be used at all.
    :raises FetchError: if a URL may not, or could not, be fetched.
    """
    policy = policy or FetchPolicy.from_environment()
    warnings: list[CsvwWarning] = []

    def warn(message: str, label: str | None = None) -> None:
        warnings.append(CsvwWarning("metadata", message, label))

    user = metadata if metadata is None or isinstance(metadata, locate.GivenMetadata) \
        else str(metadata)
    found = locate.locate(str(source), user, policy,
                          lambda message: warn(message), link_header)
    group_json = found.group
    raws: dict[str, RawTable] = {}
    tables: list[Table] = []
    cleanup: list[Path] = []
    schemas: dict[str, dict[str, Any]] = {}
    try:
        for table_json in group_json["tables"]:
            url = table_json["url"]
            dialect_json = table_json.get("dialect", group_json.get("dialect", {}))
            fetched = found.tables.get(url) or locate.fetch_table(url, policy)
            if fetched.temporary:
                cleanup.append(fetched.path)
            given = dict(dialect_json)
            if fetched.header_absent and "header" not in given:
                given["header"] = False
            if fetched.charset and "encoding" not in given:
                given["encoding"] = fetched.charset
            dialect = normalise_dialect(
                given, tab_separated=is_tab_separated(url, fetched.media_type))
            reader = reader_for(url, fetched.media_type)
            raw = reader(str(fetched.path), dialect)
            raw.url = url
            if fetched.temporary:
                raw.label = url
            width = 0
            schema = table_json.get("tableSchema", group_json.get("tableSchema", {}))
            if not raw.header:
                first = next(raw.rows, None)
                if first is not None:
                    width = len(first.cells)
                    raw.rows = _chain(first, raw.rows)
            table = build_table(table_json, group_json, raw.header, dialect, raw.label, width,
                                functools.partial(warn, label=raw.label), found.label)
            tables.append(table)
            raws[url] = raw
            schemas[url] = schema
        group = TableGroup(tables, id=group_json.get("@id"),
                           notes=group_json.get("notes", []),
                           common=[(k, v) for k, v in group_json.items()
                                   if ":" in k and k != "@context"])
        link_foreign_keys(group, schemas, found.label)
    except BaseException:
        for path in cleanup:
            path.unlink(missing_ok=True)
        raise
    conversion = Conversion(group, raws, mode, strict, on_error, blank=blank and strict,
                            warnings=warnings)
    conversion._cleanup = cleanup
    return conversion


def _batched(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    """Lists of up to ``size`` rows, in order (``itertools.batched`` is Python 3.12)."""
    while batch := list(islice(rows, size)):
        yield batch


def _chain(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest
