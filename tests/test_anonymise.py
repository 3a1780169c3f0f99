"""The anonymisation plan read from CSVW metadata, and the key from configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from graph.errors import UsageError
from loaders.anonymise import load_key
from loaders.anonymise import plan_for
from loaders.anonymise import pseudonym
from loaders.table_model import Cell
from loaders.table_model import Row

KEY = b"0123456789abcdef-key"
TABLE = {"tableSchema": {
    "psikg:naturalPersonWhen": {"column": "number", "empty": True},
    "columns": [{"name": "name", "psikg:personalData": "pseudonymise"},
                {"name": "street", "psikg:personalData": "drop"},
                {"name": "number", "null": ["", "-"]},
                {"name": "type", "virtual": True}]}}


def row(*values: str) -> Row:
    return Row(1, 2, [Cell(v, f"line 2, column {i + 1}") for i, v in enumerate(values)])


def test_people_are_pseudonymised_and_organisations_kept() -> None:
    plan = plan_for(TABLE, KEY, "m.json")
    person, company, dash = plan.apply(iter([row("Marie Dupont", "Rue Haute 1", ""),
                                             row("ASBL X", "Rue Basse 2", "0203.071.973"),
                                             row("Jean Peeters", "Rue Neuve 3", "-")]))
    assert person.cells[0].value == pseudonym(KEY, "Marie Dupont")
    assert person.cells[1].value is None
    assert dash.cells[0].value == pseudonym(KEY, "jean  peeters")
    assert [c.value for c in company.cells] == ["ASBL X", "Rue Basse 2", "0203.071.973"]
    assert plan.rows_anonymised == 2
    assert plan.techniques() == [
        "https://w3id.org/psikg/code/anonymisation-technique/pseudonymisation",
        "https://w3id.org/psikg/code/anonymisation-technique/suppression"]


def test_no_key_is_an_error_unless_the_metadata_says_drop() -> None:
    with pytest.raises(UsageError, match="PSIKG_PSEUDONYM_KEY") as caught:
        plan_for(TABLE, None, "m.json")
    assert caught.value.type == "pseudonym-key-missing"
    table = {"tableSchema": {"columns": [
        {"name": "name", "psikg:personalData": {"method": "pseudonymise", "withoutKey": "drop"}}]}}
    plan = plan_for(table, None, "m.json")
    [out] = plan.apply(iter([row("Marie Dupont")]))
    assert out.cells[0].value is None


def test_unknown_method_is_a_metadata_error() -> None:
    with pytest.raises(InputError) as caught:
        plan_for({"tableSchema": {"columns": [{"name": "n", "psikg:personalData": "hash"}]}},
                 KEY, "m.json")
    assert caught.value.type == "invalid-metadata"


def test_key_from_environment_or_file(tmp_path: Path) -> None:
    assert load_key({}) is None
    assert load_key({"PSIKG_PSEUDONYM_KEY": "k" * 16}) == b"k" * 16
    path = tmp_path / "key"
    path.write_text("f" * 32 + "\n", encoding="utf-8")
    assert load_key({"PSIKG_PSEUDONYM_KEY": "k" * 16}, path) == b"f" * 32
    with pytest.raises(UsageError, match="at least 16"):
        load_key({"PSIKG_PSEUDONYM_KEY": "short"})
