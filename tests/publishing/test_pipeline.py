"""``python -m pipeline`` (``tox -e contract``): the pipeline's checks in one command, and where its base spec
comes from."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from pipeline.steps import base_from_previous_tag
from tests.publishing.conftest import run_pipeline, write_spec
from tests.publishing.mutations import CASES


def test_contract_fails_on_a_breaking_change(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    # The committed spec is the new version: a base with one operation more makes it a removal.
    added = next(c for c in CASES if c.name == "operation added")
    _, with_extra_operation = added.pair(base_spec)
    base = write_spec(tmp_path / "base.yaml", with_extra_operation)
    result = run_pipeline("--base", base, "--skip-conformance")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[operation-removed]" in result.stdout
    assert "failed  no breaking changes" in result.stdout
    assert "passed  spec is fresh" in result.stdout and "passed  docs lint clean" in result.stdout


def test_contract_passes_against_the_same_spec(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    base = write_spec(tmp_path / "base.yaml", base_spec)
    result = run_pipeline("--base", base, "--skip-conformance")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed  no breaking changes" in result.stdout
    assert "skipped conformance (quick)" in result.stdout


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_base_is_the_spec_at_the_previous_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "openapi").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "openapi" / "v2.yaml").write_text("openapi: 3.0.3\npaths: {}\n# v1\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first")
    monkeypatch.chdir(repo)
    base, why = base_from_previous_tag(tmp_path)
    assert base is None and "no git tag" in why
    _git(repo, "tag", "v1.0")
    (repo / "openapi" / "v2.yaml").write_text("openapi: 3.0.3\npaths: {}\n# v2\n", encoding="utf-8")
    _git(repo, "commit", "-qam", "second")
    base, why = base_from_previous_tag(tmp_path)
    assert base is not None and why == "tag v1.0"
    assert base.read_text(encoding="utf-8").endswith("# v1\n")
