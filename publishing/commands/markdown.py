"""``publishing markdown``: regenerate the Docusaurus reference pages from the spec."""

from __future__ import annotations

from pathlib import Path

import click

from openapi.document import Spec
from publishing.commands.options import out_option, spec_option
from publishing.markdown_out.compare import page_differences
from publishing.markdown_out.tree import build_tree
from publishing.specfile import load_spec


@click.command("markdown")
@spec_option("OpenAPI document to turn into pages.")
@out_option("Folder to write the pages into (the layout of docs/apireference/v2).")
@click.option("--strict", is_flag=True, help="Exit 1 when some part of the spec cannot be written as pages.")
@click.option(
    "--compare",
    "sources",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Pages to compare the regenerated ones with (docs/markdown-round-trip.md); exit 1 when any differs.",
)
def command(spec_path: Path, out: Path, strict: bool, sources: Path | None) -> int:
    """Write Docusaurus Markdown pages that `specgen build` reads back into the same spec."""
    tree = build_tree(Spec(spec_path, load_spec(spec_path)))
    tree.write(out)
    for problem in tree.problems:
        click.echo(f"warning: {problem}", err=True)
    click.echo(f"wrote {len(tree.files)} files to {out} ({len(tree.problems)} warnings)")
    differences = page_differences(sources, out) if sources else {}
    for rel, lines in differences.items():
        click.echo(f"\n{rel} differs from its source:")
        click.echo("\n".join(lines))
    if sources:
        click.echo(f"{len(differences)} page(s) of {sources} differ after normalisation")
    return 1 if (strict and tree.problems) or differences else 0
