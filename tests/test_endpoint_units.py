"""The pieces of the endpoint that need no server: row counting and cutting, settings,
SERVICE detection and the error shape."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from endpoint import results
from endpoint.errors import HttpError
from graph.errors import UsageError
from graph.formats import CSV
from graph.formats import SPARQL_JSON
from graph.formats import SPARQL_XML
from graph.formats import TSV
from graph.formats import Format
from graph.settings import Settings
from graph.settings import resolve
from graph.sparql_service import refused_endpoints

ROWS = [(f"http://example.org/{i}", f'line {i}\nwith "quotes", commas') for i in range(10)]
BRACES = [(f"http://example.org/{i}", '"},{"' * i) for i in range(10)]
"""Values that hold the JSON row boundary ``},{``: the cheap bound overshoots."""


def serialized(fmt: ox.QueryResultsFormat, rows: list[tuple[str, str]] = ROWS) -> bytes:
    store = ox.Store()
    for s, o in rows:
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode("http://example.org/p"), ox.Literal(o)))
    solutions = store.query("SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s")
    data: bytes = solutions.serialize(format=fmt)
    return data


def chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


def held_as_the_endpoint_does(target: Format, limit: int, size: int,
                              rows: list[tuple[str, str]]) -> tuple[results.Held, int]:
    """Hold the answer as :mod:`endpoint.sparql` does, asking again when told to; the
    held result and how many times the engine was asked."""
    for asked, again in enumerate((False, True), start=1):
        source = results.engine_format(target, limit, again)
        assert source.results is not None
        held = results.hold(chunked(serialized(source.results, rows), size), target, limit,
                            source)
        if held is not None:
            return held, asked
    raise AssertionError("held neither time")


@pytest.mark.parametrize("size", [1, 3, 7, 64, 100_000])
@pytest.mark.parametrize("limit", [1, 4, 9, 10, 11])
@pytest.mark.parametrize("target", [TSV, CSV, SPARQL_XML, SPARQL_JSON], ids=lambda f: f.name)
@pytest.mark.parametrize("rows", [ROWS, BRACES], ids=["quotes", "braces"])
def test_rows_are_cut_at_the_limit_whatever_the_chunking(target: Format, limit: int,
                                                         size: int,
                                                         rows: list[tuple[str, str]]) -> None:
    held, asked = held_as_the_endpoint_does(target, limit, size, rows)
    body = b"".join(held.chunks())
    assert held.truncated is (limit < len(rows))
    expected = min(limit, len(rows))
    if target == SPARQL_JSON:  # verbatim when surely under the limit, else asked again
        assert asked == (1 if limit >= len(rows) and rows is ROWS else 2)
        assert held.rows == (None if asked == 1 else expected)
    else:
        assert asked == 1 and held.rows == expected
    if target == CSV:
        import csv
        import io

        text = body.decode()
        assert len(list(csv.reader(io.StringIO(text, newline="")))) == expected + 1
        return
    assert target.results is not None
    parsed = list(ox.parse_query_results(body, format=target.results))
    assert [s["s"].value for s in parsed] == [s for s, _ in rows[:expected]]
    assert [s["o"].value for s in parsed] == [o for _, o in rows[:expected]]
    if target == SPARQL_JSON:
        assert json.loads(body).get("psikg", {}).get("truncated", False) is held.truncated


def test_settings_resolve_file_then_options_then_environment(tmp_path: Path) -> None:
    config = tmp_path / "psikg.toml"
    config.write_text('[serve]\nport = 9000\ntimeout_s = 5\ncors_origins = ["https://a"]\n')
    settings = resolve({"port": 9100, "workers": None}, config,
                       {"PSIKG_TIMEOUT_S": "7", "PSIKG_SERVICE_ALLOW": "https://x/,https://y/"})
    assert settings.port == 9100
    assert settings.timeout_s == 7.0
    assert settings.cors_origins == ("https://a",)
    assert settings.service_allow == ("https://x/", "https://y/")
    assert settings.workers == Settings().workers


def test_settings_defaults_are_safe() -> None:
    settings = Settings()
    assert settings.host == "127.0.0.1"
    assert settings.update_token_file is None and settings.cors_origins == ()
    assert settings.service_allow == () and settings.max_rows > 0 and settings.timeout_s > 0


def test_unknown_setting_in_the_file_is_named(tmp_path: Path) -> None:
    config = tmp_path / "psikg.toml"
    config.write_text("timeout = 5\n")
    with pytest.raises(UsageError, match="timeout"):
        resolve({}, config, {})


def test_settings_round_trip_through_json() -> None:
    settings = Settings(store=Path("/s"), cors_origins=("https://a",), max_rows=3)
    assert Settings.from_json(settings.to_json()) == settings


def test_short_token_is_refused(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("short\n")
    with pytest.raises(UsageError, match="16 characters"):
        Settings(update_token_file=token).read_update_token()


def test_service_in_a_comment_or_string_is_not_a_service() -> None:
    query = 'SELECT * { ?s ?p "SERVICE <http://x/>" } # SERVICE <http://y/>'
    assert refused_endpoints(query, ()) == []


def test_relative_service_iri_is_refused() -> None:
    assert refused_endpoints("SELECT * { SERVICE <sparql> {} }", ("http://",)) == ["sparql"]


def test_error_body_has_the_house_shape() -> None:
    body = HttpError(400, "bad", "bad-request").body()
    assert body == {"ok": False, "error": "bad", "errors": [{"type": "bad-request",
                                                             "message": "bad"}], "status": 400}


def test_escaped_service_iri_is_read_as_the_engine_reads_it() -> None:
    # The engine decodes \u escapes in IRIs (not in keywords): the allow-list reads the IRI
    # it will call, and the refusal names it.
    allowed = ("https://a.example/",)
    assert refused_endpoints(r"SELECT * { SERVICE <https://a.ex\u0061mple/q> {} }",
                             allowed) == []
    assert refused_endpoints(r"PREFIX e: <https://b.ex\u0061mple/> "
                             r"SELECT * { SERVICE e:q {} }", allowed) == ["https://b.example/q"]
    assert refused_endpoints(r"SELECT * { SERV\u0049CE <https://b.example/> {} }",
                             allowed) == []  # not a keyword for the engine either: a 400
