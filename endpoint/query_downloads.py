"""A canned query's page of results as a file to download: CSV, TSV or XLSX.

The files are those ``psikg queries NAME --format … --lang …`` writes
(:func:`graph.canned.downloads.download`): the workbook's names are chosen in the languages
of the page's language alone, whatever ``Accept-Language`` says, so a file depends on its
URL only.
"""

from __future__ import annotations

from flask import Response
from flask import request

from endpoint.errors import HttpError
from endpoint.query_labels import EngineExecutor
from graph.canned.downloads import download
from graph.canned.model import CannedQuery
from graph.canned.run import Result
from graph.formats import CSV
from graph.formats import TSV
from graph.formats import Format
from graph.labels import labels
from graph.languages import fallback_order

DELIMITERS = {"": ",", ",": ",", "comma": ",", ";": ";", "semicolon": ";"}
"""``?delimiter=`` of CSV downloads."""


def download_response(query: CannedQuery, result: Result, fmt: Format, delimiter: str,
                      language: str, executor: EngineExecutor) -> Response:
    """The page as an attachment in ``fmt`` (CSV with ``delimiter``, TSV or XLSX)."""
    response = Response(_body(result, fmt, delimiter, language, executor),
                        content_type=_content_type(fmt))
    response.headers["Content-Disposition"] = f'attachment; filename="{query.name}.{fmt.name}"'
    response.headers["Vary"] = "Accept"
    return response


def asked_delimiter() -> str:
    """The CSV delimiter ``?delimiter=`` asks for.

    :raises HttpError: 400 if it is neither comma nor semicolon.
    """
    asked = request.args.get("delimiter", "").strip().lower()
    if asked not in DELIMITERS:
        raise HttpError(400, f"parameter 'delimiter': {asked!r} is not comma or semicolon",
                        "invalid-parameter",
                        [{"type": "invalid-parameter", "parameter": "delimiter",
                          "value": asked, "expected": "comma or semicolon",
                          "message": "use ?delimiter=semicolon for Excel's ';'"}])
    return DELIMITERS[asked]


def _body(result: Result, fmt: Format, delimiter: str, language: str,
          executor: EngineExecutor) -> bytes:
    if fmt == CSV:
        return download(result, "csv-semicolon" if delimiter == ";" else "csv")
    if fmt == TSV:
        return download(result, "tsv")
    found = labels(executor, result.rows, fallback_order(language), most=None)
    return download(result, "xlsx", language, found)


def _content_type(fmt: Format) -> str:
    if fmt == CSV:
        return "text/csv; charset=utf-8; header=present"
    return fmt.content_type
