"""Write docs/registers.md and examples/templates/*-metadata.json from the register models.

``make docs`` runs it; ``tests/test_registers_docs.py`` checks that the committed files are
what it writes, so the page and the templates cannot drift from ``ontology/registers``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.namespaces import MODEL_PREFIXES  # noqa: E402
from graph.registers import load_registers  # noqa: E402
from graph.registers.csvw import template  # noqa: E402
from graph.registers.loading import RDF_TYPE  # noqa: E402
from graph.registers.model import LANGUAGES  # noqa: E402
from graph.registers.model import TITLES_LANGUAGE  # noqa: E402
from graph.registers.model import Field  # noqa: E402
from graph.registers.model import Reads  # noqa: E402
from graph.registers.model import Register  # noqa: E402
from graph.settings import DEFAULT_BASE_IRI  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "registers.md"
TEMPLATES = ROOT / "examples" / "templates"
BASE = "{base}"
ORDER = ("subsidies", "contracts", "inventory", "charges", "exclusive-arrangements")
"""The order of the page: budgets first, then the catalog, then the decree's registers."""

INTRO = """\
# The registers psikg understands

<!-- Written by docs/registers_md.py from ontology/registers/*.yaml: edit those, then run
     `make docs`. tests/test_registers_docs.py fails when this page is out of date. -->

The canned queries (`queries/`) and the decree shapes (`ontology/shapes/`) read five kinds
of registers. Each has a model in `ontology/registers/NAME.yaml`, read by `graph.registers`:
the nodes a row describes and their IRIs, where each column's value goes, what real
registers title each column in French, Dutch, German and English, and which canned query
reads what (`tests/test_registers_model.py` checks those claims against the text of the
queries, both ways). From the models come this page, a CSVW template per register in
`examples/templates/`, and the drafts of `psikg describe TABLE --register NAME`.

IRIs are written under the deployment's base IRI, shown as `{base}`
(`https://data.psikg.example/` by default). A query *needs* a property when an instance
without it gives the query no row; it *reads* one *when present* when the property sits in
an `OPTIONAL`, an `EXISTS` or one side of a `|` path. A field without a property is read,
checked and used in IRIs, but not written.
"""

OUTRO = """\
## A register without a year column

The budget queries read each grant's `obeu-dimension:fiscalYear`. A yearly file often has
no year column: the year is in its name (`subsidies-2023.xlsx`). The year is then one
value for every row, a virtual column with the year IRI as a constant:

```json
{"name": "year", "virtual": true,
 "propertyUrl": "http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear",
 "valueUrl": "http://reference.data.gov.uk/id/year/2023"}
```

`psikg describe --register subsidies` writes it with the year it finds in the file's name
(else in its title rows, else the most common year of its dates) and a `psikg:todo` that
asks a person to check it; `psikg load` prints that TODO until it is removed.

## A register without a key

A record's IRI is made from its key (`{base}subsidy/{reference}`). When no column is
unique, the row number `{_row}` stands in for it, made unique across the yearly files of
one register by the file's stem:

```json
"aboutUrl": "https://data.psikg.example/subsidy/subsidies-2023/{_row}"
```

`{_row}` alone would give the rows of `subsidies-2022.csv` and `subsidies-2023.csv` the
same IRIs, and the second load would describe the first file's grants again. The IRIs stay
stable as long as the file keeps its rows in the same order; a re-export in another order
gives other IRIs, which is why `psikg describe` marks it with a `psikg:todo`.

## A node named by the first non-empty of several columns

A beneficiary is named by its enterprise number, else by its name: a virtual column lists
the columns, and `{beneficiary_id}` in a template is the first non-empty of them, normalised
(accents and case dropped, every run of other characters one `-`):

```json
{"name": "beneficiary_id", "virtual": true, "suppressOutput": true,
 "psikg:firstOf": ["enterprise_number", "beneficiary"], "psikg:normalise": "name"}
```

So every grant keeps a beneficiary, with or without an enterprise number
(`…/beneficiary/0203071973`, `…/beneficiary/asbl-ateliers-du-midi`).
"""


def curie(iri: str) -> str:
    """An IRI as a prefixed name where a model prefix fits."""
    for prefix, namespace in MODEL_PREFIXES.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace):]:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def iri_template(template: str | None) -> str:
    if template is None:
        return ""
    if template.startswith(("http:", "https:", "{+")):
        return f"`{template}`"
    return f"`{BASE}{template}`"


def queries(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def reads(found: Reads) -> tuple[str, str]:
    return queries(found.needed_by), queries(found.optional_in)


def table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in rows]
    return lines


def datatype(item: Field) -> str:
    if item.format is None:
        return item.datatype
    form = item.format if isinstance(item.format, str) else json.dumps(dict(item.format))
    return f"{item.datatype}, `{form}`"


