"""Personal data taken out of registry rows before conversion (decree Art. 13 § 2, 17 § 3).

A subsidies registry names its beneficiaries; some are people. The CSVW
metadata marks the columns that hold personal data with psikg's column key
``psikg:personalData``, and says which rows are about natural persons with
the table key ``psikg:naturalPersonWhen``::

    "tableSchema": {
      "psikg:naturalPersonWhen": {"column": "enterprise_number", "empty": true},
      "columns": [
        {"name": "beneficiary", "psikg:personalData": "pseudonymise", …},
        {"name": "beneficiary_address", "psikg:personalData": "drop", …},
        {"name": "enterprise_number", …}]}

In those rows (all rows, if the table key is absent), a ``pseudonymise``
column's value becomes a stable pseudonym, ``person-`` and 16 hex digits of
HMAC-SHA256 over the value (case and spacing folded) with a secret key, and a
``drop`` column's value becomes empty. ``{"method": "pseudonymise",
"withoutKey": "drop"}`` says what to do when no key is configured; otherwise
a missing key is an error: a clear value never goes through.

This runs on the rows a table reader yields, before the CSVW engine sees
them, so clear values never reach the RDF, the store or an output file. The
key is configuration: ``PSIKG_PSEUDONYM_KEY`` or a key file, passed in by
the caller (:func:`load_key`), never read here at import and never kept in
the repository. A keyed hash, not a plain one: without the key, nobody can
recompute the pseudonym of a name they guess.

:func:`dataset_statements` says, on the dataset, that it was anonymised and
how (``psi:containsPersonalData``, ``psi:anonymised``,
``psi:anonymisationTechnique``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import InputError
from graph.errors import UsageError
from graph.namespaces import CODE
from graph.namespaces import PSI
from graph.namespaces import XSD
from loaders.table_model import Cell
from loaders.table_model import Row

KEY_ENV = "PSIKG_PSEUDONYM_KEY"
"""The environment variable that holds the pseudonymisation key."""
MIN_KEY_BYTES = 16
COLUMN_KEY = "psikg:personalData"
TABLE_KEY = "psikg:naturalPersonWhen"
PSEUDONYMISE = "pseudonymise"
DROP = "drop"
TECHNIQUES = {PSEUDONYMISE: f"{CODE}anonymisation-technique/pseudonymisation",
              DROP: f"{CODE}anonymisation-technique/suppression"}
"""How each method is recorded: a concept of the anonymisation-technique code list."""
_SPACES = re.compile(r"\s+")


def load_key(environ: Mapping[str, str], key_file: Path | None = None) -> bytes | None:
    """The pseudonymisation key: the key file if given, else ``PSIKG_PSEUDONYM_KEY``, else None.

    :raises UsageError: ``pseudonym-key`` if the file cannot be read or the key is
        shorter than 16 bytes.
    """
    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as error:
            raise UsageError(f"cannot read the pseudonym key file {key_file}: {error.strerror}",
                             type="pseudonym-key", file=str(key_file)) from None
    elif environ.get(KEY_ENV):
        key = environ[KEY_ENV].encode()
    else:
        return None
    if len(key) < MIN_KEY_BYTES:
        raise UsageError(f"the pseudonym key has {len(key)} bytes; use at least {MIN_KEY_BYTES} "
                         "random bytes (e.g. `openssl rand -hex 32`)", type="pseudonym-key")
    return key


def pseudonym(key: bytes, value: str) -> str:
    """The stable pseudonym of ``value`` under ``key``; case and spacing do not matter.

    >>> key = b"0123456789abcdef"
    >>> pseudonym(key, "Jean  Dupont") == pseudonym(key, "jean dupont")
    True
    """
    folded = _SPACES.sub(" ", value).strip().casefold()
    return "person-" + hmac.new(key, folded.encode(), hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Rule:
    """What happens to one personal-data column in a natural person's row."""

    index: int
    """The column's position among the table's cells (0-based)."""
    name: str
    method: str
    """``pseudonymise`` or ``drop``, after falling back for a missing key."""


@dataclass
class Plan:
    """How one table is anonymised, and what was done (for the dataset's metadata)."""

    rules: list[Rule]
    condition: tuple[int, re.Pattern[str] | None] | None = None
    """(column index, pattern) a natural person's row matches; pattern None = empty cell."""
    nulls: frozenset[str] = frozenset({""})
    """The condition column's null values (CSVW ``null``): what counts as empty."""
    key: bytes | None = None
    rows_anonymised: int = 0
    methods_used: set[str] = field(default_factory=set)
    left_empty: Callable[[Cell], bool] | None = None
    """Under ``--on-error blank``: whether the condition column's cell will be left empty
    (it does not fit the column's datatype, or is an Excel error). Such a cell counts as
    empty for an ``"empty": true`` condition, so junk in a person's enterprise number
    column never lets their name through in clear."""

    @property
    def active(self) -> bool:
        return bool(self.rules)

    def techniques(self) -> list[str]:
        """The code-list concepts of the methods the metadata asks for."""
        return sorted({TECHNIQUES[rule.method] for rule in self.rules})

    def is_natural_person(self, row: Row) -> bool:
        if self.condition is None:
            return True
        index, pattern = self.condition
        cell = row.cells[index] if index < len(row.cells) else Cell(None, "")
        if pattern is None:
            if cell.error is None and cell.text.strip() in self.nulls:
                return True
            return self.left_empty is not None and self.left_empty(cell)
        return pattern.search(cell.text) is not None

    def apply(self, rows: Iterator[Row]) -> Iterator[Row]:
        """The rows with natural persons' personal values pseudonymised or dropped."""
        for row in rows:
            if self.rules and self.is_natural_person(row):
                row = self._anonymise(row)
            yield row

    def _anonymise(self, row: Row) -> Row:
        cells = list(row.cells)
        changed = False
        for rule in self.rules:
            if rule.index >= len(cells):
                continue
            cell = cells[rule.index]
            if not cell.text.strip():
                continue
            if rule.method == DROP or self.key is None:
                cells[rule.index] = replace(cell, value=None)
            else:
                cells[rule.index] = replace(cell, value=pseudonym(self.key, cell.text))
            self.methods_used.add(rule.method)
            changed = True
        if changed:
            self.rows_anonymised += 1
        return replace(row, cells=cells)


