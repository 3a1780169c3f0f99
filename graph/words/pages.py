"""The words of the pages: every page, the canned-query pages, the catalog for people, the
quality panel and the words inside an answer."""

from __future__ import annotations

from graph.words.table import Table

PAGES: Table = {
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
    "compliance": {"fr": "Conformité", "nl": "Naleving", "de": "Einhaltung",
                   "en": "Compliance"},
    "statistics": {"fr": "Statistiques (VoID)", "nl": "Statistieken (VoID)",
                   "de": "Statistiken (VoID)", "en": "Statistics (VoID)"},
    "validator": {"fr": "Validateur", "nl": "Validator", "de": "Validator",
                  "en": "Validator"},
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
"""The words of every page, by key and language."""

QUERY_PAGES: Table = {
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
"""The words of the canned-query pages and the API docs."""

CATALOG: Table = {
    "catalog_title": {"fr": "Catalogue des jeux de données", "nl": "Catalogus van de datasets",
                      "de": "Katalog der Datensätze", "en": "Dataset catalogue"},
    "search": {"fr": "Rechercher", "nl": "Zoeken", "de": "Suchen", "en": "Search"},
    "search_placeholder": {"fr": "titre, description, mot-clé",
                           "nl": "titel, beschrijving, trefwoord",
                           "de": "Titel, Beschreibung, Schlagwort",
                           "en": "title, description, keyword"},
    "sort": {"fr": "Trier par", "nl": "Sorteren op", "de": "Sortieren nach", "en": "Sort by"},
    "sort_relevance": {"fr": "pertinence", "nl": "relevantie", "de": "Relevanz",
                       "en": "relevance"},
    "sort_title": {"fr": "titre", "nl": "titel", "de": "Titel", "en": "title"},
    "sort_modified": {"fr": "date de modification", "nl": "wijzigingsdatum",
                      "de": "Änderungsdatum", "en": "date modified"},
    "facet_publisher": {"fr": "Éditeur", "nl": "Uitgever", "de": "Herausgeber",
                        "en": "Publisher"},
    "facet_theme": {"fr": "Thème", "nl": "Thema", "de": "Thema", "en": "Theme"},
    "facet_format": {"fr": "Format", "nl": "Formaat", "de": "Format", "en": "Format"},
    "facet_licence": {"fr": "Licence", "nl": "Licentie", "de": "Lizenz", "en": "Licence"},
    "facet_hvd": {"fr": "Catégorie de données de forte valeur",
                  "nl": "Categorie hoogwaardige datasets",
                  "de": "Kategorie hochwertiger Datensätze", "en": "High-value data category"},
    "facet_kind": {"fr": "Type d'organisme", "nl": "Soort instantie", "de": "Art der Stelle",
                   "en": "Kind of body"},
    "facet_language": {"fr": "Langue", "nl": "Taal", "de": "Sprache", "en": "Language"},
    "clear_filters": {"fr": "Effacer les filtres", "nl": "Filters wissen",
                      "de": "Filter löschen", "en": "Clear filters"},
    "modified": {"fr": "Modifié le", "nl": "Gewijzigd op", "de": "Geändert am",
                 "en": "Modified"},
    "no_datasets": {"fr": "Aucun jeu de données ne correspond.",
                    "nl": "Geen enkele dataset komt overeen.",
                    "de": "Kein Datensatz entspricht der Suche.",
                    "en": "No dataset matches."},
    "for_harvesters": {"fr": "Pour les moissonneurs : le catalogue DCAT-AP",
                       "nl": "Voor harvesters: de DCAT-AP-catalogus",
                       "de": "Für Harvester: der DCAT-AP-Katalog",
                       "en": "For harvesters: the DCAT-AP catalogue"},
}
"""The words of the catalog page for people (``/catalog`` in a browser)."""

QUALITY: Table = {
    "quality": {"fr": "Qualité des métadonnées", "nl": "Kwaliteit van de metadata",
                "de": "Metadatenqualität", "en": "Metadata quality"},
    "score": {"fr": "score MQA", "nl": "MQA-score", "de": "MQA-Punktzahl", "en": "MQA score"},
    "decree": {"fr": "score décret", "nl": "decreetscore", "de": "Dekret-Punktzahl",
               "en": "decree score"},
    "indicators": {"fr": "indicateurs obtenus", "nl": "behaalde indicatoren",
                   "de": "erreichte Indikatoren", "en": "indicators met"},
    "computed": {"fr": "calculé le", "nl": "berekend op", "de": "berechnet am",
                 "en": "computed on"},
}
"""The metadata-quality section of a dataset's page: its heading and labels."""

CELLS: Table = {
    "division_by_zero": {"fr": "division par zéro", "nl": "deling door nul",
                         "de": "Division durch null", "en": "division by zero"},
    "name": {"fr": "nom", "nl": "naam", "de": "Name", "en": "name"},
}
"""Words inside an answer: a ratio whose divisor is zero, and the word after a column's
title in the title of its column of labels (``Bénéficiaire (nom)`` in a download)."""
