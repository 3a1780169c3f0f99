"""The canned queries as a REST API: an OpenAPI 3.1 document generated from the folder of
queries, and its documentation page.

Routes:

- ``GET /openapi.json``: one ``GET`` operation per query file (``operationId`` its name),
  its parameters with JSON Schemas from their types, enums, bounds and lists, and every
  media type it answers in; the list ``/queries`` too, the validation service
  (``/validate``, :mod:`endpoint.openapi_validate`) and every other public route
  (:mod:`endpoint.openapi_routes`, which names the routes left out and why);
- ``GET /api``: the document in Swagger UI (``swagger-ui-dist`` from npm, served from
  ``node_modules/`` like the other assets).

Nothing here is written by hand per query: a new ``.rq`` file is a new operation.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Response
from flask import json
from flask import render_template

from endpoint.i18n import page_language
from endpoint.i18n import query_page_words
from endpoint.openapi_parts import HTML
from endpoint.openapi_parts import LANG
from endpoint.openapi_parts import error_answer
from endpoint.openapi_routes import route_paths
from endpoint.openapi_validate import validate_paths
from endpoint.openapi_validate import validate_schemas
from endpoint.queries import lib_installed
from endpoint.queries import library
from graph.canned.downloads import MEDIA_TYPES
from graph.canned.model import LANGUAGES
from graph.canned.model import CannedQuery
from graph.canned.params import MAX_LIST
from graph.canned.params import Parameter
from graph.canned.params import pick

blueprint = Blueprint("openapi", __name__)



@blueprint.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document of the canned queries."""
    response = Response(json.dumps(document(library()), ensure_ascii=False) + "\n",
                        content_type="application/json; charset=utf-8")
    response.headers["Link"] = '</api>; rel="alternate"; type="text/html"'
    return response


@blueprint.get("/api")
def api_docs() -> Response:
    """The API's documentation page."""
    language = page_language()
    page = {"openapi": "/openapi.json", "language": language,
            "installed": lib_installed("swagger-ui-bundle.js"),
            "script": "/lib/swagger-ui-bundle.js", "stylesheet": "/lib/swagger-ui.css"}
    body = render_template("queries_api.html", page=page, t=query_page_words(language),
                           lang=language)
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Link"] = '</openapi.json>; rel="alternate"; type="application/json"'
    return response


def document(queries: dict[str, CannedQuery]) -> dict[str, Any]:
    """The OpenAPI document for ``queries``."""
    paths: dict[str, Any] = {"/queries": {"get": _list_operation()}}
    for query in queries.values():
        paths[f"/queries/{query.name}"] = {"get": operation(query)}
    paths.update(validate_paths())
    paths.update(route_paths())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "psikg canned queries",
            "version": "1",
            "description": (
                "Named, documented questions on the public sector information knowledge "
                "graph. Each query answers as an HTML page, SPARQL 1.1 JSON results, CSV "
                "(UTF-8 with a byte order mark; `delimiter=semicolon` for Excel), TSV or "
                "XLSX, chosen by `Accept`, `format=` or an extension (`/queries/NAME.csv`). "
                "The JSON page (`.json`) adds a `psikg` member (labels, paging, links); "
                "`.srj` or `format=srj` gives the bare SPARQL JSON results, as `/sparql` "
                "would, in one round trip to the engine. "
                "Paged answers carry `Link` headers (first, prev, next, and last when the "
                "total is counted). A value that does not fit is a 400 naming the parameter "
                "and the type it expects."),
        },
        "paths": paths,
        "components": {"schemas": {**_schemas(), **validate_schemas()}},
        "tags": [{"name": tag} for tag in sorted(
            {"validation", "linked data", "sparql", "service",
             *(t for q in queries.values() for t in q.tags)})],
    }


def operation(query: CannedQuery) -> dict[str, Any]:
    """One query as an OpenAPI operation."""
    parameters = [_parameter(p) for p in query.parameters]
    taken = {p.name for p in query.parameters}
    parameters += [control for name, control in _controls(query).items() if name not in taken]
    return {
        "operationId": query.name.replace("-", "_"),
        "summary": pick(query.title, "en"),
        "description": "\n\n".join(f"{lang}: {pick(query.description, lang)}"
                                   for lang in LANGUAGES),
        "tags": list(query.tags),
        "parameters": parameters,
        "responses": {
            "200": {
                "description": "one page of the answer",
                "headers": {"Link": {"description": "paging links (paged queries) and the "
                                                    "other forms of the answer",
                                     "schema": {"type": "string"}}},
                "content": {
                    "text/html": HTML,
                    MEDIA_TYPES["json"]: {"schema": {"$ref": "#/components/schemas/Results"}},
                    "text/csv": {"schema": {"type": "string"}},
                    "text/tab-separated-values": {"schema": {"type": "string"}},
                    MEDIA_TYPES["xlsx"]: {"schema": {"type": "string",
                                                     "contentMediaType": MEDIA_TYPES["xlsx"]}},
                },
            },
            "400": error_answer("a parameter value that does not fit (each one named in `errors`)",
                          html=True),
            "406": error_answer("none of the accepted media types is offered"),
            "503": error_answer("the query ran past the server's time limit, or the engine is "
                          "restarting"),
        },
    }


