"""The words of psikg (every table of :mod:`graph.words`) and the example queries exist in
all four languages."""

from __future__ import annotations

from endpoint.ui_examples import EXAMPLES
from graph.languages import LANGUAGES
from graph.languages import fallback_order
from graph.languages import pick
from graph.words import TABLES


def test_every_message_is_in_every_language() -> None:
    missing = [(table, key, code) for table, words in TABLES.items()
               for key, entry in words.items() for code in LANGUAGES if not entry.get(code)]
    assert missing == []
    assert set(TABLES) == {"pages", "query_pages", "catalog", "quality", "cells",
                           "harvest_metrics", "admin", "validation", "shacl_components",
                           "compliance"}


def test_no_module_but_graph_words_keeps_a_table_of_words() -> None:
    """A dict literal with a text for each of the four languages is a table of words; its home
    is graph/words/. Data that happens to be in several languages is named here."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    data = {"loaders/nis.py", "loaders/harvest/vocabulary.py", "endpoint/ui_examples.py"}
    found = []
    for package in ("graph", "loaders", "endpoint", "psikg"):
        for path in sorted((root / package).rglob("*.py")):
            name = str(path.relative_to(root))
            if name.startswith("graph/words/") or name in data:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Dict) and {
                        k.value for k in node.keys if isinstance(k, ast.Constant)
                } >= set(LANGUAGES):
                    found.append(f"{name}:{node.lineno}")
    assert found == []


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
