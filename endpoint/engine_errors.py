"""The query engine's refusals as error values, with the status that says whose fault it is.

The engine answers 400 for a request it cannot parse, and 500 for everything else it does
not do, whether the request asked for something the store's state forbids (``CREATE
GRAPH`` on a graph that exists, ``DROP GRAPH`` on one that does not: the client's to fix,
so 409 with the engine's message) or it failed itself (502: psikg's side of the gateway).
"""

from __future__ import annotations

from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.errors import query_timeout
from endpoint.state import EndpointState
from graph.engine.client import Response as EngineResponse
from graph.sparql_text import parser_message

_CONFLICTS = (("already exists", "graph-exists",
               "add SILENT to ignore it, or DROP the graph first"),
              ("does not exist", "no-such-graph",
               "add SILENT to ignore it, or create the graph first"))
"""Messages of the engine about the store's state that the request contradicts."""


def engine_error(answer: EngineResponse, current: EndpointState, *,
                 prologue_lines: int = 1, text: str | None = None) -> HttpError:
    """The engine's refusal as an error value: 400 with the parser's position in the
    user's text, 409 when the request contradicts the store, 503 for the engine's own
    timeout, 502 for anything else it could not do.

    :param prologue_lines: lines psikg put before the user's text (its ``BASE``).
    :param text: the user's text, when psikg put more after it: a position past its end
        (the text stopped too early) is given as its end.
    """
    message = answer.read().decode("utf-8", "replace").strip()
    if answer.status == 400:
        line, column, said = parser_message(message)
        detail: dict[str, int] = {}
        if line is not None and column is not None:
            detail = _within(max(line - prologue_lines, 1), column, text)
        where = f" at line {detail['line']}, column {detail['column']}" if detail else ""
        return bad_request(f"SPARQL syntax error{where}: {said}", type="invalid-query",
                           **detail)
    if "timeout" in message.lower() or "cancel" in message.lower():
        return query_timeout(current.settings.timeout_s)
    for words, slug, fix in _CONFLICTS:
        if words in message:
            return HttpError(409, f"{message}; {fix}", slug)
    return HttpError(502, f"the query engine could not evaluate this request: {message}",
                     "engine-error")


def _within(line: int, column: int, text: str | None) -> dict[str, int]:
    """The position, or the end of ``text`` if it is past it."""
    lines = text.split("\n") if text is not None else []
    if lines and line > len(lines):
        return {"line": len(lines), "column": len(lines[-1]) + 1}
    return {"line": line, "column": column}
