"""The built site in headless Chromium: what a reader sees, and in-page links that work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.publishing.conftest import SPEC_PATH, publish

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# One xdist worker runs this module, so that the browser (the module's fixture) is made once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site-browser")]


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium): apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    out = tmp_path_factory.mktemp("site")
    result = publish("docs", "--spec", SPEC_PATH, "--out", out)
    assert result.returncode == 0, result.stderr
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto((out / "index.html").as_uri())
        yield page
        browser.close()


def test_invite_operation_its_204_and_access_rule_are_visible(browser_page: Any) -> None:
    from playwright.sync_api import expect

    section = browser_page.locator("section#inviteUsersToEvent")
    section.scroll_into_view_if_needed()
    expect(section.locator("h3")).to_have_text("Invite Users Or Accept Users")
    expect(section.locator(".access")).to_be_visible()
    expect(section.locator(".access")).to_contain_text("authentication required")
    expect(section.locator(".access .role")).to_have_text("event_manager")
    row = section.locator("tr#inviteUsersToEvent-204")
    expect(row).to_be_visible()
    expect(row.locator("td").nth(1)).to_have_text("No Content")


def test_link_to_another_operation_scrolls_to_it(browser_page: Any) -> None:
    from playwright.sync_api import expect

    source = browser_page.locator("section#inviteUsersToEvent")
    link = source.locator(".related a[href='#getEventInvitedUsers']")
    link.scroll_into_view_if_needed()
    target = browser_page.locator("section#getEventInvitedUsers")
    link.click()
    browser_page.wait_for_url("**#getEventInvitedUsers")
    expect(target.locator("h3")).to_be_in_viewport()
    assert browser_page.evaluate("() => location.hash") == "#getEventInvitedUsers"


def test_nav_link_and_schema_link(browser_page: Any) -> None:
    from playwright.sync_api import expect

    browser_page.locator("nav.toc a[href='#me']").click()
    browser_page.wait_for_url("**#me")
    expect(browser_page.locator("section#me h3")).to_be_in_viewport()
    browser_page.locator("section#me a[href='#schema-User']").first.click()
    browser_page.wait_for_url("**#schema-User")
    expect(browser_page.locator("section#schema-User h3")).to_be_in_viewport()


def test_group_instance_links_to_its_requirement_row(browser_page: Any) -> None:
    from playwright.sync_api import expect

    link = browser_page.locator("section#inviteUsersToGroup ul.requirements a[href='#req-INV-ALL-IDS']")
    expect(link).to_have_text("INV-ALL-IDS[group]")
    link.scroll_into_view_if_needed()
    link.click()
    browser_page.wait_for_url("**#req-INV-ALL-IDS")
    row = browser_page.locator("tr#req-INV-ALL-IDS")
    expect(row).to_be_in_viewport()
    expect(row.locator("td.families")).to_have_text("event, course, group")
