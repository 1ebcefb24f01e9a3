"""The `publishing` command line: a click group that only dispatches to `publishing.commands`.

Every subcommand is the module `publishing.commands.NAME` exposing `command` (see `specgen.cli.LazyGroup`):
a module is imported only when its command runs.
"""

from __future__ import annotations

import click

from specgen.cli import LazyGroup

COMMANDS = ("diff", "docs", "markdown")


@click.group(cls=LazyGroup, package="publishing.commands", lazy=COMMANDS)
def main() -> None:
    """Publish the OpenAPI document: a static docs site, Markdown pages, breaking changes between versions."""


@main.result_callback()
@click.pass_context
def exit_with(ctx: click.Context, status: int) -> None:
    """The subcommand's return value is the process's exit status."""
    ctx.exit(status)
