"""What every command shares: the :class:`~graph.settings.Settings` the ``psikg`` group
built, the store they name, and turning errors into exits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar

import click

from graph.engine.serving import announced
from graph.errors import PsikgError
from graph.settings import Settings
from graph.store import Store
from graph.store_api import StoreWriter

if TYPE_CHECKING:
    from graph.engine.served_store import ServedStore

F = TypeVar("F", bound=Callable[..., Any])

pass_settings = click.make_pass_decorator(Settings)
"""Hands a command the settings the ``psikg`` group built from its options."""


def open_store(settings: Settings, load_kind: str = "load") -> StoreWriter:
    """The store the command works on: through the ``psikg serve`` that ``--server`` (or
    ``PSIKG_SERVER``) names, else in the engine that ``--engine-url`` (or
    ``PSIKG_ENGINE_URL``) names, else through the ``psikg serve`` that announced it holds
    the store, else the store named by ``--store`` or ``PSIKG_STORE``, opened here."""
    if settings.engine_url and not settings.server:
        return open_remote(settings)
    return served_store(settings, load_kind) or open_embedded(settings)


def served_store(settings: Settings, load_kind: str = "load") -> ServedStore | None:
    """The store of the ``psikg serve`` that ``--server`` names or that holds ``--store``;
    ``None`` if none does. ``load_kind`` (``load``, ``harvest``) is how its ``/metrics``
    counts the loads."""
    from graph.engine.served_store import ServedStore

    if settings.server:
        return ServedStore(settings.server, settings.base_iri, settings.read_update_token(),
                           load_kind)
    found = announced(settings.store)
    if found is not None:
        return ServedStore(found.url, found.base_iri or settings.base_iri,
                           settings.read_update_token(), load_kind)
    return None


def open_remote(settings: Settings) -> StoreWriter:
    """The store in the engine at ``settings.engine_url``; what that engine cannot do is
    said on stderr, in one line."""
    from graph.remote.store import RemoteStore

    store = RemoteStore(settings.engine_url, settings.engine_kind, settings.base_iri,
                        settings.engine_user, settings.read_engine_password(),
                        settings.timeout_s)
    click.echo(store.limits, err=True)
    return store


def open_embedded(settings: Settings) -> Store:
    """Open the store folder itself (``psikg demo``, which serves it next)."""
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
