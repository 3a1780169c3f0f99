"""The words of the canned-query pages and the API docs, in fr, nl, de and en, side by side
as in :data:`endpoint.i18n.MESSAGES` (which holds the words shared by every page)."""

from __future__ import annotations

from endpoint.i18n import messages

WORDS: dict[str, dict[str, str]] = {
    "queries_intro": {
        "fr": "Des questions prêtes à poser aux données : choisissez-en une, remplissez les "
              "paramètres, lisez le tableau ou le graphique, téléchargez le résultat.",
        "nl": "Vragen die klaarstaan voor de gegevens: kies er een, vul de parameters in, "
              "lees de tabel of de grafiek, download het resultaat.",
        "de": "Fertige Fragen an die Daten: wählen Sie eine, füllen Sie die Parameter aus, "
              "lesen Sie Tabelle oder Diagramm, laden Sie das Ergebnis herunter.",
        "en": "Questions ready to ask the data: pick one, fill in its parameters, read the "
              "table or the chart, download the result."},
    "parameters": {"fr": "Paramètres", "nl": "Parameters", "de": "Parameter",
                   "en": "Parameters"},
    "results": {"fr": "Résultats", "nl": "Resultaten", "de": "Ergebnisse", "en": "Results"},
    "chart": {"fr": "Graphique", "nl": "Grafiek", "de": "Diagramm", "en": "Chart"},
    "downloads": {"fr": "Télécharger", "nl": "Downloaden", "de": "Herunterladen",
                  "en": "Download"},
    "csv_semicolon": {"fr": "CSV (;) pour Excel", "nl": "CSV (;) voor Excel",
                      "de": "CSV (;) für Excel", "en": "CSV (;) for Excel"},
    "no_rows": {"fr": "Aucun résultat.", "nl": "Geen resultaten.", "de": "Keine Ergebnisse.",
                "en": "No results."},
    "page": {"fr": "Page", "nl": "Pagina", "de": "Seite", "en": "Page"},
    "of": {"fr": "sur", "nl": "van", "de": "von", "en": "of"},
    "rows": {"fr": "lignes", "nl": "rijen", "de": "Zeilen", "en": "rows"},
    "next": {"fr": "Suivante", "nl": "Volgende", "de": "Weiter", "en": "Next"},
    "previous": {"fr": "Précédente", "nl": "Vorige", "de": "Zurück", "en": "Previous"},
    "any": {"fr": "(toutes les valeurs)", "nl": "(alle waarden)", "de": "(alle Werte)",
            "en": "(any value)"},
    "required": {"fr": "obligatoire", "nl": "verplicht", "de": "Pflichtfeld",
                 "en": "required"},
    "several": {"fr": "plusieurs valeurs possibles", "nl": "meerdere waarden mogelijk",
                "de": "mehrere Werte möglich", "en": "several values allowed"},
    "yes": {"fr": "oui", "nl": "ja", "de": "ja", "en": "yes"},
    "no": {"fr": "non", "nl": "nee", "de": "nein", "en": "no"},
    "api_docs": {"fr": "API REST (OpenAPI)", "nl": "REST-API (OpenAPI)",
                 "de": "REST-API (OpenAPI)", "en": "REST API (OpenAPI)"},
    "sparql_text": {"fr": "La requête SPARQL exécutée", "nl": "De uitgevoerde SPARQL-query",
                    "de": "Die ausgeführte SPARQL-Abfrage", "en": "The SPARQL query run"},
    "fix_values": {"fr": "Corrigez ces valeurs :", "nl": "Verbeter deze waarden:",
                   "de": "Korrigieren Sie diese Werte:", "en": "Fix these values:"},
    "chart_missing": {
        "fr": "La bibliothèque de graphiques n'est pas installée : lancez `make setup` (ou "
              "`npm ci`).",
        "nl": "De grafiekbibliotheek is niet geïnstalleerd: voer `make setup` (of `npm ci`) uit.",
        "de": "Die Diagrammbibliothek ist nicht installiert: führen Sie `make setup` (oder "
              "`npm ci`) aus.",
        "en": "The chart library is not installed: run `make setup` (or `npm ci`)."},
    "viewer_missing": {
        "fr": "Le visualiseur de l'API n'est pas installé : lancez `make setup` (ou `npm ci`). "
              "Le document OpenAPI reste disponible :",
        "nl": "De API-viewer is niet geïnstalleerd: voer `make setup` (of `npm ci`) uit. Het "
              "OpenAPI-document blijft beschikbaar:",
        "de": "Der API-Viewer ist nicht installiert: führen Sie `make setup` (oder `npm ci`) "
              "aus. Das OpenAPI-Dokument bleibt verfügbar:",
        "en": "The API viewer is not installed: run `make setup` (or `npm ci`). The OpenAPI "
              "document is still available:"},
}
"""Words of the query pages, by key and language."""


def words(language: str) -> dict[str, str]:
    """The shared words of the pages and these, in ``language``."""
    found = messages(language)
    found.update({key: entry.get(language) or entry["en"] for key, entry in WORDS.items()})
    return found
