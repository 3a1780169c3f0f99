"""The words psikg shows or writes in French, Dutch, German and English: one home.

Every table maps a key to its text in each of :data:`graph.languages.LANGUAGES`, the four
side by side, so a missing translation shows in review and ``tests/test_ui_i18n.py``
checks that none is missing. The pages (``endpoint``), the downloads and the harvest
report (``loaders``) all read their words here.

Why tables and not gettext catalogs: the words are a few dozen short entries keyed by what
they are for, read by templates as ``t.key``; ``.po`` files would put each language in a
file of its own and need a compile step at set-up, for no gain at this size.

What is *not* here, because it is data rather than words of psikg: the names of the
municipalities (:mod:`loaders.nis`), the labels of the EU data themes
(:mod:`loaders.harvest.vocabulary`), the labels of reused terms (``endpoint/labels.ttl``),
the titles of the canned queries (their ``.rq`` headers) and of the UI's example queries
(:mod:`endpoint.ui_examples`, each beside its SPARQL).
"""

from __future__ import annotations

Table = dict[str, dict[str, str]]
"""Key → language → text."""

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
"""Each language in itself, for the language switch."""

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
"""The words of the canned-query pages and the API docs."""

CATALOG: Table = {
    "catalog_title": {"fr": "Catalogue des jeux de données", "nl": "Catalogus van de datasets",
                      "de": "Katalog der Datensätze", "en": "Dataset catalogue"},
    "search": {"fr": "Rechercher", "nl": "Zoeken", "de": "Suchen", "en": "Search"},
    "search_placeholder": {"fr": "titre, description, mot-clé",
                           "nl": "titel, beschrijving, trefwoord",
                           "de": "Titel, Beschreibung, Schlagwort",
                           "en": "title, description, keyword"},
    "datasets_found": {"fr": "jeux de données", "nl": "datasets", "de": "Datensätze",
                       "en": "datasets"},
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

HARVEST_METRICS: Table = {
    "datasets": {"en": "Datasets harvested", "fr": "Jeux de données moissonnés",
                 "nl": "Geoogste datasets", "de": "Geerntete Datensätze"},
    "dcat-ap-3-property": {"en": "DCAT-AP 1.x/2.x properties made DCAT-AP 3",
                           "fr": "Propriétés DCAT-AP 1.x/2.x rendues DCAT-AP 3",
                           "nl": "DCAT-AP 1.x/2.x-eigenschappen omgezet naar DCAT-AP 3",
                           "de": "DCAT-AP-1.x/2.x-Eigenschaften zu DCAT-AP 3 umgesetzt"},
    "literal-to-vocabulary": {"en": "Strings mapped to EU vocabulary IRIs",
                              "fr": "Chaînes remplacées par des IRI des vocabulaires de l'UE",
                              "nl": "Tekenreeksen vervangen door IRI's van EU-vocabulaires",
                              "de": "Zeichenketten durch IRIs der EU-Vokabulare ersetzt"},
    "iri-to-vocabulary": {"en": "IRIs replaced by EU vocabulary IRIs",
                          "fr": "IRI remplacées par des IRI des vocabulaires de l'UE",
                          "nl": "IRI's vervangen door IRI's van EU-vocabulaires",
                          "de": "IRIs durch IRIs der EU-Vokabulare ersetzt"},
    "email-to-iri": {"en": "E-mail strings made mailto: IRIs",
                     "fr": "Adresses électroniques converties en IRI mailto:",
                     "nl": "E-mailadressen omgezet naar mailto:-IRI's",
                     "de": "E-Mail-Adressen in mailto:-IRIs umgewandelt"},
    "blank-node-dataset": {"en": "Blank-node datasets given stable IRIs",
                           "fr": "Jeux de données nœuds anonymes dotés d'IRI stables",
                           "nl": "Datasets als blanco knoop voorzien van stabiele IRI's",
                           "de": "Datensätze als leere Knoten mit stabilen IRIs versehen"},
    "blank-node-distribution": {"en": "Blank-node distributions given stable IRIs",
                                "fr": "Distributions nœuds anonymes dotées d'IRI stables",
                                "nl": "Distributies als blanco knoop voorzien van stabiele IRI's",
                                "de": "Distributionen als leere Knoten mit stabilen IRIs versehen"},
    "blank-node-catalog": {"en": "Blank-node catalogues given stable IRIs",
                           "fr": "Catalogues nœuds anonymes dotés d'IRI stables",
                           "nl": "Catalogi als blanco knoop voorzien van stabiele IRI's",
                           "de": "Kataloge als leere Knoten mit stabilen IRIs versehen"},
    "blank-node-service": {"en": "Blank-node data services given stable IRIs",
                           "fr": "Services de données nœuds anonymes dotés d'IRI stables",
                           "nl": "Datadiensten als blanco knoop voorzien van stabiele IRI's",
                           "de": "Datendienste als leere Knoten mit stabilen IRIs versehen"},
    "machine-translation-tag": {"en": "Machine-translation language tags normalised",
                                "fr": "Étiquettes de langue de traduction automatique normalisées",
                                "nl": "Taaltags van machinevertalingen genormaliseerd",
                                "de": "Sprach-Tags maschineller Übersetzungen normalisiert"},
    "escaped-html": {"en": "HTML in descriptions turned into text",
                     "fr": "HTML des descriptions converti en texte",
                     "nl": "HTML in beschrijvingen omgezet naar tekst",
                     "de": "HTML in Beschreibungen in Text umgewandelt"},
    "hvd-legislation": {"en": "HVD datasets made to cite Regulation (EU) 2023/138",
                        "fr": "Jeux HVD rattachés au règlement (UE) 2023/138",
                        "nl": "HVD-datasets gekoppeld aan Verordening (EU) 2023/138",
                        "de": "HVD-Datensätze mit Verweis auf Verordnung (EU) 2023/138"},
    "relative-iri": {"en": "Relative IRIs resolved against the source",
                     "fr": "IRI relatives résolues par rapport à la source",
                     "nl": "Relatieve IRI's opgelost ten opzichte van de bron",
                     "de": "Relative IRIs gegenüber der Quelle aufgelöst"},
}
"""Every count a harvest report can hold: the ``skos:prefLabel`` of its ``dqv:Metric``."""

COMPLIANCE: Table = {
    "dashboard_title": {"fr": "Conformité au décret", "nl": "Naleving van het decreet",
                   "de": "Einhaltung des Dekrets", "en": "Compliance with the decree"},
    "intro": {"fr": "Par organisme public, chaque article du décret qui l'oblige, d'après la "
                    "dernière validation de ses données.",
              "nl": "Per overheidsinstantie, elk artikel van het decreet dat haar verplicht, "
                    "volgens de laatste validatie van haar gegevens.",
              "de": "Je öffentlicher Stelle jeder Artikel des Dekrets, der sie verpflichtet, "
                    "nach der letzten Validierung ihrer Daten.",
              "en": "For each public body, every article of the decree that obliges it, from "
                    "the latest validation of its data."},
    "body": {"fr": "Organisme public", "nl": "Overheidsinstantie", "de": "Öffentliche Stelle",
             "en": "Public body"},
    "article": {"fr": "Article", "nl": "Artikel", "de": "Artikel", "en": "Article"},
    "met": {"fr": "respecté", "nl": "nageleefd", "de": "eingehalten", "en": "met"},
    "violated": {"fr": "enfreint", "nl": "geschonden", "de": "verletzt", "en": "violated"},
    "not-applicable": {"fr": "sans objet", "nl": "niet van toepassing",
                       "de": "nicht anwendbar", "en": "not applicable"},
    "violations": {"fr": "violations", "nl": "schendingen", "de": "Verstöße",
                   "en": "violations"},
    "checked": {"fr": "éléments vérifiés", "nl": "gecontroleerde elementen",
                "de": "geprüfte Elemente", "en": "items checked"},
    "band": {"fr": "niveau MQA", "nl": "MQA-niveau", "de": "MQA-Stufe", "en": "MQA band"},
    "open": {"fr": "Violations ouvertes", "nl": "Openstaande schendingen",
             "de": "Offene Verstöße", "en": "Open violations"},
    "none_open": {"fr": "Aucune violation ouverte.", "nl": "Geen openstaande schendingen.",
                  "de": "Keine offenen Verstöße.", "en": "No open violation."},
    "history": {"fr": "Historique des validations", "nl": "Geschiedenis van de validaties",
                "de": "Verlauf der Validierungen", "en": "Validation history"},
    "when": {"fr": "Date", "nl": "Datum", "de": "Datum", "en": "Date"},
    "trigger": {"fr": "Origine", "nl": "Oorsprong", "de": "Anlass", "en": "Run by"},
    "load": {"fr": "chargement", "nl": "laden", "de": "Laden", "en": "load"},
    "harvest": {"fr": "moissonnage", "nl": "harvesting", "de": "Harvesting", "en": "harvest"},
    "validate": {"fr": "validation", "nl": "validatie", "de": "Validierung",
                 "en": "validation"},
    "source_graph": {"fr": "Graphe source", "nl": "Brongraaf", "de": "Quellgraph",
                     "en": "Source graph"},
    "focus": {"fr": "Élément", "nl": "Element", "de": "Element", "en": "Item"},
    "path": {"fr": "Propriété", "nl": "Eigenschap", "de": "Eigenschaft", "en": "Property"},
    "value": {"fr": "Valeur", "nl": "Waarde", "de": "Wert", "en": "Value"},
    "message": {"fr": "Message", "nl": "Bericht", "de": "Meldung", "en": "Message"},
    "never": {"fr": "jamais validé", "nl": "nooit gevalideerd", "de": "nie validiert",
              "en": "never validated"},
    "all_bodies": {"fr": "Tous les organismes", "nl": "Alle instanties", "de": "Alle Stellen",
                   "en": "All bodies"},
    "download": {"fr": "Télécharger", "nl": "Downloaden", "de": "Herunterladen",
                 "en": "Download"},
    "unattributed": {"fr": "Violations sans organisme identifiable",
                     "nl": "Schendingen zonder aanwijsbare instantie",
                     "de": "Verstöße ohne erkennbare Stelle",
                     "en": "Violations no body could be named for"},
    "check_4": {"fr": "Information diffusée ou exclusivité absente de la plateforme (art. 4).",
                "nl": "Verspreide informatie of exclusiviteit ontbreekt op het platform (art. 4).",
                "de": "Verbreitete Information oder Exklusivität fehlt auf der Plattform (Art. 4).",
                "en": "Disseminated information or exclusive right missing from the platform "
                      "(Art. 4)."},
    "check_6": {"fr": "Métadonnées sans mot-clé ni thème : ni recherche ni inventaire (art. 6).",
                "nl": "Metadata zonder trefwoord of thema: niet vindbaar of inventariseerbaar "
                      "(art. 6).",
                "de": "Metadaten ohne Schlagwort oder Thema: weder such- noch inventarisierbar "
                      "(Art. 6).",
                "en": "Metadata without a keyword or theme: neither searchable nor inventoried "
                      "(Art. 6)."},
    "check_8": {"fr": "Information créée par un autre organisme que son organisme de "
                      "référence (art. 8).",
                "nl": "Informatie aangemaakt door een andere instantie dan haar "
                      "referentie-instantie (art. 8).",
                "de": "Information von einer anderen Stelle als ihrer Referenzstelle erstellt "
                      "(Art. 8).",
                "en": "Information created by a body other than its reference body (Art. 8)."},
    "check_22": {"fr": "Information diffusée absente de tout portail (art. 22).",
                 "nl": "Verspreide informatie ontbreekt op elk portaal (art. 22).",
                 "de": "Verbreitete Information fehlt auf jedem Portal (Art. 22).",
                 "en": "Disseminated information listed on no portal (Art. 22)."},
}
"""The compliance dashboard (``/compliance``): its labels, statuses and the messages of the
checks no shape makes (:mod:`graph.compliance.articles`)."""

TABLES: dict[str, Table] = {"pages": PAGES, "query_pages": QUERY_PAGES, "catalog": CATALOG,
                            "quality": QUALITY, "compliance": COMPLIANCE,
                            "cells": CELLS, "harvest_metrics": HARVEST_METRICS}
"""Every table of words, by name."""


def word(table: Table, key: str, language: str) -> str:
    """``key`` of ``table`` in ``language`` (English if the entry lacks it).

    >>> word(QUALITY, "score", "nl"), word(QUALITY, "score", "es")
    ('MQA-score', 'MQA score')
    """
    entry = table[key]
    return entry.get(language) or entry["en"]


def words(table: Table, language: str) -> dict[str, str]:
    """Every key of ``table`` in ``language``, for a template."""
    return {key: word(table, key, language) for key in table}
