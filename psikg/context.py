"""What every command shares: the :class:`~graph.settings.Settings` the ``psikg`` group
built, the store they name, and turning errors into exits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from typing import TypeVar

import click

from graph.errors import PsikgError
from graph.settings import Settings
from graph.store import Store

F = TypeVar("F", bound=Callable[..., Any])

pass_settings = click.make_pass_decorator(Settings)
"""Hands a command the settings the ``psikg`` group built from its options."""


def open_store(settings: Settings) -> Store:
    """Open the store named by ``--store`` or ``PSIKG_STORE``."""
    return Store(settings.store, settings.base_iri)


def reports_errors(command: F) -> F:
    """Turn a :class:`PsikgError` into a one-line message and its exit code (1 data, 2 usage)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PsikgError as error:
            if error.exit_code == 2:
                raise click.UsageError(error.one_line()) from None
            raise click.ClickException(error.one_line()) from None

    return wrapper  # type: ignore[return-value]
