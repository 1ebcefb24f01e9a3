"""The Connexion application, built from openapi/v2.yaml and nothing else.

Routes, parameters, bodies and access rules all come from the specification; this module only
maps operationIds to handlers and assembles the middleware stack. The operations of a membership family
the server does not store (``families.FAMILIES``) are left out, named in one start-up line (``served``).

Two stacks answer alike. The default one runs three speed layers in place of Connexion's own:
``SwaggerUIOnItsPaths`` (the UI's router only for the UI's paths), ``CachedRequestValidationMiddleware``
(validators made once per operation) and ``DirectHandlerMiddleware`` (handlers called with their
arguments prepared once, the transaction ended in the same call as the handler). With ``stock_connexion``
(``serve --stock-connexion``, or ``$CONTRACT_STOCK_CONNEXION=1``) Connexion's ``SwaggerUIMiddleware``,
``RequestValidationMiddleware`` and handler layer run as shipped: slower, and a check that the speed
layers change nothing but speed. The layers that decide answers stay in both: access, transactions,
body limits and parsing (``body_parsing``), bounded path integers (``routing``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from connexion import AsyncApp
from connexion.exceptions import ProblemException, ResolverError
from connexion.middleware.context import ContextMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from sqlalchemy import Engine
from starlette.exceptions import HTTPException

from openapi.document import HTTP_METHODS, Spec, load_yaml
from openapi.families import found_families
from reference_impl import community, handlers, invitations, repository, settings, storage, transactions
from reference_impl.access import AccessMiddleware, AccessSpecError, Gate, OperationPolicy, policies_from_spec
from reference_impl.body_limit import BodyLimitMiddleware
from reference_impl.body_parsing import STOCK_VALIDATORS, VALIDATORS, FormFieldsParser
from reference_impl.families import FAMILIES
from reference_impl.fast_connexion import DirectHandlerMiddleware, SwaggerUIOnItsPaths
from reference_impl.fast_validation import CachedRequestValidationMiddleware
from reference_impl.host_check import HostCheckMiddleware
from reference_impl.operations import OPERATIONS
from reference_impl.problems import RoutingProblems, client_problem, internal_error, resource_gone
from reference_impl.request_log import RequestLogMiddleware
from reference_impl.routing import BoundedRoutingMiddleware
from reference_impl.transactions import TransactionMiddleware

logger = logging.getLogger("reference_impl")

UI_PATH = "/api/v2/ui"
SPEC_URL_PATH = "/api/v2/openapi.json"


def _handler_for(operation_id: str) -> Any:
    try:
        return OPERATIONS[operation_id]
    except KeyError:
        raise ResolverError(f"No handler for operationId {operation_id!r}.") from None


class StartupError(Exception):
    """The server cannot start as configured; the message says what to change."""


def load_spec(path: Path) -> Spec:
    try:
        spec = Spec(path, load_yaml(path))
    except FileNotFoundError:
        raise StartupError(
            f"No specification at {path}; generate it with `python -m specgen build`."
        ) from None
    except yaml.YAMLError as exc:
        raise StartupError(f"{path} is not valid YAML: {exc}") from None
    unstorable = storage.unstorable_values(spec)
    if unstorable:
        raise StartupError(f"{path}: {'; '.join(unstorable)}.")
    return spec


def served(spec: Spec) -> Spec:
    """``spec`` without the operations of the membership families this server does not store (a family
    without tables and handlers here), named in one start-up line: their paths answer 404 and the
    document served at ``SPEC_URL_PATH`` leaves them out. Any other operation still needs a handler."""
    skipped = [
        operation
        for family in found_families(spec)
        if family.name not in FAMILIES
        for operation in spec.operations.values()
        if family.owns(operation)
    ]
    if not skipped:
        return spec
    names = sorted({operation.resource for operation in skipped})
    logger.info(
        "not serving the %s famil%s (no storage for it): %s",
        ", ".join(names),
        "y" if len(names) == 1 else "ies",
        ", ".join(operation.operation_id for operation in skipped),
    )
    left_out = {(operation.path, operation.method.lower()) for operation in skipped}
    paths = {
        path: kept
        for path, item in spec.raw.get("paths", {}).items()
        if (kept := {key: value for key, value in item.items() if (path, key) not in left_out})
        and any(method in kept for method in HTTP_METHODS)
    }
    return Spec(spec.path, {**spec.raw, "paths": paths})


def _check_handlers(operation_ids: set[str]) -> None:
    missing = sorted(operation_ids - OPERATIONS.keys())
    if missing:
        raise StartupError(
            f"The specification has operationId(s) {', '.join(missing)}, which no handler implements; "
            "add them to reference_impl.operations.OPERATIONS."
        )


def create_app(
    database_url: str | None = None,
    *,
    spec_path: Path | None = None,
    community_options: Mapping[str, community.OptionValue] | None = None,
    stock_connexion: bool | None = None,
) -> AsyncApp:
    """The ASGI app for ``database_url`` (settings decide when None); creates tables if missing.

    ``community_options`` are the community's settings; None reads ``$CONTRACT_COMMUNITY_OPTIONS``.
    ``stock_connexion`` runs Connexion's own layers instead of the speed layers (see the module's
    docstring); None reads ``$CONTRACT_STOCK_CONNEXION``.
    """
    spec = served(load_spec(settings.spec_path(spec_path)))
    try:
        options = community.from_environment() if community_options is None else community_options
        policies = policies_from_spec(spec, options)
    except (AccessSpecError, community.CommunityOptionError) as exc:
        raise StartupError(str(exc)) from exc
    _check_handlers(set(policies))
    setup = storage.make_engine(settings.database_url(database_url))
    storage.create_schema(setup)
    invitations.create(setup)
    stock = settings.stock_connexion(stock_connexion)
    # Stock Connexion calls handlers in worker threads, where asyncpg cannot be awaited: psycopg there.
    engine = setup if stock else storage.request_engine(setup)
    gate = Gate(policies, storage.signing_secret(setup), kept_for=_kept_read_operations(engine, policies))
    if engine is not setup:
        setup.dispose()
    if stock:
        logger.info("stock Connexion: its own UI, request validation and handler layers, no speed layers")
    app = AsyncApp(__name__, middlewares=_middlewares(engine, gate, policies, stock=stock))
    app.add_api(
        spec.raw,
        base_path="",
        resolver=Resolver(function_resolver=_handler_for),
        swagger_ui_options=SwaggerUIOptions(swagger_ui_path=UI_PATH, spec_path=SPEC_URL_PATH),
        validator_map=STOCK_VALIDATORS if stock else VALIDATORS,
        uri_parser_class=FormFieldsParser,
    )
    app.add_error_handler(ProblemException, client_problem)
    app.add_error_handler(repository.ResourceGone, resource_gone)
    app.add_error_handler(HTTPException, RoutingProblems(spec.raw.get("paths", {})))
    app.add_error_handler(Exception, internal_error)
    return app


def _kept_read_operations(engine: Engine, policies: Mapping[str, OperationPolicy]) -> frozenset[str]:
    """The operations whose access the gate may decide on rows kept from an earlier request
    (``kept_reads``): the invitations that ``handlers.invite`` makes through the PostgreSQL function that
    verifies those rows (requests reach it through asyncpg), where access reads nothing but the caller's
    and the resource's rows."""
    if engine.dialect.driver != "asyncpg":
        return frozenset()
    verified = set()
    for family in FAMILIES.values():
        operation = family.operations.get("invite")
        if operation is None or operation.operation_id not in policies:
            continue
        handler = OPERATIONS[operation.operation_id]
        reads_memberships = policies[operation.operation_id].reads_memberships
        if getattr(handler, "func", None) is handlers.invite and not reads_memberships:
            verified.add(operation.operation_id)
    return frozenset(verified)


