"""``psikg`` as a user runs it: a real store, exit codes, one-line errors. The commands run
in this process (the ``psikg`` fixture); a real process (``psikg_process``) where its exit
status and stderr are the point: no traceback ever reaches a user."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from tests.conftest import RunPsikg
from tests.conftest import write

TTL = ('@prefix ex: <http://ex/> .\n'
       'ex:a a ex:Thing ; ex:name "Ä \\"quoted\\"" .\nex:b a ex:Thing ; ex:name "B" .\n')
GRAPH = "https://data.psikg.example/graph/things.ttl"
COMMANDS = ["load", "query", "validate", "export", "stats", "graphs", "demo", "describe"]


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout


@pytest.fixture
def loaded(tmp_path: Path, psikg: RunPsikg) -> RunPsikg:
    result = psikg("load", write(tmp_path / "things.ttl", TTL))
    assert result.returncode == 0, result.stderr
    return psikg


@pytest.mark.parametrize("command", [*COMMANDS, "graphs drop"])
def test_every_command_has_help(psikg: RunPsikg, command: str) -> None:
    result = psikg(*command.split(), "--help")
    assert result.returncode == 0
    assert "Usage: psikg" in result.stdout


def test_load_reports_graph_and_count(tmp_path: Path, psikg: RunPsikg) -> None:
    result = psikg("load", write(tmp_path / "things.ttl", TTL))
    assert result.stdout.strip().endswith(f"4 triples into <{GRAPH}>")


def test_store_from_environment(tmp_path: Path) -> None:
    env = {**os.environ, "PSIKG_STORE": str(tmp_path / "envstore")}
    source = write(tmp_path / "things.ttl", TTL)
    subprocess.run([sys.executable, "-m", "psikg", "load", str(source)], env=env, check=True,
                   capture_output=True)
    assert (tmp_path / "envstore").is_dir()


def test_graphs_lists_provenance_as_json(loaded: RunPsikg, tmp_path: Path) -> None:
    records = json.loads(loaded("graphs", "--format", "json").stdout)
    [record] = [r for r in records if r["graph"] == GRAPH]
    assert record["triples"] == 4
    assert record["origin"] == (tmp_path / "things.ttl").resolve().as_uri()
    assert len(record["sha256"]) == 64


def test_stats_counts_triples_and_instances(loaded: RunPsikg) -> None:
    figures = json.loads(loaded("stats", "--format", "json").stdout)
    assert figures["graphs"][GRAPH] == 4
    assert figures["classes"]["http://ex/Thing"] == 2


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_select_in_every_results_format(loaded: RunPsikg, fmt: str) -> None:
    result = loaded("query", "SELECT ?n { ?s <http://ex/name> ?n } ORDER BY ?n", "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows == [["n"], ["B"], ['Ä "quoted"']]
    elif fmt == "json":
        bindings = json.loads(result.stdout)["results"]["bindings"]
        assert [b["n"]["value"] for b in bindings] == ["B", 'Ä "quoted"']
    else:
        assert 'Ä' in result.stdout


@pytest.mark.parametrize(("fmt", "rdflib_format"),
                         [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_construct_in_every_rdf_format(loaded: RunPsikg, fmt: str, rdflib_format: str) -> None:
    result = loaded("query", "CONSTRUCT WHERE { ?s <http://ex/name> ?n }", "--format", fmt)
    graph = rdflib.Graph().parse(data=result.stdout, format=rdflib_format)
    assert len(graph) == 2


def test_query_from_file(loaded: RunPsikg, tmp_path: Path) -> None:
    question = write(tmp_path / "q.rq", "ASK { ?s a <http://ex/Thing> }")
    assert json.loads(loaded("query", f"@{question}").stdout)["boolean"] is True


def test_query_format_that_does_not_fit_the_query_is_a_usage_error(
        loaded: RunPsikg, psikg_process: RunPsikg) -> None:
    result = psikg_process("query", "SELECT * { ?s ?p ?o }", "--format", "turtle")
    assert result.returncode == 2
    no_traceback(result)


def test_query_syntax_error_names_line_and_column(loaded: RunPsikg) -> None:
    result = loaded("query", "SELECT *\nWHERE { ?s ?p }")
    assert result.returncode == 2
    assert "2:16: SPARQL syntax error" in result.stderr


def test_export_round_trips(loaded: RunPsikg) -> None:
    dataset = rdflib.Dataset().parse(data=loaded("export").stdout, format="nquads")
    assert len(dataset.graph(rdflib.URIRef(GRAPH))) == 4
    graph = loaded("export", "--graph", GRAPH, "--format", "turtle").stdout
    assert len(rdflib.Graph().parse(data=graph, format="turtle")) == 4


def test_export_turtle_of_the_whole_store_is_a_usage_error(loaded: RunPsikg) -> None:
    result = loaded("export", "--format", "turtle")
    assert result.returncode == 2
    assert "--graph" in result.stderr


def test_graphs_drop(loaded: RunPsikg) -> None:
    assert loaded("graphs", "drop", GRAPH).returncode == 0
    assert GRAPH not in loaded("graphs").stdout
    again = loaded("graphs", "drop", GRAPH)
    assert again.returncode == 1
    assert f"no graph {GRAPH}" in again.stderr


BAD_INPUTS = {
    "truncated.ttl": ("@prefix ex: <http://ex/> .\nex:a ex:b ", 1, "truncated.ttl:2:11:"),
    "broken.rdf": ("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
                   "<rdf:Description>\n</rdf:RDF>", 1,
                   "broken.rdf:3:3: RDF/XML is not well-formed"),
    "data.xlsx": ("PK\x03\x04", 2, "cannot tell the RDF format of 'data.xlsx'"),
    "remote.jsonld": ('{"@context": "https://schema.org/", "@id": "http://a"}', 1,
                      "never fetches remote contexts"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_one_line_and_leaves_the_store_unchanged(loaded: RunPsikg, tmp_path: Path,
                                                              psikg_process: RunPsikg,
                                                              name: str) -> None:
    text, code, message = BAD_INPUTS[name]
    before = loaded("export").stdout
    result = psikg_process("load", write(tmp_path / name, text))
    assert result.returncode == code
    assert message in result.stderr
    no_traceback(result)
    assert loaded("export").stdout == before


def test_missing_file(loaded: RunPsikg, psikg_process: RunPsikg, tmp_path: Path) -> None:
    result = psikg_process("load", tmp_path / "nowhere.ttl")
    assert result.returncode == 1
    assert "no such file" in result.stderr
    no_traceback(result)


def test_store_held_by_another_process(loaded: RunPsikg, psikg_process: RunPsikg,
                                       store_dir: Path, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from graph.store import Store; "
         f"s = Store({str(store_dir)!r}); print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = psikg_process("load", write(tmp_path / "more.ttl", TTL))
        assert result.returncode == 1
        assert "held by another process" in result.stderr
        no_traceback(result)
    finally:
        holder.communicate("", timeout=30)
    assert "4 triples" in loaded("graphs").stdout


SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://ex/> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:message "a thing needs a label"@en ] .
"""


