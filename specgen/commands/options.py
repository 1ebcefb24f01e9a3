"""Options shared by the subcommands (paths are relative to the current directory)."""

from __future__ import annotations

from pathlib import Path

import click

from openapi import SOURCE_PATH

DEFAULT_DOCS = Path("docs/apireference/v2")
DEFAULT_SPEC = SOURCE_PATH

docs_option = click.option(
    "--docs",
    "docs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=DEFAULT_DOCS,
    show_default=True,
    help="Folder of Markdown reference pages.",
)
