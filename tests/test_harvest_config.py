"""harvest.toml: the shipped example parses and harvests nothing by default; bad entries are
usage errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from graph.errors import UsageError
from loaders.harvest.config import read_config
from tests.conftest import RunPsikg
from tests.conftest import write

SHIPPED = Path(__file__).resolve().parents[1] / "harvest.toml"


def test_the_shipped_config_parses_and_is_disabled() -> None:
    config = read_config(SHIPPED)
    assert {s.name for s in config.sources} >= {"odwb", "gent", "opendata-brussels"}
    assert not any(s.enabled for s in config.sources)
    assert config.policy.allowed_networks == ()


def test_all_with_nothing_enabled_harvests_nothing(psikg: RunPsikg) -> None:
    done = psikg("harvest", "--all", "--config", SHIPPED)
    assert done.returncode == 0, done.stderr
    assert "no enabled source" in done.stdout


@pytest.mark.parametrize(("text", "error", "slug"), [
    ("[[source]]\nname = 'x'\n", UsageError, "invalid-config"),
    ("[[source]]\nurl = 'a.ttl'\npaging = 'sideways'\n", UsageError, "invalid-config"),
    ("[[source]]\nurl = 'a.ttl'\nname = 'a b'\n", UsageError, "invalid-config"),
    ("[limits]\nspeed = 3\n", UsageError, "invalid-config"),
    ("[[source]]\nurl = 'a.ttl'\n[[source]]\nurl = 'b/a.ttl'\n", UsageError, "invalid-config"),
    ("[[source]\n", InputError, "invalid-config"),
])
def test_bad_configs(tmp_path: Path, text: str, error: type[Exception], slug: str) -> None:
    path = write(tmp_path / "harvest.toml", text)
    with pytest.raises(error) as caught:
        read_config(path)
    assert getattr(caught.value, "type", None) == slug
    assert getattr(caught.value, "file", None) == str(path)


def test_unknown_source_name_is_a_usage_error(psikg: RunPsikg) -> None:
    done = psikg("harvest", "--source", "nowhere", "--config", SHIPPED)
    assert done.returncode == 2 and "no source 'nowhere'" in done.stderr
