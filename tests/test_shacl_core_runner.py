"""The SHACL Core suite's runner (``tests/conformance/shacl_core.py``) on a small suite of
its own, laid out and written as the W3C's: a fresh clone has no ``../shared``, and the
runner must be right before its score means anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph.validation.shacl import validate_graphs
from tests.conformance import SuiteUnavailable
from tests.conformance.shacl_core import KNOWN_FAILURES
from tests.conformance.shacl_core import SUITE
from tests.conformance.shacl_core import failures
from tests.conformance.shacl_core import known_failures
from tests.conformance.shacl_core import run
from tests.conformance.shacl_core import score

PREFIXES = """\
@prefix ex: <http://example.org/t#> .
@prefix mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sht: <http://www.w3.org/ns/shacl-test#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

BLANK_SHAPES = """
ex:Alice ex:knows [ ex:name "x" ] ; ex:age 1, 2 .
ex:Bob ex:knows [ ex:name "y" ] .
ex:Person a sh:NodeShape ;
  sh:targetNode ex:Alice, ex:Bob ;
  sh:property _:ages, _:names .
_:ages sh:path ex:age ; sh:maxCount 1 .
_:names sh:path ( ex:knows ex:nick ) ; sh:minCount 1 .
"""
"""Two blank property shapes, one on a sequence path: the results tell them apart only by
what the shapes are. Alice has two ages (sh:maxCount 1); neither has a nick (sh:minCount 1)."""

RESULTS_AS_SHACL_SAYS = """
  [ a sh:ValidationResult ; sh:focusNode ex:Alice ; sh:resultPath ex:age ;
    sh:resultSeverity sh:Violation ; sh:sourceShape _:ages ;
    sh:sourceConstraintComponent sh:MaxCountConstraintComponent ;
    sh:resultMessage "any message: it is not compared" ] ,
  [ a sh:ValidationResult ; sh:focusNode ex:Alice ; sh:resultPath ( ex:knows ex:nick ) ;
    sh:resultSeverity sh:Violation ; sh:sourceShape _:names ;
    sh:sourceConstraintComponent sh:MinCountConstraintComponent ] ,
  [ a sh:ValidationResult ; sh:focusNode ex:Bob ; sh:resultPath ( ex:knows ex:nick ) ;
    sh:resultSeverity sh:Violation ; sh:sourceShape _:names ;
    sh:sourceConstraintComponent sh:MinCountConstraintComponent ]
"""


def _test(name: str, graphs: str, conforms: str, results: str = "",
          action: str = "sht:dataGraph <> ; sht:shapesGraph <>") -> str:
    """One test file: the graphs, then the manifest of its one ``sht:Validate`` test."""
    listed = f"; sh:result {results}" if results else ""
    return (f"{PREFIXES}{graphs}\n<> a mf:Manifest ; mf:entries ( <{name}> ) .\n"
            f"<{name}> a sht:Validate ; mf:action [ {action} ] ;\n"
            f"  mf:result [ a sh:ValidationReport ; sh:conforms \"{conforms}\"^^xsd:boolean"
            f" {listed} ] ;\n  mf:status sht:approved .\n")


def _suite(root: Path, tests: dict[str, str], extra: dict[str, str] | None = None) -> Path:
    """A shared folder holding a suite of ``tests`` (name to file text) in ``core/mini/``."""
    folder = root / SUITE / "core" / "mini"
    folder.mkdir(parents=True)
    (root / SUITE / "core" / "manifest.ttl").write_text(
        f"{PREFIXES}<> a mf:Manifest ; mf:include <mini/manifest.ttl> .\n")
    includes = " ; ".join(f"mf:include <{name}.ttl>" for name in tests)
    (folder / "manifest.ttl").write_text(f"{PREFIXES}<> a mf:Manifest ; {includes} .\n")
    for name, text in {**tests, **(extra or {})}.items():
        (folder / f"{name}.ttl").write_text(text)
    return root


def test_a_report_as_shacl_says_passes_blank_shapes_and_paths_compared_by_what_they_are(
        tmp_path: Path) -> None:
    shared = _suite(tmp_path, {"blank-shapes": _test(
        "blank-shapes", BLANK_SHAPES, "false", RESULTS_AS_SHACL_SAYS)})
    assert failures(shared) == (["core/mini/blank-shapes"], {})


