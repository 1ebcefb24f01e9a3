"""The claims of docs/breaking-changes.md, held against Optic when it is installed.

Optic is not installed by CI (an npm package with ~600 dependencies); point CONTRACT_OPTIC at its
executable (``npm install --prefix DIR @useoptic/optic`` → ``DIR/node_modules/.bin/optic``) to run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from publishing.diff import compare
from tests.publishing.compare_checkers import run_optic
from tests.publishing.conftest import write_spec
from tests.publishing.mutations import CASES

pytestmark = pytest.mark.node

#: Pairs on which docs/breaking-changes.md says both checkers call the change breaking.
BOTH_BREAKING = [
    "operation removed",
    "required query parameter added",
    "query parameter became required",
    "query parameter type changed",
    "query parameter enum narrowed",
    "required request property added",
    "request property became required",
    "success status changed (204 → 200)",
    "error status removed",
    "response property removed",
    "response property became nullable",
    "response property became optional",
    "response enum value added",
]
#: Pairs on which the document says only publishing diff reports a break.
ONLY_SPECGEN = [
    "query parameter removed",
    "request item type changed (integer → string)",
    "request media type dropped",
    "authentication added",
    "role added",
]


@pytest.fixture(scope="module")
def optic() -> str:
    path = os.environ.get("CONTRACT_OPTIC", "")
    if not path or not Path(path).exists():
        pytest.skip("Optic not installed: set CONTRACT_OPTIC to the optic executable to compare")
    return path


@pytest.mark.parametrize("name", BOTH_BREAKING + ONLY_SPECGEN)
def test_documented_outcome(name: str, optic: str, tmp_path: Path, base_spec: dict[str, Any]) -> None:
    case = next(c for c in CASES if c.name == name)
    old, new = case.pair(base_spec)
    assert any(change.breaking for change in compare(old, new))
    optic_breaking, _ = run_optic(
        optic, write_spec(tmp_path / "old.yaml", old), write_spec(tmp_path / "new.yaml", new)
    )
    assert optic_breaking == (name in BOTH_BREAKING)
