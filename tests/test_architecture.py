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


NETWORK_MODULES = ("socket", "ssl", "http.client", "urllib.request", "urllib3",
                   "SPARQLWrapper", "requests", "httpx", "aiohttp")
"""What opens network connections: the standard library's layers and the clients on them."""
NETWORK_HOMES = {"graph.engine.client", "graph.engine.process", "loaders.http_fetch.policy",
                 "loaders.http_fetch.client"}
"""The engine's home (psikg's own ``oxigraph serve``) and the one fetch policy and client."""


def _imports(path: Path, name: str, modules: set[str] | None = None) -> set[str]:
    """The first-party modules ``path`` imports, anywhere in it (type-checking imports
    excluded: they never run). ``from package import module`` imports the module (when
    ``modules`` says it is one), not the package."""
    return {module for module in _all_imports(path, name, modules)
            if module.split(".")[0] in PACKAGES}


def _all_imports(path: Path, name: str, modules: set[str] | None = None) -> set[str]:
    """Every module ``path`` imports, anywhere in it, and every ``module.name`` it imports
    from one (type-checking imports excluded)."""
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
            submodules = {f"{base}.{alias.name}" for alias in node.names}
            if modules is not None and submodules <= modules:
                found.update(submodules)
            else:
                found.add(base)
                found.update(submodules)
    return found


def _network_imports(path: Path, name: str) -> set[str]:
    return {module for module in _all_imports(path, name)
            for network in NETWORK_MODULES
            if module == network or module.startswith(f"{network}.")}


def import_graph() -> dict[str, set[str]]:
    """Every first-party module → the first-party modules it imports."""
    modules = {_module_name(path): path for package in PACKAGES
               for path in (ROOT / package).rglob("*.py")}
    return {name: {target for target in _imports(path, name, set(modules))
                   if target in modules and target != name}
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


def test_no_module_is_in_an_import_cycle() -> None:
    assert cycles_through(import_graph(), "") == []


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


def _namespaces() -> set[str]:
    """The namespace IRIs :mod:`graph.namespaces` defines (those ending in ``#`` or ``/``)."""
    import graph.namespaces

    return {value for name, value in vars(graph.namespaces).items()
            if name.isupper() and isinstance(value, str) and value.startswith("http")
            and value.endswith(("#", "/"))}


def _strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, f-strings' parts included, docstrings left out (a
    docstring may show an IRI as an example)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for at, child in enumerate(body):
            if (isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant)
                    and (at == 0 or isinstance(body[at - 1], (ast.Assign, ast.AnnAssign)))):
                docstrings.add(id(child.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_only_graph_namespaces_spells_the_namespace_iris() -> None:
    namespaces = _namespaces()
    assert {"https://schema.org/", "http://data.europa.eu/a4g/ontology#",
            "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/"} <= namespaces
    home = ROOT / "graph" / "namespaces.py"
    spelled = [f"{path.relative_to(ROOT)}:{line}: {namespace}"
               for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
               if path != home for line, text in _strings(path)
               for namespace in namespaces if namespace in text]
    assert spelled == []


def test_the_namespace_rule_sees_f_strings_and_skips_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""See https://schema.org/name."""\nX = 1\n"""About X: https://schema.org/."""\n'
                      'Q = f"SELECT * {{ ?s <https://schema.org/name> {X} }}"\n')
    found = [text for _, text in _strings(module) if "https://schema.org/" in text]
    assert found == ["SELECT * { ?s <https://schema.org/name> "]


def test_only_graph_formats_defines_formats() -> None:
    """A format is a value of the one registry: no other module builds a ``Format``."""
    home = ROOT / "graph" / "formats.py"
    built = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
             if path != home
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
             and node.func.id == "Format"]
    assert built == []


def _reads_environment(node: ast.AST) -> bool:
    return any(isinstance(child, ast.Attribute) and child.attr in ("environ", "getenv")
               and isinstance(child.value, ast.Name) and child.value.id == "os"
               for child in ast.walk(node))


def test_no_module_reads_the_environment_when_imported() -> None:
    """Settings are passed in (:class:`graph.settings.Settings`), never read at import: no
    statement that runs on import (outside a function) touches ``os.environ``."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            stack: list[ast.AST] = list(tree.body)
            while stack:
                node = stack.pop()
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    continue
                if isinstance(node, ast.ClassDef):
                    stack.extend(node.body)
                elif _reads_environment(node) and not any(
                        isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                        for child in ast.walk(node)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_one_settings_model() -> None:
    """The settings psikg runs with are one frozen dataclass, built by the command line."""
    import dataclasses

    from graph.settings import Settings

    assert dataclasses.is_dataclass(Settings) and Settings.__dataclass_params__.frozen
    assert {"store", "base_iri", "timeout_s", "cors_origins"} <= {
        field.name for field in dataclasses.fields(Settings)}
    assert not (ROOT / "endpoint" / "settings.py").exists()
    settings_classes = [f"{path.relative_to(ROOT)}" for package in PACKAGES
                        for path in sorted((ROOT / package).rglob("*.py"))
                        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                        if isinstance(node, ast.ClassDef) and node.name in ("Settings", "Config")]
    assert settings_classes == ["graph/settings.py"]


def test_only_the_fetch_policy_and_the_engine_open_network_connections() -> None:
    """A URL a user or a document gave is reached through ``loaders.http_fetch`` (one
    address policy, one client); ``graph.engine`` talks to psikg's own engine. No other
    module of ``graph``, ``loaders`` or ``endpoint`` imports a network layer."""
    found = {_module_name(path): _network_imports(path, _module_name(path))
             for package in ("graph", "loaders", "endpoint")
             for path in (ROOT / package).rglob("*.py")}
    assert {name: modules for name, modules in found.items()
            if modules and name not in NETWORK_HOMES} == {}
    assert {"urllib3", "socket"} <= found["loaders.http_fetch.client"] | found[
        "loaders.http_fetch.policy"]
    assert "socket" in found["graph.engine.client"]


def test_the_network_check_sees_every_way_to_import_a_layer(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text("from urllib import request\nfrom http.client import HTTPConnection\n"
                      "def f():\n    import socket as s\n    return s\n"
                      "from urllib.parse import urljoin\n")
    assert _network_imports(module, "loaders.sneaky") == {
        "urllib.request", "http.client", "http.client.HTTPConnection", "socket"}


def test_no_module_is_over_500_lines() -> None:
    """Every module of the repository; not what a bench installs beside it in a hidden
    folder (bench/.morph-venv, git-ignored)."""
    folders = (*PACKAGES, "tests", "bench", "examples", "docs")
    long = {str(path.relative_to(ROOT)): length for folder in folders
            for path in (ROOT / folder).rglob("*.py")
            if not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
            and (length := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
