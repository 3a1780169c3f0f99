"""The parts of psikg's store in another engine that need no engine: HTTP Digest, what each
dialect changes in psikg's updates, blank node labels, the engine settings."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import StoreError
from graph.errors import UsageError
from graph.provenance import Provenance
from graph.provenance import insert_provenance
from graph.remote.ask import ask_as_select
from graph.remote.ask import boolean_results
from graph.remote.dialects import dialect_for
from graph.remote.digest import DigestAuth
from graph.remote.digest import challenge_parameters
from graph.remote.graph_scope import empty_graph_patterns_listed
from graph.remote.graph_scope import foreign_graphs_emptied
from graph.remote.graph_scope import names_a_graph
from graph.remote.graph_scope import scope_graph_variables
from graph.remote.limits import check_lowered
from graph.remote.limits import fit_sorted
from graph.remote.limits import within_own_limit
from graph.remote.protocol import json_results
from graph.settings import Settings
from tests.cli_runs import run_in_process


def test_a_digest_answer_is_rfc_2617s_worked_example() -> None:
    """RFC 2617 section 3.5: Mufasa's request for /dir/index.html."""
    auth = DigestAuth("Mufasa", "Circle Of Life")
    assert auth.header("GET", "/dir/index.html") is None  # nothing before a challenge
    auth.challenged('Digest realm="testrealm@host.com", qop="auth,auth-int", '
                    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
                    'opaque="5ccc069c403ebaf9f0171e9517f40e41"')
    header = auth.header("GET", "/dir/index.html", cnonce="0a4f113b")
    assert header is not None
    fields = challenge_parameters(header)
    assert fields["response"] == "6629fae49393a05397450978507c4ef1"
    assert fields["nc"] == "00000001"
    assert fields["opaque"] == "5ccc069c403ebaf9f0171e9517f40e41"
    assert challenge_parameters(auth.header("GET", "/x") or "")["nc"] == "00000002"


def test_a_challenge_psikg_cannot_answer_is_refused() -> None:
    auth = DigestAuth("u", "p")
    with pytest.raises(ValueError, match="not a Digest"):
        auth.challenged('Basic realm="x"')
    with pytest.raises(ValueError, match="algorithm"):
        auth.challenged('Digest realm="x", nonce="n", algorithm="SHA-512-256"')


