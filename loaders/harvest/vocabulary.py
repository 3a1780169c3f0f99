"""Small mapping tables from what portals write to EU vocabulary IRIs.

Portals often give a theme, a format, a licence or a language as a string
("Environnement", "text/csv", "CC-BY-4.0", "fr"), or as a non-EU IRI for a
licence (``creativecommons.org/…``); DCAT-AP 3 wants the EU Publications
Office IRIs. The tables below are written by hand from the facts of the EU
tables (codes and their labels) and of what Belgian portals publish; they are
deliberately small: a value not found here is reported, not guessed.

Keys are compared after :func:`key` (lower case, accents and punctuation
folded), so "Économie et finances" and "economie-et-finances" meet.
"""

from __future__ import annotations

import re
import unicodedata

from graph.namespaces import ACCESS_RIGHT
from graph.namespaces import DATA_THEME
from graph.namespaces import FILE_TYPE
from graph.namespaces import FREQUENCY
from graph.namespaces import LANGUAGE
from graph.namespaces import LICENCE


def key(text: str) -> str:
    """A comparison key: lower case, no accents, runs of punctuation as one space.

    >>> key("  Économie, et Finances ")
    'economie et finances'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9+]+", " ", folded.lower()).strip()


THEME_LABELS: dict[str, dict[str, str]] = {
    "AGRI": {"en": "Agriculture, fisheries, forestry and food",
             "fr": "Agriculture, pêche, sylviculture et alimentation",
             "nl": "Landbouw, visserij, bosbouw en voeding",
             "de": "Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel"},
    "ECON": {"en": "Economy and finance", "fr": "Économie et finances",
             "nl": "Economie en financiën", "de": "Wirtschaft und Finanzen"},
    "EDUC": {"en": "Education, culture and sport", "fr": "Éducation, culture et sport",
             "nl": "Onderwijs, cultuur en sport", "de": "Bildung, Kultur und Sport"},
    "ENER": {"en": "Energy", "fr": "Énergie", "nl": "Energie", "de": "Energie"},
    "ENVI": {"en": "Environment", "fr": "Environnement", "nl": "Milieu", "de": "Umwelt"},
    "GOVE": {"en": "Government and public sector", "fr": "Gouvernement et secteur public",
             "nl": "Overheid en publieke sector",
             "de": "Regierung und öffentlicher Sektor"},
    "HEAL": {"en": "Health", "fr": "Santé", "nl": "Gezondheid", "de": "Gesundheit"},
    "INTR": {"en": "International issues", "fr": "Questions internationales",
             "nl": "Internationale vraagstukken", "de": "Internationale Themen"},
    "JUST": {"en": "Justice, legal system and public safety",
             "fr": "Justice, système juridique et sécurité publique",
             "nl": "Justitie, rechtsstelsel en openbare veiligheid",
             "de": "Justiz, Rechtssystem und öffentliche Sicherheit"},
    "REGI": {"en": "Regions and cities", "fr": "Régions et villes", "nl": "Regio's en steden",
             "de": "Regionen und Städte"},
    "SOCI": {"en": "Population and society", "fr": "Population et société",
             "nl": "Bevolking en samenleving", "de": "Bevölkerung und Gesellschaft"},
    "TECH": {"en": "Science and technology", "fr": "Science et technologie",
             "nl": "Wetenschap en technologie", "de": "Wissenschaft und Technologie"},
    "TRAN": {"en": "Transport", "fr": "Transports", "nl": "Vervoer", "de": "Verkehr"},
}
"""The 13 EU data themes with their labels in the four languages of Belgium's portals."""

