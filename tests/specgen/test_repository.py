"""The committed spec is what the docs make, and Connexion 3 loads it."""

from __future__ import annotations

import subprocess
import sys

from testkit.processes import REPO_ROOT


def test_committed_spec_is_fresh_and_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "specgen", "check"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_connexion_loads_the_spec() -> None:
    import connexion

    app = connexion.AsyncApp(__name__)
    app.add_api(REPO_ROOT / "openapi" / "v2.yaml", resolver_error=501)