def _middlewares(
    engine: Engine, gate: Gate, policies: Mapping[str, OperationPolicy], *, stock: bool
) -> list[Any]:
    """The stack, outermost first; with ``stock``, Connexion's own layers where the speed layers would be."""
    # The UI and the spec document: everything under /api/v2/ui and /api/v2/openapi.(json|yaml).
    swagger_ui = (
        SwaggerUIMiddleware
        if stock
        else partial(SwaggerUIOnItsPaths, prefixes=(UI_PATH, SPEC_URL_PATH.removesuffix("json")))
    )
    # Without it, the AsyncApp's own handler layer calls the handlers, after ContextMiddleware.
    handlers = [] if stock else [
        # The handler, then the commit, the way the database's calls run (transactions.runner).
        partial(
            DirectHandlerMiddleware,
            run=transactions.runner(engine),
            on_response=transactions.end_before_response,
        ),
    ]  # fmt: skip
    return [
        RequestLogMiddleware,  # one line per request, whatever happens below
        ServerErrorMiddleware,  # 500 for what escapes
        ExceptionMiddleware,  # problems (4xx) and errors as RFC 7807 answers
        HostCheckMiddleware,  # 400 for a Host that is no host: links are built from it
        BodyLimitMiddleware,  # 413 over 1 MiB; the body read in full before any transaction
        swagger_ui,
        BoundedRoutingMiddleware,  # the operation, or 404/405
        # Admission, then one transaction per operation, committed before the response is sent.
        partial(TransactionMiddleware, engine=engine, operations=frozenset(policies)),
        partial(AccessMiddleware, gate=gate),  # x-access: 401, 404, 403 (Connexion's security: unused)
        # Parameters and body against the spec: 400, 415.
        RequestValidationMiddleware if stock else CachedRequestValidationMiddleware,
        ResponseValidationMiddleware,  # answers against the spec
        LifespanMiddleware,
        ContextMiddleware,  # connexion.request, read by the handlers
        *handlers,
    ]


def configure_logging() -> None:
    """Our one line per request, plus errors; Connexion would log every client mistake as an error."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("connexion").setLevel(logging.CRITICAL)
    # What the format does not show is not collected (the logging HOWTO's "Optimization"): no caller
    # frame lookup, thread, process or multiprocessing names on each record of each request.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def app_from_environment() -> AsyncApp:
    """Factory for uvicorn's ``--factory`` (used with several workers): settings from env."""
    configure_logging()
    return create_app()
