"""The draft CSVW metadata of a table, with or without a register model.

Without a model, every column is written with a placeholder property under the base IRI
(``{base}def/{file stem}/{column}``) and the datatype its cells show. With one, the columns
whose titles the model knows (:mod:`loaders.describe.mapping`) and whose cells fit the
field's datatype are written as the model says (:mod:`graph.registers.csvw`), the others
with placeholder properties (``{base}def/{register}/{column}``, the same for every yearly
file). Only what a person must decide is left as a ``psikg:todo``, beside a placeholder
that loads:

- no unique column for the key: rows are numbered within the file, and the file's stem
  keeps yearly files apart (``subsidy/subsidies-2023/{_row}``);
- no column for the budget year: the year in the file's name (else in its title rows, else
  the most common year of its dates) for every row;
- no column names a node the model asks for (the body that grants the subsidies): a
  placeholder IRI for every row;
- personal data with no column telling natural persons from organisations.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from graph.registers.csvw import CSVW_CONTEXT
from graph.registers.csvw import PERSONAL_DATA
from graph.registers.csvw import Column
from graph.registers.csvw import Plan
from graph.registers.csvw import can_name
from graph.registers.csvw import datatype_of
from graph.registers.csvw import table_metadata
from graph.registers.model import Register
from loaders.describe.guess import ColumnData
from loaders.describe.guess import Guess
from loaders.describe.guess import check
from loaders.describe.guess import guess
from loaders.describe.guess import hints
from loaders.describe.guess import personal
from loaders.describe.mapping import Match
from loaders.describe.mapping import match_columns
from loaders.describe.scan import Scan

TODO = "psikg:todo"
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


@dataclass
class Described:
    """One column of the table as the draft describes it, for the summary."""

    title: str
    name: str
    guess: Guess
    field: str | None = None
    property: str | None = None
    key: bool = False


@dataclass
class Draft:
    """The draft metadata, what was found, and what a person must decide."""

    metadata: dict[str, Any]
    scan: Scan
    columns: list[Described] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    register: Register | None = None


def plain_draft(scan: Scan, base_iri: str) -> Draft:
    """A description of the table's columns under placeholder properties."""
    stem = slug(scan.source.path.stem)
    names = _names(scan.columns, set())
    draft = Draft({}, scan)
    columns = []
    key = _key_column(scan.columns)
    for data, name in zip(scan.columns, names, strict=True):
        found = guess(data)
        prop = f"{base_iri}def/{stem}/{name}"
        column = _plain_column(data, name, found, prop)
        method, todo = _personal(data)
        if method is not None and todo is not None:
            column.pop("required", None)  # dropped without a key: then empty
            column["psikg:personalData"] = method
            column[TODO] = todo
            draft.todos.append(todo)
        columns.append(column)
        draft.columns.append(Described(_title(data), name, found, property=prop,
                                       key=data is key))
    about = f"{base_iri}{stem}/" + (f"{{{names[key.index]}}}" if key else "{_row}")
    schema: dict[str, Any] = {"aboutUrl": about}
    if key is not None:
        schema["primaryKey"] = names[key.index]
    schema["columns"] = columns
    draft.metadata = {"@context": CSVW_CONTEXT, "url": scan.source.path.name}
    if any("psikg:personalData" in c for c in columns):
        draft.metadata["psikg:dataset"] = f"{base_iri}dataset/{stem}"
    draft.metadata.update({"dialect": scan.dialect, "tableSchema": schema})
    return draft


def _plain_column(data: ColumnData, name: str, found: Guess, prop: str) -> dict[str, Any]:
    column: dict[str, Any] = {"name": name}
    if data.title:
        column["titles"] = data.title
    column["datatype"] = found.datatype
    if data.rows and not data.empty:
        column["required"] = True
    if found.null:
        column["null"] = list(found.null)
    column["propertyUrl"] = prop
    return column


def register_draft(scan: Scan, register: Register, base_iri: str) -> Draft:
    """The table described as a register of ``register``."""
    draft = Draft({}, scan, register=register)
    matches = match_columns(scan.header, register)
    for column, matched in list(matches.items()):
        why = _misfit(scan.columns[column], matched, register)
        if why is not None:
            del matches[column]
            draft.notes.append(f"{_title(scan.columns[column])!r} reads like "
                               f"{matched.field.name}, but {why}; described as a column of "
                               "its own")
    present = {m.field.name for m in matches.values()}
    reserved = set(register.fields) | set(register.identifiers) | {
        f"{n}_type" for n in register.nodes}
    names = _names(scan.columns, reserved)
    columns: list[Column] = []
    for data, name in zip(scan.columns, names, strict=True):
        match = matches.get(data.index)
        if match is None:
            columns.append(_unmapped(draft, data, name, f"{base_iri}def/{register.name}/"))
        else:
            columns.append(_mapped(draft, data, match))
    plan = _decide(draft, register, present, matches, tuple(columns), base_iri)
    written = table_metadata(register, plan, base_iri)
    draft.metadata = written.document
    draft.notes += [f"not written: {what}" for what in written.unwritten]
    _missing_fields(draft, register, present)
    return draft


