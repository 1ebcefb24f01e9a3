"""One OpenAPI operation or component schema → the Markdown page ``specgen build`` reads it from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openapi.access import OperationAccess
from openapi.document import Operation, Spec
from publishing.callers import access_of
from publishing.docsite.examples import examples_for
from publishing.markdown_out.names import DOCS_PREFIX, schema_link, schema_links, snake_case, source_of
from publishing.markdown_out.notation import (
    Enums,
    Lossy,
    Schema,
    is_inline_object,
    notation,
    shared_enums,
    split_extras,
)
from publishing.markdown_out.rfc import meaning
from publishing.markdown_out.rows import PropertyRow, description_cell, property_rows
from publishing.markdown_out.tables import cell, table
from specgen.access import Terms, read_access, resource_of, terms_for
from specgen.operations import automatic_errors
from specgen.schemas import camel_case


def plain_marks(depth: int) -> str:
    """Parameters and Properties tables: top-level names bare, nested ones ``»» name``."""
    return "" if depth == 1 else "»" * depth + " "


def response_marks(depth: int) -> str:
    """Response Schema tables: every name marked, ``» count``."""
    return "»" * depth + " "


@dataclass
class Written:
    text: str
    problems: list[str] = field(default_factory=list)


def operation_rel(operation: Mapping[str, Any]) -> str:
    """``event/invite_users_to_event.md``: ``x-source``, else tag as folder and operationId as stem."""
    folder = (operation.get("tags") or ["default"])[0]
    return source_of(operation) or f"{folder}/{snake_case(str(operation['operationId']))}.md"


def page_link(operation: Mapping[str, Any]) -> str:
    return f"{DOCS_PREFIX}/{operation_rel(operation).removesuffix('.md')}"


def front_matter(title: str, position: int, operation_id: str = "") -> str:
    """The page's front matter; `operation_id` only when the file stem does not give it (specgen.build)."""
    declared = f"operation_id: {operation_id}\n" if operation_id else ""
    return f"---\nsidebar_label: {title}\nsidebar_position: {position}\ntitle: {title}\n{declared}---\n"


def declared_operation_id(operation: Mapping[str, Any]) -> str:
    """The operationId when the page's file stem would not give it back, else ""."""
    name = str(operation.get("operationId") or "")
    stem = operation_rel(operation).rsplit("/", 1)[-1].removesuffix(".md")
    return "" if camel_case(stem) == name else name


def split_access(
    description: str, access: Mapping[str, Any], resource: str = "event", terms: Terms | None = None
) -> tuple[str, str]:
    """(intro, admonition): the shortest run of trailing paragraphs that reads as the operation's access;
    `terms` are what the generator read the page's words with (`specgen.access.terms_for`)."""
    paragraphs = description.split("\n\n") if description else []
    for count in range(1, len(paragraphs) + 1):
        tail = paragraphs[-count:]
        found = read_access(["\n\n".join(tail)], resource, terms=terms)
        said = found.authentication is not None or found.results or found.options or found.public
        if said and found.access().as_x_access() == dict(access):
            return "\n\n".join(paragraphs[:-count]), "\n\n".join(tail)
    return description, ""


def enum_table(enums: Enums) -> str:
    rows = [(name, "null" if value is None else str(value)) for name, value in enums.rows]
    return "#### Enumerated Values\n\n" + table(("Property", "Value"), rows) + "\n"


def property_table(rows: list[PropertyRow], marks: Callable[[int], str]) -> str:
    return table(
        ("Name", "Type", "Required", "Restrictions", "Description"),
        [
            (marks(r.depth) + r.name, cell(r.type), str(r.required).lower(), r.restrictions, r.description)
            for r in rows
        ],
    )


def error_meanings(document: Spec) -> dict[str, str]:
    """The errors page's meaning per status, as seen in the error responses the build added."""
    counts: dict[str, dict[str, int]] = {}
    for path, method, operation in operations(document.raw):
        for status in automatic_errors(path, operation, access_of(document, method, path, operation)):
            response = (operation.get("responses") or {}).get(status)
            if response and set(response) == {"description"}:
                seen = counts.setdefault(status, {})
                seen[response["description"]] = seen.get(response["description"], 0) + 1
    return {status: max(seen, key=lambda d: seen[d]) for status, seen in counts.items()}


def operations(spec: Mapping[str, Any]) -> list[tuple[str, str, Mapping[str, Any]]]:
    methods = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    return [
        (path, method, item[method])
        for path, item in (spec.get("paths") or {}).items()
        for method in methods
        if isinstance(item.get(method), Mapping)
    ]


