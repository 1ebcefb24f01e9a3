"""The generator on the real reference pages of ../shared/corpus (skipped where absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from specgen.access import read_access, terms_for
from specgen.build import Build, build
from specgen.check import access_errors, validation_errors
from specgen.cli import main
from specgen.pages import read_page
from tests.specgen.pagekit import CORPUS

# One xdist worker runs this module, so that the build (the module's fixture) is made once.
pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group("corpus")]


@pytest.fixture(scope="module")
def result() -> tuple[Path, Build]:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    return CORPUS, build(CORPUS)


def endpoint_files(corpus: Path) -> dict[str, tuple[str, str]]:
    """Pages with an HTTP Request heading -> (method, path), found by text search, not by the generator."""
    found = {}
    for file in sorted(corpus.rglob("*.md")):
        text = file.read_text(encoding="utf-8")
        if "## HTTP Request" in text:
            line = re.search(r"`\s*([A-Z]+)\s+(/[^`?\s]*)", text.split("## HTTP Request", 1)[1])
            assert line, file
            found[file.relative_to(corpus).as_posix()] = (line.group(1).lower(), line.group(2))
    return found


def test_every_operation_and_schema_is_in_the_document(result: tuple[Path, Build]) -> None:
    corpus, built = result
    endpoints = endpoint_files(corpus)
    duplicates = {f.file for f in built.findings if f.rule == "duplicate-operation"}
    assert len(endpoints) == len(built.operations) + len(duplicates)
    assert set(built.operations) == set(endpoints) - duplicates
    document_ids = {op["operationId"] for item in built.document["paths"].values() for op in item.values()}
    assert document_ids == set(built.operations.values())
    for rel, (method, path) in endpoints.items():
        # Duplicates are impossible in OpenAPI: the first page (by file path) keeps method+path.
        assert method in built.document["paths"][path], rel
        if rel not in duplicates:
            assert built.document["paths"][path][method]["operationId"] == built.operations[rel]
    schema_files = sorted(corpus.glob("schemas/**/*.md"))
    assert len(built.document["components"]["schemas"]) == len(schema_files)
    assert set(built.schemas) == {file.relative_to(corpus).as_posix() for file in schema_files}


def test_duplicates_are_reported_against_the_kept_page(result: tuple[Path, Build]) -> None:
    corpus, built = result
    endpoints = endpoint_files(corpus)
    for finding in (f for f in built.findings if f.rule == "duplicate-operation"):
        kept = re.search(r"documented by (\S+);", finding.message)
        assert kept and kept.group(1) in built.operations
        assert endpoints[finding.file] == endpoints[kept.group(1)]
        assert kept.group(1) < finding.file


def test_document_validates(result: tuple[Path, Build]) -> None:
    assert list(validation_errors(result[1].document)) == []


def test_cli_build_and_lint(result: tuple[Path, Build], tmp_path: Path) -> None:
    corpus, _ = result
    out = tmp_path / "x.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--docs", str(corpus), "--out", str(out)]).exit_code == 0
    assert out.stat().st_size > 0
    lint = runner.invoke(main, ["lint", "--docs", str(corpus)])
    assert lint.exit_code == 1  # the corpus has real defects (duplicated method+path among them)
    findings = lint.output.splitlines()[:-1]
    assert findings
    assert all(re.match(r"^[\w./-]+\.md:\d+: [a-z-]+ .+ \[(error|warning)\]$", line) for line in findings)


def test_access_prose_is_read(result: tuple[Path, Build]) -> None:
    """Conditional rules, relations, options, results, the course pages' conjunctions, parameter values,
    ownership, per-privacy lists and refusals: no access sentence of the public pages is left unread."""
    _, built = result
    unparsed = [f"{f.file}:{f.line}: {f.message}" for f in built.findings if f.rule == "access-unparsed"]
    assert unparsed == [], "\n".join(unparsed)
    assert list(access_errors(built.document)) == []


@pytest.mark.parametrize("folder", ["course", "event"])
def test_every_page_of_the_folder_is_read_whole(result: tuple[Path, Build], folder: str) -> None:
    """Every endpoint page of the folder, lessons and quizzes included, also those the build skips as
    duplicates of a method and path (`create_a_course_quiz.md`)."""
    corpus, built = result
    schemas = built.document["components"]["schemas"]
    pages = [read_page(file, corpus) for file in sorted((corpus / folder).glob("*.md"))]
    read = 0
    for page in pages:
        if page.request is None:
            continue
        names = [row.get(table.column("name")).text for table in page.tables for row in table.rows]
        terms = terms_for(page.request.path, page.folder, schemas, names)
        reading = read_access([block.text for block in page.admonitions], terms=terms)
        assert reading.unparsed == (), (page.rel, reading.unparsed)
        assert reading.stated or reading.results, page.rel
        read += 1
    assert read >= 30


def test_course_access_of_the_public_pages(result: tuple[Path, Build]) -> None:
    paths = result[1].document["paths"]
    managers = ["course_creator", "course_manager"]
    info = paths["/api/v2/course/{id}/"]["get"]["x-access"]
    assert {"when": {"param_value": {"view": ["edit", "dashboard"]}}, "authentication": "required",
            "roles": managers} in info["rules"]  # fmt: skip
    assert {"when": {"resource": {"privacy": [""]}}, "authentication": "required", "roles": managers} in info[
        "rules"
    ]
    assert paths["/api/v2/course/{id}/status/"]["get"]["x-access"] == {
        "authentication": "required",
        "roles": ["course_viewer"],
        "refused": "hidden",
    }
    joined = paths["/api/v2/course/{id}/join/"]["get"]["x-access"]
    assert joined["rules"][0]["when"] == {"resource": {"hide_member_count": [True]}}
    lesson = "/api/v2/course/{course_id}/section/{section_id}/lesson/{lesson_id}/"
    comment = paths[lesson + "comment/"]["post"]["x-access"]
    assert comment["rules"][0] == {
        "when": {"resource": {"lesson.comments_enabled": [False]}},
        "authentication": "required",
        "roles": [],
        "nobody": True,
    }
    attempt = paths[lesson + "attempt/{attempt_id}/"]["get"]["x-access"]
    assert attempt["roles"] == [*managers, "attempt_creator"]
    create = paths["/api/v2/course/"]["post"]["x-access"]
    assert create["rules"] == [
        {
            "when": {"option": {"courses_only_staff_enabled": True}},
            "authentication": "required",
            "roles": ["staff"],
        }
    ]
    gallery = paths["/api/v2/event/{id}/gallery/"]["post"]["x-access"]
    assert gallery == {
        "authentication": "required",
        "roles": ["event_manager"],
        "all_roles": ["media_creator(media)"],
    }


def test_conditional_access_of_the_public_pages(result: tuple[Path, Build]) -> None:
    paths = result[1].document["paths"]
    members = paths["/api/v2/event/{id}/subscribe/"]["get"]["x-access"]
    assert members["rules"][1] == {
        "when": {"resource": {"privacy": ["private"]}},
        "authentication": "required",
        "roles": ["event_subscriber"],
    }
    leave = paths["/api/v2/event/{id}/subscribe/"]["delete"]["x-access"]
    manager = {"when": {"param": ["user"]}, "authentication": "required", "roles": ["event_manager"]}
    assert leave["rules"] == [manager]
    assert paths["/api/v2/custom_menu/"]["get"]["x-access"].get("public") is True
    going = paths["/api/v2/event/{id}/going/"]["delete"]["x-access"]
    assert going["roles"] == ["event_going"]
