"""The HTTP face of psikg: SPARQL protocol, Graph Store, linked-data pages, canned queries.

``create_app(settings)`` builds the Flask app (:mod:`endpoint.app`); ``psikg serve`` runs
it under a production WSGI server in front of the query engine (:mod:`endpoint.server`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    from flask import Flask

    from graph.settings import Settings


def create_app(settings: Settings, **kwargs: Any) -> Flask:
    """Build the app; see :func:`endpoint.app.create_app`."""
    from endpoint.app import create_app as build

    return build(settings, **kwargs)
