"""Backups of a store and their restore: Oxigraph's checkpoint, plus a manifest beside it.

A backup folder holds::

    DIR/store/             Oxigraph's checkpoint (hard links to the store's immutable
                           files when DIR is on the same file system, else copies)
    DIR/metadata.nq        the metadata graph (provenance of every graph), sorted N-Quads
    DIR/psikg-backup.json  the manifest: psikg's and Oxigraph's versions, when, which
                           store, its base IRI, how many quads and graphs, the metadata
                           graph's SHA-256; written last, so a folder without it is no backup

Why the checkpoint needs the store opened for writing: a checkpoint taken through a
read-only open (``oxigraph backup``, ``pyoxigraph.Store.read_only(…).backup``) beside a
running ``oxigraph serve`` leaves out every write still in the write-ahead log (measured:
the read-only open counted 4 quads, its checkpoint held 1), and Oxigraph calls such an open
undefined behaviour anyway; when the engine compacts meanwhile, the checkpoint fails on a
file that is gone (both seen in ``tests/test_backup.py``). So :func:`checkpoint` opens the
store for writing, which is possible only offline or while ``psikg serve``'s supervisor
has paused its engine (``endpoint/backups.py``).

A checkpoint taken while a load through the server is in flight holds that load's hidden
graphs (staging graphs, graphs behind load markers); :func:`restore` opens the restored
store as psikg does (:class:`graph.store.Store`), which removes them: the restored store
has the old graph, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from graph.atomic_file import replace_file
from graph.errors import StoreError
from graph.errors import UsageError
from graph.namespaces import meta_graph

MANIFEST = "psikg-backup.json"
CHECKPOINT = "store"
METADATA = "metadata.nq"


@dataclass(frozen=True)
class BackupManifest:
    """What a backup says of itself, and what :func:`restore` checks."""

    psikg_version: str
    oxigraph_version: str
    created: str
    store: str
    base_iri: str
    meta_graph: str
    quads: int
    graphs: int
    metadata_quads: int
    metadata_sha256: str

    def summary(self) -> str:
        """One line for a person."""
        return (f"{self.graphs} graphs, {self.quads} quads ({self.metadata_quads} of "
                f"provenance) of {self.store}, taken {self.created} by psikg "
                f"{self.psikg_version}")


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` made: the manifest it checked and the store it wrote."""

    manifest: BackupManifest
    store: Path
    quads: int
    hidden_removed: int

    def summary(self) -> str:
        """One line for a person."""
        removed = (f"; {self.hidden_removed} quads of a load in flight at backup time "
                   "removed" if self.hidden_removed else "")
        return (f"restored {self.store} from the backup of {self.manifest.store} taken "
                f"{self.manifest.created} by psikg {self.manifest.psikg_version}: "
                f"{self.manifest.graphs} graphs, {self.quads} quads{removed}")


def check_destination(destination: Path) -> None:
    """Refuse a destination that holds anything: a backup never overwrites.

    :raises UsageError: if it is a file or a folder that is not empty.
    """
    if destination.is_file() or destination.is_dir() and any(destination.iterdir()):
        raise UsageError("the backup destination exists and is not an empty folder; name a "
                         "new folder", type="backup-exists",
                         file=str(destination))


def checkpoint(store: Path, destination: Path) -> None:
    """Oxigraph's checkpoint of the store folder ``store`` into ``destination/store``.

    The store must not be held by another process (stop or pause its engine first).

    :raises StoreError: if the store cannot be opened or the checkpoint fails.
    """
    check_destination(destination)
    if not (store / "CURRENT").is_file():
        raise StoreError(f"{store} is not a store (no CURRENT file)", type="store-invalid",
                         file=str(store))
    destination.mkdir(parents=True, exist_ok=True)
    try:
        ox.Store(str(store)).backup(str(destination / CHECKPOINT))  # closed when dropped
    except OSError as error:
        raise StoreError(f"cannot back up {store}: {error}", type="backup-failed",
                         file=str(store)) from None


