"""Compare regenerated pages with their sources under the documented normalisation."""

from __future__ import annotations

import difflib
from pathlib import Path

from publishing.markdown_out.normalise import normalise, normalise_schema_page


def page_differences(sources: Path, regenerated: Path) -> dict[str, list[str]]:
    """Relative path → unified diff lines, for every source page that differs (or was not written)."""
    differences: dict[str, list[str]] = {}
    for source in sorted(sources.rglob("*.md")):
        rel = source.relative_to(sources).as_posix()
        target = regenerated / rel
        if not target.exists():
            differences[rel] = [f"not regenerated: {rel}"]
            continue
        compare = normalise_schema_page if rel.startswith("schemas/") else normalise
        before = compare(source.read_text(encoding="utf-8")).splitlines()
        after = compare(target.read_text(encoding="utf-8")).splitlines()
        if before != after:
            differences[rel] = list(
                difflib.unified_diff(before, after, f"source/{rel}", f"regenerated/{rel}", lineterm="", n=1)
            )
    return differences
