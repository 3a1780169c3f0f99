"""The words of the validation service and of SHACL results."""

from __future__ import annotations

from graph.words.table import Table

VALIDATION: Table = {
    "validate_title": {"fr": "Valider des métadonnées", "nl": "Metadata valideren",
                       "de": "Metadaten validieren", "en": "Validate metadata"},
    "validate_intro": {
        "fr": "Vérifiez un fichier RDF (DCAT-AP, métadonnées du décret) avant de le publier : "
              "téléversez-le, donnez son URL ou collez son texte.",
        "nl": "Controleer een RDF-bestand (DCAT-AP, metadata van het decreet) voor u het "
              "publiceert: upload het, geef de URL of plak de tekst.",
        "de": "Prüfen Sie eine RDF-Datei (DCAT-AP, Metadaten des Dekrets) vor der "
              "Veröffentlichung: laden Sie sie hoch, geben Sie ihre URL an oder fügen Sie "
              "den Text ein.",
        "en": "Check an RDF file (DCAT-AP, the decree's metadata) before you publish it: "
              "upload it, give its URL or paste its text."},
    "upload": {"fr": "Fichier", "nl": "Bestand", "de": "Datei", "en": "File"},
    "url": {"fr": "URL", "nl": "URL", "de": "URL", "en": "URL"},
    "paste": {"fr": "Texte", "nl": "Tekst", "de": "Text", "en": "Text"},
    "profile": {"fr": "Profil", "nl": "Profiel", "de": "Profil", "en": "Profile"},
    "profile_decree": {"fr": "Décret wallon du 24 novembre 2022",
                       "nl": "Waals decreet van 24 november 2022",
                       "de": "Wallonisches Dekret vom 24. November 2022",
                       "en": "Walloon decree of 24 November 2022"},
    "profile_dcat-ap": {"fr": "DCAT-AP 3.0.1", "nl": "DCAT-AP 3.0.1", "de": "DCAT-AP 3.0.1",
                        "en": "DCAT-AP 3.0.1"},
    "profile_hvd": {"fr": "DCAT-AP HVD 3.0.0 (données de forte valeur)",
                    "nl": "DCAT-AP HVD 3.0.0 (hoogwaardige datasets)",
                    "de": "DCAT-AP HVD 3.0.0 (hochwertige Datensätze)",
                    "en": "DCAT-AP HVD 3.0.0 (high-value datasets)"},
    "profile_all": {"fr": "Tous", "nl": "Alle", "de": "Alle", "en": "All"},
    "syntax": {"fr": "Syntaxe", "nl": "Syntaxis", "de": "Syntax", "en": "Syntax"},
    "syntax_guess": {"fr": "d'après le fichier", "nl": "volgens het bestand",
                     "de": "nach der Datei", "en": "from the file"},
    "validate": {"fr": "Valider", "nl": "Valideren", "de": "Validieren", "en": "Validate"},
    "report": {"fr": "Rapport de validation", "nl": "Validatierapport",
               "de": "Validierungsbericht", "en": "Validation report"},
    "conforms": {"fr": "Conforme", "nl": "Conform", "de": "Konform", "en": "Conforms"},
    "not_conforms": {"fr": "Non conforme", "nl": "Niet conform", "de": "Nicht konform",
                     "en": "Does not conform"},
    "severity_Violation": {"fr": "Violation", "nl": "Schending", "de": "Verstoß",
                           "en": "Violation"},
    "severity_Warning": {"fr": "Avertissement", "nl": "Waarschuwing", "de": "Warnung",
                         "en": "Warning"},
    "severity_Info": {"fr": "Information", "nl": "Melding", "de": "Hinweis", "en": "Info"},
    "focus_node": {"fr": "Nœud", "nl": "Knoop", "de": "Knoten", "en": "Focus node"},
    "path": {"fr": "Propriété", "nl": "Eigenschap", "de": "Eigenschaft", "en": "Path"},
    "value": {"fr": "Valeur", "nl": "Waarde", "de": "Wert", "en": "Value"},
    "message": {"fr": "Message", "nl": "Melding", "de": "Meldung", "en": "Message"},
    "article": {"fr": "Article {n} du décret", "nl": "Artikel {n} van het decreet",
                "de": "Artikel {n} des Dekrets", "en": "Article {n} of the decree"},
    "shape": {"fr": "Forme", "nl": "Vorm", "de": "Form", "en": "Shape"},
    "private_address": {
        "fr": "l'adresse {address} est privée ou locale, et ce serveur ne lit que des "
              "adresses publiques : donnez l'URL d'une adresse publique, ou envoyez le fichier "
              "ou collez son texte",
        "nl": "het adres {address} is privé of lokaal, en deze server leest alleen openbare "
              "adressen: geef de URL van een openbaar adres, of stuur het bestand of plak de "
              "tekst ervan",
        "de": "die Adresse {address} ist privat oder lokal, und dieser Server ruft nur "
              "öffentliche Adressen ab: Geben Sie die URL einer öffentlichen Adresse an, oder "
              "laden Sie die Datei hoch oder fügen Sie ihren Text ein",
        "en": "the address {address} is private or local, and this server fetches public "
              "addresses only: give the URL of a public address, or upload the file or paste "
              "its text"},
    "no_results": {"fr": "Aucun résultat : le document respecte le profil.",
                   "nl": "Geen resultaten: het document voldoet aan het profiel.",
                   "de": "Keine Ergebnisse: das Dokument erfüllt das Profil.",
                   "en": "No results: the document meets the profile."},
    "for_pipelines": {"fr": "Pour l'intégration continue : POST /validate?profile=…",
                      "nl": "Voor CI-pipelines: POST /validate?profile=…",
                      "de": "Für CI-Pipelines: POST /validate?profile=…",
                      "en": "For CI pipelines: POST /validate?profile=…"},
}
"""The words of the validation service (``/validate``): the form and the report."""

