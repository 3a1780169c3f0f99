"""The words of the operations pages: ``/admin``, the scheduled runs."""

from __future__ import annotations

from graph.words.table import Table

ADMIN: Table = {
    "admin": {"fr": "Exécutions planifiées", "nl": "Geplande uitvoeringen",
              "de": "Geplante Läufe", "en": "Scheduled runs"},
    "kind": {"fr": "Type", "nl": "Soort", "de": "Art", "en": "Kind"},
    "schedule": {"fr": "Planning", "nl": "Planning", "de": "Zeitplan", "en": "Schedule"},
    "last_run": {"fr": "Dernière exécution", "nl": "Laatste uitvoering",
                 "de": "Letzter Lauf", "en": "Last run"},
    "next_run": {"fr": "Prochaine exécution", "nl": "Volgende uitvoering",
                 "de": "Nächster Lauf", "en": "Next run"},
    "result": {"fr": "Résultat", "nl": "Resultaat", "de": "Ergebnis", "en": "Result"},
    "report": {"fr": "Rapport", "nl": "Verslag", "de": "Bericht", "en": "Report"},
    "started": {"fr": "Début", "nl": "Begin", "de": "Beginn", "en": "Started"},
    "duration": {"fr": "Durée (s)", "nl": "Duur (s)", "de": "Dauer (s)", "en": "Duration (s)"},
    "running": {"fr": "en cours", "nl": "bezig", "de": "läuft", "en": "running"},
    "recent_runs": {"fr": "Exécutions récentes", "nl": "Recente uitvoeringen",
                    "de": "Letzte Läufe", "en": "Recent runs"},
    "nothing_scheduled": {
        "fr": "Rien n'est planifié : lancez psikg serve avec --schedule harvest.toml.",
        "nl": "Niets gepland: start psikg serve met --schedule harvest.toml.",
        "de": "Nichts geplant: starten Sie psikg serve mit --schedule harvest.toml.",
        "en": "Nothing is scheduled: start psikg serve with --schedule harvest.toml."},
}
"""The words of ``/admin``, the scheduled runs (:mod:`endpoint.admin`)."""
