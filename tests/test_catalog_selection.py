"""Art. 4's check and the platform's catalog agree on which disseminated datasets the
catalog publishes unasked (``graph/catalog_selection.py``, one rule for both).

A store with a platform that lists one dataset itself (which the catalog publishes whatever
its modes), and an inventory's datasets written with the quirks of real ones: complete,
without a description, given two dissemination modes (disseminated and on request) by two
rows, and a title that is an IRI. Each disseminated dataset the catalog lists passes
Art. 4; each it does not list is a violation of Art. 4 held against its publisher.
"""

from __future__ import annotations

from pathlib import Path

from endpoint.platform_catalog import published
from graph.compliance.tally import compliance_record
from graph.settings import DEFAULT_BASE_IRI
from graph.store import Store

BODY = DEFAULT_BASE_IRI + "public-body/0207000001"
D = DEFAULT_BASE_IRI + "dataset/"
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix psi: <https://w3id.org/psikg/ontology#> .
@prefix mode: <https://w3id.org/psikg/code/dissemination-mode/> .
"""
PLATFORM = PREFIXES + f"""
<{DEFAULT_BASE_IRI}platform> a psi:Platform, dcat:Catalog ; dct:title "Plateforme"@fr ;
    dcat:dataset <{D}listed> .
"""
INVENTORY = PREFIXES + f"""
<{D}complete> a dcat:Dataset ; dct:title "Budget"@fr ; dct:description "Le budget."@fr ;
    dct:publisher <{BODY}> ; psi:disseminationMode mode:disseminated .
<{D}undescribed> a dcat:Dataset ; dct:title "Voiries"@fr ;
    dct:publisher <{BODY}> ; psi:disseminationMode mode:disseminated .
<{D}two-modes> a dcat:Dataset ; dct:title "Subsides"@fr ; dct:description "Les subsides."@fr ;
    dct:publisher <{BODY}> ; psi:disseminationMode mode:disseminated, mode:on-request .
<{D}iri-title> a dcat:Dataset ; dct:title <{D}a-title> ; dct:description "Un titre IRI."@fr ;
    dct:publisher <{BODY}> ; psi:disseminationMode mode:disseminated .
<{D}listed> a dcat:Dataset ; dct:title "Marchés"@fr ; dct:description "Les marchés."@fr ;
    dct:publisher <{BODY}> ; psi:disseminationMode mode:on-request, mode:disseminated .
"""
DISSEMINATED = {D + name for name in ("complete", "undescribed", "two-modes", "iri-title",
                                      "listed")}


def test_art_4_passes_exactly_the_disseminated_datasets_the_catalog_lists(
        tmp_path: Path) -> None:
    (tmp_path / "platform.ttl").write_text(PLATFORM, encoding="utf-8")
    (tmp_path / "inventory.ttl").write_text(INVENTORY, encoding="utf-8")
    with Store(tmp_path / "store") as store:
        store.load_files([tmp_path / "platform.ttl", tmp_path / "inventory.ttl"])
        listed = {dataset for dataset, _ in published(store)}
        record = compliance_record(store, DEFAULT_BASE_IRI + "graph/inventory.ttl", None,
                                   "test")
    violated = {f.focus_node for f in record.findings if f.article == "4"}
    assert all(f.body == BODY for f in record.findings if f.article == "4")
    assert violated == DISSEMINATED - listed
    # the cases are not vacuous: the catalog lists some, and leaves the quirks out
    assert listed & DISSEMINATED == {D + "complete", D + "iri-title", D + "listed"}
    [tally] = [t for t in record.tallies if t.article == "4"]
    assert (tally.checked, tally.violations) == (5, 2)
