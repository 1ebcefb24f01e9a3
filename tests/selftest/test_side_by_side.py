"""Families checked side by side give what one family after another gives: the same verdicts, the same
requests per requirement, the same readings in the same order, on the same seed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from conformance.cli import execute

from .fault_runs import CHECKED
from .servers import TOKENS, toy_server

#: Cheap deterministic checks, the one that acts on other families (READ-FAMILIES-APART), and both kinds
#: of Hypothesis runs (Schemathesis, the state machine), which take turns.
ONLY = ("READ-PAGINATION", "READ-FAMILIES-APART", "KEEP-STATE", "SPEC-NO-5XX", "MODEL-STATEFUL")


def report(base_url: str, directory: Path, *, side_by_side: bool) -> dict[str, Any]:
    path = directory / f"side-by-side-{side_by_side}.json"
    output = io.StringIO()
    execute(
        base_url,
        list(TOKENS),
        seed=1,
        json_path=path,
        only=list(ONLY),
        console=Console(file=output, width=200),
        side_by_side=side_by_side,
    )
    body: dict[str, Any] = json.loads(path.read_text())
    body["output"] = output.getvalue()
    return body


def test_side_by_side_reads_as_one_family_after_another(tmp_path: Path) -> None:
    assert len(CHECKED) > 1
    # Each mode on a fresh toy: what a run finds on the server (the ids the previous run used) is the same.
    with toy_server() as server:
        apart = report(server.base_url, tmp_path, side_by_side=False)
    with toy_server() as server:
        together = report(server.base_url, tmp_path, side_by_side=True)
    seen = [
        [(r["id"], r["verdict"], r["requests"]) for r in body["requirements"]] for body in (apart, together)
    ]
    assert seen[0] == seen[1]
    assert {r["family"] for r in apart["requirements"]} >= set(CHECKED)
    assert list(apart["readings"].items()) == list(together["readings"].items())
    assert apart["requests"] == together["requests"]
    assert "families at once" in together["load"] and "families at once" not in apart["load"]
