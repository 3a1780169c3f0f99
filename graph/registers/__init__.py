"""The registers the canned queries understand, as data: ``ontology/registers/*.yaml``.

Each model (:class:`Register`) says what a register's rows describe, the IRIs they get, what
real registers title each column in French, Dutch, German and English, and which canned
query reads what. ``docs/registers.md``, the templates of ``examples/templates/`` and
``psikg describe --register`` are made from them. ::

    from graph.registers import get_register, reads_of_class

    subsidies = get_register("subsidies")
    subsidies.fields["amount_granted"].property     # 'https://schema.org/amount'
    reads_of_class("https://schema.org/MonetaryGrant", needed_only=True)
    # {'spending-by-body-year': (Read(property='…/fiscalYear', …), …), …}

Nothing is read at import; :func:`load_registers` reads a folder once and keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from graph.errors import UsageError
from graph.registers.loading import RegisterError
from graph.registers.loading import read_register
from graph.registers.model import Field
from graph.registers.model import Link
from graph.registers.model import Node
from graph.registers.model import Reads
from graph.registers.model import Register
from graph.settings import REGISTERS_DIR


class UnknownRegister(UsageError):
    """A register name no model file has."""


@dataclass(frozen=True)
class Read:
    """One property a canned query reads from the instances of a class.

    :param needed: whether an instance without it gives the query no row.
    :param register: the register whose model says so; ``element`` its field or link.
    """

    query: str
    property: str
    needed: bool
    register: str
    element: str


def load_registers(folder: Path | None = None) -> Mapping[str, Register]:
    """Every register model of ``folder`` (default: ``ontology/registers``), by name.

    :raises RegisterError: naming the file and line of the first model that is wrong.
    """
    return _load(Path(folder or REGISTERS_DIR).resolve())


@lru_cache(maxsize=8)
def _load(folder: Path) -> Mapping[str, Register]:
    registers = {}
    for path in sorted(folder.glob("*.yaml")):
        register = read_register(path)
        registers[register.name] = register
    return MappingProxyType(registers)


def get_register(name: str, folder: Path | None = None) -> Register:
    """The model called ``name``.

    :raises UnknownRegister: if there is none (the message lists the known ones).
    """
    registers = load_registers(folder)
    if name not in registers:
        raise UnknownRegister(f"unknown register {name!r}; known registers: "
                              f"{', '.join(registers)}", type="unknown-register", value=name,
                              expected=", ".join(registers))
    return registers[name]


def reads_of_class(class_iri: str, registers: Mapping[str, Register] | None = None, *,
                   needed_only: bool = False) -> dict[str, tuple[Read, ...]]:
    """Query name → the properties it reads from instances of ``class_iri``.

    For the load's warnings: a query whose needed property the loaded instances lack
    answers nothing for them.

    :param needed_only: only the properties without which an instance gives no row.
    """
    found: dict[str, list[Read]] = {}
    for register in (registers if registers is not None else load_registers()).values():
        for node in register.nodes.values():
            if class_iri not in node.classes:
                continue
            for name, prop, reads in _reads_from(register, node):
                for query in reads.queries:
                    needed = query in reads.needed_by
                    if needed or not needed_only:
                        found.setdefault(query, []).append(
                            Read(query, prop, needed, register.name, name))
    return {query: tuple(reads) for query, reads in sorted(found.items())}


def _reads_from(register: Register, node: Node) -> list[tuple[str, str, Reads]]:
    """(field or link name, property, reads) of what is written about ``node``."""
    out = [(item.name, item.property, item.reads) for item in register.fields_of(node.name)
           if item.property is not None and item.name != node.typed_by]
    out += [(f"{link.source}→{link.target_node or link.target_iri}", link.property,
             link.reads) for link in register.links if link.source == node.name]
    return out


__all__ = ["Field", "Link", "Node", "Read", "Reads", "Register", "RegisterError",
           "UnknownRegister", "get_register", "load_registers", "reads_of_class"]
