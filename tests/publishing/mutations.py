"""Pairs of spec versions made by mutating copies of openapi/v2.yaml, one kind of change each.

Each case names the rule of ``publishing diff`` it exercises and whether the change breaks
clients. The same pairs feed the comparison with other breaking-change checkers
(``tests/publishing/compare_checkers.py``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Spec = dict[str, Any]

BODY_MEDIA = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


def resolve(spec: Spec, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def operation(spec: Spec, operation_id: str) -> dict[str, Any]:
    for item in spec["paths"].values():
        for candidate in item.values():
            if isinstance(candidate, dict) and candidate.get("operationId") == operation_id:
                return candidate
    raise KeyError(operation_id)


def path_of(spec: Spec, operation_id: str) -> tuple[str, str]:
    for path, item in spec["paths"].items():
        for method, candidate in item.items():
            if isinstance(candidate, dict) and candidate.get("operationId") == operation_id:
                return path, method
    raise KeyError(operation_id)


def body_schemas(spec: Spec, operation_id: str) -> list[dict[str, Any]]:
    """The request body schema of every media type (once each when they share a component)."""
    body = resolve(spec, operation(spec, operation_id)["requestBody"])
    schemas: list[dict[str, Any]] = []
    for media in body["content"].values():
        schema = resolve(spec, media["schema"])
        if all(schema is not seen for seen in schemas):
            schemas.append(schema)
    return schemas


def response_schema(spec: Spec, operation_id: str, status: str) -> dict[str, Any]:
    response = resolve(spec, operation(spec, operation_id)["responses"][status])
    return resolve(spec, response["content"]["application/json"]["schema"])


def user_schema(spec: Spec) -> dict[str, Any]:
    return resolve(spec, spec["components"]["schemas"]["User"])


def parameter(spec: Spec, operation_id: str, name: str) -> dict[str, Any]:
    for raw in operation(spec, operation_id).get("parameters", []):
        raw = resolve(spec, raw)
        if raw["name"] == name:
            return raw
    raise KeyError(name)


def inline_parameters(spec: Spec, operation_id: str) -> list[dict[str, Any]]:
    """The operation's parameter list with references expanded, so mutations stay local."""
    op = operation(spec, operation_id)
    op["parameters"] = [copy.deepcopy(resolve(spec, raw)) for raw in op.get("parameters", [])]
    return op["parameters"]


@dataclass(frozen=True)
class Case:
    name: str
    rule: str | None
    breaking: bool
    mutate: Callable[[Spec, Spec], None]

    def pair(self, base: Spec) -> tuple[Spec, Spec]:
        """(old, new): copies of ``base``; ``mutate`` edits them in place."""
        old, new = copy.deepcopy(base), copy.deepcopy(base)
        self.mutate(old, new)
        return old, new


CASES: list[Case] = []


def case(name: str, rule: str | None, breaking: bool) -> Callable[[Callable[[Spec, Spec], None]], None]:
    def register(mutate: Callable[[Spec, Spec], None]) -> None:
        CASES.append(Case(name, rule, breaking, mutate))

    return register


# --- operations --------------------------------------------------------------------------------


@case("operation removed", "operation-removed", True)
def _(old: Spec, new: Spec) -> None:
    path, method = path_of(new, "me")
    del new["paths"][path][method]
    if not any(k in new["paths"][path] for k in ("get", "post", "put", "patch", "delete")):
        del new["paths"][path]


@case("operation added", "operation-added", False)
def _(old: Spec, new: Spec) -> None:
    path, method = path_of(new, "me")
    added = copy.deepcopy(new["paths"][path][method])
    added["operationId"] = "meAgain"
    new["paths"]["/api/v2/user/me_again/"] = {"get": added}


@case("operation deprecated", "operation-deprecated", False)
def _(old: Spec, new: Spec) -> None:
    operation(new, "me")["deprecated"] = True


@case("description changed only", None, False)
def _(old: Spec, new: Spec) -> None:
    operation(new, "inviteUsersToEvent")["description"] = "Reworded."


# --- parameters --------------------------------------------------------------------------------


@case("query parameter removed", "parameter-removed", True)
def _(old: Spec, new: Spec) -> None:
    params = inline_parameters(new, "getEventInvitedUsers")
    params[:] = [p for p in params if p["name"] != "limit"]


