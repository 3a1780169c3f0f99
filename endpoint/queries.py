"""Canned queries on the web: the files of ``queries/`` as pages, downloads and a REST API.

Routes:

- ``GET /queries``: the list, in the reader's language (``?lang=`` fr/nl/de/en or
  ``Accept-Language``); ``/queries.json`` (or ``Accept: application/json``) is its JSON
  twin, a list of :meth:`~graph.canned.model.CannedQuery.summary` objects with ``url``,
  ``query`` (the SPARQL with its defaults bound, which the query UI offers as examples)
  and ``sparql`` (the file's text);
- ``GET /queries/NAME``: a form for the parameters, the page of results as a table with
  labels for IRIs, the chart, download links. The same dict is the page's JSON twin, a
  SPARQL 1.1 JSON results document with a ``psikg`` member: ``/queries/NAME.json`` or
  ``Accept: application/sparql-results+json`` (``application/json`` too);
- ``GET /queries/NAME.srj`` (or ``format=srj``): the bare SPARQL JSON results, no
  ``psikg`` member, sent as lean as ``/sparql`` sends them (:mod:`endpoint.query_bare`);
- downloads by extension or ``Accept``: ``.csv`` (UTF-8 with a byte order mark;
  ``?delimiter=semicolon`` for ``;``), ``.tsv`` (SPARQL TSV), ``.xlsx``, ``.json``;
- ``GET /lib/NAME``: a file of :data:`LIB`, read from ``node_modules/`` (Chart.js, the
  API viewer).

Parameters are URL arguments named as in the file's header (repeat one for several
values of a list parameter); ``page`` and ``page_size`` page the answer, and every answer
of a paged query sends ``Link`` headers (``first``, ``prev``, ``next``, and ``last`` when the
total is counted) that keep the other arguments. ``format``, ``delimiter`` and ``lang`` are
the page's own arguments, except that a query with a parameter called ``lang`` gets it.
A value that does not fit is a 400 naming the parameter and its expected type: the form
with the errors marked for a browser, ``{ok: false, error, errors, status}`` for the rest.

Whether the aggregates are fresh is kept between writes (:mod:`graph.budget.freshness`):
this blueprint counts every request that may write (any method but GET, HEAD and OPTIONS,
except a POST of an ``application/sparql-query`` body) in the server's run folder, before
the request is handled and after it is over, whichever view handles it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import json
from flask import render_template
from flask import request
from flask import send_from_directory
from flask.blueprints import BlueprintSetupState

from endpoint import negotiation
from endpoint.errors import HttpError
from endpoint.errors import not_found
from endpoint.i18n import page_language
from endpoint.i18n import query_page_words
from endpoint.query_bare import bare_results
from endpoint.query_downloads import asked_delimiter
from endpoint.query_downloads import download_response
from endpoint.query_labels import EngineExecutor
from endpoint.query_labels import suggestions
from endpoint.state import state
from endpoint.ui import node_modules
from graph.budget.freshness import Freshness
from graph.canned.binding import bind
from graph.canned.chart import chart_data
from graph.canned.display import Shown
from graph.canned.display import shown
from graph.canned.downloads import MEDIA_TYPES
from graph.canned.downloads import sparql_json
from graph.canned.library import load_library
from graph.canned.model import CannedQuery
from graph.canned.params import Parameter
from graph.canned.params import ParameterError
from graph.canned.run import Result
from graph.canned.run import execute
from graph.canned.run import plan
from graph.canned.run import result_summary
from graph.formats import CSV
from graph.formats import HTML
from graph.formats import JSON
from graph.formats import SPARQL_JSON
from graph.formats import TSV
from graph.formats import XLSX
from graph.formats import Format
from graph.labels import labels
from graph.labels import names
from graph.languages import LANGUAGES
from graph.languages import fallback_order
from graph.remote.store import UNION_MAX_AGE_S
from graph.settings import QUERIES_DIR
from graph.words import LANGUAGE_NAMES
from graph.write_count import KeptBetweenWrites
from graph.write_count import WriteCounter

blueprint = Blueprint("queries", __name__)

BARE = dataclasses.replace(SPARQL_JSON, name="srj", aliases=())
"""Bare SPARQL JSON results: asked by extension or ``format=srj`` only, since ``Accept``
of that media type gets the JSON page (which is SPARQL JSON results too)."""
QUERY_FORMATS = (HTML, SPARQL_JSON, CSV, TSV, XLSX)
"""What ``/queries/NAME`` answers in, the page first (what ``*/*`` gets)."""
LIST_FORMATS = (HTML, JSON)
DOWNLOADS = ("csv", "tsv", "xlsx", "json")
CONTROLS = ("format", "delimiter", "page", "page_size", "lang")
"""URL arguments that are not query parameters (``lang`` is one where a query has it)."""
LIB: dict[str, str] = {
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}
"""``/lib/NAME`` → its path under ``node_modules/`` (installed by ``npm ci``)."""


@blueprint.get("/queries")
def query_list() -> Response:
    """The canned queries, as a page or a JSON list."""
    return _list(_choose(LIST_FORMATS))


@blueprint.get("/queries.json")
def query_list_json() -> Response:
    return _list(JSON)


@blueprint.get("/queries/<name>")
def query_page(name: str) -> Response:
    """One canned query: its form and page of results, or a download (``NAME.EXT``)."""
    name, dot, extension = name.partition(".")
    query = library().get(name)
    if query is None:
        raise not_found(f"no canned query {name!r}; the list is at /queries",
                        type="unknown-query")
    if dot:
        fmt = next((f for f in (*QUERY_FORMATS, BARE)
                    if f.name == extension and f.name != "html"), None)
        if fmt is None:
            raise not_found(f"no download .{extension}; use one of "
                            + ", ".join("." + d for d in (*DOWNLOADS, BARE.name)),
                            type="unknown-format")
    elif request.args.get("format") == BARE.name:
        fmt = BARE
    else:
        fmt = _choose(QUERY_FORMATS)
    return _answer(query, fmt)


@blueprint.get("/lib/<name>")
def lib(name: str) -> Response:
    """One file of an installed npm package the query pages and API docs use."""
    if name not in LIB:
        raise not_found(f"no library file {name!r}; they are " + ", ".join(sorted(LIB)),
                        type="unknown-asset")
    if not (node_modules() / LIB[name]).is_file():
        raise HttpError(404, f"{name} is not installed; run `make setup` (or `npm ci`) at "
                             "the project's root", "assets-missing")
    return send_from_directory(node_modules(), LIB[name], max_age=3600)


# --- the library -----------------------------------------------------------------------


def library() -> dict[str, CannedQuery]:
    """The canned queries of this app, read when it was created."""
    found: dict[str, CannedQuery] = current_app.extensions["psikg-queries"]
    return found


@blueprint.record_once
def _read_library(setup: BlueprintSetupState) -> None:
    # A bad query file stops the app here, naming the file and line, never on a request.
    setup.app.extensions["psikg-queries"] = load_library(QUERIES_DIR)
    run_dir = setup.app.extensions["psikg"].settings.run_dir
    writes = WriteCounter(run_dir) if run_dir is not None else None
    # In front of an engine psikg does not run, commands with --engine-url write it without
    # this server's count (a graph dropped there would leave its aggregates read as fresh):
    # an answer is kept as long as the store's list of graphs is (UNION_MAX_AGE_S).
    max_age_s = UNION_MAX_AGE_S if setup.app.extensions["psikg"].settings.remote_engine \
        else None
    setup.app.extensions["psikg-freshness"] = Freshness(writes, max_age_s)
    setup.app.extensions["psikg-suggestions"] = KeptBetweenWrites(writes, max_age_s)


def freshness() -> Freshness:
    """Whether this app's aggregates are fresh, kept between writes when it can be."""
    found: Freshness = current_app.extensions["psikg-freshness"]
    return found


def _may_write() -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    return not (request.method == "POST" and request.path == "/sparql"
                and request.mimetype == "application/sparql-query")


@blueprint.before_app_request
def _count_write_begun() -> None:
    writes = freshness().writes
    if writes is not None and _may_write():
        writes.begin()  # before the store sees it; if this fails the write is not sent
        g.psikg_write_counted = True


@blueprint.teardown_app_request
def _count_write_ended(error: BaseException | None) -> None:
    writes = freshness().writes
    if writes is not None and g.pop("psikg_write_counted", False):
        writes.end()


def lib_installed(name: str) -> bool:
    return (node_modules() / LIB[name]).is_file()


# --- the list --------------------------------------------------------------------------


def query_entries(language: str) -> list[dict[str, Any]]:
    """The list of queries as ``/queries.json`` gives it."""
    entries = []
    for query in library().values():
        entry = query.summary(language)
        defaults = {p.name: p.terms([]) for p in query.parameters if p.default}
        entry["url"] = f"/queries/{query.name}"
        entry["query"] = bind(query.query.text, query.query.shape, defaults)
        entry["sparql"] = query.query.text
        entries.append(entry)
    return entries


def _list(fmt: Format) -> Response:
    language = page_language()
    entries = query_entries(language)
    if fmt != HTML:
        return _json(entries, JSON.content_type, language, html=_url("/queries", format=None))
    page = {"queries": entries, "language": language, "languages": _languages(language),
            "links": {"json": "/queries.json", "openapi": "/openapi.json", "api": "/api"}}
    return _html("queries.html", page, language, "/queries.json")


# --- one query -------------------------------------------------------------------------


def _answer(query: CannedQuery, fmt: Format) -> Response:
    language = page_language()
    raw = _raw_values(query)
    _single_controls()
    delimiter = asked_delimiter()
    executor = EngineExecutor(state())
    try:
        chosen = plan(query, executor, raw, request.args.get("page"),
                      request.args.get("page_size"), fresh=freshness())
        if fmt == BARE:
            response, read = bare_results(chosen, executor)
            return _with_paging(response, query, read)
        result = execute(chosen, executor)
    except ParameterError as error:
        problems = error.details.get("errors") or [error.as_dict()]
        if fmt != HTML:
            raise HttpError(400, error.one_line(), error.type, problems) from None
        page = _page(query, None, raw, language, executor, problems, form=True)
        return _html("queries_query.html", page, language, _download_url(query, "json"), status=400)
    if fmt == HTML:
        page = _page(query, result, raw, language, executor, [], form=True)
        response = _html("queries_query.html", page, language, _download_url(query, "json"))
    elif fmt == SPARQL_JSON:
        page = _page(query, result, raw, language, executor, [], form=False)
        response = _json(page, fmt.content_type, language,
                         html=_url(f"/queries/{query.name}", format=None, delimiter=None))
    else:
        response = download_response(query, result, fmt, delimiter, language, executor)
    return _with_paging(response, query, result)


def _with_paging(response: Response, query: CannedQuery, result: Result | None) -> Response:
    links = _paging_links(query, result) if result is not None else {}
    if links:
        existing = response.headers.get("Link")
        paging = ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links.items())
        response.headers["Link"] = f"{existing}, {paging}" if existing else paging
    return response


def _page(query: CannedQuery, result: Result | None, raw: dict[str, list[str]],
          language: str, executor: EngineExecutor, problems: list[dict[str, Any]],
          form: bool) -> dict[str, Any]:
    """The page of a query: SPARQL JSON results plus a ``psikg`` member that describes the
    query, the values, the paging, labels for the IRIs and where to go next.

    :param form: whether the page shows the form, whose fields offer the values of their
        ``values_query`` (``suggestions``); an answer without the form does not run them.
    """
    order = fallback_order(language, request.accept_languages.values())
    summary = query.summary(language)
    for parameter, described in zip(query.parameters, summary["parameters"], strict=True):
        given = raw.get(parameter.name) or list(parameter.default)
        described["given"] = [value for value in given if value != ""]
        offered = _suggestions(query, parameter, order, executor) if form else []
        if offered:
            described["suggestions"] = offered
    base = f"/queries/{query.name}"
    found: dict[str, str] = labels(executor, result.rows, order) if result is not None else {}
    named = names(result.rows, found, state().settings.base_iri) if result else {}
    data: dict[str, Any] = sparql_json(result) if result is not None else {
        "head": {"vars": list(query.variables)}, "results": {"bindings": []}}
    titles = {v: query.column_title(v, language) for v in query.variables}
    data["psikg"] = {
        "query": summary,
        "values": {name: values for name, values in raw.items()},
        "paging": result_summary(result) if result is not None else None,
        "labels": found,
        "names": named,
        "chart": chart_data(query.chart, result, named, titles, query.kinds)
        if result is not None and query.chart is not None else None,
        "errors": problems,
        "links": {"html": _url(base, format=None, delimiter=None),
                  **(_paging_links(query, result) if result is not None else {}),
                  "list": "/queries", "openapi": "/openapi.json", "api": "/api"},
        "downloads": [{"name": name, "media_type": MEDIA_TYPES[name],
                       "href": _download_url(query, name)} for name in DOWNLOADS]
        + [{"name": "csv-semicolon", "media_type": MEDIA_TYPES["csv"],
            "href": _download_url(query, "csv", delimiter="semicolon")}],
        "sparql": result.sparql if result is not None else query.query.text,
        "chart_script": "/lib/chart.umd.min.js" if lib_installed("chart.umd.min.js") else None,
        "language": language,
        "languages": _languages(language),
    }
    return data


def _suggestions(query: CannedQuery, parameter: Parameter, order: Sequence[str],
                 executor: EngineExecutor) -> list[dict[str, Any]]:
    """The values a form field offers, asked once per store generation and reader's
    languages."""
    if parameter.values_query is None:
        return []
    kept: KeptBetweenWrites[tuple[str, str, tuple[str, ...]], list[dict[str, Any]]] = \
        current_app.extensions["psikg-suggestions"]
    return kept.get((query.name, parameter.name, tuple(order)),
                    lambda: suggestions(executor, parameter, order))


@blueprint.app_template_filter("shown")
def shown_cell(cell: dict[str, str], kind: str | None, language: str) -> Shown:
    """A literal of a SPARQL JSON binding as the table shows it in ``language``
    (:func:`graph.canned.display.shown`)."""
    return shown(cell["value"], cell.get("datatype"), kind, language)


def _raw_values(query: CannedQuery) -> dict[str, list[str]]:
    """The query's parameter values from the URL (every argument but the page's own)."""
    own = {"lang"} if query.parameter("lang") is not None else set()
    return {key: request.args.getlist(key) for key in request.args
            if key not in CONTROLS or key in own}


def _single_controls() -> None:
    """A 400 for a page argument given twice (``page=1&page=2``)."""
    for name in ("format", "delimiter", "page", "page_size"):
        if len(request.args.getlist(name)) > 1:
            raise HttpError(400, f"parameter {name!r} takes one value", "invalid-parameter",
                            [{"type": "invalid-parameter", "parameter": name,
                              "message": f"parameter {name!r} takes one value"}])


def _paging_links(query: CannedQuery, result: Result) -> dict[str, str]:
    """``first``, ``prev``, ``next`` and ``last`` (when counted) for this answer's URL."""
    if query.pagination is None:
        return {}
    links = {"first": _url(request.path, page="1")}
    if result.page > 1:
        previous = result.page - 1
        if result.last_page is not None:
            previous = min(previous, result.last_page)
        links["prev"] = _url(request.path, page=str(previous))
    if result.has_next:
        links["next"] = _url(request.path, page=str(result.page + 1))
    if result.last_page is not None:
        links["last"] = _url(request.path, page=str(result.last_page))
    return links


def _download_url(query: CannedQuery, extension: str, **changes: str | None) -> str:
    return _url(f"/queries/{query.name}.{extension}", format=None,
                **{"delimiter": None, **changes})


# --- answers ---------------------------------------------------------------------------


def _choose(offers: Sequence[Format]) -> Format:
    # strict: the OpenAPI document lists the formats, and a client of it expects a 400
    return negotiation.for_request(offers, strict=True)


def _url(path: str, **changes: str | None) -> str:
    """``path`` with this request's arguments, every value kept, ``changes`` applied
    (``None`` removes an argument)."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key not in changes]
    args += [(key, value) for key, value in changes.items() if value is not None]
    return path + (f"?{urlencode(args)}" if args else "")


def _languages(current: str) -> list[dict[str, Any]]:
    return [{"code": code, "name": LANGUAGE_NAMES[code], "current": code == current,
             "href": _url(request.path, lang=code, format=None)} for code in LANGUAGES]


def _html(template: str, page: dict[str, Any], language: str, alternate: str,
          status: int = 200) -> Response:
    body = render_template(template, page=page, t=query_page_words(language), lang=language)
    response = Response(body, status=status, content_type=HTML.content_type)
    response.headers["Link"] = f'<{alternate}>; rel="alternate"; type="application/json"'
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Content-Language"] = language
    return response


def _json(data: Any, content_type: str, language: str, html: str) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False) + "\n", content_type=content_type)
    response.headers["Link"] = f'<{html}>; rel="alternate"; type="text/html"'
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Content-Language"] = language
    return response
