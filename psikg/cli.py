"""``psikg``: the command line. Each command lives in ``psikg/commands/`` and is listed here.

Commands are imported when they run, not at start-up (click's lazy group
pattern): ``validate`` pulls in pyshacl and rdflib, which would otherwise
slow every ``psikg`` call down by a third of a second.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import click

from graph.settings import DEFAULT_BASE_IRI
from graph.settings import DEFAULT_STORE
from graph.settings import Settings
from psikg import __version__

COMMANDS = {
    "load": "psikg.commands.load:load",
    "query": "psikg.commands.query:query",
    "validate": "psikg.commands.validate:validate",
    "export": "psikg.commands.export:export",
    "stats": "psikg.commands.stats:stats",
    "graphs": "psikg.commands.graphs:graphs",
    "demo": "psikg.commands.demo:demo",
    "serve": "psikg.commands.serve:serve",
    "routes": "psikg.commands.routes:routes",
    "harvest": "psikg.commands.harvest:harvest",
    "quality": "psikg.commands.quality:quality",
    "convert": "psikg.commands.convert:convert",
    "queries": "psikg.commands.queries:queries",
    "describe": "psikg.commands.describe:describe",
    "backup": "psikg.commands.backup:backup",
    "restore": "psikg.commands.backup:restore",
}
"""Command name → ``module:attribute`` of its click command."""


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--store", "store", metavar="DIR", envvar="PSIKG_STORE", show_envvar=True,
              help=f"Store folder; created if missing. Default: ./{DEFAULT_STORE}.")
@click.option("--base-iri", metavar="IRI", envvar="PSIKG_BASE_IRI", show_envvar=True,
              default=DEFAULT_BASE_IRI, show_default=True,
              help="Base of the IRIs psikg mints (graph names, instances).")
@click.option("--server", metavar="URL", envvar="PSIKG_SERVER", show_envvar=True,
              help="Work through the running `psikg serve` at URL. Default: the one that "
              "holds --store, if it runs; else the store is opened here.")
@click.option("--token-file", metavar="FILE", envvar="PSIKG_UPDATE_TOKEN_FILE",
              show_envvar=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The update token of that server, for load, harvest, graphs drop, "
              "quality (it stores its scores) and the outcomes validate records.")
@click.option("--engine-url", metavar="URL", envvar="PSIKG_ENGINE_URL", show_envvar=True,
              help="Work on the store in the SPARQL 1.1 engine at URL (Virtuoso, Oxigraph, "
              "any Query/Update/Graph Store server) instead of the embedded store: "
              "docs/engines.md.")
@click.option("--engine-kind", type=click.Choice(["oxigraph", "virtuoso", "graphdb", "generic"]),
              envvar="PSIKG_ENGINE_KIND", show_envvar=True, default="generic",
              show_default=True, help="What that engine is.")
@click.option("--engine-user", metavar="USER", envvar="PSIKG_ENGINE_USER", show_envvar=True,
              help="The engine's user for writes (HTTP Digest).")
@click.option("--engine-password-file", metavar="FILE", envvar="PSIKG_ENGINE_PASSWORD_FILE",
              show_envvar=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A file holding that user's password.")
@click.option("--timeout-s", metavar="S", envvar="PSIKG_TIMEOUT_S", show_envvar=True,
              type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Longest a query may run in that engine (psikg serve takes its own "
              "--timeout-s).")
@click.version_option(__version__, prog_name="psikg")
@click.pass_context
def cli(ctx: click.Context, store: str | None, base_iri: str, server: str | None,
        token_file: Path | None, engine_url: str | None, engine_kind: str,
        engine_user: str | None, engine_password_file: Path | None, timeout_s: float
        ) -> None:
    """psikg: Belgian public-sector registries as linked data, under the Walloon PSI decree.

    Load RDF into named graphs, query it with SPARQL, validate it against the
    decree's SHACL shapes, and export it. While `psikg serve` holds the store, every
    command works through it: reads through its engine, writes with its update
    token. Exit codes: 0 success, 1 data or validation failure, 2 usage error.
    """
    ctx.obj = Settings(store=Path(store) if store else DEFAULT_STORE, base_iri=base_iri,
                       server=server or "", update_token_file=token_file,
                       engine_url=engine_url or "", engine_kind=engine_kind,
                       engine_user=engine_user or "", engine_password_file=engine_password_file,
                       timeout_s=timeout_s)


def main() -> None:
    """Entry point of the ``psikg`` script.

    A bug must not print a traceback at a user either: it becomes one line
    (exit 1) unless ``PSIKG_DEBUG`` is set, for whoever reports it.
    """
    try:
        cli(prog_name="psikg", standalone_mode=False)
    except click.exceptions.Exit as done:
        raise SystemExit(done.exit_code) from None
    except click.Abort:
        click.echo("Aborted!", err=True)
        raise SystemExit(1) from None
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    except Exception as error:  # noqa: BLE001 - the last line of defence, see docstring
        if os.environ.get("PSIKG_DEBUG"):
            raise
        click.echo(f"psikg: internal error: {type(error).__name__}: {error} "
                   "(set PSIKG_DEBUG=1 to see the traceback, and report it)", err=True)
        raise SystemExit(1) from None
