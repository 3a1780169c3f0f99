"""SPARQL Update on ``/sparql``: the token, psikg's reserved graphs, the allow-list of
``SERVICE`` and ``LOAD``, then one request to the engine, hence one transaction.

The text the engine runs is the user's with one prologue (:mod:`graph.sparql_update`:
Oxigraph reads a prologue only at the start, SPARQL allows one before every operation)
and, last, the operation that makes the canned queries' aggregates stale: any update can
change a registry. Line numbers of errors stay those of the user's text.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from flask import Response
from werkzeug.datastructures import MultiDict

from endpoint.auth import require_writer
from endpoint.engine_errors import engine_error
from endpoint.errors import bad_request
from endpoint.errors import forbidden
from endpoint.errors import query_timeout
from endpoint.federation import check_loads
from endpoint.federation import check_services
from endpoint.state import state
from graph.budget.freshness import stale_update
from graph.engine.client import Deadline
from graph.sparql_update import one_prologue
from graph.store import STAGING_PREFIX

FORM_TYPE = "application/x-www-form-urlencoded"
DATASET_PARAMETERS = ("using-graph-uri", "using-named-graph-uri")


def run_update(text: str | None, params: MultiDict[str, str]) -> Response:
    """Run an update request for a client that holds the token; 204 when it is applied.

    :raises HttpError: 401/403 without the token, 400 for an empty or malformed update or
        a ``SERVICE`` that is not allowed, 403 for psikg's staging graphs or a ``LOAD`` that
        is not allowed, 409 for what the store's state refuses, 503 past the deadline.
    """
    require_writer()
    current = state()
    if not text or not text.strip():
        raise bad_request("the update is empty", type="missing-update")
    if STAGING_PREFIX in text:
        raise forbidden(f"graphs under {STAGING_PREFIX} are psikg's own loading area",
                        type="reserved-graph")
    first_line, operations = one_prologue(text, f"{current.settings.url}/sparql")
    operations = operations.rstrip().removesuffix(";")
    update = f"{first_line}\n{operations}\n;\n{stale_update()}"
    check_services(update, current.settings)
    check_loads(update, current.settings)
    fields = [("update", update)]
    fields += [(name, value) for name in DATASET_PARAMETERS for value in params.getlist(name)]
    if current.settings.remote_engine and len(fields) > 1:
        raise bad_request(f"{fields[1][0]} is not passed on to the {current.settings.engine_kind} "
                          "engine psikg serves in front of: name the graphs in the update "
                          "(USING, WITH)", type="not-offered-by-engine")
    deadline = time.monotonic() + current.settings.timeout_s
    try:
        answer = current.engine.call("POST", "/update", body=urlencode(fields).encode(),
                                     headers={"Content-Type": FORM_TYPE}, deadline=deadline)
    except Deadline:
        raise query_timeout(current.settings.timeout_s) from None
    if answer.status >= 300:
        raise engine_error(answer, current, text=operations)
    answer.read()
    return Response(status=204)
