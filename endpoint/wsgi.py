"""The target WSGI servers load: ``endpoint.wsgi:app_from_environment``.

A worker process learns its settings from the JSON file that ``psikg serve`` wrote and
named in ``PSIKG_SERVE_SETTINGS``; it is read when the server calls the factory, never at
import.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from endpoint.app import create_app
from graph.settings import Settings

SETTINGS_VARIABLE = "PSIKG_SERVE_SETTINGS"


def app_from_environment() -> Flask:
    """The app for the settings file named by ``PSIKG_SERVE_SETTINGS``."""
    path = Path(os.environ[SETTINGS_VARIABLE])
    return create_app(Settings.from_json(path.read_text(encoding="utf-8")))
