"""The suite's imports: no cycle among its modules, and none of the server, the generator or the publisher.

Read from the source with `ast` (every import statement, those inside functions too), so an import made
late to dodge a cycle counts as well. `from package import name` is an edge to the submodule when `name`
is one, else to the module itself; a parent package's ``__init__`` is not an edge (grimp's reading).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from testkit.processes import REPO_ROOT

PACKAGE = "conformance"
#: The suite tests servers from the outside and reads facts from the contract core (`openapi`) alone.
FORBIDDEN = ("reference_impl", "specgen", "publishing", "testkit", "tests")


def modules(root: Path = REPO_ROOT / PACKAGE) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path) -> Iterator[str]:
    """The absolute names of the modules (or module attributes) `name`'s source imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def graph() -> dict[str, set[str]]:
    """Each module of the suite → the modules of the suite it imports."""
    found = modules()
    return {
        name: {target for target in imported(name, path) if target in found} - {name}
        for name, path in found.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                component.append(member)
            component.append(node)
            if len(component) > 1:
                found.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    return found


def test_the_suite_has_no_import_cycle() -> None:
    edges = graph()
    assert "conformance.exchange" in edges["conformance.raw"]
    assert cycles(edges) == []


def test_a_cycle_would_be_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_suite_imports_neither_server_nor_generator() -> None:
    wrong = {
        f"{name} imports {target}"
        for name, path in modules().items()
        for target in imported(name, path)
        if target.split(".")[0] in FORBIDDEN
    }
    assert wrong == set()
