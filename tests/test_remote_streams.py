"""An engine's answer written again as it comes (:mod:`graph.remote.streams`): fed in small
pieces, so that it is cut into many batches, it reads as the same answer in every format
psikg offers; Virtuoso's blank node labels and booleans are fixed, and nothing else."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.formats import GRAPH_FORMATS
from graph.formats import RESULT_FORMATS
from graph.remote import streams
from graph.remote.protocol import json_results

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def pieces(data: bytes, size: int = 997) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


def virtuoso_xml(rows: int) -> bytes:
    """SPARQL XML results as Virtuoso 7.2 writes them: its own layout, ``nodeID://``
    labels, booleans spelt ``1`` and ``0``, and text that only looks like those."""
    results = "".join(
        f'  <result>\n   <binding name="s"><uri>http://ex.example/s{i}</uri></binding>\n'
        f'   <binding name="o">{o}</binding>\n  </result>\n'
        for i in range(rows) for o in [
            f"<bnode>nodeID://b{10000 + i % 3}</bnode>" if i % 3 == 0 else
            f'<literal datatype="{XSD_BOOLEAN}">{i % 2}</literal>' if i % 3 == 1 else
            '<literal xml:lang="fr">a\n&lt;bnode&gt;nodeID://x&lt;/bnode&gt; &amp; 1</literal>'])
    return (b'<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n <head>\n'
            b'  <variable name="s"/>\n  <variable name="o"/>\n </head>\n'
            b' <results distinct="false" ordered="true">\n' + results.encode()
            + b" </results>\n</sparql>")


def expected(rows: int) -> list[tuple[str, str]]:
    def label(i: int) -> str:
        return f"_:b{10000 + i % 3}"  # Virtuoso's CONSTRUCT answers' spelling

    return [(f"<http://ex.example/s{i}>",
             label(i) if i % 3 == 0 else
             f'"{"true" if i % 2 else "false"}"^^<{XSD_BOOLEAN}>' if i % 3 == 1 else
             '"a\\n<bnode>nodeID://x</bnode> & 1"@fr') for i in range(rows)]


@pytest.mark.parametrize("fmt", [f.results for f in RESULT_FORMATS if f.results is not None],
                         ids=str)
def test_select_results_read_alike_in_every_format(fmt: ox.QueryResultsFormat) -> None:
    source = virtuoso_xml(600)
    assert len(source) > 20 * streams.MIN_RUN_BYTES  # many batches
    written = list(streams.solutions_as(pieces(source), fmt))
    assert len(written) > 20
    if fmt == ox.QueryResultsFormat.CSV:  # lossy: values only, no parser reads it back
        rows = list(csv.reader(io.StringIO(b"".join(written).decode())))
        assert rows == [["s", "o"], *([s[1:-1], o.split('"')[1].replace("\\n", "\n")
                                       if o.startswith('"') else o] for s, o in expected(600))]
        return
    found = ox.parse_query_results(b"".join(written), format=fmt)
    assert isinstance(found, ox.QuerySolutions)
    assert [(str(row["s"]), str(row["o"])) for row in found] == expected(600)


def test_labels_match_those_of_psikgs_own_json_reads() -> None:
    """A blank node read in a page (JSON) and in a streamed answer is one node."""
    page = json.loads(json_results(json.dumps({"head": {"vars": ["o"]}, "results": {
        "bindings": [{"o": {"type": "bnode", "value": "nodeID://b10000"}}]}}).encode()))
    streamed = b"".join(streams.solutions_as([virtuoso_xml(1)],
                                             ox.QueryResultsFormat.JSON))
    assert json.loads(streamed)["results"]["bindings"][0]["o"] \
        == page["results"]["bindings"][0]["o"]


def test_no_rows_and_booleans() -> None:
    empty = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
             b'<head><variable name="s"/></head><results/></sparql>')
    assert json.loads(b"".join(streams.solutions_as([empty], ox.QueryResultsFormat.JSON))) \
        == {"head": {"vars": ["s"]}, "results": {"bindings": []}}
    ask = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
           b"<head/><boolean>true</boolean></sparql>")
    assert b"".join(streams.solutions_as(pieces(ask, 7), ox.QueryResultsFormat.CSV)) \
        == b"true"


def test_a_lazy_parse_reads_the_fixed_answer() -> None:
    """What the commands iterate: pyoxigraph's own results, parsed as they are read."""
    found = ox.parse_query_results(streams.xml_reader(pieces(virtuoso_xml(300))),
                                   format=ox.QueryResultsFormat.XML)
    assert [(str(row["s"]), str(row["o"])) for row in found] == expected(300)


@pytest.mark.parametrize("fmt", [f.rdf for f in GRAPH_FORMATS if f.rdf is not None], ids=str)
def test_graphs_read_alike_in_every_format(fmt: ox.RdfFormat) -> None:
    """Batches with booleans to spell again (each triple through Python) and without."""
    with_booleans = "".join(
        f"<http://ex.example/s{i}> <http://ex.example/p> "
        f'{f"_:b{i % 7}" if i % 2 else chr(34) + "1" + chr(34) + "^^<" + XSD_BOOLEAN + ">"} .\n'
        for i in range(900))
    without = "".join(f'<http://ex.example/t{i}> <http://ex.example/q> _:c{i % 5} , "{i}"@fr .\n'
                      .replace(" , ", f' .\n<http://ex.example/t{i}> <http://ex.example/q> ')
                      for i in range(600))
    for triples, objects in ((with_booleans, 8), (without, 605)):
        written = list(streams.triples_as(pieces(triples.encode()), fmt))
        assert len(written) > 10
        found = _read(b"".join(written), fmt)
        wanted = rdflib.Graph().parse(data=triples.replace('"1"^^', '"true"^^'), format="nt")
        assert isomorphic(found, wanted), fmt
        assert len(set(found.objects())) == objects


def _read(data: bytes, fmt: ox.RdfFormat) -> rdflib.Graph:
    """What rdflib reads in ``data``, as one graph."""
    name = {"N-Triples": "nt", "N-Quads": "nquads", "Turtle": "turtle", "TriG": "trig",
            "RDF/XML": "xml", "JSON-LD": "json-ld"}[fmt.name]
    if name not in ("nquads", "trig"):
        return rdflib.Graph().parse(io.BytesIO(data), format=name)
    dataset = rdflib.Dataset().parse(io.BytesIO(data), format=name)
    return rdflib.Graph().parse(data=dataset.serialize(format="nt"), format="nt")
