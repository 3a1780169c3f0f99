"""The canned queries' values for the engine comparisons (``tests/test_virtuoso.py``,
``tests/test_remote_oxigraph.py``), and the check that the ``plain`` forms answer as the
precomputed aggregates on any engine."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from graph.canned.library import load_library
from tests.engine_apps import QUERIES

Run = Callable[..., subprocess.CompletedProcess[str]]

PARAMETERS = {"beneficiary-profile": ["-p", "enterprise_number=0216543293"],
              "recently-modified-datasets": ["-p", "since=2020-01-01"],
              "search-datasets": ["-p", "text=primes"],
              "year-over-year": ["-p", "year=2024"]}
"""Values for the canned queries that need some."""
DEVIATIONS = {
    "sources-freshness": "NOW() - ?loaded is a number of seconds (Virtuoso has no "
                         "xsd:dayTimeDuration); and load times differ between two loads",
}
"""The canned queries Virtuoso 7.2.5 does not answer as the embedded store: docs/engines.md."""

BODIES = ["body=https://data.psikg.example/public-body/0254452873",
          "body=https://data.psikg.example/public-body/0894169754"]
LIST_VALUES = [(["-p", "year=2024"], 10), (["-p", "year=2023", "-p", "year=2025"], 10),
               (["-p", "year=2019"], 0), (["-p", BODIES[0]], 1),
               (["-p", BODIES[0], "-p", BODIES[1], "-p", "year=2024"], 2)]
"""granted-vs-paid's list parameters: one year, several, one with no grant, bodies."""

PLAIN_VALUES: dict[str, list[list[str]]] = {
    "granted-vs-paid": [[], *(values for values, _ in LIST_VALUES)],
    "spending-by-body-year": [[], ["-p", "year=2024"], ["-p", "year=2019"],
                              ["-p", BODIES[0], "-p", "year=2023"]],
    "subsidies-by-municipality": [[], ["-p", "year=2025"], ["-p", "lang=nl"]],
    "top-beneficiaries": [[], ["-p", "from=2024", "-p", "to=2024"]],
    "beneficiary-profile": [["-p", "enterprise_number=0362655680"]],
    # last: on Virtuoso 7.2.5 the form that tested ?year in its sums' IFs hung the engine
    "year-over-year": [["-p", "year=2023"], ["-p", "year=2024"], ["-p", "year=2026"],
                       ["-p", "year=2019"]],
}
"""The values each ``plain`` form is run with: none (its variables unbound), each parameter,
years with and without grants."""


def plain_differences(on_engine: Run, embedded: Run) -> list[str]:
    """Each query and values whose ``plain`` form answers otherwise (rows, decimals, order)
    on the engine, or on the embedded store, than the aggregates on the embedded store.
    The samples must be loaded on both.

    The first plain form the engine fails on (an error, or psikg's timeout) ends the
    check: a query that hangs Virtuoso hangs every query after it, so asking more would
    only wait for more timeouts (of 10 s each, ``--timeout-s``)."""
    with_plain = {name for name, query in load_library(QUERIES).items() if query.plain}
    assert set(PLAIN_VALUES) == with_plain, "every plain form is checked"
    differing = []
    for name, cases in PLAIN_VALUES.items():
        for values in cases:
            asked = ["queries", name, *values, "--format", "csv"]
            aggregates = embedded(*asked)
            assert aggregates.returncode == 0, aggregates.stderr
            empty = "year=2019" in values
            assert (len(aggregates.stdout.splitlines()) == 1) == empty, (name, values)
            for label, run in (("embedded store", embedded), ("engine", on_engine)):
                plain = run("--timeout-s", "10", *asked, "--plain")  # a hang: 10 s
                if plain.returncode or plain.stdout != aggregates.stdout:
                    differing.append(f"{name} {' '.join(values)} --plain on the {label}: "
                                     f"{plain.stdout[:300]!r} {plain.stderr[-300:]!r}")
                if plain.returncode and run is on_engine:
                    return [*differing, "(the check stopped there: the engine may hang)"]
    return differing
