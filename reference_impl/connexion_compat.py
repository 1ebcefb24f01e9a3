"""Every private part of Connexion (and the one process-wide registry) this server relies on, in one place.

The speed layers (``fast_connexion``, ``fast_validation``), the body validators (``body_parsing``) and
the bounded path integers (``routing``) reach into Connexion below its public API: private functions,
private methods they override, attributes its classes set in ``__init__``. None of that is promised
from one release to the next, so it is reached here and nowhere else, under public names, and checked
when this module is imported: each name must exist with the parameters it has in the Connexion
versions pyproject.toml pins (``>=3.3,<3.4``). A release that renamed or reshaped one makes the server
refuse to start with an error that names it and the installed Connexion version, instead of failing
on some request later.

``tox -e connexion-latest`` runs the reference tests against the newest Connexion release, so a change
upstream shows here first; ``serve --stock-connexion`` runs without the speed layers, the parts of
Connexion they replace being used as shipped.
"""

from __future__ import annotations

import inspect
import typing as t
from collections.abc import Callable
from functools import cache, cached_property
from importlib.metadata import version

import starlette.convertors
from connexion.decorators import parameter as _parameter
from connexion.middleware.request_validation import RequestValidationOperation
from connexion.middleware.routing import RoutingMiddleware
from connexion.operations import AbstractOperation
from connexion.validators import AbstractRequestBodyValidator
from connexion.validators.form_data import FormDataValidator, MultiPartFormDataValidator
from connexion.validators.json import JSONRequestBodyValidator
from connexion.validators.parameter import ParameterValidator
from starlette.types import Scope

CONNEXION_VERSION = version("connexion")


class ConnexionCompatError(RuntimeError):
    """The installed Connexion lacks a private part this server uses, or has it in another shape."""


def _parameters(function: Callable[..., t.Any]) -> str:
    """``a, b, *, c, d=``: the names in order, ``*`` before keyword-only ones, ``=`` after defaulted ones."""
    shown: list[str] = []
    keyword_only = False
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
            shown.append("*")
            keyword_only = True
        prefix = "*" if parameter.kind is parameter.VAR_POSITIONAL else ""
        prefix = "**" if parameter.kind is parameter.VAR_KEYWORD else prefix
        default = "=" if parameter.default is not parameter.empty else ""
        shown.append(f"{prefix}{parameter.name}{default}")
    return ", ".join(shown)


def _refuse(where: str, problem: str) -> ConnexionCompatError:
    return ConnexionCompatError(
        f"reference_impl needs {where} {problem} (connexion {CONNEXION_VERSION} is installed); install a "
        "Connexion in the range pyproject.toml pins, or adapt reference_impl/connexion_compat.py."
    )


def _name(owner: object) -> str:
    return f"{getattr(owner, '__module__', '')}.{getattr(owner, '__qualname__', owner)}".strip(".")


def require_signature(owner: object, name: str, expected: str) -> None:
    """``owner.name`` is a callable whose parameters read ``expected`` (see ``_parameters``)."""
    where = f"{_name(owner)}.{name}"
    member = getattr(owner, name, None)
    if not callable(member):
        raise _refuse(where, "to exist and be callable")
    found = _parameters(member)
    if found != expected:
        raise _refuse(where, f"to take ({expected}), but it takes ({found})")


def require_property(owner: type, name: str) -> None:
    """``owner.name`` is a property (subclasses override or cache it)."""
    if not isinstance(inspect.getattr_static(owner, name, None), property):
        raise _refuse(f"{_name(owner)}.{name}", "to be a property")


def _names_in_init(owner: type) -> tuple[str, ...]:
    """The attribute and global names the ``__init__`` that ``owner`` itself defines uses."""
    code = getattr(vars(owner).get("__init__"), "__code__", None)
    return tuple(code.co_names) if code is not None else ()


def require_assigned_in_init(owner: type, name: str) -> None:
    """``owner.__init__`` assigns ``self.<name>`` (an attribute read from outside the class)."""
    if name not in _names_in_init(owner):
        raise _refuse(f"{_name(owner)}.__init__", f"to set self.{name}")


def check() -> None:
    """Each private name below, as this module uses it; raises ``ConnexionCompatError`` naming the first
    that is missing or has changed shape."""
    require_signature(_parameter, "_get_path_arguments", "path_params, *, operation, sanitize")
    require_signature(
        _parameter, "_get_query_arguments", "query_params, *, operation, arguments, has_kwargs, sanitize"
    )
    require_signature(
        RequestValidationOperation,
        "__init__",
        "self, next_app, *, operation, strict_validation=, validator_map=",
    )
    require_assigned_in_init(RequestValidationOperation, "_operation")
    require_assigned_in_init(RequestValidationOperation, "_validator_map")
    require_signature(ParameterValidator, "validate_parameter", "parameter_type, value, param, param_name=")
    require_assigned_in_init(AbstractRequestBodyValidator, "_required")
    require_assigned_in_init(AbstractRequestBodyValidator, "_schema")
    for validator in (JSONRequestBodyValidator, FormDataValidator, MultiPartFormDataValidator):
        require_signature(validator, "_parse", "self, stream, scope")
        require_signature(validator, "_validate", "self, body")
        require_property(validator, "_validator")
    for validator in (FormDataValidator, MultiPartFormDataValidator):
        require_property(validator, "_form_parser_cls")
    require_signature(starlette.convertors, "register_url_convertor", "key, convertor")
    if "register_url_convertor" not in _names_in_init(RoutingMiddleware):
        raise _refuse(f"{_name(RoutingMiddleware)}.__init__", "to register its path converters")


