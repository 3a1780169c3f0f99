"""The validation profiles of the validation service: which shapes a document is held to.

- ``decree``: the decree's own shapes (``ontology/shapes``) with psikg's ontology and code
  lists, scoped as every other validation of psikg (:mod:`graph.validation.scope`);
- ``dcat-ap``: SEMIC's DCAT-AP 3.0.1 shapes, read the way an outside validator reads them
  (the ITB validator of data.europa.eu): with the W3C, DCMI and FOAF vocabularies for
  class hierarchies and nothing of psikg's, so a document passes only if it carries the
  typing a harvester needs;
- ``hvd``: SEMIC's DCAT-AP HVD 3.0.0 shapes, on the high-value datasets only
  (:func:`high_value_nodes`), with their distributions and data services;
- ``all``: the three, one report.

psikg ships none of SEMIC's files (they are SEMIC's, CC BY 4.0, and change with each
release): the operator points the ``dcat_ap_shapes`` setting at a folder laid out as
:data:`SEMIC_SHAPES` and :data:`SEMIC_IMPORTS` say (``make dcat-ap-shapes`` fetches it).
Without it, the two SEMIC profiles are :class:`ProfileUnavailable`.

Two adjustments to SEMIC's files, each the smallest that makes them run as meant (the
conformance notes, ``tests/conformance/dcat_ap.py``): ``sh:property`` links to shapes that
the 3.0.1 file never defines are dropped (SEMICeu/DCAT-AP#448), and the values a shape
checks with ``sh:class rdfs:Resource`` are typed so (RDFS rule rdfs4b, which an IRI always
satisfies) instead of running RDFS inference, which adds errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal as TypingLiteral
from typing import get_args

import pyoxigraph as ox
from rdflib import Graph
from rdflib import Literal
from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.namespace import RDFS
from rdflib.namespace import SH
from rdflib.term import Node

from graph.errors import PsikgError
from graph.namespaces import DCAT
from graph.namespaces import DCATAP
from graph.namespaces import HVD_REGULATION
from graph.validation.graphs import validate_in
from graph.validation.rdf_io import ntriples_to_rdflib
from graph.validation.report import ValidationReport
from graph.validation.report import result_order
from graph.validation.shacl import validate_with
from graph.validation.shapes import ShapeSet
from graph.validation.shapes import shape_set
from graph.validation.sources import MemoryGraph

ProfileName = TypingLiteral["decree", "dcat-ap", "hvd", "all"]
PROFILES: tuple[ProfileName, ...] = get_args(ProfileName)
"""Every profile a document can be validated against, the default first."""

SEMIC_SHAPES = {"dcat-ap": Path("3.0.1/shacl/dcat-ap-SHACL.ttl"),
                "hvd": Path("3.0.0-hvd/shacl/hvd-SHACL.ttl")}
"""Where each SEMIC profile's shapes lie in the ``dcat_ap_shapes`` folder."""
SEMIC_IMPORTS = Path("imports-offline")
"""The folder of the vocabularies (``*.ttl`` and ``*.rdf``: DCAT, DCTERMS, FOAF, SKOS,
PROV-O, OWL-Time) whose class hierarchies the SEMIC shapes need."""

_HVD_CLASSES = tuple(URIRef(DCAT + name)
                     for name in ("Dataset", "DatasetSeries", "Distribution", "DataService"))


class ProfileUnavailable(PsikgError):
    """A profile whose shapes this installation does not have (``dcat_ap_shapes`` unset
    or incomplete): the server's set-up, not the request, is at fault."""


def validate_triples(triples: list[ox.Triple], name: str, profile: ProfileName,
                     semic_folder: Path | None) -> ValidationReport:
    """The report of a document's triples under ``profile``.

    :param name: the document's name (its URL, or a ``urn:``), the graph name of its triples.
    :param semic_folder: the ``dcat_ap_shapes`` setting.
    :raises ProfileUnavailable: if a SEMIC profile is asked and its files are missing.
    :raises ShapesError: if a shapes file does not parse.
    """
    names: tuple[ProfileName, ...] = ("decree", "dcat-ap", "hvd") if profile == "all" \
        else (profile,)
    folders = {one: semic_files(semic_folder, one) for one in names if one != "decree"}
    reports = []
    for one in names:
        if one == "decree":
            reports.append(validate_in(MemoryGraph(name, triples), name))
        else:
            shapes, context = folders[one]
            reports.append(_validate_semic(triples, shape_set(shapes, context), one == "hvd"))
    return reports[0] if len(reports) == 1 else combined(reports)


