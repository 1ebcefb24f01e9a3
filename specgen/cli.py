"""The `specgen` command line: a click group whose subcommands live in their own modules.

To add a subcommand, add its name and `module:attribute` to `COMMANDS`; the module is imported only
when the command runs, so `specgen build` stays quick to start.
"""

from __future__ import annotations

import importlib

import click

COMMANDS: dict[str, str] = {
    "build": "specgen.commands.build:build_command",
    "check": "specgen.commands.check:check_command",
    "contract": "specgen.contract:contract_command",
    "diff": "specgen.diff.command:diff_command",
    "docs": "specgen.docsite.command:docs_command",
    "lint": "specgen.commands.lint:lint_command",
    "markdown": "specgen.markdown_out.command:markdown_command",
}


class LazyGroup(click.Group):
    """A group that imports each subcommand's module on first use (pattern from the click docs)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, _, attribute = COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
def main() -> None:
    """Markdown API reference pages -> OpenAPI, and tools around the generated document."""
