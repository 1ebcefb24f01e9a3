"""``publishing diff OLD NEW``: exit 1 when the new document breaks clients of the old one."""

from __future__ import annotations

from pathlib import Path

import click

from publishing.diff.compare import compare
from publishing.diff.index import SpecError
from publishing.diff.report import FORMATS, render
from publishing.specfile import SpecFileError, load_spec


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def command(old: Path, new: Path, fmt: str) -> int:
    """Report changes from OLD to NEW spec; exit 1 when any change breaks existing clients."""
    try:
        changes = compare(load_spec(old), load_spec(new))
    except SpecError as error:
        raise SpecFileError(str(error)) from error
    click.echo(render(changes, fmt), nl=False)
    return 1 if any(change.breaking for change in changes) else 0
