"""Fixtures for the generator: small docs trees written into tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.specgen.pagekit import SCHEMA_THING

WriteDocs = Callable[[dict[str, str]], Path]


@pytest.fixture
def write_docs(tmp_path: Path) -> WriteDocs:
    """Write {relative path: text} under tmp_path/docs (plus the Thing schema page) and return that folder."""

    def write(pages: dict[str, str]) -> Path:
        root = tmp_path / "docs"
        for rel, text in {"schemas/thing.md": SCHEMA_THING, **pages}.items():
            file = root / rel
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
        return root

    return write
