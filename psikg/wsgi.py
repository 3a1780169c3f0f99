"""The WSGI target ``psikg serve`` runs: ``psikg.wsgi:app_from_environment``.

It builds the endpoint as :mod:`endpoint.wsgi` does, and gives it what ``endpoint`` may not
import itself: the fetch policy of ``loaders`` for the URLs ``/validate`` is given
(``endpoint`` never imports ``loaders``, ``tests/test_architecture.py``). The command line
is the composition root, so the hook is plugged in here, once per worker, from the
settings file ``psikg serve`` wrote; nothing is read at import.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from flask import Flask

from endpoint.app import create_app
from endpoint.state import DocumentFetcher
from endpoint.wsgi import SETTINGS_VARIABLE
from graph.settings import Settings
from loaders.documents import fetch_document
from loaders.documents import validation_policy

TARGET = "psikg.wsgi:app_from_environment"
"""What ``psikg serve`` tells the WSGI server to load."""


def document_fetcher(settings: Settings) -> DocumentFetcher:
    """``/validate``'s fetcher: :func:`loaders.documents.fetch_document` under the
    settings' policy."""
    return functools.partial(fetch_document, policy=validation_policy(settings))


def build_app(settings: Settings) -> Flask:
    """The endpoint with every hook the command line composes."""
    return create_app(settings, fetch_document=document_fetcher(settings))


def app_from_environment() -> Flask:
    """The app for the settings file named by ``PSIKG_SERVE_SETTINGS``."""
    path = Path(os.environ[SETTINGS_VARIABLE])
    return build_app(Settings.from_json(path.read_text(encoding="utf-8")))