def _misfit(data: ColumnData, match: Match, register: Register) -> str | None:
    """Why a column whose title names a field does not hold that field, if it does not."""
    item = match.field
    bad, where = check(data, datatype_of(item))
    if data.filled - data.errors and bad * 2 > data.filled - data.errors:
        return (f"{bad} of its {data.filled} values do not fit it (first: "
                f"{', '.join(where[:2])})")
    free_text = (item.datatype == "string" and item.format is None
                 and register.value_template(item) is None)
    label = guess(data).label
    if free_text and label.split(" ")[0] in ("amount", "decimal", "date", "year"):
        return f"it holds {label.split(' (')[0]}s, not text"
    return None


def _mapped(draft: Draft, data: ColumnData, match: Match) -> Column:
    item = match.field
    titles = {lang: list(item.titles[lang]) for lang in item.titles}
    lang = match.lang
    if data.title and data.title not in titles[lang]:
        titles[lang] = [data.title, *titles[lang]]
    bad, where = check(data, datatype_of(item))
    label = f"{item.datatype}" + (f" ({item.format})" if isinstance(item.format, str) else "")
    draft.columns.append(Described(_title(data), item.name, Guess(datatype_of(item), label,
                                                                  where, bad),
                                   field=item.name, property=item.property))
    return Column(item.name, titles, item, required=bool(data.rows and not data.empty),
                  lang=lang if lang in ("fr", "nl", "de", "en") else None)


def _unmapped(draft: Draft, data: ColumnData, name: str, namespace: str) -> Column:
    found = guess(data)
    prop = namespace + name
    draft.columns.append(Described(_title(data), name, found, property=prop))
    method, todo = _personal(data)
    return Column(name, {"und": [data.title]} if data.title else {}, None, found.datatype,
                  bool(data.rows and not data.empty), prop, null=found.null, todo=todo,
                  personal_data=method)


def _personal(data: ColumnData) -> tuple[str | dict[str, str] | None, str | None]:
    """``psikg:personalData`` for a column that looks like personal data, and its TODO."""
    kind = personal(data)
    if kind is None:
        return None, None
    if kind == "person":
        return dict(PERSONAL_DATA), (
            f"{_title(data)!r} looks like the names of natural persons: pseudonymised with "
            "a key, dropped without one (decree Art. 13); remove psikg:personalData only if "
            "it holds no personal data")
    what = "e-mail addresses" if kind == "email" else "phone numbers"
    return "drop", (f"{_title(data)!r} looks like {what} of natural persons: dropped "
                    "(decree Art. 13); remove psikg:personalData only if it holds no "
                    "personal data")


def _decide(draft: Draft, register: Register, present: set[str], matches: dict[int, Match],
            columns: tuple[Column, ...], base_iri: str) -> Plan:
    """The key, the year and the nodes no column names: the TODOs of the draft."""
    scan = draft.scan
    by_field = {m.field.name: scan.columns[c] for c, m in matches.items()}
    todos: dict[str, str] = {}
    primary = row_key = None
    record = register.record_node
    if register.key is not None and register.key in by_field and by_field[register.key].unique:
        primary = register.key
        next(d for d in draft.columns if d.field == register.key).key = True
    elif register.key is not None:
        stem = slug(scan.source.path.stem)
        row_key = f"{stem}/{{_row}}"
        why = _why_no_key(register, by_field)
        example = base_iri + record.iri.replace("{" + register.key + "}", row_key)
        todos["table"] = (f"no key: {why}; rows are numbered within the file ({example}), "
                          "which changes the IRIs if the file's rows are reordered; if a "
                          "column is a unique key, make it the primaryKey and use it in "
                          "aboutUrl")
    constants: dict[str, str] = {}
    if register.year is not None and register.year not in present:
        year, where = _year(scan, by_field)
        constants[register.year] = year
        todos[register.year] = (f"no column holds the budget year: {year} ({where}) is "
                                "written for every row; check it")
    placeholders: dict[str, str] = {}
    for node in register.nodes.values():
        if node.ask_if_missing and not can_name(register, node.name, present):
            placeholder = node.iri.split("{", 1)[0] + "TODO-" + node.name.replace("_", "-")
            placeholders[node.name] = placeholder
            todos[node.name] = (f"no column names the {node.title['en'].lower()}: every row "
                                f"is linked to {base_iri}{placeholder}; replace it by the "
                                f"{node.title['en'].lower()}'s IRI (its enterprise number: "
                                f"{base_iri}{node.iri.split('{', 1)[0]}0203071973)")
    natural = register.natural_person_when
    for item in register.fields.values():
        if item.personal_data and item.name in present and natural is not None and (
                natural.field not in present):
            todos[item.name] = (f"no column tells organisations from natural persons, so "
                                f"every {item.name} is taken for a person's name: "
                                "pseudonymised with a key, dropped without one; if a column "
                                "tells them apart, say so in psikg:naturalPersonWhen")
    draft.todos = list(todos.values()) + [c.todo for c in columns if c.todo]
    personal = any(c.personal_data or (c.field is not None and c.field.personal_data)
                   for c in columns)
    return Plan(columns, scan.source.path.name, scan.dialect, primary, row_key, constants,
                placeholders, todos,
                f"{base_iri}dataset/{register.name}" if personal else None)


