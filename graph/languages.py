"""The languages psikg speaks, and which of several language-tagged texts a reader gets.

The decree's region writes French, Dutch and German, and the ontology's labels add
English: :data:`LANGUAGES`, in the order a label falls back through them. The web pages
(``endpoint.i18n``) and the command line (``psikg queries --lang``) choose labels read from
the data with the same two functions, so a name reads the same in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

LANGUAGES = ("fr", "nl", "de", "en")
"""The languages of the decree's region and of the ontology's labels, in fallback order."""

UNTAGGED = ""
"""The "language" of a literal without a language tag, in a fallback order."""


def fallback_order(language: str, accepted: Iterable[str] = ()) -> tuple[str, ...]:
    """The languages to try for a label, best first.

    The page's language, then the reader's other accepted languages, then a label without
    a language (:data:`UNTAGGED`: a name, which reads the same in every language), then the
    rest of :data:`LANGUAGES`. So an untagged name, such as the most frequent spelling of a
    beneficiary's name, beats a tag in a language the reader did not ask for.

    >>> fallback_order("de", ["de-CH", "en"])
    ('de', 'en', '', 'fr', 'nl')
    >>> fallback_order("fr")
    ('fr', '', 'nl', 'de', 'en')
    """
    order = [language]
    for tag in accepted:
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES and primary not in order:
            order.append(primary)
    order.append(UNTAGGED)
    order += [code for code in LANGUAGES if code not in order]
    return tuple(order)


def pick(values: Sequence[tuple[str, str]], order: Sequence[str]) -> str | None:
    """The value whose language comes first in ``order``, else an untagged one, else any.

    Several values of one language give the smallest in code-point order, and "any" is
    the smallest by tag then text: the choice depends on the values, never on the order
    the store gave them in.

    :param values: ``(text, language tag)`` pairs; the tag is ``""`` for none.
    :param order: language codes, best first; ``""`` stands for untagged values, which
        come after the listed languages when ``""`` is not among them.

    >>> pick([("Public body", "en"), ("Organisme public", "fr")], ("nl", "fr", "en"))
    'Organisme public'
    >>> pick([("x", "es")], ("fr",))
    'x'
    >>> pick([("Ville de Liège", ""), ("VILLE DE LIEGE", "")], ("fr",))
    'VILLE DE LIEGE'
    """
    if not values:
        return None
    by_language: dict[str, str] = {}
    for text, tag in values:
        code = tag.split("-")[0].lower()
        if code not in by_language or text < by_language[code]:
            by_language[code] = text
    for code in (*order, UNTAGGED):
        if code in by_language:
            return by_language[code]
    return min(values, key=lambda value: (value[1], value[0]))[0]
