"""The suite passes the reference server through its CLI, and its reports say so in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from openapi.catalog import load_catalog
from testkit.reference import sqlite_url, start_reference_server
from tests.conformance.cli_runs import family_args, planned_catalog_ids, planned_ids, run_cli, token_args
from tests.conformance.conftest import USERNAMES
from tests.conformance.test_cleanup import stored
from tests.conftest import ReferenceServer

# The quick run is the module's fixture: one xdist worker makes it once.
pytestmark = pytest.mark.xdist_group("conformance-cli")


@pytest.fixture(scope="module")
def quick_run(served: list[str], tmp_path_factory: pytest.TempPathFactory):
    """The quick profile against a reference server of its own: two worker processes on one SQLite file,
    as a server is deployed when one process is not enough (tests/scale runs the same on PostgreSQL)."""
    directory = tmp_path_factory.mktemp("quick")
    reports = {
        "json": directory / "report.json",
        "junit": directory / "junit.xml",
        "html": directory / "report.html",
        "markdown": directory / "summary.md",
    }
    server = start_reference_server(sqlite_url(directory), workers=2)
    try:
        tokens = [server.token(name) for name in USERNAMES]
        before = stored(server)
        completed = run_cli(
            "run", "--base-url", server.base_url, *token_args(tokens), "--profile", "quick",
            "--seed", "3", *family_args(served),
            "--json", str(reports["json"]), "--junit-xml", str(reports["junit"]),
            "--html", str(reports["html"]), "--markdown-summary", str(reports["markdown"]),
        )  # fmt: skip
        left = stored(server)
    finally:
        server.process.stop()
    return completed, reports, {"before": before, "after": left}


def test_the_run_leaves_no_resource_behind(quick_run, served: list[str]) -> None:
    """docs/contract.md, rule 82: every event, group and course the run created is deleted at the end, read
    back in the server's own database: the run leaves it as it found it."""
    completed, reports, stored_rows = quick_run
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-3000:]
    report = json.loads(reports["json"].read_text())
    cleanup = report["cleanup"]
    # The run created resources of every family it checked, and deleted each: the database is as it was.
    assert set(cleanup["created_by_family"]) == set(served)
    assert all(count > 10 for count in cleanup["created_by_family"].values()), cleanup
    assert cleanup["deleted"] == cleanup["created"] == sum(cleanup["created_by_family"].values())
    assert cleanup["leftovers"] == [] and cleanup["kept"] is False
    # One DELETE per resource the run's own checks did not delete (DEL-*, Schemathesis' DELETE), at least.
    assert (
        0 < cleanup["deleted_by_run"] < cleanup["created"] <= cleanup["requests"] + cleanup["deleted_by_run"]
    )
    assert stored_rows["after"] == stored_rows["before"]
    # Cleaning comes after the verdicts: their request count leaves its requests out.
    assert report["requests"] == sum(entry["requests"] for entry in report["requirements"]) + 5  # connecting
    created = cleanup["created"]
    assert f"Cleanup: {created} of {created} resources created by the run deleted" in completed.stdout
    summary = reports["markdown"].read_text()
    assert f"Cleanup: {created} of {created} resources created by the run deleted" in summary
    assert "Left on the server" not in summary


def test_exit_code_zero_and_every_must_passes(quick_run, served: list[str]) -> None:
    completed, reports, _ = quick_run
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-3000:]
    report = json.loads(reports["json"].read_text())
    verdicts = {entry["id"]: (entry["level"], entry["verdict"]) for entry in report["requirements"]}
    # Every requirement once per family it applies to; each catalog requirement applies to some family
    # (of all the spec's: a requirement about what only courses have, once the server serves courses).
    assert sorted(verdicts) == sorted(planned_ids(*served))
    assert {entry["requirement"] for entry in report["requirements"]} == planned_catalog_ids(*served)
    assert planned_catalog_ids() == set(load_catalog().ids)
    assert set(report["families"]) == set(served)
    for family, share in report["families"].items():
        instances = [e for e in report["requirements"] if e["family"] == family]
        assert share["requirements"] == len(instances) > 60
        assert share["requests"] == sum(e["requests"] for e in instances) > 100
        # A MAY is observed, never passed: passed and observed make up every requirement of the family.
        assert share["outcomes"]["passed"] + share["outcomes"]["observed"] == share["requirements"]
        assert share["outcomes"]["passed"] > 0 and share["outcomes"]["observed"] > 0
    not_passed = {
        rid: v for rid, (level, v) in verdicts.items() if level in ("MUST", "SHOULD") and v != "pass"
    }
    assert not not_passed, not_passed
    assert {v for level, v in verdicts.values() if level == "MAY"} == {"observed"}
    assert report["ok"] is True and report["exit_code"] == 0
    # One set of counts, by outcome: what the console's last line and every other report print.
    outcomes = [entry["outcome"] for entry in report["requirements"]]
    assert report["outcomes"] == {
        outcome: outcomes.count(outcome)
        for outcome in ("passed", "failed", "warned", "observed", "skipped", "errored")
    }
    assert report["outcomes"]["passed"] == sum(1 for level, v in verdicts.values() if v == "pass") > 0
    assert report["outcomes"]["observed"] == sum(1 for level, v in verdicts.values() if level == "MAY")
    assert report["requests"] > 100
    # No option was stated: content_availability is observed, and the readings of the pages reported.
    assert report["community_options"] == {}
    assert report["readings"]["content_availability"].split(" ")[0] in ("true", "false"), report["readings"]
    assert "(observed" in report["readings"]["content_availability"]
    assert {"manager who left a private event reads its member list",
            "manager's removal of a user id that does not exist"} <= set(report["readings"])  # fmt: skip


