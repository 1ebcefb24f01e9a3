"""A self-contained HTML page of the run (inline CSS, no script, no CDN), from a Jinja2 template."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..credentials import SHOWN_NOTICE
from ..options import settings_lines
from ..runner import RunResult
from .files import write_report


def render_html(run: RunResult) -> str:
    environment = Environment(
        loader=PackageLoader("conformance", "reports/templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("report.html.j2")
    groups: dict[str, list[object]] = {}
    for result in run.results:
        groups.setdefault(result.requirement.group_title, []).append(result)
    settings = settings_lines(run.options, run.readings)
    families = run.by_family()
    return template.render(
        run=run,
        groups=groups,
        counts=run.counts.as_dict(),
        settings=settings,
        families=families,
        shown_notice=SHOWN_NOTICE,
    )


def write_html(run: RunResult, path: Path) -> None:
    write_report(run, path, render_html(run))
