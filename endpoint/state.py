"""What every request of one app shares: its settings, the engine client, the update token,
and the hooks through which the UI plugs HTML views in.

It lives in ``app.extensions["psikg"]``; views reach it with :func:`state`. Nothing here is
global to the process, so two apps (two tests) never see each other's settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import TYPE_CHECKING

from flask import current_app
from flask.typing import ResponseReturnValue

from graph.engine.client import EngineClient
from graph.engine.loads import LoadsInFlight
from graph.settings import Settings
from graph.validation.documents import Document

DocumentFetcher = Callable[[str, int], Document]
"""Fetches a URL a user gave (its bytes at most the ``int``) as a :class:`Document`."""

if TYPE_CHECKING:
    from endpoint.errors import HttpError


@dataclass
class EndpointState:
    """The app's shared state and its extension points."""

    settings: Settings
    engine: EngineClient
    update_token: str | None
    loads: LoadsInFlight | None = None
    """The command line's loads in flight through this server (:mod:`endpoint.loads`);
    ``None`` outside ``psikg serve`` (no run folder)."""
    html_views: dict[str, Callable[[], ResponseReturnValue]] = field(default_factory=dict)
    """HTML twins of machine-readable pages, by name. ``"sparql"`` is what ``GET /sparql``
    without a query shows a browser (the query UI); when it is absent, browsers get the
    service description in Turtle like everyone else."""
    html_error: Callable[[HttpError], ResponseReturnValue] | None = None
    """Renders an error as an HTML page for browsers; JSON is used when it is absent."""
    fetch_document: DocumentFetcher | None = None
    """How ``/validate`` fetches a URL: the composition root (``psikg serve``) gives the one
    fetch policy of ``loaders.http_fetch``, which ``endpoint`` may not import; ``None``:
    URLs are refused (501)."""


def state() -> EndpointState:
    """The state of the app handling the current request."""
    found: EndpointState = current_app.extensions["psikg"]
    return found
