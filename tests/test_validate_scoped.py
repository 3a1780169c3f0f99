"""``psikg validate`` takes the scoped validation and prints what pyshacl on the whole graph
printed before: the same text and JSON in every language, and the same SHACL report graph.

The stores hold the sample platform and registries (as ``psikg demo`` loads them), the
ontology and code lists, the inventory with its broken rows, and every shapes fixture, one
graph each; the same files go through ``--data``; other shapes go through ``--shapes``;
and, with ``-m conformance``, the real data.gov.be catalogs the harvest tests use.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode
from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from graph import settings
from graph.store import Store
from graph.validation.graphs import validate_file
from graph.validation.graphs import validate_graph
from graph.validation.graphs import validate_store
from graph.validation.rdf_io import ntriples_to_rdflib
from graph.validation.rdf_io import read_triples
from graph.validation.reach import unscoped_reason
from graph.validation.report import ValidationReport
from graph.validation.scope import GLOBAL_PREDICATES
from graph.validation.shacl import validate
from graph.validation.shapes import shape_set
from psikg.cli import cli
from psikg.commands.validate import render
from tests.conformance import shared_dir
from tests.test_shape_scope import inventory
from tests.test_shapes import FIXTURES
from tests.test_shapes import load_fixture

KEY = b"0123456789abcdef0123"
LANGS = ["en", "fr"]
BLANK = re.compile(r"_:[A-Za-z0-9]+")
REGISTRIES = [("subsidies.xlsx", "subsidies-metadata.json", "refuse"),
              ("contracts.csv", "contracts-metadata.json", "refuse"),
              ("inventory-cp1252.csv", "inventory-metadata.json", "skip"),
              ("exclusive-arrangements.csv", "exclusive-arrangements-metadata.json", "refuse"),
              ("charges.csv", "charges-metadata.json", "refuse")]
"""The registries of ``psikg demo`` (psikg/commands/demo.py)."""
OTHER_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<urn:DatasetShape> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:message "a dataset needs a title"@en ] ;
  sh:property [ sh:path dcat:distribution ; sh:node <urn:DistributionShape> ] .
<urn:DistributionShape> a sh:NodeShape ; sh:property [ sh:path dct:format ; sh:minCount 1 ] .
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every shapes fixture (dates filled in), the inventory's raw conversion, the platform."""
    folder = tmp_path_factory.mktemp("data")
    written = []
    for fixture in sorted(FIXTURES.glob("*.ttl")):
        path = folder / f"{fixture.stem}.nt"
        path.write_bytes(load_fixture(fixture.name).serialize(format="nt", encoding="utf-8"))
        written.append(path)
    (folder / "inventory-raw.nt").write_bytes(inventory())
    return [*written, folder / "inventory-raw.nt", settings.EXAMPLES_DIR / "platform.ttl"]


@pytest.fixture(scope="module")
def samples_before(samples: Path) -> dict[str, ValidationReport]:
    return whole_graph_reports(samples)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory, files: list[Path]) -> Path:
    from loaders.registry import load_table

    path = tmp_path_factory.mktemp("samples") / "store"
    with Store(path) as store:
        for table, metadata, on_error in REGISTRIES:
            load_table(store, settings.EXAMPLES_DIR / table, settings.EXAMPLES_DIR / metadata,
                       on_error=on_error, key=KEY)  # type: ignore[arg-type]
        store.load_files([*settings.ontology_files(), *files])
    return path


def whole_graph_reports(path: Path, shapes: list[Path] | None = None
                        ) -> dict[str, ValidationReport]:
    """What ``psikg validate`` printed before: pyshacl on each whole graph."""
    with Store(path) as store:
        return {info.iri: validate(ntriples_to_rdflib(store.graph_ntriples(info.iri)), shapes)
                for info in store.graphs() if info.iri != store.meta_graph}


def scoped_reports(path: Path, shapes: list[Path] | None = None, graph: str | None = None
                   ) -> dict[str, ValidationReport]:
    """What ``psikg validate`` prints now."""
    with Store(path) as store:
        if graph is not None:
            return {graph: validate_graph(store, graph, shapes)}
        return validate_store(store, shapes)


def psikg_validate(path: Path, *args: str | Path) -> tuple[int, str]:
    outcome = CliRunner().invoke(cli, ["--store", str(path), "validate", *map(str, args)])
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        raise outcome.exception
    return outcome.exit_code, outcome.stdout


def normalised(output: str) -> object:
    """The output with blank node labels (new at each parse) blanked, in a stable order."""
    text = BLANK.sub("_:b", output)
    if text.lstrip().startswith("{"):
        reports = json.loads(text)
        for report in reports.values():
            report["results"].sort(key=lambda r: json.dumps(r, sort_keys=True))
        return reports
    return sorted(text.splitlines())


