"""The scheduler inside ``psikg serve``: runs commands (the harvests of ``harvest.toml``)
on their schedules, and the files of a watched folder (registers, ``psikg load``) when
they change (:mod:`endpoint.watched_folder`), one child process per run, and records
every run.

It lives in ``endpoint`` because the supervisor (:mod:`endpoint.server`) runs it, in its
own loop, once per server: the WSGI workers never schedule anything, so a run is started
by one process however many workers serve. It knows nothing of harvests: ``endpoint``
may not import ``loaders`` or ``psikg``, so the command line reads ``harvest.toml`` and
hands the supervisor :class:`Job` values, each a command line (``psikg harvest --source
NAME … --server URL --token-file FILE``) and a :class:`graph.schedule.Schedule`. A run
as a child process is isolated: a harvest that crashes, leaks or hangs takes nothing down
with it, its memory goes back when it exits, and a run past its ``timeout_s`` is killed
(its load through the server stays hidden and the old graph whole, ``endpoint/README.md``).

Two runs of one source never overlap: a source with a child still running is not started
again (a run longer than its interval delays the next one, which starts as soon as it
ends), and every run is first claimed in the record (:class:`graph.scheduled_runs.RunLog`),
which refuses a second open run of a source whichever process asks. A failing source
fails alone: each run is its own process and its own record, and an error of the
scheduler itself (the record unwritable) is logged and retried, never raised into the
supervisor's loop.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from endpoint.watched_folder import Settling
from endpoint.watched_folder import WatchedFolder
from graph.errors import StoreError
from graph.schedule import Schedule
from graph.schedule import duration_text
from graph.scheduled_runs import Planned
from graph.scheduled_runs import RunLog

log = logging.getLogger("psikg.scheduler")

REPORT_BYTES = 64 * 1024
"""Most of a run's output kept as its report: its start and its end, the middle cut."""

RETRY_S = 30.0
"""How long a source waits when its run could not be started or recorded."""

MAX_RUNNING = 2
"""Runs at once, by default: a harvest or a load is a whole Python process beside the
server's own, so the others wait their turn (earliest due first)."""

