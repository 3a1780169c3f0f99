"""The store: one graph per source, atomic replacement, provenance, and clear errors."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import InputError
from graph.errors import NotFoundError
from graph.errors import UsageError
from graph.sources import Source
from graph.store import STAGING_PREFIX
from graph.store import Store
from tests.conftest import write

BASE = "https://data.psikg.example/"
TTL = "@prefix ex: <http://ex/> .\nex:a a ex:Thing ; ex:name \"A\" .\nex:b a ex:Thing .\n"


def count(store: Store, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)


def test_turtle_goes_to_a_graph_named_after_the_file(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "bodies.ttl", TTL)
    with Store(store_dir) as store:
        result = store.load_file(source)
        assert result.graphs == {BASE + "graph/bodies.ttl": 3}
        assert count(store, BASE + "graph/bodies.ttl") == 3


def test_provenance_records_origin_checksum_format_and_count(tmp_path: Path,
                                                             store_dir: Path) -> None:
    source = write(tmp_path / "bodies.ttl", TTL)
    with Store(store_dir) as store:
        store.load_file(source)
        [info] = [g for g in store.graphs() if g.iri == BASE + "graph/bodies.ttl"]
    assert info.provenance is not None
    assert info.provenance.origin == source.resolve().as_uri()
    assert info.provenance.checksum == hashlib.sha256(source.read_bytes()).hexdigest()
    assert info.provenance.format_iri == "http://www.w3.org/ns/formats/Turtle"
    assert info.provenance.triples == 3
    assert info.validation is None


def test_reloading_replaces_the_graph(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "bodies.ttl", TTL)
    with Store(store_dir) as store:
        store.load_file(source)
        write(source, "<http://ex/c> <http://ex/p> <http://ex/d> .")
        store.load_file(source)
        assert count(store, BASE + "graph/bodies.ttl") == 1
        provenance = [g.provenance for g in store.graphs() if g.provenance]
        assert [p.triples for p in provenance] == [1]


def test_trig_keeps_its_graph_names_and_reload_drops_graphs_it_no_longer_has(
        tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "two.trig", "<http://g/1> { <http://a> <http://p> 1 }\n"
                   "<http://g/2> { <http://a> <http://p> 2 }\n<http://a> <http://p> 0 .\n")
    with Store(store_dir) as store:
        result = store.load_file(source)
        assert result.graphs == {"http://g/1": 1, "http://g/2": 1, BASE + "graph/two.trig": 1}
        write(source, "<http://g/1> { <http://a> <http://p> 1, 3 }\n")
        store.load_file(source)
        names = {g.iri for g in store.graphs()}
        assert names == {"http://g/1", BASE + "graph/meta"}
        assert count(store, "http://g/1") == 2


def test_graph_option_overrides_trig_graph_names(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "two.nq", "<http://a> <http://p> \"1\" <http://g/1> .\n"
                   "<http://a> <http://p> \"2\" <http://g/2> .\n")
    with Store(store_dir) as store:
        result = store.load_file(source, graph="http://mine")
        assert result.graphs == {"http://mine": 2}


@pytest.mark.parametrize(("name", "text"), [
    ("a.nt", "<http://a> <http://p> \"x\" .\n"),
    ("a.nq", "<http://a> <http://p> \"x\" <http://g> .\n"),
    ("a.rdf", "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-"
     "syntax-ns#' xmlns:ex='http://ex/'><rdf:Description rdf:about='http://a'><ex:p>x</ex:p>"
     "</rdf:Description></rdf:RDF>\n"),
    ("a.jsonld", '{"@context": {"p": "http://ex/p"}, "@id": "http://a", "p": "x"}'),
    ("a.ttl", "<http://a> <http://p> \"x\" ."),
])
def test_every_rdf_format_loads(tmp_path: Path, store_dir: Path, name: str, text: str) -> None:
    with Store(store_dir) as store:
        assert store.load_file(write(tmp_path / name, text)).triples == 1


def test_a_failing_file_leaves_the_store_as_it_was(tmp_path: Path, store_dir: Path) -> None:
    good = write(tmp_path / "good.ttl", TTL)
    with Store(store_dir) as store:
        store.load_file(good)
        before = store.dump(io.BytesIO(), ox.RdfFormat.N_QUADS) or store.graphs()
        write(good, TTL + "<http://ex/new> <http://ex/p> 1 .")
        bad = write(tmp_path / "bad.ttl", "@prefix ex: <http://ex/> .\nex:a ex:b ")
        with pytest.raises(InputError) as caught:
            store.load_files([good, bad])
        assert (caught.value.file, caught.value.line, caught.value.column) == (str(bad), 2, 11)
        assert count(store, BASE + "graph/good.ttl") == 3
        assert store.graphs() == before
        assert not [g for g in store.graphs() if g.iri.startswith(STAGING_PREFIX)]


def test_truncated_rdfxml_is_an_error_with_its_position(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "cut.rdf", "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-"
                   "syntax-ns#'>\n<rdf:Description rdf:about='http://a'>")
    with Store(store_dir) as store, pytest.raises(InputError) as caught:
        store.load_file(source)
    assert caught.value.line == 2
    assert "not well-formed" in caught.value.message


def test_xml_entities_are_refused(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "xxe.rdf", "<?xml version='1.0'?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "
                   "\"file:///etc/passwd\">]>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/"
                   "22-rdf-syntax-ns#'/>")
    with Store(store_dir) as store, pytest.raises(InputError, match="entit"):
        store.load_file(source)


def test_jsonld_remote_context_is_never_fetched(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "remote.jsonld",
                   '{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://a"}')
    with Store(store_dir) as store, pytest.raises(InputError) as caught:
        store.load_file(source)
    assert caught.value.type == "remote-context"


def test_unknown_extension_is_a_usage_error(tmp_path: Path, store_dir: Path) -> None:
    source = write(tmp_path / "data.xlsx", "not rdf")
    with Store(store_dir) as store, pytest.raises(UsageError) as caught:
        store.load_file(source)
    assert caught.value.value == ".xlsx"


def test_meta_graph_cannot_be_overwritten(tmp_path: Path, store_dir: Path) -> None:
    with Store(store_dir) as store, pytest.raises(UsageError):
        store.load_file(write(tmp_path / "a.ttl", TTL), graph=BASE + "graph/meta")


def test_query_default_graph_is_the_union_unless_from_is_given(tmp_path: Path,
                                                               store_dir: Path) -> None:
    with Store(store_dir) as store:
        store.load_file(write(tmp_path / "a.ttl", "<http://a> <http://p> \"a\" ."))
        store.load_file(write(tmp_path / "b.ttl", "<http://b> <http://p> \"b\" ."))
        union = {r["o"].value for r in store.query("SELECT ?o { ?s <http://p> ?o }")}
        only_b = {r["o"].value for r in store.query(
            f"SELECT ?o FROM <{BASE}graph/b.ttl> {{ ?s <http://p> ?o }}")}
    assert union == {"a", "b"}
    assert only_b == {"b"}


def test_query_syntax_error_has_line_and_column(store_dir: Path) -> None:
    with Store(store_dir) as store, pytest.raises(UsageError) as caught:
        store.query("SELECT *\nWHERE { ?s ?p }")
    assert (caught.value.line, caught.value.column) == (2, 16)


def test_drop_removes_graph_and_provenance(tmp_path: Path, store_dir: Path) -> None:
    with Store(store_dir) as store:
        store.load_file(write(tmp_path / "a.ttl", TTL))
        store.drop_graph(BASE + "graph/a.ttl")
        assert [g.iri for g in store.graphs() if g.triples] == []
        with pytest.raises(NotFoundError):
            store.drop_graph(BASE + "graph/a.ttl")


def test_staging_graphs_left_by_a_dead_load_are_removed_on_open(store_dir: Path) -> None:
    with Store(store_dir) as store:
        store._store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"),
                                 ox.Literal("x"), ox.NamedNode(STAGING_PREFIX + "dead/g")))
    with Store(store_dir) as store:
        assert store.graphs() == []
        assert list(store._store.named_graphs()) == []


def test_a_stream_source_is_staged_validatable_then_committed(store_dir: Path) -> None:
    from graph.sources import Source

    stream = io.BytesIO(b'<http://ex/a> <http://ex/p> "streamed" .\n')
    sheet = (BASE + "vocab/sheet", ox.Literal("Subsides"))
    source = Source(origin="https://example.org/registry.csv", fmt=ox.RdfFormat.N_TRIPLES,
                    default_graph=BASE + "graph/registry", stream=stream, checksum="ab" * 32,
                    extra=(sheet,))
    with Store(store_dir) as store:
        staged = store.stage([source])
        hidden = count(store, BASE + "graph/registry")
        assert hidden == 0  # staged data is not visible yet
        assert len(store.graph_ntriples(staged.where(BASE + "graph/registry"))) > 0
        [result] = store.commit(staged)
        assert result.graphs == {BASE + "graph/registry": 1}
        assert result.checksum == "ab" * 32
        rows = store.query(f"SELECT ?v {{ GRAPH <{store.meta_graph}> "
                           f"{{ <{BASE}graph/registry> <{BASE}vocab/sheet> ?v }} }}")
        assert [row["v"].value for row in rows] == ["Subsides"]


def test_an_aborted_stage_leaves_nothing(tmp_path: Path, store_dir: Path) -> None:
    with Store(store_dir) as store:
        store.load_file(write(tmp_path / "a.ttl", TTL))
        before = store.graphs()
        changed = write(tmp_path / "a.ttl", TTL + "<x:y> <x:p> 1 .")
        staged = store.stage([store.file_source(write(tmp_path / "b.ttl", TTL)),
                              store.file_source(changed)])
        store.abort(staged)
        assert store.graphs() == before
        assert len(list(store._store.named_graphs())) == len(before)


def parts_source(graph: str, rows: int) -> Source:
    """``rows`` triples in two parts, cut between lines, as the converter gives them."""
    lines = [b'<http://ex/s%d> <http://ex/p> "%d" .\n' % (n, n) for n in range(rows)]
    return Source(origin=f"{graph}.csv", fmt=ox.RdfFormat.N_TRIPLES,
                  default_graph=graph, checksum="cd" * 32,
                  parts=iter([b"".join(lines[:rows // 2]), b"".join(lines[rows // 2:])]))


def test_a_compaction_started_early_overlaps_later_staging_and_commit_waits_for_it(
        store_dir: Path) -> None:
    """``optimize_in_background`` while more is staged: the commit makes all of it visible
    and the compaction has ended when it returns (another compaction can start)."""
    with Store(store_dir) as store:
        first = store.stage([parts_source(BASE + "graph/one", 20_000)])
        store.optimize_in_background()
        second = store.stage([parts_source(BASE + "graph/two", 5_000)])
        store.commit(first)
        assert store._compacting is None
        store.commit(second)
        assert count(store, BASE + "graph/one") == 20_000
        assert count(store, BASE + "graph/two") == 5_000


def test_a_stage_asked_to_compact_starts_before_counting_and_commit_waits_for_it(
        store_dir: Path) -> None:
    with Store(store_dir) as store:
        staged = store.stage([parts_source(BASE + "graph/one", 20_000)], compact=True)
        assert store._compacting is not None
        assert staged.counts == [{BASE + "graph/one": 20_000}]
        store.commit(staged)
        assert store._compacting is None
        assert count(store, BASE + "graph/one") == 20_000


def test_an_abort_waits_for_an_early_compaction_and_leaves_nothing(store_dir: Path) -> None:
    with Store(store_dir) as store:
        staged = store.stage([parts_source(BASE + "graph/one", 20_000)])
        store.optimize_in_background()
        store.abort(staged)
        assert store._compacting is None
        assert len(store._store) == 0
    with Store(store_dir) as reopened:  # the folder was released: nothing left running
        assert len(reopened._store) == 0
