"""Linked-data pages: every IRI of the store, and every term of the vocabulary, dereferences.

Routes:

- ``GET /id/REST``: the resource ``{base_iri}REST``;
- ``GET /describe?iri=IRI``: any other IRI the store or the vocabulary knows (a harvested
  dataset, an EU authority-table concept);
- ``GET /code/REST``: the code list or concept ``https://w3id.org/psikg/code/REST``;
- ``GET /ontology``: the ontology's documentation for a browser, its RDF for the rest;
- ``GET /ontology.ttl``: the ontology's Turtle, as written.

Each resource answers, by ``Accept`` or ``?format=``: Turtle (what a client that does not
say gets), HTML for a browser (labels in the reader's language, ``?lang=`` to switch),
the page's JSON twin, JSON-LD, N-Triples and RDF/XML. An IRI nothing is known about is a
404. The description is read by :func:`endpoint.description.describe`.
"""

from __future__ import annotations

import time
from urllib.parse import quote
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint
from flask import Response
from flask import current_app
from flask import redirect
from flask import request
from flask import send_file
from werkzeug.wrappers import Response as AnyResponse

from endpoint.description import Description
from endpoint.description import describe
from endpoint.engine_source import EngineSource
from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.errors import not_found
from endpoint.i18n import page_language
from endpoint.pages import choose
from endpoint.pages import format_links
from endpoint.pages import language_links
from endpoint.pages import rdf_response
from endpoint.pages import render
from endpoint.quality_panel import quality_of
from endpoint.resource_page import OWL_SAME_AS
from endpoint.resource_page import Linker
from endpoint.resource_page import resource_page
from endpoint.state import state
from endpoint.vocabulary import Vocabulary
from endpoint.vocabulary import vocabulary
from graph.formats import HTML
from graph.formats import JSON
from graph.formats import JSONLD
from graph.formats import NTRIPLES
from graph.formats import RDFXML
from graph.formats import TURTLE
from graph.formats import Format
from graph.labels import Label
from graph.languages import LANGUAGES
from graph.languages import fallback_order
from graph.namespaces import CODE
from graph.namespaces import DISPLAY_PREFIXES
from graph.namespaces import LICENCE
from graph.settings import ONTOLOGY_DOCS_FILE
from graph.settings import ONTOLOGY_FILE

blueprint = Blueprint("resources", __name__)

RDF_FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)
RESOURCE_FORMATS = (TURTLE, HTML, JSON, *RDF_FORMATS[1:])
"""Turtle first: a client that names no type gets data; browsers ask for HTML."""
ONTOLOGY_FORMATS = (TURTLE, HTML, *RDF_FORMATS[1:])


@blueprint.get("/id/<path:rest>")
def by_path(rest: str) -> AnyResponse:
    """The resource ``{base_iri}{rest}``."""
    base = state().settings.base_iri
    return _resource(_path_iris("/id/", base, rest))


@blueprint.get("/describe")
def by_iri() -> AnyResponse:
    """Any IRI the store or the vocabulary knows, given as ``?iri=``."""
    iri = (request.args.get("iri") or "").strip()
    if not iri:
        raise bad_request("give the IRI to describe as ?iri=, e.g. "
                          f"/describe?iri={LICENCE}CC_BY_4_0", type="missing-iri")
    _checked(iri)
    return _resource([iri])


@blueprint.get("/code/<path:rest>")
def code(rest: str) -> AnyResponse:
    """A psikg code list or one of its concepts."""
    return _resource(_path_iris("/code/", CODE, rest))


@blueprint.get("/ontology")
def ontology() -> Response:
    """The ontology: pyLODE's documentation for a browser, RDF for the rest."""
    fmt = choose(ONTOLOGY_FORMATS)
    if fmt != HTML:
        return _ontology_rdf(fmt)
    if not ONTOLOGY_DOCS_FILE.is_file():
        raise HttpError(404, "the ontology's HTML documentation has not been generated; run "
                             "`make docs` (or `make setup`). Its Turtle is at /ontology.ttl",
                        "docs-missing")
    response = send_file(ONTOLOGY_DOCS_FILE, mimetype="text/html", max_age=0)
    response.headers["Link"] = '</ontology.ttl>; rel="alternate"; type="text/turtle"'
    response.headers["Vary"] = "Accept"
    return response


@blueprint.get("/ontology.ttl")
def ontology_turtle() -> Response:
    """The ontology's Turtle file as it is written, comments included."""
    return _ontology_rdf(TURTLE)


def _ontology_rdf(fmt: Format) -> Response:
    body: bytes | None
    if fmt == TURTLE:
        body = ONTOLOGY_FILE.read_bytes()
    else:
        assert fmt.rdf is not None
        body = ox.serialize(ox.parse(path=ONTOLOGY_FILE, format=ox.RdfFormat.TURTLE),
                            format=fmt.rdf, prefixes=DISPLAY_PREFIXES)
    response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = '</ontology>; rel="alternate"; type="text/html"'
    return response


def _checked(iri: str) -> ox.NamedNode:
    """``iri`` as a term, or a 400 saying it is not an IRI."""
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise bad_request(f"{iri!r} is not an IRI ({error}); give an absolute IRI such as "
                          "https://data.psikg.example/dataset/…", type="invalid-iri",
                          value=iri) from None


MAX_SLASH_GUESSES = 8
"""Slashes of a decoded ``/id/`` path whose raw form (``/`` or ``%2F``) is looked up."""
_PATH_SAFE = ":@!$&'()*+,;=-._~"
"""What a path segment keeps unencoded in an IRI."""
_KEY_SAFE = "-._~"
"""What a key minted by psikg keeps unencoded (``quote(key, safe="")``)."""


