"""Every namespace psikg mints or reuses, and the prefix maps it writes them with.

The one module that spells these IRIs (``tests/test_architecture.py`` checks it): the
others build terms as ``SCHEMA + "amount"``. Plain strings (not rdflib or pyoxigraph
objects) so that both libraries can build their own terms from them without this module
importing either.

The prefix maps differ on purpose, each for one reader:

- :data:`PREFIXES`: what psikg writes Turtle with and pre-fills query editors with (the
  UI, its examples, the service description). The decree's vocabularies only; a
  register's vocabularies (schema.org, eProcurement, OpenBudgets) are added by the
  examples that use them, so that a new editor is not crowded.
- :data:`MODEL_PREFIXES`: the prefixed names a register model file may write
  (``ontology/registers/*.yaml``: ``epo:``, ``obeu-dimension:``).
- :data:`DISPLAY_PREFIXES`: the short names of IRIs that have no label on a page.
"""

from __future__ import annotations

# psikg's own namespaces
PSI = "https://w3id.org/psikg/ontology#"
"""The decree ontology: only what the Walloon decree adds to DCAT-AP 3."""

PSI_ONTOLOGY = "https://w3id.org/psikg/ontology"
CODE = "https://w3id.org/psikg/code/"
"""Code lists: ``{CODE}{scheme}`` is a scheme, ``{CODE}{scheme}/{notation}`` a concept."""

SHAPES = "https://w3id.org/psikg/shapes#"
PSI_AGGREGATES = "https://w3id.org/psikg/aggregates#"
"""psikg's terms for the budget aggregates (dimensions, measures, kinds of summary)."""
PSI_QUALITY = "https://w3id.org/psikg/quality#"
"""The decree score of metadata quality, beside the MQA's own metrics (:data:`PIVEAU`)."""
PSI_LOAD = "https://w3id.org/psikg/load#"
"""Load provenance that PROV, DCTERMS and VoID have no term for: rows read and rejected,
cells left empty."""
PSI_HARVEST = "https://w3id.org/psikg/harvest#"
"""What a harvest report talks about that no reused vocabulary names: its metrics, the
machine-translation activity, ``keptInData``. psikg's own process, not the decree's."""
PSI_COMPLIANCE = "https://w3id.org/psikg/compliance#"
"""psikg's record of each validation, per body and article (:mod:`graph.compliance`): its
own bookkeeping in the metadata graph, not the decree's terms."""

DECREE_ELI = "https://www.ejustice.just.fgov.be/eli/decret/2022/11/24/2022207332/justel"
"""The decree's ELI; an article is ``{DECREE_ELI}#art_{n}``."""

HVD_REGULATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
"""Implementing Regulation (EU) 2023/138, the list of high-value datasets."""

META_GRAPH_PATH = "graph/meta"
"""Path, under the base IRI, of the graph that holds every source's provenance."""


def meta_graph(base_iri: str) -> str:
    """The IRI of the graph that holds every source's provenance, under ``base_iri``."""
    return base_iri + META_GRAPH_PATH

# W3C and other reused vocabularies
ADMS = "http://www.w3.org/ns/adms#"
CSVW = "http://www.w3.org/ns/csvw#"
DCAT = "http://www.w3.org/ns/dcat#"
DCATAP = "http://data.europa.eu/r5r/"
DCT = "http://purl.org/dc/terms/"
DQV = "http://www.w3.org/ns/dqv#"
ELI = "http://data.europa.eu/eli/ontology#"
EPO = "http://data.europa.eu/a4g/ontology#"
"""The eProcurement ontology (public contracts)."""
FOAF = "http://xmlns.com/foaf/0.1/"
FORMATS = "http://www.w3.org/ns/formats/"
"""W3C's IRIs of file formats (``formats:Turtle``), for ``dct:format`` and ``sd:``."""
HTTP = "http://www.w3.org/2011/http#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
OA = "http://www.w3.org/ns/oa#"
OBEU_DIMENSION = "http://data.openbudgets.eu/ontology/dsd/dimension/"
"""OpenBudgets.eu's dimensions (``fiscalYear``)."""
ORG = "http://www.w3.org/ns/org#"
OWL = "http://www.w3.org/2002/07/owl#"
PIVEAU = "https://piveau.eu/ns/voc#"
"""data.europa.eu's MQA metrics (piveau)."""
PROV = "http://www.w3.org/ns/prov#"
QB = "http://purl.org/linked-data/cube#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = "https://schema.org/"
SCHEMA_HTTP = "http://schema.org/"
"""schema.org under the http scheme: what DCAT-AP 1.x feeds wrote (``schema:startDate``)
and what the CSVW context's ``schema:`` prefix expands to."""
SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Code lists and identifiers of others
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
"""The EU Publications Office's authority tables (themes, file types, licences…)."""
DATA_THEME = EU_AUTHORITY + "data-theme/"
FILE_TYPE = EU_AUTHORITY + "file-type/"
LICENCE = EU_AUTHORITY + "licence/"
LANGUAGE = EU_AUTHORITY + "language/"
FREQUENCY = EU_AUTHORITY + "frequency/"
ACCESS_RIGHT = EU_AUTHORITY + "access-right/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
REFNIS_2019 = "http://vocab.belgif.be/auth/refnis2019/"
"""Belgif's IRIs for the REFNIS (NIS) codes of 2019: ``…/refnis2019/21004``."""
YEAR = "http://reference.data.gov.uk/id/year/"
"""A calendar year as an IRI (``…/year/2024``), as OpenBudgets.eu's fiscal years are."""

PREFIXES: dict[str, str] = {
    "psi": PSI,
    "dcat": DCAT,
    "dcatap": DCATAP,
    "dct": DCT,
    "foaf": FOAF,
    "org": ORG,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "sh": SH,
    "skos": SKOS,
    "spdx": SPDX,
    "void": VOID,
    "xsd": XSD,
}
"""Prefixes used when psikg writes Turtle and pre-fills query editors."""

MODEL_PREFIXES: dict[str, str] = {
    "dcat": DCAT,
    "dcatap": DCATAP,
    "dct": DCT,
    "epo": EPO,
    "obeu-dimension": OBEU_DIMENSION,
    "psi": PSI,
    "rdf": RDF,
    "schema": SCHEMA,
}
"""The prefixes a register model file may use in class and property names."""

DISPLAY_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "owl": OWL,
    "schema": SCHEMA,
    "vcard": VCARD,
    "a4g": EPO,
    "qb": QB,
    "adms": ADMS,
    "hydra": HYDRA,
}
"""Prefixes for the names of IRIs that have no label (the first that fits wins)."""


def article(number: int | str) -> str:
    """The IRI of an article of the decree, e.g. ``article(11)``.

    >>> article(11)
    'https://www.ejustice.just.fgov.be/eli/decret/2022/11/24/2022207332/justel#art_11'
    """
    return f"{DECREE_ELI}#art_{number}"
