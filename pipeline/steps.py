"""The steps' machinery: run one as a process and time it, find the base spec, print the summary."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import click

from openapi import SOURCE_PATH

SPEC = SOURCE_PATH


@dataclass
class StepOutcome:
    step: str
    status: str  # passed | failed | skipped
    seconds: float
    note: str = ""


def run_step(step: str, argv: list[str]) -> StepOutcome:
    click.secho(f"\n== {step}: {' '.join(argv)}", bold=True)
    started = time.perf_counter()
    result = subprocess.run(argv, check=False)
    seconds = time.perf_counter() - started
    status = "passed" if result.returncode == 0 else "failed"
    return StepOutcome(step, status, seconds, "" if status == "passed" else f"exit {result.returncode}")


def git(*args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def base_from_previous_tag(workdir: Path) -> tuple[Path | None, str]:
    """``openapi/v2.yaml`` as of the tag before HEAD, written to ``workdir``; or None and why not."""
    tag = git("describe", "--tags", "--abbrev=0", "HEAD^")
    if tag is None:
        return None, "no git tag before HEAD to compare with (pass --base FILE)"
    tag = tag.strip()
    text = git("show", f"{tag}:{SPEC.as_posix()}")
    if text is None:
        return None, f"tag {tag} has no {SPEC.as_posix()}"
    base = workdir / f"base-{tag.replace('/', '_')}.yaml"
    base.write_text(text, encoding="utf-8")
    return base, f"tag {tag}"


def summary(outcomes: list[StepOutcome]) -> None:
    click.secho("\n== contract summary", bold=True)
    colours = {"passed": "green", "failed": "red", "skipped": "yellow"}
    for o in outcomes:
        status = click.style(f"{o.status:<7}", fg=colours[o.status])
        click.echo(f"{status} {o.step:<22} {o.seconds:6.1f}s  {o.note}")