@case("query parameter renamed", "parameter-renamed", True)
def _(old: Spec, new: Spec) -> None:
    for p in inline_parameters(new, "getEventInvitedUsers"):
        if p["name"] == "limit":
            p["name"] = "page_size"


@case("query parameter moved to a header", "parameter-moved", True)
def _(old: Spec, new: Spec) -> None:
    for p in inline_parameters(new, "getEventInvitedUsers"):
        if p["name"] == "limit":
            p["in"] = "header"


@case("required query parameter added", "parameter-added-required", True)
def _(old: Spec, new: Spec) -> None:
    inline_parameters(new, "getEventInvitedUsers").append(
        {"name": "ordering", "in": "query", "required": True, "schema": {"type": "string"}}
    )


@case("optional query parameter added", "parameter-added-optional", False)
def _(old: Spec, new: Spec) -> None:
    inline_parameters(new, "getEventInvitedUsers").append(
        {"name": "ordering", "in": "query", "required": False, "schema": {"type": "string"}}
    )


@case("query parameter became required", "parameter-became-required", True)
def _(old: Spec, new: Spec) -> None:
    for p in inline_parameters(new, "getEventInvitedUsers"):
        if p["name"] == "limit":
            p["required"] = True


@case("query parameter became optional", "parameter-became-optional", False)
def _(old: Spec, new: Spec) -> None:
    for p in inline_parameters(old, "getEventInvitedUsers"):
        if p["name"] == "limit":
            p["required"] = True


@case("query parameter type changed", "type-changed", True)
def _(old: Spec, new: Spec) -> None:
    for p in inline_parameters(new, "getEventInvitedUsers"):
        if p["name"] == "limit":
            p["schema"] = {"type": "string"}


@case("query parameter enum narrowed", "request-enum-narrowed", True)
def _(old: Spec, new: Spec) -> None:
    for spec, values in ((old, ["name", "date"]), (new, ["name"])):
        inline_parameters(spec, "getEventInvitedUsers").append(
            {"name": "ordering", "in": "query", "schema": {"type": "string", "enum": values}}
        )


@case("query parameter enum widened", "enum-compatible-change", False)
def _(old: Spec, new: Spec) -> None:
    for spec, values in ((old, ["name"]), (new, ["name", "date"])):
        inline_parameters(spec, "getEventInvitedUsers").append(
            {"name": "ordering", "in": "query", "schema": {"type": "string", "enum": values}}
        )


@case("query parameter maximum lowered", "request-constraint-tightened", True)
def _(old: Spec, new: Spec) -> None:
    for spec, maximum in ((old, 100), (new, 50)):
        for p in inline_parameters(spec, "getEventInvitedUsers"):
            if p["name"] == "limit":
                p["schema"] = {"type": "integer", "maximum": maximum}


@case("query parameter maximum raised", "constraint-compatible-change", False)
def _(old: Spec, new: Spec) -> None:
    for spec, maximum in ((old, 50), (new, 100)):
        for p in inline_parameters(spec, "getEventInvitedUsers"):
            if p["name"] == "limit":
                p["schema"] = {"type": "integer", "maximum": maximum}


# --- request bodies ----------------------------------------------------------------------------


@case("request property removed", "property-removed", True)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        del schema["properties"]["users"]
        schema.pop("required", None)


@case("request property renamed", "property-renamed", True)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        schema["properties"]["user_ids"] = schema["properties"].pop("users")
        schema["required"] = ["user_ids"]


@case("required request property added", "request-property-added-required", True)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        schema["properties"]["message"] = {"type": "string"}
        schema["required"] = [*schema.get("required", []), "message"]


@case("optional request property added", "property-added", False)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        schema["properties"]["message"] = {"type": "string"}


@case("request property became required", "request-property-became-required", True)
def _(old: Spec, new: Spec) -> None:
    for spec, required in ((old, False), (new, True)):
        for schema in body_schemas(spec, "inviteUsersToEvent"):
            schema["properties"]["message"] = {"type": "string"}
            if required:
                schema["required"] = [*schema.get("required", []), "message"]


@case("request property became optional", "required-relaxed", False)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        schema.pop("required", None)


@case("request item type narrowed (number → integer)", "request-type-narrowed", True)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(old, "inviteUsersToEvent"):
        schema["properties"]["users"]["items"] = {"type": "number"}


@case("request item type widened (integer → number)", "type-compatible-change", False)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        schema["properties"]["users"]["items"] = {"type": "number"}


