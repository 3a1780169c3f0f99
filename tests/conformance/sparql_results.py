"""Query answers compared by value, as the W3C SPARQL test suites mean them.

- **Solutions** are equal when a one-to-one renaming of blank nodes makes the two bags of
  rows equal, in order only when the query orders them (``ORDER BY``).
- **Numeric literals** of one datatype are equal by value (``1.0`` and ``1.00`` as
  ``xsd:decimal``): the spec fixes the value of an aggregate, not its lexical form.
- **Graphs** (CONSTRUCT) are equal when isomorphic (rdflib).
- **CSV** answers are compared as text cells, blank node labels renamed as above: the
  format keeps no datatype. The columns may come in any order (``SELECT *`` fixes none).

Expected answers are read from the suite's files: ``.srx``, ``.srj``, ``.tsv`` (pyoxigraph),
``.csv``, and ``.ttl`` (a graph, or a result set in the ``rs:`` vocabulary).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + name for name in ("integer", "decimal", "float", "double", "int", "long",
                                   "short", "byte", "nonNegativeInteger", "positiveInteger",
                                   "negativeInteger", "nonPositiveInteger", "unsignedInt",
                                   "unsignedLong", "unsignedShort", "unsignedByte")}
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RESULT_FORMATS = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON,
                  ".tsv": ox.QueryResultsFormat.TSV}
ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = dict[str, Term]


@dataclass(frozen=True)
class Solutions:
    """A SELECT answer: its variables and its rows (unbound variables left out)."""

    variables: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class CsvTable:
    """A CSV answer: its header and its rows of text cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Answer = Solutions | bool | list[ox.Triple] | CsvTable


def ordered(query: str) -> bool:
    """Whether the query fixes the order of its rows."""
    return bool(ORDER_BY.search(query))


def from_oxigraph(results: object) -> Answer:
    """An answer pyoxigraph gave (solutions, boolean, triples) as an :data:`Answer`."""
    if isinstance(results, ox.QuerySolutions):
        names = tuple(v.value for v in results.variables)
        rows = tuple({name: row[name] for name in names if row[name] is not None}
                     for row in results)
        return Solutions(names, rows)
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if isinstance(results, bool):
        return results
    return [t if isinstance(t, ox.Triple) else ox.Triple(t.subject, t.predicate, t.object)
            for t in results]  # type: ignore[attr-defined]


def read_csv(text: str) -> CsvTable:
    """A CSV answer (RFC 4180, CRLF or LF line ends)."""
    rows = list(csv.reader(io.StringIO(text)))
    return CsvTable(tuple(rows[0]) if rows else (), tuple(tuple(r) for r in rows[1:]))


def expected_answer(path: Path, iri: str) -> Answer:
    """The expected answer stored at ``path`` (whose suite IRI is ``iri``)."""
    if path.suffix in RESULT_FORMATS:
        return from_oxigraph(ox.parse_query_results(path=str(path),
                                                    format=RESULT_FORMATS[path.suffix]))
    if path.suffix == ".csv":
        return read_csv(path.read_text(encoding="utf-8"))
    triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                                          base_iri=iri)]
    result_sets = [t.subject for t in triples if t.object == ox.NamedNode(RS + "ResultSet")]
    return _result_set(triples, result_sets[0]) if result_sets else triples


def _result_set(triples: list[ox.Triple], root: Term) -> Solutions:
    """A result set written in the ``rs:`` vocabulary (the DAWG's RDF result format)."""
    out: dict[Term, list[ox.Triple]] = {}
    for triple in triples:
        out.setdefault(triple.subject, []).append(triple)

    def values(node: Term, name: str) -> list[Term]:
        return [t.object for t in out.get(node, []) if t.predicate.value == RS + name]

    def text(term: Term) -> str:
        return term.value if isinstance(term, ox.Literal) else str(term)

    names = tuple(sorted(text(v) for v in values(root, "resultVariable")))
    rows = []
    for solution in values(root, "solution"):
        row: Row = {}
        for binding in values(solution, "binding"):
            row[text(values(binding, "variable")[0])] = values(binding, "value")[0]
        index = values(solution, "index")
        rows.append((int(text(index[0])) if index else 0, row))
    return Solutions(names, tuple(row for _, row in sorted(rows, key=lambda r: r[0])))


