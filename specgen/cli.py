"""The `specgen` command line: a click group that only dispatches to `specgen.commands`.

Every subcommand is the module `specgen.commands.NAME` exposing `command`, a `click.Command` whose
callback returns the exit status. To add one, write that module and add NAME to `COMMANDS`; a module is
imported only when its command runs, so `specgen build` stays quick to start.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import click

COMMANDS = ("build", "check", "lint")


class LazyGroup(click.Group):
    """A group whose subcommands are the modules ``<package>.NAME``, each imported on first use (the
    pattern from the click docs); ``publishing`` builds its group with it too."""

    def __init__(self, *args: Any, package: str, lazy: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.package = package
        self.lazy = tuple(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            command = importlib.import_module(f"{self.package}.{cmd_name}").command
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, package="specgen.commands", lazy=COMMANDS)
def main() -> None:
    """Markdown API reference pages -> OpenAPI: build it, check it is fresh, lint the pages."""


@main.result_callback()
@click.pass_context
def exit_with(ctx: click.Context, status: int) -> None:
    """The subcommand's return value is the process's exit status."""
    ctx.exit(status)
