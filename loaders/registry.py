"""The strict loader: a registry (CSV or spreadsheet) and its CSVW metadata into the store.

One load is one transaction of the store (:meth:`graph.store.Store.stage`, then
``commit`` or ``abort``):

1. the table's encoding is settled and the metadata pointed at the table
   given (:mod:`loaders.prepared`);
2. the CSVW engine converts it in strict mode (:func:`loaders.csvw.convert.csv2rdf`):
   a row with a cell error (a value that does not fit its datatype, an empty
   required cell, a duplicate key, ``#REF!``) yields no triple and is reported;
3. personal data is pseudonymised or dropped on the rows, before conversion
   (:mod:`loaders.anonymise`);
4. the N-Triples go into a graph readers cannot see yet, in parts that the
   store bulk-loads in a worker thread while the next part is converted and
   tallied for the budget aggregates (:func:`loaders.csvw.stream.in_parts`); the
   graph is validated against the decree's shapes (:mod:`graph.validation.scope`);
5. ``refuse`` (the default) aborts on any bad row or violation: the store is
   as it was. ``skip`` drops the bad rows (for a violation, the rows that
   made its focus node, found by converting again in standard mode, whose
   ``csvw:describes`` links rows to what they describe) and loads the rest,
   reporting each dropped row. ``blank`` is ``skip``, except that a row whose
   bad cells are all in optional columns is loaded with those cells left
   empty (:mod:`loaders.csvw.blanking`), each reported as such; rows that
   violate a shape are dropped as under ``skip``;
6. the commit replaces the source's previous graph atomically and records
   provenance (:func:`provenance_of`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path
from typing import IO
from typing import Any
from typing import Literal
from typing import cast

import pyoxigraph as ox

from graph.budget.staging import with_aggregates
from graph.budget.tally import Tally
from graph.compliance.record import ComplianceRecord
from graph.compliance.tally import compliance_record
from graph.errors import InputError
from graph.errors import PsikgError
from graph.namespaces import CSVW
from graph.namespaces import DCT
from graph.namespaces import PSI_LOAD
from graph.namespaces import VOID
from graph.namespaces import XSD
from graph.provenance import ValidationSummary
from graph.provenance import now as provenance_now
from graph.registers.coverage import grant_warnings
from graph.sources import Source
from graph.sources import StagedLoad
from graph.sources import sha256_of
from graph.store import OPTIMIZE_AFTER_TRIPLES
from graph.store_api import StoreWriter
from graph.validation.report import ValidationReport
from graph.validation.scope import validate_scoped
from loaders.csvw.stream import in_parts
from loaders.prepared import Prepared
from loaders.prepared import find_metadata
from loaders.prepared import is_table
from loaders.prepared import prepare
from loaders.problems import CELL_LEFT_EMPTY
from loaders.problems import ROW_REFUSED
from loaders.problems import RowProblem
from loaders.problems import problems_of_report
from loaders.row_conversion import convert_rows
from loaders.row_conversion import titles_by_property

OnError = Literal["refuse", "skip", "blank"]
MAX_SKIP_PASSES = 3


@dataclass
class LoadRefused(InputError):
    """A registry with bad rows, refused whole (``--on-error refuse``) or unloadable.

    ``details["problems"]`` has them as dicts for JSON answers; :attr:`problems` as values.
    """

    problems: list[RowProblem] = field(default_factory=list)


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
    warnings: list[str] = field(default_factory=list)
    """What the canned queries will not see of the rows loaded (:mod:`graph.registers.coverage`)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each phase: ``stage`` (conversion and bulk load), ``validate``,
    ``aggregates`` (while the store compacts), ``commit`` (the rest of ``optimize``
    included)."""

    @property
    def rows_rejected(self) -> int:
        """Rows not loaded (a cell error or a shape violation)."""
        return len({problem.row for problem in self.problems if problem.outcome == ROW_REFUSED})

    @property
    def cells_blanked(self) -> int:
        """Bad cells left empty in rows that were loaded (``on_error="blank"``)."""
        return sum(1 for problem in self.problems if problem.outcome == CELL_LEFT_EMPTY)


def load_table(store: StoreWriter, table: Path, metadata: Path, *, graph: str | None = None,
               on_error: OnError = "refuse", key: bytes | None = None,
               progress: Callable[[int], None] | None = None,
               aggregates: bool = True) -> LoadResult:
    """Convert, anonymise, validate and load one registry as its source's named graph.

    :param graph: the graph to load into; default :meth:`Store.source_graph` of the table.
    :param on_error: ``refuse`` stores nothing if a row is bad; ``skip`` loads the others;
        ``blank`` also loads the rows whose bad cells are all optional, those cells empty.
    :param key: the pseudonymisation key, if one is configured.
    :param progress: called with the number of rows read so far, now and then.
    :param aggregates: also stage the budget aggregates (:mod:`graph.budget`).
    :raises LoadRefused: if a row is bad and ``on_error`` is ``refuse`` (the store is unchanged).
    :raises InputError: if the table or the metadata cannot be used at all.
    """
    prepared = prepare(Path(table), Path(metadata))
    return _load(store, prepared, graph or store.source_graph(prepared.table), on_error, key,
                 progress, aggregates)


def _load(store: StoreWriter, prepared: Prepared, graph: str, on_error: OnError, key: bytes | None,
          progress: Callable[[int], None] | None, aggregates: bool) -> LoadResult:
    excluded: set[int] = set()
    problems: list[RowProblem] = []
    for _ in range(MAX_SKIP_PASSES):
        started = time.perf_counter()
        tally = Tally()  # the budget aggregates, tallied as the triples stream in
        conversion = convert_rows(prepared, key, excluded, progress, blank=on_error == "blank")
        source = Source(origin=prepared.url, fmt=ox.RdfFormat.N_TRIPLES, default_graph=graph,
                        checksum=sha256_of(prepared.table),
                        parts=in_parts(conversion.chunks(), tally if aggregates else None))
        staged = store.stage([source])
        seconds = {"stage": time.perf_counter() - started}
        try:
            summary = conversion.summary()
            prepared.sheet = summary.sheet or prepared.sheet  # its name, from the reader
            cell_problems = summary.problems
            if cell_problems and on_error == "refuse":
                raise _refused(prepared, cell_problems, "bad row")
            started = time.perf_counter()
            report, focus = validate_scoped(store, staged.where(graph))
            seconds["validate"] = time.perf_counter() - started
            if report is not None and not report.conforms:
                rows = _rows_describing(prepared, key, excluded, report, on_error == "blank")
                shape_problems = problems_of_report(report, rows, prepared,
                                                    titles_by_property(conversion.table))
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
            result = LoadResult(graph, staged.counts[0].get(graph, 0), summary.rows_read,
                                summary.rows_converted, _dedupe(problems, excluded),
                                summary.rows_anonymised, prepared.encoding, prepared.sheet,
                                report, focus, seconds=seconds)
            _record(staged, prepared, result)
            record = compliance_record(store, staged.where(graph), report, "load")
            if result.triples >= OPTIMIZE_AFTER_TRIPLES:
                store.optimize_in_background()  # overlaps the aggregates; commit waits for it
            started = time.perf_counter()
            if aggregates:
                tallied = tally.summary()
                staged = with_aggregates(store, staged, {graph: tallied})
                if tallied is not None:
                    result.warnings = grant_warnings(tallied)
            seconds["aggregates"] = time.perf_counter() - started
            started = time.perf_counter()
            store.commit(staged)
            seconds["commit"] = time.perf_counter() - started
            _record_validation(store, graph, report, record, result)
            return result
        except BaseException:
            store.abort(staged)
            raise
    raise _refused(prepared, problems, "violations left after dropping their rows")


def _record_validation(store: StoreWriter, graph: str, report: ValidationReport | None,
                       record: ComplianceRecord, result: LoadResult) -> None:
    """Keep the load's validation (the history of :mod:`graph.compliance`); the graph is
    committed, so a failure here is a warning of the load, not its failure."""
    summary = ValidationSummary(report is None or report.conforms,
                                len(report.violations) if report else 0,
                                len(report.warnings) if report else 0, provenance_now(), record)
    try:
        store.record_validation(graph, summary)
    except PsikgError as error:
        result.warnings.append(f"the validation was not recorded ({error.one_line()}); "
                               f"psikg validate --graph {graph} records it")


def _rows_describing(prepared: Prepared, key: bytes | None, excluded: set[int],
                     report: ValidationReport, blank: bool) -> dict[str, tuple[int, int]]:
    """Focus node → (data row, source row) of the row that describes it (standard mode)."""
    wanted = {r.focus_node for r in report.violations}
    conversion = convert_rows(prepared, key, excluded, mode="standard", blank=blank).conversion
    rownum: dict[str, int] = {}
    source_row: dict[str, int] = {}
    describes: list[tuple[str, str]] = []
    stream = cast(IO[bytes], conversion.stream())
    for triple in ox.parse(input=stream, format=ox.RdfFormat.N_TRIPLES):
        predicate = triple.predicate.value
        if predicate == CSVW + "rownum":
            rownum[str(triple.subject)] = int(triple.object.value)
        elif predicate == CSVW + "url" and "#row=" in triple.object.value:
            source_row[str(triple.subject)] = int(triple.object.value.rsplit("=", 1)[1])
        elif (predicate == CSVW + "describes" and isinstance(triple.object, ox.NamedNode)
              and triple.object.value in wanted):
            describes.append((str(triple.subject), triple.object.value))
    return {node: (rownum[row], source_row.get(row, rownum[row])) for row, node in describes
            if row in rownum}


def _dedupe(problems: list[RowProblem], excluded: set[int]) -> list[RowProblem]:
    """Each problem once (passes that drop rows report the others' again); a cell left empty
    in a row then dropped for a shape violation is reported with the row refused."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for problem in problems:
        if problem.outcome == CELL_LEFT_EMPTY and problem.row in excluded:
            problem = replace(problem, outcome=ROW_REFUSED)
        key = (problem.row, problem.column, problem.type, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def _refused(prepared: Prepared, problems: list[RowProblem], what: str) -> LoadRefused:
    rows = len({p.row for p in problems})
    first = problems[0].one_line() if problems else what
    return LoadRefused(
        f"{rows} row(s) refused, nothing loaded (first: {first}); fix "
        "them, or load with --on-error skip to load the other rows (or blank, to also load "
        "the rows whose bad cells are all optional, with those cells left empty)",
        type="rows-refused", file=str(prepared.table),
        details={"problems": [p.as_dict() for p in problems]}, problems=problems)


def provenance_of(prepared: Prepared, result: LoadResult
                  ) -> tuple[tuple[str, ox.NamedNode | ox.Literal], ...]:
    """What the metadata graph records of a table load, beside origin, checksum and time."""
    integer = ox.NamedNode(XSD + "integer")
    extra: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (DCT + "conformsTo", ox.NamedNode(prepared.metadata.resolve().as_uri())),
        (VOID + "entities", ox.Literal(str(result.rows_loaded), datatype=integer)),
        (PSI_LOAD + "rowsRead", ox.Literal(str(result.rows_read), datatype=integer)),
        (PSI_LOAD + "rowsRejected", ox.Literal(str(result.rows_rejected), datatype=integer)),
    ]
    if prepared.sheet is not None:
        extra.append((PSI_LOAD + "sheet", ox.Literal(prepared.sheet)))
    if prepared.encoding is not None:
        extra.append((PSI_LOAD + "encoding", ox.Literal(prepared.encoding)))
    if result.cells_blanked:
        extra.append((PSI_LOAD + "cellsBlanked",
                      ox.Literal(str(result.cells_blanked), datatype=integer)))
    if result.rows_anonymised:
        extra.append((PSI_LOAD + "rowsAnonymised",
                      ox.Literal(str(result.rows_anonymised), datatype=integer)))
    return tuple(extra)


def _record(staged: StagedLoad, prepared: Prepared, result: LoadResult) -> None:
    staged.sources[0] = replace(staged.sources[0], extra=provenance_of(prepared, result))


__all__ = ["LoadRefused", "LoadResult", "find_metadata", "is_table", "load_table"]