def same_answer(expected: Answer, actual: Answer, query: str) -> str | None:
    """``None`` if ``actual`` answers as ``expected``; else what differs, in one line."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return None if expected is actual else f"expected {expected}, got {actual}"
    if isinstance(expected, list) or isinstance(actual, list):
        if not (isinstance(expected, list) and isinstance(actual, list)):
            return f"expected {type(expected).__name__}, got {type(actual).__name__}"
        return None if isomorphic(_rdflib(expected), _rdflib(actual)) else \
            f"graphs differ: expected {len(expected)} triples, got {len(actual)}"
    if isinstance(expected, CsvTable) and isinstance(actual, CsvTable):
        if sorted(expected.header) != sorted(actual.header):  # SELECT * fixes no order
            return f"CSV header {actual.header}, expected {expected.header}"
        return _rows_differ([_csv_row(expected.header, r) for r in expected.rows],
                            [_csv_row(actual.header, r) for r in actual.rows], ordered(query))
    if isinstance(expected, Solutions) and isinstance(actual, Solutions):
        if set(expected.variables) != set(actual.variables):
            return f"variables {sorted(actual.variables)}, expected {sorted(expected.variables)}"
        return _rows_differ(list(expected.rows), list(actual.rows), ordered(query))
    return f"expected {type(expected).__name__}, got {type(actual).__name__}"


def _csv_row(header: tuple[str, ...], cells: tuple[str, ...]) -> Row:
    return {name: ox.BlankNode(cell[2:]) if cell.startswith("_:") else ox.Literal(cell)
            for name, cell in zip(header, cells, strict=False) if cell != ""}


def _rdflib(triples: list[ox.Triple]) -> Graph:
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"",
                format="nt")
    return graph


def term_key(term: object) -> object:
    """What a term is compared by: numeric literals by datatype and value, blank nodes
    all alike (their labels are matched by :func:`_rows_differ`)."""
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
        try:
            number = Decimal(term.value.strip())
        except InvalidOperation:
            return ("literal", term.value, term.datatype.value)
        return ("number", term.datatype.value, number)
    if isinstance(term, ox.Triple):
        return ("triple", term_key(term.subject), term.predicate.value, term_key(term.object))
    return (type(term).__name__, str(term))


def _row_key(row: Row) -> tuple[object, ...]:
    return tuple(sorted((name, term_key(term)) for name, term in row.items()))


def _shown(row: Row) -> str:
    return " ".join(f"?{name}={term}" for name, term in sorted(row.items()))


def _has_bnode(row: Row) -> bool:
    return any(isinstance(term, ox.BlankNode) for term in row.values())


def _fits(expected: Row, actual: Row, names: dict[str, str], back: dict[str, str]
          ) -> dict[str, str] | None:
    """The blank node renamings ``expected`` → ``actual`` adds to ``names``, or ``None``."""
    if expected.keys() != actual.keys():
        return None
    added: dict[str, str] = {}
    for name, want in expected.items():
        got = actual[name]
        if isinstance(want, ox.BlankNode) and isinstance(got, ox.BlankNode):
            mapped = names.get(want.value, added.get(want.value))
            if mapped is None:
                if got.value in back or got.value in added.values():
                    return None
                added[want.value] = got.value
            elif mapped != got.value:
                return None
        elif term_key(want) != term_key(got):
            return None
    return added


def _rows_differ(expected: list[Row], actual: list[Row], in_order: bool) -> str | None:
    if len(expected) != len(actual):
        return f"expected {len(expected)} rows, got {len(actual)}"
    if not any(_has_bnode(row) for row in expected + actual):
        if in_order:
            same = [_row_key(e) for e in expected] == [_row_key(a) for a in actual]
            return None if same else "the rows differ (in order)"
        missing = Counter(map(_row_key, expected)) - Counter(map(_row_key, actual))
        if not missing:
            return None
        example = next(row for row in expected if _row_key(row) in missing)
        return f"{sum(missing.values())} expected rows missing, e.g. {_shown(example)}"
    return None if _match(expected, actual, in_order, {}, {}, set()) else \
        "no renaming of blank nodes makes the rows equal"


def _match(expected: list[Row], actual: list[Row], in_order: bool, names: dict[str, str],
           back: dict[str, str], used: set[int]) -> bool:
    """Backtracking search for a blank node renaming (the answers are small)."""
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    candidates = [len(used)] if in_order else [i for i in range(len(actual)) if i not in used]
    for index in candidates:
        added = _fits(first, actual[index], names, back)
        if added is None:
            continue
        names.update(added)
        back.update({v: k for k, v in added.items()})
        if _match(rest, actual, in_order, names, back, used | {index}):
            return True
        for key in added:
            del back[names.pop(key)]
    return False
