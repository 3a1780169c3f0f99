"""The sample registries through ``psikg load``: CSV, Windows-1252 CSV and XLSX alike,
personal data never stored in clear, provenance recorded, reloads replacing the graph."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.settings import EXAMPLES_DIR
from graph.store import Store
from loaders.registry import load_table
from tests.cli_runs import run_in_process
from tests.cli_runs import run_process
from tests.conftest import RunPsikg

KEY = "a-test-key-that-is-long-enough"
GRAPH = "https://data.psikg.example/graph/subsidies"


def psikg_with_key(store: Path, *args: str | os.PathLike[str], key: str | None = KEY,
                   process: bool = False) -> subprocess.CompletedProcess[str]:
    """``psikg --store STORE ARGS…`` with the pseudonym key in the environment, in this
    process, or in a child process if ``process`` (to see what a real run prints)."""
    arguments = ["--store", str(store), *map(str, args)]
    env = {"PSIKG_PSEUDONYM_KEY": key} if key is not None else {}
    if process:
        return run_process(arguments, timeout=300, env=env)
    return run_in_process(arguments, env=env)


def natural_persons() -> list[str]:
    """Beneficiaries of the sample subsidies who have no enterprise number: people."""
    with (EXAMPLES_DIR / "subsidies.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    names = [r["Bénéficiaire"] for r in rows if not r["Numéro d'entreprise"]]
    assert len(names) > 20
    return names


@pytest.mark.parametrize("name", ["subsidies", "contracts"])
def test_csv_windows_1252_and_xlsx_give_the_same_graph(tmp_path: Path, name: str) -> None:
    graphs = []
    with Store(tmp_path / "store") as store:
        for variant in (f"{name}.csv", f"{name}-cp1252.csv", f"{name}.xlsx"):
            result = load_table(store, EXAMPLES_DIR / variant,
                                EXAMPLES_DIR / f"{name}-metadata.json",
                                graph=f"https://x.example/{variant}", key=KEY.encode())
            assert result.rows_rejected == 0
            graphs.append(set(store.graph_ntriples(result.graph).splitlines()))
        assert graphs[0] == graphs[1] == graphs[2]
        assert len(graphs[0]) > 4000


def test_personal_data_never_reaches_the_store_or_an_output(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = psikg_with_key(store, "load", EXAMPLES_DIR / "subsidies.csv", "--graph", GRAPH,
                            "--report", tmp_path / "report.csv")
    assert result.returncode == 0, result.stderr
    assert "personal data anonymised in" in result.stdout
    exported = psikg_with_key(store, "export", "-o", tmp_path / "all.nq")
    assert exported.returncode == 0, exported.stderr
    outputs = [(tmp_path / "all.nq").read_text(encoding="utf-8"), result.stdout, result.stderr,
               (tmp_path / "report.csv").read_text(encoding="utf-8-sig")]
    for name in natural_persons():
        for output in outputs:
            assert name not in output
    data = outputs[0]
    assert "person-" in data
    assert "ASBL" in data, "organisations keep their names"
    dataset = "<https://data.psikg.example/dataset/subsidies>"
    assert (f"{dataset} <https://w3id.org/psikg/ontology#anonymised> "
            '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>') in data
    assert (f"{dataset} <https://w3id.org/psikg/ontology#anonymisationTechnique> "
            "<https://w3id.org/psikg/code/anonymisation-technique/pseudonymisation>") in data
    assert f"{dataset} <https://w3id.org/psikg/ontology#containsPersonalData>" in data


@pytest.mark.slow
def test_pseudonyms_are_stable_and_keyed(tmp_path: Path) -> None:
    def names(key: str) -> set[str]:
        with Store(tmp_path / key) as store:
            load_table(store, EXAMPLES_DIR / "subsidies.xlsx",
                       EXAMPLES_DIR / "subsidies-metadata.json", key=key.encode())
            rows = store.query("SELECT DISTINCT ?n { ?s <https://schema.org/name> ?n "
                               "FILTER(STRSTARTS(?n, 'person-')) }")
            return {row["n"].value for row in rows}

    first, again, other = names(KEY), names(KEY), names(KEY + "-other")
    assert first == again
    assert first and not first & other


def test_no_key_is_a_clear_error_and_nothing_is_stored(tmp_path: Path) -> None:
    result = psikg_with_key(tmp_path / "store", "load", EXAMPLES_DIR / "subsidies.csv", key=None,
                            process=True)
    assert result.returncode == 2
    assert "PSIKG_PSEUDONYM_KEY" in result.stderr and "Traceback" not in result.stderr
    graphs = psikg_with_key(tmp_path / "store", "graphs", "--format", "json")
    assert not [g for g in json.loads(graphs.stdout) if "subsidies" in g["graph"]]


def test_drop_without_a_key_when_the_metadata_says_so(tmp_path: Path) -> None:
    metadata = json.loads((EXAMPLES_DIR / "subsidies-metadata.json").read_text("utf-8"))
    for column in metadata["tableSchema"]["columns"]:
        if column["name"] == "beneficiary":
            column["psikg:personalData"] = {"method": "pseudonymise", "withoutKey": "drop"}
            column.pop("required")
    path = tmp_path / "subsidies-metadata.json"
    path.write_text(json.dumps(metadata), encoding="utf-8")
    with Store(tmp_path / "store") as store:
        result = load_table(store, EXAMPLES_DIR / "subsidies.csv", path, key=None)
        data = store.graph_ntriples(result.graph).decode()
        meta = store.graph_ntriples(store.meta_graph).decode()
    assert result.rows_anonymised > 20
    assert not any(name in data for name in natural_persons())
    assert "anonymisation-technique/suppression" in data
    assert "rowsAnonymised" in meta


def test_provenance_of_a_table_load(tmp_path: Path, psikg: RunPsikg) -> None:
    store = tmp_path / "store"
    result = psikg_with_key(store, "load", EXAMPLES_DIR / "subsidies.xlsx", "--graph", GRAPH)
    assert result.returncode == 0, result.stderr
    query = ("SELECT ?p ?o { GRAPH <https://data.psikg.example/graph/meta> { "
             f"<{GRAPH}> ?p ?o }} }}")
    rows = json.loads(psikg("query", query, "--format", "json", store=store).stdout)
    found = {b["p"]["value"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]: b["o"]["value"]
             for b in rows["results"]["bindings"]}
    assert found["wasDerivedFrom"] == (EXAMPLES_DIR / "subsidies.xlsx").resolve().as_uri()
    assert found["conformsTo"].endswith("examples/subsidies-metadata.json")
    assert found["sheet"] == "Subsides"
    assert (found["entities"], found["rowsRead"], found["rowsRejected"]) == ("400", "400", "0")
    assert found["rowsAnonymised"] != "0"
    assert "generatedAtTime" in found and "checksum" in found


def test_reload_replaces_the_previous_version(tmp_path: Path) -> None:
    with Store(tmp_path / "store") as store:
        first = load_table(store, EXAMPLES_DIR / "contracts.csv",
                           EXAMPLES_DIR / "contracts-metadata.json", graph=GRAPH)
        second = load_table(store, EXAMPLES_DIR / "contracts.xlsx",
                            EXAMPLES_DIR / "contracts-metadata.json", graph=GRAPH)
        assert first.triples == second.triples
        count = store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
        assert int(next(iter(count))["n"].value) == second.triples


@pytest.mark.slow
def test_demo_loads_every_sample(tmp_path: Path) -> None:
    result = psikg_with_key(tmp_path / "store", "demo", "--no-serve")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("platform.ttl", "subsidies.xlsx", "contracts.csv", "inventory-cp1252.csv",
                 "exclusive-arrangements.csv", "charges.csv"):
        assert f"graph/{name}" in result.stdout
    assert "after skipping 8 row(s) that do not" in result.stdout


def test_errors_of_a_conversion_come_back_as_errors(tmp_path: Path) -> None:
    from graph.errors import UsageError
    from loaders.registry import LoadRefused

    bad = Path(__file__).parent / "fixtures" / "bad"
    with Store(tmp_path / "store") as store:
        with pytest.raises(LoadRefused) as refused:
            load_table(store, bad / "impossible-date.csv", bad / "grants-metadata.json",
                       key=KEY.encode())
        assert refused.value.problems[0].value == "31/02/2024"
        assert refused.value.details["problems"][0]["value"] == "31/02/2024"
        with pytest.raises(UsageError, match="PSIKG_PSEUDONYM_KEY"):
            load_table(store, bad / "grants.csv", bad / "grants-metadata.json")
        with pytest.raises(InputError) as header:
            load_table(store, bad / "renamed-header.csv", bad / "grants-metadata.json",
                       key=KEY.encode())
        assert header.value.type == "renamed-header"
        assert store.graphs() == [g for g in store.graphs() if g.iri == store.meta_graph]


def test_a_metadata_error_names_the_users_file(tmp_path: Path) -> None:
    """The loader hands the engine the metadata it parsed (no copy on disk), so an error
    the engine finds in it names the file the user gave."""
    from loaders.csvw.errors import CsvwError

    metadata = json.loads((EXAMPLES_DIR / "subsidies-metadata.json").read_text("utf-8"))
    metadata["@context"] = ["http://www.w3.org/ns/csvw", {"@vocab": "http://x.example/"}]
    given = tmp_path / "subsidies-metadata.json"
    given.write_text(json.dumps(metadata), encoding="utf-8")
    with Store(tmp_path / "store") as store, pytest.raises(CsvwError) as caught:
        load_table(store, EXAMPLES_DIR / "subsidies.csv", given, key=KEY.encode())
    assert caught.value.file == str(given)
    assert "@vocab" in caught.value.message
