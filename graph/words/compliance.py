"""The words of the compliance dashboard."""

from __future__ import annotations

from graph.words.table import Table

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
