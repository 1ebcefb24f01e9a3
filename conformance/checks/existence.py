"""EXIST-*: an event id that names no event answers 404 to an authenticated caller, never 5xx."""

from __future__ import annotations

from .auth import valid_body
from .context import Context
from .outcomes import expect_every
from .registry import requirement


def expect_404(ctx: Context, resource_ids: list[str], described: str) -> None:
    attempts = []
    for operation in ctx.operations():
        if not operation.takes_resource_id:
            continue
        body = valid_body(ctx, operation.operation_id)
        kwargs = {"json_body": body} if body is not None else {}
        for resource_id in resource_ids:
            attempts.append(ctx.call(operation.operation_id, ctx.manager, resource_id, **kwargs))
    expect_every(
        attempts,
        404,
        f"requests naming {described}",
        "Look the event up before anything else and answer 404 when there is none.",
    )


@requirement("EXIST-UNKNOWN")
def unknown_resource(ctx: Context) -> None:
    expect_404(ctx, [str(ctx.unknown_id())], "an event that does not exist")


@requirement("EXIST-NONNUMERIC")
def non_numeric_id(ctx: Context) -> None:
    expect_404(ctx, ["abc", "12abc"], "a non-numeric event id")


@requirement("EXIST-OVERFLOW")
def overflowing_id(ctx: Context) -> None:
    expect_404(ctx, [str(2**63), str(2**64 + 7)], "an event id beyond 64 bits")
