"""One endpoint page -> one OpenAPI operation (parameters, request body, responses, access)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from openapi.access import OPTIONAL, REQUIRED, OperationAccess
from specgen.access import AccessReading, read_access, sentences, terms_for
from specgen.joining import read_join
from specgen.pages import SourcePage, Table
from specgen.schemas import (
    Enums,
    FieldRow,
    Registry,
    enums_in,
    fields_of,
    object_schema,
    property_schema,
    with_enum,
)
from specgen.types import LinkResolver, Schema, from_example, schema_for

MEDIA_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
LOCATIONS = {
    "path": "path",
    "query": "query",
    "header": "header",
    "cookie": "cookie",
    "body": "body",
    "body/formdata": "body",
    "formdata": "body",
    "form": "body",
    "form-data": "body",
}
METHODS_WITHOUT_BODY = ("GET", "HEAD")


def security_of(access: OperationAccess) -> list[dict[str, list[str]]]:
    """`security` follows from `x-access` (docs/access-language.md): required, optional, or never."""
    level = access.security_level
    if level == REQUIRED:
        return [{"bearerAuth": []}]
    if level == OPTIONAL:
        return [{"bearerAuth": []}, {}]
    return []


PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def is_parameters_table(table: Table) -> bool:
    return all(table.column(name) is not None for name in ("name", "in", "type"))


def is_response_schema_table(table: Table) -> bool:
    return (
        table.column("name") is not None
        and table.column("type") is not None
        and table.column("in") is None
        and "response" in table.section.lower()
    )


def is_responses_table(table: Table) -> bool:
    return table.column("status") is not None and table.column("meaning", "description") is not None


def build_operation(
    page: SourcePage,
    registry: Registry,
    error_meanings: dict[str, str],
    schemas: Mapping[str, Schema] | None = None,
) -> Schema:
    """The operation of an endpoint page; `schemas` (the component schemas) tell the access prose which
    attributes the resources of its path have."""
    assert page.request is not None
    method, path = page.request.method, page.request.path
    resolve = registry.resolver(page)
    enums = enums_in(page.tables)
    parameters, body_fields = _parameters(page, registry, enums)
    names = [str(parameter["name"]) for parameter in parameters] + [field.name for field in body_fields]
    terms = terms_for(path, page.folder, schemas, names)
    reading = read_access([block.text for block in page.admonitions], terms=terms)
    _report_access(page, reading)
    access = reading.access(OPTIONAL)

    operation: Schema = {
        "tags": [page.folder or "default"],
        "summary": page.title,
    }
    description = "\n\n".join([*page.intro, *(block.text for block in page.admonitions)]).strip()
    if description:
        operation["description"] = description
    operation["security"] = security_of(access)
    operation["x-access"] = access.as_x_access()
    joining = read_join(page.intro, terms)
    for sentence in joining.unparsed:
        page.report(_intro_line(page), "join-unparsed", f"not understood: {sentence!r}")
    if joining.joining is not None:
        operation["x-join"] = joining.joining.as_x_join()
    if parameters:
        operation["parameters"] = parameters
    if body_fields and method in METHODS_WITHOUT_BODY:
        for field in body_fields:
            page.report(
                field.line, "body-on-get", f"body parameter `{field.name}` on {method}: not sent, dropped"
            )
        body_fields = []
    if body_fields:
        schema, required, body_description = _body_schema(body_fields, resolve, enums, page)
        request_body: Schema = {"description": body_description} if body_description else {}
        request_body["required"] = required
        request_body["content"] = {media: {"schema": copy.deepcopy(schema)} for media in MEDIA_TYPES}
        operation["requestBody"] = request_body
    responses = _responses(page, registry)
    for status in automatic_errors(path, operation, access):
        responses.setdefault(status, {"description": error_meanings.get(status) or _phrase(status)})
    operation["responses"] = {status: responses[status] for status in sorted(responses)}
    return operation


def _body_schema(
    fields: list[FieldRow], resolve: LinkResolver, enums: Enums, page: SourcePage
) -> tuple[Schema, bool, str]:
    """(schema, required, description) of the request body.

    One row named `body` stands for the whole body: its description goes to the requestBody, since
    OpenAPI 3.0 ignores siblings of a `$ref`. Other rows are the body's fields.
    """
    if len(fields) == 1 and fields[0].name.lower() == "body":
        field = fields[0]
        whole = property_schema(
            FieldRow(field.line, 1, field.name, field.type, False, False, False, ""),
            resolve,
            enums,
            page.report,
        )
        return whole, field.required, field.description
    schema = object_schema(fields, resolve, enums, page.report)
    return schema, bool(schema.get("required")), ""


def _intro_line(page: SourcePage) -> int:
    """The line of the page's first prose block (its introduction starts there)."""
    first = page.intro[0].splitlines()[0].strip() if page.intro else ""
    lines = page.file.read_text(encoding="utf-8").splitlines() if first and page.file.is_file() else []
    return next((number for number, line in enumerate(lines, 1) if line.strip() == first), 1)