def _path_iris(prefix: str, base: str, rest: str) -> list[str]:
    """The IRIs a path under ``prefix`` may stand for, the likeliest first.

    A WSGI server hands the path over percent-decoded. When it also passes the raw request
    line (gunicorn's ``RAW_URI``) that is used as is. granian passes nothing of the kind
    (its WSGI environ has no raw path), so an IRI holding ``%2F`` (a minted key with a
    slash, ``budget-article/849%2F435-02``; a harvested source's local IRIs,
    ``harvest/https%3A%2F%2F…/dataset/x``) comes back with plain slashes: the decoded path
    is percent-encoded again, as a path and as psikg mints keys, with each of its first
    :data:`MAX_SLASH_GUESSES` slashes either kept or encoded (fewest encoded first), and
    :func:`_in_store` keeps those the store holds; the decoded path as it is (an IRI with
    non-ASCII letters) comes last.
    """
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        path = raw.split("?", 1)[0]
        if path.startswith(prefix):
            return [base + path[len(prefix):]]
    segments = rest.split("/")
    guessed = min(len(segments) - 1, MAX_SLASH_GUESSES)
    masks = sorted(range(1 << guessed), key=lambda m: (m.bit_count(), m))
    candidates = []
    for safe in (_PATH_SAFE, _KEY_SAFE):
        parts = [quote(segment, safe=safe) for segment in segments]
        for mask in masks:
            joined = parts[0]
            for index, part in enumerate(parts[1:]):
                joined += ("%2F" if index < guessed and mask >> index & 1 else "/") + part
            candidates.append(base + joined)
    candidates.append(base + rest)
    return list(dict.fromkeys(candidates))


def _in_store(source: EngineSource, candidates: list[str]) -> list[str]:
    """The candidates the store holds as a subject or object, in their order; all of them
    when there is only one (the vocabulary may know it)."""
    valid = []
    for iri in candidates:
        try:
            valid.append(ox.NamedNode(iri).value)
        except ValueError:
            continue
    if len(valid) <= 1:
        return valid
    values = " ".join(f"<{iri}>" for iri in valid)
    found = {solution["c"].value for solution in source.query(
        f"SELECT DISTINCT ?c WHERE {{ VALUES ?c {{ {values} }} "
        "GRAPH ?g { { ?c ?p ?o } UNION { ?s ?q ?c } } }")}
    return [iri for iri in valid if iri in found] or valid[:1]


def _resource(candidates: list[str]) -> AnyResponse:
    fmt = choose(RESOURCE_FORMATS)
    current = state()
    vocab = vocabulary(current_app)
    source = EngineSource(current, time.monotonic() + current.settings.timeout_s)
    found: Description | None = None
    for iri in _in_store(source, candidates):
        try:
            ox.NamedNode(iri)
        except ValueError:
            continue
        found = describe(source, vocab, iri, current.settings.base_iri)
        if found.found:
            break
    if found is None or not found.found:
        shown = candidates[0] if candidates else "(none)"
        raise not_found(f"nothing is known about <{shown}> here: no statement in the store or "
                        "the vocabulary has it as subject or object", type="unknown-resource")
    alias = _published_as(found)
    if alias is not None:
        linker = Linker(current.settings.base_iri, vocab, (), {})
        target = linker.href(alias)
        extra = {key: value for key, value in request.args.items() if key != "iri"}
        if extra:
            target += ("&" if "?" in target else "?") + urlencode(extra)
        return redirect(target, code=303)
    if fmt.rdf is not None:
        return rdf_response(found.triples(), fmt, DISPLAY_PREFIXES)
    language = page_language()
    linker = reader_linker(current.settings.base_iri, vocab, language, found.labels)
    page = resource_page(found, linker)
    page["quality"] = quality_of(source, found.iri, language)
    page["language"] = language
    page["languages"] = language_links(language)
    page["formats"] = format_links((JSON, *RDF_FORMATS))
    page["referenced_by_query"] = "/?" + urlencode({"query": _references_query(found.iri)})
    return render("resource.html", page, fmt, language, alternates=(JSON, *RDF_FORMATS))


def _published_as(found: Description) -> str | None:
    """The IRI psikg gave a harvested resource that was published as ``found.iri``.

    Harvesting gives every dataset, distribution and catalog an IRI under the base and
    records the original with ``owl:sameAs``; the original's only statement is that one.
    Its page is then the page of psikg's IRI (a 303, as for any other description).
    """
    if any(s.subject.value == found.iri for s in found.statements):
        return None
    aliases = {s.subject.value for s in found.references
               if s.predicate.value == OWL_SAME_AS and isinstance(s.subject, ox.NamedNode)}
    return aliases.pop() if len(aliases) == 1 else None


def _references_query(iri: str) -> str:
    """A query listing everything that points to ``iri``, for the editor."""
    return (f"SELECT ?resource ?property ?graph WHERE {{\n"
            f"  GRAPH ?graph {{ ?resource ?property {ox.NamedNode(iri)} }}\n}}\nLIMIT 1000")


def reader_linker(base_iri: str, vocab: Vocabulary, language: str,
                  labels: dict[str, list[Label]]) -> Linker:
    """The links and labels of a page for this reader: the page language first, then the
    languages the reader accepts; ``?lang=`` carried along when the reader chose it."""
    asked = request.args.get("lang")
    return Linker(base_iri, vocab,
                  fallback_order(language, [tag for tag, _ in request.accept_languages]),
                  labels, asked if asked in LANGUAGES else None)
