"""Tables and metadata over HTTP, from a real server on 127.0.0.1: Link header, the
site-wide /.well-known/csvm, and the refusal of private addresses without --allow-private."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.csvw.convert import csv2rdf
from loaders.http_fetch.policy import FetchError
from loaders.http_fetch.policy import FetchPolicy
from tests.conftest import RunPsikg

TABLE = "name,size\nalpha,1\nbeta,2\n"
METADATA = """{"@context": "http://www.w3.org/ns/csvw", "url": "data.csv",
  "tableSchema": {"aboutUrl": "https://example.org/thing/{name}", "columns": [
    {"name": "name", "titles": "name"},
    {"name": "size", "titles": "size", "datatype": "integer"}]}}"""


class Handler(http.server.SimpleHTTPRequestHandler):
    link: str | None = None
    well_known: str | None = None

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/.well-known/csvm" and self.well_known is not None:
            body = self.well_known.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self) -> None:
        if self.link and self.path.endswith(".csv"):
            self.send_header("Link", self.link)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


def serve(folder: Path, **options: str | None) -> Iterator[str]:
    handler = type("H", (Handler,), options)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    # a short poll: shutdown() waits for the loop's next look (0.5 s by default)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


ALLOW = FetchPolicy(allow_private=True, timeout_s=5)


def subjects(conversion) -> set[str]:
    text = b"".join(conversion.chunks()).decode()
    return {line.split(" ", 1)[0] for line in text.splitlines()}


def test_link_header_names_the_metadata(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text(TABLE)
    (tmp_path / "described.json").write_text(METADATA)
    for root in serve(tmp_path, link='<described.json>; rel="describedby"'):
        found = subjects(csv2rdf(root + "data.csv", mode="minimal", policy=ALLOW))
    assert found == {"<https://example.org/thing/alpha>", "<https://example.org/thing/beta>"}


def test_well_known_csvm_lists_the_metadata_locations(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text(TABLE)
    (tmp_path / "meta.json").write_text(METADATA)
    for root in serve(tmp_path, well_known="meta.json\n"):
        found = subjects(csv2rdf(root + "data.csv", mode="minimal", policy=ALLOW))
    assert "<https://example.org/thing/alpha>" in found


def test_private_addresses_are_refused_without_the_flag(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text(TABLE)
    for root in serve(tmp_path):
        with pytest.raises(FetchError) as caught:
            csv2rdf(root + "data.csv", policy=FetchPolicy())
        assert caught.value.type == "private-address"
        assert "--allow-private" in caught.value.message
        assert subjects(csv2rdf(root + "data.csv", mode="minimal", policy=ALLOW))


def test_convert_command_refuses_then_allows(tmp_path: Path, psikg: RunPsikg) -> None:
    (tmp_path / "data.csv").write_text(TABLE)
    (tmp_path / "data.csv-metadata.json").write_text(METADATA)
    for root in serve(tmp_path):
        refused = psikg("convert", root + "data.csv")
        assert refused.returncode == 1
        assert "loopback, private" in refused.stderr
        allowed = psikg("convert", root + "data.csv", "--allow-private", "--format", "ntriples",
                        "--mode", "minimal")
        assert allowed.returncode == 0, allowed.stderr
        assert "<https://example.org/thing/alpha>" in allowed.stdout
