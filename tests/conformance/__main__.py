"""``python -m tests.conformance [--shared DIR] [--suite NAME]``: run the public suites.

Prints one score line per suite result (``dcat-ap-3.0.1: 0 violations (…)``) and, below a line
with violations, one line per violation: focus node | path | message.

Exit status: 0 when every suite passes; 1 when any suite has a violation; 2 when the shared
folder, or a suite's part of it, is missing (and nothing failed).

To add a suite (CSVW, SPARQL 1.1, SHACL Core…), write a module of this package with
``run(shared: Path) -> list[SuiteResult]`` and add it to :data:`SUITES`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conformance import DEFAULT_SHARED
from tests.conformance import SuiteResult
from tests.conformance import SuiteUnavailable
from tests.conformance import catalog
from tests.conformance import csvw
from tests.conformance import dcat_ap
from tests.conformance import shacl_core
from tests.conformance import sparql_eval
from tests.conformance import sparql_protocol

SUITES: dict[str, Callable[[Path], list[SuiteResult]]] = {
    "dcat-ap": dcat_ap.run,
    "catalog": catalog.run,
    "csvw-rdf": csvw.run,
    "shacl-core": shacl_core.run,
    "sparql11-query": sparql_eval.run,
    "sparql11-protocol": sparql_protocol.run,
}
"""Every suite, by the name ``--suite`` takes."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.conformance",
        description="Run the public conformance suites of the shared folder against psikg.",
    )
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED,
        help="the shared folder holding conformance/ (default: ../shared beside the repository)",
    )
    parser.add_argument(
        "--suite", action="append", choices=sorted(SUITES),
        help="run only this suite (repeatable; default: all)",
    )
    args = parser.parse_args(argv)

    shared: Path = args.shared
    if not (shared / "conformance").is_dir():
        print(f"conformance: no conformance material: {shared / 'conformance'} is not a folder "
              "(put the shared folder beside the repository or pass --shared DIR)",
              file=sys.stderr)
        return 2

    failed = unavailable = False
    for name in args.suite or list(SUITES):
        try:
            results = SUITES[name](shared)
        except SuiteUnavailable as error:
            print(f"{name}: not run ({error})")
            unavailable = True
            continue
        for result in results:
            print(result.score_line())
            for violation in result.violations:
                print(f"  {violation}")
            failed = failed or bool(result.violations)
    return 1 if failed else 2 if unavailable else 0


if __name__ == "__main__":
    sys.exit(main())
