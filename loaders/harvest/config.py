"""Harvest sources as values, and ``harvest.toml``, the file that declares them.

The format (``psikg harvest --all`` reads ``./harvest.toml`` unless ``--config``
names another file)::

    [limits]                       # optional; these are the defaults
    timeout_s = 30                 # connect, and between two reads
    deadline_s = 300               # a whole response
    max_mb = 256                   # largest response
    max_pages = 1000               # pages of one paged catalog
    max_redirects = 5
    allow_networks = []            # e.g. ["127.0.0.1"]: non-public addresses allowed

    [[source]]
    name = "odwb"                  # short name: graph {base}graph/harvest/odwb
    url = "https://…/catalog.ttl"  # a file path, an http(s) URL, or sparql+https://…
    title = "Open Data Wallonie-Bruxelles"
    format = "turtle"              # optional: turtle, rdfxml, jsonld, trig, ntriples, nquads
    paging = "hydra"               # hydra (follow hydra:next, the default), page (?page=1,2…
                                   # until a page has no dataset), or none
    enabled = true                 # false: --all skips it (harvest it by name with --source)
    graph = "https://…"            # optional: another graph IRI
    every = "6h"                   # optional: psikg serve --schedule harvests it every 6 h
    # cron = "0 3 * * *"           #   or at the times of a cron line (UTC); not both
    timeout = "1h"                 # optional: a scheduled run is killed after this long

Nothing here touches the network; :func:`read_config` only reads the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from graph.errors import InputError
from graph.errors import UsageError
from graph.formats import rdf_format
from graph.schedule import Schedule
from graph.schedule import parse_every
from graph.schedule import schedule_from
from loaders.harvest.fetch import HarvestPolicy
from loaders.http_fetch.policy import FetchPolicy

PAGING = ("hydra", "page", "none")


@dataclass(frozen=True)
class SourceSpec:
    """One source to harvest.

    :param name: short name, the last segment of the source's graph IRI.
    :param location: a file path, an ``http(s)`` URL, or ``sparql+http(s)://`` endpoint.
    """

    name: str
    location: str
    title: str | None = None
    fmt: ox.RdfFormat | None = None
    paging: str = "hydra"
    enabled: bool = True
    graph: str | None = None
    base_iri: str | None = None
    """Base for relative IRIs of a local file (the URL the file was published at)."""
    schedule: Schedule | None = None
    """When ``psikg serve --schedule`` harvests it (``every`` or ``cron``); ``None``: never."""
    timeout_s: float = 3600.0
    """How long a scheduled run may last before it is killed (``timeout``)."""

    @property
    def kind(self) -> str:
        """``file``, ``http`` or ``sparql``."""
        scheme = urlsplit(self.location).scheme.lower()
        if scheme.startswith("sparql+"):
            return "sparql"
        return "http" if scheme in {"http", "https"} else "file"

    def graph_iri(self, base: str) -> str:
        """The source's data graph: the given one, else ``{base}graph/harvest/{name}``."""
        return self.graph or f"{base}graph/harvest/{self.name}"


@dataclass(frozen=True)
class HarvestConfig:
    """Every source of a ``harvest.toml`` and the limits they share."""

    sources: list[SourceSpec] = field(default_factory=list)
    policy: HarvestPolicy = field(default_factory=HarvestPolicy)


def name_for(location: str) -> str:
    """A short source name from a path or URL: its host and last path segment, slugged.

    >>> name_for("https://www.odwb.be/api/catalog.ttl?page=1")
    'www.odwb.be-catalog.ttl'
    >>> name_for("/data/dcat/datagovbe_gent.ttl")
    'datagovbe_gent.ttl'
    """
    parts = urlsplit(location)
    if parts.scheme.lower() in {"http", "https"} or parts.scheme.lower().startswith("sparql+"):
        last = parts.path.rstrip("/").rsplit("/", 1)[-1]
        text = f"{parts.hostname}-{last}" if last else str(parts.hostname)
    else:
        text = Path(location).name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "source"


