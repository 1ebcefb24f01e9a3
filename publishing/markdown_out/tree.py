"""The whole docs folder from the spec: endpoint pages by tag, schema pages, intro, errors, categories."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi.document import Spec
from publishing.markdown_out.names import schema_links, schema_rel
from publishing.markdown_out.notation import Lossy, shared_enums
from publishing.markdown_out.pages import (
    error_meanings,
    operation_page,
    operation_rel,
    operations,
    schema_page,
)
from publishing.markdown_out.rfc import phrase
from publishing.markdown_out.tables import table


@dataclass
class Tree:
    """Relative path → page text, and what could not be written faithfully (page: problem)."""

    files: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def write(self, out: Path) -> None:
        for rel, text in self.files.items():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def category(label: str, position: int) -> str:
    return json.dumps({"label": label, "position": position}, indent=2) + "\n"


def errors_page(meanings: Mapping[str, str]) -> str:
    rows = [(status, meanings[status]) for status in sorted(meanings)]
    return (
        "---\nsidebar_label: Errors\nsidebar_position: 1\ntitle: Errors\n---\n\n"
        + table(("Error Code", "Meaning"), rows or [("400", phrase("400"))])
        + "\n"
    )


def intro_page(info: Mapping[str, Any]) -> str:
    title = re.sub(r"\s*\(version [^)]*\)$", "", str(info.get("title", "API Reference")))
    head = f"---\nsidebar_label: Introduction\nsidebar_position: 0\ntitle: {title}\n---\n"
    return f"{head}\n{info['description']}\n"


def build_tree(document: Spec) -> Tree:
    spec, tree = document.raw, Tree()
    info = spec.get("info") or {}
    tree.files["_category_.json"] = category(str(info.get("title") or "API Reference"), 1)
    if info.get("description"):
        tree.files["intro.md"] = intro_page(info)
    meanings = error_meanings(document)
    tree.files["errors/errors.md"] = errors_page(meanings)
    tree.files["errors/_category_.json"] = category("Errors", 90)
    labels = {tag.get("name"): tag.get("description") for tag in spec.get("tags") or []}
    positions: dict[str, int] = {}
    for path, method, operation in operations(spec):
        rel = operation_rel(operation)
        folder = rel.split("/", 1)[0]
        positions[folder] = positions.get(folder, 0) + 1
        try:
            written = operation_page(document, path, method, operation, meanings, positions[folder])
        except Lossy as error:
            tree.problems.append(f"{rel}: {error}")
            continue
        tree.files[rel] = written.text
        tree.problems += [f"{rel}: {problem}" for problem in written.problems]
    for index, folder in enumerate(positions, 1):
        label = labels.get(folder) or folder.replace("_", " ").capitalize()
        tree.files[f"{folder}/_category_.json"] = category(str(label), index + 1)
    schemas = (spec.get("components") or {}).get("schemas") or {}
    shared, links = shared_enums(schemas), schema_links(schemas)
    for position, (name, schema) in enumerate(schemas.items(), 1):
        rel = schema_rel(name, schema)
        try:
            written = schema_page(name, schema, position, shared, links)
        except Lossy as error:
            tree.problems.append(f"{rel}: {error}")
            continue
        tree.files[rel] = written.text
        tree.problems += [f"{rel}: {problem}" for problem in written.problems]
    if schemas:
        tree.files["schemas/_category_.json"] = category("Schemas", len(positions) + 2)
    return tree
