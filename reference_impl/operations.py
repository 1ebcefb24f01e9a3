"""Every operationId this server answers, bound to its handler: the generic handler of each action
(``handlers.BY_ACTION``) for every stored family, with the family bound, what a family does its own way
in its place (``course_handlers.BY_ACTION`` for courses), and ``me``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from starlette.responses import Response

from openapi.families import Action
from reference_impl import course_handlers, handlers
from reference_impl.families import COURSE, FAMILIES, StoredFamily
from reference_impl.handlers import Answer

Handler = Callable[..., Answer | Response]

#: Per family, the handlers that replace the generic ones or add actions only it has.
OWN_HANDLERS: dict[str, Mapping[Action, Handler]] = {COURSE.name: course_handlers.BY_ACTION}


def _handlers(family: StoredFamily) -> dict[Action, Handler]:
    return {**handlers.BY_ACTION, **OWN_HANDLERS.get(family.name, {})}


OPERATIONS: dict[str, Handler] = {
    "me": handlers.me,
    **{
        operation.operation_id: partial(_handlers(family)[action], family)
        for family in FAMILIES.values()
        for action, operation in family.operations.items()
    },
}
