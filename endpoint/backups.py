"""``POST /backup``: a consistent backup of the store while ``psikg serve`` runs.

Routes:

- ``POST /backup`` (token): body ``{"destination": "/absolute/new/folder"}``, a folder on
  the server's machine that does not exist or is empty; answers the backup's manifest
  (:class:`graph.backup.BackupManifest`) and ``paused_s``.

Neither ``oxigraph backup`` nor ``pyoxigraph.Store.read_only(…).backup`` can take a
consistent backup beside the running engine: a read-only open's checkpoint leaves out what
is still in the write-ahead log (:mod:`graph.backup`). So the supervisor
(``endpoint/server.py``), the one process that may stop the engine, takes it: a worker
writes the request into the run folder (:func:`request_backup`), the supervisor's watch
loop finds it (:func:`take_requested`), stops the engine, takes Oxigraph's hard-link
checkpoint with the store opened for writing, starts the engine again on the same port,
and writes the result; the worker then writes the manifest from the checkpoint (not from
the live store) and answers.

The pause falls between writes (:mod:`graph.engine.pause`): every write a worker sends to
the engine holds the pause gate shared, and the supervisor waits (up to
:data:`WRITES_WAIT_S`) for the writes under way to be answered before it stops the
engine; a write that arrives meanwhile waits and goes to the restarted engine. So a load
through the server in flight is only slowed down: the backup holds its hidden graphs
(which a restore removes) or its commit. Reads take no lock: one the engine stopped under
is sent again, and a streamed answer already under way is cut, as on any engine restart.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import jsonify

from endpoint.auth import require_writer
from endpoint.body import read_body
from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.metrics import app_metrics
from endpoint.state import state
from graph import backup as backups
from graph.atomic_file import replace_file
from graph.engine.pause import PauseGate
from graph.engine.process import EngineProcess
from graph.engine.process import pid_file
from graph.errors import PsikgError

blueprint = Blueprint("backups", __name__)
log = logging.getLogger("psikg.serve")

WAIT_S = 3600.0
"""Longest a worker waits for the supervisor to take a backup (a large store on another
file system is copied, not linked)."""
WRITES_WAIT_S = 60.0
"""Longest the supervisor waits for the writes under way to be answered before it pauses
the engine (a bulk-loaded part of a load through the server is one write)."""
PICKUP_S = 90.0
"""Longest a request waits for the supervisor to take it up: longer means another backup
is under way (they are taken one at a time) or no supervisor watches the run folder."""
FOLDER = "backups"


@blueprint.post("/backup")
def take() -> Any:
    """Back the store up into ``destination``, a new folder on the server's machine."""
    require_writer()
    current = state()
    run_dir = current.settings.run_dir
    if run_dir is None or not pid_file(run_dir).is_file():
        raise HttpError(503, "backups through the server need `psikg serve` (its supervisor "
                        "pauses the engine); offline, run `psikg backup DIR`",
                        "backups-unavailable")
    destination = _destination(current.settings.store)
    started = time.monotonic()
    outcome = request_backup(run_dir, destination)
    counted = app_metrics(current_app)
    if not outcome.get("ok"):
        counted.backups.labels("failed").inc()
        raise HttpError(503, str(outcome.get("error")), "backup-failed")
    counted.backups.labels("taken").inc()
    counted.backup_pause.observe(float(outcome["paused_s"]))
    manifest = backups.describe(destination, current.settings.store, current.settings.base_iri)
    return jsonify(ok=True, destination=str(destination), paused_s=outcome["paused_s"],
                   seconds=round(time.monotonic() - started, 3),
                   summary=manifest.summary(), manifest=manifest.__dict__)


def _destination(store: Path) -> Path:
    try:
        given = json.loads(read_body(1 << 16) or b"{}")["destination"]
    except (ValueError, KeyError, TypeError):
        raise bad_request('send {"destination": "/absolute/path"} as JSON: a new folder on '
                          "the server's machine", type="invalid-backup-request") from None
    if not isinstance(given, str) or not os.path.isabs(given):
        raise bad_request(f"the backup destination must be an absolute path on the server's "
                          f"machine, not {given!r}", type="invalid-backup-request")
    destination = Path(os.path.normpath(given))
    if destination.is_relative_to(store.resolve()):
        raise bad_request(f"the backup destination {destination} is inside the store",
                          type="invalid-backup-request")
    try:
        backups.check_destination(destination)
    except PsikgError as error:
        raise HttpError(409, error.message, error.type) from None
    return destination


def request_backup(run_dir: Path, destination: Path, wait_s: float = WAIT_S
                   ) -> dict[str, Any]:
    """Ask the supervisor of ``run_dir`` for a checkpoint into ``destination``; its outcome
    ``{"ok", "error"?, "paused_s"}``."""
    folder = run_dir / FOLDER
    folder.mkdir(exist_ok=True)
    name = uuid.uuid4().hex
    asked, result = folder / f"{name}.request", folder / f"{name}.result"
    _write(asked, {"destination": str(destination)})
    started = time.monotonic()
    while time.monotonic() < started + wait_s:
        if result.is_file():
            outcome: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
            result.unlink()
            return outcome
        if time.monotonic() > started + PICKUP_S and asked.exists():
            with contextlib.suppress(FileNotFoundError):  # else taken up just now
                asked.unlink()
                raise HttpError(503, f"the server did not start the backup within "
                                f"{PICKUP_S:g} s: another backup is under way; try again",
                                "backup-busy", headers={"Retry-After": "60"})
        time.sleep(0.05)
    raise HttpError(503, f"the backup was not taken within {wait_s:g} s",
                    "backup-timeout", headers={"Retry-After": "60"})


def take_requested(run_dir: Path, engine: EngineProcess, pid_path: Path) -> None:
    """Take the backups workers asked for (the supervisor calls this in its watch loop):
    pause the engine, checkpoint the store, start the engine again."""
    folder = run_dir / FOLDER
    if not folder.is_dir():
        return
    for asked in sorted(folder.glob("*.request")):
        taken = asked.with_suffix(".taken")
        try:
            os.replace(asked, taken)  # the worker now waits for the result
            destination = Path(json.loads(taken.read_text(encoding="utf-8"))["destination"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # withdrawn by its worker, or not a request
        asked_at = time.monotonic()
        with PauseGate(run_dir).paused(WRITES_WAIT_S) as quiet:
            paused = time.monotonic()
            engine.stop()
            try:
                backups.checkpoint(engine.store, destination)
                outcome: dict[str, Any] = {"ok": True}
            except PsikgError as error:
                outcome = {"ok": False, "error": error.one_line()}
            finally:
                engine.start()
                engine.write_pid(pid_path)
        outcome["paused_s"] = round(time.monotonic() - paused, 3)
        outcome["waited_s"] = round(paused - asked_at, 3)
        if not quiet:
            log.warning("backup: writes were still under way after %g s; the engine was "
                        "paused under them", WRITES_WAIT_S)
        _write(folder / (asked.stem + ".result"), outcome)
        taken.unlink()


def _write(path: Path, value: dict[str, Any]) -> None:
    replace_file(path, json.dumps(value))
