"""Harvesting one source into the store: fetch, parse, repair, commit, report.

The flow, for a file, an HTTP(S) catalog (paged or not) or a SPARQL endpoint:

1. read what the store knows of the source's last harvest (checksum, ETag,
   Last-Modified, page count; all in the metadata graph);
2. fetch the pages into an in-memory working store (:mod:`loaders.harvest.document`):
   a single-page source is asked conditionally, and a ``304`` ends the harvest
   as *unchanged*; so does a checksum equal to the last one. Unchanged writes
   nothing at all;
3. repair (:mod:`loaders.harvest.repairs`), count the datasets, list what is left;
4. stage the data graph (renamed part by part while the store loads the parts
   before, two at a time; see ``docs/harvest.md``, "Speed") and its report graph,
   and commit them together: readers see the old pair or the new one;
5. link the datasets other harvested portals also list (:mod:`loaders.harvest.links`): a
   failure there is a warning of the report, never a failed harvest (the graph is committed).

Any failure in 2–4 (:class:`~graph.errors.PsikgError`: a fetch refused, a parse
error with its position, a limit reached) leaves the data graph as it was and
is recorded in the source's ``{graph}/last-failure`` graph.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

import pyoxigraph as ox

from graph import provenance
from graph.errors import InputError
from graph.errors import PsikgError
from graph.formats import rdf_format_of
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import HTTP
from graph.namespaces import HYDRA
from graph.namespaces import OWL
from graph.namespaces import PROV
from graph.namespaces import PSI_HARVEST
from graph.namespaces import SPDX
from graph.namespaces import VOID
from graph.namespaces import XSD
from graph.sources import Source
from graph.store import OPTIMIZE_AFTER_TRIPLES
from graph.store_api import StoreWriter
from graph.validation.graphs import validate_graph
from loaders.harvest import links
from loaders.harvest.config import SourceSpec
from loaders.harvest.document import drop_paging
from loaders.harvest.document import fold_named_graphs
from loaders.harvest.document import load_page
from loaders.harvest.document import may_hold_translation_tags
from loaders.harvest.document import page_format
from loaders.harvest.fetch import HarvestPolicy
from loaders.harvest.fetch import Page
from loaders.harvest.fetch import get
from loaders.harvest.local_iris import localise
from loaders.harvest.local_iris import referring_predicates
from loaders.harvest.local_iris import renamed_parts
from loaders.harvest.repairs import repair
from loaders.harvest.report import HarvestReport
from loaders.harvest.report import PageValidators
from loaders.harvest.report import Problem
from loaders.harvest.report import report_graph_of
from loaders.harvest.sparql import construct
from loaders.harvest.typing import label_themes
from loaders.harvest.typing import range_types


@dataclass(frozen=True)
class Previous:
    """What the metadata graph says of the source's last successful harvest."""

    checksum: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    pages: tuple[str, ...] = ()
    """The URLs of the pages read last time (``void:dataDump``)."""
    validators: dict[str, PageValidators] = field(default_factory=dict)
    """Per page, its validators and hash of last time (from the report graph)."""


def harvest(store: StoreWriter, spec: SourceSpec, policy: HarvestPolicy) -> HarvestReport:
    """Harvest ``spec`` into ``store``; see the module docstring. Never raises a
    :class:`PsikgError`: a failure is the report's ``error``."""
    graph = spec.graph_iri(store.base_iri)
    report = HarvestReport(spec.name, _origin(spec), graph, provenance.now())
    previous = previous_state(store, graph)
    work = ox.Store()
    try:
        pages = _collect(spec, policy, previous, work, report)
        if pages is None or report.checksum == previous.checksum:
            report.status = "unchanged"
            report.ended = provenance.now()
            return report
        _prepare(work, spec, store.base_iri, report, any(
            may_hold_translation_tags(page.body, _page_format(spec, page)) for page in pages))
        report.status = "harvested"
        _commit(store, spec, report, work)
    except PsikgError as error:
        report.error = error
        report.status = "failed"
        report.ended = provenance.now()
        _record_failure(store, report)
        return report
    try:
        report.duplicates = links.relink(store, graph)
    except PsikgError as error:
        report.warnings.append(Problem(
            "links-failed", f"the links to other portals were not recomputed "
            f"({error.one_line()}); the harvested graph stays"))
    try:
        validate_graph(store, graph, trigger="harvest")
    except PsikgError as error:
        report.warnings.append(Problem(
            "validation-failed", f"the validation was not recorded ({error.one_line()}); the "
            f"harvested graph stays; psikg validate --graph {graph} records it"))
    return report


