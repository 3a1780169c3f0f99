"""The public routes beside the canned queries and ``/validate`` in the OpenAPI document
(:mod:`endpoint.openapi`): the SPARQL endpoint, the Graph Store's reads, the linked-data
pages, the catalog, the compliance dashboard, the service's own pages.

Each is listed with its parameters and the media types it answers in, taken from the
tuples of formats the routes negotiate with, so that the document changes with them. What
a route's answer holds is specified elsewhere (SPARQL 1.1, DCAT-AP 3, VoID), so a body's
schema is a string or an object. :data:`NOT_IN_API` names the routes left out and why; a
test checks that every route of the app is in one or the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from endpoint.openapi_parts import LANG
from endpoint.openapi_parts import error_answer
from graph.formats import CSV
from graph.formats import DATASET_FORMATS
from graph.formats import GRAPH_FORMATS
from graph.formats import HTML
from graph.formats import JSON
from graph.formats import RESULT_FORMATS
from graph.formats import XLSX
from graph.formats import Format

NOT_IN_API = {
    "/admin": "the operators' page, behind the update token",
    "/admin.json": "the operators' page, behind the update token",
    "/backup": "an operator's command, behind the update token",
    "/loads": "the command line's loads through a running server, behind the update token",
    "/loads/{run}": "the command line's loads through a running server",
    "/loads/{run}/commit": "the command line's loads through a running server",
    "/loads/{run}/data": "the command line's loads through a running server",
    "/loads/{run}/graphs": "the command line's loads through a running server",
    "/loads/validation": "the command line's loads through a running server",
    "/assets/{name}": "the pages' scripts and styles",
    "/lib/{name}": "the pages' scripts and styles, from npm",
    "/static/{filename}": "the pages' scripts and styles",
}
"""Routes that are not in the document, and why: files, and operations behind the token
(the Graph Store's writes are, too: see :data:`TOKEN_METHODS`)."""
TOKEN_METHODS = {"/store": ("post", "put", "delete")}
"""Methods of a documented path left out: writes, behind the update token."""
RDF = tuple(f for f in GRAPH_FORMATS if f not in DATASET_FORMATS)
PAGE = (HTML, JSON)
TEXT = {"type": "string"}
FORMAT = {"name": "format", "in": "query", "required": False,
          "description": "the answer's format (its name), instead of Accept", "schema": TEXT}


def route_paths() -> dict[str, Any]:
    """The path items of the routes this module documents."""
    return {
        "/": {"get": _read("home", "The query editor (YASGUI) and the endpoint's links",
                           PAGE, [LANG])},
        "/sparql": {"get": _sparql("get"), "post": _sparql("post")},
        "/store": {"get": _read(
            "read_graph", "One graph (`graph=`), the default graph (`default`), or the "
            "whole store (neither) — SPARQL 1.1 Graph Store Protocol",
            (*RDF, *DATASET_FORMATS), [_query("graph", "the graph's IRI"),
                                       _query("default", "the default graph (no value)")],
            errors={"404": "no such graph"})},
        "/id/{rest}": {"get": _resource("resource", "A resource under the base IRI")},
        "/code/{rest}": {"get": _resource("code", "A code list or one of its concepts")},
        "/describe": {"get": _resource("describe", "Any resource, by its IRI",
                                       [_query("iri", "the resource's IRI", required=True)])},
        "/ontology": {"get": _read("ontology", "The decree ontology, documented",
                                   (*RDF, HTML), [LANG])},
        "/ontology.ttl": {"get": _read("ontology_turtle", "The decree ontology in Turtle",
                                       RDF[:1], [])},
        "/void": {"get": _read("void", "The VoID description of the store and its graphs",
                               (*RDF, HTML, JSON), [LANG, _query(
                                   "detail", "`full` adds classes and properties")])},
        "/catalog": {"get": _read("catalog", "The platform's DCAT-AP 3 catalog (Art. 4), "
                                  "paged; the page people search", (*RDF, *PAGE), [
                                      _query("q", "words to search"), _query("sort", "order"),
                                      _query("page", "page number, from 1"),
                                      _query("modified_since", "a date"), LANG])},
        "/catalog.{extension}": {"get": _read(
            "catalog_file", "The catalog in the format of the extension", (*RDF, *PAGE),
            [_path("extension", [f.extension for f in (*RDF, *PAGE)])],
            errors={"404": "no such extension"})},
        "/compliance": {"get": _read("compliance", "Compliance with the decree, per public "
                                     "body and article", (*PAGE, CSV, XLSX), [
                                         _query("body", "one body's page (its IRI)"), LANG])},
        "/compliance.{extension}": {"get": _read(
            "compliance_file", "The dashboard in the format of the extension",
            (*PAGE, CSV, XLSX), [_path("extension", ["html", "json", "csv", "xlsx"])],
            errors={"404": "no such extension"})},
        "/queries.json": {"get": _read("list_queries_json", "The canned queries, as JSON",
                                       (JSON,), [LANG])},
        "/openapi.json": {"get": _read("openapi", "This document", (JSON,), [])},
        "/api": {"get": _read("api_docs", "This document in Swagger UI", (HTML,), [LANG])},
        "/health": {"get": _read("health", "Whether the server and its engine answer",
                                 (JSON,), [], errors={"503": "the engine does not answer"})},
        "/metrics": {"get": {
            "operationId": "metrics", "summary": "Prometheus metrics", "tags": ["service"],
            "parameters": [_query("kind", "one kind of metric only")],
            "responses": {"200": {"description": "the metrics",
                                  "content": {"text/plain": {"schema": TEXT}}}}}},
    }


def _read(operation: str, summary: str, formats: Sequence[Format],
          parameters: list[dict[str, Any]], errors: dict[str, str] | None = None
          ) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": summary, "content": _content(formats)}}
    responses["400"] = error_answer("a parameter that does not fit")
    responses["406"] = error_answer("none of the accepted media types is offered")
    responses.update({status: error_answer(text) for status, text in (errors or {}).items()})
    return {"operationId": operation, "summary": summary, "tags": ["linked data"],
            "parameters": [*parameters, *([FORMAT] if len(formats) > 1 else [])],
            "responses": responses}


def _resource(operation: str, summary: str, extra: list[dict[str, Any]] | None = None
              ) -> dict[str, Any]:
    path = [] if extra else [_path("rest", None)]
    return _read(operation, summary, (*RDF, *PAGE), [*path, *(extra or []), LANG],
                 errors={"404": "nothing is said of it here"})


def _sparql(method: str) -> dict[str, Any]:
    body = {"requestBody": {"content": {
        "application/sparql-query": {"schema": TEXT},
        "application/x-www-form-urlencoded": {"schema": {
            "type": "object", "properties": {"query": TEXT, "update": TEXT}}}}}
    } if method == "post" else {}
    parameters = [] if method == "post" else [_query("query", "the SPARQL query")]
    parameters += [_query("default-graph-uri", "a graph of the default graph"),
                   _query("named-graph-uri", "a named graph of the dataset")]
    return {
        "operationId": f"sparql_{method}",
        "summary": "SPARQL 1.1 Protocol: a query (an update by POST, behind the update token)",
        "tags": ["sparql"], "parameters": parameters, **body,
        "responses": {
            "200": {"description": "the results", "content": _content(
                (*RESULT_FORMATS, *GRAPH_FORMATS, HTML))},
            "204": {"description": "an update was applied"},
            "400": error_answer("a query that does not parse, or a bad parameter"),
            "401": error_answer("an update without the token"),
            "406": error_answer("none of the accepted media types is offered"),
            "503": error_answer("the query ran past the time limit"),
        },
    }


def _content(formats: Iterable[Format]) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for fmt in formats:
        content[fmt.media_type] = {"schema": {"type": ["object", "array"]} if fmt == JSON
                                   else TEXT}
    return content


def _query(name: str, description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": TEXT}


def _path(name: str, values: list[str] | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "enum": values} if values else TEXT
    return {"name": name, "in": "path", "required": True, "schema": schema}
