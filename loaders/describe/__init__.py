"""``psikg describe``: draft CSVW metadata for a registry (CSV or spreadsheet), as
``frictionless describe`` drafts a Table Schema.

:func:`describe` finds the table (:mod:`loaders.describe.scan`: encoding, delimiter, sheet,
title, header, total and section rows), guesses each column's datatype from its cells
(:mod:`loaders.describe.guess`), and with a register model maps the columns it recognises
to the model (:mod:`loaders.describe.draft`). The draft loads as it is; what only a person
can decide is marked with ``psikg:todo``, which ``psikg load`` prints
(:mod:`loaders.describe.todos`). ::

    draft = describe(Path("subsidies-2023.xlsx"), register="subsidies",
                     base_iri="https://data.psikg.example/")
    draft.metadata      # the CSVW metadata, a JSON-able dict
    draft.summary       # what was found and what needs a decision, as lines
    draft.fields        # [("Montant (EUR)", "amount_granted"), ("Remarques", None), …]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.registers import get_register
from graph.registers.titles import fold
from loaders.describe.draft import plain_draft
from loaders.describe.draft import register_draft
from loaders.describe.mapping import match_columns
from loaders.describe.scan import scan
from loaders.describe.summary import summary_lines


@dataclass
class Description:
    """The draft metadata, the summary lines and the TODOs."""

    metadata: dict[str, Any]
    summary: list[str]
    todos: list[str]
    fields: list[tuple[str, str | None]]
    """Each column's title and the model field it was mapped to (``None``: not mapped)."""


def describe(path: Path, *, base_iri: str, register: str | None = None,
             sheet: str | None = None) -> Description:
    """Draft the CSVW metadata of the table in ``path``.

    :param register: the name of a register model (``subsidies``…) to map the columns to.
    :param sheet: a spreadsheet's sheet, by name; default: the one that looks like the table.
    :raises UnknownRegister: if no model has that name (exit 2).
    :raises InputError: if the file cannot be read or holds no table.
    """
    model = get_register(register) if register is not None else None

    def known(titles: list[str]) -> int:
        assert model is not None
        return len(match_columns([t for t in titles if fold(t)], model))

    found = scan(path, sheet, known if model is not None else None)
    draft = (register_draft(found, model, base_iri) if model is not None
             else plain_draft(found, base_iri))
    return Description(draft.metadata, summary_lines(draft), draft.todos,
                       [(column.title, column.field) for column in draft.columns])


__all__ = ["Description", "describe"]
