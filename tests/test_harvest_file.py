"""Harvesting DCAT files: repairs counted and recorded, nothing dropped, unchanged rewrites
nothing, invalid RDF reported with its position and the previous graph kept."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from graph.store import Store
from loaders.harvest.config import SourceSpec
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.local_iris import FIRST_PART_BYTES
from loaders.harvest.run import harvest
from tests.conftest import RunPsikg
from tests.conftest import write
from tests.fixtures.harvest.server import PREFIXES
from tests.fixtures.harvest.server import dataset_turtle

FIXTURES = Path(__file__).parent / "fixtures" / "harvest"
DEFECTS = FIXTURES / "defects.ttl"
BASE = "https://data.psikg.example/"
GRAPH = BASE + "graph/harvest/defects"
DCAT = "http://www.w3.org/ns/dcat#"


def local(original: str, source: str = "defects", kind: str = "dataset") -> str:
    """The IRI psikg gives a harvested node (loaders/harvest/local_iris.py)."""
    return f"{BASE}harvest/{source}/{kind}/{hashlib.sha1(original.encode()).hexdigest()[:16]}"


def rows(store: Store, sparql: str) -> list[dict[str, str]]:
    result = store.query(sparql)
    return [{str(v)[1:]: s[v].value for v in result.variables if s[v] is not None}
            for s in result]


def test_every_dataset_arrives_with_an_iri(store_dir: Path) -> None:
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("defects", str(DEFECTS)), HarvestPolicy())
        found = rows(store, f"SELECT ?d WHERE {{ GRAPH <{GRAPH}> {{ ?d a "
                            "<http://www.w3.org/ns/dcat#Dataset> } }")
    assert report.status == "harvested" and report.datasets == 4 == len(found)
    assert all(not d["d"].startswith("_:") for d in found)
    assert f"{BASE}harvest/defects/dataset/arbres%20remarquables" in {d["d"] for d in found}


def test_repairs_are_counted(store_dir: Path) -> None:
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("defects", str(DEFECTS)), HarvestPolicy())
    assert report.repairs == {
        "relative-iri": 18, "dcat-ap-3-property": 3, "literal-to-vocabulary": 6,
        "iri-to-vocabulary": 2, "email-to-iri": 1, "blank-node-dataset": 1,
        "blank-node-distribution": 1, "machine-translation-tag": 2, "escaped-html": 1}
    assert sorted(p.type for p in report.problems) == [
        "missing-description", "missing-title", "unmapped-literal"]


def test_repaired_values(store_dir: Path) -> None:
    with Store(store_dir) as store:
        harvest(store, SourceSpec("defects", str(DEFECTS)), HarvestPolicy())
        budget = local("https://portail.example/catalogue/jeu/budget")
        values = {(r["p"], r["o"]) for r in rows(
            store, f"SELECT ?p ?o WHERE {{ GRAPH <{GRAPH}> {{ <{budget}> ?p ?o }} }}")}
        langs = {r["l"] for r in rows(
            store, f"SELECT (LANG(?t) AS ?l) WHERE {{ GRAPH <{GRAPH}> {{ <{budget}> "
                   "<http://purl.org/dc/terms/title> ?t } }")}
        email = rows(store, f"SELECT ?e WHERE {{ GRAPH <{GRAPH}> {{ ?c "
                            "<http://www.w3.org/2006/vcard/ns#hasEmail> ?e } } ORDER BY ?e")
    eu = "http://publications.europa.eu/resource/authority/"
    assert ("http://www.w3.org/ns/dcat#theme", eu + "data-theme/ECON") in values
    assert ("http://purl.org/dc/terms/language", eu + "language/FRA") in values
    assert ("http://www.w3.org/ns/dcat#version", "2025.1") in values
    assert ("http://purl.org/dc/terms/description", "Budget & comptes de la ville.") in values
    assert ("http://www.w3.org/ns/dcat#landingPage", "https://portail.example/pages/budget") \
        in values
    assert ("http://www.w3.org/2002/07/owl#sameAs",
            "https://portail.example/catalogue/jeu/budget") in values
    assert langs == {"fr", "nl", "de"}
    assert [e["e"] for e in email] == ["mailto:adresses@ville.example",
                                       "mailto:finances@ville.example"]


def test_renaming_reaches_every_reference_and_no_literal(tmp_path: Path,
                                                         store_dir: Path) -> None:
    source = write(tmp_path / "refs.ttl", """
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix foaf: <http://xmlns.com/foaf/0.1/> .
        <https://p.example/ds/1> a dcat:Dataset ; dct:title "Un" ;
          dct:description "Voir <https://p.example/ds/1> ou https://p.example/ds/1" ;
          dcat:distribution <https://p.example/ds/1/csv> .
        <https://p.example/ds/1/csv> a dcat:Distribution ;
          dcat:accessURL <https://p.example/files/1.csv> .
        [] a dcat:CatalogRecord ; foaf:primaryTopic <https://p.example/ds/1> .
        <https://p.example/note> dct:relation <https://p.example/ds/1> .
        """)
    dataset = local("https://p.example/ds/1", "refs")
    distribution = local("https://p.example/ds/1/csv", "refs", "distribution")
    graph = BASE + "graph/harvest/refs"
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("refs", str(source)), HarvestPolicy())
        found = {(r["s"], r["p"], r["o"]) for r in rows(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH "
                                                             f"<{graph}> {{ ?s ?p ?o }} }}")}
        stored = {g.iri: g.triples for g in store.graphs()}[graph]
    dct, dcat = "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#"
    assert (dataset, dct + "description",
            "Voir <https://p.example/ds/1> ou https://p.example/ds/1") in found
    assert (dataset, dcat + "distribution", distribution) in found
    assert (distribution, dcat + "accessURL", "https://p.example/files/1.csv") in found
    assert ("https://p.example/note", dct + "relation", dataset) in found
    assert {o for s, p, o in found if p == "http://xmlns.com/foaf/0.1/primaryTopic"} == {dataset}
    assert not {(s, o) for s, _, o in found if "https://p.example/ds/1" in (s, o)} - {
        (dataset, "https://p.example/ds/1")}
    assert report.triples == stored == len(found)


@pytest.mark.slow
def test_blank_nodes_keep_their_statements_when_the_store_loads_in_parts(
        tmp_path: Path, store_dir: Path) -> None:
    """Seven contact points given as blank nodes, described once at the end and shared by a
    catalog large enough that the store loads it in several parts (each ``bulk_load`` has
    blank nodes of its own): every dataset still reaches its contact's name."""
    count = 2_500
    text = PREFIXES + "".join(
        dataset_turtle(n).replace(f"<https://portal.example/contact/{n % 7}>", f"_:c{n % 7}")
        for n in range(count)) + "".join(
        f'_:c{n} a vcard:Kind ; vcard:fn "Contact {n}" .\n' for n in range(7))
    source = write(tmp_path / "blank.ttl", text)
    graph = BASE + "graph/harvest/blank"
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("blank", str(source)), HarvestPolicy())
        names = rows(store, f"SELECT ?d ?name WHERE {{ GRAPH <{graph}> {{ ?d <{DCAT}contactPoint>"
                            f" [ <http://www.w3.org/2006/vcard/ns#fn> ?name ] }} }}")
        written = len(store.graph_ntriples(graph))
    assert written > 3 * FIRST_PART_BYTES  # three parts at least
    assert report.status == "harvested" and report.datasets == count
    assert len({r["d"] for r in names}) == count
    assert sorted(r["name"] for r in names) == sorted(f"Contact {n % 7}" for n in range(count))


