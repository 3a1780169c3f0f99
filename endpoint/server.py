"""``psikg serve`` at run time: a supervisor with two children, the query engine and the WSGI
server.

::

    psikg serve (supervisor) ─┬─ oxigraph serve --location STORE --bind 127.0.0.1:<free>
                              └─ granian|gunicorn → N workers × T threads → create_app()

The supervisor opens the store once as psikg (cleaning up a dead load), starts the engine,
writes the settings and the engine's pid into a private run folder, and starts the WSGI
server on it. When the engine dies, because a worker killed it to stop a runaway query or
because it crashed, the supervisor starts it again on the same port; workers reconnect by
themselves. SIGTERM or Ctrl-C stops the WSGI server first, then the engine. With
``--schedule`` or ``--watch``, its loop also runs the scheduler (:mod:`endpoint.scheduler`)
once the WSGI server accepts connections.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from endpoint.access_log import check_target as check_access_log
from endpoint.backups import take_requested
from endpoint.metrics import MULTIPROCESS_VARIABLE
from endpoint.metrics import count_engine_restart
from endpoint.metrics import multiprocess_folder
from endpoint.scheduler import Job
from endpoint.scheduler import Scheduler
from endpoint.watched_folder import WatchedFolder
from endpoint.wsgi import SETTINGS_VARIABLE
from graph.engine import serving
from graph.engine.process import EngineProcess
from graph.engine.process import dies_with_parent
from graph.engine.process import listens
from graph.engine.process import pid_file
from graph.engine.process import prepare_store
from graph.errors import UsageError
from graph.scheduled_runs import RunLog
from graph.scheduled_runs import runs_file
from graph.settings import Settings

log = logging.getLogger("psikg.serve")


DEFAULT_TARGET = "endpoint.wsgi:app_from_environment"
"""The app factory the workers load unless the caller names its own (``psikg serve`` names
``psikg.wsgi:app_from_environment``, which plugs in the hooks it composes)."""


def wsgi_command(settings: Settings, target: str = DEFAULT_TARGET) -> list[str]:
    """The command line of the WSGI server for ``settings``, loading the factory ``target``.

    :raises UsageError: if ``wsgi_server`` is neither ``granian`` nor ``gunicorn``.
    """
    if settings.wsgi_server == "granian":
        return [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory",
                "--host", settings.host, "--port", str(settings.port),
                "--workers", str(settings.workers),
                "--blocking-threads", str(settings.threads),
                "--backpressure", str(settings.threads * 4),
                "--no-ws", "--log-level", "warning", target]
    if settings.wsgi_server == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "--bind", f"{settings.host}:{settings.port}",
                "--workers", str(settings.workers), "--threads", str(settings.threads),
                "--worker-class", "gthread", "--keep-alive", "5", "--log-level", "warning",
                f"{target}()"]
    raise UsageError(f"unknown WSGI server {settings.wsgi_server!r}", type="invalid-setting",
                     value=settings.wsgi_server, expected="granian or gunicorn")


class Supervisor:
    """Runs the engine and the WSGI server until told to stop."""

    def __init__(self, settings: Settings, jobs: Sequence[Job] = (),
                 folders: Sequence[WatchedFolder] = (), target: str = DEFAULT_TARGET) -> None:
        settings.read_update_token()  # a bad token file stops us before anything starts
        check_access_log(settings.access_log)
        self.run_dir = Path(tempfile.mkdtemp(prefix="psikg-serve-"))
        self.pid_file = pid_file(self.run_dir)
        # in front of an engine it does not run (--engine-url), psikg starts none
        self.engine = None if settings.remote_engine else EngineProcess(
            settings.store, log=self.run_dir / "engine.log")
        self.settings = dataclasses.replace(
            settings, engine_url=self.engine.url if self.engine else settings.engine_url,
            run_dir=self.run_dir)
        self.web: subprocess.Popen[bytes] | None = None
        self.stopping = False
        # with nothing to run but the record of an earlier --schedule, the scheduler still
        # starts: it empties the plan, so that /admin shows no source as scheduled
        record = runs_file(settings.store)
        self.scheduler = Scheduler(
            list(jobs), RunLog(record), self.run_dir / "runs", folders,
            ready=lambda: listens(self.settings.local_url),
        ) if jobs or folders or record.exists() else None
        self.target = target

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT or until the WSGI server exits; its exit code."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop)
        try:
            if self.engine is not None:
                prepare_store(self.settings.store, self.settings.base_iri)
                self.engine.start()
                self.engine.write_pid(self.pid_file)
                serving.announce(self.settings.store, self.settings.url, os.getpid(),
                                 self.settings.base_iri)
            settings_file = self.run_dir / "settings.json"
            settings_file.write_text(self.settings.to_json(), encoding="utf-8")
            self.web = subprocess.Popen(dies_with_parent(wsgi_command(self.settings,
                                                                      self.target)),
                                        start_new_session=True,
                                        env={**os.environ, SETTINGS_VARIABLE: str(settings_file),
                                             **_metrics_environment(self.run_dir)})
            log.warning("psikg serving %s on %s (engine on %s)", self.settings.store
                        if self.engine else f"the {self.settings.engine_kind} engine",
                        self.settings.url, self.settings.engine_url)
            if self.scheduler is not None:
                self.scheduler.start()
            return self._watch()
        finally:
            self._shutdown()

    def _watch(self) -> int:
        assert self.web is not None
        while not self.stopping:
            code = self.web.poll()
            if code is not None:
                return code
            process = self.engine.process if self.engine else None
            if process is not None and process.poll() is not None and not self.stopping:
                log.warning("the query engine stopped (exit %s): restarting it",
                            process.returncode)
                assert self.engine is not None
                self.engine.start()
                self.engine.write_pid(self.pid_file)
                count_engine_restart(self.run_dir)
            if self.engine is not None:
                take_requested(self.run_dir, self.engine, self.pid_file)
            if self.scheduler is not None:
                self.scheduler.tick()
            time.sleep(0.05)
        return 0

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _shutdown(self) -> None:
        self.stopping = True
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.web is not None:
            stop_group(self.web)
        if self.engine is not None:
            self.engine.stop()
            serving.withdraw(self.settings.store, os.getpid())
        shutil.rmtree(self.run_dir, ignore_errors=True)


def _metrics_environment(run_dir: Path) -> dict[str, str]:
    """Where the WSGI workers keep their counters, so that ``/metrics`` sums them all."""
    return {MULTIPROCESS_VARIABLE: str(multiprocess_folder(run_dir))}


def stop_group(process: subprocess.Popen[bytes], grace_s: float = 10.0) -> None:
    """Stop a WSGI server started in a session of its own, workers included.

    Its workers are its children: killing the master alone after the grace period
    left a worker running, orphaned, holding the serve command's output open (a caller
    reading it to the end then waited forever). The whole process group is signalled
    instead, SIGTERM first, SIGKILL for whatever is left after ``grace_s``.
    """
    group = process.pid
    if process.poll() is None:
        _signal_group(group, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace_s)
    _signal_group(group, signal.SIGKILL)  # workers the master left behind, if any
    process.wait()


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # nobody left in the group
        os.killpg(group, signum)


def serve(settings: Settings, jobs: Sequence[Job] = (),
          folders: Sequence[WatchedFolder] = (), target: str = DEFAULT_TARGET) -> int:
    """Run ``psikg serve`` with ``settings``, ``jobs`` on their schedules, the files of
    ``folders`` when they change, and workers loading the app factory ``target``; the exit
    code."""
    logging.basicConfig(format="%(asctime)s %(name)s: %(message)s")
    return Supervisor(settings, jobs, folders, target).run()
