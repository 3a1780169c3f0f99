"""The scheduler of ``psikg serve`` (``endpoint.scheduler``) with real child processes and
its real record (``graph.scheduled_runs``): results, no overlap, timeouts, a crash that
stays alone, and a restart that keeps the rhythm."""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from endpoint.scheduler import REPORT_BYTES
from endpoint.scheduler import Job
from endpoint.scheduler import Scheduler
from graph.schedule import Schedule
from graph.scheduled_runs import RunLog
from graph.scheduled_runs import runs_file


def python(code: str) -> tuple[str, ...]:
    return (sys.executable, "-c", code)


def job(source: str, code: str, every_s: float = 0.2, timeout_s: float = 30) -> Job:
    return Job("harvest", source, Schedule(every_s=every_s), python(code), timeout_s)


def run_for(scheduler: Scheduler, seconds: float) -> None:
    scheduler.start()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        scheduler.tick()
        time.sleep(0.02)


def wait_for_runs(scheduler: Scheduler, source: str, count: int, limit_s: float = 30) -> None:
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        scheduler.tick()
        done = [r for r in scheduler.runs.runs("harvest", source, limit=100) if r.ended]
        if len(done) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} runs of {source} in {limit_s} s")


@pytest.fixture
def record(tmp_path: Path) -> RunLog:
    return RunLog(runs_file(tmp_path / "store"))


def test_each_run_is_recorded_with_its_result_and_a_failing_source_fails_alone(
        tmp_path: Path, record: RunLog) -> None:
    jobs = [job("good", "print('good: harvested 3 datasets')"),
            job("broken", "import sys; print('reading…'); "
                "sys.exit('Error: no harvest config missing.toml')"),
            job("crashing", "import os; os.abort()"),
            job("warned", "print('warned: harvested 1 datasets\\n  warning: links-failed: x')")]
    scheduler = Scheduler(jobs, record, tmp_path / "work")
    scheduler.start()
    for name in ("good", "broken", "crashing", "warned"):
        wait_for_runs(scheduler, name, 2)
    last = {run.source: run for run in reversed(record.runs(limit=100)) if run.ended}
    assert last["good"].result == "ok"
    assert last["good"].summary == "good: harvested 3 datasets"
    assert last["good"].report == "good: harvested 3 datasets\n"
    assert last["broken"].result == "failed"
    assert last["broken"].summary == "Error: no harvest config missing.toml"
    assert last["crashing"].result == "failed" and last["crashing"].summary == "exit -6"
    assert last["warned"].result == "warnings"
    assert all(run.started <= run.ended for run in record.runs(limit=100) if run.ended)
    assert [p.source for p in record.planned()] == ["broken", "crashing", "good", "warned"]
    scheduler.stop()


@pytest.mark.slow
def test_two_runs_of_one_source_never_overlap_when_a_run_outlasts_its_interval(
        tmp_path: Path, record: RunLog) -> None:
    trace = tmp_path / "trace.txt"
    code = (f"import time; f = open({str(trace)!r}, 'a'); f.write(f'start {{time.time()}}\\n');"
            f" f.flush(); time.sleep(0.4); f.write(f'end {{time.time()}}\\n')")
    scheduler = Scheduler([job("slow", code, every_s=0.05)], record, tmp_path / "work")
    scheduler.start()
    wait_for_runs(scheduler, "slow", 4)
    scheduler.stop()
    events = [line.split() for line in trace.read_text().splitlines()]
    kinds = [kind for kind, _ in events]
    # start, end, start, end…: the next run starts only after the previous one ended
    assert kinds[:8] == ["start", "end"] * 4
    times = [float(at) for _, at in events]
    assert times == sorted(times)
    runs = sorted((r for r in record.runs(limit=100) if r.ended), key=lambda r: r.id)
    assert all(a.ended <= b.started for a, b in zip(runs, runs[1:], strict=False))


def test_no_more_runs_at_once_than_allowed(tmp_path: Path, record: RunLog) -> None:
    trace = tmp_path / "trace.txt"
    code = (f"import time; f = open({str(trace)!r}, 'a'); f.write(f'+1 {{time.time()}}\\n');"
            f" f.flush(); time.sleep(0.4); f.write(f'-1 {{time.time()}}\\n')")
    jobs = [job(name, code, every_s=3600) for name in ("a", "b", "c", "d", "e")]
    scheduler = Scheduler(jobs, record, tmp_path / "work", max_running=2)
    scheduler.start()
    for name in ("a", "b", "c", "d", "e"):
        wait_for_runs(scheduler, name, 1)
    events = sorted((float(at), int(step)) for step, at in
                    (line.split() for line in trace.read_text().splitlines()))
    at_once = [sum(step for _, step in events[:n + 1]) for n in range(len(events))]
    assert max(at_once) == 2 and len(events) == 10


