"""The catalog for people in a real browser (Playwright on Debian's Chromium, with the
browser fixtures of ``tests/test_browser_ui.py``) against a live ``psikg serve`` on the
sample platform and its dataset inventory: a reader searches, narrows by a facet, changes
the sort, and opens a dataset's page. The pages need no script."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.settings import EXAMPLES_DIR
from tests.endpoint_server import live_server
from tests.endpoint_server import load
from tests.endpoint_server import psikg
from tests.test_browser_ui import CHROMIUM
from tests.test_browser_ui import browser  # noqa: F401 - a fixture
from tests.test_browser_ui import page  # noqa: F401 - a fixture
from tests.test_browser_ui import sync_api  # type: ignore[attr-defined]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="no /usr/bin/chromium: `make test` "
                       "installs Debian's chromium"),
]
CSV = "http://publications.europa.eu/resource/authority/file-type/CSV"


@pytest.fixture(scope="module")
def catalog_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("catalog-live") / "store"
    load(store, EXAMPLES_DIR / "platform.ttl")
    psikg(store, "load", str(EXAMPLES_DIR / "inventory.csv"), "--on-error", "skip")
    with live_server(store) as url:
        yield url


def total(tab: sync_api.Page) -> int:
    return int(tab.locator("#total strong").first.inner_text())


def test_search_then_a_facet_then_a_dataset(page: sync_api.Page,  # noqa: F811 - fixture
                                            catalog_live: str) -> None:
    page.goto(catalog_live + "/catalog?lang=en")
    assert page.locator("h1").inner_text() == "Dataset catalogue"
    everything = total(page)
    assert everything > 150
    page.fill("#search input[name=q]", "ecoles")
    page.click("#search button[type=submit]")
    page.wait_for_url("**/catalog?*q=ecoles*")
    titles = page.locator("#datasets a.title").all_inner_texts()
    assert titles and all(t.startswith("Écoles") for t in titles)
    assert total(page) == len(titles) < everything
    page.click(f"fieldset[data-facet=format] a[data-value='{CSV}']")
    page.wait_for_url("**format=*")
    assert "q=ecoles" in page.url
    narrowed = total(page)
    assert 0 < narrowed <= len(titles)
    assert page.locator(f"fieldset[data-facet=format] a.selected[data-value='{CSV}']").count() == 1
    # The search box keeps the facet: a new search stays within CSV.
    page.fill("#search input[name=q]", "")
    page.click("#search button[type=submit]")
    page.wait_for_url("**format=*")
    assert narrowed <= total(page) < everything
    page.click("a.sort[data-sort=modified]")
    page.wait_for_url("**sort=modified*")
    assert page.locator(".sort-current").inner_text() == "date modified"
    first = page.locator("#datasets a.title").first
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/id/dataset/**")
    assert name in page.content()


def test_the_page_speaks_the_readers_language(page: sync_api.Page,  # noqa: F811 - fixture
                                              catalog_live: str) -> None:
    page.goto(catalog_live + "/catalog")  # the tab reads French first
    assert page.locator("h1").inner_text() == "Catalogue des jeux de données"
    assert page.locator("fieldset[data-facet=publisher] legend").inner_text() == "Éditeur"
    page.click("nav.languages a[hreflang=de]")
    page.wait_for_url("**lang=de*")
    assert page.locator("h1").inner_text() == "Katalog der Datensätze"
