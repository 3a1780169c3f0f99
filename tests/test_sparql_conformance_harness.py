"""The harness of the W3C SPARQL 1.1 evaluation tests (``tests/conformance/sparql_*.py``):
answers compared by value, each test's dataset named in its query, known failures told
from regressions. These need no shared folder; the one marked ``conformance`` reads it."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
import requests

from tests.conformance import shared_dir
from tests.conformance.sparql_dataset import EMPTY_GRAPH
from tests.conformance.sparql_dataset import dataset_position
from tests.conformance.sparql_dataset import protocol_dataset
from tests.conformance.sparql_dataset import with_dataset
from tests.conformance.sparql_engines import ENGINES
from tests.conformance.sparql_eval import KNOWN_FAILURES
from tests.conformance.sparql_eval import EngineScore
from tests.conformance.sparql_eval import read_known
from tests.conformance.sparql_eval import score
from tests.conformance.sparql_manifest import EvalCase
from tests.conformance.sparql_manifest import eval_cases
from tests.conformance.sparql_protocol import Exchange
from tests.conformance.sparql_protocol import answer_problem
from tests.conformance.sparql_protocol import protocol_cases
from tests.conformance.sparql_protocol import psikg_path
from tests.conformance.sparql_results import CsvTable
from tests.conformance.sparql_results import Solutions
from tests.conformance.sparql_results import read_csv
from tests.conformance.sparql_results import same_answer

XSD = "http://www.w3.org/2001/XMLSchema#"
S = "http://s.example/"


def _case(data: tuple[str, ...] = (S + "d.ttl",), graphs: tuple[str, ...] = ()) -> EvalCase:
    return EvalCase("folder/test", S + "q.rq", data, graphs, S + "r.srx")


def _rows(*rows: dict[str, Any]) -> Solutions:
    return Solutions(tuple(sorted({name for row in rows for name in row})), rows)


def test_blank_nodes_are_equal_up_to_a_one_to_one_renaming() -> None:
    a, b, x, y = (ox.BlankNode(label) for label in "abxy")
    expected = _rows({"s": a, "o": b}, {"s": b, "o": a})
    assert same_answer(expected, _rows({"s": y, "o": x}, {"s": x, "o": y}), "") is None
    # one blank node where the expected answer has two
    assert same_answer(expected, _rows({"s": x, "o": x}, {"s": x, "o": x}), "") is not None


def test_numeric_literals_of_one_datatype_are_equal_by_value_not_across_datatypes() -> None:
    def number(text: str, kind: str) -> Solutions:
        return _rows({"n": ox.Literal(text, datatype=ox.NamedNode(XSD + kind))})

    assert same_answer(number("1.0", "decimal"), number("1.00", "decimal"), "") is None
    assert same_answer(number("1.0E6", "double"), number("1000000", "double"), "") is None
    assert same_answer(number("1", "integer"), number("1.0", "decimal"), "") is not None
    assert same_answer(_rows({"n": ox.Literal("01")}), _rows({"n": ox.Literal("1")}),
                       "") is not None


def test_rows_are_compared_in_order_only_under_order_by() -> None:
    one, two = ({"v": ox.Literal(text)} for text in "12")
    assert same_answer(_rows(one, two), _rows(two, one), "SELECT * {}") is None
    assert same_answer(_rows(one, two), _rows(two, one),
                       "SELECT * {} ORDER BY ?v") == "the rows differ (in order)"
    assert same_answer(_rows(one, one), _rows(one, two), "SELECT * {}") is not None


def test_csv_columns_may_come_in_any_order_but_cells_must_match() -> None:
    expected = read_csv("s,o\r\n_:a,1\r\n")
    assert same_answer(expected, CsvTable(("o", "s"), (("1", "_:zz"),)), "") is None
    assert same_answer(expected, CsvTable(("o", "s"), (("1.0", "_:zz"),)), "") is not None


def test_graphs_are_compared_by_isomorphism() -> None:
    p = ox.NamedNode(S + "p")
    left = [ox.Triple(ox.BlankNode("a"), p, ox.Literal("x"))]
    assert same_answer(left, [ox.Triple(ox.BlankNode("b"), p, ox.Literal("x"))], "") is None
    assert same_answer(left, [ox.Triple(ox.NamedNode(S + "b"), p, ox.Literal("x"))],
                       "") is not None
    assert same_answer(True, False, "") == "expected True, got False"


@pytest.mark.parametrize("query", [
    "PREFIX : <http://x/WHERE#>\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT * { ?s ?p '{WHERE}' } # WHERE {",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o }",
    "SELECT ?s (EXISTS { ?s ?p 1 } AS ?e) { ?s ?p ?o }",
])
def test_the_dataset_goes_where_the_grammar_wants_it(query: str) -> None:
    store = ox.Store()
    triple = ox.Quad(ox.NamedNode(S + "s"), ox.NamedNode(S + "p"), ox.Literal("{WHERE}"),
                     ox.NamedNode(S + "d.ttl"))
    store.add(triple)
    text = with_dataset(_case(), query)
    assert text.startswith(f"BASE <{S}q.rq>\n")
    answer = store.query(text)  # parses: FROM sits before the pattern
    if isinstance(answer, ox.QueryBoolean):
        assert bool(answer)
    else:
        assert list(answer), text  # the named graph is the default graph
    assert "FROM <" in text[:dataset_position(text) + 30]


def test_a_test_without_data_queries_an_empty_graph_and_its_own_from_stays() -> None:
    assert f"FROM <{EMPTY_GRAPH}>" in with_dataset(_case(data=()), "SELECT * {}")
    named = with_dataset(_case(graphs=(S + "g1",)), "SELECT * { GRAPH ?g {} }")
    assert f"FROM NAMED <{S}g1>" in named
    own = "BASE <http://b/> SELECT * FROM <x.ttl> { ?s ?p ?o }"
    assert with_dataset(_case(), own) == own
    assert protocol_dataset(_case(graphs=(S + "g1",))) == [
        ("default-graph-uri", S + "d.ttl"), ("named-graph-uri", S + "g1")]


def test_a_failure_off_the_known_list_is_a_regression_and_a_fixed_one_is_named() -> None:
    known = read_known("# why\nembedded f/a Oxigraph does it otherwise\n"
                       "virtuoso f/b Virtuoso refuses it\n")
    results = [EngineScore("embedded", {"f/a": "x", "f/c": "rows differ"}),
               EngineScore("virtuoso", {})]
    result = score(results, 3, known)
    assert [(v.focus, v.path) for v in result.violations] == [("f/c", "embedded")]
    assert result.fixed == ["virtuoso f/b"]
    assert result.score_line().startswith(
        "sparql11-query: embedded 1/3, virtuoso 3/3 passed; 1 regression; now passing")


def test_an_engine_that_did_not_start_fails_the_suite() -> None:
    result = score([EngineScore("virtuoso", unavailable="virtuoso-t is not installed")], 3, {})
    assert result.violations and "not run" in result.score_line()


def test_the_known_failures_file_names_an_engine_and_a_reason_on_every_line() -> None:
    known = read_known(KNOWN_FAILURES.read_text(encoding="utf-8"))
    assert {engine for engine, _ in known} <= set(ENGINES)
    assert all(len(reason) > 20 for reason in known.values())
    with pytest.raises(ValueError, match="line 1"):
        read_known("oxigraph f/a reason\n")


@pytest.mark.conformance
def test_every_known_failure_is_a_test_of_the_suite() -> None:
    names = {case.name for case in eval_cases(shared_dir())}
    known = read_known(KNOWN_FAILURES.read_text(encoding="utf-8"))
    assert len(names) == 235
    assert {name for _, name in known} <= names


def _response(status: int, media_type: str, body: bytes) -> requests.Response:
    answer = requests.Response()
    answer.status_code, answer._content = status, body  # noqa: SLF001 - a read body
    answer.headers["Content-Type"] = media_type
    return answer


def _exchange(statuses: frozenset[int], form: str | None = None,
              boolean: bool | None = None) -> Exchange:
    return Exchange("POST", "/sparql/", (), b"ASK {}", statuses, form, boolean)


def test_a_protocol_answer_is_checked_for_status_class_format_and_boolean() -> None:
    ask = _response(200, "application/sparql-results+json", b'{"head":{},"boolean":true}')
    assert answer_problem(_exchange(frozenset({2, 3}), "boolean", True), ask) is None
    assert answer_problem(_exchange(frozenset({2}), "boolean", False), ask) == \
        "ASK answered True, wanted False"
    assert answer_problem(_exchange(frozenset({2}), "tabular"), ask) == \
        "wanted solutions, got a boolean"
    assert answer_problem(_exchange(frozenset({2}), "RDF"), ask) is not None
    assert "status 200, wanted 4xx" in (answer_problem(_exchange(frozenset({4})), ask) or "")
    rdf = _response(200, "application/n-triples", b"<http://a> <http://b> <http://c> .\n")
    assert answer_problem(_exchange(frozenset({2}), "RDF"), rdf) is None
    broken = _response(200, "application/n-triples", b"<http://a> <http://b> .\n")
    assert "unreadable" in (answer_problem(_exchange(frozenset({2}), "RDF"), broken) or "")


def test_the_manifests_sparql_path_is_psikgs() -> None:
    assert psikg_path("/sparql/") == "/sparql"
    assert psikg_path("/sparql/?query=ASK%20%7B%7D") == "/sparql?query=ASK%20%7B%7D"


@pytest.mark.conformance
def test_the_protocol_manifest_reads_as_34_tests_of_39_requests() -> None:
    cases = protocol_cases(shared_dir())
    assert len(cases) == 34 and sum(len(case.exchanges) for case in cases) == 39
    assert {status for case in cases for e in case.exchanges for status in e.statuses} == \
        {2, 3, 4}
