"""``/health``: whether the store is open and answering, how many triples, which versions.

A load balancer polls it, so it must stay cheap on a store of any size: counting every
quad takes seconds at ten million. The triples are those the metadata graph records for
each graph (``void:triples``, written by every load and Graph Store write), read with one
small query under the usual timeout; a SPARQL update that adds triples outside those
paths is not reflected. When the engine does not answer, the answer is 503 in the house
error shape.
"""

from __future__ import annotations

import json
import time
from importlib.metadata import version
from typing import Any

from flask import Blueprint

from endpoint.state import EndpointState
from endpoint.state import state
from graph.namespaces import VOID
from graph.namespaces import meta_graph

blueprint = Blueprint("health", __name__)

_COUNT = ("SELECT (SUM(?n) AS ?triples) (COUNT(?g) AS ?graphs) WHERE { GRAPH <{meta}> "
          f"{{ ?g <{VOID}triples> ?n }} }}")


@blueprint.get("/health")
def health() -> dict[str, Any]:
    """The store is open and how big it is."""
    current = state()
    triples, graphs = store_size(current)
    settings = current.settings
    remote = settings.remote_engine  # its URL stays private: it may be an inside address
    return {"ok": True, "store": f"the {settings.engine_kind} engine" if remote
            else str(settings.store), "open": True,
            "triples": triples, "graphs": graphs, "version": version("psikg"),
            "engine": settings.engine_kind if remote else f"oxigraph {version('oxigraph')}",
            "status": 200}


def store_size(current: EndpointState) -> tuple[int, int]:
    """The triples and the graphs the metadata graph records (``/health``, ``/metrics``).

    :raises Deadline: if the engine does not answer within the timeout.
    :raises StoreError: if the engine cannot be reached.
    """
    deadline = time.monotonic() + current.settings.timeout_s
    meta = meta_graph(current.settings.base_iri)
    answer = current.engine.call("POST", "/query", body=_form(_COUNT.replace("{meta}", meta)),
                                 headers=_FORM_HEADERS, deadline=deadline)
    row = json.loads(answer.read())["results"]["bindings"][0]
    return int(row.get("triples", {}).get("value", 0)), int(row["graphs"]["value"])


_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json"}


def _form(query: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode({"query": query}).encode()
