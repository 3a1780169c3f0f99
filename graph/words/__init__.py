"""The words psikg shows or writes in French, Dutch, German and English: one home, a module per
face (``pages``, ``harvest``, ``operations``, ``validation``, ``compliance``) and the
nouns written after a number in the singular and the plural (``counts``), read
through this package.

Every table maps a key to its text in each of :data:`graph.languages.LANGUAGES`, the four
side by side, so a missing translation shows in review and ``tests/test_ui_i18n.py``
checks that none is missing. The pages (``endpoint``), the downloads and the harvest
report (``loaders``) all read their words here.

Why tables and not gettext catalogs: the words are a few dozen short entries keyed by what
they are for, read by templates as ``t.key``; ``.po`` files would put each language in a
file of its own and need a compile step at set-up, for no gain at this size.

What is *not* here, because it is data rather than words of psikg: the names of the
municipalities (:mod:`loaders.nis`), the labels of the EU data themes
(:mod:`loaders.harvest.vocabulary`), the labels of reused terms (``endpoint/labels.ttl``),
the titles of the canned queries (their ``.rq`` headers) and of the UI's example queries
(:mod:`endpoint.ui_examples`, each beside its SPARQL).
"""

from __future__ import annotations

from graph.words.compliance import COMPLIANCE
from graph.words.counts import COUNTS
from graph.words.counts import count_noun
from graph.words.harvest import HARVEST_METRICS
from graph.words.operations import ADMIN
from graph.words.pages import CATALOG
from graph.words.pages import CELLS
from graph.words.pages import PAGES
from graph.words.pages import QUALITY
from graph.words.pages import QUERY_PAGES
from graph.words.table import Table
from graph.words.validation import SHACL_COMPONENTS
from graph.words.validation import VALIDATION

__all__ = ["ADMIN", "CATALOG", "CELLS", "COMPLIANCE", "COUNTS", "HARVEST_METRICS",
           "LANGUAGE_NAMES", "PAGES", "QUALITY", "QUERY_PAGES", "SHACL_COMPONENTS", "TABLES",
           "VALIDATION", "Table", "count_noun", "word", "words"]

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
"""Each language in itself, for the language switch."""


TABLES: dict[str, Table] = {"pages": PAGES, "query_pages": QUERY_PAGES, "catalog": CATALOG,
                            "quality": QUALITY, "admin": ADMIN,
                            "cells": CELLS, "harvest_metrics": HARVEST_METRICS,
                            "validation": VALIDATION, "shacl_components": SHACL_COMPONENTS,
                            "compliance": COMPLIANCE}
"""Every table of words, by name."""


def word(table: Table, key: str, language: str) -> str:
    """``key`` of ``table`` in ``language`` (English if the entry lacks it).

    >>> word(QUALITY, "score", "nl"), word(QUALITY, "score", "es")
    ('MQA-score', 'MQA score')
    """
    entry = table[key]
    return entry.get(language) or entry["en"]


def words(table: Table, language: str) -> dict[str, str]:
    """Every key of ``table`` in ``language``, for a template."""
    return {key: word(table, key, language) for key in table}
