"""INV-*: what a 204 to POST invite means, read back through the lists and each user's own status."""

from __future__ import annotations

import json

from .context import Context, succeeded
from .outcomes import CheckSkipped, expect
from .registry import requirement


@requirement("INV-204")
def answers_exactly_204(ctx: Context) -> None:
    resource = ctx.fresh_resource("private")
    exchange = ctx.invite(resource, [ctx.target.member.id])
    documented = ctx.success_status("invite") or 204
    expect(
        exchange.status == documented,
        f"a valid invitation by the manager answered {exchange.status}; the contract documents exactly "
        f"{documented}",
        exchange,
    )


@requirement("INV-EMPTY-BODY")
def no_body_on_204(ctx: Context) -> None:
    resource = ctx.fresh_resource("private")
    exchange = ctx.invite(resource, [ctx.target.member.id])
    if exchange.status != 204:
        raise CheckSkipped(
            f"a valid invitation answered {exchange.status}: there is no 204 whose body to check "
            "(that answer is INV-204's verdict)",
            [exchange],
        )
    length = exchange.header("content-length")
    expect(
        length in (None, "0"),
        f"the 204 announces `Content-Length: {length}`; a 204 has no content (send no body, and no "
        "Content-Length or `Content-Length: 0`)",
        exchange,
    )
    # HTTP clients drop whatever follows a 204; only the connection itself shows a body sent anyway.
    operation = ctx.op("invite")
    raw = ctx.client.send_raw(
        operation.method,
        operation.url(resource),
        {"Authorization": f"Bearer {ctx.manager.token}", "Content-Type": "application/json"},
        json.dumps({"users": [ctx.target.requester.id]}).encode(),
    )
    expect(raw.status == 204, f"the same invitation sent over a plain connection answered {raw.status}", raw)
    expect(
        raw.response_body == b"",
        f"the 204 is followed by {len(raw.response_body)} body bytes on the connection "
        f"({raw.response_body[:80]!r}); a 204 has no content",
        raw,
    )


@requirement("INV-LISTED")
def invited_users_are_listed(ctx: Context) -> None:
    resource = ctx.fresh_resource("private")
    invitee = ctx.target.member
    answer = ctx.given(ctx.invite(resource, [invitee.id]), "POST invite", "INV-204").status
    listed = ctx.list_ids("invited", resource)
    expect(invitee.id in listed, f"{invitee} was invited ({answer}) but GET invite lists only {listed}")
    status = ctx.status(resource, invitee)
    expect(
        status == "invited", f"{invitee} was invited ({answer}) but reads status {status!r}, not 'invited'"
    )


@requirement("INV-ACCEPT")
def inviting_a_requester_accepts(ctx: Context) -> None:
    resource = ctx.fresh_resource("private")
    requester = ctx.target.requester
    ctx.given_joined(resource, requester, ctx.requested_state)
    pending = ctx.list_ids("requested", resource)
    if requester.id not in pending:
        raise CheckSkipped(
            f"prerequisite failed: after POST subscribe on a private event, request_subscribe lists "
            f"{pending}, not {requester} (that is READ-PAGINATION's and MODEL-STATEFUL's verdict)"
        )
    ctx.given(ctx.invite(resource, [requester.id]), "POST invite of the requester", "INV-204")
    pending = ctx.list_ids("requested", resource)
    subscribed = ctx.list_ids("members", resource)
    status = ctx.status(resource, requester)
    expect(requester.id not in pending, f"the accepted request of {requester} is still pending: {pending}")
    expect(
        requester.id in subscribed, f"the accepted {requester} is not listed by GET subscribe: {subscribed}"
    )
    expect(
        status == ctx.member_state,
        f"the accepted {requester} reads status {status!r}, not {ctx.member_state!r}",
    )


