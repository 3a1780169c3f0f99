"""The decree's SHACL shapes, each against a fixture that conforms and one that violates it,
and the validation API around them (graph/validation/).

Fixtures sit in ``tests/fixtures/shapes`` as ``{group}-valid.ttl`` / ``{group}-invalid.ttl``
(see its README). :data:`EXPECTED` says exactly which shape fires on which focus node of
each invalid fixture; a shape added to ``ontology/shapes`` without a line here fails
:func:`test_every_shape_has_fixtures`. Validation is real pyshacl with the real ontology
and code lists (``settings.ontology_files()``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib import Literal
from rdflib import Namespace
from rdflib import URIRef
from rdflib.namespace import DCTERMS
from rdflib.namespace import RDF
from rdflib.namespace import SH

from graph import settings
from graph.namespaces import article
from graph.validation.report import ValidationReport
from graph.validation.shacl import validate
from graph.validation.shapes import ShapesError

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
PSISH = "https://w3id.org/psikg/shapes#"
EX = "https://data.psikg.example/test/"
PSI = Namespace("https://w3id.org/psikg/ontology#")
DECREE_ARTICLE = re.compile(
    r"https://www\.ejustice\.just\.fgov\.be/eli/decret/2022/11/24/2022207332/justel#art_\d+"
)

EXPECTED: dict[str, set[tuple[str, str]]] = {
    "art-02": {
        ("Art2PublicBody-bodyKind", "no-kind"),
        ("Art2PublicBody-bodyKind", "two-kinds"),
        ("Art2PublicBody-bodyKind", "unknown-kind"),
        ("Art2DominantInfluence-ground", "h-no-ground"),
        ("Art2DominantInfluence-ground", "h-unknown-ground"),
        ("Art2DominantInfluence-holder", "h-no-holder"),
    },
    "art-10": {
        ("Art10OpenFormat-distribution", "pdf-only"),
        ("Art10OpenFormat-distribution", "no-format"),
        ("Art10OpenFormat-distribution", "unmotivated-derogation"),
        ("Art10FormatDerogation-motivation", "derogation-without-motivation"),
    },
    "art-11": {
        ("Art11MinimumMetadata-title", "no-title"),
        ("Art11MinimumMetadata-titleLanguage", "no-title"),
        ("Art11MinimumMetadata-titleLanguage", "english-title"),
        ("Art11MinimumMetadata-description", "no-description"),
        ("Art11MinimumMetadata-descriptionLanguage", "no-description"),
        ("Art11MinimumMetadata-descriptionLanguage", "english-description"),
        ("Art11MinimumMetadata-created", "no-creation-date"),
        ("Art11MinimumMetadata-modified", "no-update-date"),
        ("Art11MinimumMetadata-license", "no-licence"),
        ("Art11MinimumMetadata-rightsHolder", "no-owner"),
        ("Art11MinimumMetadata-publisher", "no-publisher"),
    },
    "art-12": {
        ("Art12HighValueDataset-category", "hvd-no-category"),
        ("Art12HighValueDataset-legislation", "hvd-no-legislation"),
        ("Art12HighValueDataset-api", "hvd-no-api"),
        ("Art12HighValueDataset-bulkDownload", "hvd-no-bulk-download"),
        ("Art12HighValueDataset-referenceBody", "hvd-no-reference-body"),
        ("Art12DynamicData-api", "dynamic-no-api"),
        ("Art12DelayedDynamicData-justification", "dynamic-delay-unjustified"),
    },
    "art-13": {
        ("Art13NotDisseminated-ground", "withheld-no-ground"),
        ("Art13NotDisseminated-ground", "withheld-unknown-ground"),
        ("Art10AlreadyDisseminated-by", "already-disseminated-by-whom"),
    },
    "art-13-17": {
        ("Art17PersonalData-anonymised", "not-anonymised"),
        ("Art17PersonalData-technique", "no-technique"),
        ("Art17PersonalData-technique", "unknown-technique"),
    },
    "art-14": {
        ("Art14CessationNotice-information", "notice-no-information"),
        ("Art14CessationNotice-date", "notice-no-date"),
        ("Art14CessationNotice-body", "notice-no-body"),
    },
    "art-17": {
        ("Art17Licence-inList", "unlisted-licence"),
        ("Art17Licence-inList", "distribution-unlisted-licence"),
        ("Art17AdditionalCondition-reason", "condition-no-reason"),
        ("Art17AdditionalCondition-reasonKind", "condition-unknown-reason-kind"),
        ("Art17LicenceOffer", "late-offer"),
    },
    "art-18": {
        ("Art18Charge-calculationMethod", "charge-no-method"),
        ("Art18Charge-amount", "charge-no-amount"),
        ("Art18Charge-costBasis", "charge-unknown-basis"),
        ("Art18Charge-costBasisStated", "charge-no-basis"),
        ("Art18ReasonableReturn", "charge-high-return"),
        ("Art18ChargingBodyListed", "charge-unlisted-body"),
        ("Art18HighValueCharge", "hvd-charge-too-long"),
        ("Art18HighValueCharge", "hvd-charge-open-ended"),
    },
    "art-20": {
        ("Art20Exclusivity-justification", "exclusivity-no-justification"),
        ("Art20Exclusivity-justification", "cultural-unjustified"),
        ("Art20Exclusivity-publicationPage", "exclusivity-unpublished"),
        ("Art20Review", "review-overdue"),
        ("Art20Review", "never-reviewed"),
        ("Art20NextReview", "next-review-too-late"),
        ("Art20CulturalDigitisation", "cultural-too-long"),
        ("Art20CulturalDigitisation", "cultural-open-ended"),
        ("Art20RestrictiveArrangement-publicationDate", "restrictive-no-publication-date"),
        ("Art20RestrictiveArrangement-publicationPage", "restrictive-no-page"),
        ("Art20RestrictivePublication", "restrictive-published-late"),
        ("Art20LegacyContract-endDate", "legacy-too-long"),
        ("Art20LegacyContract-endDate", "legacy-open-ended"),
    },
}
SHAPE_GROUP = {shape: group for group, pairs in EXPECTED.items() for shape, _ in pairs}

_TODAY_TOKEN = re.compile(r"\{\{today((?:[+-]\d+[ymd])*)\}\}")
_OFFSET = re.compile(r"([+-]\d+)([ymd])")


def _shift(day: dt.date, offsets: str) -> dt.date:
    """``day`` moved by ``offsets`` such as ``-3y-1d``, clamping 29 February."""
    for amount, unit in _OFFSET.findall(offsets):
        n = int(amount)
        if unit == "d":
            day += dt.timedelta(days=n)
            continue
        months = day.year * 12 + day.month - 1 + (n * 12 if unit == "y" else n)
        year, month = divmod(months, 12)
        for last in (day.day, 30, 29, 28):
            try:
                day = day.replace(year=year, month=month + 1, day=min(day.day, last))
                break
            except ValueError:
                continue
    return day


def load_fixture(name: str) -> Graph:
    """Parse a fixture after replacing its ``{{today…}}`` tokens (fixtures README)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    today = dt.datetime.now(dt.UTC).date()
    text = _TODAY_TOKEN.sub(lambda m: _shift(today, m.group(1)).isoformat(), text)
    return Graph().parse(data=text, format="turtle")


