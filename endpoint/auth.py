"""Who may write: a bearer token, compared in constant time.

Without a token file every write is refused (403): a public deployment is read-only unless
someone chose otherwise. With one, a write without ``Authorization: Bearer …`` gets 401
with the RFC 6750 challenge, and a wrong token gets 401 with ``error="invalid_token"``.
"""

from __future__ import annotations

import hmac

from flask import request

from endpoint.errors import forbidden
from endpoint.errors import unauthorized
from endpoint.state import state


def require_writer() -> None:
    """Let the request through only if it carries the update token.

    :raises HttpError: 403 if writes are disabled, 401 if the token is missing or wrong.
    """
    token = state().update_token
    if token is None:
        raise forbidden("writes are disabled on this endpoint; start `psikg serve` with "
                        "--update-token-file to enable SPARQL Update and Graph Store writes",
                        type="updates-disabled")
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise unauthorized("this request writes to the store: send "
                           "`Authorization: Bearer <token>`")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise unauthorized("the bearer token is not the update token", error="invalid_token")
