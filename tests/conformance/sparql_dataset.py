"""A W3C test's dataset in psikg: how its files are loaded, and how its query names them.

psikg's default graph is the union of its graphs, its metadata graph (load provenance)
included, so it cannot be a test's default graph as such. Every data file is therefore
loaded once, through psikg's own load (stage, then commit), as a graph named by the
file's IRI in the suite; each query then names its dataset the SPARQL way: ``FROM`` each
``qt:data`` file (their merge is the default graph) and ``FROM NAMED`` each ``qt:graphData``
file — added to the query's text, or sent as ``default-graph-uri`` and ``named-graph-uri``
to ``/sparql`` (the protocol's own way, which overrides a query's ``FROM``). A test with no
data queries :data:`EMPTY_GRAPH`, a graph psikg never holds. A query that names its own
dataset keeps it. Every query is read on its file's IRI (``BASE``), as the suite means.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.formats import rdf_format_of
from graph.sources import Source
from graph.sparql_text import blank
from graph.sparql_text import closing_brace
from graph.sparql_text import has_dataset_clause
from tests.conformance.sparql_manifest import EvalCase
from tests.conformance.sparql_manifest import path_of

EMPTY_GRAPH = "urn:psikg:conformance:empty"
"""The default graph of a test without ``qt:data``: psikg never writes it."""

_FORM = re.compile(r"(?<![\w:?$])(SELECT|CONSTRUCT|ASK|DESCRIBE)(?![\w:])", re.IGNORECASE)
_BASE = re.compile(r"(?<![\w:?$])BASE(?![\w:])", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)


def sources(shared: Path, cases: list[EvalCase]) -> list[Source]:
    """Every file the cases load, once, as a psikg source named by its suite IRI."""
    files = sorted({iri for case in cases for iri in case.files})
    return [Source(origin=iri, fmt=rdf_format_of(path_of(shared, iri)),
                   path=path_of(shared, iri), default_graph=iri) for iri in files]


def dataset_position(text: str) -> int:
    """Where a dataset clause goes: before the query's ``WHERE`` (or its group pattern),
    after a CONSTRUCT template.

    :raises ValueError: if the text has no query form or no pattern.
    """
    masked = blank(text)
    form = _FORM.search(masked)
    if form is None:
        raise ValueError("no SELECT, CONSTRUCT, ASK or DESCRIBE")
    index = form.end()
    if form.group(1).upper() == "CONSTRUCT":
        index = len(masked) - len(masked[index:].lstrip())
        if masked.startswith("{", index):
            index = closing_brace(masked, index) + 1
    depth = 0
    for at in range(index, len(masked)):
        char = masked[at]
        depth += (char == "(") - (char == ")")
        if depth == 0 and (char == "{" or _WHERE.match(masked, at)):
            return at
    raise ValueError("no WHERE clause")


def with_base(case: EvalCase, text: str) -> str:
    """The query read on its own IRI, unless it says its own ``BASE`` (Virtuoso refuses a
    second one)."""
    return text if _BASE.search(blank(text)) else f"BASE <{case.query}>\n{text}"


def with_dataset(case: EvalCase, text: str) -> str:
    """The query with its test's dataset as ``FROM`` and ``FROM NAMED`` clauses, and its base."""
    if has_dataset_clause(text):
        return with_base(case, text)
    clauses = "".join(f"FROM <{iri}>\n" for iri in case.data or (EMPTY_GRAPH,))
    clauses += "".join(f"FROM NAMED <{iri}>\n" for iri in case.graph_data)
    at = dataset_position(text)
    return with_base(case, f"{text[:at]}\n{clauses}{text[at:]}")


def protocol_dataset(case: EvalCase) -> list[tuple[str, str]]:
    """The test's dataset as ``/sparql`` parameters."""
    fields = [("default-graph-uri", iri) for iri in case.data or (EMPTY_GRAPH,)]
    return fields + [("named-graph-uri", iri) for iri in case.graph_data]
