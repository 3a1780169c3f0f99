"""Foreign keys as the CSVW metadata recommendation defines them (5.5.2.1), converted and loaded.

``tests/fixtures/csvw_keys`` is a small registry whose schemas live in their own
files and refer to each other by ``schemaReference`` (grants → bodies → regions),
as the recommendation's organogram example does. Variants that must fail are
copies of it, changed in a temporary folder.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph.store import Store
from loaders.csvw.convert import csv2rdf
from loaders.csvw.errors import CsvwError
from tests.conftest import RunPsikg
from tests.conftest import write

FIXTURE = Path(__file__).parent / "fixtures" / "csvw_keys"
GRAPH = "https://g.example/grants"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A copy of the fixture registry; its metadata file."""
    shutil.copytree(FIXTURE, tmp_path / "registry")
    return tmp_path / "registry" / "registry-metadata.json"


def edit(path: Path, change: Any) -> Path:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def export(store_dir: Path, graph: str) -> list[str]:
    with Store(store_dir) as store:
        return sorted(store.graph_ntriples(graph).decode().splitlines())


def load(psikg: RunPsikg, metadata: Path, *options: str) -> Any:
    return psikg("load", metadata.parent / "grants.csv", "--metadata", metadata,
                 "--graph", GRAPH, *options)


# --- schemaReference ------------------------------------------------------------------------

def test_convert_follows_schema_references_without_checking_rows(psikg: RunPsikg,
                                                                  registry: Path) -> None:
    result = psikg("convert", registry, "--mode", "minimal", "--format", "ntriples")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "<https://x.example/grant/S2> <https://x.example/by> " \
           "<https://x.example/body/B9> ." in result.stdout


def test_load_checks_rows_against_the_table_a_schema_reference_names(
        psikg: RunPsikg, store_dir: Path, registry: Path) -> None:
    result = load(psikg, registry)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    grants = registry.parent / "grants.csv"
    for text in [f"{grants}: data row 2 (line 3), column 'body', value 'B9'",
                 "refers to no row of bodies.csv", "nothing loaded"]:
        assert text in result.stderr, result.stderr
    assert "S3" not in result.stderr
    assert export(store_dir, GRAPH) == []


def test_load_skips_rows_to_no_row_and_keeps_referenced_rows_out(
        psikg: RunPsikg, store_dir: Path, registry: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    result = load(psikg, registry, "--on-error", "skip", "--report", report)
    assert result.returncode == 0, result.stderr
    triples = export(store_dir, GRAPH)
    assert {line.split()[0] for line in triples} == {"<https://x.example/grant/S1>",
                                                     "<https://x.example/grant/S3>"}
    with report.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["row"], r["source_row"], r["value"], r["type"]) for r in rows] == [
        ("2", "3", "B9", "foreign-key")]


def test_a_referenced_tables_own_keys_find_their_tables(psikg: RunPsikg, store_dir: Path,
                                                        registry: Path) -> None:
    # bodies.json refers to regions by schemaReference: the metadata the loader hands
    # the engine keeps regions.csv too, so bodies loads, and its unknown region is refused
    write(registry.parent / "bodies.csv", "code;name;region\nB1;Body one;R1\nB2;Body two;R7\n")
    result = psikg("load", registry.parent / "bodies.csv", "--metadata", registry,
                   "--graph", "https://g.example/bodies")
    assert result.returncode == 1
    assert "data row 2 (line 3), column 'region', value 'R7'" in result.stderr, result.stderr
    assert "refers to no row of regions.csv" in result.stderr
    result = load(psikg, registry, "--on-error", "skip")
    assert result.returncode == 0, result.stderr


def test_self_reference_by_schema(psikg: RunPsikg, store_dir: Path, tmp_path: Path) -> None:
    write(tmp_path / "posts.csv", "ref,reportsTo\nP1,\nP2,P1\nP3,P9\n")
    write(tmp_path / "posts.json", json.dumps({
        "@id": "posts.json", "@context": "http://www.w3.org/ns/csvw",
        "aboutUrl": "https://x.example/post/{ref}",
        "columns": [{"name": "ref", "titles": "ref"},
                    {"name": "reportsTo", "titles": "reportsTo",
                     "propertyUrl": "https://x.example/reportsTo"}],
        "foreignKeys": [{"columnReference": "reportsTo", "reference": {
            "schemaReference": "posts.json", "columnReference": "ref"}}]}))
    meta = write(tmp_path / "posts-metadata.json", json.dumps({
        "@context": "http://www.w3.org/ns/csvw",
        "tables": [{"url": "posts.csv", "tableSchema": "posts.json"}]}))
    result = psikg("load", tmp_path / "posts.csv", "--metadata", meta, "--graph", GRAPH)
    assert result.returncode == 1
    assert "data row 3 (line 4), column 'reportsTo', value 'P9'" in result.stderr, result.stderr
    assert "refers to no row of posts.csv" in result.stderr


# --- the referenced table must be in the group ----------------------------------------------

