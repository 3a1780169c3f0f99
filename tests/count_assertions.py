"""Count the suite's checks per module, so that a change to the tests can show none was lost.

``python -m tests.count_assertions`` prints, for every module under pytest's test paths, the
tests pytest collects (as ``make test`` runs them) and the checks its code holds, read from
the syntax tree:

- ``assert`` statements;
- ``pytest.raises`` and ``pytest.warns`` (as a context manager or a call), ``pytest.fail``;
- calls of the suite's asserting helpers: a function of ``tests/`` that is neither a test
  nor a fixture and holds one of the above (e.g. ``check_refused``), counted where it is
  called;
- doctest examples that expect an output.

``--json FILE`` writes the same figures to compare two runs (``--compare OLD.json`` prints
the modules whose figures fell; ``--moved OLD=NEW`` for each module moved in between). Why
by module: tests move between helpers and fixtures, but a module's checks stay with it.
"""

from __future__ import annotations

import argparse
import ast
import doctest
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_PATHS = ("tests", "graph", "loaders", "endpoint")
PYTEST_CHECKS = {"raises", "warns", "fail"}
KINDS = ("tests", "assert", "raises", "helper", "doctest")


def python_files(root: Path = ROOT) -> list[Path]:
    """The ``.py`` files pytest reads (``__main__.py`` is ignored, as in ``pyproject.toml``)."""
    found: list[Path] = []
    for folder in TEST_PATHS:
        found += [path for path in sorted((root / folder).rglob("*.py"))
                  if path.name != "__main__.py" and "node_modules" not in path.parts]
    return found


def _is_pytest_check(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in PYTEST_CHECKS and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "pytest")


def _checks_itself(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(node, ast.Assert) or _is_pytest_check(node)
               for node in ast.walk(function))


def _is_fixture(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A fixture's checks run once when it is set up; calling what it returns runs none."""
    return any("fixture" in ast.unparse(decorator) for decorator in function.decorator_list)


Helper = tuple[str, str]
"""A function by the module that defines it (dotted) and its name."""


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def asserting_helpers(trees: dict[Path, ast.Module]) -> set[Helper]:
    """The functions of ``tests/`` that are neither tests nor fixtures and check something."""
    found: set[Helper] = set()
    for path, tree in trees.items():
        if path.relative_to(ROOT).parts[0] != "tests":
            continue
        for node in ast.walk(tree):
            if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and not node.name.startswith("test") and not _is_fixture(node)
                    and _checks_itself(node)):
                found.add((module_name(path), node.name))
    return found


def visible_functions(path: Path, tree: ast.Module) -> dict[str, Helper]:
    """What each plain name called in a module stands for: its own functions and the names
    it imports with ``from module import name``."""
    names = {node.name: (module_name(path), node.name) for node in ast.walk(tree)
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    return names


def _docstrings(tree: ast.Module) -> Iterable[str]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            text = ast.get_docstring(node, clean=False)
            if text:
                yield text


def count_checks(path: Path, tree: ast.Module, helpers: set[Helper]) -> Counter[str]:
    """The checks of one module, by kind."""
    counts: Counter[str] = Counter()
    visible = visible_functions(path, tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            counts["assert"] += 1
        elif _is_pytest_check(node):
            counts["raises"] += 1
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and visible.get(node.func.id) in helpers):
            counts["helper"] += 1
    parser = doctest.DocTestParser()
    for text in _docstrings(tree):
        counts["doctest"] += sum(1 for example in parser.get_examples(text) if example.want)
    return counts


def collected_tests() -> Counter[str]:
    """How many tests pytest collects per file, with the options of ``make test``."""
    listing = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, check=False).stdout
    counts: Counter[str] = Counter()
    for line in listing.splitlines():
        if "::" in line:
            counts[line.split("::", 1)[0]] += 1
    return counts


def census() -> dict[str, dict[str, int]]:
    """Every module's figures: ``{path: {kind: count}}``."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path))
             for path in python_files()}
    helpers = asserting_helpers(trees)
    tests = collected_tests()
    figures: dict[str, dict[str, int]] = {}
    for path, tree in trees.items():
        name = str(path.relative_to(ROOT))
        counts = count_checks(path, tree, helpers)
        counts["tests"] = tests.get(name, 0)
        if any(counts.values()):
            figures[name] = {kind: counts[kind] for kind in KINDS}
    return figures


def totals(figures: dict[str, dict[str, int]]) -> dict[str, int]:
    return {kind: sum(row[kind] for row in figures.values()) for kind in KINDS}


def print_table(figures: dict[str, dict[str, int]]) -> None:
    print(f"{'module':<52}" + "".join(f"{kind:>9}" for kind in KINDS))
    for name, row in sorted(figures.items()):
        print(f"{name:<52}" + "".join(f"{row[kind]:>9}" for kind in KINDS))
    print(f"{'total':<52}" + "".join(f"{count:>9}" for count in totals(figures).values()))


def compare(old: dict[str, dict[str, int]], new: dict[str, dict[str, int]],
            moved: dict[str, str] | None = None) -> int:
    """Print the figures that fell from ``old`` to ``new``; the number of them.

    :param moved: old path → new path of the modules that moved in between.
    """
    fell = 0
    old = {(moved or {}).get(name, name): row for name, row in old.items()}
    for name, row in sorted(old.items()):
        for kind in KINDS:
            after = new.get(name, {}).get(kind, 0)
            if after < row[kind]:
                print(f"{name}: {kind} {row[kind]} -> {after}")
                fell += 1
    print("before", totals(old), "\nafter ", totals(new))
    return fell


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--compare", type=Path, help="a file written by --json before")
    parser.add_argument("--moved", action="append", default=[], metavar="OLD=NEW",
                        help="a module that moved since --compare's figures (repeatable)")
    arguments = parser.parse_args()
    figures = census()
    print_table(figures)
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
    if arguments.compare:
        old = json.loads(arguments.compare.read_text(encoding="utf-8"))
        moved = dict(pair.split("=", 1) for pair in arguments.moved)
        sys.exit(1 if compare(old, figures, moved) else 0)


if __name__ == "__main__":
    main()
