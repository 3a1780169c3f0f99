"""The query UI: YASGUI on ``/`` (and on ``GET /sparql`` for a browser), the browser assets
it needs, and the HTML error page.

Routes:

- ``GET /``: YASGUI with the endpoint set to ``/sparql``, the ontology's prefixes filled in,
  and an example query for each kind of user; ``?format=json`` (or ``Accept:
  application/json``) gives the same page as JSON. Without scripts, or without the assets,
  a plain form posts to ``/sparql``;
- ``GET /assets/NAME``: a file of :data:`ASSETS`, read from ``node_modules/``.

YASGUI comes from the npm registry (``package.json`` and ``package-lock.json``;
``make setup`` runs ``npm ci``) and is served from ``node_modules/``: none of its code is in
the repository. When it is missing, the page says which command installs it and the API
works as before. The page's script also reads ``/queries.json`` when that answers, and
adds the canned queries to the examples.

Installing the blueprint plugs two views into :class:`endpoint.state.EndpointState`: the UI
as the HTML of ``GET /sparql`` and the error page for browsers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import render_template
from flask import request
from flask import send_from_directory
from flask.blueprints import BlueprintSetupState

from endpoint.errors import HttpError
from endpoint.errors import not_found
from endpoint.i18n import message
from endpoint.i18n import messages
from endpoint.i18n import page_language
from endpoint.pages import PAGE_FORMATS
from endpoint.pages import choose
from endpoint.pages import language_links
from endpoint.pages import render
from endpoint.state import EndpointState
from endpoint.ui_examples import default_query
from endpoint.ui_examples import examples
from graph.formats import JSON
from graph.namespaces import PREFIXES
from graph.settings import NODE_MODULES_DIR

blueprint = Blueprint("ui", __name__)


ASSETS: dict[str, str] = {
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.js.map": "@zazuko/yasgui/build/yasgui.min.js.map",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
}
"""``/assets/NAME`` → its path under ``node_modules/``. Only these files are served; a page
that needs another installed library adds a line here."""

QUERIES_JSON = "/queries.json"
"""Where the UI looks for canned queries to offer as examples: a JSON list, or an object
with a ``queries`` list, of objects with ``name``, ``title`` (a string or one per
language) and ``query`` (or ``sparql``) keys."""


@blueprint.get("/")
def index() -> Response:
    """The query UI, or its JSON twin."""
    return _ui(choose(PAGE_FORMATS))


@blueprint.get("/assets/<name>")
def asset(name: str) -> Response:
    """One file of an installed npm package."""
    if name not in ASSETS:
        raise not_found(f"no asset {name!r}; the assets are " + ", ".join(sorted(ASSETS)),
                        type="unknown-asset")
    if not (node_modules() / ASSETS[name]).is_file():
        raise HttpError(404, f"{name} is not installed; run `make setup` (or `npm ci`) at "
                             "the project's root", "assets-missing")
    return send_from_directory(node_modules(), ASSETS[name], max_age=3600)


def node_modules() -> Path:
    """The ``node_modules`` folder of this app: :data:`graph.settings.NODE_MODULES_DIR`, unless
    the app's config points ``PSIKG_NODE_MODULES`` elsewhere."""
    return Path(current_app.config.get("PSIKG_NODE_MODULES") or NODE_MODULES_DIR)


def assets_installed() -> bool:
    return all((node_modules() / ASSETS[name]).is_file()
               for name in ("yasgui.min.js", "yasgui.min.css"))


def ui_page(language: str) -> dict[str, Any]:
    """The dict of the UI page: what YASGUI is configured with, and where to go next."""
    installed = assets_installed()
    return {
        "endpoint": "/sparql",
        "prefixes": PREFIXES,
        "default_query": default_query(),
        "query": request.args.get("query") or default_query(),
        "examples": examples(language),
        "queries_url": QUERIES_JSON,
        "assets": {"installed": installed,
                   "script": "/assets/yasgui.min.js", "stylesheet": "/assets/yasgui.min.css",
                   "install": None if installed else message("assets_missing", language)},
        "links": {
            "service_description": "/sparql?format=turtle",
            "void": "/void",
            "catalog": "/catalog",
            "ontology": "/ontology",
            "health": "/health",
        },
        "language": language,
        "languages": language_links(language),
    }


def _ui(fmt: Any) -> Response:
    language = page_language()
    return render("ui.html", ui_page(language), fmt, language, alternates=(JSON,))


def _sparql_html() -> Response:
    """What ``GET /sparql`` without a query shows a browser: the same UI."""
    from graph.formats import HTML

    return _ui(HTML)


def error_page(error: HttpError) -> Response:
    """An error as a page for browsers, from the same values as the JSON error body."""
    language = page_language()
    body = render_template("error.html", page=error.body(), t=messages(language),
                           lang=language)
    return Response(body, status=error.status, content_type="text/html; charset=utf-8")


@blueprint.record_once
def _plug_in(setup: BlueprintSetupState) -> None:
    current = setup.app.extensions["psikg"]
    assert isinstance(current, EndpointState)
    current.html_views["sparql"] = _sparql_html
    current.html_error = error_page
