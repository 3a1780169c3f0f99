"""Content negotiation, one test per edge case, named after it (no server needed)."""

from __future__ import annotations

import pytest

from endpoint.errors import HttpError
from endpoint.negotiation import negotiate
from graph.formats import GRAPH_FORMATS
from graph.formats import RESULT_FORMATS


def name(accept: str | None, offers: tuple = RESULT_FORMATS, fmt: str | None = None) -> str:
    return negotiate(accept, offers, format_param=fmt).name


def test_no_accept_header_gets_the_default() -> None:
    assert name(None) == "json"
    assert name(None, GRAPH_FORMATS) == "turtle"


def test_empty_accept_header_gets_the_default() -> None:
    assert name("  ") == "json"


def test_accept_star_gets_the_default() -> None:
    assert name("*/*") == "json"
    assert name("*/*", GRAPH_FORMATS) == "turtle"


def test_accept_type_wildcard_gets_the_first_offer_of_that_type() -> None:
    assert name("text/*") == "csv"
    assert name("application/*", GRAPH_FORMATS) == "ntriples"


def test_higher_q_wins_over_order() -> None:
    assert name("application/sparql-results+json;q=0.2, text/csv") == "csv"


def test_equal_q_keeps_the_client_order() -> None:
    assert name("text/tab-separated-values, text/csv") == "tsv"


def test_q_zero_refuses_a_type_even_under_a_wildcard() -> None:
    assert name("application/sparql-results+json;q=0, */*") == "xml"


def test_aliases_are_understood() -> None:
    assert name("application/json") == "json"
    assert name("application/xml") == "xml"
    assert name("application/json", GRAPH_FORMATS) == "jsonld"
    assert name("text/plain", GRAPH_FORMATS) == "ntriples"


def test_parameters_on_media_types_are_ignored() -> None:
    assert name("text/csv; charset=utf-8") == "csv"


def test_browser_accept_header_gets_the_default() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert name(browser, GRAPH_FORMATS) == "rdfxml"
    assert name(browser) == "xml"


def test_nothing_acceptable_is_406_listing_the_offers() -> None:
    with pytest.raises(HttpError) as raised:
        name("image/png")
    assert raised.value.status == 406
    assert "text/csv" in raised.value.message


def test_malformed_range_is_dropped_and_the_rest_is_read() -> None:
    assert name("csv") == "json"
    assert name("csv, text/tab-separated-values") == "tsv"
    assert name("text/, /csv, text/csv") == "csv"


def test_malformed_q_value_is_dropped() -> None:
    assert name("text/csv;q=high") == "json"
    assert name("text/csv;q=high, application/sparql-results+xml") == "xml"
    assert name("text/csv;q=7") == "json"


def test_java_lone_star_is_any_type() -> None:
    java = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"
    assert name(java) == "json"
    assert name(java, GRAPH_FORMATS) == "turtle"
    assert name("*", GRAPH_FORMATS) == "turtle"


def test_format_parameter_overrides_accept() -> None:
    assert name("text/csv", fmt="tsv") == "tsv"


def test_format_parameter_takes_media_types_and_other_names() -> None:
    assert name(None, fmt="text/csv") == "csv"
    assert name(None, GRAPH_FORMATS, fmt="n3") == "turtle"
    assert name(None, GRAPH_FORMATS, fmt="xml") == "rdfxml"


@pytest.mark.parametrize(("value", "offers", "expected"), [
    ("rdf+xml", GRAPH_FORMATS, "rdfxml"), ("rdf xml", GRAPH_FORMATS, "rdfxml"),
    ("xml", GRAPH_FORMATS, "rdfxml"), ("rdf", GRAPH_FORMATS, "rdfxml"),
    ("application/rdf+xml", GRAPH_FORMATS, "rdfxml"),
    ("application/rdf xml", GRAPH_FORMATS, "rdfxml"),
    ("json-ld", GRAPH_FORMATS, "jsonld"), ("json", GRAPH_FORMATS, "jsonld"),
    ("application/ld+json", GRAPH_FORMATS, "jsonld"),
    ("turtle", GRAPH_FORMATS, "turtle"), ("ttl", GRAPH_FORMATS, "turtle"),
    ("n3", GRAPH_FORMATS, "turtle"), ("text/n3", GRAPH_FORMATS, "turtle"),
    ("nt", GRAPH_FORMATS, "ntriples"), ("n-triples", GRAPH_FORMATS, "ntriples"),
    ("application/n-triples", GRAPH_FORMATS, "ntriples"),
    ("nq", GRAPH_FORMATS, "nquads"), ("trig", GRAPH_FORMATS, "trig"),
    ("xml", RESULT_FORMATS, "xml"), ("json", RESULT_FORMATS, "json"),
    ("csv", RESULT_FORMATS, "csv"), ("tsv", RESULT_FORMATS, "tsv"),
    ("application/sparql-results+json", RESULT_FORMATS, "json"),
    ("application/sparql-results+xml", RESULT_FORMATS, "xml"),
    ("text/csv; charset=utf-8", RESULT_FORMATS, "csv"),
    ("TSV", RESULT_FORMATS, "tsv"),
])
def test_format_parameter_takes_the_spellings_clients_send(value: str, offers: tuple,
                                                           expected: str) -> None:
    assert name(None, offers, value) == expected


def test_format_parameter_of_the_wrong_kind_falls_back_to_accept() -> None:
    assert name(None, GRAPH_FORMATS, fmt="csv") == "turtle"
    assert name("application/n-triples", GRAPH_FORMATS, fmt="csv") == "ntriples"


def test_unknown_format_parameter_falls_back_to_accept() -> None:
    assert name(None, fmt="yaml") == "json"
    assert name("text/csv", fmt="yaml") == "csv"


def test_the_first_format_parameter_that_names_an_offer_wins() -> None:
    assert negotiate("text/csv", RESULT_FORMATS, format_param=["yaml", "tsv", "xml"]).name == "tsv"
    assert negotiate(None, GRAPH_FORMATS, format_param=["csv", "rdf+xml"]).name == "rdfxml"


def test_nothing_acceptable_after_an_unknown_format_is_still_406() -> None:
    with pytest.raises(HttpError) as raised:
        name("image/png", fmt="yaml")
    assert raised.value.status == 406


def test_a_strict_api_refuses_a_format_of_the_wrong_kind_with_406() -> None:
    with pytest.raises(HttpError) as raised:
        negotiate(None, GRAPH_FORMATS, format_param="csv", strict=True)
    assert raised.value.status == 406


def test_a_strict_api_refuses_an_unknown_format_with_400() -> None:
    with pytest.raises(HttpError) as raised:
        negotiate("text/csv", RESULT_FORMATS, format_param=["yaml"], strict=True)
    assert raised.value.status == 400
    assert negotiate(None, RESULT_FORMATS, format_param="csv", strict=True).name == "csv"
