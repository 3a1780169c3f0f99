"""A load psikg reported survives a crash of Virtuoso right after it.

A load's commit runs outside Virtuoso's transaction log (a ``MOVE`` of a large register
overflows it), so it lives in memory until Virtuoso's next checkpoint. This test kills a
Virtuoso of its own (the run's shared one must stay up for the other tests) as soon as
``psikg load`` has said the register is loaded, starts it again on the same database, and
reads the register back.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runs import run_in_process
from tests.virtuoso_server import restart
from tests.virtuoso_server import start
from tests.virtuoso_server import stop

EXAMPLES = Path(__file__).parent.parent / "examples"
KEY = {"PSIKG_PSEUDONYM_KEY": "0123456789abcdef0123456789abcdef"}


def test_a_reported_load_survives_a_crash_of_virtuoso(tmp_path: Path) -> None:
    virtuoso, process = start(tmp_path / "virtuoso")
    try:
        on_virtuoso = {**virtuoso.environment(), **KEY}
        loaded = run_in_process(["load", str(EXAMPLES / "subsidies.csv")], env=on_virtuoso)
        assert loaded.returncode == 0, loaded.stderr
        before = run_in_process(["graphs", "--format", "json"], env=on_virtuoso)
        assert before.returncode == 0, before.stderr
        process.kill()  # no shutdown, no checkpoint: a crash
        process.wait()
        process = restart(virtuoso)
        after = run_in_process(["graphs", "--format", "json"], env=on_virtuoso)
        assert after.returncode == 0, after.stderr
        graphs = {graph["graph"]: graph["triples"] for graph in json.loads(after.stdout)}
        assert graphs == {graph["graph"]: graph["triples"]
                          for graph in json.loads(before.stdout)}
        assert any(iri.endswith("/subsidies.csv") and triples > 100
                   for iri, triples in graphs.items())
    finally:
        stop(virtuoso, process)
