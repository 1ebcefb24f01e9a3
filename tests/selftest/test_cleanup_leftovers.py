"""What a run cannot delete is listed, never silently left (docs/contract.md, rule 82): against a toy that
refuses every DELETE, each resource the run created is reported by family and id, and no verdict changes."""

from __future__ import annotations

import re

import pytest

from .fault_runs import unless_checked
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
