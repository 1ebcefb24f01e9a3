"""`python -m conformance run|demo`: the verdict of a server against the invitation contract.

Exit codes: 0 every MUST requirement holds; 1 some MUST does not; 2 the target cannot be tested.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from rich.console import Console

from openapi import SPEC_PATH
from openapi.catalog import load_catalog
from openapi.document import Spec

from . import reports
from .client import Client
from .demo import DemoError, demo_target
from .options import OptionError, parse_options
from .profiles import PROFILES
from .reports.console import live_progress, make_console, print_report
from .runner import RunResult, plan, run, select
from .target import TargetError, connect

EXIT_UNTESTABLE = 2


def execute(
    base_url: str,
    tokens: list[str],
    *,
    profile: str = "quick",
    seed: int | None = None,
    spec_path: Path | None = None,
    junit_xml: Path | None = None,
    json_path: Path | None = None,
    html_path: Path | None = None,
    only: list[str] | None = None,
    console: Console | None = None,
    community_options: list[str] | None = None,
    family_names: list[str] | None = None,
) -> int:
    """Connect, run, report; returns the exit code."""
    console = console or make_console()
    seed = seed if seed is not None else secrets.randbelow(2**31)
    spec = Spec(spec_path or SPEC_PATH)
    try:
        options = parse_options(community_options or [], spec)
    except OptionError as exc:
        console.print(f"[bold red]--community-option[/]: {exc}")
        return EXIT_UNTESTABLE
    try:
        families = select(spec, family_names)
    except ValueError as exc:
        console.print(f"[bold red]--family[/]: {exc}")
        return EXIT_UNTESTABLE
    requirements = plan(spec, families, only)
    client = Client(base_url)
    try:
        try:
            target = connect(client, spec, tokens, families)
        except TargetError as exc:
            console.print(f"[bold red]Cannot test {base_url}[/]: {exc}")
            return EXIT_UNTESTABLE
        console.print(
            f"Testing [bold]{base_url}[/] with {len(target.users)} users "
            f"({', '.join(str(user) for user in target.users)}), profile {profile}, seed {seed}, "
            f"families {', '.join(family.name for family in families) or 'none'}"
            + "".join(f", {name}={str(value).lower()} (stated)" for name, value in options.items()),
            soft_wrap=True,  # one line in a log, whatever its width
        )
        with live_progress(console, len(requirements)) as (on_start, on_result):
            result: RunResult = run(
                target,
                PROFILES[profile],
                seed,
                families,
                requirements,
                on_start=on_start,
                on_result=on_result,
                options=options,
            )
    finally:
        client.close()
    print_report(console, result)
    for path, writer in (
        (junit_xml, reports.write_junit),
        (json_path, reports.write_json),
        (html_path, reports.write_html),
    ):
        if path is not None:
            writer(result, path)
            console.print(f"report written: {path}")
    return result.exit_code


@click.group()
def main() -> None:
    """Conformance suite for the SelfCommunity v2 membership lifecycle."""


@main.command("run")
@click.option(
    "--base-url", required=True, help="Root URL of the server under test, e.g. http://127.0.0.1:8000"
)
@click.option(
    "--token",
    "tokens",
    multiple=True,
    metavar="TOKEN",
    help="Bearer token of a distinct ordinary user; at least three (manager, member, requester).",
)
@click.option("--profile", type=click.Choice(sorted(PROFILES)), default="quick", show_default=True)
@click.option("--seed", type=int, default=None, help="Seed for generated data (printed when not given).")
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="OpenAPI document to test against (default: the packaged openapi/v2.yaml).",
)
@click.option("--junit-xml", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option(
    "--only",
    multiple=True,
    metavar="ID",
    help="Check only these requirements: a catalog id (every family) or one family's (INV-ALL-IDS[group]).",
)
@click.option(
    "--family",
    "family_names",
    multiple=True,
    metavar="NAME",
    help="Check only this membership family (event, group, …; repeatable); default: every one in the spec.",
)
@click.option(
    "--community-option",
    "community_options",
    multiple=True,
    metavar="NAME=VALUE",
    help="A community setting the server runs with, e.g. content_availability=false: the checks assert "
    "what it implies. Unstated options are observed and reported.",
)
def run_command(
    base_url: str,
    tokens: tuple[str, ...],
    profile: str,
    seed: int | None,
    spec_path: Path | None,
    junit_xml: Path | None,
    json_path: Path | None,
    html_path: Path | None,
    only: tuple[str, ...],
    community_options: tuple[str, ...],
    family_names: tuple[str, ...],
) -> None:
    """Check the server at BASE-URL against every requirement of the catalog, for each membership family."""
    unknown = [
        requirement_id for requirement_id in only if catalog_id(requirement_id) not in load_catalog().ids
    ]
    if unknown:
        raise click.BadParameter(f"not in the catalog: {', '.join(unknown)}", param_hint="--only")
    sys.exit(
        execute(
            base_url,
            list(tokens),
            profile=profile,
            seed=seed,
            spec_path=spec_path,
            junit_xml=junit_xml,
            json_path=json_path,
            html_path=html_path,
            only=list(only) or None,
            community_options=list(community_options),
            family_names=list(family_names),
        )
    )


def catalog_id(requirement_id: str) -> str:
    """`INV-ALL-IDS[group]` → `INV-ALL-IDS`."""
    return requirement_id.split("[", 1)[0]


@main.command("demo")
@click.option("--seed", type=int, default=None)
@click.option("--profile", type=click.Choice(sorted(PROFILES)), default="quick", show_default=True)
@click.option("--family", "family_names", multiple=True, metavar="NAME", help="As for `run`.")
def demo_command(seed: int | None, profile: str, family_names: tuple[str, ...]) -> None:
    """Start the reference server on a temporary SQLite file and run the suite against it."""
    console = make_console()
    try:
        with demo_target() as (base_url, tokens):
            console.print(f"Reference server on {base_url} (temporary SQLite file), 4 users")
            code = execute(
                base_url, tokens, profile=profile, seed=seed, console=console, family_names=list(family_names)
            )
            sys.exit(code)
    except DemoError as exc:
        console.print(f"[bold red]demo failed[/]: {exc}")
        sys.exit(EXIT_UNTESTABLE)


@main.command("catalog")
def catalog_command() -> None:
    """List the requirements: id, level, title and sources."""
    for requirement in load_catalog():
        click.echo(
            f"{requirement.id}\t{requirement.level}\t{requirement.title}\t{', '.join(requirement.sources)}"
        )