SHACL_COMPONENTS: Table = {
    "MinCount": {"fr": "Valeur obligatoire manquante", "nl": "Verplichte waarde ontbreekt",
                 "de": "Pflichtwert fehlt", "en": "Required value missing"},
    "MaxCount": {"fr": "Trop de valeurs", "nl": "Te veel waarden", "de": "Zu viele Werte",
                 "en": "Too many values"},
    "Class": {"fr": "La valeur n'est pas de la classe attendue",
              "nl": "De waarde is niet van de verwachte klasse",
              "de": "Der Wert hat nicht die erwartete Klasse",
              "en": "The value is not of the expected class"},
    "Datatype": {"fr": "La valeur n'a pas le type de données attendu",
                 "nl": "De waarde heeft niet het verwachte datatype",
                 "de": "Der Wert hat nicht den erwarteten Datentyp",
                 "en": "The value does not have the expected datatype"},
    "NodeKind": {"fr": "Mauvaise sorte de valeur (IRI, nœud anonyme ou littéral)",
                 "nl": "Verkeerd soort waarde (IRI, blanco knoop of literal)",
                 "de": "Falsche Art von Wert (IRI, leerer Knoten oder Literal)",
                 "en": "Wrong kind of value (IRI, blank node or literal)"},
    "In": {"fr": "La valeur n'est pas dans la liste permise",
           "nl": "De waarde staat niet in de toegelaten lijst",
           "de": "Der Wert steht nicht in der erlaubten Liste",
           "en": "The value is not in the allowed list"},
    "HasValue": {"fr": "La valeur exigée manque", "nl": "De vereiste waarde ontbreekt",
                 "de": "Der geforderte Wert fehlt", "en": "The required value is missing"},
    "Pattern": {"fr": "La valeur ne suit pas le motif attendu",
                "nl": "De waarde volgt het verwachte patroon niet",
                "de": "Der Wert folgt nicht dem erwarteten Muster",
                "en": "The value does not match the expected pattern"},
    "Length": {"fr": "La valeur n'a pas la longueur permise",
               "nl": "De waarde heeft niet de toegelaten lengte",
               "de": "Der Wert hat nicht die erlaubte Länge",
               "en": "The value does not have the allowed length"},
    "Range": {"fr": "La valeur sort des bornes permises",
              "nl": "De waarde valt buiten de toegelaten grenzen",
              "de": "Der Wert liegt außerhalb der erlaubten Grenzen",
              "en": "The value is out of the allowed range"},
    "Language": {"fr": "Langue de la valeur non permise ou répétée",
                 "nl": "Taal van de waarde niet toegelaten of herhaald",
                 "de": "Sprache des Werts nicht erlaubt oder wiederholt",
                 "en": "Language of the value not allowed or repeated"},
    "Shape": {"fr": "La valeur ne respecte pas la forme attendue",
              "nl": "De waarde voldoet niet aan de verwachte vorm",
              "de": "Der Wert erfüllt die erwartete Form nicht",
              "en": "The value does not meet the expected shape"},
    "Closed": {"fr": "Propriété non permise", "nl": "Eigenschap niet toegelaten",
               "de": "Eigenschaft nicht erlaubt", "en": "Property not allowed"},
    "Pair": {"fr": "Les valeurs de deux propriétés ne s'accordent pas",
             "nl": "De waarden van twee eigenschappen stemmen niet overeen",
             "de": "Die Werte zweier Eigenschaften stimmen nicht überein",
             "en": "The values of two properties do not agree"},
    "SPARQL": {"fr": "Règle non respectée", "nl": "Regel niet nageleefd",
               "de": "Regel nicht eingehalten", "en": "Rule not met"},
}
"""What each kind of SHACL constraint says when it fails, for a result whose shape has no
message in the reader's language (SEMIC's shapes have none; the decree's are in French and
English): :func:`graph.validation.explained.message`."""
