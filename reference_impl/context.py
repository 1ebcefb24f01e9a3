"""What the access layer learned about a request, handed to the operation handlers."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import Connection, Row


@dataclass(frozen=True)
class RequestContext:
    """The request's single transaction, its authenticated caller and the resource in its path."""

    connection: Connection
    caller: Row | None
    resource: Row | None  # the event, group, … that the path's {id} names


_current: ContextVar[RequestContext] = ContextVar("reference_impl_request")


def current() -> RequestContext:
    return _current.get()


def bind(context: RequestContext) -> object:
    return _current.set(context)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
