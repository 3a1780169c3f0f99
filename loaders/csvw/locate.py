"""Finding a table's metadata (tabular data model, section 5) and fetching tables and JSON.

For a table, the first metadata found wins, in this order:

1. metadata given by the user (``--metadata``, or the metadata file as input);
2. a ``Link: <…>; rel="describedby"`` header of the table's HTTP response;
3. the locations of the site-wide ``/.well-known/csvm`` file (HTTP only), or the
   defaults ``{+url}-metadata.json`` and ``csv-metadata.json`` beside the table;
4. none: the table describes itself (its header gives the columns).

A metadata file found in steps 2–3 that does not describe the table is
ignored with a warning. Every URL goes through :mod:`loaders.http_fetch.client`.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from loaders.csvw.csv_reader import local_path
from loaders.csvw.errors import CsvwError
from loaders.csvw.metadata import Normaliser
from loaders.csvw.readers import extension_of
from loaders.csvw.templates import Template
from loaders.http_fetch.client import Response
from loaders.http_fetch.client import fetch
from loaders.http_fetch.policy import FetchPolicy

MAX_METADATA_BYTES = 16 << 20
"""Largest metadata file read (16 MiB)."""
DEFAULT_LOCATIONS = ("{+url}-metadata.json", "csv-metadata.json")
_LINK = re.compile(r'<([^>]*)>\s*((?:;\s*[^;,]+=(?:"[^"]*"|[^;,]*)\s*)*)')
_METADATA_TYPES = {"application/csvm+json", "application/ld+json", "application/json"}


@dataclass
class FetchedTable:
    """A table's bytes on local disk, and what its HTTP response said about it."""

    path: Path
    temporary: bool = False
    media_type: str | None = None
    header_absent: bool = False
    charset: str | None = None
    link: str | None = None


@dataclass
class Located:
    """The normalised table group to convert, and tables already fetched."""

    group: dict[str, Any]
    label: str
    """How messages about the metadata name it: its path or URL, found or given (the
    source's when the table describes itself)."""
    tables: dict[str, FetchedTable] = field(default_factory=dict)


@dataclass(frozen=True)
class GivenMetadata:
    """Metadata its caller has already read (and pointed at a table), taken as if read
    from ``url``: relative URLs resolve against it, messages name ``label``."""

    document: dict[str, Any]
    url: str
    label: str


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def as_url(location: str) -> str:
    """A path as a ``file:`` URL; URLs unchanged."""
    if is_remote(location) or location.startswith("file:"):
        return location
    return Path(location).resolve().as_uri()


def locate(source: str, metadata: str | GivenMetadata | None, policy: FetchPolicy,
           warn: Callable[[str], None], link_header: str | None = None) -> Located:
    """The table group to convert for ``source``, with its metadata found and normalised.

    :raises CsvwError: if the metadata is unusable.
    :raises FetchError: if a URL may not or cannot be fetched.
    """
    url = as_url(source)
    if isinstance(metadata, GivenMetadata):
        normaliser = Normaliser(metadata.url, lambda u: load_json(u, policy), warn,
                                label=metadata.label)
        return Located(normaliser.document(metadata.document), metadata.label)
    if metadata is not None:
        return Located(load_metadata(as_url(metadata), policy, warn), str(metadata))
    fetched: FetchedTable | None = None
    if is_remote(url):
        fetched = fetch_table(url, policy)
        if fetched.media_type and "json" in fetched.media_type:
            try:
                document = json.loads(fetched.path.read_bytes())
            except ValueError as error:
                raise CsvwError(f"{url} is not JSON: {error}", type="metadata-json",
                                file=url) from None
            finally:
                fetched.path.unlink(missing_ok=True)
            return Located(Normaliser(url, lambda u: load_json(u, policy), warn)
                           .document(document), url)
    elif extension_of(url) == ".json":
        return Located(load_metadata(url, policy, warn), source)
    tables = {url: fetched} if fetched else {}
    links = [link_header] if link_header else []
    if fetched and fetched.link:
        links.append(fetched.link)
    for candidate in _linked(links, url) + _site_wide(url, policy):
        group = _try_metadata(candidate, url, policy, warn)
        if group is not None:
            label = str(local_path(candidate)) if candidate.startswith("file:") else candidate
            return Located(group, label, tables)
    return Located({"tables": [{"url": url}]}, source, tables)


