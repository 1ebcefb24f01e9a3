"""The kit's packages as one graph of imports: no cycle anywhere, and each package imports only the ones
beneath it (the contract core at the bottom; the suite and the server never each other).

Read from the source with ``ast``: every import statement counts, wherever it is written (at the top,
under ``TYPE_CHECKING``, inside a function), so an import made late to dodge a cycle counts as well.
``from package import name`` is an edge to the submodule when ``name`` is one, else to the module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from testkit.processes import REPO_ROOT

#: Each package of the kit → the packages of the kit it may import. The suite tests any server from the
#: outside and the server is judged by it, so neither imports the other; both read facts from the core.
ALLOWED: dict[str, set[str]] = {
    "openapi": set(),
    "specgen": {"openapi"},
    "publishing": {"openapi", "specgen"},
    "pipeline": {"openapi"},
    "conformance": {"openapi"},
    "reference_impl": {"openapi"},
    "testkit": {"openapi", "reference_impl"},
    "bench": {"openapi", "reference_impl", "conformance", "testkit"},
}
KIT = {*ALLOWED, "tests"}


def modules() -> dict[str, Path]:
    """Every module of the kit's packages by its dotted name."""
    found = {}
    for package in ALLOWED:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            parts = path.relative_to(REPO_ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path) -> Iterator[str]:
    """The absolute names of the modules (or module attributes) the source of module ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def graph() -> dict[str, set[str]]:
    """Each module → the modules of the kit it imports."""
    found = modules()
    return {
        name: {target for target in imported(name, path) if target in found} - {name}
        for name, path in found.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                on_stack.discard(member)
                component.append(member)
            on_stack.discard(node)
            found.append(sorted([*component, node]))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [component for component in found if len(component) > 1]


def test_no_module_of_the_kit_is_part_of_an_import_cycle() -> None:
    edges = graph()
    assert {"openapi.document", "conformance.exchange", "reference_impl.storage"} <= set(edges)
    assert cycles(edges) == []


def test_a_cycle_would_be_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}) == [["a", "b", "c"]]


def test_each_package_imports_only_the_packages_beneath_it() -> None:
    wrong = sorted(
        f"{name} imports {target}"
        for name, path in modules().items()
        for target in imported(name, path)
        if (top := target.split(".")[0]) in KIT
        and top != name.split(".")[0]
        and top not in ALLOWED[name.split(".")[0]]
    )
    assert wrong == []
