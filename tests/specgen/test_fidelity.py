"""Our pages keep every fact of their public counterparts, except the readings listed in docs/errata.md.

For each page under docs/apireference/v2 with a page of the same path in ../shared/corpus, both are
built with `specgen` and compared with `publishing diff`'s own machinery (public → ours): additions on
our side (statuses, parameters, properties, media types) are allowed; any other change must have an
errata row for its page and field. The pages errata.md lists as kept verbatim are also compared line by
line: every line that differs from the public page has an errata row for that line. Skipped where the
corpus is absent.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pytest

from publishing.diff.compare import compare
from publishing.diff.model import Change
from specgen.build import Build, build
from testkit.errata import ERRATA, errata, verbatim_pages
from tests.specgen.pagekit import CORPUS

# One xdist worker runs this module, so that the builds (the module's fixture) is made once.
pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group("fidelity")]

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs" / "apireference" / "v2"

#: Changes that only add to what the public page states.
ADDITIONS = frozenset(
    {
        "operation-added",
        "parameter-added-optional",
        "response-status-added",
        "property-added",
        "request-media-type-added",
        "response-media-type-added",
    }
)
#: The aspect of a field a rule is about, appended to the field's place.
ASPECT = {
    "type-changed": "type",
    "request-type-narrowed": "type",
    "response-type-widened": "type",
    "type-compatible-change": "type",
    "format-changed": "format",
    "format-relaxed": "format",
    "request-enum-narrowed": "enum",
    "response-enum-widened": "enum",
    "enum-compatible-change": "enum",
    "request-property-added-required": "required",
    "request-property-became-required": "required",
    "response-property-became-optional": "required",
    "required-relaxed": "required",
    "parameter-became-required": "required",
    "parameter-became-optional": "required",
    "parameter-moved": "in",
    "request-constraint-tightened": "constraints",
    "response-constraint-relaxed": "constraints",
    "constraint-compatible-change": "constraints",
}
ACCESS_RULES = frozenset(
    {
        "authentication-added",
        "authentication-relaxed",
        "security-scheme-changed",
        "roles-added",
        "roles-removed",
        "access-rule-stricter",
        "access-rule-relaxed",
        "options-added",
    }
)


@pytest.fixture(scope="module")
def builds() -> tuple[Build, Build]:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    return build(CORPUS), build(DOCS)


def counterparts() -> list[str]:
    return sorted(
        file.relative_to(DOCS).as_posix()
        for file in DOCS.rglob("*.md")
        if CORPUS.is_dir() and (CORPUS / file.relative_to(DOCS)).is_file()
    )


def operations_only(built: Build, rels: list[str]) -> dict[str, Any]:
    """The document with only the operations of the given pages, plus one synthetic operation per schema
    page (sent in a POST body, returned by a GET) so that schemas are compared field by field."""
    document = built.document
    ids = {built.operations[rel] for rel in rels if rel in built.operations}
    paths: dict[str, Any] = {}
    for path, item in document["paths"].items():
        kept = {method: op for method, op in item.items() if op.get("operationId") in ids}
        if kept:
            paths[path] = kept
    for rel in rels:
        name = built.schemas.get(rel)
        if name:
            ref = {"$ref": f"#/components/schemas/{name}"}
            body = {"content": {"application/json": {"schema": ref}}}
            paths[f"/schemas/{name}"] = {
                "get": {"operationId": f"schema{name}", "responses": {"200": {"description": "", **body}}},
                "post": {
                    "operationId": f"write{name}",
                    "requestBody": body,
                    "responses": {"204": {"description": ""}},
                },
            }
    return {**document, "paths": paths}


def places(
    change: Change, page_of_operation: dict[str, str], page_of_schema: dict[str, str]
) -> list[tuple[str, str]]:
    """(page, field) candidates that an errata row may name for this change."""
    operation = change.operation or ""
    schema_page = re.match(r"\w+ /schemas/(\w+)", operation)
    page = (
        page_of_schema.get(schema_page.group(1), "") if schema_page else page_of_operation.get(operation, "")
    )
    aspect = ASPECT.get(change.rule)
    suffix = f".{aspect}" if aspect else ""
    if change.rule in ACCESS_RULES:
        return [(page, "access")]
    location = change.location
    origin = re.search(r" \((\w+)\.([\w.\[\]]+)\)$", location)
    location = re.sub(r" \([^)]*\)$", "", location)
    found: list[tuple[str, str]] = []
    parameter = re.fullmatch(r"(\w+) parameter (\w+)(?: (.+))?", location)
    body = re.fullmatch(r"request body(?: (.+))?", location)
    response = re.fullmatch(r"response (\d{3}|default)(?: (.+))?", location)
    if parameter:
        sub = "" if change.rule.startswith("parameter-") else ".schema"
        found.append((page, f"parameters.{parameter.group(2)}{sub}{suffix}"))
    elif schema_page and (body or response):
        prop = body.group(1) if body else response.group(2) if response else None
        found.append((page, f"properties.{prop}{suffix}" if prop else "properties"))
    elif body:
        found.append((page, f"requestBody.{body.group(1)}{suffix}" if body.group(1) else "requestBody"))
    elif response:
        found.append(
            (page, ".".join(p for p in ("responses", response.group(1), response.group(2)) if p) + suffix)
        )
    else:
        found.append((page, location))
    if origin and origin.group(1) in page_of_schema:
        found.append((page_of_schema[origin.group(1)], f"properties.{origin.group(2)}{suffix}"))
    return found


def test_there_are_counterparts() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    assert "event/unsubscribe_from_event.md" in counterparts()


def test_our_pages_keep_the_public_facts(builds: tuple[Build, Build]) -> None:
    public, ours = builds
    rels = counterparts()
    page_of_operation = {}
    for built in (public, ours):
        for path, item in built.document["paths"].items():
            for method, op in item.items():
                rel = next((r for r, i in built.operations.items() if i == op["operationId"]), "")
                page_of_operation[f"{method.upper()} {path} ({op['operationId']})"] = rel
    page_of_schema = {name: rel for rel, name in ours.schemas.items()}
    changes = compare(operations_only(public, rels), operations_only(ours, rels))
    known = errata()
    unexplained = []
    for change in changes:
        if change.rule in ADDITIONS:
            continue
        candidates = places(change, page_of_operation, page_of_schema)
        if not any(erratum.covers(page, field) for erratum in known for page, field in candidates):
            page, field = candidates[0]
            unexplained.append(f"{page or change.operation}: {field} [{change.rule}] {change.message}")
    assert not unexplained, (
        "our pages drop or change public facts; fix the page, or add a row to docs/errata.md"
        " (page, line, field) when the public page is wrong or ambiguous:\n" + "\n".join(unexplained)
    )


def test_every_erratum_points_at_what_the_public_page_says() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    rows = errata()
    assert rows, f"no rows read from {ERRATA}"
    for erratum in rows:
        public = CORPUS / erratum.page
        assert public.is_file(), f"{ERRATA}: {erratum.page} is not a public page"
        assert (DOCS / erratum.page).is_file(), f"{ERRATA}: {erratum.page} has no page of ours"
        line = public.read_text(encoding="utf-8").splitlines()[erratum.line - 1]
        for quoted in re.findall(r"`([^`]+)`", erratum.says):
            squeeze = " ".join(quoted.split())
            assert squeeze in " ".join(line.split()), (
                f"{ERRATA}: {erratum.page}:{erratum.line} does not say {quoted!r} (it reads {line.strip()!r})"
            )


def test_an_undocumented_change_is_reported(builds: tuple[Build, Build], tmp_path: Path) -> None:
    """The comparison can fail: a page of ours that drops a public parameter is named with its field."""
    import shutil

    public, _ = builds
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = docs / "event" / "get_event_invited_users.md"
    text = page.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "| query" in line]
    assert rows, "get_event_invited_users.md has no query parameter to drop"
    page.write_text(text.replace(rows[0] + "\n", ""), encoding="utf-8")
    mutated = build(docs)
    rels = counterparts()
    changes = compare(operations_only(public, rels), operations_only(mutated, rels))
    removed = [c for c in changes if c.rule == "parameter-removed"]
    assert removed and "getEventInvitedUsers" in (removed[0].operation or "")


# -- pages kept verbatim ------------------------------------------------------------------------------


def _cells(line: str) -> str:
    """A line as compared: a table row by its cells' content (padding, and empty cells past the last one
    written, ignored; a delimiter row as `---`), any other line as written."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
        return line.rstrip()
    cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", stripped[1:-1])]
    while len(cells) > 1 and not cells[-1]:
        cells.pop()
    if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
        cells = ["---"] * len(cells)
    return "| " + " | ".join(cells) + " |"


