"""The batch converter writes exactly what the row writer writes: same bytes, same errors.

Each table is converted twice, ``Conversion.columnar`` on and off, strict and lenient:
the sample registries, random registries built to hit every branch (nulls, defaults,
required cells, bad values, duplicate keys, short and long rows, text that needs
percent-encoding or escaping, several batches with errors in some), and, with
``-m conformance``, every table of the W3C CSVW suite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import loaders.plugins  # noqa: F401 - the psikg: formats the samples use
from graph.errors import PsikgError
from loaders.csvw.columnar import BATCH_ROWS
from loaders.csvw.columnar import BatchWriter
from loaders.csvw.convert import Conversion
from loaders.csvw.convert import csv2rdf
from loaders.csvw.rdf import RowWriter
from loaders.csvw.terms import BlankNodes
from loaders.http_fetch.policy import FetchPolicy
from tests.conformance import require
from tests.conformance import shared_dir
from tests.fixtures.synthetic.random_table import columnar_registry

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAMPLES = ["subsidies", "contracts", "inventory", "charges", "exclusive-arrangements"]


def both(source: str | Path, metadata: str | Path | None, *, strict: bool,
         mode: str = "minimal", policy: FetchPolicy | None = None
         ) -> tuple[tuple[bytes, list[Any], int], tuple[bytes, list[Any], int]]:
    """(output, errors, rows) row by row, then with batches where the table allows."""
    runs = []
    for columnar in (False, True):
        conversion = csv2rdf(source, metadata=metadata, mode=mode,  # type: ignore[arg-type]
                             strict=strict, policy=policy)
        conversion.columnar = columnar
        try:
            data = b"".join(conversion.chunks())
        except PsikgError as error:  # e.g. a referenced table that cannot be read
            data = error.one_line().encode()
        runs.append((data, conversion.errors, conversion.rows))
    return runs[0], runs[1]


def batch_writer_of(conversion: Conversion) -> BatchWriter | None:
    table = conversion.group.tables[0]
    writer = RowWriter(table, BlankNodes(), standard=conversion.mode == "standard",
                       table_node=None, report=lambda error: None, strict=conversion.strict)
    return BatchWriter.for_writer(writer)


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("strict", [True, False])
def test_sample_registries_convert_to_the_same_bytes(name: str, strict: bool) -> None:
    rows, batches = both(EXAMPLES / f"{name}.csv", EXAMPLES / f"{name}-metadata.json",
                         strict=strict)
    assert rows == batches
    assert rows[2] > 0


def test_the_subsidies_sample_takes_the_batch_path() -> None:
    conversion = csv2rdf(EXAMPLES / "subsidies.csv",
                         metadata=EXAMPLES / "subsidies-metadata.json", mode="minimal",
                         strict=True)
    assert batch_writer_of(conversion) is not None
    standard = csv2rdf(EXAMPLES / "subsidies.csv",
                       metadata=EXAMPLES / "subsidies-metadata.json", mode="standard")
    assert batch_writer_of(standard) is None


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("strict", [True, False])
def test_random_registries_convert_to_the_same_bytes_and_errors(
        tmp_path: Path, seed: int, strict: bool) -> None:
    table, metadata = columnar_registry(tmp_path, seed, 3 * BATCH_ROWS + 17)
    rows, batches = both(table, metadata, strict=strict)
    assert rows[0] == batches[0]
    assert [repr(error) for error in rows[1]] == [repr(error) for error in batches[1]]
    assert rows[2] == batches[2]
    assert rows[1], "the random registry is meant to hold bad cells"


def test_a_clean_random_registry_goes_through_batches_only(tmp_path: Path) -> None:
    """With no bad cell, every row is written by a batch; with one, only its batch is not."""
    lines = ["id,name"] + [f"{row},name é {row % 7}" for row in range(1, 2 * BATCH_ROWS + 1)]
    table = tmp_path / "clean.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    metadata = tmp_path / "clean.csv-metadata.json"
    metadata.write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "url": "clean.csv",
                                    "tableSchema": {"aboutUrl": "https://ex.org/{id}",
                                                    "primaryKey": "id",
                                                    "columns": [{"name": "id", "titles": "id"},
                                                                {"name": "name",
                                                                 "titles": "name"}]}}))
    conversion = csv2rdf(table, metadata=metadata, mode="minimal", strict=True)
    b"".join(conversion.chunks())
    assert conversion.rows == conversion.batched_rows == 2 * BATCH_ROWS
    lines[5] = "5,x"
    lines[6] = "5,y"  # a duplicate key in the first batch
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    conversion = csv2rdf(table, metadata=metadata, mode="minimal", strict=True)
    b"".join(conversion.chunks())
    assert conversion.rows == 2 * BATCH_ROWS - 1
    assert conversion.batched_rows == BATCH_ROWS
    assert [error.type for error in conversion.errors] == ["primary-key"]


@pytest.mark.conformance
def test_every_w3c_table_converts_to_the_same_bytes() -> None:
    from tests.conformance.csvw import SUITE
    from tests.conformance.csvw import W3C
    from tests.conformance.csvw import cases
    from tests.conformance.csvw import serve

    suite = require(shared_dir(), SUITE)
    selected = [case for case in cases(suite) if not case.negative]
    links = {urlsplit(case.action).path: case.link for case in selected if case.link}
    compared = 0
    with serve(suite, links) as root:
        policy = FetchPolicy(allow_private=True, mirrors={W3C: root}, timeout_s=10)
        for case in selected:
            for strict in (False, True):
                rows, batches = both(case.action, case.metadata, strict=strict,
                                     policy=policy)
                assert rows == batches, case.id
                compared += 1
    assert compared == 2 * len(selected)


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("kind", [".csv", "-cp1252.csv", ".xlsx"])
def test_the_loaders_conversion_of_each_sample_is_the_same_by_batches(name: str,
                                                                      kind: str) -> None:
    """What ``psikg load`` converts: CSV and spreadsheet (typed cells), with natural persons'
    values pseudonymised or dropped before the engine sees them (a dropped value is an
    empty cell, which batches read as ``""``)."""
    from loaders.prepared import prepare
    from loaders.row_conversion import convert_rows

    outputs = []
    for columnar in (False, True):
        prepared = prepare(EXAMPLES / f"{name}{kind}", EXAMPLES / f"{name}-metadata.json")
        conversion = convert_rows(prepared, b"test-key-not-a-secret-0123456789", set())
        conversion.conversion.columnar = columnar
        outputs.append(b"".join(conversion.chunks()))
    assert outputs[0] == outputs[1]
    assert conversion.conversion.batched_rows == conversion.conversion.rows > 0
    if name == "subsidies":
        assert conversion.plan.rows_anonymised > 0
