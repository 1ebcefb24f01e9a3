"""The suite leaves nothing behind (docs/contract.md, rule 82): `--keep-resources` leaves what a run created
and every report lists it by family and id; the pytest plugin cleans up too. That a whole quick run leaves
the server's database as it found it is read from test_conformance_cli.py's run (one quick run fewer)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import func, select

from reference_impl import settings, storage
from reference_impl.families import FAMILIES
from tests.conformance.cli_runs import family_args, run_cli, served_families, token_args
from tests.conformance.test_conformance_pytest_plugin import run_pytest
from tests.conftest import ReferenceServer, ReferenceServerFactory

# A quick run on a server of its own: one xdist worker runs the module.
pytestmark = pytest.mark.xdist_group("conformance-cleanup")

USERS = ("cleanup-alice", "cleanup-bob", "cleanup-carol", "cleanup-dave")


def stored(server: ReferenceServer) -> dict[str, tuple[int, int]]:
    """Per family: (resources, memberships) in the server's database."""
    engine = storage.make_engine(settings.database_url(server.database_url))
    try:
        with engine.connect() as connection:
            return {
                name: (
                    connection.execute(select(func.count()).select_from(family.table)).scalar_one(),
                    connection.execute(select(func.count()).select_from(family.memberships)).scalar_one(),
                )
                for name, family in FAMILIES.items()
            }
    finally:
        engine.dispose()


def quick_run(server: ReferenceServer, directory: Path, *args: str) -> tuple[str, dict[str, Path]]:
    reports = {
        "json": directory / "report.json",
        "junit": directory / "junit.xml",
        "html": directory / "report.html",
        "markdown": directory / "summary.md",
    }
    completed = run_cli(
        "run", "--base-url", server.base_url, *token_args([server.token(name) for name in USERS]),
        "--profile", "quick", "--seed", "5", *family_args(served_families(server.base_url)),
        "--json", str(reports["json"]), "--junit-xml", str(reports["junit"]), "--html", str(reports["html"]),
        "--markdown-summary", str(reports["markdown"]), *args,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-3000:]
    return completed.stdout, reports


def test_kept_resources_are_listed_by_every_report(
    reference_server_factory: ReferenceServerFactory, tmp_path: Path
) -> None:
    server = reference_server_factory()
    stdout, reports = quick_run(server, tmp_path, "--only", "INV-204", "--keep-resources")
    left = stored(server)
    cleanup = json.loads(reports["json"].read_text())["cleanup"]
    assert cleanup["kept"] is True and cleanup["deleted"] == 0
    listed = {(item["family"], item["id"]) for item in cleanup["leftovers"]}
    assert len(listed) == cleanup["created"] == sum(count for count, _ in left.values()) > 0
    assert {item["reason"] for item in cleanup["leftovers"]} == {"kept (--keep-resources)"}
    properties = {
        p.get("name"): p.get("value") for p in ET.parse(reports["junit"]).getroot().iter("property")
    }
    html, markdown = reports["html"].read_text(), reports["markdown"].read_text()
    for family, resource in listed:
        assert f"  {family} {resource}: kept (--keep-resources)" in stdout
        assert properties[f"leftover.{family}.{resource}"] == "kept (--keep-resources)"
        assert f"| {family} | {resource} | kept (--keep-resources) |" in markdown
        assert f"<td>{resource}</td>" in html


def test_the_pytest_plugin_cleans_up_too(
    reference_server_factory: ReferenceServerFactory, tmp_path: Path
) -> None:
    server = reference_server_factory()
    tokens = [part for name in USERS for part in ("--token", server.token(name))]
    completed = run_pytest(
        tmp_path, "--base-url", server.base_url, *tokens, "--conformance-seed", "5",
        "--conformance-family", "group", "-k", "INV-204 or DEL-GONE",
        "--junit-xml", str(tmp_path / "junit.xml"),
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-5000:]
    assert re.search(
        r"conformance: cleanup: (\d+) of \1 resources created by the run deleted", completed.stdout
    )
    assert stored(server)["group"] == (0, 0)
    properties = {
        p.get("name"): p.get("value") for p in ET.parse(tmp_path / "junit.xml").getroot().iter("property")
    }
    # Connecting's, INV-204's and DEL-GONE's, which that check deleted itself (read back as gone).
    assert properties["conformance.cleanup"].startswith("3 of 3 resources"), properties

    kept = run_pytest(
        tmp_path, "--base-url", server.base_url, *tokens, "--conformance-family", "group", "-k", "INV-204",
        "--conformance-keep-resources",
    )  # fmt: skip
    assert kept.returncode == 0, kept.stdout[-5000:]
    left = re.findall(
        r"^conformance: left on the server: group (\d+): kept \(--keep-resources\)$", kept.stdout, re.M
    )
    assert len(left) == 2 and stored(server)["group"][0] == 2, kept.stdout[-3000:]