def test_machine_translations_are_kept_as_provenance(store_dir: Path) -> None:
    with Store(store_dir) as store:
        harvest(store, SourceSpec("defects", str(DEFECTS)), HarvestPolicy())
        found = rows(store, f"""
            PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
            SELECT ?tag ?from ?value WHERE {{ GRAPH <{GRAPH}/report> {{
              ?st a rdf:Statement ; rdf:object ?value ;
                  <http://purl.org/dc/terms/conformsTo> ?tag ;
                  <http://purl.org/dc/terms/source> ?from }} }} ORDER BY ?tag""")
    assert [(r["tag"], r["from"].rsplit("/", 1)[1], r["value"]) for r in found] == [
        ("de-t-fr", "FRA", "Gemeindehaushalt"), ("nl-t-fr", "FRA", "Gemeentebegroting")]


def test_report_graph_holds_counts_as_dqv_measurements(store_dir: Path) -> None:
    with Store(store_dir) as store:
        harvest(store, SourceSpec("defects", str(DEFECTS)), HarvestPolicy())
        found = rows(store, f"""
            PREFIX dqv: <http://www.w3.org/ns/dqv#>
            SELECT ?metric ?value WHERE {{ GRAPH <{GRAPH}/report> {{
              ?m dqv:isMeasurementOf ?metric ; dqv:value ?value ; dqv:computedOn <{GRAPH}> }} }}""")
        problems = rows(store, f"""
            SELECT ?target WHERE {{ GRAPH <{GRAPH}/report> {{
              ?a a <http://www.w3.org/ns/dqv#QualityAnnotation> ;
                 <http://purl.org/dc/terms/type>
                 <https://w3id.org/psikg/harvest#problem/missing-title> ;
                 <http://www.w3.org/ns/oa#hasTarget> ?target }} }}""")
    counts = {r["metric"].rsplit("#", 1)[1]: int(r["value"]) for r in found}
    assert counts["datasets"] == 4 and counts["machine-translation-tag"] == 2
    assert [p["target"] for p in problems] == ["https://portail.example/catalogue/jeu/sans-titre"]


def test_unchanged_source_rewrites_nothing(store_dir: Path) -> None:
    with Store(store_dir) as store:
        harvest(store, SourceSpec("defects", str(DEFECTS)), HarvestPolicy())
        before = [(g.iri, g.triples, g.provenance) for g in store.graphs()]
        again = harvest(store, SourceSpec("defects", str(DEFECTS)), HarvestPolicy())
        after = [(g.iri, g.triples, g.provenance) for g in store.graphs()]
    assert again.status == "unchanged"
    assert before == after


