"""The loader's fast validation reports exactly what pyshacl reports on the whole graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import Store
from graph.validation.rdf_io import ntriples_to_rdflib
from graph.validation.report import ValidationReport
from graph.validation.scope import validate_scoped
from graph.validation.shacl import validate
from graph.validation.shapes import shape_set
from graph.validation.targets import focus_nodes
from tests.test_shapes import load_fixture

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "shapes").glob("*.ttl"))
GRAPH = "https://data.psikg.example/graph/fixture"


def summary(report: ValidationReport) -> list[tuple[object, ...]]:
    return sorted((r.severity, r.focus_node, r.path, r.value, r.source_shape, r.constraint,
                   r.article, tuple(sorted(r.message.items()))) for r in report.results)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_fast_path_reports_what_pyshacl_reports(tmp_path: Path, fixture: Path) -> None:
    data = tmp_path / f"{fixture.stem}.nt"
    data.write_bytes(load_fixture(fixture.name).serialize(format="nt", encoding="utf-8"))
    with Store(tmp_path / "store") as store:
        store.load_file(data, graph=GRAPH)
        full = validate(ntriples_to_rdflib(store.graph_ntriples(GRAPH)))
        fast, focus = validate_scoped(store, GRAPH)
    if fast is None:
        assert focus == 0
        assert full.results == [], "no focus node found, yet pyshacl reports results"
    else:
        assert summary(fast) == summary(full)
        assert fast.conforms == full.conforms


def test_a_graph_no_shape_targets_needs_no_pyshacl(tmp_path: Path) -> None:
    data = tmp_path / "grants.ttl"
    data.write_text('<https://x.example/g1> a <https://schema.org/MonetaryGrant> ; '
                    '<https://schema.org/amount> 12.5 .\n', encoding="utf-8")
    with Store(tmp_path / "store") as store:
        store.load_file(data, graph=GRAPH)
        assert focus_nodes(store, GRAPH, shape_set()) == set()
        assert validate_scoped(store, GRAPH) == (None, 0)


@pytest.mark.slow
def test_fast_path_on_a_platform_inside_a_large_graph(tmp_path: Path) -> None:
    """The platform and the inventory (with its broken rows) beside 400 subsidies."""
    from graph.settings import EXAMPLES_DIR
    from loaders.registry import load_table

    with Store(tmp_path / "store") as store:
        load_table(store, EXAMPLES_DIR / "subsidies.csv", EXAMPLES_DIR / "subsidies-metadata.json",
                   graph=GRAPH, key=b"0123456789abcdef0123")
        merged = tmp_path / "merged.nt"
        merged.write_bytes(store.graph_ntriples(GRAPH) + read_platform() + inventory())
        store.load_file(merged, graph=GRAPH)
        full = validate(ntriples_to_rdflib(store.graph_ntriples(GRAPH)))
        fast, focus = validate_scoped(store, GRAPH)
    assert fast is not None and focus > 200
    assert len(full.violations) >= 8
    assert summary(fast) == summary(full)


def inventory() -> bytes:
    from graph.settings import EXAMPLES_DIR
    from loaders.csvw.convert import csv2rdf

    conversion = csv2rdf(EXAMPLES_DIR / "inventory.csv",
                         metadata=EXAMPLES_DIR / "inventory-metadata.json", mode="minimal")
    return b"".join(conversion.chunks())


def read_platform() -> bytes:
    import pyoxigraph as ox

    from graph.settings import EXAMPLES_DIR

    quads = ox.parse(path=EXAMPLES_DIR / "platform.ttl", format=ox.RdfFormat.TURTLE)
    return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                        format=ox.RdfFormat.N_TRIPLES)


def test_a_second_validation_reads_no_shape_file_again(tmp_path: Path) -> None:
    """Every reader of shapes (pyshacl, the SPARQL constraints, the targets) goes through
    the one cache: each file is parsed once, and a second validation parses none."""
    from graph import settings
    from graph.validation import shapes as shape_files

    data = tmp_path / "art-20-invalid.nt"
    data.write_bytes(load_fixture("art-20-invalid.ttl").serialize(format="nt", encoding="utf-8"))
    shape_files.clear_cache()
    shape_files.READS.clear()
    with Store(tmp_path / "store") as store:
        store.load_file(data, graph=GRAPH)
        first, focus = validate_scoped(store, GRAPH)
        validate(ntriples_to_rdflib(store.graph_ntriples(GRAPH)))
        read = dict(shape_files.READS)
        assert read == {str(p): 1 for p in settings.shape_files() + settings.ontology_files()}
        again, _ = validate_scoped(store, GRAPH)
        assert first is not None and again is not None and focus > 0
        assert again.results == first.results
        validate(ntriples_to_rdflib(store.graph_ntriples(GRAPH)))
    assert read == shape_files.READS