@functools.cache
def report_for(name: str) -> ValidationReport:
    return validate(load_fixture(name))


def pairs(report: ValidationReport) -> set[tuple[str, str]]:
    return {
        (r.source_shape.removeprefix(PSISH), r.focus_node.removeprefix(EX)) for r in report.results
    }


@functools.cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in settings.shape_files():
        graph.parse(path)
    return graph


TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def result_producing_shapes() -> set[str]:
    """The property shapes and SPARQL-constrained node shapes of targeted node shapes.

    Helper shapes reached only through ``sh:node`` or ``sh:qualifiedValueShape`` report
    through the property shape that points to them, so they need no fixture of their own.
    """
    graph = shapes_graph()
    targeted = {s for p in TARGETS for s in graph.subjects(p, None)}
    shapes = {p for s in targeted for p in graph.objects(s, SH.property)}
    shapes |= {s for s in targeted if (s, SH.sparql, None) in graph}
    return {str(s).removeprefix(PSISH) for s in shapes}


def documented_nodes() -> list[str]:
    """Every node shape, property shape and SPARQL constraint: each must say why."""
    graph = shapes_graph()
    nodes = (
        set(graph.subjects(RDF.type, SH.NodeShape))
        | set(graph.objects(None, SH.property))
        | set(graph.objects(None, SH.sparql))
    )
    return sorted(str(n) for n in nodes)


