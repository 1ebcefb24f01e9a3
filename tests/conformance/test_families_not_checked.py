"""A family whose resources the suite cannot create as public and private is left out, and said to be.

Courses, say, take `privacy` draft, open, private or secret: the suite's lifecycle checks create public
resources (anyone joins) and private ones (joining needs approval), and no page says which course value
means which. Checking them anyway would fail a conforming server on its first create; leaving them out
silently would pass one that breaks them. So every report names the family and the reason.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.runner import plan, select
from openapi import SPEC_PATH
from openapi.document import Spec
from openapi.families import families, outside_catalog
from testkit.reference import ReferenceServer
from tests.conformance.cli_runs import run_cli, token_args

COURSE_PRIVACY = ["draft", "open", "private", "secret"]


def with_courses(path: Path) -> Path:
    """The packaged spec plus a course family: the group paths at /api/v2/course/, creating a `Course`
    whose `privacy` takes the course values."""
    spec: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    for path_name, item in list(spec["paths"].items()):
        if path_name.startswith("/api/v2/group/"):
            course = copy.deepcopy(item)
            for operation in course.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] = operation["operationId"].replace("Group", "Course")
            spec["paths"][path_name.replace("/group/", "/course/")] = course
    create = spec["paths"]["/api/v2/course/"]["post"]
    for media in create["requestBody"]["content"].values():
        name = media["schema"]["$ref"].rsplit("/", 1)[-1]
        course_schema = copy.deepcopy(schemas[name])
        course_schema["properties"]["privacy"]["enum"] = COURSE_PRIVACY
        schemas[f"Course{name}"] = course_schema
        media["schema"] = {"$ref": f"#/components/schemas/Course{name}"}
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def course_spec(tmp_path: Path) -> Path:
    return with_courses(tmp_path / "courses.yaml")


def test_the_family_is_found_but_not_checked(course_spec: Path) -> None:
    spec = Spec(course_spec)
    assert [family.name for family in families(spec)] == ["event", "group"]
    reason = outside_catalog(spec)["course"]
    assert "draft, open, private, secret, not public" in reason, reason
    assert not any(requirement.family == "course" for requirement in plan(spec, families(spec)))
    with pytest.raises(ValueError, match="cannot check the course family: its `privacy` takes draft"):
        select(spec, ["course"])
    assert outside_catalog(Spec(SPEC_PATH)) == {}


def test_asking_for_it_is_untestable(course_spec: Path) -> None:
    completed = run_cli("run", "--base-url", "http://127.0.0.1:9", "--spec", str(course_spec),
                        "--family", "course", "--token", "a", "--token", "b", "--token", "c")  # fmt: skip
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "cannot check the course family" in completed.stdout


def test_every_report_names_it(
    course_spec: Path, tmp_path: Path, reference_server: ReferenceServer, tokens: list[str]
) -> None:
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    completed = run_cli("run", "--base-url", reference_server.base_url, "--spec", str(course_spec),
                        "--only", "AUTH-MISSING", "--json", str(report), "--junit-xml", str(junit),
                        *token_args(tokens))  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Family course not checked: its `privacy` takes draft" in completed.stdout
    body = json.loads(report.read_text())
    assert list(body["families"]) == ["event", "group"]
    assert body["families_not_checked"]["course"].startswith("its `privacy` takes draft, open")
    assert 'name="family_not_checked.course"' in junit.read_text()
