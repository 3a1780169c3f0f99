"""Validations with a deadline: each runs in a child process, killed when it runs too long.

pyshacl cannot be interrupted: a thread running it runs to the end, however long a
document makes it. The validation service (``POST /validate``) must answer within its
``validate_timeout_s`` and go on serving, so each validation is sent to a child process,
and a child that outlives its deadline is killed. Children are kept between validations
(at most :attr:`ValidationWorkers.keep` idle), so each parses the shapes once and keeps
them in its cache (:func:`graph.validation.shapes.shape_set`); a killed child is simply
not given back.

Children are started with ``forkserver``, never forked from the server's threads. What
crosses to a child is the document as N-Triples and the profile; what comes back is the
:class:`ValidationReport`, or a :class:`PsikgError`'s fields.
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import InputError
from graph.errors import PsikgError
from graph.validation.profiles import ProfileName
from graph.validation.profiles import semic_files
from graph.validation.profiles import validate_triples
from graph.validation.report import ValidationReport


class ValidationTimeout(PsikgError):
    """A validation stopped at its deadline (or whose child process died)."""


@dataclass(frozen=True)
class Job:
    """What a child validates: a document's triples as N-Triples, under one profile."""

    ntriples: bytes
    name: str
    profile: ProfileName
    semic_folder: Path | None


class _Child:
    """One validating child process and our end of its pipe."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("forkserver")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs,), daemon=True,
                                       name="psikg-validate")
        self.process.start()
        theirs.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class ValidationWorkers:
    """The children of one app, handed to one validation at a time."""

    def __init__(self, keep: int = 1) -> None:
        self.keep = keep
        """Idle children kept for the next validations; more are started when needed, and
        stopped after. One, by default: a child that has read SEMIC's shapes and a large
        document holds a few hundred megabytes, in each worker process."""
        self._idle: list[_Child] = []
        self._lock = threading.Lock()

    def validate(self, triples: list[ox.Triple], name: str, profile: ProfileName,
                 semic_folder: Path | None, timeout_s: float) -> ValidationReport:
        """The report of ``triples`` under ``profile``, computed in a child.

        :raises ProfileUnavailable: if a SEMIC profile's files are missing (checked here,
            before a child is asked).
        :raises ValidationTimeout: if it takes longer than ``timeout_s``.
        :raises PsikgError: what the validation raised (a shapes file that does not parse).
        """
        for one in ("dcat-ap", "hvd"):
            if profile in (one, "all"):
                semic_files(semic_folder, one)
        job = Job(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", name, profile,
                  semic_folder)
        child = self._take()
        try:
            child.connection.send(job)
            if not child.connection.poll(timeout_s):
                raise ValidationTimeout(
                    f"the validation ran longer than {timeout_s:g} s and was stopped",
                    type="validation-timeout", expected="a smaller document, or a larger "
                    "validate_timeout_s on the server")
            kind, value = child.connection.recv()
        except (EOFError, OSError):
            child.kill()
            raise ValidationTimeout("the validation process ended before it answered",
                                    type="validation-crashed") from None
        except ValidationTimeout:
            child.kill()
            raise
        self._give_back(child)
        if kind == "error":
            raise InputError(**value)
        report: ValidationReport = value
        return report

    def close(self) -> None:
        """Stop every idle child."""
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.kill()

    def _take(self) -> _Child:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.process.is_alive():
                    return child
                child.connection.close()
        return _Child()

    def _give_back(self, child: _Child) -> None:
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(child)
                return
        child.kill()


def _serve(connection: Connection) -> None:
    """A child's life: validate each job it is sent, until its parent goes."""
    while True:
        try:
            job: Job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(_outcome(job))


def _outcome(job: Job) -> tuple[str, Any]:
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse(job.ntriples, format=ox.RdfFormat.N_TRIPLES)]
    try:
        return "report", validate_triples(triples, job.name, job.profile, job.semic_folder)
    except PsikgError as error:
        fields = {key: getattr(error, key) for key in
                  ("message", "type", "file", "line", "column", "value", "expected")}
        return "error", fields
