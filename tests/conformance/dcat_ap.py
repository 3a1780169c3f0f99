"""DCAT-AP 3.0.1 and DCAT-AP HVD 3.0.0 conformance of the sample platform (examples/platform.ttl).

The shapes are SEMIC's, from ``shared/conformance/dcat-ap``; they are applied the way
``conformance/README.md`` found to work with pyshacl:

- data graph: the sample plus psikg's code lists (``ontology/codelists/*.ttl``), which carry the
  typing the range checks want on licences, file types and HVD categories;
- ``ont_graph``: the offline imports (DCAT, DCTERMS, FOAF, SKOS, PROV-O, OWL-Time) and psikg's
  ``psi.ttl``, for class hierarchies only (``psi:PublicBody`` ⊑ ``foaf:Organization`` ⊑
  ``foaf:Agent``, ``psi:Platform`` ⊑ ``dcat:Catalog``);
- ``inference='none'``; only ``sh:Violation`` results count.

Three adjustments to the material as shipped, each the smallest that makes it runnable as meant:

- ``dcat-ap-SHACL.ttl`` 3.0.1 lists two property shapes of ``dcat:DataServiceShape`` that it
  never defines (SEMICeu/DCAT-AP#448); pyshacl stops at the first data service with "not a
  well-formed SHACL PropertyShape". Undefined shapes constrain nothing, so the dangling
  ``sh:property`` links are dropped.
- The HVD shapes target every dataset, distribution and data service, but the HVD profile is
  for high-value ones. Their class targets become ``sh:targetNode`` targets on the high-value
  nodes (:func:`graph.validation.profiles.high_value_nodes`, which the ``hvd`` profile of
  ``/validate`` uses too, with the other adjustments below).
- The HVD shapes check ``sh:class rdfs:Resource`` on URLs and e-mail addresses. RDFS entailment
  (rule rdfs4b) makes every IRI an ``rdfs:Resource``; instead of RDFS inference, which the README
  found to add errors, :func:`check` adds that one ``rdf:type`` triple for exactly the values such
  a shape checks.

Nothing here writes to the caller's graphs. The "focus nodes checked" figure counts the distinct
nodes the shapes' targets select in the validated graph (sample, code lists and ontologies).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import RDF
from rdflib import RDFS
from rdflib import BNode
from rdflib import Graph
from rdflib import Literal
from rdflib import Namespace
from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from graph.settings import CODELISTS_DIR
from graph.settings import EXAMPLES_DIR
from graph.settings import ONTOLOGY_FILE
from graph.validation.profiles import drop_undefined_property_shapes
from graph.validation.profiles import high_value_nodes
from graph.validation.profiles import type_resources
from tests.conformance import SuiteResult
from tests.conformance import Violation
from tests.conformance import require

DCAT = Namespace("http://www.w3.org/ns/dcat#")

DCAT_AP_SUITE = "dcat-ap-3.0.1"
HVD_SUITE = "dcat-ap-hvd-3.0.0"
DCAT_AP_SHAPES = Path("conformance/dcat-ap/3.0.1/shacl/dcat-ap-SHACL.ttl")
HVD_SHAPES = Path("conformance/dcat-ap/3.0.0-hvd/shacl/hvd-SHACL.ttl")
IMPORTS = Path("conformance/dcat-ap/imports-offline")

SAMPLE = EXAMPLES_DIR / "platform.ttl"


def run(shared: Path) -> list[SuiteResult]:
    """Both suites on the sample, sharing one parse of the data and the ontologies."""
    data = data_graph()
    ontology = ontology_graph(shared)
    return [check_dcat_ap(shared, data, ontology), check_hvd(shared, data, ontology)]


def data_graph(files: list[Path] | None = None) -> Graph:
    """The sample (or ``files``) with every psikg code list merged in."""
    graph = Graph()
    for path in [*(files or [SAMPLE]), *sorted(CODELISTS_DIR.glob("*.ttl"))]:
        graph.parse(path, format="turtle")
    return graph


def ontology_graph(shared: Path) -> Graph:
    """The offline imports of ``shared`` and psikg's ontology, for class hierarchies."""
    graph = Graph()
    for path in [*sorted(require(shared, IMPORTS).glob("*.ttl")), ONTOLOGY_FILE]:
        graph.parse(path, format="turtle")
    return graph


