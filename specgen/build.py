"""Assemble the OpenAPI 3.0.3 document from a folder of reference pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specgen.findings import PageFinding
from specgen.operations import build_operation, error_meanings
from specgen.pages import HTTP_METHODS, SourcePage, read_category, read_pages
from specgen.schemas import Registry, camel_case, schema_page

OPENAPI_VERSION = "3.0.3"
DEFAULT_TITLE = "API Reference"
DEFAULT_VERSION = "1.0.0"
SECURITY_SCHEMES = {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}


@dataclass
class Build:
    """The document and everything noticed while making it."""

    document: dict[str, Any]
    pages: list[SourcePage]
    findings: list[PageFinding] = field(default_factory=list)
    operations: dict[str, str] = field(default_factory=dict)  # page rel -> operationId
    schemas: dict[str, str] = field(default_factory=dict)  # page rel -> component name


def build(docs: Path) -> Build:
    pages = read_pages(docs)
    registry = Registry(pages)
    meanings = error_meanings(pages)
    paths: dict[str, dict[str, Any]] = {}
    operations: dict[str, str] = {}
    owners: dict[tuple[str, str], SourcePage] = {}
    taken: set[str] = set()
    schemas = {registry.names[page.rel]: schema_page(page, registry) for page in pages if page.is_schema}
    for page in pages:
        if page.is_schema:
            continue
        if page.request is None:
            if page.looks_like_endpoint and page.request_heading is None:
                page.report(1, "request-line-missing", "endpoint page without an HTTP Request line; skipped")
            continue
        method, path = page.request.method, page.request.path
        if (method, path) in owners:
            page.report(
                page.request.line,
                "duplicate-operation",
                f"{method} {path} is already documented by {owners[method, path].rel}; this page is skipped",
            )
            continue
        owners[method, path] = page
        operation = build_operation(page, registry, meanings, schemas)
        operation_id = _unique(page, taken)
        operation = {"operationId": operation_id, **operation}
        if page.meta.get("operation_id"):  # the file name no longer follows from the operationId
            operation["x-source"] = page.rel
        paths.setdefault(path, {})[method.lower()] = operation
        operations[page.rel] = operation_id
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": _info(docs, pages),
        "tags": _tags(docs, paths),
        "paths": {path: _ordered_methods(paths[path]) for path in sorted(paths)},
        "components": {
            "schemas": {name: schemas[name] for name in sorted(schemas)},
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
    findings = sorted(finding for page in pages for finding in page.findings)
    return Build(document, pages, findings, operations, dict(registry.names))


def _unique(page: SourcePage, taken: set[str]) -> str:
    """The front matter's `operation_id` when the page declares one (two pages of one stem in different
    folders, such as `event/get_subscription_status.md` and `group/get_subscription_status.md`), else the
    camelCase file stem; on a clash the folder is prefixed (then a number), and the clash reported."""
    declared = page.meta.get("operation_id")
    name = declared.strip() if isinstance(declared, str) and declared.strip() else camel_case(page.stem)
    name = name or "operation"
    candidate = name
    if candidate in taken:
        candidate = camel_case(f"{page.folder}_{page.stem}")
    base, counter = candidate, 2
    while candidate in taken:
        candidate, counter = f"{base}{counter}", counter + 1
    if candidate != name:
        page.report(
            page.request.line if page.request else 1,
            "operation-id-clash",
            f"operationId `{name}` is already used; this operation is `{candidate}`",
        )
    taken.add(candidate)
    return candidate


def _ordered_methods(item: dict[str, Any]) -> dict[str, Any]:
    order = [method.lower() for method in HTTP_METHODS]
    return {method: item[method] for method in sorted(item, key=order.index)}


def _info(docs: Path, pages: list[SourcePage]) -> dict[str, Any]:
    label = str(read_category(docs).get("label") or "").strip()
    match = re.search(r"version\s+([\w.]+)", label, re.IGNORECASE) or re.fullmatch(r"v?(\d[\w.]*)", docs.name)
    info: dict[str, Any] = {
        "title": label or DEFAULT_TITLE,
        "version": match.group(1) if match else DEFAULT_VERSION,
    }
    intro = next((page for page in pages if page.rel == "intro.md"), None)
    if intro is not None and intro.body.strip():
        info["description"] = intro.body.strip()
    return info


def _tags(docs: Path, paths: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    names = sorted(
        {tag for item in paths.values() for operation in item.values() for tag in operation["tags"]}
    )
    tags = []
    for name in names:
        label = str(read_category(docs / name).get("label") or "").strip()
        tags.append({"name": name, "description": label} if label else {"name": name})
    return tags
