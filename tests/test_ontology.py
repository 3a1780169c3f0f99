"""The decree ontology and its SKOS code lists, read from the real files.

What is pinned here is the agreed term list (the SHACL shapes are written
against exactly these IRIs), the multilingual documentation every ``psi:``
term owes, its link to an article of the decree, and the typing that DCAT-AP 3
range checks expect on the EU vocabulary terms.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL
from rdflib import RDF
from rdflib import RDFS
from rdflib import SKOS
from rdflib import Graph
from rdflib import Literal
from rdflib import Namespace
from rdflib import URIRef
from rdflib.namespace import DCTERMS
from rdflib.namespace import FOAF

from graph.namespaces import CODE
from graph.namespaces import DECREE_ELI
from graph.namespaces import HVD_REGULATION
from graph.namespaces import PSI_ONTOLOGY
from graph.settings import CODELISTS_DIR
from graph.settings import ONTOLOGY_FILE
from graph.settings import ontology_files

PSI = Namespace(PSI_ONTOLOGY + "#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ONTOLOGY = URIRef(PSI_ONTOLOGY)
LANGUAGES = {"fr", "nl", "de", "en"}
ARTICLE = re.compile(re.escape(DECREE_ELI) + r"#art_([1-9][0-9]*)")
DECREE_ARTICLES = range(1, 24)

LICENCE = "http://publications.europa.eu/resource/authority/licence/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
HVD_SCHEME = URIRef("http://data.europa.eu/bna/asd487ae75")

CLASSES = {
    "PublicBody": [FOAF.Organization, ORG.Organization],
    "ReferenceBodyDesignation": [],
    "AdditionalCondition": [],
    "ReuseRequest": [],
    "FormatDerogation": [],
    "CessationNotice": [],
    "Charge": [],
    "ChargingBodyList": [],
    "ExclusiveArrangement": [],
    "Exclusivity": [PSI.ExclusiveArrangement],
    "CulturalDigitisationExclusivity": [PSI.Exclusivity],
    "RestrictiveArrangement": [PSI.ExclusiveArrangement],
    "LegacyExclusiveContract": [PSI.ExclusiveArrangement],
    "Platform": [DCAT.Catalog],
}
"""Every class of the term list, with the superclasses it lists."""

PROPERTIES = {
    "bodyKind": (PSI.PublicBody, SKOS.Concept),
    "dominantInfluenceGround": (PSI.PublicBody, SKOS.Concept),
    "dominantInfluenceHolder": (PSI.PublicBody, PSI.PublicBody),
    "referenceBody": (DCAT.Resource, PSI.PublicBody),
    "designatedBody": (PSI.ReferenceBodyDesignation, PSI.PublicBody),
    "designatedFor": (PSI.ReferenceBodyDesignation, DCAT.Resource),
    "legalBasis": (PSI.ReferenceBodyDesignation, None),
    "disseminationMode": (DCAT.Resource, SKOS.Concept),
    "defaultLicence": (None, DCTERMS.LicenseDocument),
    "additionalCondition": (DCAT.Resource, PSI.AdditionalCondition),
    "reason": (PSI.AdditionalCondition, RDFS.Literal),
    "reasonKind": (PSI.AdditionalCondition, SKOS.Concept),
    "requestedInformation": (PSI.ReuseRequest, DCAT.Resource),
    "requestDate": (PSI.ReuseRequest, XSD.date),
    "licenceOfferDate": (PSI.ReuseRequest, XSD.date),
    "containsPersonalData": (DCAT.Resource, XSD.boolean),
    "anonymised": (DCAT.Resource, XSD.boolean),
    "anonymisationTechnique": (DCAT.Resource, SKOS.Concept),
    "personalDataController": (DCAT.Resource, FOAF.Agent),
    "dynamicData": (DCAT.Resource, XSD.boolean),
    "disseminationDelay": (DCAT.Resource, XSD.duration),
    "delayJustification": (DCAT.Resource, RDFS.Literal),
    "researchData": (DCAT.Resource, XSD.boolean),
    "publiclyFunded": (DCAT.Resource, XSD.boolean),
    "openArchive": (DCAT.Resource, None),
    "machineReadable": (DCTERMS.MediaTypeOrExtent, XSD.boolean),
    "openFormat": (DCTERMS.MediaTypeOrExtent, XSD.boolean),
    "formatDerogation": (DCAT.Resource, PSI.FormatDerogation),
    "motivation": (None, RDFS.Literal),
    "nonDisseminationGround": (DCAT.Resource, SKOS.Concept),
    "alreadyDisseminatedBy": (DCAT.Resource, PSI.PublicBody),
    "ceasedInformation": (PSI.CessationNotice, DCAT.Resource),
    "decisionDate": (PSI.CessationNotice, XSD.date),
    "decidingBody": (PSI.CessationNotice, PSI.PublicBody),
    "freeOfCharge": (DCAT.Resource, XSD.boolean),
    "charge": (DCAT.Resource, PSI.Charge),
    "chargeAmount": (PSI.Charge, XSD.decimal),
    "calculationMethod": (PSI.Charge, RDFS.Literal),
    "costBasis": (PSI.Charge, SKOS.Concept),
    "reasonableReturn": (PSI.Charge, XSD.decimal),
    "ecbReferenceRate": (PSI.Charge, XSD.decimal),
    "chargingBody": (PSI.Charge, PSI.PublicBody),
    "listedBody": (PSI.ChargingBodyList, PSI.PublicBody),
    "grantor": (PSI.ExclusiveArrangement, PSI.PublicBody),
    "grantee": (PSI.ExclusiveArrangement, FOAF.Agent),
    "concernsInformation": (PSI.ExclusiveArrangement, DCAT.Resource),
    "justification": (PSI.Exclusivity, RDFS.Literal),
    "lastReview": (PSI.ExclusiveArrangement, XSD.date),
    "nextReview": (PSI.ExclusiveArrangement, XSD.date),
    "publicationPage": (PSI.ExclusiveArrangement, FOAF.Document),
    "publicationDate": (PSI.ExclusiveArrangement, XSD.date),
    "freeCopyProvided": (PSI.CulturalDigitisationExclusivity, XSD.boolean),
    "administeredBy": (PSI.Platform, FOAF.Agent),
    "listsArrangement": (PSI.Platform, PSI.ExclusiveArrangement),
    "listsCessationNotice": (PSI.Platform, PSI.CessationNotice),
    "listsCharge": (PSI.Platform, PSI.Charge),
    "chargingBodyList": (PSI.Platform, PSI.ChargingBodyList),
    "licenceList": (PSI.Platform, SKOS.ConceptScheme),
    "guidance": (PSI.Platform, FOAF.Document),
    "lastValidation": (None, SH.ValidationReport),
    "violationCount": (None, XSD.integer),
    "warningCount": (None, XSD.integer),
}
"""Every property of the term list, with its rdfs:domain and rdfs:range (None: not set)."""

PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}

CODE_LISTS = {
    "body-kind": set("abcdefghi"),
    "influence-ground": {"i", "ii", "iii", "iv", "v"},
    "dissemination-mode": {"disseminated", "on-request", "not-disseminated"},
    "non-dissemination-ground": {
        "third-party-rights",
        "restricted-by-law",
        "confidentiality",
        "disproportionate-effort",
        "already-disseminated",
    },
    "cost-basis": set("abcdefghi"),
    "condition-reason": {"legal", "technical"},
    "anonymisation-technique": {
        "pseudonymisation",
        "suppression",
        "generalisation",
        "aggregation",
        "noise-addition",
    },
}
"""The psikg code lists whose concepts are minted as ``{CODE}{scheme}/{notation}``."""

LICENCES = {"CC0", "CC_BY_4_0", "CC_BYSA_4_0"}
FILE_TYPES = {
    "CSV",
    "TSV",
    "XLSX",
    "XLS",
    "ODS",
    "JSON",
    "JSON_LD",
    "XML",
    "RDF_XML",
    "RDF_TURTLE",
    "RDF_N_TRIPLES",
    "RDF_N_QUADS",
    "RDF_TRIG",
    "GEOJSON",
    "SHP",
    "GML",
    "KML",
    "PDF",
    "DOC",
    "DOCX",
    "HTML",
    "TXT",
    "ZIP",
}
HVD_CATEGORIES = {
    "c_164e0bf5": "Meteorological",
    "c_a9135398": "Companies and company ownership",
    "c_ac64a52d": "Geospatial",
    "c_b79e35eb": "Mobility",
    "c_dd313021": "Earth observation and environment",
    "c_e1da4e07": "Statistics",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def codelists() -> Graph:
    graph = Graph()
    for path in sorted(CODELISTS_DIR.glob("*.ttl")):
        graph.parse(path)
    return graph


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def article_problems(graph: Graph, subject: URIRef, *, also: frozenset[URIRef] = frozenset()):
    """What is wrong with the dct:source of ``subject``: none, or one that is not an article."""
    sources = set(graph.objects(subject, DCTERMS.source))
    if not sources:
        return [f"{subject}: no dct:source"]
    problems = []
    for source in sources - also:
        match = ARTICLE.fullmatch(str(source))
        if match is None or int(match.group(1)) not in DECREE_ARTICLES:
            problems.append(f"{subject}: dct:source {source} is not an article of the decree")
    if sources <= also:
        problems.append(f"{subject}: no dct:source to an article of the decree")
    return problems


def psi_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(PSI))}


@pytest.mark.parametrize("path", ontology_files(), ids=lambda path: Path(path).name)
def test_file_parses_alike_with_rdflib_and_pyoxigraph(path: Path):
    with_rdflib = Graph().parse(path, format="turtle")
    with_oxigraph = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(with_rdflib) > 0
    assert len(with_oxigraph) == len(with_rdflib)


def test_code_list_files_are_the_agreed_ones():
    names = {path.stem for path in CODELISTS_DIR.glob("*.ttl")}
    assert names == {*CODE_LISTS, "licence", "file-type", "hvd-category"}


def test_ontology_header(ontology: Graph):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert languages(ontology, ONTOLOGY, DCTERMS.title) == LANGUAGES
    assert languages(ontology, ONTOLOGY, DCTERMS.description) == LANGUAGES
    assert ontology.value(ONTOLOGY, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("psi")
    assert ontology.value(ONTOLOGY, DCTERMS.source) == URIRef(DECREE_ELI)
    assert list(ontology.objects(ONTOLOGY, OWL.imports)) == []


def test_every_listed_class_exists_with_its_superclasses(ontology: Graph):
    for name, superclasses in CLASSES.items():
        term = PSI[name]
        assert (term, RDF.type, OWL.Class) in ontology, name
        assert set(ontology.objects(term, RDFS.subClassOf)) >= set(superclasses), name


def test_every_listed_property_exists_with_its_domain_and_range(ontology: Graph):
    for name, (domain, range_) in PROPERTIES.items():
        term = PSI[name]
        assert set(ontology.objects(term, RDF.type)) & PROPERTY_TYPES, name
        assert ontology.value(term, RDFS.domain) == domain, name
        if range_ is not None:
            assert ontology.value(term, RDFS.range) == range_, name


def test_psi_terms_are_exactly_the_term_list(ontology: Graph):
    assert psi_terms(ontology) == {PSI[name] for name in (*CLASSES, *PROPERTIES)}


def test_every_psi_term_is_documented_in_four_languages(ontology: Graph):
    problems = []
    for term in sorted(psi_terms(ontology)):
        for predicate in (RDFS.label, RDFS.comment):
            missing = LANGUAGES - languages(ontology, term, predicate)
            if missing:
                problems.append(f"{term}: no {predicate} in {sorted(missing)}")
        if (term, RDFS.isDefinedBy, ONTOLOGY) not in ontology:
            problems.append(f"{term}: not rdfs:isDefinedBy the ontology")
        if not set(ontology.objects(term, RDF.type)) & (PROPERTY_TYPES | {OWL.Class}):
            problems.append(f"{term}: neither a class nor a property")
    assert problems == []


def test_every_psi_term_points_to_an_article_of_the_decree(ontology: Graph):
    problems = []
    for term in sorted(psi_terms(ontology)):
        problems += article_problems(ontology, term)
    assert problems == []


def test_every_concept_is_labelled_in_four_languages_and_in_a_scheme(codelists: Graph):
    concepts = set(codelists.subjects(RDF.type, SKOS.Concept))
    assert concepts
    problems = []
    for concept in sorted(concepts):
        missing = LANGUAGES - languages(codelists, concept, SKOS.prefLabel)
        if missing:
            problems.append(f"{concept}: no skos:prefLabel in {sorted(missing)}")
        schemes = set(codelists.objects(concept, SKOS.inScheme))
        if not schemes & set(codelists.subjects(RDF.type, SKOS.ConceptScheme)):
            problems.append(f"{concept}: in no scheme of the code lists")
        if codelists.value(concept, SKOS.notation) is None:
            problems.append(f"{concept}: no skos:notation")
        for scheme in codelists.objects(concept, SKOS.topConceptOf):
            if (scheme, SKOS.hasTopConcept, concept) not in codelists:
                problems.append(f"{concept}: top concept of {scheme}, which does not list it")
        problems += article_problems(codelists, concept, also=frozenset({URIRef(HVD_REGULATION)}))
    assert problems == []


def test_every_scheme_is_labelled_in_four_languages(codelists: Graph):
    problems = []
    for scheme in sorted(codelists.subjects(RDF.type, SKOS.ConceptScheme)):
        missing = LANGUAGES - languages(codelists, scheme, SKOS.prefLabel)
        if missing:
            problems.append(f"{scheme}: no skos:prefLabel in {sorted(missing)}")
        untitled = LANGUAGES - languages(codelists, scheme, DCTERMS.title)
        if untitled:  # DCAT-AP 3 wants a dct:title on every concept scheme it meets
            problems.append(f"{scheme}: no dct:title in {sorted(untitled)}")
        for concept in codelists.objects(scheme, SKOS.hasTopConcept):
            if (concept, SKOS.topConceptOf, scheme) not in codelists:
                problems.append(f"{scheme}: lists {concept}, which is not its top concept")
        problems += article_problems(codelists, scheme, also=frozenset({URIRef(HVD_REGULATION)}))
    assert problems == []


@pytest.mark.parametrize("name", sorted(CODE_LISTS))
def test_psikg_code_list_has_its_concepts_at_their_iris(codelists: Graph, name: str):
    scheme = URIRef(CODE + name)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in codelists
    members = set(codelists.subjects(SKOS.inScheme, scheme))
    assert {str(codelists.value(m, SKOS.notation)) for m in members} == CODE_LISTS[name]
    for member in members:
        assert member == URIRef(f"{scheme}/{codelists.value(member, SKOS.notation)}")
        assert (member, SKOS.topConceptOf, scheme) in codelists


def test_licences_are_licence_documents_with_cc0_as_default(codelists: Graph):
    scheme = URIRef(CODE + "licence")
    members = set(codelists.subjects(SKOS.inScheme, scheme))
    assert members == {URIRef(LICENCE + code) for code in LICENCES}
    for member in members:
        assert (member, RDF.type, DCTERMS.LicenseDocument) in codelists
        assert (member, RDF.type, SKOS.Concept) in codelists
    assert codelists.value(scheme, PSI.defaultLicence) == URIRef(LICENCE + "CC0")


def test_file_types_are_media_types_with_both_format_flags(codelists: Graph):
    scheme = URIRef(CODE + "file-type")
    members = set(codelists.subjects(SKOS.inScheme, scheme))
    assert {URIRef(FILE_TYPE + code) for code in FILE_TYPES} <= members
    for member in members:
        assert (member, RDF.type, DCTERMS.MediaTypeOrExtent) in codelists, member
        for flag in (PSI.machineReadable, PSI.openFormat):
            values = list(codelists.objects(member, flag))
            assert len(values) == 1, (member, flag)
            assert values[0].datatype == XSD.boolean, (member, flag)


def test_file_type_flags_follow_the_data_europa_eu_lists(codelists: Graph):
    def flags(code: str) -> tuple[bool, bool]:
        member = URIRef(FILE_TYPE + code)
        machine = codelists.value(member, PSI.machineReadable)
        open_ = codelists.value(member, PSI.openFormat)
        return machine.toPython(), open_.toPython()

    assert flags("CSV") == (True, True)
    assert flags("RDF_TURTLE") == (True, True)
    assert flags("XLSX") == (True, False)
    assert flags("SHP") == (True, False)
    assert flags("HTML") == (False, True)
    assert flags("PDF") == (False, False)


def test_the_six_hvd_categories_are_labelled_concepts(codelists: Graph):
    for code, english in HVD_CATEGORIES.items():
        category = URIRef(f"http://data.europa.eu/bna/{code}")
        assert (category, RDF.type, SKOS.Concept) in codelists, code
        assert (category, SKOS.inScheme, HVD_SCHEME) in codelists, code
        assert Literal(english, lang="en") in set(codelists.objects(category, SKOS.prefLabel))
    assert len(set(codelists.objects(HVD_SCHEME, SKOS.hasTopConcept))) == 6
