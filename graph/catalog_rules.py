"""What a node of the published catalog must be for DCAT-AP 3.0.1 to accept it, and pruning.

The platform republishes harvested metadata, and some of it cannot pass the
DCAT-AP 3 shapes as it is: a publisher IRI that no one describes (an agent
needs a ``foaf:name``), a theme string no table maps, a distribution without an
``accessURL``. The harvester repairs what it can; :func:`prune` leaves the rest
out of the published page and says why, so that nothing is published unchanged
that would not pass.

A harvester reads the page without psikg's ontology: it knows DCAT, DCTERMS and FOAF, not
that a ``psi:PublicBody`` is a ``foaf:Organization``. :func:`materialise` writes on the
page what such a reader cannot infer: every node's classes outside ``psi:`` (from
``psi.ttl`` and :data:`SUBCLASSES`), and the ``dcat:accessURL`` of a distribution that only
gives its ``dcat:downloadURL`` (DCAT-AP 3: the access URL is required, and is the download
URL when the file is downloaded directly).

:data:`RANGES` is the ``sh:class`` of each DCAT-AP 3.0.1 property shape (read
from SEMIC's ``dcat-ap-SHACL.ttl``); :data:`REQUIRED` the ``sh:minCount 1``
properties of the classes a page holds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import ADMS
from graph.namespaces import DCAT
from graph.namespaces import DCATAP
from graph.namespaces import DCT
from graph.namespaces import ELI
from graph.namespaces import FOAF
from graph.namespaces import ORG
from graph.namespaces import PSI
from graph.namespaces import RDF
from graph.namespaces import RDFS
from graph.namespaces import SKOS
from graph.namespaces import SPDX
from graph.namespaces import VCARD
from graph.settings import ONTOLOGY_FILE

RANGES: dict[str, str] = {
    DCATAP + "applicableLegislation": ELI + "LegalResource",
    DCATAP + "availability": SKOS + "Concept",
    DCATAP + "hvdCategory": SKOS + "Concept",
    SPDX + "checksum": SPDX + "Checksum",
    ADMS + "identifier": ADMS + "Identifier",
    ADMS + "sample": DCAT + "Distribution",
    ADMS + "status": SKOS + "Concept",
    DCT + "accessRights": DCT + "RightsStatement",
    DCT + "accrualPeriodicity": DCT + "Frequency",
    DCT + "conformsTo": DCT + "Standard",
    DCT + "creator": FOAF + "Agent",
    DCT + "format": DCT + "MediaTypeOrExtent",
    DCT + "language": DCT + "LinguisticSystem",
    DCT + "license": DCT + "LicenseDocument",
    DCT + "provenance": DCT + "ProvenanceStatement",
    DCT + "publisher": FOAF + "Agent",
    DCT + "rights": DCT + "RightsStatement",
    DCT + "spatial": DCT + "Location",
    DCT + "temporal": DCT + "PeriodOfTime",
    DCT + "type": SKOS + "Concept",
    DCAT + "accessService": DCAT + "DataService",
    DCAT + "compressFormat": DCT + "MediaType",
    DCAT + "contactPoint": VCARD + "Kind",
    DCAT + "distribution": DCAT + "Distribution",
    DCAT + "hasVersion": DCAT + "Dataset",
    DCAT + "inSeries": DCAT + "DatasetSeries",
    DCAT + "landingPage": FOAF + "Document",
    DCAT + "mediaType": DCT + "MediaType",
    DCAT + "packageFormat": DCT + "MediaType",
    DCAT + "servesDataset": DCAT + "Dataset",
    DCAT + "theme": SKOS + "Concept",
    DCAT + "themeTaxonomy": SKOS + "ConceptScheme",
    FOAF + "homepage": FOAF + "Document",
    FOAF + "page": FOAF + "Document",
}
"""Property → the class its values must have."""

REQUIRED: dict[str, tuple[str, ...]] = {
    FOAF + "Agent": (FOAF + "name",),
    SKOS + "Concept": (SKOS + "prefLabel",),
    SKOS + "ConceptScheme": (DCT + "title",),
    DCAT + "Distribution": (DCAT + "accessURL",),
    DCAT + "DataService": (DCT + "title", DCAT + "endpointURL"),
    DCAT + "Dataset": (DCT + "title", DCT + "description"),
    SPDX + "Checksum": (SPDX + "algorithm", SPDX + "checksumValue"),
    ADMS + "Identifier": (SKOS + "notation",),
}
"""Class → the properties its instances must have."""

SUBCLASSES: dict[str, tuple[str, ...]] = {
    FOAF + "Agent": (FOAF + "Agent", FOAF + "Organization", FOAF + "Person",
                     ORG + "Organization",
                     ORG + "OrganizationalUnit",
                     PSI + "PublicBody"),
    VCARD + "Kind": (VCARD + "Kind", VCARD + "Individual", VCARD + "Organization",
                     VCARD + "Group", VCARD + "Location"),
    DCT + "MediaTypeOrExtent": (DCT + "MediaTypeOrExtent", DCT + "MediaType"),
    DCAT + "Dataset": (DCAT + "Dataset", DCAT + "DatasetSeries"),
}
"""The subclasses a page may use for a range (psikg's, FOAF's, vCard's)."""

_TYPE = ox.NamedNode(RDF + "type")


@dataclass(frozen=True)
class Omission:
    """Something left out of a published page, and why."""

    node: str
    reason: str
    path: str | None = None
    value: str | None = None


def prune(page: ox.Store, keep: Iterable[ox.NamedNode]) -> list[Omission]:
    """Remove from ``page``'s default graph what DCAT-AP 3 would refuse; return what and why.

    :param keep: nodes never removed (the catalogs: their defects are fixed by the caller).
    """
    kept = set(keep)
    omissions: list[Omission] = []
    while True:
        bad = {node: reason for node, reason in _failing_nodes(page) if node not in kept}
        dropped = _drop_links(page, bad, omissions)
        for node, reason in bad.items():
            omissions.append(Omission(_show(node), reason))
            for quad in list(page.quads_for_pattern(node, None, None, ox.DefaultGraph())):
                page.remove(quad)
        if not bad and not dropped:
            return omissions


def _failing_nodes(page: ox.Store) -> Iterable[tuple[ox.NamedNode | ox.BlankNode, str]]:
    for cls, needed in REQUIRED.items():
        for quad in page.quads_for_pattern(None, _TYPE, ox.NamedNode(cls), ox.DefaultGraph()):
            node = quad.subject
            if isinstance(node, ox.Triple):
                continue
            missing = [p for p in needed if next(page.quads_for_pattern(
                node, ox.NamedNode(p), None, ox.DefaultGraph()), None) is None]
            if missing:
                names = ", ".join(_short(p) for p in missing)
                yield node, f"a {_short(cls)} without {names}, which DCAT-AP 3 requires"


def _drop_links(page: ox.Store, bad: dict[ox.NamedNode | ox.BlankNode, str],
                omissions: list[Omission]) -> int:
    """Remove statements whose value is of the wrong kind, lacks its class, or is ``bad``."""
    dropped = 0
    for prop, cls in RANGES.items():
        accepted = SUBCLASSES.get(cls, (cls,))
        for quad in list(page.quads_for_pattern(None, ox.NamedNode(prop), None,
                                                ox.DefaultGraph())):
            value = quad.object
            reason = None
            if isinstance(value, ox.Triple):
                continue
            if isinstance(value, ox.Literal):
                reason = f"a string where DCAT-AP 3 wants a {_short(cls)}"
            elif value in bad:
                reason = bad[value]
            elif not any(next(page.quads_for_pattern(value, _TYPE, ox.NamedNode(c),
                                                     ox.DefaultGraph()), None)
                         for c in accepted):
                reason = f"not described as a {_short(cls)}"
            if reason:
                page.remove(quad)
                omissions.append(Omission(_show(quad.subject), reason, prop, _show(value)))
                dropped += 1
    return dropped


def materialise(page: ox.Store, ontology: Path = ONTOLOGY_FILE) -> int:
    """Add to ``page``'s default graph the types and access URLs a reader without psikg's
    ontology needs (module docstring); return how many statements were added."""
    superclasses = _superclasses(ontology)
    added = [ox.Quad(q.subject, _TYPE, ox.NamedNode(parent)) for q in
             page.quads_for_pattern(None, _TYPE, None, ox.DefaultGraph())
             if isinstance(q.object, ox.NamedNode)
             for parent in superclasses.get(q.object.value, ())]
    access = ox.NamedNode(DCAT + "accessURL")
    added += [ox.Quad(q.subject, access, q.object) for q in page.quads_for_pattern(
        None, ox.NamedNode(DCAT + "downloadURL"), None, ox.DefaultGraph())
        if next(page.quads_for_pattern(q.subject, access, None, ox.DefaultGraph()), None) is None]
    new = [quad for quad in dict.fromkeys(added) if quad not in page]
    page.extend(new)
    return len(new)


@functools.lru_cache(maxsize=2)
def _superclasses(ontology: Path) -> dict[str, frozenset[str]]:
    """Each class's superclasses outside ``psi:``: ``rdfs:subClassOf`` in ``ontology``
    (transitively) and the ranges of :data:`SUBCLASSES`.

    >>> sorted(_superclasses(ONTOLOGY_FILE)[PSI + "PublicBody"])  # doctest: +NORMALIZE_WHITESPACE
    ['http://www.w3.org/ns/org#Organization', 'http://xmlns.com/foaf/0.1/Agent',
     'http://xmlns.com/foaf/0.1/Organization']
    """
    direct: dict[str, set[str]] = {}
    for cls, subclasses in SUBCLASSES.items():
        for sub in subclasses:
            if sub != cls:
                direct.setdefault(sub, set()).add(cls)
    vocabulary = ox.Store()
    vocabulary.load(path=str(ontology), format=ox.RdfFormat.TURTLE)
    for quad in vocabulary.quads_for_pattern(None, ox.NamedNode(RDFS + "subClassOf"), None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            direct.setdefault(quad.subject.value, set()).add(quad.object.value)
    closed: dict[str, frozenset[str]] = {}
    for cls in direct:
        seen: set[str] = set()
        todo = list(direct[cls])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo += direct.get(parent, ())
        closed[cls] = frozenset(c for c in seen if not c.startswith(PSI))
    return closed


def _short(iri: str) -> str:
    for prefix, ns in (("dcat:", DCAT), ("dct:", DCT), ("foaf:", FOAF), ("skos:", SKOS),
                       ("vcard:", VCARD), ("spdx:", SPDX), ("adms:", ADMS), ("eli:", ELI),
                       ("dcatap:", DCATAP)):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


def _show(node: object) -> str:
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    return str(getattr(node, "value", node))
