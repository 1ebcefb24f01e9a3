"""Two changes to how Connexion 3 runs an ``AsyncApp``, each for speed, each with stock behaviour kept.

1. ``SwaggerUIOnItsPaths``: stock ``SwaggerUIMiddleware`` sends *every* request through a Starlette
   router (a mount per API, a route per UI file) only to fall through to the next app for API
   calls, and copies the scope on the way. Here requests whose path cannot be the UI's or the
   spec's skip it.

2. ``DirectHandlerMiddleware``: calling the operation handlers, with Connexion's argument and
   response rules prepared once per operation.

Stock Connexion 3 (``AsyncOperation.fn`` and ``ASGIDecorator.__call__``) rebuilds, on every request,
the handler's whole decorator stack: a URI parser (resolving the operation's body definition
again), the parameter decorator (inspecting the handler's signature), the response decorator, and a
``ConnexionRequest``; a synchronous handler is then always sent to the thread pool. On this server
that was a quarter of the CPU time of a POST invite.

Here each operation gets, once: its URI parser, the handler's argument names, and Connexion's own
response builder. Per request, path and query arguments are made by Connexion's own functions
(reached through ``connexion_compat``: same conversions, defaults and names), and the
handler's answer goes through Connexion's ``build_framework_response`` (same status, media type and
JSON). Two differences, both deliberate:

- Handlers that take the body, files or Connexion's ``context`` are refused at start-up: this
  server's handlers read the body the validator already parsed (``body_parsing.parsed_body``),
  and the reference server has no use for the rest. Stock Connexion would parse the body again.
- A handler is called through ``run`` (``await run(function, *args)``), the way the server runs its
  database calls (``transactions.runner``: inline on SQLite, in a greenlet on PostgreSQL); stock
  Connexion sends a synchronous handler to a worker thread. ``on_response(status)`` runs in the same
  call once the response is made: the reference server ends the request's transaction in it
  (commit below 400). The response is still sent only after that. Without ``run``, a handler is
  called inline.

The handler middleware sits last in the stack, after Connexion's ``ContextMiddleware`` (handlers still use
``connexion.request``); operations it does not know go on to Connexion's own app.
"""

from __future__ import annotations

import typing as t
from functools import partial

from connexion.decorators.parameter import CONTEXT_NAME, sanitized
from connexion.decorators.response import AsyncResponseDecorator
from connexion.frameworks.starlette import Starlette as StarletteFramework
from connexion.jsonifier import Jsonifier
from connexion.middleware.abstract import RoutedAPI, RoutedMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.operations import AbstractOperation
from connexion.utils import inspect_function_arguments
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from reference_impl.connexion_compat import path_arguments, query_arguments

REFUSED_ARGUMENTS = ("body", CONTEXT_NAME)
Runner = t.Callable[..., t.Awaitable[t.Any]]  # run(function, *args) → function(*args), awaited


class SwaggerUIOnItsPaths(SwaggerUIMiddleware):
    """``SwaggerUIMiddleware`` for the paths that start with one of ``prefixes``; the rest go straight on."""

    def __init__(self, app: ASGIApp, *, prefixes: tuple[str, ...]) -> None:
        super().__init__(app)
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class HandlerSignatureError(ValueError):
    """A handler asks for arguments this fast path does not provide."""


class DirectOperation:
    def __init__(
        self,
        operation: AbstractOperation,
        *,
        run: Runner | None,
        jsonifier: Jsonifier,
        on_response: t.Callable[[int], None] | None = None,
    ) -> None:
        self.operation = operation
        self.on_response = on_response
        self.function = operation.function
        self.run = run
        self.uri_parser = operation.uri_parser_class(operation.parameters, operation.body_definition())
        self.arguments, self.has_kwargs = inspect_function_arguments(self.function)
        body_name = operation.body_name(operation.consumes[0]) if operation.consumes else "body"
        refused = [name for name in (*REFUSED_ARGUMENTS, body_name) if name in self.arguments]
        if self.has_kwargs or refused:
            raise HandlerSignatureError(
                f"{operation.operation_id}: the handler takes {', '.join(refused) or '**kwargs'}; "
                "read the body with body_parsing.parsed_body instead."
            )
        self.responder = AsyncResponseDecorator(framework=StarletteFramework, jsonifier=jsonifier)

    def kwargs(self, scope: Scope) -> dict[str, t.Any]:
        operation, parser = self.operation, self.uri_parser
        path = parser.resolve_path(scope.get("path_params", {}))
        raw_query = QueryParams(scope.get("query_string", b""))
        query = parser.resolve_query({key: raw_query.getlist(key) for key in raw_query})
        kwargs = path_arguments(path, operation=operation, sanitize=sanitized)
        kwargs.update(
            query_arguments(
                query,
                operation=operation,
                arguments=self.arguments,
                has_kwargs=self.has_kwargs,
                sanitize=sanitized,
            )
        )
        return {name: value for name, value in kwargs.items() if name in self.arguments}

    def respond(self, call: t.Callable[[], t.Any]) -> Response:
        """Run the handler and make its response; then ``on_response`` (in the same call)."""
        answer = call()
        response = answer if isinstance(answer, Response) else self.responder.build_framework_response(answer)
        if self.on_response is not None:
            self.on_response(response.status_code)
        return response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        call = partial(self.function, **self.kwargs(scope))
        response: Response = self.respond(call) if self.run is None else await self.run(self.respond, call)
        await response(scope, receive, send)


class DirectAPI(RoutedAPI[DirectOperation]):
    def __init__(
        self,
        *args: t.Any,
        run: Runner | None,
        on_response: t.Callable[[int], None] | None,
        jsonifier: Jsonifier | None = None,
        **kwargs: t.Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.run = run
        self.on_response = on_response
        self.jsonifier = jsonifier or Jsonifier()
        self.add_paths()

    def make_operation(self, operation: AbstractOperation) -> DirectOperation:
        return DirectOperation(
            operation, run=self.run, jsonifier=self.jsonifier, on_response=self.on_response
        )


class DirectHandlerMiddleware(RoutedMiddleware[DirectAPI]):
    """Last in an ``AsyncApp``'s middleware list: answers every operation of the APIs added to it."""

    api_cls = DirectAPI

    def __init__(
        self,
        app: ASGIApp,
        *,
        run: Runner | None = None,
        on_response: t.Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(app)
        self.run = run
        self.on_response = on_response

    def add_api(self, specification: t.Any, **kwargs: t.Any) -> DirectAPI:
        jsonifier = kwargs.pop("jsonifier", None)
        return super().add_api(
            specification,
            run=self.run,
            on_response=self.on_response,
            jsonifier=jsonifier,
            **kwargs,
        )