def _linked(links: list[str], url: str) -> list[str]:
    found = []
    for header in links:
        for match in _LINK.finditer(header):
            params = dict(
                (name.strip().lower(), value.strip().strip('"'))
                for name, _, value in (p.partition("=") for p in match.group(2).split(";")
                                       if "=" in p))
            if "describedby" in params.get("rel", "").split() and params.get(
                    "type", "application/csvm+json") in _METADATA_TYPES:
                found.append(urljoin(url, match.group(1)))
    return found


def _site_wide(url: str, policy: FetchPolicy) -> list[str]:
    templates: list[str] = list(DEFAULT_LOCATIONS)
    if is_remote(url):
        parts = urlsplit(url)
        response = fetch(urlunsplit((parts.scheme, parts.netloc, "/.well-known/csvm", "", "")),
                         policy, max_bytes=MAX_METADATA_BYTES)
        if response.ok:
            templates = [line.strip() for line in response.body.decode("utf-8", "replace")
                         .splitlines() if line.strip()]
    return [urljoin(url, Template(text).expand({"url": url})) for text in templates]


def _try_metadata(candidate: str, table_url: str, policy: FetchPolicy,
                  warn: Callable[[str], None]) -> dict[str, Any] | None:
    try:
        document = _read_json(candidate, policy, missing_ok=True)
    except CsvwError as error:
        warn(f"{error.message}; ignored")
        return None
    if document is None:
        return None
    group = Normaliser(candidate, lambda u: load_json(u, policy), warn).document(document)
    if not any(_same_table(table.get("url", ""), table_url) for table in group["tables"]):
        warn(f"metadata {candidate} does not describe {table_url}; ignored")
        return None
    return group


def _same_table(left: str, right: str) -> bool:
    return left == right or left.split("#")[0] == right.split("#")[0]


def load_metadata(url: str, policy: FetchPolicy, warn: Callable[[str], None]) -> dict[str, Any]:
    """Read and normalise the metadata file at ``url``."""
    return Normaliser(url, lambda u: load_json(u, policy), warn).document(
        load_json(url, policy))


def load_json(url: str, policy: FetchPolicy) -> Any:
    """The JSON document at ``url``.

    :raises CsvwError: if it is missing or not JSON.
    """
    document = _read_json(url, policy, missing_ok=False)
    return document


def _read_json(url: str, policy: FetchPolicy, *, missing_ok: bool) -> Any:
    if is_remote(url):
        response: Response = fetch(url, policy, max_bytes=MAX_METADATA_BYTES)
        if not response.ok:
            if missing_ok:
                return None
            raise CsvwError(f"{url} answered HTTP {response.status}", type="missing-metadata",
                            file=url)
        data = response.body
    else:
        path = local_path(url)
        if not path.is_file():
            if missing_ok:
                return None
            raise CsvwError(f"no such metadata file: {path}", type="missing-metadata",
                            file=str(path))
        if path.stat().st_size > MAX_METADATA_BYTES:
            raise CsvwError(f"{path} is larger than {MAX_METADATA_BYTES:,} bytes",
                            type="metadata-too-large", file=str(path))
        data = path.read_bytes()
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise CsvwError(f"{url} is not JSON: {error}", type="metadata-json", file=url) from None


def temporary_path(suffix: str) -> Path:
    """A fresh temporary file name (the caller removes it)."""
    handle, name = tempfile.mkstemp(prefix="psikg-", suffix=suffix)
    os.close(handle)
    return Path(name)


def fetch_table(url: str, policy: FetchPolicy) -> FetchedTable:
    """The table at ``url`` on local disk: itself, or a temporary copy of an HTTP response.

    :raises CsvwError: if it is missing.
    :raises FetchError: if it may not or cannot be fetched.
    """
    if not is_remote(url):
        path = local_path(url)
        if not path.is_file():
            raise CsvwError(f"no such table: {path}", type="missing-file", file=str(path))
        return FetchedTable(path)
    path = temporary_path(extension_of(url) or ".csv")
    try:
        with path.open("wb") as sink:
            response = fetch(url, policy, sink=sink)
        if not response.ok:
            raise CsvwError(f"{url} answered HTTP {response.status}", type="missing-file",
                            file=url, value=str(response.status), expected="HTTP 200")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    content_type = response.header("content-type") or ""
    media_type = content_type.split(";")[0].strip().lower() or None
    params = {name.strip().lower(): value.strip().strip('"')
              for name, _, value in (p.partition("=") for p in content_type.split(";")[1:])}
    links = response.headers.get("link", [])
    return FetchedTable(path, True, media_type, params.get("header") == "absent",
                        params.get("charset"), ", ".join(links) or None)
