"""Read an OpenAPI document for the publishing commands (docs, markdown, diff), or fail clearly.

The document is validated with openapi-spec-validator, and every ``x-access`` against the language's
schema (as ``specgen check`` does), so the commands only ever walk a well-formed document: a malformed
one is an error message and exit status 2, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from specgen import yamlio
from specgen.check import access_errors


class SpecFileError(click.ClickException):
    """Exit status 2: an input file cannot be used (for `diff`, 1 means "breaking changes found")."""

    exit_code = 2


def load_spec(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecFileError(f"{path}: cannot read the spec: {error.strerror}") from error
    try:
        spec = json.loads(text) if path.suffix == ".json" else yamlio.load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise SpecFileError(
            f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {error}"
        ) from error
    if not isinstance(spec, dict) or "paths" not in spec:
        raise SpecFileError(f"{path}: not an OpenAPI document (no 'paths')")
    try:
        validate(spec)
    except OpenAPIValidationError as error:
        where = getattr(error, "json_path", "") or "/".join(map(str, getattr(error, "absolute_path", [])))
        first_line = str(getattr(error, "message", error)).splitlines()[0]
        raise SpecFileError(
            f"{path}: not a valid OpenAPI document: {first_line} (at {where or 'the root'})"
        ) from error
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise SpecFileError(
            f"{path}: not a valid OpenAPI document ({type(error).__name__}: {error})"
        ) from error
    found = list(access_errors(spec, required=False))
    if found:
        raise SpecFileError(f"{path}: x-access breaks docs/access-language.md: " + "; ".join(found))
    return spec