def test_a_result_on_the_wrong_blank_shape_fails(tmp_path: Path) -> None:
    swapped = RESULTS_AS_SHACL_SAYS.replace("_:ages", "_:other").replace(
        "_:names", "_:ages").replace("_:other", "_:names")
    shared = _suite(tmp_path, {"swapped": _test("swapped", BLANK_SHAPES, "false", swapped)})
    _, failed = failures(shared)
    assert failed["core/mini/swapped"] == "3 results, 3 expected; blank nodes differ"


def test_a_missing_result_is_named(tmp_path: Path) -> None:
    two = RESULTS_AS_SHACL_SAYS.rsplit(",", 1)[0]
    shared = _suite(tmp_path, {"two": _test("two", BLANK_SHAPES, "false", two)})
    _, failed = failures(shared)
    assert failed["core/mini/two"] == (
        "3 results, 2 expected; unexpected <http://example.org/t#Bob> [] - sh:Violation "
        "sh:MinCountConstraintComponent []")


def test_separate_data_and_shapes_files_and_a_report_that_conforms(tmp_path: Path) -> None:
    shapes = f"{PREFIXES}ex:S sh:targetClass ex:C ; sh:class ex:D .\n"
    data = f"{PREFIXES}ex:i a ex:C, ex:D .\n"
    action = "sht:dataGraph <split-data.ttl> ; sht:shapesGraph <split-shapes.ttl>"
    shared = _suite(tmp_path, {"split": _test("split", "", "true", action=action)},
                    {"split-data": data, "split-shapes": shapes})
    assert failures(shared) == (["core/mini/split"], {})


def test_warnings_alone_conform_as_psikg_validates_its_own_data(tmp_path: Path) -> None:
    """SHACL says a report with any result does not conform; psikg's validation lets
    warnings pass, and the suite runs with psikg's options, so this test fails."""
    graphs = """
ex:a ex:p "text" .
ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ;
  sh:severity sh:Warning ] .
"""
    shared = _suite(tmp_path, {"warning": _test("warning", graphs, "false")})
    assert failures(shared)[1] == {"core/mini/warning": "conforms is true, false expected"}


def test_regressions_and_stale_entries_are_violations_known_failures_are_not() -> None:
    checked = ["a", "b", "c", "d"]
    failed = {"a": "conforms is true, false expected", "b": "1 results, 0 expected"}
    result = score("shacl-core", checked, failed, {"a": "why", "c": "why", "gone": "why"})
    assert [(v.focus, v.message) for v in result.violations] == [
        ("b", "regression: 1 results, 0 expected"),
        ("c", "passes now: take it off the known failures"),
        ("gone", "listed as a known failure but not in the suite"),
    ]
    assert result.score_line() == "shacl-core: 2 passed, 2 failed (1 known failures; 3 unexpected)"
    clean = score("shacl-core", checked, failed, {"a": "why", "b": "why"})
    assert clean.violations == []
    assert clean.score_line() == "shacl-core: 2 passed, 2 failed (2 known failures; 0 unexpected)"


def test_the_known_failures_list_gives_a_reason_for_each_test(tmp_path: Path) -> None:
    listed = known_failures(KNOWN_FAILURES)
    assert listed and all(test_id.startswith("core/") and len(reason) > 20
                          for test_id, reason in listed.items())
    bad = tmp_path / "known.txt"
    bad.write_text("# a comment\n\ncore/node/x  a reason\ncore/node/y\n")
    with pytest.raises(ValueError, match=r"known.txt:4: core/node/y is listed without a reason"):
        known_failures(bad)


def test_a_missing_suite_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(SuiteUnavailable, match="data-shapes-test-suite/tests not found"):
        run(tmp_path)


def test_validate_graphs_leaves_the_data_alone() -> None:
    data = Graph().parse(data=f"{PREFIXES}ex:a ex:p 1 .", format="turtle")
    shapes = Graph().parse(data=f"{PREFIXES}ex:S sh:targetNode ex:a ; sh:class ex:C .",
                           format="turtle")
    report = validate_graphs(data, shapes)
    assert not report.conforms
    assert [(r.focus_node, r.constraint) for r in report.results] == [
        ("http://example.org/t#a", "http://www.w3.org/ns/shacl#ClassConstraintComponent")]
    assert len(data) == 1
