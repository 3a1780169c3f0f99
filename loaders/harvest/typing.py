"""The typing DCAT-AP 3's range checks want on vocabulary terms, added to harvested data.

The EU authority tables type their terms only ``skos:Concept`` and portals
rarely type the IRIs they point to; the DCAT-AP 3 shapes check ``sh:class`` on
licences, formats, languages, places, pages… (``conformance/README.md``,
data.gov.be does the same in its ``data-shacl-support.ttl``). So, for each
property of :data:`graph.catalog_rules.RANGES` whose value is an untyped IRI, the
value gets the range class; EU data themes also get their four labels and
their scheme its title. Nodes that need more than a type to pass (agents need a
name, catalogs, datasets and distributions a description) are not typed here:
what they lack is pruned from the published catalog with a reason
(:func:`graph.catalog_rules.prune`). Not counted as repairs: nothing was wrong.

The range types come back as N-Triples written by the engine, for the store, instead of
being inserted into the working store: nothing after this step reads them, and the query
and its N-Triples cost less than the insert and the longer dump of the working store did
(``bench/harvest.py --phases``). They are the last part the store loads, asked for while it
loads the parts before.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.catalog_rules import RANGES
from graph.namespaces import DATA_THEME
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import FOAF
from graph.namespaces import RDF
from graph.namespaces import SKOS
from loaders.harvest.vocabulary import THEME_LABELS

_NOT_TYPED = {DCAT + "Dataset", DCAT + "DatasetSeries", DCAT + "Distribution",
              DCAT + "DataService", DCAT + "Catalog"}


def range_types(work: ox.Store) -> bytes:
    """The statements typing the untyped IRI values of range-checked properties in ``work``'s
    default graph, as N-Triples (not added to ``work``)."""
    pairs = " ".join(f"(<{prop}> <{cls}>)" for prop, cls in RANGES.items()
                     if cls not in _NOT_TYPED)
    types = work.query(f"CONSTRUCT {{ ?o a ?cls }} WHERE {{ {{ SELECT DISTINCT ?o ?cls WHERE {{ "
                       f"VALUES (?p ?cls) {{ {pairs} }} ?s ?p ?o FILTER(isIRI(?o)) }} }} "
                       f"FILTER NOT EXISTS {{ ?o a ?any }} "
                       f"FILTER(?cls != <{FOAF}Agent> || EXISTS {{ ?o <{FOAF}name> ?name }}) }}")
    assert isinstance(types, ox.QueryTriples)
    return types.serialize(format=ox.RdfFormat.N_TRIPLES) or b""


def label_themes(work: ox.Store) -> None:
    """Give the EU data themes used in ``work`` their four labels, and their scheme its title."""
    used = work.query(f"SELECT DISTINCT ?t WHERE {{ ?s <{DCAT}theme> ?t "
                      f"FILTER(STRSTARTS(STR(?t), \"{DATA_THEME}\")) }}")
    assert isinstance(used, ox.QuerySolutions)
    for row in used:
        code = row["t"].value[len(DATA_THEME):]
        for lang, label in THEME_LABELS.get(code, {}).items():
            work.add(ox.Quad(row["t"], ox.NamedNode(SKOS + "prefLabel"),
                             ox.Literal(label, language=lang)))
    scheme = ox.NamedNode(DATA_THEME.rstrip("/"))
    if next(work.quads_for_pattern(None, ox.NamedNode(DCAT + "themeTaxonomy"), scheme), None):
        work.add(ox.Quad(scheme, ox.NamedNode(RDF + "type"),
                         ox.NamedNode(SKOS + "ConceptScheme")))
        work.add(ox.Quad(scheme, ox.NamedNode(DCT + "title"),
                         ox.Literal("Data theme", language="en")))
