"""A self-contained HTML page of the run (inline CSS, no script, no CDN), from a Jinja2 template."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..options import settings_lines
from ..runner import RunResult, Verdict


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
    counts = {verdict.value: run.count(verdict) for verdict in Verdict}
    settings = settings_lines(run.options, run.readings)
    families = run.by_family()
    return template.render(run=run, groups=groups, counts=counts, settings=settings, families=families)


def write_html(run: RunResult, path: Path) -> None:
    path.write_text(render_html(run), encoding="utf-8")
