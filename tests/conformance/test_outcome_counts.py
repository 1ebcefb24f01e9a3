"""One set of outcome counts (runner.OutcomeCounts) in every report: a SHOULD that does not hold is warned
everywhere, and no count contradicts the verdict."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from rich.console import Console

from conformance.reports import to_dict, write_junit
from conformance.reports.console import print_report
from conformance.reports.html import render_html
from conformance.reports.markdown import render_markdown
from conformance.runner import Outcome, OutcomeCounts, Result, RunResult, Verdict
from openapi.catalog import Level, Requirement

COUNTS = "2 passed, 0 failed, 1 warned, 1 observed, 1 skipped, 0 errored"


def requirement(name: str, level: Level) -> Requirement:
    return Requirement(
        name,
        level,
        f"{name} title",
        "rule",
        ("RFC 2119 §1",),
        ("me",),
        "TOL",
        "Behaviour the contract leaves open",
    )


def conforming_run_with_a_warning() -> RunResult:
    results = [
        Result(requirement("MUST-ONE", Level.MUST), Verdict.PASS, 0.1),
        Result(requirement("SHOULD-ONE", Level.SHOULD), Verdict.FAIL, 0.1, "answers 200, not 204"),
        Result(requirement("SHOULD-TWO", Level.SHOULD), Verdict.PASS, 0.1),
        Result(requirement("MAY-ONE", Level.MAY), Verdict.OBSERVED, 0.1, "pages of 20"),
        Result(requirement("SHOULD-THREE", Level.SHOULD), Verdict.SKIPPED, 0.1, "prerequisite failed"),
    ]
    return RunResult("http://127.0.0.1:1", "quick", 1, [], results, datetime.now(UTC), 1.0, 10)


def test_counts_are_by_outcome() -> None:
    run = conforming_run_with_a_warning()
    assert run.ok and run.exit_code == 0
    assert run.counts == OutcomeCounts(passed=2, warned=1, observed=1, skipped=1)
    assert run.counts.describe() == COUNTS
    assert run.counts.describe(every=False) == "2 passed, 1 warned, 1 observed, 1 skipped"
    assert run.counts.total == len(run.results)
    assert [run.counts[outcome] for outcome in Outcome] == [2, 0, 1, 1, 1, 0]


def test_every_report_prints_the_same_counts(tmp_path: Path) -> None:
    run = conforming_run_with_a_warning()

    output = io.StringIO()
    print_report(Console(file=output, width=200), run)
    console = output.getvalue()
    assert f"CONFORMS: every MUST requirement holds. {COUNTS} in 1.0s, 10 requests" in console
    assert re.search(r"SHOULD-ONE\s+│\s+SHOULD\s+│\s+warned\s+│", console), console
    assert "SHOULD-ONE warned: answers 200, not 204" in console

    assert to_dict(run)["outcomes"] == run.counts.as_dict()
    assert to_dict(run)["requirements"][1]["outcome"] == "warned"

    write_junit(run, tmp_path / "junit.xml")
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert {name: int(properties[f"outcome.{name}"]) for name in run.counts.as_dict()} == run.counts.as_dict()
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("0", "0", "2")
    warned = [case for case in suite.iter("testcase") if (case.get("name") or "").startswith("SHOULD-ONE")]
    assert [skip.get("type") for skip in warned[0].iter("skipped")] == ["warned"]

    page = render_html(run)
    for outcome, count in run.counts.as_dict().items():
        assert re.search(rf'id="count-{outcome}"><b class="{outcome}">{count}</b>', page), outcome
    assert re.search(r'<td class="verdict warned" title="verdict: fail">warned', page)

    markdown = render_markdown(run)
    assert "| passed | failed | warned | observed | skipped | errored |" in markdown
    assert "| 2 | 0 | 1 | 1 | 1 | 0 |" in markdown
    assert "| `SHOULD-ONE` | SHOULD | ⚠️ warned | answers 200, not 204 |" in markdown
    assert markdown.startswith("## ✅ Conforms")