def semic_files(folder: Path | None, profile: str) -> tuple[list[Path], list[Path]]:
    """The shapes file and the vocabularies of a SEMIC profile in ``folder``.

    :raises ProfileUnavailable: if ``folder`` is unset or lacks one of them.
    """
    if folder is None:
        raise ProfileUnavailable(
            f"the {profile} profile needs SEMIC's shapes, which this server was not given",
            type="profile-unavailable", value=profile,
            expected="the dcat_ap_shapes setting (PSIKG_DCAT_AP_SHAPES) naming a folder "
                     "that `make dcat-ap-shapes` filled")
    shapes = folder / SEMIC_SHAPES[profile]
    context = sorted(path for pattern in ("*.ttl", "*.rdf")
                     for path in (folder / SEMIC_IMPORTS).glob(pattern))
    if not shapes.is_file() or not context:
        missing = shapes if not shapes.is_file() else folder / SEMIC_IMPORTS
        raise ProfileUnavailable(
            f"the {profile} profile's files are missing: {missing}",
            type="profile-unavailable", file=str(missing), value=profile,
            expected="the layout `make dcat-ap-shapes` writes")
    return [shapes], context


def _validate_semic(triples: list[ox.Triple], shapes: ShapeSet, high_value_only: bool
                    ) -> ValidationReport:
    data = ntriples_to_rdflib(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    shacl = shapes.derived("semic-defined", _defined_shapes)
    if high_value_only:
        shacl = _narrowed(shacl, high_value_nodes(data + shapes.ontology))
    type_resources(shacl, data)
    return validate_with(data, shapes, shacl)


def _defined_shapes(shapes: ShapeSet) -> Graph:
    """A copy of the shapes without links to undefined shapes."""
    graph = Graph()
    graph += shapes.graph
    drop_undefined_property_shapes(graph)
    return graph


def drop_undefined_property_shapes(shapes: Graph) -> None:
    """Remove ``sh:property`` links to shapes the file never describes
    (SEMICeu/DCAT-AP#448: pyshacl stops at them, "not a well-formed SHACL PropertyShape")."""
    for shape, prop in list(shapes.subject_objects(SH.property)):
        if next(shapes.predicate_objects(prop), None) is None:
            shapes.remove((shape, SH.property, prop))


def high_value_nodes(graph: Graph) -> dict[Node, set[Node]]:
    """The nodes the HVD profile applies to, by the DCAT class whose shape should target them.

    A dataset (or series) is high-value when it has a ``dcatap:hvdCategory`` or cites the HVD
    regulation in ``dcatap:applicableLegislation``; its distributions and the data services
    that serve it (or that its distributions are accessed through) come with it, as do
    distributions and data services that declare themselves high-value.
    """
    declared = set(graph.subjects(URIRef(DCATAP + "hvdCategory"), None))
    declared |= set(graph.subjects(URIRef(DCATAP + "applicableLegislation"),
                                   URIRef(HVD_REGULATION)))
    members = {cls: _instances(graph, cls) for cls in _HVD_CLASSES}
    datasets = declared & (members[_HVD_CLASSES[0]] | members[_HVD_CLASSES[1]])
    distributions = {d for ds in datasets for d in graph.objects(ds, URIRef(DCAT + "distribution"))}
    services = {s for ds in datasets for s in graph.subjects(URIRef(DCAT + "servesDataset"), ds)}
    services |= {s for d in distributions for s in graph.objects(d, URIRef(DCAT + "accessService"))}
    chosen = datasets | distributions | services | declared
    return {cls: chosen & nodes for cls, nodes in members.items()}


def _instances(graph: Graph, cls: Node) -> set[Node]:
    """Instances of ``cls`` or of its subclasses."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {node for c in classes for node in graph.subjects(RDF.type, c)}


def _narrowed(shapes: Graph, selected: dict[Node, set[Node]]) -> Graph:
    """A copy of the HVD shapes whose class targets name the high-value nodes instead."""
    graph = Graph()
    graph += shapes
    for shape, cls in list(graph.subject_objects(SH.targetClass)):
        if cls in selected:
            graph.remove((shape, SH.targetClass, cls))
            for node in selected[cls]:
                graph.add((shape, SH.targetNode, node))
    return graph


def type_resources(shapes: Graph, data: Graph) -> None:
    """Type ``rdfs:Resource`` the values of every predicate a shape checks with
    ``sh:class rdfs:Resource`` (module docstring)."""
    for prop_shape in shapes.subjects(SH["class"], RDFS.Resource):
        path = shapes.value(prop_shape, SH.path)
        if isinstance(path, URIRef):
            for value in list(data.objects(None, path)):
                if not isinstance(value, Literal):
                    data.add((value, RDF.type, RDFS.Resource))


def combined(reports: list[ValidationReport]) -> ValidationReport:
    """One report of several: every result under one ``sh:ValidationReport``, which
    conforms when each of them does."""
    graph = Graph()
    report_node = URIRef("urn:psikg:validation-report")
    for report in reports:
        part = Graph()
        part += report.graph
        for node in set(part.subjects(RDF.type, SH.ValidationReport)):
            for result in part.objects(node, SH.result):
                graph.add((report_node, SH.result, result))
            part.remove((node, None, None))
        graph += part
    conforms = all(report.conforms for report in reports)
    graph.add((report_node, RDF.type, SH.ValidationReport))
    graph.add((report_node, SH.conforms, Literal(conforms)))
    results = sorted((r for report in reports for r in report.results), key=result_order)
    return ValidationReport(conforms=conforms, results=results, graph=graph)
