"""Errors are values before they are messages.

Every failure a user can cause is a :class:`PsikgError` with a stable
``type`` slug, the place it happened (file, line, column), the value seen and
what was expected. The command line prints :meth:`PsikgError.one_line`; the
endpoint will render :meth:`PsikgError.as_dict`. Nothing here formats a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any


@dataclass
class PsikgError(Exception):
    """A failure caused by input or environment, reported to the user as one line."""

    message: str
    type: str = "error"
    file: str | None = None
    line: int | None = None
    column: int | None = None
    value: str | None = None
    expected: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    exit_code = 1
    """Exit code of the command line: 1 for data failures, 2 for usage errors."""

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def where(self) -> str:
        """``file:line:column``, as much of it as is known."""
        parts = [str(p) for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(parts)

    def one_line(self) -> str:
        """The error as the command line prints it, e.g. ``a.ttl:2:11: unexpected end``."""
        text = self.message
        if self.expected and "expected" not in text.lower():
            text += f"; expected {self.expected}"
        where = self.where()
        return f"{where}: {text}" if where else text

    def as_dict(self) -> dict[str, Any]:
        """The error with stable keys, for JSON answers and reports."""
        data: dict[str, Any] = {"type": self.type, "message": self.message}
        for key in ("file", "line", "column", "value", "expected"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data.update(self.details)
        return data


class InputError(PsikgError):
    """A file that cannot be read as what it claims to be (syntax, encoding, size)."""


class UsageError(PsikgError):
    """The request itself is wrong: an unknown format, a missing option."""

    exit_code = 2


class StoreError(PsikgError):
    """The store cannot be opened or written: held by another process, corrupt, full."""


class NotFoundError(PsikgError):
    """A named thing (graph, query, resource) that is not in the store."""