@pytest.mark.parametrize("group", sorted(EXPECTED))
def test_valid_fixture_yields_no_result(group: str) -> None:
    report = report_for(f"{group}-valid.ttl")
    assert report.results == [], report.to_text()
    assert report.conforms


@pytest.mark.parametrize("group", sorted(EXPECTED))
def test_invalid_fixture_yields_exactly_the_expected_results(group: str) -> None:
    report = report_for(f"{group}-invalid.ttl")
    assert pairs(report) == EXPECTED[group], report.to_text()


@pytest.mark.parametrize("shape", sorted(SHAPE_GROUP))
def test_shape_fires_on_its_invalid_focus_nodes_only(shape: str) -> None:
    group = SHAPE_GROUP[shape]
    expected = {focus for s, focus in EXPECTED[group] if s == shape}
    fired = {focus for s, focus in pairs(report_for(f"{group}-invalid.ttl")) if s == shape}
    assert fired == expected
    valid = report_for(f"{group}-valid.ttl")
    assert not [r for r in valid.results if r.source_shape == PSISH + shape]


def test_every_shape_has_fixtures() -> None:
    assert result_producing_shapes() == set(SHAPE_GROUP)


@pytest.mark.parametrize("node", documented_nodes())
def test_every_shape_has_messages_article_and_severity(node: str) -> None:
    graph = shapes_graph()
    subject = next(s for s in graph.all_nodes() if str(s) == node)
    langs = {m.language for m in graph.objects(subject, SH.message) if isinstance(m, Literal)}
    assert {"fr", "en"} <= langs
    sources = [str(s) for s in graph.objects(subject, DCTERMS.source)]
    assert sources and all(DECREE_ARTICLE.fullmatch(s) for s in sources)
    assert graph.value(subject, SH.severity) in (SH.Violation, SH.Warning)
    holder = graph.value(None, SH.sparql, subject)
    if holder is not None:  # pyshacl reports the node shape's severity, so they must agree
        assert graph.value(subject, SH.severity) == graph.value(holder, SH.severity)


def test_sparql_result_carries_article_path_value_and_both_languages() -> None:
    (result,) = [
        r for r in report_for("art-17-invalid.ttl").results if r.focus_node == EX + "late-offer"
    ]
    assert result.source_shape == PSISH + "Art17LicenceOffer"
    assert result.article == article(17)
    assert result.path == "https://w3id.org/psikg/ontology#licenceOfferDate"
    assert result.value == "2024-04-01"
    assert result.constraint == str(SH.SPARQLConstraintComponent)
    assert set(result.message) == {"en", "fr"}  # pyshacl drops the tags; validate restores them
    assert result.text("fr").startswith("Offre de licence plus de trente jours")
    assert result.text("de") == result.message["en"]


def test_node_constraint_result_names_the_failing_value() -> None:
    report = report_for("art-10-invalid.ttl")
    (result,) = [r for r in report.results if r.focus_node == EX + "pdf-only"]
    assert result.severity == "Violation"
    assert result.article == article(10)
    assert result.path == "http://www.w3.org/ns/dcat#distribution"
    assert result.value == EX + "pdf-only-pdf"
    assert result.constraint == str(SH.NodeConstraintComponent)


