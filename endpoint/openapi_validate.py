"""``/validate`` in the OpenAPI document (:mod:`endpoint.openapi`): the validation service's
form and its report, with their parameters, bodies and answers.

Built from the values the service itself uses (its profiles, the RDF formats it reads, its
answers and error statuses), so that the document changes with it.
"""

from __future__ import annotations

from typing import Any

from endpoint.openapi_parts import HTML
from endpoint.openapi_parts import LANG
from endpoint.openapi_parts import error_answer
from graph.formats import FILE_FORMATS
from graph.formats import JSONLD
from graph.validation.profiles import PROFILES

PROFILE = {"type": "string", "enum": list(PROFILES), "default": PROFILES[0]}
SYNTAX = {"type": "string", "enum": [f.name for f in FILE_FORMATS]}
FORM_FIELDS = {
    "profile": {**PROFILE, "description": "the shapes to validate against"},
    "syntax": {**SYNTAX, "description": "the document's RDF syntax, when its media type or "
                                        "file name does not say it"},
    "url": {"type": "string", "description": "a document to fetch (public addresses only)"},
    "text": {"type": "string", "description": "the document itself, as text"},
}


def validate_paths() -> dict[str, Any]:
    """The ``/validate`` path item: ``GET`` (the form) and ``POST`` (a report)."""
    return {"/validate": {"get": _form(), "post": _report()}}


def _form() -> dict[str, Any]:
    return {
        "operationId": "validation_form",
        "summary": "The validation service's form, or its JSON twin",
        "description": "The profiles (and whether this server has their shapes), the RDF "
                       "syntaxes it reads, its size and time limits.",
        "tags": ["validation"],
        "parameters": [
            {"name": "format", "in": "query", "required": False, "allowEmptyValue": True,
             "description": "the answer's format, instead of Accept",
             "schema": {"type": "string", "enum": ["html", "json"]}},
            LANG],
        "responses": {
            "200": {"description": "the form", "content": {
                "text/html": HTML,
                "application/json": {"schema": {"$ref": "#/components/schemas/ValidationForm"}},
            }},
            "400": error_answer("a format= that is neither html nor json"),
            "406": error_answer("none of the accepted media types is offered"),
        },
    }


def _report() -> dict[str, Any]:
    document = {"schema": {"type": "string"}}
    fields = {"type": "object", "properties": {
        **FORM_FIELDS, "file": {"type": "string", "contentMediaType": "application/octet-stream",
                                "description": "the document, uploaded"}}}
    return {
        "operationId": "validate",
        "summary": "Validate a DCAT-AP or decree document; the SHACL report",
        "description": "Send the document as the body with its Content-Type, or as a form "
                       "with a `file`, a `url` or a `text` field. The report is a 200 "
                       "whether the document conforms or not: `conforms` says which. "
                       "Invalid RDF is a 400 naming line and column.",
        "tags": ["validation"],
        "parameters": [
            {"name": "profile", "in": "query", "required": False,
             "description": "the shapes to validate against (a form's own field wins)",
             "schema": PROFILE},
            LANG],
        "requestBody": {"required": True, "content": {
            **{f.media_type: document for f in FILE_FORMATS},
            # any JSON: the JSON-LD parser reads a bare string or number as an empty graph
            JSONLD.media_type: {"schema": {}},
            "multipart/form-data": {"schema": fields},
            "application/x-www-form-urlencoded": {"schema": {
                "type": "object", "properties": FORM_FIELDS}},
        }},
        "responses": {
            "200": {"description": "the report", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Report"}},
                "text/turtle": {"schema": {"type": "string",
                                           "description": "the sh:ValidationReport"}},
                "text/html": HTML,
            }},
            "400": error_answer("no document, a document that is not valid RDF, an unknown "
                          "profile or syntax, or a URL that may not be fetched", html=True),
            "406": error_answer("none of the accepted media types is offered"),
            "413": error_answer("the document is larger than this server validates", html=True),
            "415": error_answer("a Content-Type that is no RDF syntax", html=True),
            "501": error_answer("a URL, on a server that fetches none", html=True),
            "503": error_answer("the validation ran past the time limit, or the profile's shapes "
                          "are not installed", html=True),
        },
    }


def validate_schemas() -> dict[str, Any]:
    """The schemas of the form's JSON twin and of the report."""
    return {
        "ValidationForm": {
            "type": "object", "required": ["profiles", "formats", "max_mb", "timeout_s"],
            "properties": {
                "profiles": {"type": "array", "items": {
                    "type": "object", "required": ["name", "available"],
                    "properties": {"name": {"enum": list(PROFILES)},
                                   "label": {"type": "string"},
                                   "available": {"type": "boolean"}}}},
                "formats": {"type": "array", "items": {
                    "type": "object", "required": ["name", "media_type"],
                    "properties": {"name": {"type": "string"},
                                   "media_type": {"type": "string"}}}},
                "max_mb": {"type": "number"}, "timeout_s": {"type": "number"},
            },
        },
        "Report": {
            "type": "object", "required": ["conforms", "violations", "warnings", "results"],
            "properties": {
                "conforms": {"type": "boolean"},
                "violations": {"type": "integer", "minimum": 0},
                "warnings": {"type": "integer", "minimum": 0},
                "results": {"type": "array", "items": {"type": "object"}},
            },
        },
    }