_WARNING = re.compile(r"^\s*warning:", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Job:
    """A command to run on a schedule.

    :param kind: what it does, as ``/admin`` groups it (``harvest``).
    :param source: its name, unique within ``kind``.
    :param command: the child's command line.
    :param timeout_s: a run still going after this long is killed and recorded failed.
    """

    kind: str
    source: str
    schedule: Schedule | None
    """``None`` for a file of a watched folder, run when it changes."""
    command: tuple[str, ...]
    timeout_s: float = 3600.0


@dataclass
class _Running:
    job: Job
    run_id: int
    process: subprocess.Popen[bytes]
    output: Path
    started: datetime
    deadline: float


def now_utc() -> datetime:
    return datetime.now(UTC)


class Scheduler:
    """Starts each job when due, watches its child, records the outcome.

    :param jobs: what to run on schedules.
    :param folders: folders whose files each run when they change.
    :param runs: the record beside the store.
    :param work_dir: where the children's output is kept while they run.
    :param ready: whether runs may start yet (the WSGI server they talk to answers).
    :param max_running: most runs at once.
    """

    def __init__(self, jobs: list[Job], runs: RunLog, work_dir: Path,
                 folders: Sequence[WatchedFolder] = (),
                 ready: Callable[[], bool] = lambda: True,
                 environ: Mapping[str, str] | None = None,
                 clock: Callable[[], datetime] = now_utc,
                 max_running: int = MAX_RUNNING) -> None:
        self.jobs = jobs
        self.max_running = max_running
        self.runs = runs
        self.work_dir = work_dir
        self.ready = ready
        self.environ = dict(os.environ if environ is None else environ)
        self.clock = clock
        self.next_runs: dict[tuple[str, str], datetime] = {}
        self.running: dict[tuple[str, str], _Running] = {}
        self._is_ready = False
        self.folders = list(folders)
        self.watched: dict[tuple[str, str], WatchedFolder] = {}
        self.loaded: dict[tuple[str, str], str] = {}
        """The version of each watched file's last run."""
        self.settling = Settling()
        self._next_scan = 0.0

    def start(self) -> None:
        """Close the runs a previous server left open, and plan each job's next run from
        its last one.

        :raises StoreError: if the record cannot be written.
        """
        now = self.clock()
        try:
            self.work_dir.mkdir(parents=True, exist_ok=True)
            closed = self.runs.close_unfinished(now, "psikg serve stopped during this run")
            for job in self.jobs:
                if job.schedule is not None:
                    last = self.runs.last_start(job.kind, job.source)
                    self.next_runs[_key(job)] = job.schedule.next_run(last, now)
            self._publish()
        except (sqlite3.Error, OSError) as error:
            raise StoreError(f"cannot write the record of scheduled runs: {error}",
                             type="run-record", file=str(self.runs.path)) from None
        if closed:
            log.warning("%d scheduled runs were cut by a stop of psikg serve", closed)

    def tick(self) -> None:
        """Collect the runs that ended, start those that are due; never raises for a
        run or for the record (logged, then tried again)."""
        try:
            self._collect()
            if not self._is_ready:
                self._is_ready = self.ready()
                if not self._is_ready:
                    return
            now = self.clock()
            for job in sorted(self.jobs, key=lambda job: self.next_runs.get(_key(job), now)):
                if len(self.running) >= self.max_running:
                    break
                if _key(job) not in self.running and self.next_runs[_key(job)] <= now:
                    self._launch(job, now)
            if self.folders and time.monotonic() >= self._next_scan:
                self._next_scan = time.monotonic() + min(f.scan_s for f in self.folders)
                self._scan(now)
        except (sqlite3.Error, OSError) as error:
            log.error("scheduler: %s; trying again in %g s", error, RETRY_S)
            for key, due in self.next_runs.items():
                self.next_runs[key] = max(due, self.clock() + timedelta(seconds=RETRY_S))
            self._next_scan = time.monotonic() + RETRY_S

    def stop(self) -> None:
        """Kill the runs in progress (the server stops) and record them failed; a record
        that cannot be written is left for :meth:`start` to close."""
        for running in list(self.running.values()):
            _kill(running.process)
            try:
                self._record(running, "failed", _read(running.output),
                             "psikg serve stopped during this run")
            except (sqlite3.Error, OSError) as error:
                log.error("scheduler: %s", error)
        self.running.clear()

    def _scan(self, now: datetime) -> None:
        """Start a run of each watched file whose version changed and settled."""
        listed: dict[tuple[str, str], WatchedFolder] = {}
        for folder in self.folders:
            try:
                versions = folder.versions()
            except OSError as error:  # the folder went away: its files are not watched
                log.error("watched folder %s: %s", folder.folder, error)
                continue
            for name, (path, version) in versions.items():
                key = (folder.kind, name)
                listed[key] = folder
                if key not in self.loaded:
                    self.loaded[key] = self.runs.last_version(*key) or ""
                if version == self.loaded[key] or key in self.running:
                    self.settling.forget(key)
                elif len(self.running) < self.max_running and self.settling.settled(
                        key, version, time.monotonic(), folder.settle_s):
                    job = Job(folder.kind, name, None, (*folder.command, str(path)),
                              folder.timeout_s)
                    if self._launch(job, now, version):
                        self.loaded[key] = version
        if listed.keys() != self.watched.keys():
            self.watched = listed
            self._publish()

    def _launch(self, job: Job, now: datetime, version: str = "") -> bool:
        """Claim and start a run of ``job``; whether it was recorded (started, or failed
        to start)."""
        run_id = self.runs.claim(job.kind, job.source, now, version)
        if run_id is None:
            log.warning("%s %s: a run is still open in the record; not starting another",
                        job.kind, job.source)
            if job.schedule is not None:
                self.next_runs[_key(job)] = now + timedelta(seconds=RETRY_S)
            return False
        output = self.work_dir / f"{run_id}.log"
        try:
            with output.open("wb") as sink:
                process = subprocess.Popen(job.command, stdin=subprocess.DEVNULL, stdout=sink,
                                           stderr=subprocess.STDOUT, env=self.environ,
                                           start_new_session=True)
        except OSError as error:
            self.runs.finish(run_id, self.clock(), "failed", f"could not start: {error}", "")
            self._plan_next(job, now)
            return True
        self.running[_key(job)] = _Running(job, run_id, process, output, now,
                                           time.monotonic() + job.timeout_s)
        log.info("%s %s: started (run %d)", job.kind, job.source, run_id)
        self._plan_next(job, now)
        return True

    def _plan_next(self, job: Job, started: datetime) -> None:
        if job.schedule is not None:
            self.next_runs[_key(job)] = job.schedule.next_run(started, started)
        self._publish()

    def _collect(self) -> None:
        for key, running in list(self.running.items()):
            code = running.process.poll()
            if code is None and time.monotonic() < running.deadline:
                continue
            if code is None:
                _kill(running.process)
            report = _read(running.output)
            if code is None:
                self._record(running, "failed", report, "stopped after its timeout of "
                             f"{duration_text(running.job.timeout_s)}")
            else:
                self._record(running, _result(code, report), report)
            del self.running[key]  # once recorded: a record that failed is tried again

    def _record(self, running: _Running, result: str, report: str, note: str = "") -> None:
        summary = note or _summary(report, result) or f"exit {running.process.returncode}"
        self.runs.finish(running.run_id, self.clock(), result, summary[:500], report)
        with contextlib.suppress(OSError):
            running.output.unlink()
        log.log(logging.INFO if result == "ok" else logging.WARNING, "%s %s: %s (run %d): %s",
                running.job.kind, running.job.source, result, running.run_id, summary[:200])
        self._publish()

    def _publish(self) -> None:
        self.runs.plan([Planned(job.kind, job.source, job.schedule.text(),
                                self.next_runs.get(_key(job)))
                        for job in self.jobs if job.schedule is not None]
                       + [Planned(kind, name, folder.schedule_text(), None)
                          for (kind, name), folder in sorted(self.watched.items())])


def _key(job: Job) -> tuple[str, str]:
    return (job.kind, job.source)


def _result(code: int, output: str) -> str:
    """``failed`` for a non-zero exit, ``warnings`` if the output has a ``warning:`` line.

    >>> _result(1, ""), _result(0, "x: harvested\\n  warning: links-failed: …"), _result(0, "x")
    ('failed', 'warnings', 'ok')
    """
    if code != 0:
        return "failed"
    return "warnings" if _WARNING.search(output) else "ok"


def _summary(report: str, result: str) -> str:
    """The line that says the most: a failure's ``Error:`` line, else the first line."""
    lines = [line.strip() for line in report.splitlines() if line.strip()]
    if result == "failed":
        errors = [line for line in lines if line.startswith("Error:")]
        if errors:
            return errors[-1]
    return lines[0] if lines else ""


def _read(path: Path) -> str:
    """A run's output as text, its middle cut past :data:`REPORT_BYTES`."""
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    if len(data) > REPORT_BYTES:
        head, tail = REPORT_BYTES // 4, REPORT_BYTES * 3 // 4
        cut = len(data) - head - tail
        data = data[:head] + f"\n… {cut} bytes cut …\n".encode() + data[-tail:]
    return data.decode("utf-8", errors="replace")


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill a run and whatever it started (it leads a process group of its own)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