def _report_access(page: SourcePage, reading: AccessReading) -> None:
    line = page.admonitions[0].line if page.admonitions else 1
    for sentence in reading.unparsed:
        where = next((block.line for block in page.admonitions if sentence in sentences(block.text)), line)
        page.report(where, "access-unparsed", f"not fully understood: {sentence!r}")
    if reading.authentication is None and not reading.results and not reading.options:
        page.report(
            line, "access-missing", "no access prose (e.g. `This operation requires authentication.`)"
        )


def _parameters(
    page: SourcePage, registry: Registry, enums: dict[str, list[object]]
) -> tuple[list[Schema], list[FieldRow]]:
    assert page.request is not None
    resolve = registry.resolver(page)
    template = PATH_TEMPLATE.findall(page.request.path)
    for name in template:
        if not re.fullmatch(r"[A-Za-z_][\w.-]*", name):
            page.report(page.request.line, "path-template-invalid", f"`{{{name}}}` is not a parameter name")
    if "{}" in page.request.path:
        page.report(page.request.line, "path-template-invalid", "`{}` names no parameter")
    table = next((t for t in page.tables if is_parameters_table(t)), None)
    parameters: list[Schema] = []
    body: list[FieldRow] = []
    seen: set[tuple[str, str]] = set()
    if table is not None:
        location_column = table.column("in")
        fields = fields_of(table)
        rows = {row.line: row for row in table.rows}
        for field in fields:
            written = rows[field.line].get(location_column).text.strip().lower()
            location = LOCATIONS.get(written)
            if location is None:
                page.report(
                    field.line,
                    "param-location-invalid",
                    f"`{field.name}`: In is {written!r}, expected path, query, header, cookie or body",
                )
                continue
            if location == "body":
                body.append(field)
                continue
            if (field.name, location) in seen:
                page.report(field.line, "duplicate-row", f"`{field.name}` ({location}) is documented twice")
                continue
            if location == "path" and field.name not in template:
                page.report(
                    field.line,
                    "path-param-unused",
                    f"`{field.name}` is a path parameter but {page.request.path} has no {{{field.name}}}",
                )
                continue
            seen.add((field.name, location))
            parameters.append(_parameter(field, location, resolve, enums, page))
    for name in template:
        if (name, "path") not in seen:
            line = table.line if table is not None else page.request.line
            page.report(
                line,
                "path-param-missing",
                f"{{{name}}} of {page.request.path} is not in the Parameters table",
            )
            parameters.append({"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
    for name in page.request.query:
        if (name, "query") not in seen:
            seen.add((name, "query"))
            parameters.append({"name": name, "in": "query", "required": True, "schema": {"type": "string"}})
    order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
    parameters.sort(key=lambda p: (order[p["in"]], template.index(p["name"]) if p["in"] == "path" else 0))
    return parameters, body


def _parameter(
    field: FieldRow, location: str, resolve: LinkResolver, enums: Enums, page: SourcePage
) -> Schema:
    schema = property_schema(
        FieldRow(field.line, 1, field.name, field.type, False, False, False, ""), resolve, enums, page.report
    )
    parameter: Schema = {"name": field.name, "in": location}
    if field.description and field.description.lower() != "none":
        parameter["description"] = field.description
    parameter["required"] = True if location == "path" else field.required
    parameter["schema"] = schema
    return parameter


def _responses(page: SourcePage, registry: Registry) -> dict[str, Schema]:
    """The Responses tables' statuses. A page may give a status one table per variant (`### view = edit`,
    each with its own table): the answer is any one of their schemas (`anyOf`), the first description."""
    tables = [t for t in page.tables if is_responses_table(t)]
    if not tables:
        page.report(page.heading_line("Responses"), "responses-missing", "no Responses table")
        return {"default": {"description": "Undocumented response"}}
    responses: dict[str, Schema] = {}
    for table in tables:
        for status, response in _response_rows(page, registry, table).items():
            if status not in responses:
                responses[status] = response
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                _add_variant(responses[status], schema)
    if not responses:
        responses["default"] = {"description": "Undocumented response"}
    return responses


def _add_variant(response: Schema, schema: Schema) -> None:
    """`schema` as one more answer `response` may carry (its schema becomes or grows an `anyOf`)."""
    content = response.get("content", {}).get("application/json")
    if content is None:
        response["content"] = {"application/json": {"schema": schema}}
        return
    first = content["schema"]
    variants = list(first["anyOf"]) if set(first) == {"anyOf"} else [first]
    if schema not in variants:
        content["schema"] = {"anyOf": [*variants, schema]}


def _response_rows(page: SourcePage, registry: Registry, table: Table) -> dict[str, Schema]:
    resolve = registry.resolver(page)
    status_column = table.column("status")
    meaning_column = table.column("meaning")
    description_column = table.column("description")
    schema_column = table.column("schema", "value/schema")
    inline_statuses = [
        row.get(status_column).text.strip()
        for row in table.rows
        if row.get(schema_column).text.strip().lower() == "inline"
    ]
    inline = _inline_schemas(page, registry, inline_statuses[0] if inline_statuses else "200")
    responses: dict[str, Schema] = {}
    for row in table.rows:
        status = row.get(status_column).text.strip()
        if not re.fullmatch(r"[1-5]\d\d|default", status):
            page.report(row.line, "status-invalid", f"status {status!r} is not a 3-digit HTTP status")
            continue
        if status in responses:
            page.report(row.line, "duplicate-row", f"status {status} is documented twice")
            continue
        description = row.get(description_column).source.strip() or row.get(meaning_column).text.strip()
        response: Schema = {"description": description or _phrase(status)}
        cell = row.get(schema_column)
        word = cell.text.strip().lower()
        schema: Schema | None
        if word in ("", "none", "-", "--", "empty"):
            schema = inline.get(status)
        elif word == "inline":
            schema = inline.get(status)
            if schema is None:
                schema = _example_schema(page, status)
                how = "inferred from its JSON example" if schema else "left open"
                message = f"status {status} says Inline: no Response Schema table ({how})"
                page.report(row.line, "response-schema-missing", message)
        else:
            schema, problems = schema_for(cell, f"response {status}", resolve)
            for problem in problems:
                page.report(row.line, problem.rule, problem.message)
        if schema is not None:
            response["content"] = {"application/json": {"schema": schema}}
        responses[status] = response
    return responses


def _example_schema(page: SourcePage, status: str) -> Schema:
    """The schema of the JSON example for `status` under an Example responses heading, or `{}`."""
    enums = enums_in(page.tables)
    for block in page.code_blocks:
        if block.lang == "json" and "response" in block.section.lower() and block.tab in (status, ""):
            try:
                schema = from_example(json.loads(block.content))
            except ValueError:
                continue
            for name, value in schema.get("properties", {}).items():
                if name in enums:
                    schema["properties"][name] = with_enum(value, enums[name])
            return schema
    return {}


def _inline_schemas(page: SourcePage, registry: Registry, default_status: str) -> dict[str, Schema]:
    """Response Schema tables by status ("Status Code **200**" above each, else the first Inline status)."""
    resolve = registry.resolver(page)
    enums = enums_in(page.tables)
    schemas: dict[str, Schema] = {}
    for table in page.tables:
        if not is_response_schema_table(table):
            continue
        match = re.search(r"\b([1-5]\d\d)\b", table.caption)
        status = match.group(1) if match else default_status
        if status in schemas:
            continue
        fields = fields_of(table)
        root = [field for field in fields if field.name.lower() in ("anonymous", "(root)", "root")]
        if root and len(fields) == 1:
            schemas[status] = property_schema(root[0], resolve, enums, page.report)
            continue
        schemas[status] = object_schema(fields, resolve, enums, page.report)
    return schemas


def _phrase(status: str) -> str:
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return "Response"


def automatic_errors(path: str, operation: Mapping[str, Any], access: OperationAccess) -> list[str]:
    """The errors page's statuses that apply to a built operation, whose access is `access`.

    400 where a body or a query parameter can be malformed, 401 where some clause of `x-access` may
    require authentication, 403 where some clause names roles or refuses everyone, 404 where the path has
    a parameter.
    `publishing markdown` leaves these out of the pages it writes, since `build` adds them again.
    """
    query = any(parameter.get("in") == "query" for parameter in operation.get("parameters") or [])
    wanted = []
    if operation.get("requestBody") or query:
        wanted.append("400")
    if access.may_require_authentication:
        wanted.append("401")
    if any(clause.restricts for clause in access.clauses):
        wanted.append("403")
    if PATH_TEMPLATE.search(path):
        wanted.append("404")
    return wanted


def error_meanings(pages: list[SourcePage]) -> dict[str, str]:
    """Status -> meaning, from the errors page (the table with an `Error Code` column)."""
    for page in pages:
        for table in page.tables:
            code, meaning = table.column("error code"), table.column("meaning", "description")
            if code is not None and meaning is not None:
                return {row.get(code).text.strip(): row.get(meaning).text.strip() for row in table.rows}
    return {}