def described(graph: Graph) -> Counter[str]:
    """A report graph up to the names of its blank nodes: each blank node nothing points to,
    with everything under it, and each triple of a named subject (rdflib's isomorphism test
    takes minutes on a store's reports; theirs are trees of blank nodes)."""

    def describe(node: Node, depth: int = 0) -> str:
        if not isinstance(node, BNode) or depth > 20:
            return node.n3()
        return "[" + " ".join(sorted(f"{p.n3()} {describe(o, depth + 1)}"
                                     for p, o in graph.predicate_objects(node))) + "]"

    pointed = {o for o in graph.objects() if isinstance(o, BNode)}
    roots = [s for s in set(graph.subjects()) if isinstance(s, BNode) and s not in pointed]
    named = [f"{s.n3()} {p.n3()} {describe(o)}" for s, p, o in graph
             if not isinstance(s, BNode)]
    return Counter([describe(root) for root in roots] + named)


def results_in(turtle: str) -> Counter[tuple[str, ...]]:
    graph = Graph().parse(data=turtle, format="turtle")

    def name(node: Node | None) -> str:
        return "_:b" if isinstance(node, BNode) else str(node)

    return Counter((name(graph.value(result, SH.focusNode)),
                    name(graph.value(result, SH.sourceShape)))
                   for result in graph.objects(None, SH.result))


def assert_same_outputs(before: dict[str, ValidationReport], after: dict[str, ValidationReport],
                        path: Path, *args: str | Path) -> None:
    """``psikg validate`` prints what it printed before: text in each language, JSON (the
    same in every language), and Turtle; ``after`` (the scoped validation's reports, as
    ``psikg validate`` gets them) has the same report graphs as ``before``.

    rdflib's Turtle writer sometimes writes a list shared by two results twice (a report
    graph and its Turtle then differ by a triple or two, whichever way it was made), so the
    report graphs are compared as graphs, and the Turtle printed by its results."""
    status = 0 if all(report.conforms for report in before.values()) else 1
    for format_name, lang in [("text", lang) for lang in LANGS] + [("json", LANGS[-1])]:
        code, output = psikg_validate(path, *args, "--format", format_name, "--lang", lang)
        assert code == status, output
        assert normalised(output) == normalised(render(before, format_name, lang) + "\n")
    code, output = psikg_validate(path, *args, "--format", "turtle")
    assert code == status
    assert results_in(output) == results_in(render(before, "turtle", "en"))
    assert list(after) == list(before)
    for name, report in before.items():
        assert described(after[name].graph) == described(report.graph), name


def test_the_decree_shapes_read_only_what_the_scoped_validation_copies() -> None:
    assert unscoped_reason(shape_set(), GLOBAL_PREDICATES) is None


def test_every_graph_of_the_samples_store(samples: Path,
                                          samples_before: dict[str, ValidationReport]) -> None:
    assert sum(len(r.violations) for r in samples_before.values()) >= 60  # fixtures, inventory
    assert_same_outputs(samples_before, scoped_reports(samples), samples)


@pytest.mark.parametrize("name", ["platform.ttl", "inventory-raw.nt", "art-20-invalid.nt"])
def test_one_graph_of_the_samples_store(samples: Path,
                                        samples_before: dict[str, ValidationReport],
                                        name: str) -> None:
    graph = f"{settings.DEFAULT_BASE_IRI}graph/{name}"
    assert_same_outputs({graph: samples_before[graph]}, scoped_reports(samples, graph=graph),
                        samples, "--graph", graph)


def test_other_shapes_on_the_samples_store(samples: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(OTHER_SHAPES, encoding="utf-8")
    assert unscoped_reason(shape_set([shapes]), GLOBAL_PREDICATES) is None
    before = whole_graph_reports(samples, [shapes])
    assert any(r.results for r in before.values())
    assert_same_outputs(before, scoped_reports(samples, [shapes]), samples, "--shapes", shapes)


def test_files_not_in_the_store(files: list[Path], tmp_path: Path) -> None:
    """``--data``: the file's triples as written (``8.0``, not the store's ``8``)."""
    for path in files:
        triples = ox.serialize(read_triples(path), format=ox.RdfFormat.N_TRIPLES) or b""
        before = {str(path): validate(ntriples_to_rdflib(triples))}
        assert_same_outputs(before, {str(path): validate_file(path)}, tmp_path / "no-store",
                            "--data", path)
    assert not (tmp_path / "no-store").exists()


@pytest.mark.conformance
def test_the_real_catalogs(tmp_path: Path) -> None:
    from loaders.harvest.config import SourceSpec
    from loaders.harvest.fetch import HarvestPolicy
    from loaders.harvest.run import harvest

    path = tmp_path / "store"
    with Store(path) as store:
        for name in ("datagovbe_odwb.ttl", "datagovbe_gent.ttl", "datagovbe_statbelpubs.ttl"):
            source = shared_dir() / "realdata" / "dcat" / name
            if not source.is_file():
                pytest.fail(f"{source} not found (set PSIKG_SHARED to the shared folder)")
            harvest(store, SourceSpec(name.split("_")[1].removesuffix(".ttl"), str(source)),
                    HarvestPolicy())
    before = whole_graph_reports(path)
    assert sum(len(r.violations) for r in before.values()) >= 4
    assert_same_outputs(before, scoped_reports(path), path)
