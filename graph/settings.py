"""psikg's settings, in one place: where its data files are, and the :class:`Settings`
the command line builds and passes to every package.

The ontology, code lists, shapes, register models, canned queries and examples are data
shipped beside the Python packages (an editable install reads them from the checkout, a
wheel carries them next to ``graph/``); their paths are the constants below, and no option
moves them. What a user chooses (the store, the base IRI, how the endpoint serves) is a
frozen :class:`Settings`, built by the command line from a TOML file, its options and the
environment (:func:`resolve`) and passed in: nothing here reads the environment or a file
when imported, and tests build a :class:`Settings` directly. Every default is the one a
public deployment should start from: loopback only, updates off, CORS off, federation off,
a query timeout, a body limit and a row limit.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The folder that holds ``graph/``, ``ontology/`` and ``queries/``."""

ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "psi.ttl"
CODELISTS_DIR = ONTOLOGY_DIR / "codelists"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
REGISTERS_DIR = ONTOLOGY_DIR / "registers"
"""The register models (``{name}.yaml``): what the canned queries read of each register."""
QUERIES_DIR = PROJECT_ROOT / "queries"
EXAMPLES_DIR = PROJECT_ROOT / "examples"
ONTOLOGY_DOCS_FILE = PROJECT_ROOT / "docs" / "ontology.html"
"""The ontology's documentation that ``make docs`` writes (pyLODE)."""
NODE_MODULES_DIR = PROJECT_ROOT / "node_modules"
"""Where ``npm ci`` installs the UI's assets (YASGUI, Chart.js, Swagger UI)."""

DEFAULT_STORE = Path("psikg-store")
"""The store folder used when neither ``--store`` nor ``PSIKG_STORE`` names one."""

DEFAULT_BASE_IRI = "https://data.psikg.example/"
"""Base of instance IRIs and graph names until a deployment sets its own."""


def ontology_files() -> list[Path]:
    """The ontology and every code list: the context validation reasons with."""
    return [ONTOLOGY_FILE, *sorted(CODELISTS_DIR.glob("*.ttl"))]


def shape_files() -> list[Path]:
    """The decree's SHACL shapes, one file per article or group of articles."""
    return sorted(SHAPES_DIR.glob("*.ttl"))


ENV_PREFIX = "PSIKG_"
"""``PSIKG_TIMEOUT_S=10`` overrides ``timeout_s``; lists are comma-separated."""


