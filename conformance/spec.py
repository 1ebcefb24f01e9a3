"""openapi/v2.yaml as the suite needs it: operations by operationId, their paths, methods and access rules.

The suite never hard-codes a path or an access rule: it asks this module, which asks the spec.
The spec shipped with the package is a symlink to the repository's openapi/v2.yaml (one source;
setuptools copies its content into wheels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def default_spec_path() -> Path:
    return Path(str(resources.files("conformance").joinpath("openapi_v2.yaml")))


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    raw: dict[str, Any] = field(repr=False, compare=False)
    spec_security: list[dict[str, Any]] | None = field(repr=False, compare=False, default=None)

    @property
    def security(self) -> list[dict[str, Any]]:
        declared = self.raw.get("security", self.spec_security)
        return list(declared or [])

    @property
    def requires_auth(self) -> bool:
        """Security lists alternatives; `{}` among them means anonymous access is allowed."""
        return bool(self.security) and all(requirement for requirement in self.security)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple((self.raw.get("x-access") or {}).get("roles") or ())

    @property
    def manager_only(self) -> bool:
        return "manager" in self.roles

    @property
    def takes_event_id(self) -> bool:
        return "{id}" in self.path

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.raw

    @property
    def documented_statuses(self) -> set[str]:
        return {str(status) for status in self.raw.get("responses", {})}

    @property
    def paginated(self) -> bool:
        return any(parameter.get("name") == "limit" for parameter in self.raw.get("parameters", []))

    def url(self, event_id: object = None) -> str:
        """The path with `{id}` bound; ids are inserted verbatim so non-numeric ones can be sent too."""
        if self.takes_event_id:
            if event_id is None:
                raise ValueError(f"{self.operation_id} needs an event id")
            return self.path.replace("{id}", str(event_id))
        return self.path

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


class Spec:
    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open(encoding="utf-8") as stream:
            self.raw: dict[str, Any] = yaml.safe_load(stream)

    @cached_property
    def operations(self) -> dict[str, Operation]:
        found: dict[str, Operation] = {}
        for path, item in self.raw.get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in item and "operationId" in item[method]:
                    operation_id = item[method]["operationId"]
                    found[operation_id] = Operation(
                        operation_id, method.upper(), path, item[method], self.raw.get("security")
                    )
        return found

    def __getitem__(self, operation_id: str) -> Operation:
        try:
            return self.operations[operation_id]
        except KeyError:
            raise KeyError(f"operationId {operation_id!r} is not in {self.path}") from None

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Follow local `$ref`s until a concrete schema."""
        while "$ref" in schema:
            node: Any = self.raw
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def request_schema(self, operation_id: str, media_type: str = "application/json") -> dict[str, Any]:
        body = self[operation_id].raw.get("requestBody", {})
        return self.resolve(body.get("content", {}).get(media_type, {}).get("schema", {}))

    def request_media_types(self, operation_id: str) -> list[str]:
        return list(self[operation_id].raw.get("requestBody", {}).get("content", {}))

    def schema_properties(self, name: str) -> set[str]:
        schema = self.resolve({"$ref": f"#/components/schemas/{name}"})
        return set(schema.get("properties", {}))
