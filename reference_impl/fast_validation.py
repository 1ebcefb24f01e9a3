"""Connexion's request validation, with its validators built once per operation instead of per request.

Stock Connexion 3 (``RequestValidationOperation.__call__``) builds, on every request, a URI parser,
a ``ParameterValidator``, a body validator and, inside that, a jsonschema ``Draft4RequestValidator``
with its format checker; ``body_definition`` resolves the operation's ``$ref``s again each time. On
this server that was a third of the CPU time of a POST invite (spec-first/connexion#2045 reports the
same). None of these objects keeps per-request state, so they are built here on first use for each
(media type, encoding) and reused; the checks, their order and their error messages are Connexion's
own, unchanged. Offered upstream as is: the only difference is *when* the objects are made.
"""

from __future__ import annotations

import typing as t
from functools import cache

from connexion import utils
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.utils import is_null, is_nullable
from connexion.validators import AbstractRequestBodyValidator
from connexion.validators.parameter import ParameterValidator
from jsonschema import Draft4Validator, ValidationError
from starlette.types import Receive, Scope, Send

from reference_impl import quick_accept
from reference_impl.connexion_compat import validated_operation, validator_map, with_validator_made_once

BodyKey = tuple[str, str]
FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER


class _NoBody:
    """Marks a media type whose body is not validated (no schema, or no validator registered)."""


NO_BODY = _NoBody()


@cache
def _with_cached_schemas(cls: type[ParameterValidator]) -> type[ParameterValidator]:
    """``cls`` whose per-parameter jsonschema validators are made once, not on every request.

    Stock ``ParameterValidator.validate_parameter`` deep-copies the parameter and builds a
    ``Draft4Validator`` for each parameter of each request; the checks below are the same. A value that
    the parameter's compiled check accepts (``quick_accept``) is accepted without it.
    """

    def validate_parameter(
        self: t.Any, parameter_type: str, value: t.Any, param: dict, param_name: str | None = None
    ) -> str | None:
        if value is None or (is_nullable(param) and is_null(value)):
            return cls.validate_parameter(parameter_type, value, param, param_name)
        validators = self.__dict__.setdefault("_schema_validators", {})
        entry = validators.get(id(param))
        if entry is None:
            schema = param.get("schema", param)
            validator = Draft4Validator(schema, format_checker=FORMAT_CHECKER)
            entry = validators[id(param)] = (param, validator, quick_accept.compiled_check(schema))
        accepts = entry[2]
        if accepts is not None and accepts(value):
            return None
        try:
            entry[1].validate(value)
        except ValidationError as exception:
            return str(exception)
        return None

    return type(cls.__name__, (cls,), {"validate_parameter": validate_parameter})


class CachedRequestValidationOperation(RequestValidationOperation):
    """Same checks as Connexion's, with the parameter and body validators made once."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        operation = validated_operation(self)
        uri_parser = operation.uri_parser_class(operation.parameters, operation.body_definition())
        self._parameter_validator = _with_cached_schemas(validator_map(self)["parameter"])(
            operation.parameters,
            uri_parser=uri_parser,
            strict_validation=self.strict_validation,
            security_query_params=self.security_query_params,
        )
        self._body_validators: dict[BodyKey, AbstractRequestBodyValidator | _NoBody] = {}

    def _body_validator(self, mime_type: str, encoding: str) -> AbstractRequestBodyValidator | _NoBody:
        key = (mime_type, encoding)
        validator = self._body_validators.get(key)
        if validator is None:
            validator = self._make_body_validator(mime_type, encoding)
            if len(self._body_validators) < 64:  # media types come from clients: keep the cache bounded
                self._body_validators[key] = validator
        return validator

    def _make_body_validator(self, mime_type: str, encoding: str) -> AbstractRequestBodyValidator | _NoBody:
        operation = validated_operation(self)
        schema = operation.body_schema(mime_type)
        if not schema:
            return NO_BODY
        try:
            body_validator = validator_map(self)["body"][mime_type]
        except KeyError:
            return NO_BODY
        validator = with_validator_made_once(body_validator)(
            schema=schema,
            required=operation.request_body.get("required", False),
            nullable=utils.is_nullable(operation.body_definition(mime_type)),
            encoding=encoding,
            strict_validation=self.strict_validation,
            uri_parser=operation.uri_parser_class(operation.parameters, operation.body_definition()),
        )
        return validator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._parameter_validator.validate(scope)
        mime_type, encoding = self.extract_content_type(scope["headers"])
        self.validate_mime_type(mime_type)
        validator = self._body_validator(mime_type, encoding)
        if not isinstance(validator, _NoBody):
            receive, scope = await validator.wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class CachedRequestValidationAPI(RequestValidationAPI):
    def make_operation(self, operation: t.Any) -> RequestValidationOperation:
        return CachedRequestValidationOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class CachedRequestValidationMiddleware(RequestValidationMiddleware):
    """Drop-in for ``RequestValidationMiddleware`` in an ``AsyncApp``'s middleware list."""

    api_cls = CachedRequestValidationAPI
