"""The catalog is the one list of requirements: its sources and operations exist, each has one check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conformance.checks import REGISTRY
from openapi import SPEC_PATH
from openapi.catalog import Level, load_catalog, parse_catalog, read_for
from openapi.document import Spec
from testkit.processes import REPO_ROOT

REQUIRED_IDS = [
    "AUTH-MISSING",
    "AUTH-SCHEME",
    "AUTH-EMPTY",
    "AUTH-GARBAGE",
    "AUTH-CHALLENGE",
    "AUTH-NO-EFFECT",
    "MGR-INVITE-POST",
    "MGR-INVITE-GET",
    "MGR-INVITE-DELETE",
    "MGR-OTHER",
    "MGR-KEEPS",
    "EXIST-UNKNOWN",
    "EXIST-NONNUMERIC",
    "EXIST-OVERFLOW",
    "INV-204",
    "INV-EMPTY-BODY",
    "INV-LISTED",
    "INV-ACCEPT",
    "INV-SUBSCRIBER-UNCHANGED",
    "INV-IDEMPOTENT",
    "INV-ALL-IDS",
    "INV-THEN-SUBSCRIBE",
    "INV-WITHDRAW",
    "VAL-MISSING",
    "VAL-NOT-LIST",
    "VAL-ITEM-TYPE",
    "VAL-UNKNOWN-USER",
    "VAL-MALFORMED-JSON",
    "VAL-ATOMIC",
    "MEDIA-FORM",
    "MEDIA-MULTIPART",
    "SPEC-NO-5XX",
    "SPEC-STATUS",
    "SPEC-SCHEMA",
    "SPEC-AUTH",
    "MODEL-STATEFUL",
    "TOL-EMPTY-LIST",
    "TOL-ERROR-FORMAT",
    "TOL-PAGINATION",
    "TOL-CONTENT-LENGTH",
    "TOL-MULTIPART",
    # Deterministic probes
    "MEDIA-PARAMS",
    "MEDIA-CASE",
    "READ-QUERY-BOUNDS",
    "METHOD-UNDOCUMENTED",
    "METHOD-ALLOW",
    "AUTH-SCHEME-CASE",
    "AUTH-HEADER-SPACES",
    "AUTH-HEADER-REPEATED",
    "VAL-ID-FORMS",
    "RYW-STATUS",
    "RYW-LISTS",
    "RYW-EVENT-STATUS",
    "RYW-COUNTER",
    "VAL-FIELDS",
    "VAL-LONG-LISTS",
    "KEEP-STATE",
]
FILE_LINE = re.compile(r"^(?P<path>[\w./-]+\.md):(?P<line>\d+)$")
RFC = re.compile(r"^RFC \d+ §[\d.]+$")


def test_required_ids_are_present() -> None:
    assert set(REQUIRED_IDS) <= set(load_catalog().ids)


def test_every_requirement_has_exactly_one_check() -> None:
    assert set(REGISTRY) == set(load_catalog().ids)


@pytest.mark.parametrize("requirement", list(load_catalog()), ids=lambda r: r.id)
def test_sources_point_at_non_empty_lines(requirement) -> None:
    assert requirement.sources
    for source in requirement.sources:
        match = FILE_LINE.match(source)
        if match is None:
            assert RFC.match(source), f"{requirement.id}: {source!r} is neither file:line nor an RFC section"
            continue
        path = REPO_ROOT / match["path"]
        assert path.is_file(), f"{requirement.id}: {path} does not exist"
        lines = path.read_text(encoding="utf-8").splitlines()
        number = int(match["line"])
        assert 1 <= number <= len(lines), f"{requirement.id}: {source} is past the end of the file"
        assert lines[number - 1].strip(), f"{requirement.id}: {source} is an empty line"
        if match["path"] == "docs/contract.md":
            assert re.match(r"\d+\. ", lines[number - 1]), (
                f"{requirement.id}: {source} is not a numbered rule"
            )


def test_operations_exist_in_the_spec() -> None:
    spec = Spec(SPEC_PATH)
    for requirement in load_catalog():
        assert requirement.operations, requirement.id
        for operation_id in requirement.operations:
            assert operation_id in spec.operations, (
                f"{requirement.id}: {operation_id} is not in openapi/v2.yaml"
            )


def test_packaged_spec_is_the_repository_file() -> None:
    assert SPEC_PATH.resolve() == (REPO_ROOT / "openapi" / "v2.yaml").resolve()


def test_may_requirements_are_the_tolerances() -> None:
    for requirement in load_catalog():
        assert (requirement.level is Level.MAY) == (requirement.group == "TOL"), requirement.id


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    data = yaml.safe_load((REPO_ROOT / "openapi" / "catalog.yaml").read_text())
    data["requirements"].append(dict(data["requirements"][0]))
    with pytest.raises(ValueError, match="duplicate requirement id AUTH-MISSING"):
        parse_catalog(data)


def test_rules_read_for_another_family_keep_their_grammar() -> None:
    """Titles and messages written for events read for groups, articles included (contract, Groups)."""
    assert (
        read_for("group", "An event id beyond 64 bits answers 404") == "A group id beyond 64 bits answers 404"
    )
    assert read_for("group", "naming an event; Events, events") == "naming a group; Groups, groups"
    assert read_for("group", "GET /api/v2/event/{id}/ of a prevented event") == (
        "GET /api/v2/group/{id}/ of a prevented group"
    )
    assert read_for("event", "An event id") == "An event id"