def _parameter_rows(operation: Mapping[str, Any], enums: Enums, problems: list[str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for parameter in operation.get("parameters") or []:
        name = str(parameter["name"])
        schema = dict(parameter.get("schema") or {})
        rows.append(
            (
                name,
                str(parameter["in"]),
                cell(notation(schema, name, enums)),
                str(bool(parameter.get("required"))).lower(),
                description_cell(parameter, name),
            )
        )
    body = operation.get("requestBody")
    if not body:
        return rows
    schema = next(iter(body["content"].values()))["schema"]
    core, extras = split_extras(schema)
    if is_inline_object(core) and core.get("properties") and "body" not in core["properties"] and not extras:
        for row in property_rows(core, enums):
            rows.append(
                (
                    plain_marks(row.depth) + row.name,
                    "body",
                    cell(row.type),
                    str(row.required).lower(),
                    row.description,
                )
            )
    else:
        body_extras = {**extras, "description": body["description"]} if body.get("description") else extras
        rows.append(
            (
                "body",
                "body",
                cell(notation(core, "body", enums)),
                str(bool(body.get("required"))).lower(),
                description_cell(body_extras, "body"),
            )
        )
        if extras.keys() - {"description"}:
            problems.append("the request body schema has read-only/write-only flags the table cannot carry")
    return rows


def _examples(
    spec: Mapping[str, Any], path: str, method: str, operation: Mapping[str, Any], access: OperationAccess
) -> str:
    examples = examples_for(spec, path, method, operation, access)
    javascript = next(e.code for e in examples if e.language == "js")
    bash = next(e.code for e in examples if e.language == "bash")
    return (
        "````mdx-code-block\n"
        "import Tabs from '@theme/Tabs';\n"
        "import TabItem from '@theme/TabItem';\n\n"
        "<Tabs defaultValue=\"js\" values={[{ label: 'JavaScript', value: 'js', }, "
        "{ label: 'Bash', value: 'bash', }]}>\n"
        '<TabItem value="js">\n\n'
        f"```js\n{javascript}\n```\n\n"
        "</TabItem>\n"
        '<TabItem value="bash">\n\n'
        f"```bash\n{bash}\n```\n"
        "</TabItem>\n"
        "</Tabs>\n"
        "````\n"
    )


def operation_page(
    document: Spec,
    path: str,
    method: str,
    operation: Mapping[str, Any],
    meanings: Mapping[str, str],
    position: int,
) -> Written:
    spec, access = document.raw, access_of(document, method, path, operation)
    problems: list[str] = []
    schemas = components(spec)
    enums = Enums(page=page_link(operation), shared=shared_enums(schemas), links=schema_links(schemas))
    title = str(operation.get("summary") or operation.get("operationId"))
    folder = str((operation.get("tags") or [""])[0])
    spoken = Operation(str(operation.get("operationId") or ""), method.upper(), path, operation, document)
    names = [str(parameter.get("name")) for parameter in spoken.parameters] + sorted(spoken.body_fields)
    intro, admonition = split_access(
        str(operation.get("description") or ""),
        operation.get("x-access") or {},
        resource_of(path, folder),
        terms_for(path, folder, schemas, names),
    )
    parts = [front_matter(title, position, declared_operation_id(operation))]
    if intro:
        parts.append(intro + "\n")
    if admonition:
        parts.append(f":::info\n\n{admonition}\n\n:::\n")
    parts.append(f"## HTTP Request\n\n`{method.upper()} {path}`\n")
    parameter_rows = _parameter_rows(operation, enums, problems)
    if parameter_rows:
        parts.append(
            "### Parameters\n\n"
            + table(("Name", "In", "Type", "Required", "Description"), parameter_rows)
            + "\n"
        )
    parts.append("### Example Request\n\n" + _examples(spec, path, method, operation, access))
    responses = operation.get("responses") or {}
    automatic = set(automatic_errors(path, operation, access))
    response_rows, schema_sections = [], []
    undocumented = set(responses) - set(automatic) == {"default"} and responses["default"] == {
        "description": "Undocumented response"
    }
    for status, response in responses.items():
        if status in automatic and response == {"description": meanings.get(status)}:
            continue
        if undocumented and status == "default":
            continue
        schema = ((response.get("content") or {}).get("application/json") or {}).get("schema")
        if schema is None:
            word = "None"
        elif is_inline_object(schema) and schema.get("properties"):
            word = "Inline"
            rows = property_rows(schema, enums)
            schema_sections.append(
                f"Status Code **{status}**\n\n" + property_table(rows, response_marks) + "\n"
            )
        else:
            word = cell(notation(schema, f"response {status}", enums))
        description = str(response.get("description", ""))
        if "\n" in description:
            raise Lossy(f"response {status}: a description on several lines does not fit a table cell")
        response_rows.append((status, meaning(status), cell(description), word))
    if response_rows:
        parts.append(
            "## Responses\n\n" + table(("Status", "Meaning", "Description", "Schema"), response_rows) + "\n"
        )
    if schema_sections:
        parts.append("### Response Schema\n\n" + "\n".join(schema_sections))
    if enums.rows:
        parts.append(enum_table(enums))
    problems += [f"property `{name}` has different enumerations in one page" for name in enums.conflicts]
    return Written("\n".join(parts), problems)


def components(spec: Mapping[str, Any]) -> Mapping[str, Schema]:
    return (spec.get("components") or {}).get("schemas") or {}


def schema_page(
    name: str, schema: Schema, position: int, shared: Mapping[Any, tuple[str, str]], links: Mapping[str, str]
) -> Written:
    # A schema's own enums are listed on its own page, even when another schema has the same values
    # (Event and Group both have privacy public/private).
    own = shared_enums({name: schema})
    enums = Enums(page=schema_link(name, links), shared={**shared, **own}, links=links)
    title = str(schema.get("title") or name)
    body = {k: v for k, v in schema.items() if k not in ("title", "description", "x-source")}
    parts = [front_matter(title, position)]
    if schema.get("description"):
        parts.append(str(schema["description"]) + "\n")
    problems: list[str] = []
    if not is_inline_object(body):
        problems.append(f"schema {name} is not a plain object: {sorted(body)}")
    rows = property_rows(body, enums)
    if rows:
        parts.append("#### Properties\n\n" + property_table(rows, plain_marks) + "\n")
    elif body.get("properties") == {}:
        parts.append("```json\n{}\n```\n")
    if enums.rows:
        parts.append(enum_table(enums))
    problems += [f"property `{prop}` has different enumerations in one page" for prop in enums.conflicts]
    return Written("\n".join(parts), problems)