_THEME_EXTRA = {
    # Short forms and the theme names of the Walloon and Brussels portals.
    "agriculture": "AGRI", "economie": "ECON", "economy": "ECON", "finances": "ECON",
    "education": "EDUC", "culture": "EDUC", "sport": "EDUC", "onderwijs": "EDUC",
    "energy": "ENER", "environment": "ENVI", "milieu": "ENVI", "agriculture environnement": "ENVI",
    "administration et services publics": "GOVE", "government": "GOVE", "bestuur": "GOVE",
    "sante": "HEAL", "health": "HEAL", "gezondheid": "HEAL", "justice": "JUST",
    "mobilite": "TRAN", "mobiliteit": "TRAN", "mobility": "TRAN", "transports": "TRAN",
    "urbanisme patrimoine": "REGI", "amenagement du territoire": "REGI",
    "population": "SOCI", "societe": "SOCI", "science": "TECH", "technologie": "TECH",
    "tourisme culture sport et loisirs": "EDUC", "tourisme culture loisirs": "EDUC",
}
THEMES: dict[str, str] = {
    **{key(code): DATA_THEME + code for code in THEME_LABELS},
    **{key(label): DATA_THEME + code for code, labels in THEME_LABELS.items()
       for label in labels.values()},
    **{k: DATA_THEME + code for k, code in _THEME_EXTRA.items()},
}
"""Theme string (:func:`key`) → EU data-theme IRI."""