def drop_bodies(document: dict[str, Any]) -> None:
    document["tables"] = [t for t in document["tables"] if t["url"] != "bodies.csv"]


def test_schema_reference_to_no_table_of_the_group_is_an_error(
        psikg: RunPsikg, store_dir: Path, registry: Path) -> None:
    meta = edit(registry, drop_bodies)
    schema_id = (registry.parent / "schemas" / "bodies").as_uri()
    for result in (load(psikg, meta),
                   psikg("convert", meta, "--mode", "minimal", "--format", "ntriples")):
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert f"{meta}: the foreign key on body of grants.csv refers to the schema " \
               f"{schema_id}, which is not in the table group" in result.stderr, result.stderr
        assert "add the referenced table to the group's tables" in result.stderr
        assert result.stdout == ""
    assert not store_dir.exists() or export(store_dir, GRAPH) == []


def test_resource_outside_the_group_is_an_error(registry: Path) -> None:
    def to_elsewhere(document: dict[str, Any]) -> None:
        document["tables"][0]["tableSchema"] = {
            "columns": [{"name": "ref", "titles": "ref"}, {"name": "body", "titles": "body"},
                        {"name": "amount", "titles": "amount"}],
            "foreignKeys": [{"columnReference": "body", "reference": {
                "resource": "https://elsewhere.example/bodies.csv",
                "columnReference": "code"}}]}

    with pytest.raises(CsvwError) as raised:
        csv2rdf(edit(registry, to_elsewhere), mode="minimal")
    error = raised.value
    assert (error.type, error.file) == ("foreign-key-metadata", str(registry))
    assert "the foreign key on body of grants.csv refers to the table " \
           "https://elsewhere.example/bodies.csv, which is not in the table group" \
           in error.message
    assert (registry.parent / "regions.csv").as_uri() in error.message  # what the group has


def test_schema_reference_fitting_two_tables_is_an_error(psikg: RunPsikg,
                                                         registry: Path) -> None:
    shutil.copy(registry.parent / "bodies.csv", registry.parent / "bodies-2024.csv")

    def twice(document: dict[str, Any]) -> None:
        document["tables"].append({"url": "bodies-2024.csv",
                                   "tableSchema": "schemas/bodies.json"})

    meta = edit(registry, twice)
    for result in (load(psikg, meta),
                   psikg("convert", meta, "--mode", "minimal", "--format", "ntriples")):
        assert result.returncode == 1
        assert "which 2 tables of the group use" in result.stderr, result.stderr
        assert "refer to the table by resource instead" in result.stderr


def test_referenced_column_that_is_not_there_is_named(registry: Path) -> None:
    edit(registry.parent / "schemas" / "grants.json",
         lambda d: d["foreignKeys"][0]["reference"].update(columnReference="id"))
    with pytest.raises(CsvwError) as raised:
        csv2rdf(registry, mode="minimal")
    assert "refers to id, which is not a column name of bodies.csv " \
           "(its named columns: code, name, region)" in raised.value.message


# --- rows the key must pick out one of ------------------------------------------------------

def test_key_to_several_rows_is_refused(psikg: RunPsikg, store_dir: Path,
                                        registry: Path) -> None:
    write(registry.parent / "bodies.csv",
          "code;name;region\nB1;Body one;R1\nB2;Body two;R2\nB1;Body one again;R1\n")
    result = load(psikg, registry, "--on-error", "skip")
    assert result.returncode == 0, result.stderr
    assert {line.split()[0] for line in export(store_dir, GRAPH)} == {
        "<https://x.example/grant/S3>"}
    assert "'B1' refers to more than one row of bodies.csv" in result.stderr, result.stderr


# --- lines, not records ---------------------------------------------------------------------

def test_key_error_names_the_line_its_record_starts_on(psikg: RunPsikg, store_dir: Path,
                                                       registry: Path) -> None:
    # CR LF ends a record; the first grant's note spans three lines (a quoted CR LF and a
    # bare LF), so the bad row's record is the third but starts on line 5
    (registry.parent / "grants.csv").write_bytes(
        b'ref;body;amount;note\r\nS1;B1;10;"first\r\nsecond"\nthird\r\nS2;B9;20;x\r\n')

    def with_note(document: dict[str, Any]) -> None:
        document["tables"][0]["dialect"] = {"delimiter": ";", "lineTerminators": ["\r\n"]}

    edit(registry, with_note)
    edit(registry.parent / "schemas" / "grants.json",
         lambda d: d["columns"].append({"name": "note", "titles": "note",
                                        "propertyUrl": "https://x.example/note"}))
    report = registry.parent / "report.csv"
    result = load(psikg, registry, "--on-error", "skip", "--report", report)
    assert result.returncode == 0, result.stderr
    with report.open(encoding="utf-8-sig") as stream:
        [row] = list(csv.DictReader(stream))
    assert (row["row"], row["source_row"], row["column"], row["value"]) == (
        "2", "5", "body", "B9")
    assert '"first\\r\\nsecond\\nthird"' in "\n".join(export(store_dir, GRAPH))
