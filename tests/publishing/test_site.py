"""``specgen docs``: every operation, access rule, response and requirement is in the HTML itself."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import yaml

from testkit.processes import REPO_ROOT
from tests.publishing.conftest import CORPUS, SPEC_PATH, specgen
from tests.publishing.htmltext import Page

METHODS = ("get", "post", "put", "patch", "delete")
CATALOG = REPO_ROOT / "conformance" / "catalog.yaml"


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = specgen("docs", "--spec", SPEC_PATH, "--out", out)
    assert result.returncode == 0, result.stderr
    return out / "index.html"


@pytest.fixture(scope="module")
def page(site: Path) -> Page:
    return Page(site.read_text(encoding="utf-8"))


def test_every_operation_and_schema_has_a_stable_anchor(page: Page, base_spec: dict[str, Any]) -> None:
    for path, method, op in operations(base_spec):
        text = page.text(op["operationId"])
        assert method.upper() in text and path in text
    for name in base_spec["components"]["schemas"]:
        assert f"schema-{name}" in page.text_by_id


def test_invite_shows_access_rule_204_and_body(page: Page) -> None:
    text = page.text("inviteUsersToEvent")
    assert "authentication required" in text
    assert "Role required: event_manager" in text
    assert "x-access: {authentication: required, roles: [event_manager]}" in text
    assert page.text("inviteUsersToEvent-204").startswith("204 No Content")
    assert "users array of integer required" in text


def test_conditional_access_reads_as_a_sentence(page: Page) -> None:
    members = page.text("getEventSubscribedUsers")
    assert (
        "Anyone may call this when the event is public; when the event is private: authentication and being"
        " subscribed to the event." in members
    )
    assert "rules: [{when: {resource: {privacy: [public]}}" in members
    leave = page.text("unsubscribeFromEvent")
    assert "when the user parameter is passed: authentication and being the event's manager." in leave


def test_every_operation_shows_its_x_access(page: Page, base_spec: dict[str, Any]) -> None:
    for _, _, op in operations(base_spec):
        access = op["x-access"]
        roles = ", ".join(access["roles"])
        expected = f"x-access: {{authentication: {access['authentication']}, roles: [{roles}]"
        assert expected in page.text(op["operationId"])


def test_page_works_offline_without_script(site: Path, page: Page) -> None:
    """Nothing is fetched when the page opens: no script, stylesheet, image, frame or CSS url()."""
    html = site.read_text(encoding="utf-8")
    assert not [tag for tag, _ in page.tags if tag in ("script", "link", "img", "iframe", "object", "embed")]
    assert not [attrs for _, attrs in page.tags if "src" in attrs or "srcset" in attrs]
    assert "<style>" in html and "url(" not in html.split("</style>")[0]


def test_swagger_ui_is_offered(page: Page) -> None:
    assert "http://127.0.0.1:8000/api/v2/ui/" in page.links()
    assert "python -m reference_impl serve" in page.text("top")


def test_links_between_pages_point_into_the_site(page: Page) -> None:
    links = page.links()
    assert not [href for href in links if href.startswith("/docs/apireference/v2/event/")]
    for href in links:
        if href.startswith("#"):
            assert href[1:] in page.text_by_id, f"dangling in-page link {href}"


def _curl_examples(page: Page, operation_id: str) -> list[list[str]]:
    return [shlex.split(command) for command in page.code(operation_id, "bash")]


def _options(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv) if arg == flag]


def test_curl_examples_match_each_operation(page: Page, base_spec: dict[str, Any]) -> None:
    for path, method, op in operations(base_spec):
        commands = _curl_examples(page, op["operationId"])
        assert commands, op["operationId"]
        pattern = re.escape(path).replace(r"\{", "{").replace(r"\}", "}")
        pattern = re.sub(r"\{[^}]*\}", r"[^/]+", pattern)
        content = op.get("requestBody", {}).get("content", {})
        media_seen = set()
        for argv in commands:
            assert argv[:3] == ["curl", "-X", method.upper()]
            assert re.fullmatch(r"\$BASE_URL" + pattern + r"(\?.*)?", argv[3]), argv[3]
            headers = dict(h.split(": ", 1) for h in _options(argv, "-H"))
            clauses = [op["x-access"], *op["x-access"].get("rules", [])]
            needs_token = any(c["authentication"] != "none" or c["roles"] for c in clauses)
            assert ("Authorization" in headers) == needs_token
            if needs_token:
                assert headers["Authorization"] == "Bearer $TOKEN"
            if "-F" in argv:
                media_seen.add("multipart/form-data")
            elif "--data" in argv:
                media_seen.add(headers["Content-Type"])
        assert media_seen == set(content), op["operationId"]


def test_invite_examples_send_the_documented_body(page: Page, base_spec: dict[str, Any]) -> None:
    by_media = {}
    for argv in _curl_examples(page, "inviteUsersToEvent"):
        headers = dict(h.split(": ", 1) for h in _options(argv, "-H"))
        if "--data" in argv:
            by_media[headers["Content-Type"]] = _options(argv, "--data")[0]
    assert json.loads(by_media["application/json"]) == {"users": [1, 2]}
    assert by_media["application/x-www-form-urlencoded"] == "users=1&users=2"
    assert parse_qs(by_media["application/x-www-form-urlencoded"]) == {"users": ["1", "2"]}
    [javascript] = page.code("inviteUsersToEvent", "js")
    assert 'method: "POST"' in javascript and 'JSON.stringify({"users": [1, 2]})' in javascript


def test_requirements_from_the_catalog_are_listed(page: Page) -> None:
    catalog = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    applying = [r["id"] for r in catalog["requirements"] if "inviteUsersToEvent" in r.get("operations", [])]
    assert applying, "the catalog names no requirement for inviteUsersToEvent"
    text = page.text("inviteUsersToEvent")
    for requirement_id in applying:
        assert requirement_id in text
        assert f"req-{requirement_id}" in page.text_by_id


def test_catalog_option_and_missing_catalog(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(
        "requirements:\n  - {id: X-ONE, level: MUST, title: One rule, operations: [me]}\n", encoding="utf-8"
    )
    result = specgen("docs", "--out", tmp_path / "out", "--catalog", catalog)
    assert result.returncode == 0, result.stderr
    page = Page((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert "X-ONE" in page.text("me") and "X-ONE" not in page.text("inviteUsersToEvent")
    broken = specgen("docs", "--out", tmp_path / "out", "--catalog", tmp_path / "absent.yaml")
    assert broken.returncode == 2 and "absent.yaml" in broken.stderr and "Traceback" not in broken.stderr


def test_unreadable_spec_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just a list\n", encoding="utf-8")
    result = specgen("docs", "--spec", bad, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "not an OpenAPI document" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.corpus
def test_site_of_the_whole_corpus(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    spec_path = tmp_path / "corpus.yaml"
    built = specgen("build", "--docs", CORPUS, "--out", spec_path)
    assert spec_path.exists(), built.stderr
    result = specgen("docs", "--spec", spec_path, "--out", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    page = Page((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    ops = operations(spec)
    assert len(ops) > 200
    for path, _, op in ops:
        assert path in page.text(op["operationId"])
    for name in spec["components"]["schemas"]:
        assert f"schema-{name}" in page.text_by_id
    for href in page.links():
        if href.startswith("#"):
            assert href[1:] in page.text_by_id, f"dangling in-page link {href}"
