"""The W3C SPARQL 1.1 Protocol tests (``protocol/manifest.ttl``) against psikg's ``/sparql``.

Each ``mf:ProtocolTest`` is a list of HTTP requests (``ht:Request``: method, path, headers,
body in a given character encoding) and, for each, the response it wants: a status class
(``hts:StatusCode2xx``…), a format (``boolean``, ``tabular``, ``RDF``) and an ASK answer.
They are sent, in order, to an app in this process (``tests.in_process``) over the query
engine on an empty embedded store, the path ``/sparql/`` of the manifest being psikg's
``/sparql``. Updates need psikg's token: every request carries it, as an authorised client
sends it. A test's ``ut:graphData`` files are put, before it runs, into the graph its
``rdfs:label`` names, with the Graph Store Protocol (``PUT /store?graph=…``).

Known failures are listed in ``sparql_protocol_known_failures.txt`` (format of
:func:`tests.conformance.sparql_eval.read_known`, engine ``endpoint``); any other failure
is a regression. ``python -m tests.conformance.sparql_protocol [TEST…]`` prints each failure.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import requests
from rdflib import Graph
from rdflib import Namespace
from rdflib import Node
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from graph.formats import GRAPH_FORMATS
from graph.formats import from_media_type
from graph.store import Store
from tests.conformance import DEFAULT_SHARED
from tests.conformance import SuiteResult
from tests.conformance import require
from tests.conformance.sparql_engines import scratch
from tests.conformance.sparql_eval import EngineScore
from tests.conformance.sparql_eval import read_known
from tests.conformance.sparql_eval import score
from tests.conformance.sparql_manifest import MF
from tests.conformance.sparql_manifest import SUITE
from tests.conformance.sparql_manifest import iri_of

MANIFEST = SUITE / "protocol" / "manifest.ttl"
KNOWN_FAILURES = Path(__file__).with_name("sparql_protocol_known_failures.txt")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
MANIFEST_PATH = "/sparql/"
"""Where every request of the manifest goes; replaced by psikg's ``/sparql``."""


@dataclass(frozen=True)
class Exchange:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[int]
    """The status classes allowed: 2 for ``hts:StatusCode2xx``…"""
    form: str | None
    """``boolean``, ``tabular`` or ``RDF``, if the test says."""
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolCase:
    """One test: its name, the graphs it wants loaded (name → file) and its requests."""

    name: str
    graphs: tuple[tuple[str, Path], ...]
    exchanges: tuple[Exchange, ...]


def protocol_cases(shared: Path, only: set[str] | None = None) -> list[ProtocolCase]:
    """The manifest's tests, in its order.

    :raises SuiteUnavailable: if the manifest is missing.
    """
    path = require(shared, MANIFEST)
    manifest = Graph()
    manifest.parse(path, format="turtle", publicID=iri_of(shared, path))
    cases = []
    for lists in manifest.objects(None, MF.entries):
        for entry in Collection(manifest, lists):
            name = str(entry).rsplit("#", 1)[-1]
            if only is None or name in only:
                cases.append(_case(manifest, entry, name, shared))
    return cases


def _case(manifest: Graph, entry: Node, name: str, shared: Path) -> ProtocolCase:
    graphs = []
    for data in manifest.objects(entry, UT.graphData):
        file, label = manifest.value(data, UT.graph), manifest.value(data, RDFS.label)
        graphs.append((str(label), shared / SUITE / str(file).rsplit("sparql11/", 1)[-1]))
    action = manifest.value(entry, MF.action)
    requests_list = manifest.value(action, HT.requests) if action is not None else None
    exchanges = tuple(_exchange(manifest, request) for request in
                      (Collection(manifest, requests_list) if requests_list else []))
    return ProtocolCase(name, tuple(sorted(graphs)), exchanges)


def _exchange(manifest: Graph, request: Node) -> Exchange:
    def value(node: Node | None, predicate: Node) -> str | None:
        found = manifest.value(node, predicate) if node is not None else None
        return None if found is None else str(found)

    headers_list = manifest.value(request, HT.headers)
    headers = tuple((value(h, HT.fieldName) or "", value(h, HT.fieldValue) or "")
                    for h in (Collection(manifest, headers_list) if headers_list else []))
    body_node = manifest.value(request, HT.body)
    chars = value(body_node, CNT.chars)
    encoding = value(body_node, CNT.characterEncoding) or "UTF-8"
    response = manifest.value(request, HT.resp)
    statuses = frozenset(int(str(status)[len(HTS)])
                         for status in manifest.objects(response, MF.expectedStatus))
    boolean = value(response, MF.expectedBoolean)
    return Exchange(method=value(request, HT.methodName) or "GET",
                    path=value(request, HT.absolutePath) or MANIFEST_PATH, headers=headers,
                    body=None if chars is None else chars.encode(encoding),
                    statuses=statuses, form=value(response, MF.expectedFormat),
                    boolean=None if boolean is None else boolean == "true")


