"""``publishing docs``: every operation, access rule, response and requirement is in the HTML itself."""

from __future__ import annotations

import copy
import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import yaml

from openapi.catalog import instances, load_catalog
from openapi.document import Spec
from openapi.families import families, outside_catalog
from testkit.processes import REPO_ROOT
from tests.publishing.conftest import CORPUS, SPEC_PATH, publish, specgen, write_spec
from tests.publishing.htmltext import HtmlText

# The site is the module's fixture: one xdist worker builds it once.
pytestmark = pytest.mark.xdist_group("site")

METHODS = ("get", "post", "put", "patch", "delete")
CATALOG = REPO_ROOT / "openapi" / "catalog.yaml"


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
    result = publish("docs", "--spec", SPEC_PATH, "--out", out)
    assert result.returncode == 0, result.stderr
    return out / "index.html"


@pytest.fixture(scope="module")
def page(site: Path) -> HtmlText:
    return HtmlText(site.read_text(encoding="utf-8"))


def test_every_operation_and_schema_has_a_stable_anchor(page: HtmlText, base_spec: dict[str, Any]) -> None:
    for path, method, op in operations(base_spec):
        text = page.text(op["operationId"])
        assert method.upper() in text and path in text
    for name in base_spec["components"]["schemas"]:
        assert f"schema-{name}" in page.text_by_id


def test_invite_shows_access_rule_204_and_body(page: HtmlText) -> None:
    text = page.text("inviteUsersToEvent")
    assert "authentication required" in text
    assert "Role required: event_manager" in text
    assert "x-access: {authentication: required, roles: [event_manager]}" in text
    assert page.text("inviteUsersToEvent-204").startswith("204 No Content")
    assert "users array of integer required" in text


def test_conditional_access_reads_as_a_sentence(page: HtmlText) -> None:
    members = page.text("getEventSubscribedUsers")
    assert (
        "Anyone may call this when the event is public; when the event is private: authentication and being"
        " subscribed to the event." in members
    )
    assert "rules: [{when: {resource: {privacy: [public]}}" in members
    leave = page.text("unsubscribeFromEvent")
    assert "when the user parameter is passed: authentication and being the event's manager." in leave


def test_every_operation_shows_its_x_access(page: HtmlText, base_spec: dict[str, Any]) -> None:
    for _, _, op in operations(base_spec):
        access = op["x-access"]
        roles = ", ".join(access["roles"])
        expected = f"x-access: {{authentication: {access['authentication']}, roles: [{roles}]"
        assert expected in page.text(op["operationId"])


def test_page_works_offline_without_script(site: Path, page: HtmlText) -> None:
    """Nothing is fetched when the page opens: no script, stylesheet, image, frame or CSS url()."""
    html = site.read_text(encoding="utf-8")
    assert not [tag for tag, _ in page.tags if tag in ("script", "link", "img", "iframe", "object", "embed")]
    assert not [attrs for _, attrs in page.tags if "src" in attrs or "srcset" in attrs]
    assert "<style>" in html and "url(" not in html.split("</style>")[0]


def test_swagger_ui_is_offered(page: HtmlText) -> None:
    assert "http://127.0.0.1:8000/api/v2/ui/" in page.links()
    assert "python -m reference_impl serve" in page.text("top")


def test_links_between_pages_point_into_the_site(page: HtmlText) -> None:
    links = page.links()
    assert not [href for href in links if href.startswith("/docs/apireference/v2/event/")]
    for href in links:
        if href.startswith("#"):
            assert href[1:] in page.text_by_id, f"dangling in-page link {href}"


def _curl_examples(page: HtmlText, operation_id: str) -> list[list[str]]:
    return [shlex.split(command) for command in page.code(operation_id, "bash")]


def _options(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, arg in enumerate(argv) if arg == flag]


def test_curl_examples_match_each_operation(page: HtmlText, base_spec: dict[str, Any]) -> None:
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


def test_invite_examples_send_the_documented_body(page: HtmlText, base_spec: dict[str, Any]) -> None:
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


def instance_ids(page: HtmlText, operation_id: str) -> set[str]:
    """The requirement instances (`INV-ALL-IDS[group]`) an operation's section lists."""
    return set(re.findall(r"[A-Z][A-Z0-9-]*\[[a-z_]+\]", page.text(f"{operation_id}-requirements")))


