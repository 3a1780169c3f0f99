"""The sample registries in examples/ are what examples/generate.py writes, byte for byte."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graph.settings import EXAMPLES_DIR
from loaders.belgian import parse_enterprise_number

NAMES = ["subsidies", "contracts", "inventory", "exclusive-arrangements", "charges"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from examples.generate import main

    out = tmp_path_factory.mktemp("examples")
    main(out)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_committed_samples_are_the_generator_output(generated: Path, name: str) -> None:
    for suffix in (".csv", "-cp1252.csv", ".xlsx", "-metadata.json"):
        assert (generated / f"{name}{suffix}").read_bytes() == (
            EXAMPLES_DIR / f"{name}{suffix}").read_bytes(), f"run `make examples`: {name}{suffix}"


@pytest.mark.parametrize("name", NAMES)
def test_metadata_titles_and_descriptions_in_three_languages(name: str) -> None:
    metadata = json.loads((EXAMPLES_DIR / f"{name}-metadata.json").read_text("utf-8"))
    for column in metadata["tableSchema"]["columns"]:
        if column.get("virtual"):
            continue
        assert set(column["titles"]) == {"fr", "nl", "en"}
        assert {d["@language"] for d in column["dc:description"]} == {"fr", "nl", "en"}


def test_enterprise_numbers_have_valid_check_digits() -> None:
    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    numbers = [r["Numéro d'entreprise"] for r in rows if r["Numéro d'entreprise"]]
    assert len(rows) >= 300 and len(numbers) > 300
    assert all(parse_enterprise_number(n) for n in numbers)
