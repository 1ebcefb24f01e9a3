"""`specgen check`: fail when the committed spec is stale or invalid."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from specgen.build import build
from specgen.check import access_errors, diff_excerpt, first_difference, show, validation_errors
from specgen.commands.options import DEFAULT_SPEC, docs_option
from specgen.yamlio import dump, load


@click.command("check")
@docs_option
@click.option(
    "--spec",
    "spec",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_SPEC,
    show_default=True,
    help="The committed OpenAPI YAML.",
)
def command(docs: Path, spec: Path) -> int:
    """Exit 1 unless SPEC is exactly what `build` makes from DOCS, every x-access is valid and SPEC validates
    as OpenAPI 3.0."""
    passed, message = verdict(docs, spec)
    click.echo(message, err=not passed)
    return 0 if passed else 1


def verdict(docs: Path, spec: Path) -> tuple[bool, str]:
    """Whether SPEC passes the check, and the message that says so or names the first problem."""
    expected = dump(build(docs).document)
    try:
        actual = spec.read_text(encoding="utf-8")
    except OSError as error:
        return False, f"{spec}: cannot read ({error.strerror}); run `python -m specgen build`"
    try:
        loaded = load(actual)
    except yaml.YAMLError as error:
        return False, f"{spec} is not valid YAML ({error}); run `python -m specgen build`"
    problems = list(access_errors(loaded if isinstance(loaded, dict) else {}))
    if problems:
        return False, "\n".join(problems) + (
            f"\n{spec}: {len(problems)} x-access problem(s) (see docs/access-language.md);"
            " fix the pages' access prose and run `python -m specgen build`"
        )
    if actual != expected:
        difference = first_difference(load(expected), loaded)
        if difference:
            where, built, committed = difference
            return False, (
                f"{spec} is stale at {where}:\n"
                f"  built from {docs}: {show(built)}\n"
                f"  in {spec}: {show(committed)}\n"
                "run `python -m specgen build` and commit the result"
            )
        excerpt = diff_excerpt(expected, actual, str(spec))
        return False, (
            f"{spec} differs from the build in formatting only:\n{excerpt}\n"
            "run `python -m specgen build` and commit the result"
        )
    errors = list(validation_errors(load(actual)))
    if errors:
        return False, f"{spec} is not valid OpenAPI 3.0 ({len(errors)} errors), first: {errors[0]}"
    return True, f"{spec} is up to date with {docs} and valid OpenAPI {loaded.get('openapi')}"
