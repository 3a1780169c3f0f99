"""The compliance records read back per public body: statuses, open violations, history.

A body's data may sit in several graphs (the platform, its registers, a harvested
portal); its status for an article sums the latest record of every graph the store still
holds (:mod:`graph.compliance.record`). Its history replays every record in time order:
after each one, the body's violations are those of the latest record of each graph so far.

Every IRI from a request goes into a query as a :class:`pyoxigraph.NamedNode` in a
``VALUES`` block (:func:`graph.canned.binding.values_block`), never as text. The reads
that give a row per body (the public bodies, the tallies) are read whole, a page at a time
where the engine cuts answers at a row cap (:class:`graph.store_api.PagedReads`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from graph.canned.binding import values_block
from graph.canned.run import Executor
from graph.compliance.articles import ARTICLES
from graph.compliance.articles import article_number
from graph.languages import fallback_order
from graph.languages import pick
from graph.namespaces import DCT
from graph.namespaces import DQV
from graph.namespaces import PIVEAU
from graph.namespaces import PROV
from graph.namespaces import PSI
from graph.namespaces import PSI_COMPLIANCE
from graph.namespaces import PSI_QUALITY
from graph.namespaces import SH
from graph.quality import band
from graph.store import STAGING_PREFIX
from graph.store_api import PagedReads

_PREFIXES = (f"PREFIX psic: <{PSI_COMPLIANCE}>\nPREFIX prov: <{PROV}>\nPREFIX sh: <{SH}>\n"
             f"PREFIX dqv: <{DQV}>\nPREFIX dct: <{DCT}>\nPREFIX psi: <{PSI}>\n")

BODIES_A_QUERY = 1_000
"""Bodies whose quality one query reads: a row each, below any engine's row cap, and a
``VALUES`` block Virtuoso takes (it refuses one of 12,000 IRIs: ``SP030``)."""


@dataclass(frozen=True)
class Run:
    """One stored record: which graph, when, run by what, and whether the graph is live."""

    record: str
    graph: str
    at: str
    trigger: str
    live: bool


def status(checked: int, violations: int) -> str:
    """``violated``, ``met`` or ``not-applicable``.

    >>> status(3, 1), status(3, 0), status(0, 0)
    ('violated', 'met', 'not-applicable')
    """
    if violations:
        return "violated"
    return "met" if checked else "not-applicable"


def runs(executor: Executor, meta: str) -> list[Run]:
    """Every record, oldest first."""
    rows = executor.select(_PREFIXES + f"""SELECT ?record ?graph ?when ?trigger ?origin WHERE {{
  GRAPH {ox.NamedNode(meta)} {{ ?record a psic:Validation ; psic:graph ?graph ;
      prov:generatedAtTime ?when ; psic:trigger ?trigger
    OPTIONAL {{ ?graph prov:wasDerivedFrom ?origin }} }} }}""")
    found = [Run(r["record"].value, r["graph"].value, r["when"].value, r["trigger"].value,
                 r["origin"] is not None) for r in rows]
    return sorted(found, key=lambda run: (run.at, run.record))


def latest(found: Iterable[Run]) -> dict[str, Run]:
    """The newest record of each graph the store still holds, by record IRI."""
    newest: dict[str, Run] = {}
    for run in found:
        if run.live:
            newest[run.graph] = run
    return {run.record: run for run in newest.values()}


def tallies(executor: Executor, meta: str, records: Iterable[str], body: str | None = None
            ) -> list[tuple[str, str | None, str, int, int]]:
    """``(record, body, article, checked, violations)`` of ``records`` (of one body)."""
    chosen = [ox.NamedNode(r) for r in records]
    if not chosen:
        return []
    one = values_block({"body": [ox.NamedNode(body)]}) if body else ""
    whose = "?t psic:body ?body ." if body else "OPTIONAL { ?t psic:body ?body }"
    rows = _whole(executor, _PREFIXES + f"""SELECT DISTINCT ?record ?t ?body ?article
       ?checked ?violations WHERE {{ {values_block({"record": chosen})} {one}
  GRAPH {ox.NamedNode(meta)} {{
  ?record psic:tally ?t . ?t psic:article ?article ; psic:checked ?checked ;
      psic:violations ?violations . {whose} }} }}""")
    found = []
    for r in rows:
        number = article_number(r["article"].value)
        if number is not None:
            found.append((r["record"].value, r["body"].value if r["body"] else None, number,
                          int(r["checked"].value), int(r["violations"].value)))
    return found


def _whole(executor: Executor, select: str) -> list[ox.QuerySolution]:
    """Every solution of ``select`` (a ``SELECT DISTINCT``), paged where ``executor`` can."""
    if isinstance(executor, PagedReads):
        return executor.select_paged(select)
    return list(executor.select(select))


def articles_of(rows: Iterable[tuple[str, str | None, str, int, int]]
                ) -> dict[str, dict[str, Any]]:
    """Every obligating article's status, violations and nodes checked, summed over
    ``rows`` (one body's tallies)."""
    checked: dict[str, int] = defaultdict(int)
    violations: dict[str, int] = defaultdict(int)
    for _, _, number, count, failed in rows:
        checked[number] += count
        violations[number] += failed
    return {n: {"status": status(checked[n], violations[n]), "violations": violations[n],
                "checked": checked[n]} for n in ARTICLES}


def public_bodies(executor: Executor) -> set[str]:
    """Every ``psi:PublicBody`` of the live graphs."""
    rows = _whole(executor, _PREFIXES + "SELECT DISTINCT ?body WHERE { GRAPH ?g { "
                           "?body a psi:PublicBody } FILTER(isIRI(?body) && "
                           f"!STRSTARTS(STR(?g), {ox.Literal(STAGING_PREFIX)})) }}")
    return {r["body"].value for r in rows}


def quality(executor: Executor, bodies: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Each body's MQA score and band (the mean ``psikg quality`` and harvests store for a
    publisher) and decree score (the mean of its datasets', as a percentage), read
    :data:`BODIES_A_QUERY` bodies at a time."""
    chosen = [ox.NamedNode(b) for b in sorted(bodies)]
    found: dict[str, dict[str, Any]] = {b.value: {"score": None, "band": None, "decree": None}
                                        for b in chosen}
    for start in range(0, len(chosen), BODIES_A_QUERY):
        _quality_of(executor, chosen[start:start + BODIES_A_QUERY], found)
    return found


def _quality_of(executor: Executor, chosen: list[ox.NamedNode],
                found: dict[str, dict[str, Any]]) -> None:
    live = f"FILTER(!STRSTARTS(STR(?q), {ox.Literal(STAGING_PREFIX)}))"
    for row in executor.select(_PREFIXES + f"""SELECT ?body (AVG(?value) AS ?score) WHERE {{
  {values_block({"body": chosen})} GRAPH ?q {{ ?m dqv:computedOn ?body ;
    dqv:isMeasurementOf {ox.NamedNode(PIVEAU + "score")} ; dqv:value ?value }} {live} }}
GROUP BY ?body"""):
        if row["score"] is not None:
            score = round(float(row["score"].value), 1)
            found[row["body"].value].update(score=score, band=band(score))
    for row in executor.select(_PREFIXES + f"""SELECT ?body (AVG(?value) AS ?decree) WHERE {{
  {values_block({"body": chosen})} GRAPH ?g {{ ?dataset dct:publisher ?body }}
  GRAPH ?q {{ ?m dqv:computedOn ?dataset ;
    dqv:isMeasurementOf {ox.NamedNode(PSI_QUALITY + "decreeScore")} ; dqv:value ?value }}
  {live} }} GROUP BY ?body"""):
        if row["decree"] is not None:
            found[row["body"].value]["decree"] = round(float(row["decree"].value) * 100, 1)


def findings(executor: Executor, meta: str, records: Iterable[str], body: str,
             language: str) -> list[dict[str, Any]]:
    """The open violations held against ``body`` in ``records``, by article then node."""
    chosen = [ox.NamedNode(r) for r in records]
    if not chosen:
        return []
    rows = executor.select(_PREFIXES + f"""SELECT ?record ?f ?article ?focus ?path ?value
       ?shape ?message WHERE {{
  {values_block({"record": chosen, "body": [ox.NamedNode(body)]})}
  GRAPH {ox.NamedNode(meta)} {{ ?record psic:finding ?f . ?f psic:body ?body ;
    psic:article ?article ; sh:focusNode ?focus ; sh:sourceShape ?shape
    OPTIONAL {{ ?f sh:resultPath ?path }} OPTIONAL {{ ?f sh:value ?value }}
    OPTIONAL {{ ?f sh:resultMessage ?message }} }} }}""")
    grouped: dict[str, dict[str, Any]] = {}
    messages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in rows:
        key = r["f"].value + r["record"].value
        if r["message"] is not None:
            messages[key].append((r["message"].value, r["message"].language or ""))
        grouped.setdefault(key, {
            "article": article_number(r["article"].value) or "", "focus": r["focus"].value,
            "path": r["path"].value if r["path"] else None,
            "value": r["value"].value if r["value"] else None,
            "shape": r["shape"].value, "record": r["record"].value})
    order = fallback_order(language)
    for key, finding in grouped.items():
        finding["message"] = pick(messages[key], order) or ""
    return sorted(grouped.values(), key=lambda f: (int(f["article"] or 0), f["focus"],
                                                   f["shape"], f["message"]))


def history(found: list[Run], rows: Iterable[tuple[str, str | None, str, int, int]]
            ) -> list[dict[str, Any]]:
    """One point per record that counted the body, oldest first: when, run by what, on
    which graph, and the body's violations then (all its graphs, each at its latest)."""
    by_record: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record, _, number, _, failed in rows:
        by_record[record][number] += failed
    state: dict[str, dict[str, int]] = {}
    points = []
    for run in found:
        if run.record not in by_record:
            continue
        state[run.graph] = by_record[run.record]
        per_article = {n: sum(graph.get(n, 0) for graph in state.values()) for n in ARTICLES}
        points.append({"at": run.at, "trigger": run.trigger, "graph": run.graph,
                       "violations": sum(per_article.values()),
                       "articles": {n: v for n, v in per_article.items() if v}})
    return points