def test_virtuoso_gets_psikgs_insert_data_as_an_insert_where() -> None:
    """Virtuoso refuses blank nodes in INSERT DATA (SP031); the provenance has one."""
    record = Provenance("https://g.example/", "file:///a.ttl",
                        "http://www.w3.org/ns/formats/Turtle", "abc", 3,
                        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    update = "DROP SILENT GRAPH <https://g.example/> ;\n" + insert_provenance(
        "https://meta.example/", record)
    rewritten = dialect_for("virtuoso").update_text(update)
    assert rewritten.startswith("DROP SILENT GRAPH <https://g.example/> ;\nINSERT { GRAPH")
    assert rewritten.endswith("} } WHERE { }")
    assert dialect_for("oxigraph").update_text(update) == update
    # Both insert the same triples (up to the blank node's label): run each on a store.
    found = []
    for text in (update, rewritten):
        store = ox.Store()
        store.update(text)
        found.append(sorted(re.sub(r"_:\w+", "_:b", str(quad)) for quad in store))
    assert found[0] == found[1]
    assert len(found[0]) == 8


def test_virtuosos_blank_node_labels_become_labels_pyoxigraph_reads() -> None:
    body = json.dumps({"head": {"vars": ["s", "o"]}, "results": {"bindings": [
        {"s": {"type": "bnode", "value": "nodeID://b10000"},
         "o": {"type": "bnode", "value": "nodeID://b10001"}},
        {"s": {"type": "bnode", "value": "nodeID://b10000"},
         "o": {"type": "typed-literal", "value": "1.5",
               "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}]}}).encode()
    rows = list(ox.parse_query_results(json_results(body), format=ox.QueryResultsFormat.JSON))
    assert rows[0]["s"] == rows[1]["s"] != rows[0]["o"]
    assert rows[0]["s"] == ox.BlankNode("b10000")  # as its CONSTRUCT answers write it
    assert rows[1]["o"] == ox.Literal("1.5", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#decimal"))
    plain = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"bnode","value":"b0"}}]}}'
    assert next(iter(ox.parse_query_results(json_results(plain),
                                            format=ox.QueryResultsFormat.JSON)))["s"] \
        == ox.BlankNode("b0")


def test_an_unknown_engine_kind_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as refused:
        dialect_for("stardog")
    assert refused.value.expected == "one of oxigraph, virtuoso, graphdb, generic"
    done = run_in_process(["graphs"], env={"PSIKG_ENGINE_URL": "http://127.0.0.1:9",
                                           "PSIKG_ENGINE_KIND": "stardog"})
    assert done.returncode == 2
    assert "PSIKG_ENGINE_KIND" in done.stderr or "engine-kind" in done.stderr


def test_the_engine_password_is_the_files_first_line(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("s3cret words\nnext\n", encoding="utf-8")
    assert Settings(engine_password_file=tmp_path / "pw").read_engine_password() \
        == "s3cret words"
    with pytest.raises(UsageError, match="password file"):
        Settings(engine_password_file=tmp_path / "missing").read_engine_password()


def test_serve_in_front_of_an_engine_that_does_not_answer_says_so(tmp_path: Path) -> None:
    done = run_in_process(["--store", str(tmp_path / "s"), "serve", "--get", "/health"],
                          env={"PSIKG_ENGINE_URL": "http://127.0.0.1:9",
                               "PSIKG_ENGINE_KIND": "virtuoso"})
    assert done.returncode == 1
    assert "psikg serve in front of the virtuoso engine at http://127.0.0.1:9" in done.stderr
    assert "HTTP 503" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "s").exists()  # no store of its own


def test_an_empty_graph_pattern_lists_psikgs_graphs() -> None:
    query = 'SELECT ?g WHERE { GRAPH ?g { } FILTER(?g != "GRAPH ?x { }") GRAPH ?h {?s ?p ?o} }'
    assert empty_graph_patterns_listed(query, ["http://a/", "http://b/"]) == (
        'SELECT ?g WHERE { VALUES ?g { <http://a/> <http://b/> } FILTER(?g != "GRAPH ?x { }") '
        "GRAPH ?h {?s ?p ?o} }")


def test_a_sorted_limit_past_what_the_engine_sorts_is_lowered_and_checked() -> None:
    query = 'SELECT ?s WHERE { ?s ?p "LIMIT 3" } ORDER BY ?s\nLIMIT 10001 OFFSET 0'
    sent = fit_sorted(query, 10_000)
    assert sent.text == 'SELECT ?s WHERE { ?s ?p "LIMIT 3" } ORDER BY ?s\nLIMIT 10000 OFFSET 0'
    assert sent.lowered_to == 10_000
    check_lowered(sent, 9_999, "e")  # fewer rows than the lowered LIMIT: the answer is whole
    with pytest.raises(StoreError, match="sorts at most 10000 rows"):
        check_lowered(sent, 10_000, "e")
    assert fit_sorted("SELECT * { ?s ?p ?o } ORDER BY ?s OFFSET 20 LIMIT 100", 10_000).text \
        == "SELECT * { ?s ?p ?o } ORDER BY ?s OFFSET 20 LIMIT 100"
    assert fit_sorted("SELECT * { ?s ?p ?o } LIMIT 20000", 10_000).lowered_to is None
    assert fit_sorted(query, 0).text == query
    with pytest.raises(StoreError, match="cannot start at row 10001"):
        fit_sorted("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 5 OFFSET 10000", 10_000)


def test_an_answer_at_the_cap_is_whole_only_under_its_own_limit() -> None:
    assert within_own_limit("SELECT * { ?s ?p ?o } LIMIT 10000", "10000")
    assert within_own_limit("SELECT * { ?s ?p ?o } OFFSET 5 LIMIT 10", "10000")
    assert not within_own_limit("SELECT * { ?s ?p ?o } LIMIT 10001", "10000")
    assert not within_own_limit("SELECT * { ?s ?p ?o } # LIMIT 10", "10000")
    assert not within_own_limit("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } ?s ?q ?r }",
                                "10000")


def _scope_store() -> ox.Store:
    """Three graphs: two of psikg's and one of the engine's own."""
    store = ox.Store()
    for graph, subject in (("urn:g:a", "urn:s:1"), ("urn:g:b", "urn:s:2"),
                           ("urn:system", "urn:s:3")):
        store.add(ox.Quad(ox.NamedNode(subject), ox.NamedNode("urn:p"), ox.Literal("x"),
                          ox.NamedNode(graph)))
        store.add(ox.Quad(ox.NamedNode("urn:meta"), ox.NamedNode("urn:lists"),
                          ox.NamedNode(graph), ox.NamedNode("urn:g:a")))
    return store


@pytest.mark.parametrize("query", [
    "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s",
    "SELECT ?g WHERE { GRAPH <urn:g:a> { ?m <urn:lists> ?g } "
    "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } } ORDER BY ?g",
    "SELECT ?g WHERE { GRAPH <urn:g:a> { ?m <urn:lists> ?g } "
    "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } ORDER BY ?g",
    "SELECT ?g WHERE { GRAPH ?h { ?m <urn:lists> ?g } "
    "FILTER NOT EXISTS { GRAPH ?g { ?s <urn:p> \"x\" } } } ORDER BY ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH $g { ?s ?p ?o GRAPH ?k { ?t ?q ?r } } }",
])
def test_graph_variables_kept_to_psikgs_graphs_in_the_text_answer_as_the_dataset(
        query: str) -> None:
    """The rewritten query over every graph answers as the query over psikg's graphs."""
    store, graphs = _scope_store(), ["urn:g:a", "urn:g:b"]
    named = [ox.NamedNode(graph) for graph in graphs]
    expected = [str(row) for row in store.query(query, named_graphs=named)]
    for correlated in (False, True):
        scoped = scope_graph_variables(query, graphs, correlated=correlated)
        assert [str(row) for row in store.query(scoped)] == expected, scoped
    assert [str(row) for row in store.query(query)] != expected  # the engine's own graph


def test_a_graph_named_by_iri_outside_psikgs_graphs_names_an_empty_graph() -> None:
    query = ("PREFIX g: <urn:g:>\nSELECT * { GRAPH <urn:system> { ?s ?p ?o } "
             "GRAPH g:a { ?a ?b ?c } GRAPH g:zz { ?d ?e ?f } GRAPH ?v { } }")
    emptied = foreign_graphs_emptied(query, ["urn:g:a"], "urn:empty")
    assert emptied == ("PREFIX g: <urn:g:>\nSELECT * { GRAPH <urn:empty> { ?s ?p ?o } "
                       "GRAPH g:a { ?a ?b ?c } GRAPH <urn:empty> { ?d ?e ?f } GRAPH ?v { } }")
    assert names_a_graph(query)
    assert not names_a_graph('SELECT * { GRAPH ?g { ?s ?p "GRAPH <x>" } }')


def test_a_variable_named_graph_is_no_graph_keyword() -> None:
    """``?graph prov:wasDerivedFrom ?o`` once lost its predicate to the empty graph's IRI
    (sources-freshness answered no row on Virtuoso)."""
    query = "PREFIX prov: <http://www.w3.org/ns/prov#>\nSELECT * { ?graph prov:wasDerivedFrom ?o }"
    assert foreign_graphs_emptied(query, ["urn:g:a"], "urn:empty") == query
    assert not names_a_graph(query)
    assert scope_graph_variables("SELECT * { ?graph ?p ?o { } }", ["urn:g:a"]) == \
        "SELECT * { ?graph ?p ?o { } }"


def test_ask_is_sent_as_a_select_of_one_row() -> None:
    assert ask_as_select("PREFIX a: <urn:ASK>\nask { ?s ?p ?o }") == (
        "PREFIX a: <urn:ASK>\nSELECT (1 AS ?psikg_ask) { ?s ?p ?o }\nLIMIT 1")
    store = _scope_store()
    for query in ("ASK { ?s ?p ?o }", "ASK { GRAPH <urn:nothing> { ?s ?p ?o } }"):
        rows = store.query(ask_as_select(query))
        as_json = boolean_results(_json(rows))
        assert bool(ox.parse_query_results(as_json, format=ox.QueryResultsFormat.JSON)) \
            == bool(store.query(query))


def _json(rows: ox.QuerySolutions) -> bytes:
    output = io.BytesIO()
    rows.serialize(output, format=ox.QueryResultsFormat.JSON)
    return output.getvalue()
