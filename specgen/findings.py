"""Findings: what the generator and the linter report about the pages, as `file:line: rule-id message`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


#: Every rule the generator or the linter can report, with its severity and what it means.
#: Errors make `specgen lint` exit 1: the page says something the spec cannot represent faithfully
#: (an operation or schema is lost or wrong). Warnings point at text worth fixing whose meaning
#: was still captured (or safely approximated).
RULES: dict[str, tuple[Severity, str]] = {
    "front-matter-invalid": (Severity.ERROR, "the front matter is not valid YAML"),
    "request-line-missing": (Severity.ERROR, "an endpoint page without a `METHOD /path` HTTP Request line"),
    "request-line-invalid": (Severity.ERROR, "the HTTP Request line is not `METHOD /path`"),
    "request-line-query": (Severity.WARNING, "a query string in the HTTP Request line"),
    "request-line-alternative": (Severity.WARNING, "the HTTP Request line names more than one path"),
    "duplicate-operation": (Severity.ERROR, "method and path already documented by another page"),
    "operation-id-clash": (Severity.ERROR, "two pages give the same operationId; the later one was renamed"),
    "schema-name-clash": (
        Severity.ERROR,
        "two schema pages give the same schema name; the later one was renamed",
    ),
    "path-template-invalid": (Severity.ERROR, "a `{...}` of the path that is not a parameter name"),
    "path-param-missing": (Severity.ERROR, "a `{param}` of the path has no row in the Parameters table"),
    "path-param-unused": (Severity.ERROR, "a `path` parameter of the table does not appear in the path"),
    "param-location-invalid": (Severity.ERROR, "the In column is not path, query, header, cookie or body"),
    "duplicate-row": (Severity.WARNING, "the same parameter, property or status is documented twice"),
    "body-on-get": (Severity.ERROR, "a body parameter on GET or HEAD (dropped: those requests have no body)"),
    "nesting-orphan": (Severity.WARNING, "a `»` row deeper than the row before it allows"),
    "type-unknown": (Severity.ERROR, "a type notation that cannot be read; the schema is left open (`{}`)"),
    "schema-link-missing": (Severity.ERROR, "a link to a schema page that does not exist"),
    "enum-unresolved": (Severity.ERROR, "a link to Enumerated Values that names no property of that page"),
    "table-cells": (
        Severity.ERROR,
        "a table row with missing cells, or extra cells that hold text (dropped)",
    ),
    "table-cells-empty": (Severity.WARNING, "a table row with extra empty cells"),
    "status-invalid": (Severity.ERROR, "a Responses row whose status is not a 3-digit HTTP status"),
    "responses-missing": (Severity.WARNING, "an endpoint without a Responses table; `default` was used"),
    "response-schema-missing": (
        Severity.WARNING,
        "a response says `Inline` but has no Response Schema table",
    ),
    "access-unparsed": (Severity.WARNING, "access prose the generator could not fully read"),
    "join-unparsed": (
        Severity.WARNING,
        "a sentence of a join page about joining under a condition that the generator could not read",
    ),
    "access-missing": (
        Severity.WARNING,
        "an endpoint page without access prose; authentication is `optional`",
    ),
    "example-path-mismatch": (Severity.ERROR, "an example request URL differs from the documented path"),
    "example-method-mismatch": (Severity.ERROR, "an example request uses another HTTP method"),
    "page-unreadable": (Severity.ERROR, "the file cannot be read as UTF-8 text"),
    "title-missing": (Severity.WARNING, "a page without a title; the file name was used"),
}


@dataclass(frozen=True, order=True)
class PageFinding:
    """A defect of a reference page at ``file:line``, under one of the ``RULES``."""

    file: str
    line: int
    rule: str
    message: str

    @property
    def severity(self) -> Severity:
        return RULES[self.rule][0]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule} {self.message}"
