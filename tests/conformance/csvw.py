"""The W3C CSVW csv2rdf tests (``conformance/csvw/manifest-rdf.ttl``) through ``psikg convert``.

The suite's files are served on 127.0.0.1 by a thread of :mod:`http.server`,
at the path they have under ``http://www.w3.org/``, with the ``Link`` headers
the manifest names and the W3C's ``/.well-known/csvm``. The fetch policy's
mirror maps ``http://www.w3.org/`` to that server, so every test runs on its
real base IRI (``http://www.w3.org/2013/csvw/tests/…``) through the same
function the command uses (:func:`psikg.commands.convert.run_conversion`),
private addresses allowed as ``--allow-private`` would.

A positive test passes when the output graph is isomorphic to the expected
Turtle (rdflib); a negative test passes when the conversion stops with an
input error. ``python -m tests.conformance.csvw [TEST…]`` runs the suite (or
some tests) alone and prints each failure.
"""

from __future__ import annotations

import functools
import http.server
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Graph
from rdflib import Namespace
from rdflib import URIRef
from rdflib.compare import isomorphic

from graph.errors import PsikgError
from loaders.http_fetch.policy import FetchPolicy
from tests.conformance import SuiteResult
from tests.conformance import Violation
from tests.conformance import require
from tests.local_http import local_http

SUITE = Path("conformance/csvw")
W3C = "http://www.w3.org/"
BASE = W3C + "2013/csvw/tests/"
SUITE_PATH = "/2013/csvw/tests/"
WELL_KNOWN = "{+url}-metadata.json\ncsv-metadata.json\n{+url}.json\ncsvm.json\n"
"""The W3C site's ``/.well-known/csvm``, which tests 259 and 260 rely on."""

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
CSVT = Namespace("http://www.w3.org/2013/csvw/tests/vocab#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Case:
    """One test of the manifest."""

    id: str
    kind: str
    action: str
    result: str | None
    metadata: str | None
    minimal: bool
    link: str | None

    @property
    def negative(self) -> bool:
        return self.kind == "NegativeRdfTest"


class CsvwScore(SuiteResult):
    """The score line the issue asks for: ``csvw-rdf: N passed, N failed``."""

    def score_line(self) -> str:
        failed = len(self.violations)
        return f"{self.name}: {(self.checked or 0) - failed} passed, {failed} failed"


def cases(suite: Path) -> list[Case]:
    """The manifest's tests, in manifest order."""
    manifest = Graph().parse(suite / "manifest-rdf.ttl", format="turtle",
                             publicID=BASE + "manifest-rdf.ttl")
    root = next(manifest.subjects(RDF_TYPE, MF.Manifest))
    entries = manifest.value(root, MF.entries)
    found = []
    for test in manifest.items(entries):
        option = manifest.value(test, CSVT.option)
        metadata = manifest.value(option, CSVT.metadata) if option is not None else None
        minimal = manifest.value(option, CSVT.minimal) if option is not None else None
        result = manifest.value(test, MF.result)
        link = manifest.value(test, CSVT.httpLink)
        kind = str(manifest.value(test, RDF_TYPE)).rsplit("#", 1)[-1]
        found.append(Case(str(test).rsplit("#", 1)[-1], kind, str(manifest.value(test, MF.action)),
                          str(result) if result else None, str(metadata) if metadata else None,
                          bool(minimal and minimal.toPython()), str(link) if link else None))
    return found


class _Handler(http.server.SimpleHTTPRequestHandler):
    links: dict[str, str] = {}

    def translate_path(self, path: str) -> str:
        clean = unquote(urlsplit(path).path)
        if clean.startswith(SUITE_PATH):
            return str(Path(self.directory) / clean[len(SUITE_PATH):])
        return str(Path(self.directory) / "__nothing_here__")

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if urlsplit(self.path).path == "/.well-known/csvm":
            body = WELL_KNOWN.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self) -> None:
        link = self.links.get(urlsplit(self.path).path)
        if link:
            self.send_header("Link", link)
        super().end_headers()

    def guess_type(self, path: str | Path) -> str:  # type: ignore[override]
        name = str(path)
        if name.endswith(".csv"):
            return "text/csv"
        if name.endswith(".tsv"):
            return "text/tab-separated-values"
        if name.endswith(".json"):
            return "application/json"
        return "text/plain"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        return


@contextmanager
def serve(suite: Path, links: dict[str, str]) -> Iterator[str]:
    """Serve the suite folder on 127.0.0.1; yields the server's root URL."""
    handler = type("Handler", (_Handler,), {"links": links})
    with local_http(functools.partial(handler, directory=str(suite))) as root:
        yield root + "/"


def run_case(case: Case, policy: FetchPolicy, suite: Path) -> str | None:
    """``None`` if the test passes, else why it failed."""
    from psikg.commands.convert import run_conversion

    output = io.BytesIO()
    try:
        run_conversion(case.action, metadata=case.metadata,
                       mode="minimal" if case.minimal else "standard",
                       format_name="ntriples", output=output, policy=policy, warn=_quiet)
    except PsikgError as error:
        return None if case.negative else f"error: {error.one_line()}"
    if case.negative:
        return "converted, but the test expects an error"
    assert case.result is not None
    expected = Graph().parse(suite / case.result[len(BASE):], format="turtle",
                             publicID=case.result)
    try:
        list(ox.parse(output.getvalue(), format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as error:
        return f"output is not N-Triples: {error}"
    actual = Graph().parse(data=output.getvalue().decode(), format="nt")
    if isomorphic(expected, actual):
        return None
    return f"graphs differ: {len(actual)} triples, {len(expected)} expected"


def _quiet(message: str) -> None:
    return


def run(shared: Path, only: list[str] | None = None) -> list[SuiteResult]:
    """Every test (or the ``only`` ones); one result, ``csvw-rdf``."""
    suite = require(shared, SUITE)
    selected = [case for case in cases(suite) if not only or case.id in only]
    links = {urlsplit(case.action).path: case.link for case in selected if case.link}
    violations = []
    with serve(suite, links) as root:
        policy = FetchPolicy(allow_private=True, mirrors={W3C: root}, timeout_s=10)
        for case in selected:
            problem = run_case(case, policy, suite)
            if problem:
                violations.append(Violation(case.id, None, problem))
    return [CsvwScore("csvw-rdf", violations, checked=len(selected), unit="tests")]


if __name__ == "__main__":
    from tests.conformance import shared_dir

    results = run(shared_dir(), sys.argv[1:] or None)
    for result in results:
        print(result.score_line())
        for violation in result.violations:
            print(f"  {violation}")
