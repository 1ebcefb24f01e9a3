"""Exit code 2, with a message saying what to fix, whenever the target cannot be tested."""

from __future__ import annotations

from testkit.processes import free_port
from tests.conformance.cli_runs import run_cli, token_args
from tests.conftest import ReferenceServer


def test_unreachable_server(tokens: list[str]) -> None:
    completed = run_cli("run", "--base-url", f"http://127.0.0.1:{free_port()}", *token_args(tokens))
    assert completed.returncode == 2
    assert "cannot reach" in completed.stdout and "--base-url" in completed.stdout


def test_refused_tokens(reference_server: ReferenceServer, tokens: list[str]) -> None:
    forged = [*tokens[:2], "not-a-token"]
    completed = run_cli("run", "--base-url", reference_server.base_url, *token_args(forged))
    assert completed.returncode == 2
    assert "token #3 was refused" in completed.stdout


def test_fewer_than_three_tokens(reference_server: ReferenceServer, tokens: list[str]) -> None:
    completed = run_cli("run", "--base-url", reference_server.base_url, *token_args(tokens[:2]))
    assert completed.returncode == 2
    assert "at least 3 tokens" in completed.stdout


def test_tokens_of_the_same_user(reference_server: ReferenceServer, tokens: list[str]) -> None:
    completed = run_cli(
        "run", "--base-url", reference_server.base_url, *token_args([tokens[0], tokens[1], tokens[0]])
    )
    assert completed.returncode == 2
    assert "same user" in completed.stdout


def test_unknown_requirement_id_is_a_usage_error(
    reference_server: ReferenceServer, tokens: list[str]
) -> None:
    completed = run_cli(
        "run", "--base-url", reference_server.base_url, *token_args(tokens), "--only", "NOPE-1"
    )
    assert completed.returncode == 2
    assert "NOPE-1" in completed.stderr
