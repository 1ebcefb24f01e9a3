"""Run the toy server: ``python -m tests.selftest.toy --port 8000 [--fault NAME | --variant NAME]``."""

from __future__ import annotations

import click
import uvicorn

from .app import ToyParts
from .community import CommunityOptions
from .faults import FAULTS
from .variants import VARIANTS


@click.command()
@click.option("--port", type=int, required=True)
@click.option("--users", type=int, default=4, show_default=True, help="Users with tokens toy-token-1..N.")
@click.option("--fault", type=click.Choice(sorted(FAULTS)), help="Break one rule of the contract.")
@click.option("--variant", type=click.Choice(sorted(VARIANTS)), help="Make a different but correct choice.")
@click.option(
    "--content-availability",
    type=click.Choice(["true", "false"]),
    default="true",
    show_default=True,
    help="The community option: whether anonymous callers may read event info.",
)
@click.option(
    "--slow-lists",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds taken to write a users list of more than 1,000 ids (a slow server, not a fault).",
)
@click.option(
    "--community-option",
    "settings",
    multiple=True,
    metavar="NAME=true|false",
    help="A community option, e.g. courses_only_staff_enabled=true (the first user is staff).",
)
def main(
    port: int,
    users: int,
    fault: str | None,
    variant: str | None,
    content_availability: str,
    settings: tuple[str, ...],
    slow_lists: float,
) -> None:
    """A small in-memory server of the membership lifecycle contract, on 127.0.0.1."""
    if fault and variant:
        raise click.UsageError("Choose a fault or a variant, not both.")
    parts = FAULTS[fault].parts if fault else VARIANTS[variant].parts if variant else ToyParts()
    try:
        stated = [f"content_availability={content_availability}", *settings]
        community = CommunityOptions().with_settings(stated)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--community-option") from exc
    app = parts.app(users, community, slow_lists=slow_lists)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def run(args: list[str]) -> None:
    """``main`` with ``args`` for its command line, in a process forked to serve (``servers.toy_server``)."""
    main.main(args=args, prog_name="python -m tests.selftest.toy")


if __name__ == "__main__":
    main()
