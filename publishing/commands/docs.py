"""``publishing docs``: the static reference site."""

from __future__ import annotations

import time
from pathlib import Path

import click

from openapi.catalog import CatalogError, load_catalog, read_catalog
from openapi.document import Spec
from publishing.commands.options import out_option, spec_option
from publishing.docsite.build import SWAGGER_UI, build_site
from publishing.docsite.catalog import families_of, published
from publishing.specfile import SpecFileError, load_spec


@click.command("docs")
@spec_option("OpenAPI document to publish.")
@out_option("Directory to write index.html into.")
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Conformance requirement catalog (YAML shaped as openapi/catalog.yaml); default the packaged one.",
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
    document = Spec(spec_path, load_spec(spec_path))
    try:
        catalog = read_catalog(catalog_path) if catalog_path else load_catalog()
    except CatalogError as error:
        raise SpecFileError(str(error)) from error
    requirements = published(catalog, document)
    page = build_site(document, out, requirements, swagger_ui)
    checks = sum(len(requirement.instances) for requirement in requirements)
    families = ", ".join(families_of(requirements))
    click.echo(
        f"wrote {page} ({len(requirements)} requirements, {checks} checks"
        f"{f' for the families {families}' if families else ''}) in {time.perf_counter() - started:.2f}s"
    )
    return 0
