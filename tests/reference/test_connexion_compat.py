"""The check ``connexion_compat`` makes at import: a Connexion whose private parts moved is refused."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reference_impl
from reference_impl import connexion_compat
from reference_impl.connexion_compat import (
    CONNEXION_VERSION,
    ConnexionCompatError,
    require_assigned_in_init,
    require_property,
    require_signature,
)

SOURCES = Path(reference_impl.__file__).parent
# Private attributes that are no Connexion internals: the module's own classes' (``self._…``), and
# ``logging._srcfile``, which the logging HOWTO ("Optimization") tells applications to set.
OWN_OR_DOCUMENTED = ("self", "logging")


class Reshaped:
    """Stands for a Connexion class whose private parts changed."""

    def __init__(self, operation: object) -> None:
        self.operation = operation

    def _parse(self, stream: object, scope: object, *, strict: bool = False) -> None: ...

    def _validator(self) -> None: ...


def test_the_installed_connexion_passes_the_check() -> None:
    connexion_compat.check()


def test_a_changed_signature_is_refused_with_its_name_and_the_connexion_version() -> None:
    with pytest.raises(ConnexionCompatError) as refused:
        require_signature(Reshaped, "_parse", "self, stream, scope")
    message = str(refused.value)
    assert f"{__name__}.Reshaped._parse" in message
    assert "(self, stream, scope, *, strict=)" in message
    assert f"connexion {CONNEXION_VERSION}" in message


def test_a_missing_name_is_refused() -> None:
    with pytest.raises(ConnexionCompatError, match=r"Reshaped\._validate to exist"):
        require_signature(Reshaped, "_validate", "self, body")


def test_a_method_where_a_property_was_is_refused() -> None:
    with pytest.raises(ConnexionCompatError, match=r"Reshaped\._validator to be a property"):
        require_property(Reshaped, "_validator")


def test_an_attribute_no_longer_set_in_init_is_refused() -> None:
    require_assigned_in_init(Reshaped, "operation")
    with pytest.raises(ConnexionCompatError, match=r"Reshaped\.__init__ to set self\._operation"):
        require_assigned_in_init(Reshaped, "_operation")


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
