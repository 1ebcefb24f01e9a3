"""``publishing markdown``: docs → spec → markdown → spec gives the same spec; pages match their sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from publishing.markdown_out.normalise import normalise, normalise_schema_page
from testkit.errata import verbatim_pages
from testkit.processes import REPO_ROOT
from tests.publishing.conftest import CORPUS, publish, specgen, write_spec

# The round trips are the module's fixtures: one xdist worker makes them once.
pytestmark = pytest.mark.xdist_group("markdown")

DOCS = REPO_ROOT / "docs" / "apireference" / "v2"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
VERBATIM = frozenset(verbatim_pages())


def round_trip(docs: Path, tmp: Path) -> tuple[str, str, Path]:
    """(spec from docs, spec from the regenerated pages, folder of the regenerated pages)."""
    first, pages, second = tmp / "first.yaml", tmp / "pages", tmp / "second.yaml"
    built = specgen("build", "--docs", docs, "--out", first)
    assert first.exists(), built.stderr
    written = publish("markdown", "--spec", first, "--out", pages)
    assert written.returncode == 0, written.stderr
    rebuilt = specgen("build", "--docs", pages, "--out", second)
    assert second.exists(), rebuilt.stderr
    return first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8"), pages


@pytest.fixture(scope="module")
def project_round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    return round_trip(DOCS, tmp_path_factory.mktemp("project"))


def test_project_docs_round_trip_to_the_same_spec(project_round_trip: tuple[str, str, Path]) -> None:
    first, second, _ = project_round_trip
    assert first == second


@pytest.mark.parametrize(
    "rel",
    [rel for rel in PAGES if rel != "errors/errors.md" and rel not in VERBATIM],
)
def test_regenerated_page_equals_its_source(rel: str, project_round_trip: tuple[str, str, Path]) -> None:
    """Equal up to the normalisation of publishing/markdown_out/normalise.py (docs/markdown-round-trip.md).

    The public pages kept verbatim (docs/errata.md) are held to the corpus's guarantee instead: the spec
    they give back is the same (``test_project_docs_round_trip_to_the_same_spec``); their notation
    (link texts, `¦[]`, one table per variant) is the public pages', which the spec does not record."""
    pages = project_round_trip[2]
    assert (pages / rel).exists(), f"{rel} was not regenerated"
    compare = normalise_schema_page if rel.startswith("schemas/") else normalise
    assert compare((pages / rel).read_text(encoding="utf-8")) == compare(
        (DOCS / rel).read_text(encoding="utf-8")
    )


def test_errors_page_keeps_the_meanings_the_operations_use(project_round_trip: tuple[str, str, Path]) -> None:
    regenerated = (project_round_trip[2] / "errors" / "errors.md").read_text(encoding="utf-8")
    source_rows = set(normalise((DOCS / "errors" / "errors.md").read_text(encoding="utf-8")).splitlines())
    rows = [line for line in normalise(regenerated).splitlines() if line.startswith("| 4")]
    assert rows and set(rows) <= source_rows


def test_invite_page_is_where_docs_has_it(project_round_trip: tuple[str, str, Path]) -> None:
    page = (project_round_trip[2] / "event" / "invite_users_to_event.md").read_text(encoding="utf-8")
    assert "`POST /api/v2/event/{id}/invite/`" in page
    assert ":::info\n\nThis operation requires authentication and that the user is the manager" in page
    assert "--data '{\"users\": [1, 2]}'" in page


def test_unreadable_spec_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("paths: [unclosed\n", encoding="utf-8")
    result = publish("markdown", "--spec", bad, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "bad.yaml" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.corpus
def test_corpus_round_trips_to_the_same_spec(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    first, second, _ = round_trip(CORPUS, tmp_path)
    assert first.count("operationId:") > 200
    assert first == second


def test_compare_lists_a_page_that_no_longer_matches(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    spec = tmp_path / "spec.yaml"
    assert specgen("build", "--docs", docs, "--out", spec).returncode == 0
    page = docs / "event" / "invite_users_to_event.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("invite new users", "invite more users"), encoding="utf-8"
    )
    result = publish("markdown", "--spec", spec, "--out", tmp_path / "pages", "--compare", docs)
    assert result.returncode == 1
    assert "event/invite_users_to_event.md differs from its source" in result.stdout
    assert "-This endpoint allows the manager to invite more users" in result.stdout
    assert "+This endpoint allows the manager to invite new users" in result.stdout


def test_recorded_source_paths_are_used(tmp_path: Path, base_spec: dict[str, Any]) -> None:
    """With ``x-source`` (the page each part was generated from), pages go back to those paths."""
    spec = json.loads(json.dumps(base_spec))
    spec["paths"]["/api/v2/user/me/"]["get"]["x-source"] = "user/who_am_i.md"
    spec["components"]["schemas"]["User"]["x-source"] = "schemas/person.md"
    result = publish(
        "markdown", "--spec", write_spec(tmp_path / "spec.yaml", spec), "--out", tmp_path / "pages"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pages" / "user" / "who_am_i.md").exists()
    assert not (tmp_path / "pages" / "user" / "me.md").exists()
    assert (tmp_path / "pages" / "schemas" / "person.md").exists()
    me = (tmp_path / "pages" / "user" / "who_am_i.md").read_text(encoding="utf-8")
    assert "[User](/docs/apireference/v2/schemas/person)" in me