def test_complex_path_is_rendered_as_sparql() -> None:
    report = report_for("art-11-invalid.ttl")
    result = next(r for r in report.results if r.focus_node == EX + "no-creation-date")
    assert result.path == "<http://purl.org/dc/terms/created>|<http://purl.org/dc/terms/issued>"


def test_warnings_alone_conform() -> None:
    data = load_fixture("art-11-invalid.ttl")
    dataset = URIRef(EX + "english-title")  # complete, but its title is only in English
    only_warning = Graph()
    for triple in data.triples((dataset, None, None)):
        only_warning.add(triple)
    only_warning.add((URIRef(EX + "platform"), RDF.type, PSI.Platform))
    only_warning.add(
        (URIRef(EX + "platform"), URIRef("http://www.w3.org/ns/dcat#dataset"), dataset)
    )
    report = validate(only_warning)
    assert report.results and not report.violations
    assert [r.severity for r in report.warnings] == ["Warning"]
    assert report.conforms


def test_to_text_names_the_article_in_french() -> None:
    report = report_for("art-14-invalid.ttl")
    text = report.to_text(lang="fr")
    assert len(text.splitlines()) == len(report.results) == 3
    assert article(14) in text
    assert "Avis de cessation sans date de décision (psi:decisionDate)" in text
    assert "Violation: " in text
    assert report_for("art-14-valid.ttl").to_text() == ""


def test_to_json_round_trips() -> None:
    report = report_for("art-18-invalid.ttl")
    payload = report.to_json()
    assert json.loads(json.dumps(payload)) == payload
    assert list(payload) == ["conforms", "violations", "warnings", "results"]
    assert payload["conforms"] is False
    assert payload["violations"] == len(report.violations)
    assert list(payload["results"][0]) == [
        "focus_node",
        "path",
        "value",
        "message",
        "severity",
        "source_shape",
        "article",
        "constraint",
    ]


def test_report_graph_is_the_shacl_report() -> None:
    report = report_for("art-02-invalid.ttl")
    graph = Graph().parse(data=report.to_turtle(), format="turtle")
    assert (None, RDF.type, SH.ValidationReport) in graph
    # sh:node failures nest their details (sh:detail); the report lists top-level results
    assert len(list(graph.objects(None, SH.result))) == len(report.results)
    assert report.to_graph() is report.graph


def test_data_graph_is_not_modified() -> None:
    data = load_fixture("art-10-invalid.ttl")
    before = len(data)
    validate(data)
    assert len(data) == before


def test_article_falls_back_to_the_node_shape(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "<urn:shape> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
        "  dct:source <https://example.org/art_1> ;\n"
        "  sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    data = Graph().parse(data="<urn:x> a <urn:C> .", format="turtle")
    (result,) = validate(data, [shapes], context=[]).results
    assert result.article == "https://example.org/art_1"
    assert result.focus_node == "urn:x"
    assert result.path == "urn:p"
    assert result.message and result.text()


def test_edited_shapes_are_reloaded(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    template = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:shape> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
        "  sh:property [ sh:path <urn:p> ; sh:minCount {n} ] .\n"
    )
    data = Graph().parse(data="<urn:x> a <urn:C> ; <urn:p> 1 .", format="turtle")
    shapes.write_text(template.format(n=1), encoding="utf-8")
    assert validate(data, [shapes], context=[]).conforms
    shapes.write_text(template.format(n=2), encoding="utf-8")
    stat = shapes.stat()
    os.utime(shapes, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not validate(data, [shapes], context=[]).conforms


def test_shapes_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e "x\n', encoding="utf-8")
    with pytest.raises(ShapesError) as caught:
        validate(Graph(), [bad], context=[])
    assert str(caught.value).startswith(f"{bad}:3:11: ")
    assert (caught.value.line, caught.value.column) == (3, 11)


def test_missing_context_file_is_a_shapes_error(tmp_path: Path) -> None:
    with pytest.raises(ShapesError, match="missing.ttl"):
        validate(Graph(), context=[tmp_path / "missing.ttl"])
