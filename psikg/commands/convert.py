"""``psikg convert``: a table or CSVW metadata file to RDF on standard output (or a file).

The command follows the recommendation exactly: a cell that does not fit its
datatype is a warning on standard error and becomes a plain string literal;
only unusable metadata or tables stop it (exit 1). ``psikg load`` is the
strict counterpart. :func:`run_conversion` is what the command runs, and what
the W3C conformance runner calls in-process.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

import click
import pyoxigraph as ox

import loaders.plugins  # noqa: F401 - registers the spreadsheet reader and the Belgian formats
from graph.formats import JSONLD
from graph.formats import NQUADS
from graph.formats import NTRIPLES
from graph.formats import TURTLE
from graph.formats import names
from graph.formats import rdf_format
from graph.namespaces import CSVW
from graph.namespaces import RDF
from graph.namespaces import RDFS
from graph.namespaces import XSD
from loaders.csvw.convert import Mode
from loaders.csvw.convert import csv2rdf
from loaders.csvw.errors import CellError
from loaders.http_fetch.policy import FetchPolicy
from psikg.context import reports_errors

OUTPUT_FORMATS = names((TURTLE, NTRIPLES, NQUADS, JSONLD))
PREFIXES = {"csvw": CSVW, "xsd": XSD, "rdf": RDF, "rdfs": RDFS}


def run_conversion(source: str, *, metadata: str | None = None, mode: Mode = "standard",
                   format_name: str = "turtle", output: IO[bytes], policy: FetchPolicy,
                   warn: Callable[[str], None]) -> int:
    """Convert ``source`` and write it to ``output``; returns the number of cell errors.

    :param warn: receives each warning line (metadata warnings, then cell errors as found).
    :raises PsikgError: if the metadata or a table is unusable, or a URL may not be fetched.
    """

    def on_error(error: CellError) -> None:
        warn(error.one_line())

    conversion = csv2rdf(source, metadata=metadata, mode=mode, policy=policy,
                         on_error=on_error)
    for warning in conversion.warnings:
        warn(warning.one_line())
    if format_name == NTRIPLES.name:
        for chunk in conversion.chunks():
            output.write(chunk)
    else:
        stream: IO[bytes] = conversion.stream()  # type: ignore[assignment]
        triples = ox.parse(input=stream, format=ox.RdfFormat.N_TRIPLES)
        fmt = rdf_format(format_name)
        if fmt == ox.RdfFormat.TURTLE:
            ox.serialize(triples, output, format=fmt, prefixes=PREFIXES)
        else:
            ox.serialize(triples, output, format=fmt)
    return len(conversion.errors)


@click.command()
@click.argument("source", metavar="METADATA.json|TABLE")
@click.option("--metadata", metavar="FILE|URL",
              help="CSVW metadata to use for TABLE instead of the metadata found for it.")
@click.option("--mode", type=click.Choice(["standard", "minimal"]), default="standard",
              show_default=True, help="standard adds table, row and group descriptions.")
@click.option("--format", "format_name", type=click.Choice(OUTPUT_FORMATS), default="turtle",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--allow-private", is_flag=True, envvar="PSIKG_ALLOW_PRIVATE_ADDRESSES",
              help="Allow URLs on loopback and private addresses (also "
                   "PSIKG_ALLOW_PRIVATE_ADDRESSES=1).")
@reports_errors
def convert(source: str, metadata: str | None, mode: Mode, format_name: str,
            output: Path | None, allow_private: bool) -> None:
    """Convert a CSV table or CSVW metadata file to RDF (W3C csv2rdf).

    SOURCE is a path or an http(s) URL: a table (its metadata is found beside
    it, through its Link header or the site's /.well-known/csvm) or a metadata
    file. Cells that do not match their datatype are warnings on standard
    error and become plain strings, as the recommendation says.
    """
    policy = FetchPolicy.from_environment(allow_private=allow_private)

    def warn(message: str) -> None:
        click.echo(f"warning: {message}", err=True)

    if output is None:
        run_conversion(source, metadata=metadata, mode=mode, format_name=format_name,
                       output=sys.stdout.buffer, policy=policy, warn=warn)
        sys.stdout.buffer.flush()
        return
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("wb") as stream:
            run_conversion(source, metadata=metadata, mode=mode, format_name=format_name,
                           output=stream, policy=policy, warn=warn)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
