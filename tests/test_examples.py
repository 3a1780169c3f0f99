"""The sample platform of ``psikg demo`` (examples/platform.ttl).

It parses with both RDF libraries, passes the decree shapes without a violation or a warning,
shows every part of the decree the demo is meant to show, and takes its licences, formats and
HVD categories from psikg's code lists. The DCAT-AP 3 check needs the shared conformance
material and is marked ``conformance`` (``pytest -m conformance``; ``make conformance`` runs the
same check through ``python -m tests.conformance``).
"""

from __future__ import annotations

import datetime as dt
import functools

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib import URIRef

from graph.namespaces import CODE
from graph.settings import CODELISTS_DIR
from graph.validation.shacl import validate
from tests.conformance import SuiteUnavailable
from tests.conformance import dcat_ap
from tests.conformance import shared_dir

SAMPLE = dcat_ap.SAMPLE
REFERENCE_DAY = dt.date(2026, 11, 23)
"""The day the sample was written; its review dates are recent relative to it."""

PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcatap: <http://data.europa.eu/r5r/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX psi: <https://w3id.org/psikg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@functools.cache
def sample() -> Graph:
    return Graph().parse(SAMPLE, format="turtle")


def ask(query: str) -> bool:
    return bool(sample().query(PREFIXES + query).askAnswer)


