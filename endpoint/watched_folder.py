"""A watched folder: each of its files is run through a command (``psikg load``) when it
changes, by the scheduler of ``psikg serve`` (:mod:`endpoint.scheduler`).

What a file's *version* is: the size and modification time of the file and of its
companions (a register's CSVW metadata, ``{stem}-metadata.json``), so that editing either
reloads the register. A file is run once its version has stayed the same for a while
(:data:`SETTLE_S`: a register still being copied in is not loaded half-written), and only
when it differs from the version of the file's last run in the record: a restart reloads
nothing unchanged, and a load that failed is tried again when the file changes, not in a
loop. A file removed from the folder is no longer watched; its graph stays (drop it with
``psikg graphs drop``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SCAN_S = 2.0
"""How often the folder is listed, by default."""

SETTLE_S = 2.0
"""How long a changed file must keep its new version before it is run, by default."""


@dataclass(frozen=True)
class WatchedFolder:
    """Files of ``folder`` with one of ``suffixes``, each run as ``command`` + its path.

    :param kind: what a run does, as ``/admin`` groups it (``load``).
    :param companions: names of files beside a file that are part of its version, with
        ``{stem}`` for the file's stem.
    :param scan_s: how often the folder is listed.
    :param settle_s: how long a new version must last before the file is run.
    """

    kind: str
    folder: Path
    suffixes: tuple[str, ...]
    command: tuple[str, ...]
    companions: tuple[str, ...] = ()
    timeout_s: float = 3600.0
    scan_s: float = SCAN_S
    settle_s: float = SETTLE_S

    def schedule_text(self) -> str:
        """How the admin page says when its files run."""
        return f"when changed in {self.folder}"

    def versions(self) -> dict[str, tuple[Path, str]]:
        """Each watched file by name, with its path and version; hidden files left out.

        :raises OSError: if the folder cannot be listed.
        """
        found: dict[str, tuple[Path, str]] = {}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                suffix = os.path.splitext(entry.name)[1].lower()
                if entry.name.startswith(".") or suffix not in self.suffixes:
                    continue
                if entry.is_file():
                    path = Path(entry.path)
                    found[entry.name] = (path, self._version(path))
        return found

    def _version(self, path: Path) -> str:
        parts = []
        for candidate in (path, *(path.with_name(c.format(stem=path.stem))
                                  for c in self.companions)):
            try:
                stat = candidate.stat()
            except OSError:
                continue  # no companion: the version says so by its absence
            parts.append(f"{candidate.name}:{stat.st_size}:{stat.st_mtime_ns}")
        return " ".join(parts)


class Settling:
    """The files whose new version is waiting to settle."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], tuple[str, float]] = {}

    def settled(self, key: tuple[str, str], version: str, now: float, settle_s: float) -> bool:
        """Whether ``version`` of ``key`` has been seen unchanged for ``settle_s``."""
        first = self.seen.get(key)
        if first is None or first[0] != version:
            self.seen[key] = (version, now)
            return False
        if now - first[1] < settle_s:
            return False
        del self.seen[key]
        return True

    def forget(self, key: tuple[str, str]) -> None:
        self.seen.pop(key, None)