def _why_no_key(register: Register, by_field: dict[str, ColumnData]) -> str:
    assert register.key is not None
    data = by_field.get(register.key)
    if data is None:
        return f"no column is titled like the {register.key}"
    if data.empty:
        return f"{_title(data)!r} is empty in {data.empty} row(s)"
    if data.duplicate is not None:
        value, ref = data.duplicate
        return f"{_title(data)!r} repeats {value!r} ({ref})"
    return f"{_title(data)!r} has error cells"


def _year(scan: Scan, by_field: dict[str, ColumnData]) -> tuple[str, str]:
    """The budget year of a file without a year column, where it was found, and the other
    years the file suggests."""
    found: list[tuple[str, str]] = []
    named = _YEAR.findall(scan.source.path.stem)
    if named:
        found.append((named[-1], f"from the file's name {scan.source.path.name!r}"))
    for text in scan.layout.title_rows:
        for year in _YEAR.findall(text)[:1]:
            found.append((year, f"in its title {text[:50]!r}"))
    years: Counter[str] = Counter()
    columns: list[str] = []
    for data in scan.columns:
        label = guess(data).label
        if label == "year" and data not in by_field.values():
            columns.append(repr(_title(data)))
        if label.startswith("date"):
            for key, (value, _) in data.values.items():
                match = _YEAR.search(str(value))
                if match:
                    years[match.group(1)] += data.counts[key]
    if years:
        found.append((years.most_common(1)[0][0], "the most common year of its dates"))
    if not found:
        found.append((str(dt.date.today().year), "this year: nothing in the file tells it"))
    year, where = found[0]
    others = [f"{y} {w}" for y, w in found[1:] if y != year][:2]
    if others:
        where += "; the file also suggests " + ", ".join(others)
    if columns:
        where += (f"; {', '.join(columns)} holds years: if it is the budget year, name that "
                  "column year and map it as the template does")
    return year, where


def _missing_fields(draft: Draft, register: Register, present: set[str]) -> None:
    for item in register.fields.values():
        if item.name not in present and item.reads.needed_by and item.name != register.year:
            draft.notes.append(
                f"no column for {item.name}: {', '.join(item.reads.needed_by)} will not see "
                "these rows")


def _key_column(columns: list[ColumnData]) -> ColumnData | None:
    unique = [c for c in columns if c.unique and c.values]
    titled = [c for c in unique if "key" in hints(c.title)]
    plain = [c for c in unique if guess(c).label in ("text", "integer")]
    found = titled or plain
    return found[0] if found else None


def _title(data: ColumnData) -> str:
    return data.title or f"column {data.index + 1}"


def _names(columns: list[ColumnData], reserved: set[str]) -> list[str]:
    names: list[str] = []
    taken = set(reserved)
    for data in columns:
        base = slug(data.title, "_")[:40].strip("_") or f"column_{data.index + 1}"
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        names.append(name)
    return names


def slug(text: str, separator: str = "-") -> str:
    """Lower-case ASCII letters and digits, other runs one ``separator``.

    >>> slug("Subsides 2023 (Ville)"), slug("Montant octroyé (€)", "_")
    ('subsides-2023-ville', 'montant_octroye')
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", separator, text).strip(separator)
