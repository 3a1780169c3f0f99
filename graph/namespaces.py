"""The IRIs psikg mints and the vocabularies it reuses, as plain strings.

Plain strings (not rdflib or pyoxigraph objects) so that both libraries can
build their own terms from them without this module importing either.
"""

from __future__ import annotations

PSI = "https://w3id.org/psikg/ontology#"
"""The decree ontology: only what the Walloon decree adds to DCAT-AP 3."""

PSI_ONTOLOGY = "https://w3id.org/psikg/ontology"
CODE = "https://w3id.org/psikg/code/"
"""Code lists: ``{CODE}{scheme}`` is a scheme, ``{CODE}{scheme}/{notation}`` a concept."""

SHAPES = "https://w3id.org/psikg/shapes#"
DECREE_ELI = "https://www.ejustice.just.fgov.be/eli/decret/2022/11/24/2022207332/justel"
"""The decree's ELI; an article is ``{DECREE_ELI}#art_{n}``."""

HVD_REGULATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
"""Implementing Regulation (EU) 2023/138, the list of high-value datasets."""

META_GRAPH_PATH = "graph/meta"
"""Path, under the base IRI, of the graph that holds every source's provenance."""

DCAT = "http://www.w3.org/ns/dcat#"
DCATAP = "http://data.europa.eu/r5r/"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SPDX = "http://spdx.org/rdf/terms#"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"

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


def article(number: int | str) -> str:
    """The IRI of an article of the decree, e.g. ``article(11)``.

    >>> article(11)
    'https://www.ejustice.just.fgov.be/eli/decret/2022/11/24/2022207332/justel#art_11'
    """
    return f"{DECREE_ELI}#art_{number}"
