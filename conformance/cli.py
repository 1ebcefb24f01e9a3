"""`python -m conformance run|demo`: the verdict of a server against the invitation contract.

Exit codes: 0 every MUST requirement holds; 1 some MUST does not; 2 the target cannot be tested.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click
from rich.console import Console

from openapi import SPEC_PATH
from openapi.catalog import load_catalog
from openapi.document import Spec

from . import reports
from .cleanup import CreatedResources
from .client import Client
from .credentials import SHOWN_NOTICE, TOKENS_ENV, Credentials, TokenError, gather_tokens
from .demo import DemoError, demo_target
from .options import OptionError, parse_options
from .pacing import DEFAULT_REMOTE, LoadPolicy, RateLimitError
from .profiles import PROFILES, with_shrink_seconds
from .reports.console import (
    live_progress,
    make_console,
    mask_console,
    masked_stdio,
    print_cleanup,
    print_report,
)
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
    markdown_path: Path | None = None,
    show_secrets: bool = False,
    rate_limit: str | None = None,
    side_by_side: bool = True,
    keep_resources: bool = False,
    shrink_seconds: int | None = None,
) -> int:
    """Connect, run, clean up, report; returns the exit code.

    Without a rate limit the families are checked side by side (runner.run_side_by_side) unless
    `side_by_side` is false; the verdicts and the requests of each family are the same either way.

    From the moment the tokens are known, everything the console prints is masked with them, and every
    report file too; `show_secrets` turns that off and says so at the top of each report. At the end every
    resource the run created is deleted (cleanup.py) unless `keep_resources`; the reports list what is left.
    `shrink_seconds` replaces the profile's budget for shortening a failing state machine sequence.
    """
    console = console or make_console()
    seed = seed if seed is not None else secrets.randbelow(2**31)
    spec = Spec(spec_path or SPEC_PATH)
    credentials = Credentials()

    def untestable(option: str, problem: str) -> int:
        console.print(f"[bold red]{option}[/]: {problem}", soft_wrap=True)
        if markdown_path is not None:
            reports.write_untestable(markdown_path, base_url, problem, credentials)
        return EXIT_UNTESTABLE

    try:
        chosen = with_shrink_seconds(PROFILES[profile], shrink_seconds)
    except ValueError as exc:
        return untestable("--shrink-seconds", str(exc))
    try:
        options = parse_options(community_options or [], spec)
    except OptionError as exc:
        return untestable("--community-option", str(exc))
    try:
        families = select(spec, family_names)
    except ValueError as exc:
        return untestable("--family", str(exc))
    try:
        load = LoadPolicy.for_target(base_url, rate_limit)
    except RateLimitError as exc:
        return untestable("--rate-limit", str(exc))
    try:
        credentials = Credentials(tokens, shown=show_secrets)
    except TokenError as exc:
        return untestable("tokens", str(exc))
    if show_secrets:
        console.print(f"[bold red]{SHOWN_NOTICE}[/]", soft_wrap=True)
    else:
        mask_console(console, credentials)
    requirements = plan(spec, families, only)
    together = side_by_side and load.limit is None
    client = Client(base_url, credentials=credentials, rate_limit=load.limit)
    ledger = CreatedResources(spec, client)
    try:
        try:
            target = connect(client, spec, tokens, families)
        except TargetError as exc:
            return untestable(f"Cannot test {base_url}", str(exc))
        console.print(
            f"Testing [bold]{base_url}[/] with {len(target.users)} users "
            f"({', '.join(str(user) for user in target.users)}), profile {profile}, seed {seed}, "
            f"families {', '.join(family.name for family in families) or 'none'}"
            + "".join(f", {name}={str(value).lower()} (stated)" for name, value in options.items()),
            soft_wrap=True,  # one line in a log, whatever its width
        )
        try:
            progress = live_progress(console, len(requirements))
            with masked_stdio(credentials), progress as (on_start, on_result):
                result: RunResult = run(
                    target,
                    chosen,
                    seed,
                    families,
                    requirements,
                    on_start=on_start,
                    on_result=on_result,
                    options=options,
                    load=load.describe(side_by_side=len(families) if together else 1),
                    side_by_side=together,
                )
        except BaseException:  # an interrupted run still deletes what it created, and says what it left
            print_cleanup(console, ledger.clean_up(keep=keep_resources))
            raise
        result.cleanup = ledger.clean_up(keep=keep_resources, evidence=result.failure_evidence())
    finally:
        client.close()
    print_report(console, result)
    for path, writer in (
        (junit_xml, reports.write_junit),
        (json_path, reports.write_json),
        (html_path, reports.write_html),
        (markdown_path, reports.write_markdown),
    ):
        if path is not None:
            writer(result, path)
            console.print(f"report written: {path}")
    return result.exit_code


KEEP_RESOURCES = click.option(
    "--keep-resources",
    is_flag=True,
    help="Leave the events, groups and courses the run creates on the server (listed in every report); by "
    "default each is deleted at the end, as its creator.",
)


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
    help="Bearer token of a distinct ordinary user; at least three (manager, member, requester). A command "
    f"line is visible to every process on the machine: prefer --token-file or {TOKENS_ENV}.",
)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A file of bearer tokens, one per line (after any --token). Without --token and --token-file, the "
    f"tokens come from the environment variable {TOKENS_ENV} (whitespace separated).",
)
@click.option(
    "--show-secrets",
    is_flag=True,
    help="Show the tokens in clear in every report and curl line, for local debugging; every report says so.",
)
@click.option(
    "--rate-limit",
    default=None,
    metavar="N[/s|/m|/h]",
    help="At most N requests per second (or per minute, hour), every request the suite sends included; "
    f"`none` for no limit. Default: none on loopback, {DEFAULT_REMOTE} elsewhere. The suite sends one "
    "request at a time.",
)
@click.option("--profile", type=click.Choice(sorted(PROFILES)), default="quick", show_default=True)
@click.option("--seed", type=int, default=None, help="Seed for generated data (printed when not given).")
@click.option(
    "--shrink-seconds",
    type=click.IntRange(min=0),
    default=None,
    metavar="SECONDS",
    help="How long the state machine may shorten a failing sequence before reporting it (default: the "
    "profile's, quick 10, full 60); 0 reports it as found. Verdicts do not depend on it, only the evidence.",
)
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
    "--markdown-summary",
    "markdown_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help='A Markdown summary (verdict, counts, what did not pass), e.g. "$GITHUB_STEP_SUMMARY".',
)
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
@KEEP_RESOURCES
def run_command(
    base_url: str,
    tokens: tuple[str, ...],
    token_file: Path | None,
    show_secrets: bool,
    rate_limit: str | None,
    markdown_path: Path | None,
    profile: str,
    seed: int | None,
    spec_path: Path | None,
    junit_xml: Path | None,
    json_path: Path | None,
    html_path: Path | None,
    only: tuple[str, ...],
    community_options: tuple[str, ...],
    family_names: tuple[str, ...],
    keep_resources: bool,
    shrink_seconds: int | None,
) -> None:
    """Check the server at BASE-URL against every requirement of the catalog, for each membership family."""
    unknown = [
        requirement_id for requirement_id in only if catalog_id(requirement_id) not in load_catalog().ids
    ]
    if unknown:
        raise click.BadParameter(f"not in the catalog: {', '.join(unknown)}", param_hint="--only")
    try:
        gathered = gather_tokens(tokens, token_file, os.environ)
    except TokenError as exc:
        raise click.BadParameter(str(exc), param_hint="--token-file") from None
    sys.exit(
        execute(
            base_url,
            gathered,
            profile=profile,
            seed=seed,
            spec_path=spec_path,
            junit_xml=junit_xml,
            json_path=json_path,
            html_path=html_path,
            only=list(only) or None,
            community_options=list(community_options),
            family_names=list(family_names),
            markdown_path=markdown_path,
            show_secrets=show_secrets,
            rate_limit=rate_limit,
            keep_resources=keep_resources,
            shrink_seconds=shrink_seconds,
        )
    )


def catalog_id(requirement_id: str) -> str:
    """`INV-ALL-IDS[group]` → `INV-ALL-IDS`."""
    return requirement_id.split("[", 1)[0]


@main.command("demo")
@click.option("--seed", type=int, default=None)
@click.option("--profile", type=click.Choice(sorted(PROFILES)), default="quick", show_default=True)
@click.option("--family", "family_names", multiple=True, metavar="NAME", help="As for `run`.")
@KEEP_RESOURCES
def demo_command(seed: int | None, profile: str, family_names: tuple[str, ...], keep_resources: bool) -> None:
    """Start the reference server on a temporary SQLite file and run the suite against it."""
    console = make_console()
    try:
        with demo_target() as (base_url, tokens):
            console.print(f"Reference server on {base_url} (temporary SQLite file), 4 users")
            code = execute(
                base_url,
                tokens,
                profile=profile,
                seed=seed,
                console=console,
                family_names=list(family_names),
                keep_resources=keep_resources,
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
