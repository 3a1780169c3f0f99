"""CORS: off unless origins are allowed; then simple requests and preflights are answered
for those origins only, with ``Authorization`` allowed so that a browser can send the update
token after its preflight.

A preflight never needs the token (browsers do not send it there); it only says which
methods and headers the real request may use.
"""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import request

from endpoint.errors import forbidden
from endpoint.errors import render

ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
ALLOWED_HEADERS = {"authorization", "content-type", "accept", "accept-language"}
EXPOSED_HEADERS = "Psikg-Max-Rows, Psikg-Truncated, Location, Content-Disposition"
MAX_AGE_S = "600"


def install(app: Flask, origins: tuple[str, ...]) -> None:
    """Answer preflights and add CORS headers for ``origins`` (``*`` for any); a no-op when
    ``origins`` is empty."""
    if not origins:
        return
    anyone = "*" in origins

    def allowed(origin: str) -> bool:
        return anyone or origin in origins

    @app.before_request
    def _preflight() -> Response | None:
        if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
            return None
        origin = request.headers.get("Origin", "")
        asked = {h.strip().lower() for h in
                 request.headers.get("Access-Control-Request-Headers", "").split(",") if h.strip()}
        if not allowed(origin) or not asked <= ALLOWED_HEADERS:
            return render(forbidden(f"cross-origin requests from {origin or '(no origin)'} "
                                    f"with headers {', '.join(sorted(asked)) or '(none)'} are "
                                    "not allowed here", type="cors-refused"))
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ", ".join(sorted(ALLOWED_HEADERS))
        response.headers["Access-Control-Max-Age"] = MAX_AGE_S
        return response

    @app.after_request
    def _headers(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin and allowed(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        response.vary.add("Origin")
        return response
