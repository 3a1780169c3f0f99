"""The language of a page and the words on it: French, Dutch, German or English.

A page's language is ``?lang=`` if it names one of :data:`LANGUAGES`, else the best match
of ``Accept-Language``, else French (the decree is Walloon). Labels read from the data
fall back in turn (:mod:`graph.languages`, shared with the command line): the page's
language, the reader's other accepted languages, a label without a language, then French,
Dutch, German and English, then any label.

The few words of the pages themselves sit in :data:`MESSAGES`, one entry per key with
the four languages side by side, so a missing translation shows in review. Babel and
``.po`` files would be worth it for hundreds of strings; the pages have a few dozen.
"""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import LanguageAccept

from graph.languages import LANGUAGES

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}


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
    entry = MESSAGES[key]
    return entry.get(language) or entry["en"]


def messages(language: str) -> dict[str, str]:
    """Every word of the pages in ``language``, for a template."""
    return {key: message(key, language) for key in MESSAGES}


MESSAGES: dict[str, dict[str, str]] = {
    "site": {"fr": "Graphe de connaissances des informations du secteur public",
             "nl": "Kennisgraaf van overheidsinformatie",
             "de": "Wissensgraph der Informationen des öffentlichen Sektors",
             "en": "Public sector information knowledge graph"},
    "query": {"fr": "Requête SPARQL", "nl": "SPARQL-query", "de": "SPARQL-Abfrage",
              "en": "SPARQL query"},
    "run": {"fr": "Exécuter", "nl": "Uitvoeren", "de": "Ausführen", "en": "Run"},
    "format": {"fr": "Format", "nl": "Formaat", "de": "Format", "en": "Format"},
    "examples": {"fr": "Exemples", "nl": "Voorbeelden", "de": "Beispiele", "en": "Examples"},
    "open_in_editor": {"fr": "ouvrir dans l'éditeur", "nl": "openen in de editor",
                       "de": "im Editor öffnen", "en": "open in the editor"},
    "assets_missing": {
        "fr": "L'éditeur YASGUI n'est pas installé. Lancez `make setup` (ou `npm ci`) à la "
              "racine du projet ; le point d'accès SPARQL fonctionne sans lui.",
        "nl": "De YASGUI-editor is niet geïnstalleerd. Voer `make setup` (of `npm ci`) uit "
              "in de hoofdmap van het project; het SPARQL-eindpunt werkt zonder.",
        "de": "Der YASGUI-Editor ist nicht installiert. Führen Sie `make setup` (oder "
              "`npm ci`) im Projektordner aus; der SPARQL-Endpunkt funktioniert ohne ihn.",
        "en": "The YASGUI editor is not installed. Run `make setup` (or `npm ci`) at the "
              "project's root; the SPARQL endpoint works without it."},
    "docs_missing": {
        "fr": "La documentation HTML de l'ontologie n'a pas été générée : lancez `make docs`. "
              "L'ontologie en Turtle est disponible :",
        "nl": "De HTML-documentatie van de ontologie is niet gegenereerd: voer `make docs` uit. "
              "De ontologie in Turtle is beschikbaar:",
        "de": "Die HTML-Dokumentation der Ontologie wurde nicht erzeugt: führen Sie "
              "`make docs` aus. Die Ontologie in Turtle ist verfügbar:",
        "en": "The ontology's HTML documentation has not been generated: run `make docs`. "
              "The ontology in Turtle is available:"},
    "endpoint": {"fr": "Point d'accès SPARQL", "nl": "SPARQL-eindpunt",
                 "de": "SPARQL-Endpunkt", "en": "SPARQL endpoint"},
    "properties": {"fr": "Propriétés", "nl": "Eigenschappen", "de": "Eigenschaften",
                   "en": "Properties"},
    "property": {"fr": "Propriété", "nl": "Eigenschap", "de": "Eigenschaft",
                 "en": "Property"},
    "value": {"fr": "Valeur", "nl": "Waarde", "de": "Wert", "en": "Value"},
    "types": {"fr": "Type", "nl": "Type", "de": "Typ", "en": "Type"},
    "entities": {"fr": "Entités", "nl": "Entiteiten", "de": "Entitäten", "en": "Entities"},
    "classes": {"fr": "Classes", "nl": "Klassen", "de": "Klassen", "en": "Classes"},
    "truncated": {"fr": "Liste tronquée : interrogez le point d'accès pour tout voir.",
                  "nl": "Lijst ingekort: vraag het eindpunt om alles te zien.",
                  "de": "Liste gekürzt: fragen Sie den Endpunkt ab, um alles zu sehen.",
                  "en": "List cut short: query the endpoint to see everything."},
    "referenced_by": {"fr": "Ressources qui y renvoient", "nl": "Bronnen die ernaar verwijzen",
                      "de": "Ressourcen, die darauf verweisen",
                      "en": "Resources that point to it"},
    "more_references": {"fr": "références de plus ; voir la requête",
                        "nl": "verwijzingen meer; zie de query",
                        "de": "weitere Verweise; siehe die Abfrage",
                        "en": "more references; see the query"},
    "provenance": {"fr": "Provenance", "nl": "Herkomst", "de": "Herkunft",
                   "en": "Provenance"},
    "graph": {"fr": "Graphe nommé", "nl": "Benoemde graaf", "de": "Benannter Graph",
              "en": "Named graph"},
    "source": {"fr": "Source", "nl": "Bron", "de": "Quelle", "en": "Source"},
    "loaded": {"fr": "Chargé le", "nl": "Geladen op", "de": "Geladen am",
               "en": "Loaded at"},
    "triples": {"fr": "Triplets", "nl": "Tripels", "de": "Tripel", "en": "Triples"},
    "validation": {"fr": "Dernière validation", "nl": "Laatste validatie",
                   "de": "Letzte Validierung", "en": "Last validation"},
    "conforms": {"fr": "conforme", "nl": "conform", "de": "konform", "en": "conforms"},
    "violations": {"fr": "violations", "nl": "schendingen", "de": "Verstöße",
                   "en": "violations"},
    "download": {"fr": "Cette description en", "nl": "Deze beschrijving in",
                 "de": "Diese Beschreibung als", "en": "This description in"},
    "language": {"fr": "Langue", "nl": "Taal", "de": "Sprache", "en": "Language"},
    "ontology": {"fr": "Ontologie", "nl": "Ontologie", "de": "Ontologie", "en": "Ontology"},
    "ontology_docs": {"fr": "Documentation de l'ontologie", "nl": "Documentatie van de ontologie",
                      "de": "Dokumentation der Ontologie", "en": "Ontology documentation"},
    "vocabulary": {"fr": "Vocabulaire de psikg (fichiers de l'ontologie)",
                   "nl": "Vocabularium van psikg (ontologiebestanden)",
                   "de": "Vokabular von psikg (Ontologiedateien)",
                   "en": "psikg's vocabulary (ontology files)"},
    "same_as": {"fr": "Publié à l'origine comme", "nl": "Oorspronkelijk gepubliceerd als",
                "de": "Ursprünglich veröffentlicht als", "en": "Originally published as"},
    "catalog": {"fr": "Catalogue DCAT-AP", "nl": "DCAT-AP-catalogus",
                "de": "DCAT-AP-Katalog", "en": "DCAT-AP catalog"},
    "statistics": {"fr": "Statistiques (VoID)", "nl": "Statistieken (VoID)",
                   "de": "Statistiken (VoID)", "en": "Statistics (VoID)"},
    "service_description": {"fr": "Description du service", "nl": "Dienstbeschrijving",
                            "de": "Dienstbeschreibung", "en": "Service description"},
    "canned_queries": {"fr": "Requêtes prêtes à l'emploi", "nl": "Kant-en-klare query's",
                       "de": "Vorgefertigte Abfragen", "en": "Canned queries"},
    "error": {"fr": "Erreur", "nl": "Fout", "de": "Fehler", "en": "Error"},
    "machine_readable": {"fr": "Version lisible par machine",
                         "nl": "Machineleesbare versie",
                         "de": "Maschinenlesbare Fassung", "en": "Machine-readable version"},
    "external": {"fr": "IRI d'origine", "nl": "Oorspronkelijke IRI", "de": "Ursprüngliche IRI",
                 "en": "Original IRI"},
    "default_graph": {"fr": "Le graphe par défaut", "nl": "De standaardgraaf",
                      "de": "Der Standardgraph", "en": "The default graph"},
    "default_graph_note": {
        "fr": "Le graphe par défaut est l'union des graphes nommés, telle qu'Oxigraph "
              "l'évalue : un triplet présent dans plusieurs graphes (le numéro d'entreprise "
              "d'un bénéficiaire, répété par six registres annuels) correspond une fois par "
              "graphe, là où SPARQL 1.1 définit le graphe par défaut comme un ensemble. "
              "Lisez les faits d'un enregistrement dans son graphe (GRAPH ?g) et joignez les "
              "entités par SELECT DISTINCT, comme l'exemple « Chaque subside compté une fois ».",
        "nl": "De standaardgraaf is de unie van de benoemde grafen, zoals Oxigraph ze "
              "evalueert: een triple die in meerdere grafen staat (het ondernemingsnummer van "
              "een begunstigde, herhaald door zes jaarregisters) komt één keer per graaf "
              "overeen, terwijl SPARQL 1.1 de standaardgraaf als een verzameling definieert. "
              "Lees de feiten van een record in zijn graaf (GRAPH ?g) en koppel entiteiten via "
              "SELECT DISTINCT, zoals het voorbeeld „Elke subsidie één keer geteld”.",
        "de": "Der Standardgraph ist die Vereinigung der benannten Graphen, wie Oxigraph sie "
              "auswertet: Ein Tripel, das in mehreren Graphen steht (die Unternehmensnummer "
              "eines Begünstigten, von sechs Jahresregistern wiederholt), passt einmal je "
              "Graph, während SPARQL 1.1 den Standardgraphen als Menge definiert. Lesen Sie "
              "die Fakten eines Datensatzes in seinem Graphen (GRAPH ?g) und verknüpfen Sie "
              "Entitäten über SELECT DISTINCT, wie im Beispiel „Jeder Zuschuss einmal gezählt“.",
        "en": "The default graph is the union of the named graphs as Oxigraph evaluates it: "
              "a triple held by several graphs (a beneficiary's enterprise number, repeated by "
              "six yearly registers) matches once per graph, where SPARQL 1.1 defines the "
              "default graph as a set. Read a record's facts in its own graph (GRAPH ?g) and "
              "join entities through SELECT DISTINCT, as the example \"Each subsidy counted "
              "once\" does."},
}
"""The words of the pages, by key and language."""
