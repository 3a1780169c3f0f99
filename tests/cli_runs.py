"""``psikg`` in this process or in a child process, both answering a
:class:`subprocess.CompletedProcess` (``returncode``, ``stdout``, ``stderr`` as text).

In this process the command line runs through the same entry point as the ``psikg`` script
(:func:`psikg.cli.main`, whose last line of defence turns a bug into one line and exit 1)
inside click's :class:`~click.testing.CliRunner` isolation: its output is captured, its
``PSIKG_`` variables removed, and it costs no interpreter start. A child process is kept
where the process itself is what a test checks: exit codes and signals across a real
process, locks between processes, and what a real run prints on stderr.
"""

from __future__ import annotations

import io
import locale
import os
import subprocess
import sys
import traceback
from collections.abc import Mapping
from collections.abc import Sequence

from click.testing import CliRunner

from psikg.cli import main


def _environment_without_psikg() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}


def _as_text(data: bytes) -> str:
    """``data`` decoded as ``subprocess.run(..., text=True)`` decodes a child's output
    (the locale's encoding, universal newlines)."""
    encoding = locale.getpreferredencoding(False)
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=None).read()


def run_in_process(arguments: Sequence[str], env: Mapping[str, str] | None = None
                   ) -> subprocess.CompletedProcess[str]:
    """``psikg ARGUMENTS…`` through :func:`psikg.cli.main`, without a new interpreter.

    :param env: variables to set for the run, after every ``PSIKG_`` one is removed.
    """
    variables: dict[str, str | None] = {k: None for k in os.environ if k.startswith("PSIKG_")}
    variables.update(env or {})
    argv = sys.argv
    with CliRunner().isolation(env=variables) as (stdout, stderr, _):
        sys.argv = ["psikg", *arguments]
        try:
            main()
            code = 0
        except SystemExit as done:
            code = _exit_code(done)
        except BaseException:  # noqa: BLE001 - what the interpreter would print, and exit 1
            traceback.print_exc(file=sys.stderr)
            code = 1
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        output, errors = stdout.getvalue(), stderr.getvalue()
    return subprocess.CompletedProcess(["psikg", *arguments], code, _as_text(output),
                                       _as_text(errors))


def _exit_code(done: SystemExit) -> int:
    """The status a process exiting with ``done`` would have (a message means 1)."""
    if done.code is None:
        return 0
    if isinstance(done.code, int):
        return done.code
    print(done.code, file=sys.stderr)
    return 1


def run_process(arguments: Sequence[str], timeout: float = 120,
                env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m psikg ARGUMENTS…`` in a child process, as a user runs it.

    :param env: variables to set, after every ``PSIKG_`` one is removed.
    """
    return subprocess.run([sys.executable, "-m", "psikg", *arguments], capture_output=True,
                          text=True, timeout=timeout,
                          env={**_environment_without_psikg(), **(env or {})})
