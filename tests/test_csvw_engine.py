"""The CSVW engine on psikg's own fixtures: templates, datatypes, null/default/separator,
virtual columns, foreign keys, modes, strict and lenient cell errors, streaming memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from loaders.csvw import CsvwError
from loaders.csvw.convert import csv2rdf
from loaders.csvw.templates import Template

FIXTURES = Path(__file__).parent / "fixtures" / "csvw"
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def triples(conversion) -> set[tuple[str, str, str]]:
    data = b"".join(conversion.chunks())
    return {(str(t.subject), str(t.predicate), str(t.object))
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


def objects(found: set[tuple[str, str, str]], subject: str, predicate: str) -> set[str]:
    return {o for s, p, o in found if s == f"<{subject}>" and p == f"<{predicate}>"}


def test_templates_datatypes_null_default_separator_virtual() -> None:
    found = triples(csv2rdf(FIXTURES / "subsidies.csv", mode="minimal"))
    one = "https://example.org/subsidy/1"
    assert objects(found, one, SCHEMA + "amount") == {f'"1234.56"^^<{XSD}decimal>'}
    assert objects(found, one, "http://purl.org/dc/terms/date") == {f'"2023-12-31"^^<{XSD}date>'}
    assert objects(found, one, SCHEMA + "name") == {'"Asbl Les Amis"@fr'}
    assert objects(found, one, SCHEMA + "keywords") == {'"culture"', '"youth"'}
    assert objects(found, one, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == {
        f"<{SCHEMA}MonetaryGrant>"}
    three = "https://example.org/subsidy/3"
    assert objects(found, three, SCHEMA + "amount") == set()  # "n/a" is null
    assert objects(found, three, SCHEMA + "location") == {"<https://example.org/region/BE-BRU>"}
    assert objects(found, "https://example.org/subsidy/2", SCHEMA + "keywords") == set()


def test_standard_mode_describes_group_table_and_rows() -> None:
    found = triples(csv2rdf(FIXTURES / "subsidies.csv"))
    predicates = {p for _, p, _ in found}
    assert "<http://www.w3.org/ns/csvw#rownum>" in predicates
    assert "<http://www.w3.org/ns/csvw#describes>" in predicates
    assert any(o == '"Subsides"@fr' for _, _, o in found)
    minimal = triples(csv2rdf(FIXTURES / "subsidies.csv", mode="minimal"))
    assert not any("csvw#" in p for _, p, _ in minimal)


def test_lenient_mode_keeps_bad_cells_as_strings_and_reports_them() -> None:
    conversion = csv2rdf(FIXTURES / "bad.csv", mode="minimal")
    found = triples(conversion)
    assert objects(found, "https://example.org/item/2", "file://" + str(
        (FIXTURES / "bad.csv").resolve()) + "#amount") >= {'"douze"'}
    kinds = sorted(error.type for error in conversion.errors)
    assert kinds == ["datatype", "primary-key"]
    datatype = next(e for e in conversion.errors if e.type == "datatype")
    assert (datatype.row, datatype.source_row, datatype.column, datatype.value) == (
        2, 3, "amount", "douze")
    assert "line 3" in datatype.one_line()


def test_strict_mode_withholds_rows_with_errors() -> None:
    conversion = csv2rdf(FIXTURES / "bad.csv", mode="minimal", strict=True)
    found = triples(conversion)
    subjects = {s for s, _, _ in found}
    assert subjects == {"<https://example.org/item/1>"}
    assert conversion.rejected_rows == 2 and conversion.rows == 1


def test_foreign_keys_link_tables_of_a_group() -> None:
    conversion = csv2rdf(FIXTURES / "group-metadata.json", mode="minimal")
    found = triples(conversion)
    grant = "https://example.org/grant/g1"
    assert any(s == f"<{grant}>" and o == "<https://example.org/body/B1>" for s, _, o in found)


def test_metadata_errors_stop_the_conversion(tmp_path: Path) -> None:
    bad = tmp_path / "bad-metadata.json"
    bad.write_text('{"@context": "http://www.w3.org/ns/csvw", "tables": []}')
    with pytest.raises(CsvwError) as caught:
        csv2rdf(bad)
    assert caught.value.type == "metadata"


def test_uri_templates_follow_rfc_6570() -> None:
    values = {"var": "value", "hello": "Hello World!", "list": ["red", "green", "blue"],
              "path": "/foo/bar", "empty": "", "x": "1024", "y": "768"}
    cases = {
        "{var}": "value", "{hello}": "Hello%20World%21", "{+path}/here": "/foo/bar/here",
        "{#hello}": "#Hello%20World!", "{?x,y,empty}": "?x=1024&y=768&empty=",
        "{/list*}": "/red/green/blue", "{;x,y}": ";x=1024;y=768", "{.list}": ".red,green,blue",
        "{var:3}": "val", "X{.var}": "X.value", "{&x}": "&x=1024", "{undefined}": "",
    }
    for text, expected in cases.items():
        assert Template(text).expand(values) == expected, text


_PEAK_RSS_CHILD = """
import resource, sys
from loaders.csvw import ChunkStream
from loaders.csvw.convert import csv2rdf
stream = ChunkStream(csv2rdf(sys.argv[1]).chunks())
size = 0
while chunk := stream.read(1 << 16):
    size += len(chunk)
print(size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _convert_in_child(tmp_path: Path, rows: int) -> tuple[int, int]:
    """Convert a generated table in a fresh process: (output bytes, peak RSS in kB)."""
    table = tmp_path / f"big{rows}.csv"
    with table.open("w") as out:
        out.write("id,amount,label\n")
        for number in range(rows):
            out.write(f"{number},{number * 3}.25,row {number}\n")
    (tmp_path / f"big{rows}.csv-metadata.json").write_text("""{
      "@context": "http://www.w3.org/ns/csvw", "url": "TABLE",
      "tableSchema": {"aboutUrl": "https://example.org/r/{id}", "columns": [
        {"name": "id", "titles": "id", "datatype": "integer"},
        {"name": "amount", "titles": "amount", "datatype": "decimal"},
        {"name": "label", "titles": "label"}]}}""".replace("TABLE", table.name))
    done = subprocess.run([sys.executable, "-c", _PEAK_RSS_CHILD, str(table)],
                          capture_output=True, text=True, check=True)
    size, peak = done.stdout.split()
    return int(size), int(peak)


@pytest.mark.slow
def test_streaming_memory_stays_flat(tmp_path: Path) -> None:
    """Ten times the rows, about the same peak memory: rows are never gathered."""
    small_size, small_peak = _convert_in_child(tmp_path, 15_000)
    big_size, big_peak = _convert_in_child(tmp_path, 150_000)
    assert big_size > 9 * small_size
    assert big_peak < small_peak * 1.25 + 4_000, (small_peak, big_peak)
