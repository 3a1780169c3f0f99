"""Encodings of CSV registries: UTF-8, UTF-8 with BOM and Windows-1252, or a clear refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from loaders.encodings import detect_encoding

TEXT = ("Bénéficiaire;Montant;Objet\n"
        "École communale d'Uccle;1.234,56;Rénovation façade — 2ème phase\n")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_utf8(tmp_path: Path) -> None:
    found = detect_encoding(write(tmp_path / "a.csv", TEXT.encode()))
    assert (found.name, found.how) == ("utf-8", "detected")


def test_utf8_with_bom(tmp_path: Path) -> None:
    found = detect_encoding(write(tmp_path / "a.csv", TEXT.encode("utf-8-sig")))
    assert (found.name, found.how) == ("utf-8-sig", "bom")


def test_windows_1252(tmp_path: Path) -> None:
    found = detect_encoding(write(tmp_path / "a.csv", TEXT.encode("cp1252")))
    assert (found.name, found.how) == ("cp1252", "detected")


def test_declared_encoding_wins(tmp_path: Path) -> None:
    data = TEXT.replace("—", "-").encode("latin-1")
    found = detect_encoding(write(tmp_path / "a.csv", data), "iso-8859-1")
    assert (found.name, found.how) == ("iso8859-1", "declared")


def test_declared_encoding_checked_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", TEXT.encode("cp1252"))
    with pytest.raises(InputError) as caught:
        detect_encoding(path, "utf-8")
    assert caught.value.type == "encoding"
    assert (caught.value.line, caught.value.column) == (1, 2)
    assert "re-export it as UTF-8" in caught.value.message


def test_unknown_declared_encoding(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        detect_encoding(write(tmp_path / "a.csv", b"a\n"), "klingon")
    assert caught.value.type == "unknown-encoding"


def test_mangled_bytes_are_refused_clearly(tmp_path: Path) -> None:
    # Bytes left by a bad conversion: 0x8F and 0x81 are undefined in Windows-1252.
    data = TEXT.encode("cp1252") + b"Cr\x8f che;1.000,00;Objet \x81\n" * 50
    with pytest.raises(InputError, match="neither UTF-8 nor Windows-1252") as caught:
        detect_encoding(write(tmp_path / "a.csv", data))
    assert caught.value.type == "encoding"


def test_a_bad_byte_past_the_sample_refuses_the_load_with_its_line_and_column(
        tmp_path: Path) -> None:
    """The file is decoded once, by the reader: a byte that does not decode far past what
    detection looked at still refuses the load, at its line and column, and the graph
    loaded before stays."""
    from graph.store import Store
    from loaders.encodings import SAMPLE_BYTES
    from loaders.registry import load_table

    metadata = write(tmp_path / "codes-metadata.json", b"""{
      "@context": "http://www.w3.org/ns/csvw", "url": "codes.csv",
      "dialect": {"delimiter": ";"},
      "tableSchema": {"aboutUrl": "https://x.example/code/{code}", "columns": [
        {"name": "code", "titles": "code", "datatype": "integer",
         "propertyUrl": "http://purl.org/dc/terms/identifier"},
        {"name": "label", "titles": "label", "propertyUrl": "http://purl.org/dc/terms/title"}
      ]}}""")
    rows = b"".join(b"%d;%s\n" % (n, b"plain label " * 20) for n in range(SAMPLE_BYTES // 200))
    assert len(rows) > SAMPLE_BYTES
    table = write(tmp_path / "codes.csv", b"code;label\n" + rows[:200])
    with Store(tmp_path / "store") as store:
        before = load_table(store, table, metadata)
        held = store.graph_ntriples(before.graph)
        write(table, b"code;label\n" + rows + b"7;Caf\xe9\n")
        with pytest.raises(InputError) as caught:
            load_table(store, table, metadata)
        assert caught.value.type == "encoding"
        lines = 1 + rows.count(b"\n") + 1
        assert (caught.value.file, caught.value.line, caught.value.column) == (
            str(table), lines, 6)
        assert "E9" in caught.value.message and "cp1252" in caught.value.message
        assert store.graph_ntriples(before.graph) == held
