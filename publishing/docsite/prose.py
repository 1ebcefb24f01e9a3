"""Descriptions (CommonMark) to HTML, with links to other reference pages turned into in-page anchors."""

from __future__ import annotations

import re
from collections.abc import Mapping

from markdown_it import MarkdownIt
from markupsafe import Markup

DOCS_LINK = re.compile(
    r"^/docs/apireference/v2/(?P<folder>[^/#]+)/(?P<stem>[^/#]+?)/?(?:#(?P<fragment>.*))?$"
)


def camel(stem: str) -> str:
    """``invite_users_to_event`` → ``inviteUsersToEvent`` (the spec's operationId convention)."""
    head, *rest = stem.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def normalised(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


class Prose:
    """Render Markdown with raw HTML escaped; ``/docs/apireference/v2/...`` links point into the page."""

    def __init__(self, operation_ids: set[str], schema_names: set[str]) -> None:
        self.markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
        self.operation_ids = operation_ids
        self.schemas = {normalised(name): name for name in schema_names}

    def anchor(self, href: str) -> str | None:
        match = DOCS_LINK.match(href)
        if not match:
            return None
        stem = match.group("stem")
        if camel(stem) in self.operation_ids:
            return "#" + camel(stem)
        if match.group("folder") == "schemas" and normalised(stem) in self.schemas:
            return "#schema-" + self.schemas[normalised(stem)]
        if match.group("folder") == "errors":
            return "#errors"
        return None

    def html(self, text: str | None, env: Mapping[str, object] | None = None) -> Markup:
        if not text:
            return Markup("")
        tokens = self.markdown.parse(text)
        for token in tokens:
            for child in token.children or []:
                if child.type == "link_open":
                    target = self.anchor(str(child.attrGet("href") or ""))
                    if target:
                        child.attrSet("href", target)
        return Markup(self.markdown.renderer.render(tokens, self.markdown.options, dict(env or {})))

    def inline(self, text: str | None) -> Markup:
        """One paragraph without the ``<p>`` wrapper, for table cells."""
        rendered = str(self.html(text)).strip()
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            rendered = rendered[3:-4]
        return Markup(rendered)
