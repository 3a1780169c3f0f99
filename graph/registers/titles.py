"""Column titles compared the way a person reads them: case, accents, spacing and units aside.

Real registers title one column ``Montant octroyé (€)``, ``MONTANT OCTROYE``,
``Montant_x000D_\\noctroyé`` or ``Montant octroyé / Toegekend bedrag`` from one year to the
next. :func:`fold` reduces a title to lower-case ASCII words, the Excel escapes
(``_x000D_``) and line breaks gone, a trailing currency (``(€)``, ``(EUR)``, ``en euros``)
dropped; :func:`title_keys` also splits a bilingual ``fr / nl`` title into its parts. The
register models are checked with the same folding (two fields of one register may not share
a folded title), and ``psikg describe`` matches a file's header with it.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_CURRENCY = ("eur", "euro", "euros")
_PREPOSITIONS = ("en", "in")
_BILINGUAL = re.compile(r"\s+/\s+|\s*\n\s*/?\s*")


def fold(title: str) -> str:
    """A title as words: escapes decoded, accents and case dropped, a trailing currency gone.

    >>> fold("Montant octroyé (€)"), fold("MONTANT_x000D_\\nOCTROYE (EUR)")
    ('montant octroye', 'montant octroye')
    >>> fold("Montant en euros"), fold("N° BCE"), fold("Begünstigter")
    ('montant', 'n bce', 'begunstigter')
    """
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), title)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = _NOT_WORD.sub(" ", text).split()
    while len(words) > 1 and words[-1] in _CURRENCY:
        words.pop()
        if len(words) > 1 and words[-1] in _PREPOSITIONS:
            words.pop()
    return " ".join(words)


def title_parts(title: str) -> list[str]:
    """A title and, if it is bilingual (``fr / nl``, or one language per line), its parts.

    >>> title_parts("Nom du bénéficiaire / Naam begunstigde")
    ['Nom du bénéficiaire / Naam begunstigde', 'Nom du bénéficiaire', 'Naam begunstigde']
    >>> title_parts("Montant")
    ['Montant']
    """
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), title).replace("\r", "\n")
    parts = [p for p in (part.strip() for part in _BILINGUAL.split(text.strip())) if p]
    return [title, *parts] if len(parts) > 1 else [title]


def title_keys(title: str) -> list[str]:
    """The folded forms a title can be matched by: the whole title, then each part.

    >>> title_keys("Bénéficiaire / Begunstigde")
    ['beneficiaire begunstigde', 'beneficiaire', 'begunstigde']
    """
    keys: list[str] = []
    for part in title_parts(title):
        key = fold(part)
        if key and key not in keys:
            keys.append(key)
    return keys
