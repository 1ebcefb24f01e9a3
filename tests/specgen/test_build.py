"""The document `build` assembles from small crafted docs trees."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from specgen.build import build
from specgen.cli import main
from specgen.types import Schema
from specgen.yamlio import FastDumper, PythonDumper, dump
from tests.specgen.conftest import WriteDocs
from tests.specgen.pagekit import endpoint

NESTED_BODY = """\
| id | path | integer | true | Post id |
| » text | body | string | false | Text |
| » location | body | object¦null | false | Location |
| »» lat | body | number¦null | true | Latitude |
| » poll | body | object¦null | false | Poll |
| »» choices | body | list(object) | true | Choices |
| »»» choice | body | string | true | Choice title |"""

RESPONSE_SCHEMA = """
### Response Schema

Status Code **200**

| Name | Type | Required | Restrictions | Description |
|------|------|----------|--------------|-------------|
| » count | integer | false | none | Total |
| » next | string(uri)¦null | false | none | Next page |
| » results | list([Thing](/docs/apireference/v2/schemas/thing)) | false | none | Results |
"""


def operation(docs: Path, path: str, method: str) -> Schema:
    found: Schema = build(docs).document["paths"][path][method]
    return found


def test_seed_like_page(write_docs: WriteDocs) -> None:
    docs = write_docs(
        {
            "event/invite_users_to_event.md": endpoint(
                method="POST",
                path="/api/v2/event/{id}/invite/",
                rows="| id | path | integer | true | Event id |\n"
                "| users | body | list(integer) | true | Users |",
                access="This operation requires authentication"
                " and that the user is the manager of the event.",
                responses="| 204 | [No Content](https://tools.ietf.org/html/rfc7231#section-6.3.5) |"
                " Response status code | None |",
                title="Invite Users Or Accept Users",
            ),
            "event/_category_.json": json.dumps({"label": "Event"}),
            "_category_.json": json.dumps({"label": "API Reference (version 2)"}),
            "errors/errors.md": "| Error Code | Meaning |\n|---|---|\n| 401 | Unauthorized (errors page) |\n",
        }
    )
    document = build(docs).document
    op = document["paths"]["/api/v2/event/{id}/invite/"]["post"]
    assert op["operationId"] == "inviteUsersToEvent"
    assert op["summary"] == "Invite Users Or Accept Users"
    assert op["tags"] == ["event"]
    assert op["security"] == [{"bearerAuth": []}]
    assert op["x-access"] == {"authentication": "required", "roles": ["event_manager"]}
    assert "manager of the event" in op["description"]
    assert op["parameters"] == [
        {
            "name": "id",
            "in": "path",
            "description": "Event id",
            "required": True,
            "schema": {"type": "integer"},
        }
    ]
    body = {
        "type": "object",
        "properties": {"users": {"type": "array", "items": {"type": "integer"}, "description": "Users"}},
        "required": ["users"],
    }
    assert op["requestBody"] == {
        "required": True,
        "content": {
            media: {"schema": body}
            for media in ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
        },
    }
    assert list(op["responses"]) == ["204", "400", "401", "403", "404"]
    assert op["responses"]["204"] == {"description": "Response status code"}
    assert op["responses"]["401"] == {"description": "Unauthorized (errors page)"}
    assert op["responses"]["403"] == {"description": "Forbidden"}
    assert document["openapi"] == "3.0.3"
    assert document["info"]["title"] == "API Reference (version 2)"
    assert document["info"]["version"] == "2"
    assert document["tags"] == [{"name": "event", "description": "Event"}]
    assert document["components"]["securitySchemes"] == {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }


def test_error_responses_follow_access_path_body_and_query(write_docs: WriteDocs) -> None:
    docs = write_docs(
        {
            "thing/list_things.md": endpoint(
                path="/api/v2/thing/",
                rows="| limit | query | integer | false | L |",
                access="This operation does not require authentication.",
            ),
            "thing/optional.md": endpoint(
                access="This operation requires authentication only if X is false."
            ),
            "thing/conditional.md": endpoint(
                path="/api/v2/thing/{id}/members/",
                access="This operation does not require authentication if the thing is **public**.\n\n"
                "This operation requires being a member of the thing if the thing is **private**.",
            ),
        }
    )
    document = build(docs).document
    listed = document["paths"]["/api/v2/thing/"]["get"]
    assert list(listed["responses"]) == ["200", "400"]
    assert listed["security"] == []
    assert listed["x-access"] == {"authentication": "none", "roles": []}
    optional = document["paths"]["/api/v2/thing/{id}/"]["get"]
    assert optional["security"] == [{"bearerAuth": []}, {}]
    assert list(optional["responses"]) == ["200", "404"]
    conditional = document["paths"]["/api/v2/thing/{id}/members/"]["get"]
    assert conditional["x-access"]["authentication"] == "none"
    assert conditional["x-access"]["rules"][1]["roles"] == ["thing_member"]
    assert conditional["security"] == [{"bearerAuth": []}, {}]
    assert list(conditional["responses"]) == ["200", "401", "403", "404"]


def test_nested_body_rows(write_docs: WriteDocs) -> None:
    docs = write_docs(
        {"post/update_post.md": endpoint(method="PUT", path="/api/v2/post/{id}/", rows=NESTED_BODY)}
    )
    body = operation(docs, "/api/v2/post/{id}/", "put")["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert body["required"] is False
    assert list(schema["properties"]) == ["text", "location", "poll"]
    location = schema["properties"]["location"]
    assert location["type"] == "object" and location["nullable"] is True
    assert location["properties"]["lat"] == {"type": "number", "nullable": True, "description": "Latitude"}
    assert location["required"] == ["lat"]
    choices = schema["properties"]["poll"]["properties"]["choices"]
    assert choices["items"]["properties"]["choice"]["type"] == "string"
    assert choices["items"]["required"] == ["choice"]


def test_response_schema_table(write_docs: WriteDocs) -> None:
    docs = write_docs(
        {
            "thing/list_things.md": endpoint(
                path="/api/v2/thing/",
                rows="| limit | query | integer | false | L |",
                responses="| 200 | [OK](https://x) | Response status code | Inline |",
                after=RESPONSE_SCHEMA,
            )
        }
    )
    schema = operation(docs, "/api/v2/thing/", "get")["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema["properties"]["next"] == {
        "type": "string",
        "format": "uri",
        "nullable": True,
        "description": "Next page",
    }
    assert schema["properties"]["results"]["items"] == {"$ref": "#/components/schemas/Thing"}


def test_schema_page_with_enum_link_and_nullable_ref(write_docs: WriteDocs) -> None:
    thing = build(write_docs({})).document["components"]["schemas"]["Thing"]
    assert thing["required"] == ["name"]
    assert thing["properties"]["id"] == {"type": "integer", "description": "Identifier", "readOnly": True}
    assert thing["properties"]["kind"] == {
        "type": "string",
        "enum": ["big", "small", None],
        "nullable": True,
        "description": "Kind",
    }
    assert thing["properties"]["owner"] == {
        "allOf": [{"$ref": "#/components/schemas/Thing"}],
        "nullable": True,
        "description": "Parent thing",
    }


def test_enum_link_by_row_name_and_to_another_page(write_docs: WriteDocs) -> None:
    other = """\