def read_config(path: Path) -> HarvestConfig:
    """Read a ``harvest.toml``.

    :raises InputError: if the file is missing or is not valid TOML.
    :raises UsageError: if a source or a limit is wrong (named in the message).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"no harvest config {path}", type="missing-file", file=str(path),
                         expected="a harvest.toml (see `psikg harvest --help`)") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"invalid TOML: {error}", type="invalid-config", file=str(path)) from None
    policy = policy_from(data.get("limits", {}), str(path))
    sources = [_source(entry, str(path)) for entry in data.get("source", [])]
    names = [s.name for s in sources]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise UsageError(f"two sources are named {duplicated[0]!r}", type="invalid-config",
                         file=str(path), value=duplicated[0], expected="unique names")
    return HarvestConfig(sources, policy)


def policy_from(limits: dict[str, Any], file: str | None = None,
                allow_networks: tuple[str, ...] = ()) -> HarvestPolicy:
    """A :class:`HarvestPolicy` from the ``[limits]`` table (or command-line options)."""
    known = {"timeout_s", "deadline_s", "max_mb", "max_pages", "max_redirects", "allow_networks"}
    unknown = sorted(set(limits) - known)
    if unknown:
        raise UsageError(f"unknown limit {unknown[0]!r}", type="invalid-config", file=file,
                         value=unknown[0], expected="one of " + ", ".join(sorted(known)))
    try:
        fetch = FetchPolicy(timeout_s=float(limits.get("timeout_s", 30)),
                            deadline_s=float(limits.get("deadline_s", 300)),
                            max_bytes=int(float(limits.get("max_mb", 256)) * (1 << 20)),
                            max_redirects=int(limits.get("max_redirects", 5)))
        networks = tuple(str(n) for n in limits.get("allow_networks", [])) + allow_networks
        return HarvestPolicy(fetch=fetch, allowed_networks=networks,
                             max_pages=int(limits.get("max_pages", 1000)))
    except (TypeError, ValueError) as error:
        raise UsageError(f"bad limit: {error}", type="invalid-config", file=file) from None


SOURCE_KEYS = ("name", "url", "path", "title", "format", "paging", "enabled", "graph",
               "base_iri", "every", "cron", "timeout")
"""The keys of a ``[[source]]`` entry; any other is refused (a misspelt ``every`` would
otherwise leave a source unscheduled without a word)."""


def _source(entry: dict[str, Any], file: str) -> SourceSpec:
    unknown = sorted(set(entry) - set(SOURCE_KEYS))
    if unknown:
        raise UsageError(f"unknown key {unknown[0]!r} in a [[source]]", type="invalid-config",
                         file=file, value=unknown[0], expected="one of " + ", ".join(SOURCE_KEYS))
    location = entry.get("url") or entry.get("path")
    if not isinstance(location, str) or not location:
        raise UsageError("a [[source]] has no url", type="invalid-config", file=file,
                         value=str(entry), expected="url = \"…\"")
    paging = str(entry.get("paging", "hydra"))
    if paging not in PAGING:
        raise UsageError(f"unknown paging {paging!r}", type="invalid-config", file=file,
                         value=paging, expected=" | ".join(PAGING))
    name = str(entry.get("name") or name_for(location))
    if not re.fullmatch(r"[A-Za-z0-9._-]+", name):
        raise UsageError(f"source name {name!r} is not a slug", type="invalid-config",
                         file=file, value=name, expected="letters, digits, '.', '_' and '-'")
    fmt = rdf_format(str(entry["format"])) if entry.get("format") else None
    where = f"{file}, source {name!r}"
    schedule = schedule_from(entry.get("every"), entry.get("cron"), where)
    try:
        timeout_s = parse_every(str(entry.get("timeout", "1h")))
    except ValueError as error:
        raise UsageError(f"bad `timeout`: {error}", type="invalid-config", file=where,
                         value=str(entry.get("timeout")), expected='a duration such as "1h"'
                         ) from None
    return SourceSpec(name=name, location=location, title=entry.get("title"), fmt=fmt,
                      paging=paging, enabled=bool(entry.get("enabled", True)),
                      graph=entry.get("graph"), base_iri=entry.get("base_iri"),
                      schedule=schedule, timeout_s=timeout_s)
