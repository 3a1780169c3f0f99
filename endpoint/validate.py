"""``/validate``: the validation service, for publishers and their CI pipelines (as the ITB
validator is for data.europa.eu).

Routes:

- ``GET|HEAD /validate``: the form (HTML), or its JSON twin: the profiles, which of them
  this server has, and the limits;
- ``POST /validate?profile=decree|dcat-ap|hvd|all``: validate a document, sent as the
  body with its ``Content-Type`` (``text/turtle``, ``application/rdf+xml``,
  ``application/ld+json``…), or as a form (``multipart/form-data`` or urlencoded) with a
  ``file``, a ``url`` or a ``text`` field, and ``profile`` and ``syntax`` (an RDF format's
  name, when the file's type or name does not say it) fields. The
  answer is the report: ``Accept: application/json`` (the default)
  ``{"conforms", "violations", "warnings", "results": [...]}``, ``text/turtle`` the SHACL
  ``sh:ValidationReport``, ``text/html`` the report page, its results grouped by article of
  the decree or by shape, in the reader's language (``?lang=``, ``Accept-Language``).

Limits: the document is read through ``validate_max_mb`` (413 beyond), and validated in a
child process stopped after ``validate_timeout_s`` (503): :mod:`graph.validation.bounded`.
Invalid RDF is a 400 naming line and column. The report is 200 whether the document
conforms or not: ``conforms`` says which.

A URL is fetched through the fetch hook (``EndpointState.fetch_document``) that the
composition root gives the app: the command line plugs in the one fetch policy of
``loaders.http_fetch`` (no private address unless ``allow_private_addresses``, size and time
limits, every redirect checked); a private address is refused in the web user's words, in
their language (the policy's own message names the command line's options). The endpoint
never imports ``loaders``
(``tests/test_architecture.py``), and an app built without the hook answers a URL with 501.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import quote

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import json
from flask import request
from werkzeug.datastructures import MultiDict

from endpoint import negotiation
from endpoint.body import read_body
from endpoint.body import read_form
from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.errors import from_psikg
from endpoint.errors import payload_too_large
from endpoint.i18n import page_language
from endpoint.pages import PAGE_FORMATS
from endpoint.pages import language_links
from endpoint.pages import render
from endpoint.state import EndpointState
from endpoint.state import state
from endpoint.validate_page import form_page
from endpoint.validate_page import report_page
from graph.errors import PsikgError
from graph.formats import HTML
from graph.formats import JSON
from graph.formats import TURTLE
from graph.validation.bounded import ValidationWorkers
from graph.validation.documents import Document
from graph.validation.documents import document_format
from graph.validation.documents import document_triples
from graph.validation.explained import report_json
from graph.validation.profiles import PROFILES
from graph.validation.profiles import ProfileName
from graph.validation.report import ValidationReport
from graph.words import VALIDATION
from graph.words import word
from graph.words import words

blueprint = Blueprint("validate", __name__)

ANSWERS = (JSON, TURTLE, HTML)
"""What ``POST /validate`` answers: JSON for a client that says nothing (``*/*``)."""
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_STATUS = {"profile-unavailable": 503, "validation-timeout": 503, "validation-crashed": 503,
           "too-large": 413, "unsupported-media-type": 415, "no-fetcher": 501}
"""The status of a validation's errors that are not the client's bad input (400)."""


@blueprint.route("/validate", methods=["GET", "HEAD"])
def validate_form() -> Response:
    """The form, or its JSON twin."""
    language = page_language()
    page = {**form_page(state().settings, language), "languages": language_links(language)}
    # strict: the OpenAPI document lists the formats, and a client of it expects a 400
    fmt = negotiation.for_request(PAGE_FORMATS, strict=True)
    return render("validate.html", page, fmt, language, more_words=words(VALIDATION, language))


@blueprint.route("/validate", methods=["POST"])
def validate() -> Response:
    """Validate the document the request sends or names; the report as asked."""
    current = state()
    language = page_language()
    answer = negotiation.for_request(ANSWERS)
    fields: MultiDict[str, str] = MultiDict()
    try:
        document, fields = _document(current)
        profile = _profile(fields)
        triples = document_triples(document)
        report = _workers().validate(triples, document.base_iri, profile,
                                     current.settings.dcat_ap_shapes,
                                     current.settings.validate_timeout_s)
    except (PsikgError, HttpError) as error:
        failure = error if isinstance(error, HttpError) else as_http_error(error)
        if answer != HTML:
            raise failure from None
        return _form_again(current, language, fields, failure)
    if answer == TURTLE:
        return Response(report.to_turtle(), content_type=TURTLE.content_type)
    if answer == JSON:
        return Response(_json(report, language), content_type=JSON.content_type)
    page = {**form_page(current.settings, language, fields),
            "languages": language_links(language),
            "report": report_page(report, language, document.label, profile, len(triples))}
    return render("validate.html", page, HTML, language, more_words=words(VALIDATION, language))


def as_http_error(error: PsikgError) -> HttpError:
    """A validation's error as an answer: 400 for bad input, the statuses of
    :data:`_STATUS` for the others."""
    if error.type in _STATUS:
        failure = from_psikg(error)
        failure.status = _STATUS[error.type]
        if failure.status == 503:
            failure.headers["Retry-After"] = "1"
        return failure
    return from_psikg(error)


def _json(report: ValidationReport, language: str) -> str:
    return json.dumps(report_json(report, language), ensure_ascii=False) + "\n"


def _workers() -> ValidationWorkers:
    """The app's validating children (:mod:`graph.validation.bounded`)."""
    found: ValidationWorkers = current_app.extensions.setdefault(
        "psikg-validation", ValidationWorkers())
    return found


def _document(current: EndpointState) -> tuple[Document, MultiDict[str, str]]:
    """The document the request sends (body, file or text) or names (url), and the form's
    fields (the query string's for a body).

    :raises HttpError: 413 past the limit, 400 if nothing is sent.
    :raises PsikgError: if the URL may not or cannot be fetched, or the format is unknown.
    """
    limit = current.settings.validate_max_bytes
    mimetype = request.mimetype
    if mimetype not in FORM_TYPES:
        body = read_body(limit)
        if not body.strip():
            raise bad_request("send the document as the body, or a form with a file, a url "
                              "or a text field", type="no-document")
        fmt = document_format(mimetype)
        return Document(body, fmt, "request body", "urn:psikg:validate:body"), request.args
    fields = _form_fields(limit)
    upload = request.files.get("file") if mimetype == FORM_TYPES[0] else None
    format_name = fields.get("syntax") or None
    if upload is not None and upload.filename:
        data = upload.stream.read(limit + 1)
        if len(data) > limit:
            raise payload_too_large(limit)
        fmt = document_format(upload.mimetype, upload.filename, format_name)
        return Document(data, fmt, upload.filename,
                        "urn:psikg:validate:" + quote(upload.filename)), fields
    if fields.get("url", "").strip():
        return _fetched(current, fields["url"].strip(), limit, format_name), fields
    text = fields.get("text", "")
    if not text.strip():
        raise bad_request("give a file, a url or a text to validate", type="no-document")
    fmt = document_format(None, None, format_name)
    return Document(text.encode("utf-8"), fmt, "text", "urn:psikg:validate:text"), fields


def _form_fields(limit: int) -> MultiDict[str, str]:
    """The fields of a form, with the query string's beneath them."""
    if request.mimetype == FORM_TYPES[1]:
        fields = read_form(limit + (1 << 16))  # room for the other fields
    else:
        if (request.content_length or 0) > limit + (1 << 20):
            raise payload_too_large(limit)
        fields = MultiDict(request.form)
    merged: MultiDict[str, str] = MultiDict(request.args)
    for key in fields:
        merged.setlist(key, fields.getlist(key))
    return merged


def _fetched(current: EndpointState, url: str, limit: int, format_name: str | None
             ) -> Document:
    if current.fetch_document is None:
        raise PsikgError("this server fetches no URL: it was built without a fetcher; send "
                         "the document itself", type="no-fetcher", value=url)
    try:
        document = current.fetch_document(url, limit)
    except PsikgError as error:
        if error.type != "private-address":
            raise
        # the fetch policy's own message names the command line's options and settings,
        # which a web user does not have
        text = word(VALIDATION, "private_address", page_language())
        raise dataclasses.replace(error, message=text.format(address=error.value),
                                  expected=None) from None
    if format_name:
        return Document(document.body, document_format(None, None, format_name),
                        document.label, document.base_iri)
    return document


def _profile(fields: MultiDict[str, str]) -> ProfileName:
    """The ``profile`` asked (the decree's by default).

    :raises HttpError: 400 naming the profiles if it is none of them."""
    asked = fields.get("profile") or request.args.get("profile") or PROFILES[0]
    for profile in PROFILES:
        if asked == profile:
            return profile
    raise bad_request(f"unknown profile {asked!r}; profiles: {', '.join(PROFILES)}",
                      type="unknown-profile", value=asked, expected=list(PROFILES))


def _form_again(current: EndpointState, language: str, fields: MultiDict[str, str],
                failure: HttpError) -> Response:
    """The form with the error above it and what was typed kept."""
    page: dict[str, Any] = {**form_page(current.settings, language, fields),
                            "languages": language_links(language),
                            "error": failure.body()}
    return render("validate.html", page, HTML, language, status=failure.status,
                  more_words=words(VALIDATION, language))