def previous_state(store: StoreWriter, graph: str) -> Previous:
    """Checksum, validators and page count recorded for ``graph``, if it was harvested."""
    rows = store.query(
        f"SELECT ?c ?etag ?modified WHERE {{ GRAPH <{store.meta_graph}> {{"
        f" <{graph}> <{SPDX}checksum>/<{SPDX}checksumValue> ?c ."
        f" OPTIONAL {{ <{graph}> <{OWL}versionInfo> ?etag }}"
        f" OPTIONAL {{ <{graph}> <{DCT}modified> ?modified }} }} }}", union_default_graph=False)
    pages = store.query(f"SELECT ?page WHERE {{ GRAPH <{store.meta_graph}> {{ <{graph}> "
                        f"<{VOID}dataDump> ?page }} }} ORDER BY ?page", union_default_graph=False)
    for row in rows:
        modified = row["modified"]
        return Previous(
            row["c"].value, row["etag"].value if row["etag"] else None,
            email.utils.format_datetime(datetime.fromisoformat(modified.value), usegmt=True)
            if modified else None,
            tuple(page["page"].value for page in pages), _page_validators(store, graph))
    return Previous()


def _page_validators(store: StoreWriter, graph: str) -> dict[str, PageValidators]:
    rows = store.query(
        f"SELECT ?page ?sha ?etag ?modified WHERE {{ GRAPH <{report_graph_of(graph)}> {{ "
        f"?page <{PSI_HARVEST}sha256> ?sha OPTIONAL {{ ?page <{PSI_HARVEST}etag> ?etag }} "
        f"OPTIONAL {{ ?page <{PSI_HARVEST}lastModified> ?modified }} }} }}",
        union_default_graph=False)
    return {row["page"].value: PageValidators(
        row["etag"].value if row["etag"] else None,
        row["modified"].value if row["modified"] else None, row["sha"].value) for row in rows}


def _origin(spec: SourceSpec) -> str:
    if spec.kind == "file":
        return Path(spec.location).resolve().as_uri()
    return spec.location


def _collect(spec: SourceSpec, policy: HarvestPolicy, previous: Previous, work: ox.Store,
             report: HarvestReport) -> list[Page] | None:
    """Fetch and parse every page into ``work``; ``None`` if the source has not changed (the
    server says so, or a single document has the checksum of last time: then it is not
    even parsed)."""
    if spec.kind in ("file", "sparql"):
        page = _read_file(spec, policy) if spec.kind == "file" else construct(spec.location,
                                                                              policy)
        if page.sha256 == previous.checksum:
            return None
    if spec.kind == "file":
        pages = [page]
        fmt = spec.fmt or rdf_format_of(Path(spec.location))
        base = spec.base_iri or pages[0].url
        report.repairs["relative-iri"] += load_page(work, pages[0].body, fmt, base,
                                                    spec.location)
        report.http_status = None
    elif spec.kind == "sparql":
        pages = [page]
        fmt = page_format(page.url, page.content_type or "application/n-triples", None)
        report.repairs["relative-iri"] += load_page(work, page.body, fmt, page.url,
                                                    spec.location)
        report.http_status = pages[0].status
    else:
        fetched = _fetch_pages(spec, policy, previous, work, report)
        if fetched is None:
            return None
        pages, fmt = fetched
    fold_named_graphs(work, fmt)
    report.pages = [page.url for page in pages]
    report.validators = {page.url: PageValidators(page.etag, page.last_modified, page.sha256)
                         for page in pages}
    report.etag, report.last_modified = pages[0].etag, pages[0].last_modified
    report.checksum = combined_checksum(pages)
    return pages


def combined_checksum(pages: list[Page]) -> str:
    """One page's SHA-256, or that of the sorted SHA-256s of several pages (page order and
    page URLs do not matter, only what the pages say)."""
    if len(pages) == 1:
        return pages[0].sha256
    return hashlib.sha256("".join(sorted(page.sha256 for page in pages)).encode()).hexdigest()


