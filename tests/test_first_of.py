"""``psikg:firstOf``: a beneficiary minted from its enterprise number, else its normalised name.

The registers of ``tests/fixtures/synthetic/city.py`` go through the real loader into a real
store; the IRIs are compared with the keys the generator wrote down for each row (the ten
digits, the spelling normalised by hand, the pseudonym computed with ``hmac``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from graph.errors import InputError
from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.csvw.convert import csv2rdf
from loaders.registry import load_table
from tests.fixtures.synthetic.city import BASE
from tests.fixtures.synthetic.city import KEY
from tests.fixtures.synthetic.city import YEARS
from tests.fixtures.synthetic.city import grants
from tests.fixtures.synthetic.city import write_register

SCHEMA = "https://schema.org/"


def funded(store: Store, graph: str) -> dict[str, str]:
    """Grant reference → the beneficiary IRI its ``schema:fundedItem`` names."""
    query = f"SELECT ?g ?b {{ GRAPH <{graph}> {{ ?g <{SCHEMA}fundedItem> ?b }} }}"
    return {s["g"].value.rsplit("/", 1)[1]: s["b"].value for s in store.query(query)}


@pytest.mark.parametrize("year", YEARS, ids=[str(y.year) for y in YEARS])
def test_beneficiaries_by_enterprise_number_else_normalised_name(tmp_path: Path,
                                                                 year: Any) -> None:
    rows = grants(year)
    table, meta = write_register(tmp_path, year, rows)
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, meta, on_error="blank", key=KEY)
        got = funded(store, result.graph)
        numbers = {s["b"].value: s["n"].value for s in store.query(
            f"SELECT ?b ?n {{ GRAPH <{result.graph}> {{ ?b <{SCHEMA}taxID> ?n }} }}")}
        data = store.graph_ntriples(result.graph).decode()
    expected = {g.reference: BASE + "beneficiary/" + quote(g.key, safe="")
                for g in rows if not g.refused}
    assert got == expected
    assert "/beneficiary/>" not in data
    by_number: dict[str, set[str]] = defaultdict(set)
    for grant in rows:
        if grant.number is not None and not grant.refused:
            by_number[grant.number].add(got[grant.reference])
    assert all(iris == {BASE + "beneficiary/" + number} for number, iris in by_number.items())
    assert numbers == {BASE + "beneficiary/" + n: n for n in by_number}
    persons = [g for g in rows if g.person and not g.refused]
    assert persons and all(got[g.reference].split("/")[-1].startswith("person-")
                           for g in persons)
    assert not any(g.beneficiary in data for g in persons)


def test_a_wrong_enterprise_number_blanked_falls_back_to_the_name(tmp_path: Path) -> None:
    year = YEARS[0]
    rows = grants(year)
    table, meta = write_register(tmp_path, year, rows)
    [wrong] = [g for g in rows if "number" in g.blanked]
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, meta, on_error="blank", key=KEY)
        iri = funded(store, result.graph)[wrong.reference]
    assert iri == BASE + "beneficiary/" + wrong.key
    assert wrong.key == "centre-culturel-bruegel"  # the generator's spelling, by hand


def no_errors(year: Any) -> list[Any]:
    """The year's rows without the broken cells: every batch goes by the batch path."""
    return [g for index, g in enumerate(grants(year, rows=3000)) if index % 24 not in
            (3, 5, 7, 11)]


@pytest.mark.parametrize("year", [YEARS[0], YEARS[2]], ids=["csv", "xlsx"])
def test_batch_and_row_paths_write_the_same_bytes(tmp_path: Path, year: Any) -> None:
    for name, rows in (("clean", no_errors(year)), ("broken", grants(year, rows=300))):
        folder = tmp_path / name
        folder.mkdir()
        table, meta = write_register(folder, year, rows)
        outputs = []
        for columnar in (True, False):
            conversion = csv2rdf(table, metadata=meta, mode="minimal", strict=True, blank=True)
            conversion.columnar = columnar
            outputs.append((b"".join(conversion.chunks()), conversion.rows,
                            [e.as_dict() for e in conversion.errors], conversion.batched_rows))
        assert outputs[0][:3] == outputs[1][:3]
        if name == "clean":
            assert outputs[0][3] == len(rows) > 2000, "the batch path wrote them"
            assert outputs[0][0].count(b"/beneficiary/") >= 2 * len(rows)


def write_table(folder: Path, lines: list[str], columns: list[dict[str, Any]]) -> tuple[Path,
                                                                                       Path]:
    table = folder / "t.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    meta = folder / "t-metadata.json"
    meta.write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "url": "t.csv",
                                "dialect": {"delimiter": ";"},
                                "tableSchema": {"aboutUrl": BASE + "grant/{ref}",
                                                "columns": columns}}), encoding="utf-8")
    return table, meta


COLUMNS: list[dict[str, Any]] = [
    {"name": "ref", "titles": "Ref", "required": True, "propertyUrl": "dcterms:identifier"},
    {"name": "name", "titles": "Nom", "aboutUrl": BASE + "b/{who}", "propertyUrl": SCHEMA + "name"},
    {"name": "number", "titles": "BCE", "datatype": {"base": "string", "format": "psikg:kbo"}},
    {"name": "who", "virtual": True, "suppressOutput": True,
     "psikg:firstOf": ["number", "name"], "psikg:normalise": "name"},
    {"name": "funded", "virtual": True, "propertyUrl": SCHEMA + "fundedItem",
     "valueUrl": BASE + "b/{who}"},
    {"name": "kind", "virtual": True, "propertyUrl": "rdf:type",
     "valueUrl": SCHEMA + "MonetaryGrant"},
]


