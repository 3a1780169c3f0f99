"""The strict loader: a registry (CSV or spreadsheet) and its CSVW metadata into the store.

One load is one transaction of the store (:meth:`graph.store.Store.stage`, then
``commit`` or ``abort``):

1. the table's encoding is settled (:mod:`loaders.encodings`), and the
   metadata is pointed at the table given (a copy in a temporary folder:
   the same metadata describes ``subsidies.csv``, its Windows-1252 twin and
   ``subsidies.xlsx``);
2. the CSVW engine converts it in strict mode (:func:`loaders.csvw.convert.csv2rdf`):
   a row with a cell error (a value that does not fit its datatype, an empty
   required cell, a duplicate key, ``#REF!``) yields no triple and is reported;
3. personal data is pseudonymised or dropped on the rows, before conversion
   (:mod:`loaders.anonymise`);
4. the N-Triples stream into a graph readers cannot see yet, which is
   validated against the decree's shapes (:mod:`loaders.shape_scope`);
5. ``refuse`` (the default) aborts on any bad row or violation: the store is
   as it was. ``skip`` drops the bad rows (for a violation, the rows that
   made its focus node, found by converting again in standard mode, whose
   ``csvw:describes`` links rows to what they describe) and loads the rest,
   reporting each dropped row;
6. the commit replaces the source's previous graph atomically and records
   provenance (:func:`provenance_of`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path
from typing import Any
from typing import Literal

import pyoxigraph as ox

import loaders.belgian  # noqa: F401 - registers the psikg: formats
import loaders.cpv  # noqa: F401 - registers psikg:cpv
import loaders.excel  # noqa: F401 - registers the spreadsheet reader
from graph.canned.cube import with_aggregates
from graph.errors import InputError
from graph.errors import UsageError
from graph.namespaces import DCT
from graph.namespaces import VOID
from graph.namespaces import XSD
from graph.store import Source
from graph.store import StagedLoad
from graph.store import Store
from graph.store import sha256_of
from graph.validation import ValidationReport
from loaders.anonymise import Plan
from loaders.anonymise import dataset_statements
from loaders.anonymise import plan_for
from loaders.csvw.convert import Conversion
from loaders.csvw.convert import csv2rdf
from loaders.csvw.errors import CellError
from loaders.csvw.stream import ChunkStream
from loaders.encodings import detect_encoding
from loaders.excel import EXTENSIONS as SPREADSHEETS
from loaders.excel import normalise_title
from loaders.problems import RowProblem
from loaders.problems import problem_of_cell
from loaders.problems import problems_of_report
from loaders.shape_scope import validate_staged

OnError = Literal["refuse", "skip"]
LOAD = "https://w3id.org/psikg/load#"
"""Load provenance that PROV, DCTERMS and VoID have no term for: rows read and rejected."""
TABLE_EXTENSIONS = (".csv", ".tsv", ".txt", *SPREADSHEETS)
MAX_SKIP_PASSES = 3


class LoadRefused(InputError):
    """A registry with bad rows, refused whole (``--on-error refuse``) or unloadable."""


@dataclass
class LoadResult:
    """What a table load did."""

    graph: str
    triples: int
    rows_read: int
    rows_loaded: int
    problems: list[RowProblem] = field(default_factory=list)
    rows_anonymised: int = 0
    encoding: str | None = None
    sheet: str | None = None
    validation: ValidationReport | None = None
    focus_nodes: int = 0

    @property
    def rows_rejected(self) -> int:
        return len({problem.row for problem in self.problems})


@dataclass
class _Prepared:
    table: Path
    metadata: Path
    table_json: dict[str, Any]
    url: str
    sheet: str | None
    encoding: str | None
    temporary: Path


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


def load_table(store: Store, table: Path, metadata: Path, *, graph: str | None = None,
               on_error: OnError = "refuse", key: bytes | None = None,
               progress: Callable[[int], None] | None = None) -> LoadResult:
    """Convert, anonymise, validate and load one registry as its source's named graph.

    :param graph: the graph to load into; default :meth:`Store.source_graph` of the table.
    :param on_error: ``refuse`` stores nothing if a row is bad; ``skip`` loads the others.
    :param key: the pseudonymisation key, if one is configured.
    :param progress: called with the number of rows read so far, now and then.
    :raises LoadRefused: if a row is bad and ``on_error`` is ``refuse`` (the store is unchanged).
    :raises InputError: if the table or the metadata cannot be used at all.
    """
    prepared = _prepare(Path(table), Path(metadata))
    try:
        return _load(store, prepared, graph or store.source_graph(prepared.table), on_error,
                     key, progress)
    finally:
        prepared.temporary.unlink(missing_ok=True)
        prepared.temporary.parent.rmdir()


def _prepare(table: Path, metadata: Path) -> _Prepared:
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
    table_json = _the_table(document, table, metadata)
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
        document = {**document, "tables": [table_json]}
        document.pop("dialect", None)
    else:
        document = table_json
    folder = Path(tempfile.mkdtemp(prefix="psikg-load-"))
    temporary = folder / metadata.name
    temporary.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return _Prepared(table, metadata, table_json, url, sheet, encoding, temporary)


def _the_table(document: dict[str, Any], table: Path, metadata: Path) -> dict[str, Any]:
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


def _load(store: Store, prepared: _Prepared, graph: str, on_error: OnError, key: bytes | None,
          progress: Callable[[int], None] | None) -> LoadResult:
    plan = plan_for(prepared.table_json, key, str(prepared.metadata))
    excluded: set[int] = set()
    problems: list[RowProblem] = []
    for _ in range(MAX_SKIP_PASSES):
        conversion, counter = _conversion(prepared, plan, excluded, progress)
        staged = store.stage([_source(prepared, graph, conversion, plan)])
        try:
            cell_problems = [problem_of_cell(e, prepared.sheet) for e in conversion.errors]
            if cell_problems and on_error == "refuse":
                raise _refused(prepared, cell_problems, "bad row")
            report, focus = validate_staged(store, staged.where(graph))
            shape_problems: list[RowProblem] = []
            if report is not None and not report.conforms:
                rows = _rows_describing(prepared, plan, excluded, report)
                shape_problems = problems_of_report(report, rows, prepared, _titles(prepared))
                if on_error == "refuse":
                    raise _refused(prepared, cell_problems + shape_problems, "violation")
                new = {p.row for p in shape_problems if p.row is not None} - excluded
                if not new:
                    raise _refused(prepared, shape_problems, "violation not tied to a row")
                excluded |= new
                problems.extend(cell_problems + shape_problems)
                store.abort(staged)
                continue
            problems.extend(cell_problems)
            result = LoadResult(graph, staged.counts[0].get(graph, 0), counter[0],
                                conversion.rows, _dedupe(problems), plan.rows_anonymised,
                                prepared.encoding, prepared.sheet, report, focus)
            _record(staged, prepared, result)
            staged = with_aggregates(store, staged)
            store.commit(staged)
            return result
        except BaseException:
            store.abort(staged)
            raise
    raise _refused(prepared, problems, "violations left after dropping their rows")


def _conversion(prepared: _Prepared, plan: Plan, excluded: set[int],
                progress: Callable[[int], None] | None,
                mode: Literal["minimal", "standard"] = "minimal",
                ) -> tuple[Conversion, list[int]]:
    conversion = csv2rdf(str(prepared.table), metadata=str(prepared.temporary), mode=mode,
                         strict=True)
    raw = conversion.raws[prepared.url]
    check_header(prepared.table_json, raw.header, raw.label)
    counter = [0]

    def rows(source: Iterator[Any]) -> Iterator[Any]:
        for row in source:
            counter[0] += 1
            if progress is not None and counter[0] % 1000 == 0:
                progress(counter[0])
            if row.number not in excluded:
                yield row

    raw.rows = plan.apply(rows(raw.rows))
    return conversion, counter


def _titles_of(column: dict[str, Any]) -> list[str]:
    titles = column.get("titles")
    if isinstance(titles, str):
        return [titles]
    if isinstance(titles, list):
        return [str(t) for t in titles]
    if isinstance(titles, dict):
        return [str(t) for value in titles.values()
                for t in (value if isinstance(value, list) else [value])]
    return []


def check_header(table_json: dict[str, Any], header: list[list[str]], label: str) -> None:
    """Check the file's header against the metadata's column titles, column by column.

    CSVW only warns when they differ; a strict load refuses, because a renamed or
    missing column shifts every value into the wrong property.

    :raises InputError: ``missing-column``, ``renamed-header`` or ``extra-column``.
    """
    columns = [c for c in (table_json.get("tableSchema") or {}).get("columns", [])
               if not c.get("virtual")]
    found = [titles[0] if titles else "" for titles in header]
    if not header or not any(_titles_of(c) for c in columns):
        return
    folded = [normalise_title(title).casefold() for title in found]
    listing = ", ".join(repr(t) for t in found)
    for index, column in enumerate(columns):
        titles = _titles_of(column)
        wanted = {normalise_title(t).casefold() for t in titles}
        if not wanted or (index < len(folded) and folded[index] in wanted):
            continue
        expected = " or ".join(repr(t) for t in titles)
        if not any(title in wanted for title in folded) and len(found) < len(columns):
            raise InputError(
                f"column {expected} not found in the header of {label}; found: {listing}; "
                "check `titles` in the CSVW metadata", type="missing-column", file=label,
                value=listing, expected=expected, details={"column": index + 1})
        actual = found[index] if index < len(found) else ""
        raise InputError(
            f"header column {index + 1} of {label} is {actual!r} where the metadata expects "
            f"{expected}; rename the header, or add the title to `titles` in the CSVW "
            "metadata", type="renamed-header", file=label, value=actual,
            expected=expected, details={"column": index + 1})
    if len(found) > len(columns) and any(found[len(columns):]):
        extra = ", ".join(repr(t) for t in found[len(columns):] if t)
        raise InputError(f"the header of {label} has columns the metadata does not describe: "
                         f"{extra}; describe them in the CSVW metadata or remove them",
                         type="extra-column", file=label, value=extra,
                         expected=f"{len(columns)} columns")


def _source(prepared: _Prepared, graph: str, conversion: Conversion, plan: Plan) -> Source:
    dataset = prepared.table_json.get("psikg:dataset")
    tail = dataset_statements(str(dataset), plan) if isinstance(dataset, str) else []

    def chunks() -> Iterator[bytes]:
        yield from conversion.chunks()
        if tail:
            yield ox.serialize(tail, format=ox.RdfFormat.N_TRIPLES)

    return Source(origin=prepared.url, fmt=ox.RdfFormat.N_TRIPLES, default_graph=graph,
                  stream=ChunkStream(chunks()), checksum=sha256_of(prepared.table))


def _rows_describing(prepared: _Prepared, plan: Plan, excluded: set[int],
                     report: ValidationReport) -> dict[str, tuple[int, int]]:
    """Focus node → (data row, source row) of the row that describes it (standard mode)."""
    wanted = {r.focus_node for r in report.violations}
    conversion, _ = _conversion(prepared, plan, excluded, None, mode="standard")
    rownum: dict[str, int] = {}
    source_row: dict[str, int] = {}
    describes: list[tuple[str, str]] = []
    csvw = "http://www.w3.org/ns/csvw#"
    for triple in ox.parse(input=conversion.stream(), format=ox.RdfFormat.N_TRIPLES):
        predicate = triple.predicate.value
        if predicate == csvw + "rownum":
            rownum[str(triple.subject)] = int(triple.object.value)
        elif predicate == csvw + "url" and "#row=" in triple.object.value:
            source_row[str(triple.subject)] = int(triple.object.value.rsplit("=", 1)[1])
        elif (predicate == csvw + "describes" and isinstance(triple.object, ox.NamedNode)
              and triple.object.value in wanted):
            describes.append((str(triple.subject), triple.object.value))
    return {node: (rownum[row], source_row.get(row, rownum[row])) for row, node in describes
            if row in rownum}


def _titles(prepared: _Prepared) -> dict[str, str]:
    """Property IRI → the title of the column that writes it (for shape violations)."""
    titles: dict[str, str] = {}
    for column in (prepared.table_json.get("tableSchema") or {}).get("columns", []):
        prop = column.get("propertyUrl")
        title = column.get("titles")
        if isinstance(title, dict):
            title = title.get("fr") or next(iter(title.values()), None)
        if isinstance(title, list):
            title = title[0] if title else None
        if isinstance(prop, str) and isinstance(title, str):
            titles.setdefault(prop, title)
    return titles


def _dedupe(problems: list[RowProblem]) -> list[RowProblem]:
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for problem in problems:
        key = (problem.row, problem.column, problem.type, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def _refused(prepared: _Prepared, problems: list[RowProblem], what: str) -> LoadRefused:
    rows = len({p.row for p in problems})
    first = problems[0].one_line() if problems else what
    return LoadRefused(
        f"{prepared.table.name}: {rows} row(s) refused, nothing loaded (first: {first}); fix "
        "them, or load with --on-error skip to load the other rows", type="rows-refused",
        file=str(prepared.table), details={"problems": [p.as_dict() for p in problems]})


def provenance_of(prepared: _Prepared, result: LoadResult
                  ) -> tuple[tuple[str, ox.NamedNode | ox.Literal], ...]:
    """What the metadata graph records of a table load, beside origin, checksum and time."""
    integer = ox.NamedNode(XSD + "integer")
    extra: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (DCT + "conformsTo", ox.NamedNode(prepared.metadata.resolve().as_uri())),
        (VOID + "entities", ox.Literal(str(result.rows_loaded), datatype=integer)),
        (LOAD + "rowsRead", ox.Literal(str(result.rows_read), datatype=integer)),
        (LOAD + "rowsRejected", ox.Literal(str(result.rows_rejected), datatype=integer)),
    ]
    if prepared.sheet is not None:
        extra.append((LOAD + "sheet", ox.Literal(prepared.sheet)))
    if prepared.encoding is not None:
        extra.append((LOAD + "encoding", ox.Literal(prepared.encoding)))
    if result.rows_anonymised:
        extra.append((LOAD + "rowsAnonymised",
                      ox.Literal(str(result.rows_anonymised), datatype=integer)))
    return tuple(extra)


def _record(staged: StagedLoad, prepared: _Prepared, result: LoadResult) -> None:
    staged.sources[0] = replace(staged.sources[0], extra=provenance_of(prepared, result))


__all__ = ["LoadRefused", "LoadResult", "CellError", "find_metadata", "is_table", "load_table"]