def psikg_path(path: str) -> str:
    """The manifest's ``/sparql/…`` as psikg's ``/sparql…``.

    >>> psikg_path("/sparql/?query=ASK%20%7B%7D")
    '/sparql?query=ASK%20%7B%7D'
    """
    return "/sparql" + path[len(MANIFEST_PATH):] if path.startswith(MANIFEST_PATH) else path


def answer_problem(exchange: Exchange, answer: requests.Response) -> str | None:
    """``None`` if the response is what the test wants, else what differs."""
    if answer.status_code // 100 not in exchange.statuses:
        return (f"{exchange.method} {exchange.path[:60]}: status {answer.status_code}, wanted "
                f"{'/'.join(f'{s}xx' for s in sorted(exchange.statuses))}: "
                f"{answer.text[:120]!r}")
    if exchange.form is None:
        return None
    media_type = answer.headers.get("Content-Type", "")
    fmt = from_media_type(media_type)
    try:
        if exchange.form == "RDF":
            if fmt is None or fmt not in GRAPH_FORMATS or fmt.rdf is None:
                return f"wanted RDF, got {media_type!r}"
            list(ox.parse(answer.content, format=fmt.rdf))
            return None
        if fmt is None or fmt.results is None:
            return f"wanted {exchange.form} results, got {media_type!r}"
        results = ox.parse_query_results(answer.content, format=fmt.results)
    except (SyntaxError, ValueError) as error:
        return f"unreadable {media_type}: {error}"
    if exchange.form == "boolean":
        if not isinstance(results, ox.QueryBoolean):
            return "wanted a boolean, got solutions"
        if exchange.boolean is not None and bool(results) != exchange.boolean:
            return f"ASK answered {bool(results)}, wanted {exchange.boolean}"
    elif not isinstance(results, ox.QuerySolutions):
        return "wanted solutions, got a boolean"
    return None


def run_case(client: requests.Session, case: ProtocolCase, token: str) -> str | None:
    """Load the test's graphs, send its requests in order: the first problem, if any."""
    authorised = {"Authorization": f"Bearer {token}"}
    for graph, file in case.graphs:
        put = client.put(f"/store?graph={quote(graph, safe='')}", data=file.read_bytes(),
                         headers={**authorised, "Content-Type": "application/n-triples"})
        if put.status_code // 100 != 2:
            return f"could not put {graph}: {put.status_code} {put.text[:120]!r}"
    for exchange in case.exchanges:
        answer = client.request(exchange.method, psikg_path(exchange.path),
                                data=exchange.body, allow_redirects=True,
                                headers={**authorised, **dict(exchange.headers)})
        problem = answer_problem(exchange, answer)
        if problem:
            return problem
    return None


@dataclass
class _Running:
    client: requests.Session
    token: str


@contextmanager
def _endpoint(folder: Path) -> Iterator[_Running]:
    from tests.in_process import app_client
    from tests.in_process import engine_on

    token = secrets.token_hex(16)
    token_file = folder / "token"
    token_file.write_text(token + "\n", encoding="utf-8")
    Store(folder / "store").close()
    with engine_on(folder / "store") as engine:
        yield _Running(app_client(engine, folder / "run", update_token_file=token_file), token)


def run_all(cases: list[ProtocolCase]) -> EngineScore:
    """Every case against one fresh app; the failures by test name."""
    result = EngineScore("endpoint")
    with scratch() as folder, _endpoint(Path(folder)) as running:
        for case in cases:
            problem = run_case(running.client, case, running.token)
            if problem:
                result.failures[case.name] = problem
    return result


def run(shared: Path) -> list[SuiteResult]:
    """The suite's one score line."""
    cases = protocol_cases(shared)
    known = read_known(KNOWN_FAILURES.read_text(encoding="utf-8"))
    result = score([run_all(cases)], len(cases), known)
    result.name = "sparql11-protocol"
    return [result]


def main(argv: list[str] | None = None) -> int:
    names = set(argv if argv is not None else sys.argv[1:])
    cases = protocol_cases(DEFAULT_SHARED, names or None)
    result = run_all(cases)
    for name, problem in result.failures.items():
        print(f"endpoint {name} {problem}")
    print(f"endpoint {len(cases) - len(result.failures)}/{len(cases)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