check()


# -- handler arguments (fast_connexion) -----------------------------------------------------------------


def path_arguments(
    path_params: dict[str, t.Any], *, operation: AbstractOperation, sanitize: Callable[[str], str]
) -> dict[str, t.Any]:
    """The handler's path arguments, converted as Connexion's own handler layer converts them."""
    return _parameter._get_path_arguments(path_params, operation=operation, sanitize=sanitize)


def query_arguments(
    query_params: dict[str, t.Any],
    *,
    operation: AbstractOperation,
    arguments: list[str],
    has_kwargs: bool,
    sanitize: Callable[[str], str],
) -> dict[str, t.Any]:
    """The handler's query arguments, defaults included, as Connexion's own handler layer makes them."""
    return _parameter._get_query_arguments(
        query_params, operation=operation, arguments=arguments, has_kwargs=has_kwargs, sanitize=sanitize
    )


# -- request validation (fast_validation) ---------------------------------------------------------------


def validated_operation(validation: RequestValidationOperation) -> AbstractOperation:
    """The operation a ``RequestValidationOperation`` validates requests for."""
    return validation._operation


def validator_map(validation: RequestValidationOperation) -> dict[str, t.Any]:
    """The validators (``parameter``, ``body`` by media type) a ``RequestValidationOperation`` uses."""
    return validation._validator_map


@cache
def with_validator_made_once(cls: type) -> type:
    """``cls``, a body validator, whose jsonschema validator (``_validator``, a property Connexion
    evaluates anew on each access) is made once per validator object.

    Body validators are made per operation and media type and hold no per-request state.
    """
    made = inspect.getattr_static(cls, "_validator", None)
    if not isinstance(made, property) or made.fget is None:
        return cls
    build = made.fget
    return type(cls.__name__, (cls,), {"_validator": cached_property(lambda self: build(self))})


# -- body validators with public hooks (body_parsing) ---------------------------------------------------


class _PublicSteps:
    """Connexion calls a body validator's private ``_parse`` and ``_validate``; here they call the public
    ``parse`` and ``validate_body``, which a subclass overrides and whose defaults are Connexion's own."""

    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        return await self.parse(stream, scope)

    async def parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        """The body read from ``stream``; Connexion's parsing unless overridden."""
        return await super()._parse(stream, scope)  # type: ignore[misc]

    def _validate(self, body: t.Any) -> t.Any:
        return self.validate_body(body)

    def validate_body(self, body: t.Any) -> t.Any:
        """Raise ``BadRequestProblem`` when ``body`` breaks the schema; Connexion's check by default."""
        return super()._validate(body)  # type: ignore[misc]

    @property
    def body_required(self) -> bool:
        """The operation's ``requestBody.required``."""
        return bool(self._required)  # type: ignore[attr-defined]

    @property
    def body_schema(self) -> t.Any:
        """The schema the body is validated against (``$ref``s resolved by Connexion)."""
        return self._schema  # type: ignore[attr-defined]


class _FormSteps(_PublicSteps):
    @property
    def _form_parser_cls(self) -> t.Any:
        return self.form_parser_class

    @property
    def form_parser_class(self) -> t.Any:
        """The Starlette parser the form is read with; Connexion's unless overridden."""
        return super()._form_parser_cls  # type: ignore[misc]


class JSONBodyValidator(_PublicSteps, JSONRequestBodyValidator):
    """Connexion's JSON body validator, its steps overridable as ``parse`` and ``validate_body``."""


class FormBodyValidator(_FormSteps, FormDataValidator):
    """Connexion's form body validator; ``parse``, ``validate_body`` and ``form_parser_class`` overridable."""


class MultipartBodyValidator(_FormSteps, MultiPartFormDataValidator):
    """Connexion's multipart validator; ``parse``, ``validate_body``, ``form_parser_class`` overridable."""


# -- path converters (routing) --------------------------------------------------------------------------


def register_path_converter(name: str, converter: starlette.convertors.Convertor[t.Any]) -> None:
    """Make ``converter`` the one Starlette uses for ``{…:name}`` in every route of the process.

    Starlette's registry is process-wide and Connexion's ``RoutingMiddleware`` fills it when it is made,
    so a converter of our own is registered after that.
    """
    starlette.convertors.register_url_convertor(name, converter)
