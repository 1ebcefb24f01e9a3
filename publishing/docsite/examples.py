"""Copy-paste ready curl and JavaScript calls built from an operation of the spec.

Values come from the schema (``example``, ``default``, first ``enum`` value, else a value of
the declared type), so each example sends exactly the headers and body the operation takes.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from openapi.access import OperationAccess
from publishing.callers import token_useful
from publishing.docsite.resolve import resolve

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
SCALARS: dict[str, Any] = {"integer": 1, "number": 1.5, "boolean": True, "string": "string"}
STRING_FORMATS: dict[str, str] = {
    "date-time": "2026-01-31T18:00:00Z",
    "date": "2026-01-31",
    "uri": "https://example.com/",
    "email": "user@example.com",
    "binary": "@file.png",
}
MAX_DEPTH = 4


@dataclass(frozen=True)
class Example:
    title: str
    language: str
    code: str


def sample(spec: Mapping[str, Any], schema: Any, depth: int = 0) -> Any:
    """A value valid for ``schema``; arrays get two items so that list encodings show."""
    schema = resolve(spec, schema)
    if not isinstance(schema, Mapping) or depth > MAX_DEPTH:
        return None
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return next((value for value in schema["enum"] if value is not None), None)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = sample(spec, part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    for keyword in ("oneOf", "anyOf"):
        if schema.get(keyword):
            return sample(spec, schema[keyword][0], depth + 1)
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "array":
        item = sample(spec, schema.get("items", {}), depth + 1)
        second = item + 1 if isinstance(item, int) and not isinstance(item, bool) else item
        return [item, second]
    if kind == "object":
        return {
            name: sample(spec, sub, depth + 1)
            for name, sub in body_properties(spec, schema).items()
            if not resolve(spec, sub).get("readOnly")
        }
    if kind == "string":
        return STRING_FORMATS.get(schema.get("format", ""), "string")
    return SCALARS.get(kind or "")


def json_text(value: Any) -> str:
    """Short bodies on one line (``{"users": [1, 2]}``), longer ones indented for reading."""
    compact = json.dumps(value)
    return compact if len(compact) <= 60 else json.dumps(value, indent=2)


def body_properties(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    properties = dict(schema.get("properties") or {})
    for part in schema.get("allOf", []):
        properties.update(resolve(spec, part).get("properties") or {})
    return properties


def example_path(spec: Mapping[str, Any], path: str, parameters: list[Mapping[str, Any]]) -> str:
    """The path with example values for path parameters and the required query parameters."""
    values = {p["name"]: sample(spec, p.get("schema", {})) for p in parameters}
    concrete = re.sub(
        r"\{([^}]*)\}",
        lambda m: str(values.get(m.group(1)) if values.get(m.group(1)) is not None else 1),
        path,
    )
    query = [
        (p["name"], values[p["name"]])
        for p in parameters
        if p.get("in") == "query" and p.get("required") and values.get(p["name"]) is not None
    ]
    return f"{concrete}?{urlencode(query, doseq=True)}" if query else concrete


def without_nested(body: Any, required: list[str]) -> Any:
    """``body`` without its optional fields that a form cannot carry (objects, lists of objects): a form
    example sends what it can (a course's `categories` are Category objects)."""
    if not isinstance(body, dict):
        return body
    return {
        key: value for key, value in body.items() if key in required or form_pairs({key: value}) is not None
    }


def form_pairs(body: Any) -> list[tuple[str, str]] | None:
    """``users=1&users=2`` pairs: lists repeat their key; None when the body is not flat."""
    if not isinstance(body, dict):
        return None
    pairs: list[tuple[str, str]] = []
    for key, value in body.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict | list) or item is None:
                return None
            pairs.append((key, json.dumps(item) if isinstance(item, bool) else str(item)))
    return pairs


def _curl(method: str, url: str, headers: list[str], data: list[str]) -> str:
    lines = [f'curl -X {method} "{url}"']
    lines += [f'  -H "{header}"' for header in headers]
    lines += [f"  {argument}" for argument in data]
    return " \\\n".join(lines)


