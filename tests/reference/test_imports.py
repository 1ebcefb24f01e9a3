"""The server's modules as a graph of imports: no cycles, and nothing of the suite or the generator.

Every import counts, wherever it is written: at the top, under ``TYPE_CHECKING``, inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import reference_impl

PACKAGE = "reference_impl"
SOURCES = Path(reference_impl.__file__).parent
# The server reads the contract through the core (openapi) and never the packages that judge or publish it.
FORBIDDEN = ("conformance", "specgen", "publishing", "testkit", "bench", "tests")
# Private attributes that are no Connexion internals: the module's own classes' (``self._…``), and
# ``logging._srcfile``, which the logging HOWTO ("Optimization") tells applications to set.
OWN_OR_DOCUMENTED = ("self", "logging")


def _module_name(path: Path) -> str:
    return f"{PACKAGE}.{path.stem}" if path.stem != "__init__" else PACKAGE


def _imported(module: str, tree: ast.Module) -> set[str]:
    """Every module ``module`` imports, ``from reference_impl import x`` counting as ``reference_impl.x``."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.rsplit(".", node.level)[0]
                base = f"{parent}.{base}".rstrip(".")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of the package → the modules of the package it imports."""
    sources = {_module_name(path): path for path in sorted(SOURCES.glob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in sources.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = {name for name in _imported(module, tree) if name in sources and name != module}
    return graph


def external_imports() -> dict[str, set[str]]:
    """Each module → the top-level packages outside the standard layout it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted(SOURCES.glob("*.py")):
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found[module] = {name.split(".")[0] for name in _imported(module, tree)}
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_server_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 20  # the package was found
    assert cycles(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_server_imports_neither_the_suite_nor_the_generator() -> None:
    offending = {
        module: sorted(packages & set(FORBIDDEN))
        for module, packages in external_imports().items()
        if packages & set(FORBIDDEN)
    }
    assert offending == {}


def test_connexion_private_names_are_reached_only_through_the_compat_module() -> None:
    """``connexion_compat`` checks each at import; a module that reached one itself would go unchecked."""
    private = []
    for path in sorted(SOURCES.glob("*.py")):
        if path.stem == "connexion_compat":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("connexion", "starlette")
            ):
                private += [
                    f"{path.stem}: {alias.name}" for alias in node.names if alias.name.startswith("_")
                ]
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                if isinstance(node.value, ast.Name) and node.value.id in OWN_OR_DOCUMENTED:
                    continue
                private.append(f"{path.stem}:{node.lineno}: .{node.attr}")
    assert private == [], "\n".join(private)
