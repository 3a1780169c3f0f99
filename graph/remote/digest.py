"""HTTP Digest authentication (RFC 7616, ``MD5`` and ``SHA-256``, ``qop=auth``): what
Virtuoso's ``/sparql-auth`` and its authenticated Graph Store want for writes.

Only the header arithmetic lives here; the requests go through the engine's client
(:mod:`graph.engine.client`), so no module but the network homes opens a connection.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading

_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def challenge_parameters(header: str) -> dict[str, str]:
    """The parameters of a ``WWW-Authenticate: Digest …`` header, names lower-cased.

    :raises ValueError: if the header is not a Digest challenge.
    """
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        raise ValueError(f"not a Digest challenge: {header[:60]!r}")
    return {name.lower(): quoted if quoted or plain is None else plain
            for name, quoted, plain in _PARAM.findall(rest)}


class DigestAuth:
    """The ``Authorization`` headers of one user, answering the engine's last challenge.

    The challenge is kept, so that the next request sends its answer at once (with the next
    nonce count); a stale nonce gets a fresh 401, which :meth:`challenged` records.
    """

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self._password = password
        self._challenge: dict[str, str] | None = None
        self._count = 0
        self._lock = threading.Lock()

    def challenged(self, header: str) -> None:
        """Record a 401's ``WWW-Authenticate`` header.

        :raises ValueError: if it is not a Digest challenge psikg can answer.
        """
        found = challenge_parameters(header)
        algorithm = found.get("algorithm", "MD5").upper()
        if algorithm not in _HASHES or "nonce" not in found:
            raise ValueError(f"unsupported Digest challenge (algorithm {algorithm})")
        if "auth" not in {qop.strip() for qop in found.get("qop", "auth").split(",")}:
            raise ValueError("the Digest challenge offers no qop=auth")
        with self._lock:
            self._challenge = found
            self._count = 0

    def header(self, method: str, uri: str, cnonce: str | None = None) -> str | None:
        """The ``Authorization`` value for ``method`` on ``uri`` (path and query), or
        ``None`` before the first challenge.

        :param cnonce: the client's nonce; a random one unless given (RFC 7616's examples).
        """
        with self._lock:
            if self._challenge is None:
                return None
            challenge = dict(self._challenge)
            self._count += 1
            count = f"{self._count:08x}"
        digest = _HASHES[challenge.get("algorithm", "MD5").upper()]

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()

        realm, nonce = challenge.get("realm", ""), challenge["nonce"]
        cnonce = cnonce or os.urandom(8).hex()
        ha1 = h(f"{self.user}:{realm}:{self._password}")
        ha2 = h(f"{method}:{uri}")
        response = h(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
        fields = [f'username="{self.user}"', f'realm="{realm}"', f'nonce="{nonce}"',
                  f'uri="{uri}"', f'response="{response}"', "qop=auth", f"nc={count}",
                  f'cnonce="{cnonce}"', f"algorithm={challenge.get('algorithm', 'MD5')}"]
        if "opaque" in challenge:
            fields.append(f'opaque="{challenge["opaque"]}"')
        return "Digest " + ", ".join(fields)
