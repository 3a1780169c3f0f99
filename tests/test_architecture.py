"""The arrows of ``../shared/DESIGN.md``, read from the source: which module imports which.

Imports inside functions count: a cycle hidden by a late import is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "loaders", "endpoint", "psikg")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, name: str) -> set[str]:
    """The first-party modules ``path`` imports, anywhere in it (type-checking imports
    excluded: they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for body in node.body for child in ast.walk(body))
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module.split(".")[0] in PACKAGES}


def import_graph() -> dict[str, set[str]]:
    """Every first-party module → the first-party modules it imports."""
    modules = {_module_name(path): path for package in PACKAGES
               for path in (ROOT / package).rglob("*.py")}
    return {name: {target for target in _imports(path, name) if target in modules
                   and target != name}
            for name, path in modules.items()}


def cycles_through(graph: dict[str, set[str]], prefix: str) -> list[list[str]]:
    """Import cycles that pass through a module whose name starts with ``prefix``."""
    found = []
    for start in sorted(name for name in graph if name.startswith(prefix)):
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for target in sorted(graph[node]):
                if target == start:
                    found.append(path)
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, path + [target]))
    return found


def test_graph_imports_neither_loaders_nor_endpoint_nor_the_cli() -> None:
    wrong = {(source, target) for source, targets in import_graph().items()
             if source.startswith("graph") for target in targets
             if target.split(".")[0] != "graph"}
    assert not wrong


def test_loaders_and_endpoint_never_import_the_cli_or_each_other() -> None:
    wrong = {(source, target) for source, targets in import_graph().items()
             for target in targets
             if source.split(".")[0] in ("loaders", "endpoint")
             and target.split(".")[0] not in ("graph", source.split(".")[0])}
    assert not wrong


def test_the_budget_unit_has_no_import_cycle_and_uses_no_canned_query_code() -> None:
    graph = import_graph()
    assert cycles_through(graph, "graph.budget") == []
    assert not {target for source, targets in graph.items() if source.startswith("graph.budget")
                for target in targets if target.startswith("graph.canned")}


def test_only_the_validation_home_runs_pyshacl() -> None:
    """Validation has one home (graph/validation/): the loaders, the endpoint and the command
    line call it, none of them runs pyshacl or reads shapes itself."""
    users = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if any(name.split(".")[0] == "pyshacl" for name in names):
                    users.add(_module_name(path))
    assert users and all(user.startswith("graph.validation.") for user in users), users


def test_the_import_graph_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from graph.store import Store\n    return Store\n")
    assert _imports(module, "graph.late") == {"graph.store", "graph.store.Store"}