def plan_for(table: Mapping[str, Any], key: bytes | None, label: str) -> Plan:
    """Read the anonymisation plan from a CSVW table description.

    :param table: the table's metadata (its ``tableSchema`` holds the columns).
    :param key: the pseudonymisation key, or None if none is configured.
    :param label: how errors name the metadata file.
    :raises UsageError: ``pseudonym-key-missing`` if a column is to be pseudonymised, no
        key is configured and the column does not say ``"withoutKey": "drop"``.
    :raises InputError: ``invalid-metadata`` if a key has a value psikg does not know.
    """
    schema = table.get("tableSchema") or {}
    columns = [c for c in schema.get("columns", []) if not c.get("virtual")]
    names = [str(c.get("name", f"_col.{i + 1}")) for i, c in enumerate(columns)]
    rules = []
    for index, column in enumerate(columns):
        if COLUMN_KEY not in column:
            continue
        method, without_key = _method(column[COLUMN_KEY], names[index], label)
        if method == PSEUDONYMISE and key is None:
            if without_key != DROP:
                raise UsageError(
                    f"column {names[index]!r} of {label} is to be pseudonymised, and no key is "
                    f"configured: set {KEY_ENV} or --pseudonym-key-file, or mark the column "
                    '"withoutKey": "drop"; nothing was loaded', type="pseudonym-key-missing",
                    file=label, value=names[index])
            method = DROP
        rules.append(Rule(index, names[index], method))
    condition = None
    nulls: frozenset[str] = frozenset({""})
    if TABLE_KEY in schema:
        condition = _condition(schema[TABLE_KEY], names, label)
        null = columns[condition[0]].get("null", schema.get("null", [""]))
        nulls = frozenset([null] if isinstance(null, str) else [str(n) for n in null])
    return Plan(rules, condition, nulls=nulls, key=key)


def _method(spec: object, column: str, label: str) -> tuple[str, str | None]:
    if isinstance(spec, str) and spec in (PSEUDONYMISE, DROP):
        return spec, None
    if isinstance(spec, dict) and spec.get("method") in (PSEUDONYMISE, DROP) and spec.get(
            "withoutKey", DROP) in (DROP, "error"):
        return str(spec["method"]), spec.get("withoutKey")
    raise InputError(f"{COLUMN_KEY} of column {column!r} is {spec!r}", type="invalid-metadata",
                     file=label, value=str(spec),
                     expected='"pseudonymise", "drop", or {"method": …, "withoutKey": "drop"}')


def _condition(spec: object, names: list[str], label: str
               ) -> tuple[int, re.Pattern[str] | None]:
    expected = '{"column": NAME, "empty": true} or {"column": NAME, "pattern": REGEX}'
    if not isinstance(spec, dict) or spec.get("column") not in names:
        raise InputError(f"{TABLE_KEY} is {spec!r}; its column must be one of {', '.join(names)}",
                         type="invalid-metadata", file=label, value=str(spec),
                         expected=expected)
    index = names.index(spec["column"])
    if spec.get("empty") is True:
        return index, None
    if isinstance(spec.get("pattern"), str):
        try:
            return index, re.compile(spec["pattern"])
        except re.error as error:
            raise InputError(f"{TABLE_KEY} pattern is not a regular expression: {error}",
                             type="invalid-metadata", file=label,
                             value=spec["pattern"]) from None
    raise InputError(f"{TABLE_KEY} is {spec!r}", type="invalid-metadata", file=label,
                     value=str(spec), expected=expected)


def dataset_statements(dataset: str, plan: Plan) -> list[ox.Triple]:
    """What the dataset's metadata says about its personal data, once ``plan`` has run.

    Nothing if the metadata marks no personal-data column.
    """
    if not plan.active:
        return []
    subject = ox.NamedNode(dataset)
    true = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
    triples = [ox.Triple(subject, ox.NamedNode(PSI + "containsPersonalData"), true),
               ox.Triple(subject, ox.NamedNode(PSI + "anonymised"), true)]
    triples += [ox.Triple(subject, ox.NamedNode(PSI + "anonymisationTechnique"),
                          ox.NamedNode(technique)) for technique in plan.techniques()]
    return triples