def test_a_run_past_its_timeout_is_killed_and_recorded_failed(
        tmp_path: Path, record: RunLog) -> None:
    pid_file = tmp_path / "pid"
    code = (f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); "
            "print('fetching…', flush=True); time.sleep(60)")
    scheduler = Scheduler([job("stuck", code, every_s=3600, timeout_s=0.5)], record,
                          tmp_path / "work")
    scheduler.start()
    started = time.monotonic()
    wait_for_runs(scheduler, "stuck", 1)
    assert time.monotonic() - started < 10
    [run] = record.runs("harvest", "stuck")
    assert run.result == "failed"
    assert run.summary == "stopped after its timeout of 0.5s"
    assert run.report == "fetching…\n"
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_a_restart_keeps_the_rhythm_and_closes_the_run_a_dead_server_left(
        tmp_path: Path, record: RunLog) -> None:
    first = Scheduler([job("hourly", "print('ok')", every_s=3600)], record, tmp_path / "w")
    first.start()
    wait_for_runs(first, "hourly", 1)
    [done] = record.runs("harvest", "hourly")
    left_open = record.claim("harvest", "other", datetime.now(UTC))  # a server died mid-run
    assert left_open is not None
    second = Scheduler([job("hourly", "print('ok')", every_s=3600)], record, tmp_path / "w")
    run_for(second, 0.5)
    assert len(record.runs("harvest", "hourly")) == 1  # not due again: an hour after the last
    [planned] = record.planned()
    assert planned.next_run == done.started + timedelta(hours=1)
    [closed] = record.runs("harvest", "other")
    assert closed.result == "failed" and closed.summary == "psikg serve stopped during this run"


def test_a_source_with_an_open_run_cannot_be_claimed_again(record: RunLog) -> None:
    now = datetime.now(UTC)
    run = record.claim("harvest", "a", now)
    assert run is not None
    assert RunLog(record.path).claim("harvest", "a", now) is None  # another process's view
    assert record.claim("harvest", "b", now) is not None
    record.finish(run, now, "ok", "done", "")
    assert record.claim("harvest", "a", now) is not None


def test_stopping_the_server_kills_the_runs_in_progress(tmp_path: Path, record: RunLog) -> None:
    scheduler = Scheduler([job("long", "import time; time.sleep(60)")], record, tmp_path / "w")
    run_for(scheduler, 0.3)
    [running] = scheduler.running.values()
    scheduler.stop()
    assert running.process.poll() is not None
    [run] = record.runs("harvest", "long")
    assert run.result == "failed" and run.summary == "psikg serve stopped during this run"


def test_a_long_report_keeps_its_start_and_its_end(tmp_path: Path, record: RunLog) -> None:
    code = "print('first line'); print('x' * 200000); print('last line')"
    scheduler = Scheduler([job("chatty", code, every_s=3600)], record, tmp_path / "w")
    scheduler.start()
    wait_for_runs(scheduler, "chatty", 1)
    [run] = record.runs("harvest", "chatty")
    assert run.report.startswith("first line\n") and run.report.endswith("last line\n")
    assert "bytes cut" in run.report and len(run.report) < REPORT_BYTES + 100


def test_the_record_keeps_the_last_runs_of_each_source(record: RunLog) -> None:
    from graph.scheduled_runs import KEEP_RUNS

    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(KEEP_RUNS + 5):
        run = record.claim("harvest", "busy", start + timedelta(minutes=n))
        assert run is not None
        record.finish(run, start + timedelta(minutes=n, seconds=1), "ok", f"run {n}", "")
    other = record.claim("harvest", "quiet", start)
    assert other is not None
    record.finish(other, start, "failed", "once", "")
    kept = record.runs("harvest", "busy", limit=1000)
    assert len(kept) == KEEP_RUNS
    assert kept[0].summary == f"run {KEEP_RUNS + 4}" and kept[-1].summary == "run 5"
    assert [run.summary for run in record.runs("harvest", "quiet")] == ["once"]
    with pytest.raises(ValueError, match="unknown result"):
        record.finish(other, start, "maybe", "", "")