def test_console_shows_table_verdict_and_request_count(quick_run, served: list[str]) -> None:
    completed, reports, _ = quick_run
    assert "CONFORMS" in completed.stdout
    assert re.search(r"\d+ requests", completed.stdout)
    for requirement_id in ("AUTH-MISSING", "MODEL-STATEFUL", "TOL-EMPTY-LIST"):
        for family in served:
            assert f"{requirement_id}[{family}]" in completed.stdout
    assert "SUB-DIRECT[group]" in completed.stdout and "SUB-DIRECT[event]" not in completed.stdout
    assert re.search(rf"families {', '.join(served)}", completed.stdout)
    for family in served:
        assert re.search(
            rf"^  {family}: \d+ requirements \(\d+ passed, \d+ observed\) in [\d.]+s, \d+ requests$",
            completed.stdout,
            re.M,
        )
    report = json.loads(reports["json"].read_text())
    counts = ", ".join(f"{n} {outcome}" for outcome, n in report["outcomes"].items())
    assert f"CONFORMS: every MUST requirement holds. {counts} in " in completed.stdout
    assert "Community options and readings:" in completed.stdout
    assert re.search(r"content_availability: (true|false) \(observed", completed.stdout)


def test_junit_has_one_testcase_per_requirement(quick_run, served: list[str]) -> None:
    _, reports, _ = quick_run
    root = ET.parse(reports["junit"]).getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == len(planned_ids(*served))
    assert not root.findall(".//failure")
    names = {case.get("name", "").split(" ")[0] for case in cases}
    assert names == set(planned_ids(*served))
    assert {case.get("classname", "").split(".")[1] for case in cases} == set(served)
    properties = {p.get("name"): p.get("value") for p in root.findall(".//properties/property")}
    assert properties["families"] == ",".join(served)
    assert "(observed" in properties["reading.content_availability"]


def test_html_is_self_contained_and_lists_every_requirement(quick_run, served: list[str]) -> None:
    _, reports, _ = quick_run
    html = Path(reports["html"]).read_text()
    assert html.startswith("<!doctype html>")
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)=["']https?://""", html), "no external resources"
    for requirement_id in planned_ids(*served):
        assert f'id="{requirement_id}"' in html
    assert all(f'id="family-{family}"' in html for family in served)
    assert "Conforms" in html
    assert 'id="community-options"' in html and "content_availability: " in html


def test_stated_community_option_is_reported(
    reference_server: ReferenceServer, tokens: list[str], served: list[str]
) -> None:
    """A stated option is asserted (PUB-EVENT-INFO) and every report says it was stated."""
    completed = run_cli(
        "run", "--base-url", reference_server.base_url, *token_args(tokens), "--seed", "4",
        *family_args(served), "--only", "PUB-EVENT-INFO", "--community-option", "content_availability=true",
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "content_availability=true (stated)" in completed.stdout


def test_unknown_community_option_is_refused() -> None:
    completed = run_cli(
        "run", "--base-url", "http://127.0.0.1:9", "--token", "a", "--token", "b", "--token", "c",
        "--community-option", "no_such_option=true",
    )  # fmt: skip
    assert completed.returncode == 2
    assert "'no_such_option' is not a community option" in completed.stdout
    assert "content_availability" in completed.stdout


def test_family_option_restricts_the_run(
    reference_server: ReferenceServer, tokens: list[str], tmp_path: Path
) -> None:
    """`--family group` checks the group instances only; `--only` takes a catalog id or one instance."""
    report = tmp_path / "report.json"
    completed = run_cli(
        "run", "--base-url", reference_server.base_url, *token_args(tokens), "--seed", "5",
        "--family", "group", "--only", "INV-ALL-IDS", "--only", "SUB-DIRECT[group]",
        "--only", "INV-204[event]", "--json", str(report),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:]
    body = json.loads(report.read_text())
    assert [entry["id"] for entry in body["requirements"]] == ["INV-ALL-IDS[group]", "SUB-DIRECT[group]"]
    assert list(body["families"]) == ["group"]


def test_unknown_family_is_refused() -> None:
    completed = run_cli(
        "run", "--base-url", "http://127.0.0.1:9", "--token", "a", "--token", "b", "--token", "c",
        "--family", "team",
    )  # fmt: skip
    assert completed.returncode == 2
    assert "no membership family team in the spec; it documents: event, course, group" in completed.stdout


def test_unknown_requirement_instance_is_refused() -> None:
    completed = run_cli("run", "--base-url", "http://127.0.0.1:9", "--token", "a", "--only", "NOPE[group]")
    assert completed.returncode == 2
    assert "not in the catalog: NOPE[group]" in completed.stdout + completed.stderr
