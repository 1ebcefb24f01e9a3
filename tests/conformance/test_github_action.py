"""The GitHub Action (action.yml) run locally: its `run:` steps as a runner runs them, against real servers.

A runner is played by hand: the inputs and the few contexts the action uses (`inputs`, `runner.temp`,
`steps.*.outputs`) are put in, any other expression fails the test, and each `run:` step goes to
`bash --noprofile --norc -eo pipefail` (GitHub's `shell: bash`) with the GITHUB_* files of a runner.
The `uses:` steps are not run; the test asserts they are the expected actions. The install step really
runs `pip install` of a copy of this checkout (what the runner has at the action's ref) into a fresh
venv; so that it does not download every dependency again, that venv also sees this environment's
site-packages (a `.pth` file), and pip installs the kit alone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
import venv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from testkit.processes import REPO_ROOT, free_port
from tests.conftest import ReferenceServer
from tests.selftest.servers import TOKENS, toy_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("github-action")]

ACTION = yaml.safe_load((REPO_ROOT / "action.yml").read_text(encoding="utf-8"))
EXPECTED_USES = ["actions/setup-python@v5", "actions/upload-artifact@v4"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
STEP_TIMEOUT_S = 600


def steps() -> list[dict[str, Any]]:
    assert ACTION["runs"]["using"] == "composite"
    found: list[dict[str, Any]] = ACTION["runs"]["steps"]
    return found


@dataclass
class Runner:
    """One job's worth of a runner: its folders, its GITHUB_* files and the action's inputs."""

    root: Path
    action_path: Path
    bin_dir: Path
    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    logs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in ("workspace", "temp"):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        missing = [
            name
            for name, spec in ACTION["inputs"].items()
            if spec.get("required") and name not in self.inputs
        ]
        assert not missing, f"required inputs not given: {missing}"
        unknown = set(self.inputs) - set(defaults)
        assert not unknown, f"the action has no inputs {unknown}"
        self.inputs = {**defaults, **self.inputs}

    @property
    def summary(self) -> Path:
        return self.root / "step_summary.md"

    @property
    def temp(self) -> Path:
        return self.root / "temp"

    def evaluate(self, text: str) -> str:
        """`${{ … }}` as the runner would fill it in, for the expressions this action may use."""

        def value(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return self.inputs[expression.removeprefix("inputs.")]
            if expression == "runner.temp":
                return str(self.temp)
            found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
            if found:
                return self.outputs.get(found[1], {}).get(found[2], "")
            raise AssertionError(f"action.yml uses ${{{{ {expression} }}}}, which this test cannot evaluate")

        return EXPRESSION.sub(value, text)

    def environment(self, step: Mapping[str, Any], output_file: Path) -> dict[str, str]:
        inherited = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "VIRTUAL_ENV", "CONFORMANCE_TOKENS")
            and not key.startswith("GITHUB_")
        }
        return {
            **inherited,
            "PATH": f"{self.bin_dir}{os.pathsep}{os.environ['PATH']}",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(self.action_path),
            "GITHUB_WORKSPACE": str(self.root / "workspace"),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_OUTPUT": str(output_file),
            "RUNNER_TEMP": str(self.temp),
            **{name: self.evaluate(str(value)) for name, value in (step.get("env") or {}).items()},
        }

    def run_step(self, step: Mapping[str, Any]) -> subprocess.CompletedProcess[str]:
        assert step.get("shell") == "bash", step
        script = str(step["run"])
        # Inputs reach a script through its env, never spliced into its text (no script injection).
        assert "${{" not in script, step
        output_file = self.root / f"output-{len(self.logs)}"
        output_file.touch()
        completed = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=self.root / "workspace",
            env=self.environment(step, output_file),
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_S,
            check=False,
        )
        self.logs.append(completed.stdout + completed.stderr)
        if "id" in step:
            pairs = (line.partition("=") for line in output_file.read_text().splitlines() if "=" in line)
            self.outputs[str(step["id"])] = {name: value for name, _, value in pairs}
        return completed

    def run_job(self) -> int:
        """Run the steps after the install (the `installed` fixture ran it) as a runner would: `uses:` steps
        are left out (test_uses_steps_are_the_expected_actions checks them); after a failing step only
        those whose `if:` says so run. Returns the job's exit (0: it passes)."""
        failed = 0
        for step in steps()[steps().index(install_step()) + 1 :]:
            condition = str(step.get("if", ""))
            if failed and "!cancelled()" not in condition and "always()" not in condition:
                continue
            if "uses" in step:
                continue
            completed = self.run_step(step)
            failed = failed or completed.returncode
        return failed


def install_step() -> dict[str, Any]:
    (install,) = [step for step in steps() if "pip install" in str(step.get("run", ""))]
    return install


