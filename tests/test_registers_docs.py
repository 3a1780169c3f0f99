"""docs/registers.md and examples/templates/ are what docs/registers_md.py writes from the
register models, and each template loads a registry titled with its titles into a store."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from graph.registers import get_register
from graph.registers import load_registers
from graph.settings import EXAMPLES_DIR
from graph.settings import PROJECT_ROOT
from graph.store import Store
from loaders.csvw.convert import csv2rdf
from loaders.registry import load_table

NAMES = ["subsidies", "contracts", "inventory", "charges", "exclusive-arrangements"]
TEMPLATES = EXAMPLES_DIR / "templates"
KEY = "0123456789abcdef0123456789abcdef"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "registers_md", PROJECT_ROOT / "docs" / "registers_md.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_page_is_what_the_models_write() -> None:
    written = (PROJECT_ROOT / "docs" / "registers.md").read_text(encoding="utf-8")
    assert written == generator().markdown(load_registers()), (
        "docs/registers.md is out of date: run `python docs/registers_md.py`")


def test_templates_are_what_the_models_write() -> None:
    expected = generator().templates(load_registers())
    assert sorted(expected) == sorted(p.name for p in TEMPLATES.glob("*-metadata.json"))
    for name, text in expected.items():
        assert (TEMPLATES / name).read_text(encoding="utf-8") == text, (
            f"examples/templates/{name} is out of date: run `python docs/registers_md.py`")


def test_docs_page_names_every_field_query_and_title() -> None:
    page = (PROJECT_ROOT / "docs" / "registers.md").read_text(encoding="utf-8")
    for register in load_registers().values():
        assert f"(`{register.name}`)" in page
        for item in register.fields.values():
            assert f"`{item.name}`" in page
            assert all(title in page for title in item.all_titles())
            assert all(f"`{query}`" in page for query in item.reads.queries)
    assert "`{base}subsidy/{reference}`" in page
    assert "subsidy/subsidies-2023/{_row}" in page


@pytest.mark.parametrize("name", NAMES)
def test_template_parses_without_a_warning(name: str, tmp_path: Path) -> None:
    document = json.loads((TEMPLATES / f"{name}-metadata.json").read_text(encoding="utf-8"))
    columns = [c for c in document["tableSchema"]["columns"] if not c.get("virtual")]
    assert [c["name"] for c in columns] == list(get_register(name).fields)
    for column in columns:
        assert set(column["titles"]) == {"fr", "nl", "de", "en"}
    document["url"] = (EXAMPLES_DIR / f"{name}.csv").as_uri()
    metadata = tmp_path / f"{name}-metadata.json"
    metadata.write_text(json.dumps(document), encoding="utf-8")
    conversion = csv2rdf(str(metadata))
    assert b"".join(conversion.chunks())
    assert [w.one_line() for w in conversion.warnings] == []
    assert [e.one_line() for e in conversion.errors] == []


def _rewrite(source: Path, target: Path, titles: list[str]) -> int:
    """The sample registry under other column titles; returns its number of rows."""
    with source.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(titles)
        writer.writerows(rows[1:])
    return len(rows) - 1


@pytest.mark.slow
@pytest.mark.parametrize(("name", "lang"), list(zip(NAMES, ["nl", "de", "en", "nl", "de"],
                                                      strict=True)))
def test_a_registry_titled_with_the_template_loads(name: str, lang: str,
                                                    tmp_path: Path) -> None:
    metadata = TEMPLATES / f"{name}-metadata.json"
    document = json.loads(metadata.read_text(encoding="utf-8"))
    titles = [c["titles"][lang][-1] for c in document["tableSchema"]["columns"]
              if not c.get("virtual")]
    table = tmp_path / f"{name}.csv"
    rows = _rewrite(EXAMPLES_DIR / f"{name}.csv", table, titles)
    with Store(tmp_path / "store") as store:
        sample = load_table(store, EXAMPLES_DIR / f"{name}.csv",
                            EXAMPLES_DIR / f"{name}-metadata.json", key=KEY.encode(),
                            on_error="skip", aggregates=False)
        result = load_table(store, table, metadata, key=KEY.encode(), on_error="skip")
        assert result.rows_read == rows
        assert result.rows_loaded == sample.rows_loaded > 0
        assert ({p.row for p in result.problems} == {p.row for p in sample.problems})
        record = get_register(name).record_node
        if record.classes and record.typed_by is None:
            found = store.query(f"SELECT (COUNT(?s) AS ?n) {{ GRAPH <{result.graph}> "
                                f"{{ ?s a <{record.classes[0]}> }} }}")
            assert int(next(iter(found))["n"].value) == result.rows_loaded


def test_subsidies_template_names_every_beneficiary_and_body(tmp_path: Path) -> None:
    """The sample subsidies through the template: every grant has a funder and a
    beneficiary, named by enterprise number, else by name (``psikg:firstOf``)."""
    metadata = TEMPLATES / "subsidies-metadata.json"
    with Store(tmp_path / "store") as store:
        load_table(store, EXAMPLES_DIR / "subsidies.csv", metadata, key=KEY.encode())
        schema = "https://schema.org/"
        rows = list(store.query(
            f"SELECT ?grant ?beneficiary ?funder {{ ?grant a <{schema}MonetaryGrant> ; "
            f"<{schema}fundedItem> ?beneficiary ; <{schema}funder> ?funder }}"))
    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8") as stream:
        source = list(csv.DictReader(stream, delimiter=";"))
    assert len(rows) == len(source)
    bodies = {row["funder"].value.rsplit("/", 1)[1] for row in rows}
    assert bodies == {"".join(c for c in r["N° BCE du pouvoir subsidiant"] if c.isdigit())
                      for r in source}
    named = [row["beneficiary"].value.rsplit("/", 1)[1] for row in rows]
    assert all(named)
    with_number = sum(1 for r in source if r["Numéro d'entreprise"])
    assert sum(1 for n in named if n.isdigit()) == with_number
    assert sum(1 for n in named if n.startswith("person-")) == len(source) - with_number
    assert all(isinstance(row["grant"], ox.NamedNode) for row in rows)
