"""``/admin`` in a real browser (Debian's Chromium through Playwright) against a live
``psikg serve --schedule``: the browser asks for the token as Basic credentials and shows
nothing without them; with them, each source and its last report, markup kept as text."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api

from graph.scheduled_runs import RunLog
from graph.scheduled_runs import runs_file
from tests.endpoint_server import TOKEN
from tests.endpoint_server import live_server

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
MARKUP = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    assert CHROMIUM.is_file(), "no /usr/bin/chromium: `make test` installs Debian's chromium"
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS,
                                              headless=True)
        try:
            yield launched
        finally:
            launched.close()


def test_admin_in_a_browser(browser: sync_api.Browser, fresh_sample_store: Path,
                            tmp_path: Path, token_file: Path) -> None:
    missing = tmp_path / f"{MARKUP}.ttl"
    config = tmp_path / "harvest.toml"
    config.write_text(f'[[source]]\nname = "broken"\nurl = "{missing}"\nevery = "1h"\n',
                      encoding="utf-8")
    record = RunLog(runs_file(fresh_sample_store))
    with live_server(fresh_sample_store, "--update-token-file", str(token_file),
                     "--schedule", str(config)) as url:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(r.ended for r in record.runs()):
            time.sleep(0.3)
        anonymous = browser.new_context()
        try:  # the browser asks for credentials (headless: none to give) and shows nothing
            with pytest.raises(sync_api.Error, match="ERR_INVALID_AUTH_CREDENTIALS"):
                anonymous.new_page().goto(url + "/admin")
        finally:
            anonymous.close()
        context = browser.new_context(http_credentials={"username": "admin",
                                                        "password": TOKEN},
                                      locale="en-GB")
        try:
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message),
                                              dialog.dismiss()))
            answer = page.goto(url + "/admin?lang=en")
            assert answer is not None and answer.status == 200
            assert page.locator("h1").inner_text() == "Scheduled runs"
            row = page.locator('#sources tr[data-source="broken"]')
            assert "every 1h" in row.inner_text() and "failed" in row.inner_text()
            row.locator("summary").first.click()
            assert MARKUP in row.locator("pre").first.inner_text()
            assert page.locator("#sources img").count() == 0
            assert dialogs == []
        finally:
            context.close()
