"""The CSVW engine's gaps found with real files (issue 3): each through the CLI or ``load_table``.

Custom line terminators, ``@language`` in the context beside psikg's dialect keys,
a format parser that finds no value, a year in a number cell, the Belgian
parsers' reasons in the messages, and foreign keys checked row by row on load.
"""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from graph.store import Store
from loaders.csvw.convert import csv2rdf
from loaders.csvw.csv_reader import line_of
from loaders.csvw.csv_reader import read_csv
from loaders.csvw.formats import register_format
from loaders.registry import LoadRefused
from loaders.registry import load_table
from tests.cli_runs import run_in_process
from tests.conftest import RunPsikg
from tests.conftest import write
from tests.fixtures.synthetic.workbooks import write_xlsx

CSVW = "http://www.w3.org/ns/csvw"
XSD = "http://www.w3.org/2001/XMLSchema#"
BAD = Path(__file__).parent / "fixtures" / "bad"
KEY = b"test-key-0123456789abcdef"


def metadata(path: Path, document: dict[str, object]) -> Path:
    return write(path, json.dumps(document, ensure_ascii=False))


def convert(psikg: RunPsikg, source: Path, *options: str) -> subprocess.CompletedProcess[str]:
    result = psikg("convert", source, "--mode", "minimal", "--format", "ntriples", *options)
    assert result.returncode == 0, result.stderr
    return result


def export(store_dir: Path, graph: str) -> list[str]:
    with Store(store_dir) as store:
        return sorted(store.graph_ntriples(graph).decode().splitlines())


# --- 1. lineTerminators ------------------------------------------------------------------