def register_section(register: Register) -> list[str]:
    lines = [f"## {register.title['en']} (`{register.name}`)", ""]
    lines += [register.description["en"], ""]
    lines += [" · ".join(f"{lang}: {register.title[lang]}" for lang in LANGUAGES), ""]
    record = register.record_node
    lines += [f"One row is a {record.title['en'].lower()} (`{register.record}`). "
              f"Key: {f'`{register.key}`' if register.key else 'none'}."
              + (f" Budget year: `{register.year}`." if register.year else ""),
              f"Template: [`examples/templates/{register.name}-metadata.json`]"
              f"(../examples/templates/{register.name}-metadata.json).", ""]
    lines += ["### Nodes", ""]
    lines += table(["node", "class", "IRI", "needed by", "read when present by"], (
        [f"`{node.name}` ({node.title['en']})",
         ", ".join(f"`{curie(c)}`" for c in node.classes)
         + (f" (from `{node.typed_by}`)" if node.typed_by else ""),
         iri_template(node.iri) + (" (asked for when no column gives it)"
                                   if node.ask_if_missing else ""),
         *reads(node.reads)]
        for node in register.nodes.values()))
    lines.append("")
    if register.identifiers:
        lines += ["Identifiers (the first non-empty of several columns):", ""]
        lines += [f"- `{{{ident.name}}}`: the first non-empty of "
                  f"{', '.join(f'`{f}`' for f in ident.first_of)}"
                  + (f", normalised as a {ident.normalise}" if ident.normalise else "")
                  for ident in register.identifiers.values()]
        lines.append("")
    lines += ["### Columns", ""]
    lines += table(["column", "about", "property", "datatype", "required", "value IRI",
                    "needed by", "read when present by"], (
        [f"`{item.name}`", f"`{item.node}`",
         f"`{curie(item.property)}`" if item.property else "(not written)",
         datatype(item) + (f"; lang {_lang(item)}" if item.lang else "")
         + (f"; {item.personal_data} for natural persons" if item.personal_data else ""),
         "yes" if item.required else "",
         iri_template(register.value_template(item)), *reads(item.reads)]
        for item in register.fields.values()))
    lines += ["", "Column titles real registers use (any of them is recognised, case, "
              "accents, spacing and a trailing currency aside):", ""]
    lines += table(["column", *LANGUAGES], (
        [f"`{item.name}`", *("; ".join(item.titles[lang]) for lang in LANGUAGES)]
        for item in register.fields.values()))
    lines.append("")
    if register.links:
        lines += ["### Links no column holds", ""]
        lines += table(["from", "property", "to", "needed by", "read when present by"], (
            [f"`{link.source}`", f"`{curie(link.property)}`",
             f"`{link.target_node}`" if link.target_node else f"`{link.target_iri}`",
             *reads(link.reads)] for link in register.links))
        lines.append("")
    lines += ["### Which canned query reads what", ""]
    lines += table(["query", "needs", "reads when present"], (
        [f"`{query}`", ", ".join(needs), ", ".join(optional)]
        for query, (needs, optional) in by_query(register).items()))
    lines.append("")
    return lines


def _lang(item: Field) -> str:
    return "of the column's title (fr in templates)" if item.lang == TITLES_LANGUAGE \
        else f"`{item.lang}`"


def by_query(register: Register) -> dict[str, tuple[list[str], list[str]]]:
    """Query → (what it needs, what it reads when present), as prefixed names."""
    found: dict[str, tuple[list[str], list[str]]] = {}

    def add(what: str, read: Reads) -> None:
        for query in read.queries:
            needs, optional = found.setdefault(query, ([], []))
            target = needs if query in read.needed_by else optional
            if what not in target:
                target.append(what)

    for node in register.nodes.values():
        for cls in node.classes if node.typed_by is None else ():
            add(f"`a {curie(cls)}`", node.reads)
    for item in register.fields.values():
        if item.property == RDF_TYPE:
            classes = register.nodes[item.node].classes
            add(f"`a` {' or '.join(f'`{curie(c)}`' for c in classes)} ({item.name})",
                item.reads)
        elif item.property is not None:
            add(f"`{curie(item.property)}` ({item.name})", item.reads)
    for link in register.links:
        add(f"`{curie(link.property)}`", link.reads)
    return dict(sorted(found.items()))


def markdown(registers: Mapping[str, Register]) -> str:
    registers = {name: registers[name] for name in
                 sorted(registers, key=lambda n: (ORDER.index(n) if n in ORDER else 99, n))}
    lines = [INTRO]
    lines += table(["register", "one row is", "class", "template"], (
        [f"[{r.title['en']}](#{_anchor(r)})", r.record_node.title["en"].lower(),
         ", ".join(f"`{curie(c)}`" for c in r.record_node.classes),
         f"`examples/templates/{r.name}-metadata.json`"] for r in registers.values()))
    lines.append("")
    for register in registers.values():
        lines += register_section(register)
    lines.append(OUTRO)
    return "\n".join(lines)


def _anchor(register: Register) -> str:
    text = f"{register.title['en']} ({register.name})".lower()
    return "".join(c for c in text.replace(" ", "-") if c.isalnum() or c in "-_")


def templates(registers: Mapping[str, Register]) -> dict[str, str]:
    """File name → the JSON text of each register's template."""
    return {f"{name}-metadata.json":
            json.dumps(template(register, DEFAULT_BASE_IRI), ensure_ascii=False, indent=2)
            + "\n" for name, register in registers.items()}


def main() -> None:
    registers = load_registers()
    PAGE.write_text(markdown(registers), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    TEMPLATES.mkdir(exist_ok=True)
    for name, text in templates(registers).items():
        (TEMPLATES / name).write_text(text, encoding="utf-8")
        print(f"wrote {(TEMPLATES / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