@dataclass(frozen=True)
class Settings:
    """How psikg runs: where the store is, the base IRI, and how the endpoint serves.

    The ``psikg`` group builds one from ``--store`` and ``--base-iri`` (or ``PSIKG_STORE``
    and ``PSIKG_BASE_IRI``) and passes it to every command; ``psikg serve`` completes it
    with :func:`resolve`. Field names are the TOML keys and, upper-cased after ``PSIKG_``,
    the environment variables; the command-line options use dashes."""

    store: Path = DEFAULT_STORE
    """The store folder; the query engine holds it while serving."""
    host: str = "127.0.0.1"
    """Address to listen on: loopback unless a deployment opens it on purpose."""
    port: int = 8000
    workers: int = 2
    """WSGI worker processes; each runs ``threads`` requests at once."""
    threads: int = 8
    base_iri: str = DEFAULT_BASE_IRI
    """Base of the IRIs psikg mints; ``/id/…`` dereferences IRIs under it."""
    public_url: str = ""
    """The endpoint's own URL as clients see it (service description, relative IRIs);
    empty means ``http://{host}:{port}``."""
    update_token_file: Path | None = None
    """A file holding the bearer token that SPARQL Update and Graph Store writes need;
    without it, writes are refused (403)."""
    timeout_s: float = 30.0
    """Longest a query may run before it is stopped and answered with 503."""
    max_body_mb: float = 16.0
    """Largest request body (query, update or RDF upload) accepted; larger gets 413."""
    max_rows: int = 100_000
    """Most result rows a SELECT returns; reaching it is said in headers, and in the body
    where the format has room (JSON, XML). 0 lifts the limit, and results then pass
    through as they are read."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call the endpoint from a browser; ``*`` for any. Empty: CORS off."""
    service_allow: tuple[str, ...] = ()
    """IRI prefixes of the endpoints a federated ``SERVICE`` may call and of the documents
    ``LOAD`` may read. Empty: both off."""
    wsgi_server: str = "granian"
    """``granian`` or ``gunicorn``: which production WSGI server runs the workers
    (``bench/endpoint`` measures both)."""
    engine_url: str = ""
    """Base URL of the SPARQL 1.1 engine psikg works in front of, instead of the embedded
    store (``--engine-url``, ``PSIKG_ENGINE_URL``); ``psikg serve`` sets it to the
    ``oxigraph serve`` it starts."""
    engine_kind: str = "generic"
    """What that engine is: ``oxigraph``, ``virtuoso``, ``graphdb`` or ``generic``
    (:mod:`graph.remote.dialects`)."""
    engine_user: str = ""
    """The user the engine wants for writes (HTTP Digest); empty: none."""
    engine_password_file: Path | None = None
    """A file holding that user's password."""
    remote_engine: bool = False
    """Whether :attr:`engine_url` is an engine psikg does not run (``psikg serve
    --engine-url``): the workers then speak its dialect (:mod:`endpoint.remote_engine`)
    rather than ``oxigraph serve``'s."""
    run_dir: Path | None = None
    """Folder where ``psikg serve`` keeps the engine's pid file; lets workers stop a
    runaway query by restarting the engine."""
    server: str = ""
    """The running ``psikg serve`` the command line works through (``--server``); empty:
    the one that announced it holds :attr:`store`, else the store itself."""
    schedule: Path | None = None
    """A ``harvest.toml`` whose sources with ``every`` or ``cron`` ``psikg serve`` harvests
    on their schedules (:mod:`endpoint.scheduler`); none: nothing is scheduled."""
    watch: Path | None = None
    """A folder of registers that ``psikg serve`` loads, and reloads when one (or its CSVW
    metadata) changes (:mod:`endpoint.watched_folder`); none: no folder is watched."""
    validate_max_mb: float = 10.0
    """Largest document the validation service (``/validate``) reads, uploaded, sent as
    the body or fetched from a URL; larger gets 413."""
    validate_timeout_s: float = 60.0
    """Longest a validation may run before it is stopped and answered with 503."""
    dcat_ap_shapes: Path | None = None
    """A folder of SEMIC's DCAT-AP 3.0.1 and HVD 3.0.0 shapes and the vocabularies they
    need (``make dcat-ap-shapes`` fills one); without it the ``dcat-ap`` and ``hvd``
    profiles of ``/validate`` answer 503."""
    allow_private_addresses: bool = False
    """Let ``/validate`` fetch URLs on loopback and private addresses (tests, intranets);
    the same variable, ``PSIKG_ALLOW_PRIVATE_ADDRESSES``, as the command line's fetches."""
    access_log: str = ""
    """Where ``psikg serve`` writes one JSON line per request: a file, or ``-`` for
    standard error; empty: no access log."""

    @property
    def max_body_bytes(self) -> int:
        return int(self.max_body_mb * 1024 * 1024)

    @property
    def validate_max_bytes(self) -> int:
        return int(self.validate_max_mb * 1024 * 1024)

    @property
    def url(self) -> str:
        """The endpoint's public base URL, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def local_url(self) -> str:
        """Where a process on this machine reaches the server (scheduled runs): loopback
        when it listens on every address, whatever :attr:`public_url` says.

        >>> Settings(host="0.0.0.0", port=80).local_url, Settings(host="::").local_url
        ('http://127.0.0.1:80', 'http://[::1]:8000')
        """
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    def read_update_token(self) -> str | None:
        """The update token, read from :attr:`update_token_file` (stripped of whitespace).

        :raises UsageError: if the file cannot be read or holds no token.
        """
        if self.update_token_file is None:
            return None
        try:
            token = self.update_token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise UsageError(f"cannot read the update token file: {error.strerror}",
                             type="token-file", file=str(self.update_token_file)) from None
        if len(token) < 16:
            raise UsageError("the update token file holds fewer than 16 characters",
                             type="token-file", file=str(self.update_token_file),
                             expected="a long random token, e.g. `openssl rand -hex 32`")
        return token

    def read_engine_password(self) -> str:
        """The engine user's password, read from :attr:`engine_password_file` (its first
        line, without the line break); empty if there is no file.

        :raises UsageError: if the file cannot be read.
        """
        if self.engine_password_file is None:
            return ""
        try:
            text = self.engine_password_file.read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot read the engine's password file: {error.strerror}",
                             type="engine-password-file",
                             file=str(self.engine_password_file)) from None
        return text.splitlines()[0] if text else ""

    def to_json(self) -> str:
        """The settings as JSON, for handing to WSGI worker processes."""
        import json

        return json.dumps({name: list(value) if isinstance(value, tuple) else
                           str(value) if isinstance(value, Path) else value
                           for name, value in dataclasses.asdict(self).items()})

    @classmethod
    def from_json(cls, text: str) -> Settings:
        """The settings :meth:`to_json` wrote."""
        import json

        data = json.loads(text)
        return cls(**{name: _convert(name, value, "settings") for name, value in data.items()})


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
_LISTS = {"cors_origins", "service_allow"}
_PATHS = {"store", "update_token_file", "run_dir", "schedule", "watch", "dcat_ap_shapes",
          "engine_password_file"}


def _convert(name: str, value: Any, origin: str) -> Any:
    """One setting's value as its field's type, or a :class:`UsageError` naming where it came
    from."""
    kind = _FIELDS[name].default
    if value is None or value == "" and name in _PATHS:
        return None if name != "store" else Settings.store
    if name in _LISTS:
        items = value.split(",") if isinstance(value, str) else list(value)
        return tuple(item.strip() for item in items if str(item).strip())
    if name in _PATHS:
        return Path(value)
    try:
        if isinstance(kind, bool):
            return str(value).lower() in {"1", "true", "yes", "on"}
        if isinstance(kind, int):
            return int(value)
        if isinstance(kind, float):
            return float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{origin}: {name} must be a number", type="invalid-setting",
                         value=str(value)) from None
    return str(value)


def read_toml(path: Path) -> dict[str, Any]:
    """The settings in a TOML file: top-level keys, or a ``[serve]`` table.

    :raises UsageError: if the file is unreadable, malformed or names an unknown setting.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read config file: {error.strerror}", type="config-file",
                         file=str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"invalid TOML: {error}", type="config-file", file=str(path)) from None
    table = data.get("serve", data)
    unknown = sorted(set(table) - _FIELDS.keys())
    if unknown:
        raise UsageError(f"unknown setting {unknown[0]!r}", type="config-file", file=str(path),
                         value=unknown[0], expected="one of " + ", ".join(_FIELDS))
    return dict(table)


def resolve(options: Mapping[str, Any], config_file: Path | None = None,
            environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the TOML file, then command-line options, then the environment, each
    overriding the one before.

    :param options: what the user gave on the command line (``None`` for not given).
    :param config_file: a TOML file of settings, if any.
    :param environ: the environment (``os.environ`` when ``None``); ``PSIKG_<NAME>``.
    :raises UsageError: if a value cannot be read as its setting's type.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    if config_file is not None:
        for name, value in read_toml(config_file).items():
            values[name] = _convert(name, value, str(config_file))
    for name, value in options.items():
        if value is not None and name in _FIELDS:
            values[name] = _convert(name, value, f"--{name.replace('_', '-')}")
    for name in _FIELDS:
        if name in {"engine_url", "run_dir", "remote_engine"}:
            continue
        if (text := environ.get(ENV_PREFIX + name.upper())) is not None:
            values[name] = _convert(name, text, ENV_PREFIX + name.upper())
    return dataclasses.replace(Settings(), **values)