def test_invalid_rdf_keeps_the_previous_graph_and_records_the_failure(tmp_path: Path,
                                                                      store_dir: Path) -> None:
    source = write(tmp_path / "portal.ttl", DEFECTS.read_text(encoding="utf-8"))
    with Store(store_dir) as store:
        harvest(store, SourceSpec("portal", str(source)), HarvestPolicy())
        graph = BASE + "graph/harvest/portal"
        before = [(g.iri, g.triples) for g in store.graphs() if g.iri.startswith(graph)]
        write(source, "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> a dcat:Dataset ;\n"
                      "  <http://purl.org/dc/terms/title> \"truncated")
        report = harvest(store, SourceSpec("portal", str(source)), HarvestPolicy())
        after = [(g.iri, g.triples) for g in store.graphs()
                 if g.iri.startswith(graph) and not g.iri.endswith("last-failure")]
        failure = rows(store, f"SELECT ?c WHERE {{ GRAPH <{graph}/last-failure> {{ ?a "
                              "<http://www.w3.org/2000/01/rdf-schema#comment> ?c } }")
    assert report.status == "failed" and report.error is not None
    assert report.error.type == "invalid-rdf" and report.error.line == 3
    assert before == after
    assert failure and "portal.ttl:3:" in failure[0]["c"]


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("bomb.rdf", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]>'
                 '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
     "invalid-rdf"),
    ("cut.rdf", '<?xml version="1.0"?><rdf:RDF '
                'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description',
     "invalid-rdf"),
    ("remote.jsonld", '{"@context": "https://schema.org/", "name": "x"}', "remote-context"),
])
def test_unsafe_or_broken_documents_are_refused(tmp_path: Path, store_dir: Path, name: str,
                                                text: str, expected: str) -> None:
    source = write(tmp_path / name, text)
    with Store(store_dir) as store:
        report = harvest(store, SourceSpec("x", str(source)), HarvestPolicy())
    assert report.error is not None and report.error.type == expected


def test_cli_prints_the_report_and_exits_1_on_invalid_rdf(tmp_path: Path,
                                                         psikg: RunPsikg) -> None:
    done = psikg("harvest", DEFECTS, "--name", "defects")
    assert done.returncode == 0, done.stderr
    assert "defects: 4 datasets" in done.stdout
    assert "repaired      2  machine-translation-tag" in done.stdout
    broken = write(tmp_path / "broken.rdf", '<?xml version="1.0"?>\n<rdf:RDF '
                   'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description')
    done = psikg("harvest", broken, "--json")
    assert done.returncode == 1
    [report] = json.loads(done.stdout)
    assert report["status"] == "failed" and report["error"]["type"] == "invalid-rdf"
    assert report["error"]["line"] == 3


def test_the_same_dataset_on_two_portals_is_linked(tmp_path: Path, store_dir: Path) -> None:
    other = write(tmp_path / "federal.ttl", """
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://federal.example/dataset/budget> a dcat:Dataset ; dct:identifier "budget-2025" ;
            dct:title "Budget"@fr ; dct:description "Copie."@fr .
        <https://federal.example/dataset/pages> a dcat:Dataset ; dct:title "P"@fr ;
            dct:description "Même page d'accueil."@fr ;
            dcat:landingPage <https://portail.example/pages/budget> .""")
    with Store(store_dir) as store:
        harvest(store, SourceSpec("defects", str(DEFECTS)), HarvestPolicy())
        report = harvest(store, SourceSpec("federal", str(other)), HarvestPolicy())
        links = rows(store, f"SELECT ?a ?b WHERE {{ GRAPH <{BASE}graph/harvest-links> "
                            "{ ?a <http://www.w3.org/ns/prov#alternateOf> ?b } }")
    budget = local("https://portail.example/catalogue/jeu/budget")
    federal = local("https://federal.example/dataset/budget", "federal")
    pages = local("https://federal.example/dataset/pages", "federal")
    pairs = {(r["a"], r["b"]) for r in links}
    assert (budget, federal) in pairs and (federal, budget) in pairs
    assert {(budget, pages), (pages, budget)} <= pairs
    assert report.duplicates == 2  # both federal datasets are also on the first portal


def test_relative_iris_of_a_trig_page_resolve_against_its_url(tmp_path: Path,
                                                              store_dir: Path) -> None:
    page = write(tmp_path / "page.trig", """
        <../../index.trig> <https://w3id.org/tree#member> <#m1> .
        <#m1> { <d1> a <http://www.w3.org/ns/dcat#Dataset> ;
                <http://purl.org/dc/terms/title> "D"@fr . }""")
    spec = SourceSpec("ldes", str(page), base_iri="https://portal.example/ldes/1/2/page.trig")
    with Store(store_dir) as store:
        report = harvest(store, spec, HarvestPolicy())
        found = rows(store, f"SELECT ?d WHERE {{ GRAPH <{BASE}graph/harvest/ldes> "
                            "{ ?d a <http://www.w3.org/ns/dcat#Dataset> } }")
    assert report.repairs["relative-iri"] == 4
    assert found == [{"d": local("https://portal.example/ldes/1/2/d1", "ldes")}]
