"""``specgen docs``: the static reference site."""

from __future__ import annotations

import time
from importlib.util import find_spec
from pathlib import Path

import click

from openapi import SPEC_PATH
from specgen.docsite.build import SWAGGER_UI, build_site
from specgen.docsite.catalog import CatalogError, load_catalog
from specgen.specfile import SpecFileError, load_spec

# The conformance package's catalog, in a checkout or installed (found without importing the suite).
_CONFORMANCE = find_spec("conformance")
DEFAULT_CATALOG = (
    Path(_CONFORMANCE.origin).with_name("catalog.yaml") if _CONFORMANCE and _CONFORMANCE.origin else None
)


@click.command("docs")
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=SPEC_PATH,
    show_default="the packaged openapi/v2.yaml",
    help="OpenAPI document to publish.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory to write index.html into.",
)
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Conformance requirement catalog (YAML); default the conformance package's catalog.yaml.",
)
@click.option(
    "--swagger-ui",
    default=SWAGGER_UI,
    show_default=True,
    help="Where the reference server serves Swagger UI, linked from the page.",
)
def command(spec_path: Path, out: Path, catalog_path: Path | None, swagger_ui: str) -> int:
    """Write a static HTML reference (no JavaScript, no network) of the spec to OUT/index.html."""
    started = time.perf_counter()
    spec = load_spec(spec_path)
    if catalog_path is None and DEFAULT_CATALOG is not None and DEFAULT_CATALOG.exists():
        catalog_path = DEFAULT_CATALOG
    try:
        requirements = load_catalog(catalog_path) if catalog_path else []
    except CatalogError as error:
        raise SpecFileError(str(error)) from error
    page = build_site(spec, spec_path, out, requirements, swagger_ui)
    click.echo(f"wrote {page} ({len(requirements)} requirements) in {time.perf_counter() - started:.2f}s")
    return 0
