"""The nouns a page writes after a number, in the singular and the plural of each language:
"1 violation", "2 violations", and in French "0 violation" (French counts 0 and 1 in the
singular, Dutch, German and English only 1).
"""

from __future__ import annotations

COUNTS: dict[str, dict[str, tuple[str, str]]] = {
    "violations": {"fr": ("violation", "violations"), "nl": ("schending", "schendingen"),
                   "de": ("Verstoß", "Verstöße"), "en": ("violation", "violations")},
    "warnings": {"fr": ("avertissement", "avertissements"),
                 "nl": ("waarschuwing", "waarschuwingen"), "de": ("Warnung", "Warnungen"),
                 "en": ("warning", "warnings")},
    "infos": {"fr": ("information", "informations"), "nl": ("melding", "meldingen"),
              "de": ("Hinweis", "Hinweise"), "en": ("note", "notes")},
    "triples": {"fr": ("triplet", "triplets"), "nl": ("triple", "triples"),
                "de": ("Tripel", "Tripel"), "en": ("triple", "triples")},
    "rows": {"fr": ("ligne", "lignes"), "nl": ("rij", "rijen"), "de": ("Zeile", "Zeilen"),
             "en": ("row", "rows")},
    "datasets": {"fr": ("jeu de données", "jeux de données"), "nl": ("dataset", "datasets"),
                 "de": ("Datensatz", "Datensätze"), "en": ("dataset", "datasets")},
    "checked": {"fr": ("élément vérifié", "éléments vérifiés"),
                "nl": ("gecontroleerd element", "gecontroleerde elementen"),
                "de": ("geprüftes Element", "geprüfte Elemente"),
                "en": ("item checked", "items checked")},
}
"""Noun → language → (singular, plural)."""


def count_noun(count: int, key: str, language: str) -> str:
    """The noun of :data:`COUNTS` that follows ``count`` in ``language`` (English if the
    language is not one of the four).

    >>> count_noun(1, "violations", "en"), count_noun(2, "violations", "en")
    ('violation', 'violations')
    >>> count_noun(0, "violations", "fr"), count_noun(0, "violations", "nl")
    ('violation', 'schendingen')
    """
    singular, plural = COUNTS[key].get(language) or COUNTS[key]["en"]
    one = count in (0, 1) if language == "fr" else count == 1
    return singular if one else plural