def test_each_operation_lists_the_instances_the_suite_checks_on_it(page: HtmlText) -> None:
    """The site and the suite read one rule (`openapi.catalog.instances`): what `conformance run` plans for
    every family of the spec."""
    spec = Spec(SPEC_PATH)
    found = families(spec)
    planned = [instance for entry in load_catalog() for instance in instances(spec, found, entry)]
    assert {r.family for r in planned} == {"event", "group", "course"}
    unchecked = outside_catalog(spec)  # every family of the shipped spec is checked; a team's would not be
    assert set(unchecked) == set()
    for operation_id, operation in spec.operations.items():
        expected = {r.id for r in planned if operation_id in r.operations}
        if operation.resource in unchecked:
            # A family the suite does not check says so, with the reason, where the instances would be.
            assert not expected and not instance_ids(page, operation_id), operation_id
            assert unchecked[operation.resource] in page.text(f"{operation_id}-requirements"), operation_id
            continue
        assert expected, f"the suite checks nothing on {operation_id}"
        assert instance_ids(page, operation_id) == expected, operation_id


def test_group_operations_list_their_group_instances(page: HtmlText) -> None:
    invite = page.text("inviteUsersToGroup")
    assert "INV-ALL-IDS[group] MUST Every id in the list is applied" in invite
    assert "EXIST-OVERFLOW[group] MUST A group id beyond 64 bits answers 404" in invite  # read for groups
    assert "[event]" not in invite
    assert "INV-ALL-IDS[event]" in page.text("inviteUsersToEvent")
    assert "[group]" not in page.text("inviteUsersToEvent")
    assert {
        "SUB-DIRECT[group]",
        "SUB-DIRECT-MANAGER-ONLY[group]",
        "SUB-DIRECT-ATOMIC[group]",
    } <= instance_ids(page, "subscribeOrAcceptInviteToGroup")
    assert not {i for i in instance_ids(page, "subscribeOrAcceptInviteToEvent") if i.startswith("SUB-DIRECT")}
    assert {"AUTH-MISSING[event]", "AUTH-MISSING[group]", "AUTH-MISSING[course]"} <= instance_ids(page, "me")
    # Courses have their instances, the ones about what only courses have among them.
    assert {"INV-ALL-IDS[course]", "MGR-INVITE-POST[course]"} <= instance_ids(page, "inviteUsersToCourse")
    assert {"ROLE-CREATOR-STAYS[course]", "SUB-SELF-ONLY[course]"} <= instance_ids(page, "leaveACourse")
    assert "[course]" not in page.text("inviteUsersToGroup")
    links = [href for tag, attrs in page.tags if tag == "a" and (href := attrs.get("href"))]
    assert "#req-INV-ALL-IDS" in links


def test_requirements_section_shows_the_families_of_each_requirement(page: HtmlText) -> None:
    catalog = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    spec = Spec(SPEC_PATH)
    for entry in catalog["requirements"]:
        row = page.text(f"req-{entry['id']}")
        checked = [r.family for r in instances(spec, families(spec), load_catalog()[entry["id"]])]
        expected = ", ".join(checked) + (
            f" requires {', '.join(entry['requires'])}" if entry.get("requires") else ""
        )
        assert expected in row, entry["id"]
    assert "group requires join.users" in page.text("req-SUB-DIRECT")
    assert "course requires creator_stays" in page.text("req-ROLE-CREATOR-STAYS")
    assert "event, group requires private_list_closed" in page.text("req-PUB-PRIVATE-LIST-CLOSED")
    row = page.text("req-INV-ALL-IDS")
    assert "INV-ALL-IDS[event] : inviteUsersToEvent , getEventInvitedUsers" in row
    assert "INV-ALL-IDS[group] : inviteUsersToGroup , getGroupInvitedUsers" in row
    assert "INV-ALL-IDS[course] : inviteUsersToCourse , getCourseInvitedUsers" in row
    assert "each family this spec documents ( event , course , group )" in page.text("requirements-intro")


