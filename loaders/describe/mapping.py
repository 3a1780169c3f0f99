"""A file's column titles matched to the fields of a register model.

A title matches a field when it reads like one of the field's titles once folded
(:func:`graph.registers.titles.fold`: case, accents, spacing, ``_x000D_`` and a trailing
currency aside), itself or one half of a bilingual ``fr / nl`` title. A title that matches
none exactly matches the field whose longest title of two words or more has all its words in
it (*Montant payé en 2023* is ``amount_paid``), if no other field's title is as long. A field
takes one column: the first that matches it exactly, else the first that matches it by
words.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.registers.model import LANGUAGES
from graph.registers.model import Field
from graph.registers.model import Register
from graph.registers.titles import fold
from graph.registers.titles import title_keys

MIN_WORDS = 2
"""A title matches by words only if it has this many: one word (*Projet*, *Naam*) is in too
many titles about something else (*Financement total du projet*, *cofinanciering naam*)."""


@dataclass(frozen=True)
class Match:
    """A column matched to a field: by which of the field's titles, in which language."""

    column: int
    field: Field
    lang: str
    title: str
    exact: bool


def match_columns(titles: list[str], register: Register) -> dict[int, Match]:
    """Column index → the field its title names, each field taken by one column at most."""
    index: dict[str, tuple[Field, str, str]] = {}
    for item in register.fields.values():
        for lang in LANGUAGES:
            for title in item.titles[lang]:
                index.setdefault(fold(title), (item, lang, title))
    found: dict[int, Match] = {}
    taken: set[str] = set()
    for exact in (True, False):
        for column, title in enumerate(titles):
            if column in found or not title:
                continue
            match = _exact(title, index) if exact else _by_words(title, index)
            if match is not None and match[0].name not in taken:
                item, lang, known = match
                found[column] = Match(column, item, lang, known, exact)
                taken.add(item.name)
    return dict(sorted(found.items()))


def _exact(title: str, index: dict[str, tuple[Field, str, str]]
           ) -> tuple[Field, str, str] | None:
    for key in title_keys(title):
        if key in index:
            return index[key]
    return None


def _by_words(title: str, index: dict[str, tuple[Field, str, str]]
              ) -> tuple[Field, str, str] | None:
    best: list[tuple[int, tuple[Field, str, str]]] = []
    for key in title_keys(title):
        words = set(key.split())
        for known, entry in index.items():
            size = len(known.split())
            if size >= MIN_WORDS and set(known.split()) <= words:
                best.append((size, entry))
    if not best:
        return None
    longest = max(size for size, _ in best)
    fields = {entry[0].name: entry for size, entry in best if size == longest}
    return next(iter(fields.values())) if len(fields) == 1 else None