def _read_file(spec: SourceSpec, policy: HarvestPolicy) -> Page:
    path = Path(spec.location)
    if not path.is_file():
        raise InputError(f"no such file: {path}", type="missing-file", file=str(path))
    if path.stat().st_size > policy.fetch.max_bytes:
        raise InputError(f"{path} is larger than {policy.fetch.max_bytes:,} bytes",
                         type="too-large", file=str(path))
    body = path.read_bytes()
    return Page(path.resolve().as_uri(), 200, None, None, None, body,
                hashlib.sha256(body).hexdigest())


def _fetch_pages(spec: SourceSpec, policy: HarvestPolicy, previous: Previous, work: ox.Store,
                 report: HarvestReport) -> tuple[list[Page], ox.RdfFormat] | None:
    if len(previous.pages) > 1 and _same_pages(previous, policy, report):
        return None
    pages: list[Page] = []
    visited: set[str] = set()
    url: str | None = _with_page(spec.location, 1) if spec.paging == "page" else spec.location
    fmt = ox.RdfFormat.TURTLE
    datasets = 0  # read so far: ``?page=`` paging goes on while a page brings new ones
    while url is not None:
        if len(pages) >= policy.max_pages:
            raise InputError(f"{spec.location} has more than {policy.max_pages} pages",
                             type="too-many-pages", file=spec.location,
                             expected=f"at most {policy.max_pages} pages (max_pages)")
        headers = {}
        if not pages and len(previous.pages) == 1:
            if previous.etag:
                headers["If-None-Match"] = previous.etag
            if previous.last_modified:
                headers["If-Modified-Since"] = previous.last_modified
        page = get(url, policy, headers)
        if page.not_modified:
            report.http_status = 304
            return None
        report.http_status = report.http_status or page.status
        fmt = page_format(page.url, page.content_type, spec.fmt)
        report.repairs["relative-iri"] += load_page(work, page.body, fmt, page.url, page.url)
        pages.append(page)
        visited |= {url, page.url}
        if spec.paging == "hydra":
            url = next((n for n in _next_links(work) if n not in visited), None)
        elif spec.paging == "page" and (count := _count_datasets(work)) > datasets:
            datasets = count
            url = _with_page(url, _page_number(url) + 1)
        else:
            url = None
    return pages, fmt


def _same_pages(previous: Previous, policy: HarvestPolicy, report: HarvestReport) -> bool:
    """Whether the pages read last time still say the same.

    A paged catalog has no validator for the whole, but each page may have its own: every
    page is asked with its ETag / Last-Modified of last time, so an unchanged catalog costs
    one ``304`` per page. A page without validators (or a server that ignores them) is
    fetched and hashed, not parsed. Any failure here just means "look again": the full
    harvest reports it.
    """
    hashes, statuses = [], set()
    for url in previous.pages:
        known = previous.validators.get(url)
        headers = {}
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        try:
            page = get(url, policy, headers)
        except PsikgError:
            return False
        if page.not_modified and known is None:
            return False
        hashes.append(known.sha256 if page.not_modified and known else page.sha256)
        statuses.add(page.status)
    same = hashlib.sha256("".join(sorted(hashes)).encode()).hexdigest() == previous.checksum
    if same:
        report.http_status = 304 if statuses == {304} else min(statuses)
    return same