@case("request item type changed (integer → string)", "type-changed", True)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        schema["properties"]["users"]["items"] = {"type": "string"}


@case("request format added", "format-changed", True)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        schema["properties"]["users"]["items"]["format"] = "int32"


@case("request format dropped", "format-relaxed", False)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(old, "inviteUsersToEvent"):
        schema["properties"]["users"]["items"]["format"] = "int32"


@case("request maxItems added", "request-constraint-tightened", True)
def _(old: Spec, new: Spec) -> None:
    for schema in body_schemas(new, "inviteUsersToEvent"):
        schema["properties"]["users"]["maxItems"] = 100


@case("request body became required", "request-body-became-required", True)
def _(old: Spec, new: Spec) -> None:
    resolve(old, operation(old, "inviteUsersToEvent")["requestBody"])["required"] = False


@case("request body became optional", "request-body-became-optional", False)
def _(old: Spec, new: Spec) -> None:
    resolve(new, operation(new, "inviteUsersToEvent")["requestBody"])["required"] = False


@case("request body removed", "request-body-removed", True)
def _(old: Spec, new: Spec) -> None:
    del operation(new, "inviteUsersToEvent")["requestBody"]


@case("request media type dropped", "request-media-type-removed", True)
def _(old: Spec, new: Spec) -> None:
    body = resolve(new, operation(new, "inviteUsersToEvent")["requestBody"])
    del body["content"]["multipart/form-data"]


@case("request media type added", "request-media-type-added", False)
def _(old: Spec, new: Spec) -> None:
    body = resolve(old, operation(old, "inviteUsersToEvent")["requestBody"])
    del body["content"]["multipart/form-data"]


# --- responses ---------------------------------------------------------------------------------


@case("success status changed (204 → 200)", "success-status-changed", True)
def _(old: Spec, new: Spec) -> None:
    responses = operation(new, "inviteUsersToEvent")["responses"]
    responses["200"] = responses.pop("204")


@case("error status removed", "response-status-removed", True)
def _(old: Spec, new: Spec) -> None:
    del operation(new, "getEventInfo")["responses"]["404"]


@case("error status added", "response-status-added", False)
def _(old: Spec, new: Spec) -> None:
    operation(new, "getEventInfo")["responses"]["429"] = {"description": "Too many requests"}


@case("response media type dropped", "response-media-type-removed", True)
def _(old: Spec, new: Spec) -> None:
    response = resolve(old, operation(old, "me")["responses"]["200"])
    response["content"]["application/xml"] = copy.deepcopy(response["content"]["application/json"])


@case("response media type added", "response-media-type-added", False)
def _(old: Spec, new: Spec) -> None:
    response = resolve(new, operation(new, "me")["responses"]["200"])
    response["content"]["application/xml"] = copy.deepcopy(response["content"]["application/json"])


@case("response property removed", "property-removed", True)
def _(old: Spec, new: Spec) -> None:
    del user_schema(new)["properties"]["username"]


@case("response property renamed", "property-renamed", True)
def _(old: Spec, new: Spec) -> None:
    properties = user_schema(new)["properties"]
    properties["login"] = properties.pop("username")


@case("response property added", "property-added", False)
def _(old: Spec, new: Spec) -> None:
    user_schema(new)["properties"]["nickname"] = {"type": "string"}


@case("response property became nullable", "response-type-widened", True)
def _(old: Spec, new: Spec) -> None:
    username = user_schema(new)["properties"]["username"]
    username.pop("$ref", None)
    username["nullable"] = True


@case("response property type narrowed", "type-compatible-change", False)
def _(old: Spec, new: Spec) -> None:
    user_schema(old)["properties"]["reputation"] = {"type": "number"}
    user_schema(new)["properties"]["reputation"] = {"type": "integer"}


@case("response property became optional", "response-property-became-optional", True)
def _(old: Spec, new: Spec) -> None:
    schema = user_schema(old)
    schema["required"] = [*schema.get("required", []), "username"]


@case("response property now always present", "required-relaxed", False)
def _(old: Spec, new: Spec) -> None:
    schema = user_schema(new)
    schema["required"] = [*schema.get("required", []), "username"]


@case("response enum value added", "response-enum-widened", True)
def _(old: Spec, new: Spec) -> None:
    status = response_schema(new, "getSubscriptionStatus", "200")["properties"]["status"]
    status["enum"] = [*status["enum"], "banned"]


