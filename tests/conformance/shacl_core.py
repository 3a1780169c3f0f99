"""The W3C SHACL Core test suite (``conformance/shacl-core``) through psikg's validation home.

Each ``sht:Validate`` test of the suite's manifests names a data graph and a shapes graph
(``mf:action``) and the ``sh:ValidationReport`` expected (``mf:result``). The graphs go
through :func:`graph.validation.shacl.validate_graphs`, which runs pyshacl with the options
psikg runs on its own data: no inference, SHACL-AF (``advanced``), and warnings and infos
that do not fail (``allow_warnings``), so psikg's ``conforms`` is false only on a violation.
The suite's reports follow SHACL (any result fails), so its tests whose results are all
warnings or infos fail here on ``sh:conforms``: they are known failures, for that reason.

A test passes when ``conforms`` is the expected one and the set of results is: each result
compared on focus node, path, value, severity, source constraint component and source shape
(``sh:resultMessage`` and everything else left out), blank nodes up to isomorphism (a blank
source shape or path is compared by what it is, with everything it leads to).

``shacl_core_known_failures.txt`` (beside this module) lists the tests psikg fails, each
with a one-line reason. A failure not listed (a regression), a listed test that passes
(remove it from the list) and a listed test the suite lacks are the suite's violations,
which make ``make conformance`` fail; the listed failures do not.

``python -m tests.conformance.shacl_core [TEST…]`` runs the suite (or some tests, by id such
as ``core/node/class-001``) alone and prints each failure, listed or not.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from rdflib import BNode
from rdflib import Graph
from rdflib import Literal
from rdflib import Namespace
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.namespace import SH
from rdflib.term import Node

from graph.validation.shacl import validate_graphs
from tests.conformance import SuiteResult
from tests.conformance import Violation
from tests.conformance import require

SUITE = Path("conformance/shacl-core/data-shapes-test-suite/tests")
MANIFEST = Path("core/manifest.ttl")
KNOWN_FAILURES = Path(__file__).with_name("shacl_core_known_failures.txt")

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
COMPARED = (SH.focusNode, SH.resultPath, SH.value, SH.resultSeverity,
            SH.sourceConstraintComponent, SH.sourceShape)
"""The properties of a result the suite compares; the others (messages) are left out."""


@dataclass(frozen=True)
class Case:
    """One ``sht:Validate`` test: where its graphs are and where its expected report is."""

    id: str
    """The test's IRI relative to the suite's ``tests/`` folder: ``core/node/class-001``."""
    manifest: Path
    data: Path
    shapes: Path
    result: Node


@dataclass
class ShaclCoreScore(SuiteResult):
    """``shacl-core: N passed, N failed (N known failures; N unexpected)``."""

    failed: int = 0
    known: int = 0
    """How many of the failed tests the known failures list."""

    def score_line(self) -> str:
        return (f"{self.name}: {(self.checked or 0) - self.failed} passed, {self.failed} failed "
                f"({self.known} known failures; {self.note})")


class Graphs:
    """The suite's files, each parsed once with its file IRI as base, so that ``<>`` and
    ``<other.ttl>`` name files, and the graphs a manifest shares with its data keep the
    same blank nodes."""

    def __init__(self) -> None:
        self._parsed: dict[Path, Graph] = {}

    def __getitem__(self, path: Path) -> Graph:
        if path not in self._parsed:
            self._parsed[path] = Graph().parse(path, format="turtle",
                                               publicID=path.resolve().as_uri())
        return self._parsed[path]


def cases(suite: Path, graphs: Graphs) -> list[Case]:
    """Every ``sht:Validate`` test of the manifest and the manifests it includes, in order."""
    found: list[Case] = []
    pending = [(suite / MANIFEST).resolve()]
    seen: set[Path] = set()
    while pending:
        path = pending.pop(0)
        if path in seen:
            continue
        seen.add(path)
        manifest = graphs[path]
        root = URIRef(path.as_uri())
        pending.extend(_file(include) for include in manifest.objects(root, MF.include))
        for entries in manifest.objects(root, MF.entries):
            for entry in manifest.items(entries):
                if (entry, RDF.type, SHT.Validate) in manifest:
                    found.append(_case(manifest, entry, path, suite))
    return found


def _case(manifest: Graph, entry: Node, path: Path, suite: Path) -> Case:
    action = manifest.value(entry, MF.action)
    data = manifest.value(action, SHT.dataGraph)
    shapes = manifest.value(action, SHT.shapesGraph)
    result = manifest.value(entry, MF.result)
    if data is None or shapes is None or result is None:
        raise ValueError(f"{path}: test {entry} lacks sht:dataGraph, sht:shapesGraph or mf:result")
    test_id = _file(entry).relative_to(suite.resolve()).as_posix()
    return Case(test_id, path, _file(data), _file(shapes), result)


def _file(iri: Node) -> Path:
    """The path of a ``file:`` IRI the parser made from a relative one."""
    return Path(url2pathname(urlsplit(str(iri)).path)).resolve()


def run_case(case: Case, graphs: Graphs) -> str | None:
    """Why the test fails (``None`` when it passes)."""
    expected_graph = graphs[case.manifest]
    if (case.result, RDF.type, SH.ValidationReport) not in expected_graph:
        return "the expected result is not a sh:ValidationReport (not supported)"
    data, shapes = graphs[case.data], graphs[case.shapes]
    try:
        report = validate_graphs(data, shapes)
    except Exception as error:  # noqa: BLE001 - a failed test names what pyshacl raised
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    expected_conforms = expected_graph.value(case.result, SH.conforms)
    if isinstance(expected_conforms, Literal) and expected_conforms.toPython() != report.conforms:
        return f"conforms is {str(report.conforms).lower()}, {expected_conforms} expected"
    actual_node = report.graph.value(None, RDF.type, SH.ValidationReport, any=False)
    expected = compared_results(case.result, [expected_graph, data, shapes])
    actual = compared_results(actual_node, [report.graph, data, shapes])
    if isomorphic(expected, actual):
        return None
    return _difference(expected, actual)


def compared_results(report: Node | None, sources: list[Graph]) -> Graph:
    """The report's results as the suite compares them: one blank node each, holding only
    the :data:`COMPARED` properties, a blank value copied with what it leads to in
    ``sources`` (the report first, then the data and shapes graphs).

    Each blank value is copied on its own: a report may share one path node between two
    results, or point at the shape's own path, where the suite writes a copy in each.
    """
    compared = Graph()
    if report is None:
        return compared
    for result in sources[0].objects(report, SH.result):
        node = BNode()
        for prop in COMPARED:
            for value in sources[0].objects(result, prop):
                compared.add((node, prop, _copy(compared, value, sources, {})))
    return compared


def _copy(target: Graph, node: Node, sources: list[Graph], copies: dict[Node, BNode]) -> Node:
    """``node``, or a fresh copy of a blank one with every triple it leads to, each blank
    node described by the first of ``sources`` that describes it (pyshacl's report may hold
    a copy of a path list whose head keeps the shapes graph's blank node)."""
    if not isinstance(node, BNode):
        return node
    if node not in copies:
        copies[node] = BNode()
        source = next((one for one in sources if (node, None, None) in one), sources[0])
        for prop, value in source.predicate_objects(node):
            target.add((copies[node], prop, _copy(target, value, sources, copies)))
    return copies[node]


def _difference(expected: Graph, actual: Graph) -> str:
    """One line on how the result sets differ: counts, and the first result missing or extra
    (blank nodes written ``[]``)."""
    wanted, got = _signatures(expected), _signatures(actual)
    missing, extra = wanted - got, got - wanted
    parts = [f"{sum(got.values())} results, {sum(wanted.values())} expected"]
    if missing:
        parts.append(f"missing {next(iter(missing))}")
    if extra:
        parts.append(f"unexpected {next(iter(extra))}")
    if not missing and not extra:
        parts.append("blank nodes differ")
    return "; ".join(parts)


def _signatures(results: Graph) -> Counter[str]:
    """Each result as one line of its compared values, in :data:`COMPARED`'s order."""
    lines: Counter[str] = Counter()
    for node in set(results.subjects(SH.resultSeverity, None)) | set(
            results.subjects(SH.focusNode, None)):
        values = []
        for prop in COMPARED:
            value = results.value(node, prop)
            values.append("-" if value is None else "[]" if isinstance(value, BNode)
                          else value.n3(results.namespace_manager))
        lines[" ".join(values)] += 1
    return lines


def known_failures(path: Path = KNOWN_FAILURES) -> dict[str, str]:
    """The listed failures, test id to reason: ``id  reason`` a line, ``#`` starts a comment.

    :raises ValueError: if a test is listed without a reason.
    """
    listed: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        test_id, _, reason = line.strip().partition(" ")
        if not reason.strip():
            raise ValueError(f"{path}:{number}: {test_id} is listed without a reason")
        listed[test_id] = reason.strip()
    return listed


def failures(shared: Path, only: list[str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The ids of the tests run (every test, or the ``only`` ones) and why each that failed
    did, listed or not."""
    suite = require(shared, SUITE)
    graphs = Graphs()
    failed = {}
    with _quiet():
        selected = [case for case in cases(suite, graphs) if not only or case.id in only]
        for case in selected:
            problem = run_case(case, graphs)
            if problem:
                failed[case.id] = problem
    return [case.id for case in selected], failed


def score(name: str, checked: list[str], failed: dict[str, str],
          listed: dict[str, str]) -> ShaclCoreScore:
    """The suite's result: a failure not listed, a listed test that passes and a listed test
    the suite lacks are its violations; the listed failures are only counted."""
    violations = [Violation(test_id, None, f"regression: {reason}")
                  for test_id, reason in failed.items() if test_id not in listed]
    violations += [Violation(test_id, None, "passes now: take it off the known failures")
                   for test_id in checked if test_id in listed and test_id not in failed]
    violations += [Violation(test_id, None, "listed as a known failure but not in the suite")
                   for test_id in listed if test_id not in checked]
    known = sum(1 for test_id in failed if test_id in listed)
    return ShaclCoreScore(name, violations, checked=len(checked), unit="tests",
                          note=f"{len(violations)} unexpected", failed=len(failed), known=known)


def run(shared: Path, only: list[str] | None = None) -> list[SuiteResult]:
    """Every test (or the ``only`` ones, against their own entries of the known failures);
    one result, ``shacl-core``."""
    checked, failed = failures(shared, only)
    listed = known_failures()
    if only:
        listed = {test_id: why for test_id, why in listed.items() if test_id in checked}
    return [score("shacl-core", checked, failed, listed)]


@contextmanager
def _quiet() -> Iterator[None]:
    """Without the warnings the suite's deliberately bad input makes rdflib and pyshacl log
    (ill-typed literals, misplaced constraints): a failed test says what went wrong."""
    disabled = logging.root.manager.disable
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(disabled)

if __name__ == "__main__":
    from tests.conformance import shared_dir

    _, failed = failures(shared_dir(), sys.argv[1:] or None)
    listed = known_failures()
    for test_id, problem in failed.items():
        print(f"{test_id}: {problem}{' (known)' if test_id in listed else ''}")
