"""``psikg query``: one SPARQL query against the store, results to standard output."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from graph.errors import InputError
from graph.errors import UsageError
from graph.formats import JSONLD
from graph.formats import NTRIPLES
from graph.formats import RESULT_FORMATS
from graph.formats import TURTLE
from graph.formats import from_name
from graph.formats import names
from graph.formats import rdf_format
from graph.namespaces import PREFIXES
from graph.settings import Settings
from psikg.context import open_store
from psikg.context import pass_settings
from psikg.context import reports_errors

GRAPH_RESULT_FORMATS = names((TURTLE, NTRIPLES, JSONLD))


def read_query(text: str) -> str:
    """The query itself, or the content of the file ``@path`` names."""
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read query file: {error.strerror}", type="missing-file",
                         file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("query file is not UTF-8", type="encoding", file=str(path)) from None


def _prefix_lines() -> str:
    """The declared prefixes, one per line, for ``--help``."""
    return "\n".join(f"  {name}: <{iri}>" for name, iri in PREFIXES.items())


@click.command(help=f"""Run a SPARQL query. The default graph is the union of all named
graphs, unless the query names its own with FROM. While `psikg serve` holds the store,
the query runs on its engine.

\b
These prefixes are declared, as in the query UI (a PREFIX in the query wins):
{_prefix_lines()}""")
@click.argument("sparql", metavar="SPARQL|@FILE.rq")
@click.option("--format", "format_name",
              type=click.Choice([*names(RESULT_FORMATS), *GRAPH_RESULT_FORMATS]),
              help="Result format. Default: json for SELECT and ASK, turtle for CONSTRUCT "
              "and DESCRIBE.")
@pass_settings
@reports_errors
def query(settings: Settings, sparql: str, format_name: str | None) -> None:
    text = read_query(sparql)
    out = sys.stdout.buffer
    with open_store(settings) as store:
        results = store.query(text, prefixes=PREFIXES)
        if not isinstance(results, ox.QuerySolutions | ox.QueryBoolean):
            name = format_name or "turtle"
            if name not in GRAPH_RESULT_FORMATS:
                raise UsageError(f"--format {name} is for SELECT and ASK results",
                                 type="format-mismatch", value=name,
                                 expected="one of " + ", ".join(GRAPH_RESULT_FORMATS))
            ox.serialize(results, out, format=rdf_format(name), prefixes=PREFIXES)
            return
        name = format_name or "json"
        found = from_name(name, RESULT_FORMATS)
        if found is None or found.results is None:
            raise UsageError(f"--format {name} is for CONSTRUCT and DESCRIBE results",
                             type="format-mismatch", value=name,
                             expected="one of " + ", ".join(names(RESULT_FORMATS)))
        results.serialize(out, format=found.results)
