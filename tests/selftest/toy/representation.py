"""JSON shapes of the answers: User, Event and the limit/offset page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from starlette.requests import Request

from .errors import Refusal, ServerFault
from .quirks import Quirks
from .store import Event, Store, User

DEFAULT_IMAGE = "https://toy.invalid/static/event.png"


def user_json(user: User, quirks: Quirks) -> dict[str, object]:
    body: dict[str, object] = {
        "id": user.id,
        "username": user.username,
        "real_name": f"Toy {user.username}",
    }
    if quirks.extra_fields:
        body |= {"karma": 7, "toy_flags": ["beta"]}
    return body


def event_json(store: Store, event: Event, viewer: User | None) -> dict[str, object]:
    fields = event.fields
    creator = user_json(store.users[event.creator_id], store.quirks)
    body: dict[str, object] = {
        "id": event.id,
        "name": fields["name"],
        "slug": f"event-{event.id}",
        "privacy": fields["privacy"],
        "visible": fields.get("visible", True),
        "active": fields.get("active", True),
        "show_on_feed": False,
        "image_bigger": DEFAULT_IMAGE,
        "image_big": DEFAULT_IMAGE,
        "image_medium": DEFAULT_IMAGE,
        "image_small": DEFAULT_IMAGE,
        "subscribers_counter": (
            event.cached_counter if store.quirks.counter_stale else len(event.with_status("subscribed"))
        ),
        "goings_counter": 0,
        "share_count": 0,
        "start_date": fields["start_date"],
        "end_date": fields["end_date"],
        "recurring": fields["recurring"],
        "location": fields["location"],
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "created_by": creator,
        "managed_by": creator,
        "running": False,
    }
    for optional in ("description", "color", "geolocation", "geolocation_lat", "geolocation_lng", "link"):
        if fields.get(optional) is not None:
            body[optional] = fields[optional]
    shown = event.creator_id if store.quirks.event_status_of_creator else viewer.id if viewer else None
    body["subscription_status"] = event.status_of(shown) if shown is not None else None
    if store.quirks.event_status_stale_after_leave and shown in event.left:
        body["subscription_status"] = "subscribed"
    if store.quirks.dates_not_rfc3339:
        for name in ("start_date", "end_date"):
            body[name] = _as_local_text(str(body[name]))
    return body


def _as_local_text(date_time: str) -> str:
    """The way some servers print dates: day first, no seconds, no offset."""
    parsed = datetime.fromisoformat(date_time.upper().replace("Z", "+00:00"))
    return parsed.strftime("%d/%m/%Y %H:%M")


def page_json(request: Request, items: Sequence[dict[str, object]], quirks: Quirks) -> dict[str, object]:
    """A limit/offset page; invalid ``limit``/``offset`` fall back to the defaults, as DRF does."""
    url = request.url
    if quirks.odd_query_400:
        _refuse_odd_values(request)
    limit = _positive_int(request.query_params.get("limit"), quirks.page_size, strict=True)
    offset = _positive_int(request.query_params.get("offset"), 0, strict=False)
    if quirks.limit_boundary_500 and limit >= 2**31:
        raise ServerFault  # a page size that overflows a 32-bit column
    ordered = list(reversed(items)) if quirks.newest_first else list(items)
    count = len(ordered)
    if quirks.offset_past_end_count_zero and offset >= count > 0:
        count = 0
    next_offset = offset + limit + (1 if quirks.next_skips_one else 0)
    next_url = url.include_query_params(limit=limit, offset=next_offset) if offset + limit < count else None
    previous_url = None
    if offset > 0:
        previous_offset = max(offset - limit, 0)
        previous_url = (
            url.include_query_params(limit=limit).remove_query_params("offset")
            if previous_offset == 0
            else url.include_query_params(limit=limit, offset=previous_offset)
        )
    return {
        "count": count,
        "next": str(next_url) if next_url else None,
        "previous": str(previous_url) if previous_url else None,
        "results": ordered[offset : offset + limit],
    }


def _refuse_odd_values(request: Request) -> None:
    """What a strict server does with a limit below 1, a negative offset or a value beyond 64 bits: 400."""
    for name, lowest in (("limit", 1), ("offset", 0)):
        raw = request.query_params.get(name)
        if raw is None:
            continue
        if not (raw.isascii() and raw.isdigit()) or not lowest <= int(raw) < 2**63:
            raise Refusal(400, f"{name} must be an integer from {lowest} to 2^63-1.")


def _positive_int(raw: str | None, default: int, *, strict: bool) -> int:
    if raw is None or not raw.isascii() or not raw.isdigit():
        return default
    value = int(raw)
    if strict and value == 0:
        return default
    return value


def group_json(store: Store, group: Event, viewer: User | None) -> dict[str, object]:
    """A Group: the fields events and groups share, plus `subscribed` (groups are stored as events are)."""
    fields = group.fields
    creator = user_json(store.users[group.creator_id], store.quirks)
    status = group.status_of(viewer.id) if viewer is not None else None
    body: dict[str, object] = {
        "id": group.id,
        "name": fields["name"],
        "slug": f"group-{group.id}",
        "privacy": fields["privacy"],
        "visible": fields.get("visible", True),
        "active": fields.get("active", True),
        "subscription_status": status,
        "subscribed": status == "subscribed",
        "subscribers_counter": len(group.with_status("subscribed")),
        "created_at": group.created_at.isoformat().replace("+00:00", "Z"),
        "created_by": creator,
        "managed_by": creator,
    }
    for optional in ("description", "color"):
        if fields.get(optional) is not None:
            body[optional] = fields[optional]
    return body
