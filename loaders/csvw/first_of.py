"""``psikg:firstOf``: a virtual column whose value is the first non-null of several columns.

Registries identify a beneficiary by its enterprise number when it has one,
and by its name otherwise (natural persons, foreign bodies, associations
without a number). CSVW templates cannot say "this column, else that one", so
psikg adds two column keys::

    {"name": "beneficiary_id", "virtual": true, "suppressOutput": true,
     "psikg:firstOf": ["enterprise_number", "beneficiary"], "psikg:normalise": "name"}

In URI templates ``{beneficiary_id}`` is then the first listed column's
*parsed* value that is not null (a ``psikg:kbo`` cell is already its ten
digits, a pseudonymised name its pseudonym, a cell a blank conversion left
empty is null), normalised by :data:`NORMALISERS`. When every listed column is
null, so is the virtual column, and a triple whose subject, property or object
template names it is not written (rather than an IRI ending in ``/``); with
``"required": true`` that is a ``required`` cell error of the row instead.

A value that normalises to nothing (``"-"``, ``"?"``) counts as null, and the
next column is tried; so does a value that does not fit its column, which
``psikg convert`` keeps as a plain string (a strict load refuses or blanks it).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from loaders.csvw.errors import CsvwError
from loaders.csvw.model import Column

FIRST_OF = "psikg:firstOf"
NORMALISE = "psikg:normalise"


@lru_cache(maxsize=1 << 15)
def normalise_name(text: str) -> str:
    """A name as a key: accents dropped, case folded, every run of other characters than
    letters and digits one ``-``, none at either end.

    Unicode NFKD splits accented letters into a letter and combining marks, which are
    dropped; ``casefold`` is ``lower`` for every script (``ß`` becomes ``ss``).

    >>> normalise_name("ASBL Ateliers du Midi"), normalise_name("Écoles / Scholen  ")
    ('asbl-ateliers-du-midi', 'ecoles-scholen')
    >>> normalise_name("0203071973"), normalise_name("person-3f2a9c0d1e4b5a69")
    ('0203071973', 'person-3f2a9c0d1e4b5a69')
    """
    letters = [c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)]
    out: list[str] = []
    for char in "".join(letters).casefold():
        if char.isalnum():
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


NORMALISERS: dict[str, Callable[[str], str]] = {"name": normalise_name}
"""``psikg:normalise`` values and what they do to the value a ``psikg:firstOf`` column takes."""


def first_value(parsed: Sequence[Any], indexes: Sequence[int],
                normalise: Callable[[str], str] | None) -> str | None:
    """The first valid, non-null settled cell of ``indexes`` in a row, normalised.

    :param parsed: the row's settled cells (``(lexical, value, valid)`` or ``None``).
    :returns: its lexical form, normalised; ``None`` if every one is null (or
        normalises to nothing).

    >>> first_value([None, ("ASBL Café", "ASBL Café", True)], [0, 1], normalise_name)
    'asbl-cafe'
    """
    for index in indexes:
        settled = parsed[index]
        if settled is None or not settled[2]:
            continue
        text = normalise(settled[0]) if normalise is not None else settled[0]
        if text:
            return str(text)
    return None


def resolve_first_of(columns: list[Column], columns_json: list[dict[str, Any]],
                     label: str) -> None:
    """Check each column's ``psikg:firstOf`` and ``psikg:normalise`` and set
    :attr:`Column.first_of` and :attr:`Column.normalise`.

    :param columns_json: each column's metadata, in the order of ``columns``.
    :param label: the metadata file, which errors name.
    :raises CsvwError: ``first-of-metadata`` if the keys are not where they may be
        (a virtual column), name no column of the table, or an unknown normalisation.
    """
    names = {column.name: column for column in columns}
    positions = {column.name: index for index, column in enumerate(columns)}
    for column, spec in zip(columns, columns_json, strict=True):
        listed, how = spec.get(FIRST_OF), spec.get(NORMALISE)
        if listed is None and how is None:
            continue
        where = f"column {column.name!r}"
        if listed is None:
            raise _error(f"{where} has {NORMALISE} without {FIRST_OF}; it normalises the "
                         f"value a {FIRST_OF} column takes", label, column.name,
                         f"{FIRST_OF} beside {NORMALISE}")
        if not column.virtual:
            raise _error(f"{where} has {FIRST_OF} but is not virtual; its value comes from "
                         "the columns it lists, not from a cell: add \"virtual\": true",
                         label, column.name, "a virtual column")
        if not (isinstance(listed, list) and listed
                and all(isinstance(name, str) for name in listed)):
            raise _error(f"{where}: {FIRST_OF} is {listed!r}; it takes a list of column names",
                         label, str(listed), "a non-empty list of column names")
        real = [name for name, other in names.items() if not other.virtual]
        for name in listed:
            other = names.get(name)
            if other is None or other.virtual or other.separator is not None:
                why = ("names no column of the table" if other is None
                       else "names a virtual column" if other.virtual
                       else "names a column with a separator (a list of values)")
                raise _error(f"{where}: {FIRST_OF} {why}: {name!r}; expected one of "
                             f"{', '.join(real)}", label, name, ", ".join(real))
        if how is not None and how not in NORMALISERS:
            raise _error(f"{where}: {NORMALISE} {how!r} is not a normalisation psikg knows; "
                         f"expected {' or '.join(repr(n) for n in NORMALISERS)}",
                         label, str(how), " or ".join(NORMALISERS))
        column.first_of = tuple(positions[name] for name in listed)
        column.normalise = how


def _error(message: str, label: str, value: str, expected: str) -> CsvwError:
    return CsvwError(message, type="first-of-metadata", file=label, value=value,
                     expected=expected)
