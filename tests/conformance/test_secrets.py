"""No report, log line or evidence holds a token, even from a failing run against a server that echoes them.

The failing run is the toy's `status-200` fault behind `echo_server.py`, which puts the caller's token in a
response header, a percent-encoded link and every JSON object body; the tokens come from
`CONFORMANCE_TOKENS`, never the command line. Every report is searched for every token; the same
reports must show the shell variables instead, so that the search could fail.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest

from conformance.client import Client
from conformance.credentials import (
    MIN_TOKEN_LENGTH,
    SHOWN_NOTICE,
    TOKENS_ENV,
    Credentials,
    TokenError,
    gather_tokens,
)
from conformance.exchange import Exchange, render_curl
from conformance.reports.console import masked_stdio
from testkit.processes import REPO_ROOT, ServerProcess, free_port, python_module
from tests.conformance.cli_runs import run_cli
from tests.conftest import ReferenceServer
from tests.selftest.servers import TOKENS, toy_server

pytestmark = pytest.mark.xdist_group("conformance-secrets")

ROLES = ("manager", "member", "requester", "outsider")


@pytest.fixture(scope="module")
def echoing_server() -> Iterator[ServerProcess]:
    """A toy that answers 200 where the contract says 204, behind a server that echoes every token."""
    with toy_server("--fault", "status-200") as toy:
        port = free_port()
        argv = python_module("tests.conformance.echo_server", "--port", str(port), "--upstream", toy.base_url)
        with ServerProcess(argv, port, ready_path="/api/v2/user/me/") as echo:
            yield echo


@dataclass
class Reports:
    completed: subprocess.CompletedProcess[str]
    directory: Path

    def texts(self) -> dict[str, str]:
        """Every text the run wrote: its console (stdout, stderr) and each report file."""
        files = {path.name: path.read_text(encoding="utf-8") for path in sorted(self.directory.iterdir())}
        return {"stdout": self.completed.stdout, "stderr": self.completed.stderr, **files}

    def json(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads((self.directory / "report.json").read_text())
        return loaded


def report_args(directory: Path) -> list[str]:
    return [
        "--json", str(directory / "report.json"), "--junit-xml", str(directory / "junit.xml"),
        "--html", str(directory / "report.html"), "--markdown-summary", str(directory / "summary.md"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def failing_run(echoing_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> Reports:
    directory = tmp_path_factory.mktemp("secrets")
    completed = run_cli(
        "run", "--base-url", echoing_server.base_url, "--seed", "1", "--family", "event",
        *report_args(directory), env={TOKENS_ENV: " ".join(TOKENS)},
    )  # fmt: skip
    return Reports(completed, directory)


def test_no_report_holds_a_token(failing_run: Reports) -> None:
    assert failing_run.completed.returncode == 1, failing_run.completed.stdout[-3000:]
    texts = failing_run.texts()
    assert set(texts) == {"stdout", "stderr", "report.json", "junit.xml", "report.html", "summary.md"}
    for name, text in texts.items():
        for token in TOKENS:
            for form in {token, quote(token, safe="")}:
                assert form not in text, f"{name} holds {form!r}"
    # What stands in their place: the evidence (curl lines, the headers the server echoed) names variables.
    for name in ("stdout", "report.json", "junit.xml", "report.html"):
        unescaped = html.unescape(texts[name]).replace('\\"', '"')  # HTML's &#34;, JSON's \"
        assert re.search(r'-H "authorization: Bearer \$TOKEN_1"', unescaped, re.I), name
    assert "x-echo-token: $TOKEN_1" in texts["stdout"]
    assert "access_token=$TOKEN_1" in texts["stdout"]


def test_every_report_says_which_variable_is_whose_token(failing_run: Reports) -> None:
    body = failing_run.json()
    legend = body["token_variables"]
    assert isinstance(legend, dict)
    assert list(legend) == [f"TOKEN_{n}" for n in range(1, len(TOKENS) + 1)]
    assert all(re.fullmatch(rf"user \d+ \({role}\)", legend[f"TOKEN_{n}"]) for n, role in enumerate(ROLES, 1))
    texts = failing_run.texts()
    for variable, holder in legend.items():
        assert f"  {variable}: {holder}" in texts["stdout"]
        assert f"<code>{variable}</code>: {holder}" in texts["report.html"]
        assert f"`{variable}` {holder}" in texts["summary.md"]
    properties = {
        p.get("name"): p.get("value")
        for p in ET.parse(failing_run.directory / "junit.xml").getroot().iter("property")
    }
    assert {
        name: value for name, value in properties.items() if name and name.startswith("token_variable.")
    } == {f"token_variable.{variable}": holder for variable, holder in legend.items()}
    assert body["secrets_shown"] is False


def test_evidence_is_masked_where_it_is_recorded(failing_run: Reports) -> None:
    """The JSON evidence holds variables in the request, the echoed header and the echoed body: the
    exchange was masked when kept, not only the report text at the end."""
    requirements = failing_run.json()["requirements"]
    assert isinstance(requirements, list)
    evidence = [e for entry in requirements for e in entry["evidence"]]
    assert evidence
    for exchange in evidence:
        headers = {k.lower(): v for k, v in exchange["request_headers"].items()}
        if "authorization" in headers:
            assert re.fullmatch(r"Bearer \$TOKEN_\d", headers["authorization"]), headers
            assert exchange["curl_variables"]
            assert exchange["response_headers"]["x-echo-token"].startswith("$TOKEN_")
    echoed_bodies = [e["response_body"] for e in evidence if '"echo"' in e["response_body"]]
    assert all('"token": "$TOKEN_' in body for body in echoed_bodies)


def test_show_secrets_shows_them_and_says_so(echoing_server: ServerProcess, tmp_path: Path) -> None:
    token_file = tmp_path / "tokens.txt"
    token_file.write_text("# the users of the run\n" + "\n".join(TOKENS[:3]) + "\n\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    completed = run_cli(
        "run", "--base-url", echoing_server.base_url, "--token-file", str(token_file), "--show-secrets",
        "--seed", "1", "--family", "event", "--only", "INV-204", *report_args(reports),
    )  # fmt: skip
    assert completed.returncode == 1, completed.stdout[-3000:]
    assert completed.stdout.startswith(SHOWN_NOTICE)
    assert f'"Authorization: Bearer {TOKENS[0]}"' in completed.stdout or f"Bearer {TOKENS[0]}'" in (
        completed.stdout
    )
    body = json.loads((reports / "report.json").read_text())
    assert body["secrets_shown"] is True
    assert TOKENS[0] in json.dumps(body["requirements"])
    assert 'id="secrets-shown"' in (reports / "report.html").read_text()
    assert SHOWN_NOTICE in (reports / "summary.md").read_text()
    assert '<property name="secrets_shown" value="true"' in (reports / "junit.xml").read_text()


def test_a_token_too_short_to_mask_is_refused(reference_server: ReferenceServer, tmp_path: Path) -> None:
    short = "abc1234"
    assert len(short) < MIN_TOKEN_LENGTH
    summary = tmp_path / "summary.md"
    completed = run_cli(
        "run", "--base-url", reference_server.base_url, "--markdown-summary", str(summary),
        env={TOKENS_ENV: f"long-enough-1 {short} long-enough-3"},
    )  # fmt: skip
    assert completed.returncode == 2, completed.stdout
    assert "token #2 has 7 characters" in completed.stdout
    assert short not in completed.stdout + completed.stderr
    assert "Could not be tested" in summary.read_text() and short not in summary.read_text()


def test_tokens_come_from_the_options_else_the_environment(tmp_path: Path) -> None:
    token_file = tmp_path / "tokens"
    token_file.write_text("  file-token-1\n# a comment\n\nfile-token-2\n")
    environ = {TOKENS_ENV: " env-token-1\n\tenv-token-2  env-token-3 "}
    assert gather_tokens([], None, environ) == ["env-token-1", "env-token-2", "env-token-3"]
    assert gather_tokens([], token_file, environ) == ["file-token-1", "file-token-2"]
    assert gather_tokens(["cli-token-1"], token_file, environ) == [
        "cli-token-1",
        "file-token-1",
        "file-token-2",
    ]
    assert gather_tokens(["cli-token-1"], None, environ) == ["cli-token-1"]
    assert gather_tokens([], None, {}) == []
    with pytest.raises(TokenError, match="cannot read the token file"):
        gather_tokens([], tmp_path, environ)


def test_mask_replaces_every_spelling_of_every_token() -> None:
    credentials = Credentials(["abc/def+gh=", "abc/def+gh=-longer", "plain-token"])
    text = (
        "Bearer abc/def+gh= then abc/def+gh=-longer, abc%2Fdef%2Bgh%3D in a URL, abc%2Fdef%2Bgh%3D-longer, "
        'json "abc\\/def+gh=" no: escaped slashes are not JSON\'s default, plain-token_x, &lt;plain-token&gt;'
    )
    masked = credentials.mask(text)
    assert (
        "abc/def" not in masked
        and "abc%2Fdef" not in masked
        and "plain-token" not in masked.replace("$TOKEN_3", "")
    )
    assert masked.startswith("Bearer $TOKEN_1 then $TOKEN_2, $TOKEN_1 in a URL, $TOKEN_2, ")
    assert "${TOKEN_3}_x" in masked and "&lt;$TOKEN_3&gt;" in masked
    assert credentials.mask_bytes(b"x=plain-token&y=1") == b"x=$TOKEN_3&y=1"
    assert Credentials(["abc/def+gh="], shown=True).mask(text) == text
    assert "abc" not in repr(credentials)


def test_curl_line_with_variables_survives_the_shell() -> None:
    """After `export TOKEN_1=…`, each argument of the curl line is the value that was sent, whatever else
    the header holds (quotes, `$`, backquotes, `!`, backslashes)."""
    token = "tok.en-with_ALL-safe.chars"
    credentials = Credentials([token])
    values = [
        f"Bearer {token}",
        f'it\'s "{token}" and $HOME `id` !x \\ {token}tail',
        f"{token}",
    ]
    exchange = credentials.mask_exchange(
        Exchange("POST", f"http://h/x?t={token}", [(f"X-{i}", v) for i, v in enumerate(values)], b"")
    )
    command = exchange.curl()
    assert token not in command and exchange.variables == ("TOKEN_1",)
    assert '-H "X-0: Bearer $TOKEN_1"' in command
    script = f"export TOKEN_1={token}; set -- {command.removeprefix('curl ')}; printf '%s\\n' \"$@\""
    printed = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout
    assert printed.splitlines() == ["-i", "-X", "POST", f"http://h/x?t={token}"] + [
        part for i, value in enumerate(values) for part in ("-H", f"X-{i}: {value}")
    ]
    # Without variables, render_curl quotes as it always did: a literal `$TOKEN_1` stays literal.
    assert (
        render_curl("GET", "http://h/", [("X", "$TOKEN_1")], b"")
        == "curl -i -X GET http://h/ -H 'X: $TOKEN_1'"
    )


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl binary")
def test_client_keeps_exchanges_masked_and_their_curl_replays(
    reference_server: ReferenceServer, tokens: list[str]
) -> None:
    client = Client(reference_server.base_url, credentials=Credentials(tokens))
    try:
        exchange = client.request("GET", "/api/v2/user/me/", token=tokens[1])
    finally:
        client.close()
    assert exchange.status == 200 and client.exchanges == [exchange]
    assert not any(token in json.dumps(exchange.to_dict()) for token in tokens)
    assert exchange.variables == ("TOKEN_2",)
    replay = subprocess.run(
        ["bash", "-c", exchange.curl() + " -sS"],
        capture_output=True,
        text=True,
        env={**os.environ, "TOKEN_2": tokens[1]},
        check=True,
    )
    assert replay.stdout.startswith("HTTP/1.1 200"), replay.stdout
    assert exchange.text in replay.stdout


def test_pytest_plugin_reads_the_environment_and_masks_its_output(
    echoing_server: ServerProcess, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), TOKENS_ENV: " ".join(TOKENS)}
    junit = tmp_path / "junit.xml"
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conformance.pytest_plugin", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-rA", "--base-url", echoing_server.base_url, "--conformance-seed", "1",
         "--conformance-family", "event", "-k", "INV-204 or AUTH-MISSING or TOL-ERROR-FORMAT",
         "--junit-xml", str(junit), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output[-3000:]
    assert re.search(r'"authorization: Bearer \$TOKEN_1"', output, re.I), output[-3000:]
    assert "conformance: curl lines read the tokens from shell variables (TOKEN_1: user 1 (manager)" in output
    assert "conformance: load: no rate limit (the default on loopback), one request at a time" in output
    assert re.search(
        r"^conformance: 1 passed, 1 failed, 0 warned, 1 observed, 0 skipped, 0 errored$", output, re.M
    )
    for text in (output, junit.read_text()):
        assert not any(token in text for token in TOKENS)


def test_what_a_library_prints_during_a_run_is_masked(capsys: pytest.CaptureFixture[str]) -> None:
    credentials = Credentials(["secret-token-1"])
    with masked_stdio(credentials):
        print("Falsifying example: Bearer secret-token-1")
        print("warning: secret-token-1", file=sys.stderr)
    print("after: secret-token-1")
    captured = capsys.readouterr()
    assert captured.out == "Falsifying example: Bearer $TOKEN_1\nafter: secret-token-1\n"
    assert captured.err == "warning: $TOKEN_1\n"
