"""What the rules compare (a flattened view of an OpenAPI document) and what they report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from openapi.access import AccessRule

Direction = Literal["request", "response"]


@dataclass(frozen=True)
class ComparedField:
    """One node of a schema as a client meets it at one place of a parameter or body."""

    types: frozenset[str]
    format: str | None = None
    enum: frozenset[Any] | None = None
    required: bool = True
    constraints: tuple[tuple[str, Any], ...] = ()
    origin: str | None = field(default=None, compare=False)  # e.g. "User.id": where it is defined


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    fields: dict[str, ComparedField]


@dataclass(frozen=True)
class Response:
    media_types: frozenset[str]
    fields: dict[str, ComparedField]


@dataclass
class ComparedOperation:
    """Everything about one operation that a client can depend on."""

    method: str
    path: str
    operation_id: str | None
    deprecated: bool
    parameters: dict[tuple[str, str], Parameter]
    request_body: bool
    request_required: bool
    request_media_types: frozenset[str]
    request_fields: dict[str, ComparedField]
    responses: dict[str, Response]
    authentication: str  # of the default clause of x-access
    roles: frozenset[str]  # of the default clause: any one is enough
    security: frozenset[frozenset[str]] = field(default_factory=frozenset)
    rules: tuple[AccessRule, ...] = ()  # the conditional clauses of x-access
    options: frozenset[tuple[str, Any]] = frozenset()  # community options the operation needs

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def label(self) -> str:
        return f"{self.key} ({self.operation_id})" if self.operation_id else self.key


@dataclass(frozen=True)
class Change:
    """One difference between two versions, with what it does to existing clients."""

    rule: str
    breaking: bool
    operation: str | None
    location: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "breaking": self.breaking,
            "operation": self.operation,
            "location": self.location,
            "message": self.message,
        }
