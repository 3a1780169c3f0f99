"""The compliance dashboard in a real browser (Playwright on Debian's Chromium, with the
browser fixtures of ``tests/test_browser_ui.py``) against a live ``psikg serve``: a reader
finds the bodies, opens one that breaks several articles from the navigation, sees its
violations by article and its history, follows a violation to the dataset, then switches
the page to Dutch. The pages need no script."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.endpoint_server import live_server
from tests.endpoint_server import load
from tests.fixtures.synthetic.compliance_bodies import body_iri
from tests.fixtures.synthetic.compliance_bodies import dataset_iri
from tests.fixtures.synthetic.compliance_bodies import portal_export
from tests.test_browser_ui import CHROMIUM
from tests.test_browser_ui import browser  # noqa: F401 - a fixture
from tests.test_browser_ui import page  # noqa: F401 - a fixture
from tests.test_browser_ui import sync_api  # type: ignore[attr-defined]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="no /usr/bin/chromium: `make test` "
                       "installs Debian's chromium"),
]


@pytest.fixture(scope="module")
def dashboard_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("compliance-live")
    export = root / "portal.ttl"
    for fixed in (True, False):  # a good export, then a worse one: two points of history
        export.write_text(portal_export(6, fixed=fixed), encoding="utf-8")
        load(root / "store", export)
    with live_server(root / "store") as url:
        yield url


def test_from_the_dashboard_to_a_violation(page: sync_api.Page,  # noqa: F811 - fixture
                                           dashboard_live: str) -> None:
    page.goto(dashboard_live + "/?lang=en")
    page.click("header nav >> text=Compliance")
    page.wait_for_url("**/compliance")
    rows = page.locator("#bodies tbody tr")
    assert rows.count() == 6
    bad = page.locator(f"#bodies tr[data-iri='{body_iri(1)}']")
    assert bad.locator("td[data-status=violated]").count() == 6
    assert bad.locator("td[data-article='11']").inner_text().strip() == "✗ 1"
    good = page.locator(f"#bodies tr[data-iri='{body_iri(0)}']")
    assert good.locator("td[data-status=violated]").count() == 0
    assert good.locator("td[data-article='12']").get_attribute("data-status") == "not-applicable"
    bad.locator("a.body-link").click()
    page.wait_for_url("**/compliance?body=*")
    assert page.locator("#findings h3").all_inner_texts()[0].endswith(" 2")
    assert page.locator("#trend circle").count() == 2
    assert page.locator("#history td.violations").all_inner_texts() == ["0", "6"]
    page.locator(f"#findings li[data-focus='{dataset_iri(1)}'] a").first.click()
    page.wait_for_url("**/id/dataset/export-1*")
    assert "Registre 1" in page.content()
    page.go_back()
    page.click("nav.languages a[hreflang=nl]")
    page.wait_for_url("**lang=nl*")
    assert page.locator("h1").inner_text().startswith("Naleving van het decreet")
    assert "Openstaande schendingen" in page.content()
