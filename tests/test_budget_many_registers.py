"""A beneficiary described by several registers counts once, and its label is its most
frequent spelling over every register's rows.

Three yearly subsidy registers (one graph each) describe the same beneficiaries: each
repeats their enterprise number and name, spelled differently from row to row. The
expected answers are computed here from the rows written, not by psikg.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.canned.library import load_library
from graph.canned.run import StoreExecutor
from graph.canned.run import run
from graph.settings import EXAMPLES_DIR
from graph.settings import QUERIES_DIR
from graph.store import Store
from loaders.registry import load_table

BASE = "https://data.psikg.example/"
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
BODIES = ["0650207430", "0308414468"]
"""Two granting bodies (valid enterprise numbers)."""
BENEFICIARIES = {
    "0272938402": ["ASBL Ateliers du Midi", "ASBL Ateliers du Midi", "asbl ateliers du midi",
                   "ASBL Ateliers du Midi / VZW Ateliers van het Zuiden"],
    "0917618218": ["SC Entraide Migrants", "SC Entraide migrants", "SC Entraide migrants"],
    "0811784288": ["SRL École des devoirs"],
}
"""Enterprise number → the spellings a row may use, the first one row out of two."""


def metadata(table: str) -> dict[str, object]:
    """The sample subsidies metadata, with beneficiaries identified by enterprise number."""
    meta = json.loads((EXAMPLES_DIR / "subsidies-metadata.json").read_text(encoding="utf-8"))
    meta["url"] = table
    meta.pop("dialect", None)
    meta["dialect"] = {"delimiter": ";"}
    columns = meta["tableSchema"]["columns"]  # type: ignore[index]
    for column in columns:
        if column.get("aboutUrl", "").startswith(BASE + "beneficiary/"):
            column["aboutUrl"] = BASE + "beneficiary/{enterprise_number}"
        if column.get("valueUrl", "").startswith(BASE + "beneficiary/"):
            column["valueUrl"] = BASE + "beneficiary/{enterprise_number}"
        if column["name"] == "enterprise_number":
            column["required"] = True
        column.pop("psikg:personalData", None)
    meta["tableSchema"].pop("psikg:naturalPersonWhen", None)  # type: ignore[union-attr]
    return meta


def registers(folder: Path) -> tuple[list[Path], list[dict[str, str]]]:
    """Three yearly registers of the same beneficiaries; the rows as written."""
    header = ["Référence", "Exercice", "Pouvoir subsidiant", "N° BCE du pouvoir subsidiant",
              "Bénéficiaire", "Numéro d'entreprise", "Montant octroyé (€)",
              "Montant liquidé (€)", "Objet", "Article budgétaire", "Date de décision",
              "Code INS"]
    tables, rows = [], []
    number = 0
    for year in (2023, 2024, 2025):
        table = folder / f"subsidies-{year}.csv"
        with table.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, delimiter=";")
            writer.writerow(header)
            for index in range(12):
                number += 1
                kbo = list(BENEFICIARIES)[index % 3]
                spellings = BENEFICIARIES[kbo]
                name = spellings[0] if index % 2 == 0 else spellings[index % len(spellings)]
                granted = Decimal(1000 + 37 * number) + Decimal("0.25") * (index % 3)
                paid = granted if index % 4 else Decimal(0)
                row = {"reference": f"SUB-{year}-{number:04d}", "year": str(year),
                       "body": BODIES[index % 2], "name": name, "kbo": kbo,
                       "granted": str(granted), "paid": str(paid) if paid else ""}
                rows.append(row)
                writer.writerow([row["reference"], year, "Pouvoir", row["body"], name, kbo,
                                 str(granted).replace(".", ","),
                                 str(paid).replace(".", ",") if paid else "",
                                 "Projet", "761/321-02", f"01/03/{year}", "21004"])
        (folder / f"subsidies-{year}-metadata.json").write_text(
            json.dumps(metadata(table.name), ensure_ascii=False), encoding="utf-8")
        tables.append(table)
    return tables, rows


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Store, list[dict[str, str]]]]:
    folder = tmp_path_factory.mktemp("registers")
    tables, rows = registers(folder)
    store = Store(folder / "store")
    for table in tables:
        load_table(store, table, table.with_name(table.stem + "-metadata.json"))
    yield store, rows
    store.close()


def labels_of(store: Store, iri: str) -> list[str]:
    """The ``skos:prefLabel`` s of ``iri`` in the store (the union of its graphs)."""
    rows = store.query(f"SELECT ?label WHERE {{ {ox.NamedNode(iri)} {PREF_LABEL} ?label }}")
    return [row["label"].value for row in rows]


def most_frequent(rows: list[dict[str, str]], kbo: str) -> str:
    counts = Counter(row["name"] for row in rows if row["kbo"] == kbo)
    return min(counts, key=lambda name: (-counts[name], name))


def profile_expected(rows: list[dict[str, str]], kbo: str
                     ) -> list[tuple[int, str, int, Decimal, Decimal]]:
    cells: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for row in rows:
        if row["kbo"] == kbo:
            cell = cells[int(row["year"]), BASE + "public-body/" + row["body"]]
            cell[0] += 1
            cell[1] += Decimal(row["granted"])
            cell[2] += Decimal(row["paid"] or 0)
    return [(year, body, int(n), granted, paid)
            for (year, body), (n, granted, paid) in sorted(cells.items())]


@pytest.mark.parametrize("plain", [False, True])
@pytest.mark.parametrize("kbo", list(BENEFICIARIES))
def test_a_beneficiary_in_three_registers_counts_once(
        loaded: tuple[Store, list[dict[str, str]]], kbo: str, plain: bool) -> None:
    store, rows = loaded
    query = load_library(QUERIES_DIR)["beneficiary-profile"]
    result = run(query, StoreExecutor(store), {"enterprise_number": [kbo]}, force_plain=plain)
    assert result.accelerated is (not plain)
    got = [(int(r[2].value), r[3].value, int(r[4].value), Decimal(r[5].value),
            Decimal(r[6].value)) for r in result.rows]  # type: ignore[union-attr]
    assert got == profile_expected(rows, kbo)
    assert {r[0].value for r in result.rows} == {BASE + "beneficiary/" + kbo}  # type: ignore[union-attr]
    assert {r[1].value for r in result.rows} == {most_frequent(rows, kbo)}  # type: ignore[union-attr]


def test_each_entity_written_several_ways_has_its_most_frequent_spelling_as_label(
        loaded: tuple[Store, list[dict[str, str]]]) -> None:
    store, rows = loaded
    for kbo in BENEFICIARIES:
        labels = labels_of(store, BASE + "beneficiary/" + kbo)
        written = {row["name"] for row in rows if row["kbo"] == kbo}
        assert labels == ([most_frequent(rows, kbo)] if len(written) > 1 else [])


@pytest.mark.parametrize("plain", [False, True])
def test_top_beneficiaries_over_three_registers(
        loaded: tuple[Store, list[dict[str, str]]], plain: bool) -> None:
    store, rows = loaded
    query = load_library(QUERIES_DIR)["top-beneficiaries"]
    result = run(query, StoreExecutor(store), {"from": ["2024"], "to": ["2025"]},
                 force_plain=plain)
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for row in rows:
        if row["year"] in ("2024", "2025"):
            total = totals[BASE + "beneficiary/" + row["kbo"]]
            total[0] += 1
            total[1] += Decimal(row["granted"])
            total[2] += Decimal(row["paid"] or 0)
    expected = sorted(((iri, int(n), g, p) for iri, (n, g, p) in totals.items()),
                      key=lambda item: (-item[2], item[0]))
    got = [(r[0].value, int(r[1].value), Decimal(r[2].value), Decimal(r[3].value))  # type: ignore[union-attr]
           for r in result.rows]
    assert got == expected


def test_reloading_a_register_changes_the_label_with_its_rows(
        tmp_path: Path) -> None:
    tables, rows = registers(tmp_path)
    store = Store(tmp_path / "store")
    try:
        for table in tables:
            load_table(store, table, table.with_name(table.stem + "-metadata.json"))
        kbo = "0917618218"
        # the 2025 register now writes its name one new way in every row
        text = tables[2].read_text(encoding="utf-8").replace("SC Entraide migrants",
                                                             "SC ENTRAIDE MIGRANTS")
        text = text.replace("SC Entraide Migrants", "SC ENTRAIDE MIGRANTS")
        tables[2].write_text(text, encoding="utf-8")
        load_table(store, tables[2], tables[2].with_name(tables[2].stem + "-metadata.json"))
        counts = Counter(row["name"] for row in rows
                         if row["kbo"] == kbo and row["year"] != "2025")
        counts["SC ENTRAIDE MIGRANTS"] = sum(1 for row in rows
                                             if row["kbo"] == kbo and row["year"] == "2025")
        best = min(counts, key=lambda name: (-counts[name], name))
        assert labels_of(store, BASE + "beneficiary/" + kbo) == [best]
    finally:
        store.close()


def readme_queries(section: str) -> list[str]:
    """The SPARQL of the ``psikg query '…'`` examples of a README section."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    text = readme.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"psikg query '(.*?)'", text, re.DOTALL)


def test_the_readme_shows_the_union_counting_a_grant_once_per_graph(
        loaded: tuple[Store, list[dict[str, str]]]) -> None:
    store, rows = loaded
    naive, once = readme_queries("The default graph")
    count = [int(next(iter(store.query(text)))["grants"].value) for text in (naive, once)]
    assert count == [3 * len(rows), len(rows)]  # each enterprise number is in three graphs