def check_dcat_ap(shared: Path, data: Graph | None = None,
                  ontology: Graph | None = None) -> SuiteResult:
    """Validate ``data`` (default :func:`data_graph`) against the DCAT-AP 3.0.1 shapes."""
    shapes = _parse(require(shared, DCAT_AP_SHAPES))
    drop_undefined_property_shapes(shapes)
    return check(DCAT_AP_SUITE, data if data is not None else data_graph(), shapes,
                 ontology if ontology is not None else ontology_graph(shared))


def check_hvd(shared: Path, data: Graph | None = None,
              ontology: Graph | None = None) -> SuiteResult:
    """Validate the high-value datasets of ``data``, with their distributions and data services,
    against the DCAT-AP HVD 3.0.0 shapes."""
    shapes = _parse(require(shared, HVD_SHAPES))
    data = data if data is not None else data_graph()
    ontology = ontology if ontology is not None else ontology_graph(shared)
    selected = high_value_nodes(data + ontology)
    for shape, cls in list(shapes.subject_objects(SH.targetClass)):
        if cls in selected:
            shapes.remove((shape, SH.targetClass, cls))
            for node in selected[cls]:
                shapes.add((shape, SH.targetNode, node))
    datasets = len(selected[DCAT.Dataset] | selected[DCAT.DatasetSeries])
    note = f"{datasets} high-value dataset{'' if datasets == 1 else 's'}"
    return check(HVD_SUITE, data, shapes, ontology, note=note)


def check(name: str, data: Graph, shapes: Graph, ontology: Graph, note: str = "") -> SuiteResult:
    """Run pyshacl as the module docstring says and turn its report into a :class:`SuiteResult`."""
    target = Graph()
    target += data
    type_resources(shapes, target)
    _, report, _ = pyshacl.validate(
        target,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        inplace=True,  # the ontologies are mixed into ``target``, a private copy
    )
    violations = sorted(
        (
            Violation(
                focus=_show(report.value(result, SH.focusNode)),
                path=_path(report, report.value(result, SH.resultPath)),
                message=" / ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage)))
                or _show(report.value(result, SH.sourceConstraintComponent)),
            )
            for result in report.objects(None, SH.result)
            if report.value(result, SH.resultSeverity, default=SH.Violation) == SH.Violation
        ),
        key=lambda v: (v.focus, v.path or "", v.message),
    )
    return SuiteResult(name, violations, checked=len(focus_nodes(shapes, target)), note=note)


def focus_nodes(shapes: Graph, data: Graph) -> set[Node]:
    """The distinct nodes selected by the targets of the active shapes (SHACL Core targets)."""
    nodes: set[Node] = set()
    for shape in set(shapes.subjects(SH.targetClass, None)) | set(
        shapes.subjects(SH.targetNode, None)
    ) | set(shapes.subjects(SH.targetSubjectsOf, None)) | set(
        shapes.subjects(SH.targetObjectsOf, None)
    ):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        for cls in shapes.objects(shape, SH.targetClass):
            nodes |= _instances(data, cls)
        nodes |= set(shapes.objects(shape, SH.targetNode))
        for prop in shapes.objects(shape, SH.targetSubjectsOf):
            nodes |= set(data.subjects(prop, None))
        for prop in shapes.objects(shape, SH.targetObjectsOf):
            nodes |= set(data.objects(None, prop))
    return nodes


def _instances(graph: Graph, cls: Node) -> set[Node]:
    """Instances of ``cls`` or of its subclasses (``rdf:type/rdfs:subClassOf*``)."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {node for c in classes for node in graph.subjects(RDF.type, c)}


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _show(node: Node | None) -> str:
    if node is None:
        return "-"
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _path(report: Graph, path: Node | None) -> str | None:
    """A result path: the predicate IRI, or the path's Turtle for a complex one."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    steps = [f"{p.n3(report.namespace_manager)} {o.n3(report.namespace_manager)}"
             for p, o in report.predicate_objects(path)]
    return "[ " + " ; ".join(sorted(steps)) + " ]"
