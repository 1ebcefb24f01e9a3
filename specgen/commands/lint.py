"""`specgen lint`: every defect found in the pages, as `file:line: rule-id message`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from specgen.build import build
from specgen.commands.options import docs_option
from specgen.findings import RULES, Severity
from specgen.lint import lint_pages


@click.command("lint")
@docs_option
@click.option(
    "--rules", "list_rules", is_flag=True, help="List the rule ids, severities and meanings, then exit."
)
def command(docs: Path, list_rules: bool) -> int:
    """Report defects in the pages; exit 1 when any is an error."""
    if list_rules:
        for rule, (severity, meaning) in sorted(RULES.items()):
            click.echo(f"{rule:26} {severity.value:8} {meaning}")
        return 0
    result = build(docs)
    findings = sorted({*result.findings, *lint_pages(result.pages)})
    for finding in findings:
        click.echo(f"{finding} [{finding.severity.value}]")
    counts = Counter(finding.severity for finding in findings)
    click.echo(f"{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings", err=True)
    return 1 if counts[Severity.ERROR] else 0
