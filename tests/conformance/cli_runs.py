"""The conformance CLI as its users run it: a child process, the package importable from the repository."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence

from conformance.runner import plan, select
from openapi.document import shipped
from openapi.families import families
from testkit.processes import REPO_ROOT, python_module

CLI_TIMEOUT_S = 300


def run_cli(
    *args: str, cwd: os.PathLike[str] | str = REPO_ROOT, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m conformance …` in a child process, the package importable from the repository; `env`
    adds to this process's environment."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        python_module("conformance", *args), cwd=cwd, env=env, capture_output=True, text=True,
        timeout=CLI_TIMEOUT_S, check=False,
    )  # fmt: skip


def token_args(tokens: Sequence[str]) -> list[str]:
    return [part for token in tokens for part in ("--token", token)]


def planned_ids(*family_names: str) -> list[str]:
    """The requirement instances a run checks (`INV-204[event]`, …): every family of the packaged spec, or
    these."""
    spec = shipped()
    chosen = select(spec, family_names) if family_names else families(spec)
    return [requirement.id for requirement in plan(spec, chosen)]
