"""`specgen lint`: each rule on a small crafted page, reported as `file:line: rule-id message`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from specgen.cli import main
from specgen.findings import RULES, Severity
from tests.specgen.conftest import WriteDocs
from tests.specgen.pagekit import endpoint

EXAMPLE = """
### Example Request

````mdx-code-block
<Tabs>
<TabItem value="bash">

```bash
curl -X {method} {url} \\
  -H 'Accept: application/json'
```
</TabItem>
</Tabs>
````
"""

THING_LINK = "[Thing](/docs/apireference/v2/schemas/thing)"

#: rule -> (page text, text of the line the finding must point at)
CASES: dict[str, tuple[str, str]] = {
    "example-path-mismatch": (
        endpoint(after=EXAMPLE.format(method="GET", url="/api/v2/thing/{id}/oops/")),
        "curl -X GET",
    ),
    "example-method-mismatch": (
        endpoint(after=EXAMPLE.format(method="POST", url="/api/v2/thing/{id}/")),
        "curl -X POST",
    ),
    "path-param-missing": (endpoint(path="/api/v2/thing/{id}/{slug}/"), "| Name | In |"),
    "path-template-invalid": (endpoint(path="/api/v2/thing/{id}/{a/b}/"), "`GET /api"),
    "path-param-unused": (
        endpoint(rows="| id | path | integer | true | x |\n| pk | path | integer | true | y |"),
        "| pk | path |",
    ),
    "body-on-get": (
        endpoint(rows="| id | path | integer | true | x |\n| name | body | string | true | y |"),
        "| name | body |",
    ),
    "type-unknown": (
        endpoint(rows="| id | path | integer | true | x |\n| q | query | frobnicated | false | y |"),
        "| q | query |",
    ),
    "schema-link-missing": (
        endpoint(responses="| 200 | OK | ok | [Gone](/docs/apireference/v2/schemas/gone) |"),
        "| 200 | OK |",
    ),
    "enum-unresolved": (
        endpoint(
            rows="| id | path | integer | true | x |\n"
            "| k | query | [k](/docs/apireference/v2/schemas/thing#enumerated-values) | false | y |"
        ),
        "| k | query |",
    ),
    "table-cells": (endpoint(rows="| id | path | integer | true | x | extra |"), "| extra |"),
    "table-cells-empty": (endpoint(rows="| id | path | integer | true | x |   |"), "| x |   |"),
    "param-location-invalid": (
        endpoint(rows="| id | path | integer | true | x |\n| q | string | false | y |"),
        "| q | string |",
    ),
    "request-line-missing": (endpoint().replace("## HTTP Request\n\n`GET /api/v2/thing/{id}/`\n", ""), "---"),
    "request-line-invalid": (
        endpoint().replace("`GET /api/v2/thing/{id}/`", "`FETCH thing`"),
        "`FETCH thing`",
    ),
    "request-line-query": (endpoint(path="/api/v2/thing/{id}/?full=1"), "`GET /api"),
    "request-line-alternative": (
        endpoint().replace(
            "`GET /api/v2/thing/{id}/`", "`GET /api/v2/thing/{id}/` or `GET /api/v2/thing/{slug}/`"
        ),
        "`GET /api",
    ),
    "access-unparsed": (
        endpoint(access="This operation requires authentication and a full moon."),
        ":::info",
    ),
    "access-missing": (endpoint(access=""), "---"),
    "join-unparsed": (
        endpoint(method="POST").replace(
            "Does something with a thing.",
            "Lets the calling user join the thing. If the thing is `private` a moderator decides on joins.",
        ),
        "Lets the calling user join",
    ),
    "status-invalid": (endpoint(responses="| 2xx | OK | ok | None |"), "| 2xx |"),
    "responses-missing": (endpoint().split("## Responses")[0], "---"),
    "response-schema-missing": (endpoint(responses="| 200 | OK | ok | Inline |"), "| 200 | OK |"),
    "front-matter-invalid": ("---\ntitle: [unclosed\n---\n\nText.\n", "---"),
    "title-missing": (endpoint().replace("title: Get Thing", "sidebar_position: 1"), "---"),
    "duplicate-row": (
        endpoint(
            rows="| id | path | integer | true | x |\n| q | query | string | false | y |\n"
            "| q | query | string | false | z |"
        ),
        "| z |",
    ),
    "nesting-orphan": (
        endpoint(
            method="POST", rows="| id | path | integer | true | x |\n| »»» deep | body | string | true | y |"
        ),
        "| »»» deep |",
    ),
}


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_reported_at_its_line(rule: str, write_docs: WriteDocs) -> None:
    text, needle = CASES[rule]
    docs = write_docs({"thing/page.md": text})
    result = CliRunner().invoke(main, ["lint", "--docs", str(docs)])
    expected = f"thing/page.md:{line_of(text, needle)}: {rule} "
    assert expected in result.output, result.output
    assert result.exit_code == (1 if RULES[rule][0] is Severity.ERROR else 0), result.output


def test_duplicate_operation(write_docs: WriteDocs) -> None:
    docs = write_docs({"thing/a.md": endpoint(), "thing/b.md": endpoint()})
    result = CliRunner().invoke(main, ["lint", "--docs", str(docs)])
    assert f"thing/b.md:{line_of(endpoint(), '`GET ')}: duplicate-operation " in result.output
    assert "thing/a.md:" not in result.output
    assert result.exit_code == 1


def test_schema_name_clash(write_docs: WriteDocs) -> None:
    docs = write_docs(
        {"schemas/more/thing.md": "#### Properties\n\n| Name | Type |\n|--|--|\n| a | string |\n"}
    )
    result = CliRunner().invoke(main, ["lint", "--docs", str(docs)])
    assert (
        "schemas/more/thing.md:1: schema-name-clash `Thing` is already another page's schema; named `Thing2`"
        in (result.output)
    )


def test_unreadable_page(write_docs: WriteDocs) -> None:
    docs = write_docs({})
    (docs / "thing").mkdir()
    (docs / "thing" / "binary.md").write_bytes(b"\xff\xfe\x00garbage")
    result = CliRunner().invoke(main, ["lint", "--docs", str(docs)])
    assert "thing/binary.md:1: page-unreadable " in result.output
    assert result.exit_code == 1


def test_clean_docs_pass(write_docs: WriteDocs) -> None:
    result = CliRunner().invoke(main, ["lint", "--docs", str(write_docs({"thing/get.md": endpoint()}))])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 errors, 0 warnings"


def test_every_rule_has_a_case() -> None:
    tested_elsewhere = {"duplicate-operation", "schema-name-clash", "page-unreadable", "operation-id-clash"}
    assert set(RULES) == set(CASES) | tested_elsewhere


def test_rules_are_listed_with_their_severity() -> None:
    result = CliRunner().invoke(main, ["lint", "--rules"])
    assert result.exit_code == 0
    listed = {line.split()[0]: line.split()[1] for line in result.output.splitlines()}
    assert listed == {rule: severity.value for rule, (severity, _) in RULES.items()}
