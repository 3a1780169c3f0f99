"""Header errors name the file and line; values are bound as RDF terms and cannot change a
query's shape, whatever they hold (quotes, ``>``, ``}``, line breaks, SPARQL keywords)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.canned.binding import bind
from graph.canned.binding import values_block
from graph.canned.library import LibraryError
from graph.canned.library import load_library
from graph.canned.library import load_query
from graph.canned.params import ParameterError
from graph.canned.run import StoreExecutor
from graph.canned.run import check_values
from graph.canned.run import run
from graph.errors import InputError
from graph.store import Store

QUERY = """#+ title: {fr: Recherche, nl: Zoeken, en: Search}
#+ description: {fr: Par titre, nl: Op titel, en: By title}
#+ parameters:
#+   text: {type: string, title: {fr: Texte, nl: Tekst, en: Text}}
#+   thing: {type: iri, title: {fr: Chose, nl: Ding, en: Thing}}
SELECT ?s ?text WHERE {
  ?s <http://example.org/title> ?text .
  FILTER(!BOUND(?thing) || ?s = ?thing)
}
"""
NASTY = [
    'a"b', "a'b", 'x" } ; DROP ALL ; INSERT DATA { <http://e/x> <http://e/p> "y', "a>b",
    "}", "{", "line\nbreak", "carriage\rreturn", "SELECT * WHERE { ?s ?p ?o }",
    "\\u0022 } DROP ALL", "# comment\n} DELETE WHERE { ?s ?p ?o", 'tab\t"', "\\", "ünïcødé ✓",
]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    data = "".join(f'<http://example.org/s{i}> <http://example.org/title> {ox.Literal(v)} .\n'
                   for i, v in enumerate(NASTY))
    source = tmp_path / "data.nt"
    source.write_text(data, encoding="utf-8")
    store.load_file(source)
    return store


@pytest.mark.parametrize("value", NASTY)
def test_a_nasty_string_is_one_literal_and_the_query_keeps_its_shape(
        tmp_path: Path, store: Store, value: str) -> None:
    query = load_query(write(tmp_path, "search", QUERY))
    before = len(store.graph_ntriples(store.live_graphs()[0].value))
    result = run(query, StoreExecutor(store), {"text": [value]})
    assert [row[1].value for row in result.rows] == [value]  # type: ignore[union-attr]
    assert len(store.graph_ntriples(store.live_graphs()[0].value)) == before
    block = values_block({"text": [ox.Literal(value)]})
    bound = bind(query.query.text, query.query.shape, {"text": [ox.Literal(value)]})
    assert bound.replace(f" {block} ", "", 1) == query.query.text
    echoed = next(iter(ox.Store().query(f"SELECT ?text WHERE {{ {block} }}")))
    assert echoed["text"] == ox.Literal(value)


@pytest.mark.parametrize("value", ["http://e/a>b", "http://e/a b", "http://e/}", "not an iri",
                                   "http://e/a\n", 'http://e/"'])
def test_a_bad_iri_is_refused_naming_the_parameter(tmp_path: Path, value: str) -> None:
    query = load_query(write(tmp_path, "search", QUERY))
    with pytest.raises(ParameterError) as caught:
        check_values(query, {"thing": [value]})
    assert caught.value.details["parameter"] == "thing"
    assert "IRI" in (caught.value.expected or "")


def test_values_agree_with_pyoxigraph_substitutions_where_those_work(
        tmp_path: Path, store: Store) -> None:
    query = load_query(write(tmp_path, "search", QUERY))
    for value in NASTY:
        ours = run(query, StoreExecutor(store), {"text": [value]}).rows
        theirs = store.query(query.query.text,
                             substitutions={ox.Variable("text"): ox.Literal(value)})
        assert ours == [tuple(s[v] for v in ("s", "text")) for s in theirs]


@pytest.mark.parametrize(("kind", "value"), [
    ("integer", "1.5"), ("integer", "1e3"), ("decimal", "1,5"), ("date", "2024-02-30"),
    ("date", "01/02/2024"), ("year", "24"), ("year", "2024-01"), ("boolean", "maybe"),
])
def test_a_wrong_value_names_the_parameter_and_the_type(tmp_path: Path, kind: str,
                                                        value: str) -> None:
    text = QUERY.replace("{type: string,", f"{{type: {kind},")
    query = load_query(write(tmp_path, "typed", text))
    with pytest.raises(ParameterError) as caught:
        check_values(query, {"text": [value]})
    assert caught.value.details["parameter"] == "text"
    assert caught.value.details["parameter_type"] == kind
    assert "text" in caught.value.one_line() and caught.value.expected


BAD_HEADERS = [
    ("#+ title: [unclosed\n", "invalid-header", 1),
    ("#+ title: {fr: a, nl: b, en: c}\n#+ description: {fr: a, nl: b}\n", "invalid-header", 2),
    (QUERY.replace("#+ parameters:", "#+ parametres:"), "invalid-header", 3),
    (QUERY.replace("type: iri", "type: url"), "invalid-header", 5),
    (QUERY.replace("FILTER(!BOUND(?thing) || ?s = ?thing)", ""), "unused-parameter", 5),
    (QUERY.replace("<http://example.org/title> ?text .", "<http://example.org/title> ?text ,, ."),
     "invalid-query", 8),  # where the parser stops: the line after the ",,"
    (QUERY + "#+ late: header\n", "invalid-header", 10),
    ("SELECT * {}\n", "missing-header", 1),
    (QUERY.replace("SELECT ?s ?text WHERE", "CONSTRUCT WHERE"), "invalid-query", 6),
]


@pytest.mark.parametrize(("text", "kind", "line"), BAD_HEADERS)
def test_a_bad_file_is_an_error_naming_file_and_line(tmp_path: Path, text: str, kind: str,
                                                     line: int) -> None:
    path = write(tmp_path, "bad", text)
    with pytest.raises(InputError) as caught:
        load_query(path)
    assert (caught.value.type, caught.value.file, caught.value.line) == (kind, str(path), line)
    with pytest.raises(LibraryError):
        load_library(tmp_path)


def test_a_list_parameter_becomes_one_values_block(tmp_path: Path, store: Store) -> None:
    text = QUERY.replace("{type: string,", "{type: string, list: true,")
    query = load_query(write(tmp_path, "list", text))
    result = run(query, StoreExecutor(store), {"text": ["a>b", "}", "a>b"]})
    assert sorted(row[1].value for row in result.rows) == ["a>b", "}"]  # type: ignore[union-attr]


SUB_SELECT = """#+ title: {fr: Compte, nl: Telling, en: Count}
#+ description: {fr: Titres, nl: Titels, en: Titles}
#+ parameters:
#+   text: {type: string, list: true, title: {fr: Texte, nl: Tekst, en: Text}}
SELECT ?n (IF(?n = 0, "none", ?n) AS ?said) WHERE {
  SELECT (COUNT(?s) AS ?n) WHERE { ?s <http://example.org/title> ?text }
}
"""


@pytest.mark.parametrize(("values", "said"), [
    (["a>b", "}"], 2), (["nothing"], "none"), ([], len(NASTY))])
def test_values_reach_the_sub_select_that_is_the_whole_where_group(
        tmp_path: Path, store: Store, values: list[str], said: object) -> None:
    """``WHERE { SELECT … }``: the values filter what the sub-SELECT counts (granted-vs-paid
    sums so, for its IF to test no aggregate: Virtuoso's SQ156)."""
    query = load_query(write(tmp_path, "sub", SUB_SELECT))
    result = run(query, StoreExecutor(store), {"text": values})
    assert [row[1].value for row in result.rows] == [str(said)]  # type: ignore[union-attr]


JOINED = """#+ title: {fr: Titre, nl: Titel, en: Title}
#+ description: {fr: Par titre, nl: Op titel, en: By title}
#+ parameters:
#+   text: {type: string, title: {fr: Texte, nl: Tekst, en: Text}}
SELECT ?s WHERE {
  ?s <http://example.org/title> ?any .
  { SELECT ?s PROJECTED WHERE { ?s <http://example.org/title> ?text } }
}
"""


def test_a_parameter_a_sub_select_projects_joins_it(tmp_path: Path, store: Store) -> None:
    """The binding reaches a sub-SELECT through its projection (subsidies-by-municipality
    joins the names in ``?lang`` so: Virtuoso does not see ``?lang`` in a FILTER of the
    OPTIONAL)."""
    query = load_query(write(tmp_path, "joined", JOINED.replace("PROJECTED", "?text")))
    result = run(query, StoreExecutor(store), {"text": ["a>b"]})
    assert [row[0] for row in result.rows] == [ox.NamedNode(f"http://example.org/s{NASTY.index('a>b')}")]
    path = write(tmp_path, "unjoined", JOINED.replace("PROJECTED", "(STR(?text) AS ?t)"))
    with pytest.raises(InputError, match="only inside a sub-SELECT") as caught:
        load_query(path)
    assert (caught.value.type, caught.value.line) == ("unused-parameter", 4)
