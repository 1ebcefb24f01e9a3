"""`specgen build`: write the OpenAPI document made from the pages."""

from __future__ import annotations

from pathlib import Path

import click

from specgen.build import build
from specgen.commands.options import DEFAULT_SPEC, docs_option
from specgen.findings import Severity
from specgen.yamlio import dump

#: Problems the build itself must show: they drop or rename an operation or a schema.
SHOWN = frozenset(
    {
        "page-unreadable",
        "request-line-missing",
        "request-line-invalid",
        "duplicate-operation",
        "operation-id-clash",
        "schema-name-clash",
    }
)


@click.command("build")
@docs_option
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_SPEC,
    show_default=True,
    help="Where to write the OpenAPI YAML.",
)
def command(docs: Path, out: Path) -> int:
    """Generate the OpenAPI 3.0.3 document from the Markdown pages."""
    result = build(docs)
    for finding in result.findings:
        if finding.rule in SHOWN:
            click.echo(str(finding), err=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump(result.document), encoding="utf-8")
    errors = sum(1 for finding in result.findings if finding.severity is Severity.ERROR)
    click.echo(
        f"wrote {out}: {len(result.operations)} operations, {len(result.schemas)} schemas"
        f" ({errors} errors, {len(result.findings) - errors} warnings: see `python -m specgen lint`)",
        err=True,
    )
    return 0