@case("response enum value removed", "enum-compatible-change", False)
def _(old: Spec, new: Spec) -> None:
    status = response_schema(new, "getSubscriptionStatus", "200")["properties"]["status"]
    status["enum"] = [value for value in status["enum"] if value != "requested"]


@case("response format changed", "format-changed", True)
def _(old: Spec, new: Spec) -> None:
    user_schema(old)["properties"]["website"] = {"type": "string", "format": "uri"}
    user_schema(new)["properties"]["website"] = {"type": "string", "format": "hostname"}


@case("response maxLength raised", "response-constraint-relaxed", True)
def _(old: Spec, new: Spec) -> None:
    user_schema(old)["properties"]["username"] = {"type": "string", "maxLength": 150}
    user_schema(new)["properties"]["username"] = {"type": "string", "maxLength": 255}


# --- access ------------------------------------------------------------------------------------


@case("authentication added", "authentication-added", True)
def _(old: Spec, new: Spec) -> None:
    me = operation(old, "me")
    me["security"] = []
    me["x-access"] = {"authentication": "none", "roles": []}


@case("authentication relaxed", "authentication-relaxed", False)
def _(old: Spec, new: Spec) -> None:
    me = operation(new, "me")
    me["security"] = [{}, {"bearerAuth": []}]
    me["x-access"] = {"authentication": "optional", "roles": []}


@case("security scheme swapped", "security-scheme-changed", True)
def _(old: Spec, new: Spec) -> None:
    new["components"]["securitySchemes"]["apiKey"] = {"type": "apiKey", "in": "header", "name": "X-Key"}
    operation(new, "me")["security"] = [{"apiKey": []}]


@case("role added", "roles-added", True)
def _(old: Spec, new: Spec) -> None:
    access = {"authentication": "required", "roles": ["event_manager"]}
    operation(new, "getSubscriptionStatus")["x-access"] = access


@case("role removed", "roles-removed", False)
def _(old: Spec, new: Spec) -> None:
    operation(new, "inviteUsersToEvent")["x-access"] = {"authentication": "required", "roles": []}


@case("roles narrowed (admin or editor → admin)", "roles-added", True)
def _(old: Spec, new: Spec) -> None:
    operation(old, "inviteUsersToEvent")["x-access"]["roles"] = ["admin", "editor"]
    operation(new, "inviteUsersToEvent")["x-access"]["roles"] = ["admin"]


@case("roles widened (admin → admin or editor)", "roles-removed", False)
def _(old: Spec, new: Spec) -> None:
    operation(old, "inviteUsersToEvent")["x-access"]["roles"] = ["admin"]
    operation(new, "inviteUsersToEvent")["x-access"]["roles"] = ["admin", "editor"]


PRIVATE = {"resource": {"privacy": ["private"]}}


@case("access rule added (private events need a subscription)", "access-rule-stricter", True)
def _(old: Spec, new: Spec) -> None:
    access = operation(new, "getEventInfo")["x-access"]
    access["rules"] = [{"when": PRIVATE, "authentication": "required", "roles": ["event_subscriber"]}]


@case("access rule tightened (subscriber → manager)", "access-rule-stricter", True)
def _(old: Spec, new: Spec) -> None:
    for spec, role in ((old, "event_subscriber"), (new, "event_manager")):
        rule = {"when": PRIVATE, "authentication": "required", "roles": [role]}
        operation(spec, "getEventInfo")["x-access"]["rules"] = [rule]


@case("access rule removed", "access-rule-relaxed", False)
def _(old: Spec, new: Spec) -> None:
    rule = {"when": PRIVATE, "authentication": "required", "roles": ["event_subscriber"]}
    operation(old, "getEventInfo")["x-access"]["rules"] = [rule]
    operation(new, "getEventInfo")["x-access"].pop("rules", None)


@case("access rule loosened (subscriber → anyone authenticated)", "access-rule-relaxed", False)
def _(old: Spec, new: Spec) -> None:
    for spec, roles in ((old, ["event_subscriber"]), (new, [])):
        rule = {"when": PRIVATE, "authentication": "required", "roles": roles}
        operation(spec, "getEventInfo")["x-access"]["rules"] = [rule]


@case("community option now needed", "options-added", True)
def _(old: Spec, new: Spec) -> None:
    operation(new, "me")["x-access"]["options"] = {"friendship_mode": True}


def cases() -> Iterator[Case]:
    yield from CASES
