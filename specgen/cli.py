"""The `specgen` command line: a click group that only dispatches to `specgen.commands`.

Every subcommand is the module `specgen.commands.NAME` exposing `command`, a `click.Command` whose
callback returns the exit status. To add one, write that module and add NAME to `COMMANDS`; a module is
imported only when its command runs, so `specgen build` stays quick to start.
"""

from __future__ import annotations

import importlib

import click

COMMANDS = ("build", "check", "contract", "diff", "docs", "lint", "markdown")


class LazyGroup(click.Group):
    """A group that imports each subcommand's module on first use (pattern from the click docs)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            command = importlib.import_module(f"specgen.commands.{cmd_name}").command
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
def main() -> None:
    """Markdown API reference pages -> OpenAPI, and tools around the generated document."""


@main.result_callback()
@click.pass_context
def exit_with(ctx: click.Context, status: int) -> None:
    """The subcommand's return value is the process's exit status."""
    ctx.exit(status)
