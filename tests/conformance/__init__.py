"""Public conformance suites run against psikg (`make conformance`).

The suites are material no one on this project wrote (W3C test suites, the EU's DCAT-AP shapes),
kept outside the repository in a ``shared`` folder (``../shared`` beside the checkout): a fresh
clone does not have it, so the ordinary test suite never needs it.

A suite is one module of this package with a function ``run(shared: Path) -> list[SuiteResult]``,
listed in the registry of ``__main__.py``. A module may return several results (one score line
each), and raises :class:`SuiteUnavailable` when its part of ``shared`` is missing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
"""``../shared`` relative to the repository root."""

SHARED_ENV = "PSIKG_SHARED"


class SuiteUnavailable(Exception):
    """The suite's material is missing from the shared folder; the message says what."""


@dataclass(frozen=True)
class Violation:
    """One failed check: the node, the property path (if any) and what is wrong."""

    focus: str
    path: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.focus} | {self.path or '-'} | {self.message}"


@dataclass
class SuiteResult:
    """The outcome of one suite: its score line and the violations behind it."""

    name: str
    violations: list[Violation] = field(default_factory=list)
    checked: int | None = None
    """How many focus nodes (or tests) the suite checked, if it counts them."""
    unit: str = "focus nodes checked"
    note: str = ""
    """Anything else worth one clause on the score line."""

    def score_line(self) -> str:
        count = len(self.violations)
        line = f"{self.name}: {count} violation{'' if count == 1 else 's'}"
        details = [f"{self.checked} {self.unit}"] if self.checked is not None else []
        if self.note:
            details.append(self.note)
        return f"{line} ({'; '.join(details)})" if details else line


def shared_dir() -> Path:
    """The shared folder for tests: ``$PSIKG_SHARED``, else ``../shared`` beside the repo."""
    from_env = os.environ.get(SHARED_ENV)
    return Path(from_env) if from_env else DEFAULT_SHARED


def require(shared: Path, relative: str | Path) -> Path:
    """``shared / relative``, or :class:`SuiteUnavailable` naming the missing path."""
    path = shared / relative
    if not path.exists():
        raise SuiteUnavailable(f"{path} not found")
    return path
