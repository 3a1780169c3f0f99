"""A number and the noun after it agree, in the four languages: "1 violation", "2
violations", "0 violation" in French (``graph/words/counts.py``), on every page that writes a
count (the validation report here, and no template that writes a count with a plural word).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.languages import LANGUAGES
from graph.settings import Settings
from graph.words import COUNTS
from graph.words import count_noun
from psikg.wsgi import build_app
from tests.in_process import BASE_URL
from tests.in_process import AppClient

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
TEMPLATES = Path(__file__).parent.parent / "endpoint" / "templates"
ONE_VIOLATION = (FIXTURES / "catalog-conforming.ttl").read_text(encoding="utf-8").replace(
    '    dct:title "Parkings publics"@fr , "Public car parks"@en ;\n', "", 1)
"""The conforming catalog without its dataset's title (Art. 11): one violation, one
warning (no title in a national language)."""
SUMMARY = {
    "fr": ('1</strong> violation · <strong id="warnings">1</strong> avertissement · '
           "0 information ·", "(1 violation, 1 avertissement)"),
    "nl": ('1</strong> schending · <strong id="warnings">1</strong> waarschuwing · '
           "0 meldingen ·", "(1 schending, 1 waarschuwing)"),
    "de": ('1</strong> Verstoß · <strong id="warnings">1</strong> Warnung · '
           "0 Hinweise ·", "(1 Verstoß, 1 Warnung)"),
    "en": ('1</strong> violation · <strong id="warnings">1</strong> warning · '
           "0 notes ·", "(1 violation, 1 warning)"),
}
"""The report's summary and its article's counts; French counts 0 in the singular."""


@pytest.fixture(scope="module")
def service() -> Iterator[AppClient]:
    settings = Settings(engine_url="http://127.0.0.1:9", public_url=BASE_URL)
    client = AppClient(build_app(settings), settings.url)
    yield client
    workers = client.app.extensions.get("psikg-validation")
    if workers is not None:
        workers.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_report_of_one_violation_says_one_violation(service: AppClient,
                                                      language: str) -> None:
    answer = service.post(f"/validate?lang={language}", data=ONE_VIOLATION.encode(),
                          headers={"Content-Type": "text/turtle", "Accept": "text/html"})
    assert answer.status_code == 200, answer.text[:300]
    text = re.sub(r"\s+", " ", answer.text)
    summary, article = SUMMARY[language]
    assert summary in text.replace('<strong id="violations">', "")
    assert article in text


def test_each_noun_has_a_singular_and_a_plural_in_each_language() -> None:
    for key, forms in COUNTS.items():
        assert set(forms) == set(LANGUAGES), key
        assert all(one and other for one, other in forms.values()), key
    assert [count_noun(n, "rows", "fr") for n in (0, 1, 2)] == ["ligne", "ligne", "lignes"]
    assert [count_noun(n, "rows", "nl") for n in (0, 1, 2)] == ["rijen", "rij", "rijen"]
    assert [count_noun(n, "checked", "de") for n in (1, 5)] == ["geprüftes Element",
                                                                "geprüfte Elemente"]


def test_no_page_writes_a_count_with_a_plural_word() -> None:
    """A number printed just before a word of the page's table (``{{ n }} {{ t.rows }}``)
    is the defect this replaces: the word must come from ``count_noun``."""
    found = []
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text(encoding="utf-8")
        found += [f"{template.name}: {m.group(0)}" for m in re.finditer(
            r"\}\}(?:</[a-z]+>)? \{\{ t(?:\.|\[)[^}]*\}\}", text)
            if not re.search(r"status|trigger", m.group(0))]
    assert found == []
