"""``/compliance``: which public body meets which obligation of the decree.

Routes:

- ``GET|HEAD /compliance``: every public body, its status (``met``, ``violated``,
  ``not-applicable``) and violations for each obligating article, from the latest
  validation of each graph of its data, with its MQA band and decree score; HTML for a
  browser, the JSON twin by ``Accept`` or ``format=json``, the CSV or XLSX table by
  ``Accept`` or ``format=csv``, ``format=xlsx``;
- ``GET|HEAD /compliance?body=IRI``: one body: its statuses, its open violations by
  article (each linked to the node's page) and its history, one point per validation;
- ``GET|HEAD /compliance.json``, ``.html``, ``.csv``, ``.xlsx``: the same, in that form
  (``body=`` too; CSV with ``delimiter=semicolon`` for Excel in Belgian locales).

The page is :func:`graph.compliance.view.overview` (or ``body_view``), read through the
query engine under the request's deadline; the body's IRI is bound as a term.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request

from endpoint import negotiation
from endpoint.errors import bad_request
from endpoint.i18n import page_language
from endpoint.pages import PAGE_FORMATS
from endpoint.pages import language_links
from endpoint.pages import render
from endpoint.query_downloads import asked_delimiter
from endpoint.query_labels import EngineExecutor
from endpoint.resources import reader_linker
from endpoint.state import state
from endpoint.vocabulary import vocabulary
from graph.canned.downloads import download
from graph.compliance.table import as_result
from graph.compliance.view import body_view
from graph.compliance.view import overview
from graph.formats import CSV
from graph.formats import HTML
from graph.formats import JSON
from graph.formats import XLSX
from graph.formats import Format
from graph.namespaces import meta_graph
from graph.words import COMPLIANCE
from graph.words import QUALITY
from graph.words import words

blueprint = Blueprint("compliance", __name__)

EXTENSIONS = {"html": HTML, "json": JSON, "csv": CSV, "xlsx": XLSX}


@blueprint.route("/compliance", methods=["GET", "HEAD"])
def compliance() -> Response:
    """The dashboard (or one body's page) in the negotiated form: HTML or JSON."""
    return answer(negotiation.for_request((*PAGE_FORMATS, CSV, XLSX)))


@blueprint.route("/compliance.<extension>", methods=["GET", "HEAD"])
def compliance_file(extension: str) -> Response:
    """The dashboard in the form its extension names."""
    if extension not in EXTENSIONS:
        raise bad_request(f"no compliance dashboard in .{extension}; use one of "
                          + ", ".join(f".{e}" for e in EXTENSIONS),
                          type="unknown-format", value=extension)
    return answer(EXTENSIONS[extension])


def answer(fmt: Format) -> Response:
    """The page in ``fmt``: built once, then rendered, serialised or written as a table."""
    current = state()
    language = page_language()
    body = request.args.get("body")
    delimiter = asked_delimiter() if fmt == CSV else ","
    executor = EngineExecutor(current)
    meta, base = meta_graph(current.settings.base_iri), current.settings.base_iri
    if body is None:
        page = overview(executor, meta, base, language)
    else:
        page = body_view(executor, meta, base, language, body.strip())
    if fmt in (CSV, XLSX):
        return _download(page, fmt, delimiter, language)
    page["language"] = language
    page["languages"] = language_links(language)
    page["links"] = _links(body)
    linker = reader_linker(base, vocabulary(current_app), language, {})
    for entry in page["bodies"]:
        entry["href"] = "/compliance?" + urlencode({"body": entry["iri"]})
        entry["page"] = linker.href(entry["iri"])
    for finding in page.get("findings", ()):
        finding["href"] = linker.href(finding["focus"]) if "://" in finding["focus"] else None
    return render("compliance.html", page, fmt, language,
                  more_words={**words(QUALITY, language), **words(COMPLIANCE, language)})


def _links(body: str | None) -> dict[str, str]:
    """The page's other forms, each keeping ``body`` and ``lang``."""
    kept = {k: v for k, v in (("body", body), ("lang", request.args.get("lang"))) if v}
    query = f"?{urlencode(kept)}" if kept else ""
    return {name: f"/compliance.{name}{query}" for name in ("json", "csv", "xlsx")} | {
        "all": "/compliance" + (f"?{urlencode({'lang': kept['lang']})}" if "lang" in kept
                                else "")}


def _download(page: dict[str, Any], fmt: Format, delimiter: str, language: str) -> Response:
    result = as_result(page, language)
    name = "csv-semicolon" if fmt == CSV and delimiter == ";" else fmt.name
    names = {entry["iri"]: entry["name"] for entry in page["bodies"]}
    response = Response(download(result, name, language, names),
                        content_type=("text/csv; charset=utf-8; header=present" if fmt == CSV
                                      else fmt.content_type))
    response.headers["Content-Disposition"] = f'attachment; filename="compliance.{fmt.name}"'
    response.headers["Content-Language"] = language
    return response
