"""The UI in a real browser: Playwright drives Debian's Chromium (``/usr/bin/chromium``,
installed by ``make test``; Playwright's own browser download is never used) against a live
``psikg serve``. A person's three paths: run a query in YASGUI and see the rows; open a
resource page and follow a link; switch the page's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api

from graph.settings import NODE_MODULES_DIR

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 20_000



@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    """What `make test` installs must be there: a missing part fails, it is never skipped."""
    assert CHROMIUM.is_file(), "no /usr/bin/chromium: `make test` installs Debian's chromium"
    assert (NODE_MODULES_DIR / "@zazuko/yasgui/build/yasgui.min.js").is_file(), \
        "YASGUI is not installed: `make setup` runs npm ci"


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS,
                                              headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    """A fresh tab with no stored YASGUI tabs, reading French first."""
    context = browser.new_context(locale="fr-BE", extra_http_headers={
        "Accept-Language": "fr-BE,fr;q=0.9"})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield opened
        assert errors == [], errors
    finally:
        context.close()


def test_run_a_query_and_see_the_results(page: sync_api.Page, pages_live: str) -> None:
    page.goto(pages_live + "/")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert page.locator("#fallback").is_hidden()
    query = ("PREFIX dct: <http://purl.org/dc/terms/>\n"
             "SELECT ?title WHERE { <https://data.psikg.example/dataset/budget> dct:title ?title "
             "FILTER(lang(?title) = 'nl') }")
    page.evaluate("query => window.psikgYasgui.getTab().getYasqe().setValue(query)", query)
    page.click(".yasqe_queryButton")
    cell = page.locator(".yasr table td", has_text="Gemeentebegroting")
    cell.first.wait_for()
    assert page.locator(".yasr table").count() >= 1


def test_an_iri_in_the_results_opens_its_page(page: sync_api.Page,
                                              pages_live: str) -> None:
    page.goto(pages_live + "/?lang=nl")
    page.wait_for_selector(".yasqe .CodeMirror")
    query = ("SELECT ?dataset WHERE { ?dataset <http://purl.org/dc/terms/title> "
             "'Budget communal'@fr }")
    page.evaluate("query => window.psikgYasgui.getTab().getYasqe().setValue(query)", query)
    page.click(".yasqe_queryButton")
    link = page.locator(".yasr table td a", has_text="dataset/budget").first
    with page.context.expect_page() as opened:
        link.click()
    resource = opened.value
    resource.wait_for_load_state()
    assert "/describe?iri=" in resource.url
    assert resource.locator("h1").inner_text() == "Gemeentebegroting"


def test_example_opens_in_a_new_tab_and_runs(page: sync_api.Page, pages_live: str) -> None:
    page.goto(pages_live + "/?lang=en")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("#examples a.example-link >> nth=0")
    page.wait_for_function("() => window.psikgYasgui.getTab().getName() !== 'Query'")
    text = page.evaluate("() => window.psikgYasgui.getTab().getYasqe().getValue()")
    assert "PREFIX psi: <https://w3id.org/psikg/ontology#>" in text
    assert "COUNT(DISTINCT ?resource)" in text
    page.click(".yasqe_queryButton >> visible=true")
    page.locator(".yasr table td", has_text="Dataset").first.wait_for()


def test_canned_queries_are_offered_as_examples(page: sync_api.Page,
                                               pages_live: str) -> None:
    canned = page.request.get(pages_live + "/queries.json?lang=nl").json()
    entries = canned if isinstance(canned, list) else canned["queries"]
    assert entries, "the canned-query library is empty"
    page.goto(pages_live + "/?lang=nl")
    page.wait_for_selector(".yasqe .CodeMirror")
    links = page.locator("#canned li a")
    links.first.wait_for()
    assert links.count() == len(entries)
    assert page.locator("#canned-title").is_visible()
    links.first.click()
    page.wait_for_function("title => window.psikgYasgui.getTab().getName() === title",
                           arg=links.first.inner_text())
    text = page.evaluate("() => window.psikgYasgui.getTab().getYasqe().getValue()")
    assert text == entries[0]["query"]


def test_open_a_resource_page_and_follow_a_link(page: sync_api.Page,
                                                pages_live: str) -> None:
    page.goto(pages_live + "/id/dataset/budget")
    assert page.locator("h1").inner_text() == "Budget communal"
    page.click("text=Commune de Namur >> nth=0")
    page.wait_for_url("**/id/public-body/0207000001")
    assert page.locator("h1").inner_text() == "Commune de Namur"
    # and back along a reference: the datasets it publishes point to it
    page.locator("#referenced-by a", has_text="Alleen in het Nederlands").click()
    page.wait_for_url("**/id/dataset/dutch-only")
    assert page.locator("h1").inner_text() == "Alleen in het Nederlands"


def test_switch_the_language(page: sync_api.Page, pages_live: str) -> None:
    page.goto(pages_live + "/id/dataset/budget")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#properties th", has_text="titre").count() == 1
    page.click("nav.languages >> text=NL")
    page.wait_for_url("**/id/dataset/budget?lang=nl")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Gemeentebegroting"
    assert page.locator("#properties th", has_text="titel").count() == 1
    # the chosen language follows the reader to the next page
    page.click("text=Gemeente Namen >> nth=0")
    page.wait_for_url("**/id/public-body/0207000001?lang=nl")
    assert page.locator("h1").inner_text() == "Gemeente Namen"


def test_markup_in_labels_stays_text_in_the_browser(page: sync_api.Page,
                                                    pages_live: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(pages_live + "/id/dataset/xss?lang=en")
    assert page.locator("h1").inner_text() == "<script>alert('psikg')</script>"
    assert page.locator("#properties img").count() == 0
    assert dialogs == []