def describe(destination: Path, store: Path, base_iri: str) -> BackupManifest:
    """Write the metadata graph and the manifest of the checkpoint in ``destination``.

    Counts are read from the checkpoint itself, never from the live store.
    """
    snapshot = ox.Store.read_only(str(destination / CHECKPOINT))
    base_iri = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
    meta = meta_graph(base_iri)
    metadata = _metadata_nquads(snapshot, meta)
    (destination / METADATA).write_bytes(metadata)
    manifest = BackupManifest(
        psikg_version=version("psikg"), oxigraph_version=version("pyoxigraph"),
        created=datetime.now(UTC).isoformat(timespec="seconds"), store=str(store.resolve()),
        base_iri=base_iri, meta_graph=meta, quads=len(snapshot),
        graphs=sum(1 for _ in snapshot.named_graphs()),
        metadata_quads=metadata.count(b"\n"),
        metadata_sha256=hashlib.sha256(metadata).hexdigest())
    replace_file(destination / MANIFEST, json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def read_manifest(backup: Path) -> BackupManifest:
    """The manifest of the backup folder ``backup``.

    :raises UsageError: if it is not a psikg backup, or was made by a newer psikg.
    """
    path = backup / MANIFEST
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        manifest = BackupManifest(**found)
    except FileNotFoundError:
        raise UsageError(f"not a psikg backup: it has no {MANIFEST} (a backup cut short has "
                         "none)", type="backup-invalid", file=str(backup)
                         ) from None
    except (ValueError, TypeError) as error:
        raise UsageError(f"not a psikg backup manifest: {error}",
                         type="backup-invalid", file=str(path)) from None
    if _release(manifest.psikg_version) > _release(version("psikg")):
        raise UsageError(f"the backup {backup} was made by psikg {manifest.psikg_version}, "
                         f"newer than this psikg {version('psikg')}: upgrade psikg first",
                         type="backup-too-new", file=str(backup))
    return manifest


def restore(backup: Path, target: Path, replace: bool = False) -> Restored:
    """Make the store folder ``target`` from the backup folder ``backup``, after checking it.

    The checkpoint's quad count and metadata graph must be those the manifest records.
    The store is written beside ``target`` and moved into place at the end, so a failed
    restore leaves ``target`` as it was.

    :raises UsageError: if ``target`` holds anything and ``replace`` is false, or the
        backup is not one.
    :raises StoreError: if the backup does not match its manifest.
    """
    manifest = read_manifest(backup)
    if target.exists() and not target.is_dir():
        raise UsageError("the store path is a file, not a folder", type="store-invalid",
                         file=str(target))
    if target.exists() and any(target.iterdir()) and not replace:
        raise UsageError("the store is not empty; restore into a new folder, or pass "
                         "--replace to replace it", type="store-not-empty", file=str(target))
    snapshot = ox.Store.read_only(str(backup / CHECKPOINT))
    _verify(snapshot, backup, manifest)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restoring-", dir=target.parent))
    try:
        snapshot.backup(str(staging / CHECKPOINT))
        del snapshot
        hidden = _remove_hidden(staging / CHECKPOINT, manifest.base_iri)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging / CHECKPOINT, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Restored(manifest, target, manifest.quads - hidden, hidden)


def _verify(snapshot: ox.Store, backup: Path, manifest: BackupManifest) -> None:
    quads = len(snapshot)
    if quads != manifest.quads:
        raise StoreError(f"the backup {backup} holds {quads} quads, its manifest says "
                         f"{manifest.quads}: it is damaged", type="backup-damaged",
                         file=str(backup))
    metadata = _metadata_nquads(snapshot, manifest.meta_graph)
    recorded = (backup / METADATA).read_bytes() if (backup / METADATA).is_file() else b""
    digest = hashlib.sha256(metadata).hexdigest()
    if digest != manifest.metadata_sha256 or recorded != metadata:
        raise StoreError(f"the metadata graph in the backup {backup} is not the one its "
                         f"manifest and {METADATA} record: it is damaged",
                         type="backup-damaged", file=str(backup))


def _remove_hidden(store: Path, base_iri: str) -> int:
    """Open the restored store as psikg does, which removes what a load in flight left; how
    many quads went."""
    from graph.store import Store

    before = len(ox.Store.read_only(str(store)))
    Store(store, base_iri).close()
    return before - len(ox.Store.read_only(str(store)))


def _metadata_nquads(store: ox.Store, graph: str) -> bytes:
    lines = sorted(str(quad) + " .\n"
                   for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    return "".join(lines).encode()


def _release(text: str) -> tuple[int, ...]:
    """``"1.2.3.dev4"`` → ``(1, 2, 3)``: the numbers that order releases."""
    numbers: list[int] = []
    for part in text.split("."):
        digits = "".join(c for c in part if c.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers)
