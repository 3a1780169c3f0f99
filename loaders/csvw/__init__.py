"""CSV on the Web: tabular metadata, and csv2rdf ("Generating RDF from Tabular Data on the Web").

The public API, stable for the loaders built on it:

- :func:`csv2rdf` converts a table or a metadata file; its :class:`Conversion`
  yields N-Triples chunks row by row and collects :class:`CellError` values
  (``strict=False`` emits bad cells as plain strings, as the recommendation
  says; ``strict=True`` withholds the rows that have errors, and with
  ``blank=True`` keeps those whose errors are all about optional cells, the
  cells left empty);
- :class:`ChunkStream` turns those chunks into the binary file that
  :class:`graph.sources.Source` hands to pyoxigraph's bulk loader;
- :func:`register_reader` adds a table reader for file extensions
  (``.xlsx``…), :func:`register_format` a named datatype ``format``
  (Belgian amounts, dates, KBO numbers);
- dialect extension keys: :data:`SHEET`, :data:`HEADER_ROW_PATTERN`,
  :data:`SKIP_ROW_PATTERNS`, and column keys ``psikg:firstOf`` and
  ``psikg:normalise`` (``loaders/README.md`` documents them).
"""

from loaders.csvw.dialect import HEADER_ROW_PATTERN
from loaders.csvw.dialect import SHEET
from loaders.csvw.dialect import SKIP_ROW_PATTERNS
from loaders.csvw.dialect import normalise_dialect
from loaders.csvw.dialect import row_text
from loaders.csvw.errors import CellError
from loaders.csvw.errors import CsvwError
from loaders.csvw.errors import CsvwWarning
from loaders.csvw.formats import FormatMismatch
from loaders.csvw.formats import register_format
from loaders.csvw.readers import reader_for
from loaders.csvw.readers import register_reader
from loaders.csvw.stream import ChunkStream

__all__ = [
    "HEADER_ROW_PATTERN", "SHEET", "SKIP_ROW_PATTERNS", "CellError", "ChunkStream", "CsvwError",
    "CsvwWarning", "FormatMismatch", "normalise_dialect", "reader_for", "register_format",
    "register_reader", "row_text",
]
