"""Small reference pages for the generator's tests, in the format of the docs."""

from __future__ import annotations

import textwrap

from testkit.processes import REPO_ROOT

CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "apireference" / "v2"

SCHEMA_THING = """\
---
title: Thing
---

#### Properties

| Name | Type | Required | Restrictions | Description |
|------|------|----------|--------------|-------------|
| id | integer | false | read-only | Identifier |
| name | string | true | none | Name |
| kind | [kind](/docs/apireference/v2/schemas/thing#enumerated-values) | false | none | Kind |
| owner | [Thing](/docs/apireference/v2/schemas/thing)¦null | false | none | Parent thing |

#### Enumerated Values

| Property | Value | Description |
|----------|-------|-------------|
| kind     | big   | Big one     |
| kind     | small | Small one   |
| kind     | null  | No kind     |
"""


def endpoint(
    method: str = "GET",
    path: str = "/api/v2/thing/{id}/",
    rows: str = "| id | path | integer | true | Thing id |",
    access: str = "This operation requires authentication.",
    responses: str = "| 200 | [OK](https://tools.ietf.org/html/rfc7231#section-6.3.1) | The thing |"
    " [Thing](/docs/apireference/v2/schemas/thing) |",
    title: str = "Get Thing",
    after: str = "",
) -> str:
    """A reference page in the format of the docs, with the parts a test varies as arguments."""
    info = f":::info\n\n{access}\n\n:::\n" if access else ""
    return textwrap.dedent(
        """\
        ---
        title: {title}
        ---

        Does something with a thing.

        {info}
        ## HTTP Request

        `{method} {path}`

        ### Parameters

        | Name | In | Type | Required | Description |
        |------|----|------|----------|-------------|
        {rows}

        ## Responses

        | Status | Meaning | Description | Schema |
        |--------|---------|-------------|--------|
        {responses}
        {after}
        """
    ).format(title=title, info=info, method=method, path=path, rows=rows, responses=responses, after=after)
