"""``/admin``: the scheduled runs of ``psikg serve --schedule``, behind the update token.

- ``GET /admin``: each scheduled source (its kind, schedule, last and next run, the last
  result and report) and the latest runs, as HTML for a browser (``?lang=`` fr/nl/de/en);
- ``GET /admin.json`` (or ``Accept: application/json``): the same dict,
  ``{"sources": [{"kind", "source", "schedule", "next_run", "last_run": {…} | null,
  "running_since": null | "2026-…"}],
  "runs": [{"id", "kind", "source", "started", "ended", "duration_s", "result", "summary",
  "report"}], "now"}``.

Both need the update token (Bearer, or the password of Basic authentication, which a
browser asks for on the 401): reports name sources, URLs and errors that are the
operator's. They read the record the supervisor's scheduler writes beside the store
(:mod:`graph.scheduled_runs`); the page is Jinja with autoescaping, so a report is text
whatever a harvested document or a failing command printed.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Blueprint
from flask import Response

from endpoint.auth import require_writer
from endpoint.i18n import page_language
from endpoint.pages import PAGE_FORMATS
from endpoint.pages import choose
from endpoint.pages import format_links
from endpoint.pages import language_links
from endpoint.pages import render
from endpoint.state import state
from graph.formats import JSON
from graph.formats import Format
from graph.scheduled_runs import RunLog
from graph.scheduled_runs import runs_file
from graph.words import ADMIN
from graph.words import words

blueprint = Blueprint("admin", __name__)

RECENT_RUNS = 50
"""Runs listed below the sources, newest first."""


@blueprint.get("/admin")
def admin() -> Response:
    """The scheduled sources and their runs, as a page or its JSON twin."""
    return _admin(choose(PAGE_FORMATS))


@blueprint.get("/admin.json")
def admin_json() -> Response:
    return _admin(JSON)


def _admin(fmt: Format) -> Response:
    require_writer("the admin page needs the update token")
    language = page_language()
    page = admin_page(runs_file(state().settings.store))
    page["languages"] = language_links(language)
    page["formats"] = format_links((JSON,))
    response = render("admin.html", page, fmt, language, more_words=words(ADMIN, language))
    response.headers["Cache-Control"] = "no-store"
    return response


def admin_page(record: Path) -> dict[str, Any]:
    """The page's dict from the record file ``record`` (empty when nothing was scheduled)."""
    page: dict[str, Any] = {"now": datetime.now(UTC).isoformat(timespec="seconds"),
                            "sources": [], "runs": []}
    if not record.exists():  # never scheduled: no record is created by reading
        return page
    log = RunLog(record)
    for planned in log.planned():
        # one run at most is open (claimed, not ended) per source: the newest
        latest = log.runs(planned.kind, planned.source, limit=2)
        running = latest.pop(0) if latest and latest[0].ended is None else None
        page["sources"].append({
            "kind": planned.kind, "source": planned.source, "schedule": planned.schedule,
            "next_run": planned.next_run.isoformat(timespec="seconds")
            if planned.next_run else None,
            "last_run": latest[0].as_dict() if latest else None,
            "running_since": running.started.isoformat() if running else None})
    page["runs"] = [run.as_dict() for run in log.runs(limit=RECENT_RUNS)]
    return page
