"""The converter's memo tables: what a template, cell or literal depends on, and nothing
else, decides what is reused; tables stay bounded; ``quote`` is skipped only where it
would change nothing."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from loaders.csvw.convert import csv2rdf
from loaders.csvw.memo import LIMIT
from loaders.csvw.memo import Memo
from loaders.csvw.templates import _RESERVED
from loaders.csvw.templates import Template


def test_encoding_fast_paths_agree_with_quote() -> None:
    chars = string.printable + "éà€\u0100%"
    rng = random.Random(3)
    values = ["".join(rng.choice(chars) for _ in range(rng.randint(0, 8)))
              for _ in range(20_000)] + [chr(code) for code in range(300)]
    for value in values:
        assert Template("{x}").expand({"x": value}) == quote(value, safe="")
        if "%" not in value:
            assert Template("{+x}").expand({"x": value}) == quote(value, safe=_RESERVED)


def test_a_memo_table_is_emptied_when_full() -> None:
    memo: Memo[int, int] = Memo()
    for number in range(LIMIT + 10):
        memo.put(number, number)
        assert len(memo.table) <= LIMIT
    assert memo.table.get(LIMIT + 9) == LIMIT + 9


def convert(tmp_path: Path, rows: list[str], schema: dict[str, object]) -> list[str]:
    (tmp_path / "t.csv").write_text("\n".join(["code,name", *rows]) + "\n", encoding="utf-8")
    metadata = tmp_path / "t.csv-metadata.json"
    metadata.write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "url": "t.csv",
                                    "tableSchema": schema}), encoding="utf-8")
    data = b"".join(csv2rdf(tmp_path / "t.csv", metadata=metadata, mode="minimal").chunks())
    return sorted(str(t) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def test_column_and_row_variables_keep_their_own_expansions(tmp_path: Path) -> None:
    found = convert(tmp_path, ["a,x", "a,y", "b,x"], {
        "aboutUrl": "http://ex.org/{_column}/{code}",
        "columns": [{"name": "code", "titles": "code", "propertyUrl": "http://ex.org/code"},
                    {"name": "name", "titles": "name",
                     "valueUrl": "http://ex.org/row/{_row}/{name}",
                     "propertyUrl": "http://ex.org/{_name}"}]})
    assert found == sorted([
        '<http://ex.org/1/a> <http://ex.org/code> "a"',
        '<http://ex.org/1/a> <http://ex.org/code> "a"',
        '<http://ex.org/1/b> <http://ex.org/code> "b"',
        "<http://ex.org/2/a> <http://ex.org/name> <http://ex.org/row/1/x>",
        "<http://ex.org/2/a> <http://ex.org/name> <http://ex.org/row/2/y>",
        "<http://ex.org/2/b> <http://ex.org/name> <http://ex.org/row/3/x>",
    ])


def test_repeated_values_and_relative_templates_expand_as_the_first_time(
        tmp_path: Path) -> None:
    rows = [f"{code},{name}" for code, name in
            [("a b", "dc:x"), ("a b", "dc:x"), ("é/1", "rel"), ("é/1", "rel")]]
    found = convert(tmp_path, rows, {
        "aboutUrl": "item/{code}",
        "columns": [{"name": "code", "titles": "code", "datatype": "string",
                     "propertyUrl": "http://ex.org/code"},
                    {"name": "name", "titles": "name", "valueUrl": "{+name}",
                     "propertyUrl": "http://ex.org/name"}]})
    base = (tmp_path / "item").as_uri()
    assert sorted(set(found)) == sorted({
        f'<{base}/a%20b> <http://ex.org/code> "a b"',
        f"<{base}/a%20b> <http://ex.org/name> <http://purl.org/dc/terms/x>",
        f'<{base}/%C3%A9%2F1> <http://ex.org/code> "é/1"',
        f"<{base}/%C3%A9%2F1> <http://ex.org/name> <{(tmp_path / 'rel').as_uri()}>",
    })
    assert len(found) == 8