def test_crlf_only_keeps_bare_line_feeds_in_cells(psikg: RunPsikg, tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes(b'a,b\r\n1,"x\r\ny"\r\n2,line\nbreak\r\n')
    meta = metadata(tmp_path / "t.csv-metadata.json", {
        "@context": CSVW, "url": "t.csv", "dialect": {"lineTerminators": ["\r\n"]}})
    lines = convert(psikg, meta).stdout.splitlines()
    assert len(lines) == 4
    assert any(line.endswith('#b> "line\\nbreak" .') for line in lines)
    assert any(line.endswith('#b> "x\\r\\ny" .') for line in lines)


def test_pipe_terminator_outside_quotes_only(psikg: RunPsikg, tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text('a,b|1,"p|q"|2,z|', encoding="utf-8")
    meta = metadata(tmp_path / "t.csv-metadata.json", {
        "@context": CSVW, "url": "t.csv", "dialect": {"lineTerminators": "|"}})
    lines = convert(psikg, meta).stdout.splitlines()
    values = sorted(line.split(" ", 2)[2] for line in lines)
    assert values == ['"1" .', '"2" .', '"p|q" .', '"z" .']


def test_private_use_hiding_characters_are_refused_not_turned_into_breaks(
        psikg: RunPsikg, tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("a,b|1,x\ue001y|", encoding="utf-8")
    meta = metadata(tmp_path / "t.csv-metadata.json", {
        "@context": CSVW, "url": "t.csv", "dialect": {"lineTerminators": "|"}})
    result = psikg("convert", meta, "--mode", "minimal", "--format", "ntriples")
    assert result.returncode == 1
    assert "U+E001" in result.stderr and "lineTerminators" in result.stderr
    assert "x\ny" not in result.stdout


def test_several_terminators_across_read_blocks(psikg: RunPsikg, tmp_path: Path) -> None:
    rows = 30_000
    body = "".join(f'{n};"v;;{n}"' + (";;" if n % 2 else "\n") for n in range(rows))
    (tmp_path / "t.csv").write_text("n;v\n" + body, encoding="utf-8")
    meta = metadata(tmp_path / "t.csv-metadata.json", {
        "@context": CSVW, "url": "t.csv",
        "dialect": {"delimiter": ";", "lineTerminators": [";;", "\n"]},
        "tableSchema": {"aboutUrl": "https://x.example/{n}",
                        "columns": [{"name": "n", "titles": "n", "datatype": "integer"},
                                    {"name": "v", "titles": "v"}]}})
    lines = convert(psikg, meta).stdout.splitlines()
    assert len(lines) == 2 * rows
    assert f'<https://x.example/{rows - 1}> <file://{(tmp_path / "t.csv").as_posix()}#v> ' \
           f'"v;;{rows - 1}" .' in lines


@pytest.mark.parametrize("terminators", [["\r\n"], ["\r\n", "\n"], [";;", "\r\n"]],
                         ids=["crlf", "default", "two"])
def test_messages_name_the_line_a_record_starts_on(tmp_path: Path,
                                                   terminators: list[str]) -> None:
    # the first data record holds two quoted CR LFs and the second a quoted CR: data row 3
    # starts on line 7, though it is the file's fourth record
    (tmp_path / "t.csv").write_bytes(
        b'id,n\r\nA,"one\r\ntwo\r\nthree"\r\nB,"x\ry"\r\nC,nine\r\n')
    meta = metadata(tmp_path / "t.csv-metadata.json", {
        "@context": CSVW, "url": "t.csv", "dialect": {"lineTerminators": terminators},
        "tableSchema": {"columns": [{"name": "id", "titles": "id"},
                                    {"name": "n", "titles": "n", "datatype": "string"}],
                        "aboutUrl": "https://x.example/{id}"}})
    rows = list(read_csv(str(tmp_path / "t.csv"), {"lineTerminators": terminators}).rows)
    assert [(r.number, r.source_number, line_of(r)) for r in rows] == [
        (1, 2, 2), (2, 3, 5), (3, 4, 7)]
    assert [r.cells[1].ref for r in rows] == [
        "line 2, column 2", "line 5, column 2", "line 7, column 2"]
    assert [r.cells[1].value for r in rows] == ["one\r\ntwo\r\nthree", "x\ry", "nine"]
    text = b"".join(csv2rdf(meta, mode="standard").chunks()).decode()
    assert "t.csv#row=4>" in text  # #row= counts records (RFC 7111), not lines


# --- 2. @language in the context ---------------------------------------------------------

def language_metadata(path: Path, table: str, **dialect: object) -> Path:
    return metadata(path, {
        "@context": [CSVW, {"@language": "fr"}],
        "url": table, "dc:title": "Registre des subsides",
        "dialect": {"delimiter": ";", "psikg:headerRowPattern": "^Réf",
                    "psikg:skipRowPatterns": ["^Total"], **dialect},
        "tableSchema": {"aboutUrl": "https://x.example/s/{ref}", "columns": [
            {"name": "ref", "titles": "Réf"},
            {"name": "amount", "titles": "Montant", "propertyUrl": "https://schema.org/amount",
             "datatype": {"base": "decimal", "format": "psikg:amount-be"}},
            {"titles": "Objet", "propertyUrl": "http://purl.org/dc/terms/subject"}]}})


def test_language_context_keeps_psikg_dialect_keys_on_a_sheet(tmp_path: Path) -> None:
    table = write_xlsx(tmp_path / "s.xlsx", [
        ["Subsides 2024"], [], ["Réf", "Montant", "Objet"],
        ["S1", 1234.56, "Fête de quartier"], ["Total", 1234.56, None]], sheet="Données")
    meta = language_metadata(tmp_path / "s-metadata.json", "s.xlsx", **{"psikg:sheet": "Données"})
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, meta, graph="https://g.example/s", key=KEY)
        assert (result.rows_read, result.rows_loaded) == (1, 1)
    triples = export(tmp_path / "store", "https://g.example/s")
    assert '<https://x.example/s/S1> <https://schema.org/amount> ' \
           f'"1234.56"^^<{XSD}decimal> .' in triples


def test_language_context_keeps_encoding_and_applies_to_common_properties(
        psikg: RunPsikg, tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_bytes(
        "Registre\nRéf;Montant;Objet\nS1;1.234,56;Fête\nTotal;1.234,56;\n".encode("cp1252"))
    meta = language_metadata(tmp_path / "s-metadata.json", "s.csv", encoding="windows-1252")
    result = psikg("convert", meta, "--format", "ntriples")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert '<http://purl.org/dc/terms/title> "Registre des subsides"@fr .' in out
    assert f'<https://schema.org/amount> "1234.56"^^<{XSD}decimal> .' in out
    # the third column's name comes from its French title, and the cell stays plain
    assert '#Objet> "Fête" .' in out.replace("<http://purl.org/dc/terms/subject>", "#Objet>")
    assert "https://x.example/s/Total" not in out
    assert psikg("load", tmp_path / "s.csv", "--metadata", meta,
                 "--graph", "https://g.example/s").returncode == 0


# --- 3. a format that finds no value -----------------------------------------------------

register_format("psikg:test-nothing", lambda value: None if value == "n/a" else str(value))


def nothing_table(tmp_path: Path) -> tuple[Path, Path]:
    table = write(tmp_path / "n.csv", "id,code\nA,x1\nB,n/a\n")
    meta = metadata(tmp_path / "n-metadata.json", {
        "@context": CSVW, "url": "n.csv",
        "tableSchema": {"aboutUrl": "https://x.example/{id}", "columns": [
            {"name": "id", "titles": "id"},
            {"name": "code", "titles": "code", "propertyUrl": "https://x.example/code",
             "datatype": {"base": "string", "format": "psikg:test-nothing"}}]}})
    return table, meta


def test_format_that_finds_no_value_is_invalid_not_none(tmp_path: Path) -> None:
    table, meta = nothing_table(tmp_path)
    conversion = csv2rdf(meta, mode="minimal")
    text = b"".join(conversion.chunks()).decode()
    assert '"None"' not in text
    assert '<https://x.example/B> <https://x.example/code> "n/a" .' in text
    [error] = conversion.errors
    assert (error.type, error.row, error.column, error.value) == ("datatype", 2, "code", "n/a")
    with Store(tmp_path / "store") as store, pytest.raises(LoadRefused) as refused:
        load_table(store, table, meta, graph="https://g.example/n")
    assert "data row 2 (line 3), column 'code', value 'n/a'" in str(refused.value)
    assert "psikg:test-nothing" in str(refused.value)
    assert export(tmp_path / "store", "https://g.example/n") == []


# --- 4. a year in a number cell ----------------------------------------------------------

def test_number_cell_in_a_gyear_column(psikg: RunPsikg, tmp_path: Path) -> None:
    table = write_xlsx(tmp_path / "y.xlsx", [["id", "year"], ["A", 2024], ["B", "2023"]])
    meta = metadata(tmp_path / "y-metadata.json", {
        "@context": CSVW, "url": "y.xlsx",
        "tableSchema": {"aboutUrl": "https://x.example/{id}", "columns": [
            {"name": "id", "titles": "id"},
            {"name": "year", "titles": "year", "datatype": "gYear",
             "propertyUrl": "https://x.example/year"}]}})
    out = convert(psikg, meta)
    assert f'<https://x.example/A> <https://x.example/year> "2024"^^<{XSD}gYear> .' in out.stdout
    assert f'"2023"^^<{XSD}gYear>' in out.stdout
    assert out.stderr == ""
    with Store(tmp_path / "store") as store:
        load_table(store, table, meta, graph="https://g.example/y")
    assert f'<https://x.example/A> <https://x.example/year> "2024"^^<{XSD}gYear> .' in export(
        tmp_path / "store", "https://g.example/y")


# --- 5. the Belgian parsers' reasons reach the user ---------------------------------------

def run_load(store_dir: Path, table: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return run_in_process(
        ["--store", str(store_dir), "load", str(table), "--metadata",
         str(BAD / "grants-metadata.json"), "--graph", "https://g.example/g", *options],
        env={"PSIKG_PSEUDONYM_KEY": KEY.decode()})


@pytest.fixture(scope="module")
def grants(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    store_dir = tmp_path_factory.mktemp("grants") / "store"
    assert run_load(store_dir, BAD / "grants.csv").returncode == 0
    return store_dir, export(store_dir, "https://g.example/g")


REASONS = [
    ("impossible-date.csv", ["data row 1 (line 2)", "column 'Date de décision'",
                             "value '31/02/2024'", "a date like 31/12/2024",
                             "there is no such day (day is out of range for month)"]),
    ("enterprise-number.csv", ["data row 1 (line 2)", "column \"Numéro d'entreprise\"",
                               "value '0203.071.974'", "an enterprise number (KBO/BCE)",
                               "its check digits are wrong"]),
    ("number-format.csv", ["data row 2 (line 3)", "column 'Montant'", "value '12,345.67'",
                           "an amount like 1.234,56",
                           "it is written the English way"]),
]


@pytest.mark.parametrize(("name", "says"), REASONS, ids=[r[0] for r in REASONS])
def test_belgian_reason_in_the_message(grants: tuple[Path, list[str]], name: str,
                                       says: list[str]) -> None:
    store_dir, before = grants
    result = run_load(store_dir, BAD / name)
    assert result.returncode == 1
    assert str(BAD / name) in result.stderr
    for text in says:
        assert text in result.stderr, result.stderr
    assert export(store_dir, "https://g.example/g") == before


def test_nis_reason_in_the_skip_report(tmp_path: Path) -> None:
    table = write(tmp_path / "m.csv", "code;nis\nA;21004\nB;2100\nC;01234\n")
    meta = metadata(tmp_path / "m-metadata.json", {
        "@context": CSVW, "url": "m.csv", "dialect": {"delimiter": ";"},
        "tableSchema": {"aboutUrl": "https://x.example/{code}", "columns": [
            {"name": "code", "titles": "code"},
            {"name": "nis", "titles": "nis", "propertyUrl": "https://x.example/nis",
             "datatype": {"base": "string", "format": "psikg:nis"}}]}})
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, meta, graph="https://g.example/m", on_error="skip")
    messages = {p.value: p.one_line() for p in result.problems}
    assert "it has 4 digits" in messages["2100"]
    assert "a NIS code does not start with 0" in messages["01234"]
    assert "m.csv: data row 3 (line 4), column 'nis', value '01234'" in messages["01234"]
    assert result.rows_loaded == 1


# --- 6. foreign keys, row by row, on load ---------------------------------------------------

def foreign_key_registry(tmp_path: Path) -> Path:
    write(tmp_path / "bodies.csv", "code;name\nB1;Body one\nB2;Body two\n")
    write(tmp_path / "grants.csv", "ref;body;amount\nS1;B1;10\nS2;B9;20\nS3;b2 ;30\nS4;B2;40\n")
    return metadata(tmp_path / "registry-metadata.json", {
        "@context": CSVW, "dialect": {"delimiter": ";"},
        "tables": [
            {"url": "grants.csv", "tableSchema": {
                "aboutUrl": "https://x.example/grant/{ref}", "primaryKey": "ref",
                "columns": [
                    {"name": "ref", "titles": "ref"},
                    {"name": "body", "titles": "body", "propertyUrl": "https://x.example/by",
                     "valueUrl": "https://x.example/body/{body}"},
                    {"name": "amount", "titles": "amount", "datatype": "integer",
                     "propertyUrl": "https://x.example/amount"}],
                "foreignKeys": [{"columnReference": "body", "reference": {
                    "resource": "bodies.csv", "columnReference": "code"}}]}},
            {"url": "bodies.csv", "tableSchema": {
                "aboutUrl": "https://x.example/body/{code}", "primaryKey": "code",
                "columns": [{"name": "code", "titles": "code"},
                            {"name": "name", "titles": "name",
                             "propertyUrl": "https://x.example/name"}]}}]})


def test_foreign_key_to_no_row_is_refused(psikg: RunPsikg, store_dir: Path,
                                          tmp_path: Path) -> None:
    meta = foreign_key_registry(tmp_path)
    assert psikg("load", tmp_path / "bodies.csv", "--metadata", meta,
                 "--graph", "https://g.example/b").returncode == 0
    before = export(store_dir, "https://g.example/b")
    result = psikg("load", tmp_path / "grants.csv", "--metadata", meta,
                   "--graph", "https://g.example/g")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for text in [f"{tmp_path / 'grants.csv'}: data row 2 (line 3), column 'body', value 'B9'",
                 "refers to no row of bodies.csv", "expected a code of a row of bodies.csv",
                 "data row 3 (line 4), column 'body', value 'b2'", "nothing loaded"]:
        assert text in result.stderr, result.stderr
    assert export(store_dir, "https://g.example/g") == []
    assert export(store_dir, "https://g.example/b") == before


def test_foreign_key_to_no_row_is_skipped_and_reported(psikg: RunPsikg, store_dir: Path,
                                                       tmp_path: Path) -> None:
    meta = foreign_key_registry(tmp_path)
    report = tmp_path / "report.csv"
    result = psikg("load", tmp_path / "grants.csv", "--metadata", meta, "--graph",
                   "https://g.example/g", "--on-error", "skip", "--report", report)
    assert result.returncode == 0, result.stderr
    triples = export(store_dir, "https://g.example/g")
    subjects = {line.split()[0] for line in triples}
    assert subjects == {"<https://x.example/grant/S1>", "<https://x.example/grant/S4>"}
    assert not any("Body one" in line for line in triples)  # the referenced rows stay out
    with report.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["row"], r["source_row"], r["column"], r["value"], r["type"]) for r in rows] == [
        ("2", "3", "body", "B9", "foreign-key"), ("3", "4", "body", "b2", "foreign-key")]
    assert rows[0]["expected"] == "a code of a row of bodies.csv"


def test_convert_keeps_the_recommendation_on_foreign_keys(psikg: RunPsikg,
                                                          tmp_path: Path) -> None:
    meta = foreign_key_registry(tmp_path)
    result = convert(psikg, meta)
    assert result.stderr == ""
    assert "<https://x.example/grant/S2> <https://x.example/by> " \
           "<https://x.example/body/B9> ." in result.stdout



def test_a_bad_value_after_a_quoted_line_break_names_its_physical_line(tmp_path: Path) -> None:
    """A record that spans two lines pushes the next record's line on: the message names the
    line a reader sees in an editor, not the record's number."""
    table = write(tmp_path / "grants.csv",
                  'id,note,amount\n1,"two\nlines",10\n2,plain,ten\n')
    meta = metadata(tmp_path / "grants.csv-metadata.json", {
        "@context": CSVW, "url": "grants.csv",
        "tableSchema": {"aboutUrl": "https://ex.org/{id}", "columns": [
            {"name": "id", "titles": "id"}, {"name": "note", "titles": "note"},
            {"name": "amount", "titles": "amount", "datatype": "integer"}]}})
    conversion = csv2rdf(table, metadata=meta, mode="minimal", strict=True)
    b"".join(conversion.chunks())
    [error] = conversion.errors
    assert (error.row, error.source_row, error.value) == (2, 4, "ten")


def test_a_table_schema_given_by_url_loads(tmp_path: Path, store_dir: Path) -> None:
    """Single-table metadata whose ``tableSchema`` is a link to a schema file: the loader
    inlines the schema into the metadata it hands the engine."""
    table = write(tmp_path / "grants.csv", "id,amount\n1,10\n2,20\n")
    write(tmp_path / "schema.json", json.dumps({
        "aboutUrl": "https://ex.org/{id}", "columns": [
            {"name": "id", "titles": "id", "propertyUrl": "http://purl.org/dc/terms/identifier"},
            {"name": "amount", "titles": "amount", "datatype": "integer",
             "propertyUrl": "https://schema.org/amount"}]}))
    meta = metadata(tmp_path / "grants.csv-metadata.json",
                    {"@context": CSVW, "url": "grants.csv", "tableSchema": "schema.json"})
    with Store(store_dir) as store:
        result = load_table(store, table, meta)
        assert (result.rows_loaded, result.triples) == (2, 4)
