"""When a scheduled run is due (``graph.schedule``), and the ``every``/``cron``/``timeout``
keys of ``harvest.toml`` that declare it."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from graph.errors import UsageError
from graph.schedule import Schedule
from graph.schedule import parse_every
from graph.schedule import schedule_from
from loaders.harvest.config import read_config

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "seconds"), [
    ("6h", 21600), ("30m", 1800), ("1d", 86400), ("1h30m", 5400), ("2 s", 2), ("1w", 604800)])
def test_intervals_read_as_seconds(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "6", "h", "six hours", "0s", "-1h", "6h later"])
def test_a_bad_interval_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="interval|no time"):
        parse_every(text)


def test_an_interval_counts_from_the_last_start_and_a_first_run_is_due_at_once() -> None:
    every = Schedule(every_s=6 * 3600)
    assert every.next_run(None, NOON) == NOON
    assert every.next_run(NOON - timedelta(hours=2), NOON) == NOON + timedelta(hours=4)
    # the server was down for a day: due at once (a time in the past), once
    assert every.next_run(NOON - timedelta(days=1), NOON) < NOON


def test_a_cron_line_gives_its_next_time_after_the_last_start_in_utc() -> None:
    nightly = Schedule(cron="0 3 * * *")
    assert nightly.next_run(None, NOON) == datetime(2026, 3, 11, 3, 0, tzinfo=UTC)
    last = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    assert nightly.next_run(last, NOON) == datetime(2026, 3, 11, 3, 0, tzinfo=UTC)
    # missed while the server was down: due at once
    assert nightly.next_run(datetime(2026, 3, 8, 3, 0, tzinfo=UTC), NOON) < NOON
    assert Schedule(cron="@hourly").next_run(None, NOON) == NOON + timedelta(hours=1)


def test_schedule_from_a_config_entry() -> None:
    assert schedule_from(None, None, "h.toml") is None
    assert schedule_from("6h", None, "h.toml") == Schedule(every_s=21600)
    assert schedule_from(None, "0  3 * * *", "h.toml") == Schedule(cron="0 3 * * *")
    with pytest.raises(UsageError, match="not both"):
        schedule_from("6h", "0 3 * * *", "h.toml")
    with pytest.raises(UsageError, match="not a cron line") as caught:
        schedule_from(None, "0 25 * * *", "h.toml, source 'x'")
    assert caught.value.file == "h.toml, source 'x'"
    assert "five fields" in caught.value.one_line()
    with pytest.raises(UsageError, match="bad `every`"):
        schedule_from("daily", None, "h.toml")


def _config(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "harvest.toml"
    path.write_text(f'[[source]]\nname = "a"\nurl = "a.ttl"\n{source}\n', encoding="utf-8")
    return path


def test_harvest_toml_declares_a_schedule_and_a_timeout(tmp_path: Path) -> None:
    spec = read_config(_config(tmp_path, 'every = "6h"\ntimeout = "20m"')).sources[0]
    assert spec.schedule == Schedule(every_s=21600) and spec.timeout_s == 1200
    spec = read_config(_config(tmp_path, 'cron = "30 2 * * 1"')).sources[0]
    assert spec.schedule == Schedule(cron="30 2 * * 1") and spec.timeout_s == 3600
    assert read_config(_config(tmp_path, "")).sources[0].schedule is None


@pytest.mark.parametrize(("source", "message"), [
    ('evry = "6h"', "unknown key 'evry'"),
    ('every = "6h"\ncron = "0 3 * * *"', "not both"),
    ('cron = "tomorrow"', "not a cron line"),
    ('every = "6h"\ntimeout = "long"', "bad `timeout`"),
])
def test_a_wrong_schedule_names_the_file_and_the_source(
        tmp_path: Path, source: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        read_config(_config(tmp_path, source))
    assert str(tmp_path / "harvest.toml") in caught.value.one_line()


def test_the_example_of_docs_harvest_md_reads_as_it_says(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "harvest.md").read_text(
        encoding="utf-8")
    example = text.split("## Scheduled harvests", 1)[1].split("```toml\n", 1)[1].split("```")[0]
    config = tmp_path / "harvest.toml"
    config.write_text(example, encoding="utf-8")
    gent, odwb = read_config(config).sources
    assert (gent.schedule, gent.timeout_s) == (Schedule(every_s=6 * 3600), 30 * 60)
    assert (odwb.schedule, odwb.timeout_s) == (Schedule(cron="0 3 * * *"), 3600)


def test_the_repository_harvest_toml_schedules_nothing_until_asked() -> None:
    config = read_config(Path(__file__).resolve().parent.parent / "harvest.toml")
    assert config.sources and all(s.schedule is None for s in config.sources)


def test_serve_takes_the_schedule_and_the_folder_from_its_toml_or_the_environment(
        tmp_path: Path) -> None:
    from graph.settings import resolve

    config = tmp_path / "psikg.toml"
    config.write_text('[serve]\nschedule = "harvest.toml"\nwatch = "registers"\n',
                      encoding="utf-8")
    settings = resolve({}, config, environ={})
    assert (settings.schedule, settings.watch) == (Path("harvest.toml"), Path("registers"))
    settings = resolve({}, config, environ={"PSIKG_SCHEDULE": "/etc/psikg/harvest.toml"})
    assert settings.schedule == Path("/etc/psikg/harvest.toml")
    assert resolve({}, None, environ={}).schedule is None
