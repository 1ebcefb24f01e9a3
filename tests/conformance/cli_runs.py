"""The conformance CLI as its users run it: a child process, the package importable from the repository."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence

import httpx

from conformance.runner import plan, select
from openapi.document import Spec, shipped
from openapi.families import families
from reference_impl.app import SPEC_URL_PATH
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


def served_families(base_url: str) -> list[str]:
    """The families a reference server serves, in the order the suite checks them: those of the document it
    publishes (it leaves out a family it has no storage for). The runs of these tests check them, so they
    hold on the server of every stage of the kit; every family of the spec once the server stores them."""
    document = httpx.get(base_url + SPEC_URL_PATH, timeout=30).raise_for_status().json()
    published = {family.name for family in families(Spec(shipped().path, document))}
    return [family.name for family in families(shipped()) if family.name in published]


def family_args(names: Sequence[str]) -> list[str]:
    return [part for name in names for part in ("--family", name)]


def planned_ids(*family_names: str) -> list[str]:
    """The requirement instances a run checks (`INV-204[event]`, …): every family of the packaged spec, or
    these."""
    spec = shipped()
    chosen = select(spec, family_names) if family_names else families(spec)
    return [requirement.id for requirement in plan(spec, chosen)]


def planned_catalog_ids(*family_names: str) -> set[str]:
    """The catalog ids of the requirements a run checks for these families (every family: all of them)."""
    spec = shipped()
    chosen = select(spec, family_names) if family_names else families(spec)
    return {requirement.catalog_id for requirement in plan(spec, chosen)}
