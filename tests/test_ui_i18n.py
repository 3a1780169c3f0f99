"""The words of the pages and the example queries exist in all four languages."""

from __future__ import annotations

from endpoint.i18n import LANGUAGES
from endpoint.i18n import MESSAGES
from endpoint.ui_examples import EXAMPLES
from graph.languages import fallback_order
from graph.languages import pick


def test_every_message_is_in_every_language() -> None:
    missing = [(key, code) for key, entry in MESSAGES.items() for code in LANGUAGES
               if not entry.get(code)]
    assert missing == []


def test_every_example_is_titled_and_described_in_every_language() -> None:
    for example in EXAMPLES:
        assert set(example.title) == set(LANGUAGES), example.name
        assert set(example.description) == set(LANGUAGES), example.name
    assert {example.audience for example in EXAMPLES} == {"developer", "portal", "analyst"}


def test_fallback_goes_through_the_four_languages_once() -> None:
    for code in LANGUAGES:
        order = fallback_order(code, ["es", "en-GB", code])
        assert order[0] == code
        assert sorted(c for c in order if c) == sorted(LANGUAGES)
        # untagged right after the languages the reader asked for, before the others
        asked = 1 if code == "en" else 2
        assert order.index("") == asked


def test_pick_prefers_tagged_then_untagged_then_any() -> None:
    assert pick([("neutral", ""), ("Deutsch", "de")], ("de",)) == "Deutsch"
    assert pick([("neutral", ""), ("español", "es")], ("de", "fr")) == "neutral"
    assert pick([("español", "es")], ("de", "fr")) == "español"
    assert pick([("Vlaams", "nl-BE")], ("nl",)) == "Vlaams"
    assert pick([], ("fr",)) is None
