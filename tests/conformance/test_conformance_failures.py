"""A failing requirement exits 1 with evidence that replays, shown with a spec the server does not meet."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

from testkit.processes import REPO_ROOT
from tests.conformance.cli_runs import family_args, planned_ids, run_cli, token_args
from tests.conftest import ReferenceServer


def spec_requiring_an_undocumented_field(directory: Path) -> Path:
    """openapi/v2.yaml, except that GET status must also answer a field no server sends."""
    spec = yaml.safe_load((REPO_ROOT / "openapi" / "v2.yaml").read_text())
    for item in spec["paths"].values():
        operation = item.get("get", {})
        if operation.get("operationId") == "getSubscriptionStatus":
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            schema.setdefault("properties", {})["since"] = {"type": "string"}
            schema["required"] = [*schema.get("required", []), "since"]
    path = directory / "v2.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def test_failing_must_exits_1_with_replayable_evidence(
    reference_server: ReferenceServer, tokens: list[str], tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    completed = run_cli(
        "run", "--base-url", reference_server.base_url, *token_args(tokens), "--seed", "9",
        "--spec", str(spec_requiring_an_undocumented_field(tmp_path)), "--json", str(report),
        "--junit-xml", str(tmp_path / "junit.xml"), "--html", str(tmp_path / "report.html"),
        "--only", "SPEC-SCHEMA", "--only", "INV-204", "--family", "event", "--family", "group",
    )  # fmt: skip
    assert completed.returncode == 1, completed.stdout[-3000:]
    assert "DOES NOT CONFORM" in completed.stdout and "SPEC-SCHEMA" in completed.stdout
    entries = {entry["id"]: entry for entry in json.loads(report.read_text())["requirements"]}
    assert set(entries) == {f"{rid}[{f}]" for rid in ("SPEC-SCHEMA", "INV-204") for f in ("event", "group")}
    assert entries["INV-204[event]"]["verdict"] == entries["INV-204[group]"]["verdict"] == "pass"
    # Only the event family's status schema changed: the group family's instance still holds.
    assert entries["SPEC-SCHEMA[group]"]["verdict"] == "pass"
    failed = entries["SPEC-SCHEMA[event]"]
    assert failed["verdict"] == "fail"
    assert "since" in failed["message"]
    evidence = failed["evidence"]
    assert evidence and all(e["curl"].startswith("curl -i -X GET") for e in evidence)
    assert all("/status/" in e["url"] for e in evidence)
    junit = ET.parse(tmp_path / "junit.xml").getroot()
    failures = junit.findall(".//testcase/failure")
    assert len(failures) == 1 and "curl -i -X GET" in (failures[0].text or "")
    html = (tmp_path / "report.html").read_text()
    assert "Does not conform" in html and "curl -i -X GET" in html
    # The curl line reads each token from its variable (TOKEN_1 is the first token given): export, then run.
    assert evidence[0]["curl_variables"] and not any(token in evidence[0]["curl"] for token in tokens)
    if shutil.which("curl"):
        exported = {f"TOKEN_{position}": token for position, token in enumerate(tokens, start=1)}
        replay = subprocess.run(
            ["bash", "-c", evidence[0]["curl"] + " -sS"],
            capture_output=True,
            text=True,
            env={**os.environ, **exported},
        )
        assert replay.stdout.startswith(f"HTTP/1.1 {evidence[0]['status']}")
    # The cleanup kept the resource the evidence names, so that its curl lines replay, and says so; it
    # deleted every other resource it created.
    cleanup = json.loads(report.read_text())["cleanup"]
    assert [left["family"] for left in cleanup["leftovers"]] == ["event"], cleanup
    assert cleanup["leftovers"][0]["reason"] == (
        "kept: the evidence of SPEC-SCHEMA[event] names it (its curl lines replay)"
    )
    assert f"/api/v2/event/{cleanup['leftovers'][0]['id']}/" in evidence[0]["url"]
    assert cleanup["deleted"] == cleanup["created"] - 1 > 0


def test_three_tokens_are_enough(
    reference_server: ReferenceServer, tokens: list[str], served: list[str]
) -> None:
    only = ("INV-ALL-IDS", "MEDIA-FORM", "MGR-INVITE-POST", "MODEL-STATEFUL")
    completed = run_cli(
        "run", "--base-url", reference_server.base_url, *token_args(tokens[:3]), "--seed", "4",
        *(part for requirement in only for part in ("--only", requirement)), *family_args(served),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:]
    instances = [rid for rid in planned_ids(*served) if rid.split("[")[0] in only]
    assert len(instances) == len(only) * len(served)  # four requirements, each for every family
    assert f"{len(instances)} passed, 0 failed" in completed.stdout
