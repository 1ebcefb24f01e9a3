"""Fixtures for the publishing commands: the project's spec, the corpus, a CLI runner."""

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


def specgen(*args: str | Path, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m specgen`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "specgen", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def write_spec(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