def test_validate_with_given_shapes_exits_1_on_violations(loaded: RunPsikg,
                                                          tmp_path: Path) -> None:
    shapes = write(tmp_path / "shapes.ttl", SHAPES)
    result = loaded("validate", "--shapes", shapes, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)[GRAPH]
    assert {r["focus_node"] for r in report["results"]} == {"http://ex/a", "http://ex/b"}
    listed = json.loads(loaded("graphs", "--format", "json").stdout)
    [record] = [r for r in listed if r["graph"] == GRAPH]
    assert record["validation"]["violations"] == 2
    assert record["validation"]["conforms"] is False


def test_validate_a_file_without_the_store(tmp_path: Path, psikg: RunPsikg,
                                          store_dir: Path) -> None:
    shapes = write(tmp_path / "shapes.ttl", SHAPES)
    good = write(tmp_path / "good.ttl", '<http://ex/a> a <http://ex/Thing> ; '
                 '<http://ex/label> "A" .')
    result = psikg("validate", "--data", good, "--shapes", shapes)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not store_dir.exists()


def test_validate_unknown_graph(loaded: RunPsikg) -> None:
    result = loaded("validate", "--graph", "http://nowhere")
    assert result.returncode == 1
    assert "no graph http://nowhere" in result.stderr


def test_unknown_option_is_a_usage_error(psikg: RunPsikg) -> None:
    result = psikg("load", "--frobnicate")
    assert result.returncode == 2


def test_convert_knows_the_belgian_formats(psikg: RunPsikg) -> None:
    """`convert` registers psikg's formats and readers, as `load` does: amounts are decimals."""
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = psikg("convert", examples / "subsidies-metadata.json", "--format", "ntriples")
    assert result.returncode == 0, result.stderr
    assert "not a number pattern" not in result.stderr
    decimals = [line for line in result.stdout.splitlines()
                if line.endswith('^^<http://www.w3.org/2001/XMLSchema#decimal> .')]
    assert len(decimals) >= 400
