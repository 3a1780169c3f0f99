"""What every command shares: where the store is, the base IRI, and turning errors into exits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import TypeVar

import click

from graph.errors import PsikgError
from graph.store import Store

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Config:
    """The global options, resolved once by the ``psikg`` group."""

    store_path: Path
    base_iri: str

    def open_store(self) -> Store:
        """Open the store named by ``--store`` or ``PSIKG_STORE``."""
        return Store(self.store_path, self.base_iri)


pass_config = click.make_pass_decorator(Config)


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
