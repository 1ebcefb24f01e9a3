"""``python -m pipeline``: spec fresh, docs lint clean, no breaking change, conformance quick profile.

The steps and their order are described in the package docstring (`pipeline`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from pipeline.steps import SPEC, StepOutcome, base_from_previous_tag, run_step, summary


@click.command("pipeline")
@click.option(
    "--base",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Spec to check breaking changes against (default: openapi/v2.yaml at the previous git tag).",
)
@click.option(
    "--skip-conformance", is_flag=True, help="Leave out the conformance run (e.g. on docs-only changes)."
)
def main(base: Path | None, skip_conformance: bool) -> None:
    """Spec fresh, docs lint clean, no breaking change, conformance quick profile: exit 1 if any fails."""
    python = sys.executable
    outcomes = [
        run_step("spec is fresh", [python, "-m", "specgen", "check"]),
        run_step("docs lint clean", [python, "-m", "specgen", "lint"]),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        origin = f"--base {base}"
        if base is None:
            base, origin = base_from_previous_tag(Path(tmp))
        if base is None:
            click.secho(f"\n== breaking changes: skipped: {origin}", fg="yellow")
            outcomes.append(StepOutcome("no breaking changes", "skipped", 0.0, origin))
        else:
            argv = [python, "-m", "publishing", "diff", str(base), str(SPEC)]
            outcome = run_step("no breaking changes", argv)
            outcome.note = f"against {origin}" + (f"; {outcome.note}" if outcome.note else "")
            outcomes.append(outcome)
    if skip_conformance:
        outcomes.append(StepOutcome("conformance (quick)", "skipped", 0.0, "--skip-conformance"))
    else:
        outcomes.append(
            run_step("conformance (quick)", [python, "-m", "conformance", "demo", "--profile", "quick"])
        )
    summary(outcomes)
    sys.exit(1 if any(o.status == "failed" for o in outcomes) else 0)
