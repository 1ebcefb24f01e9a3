"""``specgen docs``: the static reference site."""

from __future__ import annotations

import time
from importlib.resources import files
from pathlib import Path

import click

from conformance.spec import Spec
from openapi import SPEC_PATH
from specgen.docsite.build import SWAGGER_UI, build_site
from specgen.docsite.catalog import CatalogError, families_of, instantiate, load_catalog
from specgen.specfile import SpecFileError, load_spec

# The conformance package's catalog, in a checkout or installed.
DEFAULT_CATALOG = Path(str(files("conformance").joinpath("catalog.yaml")))


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
    if catalog_path is None and DEFAULT_CATALOG.exists():
        catalog_path = DEFAULT_CATALOG
    try:
        requirements = instantiate(load_catalog(catalog_path), Spec(spec_path, spec)) if catalog_path else []
    except CatalogError as error:
        raise SpecFileError(str(error)) from error
    page = build_site(spec, spec_path, out, requirements, swagger_ui)
    checks = sum(len(requirement.instances) for requirement in requirements)
    families = ", ".join(families_of(requirements))
    click.echo(
        f"wrote {page} ({len(requirements)} requirements, {checks} checks"
        f"{f' for the families {families}' if families else ''}) in {time.perf_counter() - started:.2f}s"
    )
    return 0
