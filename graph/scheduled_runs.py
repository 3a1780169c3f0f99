"""The record of scheduled runs (harvests, reloads), kept beside the store so that it
outlives a restart.

The scheduler inside ``psikg serve`` (:mod:`endpoint.scheduler`) writes it: each run's
source, start, end, result and report, and each source's schedule and next run. The
``/admin`` page (:mod:`endpoint.admin`), served by the WSGI workers, reads it. It is
SQLite (the standard library's, made for one small file that several processes share) in
``.STORE.psikg-runs.sqlite`` next to the store folder, never inside it (the folder is
RocksDB's), like the announcement of :mod:`graph.engine.serving`.

A run is *claimed* before it starts, in one ``BEGIN IMMEDIATE`` transaction that fails
when the source already has a run without an end: that, not the scheduler's memory, is
what keeps two runs of one source from overlapping, whichever process asks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from typing import cast

RESULTS = ("ok", "warnings", "failed")
"""How a run ended: it worked; it worked and said ``warning:``; it failed (or timed out,
or was cut by a stop of the server)."""

KEEP_RUNS = 100
"""Runs kept per source; older ones are dropped when a run ends."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, source TEXT NOT NULL,
    started TEXT NOT NULL, ended TEXT, result TEXT,
    summary TEXT NOT NULL DEFAULT '', report TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS runs_of_source ON runs (kind, source, id);
CREATE TABLE IF NOT EXISTS sources (
    kind TEXT NOT NULL, source TEXT NOT NULL, schedule TEXT NOT NULL,
    next_run TEXT, PRIMARY KEY (kind, source));
"""


def runs_file(store: Path) -> Path:
    """The record of the scheduled runs on ``store``, beside it."""
    store = Path(store).resolve()
    return store.parent / f".{store.name}.psikg-runs.sqlite"


@dataclass(frozen=True)
class Run:
    """One run of a source; ``ended`` and ``result`` are ``None`` while it runs."""

    id: int
    kind: str
    source: str
    started: datetime
    ended: datetime | None
    result: str | None
    summary: str
    report: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "source": self.source,
                "started": self.started.isoformat(),
                "ended": self.ended.isoformat() if self.ended else None,
                "duration_s": (round((self.ended - self.started).total_seconds(), 3)
                               if self.ended else None),
                "result": self.result or "running", "summary": self.summary,
                "report": self.report}


@dataclass(frozen=True)
class Planned:
    """A scheduled source as the scheduler sees it: its schedule and its next run."""

    kind: str
    source: str
    schedule: str
    next_run: datetime | None


class RunLog:
    """The record in one SQLite file; every call opens and closes its own connection, so
    one object serves threads and forked processes alike."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _database(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            if write:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            else:
                yield db

    def claim(self, kind: str, source: str, started: datetime, version: str = "") -> int | None:
        """Record that a run of ``source`` starts; its id, or ``None`` if one is running.

        :param version: what the run reads (a watched file's size and time), if it matters.
        """
        with self._database(write=True) as db:
            running = db.execute("SELECT 1 FROM runs WHERE kind = ? AND source = ? AND "
                                 "ended IS NULL", (kind, source)).fetchone()
            if running:
                return None
            cursor = db.execute("INSERT INTO runs (kind, source, started, version) "
                                "VALUES (?, ?, ?, ?)", (kind, source, started.isoformat(),
                                                        version))
            return cursor.lastrowid

    def finish(self, run_id: int, ended: datetime, result: str, summary: str,
               report: str) -> None:
        """Record how run ``run_id`` ended, and drop the oldest runs past :data:`KEEP_RUNS`.

        :raises ValueError: if ``result`` is not one of :data:`RESULTS`.
        """
        if result not in RESULTS:
            raise ValueError(f"unknown result {result!r}")
        with self._database(write=True) as db:
            db.execute("UPDATE runs SET ended = ?, result = ?, summary = ?, report = ? "
                       "WHERE id = ?", (ended.isoformat(), result, summary, report, run_id))
            db.execute("DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE (kind, source)"
                       " = (SELECT kind, source FROM runs WHERE id = ?) AND ended IS NOT NULL "
                       "ORDER BY id DESC LIMIT -1 OFFSET ?)", (run_id, KEEP_RUNS))

    def close_unfinished(self, ended: datetime, summary: str) -> int:
        """End every run still open (its server stopped under it) as failed; how many."""
        with self._database(write=True) as db:
            cursor = db.execute("UPDATE runs SET ended = ?, result = 'failed', summary = ? "
                                "WHERE ended IS NULL", (ended.isoformat(), summary))
            return cursor.rowcount

    def last_start(self, kind: str, source: str) -> datetime | None:
        """When the last run of ``source`` started, if it ever ran."""
        with self._database() as db:
            row = db.execute("SELECT MAX(started) FROM runs WHERE kind = ? AND source = ?",
                             (kind, source)).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def last_version(self, kind: str, source: str) -> str | None:
        """The version the last run of ``source`` read, if it ever ran."""
        with self._database() as db:
            row = db.execute("SELECT version FROM runs WHERE kind = ? AND source = ? "
                             "ORDER BY id DESC LIMIT 1", (kind, source)).fetchone()
        return str(row[0]) if row else None

    def plan(self, planned: list[Planned]) -> None:
        """Replace the scheduled sources and their next runs (what ``/admin`` shows)."""
        with self._database(write=True) as db:
            db.execute("DELETE FROM sources")
            db.executemany("INSERT INTO sources VALUES (?, ?, ?, ?)", [
                (p.kind, p.source, p.schedule, p.next_run.isoformat() if p.next_run else None)
                for p in planned])

    def planned(self) -> list[Planned]:
        """The scheduled sources, by kind and name."""
        with self._database() as db:
            rows = db.execute("SELECT kind, source, schedule, next_run FROM sources "
                              "ORDER BY kind, source").fetchall()
        return [Planned(kind, source, schedule, _time(next_run))
                for kind, source, schedule, next_run in rows]

    def runs(self, kind: str | None = None, source: str | None = None,
             limit: int = 20) -> list[Run]:
        """The latest runs, newest first, of one source or of all."""
        where, values = "", cast(tuple[str, ...], ())
        if kind is not None and source is not None:
            where, values = "WHERE kind = ? AND source = ?", (kind, source)
        with self._database() as db:
            rows = db.execute(f"SELECT id, kind, source, started, ended, result, summary, "
                              f"report FROM runs {where} ORDER BY id DESC LIMIT ?",
                              (*values, limit)).fetchall()
        return [Run(row[0], row[1], row[2], datetime.fromisoformat(row[3]), _time(row[4]),
                    row[5], row[6], row[7]) for row in rows]


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
