"""Who may write: the update token, compared in constant time.

Without a token file every write is refused (403): a public deployment is read-only unless
someone chose otherwise. With one, a write must carry the token, either as
``Authorization: Bearer <token>`` or as the password of HTTP Basic authentication (any user
name): rdflib's ``auth=``, SPARQLWrapper's ``setCredentials`` and Comunica's ``httpAuth``
send Basic only. A write without either gets 401 with both challenges (RFC 6750 and RFC
7617), and a wrong token 401 with ``error="invalid_token"``.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from flask import request

from endpoint.errors import forbidden
from endpoint.errors import unauthorized
from endpoint.state import state


def require_writer(needs: str = "this request writes to the store") -> None:
    """Let the request through only if it carries the update token.

    :param needs: why the request needs it, for the 401 (``/admin`` is read, not written).

    :raises HttpError: 403 if writes are disabled, 401 if the token is missing or wrong.
    """
    token = state().update_token
    if token is None:
        raise forbidden("writes are disabled on this endpoint; start `psikg serve` with "
                        "--update-token-file to enable SPARQL Update and Graph Store writes",
                        type="updates-disabled")
    given = _credential(request.headers.get("Authorization", ""))
    if not given:
        raise unauthorized(f"{needs}: send "
                           "`Authorization: Bearer <token>`, or the token as the password "
                           "of Basic authentication")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise unauthorized("the token is not the update token", error="invalid_token")


def _credential(header: str) -> str:
    """The token a client sent: a bearer token, or the password of Basic credentials.

    >>> _credential("Bearer abc "), _credential("basic " + base64.b64encode(b"u:p:w").decode())
    ('abc', 'p:w')
    >>> _credential("Basic ???"), _credential("Digest x")
    ('', '')
    """
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]
