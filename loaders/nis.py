"""The municipalities the sample registries use, by NIS (REFNIS) code, with their names.

Facts from Statbel's REFNIS code list: the 19 Brussels municipalities and the
largest Walloon and Flemish towns. It is deliberately small: it names what
``examples/`` uses, and :func:`loaders.belgian.parse_nis_code` never rejects a
code for being absent from it (municipalities merge; the full list belongs in
a code list loaded as data, not in code).

Municipality IRIs are Belgif's REFNIS vocabulary, ``graph.namespaces.REFNIS_2019 + code``.
"""

from __future__ import annotations

MUNICIPALITIES: dict[str, dict[str, str]] = {
    "21001": {"fr": "Anderlecht", "nl": "Anderlecht"},
    "21002": {"fr": "Auderghem", "nl": "Oudergem"},
    "21003": {"fr": "Berchem-Sainte-Agathe", "nl": "Sint-Agatha-Berchem"},
    "21004": {"fr": "Bruxelles", "nl": "Brussel"},
    "21005": {"fr": "Etterbeek", "nl": "Etterbeek"},
    "21006": {"fr": "Evere", "nl": "Evere"},
    "21007": {"fr": "Forest", "nl": "Vorst"},
    "21008": {"fr": "Ganshoren", "nl": "Ganshoren"},
    "21009": {"fr": "Ixelles", "nl": "Elsene"},
    "21010": {"fr": "Jette", "nl": "Jette"},
    "21011": {"fr": "Koekelberg", "nl": "Koekelberg"},
    "21012": {"fr": "Molenbeek-Saint-Jean", "nl": "Sint-Jans-Molenbeek"},
    "21013": {"fr": "Saint-Gilles", "nl": "Sint-Gillis"},
    "21014": {"fr": "Saint-Josse-ten-Noode", "nl": "Sint-Joost-ten-Node"},
    "21015": {"fr": "Schaerbeek", "nl": "Schaarbeek"},
    "21016": {"fr": "Uccle", "nl": "Ukkel"},
    "21017": {"fr": "Watermael-Boitsfort", "nl": "Watermaal-Bosvoorde"},
    "21018": {"fr": "Woluwe-Saint-Lambert", "nl": "Sint-Lambrechts-Woluwe"},
    "21019": {"fr": "Woluwe-Saint-Pierre", "nl": "Sint-Pieters-Woluwe"},
    "11002": {"fr": "Anvers", "nl": "Antwerpen"},
    "24062": {"fr": "Louvain", "nl": "Leuven"},
    "31005": {"fr": "Bruges", "nl": "Brugge"},
    "44021": {"fr": "Gand", "nl": "Gent"},
    "52011": {"fr": "Charleroi", "nl": "Charleroi"},
    "53053": {"fr": "Mons", "nl": "Bergen"},
    "57081": {"fr": "Tournai", "nl": "Doornik"},
    "62063": {"fr": "Liège", "nl": "Luik"},
    "63079": {"fr": "Verviers", "nl": "Verviers"},
    "81001": {"fr": "Arlon", "nl": "Aarlen"},
    "92094": {"fr": "Namur", "nl": "Namen"},
    "25112": {"fr": "Wavre", "nl": "Waver"},
}
"""NIS code → name by language (fr, nl)."""


def municipality_name(code: str, lang: str = "fr") -> str | None:
    """The municipality's name in ``lang``, or ``None`` if the code is not in the list.

    >>> municipality_name("21015", "nl")
    'Schaarbeek'
    """
    names = MUNICIPALITIES.get(code)
    return None if names is None else names.get(lang)
