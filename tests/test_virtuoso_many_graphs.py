"""A store of many graphs on Virtuoso: the 98 named graphs of two pages of data.gov.be's
event stream (``../shared/realdata/dcat/datagovbe_ldes``), each a graph of its own, made
every ``psikg`` command on Virtuoso fail: Virtuoso repeats the dataset psikg sends with
each query in its answer's header, a line per graph, and psikg's engine client refused a
header of more than 100 lines. Here 150 graphs are loaded from one TriG file, and the
commands that read them all are run.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_virtuoso import Run
from tests.test_virtuoso import base
from tests.test_virtuoso import on_virtuoso

__all__ = ["base", "on_virtuoso"]  # fixtures

GRAPHS = 150


def test_a_store_of_150_graphs_on_virtuoso_is_read_whole(on_virtuoso: Run,
                                                          tmp_path: Path) -> None:
    trig = tmp_path / "pages.trig"
    trig.write_text("".join(
        f"<urn:psikg-test:page:{n}> {{ <urn:psikg-test:member:{n}> <urn:psikg-test:p> {n} ; "
        f"<urn:psikg-test:q> \"member {n}\" }}\n" for n in range(GRAPHS)), encoding="utf-8")
    loaded = on_virtuoso("load", trig)
    assert loaded.returncode == 0, loaded.stderr
    listed = on_virtuoso("graphs", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    pages = {g["graph"]: g["triples"] for g in json.loads(listed.stdout)
             if g["graph"].startswith("urn:psikg-test:page:")}
    assert pages == {f"urn:psikg-test:page:{n}": 2 for n in range(GRAPHS)}
    counted = on_virtuoso("query", "--format", "json", "SELECT (COUNT(DISTINCT ?g) AS ?n) "
                          "(SUM(?v) AS ?sum) WHERE { GRAPH ?g { ?m <urn:psikg-test:p> ?v } }")
    assert counted.returncode == 0, counted.stderr
    [row] = json.loads(counted.stdout)["results"]["bindings"]
    assert (row["n"]["value"], row["sum"]["value"]) == (str(GRAPHS), str(sum(range(GRAPHS))))
    exported = on_virtuoso("export", "--format", "nquads")
    assert exported.returncode == 0, exported.stderr
    members = [line for line in exported.stdout.splitlines() if "<urn:psikg-test:p>" in line]
    assert len(members) == GRAPHS
