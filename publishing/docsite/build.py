"""Render the site: one self-contained ``index.html`` (inline CSS, no script) plus the spec it shows."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from openapi.document import Spec
from publishing.docsite.catalog import RequirementView
from publishing.docsite.model import Builder, SiteView

SWAGGER_UI = "http://127.0.0.1:8000/api/v2/ui/"


def error_statuses(site: SiteView) -> list[tuple[str, str, list[str]]]:
    """(status, meaning, operationIds) for every 4xx/5xx status the operations document."""
    found: dict[str, tuple[str, list[str]]] = {}
    for tag in site.tags:
        for operation in tag.operations:
            for response in operation.responses:
                if response.status[:1] in ("4", "5"):
                    _, ids = found.setdefault(response.status, (response.reason, []))
                    if operation.id not in ids:
                        ids.append(operation.id)
    return [(status, reason, ids) for status, (reason, ids) in sorted(found.items())]


def render_site(
    document: Spec, requirements: list[RequirementView], *, spec_file: str, swagger_ui: str = SWAGGER_UI
) -> str:
    environment = Environment(
        loader=PackageLoader("publishing.docsite", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    site = Builder(document, requirements).build(swagger_ui)
    css = files("publishing.docsite").joinpath("templates/site.css").read_text(encoding="utf-8")
    return environment.get_template("site.html.j2").render(
        site=site, css=css, spec_file=spec_file, errors=error_statuses(site)
    )


def build_site(
    document: Spec, out: Path, requirements: list[RequirementView], swagger_ui: str = SWAGGER_UI
) -> Path:
    """Write ``out/index.html`` and a copy of the document's file beside it; returns the page's path."""
    out.mkdir(parents=True, exist_ok=True)
    spec_copy = out / document.path.name
    if spec_copy.resolve() != document.path.resolve():
        shutil.copyfile(document.path, spec_copy)
    page = out / "index.html"
    page.write_text(
        render_site(document, requirements, spec_file=spec_copy.name, swagger_ui=swagger_ui), encoding="utf-8"
    )
    return page