def _next_links(work: ox.Store) -> list[str]:
    rows = work.query(f"SELECT DISTINCT ?n WHERE {{ ?v <{HYDRA}next>|<{HYDRA}nextPage> ?n "
                      "FILTER(isIRI(?n)) }", use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    return sorted(row["n"].value for row in rows)


def _page_number(url: str) -> int:
    return int(dict(parse_qsl(urlsplit(url).query)).get("page", "1") or 1)


def _with_page(url: str, number: int) -> str:
    """``url`` with its ``page`` query parameter set to ``number`` (ckanext-dcat paging)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("page", str(number))])))


def _count_datasets(work: ox.Store) -> int:
    rows = work.query(f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{DCAT}Dataset> }}",
                      use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    return int(next(iter(rows))["n"].value)


def _page_format(spec: SourceSpec, page: Page) -> ox.RdfFormat:
    """The format a page was read in (as :func:`_collect` chose it)."""
    if spec.kind == "file":
        return spec.fmt or rdf_format_of(Path(spec.location))
    given = spec.fmt if spec.kind == "http" else None
    return page_format(page.url, page.content_type or "application/n-triples", given)


def _prepare(work: ox.Store, spec: SourceSpec, base_iri: str, report: HarvestReport,
             translations: bool = True) -> None:
    """Drop paging statements, repair, count datasets, list what stays unrepaired and choose
    the local IRIs."""
    drop_paging(work)
    datasets_before = _count_datasets(work)
    relative = report.repairs.pop("relative-iri", 0)
    log = repair(work, spec.name, base_iri, relative, translations)
    report.repairs.update({slug: n for slug, n in log.counts.items() if n})
    report.records = log.records
    report.problems = log.problems + _unrepairable(work)
    report.renames = localise(work, base_iri, spec.name, spec.title)
    label_themes(work)
    report.datasets = _count_datasets(work)
    if report.datasets != datasets_before:
        raise InputError(f"repairs changed the number of datasets from {datasets_before} to "
                         f"{report.datasets}", type="internal-dataset-count", file=report.url)


def _unrepairable(work: ox.Store) -> list[Problem]:
    problems = []
    for prop, slug in ((DCT + "title", "missing-title"), (DCT + "description",
                                                          "missing-description")):
        rows = work.query(f"SELECT ?d WHERE {{ ?d a <{DCAT}Dataset> FILTER NOT EXISTS "
                          f"{{ ?d <{prop}> ?v }} }} ORDER BY ?d")
        assert isinstance(rows, ox.QuerySolutions)
        name = prop.rsplit("/", 1)[-1]
        problems += [Problem(slug, f"the dataset has no dct:{name}; it cannot be repaired and is "
                             "left out of the published catalog", node=row["d"].value,
                             path=prop) for row in rows]
    return problems


def _commit(store: StoreWriter, spec: SourceSpec, report: HarvestReport, work: ox.Store) -> None:
    """Stage the data graph and the report graph, then commit both.

    The store loads the renamed statements part by part in a worker thread while this one
    renames the next part, then the range types (:func:`_store_parts`); after a large load
    it compacts while it counts what it staged."""
    report.ended = provenance.now()
    extra: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (PROV + "wasGeneratedBy", ox.NamedNode(report.run_iri))]
    if report.http_status is not None:
        extra.append((HTTP + "statusCodeValue", ox.Literal(
            str(report.http_status), datatype=ox.NamedNode(XSD + "integer"))))
    if report.etag:
        extra.append((OWL + "versionInfo", ox.Literal(report.etag)))
    if report.last_modified and (when := _http_date(report.last_modified)):
        extra.append((DCT + "modified", ox.Literal(when, datatype=ox.NamedNode(XSD + "dateTime"))))
    extra += [(VOID + "dataDump", ox.NamedNode(page)) for page in report.pages]
    if spec.title:
        extra.append((DCT + "title", ox.Literal(spec.title)))
    data = Source(origin=report.url, fmt=ox.RdfFormat.N_TRIPLES, default_graph=report.graph,
                  parts=_store_parts(work, report.renames), checksum=report.checksum,
                  extra=tuple(extra), loaders=2, lenient=True)
    staged = store.stage([data, _report_source(report, report.report_graph)],
                         compact=len(work) >= OPTIMIZE_AFTER_TRIPLES)
    report.triples = staged.counts[0][report.graph]
    store.commit(staged)


def _store_parts(work: ox.Store, renames: dict[str, str]) -> Iterator[bytes]:
    """What goes to the store: ``work``'s statements renamed, in parts, then the range
    types (a query on ``work`` run while the store loads the parts before it)."""
    data = work.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    yield from renamed_parts(data, renames, referring_predicates(work))
    yield range_types(work)


def _report_source(report: HarvestReport, graph: str) -> Source:
    body = ox.serialize(report.rdf(), format=ox.RdfFormat.N_TRIPLES) or b""
    return Source(origin=f"{graph}#source", fmt=ox.RdfFormat.N_TRIPLES, default_graph=graph,
                  stream=io.BytesIO(body), checksum=hashlib.sha256(body).hexdigest(),
                  extra=((PROV + "wasGeneratedBy", ox.NamedNode(report.run_iri)),))


def _record_failure(store: StoreWriter, report: HarvestReport) -> None:
    """Write the failure to ``{graph}/last-failure``; the data graph is not touched."""
    graph = report_graph_of(report.graph).removesuffix("/report") + "/last-failure"
    try:
        store.commit(store.stage([_report_source(report, graph)]))
    except PsikgError as error:
        report.problems.append(Problem(error.type, f"the failure could not be recorded: "
                                       f"{error.one_line()}"))


def _http_date(value: str) -> str | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.isoformat().replace("+00:00", "Z")
