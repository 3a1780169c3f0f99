"""The one format registry (:mod:`graph.formats`): lookups by name, media type and extension."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from graph import formats
from graph.errors import UsageError


def test_a_media_type_finds_its_own_format_before_an_alias() -> None:
    assert formats.from_media_type("text/n3") is formats.N3
    assert formats.from_media_type("text/n3", formats.GRAPH_FORMATS) is formats.TURTLE
    json = "application/json"
    assert formats.from_media_type(json) is formats.JSON
    assert formats.from_media_type(json, formats.RESULT_FORMATS) is formats.SPARQL_JSON
    assert formats.from_media_type(json, formats.GRAPH_FORMATS) is formats.JSONLD


def test_media_type_parameters_and_case_are_ignored() -> None:
    assert formats.from_media_type("Text/CSV; charset=utf-8") is formats.CSV
    assert formats.from_media_type("application/x-unknown") is None


def test_an_extension_finds_a_file_format_with_or_without_its_dot() -> None:
    assert formats.from_extension(".TTL") is formats.TURTLE
    assert formats.from_extension("owl") is formats.RDFXML
    assert formats.from_extension("") is None
    assert formats.from_extension("xlsx") is None
    assert formats.from_extension("xlsx", formats.TABLE_FORMATS) is formats.XLSX


def test_a_name_finds_a_format_and_its_other_names_too() -> None:
    assert formats.from_name("TTL", formats.GRAPH_FORMATS) is formats.TURTLE
    assert formats.from_name("json", formats.RESULT_FORMATS) is formats.SPARQL_JSON
    assert formats.from_name("json", formats.GRAPH_FORMATS) is formats.JSONLD


def test_the_command_line_names_the_rdf_files_in_one_order() -> None:
    assert formats.names(formats.FILE_FORMATS) == [
        "turtle", "trig", "ntriples", "nquads", "rdfxml", "jsonld"]
    assert formats.rdf_format("TriG") == RdfFormat.TRIG
    with pytest.raises(UsageError, match="unknown RDF format"):
        formats.rdf_format("n3")


def test_a_file_format_is_told_by_its_extension_or_refused() -> None:
    assert formats.rdf_format_of(Path("a.nq")) == RdfFormat.N_QUADS
    with pytest.raises(UsageError) as refused:
        formats.rdf_format_of(Path("a.n3"))
    assert refused.value.expected == (
        "an extension among .json .jsonld .nq .nquads .nt .ntriples .owl .rdf .trig .ttl "
        ".turtle .xml or --format turtle|trig|ntriples|nquads|rdfxml|jsonld")


def test_datasets_are_held_by_trig_nquads_and_jsonld_only() -> None:
    assert [f.name for f in formats.FILE_FORMATS if f.holds_datasets] == [
        "trig", "nquads", "jsonld"]
    assert formats.holds_datasets(RdfFormat.JSON_LD)
    assert not formats.holds_datasets(RdfFormat.N3)


def test_every_rdf_and_results_format_has_its_w3c_iri() -> None:
    for fmt in (*formats.HARVEST_FORMATS, *formats.RESULT_FORMATS):
        assert fmt.iri.startswith("http://www.w3.org/ns/formats/"), fmt.name
    assert formats.XLSX.iri == formats.HTML.iri == ""


def test_names_are_unique_within_each_group() -> None:
    for group in (formats.FILE_FORMATS, formats.GRAPH_FORMATS, formats.RESULT_FORMATS,
                  formats.TABLE_FORMATS):
        names = [name for f in group for name in (f.name, *f.names)]
        assert len(names) == len(set(names))
