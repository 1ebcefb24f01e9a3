"""What a run cannot delete is listed, never silently left (docs/contract.md, rule 82): against a toy that
refuses every DELETE, each resource the run created is reported by family and id, and no verdict changes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from conformance.cli import execute
from openapi.document import shipped

from .fault_runs import unless_checked
from .servers import TOKENS, toy_server
from .suite_runs import Job

ONLY = ("INV-204", "INV-LISTED")


@pytest.mark.parametrize("family", [pytest.param("group", marks=unless_checked("group"))])
def test_resources_the_server_refuses_to_delete_are_listed(family: str) -> None:
    refused = Job(("--fault", "delete-refused"), only=ONLY, families=(family,)).run()
    correct = Job(only=ONLY, families=(family,)).run()
    # Cleaning comes after the verdicts: both toys get the same ones.
    assert refused.exit_code == correct.exit_code == 0, refused.explain()
    assert refused.verdicts == correct.verdicts, refused.explain()
    assert correct.cleanup is not None and correct.cleanup["leftovers"] == [], correct.cleanup
    assert correct.cleanup["deleted"] == correct.cleanup["created"] > 0
    cleanup = refused.cleanup
    assert cleanup is not None and cleanup["deleted"] == 0, cleanup
    assert len(cleanup["leftovers"]) == cleanup["created"] == cleanup["created_by_family"][family] >= 3
    assert {left["family"] for left in cleanup["leftovers"]} == {family}
    assert {left["reason"] for left in cleanup["leftovers"]} == {"DELETE answered 403"}
    listed = re.findall(rf"^  {family} (\d+): DELETE answered 403$", refused.output, re.M)
    assert sorted(map(int, listed)) == sorted(left["id"] for left in cleanup["leftovers"]), refused.output
    assert "Left on the server:" in refused.output and "toy-token" not in refused.output


def test_resources_of_a_family_without_a_documented_delete_are_listed(tmp_path: Path) -> None:
    """Tested against a spec without the delete operations, the suite cannot delete what it created (it
    deletes only through documented operations), and says so for each."""
    document = yaml.safe_load(shipped().path.read_text(encoding="utf-8"))
    for item in document["paths"].values():
        if item.get("delete", {}).get("operationId", "").startswith("delete"):
            del item["delete"]
    spec = tmp_path / "without-delete.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    output, report = io.StringIO(), tmp_path / "report.json"
    with toy_server() as server:
        code = execute(
            server.base_url, list(TOKENS), seed=1, spec_path=spec, json_path=report, only=["INV-204"],
            family_names=["event"], console=Console(file=output, width=200),
        )  # fmt: skip
    assert code == 0, output.getvalue()
    cleanup = json.loads(report.read_text())["cleanup"]
    assert cleanup["deleted"] == 0 and cleanup["requests"] == 0, cleanup
    assert len(cleanup["leftovers"]) == cleanup["created"] >= 2
    assert {left["reason"] for left in cleanup["leftovers"]} == {"the spec documents no DELETE of one event"}
    assert "Left on the server:" in output.getvalue()
