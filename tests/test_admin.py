"""``/admin`` in this process: the scheduled runs behind the update token, as a page and
its JSON twin from one dict, every report escaped."""

from __future__ import annotations

import base64
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from endpoint.app import create_app
from graph.engine.process import EngineProcess
from graph.scheduled_runs import Planned
from graph.scheduled_runs import RunLog
from graph.scheduled_runs import runs_file
from graph.settings import Settings
from tests.endpoint_server import TOKEN
from tests.in_process import BASE_URL
from tests.in_process import AppClient

AUTH = {"Authorization": f"Bearer {TOKEN}"}
STARTED = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
EVIL = "<script>alert('x')</script> & \"quoted\""


def admin_client(engine: EngineProcess, tmp_path: Path, token_file: Path | None) -> AppClient:
    settings = Settings(store=tmp_path / "store", engine_url=engine.url, public_url=BASE_URL,
                        run_dir=tmp_path / "run", update_token_file=token_file)
    (tmp_path / "run").mkdir(exist_ok=True)
    return AppClient(create_app(settings), settings.url)


@pytest.fixture
def admin(sample_engine: EngineProcess, tmp_path: Path, token_file: Path) -> AppClient:
    log = RunLog(runs_file(tmp_path / "store"))
    log.plan([Planned("harvest", "gent", "every 6h", STARTED + timedelta(hours=6)),
              Planned("harvest", "odwb", "cron 0 3 * * *", None)])
    first = log.claim("harvest", "gent", STARTED - timedelta(hours=6))
    assert first is not None
    log.finish(first, STARTED - timedelta(hours=5), "failed", f"Error: {EVIL}", EVIL + "\n")
    second = log.claim("harvest", "gent", STARTED)
    assert second is not None
    log.finish(second, STARTED + timedelta(seconds=42), "warnings", "gent: harvested 270",
               "gent: harvested 270\n  warning: links-failed: x\n")
    assert log.claim("harvest", "odwb", STARTED + timedelta(hours=1)) is not None  # running
    return admin_client(sample_engine, tmp_path, token_file)


def test_admin_needs_the_update_token(admin: AppClient) -> None:
    for path in ("/admin", "/admin.json"):
        refused = admin.get(path)
        assert refused.status_code == 401
        assert "Basic" in refused.headers["WWW-Authenticate"]
        assert "the admin page needs the update token" in refused.json()["error"]
        assert "harvest" not in refused.text
        wrong = admin.get(path, headers={"Authorization": "Bearer not-the-token-at-all"})
        assert wrong.status_code == 401


def test_each_challenge_is_a_header_line_of_its_own(admin: AppClient) -> None:
    """Chromium reads one challenge per line: with Bearer and Basic on one line it never
    asked a person for the token (tests/test_admin_browser.py)."""
    answer = admin.app.test_client().get("/admin")
    assert answer.headers.getlist("WWW-Authenticate") == [
        'Bearer realm="psikg"', 'Basic realm="psikg", charset="UTF-8"']


def test_admin_is_refused_when_the_server_has_no_token(
        sample_engine: EngineProcess, tmp_path: Path) -> None:
    client = admin_client(sample_engine, tmp_path, None)
    assert client.get("/admin", headers=AUTH).status_code == 403


def test_the_json_twin_lists_each_source_its_last_and_next_run(admin: AppClient) -> None:
    answer = admin.get("/admin.json", headers=AUTH)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    page = answer.json()
    gent, odwb = page["sources"]
    assert (gent["source"], gent["schedule"], gent["next_run"]) == (
        "gent", "every 6h", "2026-03-10T09:00:00+00:00")
    assert gent["last_run"]["result"] == "warnings"
    assert gent["last_run"]["started"] == "2026-03-10T03:00:00+00:00"
    assert gent["last_run"]["duration_s"] == 42
    assert gent["last_run"]["summary"] == "gent: harvested 270"
    assert gent["running_since"] is None
    assert odwb["last_run"] is None and odwb["next_run"] is None
    assert odwb["running_since"] == "2026-03-10T04:00:00+00:00"
    assert [(run["source"], run["result"]) for run in page["runs"]] == [
        ("odwb", "running"), ("gent", "warnings"), ("gent", "failed")]
    assert page["runs"][2]["report"] == EVIL + "\n"
    assert admin.get("/admin", headers={**AUTH, "Accept": "application/json"}).json()[
        "sources"] == page["sources"]


def test_the_page_shows_the_runs_and_escapes_every_report(admin: AppClient) -> None:
    basic = base64.b64encode(f"admin:{TOKEN}".encode()).decode()
    answer = admin.get("/admin", headers={"Authorization": f"Basic {basic}",
                                          "Accept": "text/html", "Accept-Language": "nl"})
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
    html = answer.text
    assert "Geplande uitvoeringen" in html
    assert 'data-source="gent"' in html and 'data-source="odwb"' in html
    assert "<code>every 6h</code>" in html and "<code>cron 0 3 * * *</code>" in html
    assert "result-warnings" in html and "result-failed" in html
    assert '<span class="result result-running">bezig</span>' in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in html
    assert 'rel="alternate"; type="application/json"' in answer.headers["Link"]


def test_nothing_scheduled_says_how_and_writes_no_record(
        sample_engine: EngineProcess, tmp_path: Path, token_file: Path) -> None:
    client = admin_client(sample_engine, tmp_path, token_file)
    page = client.get("/admin.json", headers=AUTH).json()
    assert page["sources"] == [] and page["runs"] == []
    html = client.get("/admin", headers={**AUTH, "Accept": "text/html",
                                         "Accept-Language": "en"}).text
    assert "start psikg serve with --schedule harvest.toml" in html
    assert not runs_file(tmp_path / "store").exists()