#### Properties

| Name | Type | Required | Restrictions | Description |
|------|------|----------|--------------|-------------|
| thing_kind | [kind](/docs/apireference/v2/schemas/thing#enumerated-values) | false | none | Kind of thing |
| status | [string](/docs/apireference/v2/schemas/other#enumerated-values) | false | none | Status |

#### Enumerated Values

| Property | Value | Description |
|----------|-------|-------------|
| status | `on` | On |
| status | `off` | Off |
"""
    schemas = build(write_docs({"schemas/other.md": other})).document["components"]["schemas"]
    assert schemas["Other"]["properties"]["thing_kind"]["enum"] == ["big", "small", None]
    assert schemas["Other"]["properties"]["status"]["enum"] == ["on", "off"]


def test_schema_names_from_file_stems(write_docs: WriteDocs) -> None:
    page = "#### Properties\n\n| Name | Type |\n|---|---|\n| id | integer |\n"
    schemas = build(
        write_docs(
            {
                "schemas/course_user_dashboard.md": page,
                "schemas/NotificationTypes/type_comment.md": page,
            }
        )
    ).document["components"]["schemas"]
    assert sorted(schemas) == ["CourseUserDashboard", "Thing", "TypeComment"]


def test_body_row_named_body_is_the_whole_body(write_docs: WriteDocs) -> None:
    docs = write_docs(
        {
            "thing/create.md": endpoint(
                method="POST",
                path="/api/v2/thing/",
                rows="| body | body | [Thing](/docs/apireference/v2/schemas/thing) | true | The thing |",
            )
        }
    )
    body = operation(docs, "/api/v2/thing/", "post")["requestBody"]
    assert body["required"] is True
    assert body["content"]["multipart/form-data"]["schema"] == {"$ref": "#/components/schemas/Thing"}


def test_stray_spaces_in_the_request_line(write_docs: WriteDocs) -> None:
    docs = write_docs({"thing/get.md": endpoint(path=" /api/v2/thing/{id}/ ").replace("`GET ", "` GET  ")})
    assert "get" in build(docs).document["paths"]["/api/v2/thing/{id}/"]


def test_operation_id_clash_is_made_unique_and_reported(write_docs: WriteDocs) -> None:
    result = build(
        write_docs(
            {
                "thing/get_it.md": endpoint(path="/api/v2/thing/{id}/"),
                "other/get_it.md": endpoint(path="/api/v2/other/{id}/"),
            }
        )
    )
    ids = {path: item["get"]["operationId"] for path, item in result.document["paths"].items()}
    assert ids == {"/api/v2/other/{id}/": "getIt", "/api/v2/thing/{id}/": "thingGetIt"}
    assert [(f.file, f.rule) for f in result.findings if f.rule == "operation-id-clash"] == [
        ("thing/get_it.md", "operation-id-clash")
    ]


def test_duplicate_method_and_path_keeps_the_first_page(write_docs: WriteDocs) -> None:
    result = build(
        write_docs(
            {
                "thing/follow.md": endpoint(method="POST", title="Follow"),
                "thing/unfollow.md": endpoint(method="POST", title="Unfollow"),
            }
        )
    )
    assert result.document["paths"]["/api/v2/thing/{id}/"]["post"]["operationId"] == "follow"
    assert [(f.file, f.line, f.rule) for f in result.findings] == [
        ("thing/unfollow.md", 15, "duplicate-operation")
    ]


def test_info_description_from_intro_and_defaults(write_docs: WriteDocs) -> None:
    docs = write_docs({"intro.md": "---\ntitle: API Reference\n---\n\nThe reference.\n"})
    info = build(docs).document["info"]
    assert info == {"title": "API Reference", "version": "1.0.0", "description": "The reference."}


def test_two_builds_are_byte_identical(write_docs: WriteDocs, tmp_path: Path) -> None:
    docs = write_docs(
        {
            "thing/update.md": endpoint(method="PUT", rows=NESTED_BODY.replace("/post/", "/thing/")),
            "thing/list.md": endpoint(
                path="/api/v2/thing/", rows="", after=RESPONSE_SCHEMA, responses="| 200 | OK | ok | Inline |"
            ),
        }
    )
    runner = CliRunner()
    outputs = []
    for name in ("one.yaml", "two.yaml"):
        result = runner.invoke(main, ["build", "--docs", str(docs), "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert b"&id" not in outputs[0] and b"*id" not in outputs[0]


def test_libyaml_and_python_emitters_write_the_same_text(write_docs: WriteDocs) -> None:
    document = build(write_docs({"thing/get.md": endpoint()})).document
    assert dump(document, FastDumper) == dump(document, PythonDumper)


EXAMPLE_RESPONSE = """
#### Status values

| Parameter | Value |
|-----------|-------|
| status | on |
| status | null |

### Example responses

````mdx-code-block
<Tabs defaultValue="200" values={[{ label: '200', value: '200', }]}>
<TabItem value="200">

```json
{"status": "string", "count": 3}
```
</TabItem>
</Tabs>
````
"""


def test_inline_response_without_table_is_inferred_from_its_example(write_docs: WriteDocs) -> None:
    docs = write_docs(
        {
            "thing/status.md": endpoint(responses="| 200 | OK | ok | Inline |", after=EXAMPLE_RESPONSE),
        }
    )
    result = build(docs)
    response = result.document["paths"]["/api/v2/thing/{id}/"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["on", None], "nullable": True},
            "count": {"type": "integer"},
        },
    }
    assert [f.rule for f in result.findings] == ["response-schema-missing"]


def test_description_keeps_the_prose_blocks_before_the_first_heading(write_docs: WriteDocs) -> None:
    page = endpoint().replace(
        "Does something with a thing.\n",
        "Does something with a thing:\n\n- first\n- second\n\n> Note well.\n",
    )
    description = operation(write_docs({"thing/get.md": page}), "/api/v2/thing/{id}/", "get")["description"]
    assert description == (
        "Does something with a thing:\n\n- first\n- second\n\n> Note well.\n\n"
        "This operation requires authentication."
    )


def test_response_schema_without_caption_goes_to_the_inline_status(write_docs: WriteDocs) -> None:
    docs = write_docs(
        {
            "thing/create.md": endpoint(
                method="POST",
                path="/api/v2/thing/",
                rows="| name | body | string | true | Name |",
                responses="| 201 | Created | made | Inline |",
                after=RESPONSE_SCHEMA.replace("Status Code **200**\n", ""),
            )
        }
    )
    responses = operation(docs, "/api/v2/thing/", "post")["responses"]
    assert list(responses) == ["201", "400", "401"]
    assert list(responses["201"]["content"]["application/json"]["schema"]["properties"]) == [
        "count",
        "next",
        "results",
    ]