def schema(parameter: Parameter) -> dict[str, Any]:
    """The JSON Schema of one value of ``parameter``."""
    found: dict[str, Any]
    if parameter.choices:
        found = {"type": "string", "enum": [c.value for c in parameter.choices]}
    elif parameter.type in {"integer", "year"}:
        low, high = (1000, 9999) if parameter.type == "year" else (-(10**18) + 1, 10**18 - 1)
        found = {"type": "integer",
                 "minimum": int(parameter.minimum) if parameter.minimum else low,
                 "maximum": int(parameter.maximum) if parameter.maximum else high}
    elif parameter.type == "decimal":
        found = {"type": "string", "pattern": r"^[+-]?(\d{1,18}(\.\d{0,12})?|\.\d{1,12})$"}
    elif parameter.type == "date":
        found = {"type": "string", "anyOf": [{"format": "date"}, {"enum": ["today"]}]}
    elif parameter.type == "boolean":
        found = {"type": "boolean"}
    elif parameter.type == "iri":
        found = {"type": "string", "format": "iri"}
    else:
        found = {"type": "string", "minLength": 1 if parameter.required else 0,
                 "maxLength": parameter.max_length}
        if parameter.pattern:
            found["pattern"] = f"^(?:{parameter.pattern})$"
    if parameter.normalise == "kbo":
        found["description"] = "a Belgian enterprise number, e.g. 0208.979.372"
    return found


def _parameter(parameter: Parameter) -> dict[str, Any]:
    one = schema(parameter)
    data: dict[str, Any] = {
        "name": parameter.name, "in": "query", "required": parameter.required,
        "description": f"{pick(parameter.title, 'en')}: {parameter.expected()}",
        "schema": {"type": "array", "items": one, "maxItems": MAX_LIST}
        if parameter.is_list else one,
    }
    if parameter.is_list:
        data.update(style="form", explode=True)
    if not parameter.required:
        data["allowEmptyValue"] = True  # an empty form field means "no value"
    if parameter.default:
        data["schema"]["default"] = [_typed(one, d) for d in parameter.default] \
            if parameter.is_list else _typed(one, parameter.default[0])
    if parameter.example is not None:
        example = _typed(one, parameter.example)
        data["example"] = [example] if parameter.is_list else example
    return data


def _typed(one: dict[str, Any], value: str) -> Any:
    if one.get("type") == "integer" and value.lstrip("-").isdigit():
        return int(value)
    if one.get("type") == "boolean":
        return value == "true"
    return value


def _controls(query: CannedQuery) -> dict[str, dict[str, Any]]:
    controls: dict[str, dict[str, Any]] = {
        "format": {"name": "format", "in": "query", "required": False,
                   "description": "the answer's format, instead of Accept",
                   "schema": {"type": "string",
                              "enum": ["html", "json", "srj", "csv", "tsv", "xlsx"]}},
        "delimiter": {"name": "delimiter", "in": "query", "required": False,
                      "description": "CSV only: semicolon for Excel in Belgian locales",
                      "schema": {"type": "string", "enum": ["comma", "semicolon"]}},
        "lang": LANG,
    }
    if query.pagination is not None:
        controls["page"] = {"name": "page", "in": "query", "required": False,
                            "description": "page number, from 1",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000,
                                       "default": 1}}
        controls["page_size"] = {"name": "page_size", "in": "query", "required": False,
                                 "description": "rows per page",
                                 "schema": {"type": "integer", "minimum": 1,
                                            "maximum": query.pagination.max_page_size,
                                            "default": query.pagination.page_size}}
    for control in controls.values():
        control["allowEmptyValue"] = True  # an empty field is the default
    return controls


def _list_operation() -> dict[str, Any]:
    return {
        "operationId": "list_queries",
        "summary": "The canned queries",
        "parameters": [LANG],
        "responses": {"200": {"description": "the list", "content": {
            "text/html": HTML,
            "application/json": {"schema": {"type": "array",
                                            "items": {"$ref": "#/components/schemas/Query"}}},
        }}, "406": error_answer("none of the accepted media types is offered")},
    }


def _schemas() -> dict[str, Any]:
    term = {"type": "object", "required": ["type", "value"], "properties": {
        "type": {"enum": ["uri", "literal", "bnode"]}, "value": {"type": "string"},
        "datatype": {"type": "string"}, "xml:lang": {"type": "string"}}}
    return {
        "Results": {
            "description": "SPARQL 1.1 JSON results, with psikg's description of the page "
                           "(not in the bare .srj form)",
            "type": "object", "required": ["head", "results"],
            "properties": {
                "head": {"type": "object", "required": ["vars"],
                         "properties": {"vars": {"type": "array",
                                                 "items": {"type": "string"}}}},
                "results": {"type": "object", "required": ["bindings"], "properties": {
                    "bindings": {"type": "array", "items": {
                        "type": "object", "additionalProperties": term}}}},
                "psikg": {"type": "object"},
            },
        },
        "Query": {
            "type": "object", "required": ["name", "title", "parameters", "url"],
            "properties": {
                "name": {"type": "string"}, "title": {"type": "string"},
                "description": {"type": "string"}, "url": {"type": "string"},
                "query": {"type": "string"},
                "parameters": {"type": "array", "items": {
                    "type": "object", "required": ["name", "type"],
                    "properties": {"name": {"type": "string"}, "type": {"type": "string"},
                                   "required": {"type": "boolean"},
                                   "list": {"type": "boolean"}}}},
            },
        },
        "Error": {
            "type": "object", "required": ["ok", "error", "errors", "status"],
            "properties": {
                "ok": {"const": False}, "error": {"type": "string"},
                "status": {"type": "integer"},
                "errors": {"type": "array", "items": {
                    "type": "object", "required": ["type", "message"],
                    "properties": {"type": {"type": "string"},
                                   "message": {"type": "string"},
                                   "parameter": {"type": "string"},
                                   "expected": {}}}},
            },
        },
    }
