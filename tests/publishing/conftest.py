"""Fixtures for the publishing commands and the pipeline runner: the project's spec, the corpus, CLIs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from openapi import SPEC_PATH as DEFAULT_SPEC_PATH
from testkit.processes import REPO_ROOT

SPEC_PATH = Path(os.environ.get("CONTRACT_SPEC", DEFAULT_SPEC_PATH))
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "apireference" / "v2"


@pytest.fixture(scope="session")
def base_spec() -> dict[str, Any]:
    """The committed spec, parsed (tests copy it before mutating)."""
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def run_module(module: str, *args: str | Path, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m MODULE ARGS…`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def specgen(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m specgen``: the generator, which makes the specs the publishing commands read."""
    return run_module("specgen", *args)


def publish(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m publishing``: docs, markdown, diff."""
    return run_module("publishing", *args)


def run_pipeline(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m pipeline``: the contract checks of ``tox -e contract``."""
    return run_module("pipeline", *args)


def write_spec(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
