"""``psikg query`` declares the query UI's prefixes, lists them in ``--help``, runs the
README's examples as written, and says a parse error in words with its line and column."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from graph.namespaces import PREFIXES
from graph.settings import EXAMPLES_DIR
from tests.conftest import RunPsikg

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture
def platform(psikg: RunPsikg) -> RunPsikg:
    result = psikg("load", str(EXAMPLES_DIR / "platform.ttl"))
    assert result.returncode == 0, result.stderr
    return psikg


def test_the_readme_example_runs_as_written(platform: RunPsikg) -> None:
    result = platform("query", "SELECT ?d ?t { ?d a dcat:Dataset ; dct:title ?t }",
                      "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"d", "t"} == set(rows[0])
    assert "Registres paroissiaux numérisés (1650-1796)" in {row["t"] for row in rows}
    assert len({row["d"] for row in rows}) == 10  # the ten datasets of platform.ttl


def test_every_readme_query_example_runs(platform: RunPsikg) -> None:
    text = README.read_text(encoding="utf-8")
    examples = re.findall(r"^psikg query '(.*?)'", text, re.DOTALL | re.MULTILINE)
    assert len(examples) >= 3
    for example in examples:
        result = platform("query", example)
        assert result.returncode == 0, (example, result.stderr)


def test_help_lists_the_declared_prefixes(psikg: RunPsikg) -> None:
    result = psikg("query", "--help")
    assert result.returncode == 0
    for name, iri in PREFIXES.items():
        assert f"{name}: <{iri}>" in result.stdout


def test_an_undeclared_prefix_is_named_with_its_line_and_column(platform: RunPsikg) -> None:
    result = platform("query", "SELECT ?n WHERE {\n  ?d a dcat:Dataset ;\n     schema:name ?n }")
    assert result.returncode == 2
    assert "3:17: SPARQL syntax error: the prefix schema: is not declared" in result.stderr
    assert "PREFIX schema: <IRI>" in result.stderr
    assert "expected one of" not in result.stderr


def test_a_query_may_declare_its_own_prefix_over_a_declared_one(platform: RunPsikg) -> None:
    result = platform("query", "PREFIX dct: <http://nothing.example/>\n"
                      "ASK { ?d dct:title ?t }")
    assert result.returncode == 0, result.stderr
    assert '"boolean":false' in result.stdout.replace(" ", "")


def test_other_syntax_errors_keep_the_parser_words_and_position(platform: RunPsikg) -> None:
    result = platform("query", "SELECT *\nWHERE { ?s ?p }")
    assert result.returncode == 2
    assert "2:16: SPARQL syntax error: expected" in result.stderr
