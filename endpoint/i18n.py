"""The language of a page and the words on it: French, Dutch, German or English.

A page's language is ``?lang=`` if it names one of :data:`LANGUAGES`, else the best match
of ``Accept-Language``, else French (the decree is Walloon). Labels read from the data
fall back in turn (:mod:`graph.languages`, shared with the command line): the page's
language, the reader's other accepted languages, a label without a language, then French,
Dutch, German and English, then any label.

The words of the pages themselves live with every other word of psikg in
:mod:`graph.words`; this module picks the page's language and hands a template its words.
"""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import LanguageAccept

from graph.languages import LANGUAGES
from graph.words import PAGES
from graph.words import QUERY_PAGES
from graph.words import word
from graph.words import words


def page_language() -> str:
    """The language of the page answering the current request.

    ``?lang=`` wins so that a link can switch languages without JavaScript or cookies.
    """
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return best_language(request.accept_languages)


def best_language(accepted: LanguageAccept) -> str:
    """The best of :data:`LANGUAGES` for an ``Accept-Language`` header; French if none.

    >>> from werkzeug.http import parse_accept_header
    >>> best_language(parse_accept_header("nl-BE,nl;q=0.9,en;q=0.5", LanguageAccept))
    'nl'
    >>> best_language(parse_accept_header("es", LanguageAccept))
    'fr'
    """
    found = accepted.best_match(LANGUAGES)
    return found if found is not None else LANGUAGES[0]


def message(key: str, language: str) -> str:
    """A word of the pages in ``language`` (English if the key lacks it)."""
    return word(PAGES, key, language)


def messages(language: str) -> dict[str, str]:
    """Every word of the pages in ``language``, for a template."""
    return words(PAGES, language)


def query_page_words(language: str) -> dict[str, str]:
    """The words of every page and those of the canned-query pages, in ``language``."""
    return {**messages(language), **words(QUERY_PAGES, language)}
