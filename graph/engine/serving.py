"""Where a running ``psikg serve`` serves a store, written beside the store while it runs.

The engine holds the store's lock for as long as ``psikg serve`` runs, so ``psikg load`` or
``psikg harvest`` on the same store cannot open it. The supervisor announces its URL and
pid in a small file next to the store folder (never inside it: the folder is RocksDB's),
and the error those commands give says to write through the running endpoint instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def marker(store: Path) -> Path:
    """The file that says which ``psikg serve`` holds ``store``."""
    store = Path(store).resolve()
    return store.parent / f".{store.name}.psikg-serve.json"


def announce(store: Path, url: str, pid: int) -> None:
    """Say that the ``psikg serve`` with ``pid`` serves ``store`` at ``url``."""
    path = marker(store)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"url": url, "pid": pid}), encoding="utf-8")
    os.replace(temporary, path)


def withdraw(store: Path, pid: int) -> None:
    """Remove the announcement of the ``psikg serve`` with ``pid`` (it is stopping); one
    left by another server is kept."""
    path = marker(store)
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == pid:
            path.unlink()
    except (OSError, ValueError, AttributeError):
        return


def server_of(store: Path) -> str | None:
    """The URL of the ``psikg serve`` that holds ``store``, if one is running."""
    try:
        found = json.loads(marker(store).read_text(encoding="utf-8"))
        os.kill(int(found["pid"]), 0)  # still running?
        return str(found["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def locked_message(store: Path) -> str:
    """What to tell a command that found ``store`` locked."""
    url = server_of(store)
    if url is None:
        return (f"store {store} is held by another process (a running `psikg serve` or "
                "load); stop it, or use another --store")
    return (f"store {store} is held by the running `psikg serve` at {url}; while it runs, "
            f"write through it with the Graph Store Protocol and the update token, e.g. "
            f"`curl -X PUT -H 'Authorization: Bearer TOKEN' -H 'Content-Type: text/turtle' "
            f"--data-binary @data.ttl '{url}/store?graph=GRAPH-IRI'` (or SPARQL Update on "
            f"{url}/sparql), or stop it first")