def _fetch(method: str, url: str, headers: list[tuple[str, str]], body: str | None, reads: str) -> str:
    lines = [f"const response = await fetch(`{url}`, {{", f'  method: "{method}",']
    if headers:
        lines.append("  headers: {")
        lines += [f'    "{name}": {value},' for name, value in headers]
        lines.append("  },")
    if body:
        lines.append(f"  body: {body},")
    lines.append("});")
    lines.append("if (!response.ok) throw new Error(`HTTP ${response.status}`);")
    lines.append(reads)
    return "\n".join(lines)


def examples_for(
    spec: Mapping[str, Any], path: str, method: str, operation: Mapping[str, Any], access: OperationAccess
) -> list[Example]:
    """curl (one per request media type) and JavaScript ``fetch`` calls for the operation, whose access
    is ``access`` (a token is sent where it changes something)."""
    parameters = [resolve(spec, p) for p in operation.get("parameters", [])]
    url_path = example_path(spec, path, parameters)
    verb = method.upper()
    token = token_useful(access)
    auth_headers = ["Authorization: Bearer $TOKEN"] if token else []
    js_auth = [("Authorization", "`Bearer ${TOKEN}`")] if token else []
    responses = operation.get("responses") or {}
    success = next((s for s in sorted(map(str, responses)) if s.startswith("2")), None)
    success_content = (resolve(spec, responses[success]) or {}).get("content") if success else None
    accept = [f"Accept: {JSON}"] if success_content and JSON in success_content else []
    js_accept = [("Accept", f'"{JSON}"')] if accept else []
    reads = (
        "const data = await response.json();" if accept else f"// {success or 'success'}: no response body"
    )
    body_spec = resolve(spec, operation.get("requestBody")) or {}
    content = body_spec.get("content") or {}
    examples: list[Example] = []
    curl_url = f"$BASE_URL{url_path}"
    js_url = "${BASE_URL}" + url_path
    if not content:
        examples.append(Example("curl", "bash", _curl(verb, curl_url, [*auth_headers, *accept], [])))
        examples.append(
            Example("JavaScript", "js", _fetch(verb, js_url, [*js_auth, *js_accept], None, reads))
        )
        return examples
    first = next(iter(content.values()))
    body_schema = (content.get(JSON) or first).get("schema", {})
    body = sample(spec, body_schema)
    if JSON in content:
        data = json_text(body)
        examples.append(
            Example(
                "curl (JSON)",
                "bash",
                _curl(
                    verb,
                    curl_url,
                    [*auth_headers, f"Content-Type: {JSON}", *accept],
                    [f"--data {shlex.quote(data)}"],
                ),
            )
        )
    pairs = form_pairs(without_nested(body, resolve(spec, body_schema).get("required") or []))
    if FORM in content and pairs is not None:
        data = urlencode(pairs)
        examples.append(
            Example(
                "curl (form)",
                "bash",
                _curl(
                    verb,
                    curl_url,
                    [*auth_headers, f"Content-Type: {FORM}", *accept],
                    [f"--data {shlex.quote(data)}"],
                ),
            )
        )
    if MULTIPART in content and pairs is not None:
        fields = [f"-F {shlex.quote(f'{key}={value}')}" for key, value in pairs]
        examples.append(
            Example("curl (multipart)", "bash", _curl(verb, curl_url, [*auth_headers, *accept], fields))
        )
    if JSON in content:
        js_body = f"JSON.stringify({json_text(body)})"
        js_headers = [*js_auth, ("Content-Type", f'"{JSON}"'), *js_accept]
    else:
        js_body = f"new URLSearchParams({json.dumps(pairs or [])})"
        js_headers = [*js_auth, *js_accept]
    examples.append(Example("JavaScript", "js", _fetch(verb, js_url, js_headers, js_body, reads)))
    return examples