_FILE_TYPES = {
    "CSV": ["csv", "text/csv", "application/csv", "text/comma-separated-values"],
    "TSV": ["tsv", "text/tab-separated-values"],
    "JSON": ["json", "application/json"],
    "GEOJSON": ["geojson", "application/geo+json", "application/vnd.geo+json"],
    "JSON_LD": ["json-ld", "jsonld", "application/ld+json"],
    "XML": ["xml", "application/xml", "text/xml"],
    "RDF_XML": ["rdf", "rdf/xml", "rdf+xml", "application/rdf+xml"],
    "RDF_TURTLE": ["turtle", "ttl", "text/turtle"],
    "RDF_N_TRIPLES": ["n-triples", "ntriples", "application/n-triples"],
    "RDF_N_QUADS": ["n-quads", "nquads", "application/n-quads"],
    "RDF_TRIG": ["trig", "application/trig"],
    "N3": ["n3", "text/n3"],
    "XLS": ["xls", "application/vnd.ms-excel", "excel"],
    "XLSX": ["xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    "ODS": ["ods", "application/vnd.oasis.opendocument.spreadsheet"],
    "PDF": ["pdf", "application/pdf"],
    "HTML": ["html", "text/html", "htm", "web page", "webpage"],
    "TXT": ["txt", "text/plain", "text"],
    "ZIP": ["zip", "application/zip"],
    "SHP": ["shp", "shapefile", "esri shapefile", "application/vnd.shp"],
    "KML": ["kml", "application/vnd.google-earth.kml+xml"],
    "KMZ": ["kmz", "application/vnd.google-earth.kmz"],
    "GML": ["gml", "application/gml+xml"],
    "GPKG": ["gpkg", "geopackage", "application/geopackage+sqlite3"],
    "PARQUET": ["parquet", "application/vnd.apache.parquet", "application/parquet"],
    "WMS_SRVC": ["wms", "ogc wms"],
    "WFS_SRVC": ["wfs", "ogc wfs"],
    "ICS": ["ics", "text/calendar"],
    "RSS": ["rss", "application/rss+xml"],
    "DOCX": ["docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    "PNG": ["png", "image/png"],
    "JPEG": ["jpeg", "jpg", "image/jpeg"],
}
FILE_TYPES: dict[str, str] = {key(alias): FILE_TYPE + code
                              for code, aliases in _FILE_TYPES.items()
                              for alias in (code, *aliases)}
"""Format string or media type (:func:`key`) → EU file-type IRI."""

MEDIA_TYPES: dict[str, str] = {key(alias): alias for aliases in _FILE_TYPES.values()
                               for alias in aliases if "/" in alias and alias.count("/") == 1}
"""Media type string (:func:`key`) → the IANA media type it names (for ``dcat:mediaType``)."""

_LICENCES = {
    "CC0": ["cc0", "cc-zero", "cc0 1.0", "cc0-1.0", "public domain",
            "http://creativecommons.org/publicdomain/zero/1.0/",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "https://creativecommons.org/publicdomain/zero/1.0/legalcode"],
    "CC_BY_4_0": ["cc-by", "cc by", "cc-by-4.0", "cc by 4.0", "cc-by 4.0",
                  "creative commons attribution",
                  "http://creativecommons.org/licenses/by/4.0/",
                  "https://creativecommons.org/licenses/by/4.0/",
                  "https://creativecommons.org/licenses/by/4.0/legalcode"],
    "CC_BYSA_4_0": ["cc-by-sa", "cc by-sa", "cc-by-sa-4.0", "cc by-sa 4.0",
                    "http://creativecommons.org/licenses/by-sa/4.0/",
                    "https://creativecommons.org/licenses/by-sa/4.0/"],
    "CC_BYNC_4_0": ["cc-by-nc", "cc-by-nc-4.0", "cc by-nc 4.0",
                    "http://creativecommons.org/licenses/by-nc/4.0/",
                    "https://creativecommons.org/licenses/by-nc/4.0/",
                    "https://creativecommons.org/licenses/by-nc/4.0/legalcode"],
    "ODC_BY": ["odc-by", "open data commons attribution license"],
    "ODC_BL": ["odc-odbl", "odbl", "open database license"],
    "OGL_3_0": ["ogl", "ogl-uk-3.0", "open government licence",
                "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"],
}
LICENCES: dict[str, str] = {key(alias): LICENCE + code for code, aliases in _LICENCES.items()
                            for alias in (code, *aliases)}
"""Licence string or non-EU licence IRI (:func:`key`) → EU licence IRI."""

_LANGUAGES = {
    "FRA": ["fr", "fre", "french", "francais", "frans", "franzosisch"],
    "NLD": ["nl", "dut", "dutch", "nederlands", "neerlandais", "niederlandisch", "vlaams"],
    "DEU": ["de", "ger", "german", "deutsch", "allemand", "duits"],
    "ENG": ["en", "english", "anglais", "engels", "englisch"],
    "ITA": ["it", "italian", "italien", "italiano"],
    "SPA": ["es", "spa", "spanish", "espagnol", "espanol"],
}
LANGUAGES: dict[str, str] = {key(alias): LANGUAGE + code for code, aliases in _LANGUAGES.items()
                             for alias in (code, *aliases)}
"""Language code or name (:func:`key`) → EU language IRI."""

LANGUAGE_OF_TAG: dict[str, str] = {"fr": "FRA", "nl": "NLD", "de": "DEU", "en": "ENG",
                                   "it": "ITA", "es": "SPA"}
"""BCP 47 primary tag → EU language code (the source language of a machine translation)."""

_FREQUENCIES = {
    "DAILY": ["daily", "quotidien", "dagelijks", "taglich"],
    "WEEKLY": ["weekly", "hebdomadaire", "wekelijks", "wochentlich"],
    "MONTHLY": ["monthly", "mensuel", "maandelijks", "monatlich"],
    "QUARTERLY": ["quarterly", "trimestriel", "driemaandelijks", "vierteljahrlich"],
    "ANNUAL": ["annual", "yearly", "annuel", "jaarlijks", "jahrlich"],
    "IRREG": ["irregular", "irregulier", "onregelmatig", "unregelmassig"],
    "UPDATE_CONT": ["continuous", "continu", "real time", "temps reel", "realtime"],
    "NEVER": ["never", "jamais", "nooit", "nie"],
}
FREQUENCIES: dict[str, str] = {key(alias): FREQUENCY + code
                               for code, aliases in _FREQUENCIES.items()
                               for alias in (code, *aliases)}
"""Frequency string (:func:`key`) → EU frequency IRI."""

ACCESS_RIGHTS: dict[str, str] = {
    key(alias): ACCESS_RIGHT + code
    for code, aliases in {"PUBLIC": ["public", "open", "publique", "openbaar"],
                          "RESTRICTED": ["restricted", "restreint", "beperkt"],
                          "NON_PUBLIC": ["non public", "non-public", "private", "prive"]}.items()
    for alias in (code, *aliases)}
"""Access-rights string (:func:`key`) → EU access-right IRI."""