def unexplained_lines(page: str, ours: str, public: str) -> list[int]:
    """The lines of the public page (1-based) where ours differs and no errata row names that line."""
    named = {erratum.line for erratum in errata() if erratum.page == page}
    theirs, mine = public.splitlines(), ours.splitlines()
    matcher = difflib.SequenceMatcher(
        None, [_cells(x) for x in theirs], [_cells(x) for x in mine], autojunk=False
    )
    missing: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            missing += [line for line in range(i1 + 1, i2 + 1) if line not in named]
        elif not named & set(range(i1 + 1, max(i2, i1 + 1) + 1)):
            missing.append(i1 + 1)
    return missing


def test_verbatim_pages_are_listed() -> None:
    listed = verbatim_pages()
    assert "course/leave_a_course.md" in listed, f"{ERRATA} lists no verbatim pages"
    course = sorted(p.relative_to(DOCS).as_posix() for p in (DOCS / "course").glob("*.md"))
    assert set(course) <= set(listed), "every course page is a public page kept verbatim"
    assert all((DOCS / page).is_file() for page in listed), "a verbatim page that docs/ does not have"


def test_verbatim_pages_differ_only_on_errata_lines() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    differing = {}
    for page in verbatim_pages():
        ours = (DOCS / page).read_text(encoding="utf-8")
        missing = unexplained_lines(page, ours, (CORPUS / page).read_text(encoding="utf-8"))
        if missing:
            differing[page] = missing
    assert not differing, (
        "a page kept verbatim differs from the public page on lines no errata row names (page: public lines);"
        f" restore the public text or add a row to {ERRATA}: {differing}"
    )


def test_every_erratum_of_a_verbatim_page_names_a_line_that_differs() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    for erratum in errata():
        if erratum.page not in verbatim_pages():
            continue
        public = (CORPUS / erratum.page).read_text(encoding="utf-8").splitlines()
        ours = (DOCS / erratum.page).read_text(encoding="utf-8").splitlines()
        assert _cells(public[erratum.line - 1]) not in {_cells(line) for line in ours}, (
            f"{ERRATA}: {erratum.page}:{erratum.line} is unchanged in our page; drop the row"
        )


def test_a_changed_line_of_a_verbatim_page_is_reported() -> None:
    """The line comparison can fail: a sentence reworded on a verbatim page is named by its line."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    page = "course/get_course_status.md"
    public = (CORPUS / page).read_text(encoding="utf-8")
    assert unexplained_lines(page, public, public) == []
    reworded = public.replace("otherwise it will return 404", "otherwise it will return 403")
    assert unexplained_lines(page, reworded, public) == [11]
    repadded = public.replace("| id   | path | integer |", "| id | path | integer |")
    assert unexplained_lines(page, repadded, public) == []
