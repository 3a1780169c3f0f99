"""``/health``: whether the store is open and answering, how many triples, which versions.

A load balancer polls it, so it runs one counting query under the usual timeout, and
answers 503 in the house error shape when the engine does not answer.
"""

from __future__ import annotations

import json
import time
from importlib.metadata import version
from typing import Any

from flask import Blueprint

from endpoint.state import state

blueprint = Blueprint("health", __name__)

_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@blueprint.get("/health")
def health() -> dict[str, Any]:
    """The store is open and how big it is."""
    current = state()
    deadline = time.monotonic() + current.settings.timeout_s
    answer = current.engine.call("POST", "/query", body=_form(_COUNT), headers=_FORM_HEADERS,
                                 deadline=deadline)
    body = answer.read()
    triples = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    return {"ok": True, "store": str(current.settings.store), "open": True,
            "triples": triples, "version": version("psikg"),
            "engine": f"oxigraph {version('oxigraph')}", "status": 200}


_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json"}


def _form(query: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode({"query": query}).encode()
