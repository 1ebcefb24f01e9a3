"""Options shared by the subcommands: the document to publish and the folder to write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from openapi import SPEC_PATH

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def spec_option(help: str) -> Decorator:
    """``--spec FILE``, by default the packaged document (so the commands work from any folder)."""
    return click.option(
        "--spec",
        "spec_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=SPEC_PATH,
        show_default="the packaged openapi/v2.yaml",
        help=help,
    )


def out_option(help: str) -> Decorator:
    return click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help=help)
