"""The W3C SPARQL 1.1 query-evaluation tests through psikg, on three engines side by side.

Every ``mf:QueryEvaluationTest`` and ``mf:CSVResultFormatTest`` of the folders the query
and result-format manifests include (:mod:`tests.conformance.sparql_manifest`) is run on
the embedded store, on ``/sparql`` in this process and on Virtuoso through the remote store
(:mod:`tests.conformance.sparql_engines`); each test's dataset is described in
:mod:`tests.conformance.sparql_dataset`, answers are compared by value
(:mod:`tests.conformance.sparql_results`).

A failure listed in ``sparql_known_failures.txt`` (engine, test, reason) is reported but
does not fail the suite; any other failure is a regression and does. A listed failure that
now passes is said on the score line, to be taken off the list.

``python -m tests.conformance.sparql_eval [--engine E] [TEST|FOLDER…]`` runs some tests and
prints each failure; ``--known`` prints the failures in the known-failures format.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from tests.conformance import DEFAULT_SHARED
from tests.conformance import SuiteResult
from tests.conformance import Violation
from tests.conformance.sparql_engines import ENGINES
from tests.conformance.sparql_engines import RUNNERS
from tests.conformance.sparql_engines import Ask
from tests.conformance.sparql_engines import EngineUnavailable
from tests.conformance.sparql_engines import scratch
from tests.conformance.sparql_manifest import EvalCase
from tests.conformance.sparql_manifest import eval_cases
from tests.conformance.sparql_manifest import path_of
from tests.conformance.sparql_results import expected_answer
from tests.conformance.sparql_results import same_answer

KNOWN_FAILURES = Path(__file__).with_name("sparql_known_failures.txt")


def read_known(text: str) -> dict[tuple[str, str], str]:
    """``(engine, test) → reason`` from the known-failures file: one failure a line,
    ``engine test reason…``; ``#`` starts a comment.

    >>> read_known("# c\\nembedded functions/now01 the clock moved\\n")
    {('embedded', 'functions/now01'): 'the clock moved'}
    """
    known: dict[tuple[str, str], str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or parts[0] not in ENGINES:
            raise ValueError(f"known failures, line {number}: want 'ENGINE TEST REASON' with "
                             f"ENGINE one of {', '.join(ENGINES)}: {line!r}")
        known[(parts[0], parts[1])] = parts[2]
    return known


@dataclass
class EngineScore:
    """One engine's outcome: the failures by test name, or why it did not run."""

    engine: str
    failures: dict[str, str] = field(default_factory=dict)
    unavailable: str = ""


class SparqlScore(SuiteResult):
    """``sparql11-query: embedded 231/235, /sparql 231/235, virtuoso 170/235; …``"""

    scores: list[EngineScore]
    fixed: list[str]

    def score_line(self) -> str:
        total = self.checked or 0
        columns = [f"{s.engine} not run ({s.unavailable})" if s.unavailable
                   else f"{s.engine} {total - len(s.failures)}/{total}" for s in self.scores]
        regressions = len(self.violations)
        line = (f"{self.name}: {', '.join(columns)} passed; {regressions} "
                f"regression{'' if regressions == 1 else 's'}")
        if self.fixed:
            line += f"; now passing, take off the known failures: {', '.join(self.fixed)}"
        return line


def run_engine(engine: str, shared: Path, cases: list[EvalCase], folder: Path
               ) -> EngineScore:
    """Run every case on one engine."""
    score = EngineScore(engine)
    try:
        with RUNNERS[engine](shared, cases, folder) as ask:
            for case in cases:
                problem = check(case, ask, shared)
                if problem:
                    score.failures[case.name] = problem
    except EngineUnavailable as error:
        score.unavailable = str(error).splitlines()[0][:200]
    return score


def check(case: EvalCase, ask: Ask, shared: Path) -> str | None:
    """``None`` if the engine answers the test as expected, else what went wrong."""
    text = path_of(shared, case.query).read_text(encoding="utf-8")
    expected = expected_answer(path_of(shared, case.result), case.result)
    try:
        actual = ask(case, text)
    except Exception as error:  # noqa: BLE001 - any failure of a test is its result
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"error: {first[:160]}"
    return same_answer(expected, actual, text)


def score(results: list[EngineScore], total: int, known: dict[tuple[str, str], str]
          ) -> SparqlScore:
    """The suite's result: regressions are failures the known list does not hold."""
    violations = [Violation(name, s.engine, problem) for s in results
                  for name, problem in s.failures.items() if (s.engine, name) not in known]
    violations += [Violation("-", s.engine, f"not run: {s.unavailable}")
                   for s in results if s.unavailable]
    fixed = [f"{s.engine} {name}" for s in results if not s.unavailable
             for engine, name in known if engine == s.engine and name not in s.failures]
    result = SparqlScore("sparql11-query", violations, checked=total, unit="tests")
    result.scores, result.fixed = results, fixed
    return result


def run(shared: Path, engines: tuple[str, ...] = ENGINES, only: set[str] | None = None
        ) -> list[SuiteResult]:
    """The suite on ``engines``: one score line, the engines side by side."""
    cases = eval_cases(shared, only)
    known = read_known(KNOWN_FAILURES.read_text(encoding="utf-8"))
    if only is not None:
        names = {case.name for case in cases}
        known = {key: reason for key, reason in known.items() if key[1] in names}
    with scratch() as folder:
        results = [run_engine(engine, shared, cases, Path(folder)) for engine in engines]
    return [score(results, len(cases), known)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.conformance.sparql_eval")
    parser.add_argument("tests", nargs="*", help="tests (folder/name) or folders; default all")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--engine", action="append", choices=ENGINES)
    parser.add_argument("--known", action="store_true",
                        help="print every failure as a known-failures line")
    args = parser.parse_args(argv)
    engines = tuple(args.engine or ENGINES)
    cases = eval_cases(args.shared, set(args.tests) if args.tests else None)
    with scratch() as folder:
        results = [run_engine(engine, args.shared, cases, Path(folder)) for engine in engines]
    for result in results:
        if result.unavailable:
            print(f"{result.engine}: not run ({result.unavailable})")
        for name, problem in result.failures.items():
            print(f"{result.engine} {name} {problem}" if args.known
                  else f"{result.engine}: {name}: {problem}")
    if not args.known:
        print(", ".join(f"{r.engine} {len(cases) - len(r.failures)}/{len(cases)}"
                        for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
