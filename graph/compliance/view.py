"""The dashboard as one dict per page: every body's statuses, or one body's violations and
history. The HTML page, its JSON twin and the downloads are all made from it.

``{"bodies": [{"iri", "name", "articles": {"11": {"status", "violations", "checked"}, …},
"validated", "quality": {"score", "band", "decree"}}], "articles": […], "unattributed"}``;
one body adds ``"findings"`` (its open violations) and ``"history"``.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from graph.canned.run import Executor
from graph.compliance.articles import ARTICLES
from graph.compliance.dashboard import Run
from graph.compliance.dashboard import articles_of
from graph.compliance.dashboard import findings
from graph.compliance.dashboard import history
from graph.compliance.dashboard import latest
from graph.compliance.dashboard import public_bodies
from graph.compliance.dashboard import quality
from graph.compliance.dashboard import runs
from graph.compliance.dashboard import tallies
from graph.errors import NotFoundError
from graph.errors import UsageError
from graph.labels import labels
from graph.labels import short_name
from graph.languages import fallback_order


def overview(executor: Executor, meta: str, base_iri: str, language: str,
             body: str | None = None) -> dict[str, Any]:
    """Every public body (or only ``body``) with its status for each obligating article.

    A public body is a ``psi:PublicBody`` of the store or a body some record names.
    """
    found = runs(executor, meta)
    current = latest(found)
    rows = tallies(executor, meta, current, body)
    by_body: dict[str | None, list[tuple[str, str | None, str, int, int]]] = {}
    for row in rows:
        by_body.setdefault(row[1], []).append(row)
    bodies = {body} if body else public_bodies(executor) | {b for b in by_body if b}
    names = _names(executor, bodies, base_iri, language)
    scores = quality(executor, bodies)
    listed = []
    for iri in sorted(bodies, key=lambda b: (names[b].casefold(), b)):
        mine = by_body.get(iri, [])
        validated = [current[record].at for record, *_ in mine]
        listed.append({"iri": iri, "name": names[iri], "articles": articles_of(mine),
                       "validated": max(validated) if validated else None,
                       "quality": scores[iri]})
    return {"bodies": listed, "articles": list(ARTICLES),
            "unattributed": sum(row[4] for row in by_body.get(None, []))}


def body_view(executor: Executor, meta: str, base_iri: str, language: str, body: str
              ) -> dict[str, Any]:
    """One body's statuses, open violations (by article) and history.

    :raises UsageError: if ``body`` is not an IRI.
    :raises NotFoundError: if it is neither a public body of the store nor one a
        validation counted.
    """
    try:
        ox.NamedNode(body)
    except ValueError:
        raise UsageError(f"parameter 'body': {body!r} is not an IRI; give a public body's "
                         "IRI, as /compliance.json lists them", type="invalid-parameter",
                         value=body) from None
    page = overview(executor, meta, base_iri, language, body)
    found = runs(executor, meta)
    page["history"] = history(found, tallies(executor, meta, _records(found), body))
    if not page["history"] and body not in public_bodies(executor):
        raise NotFoundError(f"no public body {body} in the store: /compliance lists them",
                            type="unknown-body", value=body)
    page["findings"] = findings(executor, meta, latest(found), body, language)
    return page


def _records(found: list[Run]) -> list[str]:
    return [run.record for run in found]


def _names(executor: Executor, bodies: set[str], base_iri: str, language: str
           ) -> dict[str, str]:
    """Each body's label in ``language``, else its path under the base IRI."""
    rows = [(ox.NamedNode(b),) for b in sorted(bodies)]
    found = labels(executor, rows, fallback_order(language), most=None)
    return {b: found.get(b) or short_name(b, base_iri) for b in bodies}
