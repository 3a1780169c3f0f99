"""The dicts of the ``/validate`` pages: the form, and the report grouped by article or
shape. The template (``validate.html``) renders them; ``GET /validate.json`` is the form's
dict itself."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from graph.formats import FILE_FORMATS
from graph.settings import Settings
from graph.validation.explained import groups
from graph.validation.explained import message
from graph.validation.profiles import PROFILES
from graph.validation.profiles import ProfileUnavailable
from graph.validation.profiles import semic_files
from graph.validation.report import ValidationReport
from graph.validation.report import compact
from graph.words import VALIDATION
from graph.words import word

SEVERITIES = ("Violation", "Warning", "Info")


def form_page(settings: Settings, language: str,
              fields: MultiDict[str, str] | None = None) -> dict[str, Any]:
    """The form: each profile (whether this server has its shapes), the syntaxes, the
    limits, and what was typed (kept when the form is shown again)."""
    fields = fields or MultiDict()
    chosen = fields.get("profile") or PROFILES[0]
    return {
        "profiles": [{"name": name, "label": word(VALIDATION, f"profile_{name}", language),
                      "available": _available(settings, name), "selected": name == chosen}
                     for name in PROFILES],
        "formats": [{"name": f.name, "media_type": f.media_type,
                     "selected": f.name == fields.get("syntax")} for f in FILE_FORMATS],
        "max_mb": settings.validate_max_mb,
        "timeout_s": settings.validate_timeout_s,
        "url": fields.get("url", ""),
        "text": fields.get("text", ""),
    }


def _available(settings: Settings, profile: str) -> bool:
    try:
        for one in ("dcat-ap", "hvd"):
            if profile in (one, "all"):
                semic_files(settings.dcat_ap_shapes, one)
    except ProfileUnavailable:
        return False
    return True


def report_page(report: ValidationReport, language: str, document: str, profile: str,
                triples: int) -> dict[str, Any]:
    """The report for a person: counts, then the results by article or shape, each with
    its focus node, path, value, severity and message in ``language``."""
    counts = {severity: sum(1 for r in report.results if r.severity == severity)
              for severity in SEVERITIES}
    return {
        "document": document,
        "profile": profile,
        "profile_label": word(VALIDATION, f"profile_{profile}", language),
        "triples": triples,
        "conforms": report.conforms,
        "counts": counts,
        "groups": [{
            "key": group.key,
            "title": group.title,
            "article": group.article,
            "counts": {severity: group.count(severity) for severity in SEVERITIES},
            "results": [{
                "severity": result.severity,
                "focus_node": result.focus_node,
                "focus_label": compact(result.focus_node),
                "path": None if result.path is None else compact(result.path),
                "value": None if result.value is None else compact(result.value),
                "message": message(result, language),
                "shape": result.source_shape,
            } for result in group.results],
        } for group in groups(report, language)],
    }
