"""A load says what the budget queries will not see of the grants it wrote, naming the
query and the property, where each query would otherwise answer without them silently."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.registry import load_table
from psikg.cli import cli

KEY = "0123456789abcdef0123456789abcdef"


def sample(folder: Path, *, without_place: int = 0, typed: bool = True) -> Path:
    """The subsidies sample, its first ``without_place`` rows without a NIS code, and
    without the virtual column that types the grants when ``typed`` is false."""
    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    nis = rows[0].index("Code INS")
    for row in rows[1:without_place + 1]:
        row[nis] = ""
    table = folder / "subsidies.csv"
    with table.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)
    meta = json.loads((EXAMPLES_DIR / "subsidies-metadata.json").read_text(encoding="utf-8"))
    if not typed:
        columns = meta["tableSchema"]["columns"]
        meta["tableSchema"]["columns"] = [c for c in columns if c["name"] != "grant_type"]
    (folder / "subsidies-metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    return table


def places_missing_in_the_sample() -> int:
    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8", newline="") as stream:
        return sum(1 for row in csv.DictReader(stream, delimiter=";") if not row["Code INS"])


def test_grants_without_a_municipality_are_named_with_the_query_that_leaves_them_out(
        tmp_path: Path) -> None:
    table = sample(tmp_path, without_place=30)
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, tmp_path / "subsidies-metadata.json",
                            key=KEY.encode())
    already = places_missing_in_the_sample()
    assert result.warnings == [
        f"{30 + already} of {result.rows_loaded} grant(s) have no "
        "dct:spatial; subsidies-by-municipality leave them out"]


def test_untyped_grants_are_named_with_every_budget_query(tmp_path: Path) -> None:
    table = sample(tmp_path, typed=False)
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, tmp_path / "subsidies-metadata.json",
                            key=KEY.encode())
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.startswith(f"{result.rows_loaded} node(s) with a schema:amount are not "
                              "typed schema:MonetaryGrant; ")
    for query in ("beneficiary-profile", "granted-vs-paid", "spending-by-body-year",
                  "subsidies-by-municipality", "top-beneficiaries", "year-over-year"):
        assert query in warning


def test_psikg_load_prints_the_warnings(tmp_path: Path) -> None:
    table = sample(tmp_path, without_place=5)
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "load", str(table)],
                                env={"PSIKG_PSEUDONYM_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert (f"psikg: subsidies.csv: warning: {5 + places_missing_in_the_sample()} of 400 "
            "grant(s) have no dct:spatial; subsidies-by-municipality leave them out"
            ) in result.stderr
