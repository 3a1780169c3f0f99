"""The W3C SPARQL 1.1 query-evaluation tests, as read from their manifests.

The suite's files live in ``../shared/conformance/sparql11/rdf-tests/sparql/sparql11/`` and
name each other by relative IRIs. Each file has the IRI the W3C gives it
(:data:`SUITE_IRI` + its path under ``sparql11/``): data is loaded on that base, so that a
relative IRI in the data, in the query and in the expected results is the same IRI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib import Namespace
from rdflib import Node
from rdflib import URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from tests.conformance import require

SUITE = Path("conformance/sparql11/rdf-tests/sparql/sparql11")
SUITE_IRI = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
"""The IRI of the suite's folder: the base of its files (the SOURCES.md of the suite)."""
MANIFESTS = ("manifest-sparql11-query.ttl", "manifest-sparql11-results.ttl")
"""The query manifest and the result-format manifest (``csv-tsv-res``, ``json-res``)."""
EVALUATED = ("aggregates", "bind", "bindings", "cast", "construct", "exists", "functions",
             "grouping", "negation", "project-expression", "property-path", "subquery",
             "csv-tsv-res", "json-res")
"""The folders of the query manifest whose tests evaluate queries (``syntax-query`` only
parses them)."""

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
EVALUATION_TYPES = (MF.QueryEvaluationTest, MF.CSVResultFormatTest)


@dataclass(frozen=True)
class EvalCase:
    """One query-evaluation test: its files as IRIs of the suite (see :func:`path_of`)."""

    name: str
    """``folder/local-name``, e.g. ``aggregates/agg01``: how reports and the known
    failures name it."""
    query: str
    data: tuple[str, ...]
    """The files whose merge is the default graph."""
    graph_data: tuple[str, ...]
    """The files that are named graphs, each named by its own IRI."""
    result: str

    @property
    def files(self) -> tuple[str, ...]:
        """Every data file the test loads."""
        return self.data + self.graph_data


def path_of(shared: Path, iri: str) -> Path:
    """The file of the shared folder that holds the suite's ``iri``."""
    if not iri.startswith(SUITE_IRI):
        raise ValueError(f"{iri} is not a file of the SPARQL 1.1 suite")
    return shared / SUITE / iri[len(SUITE_IRI):]


def iri_of(shared: Path, path: Path) -> str:
    """The suite's IRI of a file of the shared folder (the inverse of :func:`path_of`)."""
    return SUITE_IRI + path.relative_to(shared / SUITE).as_posix()


def _manifest(shared: Path, folder: str) -> tuple[Graph, URIRef]:
    path = require(shared, SUITE / folder / "manifest.ttl")
    manifest = Graph()
    manifest.parse(path, format="turtle", publicID=iri_of(shared, path))
    subject = URIRef(iri_of(shared, path))
    return manifest, subject


def included_folders(shared: Path) -> list[str]:
    """The folders :data:`MANIFESTS` include that hold evaluation tests, in their order."""
    folders: list[str] = []
    for name in MANIFESTS:
        path = require(shared, SUITE / name)
        top = Graph()
        top.parse(path, format="turtle", publicID=iri_of(shared, path))
        for lists in top.objects(None, MF.include):
            for item in Collection(top, lists):
                folder = str(item)[len(SUITE_IRI):].rsplit("/", 1)[0]
                if folder in EVALUATED and folder not in folders:
                    folders.append(folder)
    return folders


def eval_cases(shared: Path, only: set[str] | None = None) -> list[EvalCase]:
    """Every evaluation test the query manifest lists, in manifest order.

    :param only: names (``folder/local-name``) or folders to keep; all if ``None``.
    :raises SuiteUnavailable: if a manifest is missing.
    """
    cases: list[EvalCase] = []
    for folder in included_folders(shared):
        manifest, subject = _manifest(shared, folder)
        for lists in manifest.objects(subject, MF.entries):
            for entry in Collection(manifest, lists):
                case = _case(manifest, entry, folder)
                if case and (only is None or case.name in only or folder in only):
                    cases.append(case)
    return cases


def _case(manifest: Graph, entry: Node, folder: str) -> EvalCase | None:
    if not any((entry, RDF.type, kind) in manifest for kind in EVALUATION_TYPES):
        return None
    action = manifest.value(entry, MF.action)
    result = manifest.value(entry, MF.result)
    query = manifest.value(action, QT.query) if action is not None else None
    if result is None or query is None:
        return None
    name = f"{folder}/{str(entry).rsplit('#', 1)[-1]}"
    return EvalCase(name=name, query=str(query),
                    data=tuple(sorted(str(o) for o in manifest.objects(action, QT.data))),
                    graph_data=tuple(sorted(str(o) for o in
                                            manifest.objects(action, QT.graphData))),
                    result=str(result))