def test_parses_alike_with_pyoxigraph_and_rdflib() -> None:
    quads = list(pyoxigraph.parse(path=SAMPLE, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(sample()) > 300


def test_conforms_to_the_decree_shapes() -> None:
    report = validate(sample())
    assert report.conforms, report.to_text()
    assert report.violations == [], report.to_text()
    assert report.warnings == [], report.to_text()


CLASSES = [
    "psi:Platform", "psi:PublicBody", "dcat:Dataset", "dcat:Distribution", "dcat:DataService",
    "psi:ReferenceBodyDesignation", "psi:CessationNotice", "psi:Charge", "psi:ChargingBodyList",
    "psi:Exclusivity", "psi:CulturalDigitisationExclusivity", "psi:RestrictiveArrangement",
    "psi:LegacyExclusiveContract",
]


@pytest.mark.parametrize("cls", CLASSES)
def test_has_an_instance_of(cls: str) -> None:
    assert ask(f"ASK {{ ?x a {cls} }}")


# What the demo shows, one ASK each; the decree shapes check the rest of each case.
FEATURES = {
    "platform with fr/nl/en title, publisher, administrator, licence list, guidance, datasets": """
        ASK { ?p a psi:Platform ; dct:publisher ?pub ; psi:administeredBy ?admin ;
                 psi:licenceList <https://w3id.org/psikg/code/licence> ; psi:guidance ?guide ;
                 dcat:dataset ?ds ;
                 dct:title ?fr , ?nl , ?en ; dct:description ?dfr , ?dnl , ?den .
              FILTER (lang(?fr) = "fr" && lang(?nl) = "nl" && lang(?en) = "en")
              FILTER (lang(?dfr) = "fr" && lang(?dnl) = "nl" && lang(?den) = "en") }""",
    "about five public bodies, each named and identified": """
        ASK { { SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {
                  ?b a psi:PublicBody ; psi:bodyKind ?k ; foaf:name ?name ; dct:identifier ?id } }
              FILTER (?n >= 5) }""",
    "body of kind h with its dominant influence": """
        ASK { ?b psi:bodyKind <https://w3id.org/psikg/code/body-kind/h> ;
                 psi:dominantInfluenceGround ?g ; psi:dominantInfluenceHolder ?h . }""",
    "six platform datasets with the Art. 11 metadata, titles and descriptions in fr and nl": """
        ASK { { SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {
                  ?p a psi:Platform ; dcat:dataset ?d .
                  ?d dct:title ?tfr , ?tnl ; dct:description ?dfr , ?dnl ;
                     dct:created ?c ; dct:modified ?m ; dct:license ?l ;
                     dct:rightsHolder ?o ; dct:publisher ?r ; dcat:distribution ?dist .
                  ?dist dct:format ?f ; dcat:accessURL ?a ; dcat:downloadURL|dcat:accessService ?u .
                  FILTER (lang(?tfr) = "fr" && lang(?tnl) = "nl")
                  FILTER (lang(?dfr) = "fr" && lang(?dnl) = "nl") } }
              FILTER (?n >= 6) }""",
    "high-value dataset with API, bulk download and designated reference body": """
        ASK { ?d dcatap:hvdCategory ?cat ;
                 dcatap:applicableLegislation <http://data.europa.eu/eli/reg_impl/2023/138/oj> ;
                 psi:referenceBody ?body ; dcat:distribution/dcat:downloadURL ?bulk .
              ?api a dcat:DataService ; dcat:servesDataset ?d .
              ?des a psi:ReferenceBodyDesignation ; psi:designatedFor ?d ;
                   psi:designatedBody ?body ; psi:legalBasis ?basis . }""",
    "personal data anonymised": """
        ASK { ?d psi:containsPersonalData true ; psi:anonymised true ;
                 psi:anonymisationTechnique ?t . }""",
    "dynamic data with an API": """
        ASK { ?d psi:dynamicData true . ?api a dcat:DataService ; dcat:servesDataset ?d . }""",
    "information not disseminated, with its ground": """
        ASK { ?d psi:disseminationMode
                   <https://w3id.org/psikg/code/dissemination-mode/not-disseminated> ;
                 psi:nonDisseminationGround ?g . }""",
    "cessation notice listed on the platform": """
        ASK { ?p psi:listsCessationNotice ?n . ?n a psi:CessationNotice ;
              psi:ceasedInformation ?d ; psi:decisionDate ?date ; psi:decidingBody ?b . }""",
    "charge with cost bases, by a body on the listed charging-body list": """
        ASK { ?p psi:listsCharge ?c ; psi:chargingBodyList ?list .
              ?c a psi:Charge ; psi:costBasis ?basis ; psi:chargingBody ?b .
              ?list psi:listedBody ?b . }""",
    "legacy exclusive contract ending by 18 July 2043": """
        ASK { ?c a psi:LegacyExclusiveContract ; schema:endDate ?end .
              FILTER (?end <= "2043-07-18"^^xsd:date) }""",
}


@pytest.mark.parametrize("query", FEATURES.values(), ids=FEATURES.keys())
def test_shows(query: str) -> None:
    assert ask(query)


def test_exclusivity_reviewed_within_a_year_and_next_review_within_three() -> None:
    """Art. 20 § 1 compares reviews with today: recent ones keep the sample valid until 2029."""
    rows = sample().query(PREFIXES + """
        SELECT ?last ?next WHERE {
            ?x a psi:Exclusivity ; psi:lastReview ?last ; psi:nextReview ?next .
            FILTER NOT EXISTS { ?x a psi:CulturalDigitisationExclusivity } }""")
    reviews = [(row.last.toPython(), row.next.toPython()) for row in rows]
    assert reviews
    for last, next_review in reviews:
        assert REFERENCE_DAY - dt.timedelta(days=365) <= last <= REFERENCE_DAY
        assert last < next_review <= last.replace(year=last.year + 3)


CODE_LISTS = {
    "http://purl.org/dc/terms/license": ("licence.ttl", CODE + "licence"),
    "http://purl.org/dc/terms/format": ("file-type.ttl", CODE + "file-type"),
    "http://data.europa.eu/r5r/hvdCategory": ("hvd-category.ttl", "http://data.europa.eu/bna/asd487ae75"),
}


@pytest.mark.parametrize("prop", CODE_LISTS, ids=lambda p: p.rsplit("/", 1)[-1])
def test_values_come_from_the_code_list(prop: str) -> None:
    file, scheme = CODE_LISTS[prop]
    codelist = Graph().parse(CODELISTS_DIR / file, format="turtle")
    members = set(codelist.subjects(URIRef("http://www.w3.org/2004/02/skos/core#inScheme"),
                                    URIRef(scheme)))
    used = set(sample().objects(None, URIRef(prop)))
    assert used, f"the sample uses no {prop}"
    assert used <= members, sorted(map(str, used - members))


@pytest.mark.conformance
@pytest.mark.parametrize("suite", ["check_dcat_ap", "check_hvd"])
def test_conforms_to_dcat_ap(suite: str) -> None:
    """DCAT-AP 3.0.1 and, for the high-value dataset, DCAT-AP HVD 3.0.0 (tests/conformance)."""
    try:
        result = getattr(dcat_ap, suite)(shared_dir())
    except SuiteUnavailable as error:
        pytest.fail(f"no DCAT-AP shapes: {error} (set PSIKG_SHARED to the shared folder)")
    assert result.violations == [], "\n".join(map(str, result.violations))
