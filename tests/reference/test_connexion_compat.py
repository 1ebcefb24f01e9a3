"""The check ``connexion_compat`` makes at import: a Connexion whose private parts moved is refused."""

from __future__ import annotations

import pytest

from reference_impl import connexion_compat
from reference_impl.connexion_compat import (
    CONNEXION_VERSION,
    ConnexionCompatError,
    require_assigned_in_init,
    require_property,
    require_signature,
)


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
