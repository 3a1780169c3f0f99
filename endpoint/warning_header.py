"""What a request got that it may not have expected, said in ``Warning`` headers.

Views note it with :func:`warn` (a ``format=`` that named nothing offered, an unreadable
``Accept`` range, a result cut at the row limit) and :func:`install` sends each note as
``Warning: 299 psikg "…"``, RFC 7234's code for a persistent miscellaneous warning, on
success and error answers alike: curl, browsers' consoles and HTTP libraries show it
without knowing psikg's own headers.
"""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import g
from flask import has_request_context


def warn(text: str) -> None:
    """Note a warning of the current request (nothing outside a request)."""
    if has_request_context():
        g.setdefault("psikg_warnings", []).append(text)


def header_value(text: str) -> str:
    """``text`` as a ``Warning`` value: printable ASCII in a quoted string.

    >>> print(header_value('format="yaml" é'))
    299 psikg "format='yaml' '"
    """
    quoted = "".join(c if " " <= c <= "~" and c not in '"\\' else "'" for c in text)
    return f'299 psikg "{quoted}"'


def install(app: Flask) -> None:
    """Send each warning of a request as a ``Warning`` header."""

    @app.after_request
    def _warnings(response: Response) -> Response:
        for text in g.get("psikg_warnings", ()):
            response.headers.add("Warning", header_value(text))
        return response