@pytest.mark.parametrize("columnar", [True, False])
def test_all_listed_columns_null_writes_no_triple_naming_it(tmp_path: Path,
                                                             columnar: bool) -> None:
    table, meta = write_table(tmp_path, ["Ref;Nom;BCE", "G1;;", "G2;- ? -;", "G3;ASBL Été;"],
                              COLUMNS)
    conversion = csv2rdf(table, metadata=meta, mode="minimal", strict=True)
    conversion.columnar = columnar
    text = b"".join(conversion.chunks()).decode()
    assert "/b/>" not in text and "fundedItem" in text
    assert text.count("<https://city.example/b/asbl-ete> <https://schema.org/name>") == 1
    for grant in ("G1", "G2"):  # no beneficiary, but the grant and its type are written
        assert f'<https://city.example/grant/{grant}> <http://www.w3.org/1999/02/22-rdf-' \
               'syntax-ns#type> <https://schema.org/MonetaryGrant>' in text
        assert f"<https://city.example/grant/{grant}> <https://schema.org/fundedItem>" not in text
    assert conversion.rows == 3 and not conversion.errors


def test_a_required_first_of_column_refuses_a_row_with_none(tmp_path: Path) -> None:
    columns = [dict(c, required=True) if c["name"] == "who" else c for c in COLUMNS]
    table, meta = write_table(tmp_path, ["Ref;Nom;BCE", "G1;;", "G2;ASBL Été;0203.071.973"],
                              columns)
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, meta, on_error="blank")
        data = store.graph_ntriples(result.graph).decode()
    [problem] = result.problems
    assert (problem.row, problem.column, problem.type, problem.outcome) == (
        1, "who", "required", "row refused")
    assert "'Nom'" in problem.message and "'BCE'" in problem.message
    assert result.rows_loaded == 1 and "/b/0203071973>" in data


@pytest.mark.parametrize(("change", "says"), [
    ({"psikg:firstOf": ["number", "nom"]}, "names no column of the table: 'nom'; expected one "
                                           "of ref, name, number"),
    ({"psikg:firstOf": "number"}, "psikg:firstOf is 'number'; it takes a list of column names"),
    ({"psikg:firstOf": []}, "it takes a list of column names"),
    ({"psikg:firstOf": ["number", "kind"]}, "names a virtual column: 'kind'"),
    ({"psikg:normalise": "slug"}, "psikg:normalise 'slug' is not a normalisation psikg "
                                  "knows; expected 'name'"),
    ({"virtual": False, "titles": "Qui"}, "column 'who' has psikg:firstOf but is not virtual"),
])
def test_first_of_metadata_errors_name_the_file_and_the_column(
        tmp_path: Path, change: dict[str, Any], says: str) -> None:
    columns = [dict(c, **change) if c["name"] == "who" else c for c in COLUMNS]
    table, meta = write_table(tmp_path, ["Ref;Nom;BCE" + (";Qui" if "virtual" in change
                                                          else ""), "G1;A;"], columns)
    with Store(tmp_path / "store") as store, pytest.raises(InputError) as caught:
        load_table(store, table, meta)
    error = caught.value
    assert error.type == "first-of-metadata"
    assert error.file == str(meta), "the user's metadata file, not the loader's copy"
    assert says in error.one_line()
    assert error.expected


def test_normalise_without_first_of_is_an_error(tmp_path: Path) -> None:
    columns = [dict(c, **{"psikg:normalise": "name"}) if c["name"] == "kind" else c
               for c in COLUMNS]
    table, meta = write_table(tmp_path, ["Ref;Nom;BCE", "G1;A;"], columns)
    with pytest.raises(InputError, match="column 'kind' has psikg:normalise without "
                                         "psikg:firstOf"):
        csv2rdf(table, metadata=meta)


def test_the_sample_subsidies_mint_beneficiaries_by_number_else_name(tmp_path: Path) -> None:
    import csv

    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    expected_numbers = {r["Numéro d'entreprise"].upper().removeprefix("BE").replace(".", "")
                        .zfill(10) for r in rows if r["Numéro d'entreprise"]}
    with Store(tmp_path / "store") as store:
        result = load_table(store, EXAMPLES_DIR / "subsidies.xlsx",
                            EXAMPLES_DIR / "subsidies-metadata.json", key=KEY)
        iris = set(funded(store, result.graph).values())
    keys = {iri.rsplit("/", 1)[1] for iri in iris}
    assert {k for k in keys if k.isdigit()} == expected_numbers
    people = {k for k in keys if not k.isdigit()}
    assert people and all(k.startswith("person-") for k in people)
    assert len(people) == len({r["Bénéficiaire"].casefold() for r in rows
                               if not r["Numéro d'entreprise"]})



def test_the_readme_example_mints_as_the_readme_says(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "loaders" / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Column extensions"):]
    block = section[section.index("```json") + len("```json"):section.index("```\n", 10)]
    columns = [{"name": "ref", "titles": "Ref", "required": True}, *json.loads(block)]
    table, meta = write_table(tmp_path, [
        "Ref;Bénéficiaire;Numéro d'entreprise", "G1;ASBL Ateliers du Midi;0203.071.973",
        "G2;ASBL Ateliers du Midi;", "G3;asbl ateliers du midi;0203.071.974"], columns)
    with Store(tmp_path / "store") as store:
        result = load_table(store, table, meta, on_error="blank")
        got = funded(store, result.graph)
    beneficiary = "https://data.psikg.example/beneficiary/"
    assert got == {"G1": beneficiary + "0203071973", "G2": beneficiary + "asbl-ateliers-du-midi",
                   "G3": beneficiary + "asbl-ateliers-du-midi"}
    assert [p.outcome for p in result.problems] == ["cell left empty"]
