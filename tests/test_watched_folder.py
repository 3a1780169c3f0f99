"""Registers in a watched folder (``endpoint.watched_folder``), run by the scheduler with
real child processes and its real record: a new or changed file (or its CSVW metadata) is
run once it has settled, an unchanged one never again, not even after a restart; a failed
one waits for its next change."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from endpoint.scheduler import Scheduler
from endpoint.watched_folder import WatchedFolder
from graph.scheduled_runs import Run
from graph.scheduled_runs import RunLog
from graph.scheduled_runs import runs_file

pytestmark = pytest.mark.slow  # each waits for files to settle, in seconds

# the "load": prints what it read, fails on a file that says so
LOAD = ("import sys; text = open(sys.argv[1]).read(); print('loaded', sys.argv[1]); "
        "sys.exit(1 if 'bad' in text else 0)")


def folder(path: Path) -> WatchedFolder:
    return WatchedFolder("load", path, (".csv", ".xlsx"), (sys.executable, "-c", LOAD),
                         ("{stem}-metadata.json",), scan_s=0.1, settle_s=0.3)


def ended_runs(record: RunLog, name: str) -> list[Run]:
    return [run for run in record.runs("load", name, limit=100) if run.ended]


def settle(scheduler: Scheduler, seconds: float = 1.5) -> None:
    """Tick long enough for a change to settle and its run to end."""
    end = time.monotonic() + seconds
    while time.monotonic() < end or scheduler.running:
        scheduler.tick()
        time.sleep(0.02)


def touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time() + 1  # a new mtime even within the file system's resolution
    os.utime(path, (later, later))


@pytest.fixture
def record(tmp_path: Path) -> RunLog:
    return RunLog(runs_file(tmp_path / "store"))


def test_a_register_runs_when_it_or_its_metadata_changes_and_only_then(
        tmp_path: Path, record: RunLog) -> None:
    registers = tmp_path / "registers"
    registers.mkdir()
    (registers / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (registers / "notes.txt").write_text("not a register", encoding="utf-8")
    (registers / ".hidden.csv").write_text("x\n", encoding="utf-8")
    scheduler = Scheduler([], record, tmp_path / "work", [folder(registers)])
    scheduler.start()
    settle(scheduler)
    [first] = ended_runs(record, "a.csv")
    assert first.result == "ok" and first.summary == f"loaded {registers / 'a.csv'}"
    assert record.runs("load", "notes.txt") == [] and record.runs("load", ".hidden.csv") == []
    settle(scheduler, 0.8)
    assert len(ended_runs(record, "a.csv")) == 1  # unchanged: not run again
    touch(registers / "a-metadata.json", "{}")
    settle(scheduler)
    assert len(ended_runs(record, "a.csv")) == 2
    touch(registers / "a.csv", "x\n2\n")
    settle(scheduler)
    assert len(ended_runs(record, "a.csv")) == 3
    [planned] = record.planned()
    assert (planned.kind, planned.source, planned.next_run) == ("load", "a.csv", None)
    assert planned.schedule == f"when changed in {registers}"


def test_a_restart_reloads_nothing_unchanged_and_a_failed_load_waits_for_a_change(
        tmp_path: Path, record: RunLog) -> None:
    registers = tmp_path / "registers"
    registers.mkdir()
    (registers / "good.csv").write_text("x\n1\n", encoding="utf-8")
    (registers / "broken.csv").write_text("bad\n", encoding="utf-8")
    first = Scheduler([], record, tmp_path / "work", [folder(registers)])
    first.start()
    settle(first)
    assert [r.result for r in ended_runs(record, "good.csv")] == ["ok"]
    assert [r.result for r in ended_runs(record, "broken.csv")] == ["failed"]
    settle(first, 0.8)
    assert len(ended_runs(record, "broken.csv")) == 1  # not retried in a loop
    first.stop()
    second = Scheduler([], record, tmp_path / "work", [folder(registers)])
    second.start()
    settle(second)
    assert len(ended_runs(record, "good.csv")) == 1 and len(ended_runs(record, "broken.csv")) == 1
    touch(registers / "broken.csv", "fixed\n")
    settle(second)
    assert [r.result for r in ended_runs(record, "broken.csv")] == ["ok", "failed"]


def test_a_file_still_being_written_waits_until_it_settles(tmp_path: Path,
                                                           record: RunLog) -> None:
    registers = tmp_path / "registers"
    registers.mkdir()
    growing = registers / "big.csv"
    growing.write_text("x\n", encoding="utf-8")
    watched = WatchedFolder("load", registers, (".csv",), (sys.executable, "-c", LOAD),
                            scan_s=0.05, settle_s=0.6)
    scheduler = Scheduler([], record, tmp_path / "work", [watched])
    scheduler.start()
    end = time.monotonic() + 1.5
    while time.monotonic() < end:  # a copy that goes on for 1.5 s
        with growing.open("a", encoding="utf-8") as stream:
            stream.write("1\n")
        scheduler.tick()
        time.sleep(0.1)
    assert record.runs("load", "big.csv") == []
    settle(scheduler, 1.2)
    [run] = ended_runs(record, "big.csv")
    assert run.result == "ok"
