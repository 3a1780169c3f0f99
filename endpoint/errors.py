"""HTTP errors are values: an :class:`HttpError` says the status, a stable ``type`` slug and
a message that tells the fix; :func:`render` turns it into ``{ok, error, errors, status}``.

Views raise these (or a :class:`graph.errors.PsikgError`, mapped by :func:`from_psikg`), and
the handlers :func:`install` registers render them all the same way, including Werkzeug's own
404, 405 and 413. A 500 is a bug: Flask logs it with its traceback and the client gets the
same JSON shape, never a traceback. A browser-facing HTML error page can be plugged in
through :attr:`endpoint.state.EndpointState.html_error`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask import Flask
from flask import Response
from flask import current_app
from flask import json
from flask import request
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from endpoint import observe
from graph.engine.client import Deadline
from graph.errors import NotFoundError
from graph.errors import PsikgError
from graph.errors import StoreError
from graph.errors import UsageError


@dataclass
class HttpError(Exception):
    """An answer other than success, with what the client needs to fix its request."""

    status: int
    message: str
    type: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str | list[str]] = field(default_factory=dict)
    """Headers of the answer; a list is sent as one header line per value."""

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        """The JSON body: ``ok`` false, the message, every error as a value, the status."""
        errors = self.errors or [{"type": self.type, "message": self.message}]
        return {"ok": False, "error": self.message, "errors": errors, "status": self.status}


def bad_request(message: str, type: str = "bad-request", **detail: Any) -> HttpError:
    return HttpError(400, message, type, [{"type": type, "message": message, **detail}])


def unauthorized(message: str, error: str | None = None) -> HttpError:
    """401 with the ``WWW-Authenticate`` challenges of RFC 6750 (Bearer) and RFC 7617
    (Basic, the token as the password), so a client may answer either.

    Each challenge is a header line of its own: Chromium reads one challenge per line, so
    with both on one line, Bearer first, it never asked for Basic credentials.
    """
    bearer = 'Bearer realm="psikg"' + (f', error="{error}"' if error else "")
    return HttpError(401, message, "unauthorized", headers={
        "WWW-Authenticate": [bearer, 'Basic realm="psikg", charset="UTF-8"']})


def forbidden(message: str, type: str = "forbidden") -> HttpError:
    return HttpError(403, message, type)


def not_found(message: str, type: str = "not-found") -> HttpError:
    return HttpError(404, message, type)


def method_not_allowed(message: str, allowed: list[str]) -> HttpError:
    return HttpError(405, message, "method-not-allowed", headers={"Allow": ", ".join(allowed)})


def not_acceptable(asked: str, offers: list[str]) -> HttpError:
    """406 that names what the client asked for and every type it could have."""
    return HttpError(406, f"none of the accepted types ({asked or 'none'}) can be served here; "
                          f"acceptable: {', '.join(offers)}", "not-acceptable",
                     [{"type": "not-acceptable", "value": asked, "expected": offers,
                       "message": "ask for one of the expected media types, or add format="}])


def payload_too_large(limit_bytes: int) -> HttpError:
    mebibytes = limit_bytes / (1024 * 1024)
    return HttpError(413, f"the request body is larger than {mebibytes:g} MiB (max_body_mb)",
                     "payload-too-large")


def unsupported_media_type(given: str, expected: list[str]) -> HttpError:
    return HttpError(415, f"cannot read a request body of type {given or '(none)'}; "
                          f"send one of {', '.join(expected)}", "unsupported-media-type")


def query_timeout(timeout_s: float) -> HttpError:
    return HttpError(503, f"the query ran longer than {timeout_s:g} s and was stopped; "
                          "make it more selective (LIMIT, FILTER) or run it on a copy of "
                          "the data", "query-timeout", headers={"Retry-After": "1"})


def engine_unavailable(message: str) -> HttpError:
    return HttpError(503, message, "engine-unavailable", headers={"Retry-After": "1"})


_PSIKG_STATUS: Mapping[type[PsikgError], int] = {
    UsageError: 400, NotFoundError: 404, StoreError: 503,
}


_ENGINE_FAULTS = frozenset({"engine-error"})
"""Store errors that are the engine's own doing (an answer that does not parse): 502,
the gateway's status, not 503 (try again later)."""


def from_psikg(error: PsikgError) -> HttpError:
    """A domain error as an HTTP error: usage 400, not found 404, store 503 (502 for an
    engine's own fault), input 400."""
    status = next((code for kind, code in _PSIKG_STATUS.items() if isinstance(error, kind)), 400)
    if isinstance(error, StoreError) and error.type in _ENGINE_FAULTS:
        status = 502
    return HttpError(status, error.one_line(), error.type, [error.as_dict()])


def render(error: HttpError) -> Response:
    """The error as a response: the HTML page if a browser asks and one is installed, else
    JSON in the house shape."""
    state = current_app.extensions.get("psikg")
    html = getattr(state, "html_error", None)
    if html is not None and request.accept_mimetypes.best == "text/html":
        response: Response = current_app.make_response(html(error))
        response.status_code = error.status
    else:
        response = Response(json.dumps(error.body(), ensure_ascii=False) + "\n",
                            status=error.status, mimetype="application/json")
    response.headers.update(error.headers)
    request.environ[observe.ERROR] = error.type  # for /metrics and the access log
    return response


def install(app: Flask) -> None:
    """Render every error the app can meet in one shape."""

    @app.errorhandler(HttpError)
    def _http_error(error: HttpError) -> Response:
        return render(error)

    @app.errorhandler(PsikgError)
    def _psikg_error(error: PsikgError) -> Response:
        return render(from_psikg(error))

    @app.errorhandler(Deadline)
    def _deadline(error: Deadline) -> Response:
        state = current_app.extensions["psikg"]
        return render(query_timeout(state.settings.timeout_s))

    @app.errorhandler(InternalServerError)
    def _bug(error: InternalServerError) -> Response:
        # Flask has already logged the original exception with its traceback.
        return render(HttpError(500, "internal error: this is a bug in psikg, and it has "
                                     "been logged", "internal-error"))

    @app.errorhandler(HTTPException)
    def _werkzeug(error: HTTPException) -> Response:
        status = error.code or 500
        headers: dict[str, str | list[str]] = {
            k: v for k, v in error.get_headers() if k.lower() in {"allow"}}
        slug = (error.name or "error").lower().replace(" ", "-")
        if status == 413:
            return render(payload_too_large(current_app.config["MAX_CONTENT_LENGTH"] or 0))
        return render(HttpError(status, error.description or error.name, slug, headers=headers))
