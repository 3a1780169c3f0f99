"""The validation service in a real browser (Playwright on Debian's Chromium, with the browser
fixtures of ``tests/test_browser_ui.py``) and over real HTTP, against a live ``psikg serve``
whose workers run the validations in their child processes: a publisher uploads a file and
reads the report grouped by article; a CI pipeline posts a file and gets JSON, and a body
sent in chunks past the limit gets a 413."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.endpoint_server import live_server
from tests.test_browser_ui import CHROMIUM
from tests.test_browser_ui import browser  # noqa: F401 - a fixture
from tests.test_browser_ui import page  # noqa: F401 - a fixture
from tests.test_browser_ui import sync_api  # type: ignore[attr-defined]
from tests.test_validate_service import STANDIN
from tests.test_validate_service import VIOLATIONS

pytestmark = [pytest.mark.slow]
needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason="no /usr/bin/chromium: "
                                    "`make test` installs Debian's chromium")


@pytest.fixture(scope="module")
def validator_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("validate-live") / "store"
    with live_server(store, "--dcat-ap-shapes", str(STANDIN), "--validate-max-mb", "0.01",
                     "--threads", "4") as url:
        yield url


@needs_chromium
def test_a_publisher_uploads_a_file_and_reads_the_report(
        page: sync_api.Page, validator_live: str) -> None:  # noqa: F811 - fixture
    page.goto(validator_live + "/validate?lang=en")
    assert page.locator("h1").inner_text() == "Validate metadata"
    page.set_input_files("#validate input[name=file]", str(VIOLATIONS))
    page.select_option("#validate select[name=profile]", "all")
    page.click("#validate button[type=submit]")
    page.wait_for_selector("#report")
    assert page.locator("#summary .not-conforms").inner_text() == "Does not conform"
    assert page.locator("#violations").inner_text() == "5"
    assert page.locator("#warnings").inner_text() == "2"
    titles = page.locator("#report section.group h3").all_inner_texts()
    assert titles[0].startswith("Article 10 of the decree")
    assert titles[1].startswith("Article 11 of the decree")
    assert any("3.0.1 · dcat:DatasetShape" in title for title in titles[2:])
    article_11 = page.locator("#report section.group").nth(1)
    rows = article_11.locator("tbody tr")
    assert rows.count() == 4  # title and licence missing; title and description not in French
    first = rows.first
    assert first.locator("td.focus").inner_text().endswith("dataset-budget")
    assert "Title missing" in article_11.inner_text()
    # the form keeps the profile chosen, ready for the corrected file
    assert page.locator("#validate select[name=profile]").input_value() == "all"


@needs_chromium
def test_pasted_text_with_an_error_shows_where(page: sync_api.Page,  # noqa: F811 - fixture
                                               validator_live: str) -> None:
    page.goto(validator_live + "/validate")  # the tab reads French first
    page.fill("#validate textarea[name=text]", "@prefix ex: <http://x.example/> .\nex:a ex:b .")
    page.click("#validate button[type=submit]")
    page.wait_for_selector("#error")
    assert "text:2:" in page.locator("#error").inner_text()
    assert page.locator("#validate textarea[name=text]").input_value().endswith("ex:a ex:b .")
    assert page.locator("h1").inner_text() == "Valider des métadonnées"


def test_a_ci_pipeline_posts_a_file(validator_live: str) -> None:
    answer = requests.post(validator_live + "/validate?profile=decree",
                           data=VIOLATIONS.read_bytes(),
                           headers={"Content-Type": "text/turtle",
                                    "Accept": "application/json"}, timeout=60)
    assert answer.status_code == 200
    assert (answer.json()["conforms"], answer.json()["violations"]) == (False, 3)
    turtle = requests.post(validator_live + "/validate", data=VIOLATIONS.read_bytes(),
                           headers={"Content-Type": "text/turtle", "Accept": "text/turtle"},
                           timeout=60)
    assert "sh:ValidationReport" in turtle.text


def test_a_chunked_body_past_the_limit_is_a_413(validator_live: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"# a comment line that makes the body long\n" * 20

    answer = requests.post(validator_live + "/validate", data=chunks(),
                           headers={"Content-Type": "text/turtle"}, timeout=60)
    assert answer.status_code == 413


def test_the_fixture_file_is_below_the_limit() -> None:
    assert Path(VIOLATIONS).stat().st_size < 0.01 * 1024 * 1024
