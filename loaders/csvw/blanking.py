"""Blank conversions (``psikg load --on-error blank``): bad optional cells left empty, rows kept.

A strict conversion withholds every row with a cell error, so one mistyped
enterprise number takes a grant, and its amount, out of every total. A *blank*
conversion keeps such a row when each of its errors is about one cell of a
column that is not ``required`` (a value that does not fit its datatype, a
constraint, an Excel error cell): those cells are treated as null, as if the
file had left them empty, so they make no triple and a template that names
them expands as for a null cell. The errors are still reported, marked
:attr:`~loaders.csvw.errors.CellError.blanked`.

What is about the row, not one optional cell, still withholds it: an empty or
bad required cell, a duplicate primary key, a reference to no row, a row with
more cells than columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from loaders.csvw.errors import CellError
from loaders.csvw.model import Column

BLANKABLE_TYPES = frozenset({"datatype", "constraint", "excel-error"})
"""Cell error types that a blank conversion may leave empty (in a non-required column)."""


def blankable(error: CellError, columns: Mapping[str, Column]) -> bool:
    """Whether ``error`` is about one cell of an optional column, which may be left empty."""
    column = columns.get(error.column) if error.column is not None else None
    return column is not None and not column.required and error.type in BLANKABLE_TYPES


def blank_cells(errors: list[CellError], columns: Mapping[str, Column],
                indexes: Mapping[str, int], parsed: list[Any],
                variables: dict[str, Any]) -> list[CellError]:
    """Null the cells of a row's errors if all of them may be left empty.

    :param errors: the row's errors so far (its cells').
    :param columns: the table's columns by name; ``indexes``: their positions.
    :param parsed: the row's settled cells, nulled in place.
    :param variables: the row's template variables, the nulled cells' removed.
    :returns: the errors, marked ``blanked`` if the cells were nulled, else as they were.
    """
    if not errors or not all(blankable(error, columns) for error in errors):
        return errors
    for error in errors:
        name = error.column
        assert name is not None
        parsed[indexes[name]] = None
        variables.pop(name, None)
    return [replace(error, blanked=True) for error in errors]


def refuses(errors: Iterable[CellError]) -> bool:
    """Whether a row with these errors is withheld: one of them was not left empty."""
    return any(not error.blanked for error in errors)


def settle_outcome(errors: list[CellError]) -> list[CellError]:
    """A row's errors as reported: if one of them withholds the row, none is ``blanked``
    (a duplicate key found after the cells were nulled refuses the row all the same)."""
    if not refuses(errors):
        return errors
    return [replace(error, blanked=False) if error.blanked else error for error in errors]
