"""Where a running ``psikg serve`` serves a store, written beside the store while it runs.

The engine holds the store's lock for as long as ``psikg serve`` runs. The supervisor
announces its URL, pid and base IRI in a small file next to the store folder (never inside
it: the folder is RocksDB's), and the command line works through that server instead of
opening the store (:func:`psikg.context.open_store`); a process that still finds the
store locked says where the server is.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from graph.atomic_file import replace_file


@dataclass(frozen=True)
class Announcement:
    """A running ``psikg serve`` holding a store."""

    url: str
    pid: int
    base_iri: str | None


def marker(store: Path) -> Path:
    """The file that says which ``psikg serve`` holds ``store``."""
    store = Path(store).resolve()
    return store.parent / f".{store.name}.psikg-serve.json"


def announce(store: Path, url: str, pid: int, base_iri: str | None = None) -> None:
    """Say that the ``psikg serve`` with ``pid`` serves ``store`` at ``url``."""
    replace_file(marker(store), json.dumps({"url": url, "pid": pid, "base_iri": base_iri}))


def withdraw(store: Path, pid: int) -> None:
    """Remove the announcement of the ``psikg serve`` with ``pid`` (it is stopping); one
    left by another server is kept."""
    path = marker(store)
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == pid:
            path.unlink()
    except (OSError, ValueError, AttributeError):
        return


def announced(store: Path) -> Announcement | None:
    """The ``psikg serve`` that holds ``store``, if one is running."""
    try:
        found = json.loads(marker(store).read_text(encoding="utf-8"))
        pid = int(found["pid"])
        os.kill(pid, 0)  # still running?
        base_iri = found.get("base_iri")
        return Announcement(str(found["url"]), pid, str(base_iri) if base_iri else None)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def server_of(store: Path) -> str | None:
    """The URL of the ``psikg serve`` that holds ``store``, if one is running."""
    found = announced(store)
    return found.url if found else None


def locked_message(store: Path) -> str:
    """What to tell a process that found ``store`` locked."""
    url = server_of(store)
    if url is None:
        return (f"store {store} is held by another process (a running `psikg serve` or "
                "load); stop it, or use another --store")
    return (f"store {store} is held by the running `psikg serve` at {url}; the psikg "
            f"commands work through it (writes need its update token: --token-file or "
            f"PSIKG_UPDATE_TOKEN_FILE), or stop it first")