@requirement("INV-SUBSCRIBER-UNCHANGED")
def inviting_a_subscriber_changes_nothing(ctx: Context) -> None:
    resource = ctx.fresh_resource("public")
    member = ctx.target.member
    ctx.given_joined(resource, member, ctx.member_state)
    plain = ctx.invite(resource, [ctx.target.requester.id])
    ctx.given(plain, "POST invite of a user with no relation to the event", "INV-204")
    exchange = ctx.invite(resource, [member.id])
    expect(
        exchange.status == plain.status,
        f"inviting a subscriber answered {exchange.status}, a plain invitation {plain.status}; "
        "inviting a subscriber is a valid invitation that changes nothing",
        exchange,
    )
    status = ctx.status(resource, member)
    expect(status == ctx.member_state, f"inviting the subscribed {member} changed their status to {status!r}")
    invited = ctx.list_ids("invited", resource)
    expect(member.id not in invited, f"the subscribed {member} is now listed as invited: {invited}")


@requirement("INV-IDEMPOTENT")
def inviting_twice(ctx: Context) -> None:
    resource = ctx.fresh_resource("private")
    invitee = ctx.target.member
    first = ctx.invite(resource, [invitee.id])
    second = ctx.invite(resource, [invitee.id])
    ctx.given(first, "POST invite", "INV-204")
    ctx.given_statuses(resource, {invitee: "invited"}, "POST invite", "INV-LISTED")
    expect(
        second.status == first.status,
        f"the same invitation answered {first.status} then {second.status}; both must answer alike",
        first,
        second,
    )
    expect(
        second.response_body == first.response_body,
        "the repeated invitation's answer has another body than the first",
        first,
        second,
    )
    listed = ctx.list_ids("invited", resource)
    expect(listed.count(invitee.id) == 1, f"{invitee} is listed {listed.count(invitee.id)} times: {listed}")
    again = ctx.invite(resource, [invitee.id, invitee.id])
    expect(
        again.status == first.status,
        f"an invitation naming the same user twice answered {again.status}, the plain one {first.status}",
        again,
    )
    listed = ctx.list_ids("invited", resource)
    expect(listed.count(invitee.id) == 1, f"{invitee} is listed {listed.count(invitee.id)} times: {listed}")


@requirement("INV-ALL-IDS")
def every_id_applied(ctx: Context) -> None:
    resource = ctx.fresh_resource("private")
    invitees = ctx.target.others
    ctx.given(ctx.invite(resource, [user.id for user in invitees]), "POST invite of several users", "INV-204")
    listed = ctx.list_ids("invited", resource)
    missing = [user for user in invitees if user.id not in listed]
    expect(
        not missing,
        f"invited {len(invitees)} users in one request; GET invite lacks {[str(u) for u in missing]}",
    )
    statuses = {str(user): ctx.status(resource, user) for user in invitees}
    wrong = {name: status for name, status in statuses.items() if status != "invited"}
    expect(not wrong, f"users named in one invitation do not read 'invited': {wrong}")


@requirement("INV-THEN-SUBSCRIBE")
def invited_user_subscribes(ctx: Context) -> None:
    invitee = ctx.target.member
    resource = ctx.private_resource_inviting(invitee)
    exchange = ctx.join(resource, invitee)
    expect(
        succeeded(exchange),
        f"POST subscribe by an invited user answered {exchange.status}",
        exchange,
    )
    status = ctx.status(resource, invitee)
    expect(status == ctx.member_state, f"the invited {invitee} subscribed but reads status {status!r}")
    subscribed = ctx.list_ids("members", resource)
    expect(invitee.id in subscribed, f"the invited {invitee} subscribed but GET subscribe lists {subscribed}")
    invited = ctx.list_ids("invited", resource)
    expect(invitee.id not in invited, f"{invitee} subscribed yet GET invite still lists them: {invited}")


@requirement("INV-WITHDRAW")
def delete_withdraws(ctx: Context) -> None:
    invitee, other = ctx.target.member, ctx.target.requester
    resource = ctx.private_resource_inviting(invitee, other)
    exchange = ctx.remove_invitation(resource, [invitee.id])
    expect(
        succeeded(exchange),
        f"DELETE invite by the manager answered {exchange.status}",
        exchange,
    )
    listed = ctx.list_ids("invited", resource)
    expect(invitee.id not in listed, f"the withdrawn {invitee} is still listed by GET invite: {listed}")
    status = ctx.status(resource, invitee)
    expect(status is None, f"the withdrawn {invitee} reads status {status!r}, not null")
    expect(other.id in listed, f"withdrawing {invitee} also withdrew {other}: {listed}")
