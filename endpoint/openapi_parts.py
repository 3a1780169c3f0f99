"""What the operations of the OpenAPI document (:mod:`endpoint.openapi`) share: the error
answer, an HTML body, the ``lang`` parameter."""

from __future__ import annotations

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/Error"}
HTML = {"schema": {"type": "string"}}
LANG = {"name": "lang", "in": "query", "required": False,
        "description": "language of titles and labels: fr, nl, de or en; any other value "
                       "falls back to Accept-Language, then French",
        "schema": {"type": "string", "examples": ["fr", "nl", "de", "en"]}}


def error_answer(description: str, html: bool = False) -> dict[str, Any]:
    """An error response: ``{ok: false, error, errors, status}``, and the page with the
    error when ``html`` (a form shown again)."""
    content: dict[str, Any] = {"application/json": {"schema": ERROR_REF}}
    if html:
        content["text/html"] = HTML
    return {"description": description, "content": content}
