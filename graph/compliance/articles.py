"""Which article of the decree each check enforces, and whom it binds: one home.

The obligating articles are :data:`ARTICLES`. Nine of them have SHACL shapes
(``ontology/shapes``): a shape's ``dct:source`` (or its node shape's) names its article,
as :class:`graph.validation.report.ValidationResult` reads it. Four have none, because no
one shape can say them; psikg checks them with the SPARQL of :data:`CHECKS`:

- **Art. 4** (the platform lists the disseminated information and the exclusive rights):
  each dataset a body disseminates (``psi:disseminationMode`` disseminated) is one the
  platform lists: a ``dcat:dataset`` of a ``psi:Platform``, or one psikg's catalog
  publishes unasked (:mod:`graph.catalog_selection`); each exclusive arrangement it grants
  (``psi:grantor``) is a ``psi:listsArrangement`` of a platform. Applies only while the
  store holds a platform: without one, Art. 22 does.
- **Art. 6** (metadata complete enough to search and inventory): each disseminated
  dataset (listed by a platform, or disseminated) has a keyword or a theme, what search
  and inventory read (Art. 11 has the rest of the metadata).
- **Art. 8** (only a reference body creates or modifies what is entrusted to it):
  information with a ``psi:referenceBody`` is created (``dct:creator``, else published,
  ``dct:publisher``) by that body; the check is held against the body that did.
- **Art. 22** (until the Art. 4 platform is active, information other than geodata is
  listed on a portal): applies only when the store holds no ``psi:Platform``; each
  dataset a body disseminates, unless its HVD category is geospatial, is a
  ``dcat:dataset`` of some ``dcat:Catalog``.

A node is held against a body (:data:`OWNERS`): the body itself, the body that publishes
it (``dct:publisher``), charges (``psi:chargingBody``), decides (``psi:decidingBody``) or
grants (``psi:grantor``) it, or, for a distribution, a format derogation, an additional
condition or a charge, the publisher of the dataset that holds it.

An article is ``not-applicable`` to a body when none of its nodes is a focus node of the
article's checks (a body that charges nothing is not concerned by Art. 18); ``met`` when
some are and none fails; ``violated`` when one fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph.catalog_selection import DISSEMINATED
from graph.catalog_selection import published_unasked
from graph.namespaces import DCAT
from graph.namespaces import DCATAP
from graph.namespaces import DCT
from graph.namespaces import DECREE_ELI
from graph.namespaces import PSI
from graph.namespaces import PSI_COMPLIANCE
from graph.namespaces import RDF
from graph.namespaces import XSD

ARTICLES = ("2", "4", "6", "8", "10", "11", "12", "13", "14", "17", "18", "20", "22")
"""The articles that oblige a public body, in order."""

GEOSPATIAL = "http://data.europa.eu/bna/c_ac64a52d"
"""The HVD category of geospatial data (Art. 22 leaves geodata to their own portal)."""
ARRANGEMENTS = ("ExclusiveArrangement", "Exclusivity", "CulturalDigitisationExclusivity",
                "RestrictiveArrangement", "LegacyExclusiveContract")


def article_number(iri: str | None) -> str | None:
    """The number of a decree article IRI, ``None`` for anything else.

    >>> article_number(DECREE_ELI + "#art_11"), article_number("https://x.example/#art_11")
    ('11', None)
    """
    if iri is None or not iri.startswith(DECREE_ELI + "#art_"):
        return None
    return iri.rsplit("_", 1)[1]


_PREFIXES = (f"PREFIX psi: <{PSI}>\nPREFIX dct: <{DCT}>\nPREFIX dcat: <{DCAT}>\n"
             f"PREFIX dcatap: <{DCATAP}>\nPREFIX rdf: <{RDF}>\n")



def _boolean(expression: str) -> str:
    """``expression`` (an ``EXISTS``, a comparison) as an ``xsd:boolean`` every engine
    answers as one: Virtuoso gives a bound boolean expression as ``1`` or ``0``, typed
    ``xsd:integer`` (``docs/engines.md``), which no check would read as true.

    >>> _boolean("?a = ?b")
    'STRDT(IF(?a = ?b, "true", "false"), <http://www.w3.org/2001/XMLSchema#boolean>)'
    """
    return f'STRDT(IF({expression}, "true", "false"), <{XSD}boolean>)'


OWNERS = _PREFIXES + """SELECT DISTINCT ?node ?body FROM <{graph}> WHERE {
  { ?node a psi:PublicBody BIND(?node AS ?body) }
  UNION { ?node dct:publisher|psi:chargingBody|psi:decidingBody|psi:grantor ?body }
  UNION { ?owner dct:publisher ?body ;
                 dcat:distribution|psi:formatDerogation|psi:additionalCondition|psi:charge ?node }
  FILTER(isIRI(?body)) }"""
"""Each node of ``{graph}`` and the body it is held against."""

HAS_PLATFORM = _PREFIXES + "ASK {dataset} { ?platform a psi:Platform }"
LISTINGS = {
    "platform": _PREFIXES + "SELECT DISTINCT ?focus {dataset} WHERE { ?platform a psi:Platform ; "
                            "dcat:dataset|psi:listsArrangement ?focus }",
    "catalog": _PREFIXES + "SELECT DISTINCT ?focus {dataset} WHERE { ?catalog a dcat:Catalog ; "
                           "dcat:dataset ?focus }",
}
"""What a platform, and what any catalog, lists: asked of the store's live graphs and of the
graph being checked (a load's staged graph is not live yet)."""


@dataclass(frozen=True)
class Check:
    """A SPARQL check of one article on one graph: rows ``?focus ?body ?ok``, ``?ok`` true
    where the graph alone says that the node passes (unbound where it cannot)."""

    article: str
    query: str
    needs_platform: bool | None
    """``True``: applies only when the store holds a platform; ``False``: only when it holds
    none; ``None``: always."""
    listed_by: str | None = None
    """A node also passes if this listing (:data:`LISTINGS`) holds it."""
    unless_listed: bool = False
    """A row whose ``?disseminated`` is false counts only if the platform lists its node."""


CHECKS = (
    Check("4", _PREFIXES + f"""SELECT DISTINCT ?focus ?body ?ok FROM <{{graph}}> WHERE {{
  {{ ?focus psi:disseminationMode <{DISSEMINATED}> ; dct:publisher ?body
     BIND({_boolean("EXISTS { " + published_unasked("?focus") + " }")} AS ?ok) }}
  UNION {{ VALUES ?kind {{ {' '.join('psi:' + k for k in ARRANGEMENTS)} }}
           ?focus a ?kind ; psi:grantor ?body }}
  FILTER(isIRI(?body) && isIRI(?focus)) }}""", True, listed_by="platform"),
    Check("6", _PREFIXES + f"""SELECT DISTINCT ?focus ?body ?ok ?disseminated
FROM <{{graph}}> WHERE {{
  ?focus dct:publisher ?body FILTER(isIRI(?body))
  BIND({_boolean(f"EXISTS {{ ?focus psi:disseminationMode <{DISSEMINATED}> }}")}
       AS ?disseminated)
  BIND({_boolean("EXISTS { ?focus dcat:keyword|dcat:theme ?word }")} AS ?ok) }}""", None,
          unless_listed=True),
    Check("8", _PREFIXES + f"""SELECT DISTINCT ?focus ?body ?ok FROM <{{graph}}> WHERE {{
  ?focus psi:referenceBody ?reference
  OPTIONAL {{ ?focus dct:creator ?creator }} OPTIONAL {{ ?focus dct:publisher ?publisher }}
  BIND(COALESCE(?creator, ?publisher) AS ?body)
  FILTER(isIRI(?body) && isIRI(?reference))
  BIND({_boolean("?body = ?reference")} AS ?ok) }}""", None),
    Check("22", _PREFIXES + f"""SELECT DISTINCT ?focus ?body ?ok FROM <{{graph}}> WHERE {{
  ?focus psi:disseminationMode <{DISSEMINATED}> ; dct:publisher ?body
  FILTER NOT EXISTS {{ ?focus dcatap:hvdCategory <{GEOSPATIAL}> }}
  FILTER(isIRI(?body)) }}""", False, listed_by="catalog"),
)
"""The articles no shape checks (module docstring)."""


def check_iri(number: str) -> str:
    """The IRI that names the SPARQL check of an article, where a finding names its shape.

    >>> check_iri("4")
    'https://w3id.org/psikg/compliance#check-art-4'
    """
    return f"{PSI_COMPLIANCE}check-art-{number}"


def over(query: str, graph: str | None) -> str:
    """:data:`HAS_PLATFORM` or a listing on ``graph`` alone, or on the live graphs (``None``).

    :raises ValueError: if ``graph`` is not an IRI.
    """
    return query.replace("{dataset}", "" if graph is None else f"FROM {ox.NamedNode(graph)}")


def on_graph(query: str, graph: str) -> str:
    """``query`` (:data:`OWNERS` or a check's) on ``graph``, written as a checked IRI.

    :raises ValueError: if ``graph`` is not an IRI.
    """
    return query.replace("FROM <{graph}>", f"FROM {ox.NamedNode(graph)}")