def test_a_spec_of_events_alone_publishes_the_event_instances_only(
    tmp_path: Path, base_spec: dict[str, Any]
) -> None:
    events_only = copy.deepcopy(base_spec)
    events_only["paths"] = {
        p: item
        for p, item in base_spec["paths"].items()
        if not p.startswith(("/api/v2/group/", "/api/v2/course/"))
    }
    result = publish(
        "docs", "--spec", write_spec(tmp_path / "events.yaml", events_only), "--out", tmp_path / "out"
    )
    assert result.returncode == 0, result.stderr
    assert "checks for the families event)" in result.stdout
    page = HtmlText((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert "INV-ALL-IDS[event]" in page.text("inviteUsersToEvent") and "[group]" not in page.text("top")
    assert "none in this spec requires join.users" in page.text("req-SUB-DIRECT")


def test_a_family_added_to_the_spec_gets_its_instances(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    """Teams on the paths of groups: the site checks them with nothing but the spec changed."""
    spec = copy.deepcopy(base_spec)
    for path, item in base_spec["paths"].items():
        if path.startswith("/api/v2/group/"):
            team = copy.deepcopy(item)
            for method in METHODS:
                if method in team:
                    team[method]["operationId"] = team[method]["operationId"].replace("Group", "Team")
            spec["paths"][path.replace("/group/", "/team/")] = team
    result = publish("docs", "--spec", write_spec(tmp_path / "teams.yaml", spec), "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "checks for the families event, course, group, team)" in result.stdout
    page = HtmlText((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    invite = page.text("inviteUsersToTeam")
    assert "INV-ALL-IDS[team]" in invite and "EXIST-UNKNOWN[team] MUST An unknown team answers 404" in invite
    assert "SUB-DIRECT[team]" in page.text("subscribeOrAcceptInviteToTeam")
    assert "event, course, group, team" in page.text("req-INV-ALL-IDS")


CUSTOM_CATALOG = """\
groups:
  X: Examples
requirements:
  - id: X-ONE
    level: MUST
    title: One rule
    rule: GET /api/v2/user/me/ answers the caller.
    sources: [docs/contract.md#one]
    operations: [me]
  - id: X-TWO
    level: SHOULD
    title: An event rule
    rule: An event lists its invited users.
    sources: [docs/contract.md#two]
    operations: [inviteUsersToEvent, absent]
"""


def test_catalog_option_reads_a_catalog_of_the_same_shape(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(CUSTOM_CATALOG, encoding="utf-8")
    result = publish("docs", "--out", tmp_path / "out", "--catalog", catalog)
    assert result.returncode == 0, result.stderr
    assert "(2 requirements, 4 checks for the families event, course, group)" in result.stdout
    page = HtmlText((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert "X-ONE" in page.text("me") and "X-ONE" not in page.text("inviteUsersToEvent")  # no family: once
    assert "checked once" in page.text("req-X-ONE")
    assert "GET /api/v2/user/me/ answers the caller." in page.text("req-X-ONE")
    assert "docs/contract.md#one" in page.text("req-X-ONE")
    assert "X-TWO[group] SHOULD A group rule" in page.text("inviteUsersToGroup")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "cannot read the catalog"),
        (
            "requirements:\n  - {id: X-ONE, level: MUST, title: One rule, operations: [me]}\n",
            "expected a mapping with `groups` and `requirements`",
        ),
        (
            CUSTOM_CATALOG.replace("    sources: [docs/contract.md#one]\n", ""),
            "requirement X-ONE lacks sources",
        ),
        (
            CUSTOM_CATALOG.replace(
                "    title: One rule\n", "    title: One rule\n    description: Old key\n"
            ),
            "unknown key(s) description",
        ),
        (CUSTOM_CATALOG.replace("level: MUST", "level: MUSTN'T"), 'X-ONE has level "MUSTN\'T"'),
        (CUSTOM_CATALOG.replace("  X: Examples", "  Y: Examples"), "X-ONE belongs to no declared group"),
        (
            CUSTOM_CATALOG.replace("operations: [me]", "operations: [me]\n    requires: [fly.users]"),
            "names no action",
        ),
        ("groups: [unclosed\n", "cannot read the catalog"),
    ],
)
def test_a_malformed_catalog_is_a_clear_error(tmp_path: Path, text: str | None, message: str) -> None:
    catalog = tmp_path / "catalog.yaml"
    if text is not None:
        catalog.write_text(text, encoding="utf-8")
    result = publish("docs", "--out", tmp_path / "out", "--catalog", catalog)
    assert result.returncode == 2, result.stdout + result.stderr
    assert str(catalog) in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_unreadable_spec_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just a list\n", encoding="utf-8")
    result = publish("docs", "--spec", bad, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "not an OpenAPI document" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.corpus
def test_site_of_the_whole_corpus(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    spec_path = tmp_path / "corpus.yaml"
    built = specgen("build", "--docs", CORPUS, "--out", spec_path)
    assert spec_path.exists(), built.stderr
    result = publish("docs", "--spec", spec_path, "--out", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    page = HtmlText((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    ops = operations(spec)
    assert len(ops) > 200
    for path, _, op in ops:
        assert path in page.text(op["operationId"])
    for name in spec["components"]["schemas"]:
        assert f"schema-{name}" in page.text_by_id
    for href in page.links():
        if href.startswith("#"):
            assert href[1:] in page.text_by_id, f"dangling in-page link {href}"
