"""``specgen diff OLD NEW``: exit 1 when the new document breaks clients of the old one."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from specgen import yamlio
from specgen.diff.compare import compare
from specgen.diff.index import SpecError
from specgen.diff.report import FORMATS, render


class InputError(click.ClickException):
    """Exit 2, so that 1 always means "breaking changes found"."""

    exit_code = 2


def load_spec(path: Path) -> Any:
    """Parse a YAML or JSON OpenAPI document; a clear error when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from error
    try:
        return json.loads(text) if path.suffix == ".json" else yamlio.load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not valid YAML/JSON: {error}") from error


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def diff_command(old: Path, new: Path, fmt: str) -> None:
    """Report changes from OLD to NEW spec; exit 1 when any change breaks existing clients."""
    try:
        changes = compare(load_spec(old), load_spec(new))
    except SpecError as error:
        raise InputError(str(error)) from error
    click.echo(render(changes, fmt), nl=False)
    sys.exit(1 if any(change.breaking for change in changes) else 0)
