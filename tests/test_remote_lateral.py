"""``LATERAL`` sent as a plain join to an engine without it (``graph/remote/lateral.py``):
the rewritten query answers as the original on Oxigraph, which reads both; a block that
would answer otherwise keeps its ``LATERAL``."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.remote.lateral import lateral_as_join
from graph.sparql_text import blank

QUERIES = Path(__file__).resolve().parent.parent / "queries"
DATA = b"""
@prefix ex: <http://ex.example/> .
ex:a a ex:T ; ex:label "b", "a" ; ex:n 1 .
ex:b a ex:T ; ex:n 2 .
ex:c a ex:T ; ex:label "c" .
ex:g1 ex:for ex:a ; ex:amount 10 . ex:g2 ex:for ex:a ; ex:amount 5 .
ex:g3 ex:for ex:c ; ex:amount 7 .
"""
PREFIX = "PREFIX ex: <http://ex.example/>\n"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.TURTLE)
    return store


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return sorted(tuple(str(row[n]) for n in names) for row in solutions)


@pytest.mark.parametrize("body", [
    # a name looked up per row: the row without a label stays (OPTIONAL, not a group of it)
    "?s a ex:T LATERAL { OPTIONAL { SELECT ?s (MIN(?l) AS ?name) "
    "WHERE { ?s ex:label ?l } GROUP BY ?s } }",
    "?s a ex:T LATERAL { OPTIONAL { ?s ex:n ?n } }",
    "?s a ex:T LATERAL { { ?g ex:for ?s ; ex:amount ?x } UNION { ?s ex:n ?x } }",
    "?s a ex:T LATERAL { ?g ex:for ?s FILTER NOT EXISTS { ?g ex:amount 5 } }",
])
def test_a_lookup_per_row_becomes_a_join_that_answers_the_same(store: ox.Store,
                                                               body: str) -> None:
    query = f"{PREFIX}SELECT * WHERE {{ {body} }}"
    rewritten = lateral_as_join(query)
    assert "LATERAL" not in rewritten
    assert _rows(store, rewritten) == _rows(store, query)
    assert _rows(store, query)


@pytest.mark.parametrize("body", [
    "?s a ex:T LATERAL { ?g ex:amount ?x FILTER(?x > 6) FILTER EXISTS { ?g ex:for ?s } }",
    "?s a ex:T LATERAL { SELECT ?s ?g WHERE { ?g ex:for ?s } LIMIT 1 }",
    "?s a ex:T LATERAL { { ?g ex:for ?s } UNION { ?g ex:amount 7 FILTER(?s != ex:a) } }",
    "?s a ex:T LATERAL { BIND(STR(?s) AS ?text) }",
])
def test_a_block_that_tests_an_outer_variable_or_slices_per_row_keeps_its_lateral(
        store: ox.Store, body: str) -> None:
    query = f"{PREFIX}SELECT * WHERE {{ {body} }}"
    assert lateral_as_join(query) == query
    plain = query.replace("LATERAL", "")
    assert _rows(store, plain) != _rows(store, query)  # the join would answer otherwise


def test_an_optional_that_only_tests_an_outer_variable_keeps_its_lateral() -> None:
    query = f"{PREFIX}SELECT * {{ ?s a ex:T LATERAL {{ OPTIONAL {{ ?g ex:amount ?x "\
        "FILTER(?g = ?s) } } }"
    assert lateral_as_join(query) == query


def test_lateral_in_a_string_a_comment_or_an_iri_is_left_alone() -> None:
    query = ('SELECT * { ?s <http://x/LATERAL> "LATERAL { }" # LATERAL {\n'
             " LATERAL { ?s <p> ?o } }")
    assert lateral_as_join(query) == query[:-len(" LATERAL { ?s <p> ?o } }")] + \
        "  { ?s <p> ?o } }"


@pytest.mark.parametrize("name", ["beneficiary-profile", "contracts-top-contractors"])
def test_the_canned_queries_lookups_all_become_joins(name: str) -> None:
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    assert "LATERAL" in blank(text)
    assert "LATERAL" not in blank(lateral_as_join(text))