def copy_of_checkout(destination: Path) -> Path:
    """What a runner downloads for `uses: owner/repo@ref`: the repository's files, without local state."""
    anywhere = shutil.ignore_patterns(
        ".git", "node_modules", "__pycache__", "*.egg-info", ".*_cache", ".hypothesis"
    )
    at_root = {".venv", ".tox", "build", "dist", "site", "reports"}

    def ignored(folder: str, names: list[str]) -> set[str]:
        return set(anywhere(folder, names)) | (at_root & set(names) if Path(folder) == REPO_ROOT else set())

    shutil.copytree(REPO_ROOT, destination, ignore=ignored)
    return destination


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The action's folder and the bin folder of the Python its install step installed the kit into."""
    root = tmp_path_factory.mktemp("action")
    action_path = copy_of_checkout(root / "action")
    environment = root / "python"
    venv.create(environment, with_pip=True)
    purelib = Path(
        sysconfig.get_paths(vars={"base": str(environment), "platbase": str(environment)})["purelib"]
    )
    (purelib / "this-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    runner = Runner(root / "install", action_path, environment / "bin", {"base-url": "-", "tokens": "-"})
    completed = runner.run_step(install_step())
    assert completed.returncode == 0, runner.logs[-1][-3000:]
    assert (purelib / "conformance" / "__init__.py").exists(), "the kit was not installed into the fresh venv"
    return action_path, environment / "bin"


def test_uses_steps_are_the_expected_actions() -> None:
    assert [step["uses"] for step in steps() if "uses" in step] == EXPECTED_USES
    upload = next(step for step in steps() if step.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "${{ !cancelled() }}"  # the reports of a failing run are uploaded too
    suite = next(step for step in steps() if step.get("id") == "suite")
    assert suite["env"]["CONFORMANCE_TOKENS"] == "${{ inputs.tokens }}"
    assert "--token " not in suite["run"] and "CONFORMANCE_TOKENS" not in suite["run"].replace(
        "for token in $CONFORMANCE_TOKENS", ""
    )


def uploaded_paths(runner: Runner) -> list[Path]:
    upload = next(step for step in steps() if step.get("uses", "").startswith("actions/upload-artifact"))
    return [
        Path(runner.evaluate(line.strip())) for line in upload["with"]["path"].splitlines() if line.strip()
    ]


def assert_no_token_leaks(runner: Runner, tokens: list[str], *, reports: bool = True) -> None:
    """No token in the summary or a report; in the log, only in the `::add-mask::` commands, one each."""
    log = "\n".join(runner.logs)
    lines_with_tokens = [line for line in log.splitlines() if any(token in line for token in tokens)]
    assert sorted(lines_with_tokens) == sorted(f"::add-mask::{token}" for token in tokens)
    for path in [runner.summary, *(uploaded_paths(runner) if reports else [])]:
        text = path.read_text(encoding="utf-8")
        assert not any(token in text for token in tokens), path


def test_a_conforming_server_passes_the_job(
    installed: tuple[Path, Path], reference_server: ReferenceServer, tokens: list[str], tmp_path: Path
) -> None:
    action_path, bin_dir = installed
    inputs = {
        "base-url": reference_server.base_url,
        "tokens": "\n".join(tokens),  # a secret of several lines
        "families": "group",
        "community-options": "content_availability=true",
        "rate-limit": "none",
        "seed": "7",
    }
    runner = Runner(tmp_path, action_path, bin_dir, inputs)
    assert runner.run_job() == 0, "\n".join(runner.logs)[-5000:]
    assert runner.outputs["suite"] == {"exit-code": "0"}
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("## ✅ Conforms: every MUST requirement holds")
    assert "| passed | failed | warned | observed | skipped | errored |" in summary
    assert "families group" in summary and "### Not passed" not in summary
    assert all(path.is_file() for path in uploaded_paths(runner))
    assert_no_token_leaks(runner, tokens)


def test_a_failing_server_fails_the_job_and_still_uploads(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    action_path, bin_dir = installed
    with toy_server("--fault", "status-200") as toy:
        runner = Runner(
            tmp_path,
            action_path,
            bin_dir,
            {"base-url": toy.base_url, "tokens": " ".join(TOKENS), "families": "event", "seed": "1"},
        )
        assert runner.run_job() != 0
    assert runner.outputs["suite"] == {"exit-code": "1"}
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("## ❌ Does not conform")
    assert "| `INV-204[event]` | MUST | ❌ failed |" in summary
    assert all(path.is_file() for path in uploaded_paths(runner))
    assert_no_token_leaks(runner, list(TOKENS))


def test_an_untestable_server_fails_the_job_and_says_why(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    action_path, bin_dir = installed
    inputs = {"base-url": f"http://127.0.0.1:{free_port()}", "tokens": " ".join(TOKENS)}
    runner = Runner(tmp_path, action_path, bin_dir, inputs)
    assert runner.run_job() != 0
    assert runner.outputs["suite"] == {"exit-code": "2"}
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("## ❌ Could not be tested") and "cannot reach" in summary
    assert_no_token_leaks(runner, list(TOKENS), reports=False)
