"""Canned queries in a real browser (Playwright on Debian's Chromium, with the browser
fixtures of ``tests/test_browser_ui.py``) against a live ``psikg serve`` on the registries:
an analyst fills a query's form, sees the table and the chart, and downloads the CSV; the
query UI offers the canned queries as examples.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from graph.settings import NODE_MODULES_DIR
from tests.test_browser_ui import CHROMIUM
from tests.test_browser_ui import browser  # noqa: F401 - a fixture
from tests.test_browser_ui import page  # noqa: F401 - a fixture
from tests.test_browser_ui import sync_api  # type: ignore[attr-defined]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="no /usr/bin/chromium: `make test` "
                       "installs Debian's chromium"),
    pytest.mark.skipif(not (NODE_MODULES_DIR / "chart.js/dist/chart.umd.min.js").is_file(),
                       reason="Chart.js is not installed: `make setup` runs npm ci"),
]

@pytest.fixture
def tab(page: sync_api.Page) -> sync_api.Page:  # noqa: F811 - the imported fixture
    """A fresh browser tab (``tests/test_browser_ui.py``'s, which fails on script errors)."""
    return page


INK = """() => {
  const canvas = document.getElementById("chart");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { inked++; } }
  return inked;
}"""
"""How many pixels of the chart's canvas are drawn on."""


def test_fill_the_form_see_the_table_and_chart_and_download_csv(
        tab: sync_api.Page, queries_live: str) -> None:
    tab.goto(queries_live + "/queries/spending-by-body-year?lang=en")
    tab.fill("#param-year", "2023")
    tab.click("#run")
    tab.wait_for_url("**/queries/spending-by-body-year?*year=2023*")
    rows = tab.locator("#results-table tbody tr")
    assert rows.count() > 0
    assert tab.locator("#results-table td a", has_text="Sample province").count() == 1
    assert tab.locator("#results-table th", has_text="Granted (€)").count() == 1
    tab.wait_for_function("() => window.psikgChart !== undefined")
    assert tab.evaluate(INK) > 1000
    labels = tab.evaluate("() => window.psikgChart.data.labels")
    assert "Sample province" in labels
    with tab.expect_download() as download:
        tab.click("a.download[data-format=csv]")
    data = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "spending-by-body-year.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(table) == rows.count()
    assert {row["fiscal_year"] for row in table} == {"2023"}


def test_a_wrong_value_comes_back_marked_in_the_form(tab: sync_api.Page,
                                                     queries_live: str) -> None:
    tab.goto(queries_live + "/queries/search-datasets?lang=fr")
    tab.fill("#param-text", "x" * 501)
    tab.click("#run")
    tab.locator("#errors li[data-parameter=text]").wait_for()
    assert tab.locator(".field.invalid #param-text").count() == 1


def test_the_query_ui_offers_the_canned_queries(tab: sync_api.Page,
                                                queries_live: str) -> None:
    tab.goto(queries_live + "/?lang=en")
    tab.wait_for_selector(".yasqe .CodeMirror")
    item = tab.locator("#canned li a", has_text="Spending per granting body and year")
    item.wait_for()
    assert tab.locator("#canned li").count() == len(list(Path("queries").glob("*.rq")))
    item.click()
    tab.wait_for_function("() => window.psikgYasgui.getTab().getName() !== 'Query'")
    text = tab.evaluate("() => window.psikgYasgui.getTab().getYasqe().getValue()")
    assert "?fiscal_year" in text
