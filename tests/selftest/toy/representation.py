"""JSON shapes of the answers: User, Event, Group, the Course schemas and the limit/offset page."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request

from .store import Resource, Store, ToyUser

DEFAULT_IMAGE = "https://toy.invalid/static/event.png"
COURSE_IMAGE = "https://toy.invalid/static/course.png"
# A course's optional texts, shown as given (the schemas type them as strings, not nullable).
COURSE_TEXTS = ("meta_title", "meta_description", "og_title", "og_description", "og_image")


class Representation:
    """Writes users, events, groups and pages of one family's store as the schemas say."""

    PAGE_SIZE = 20

    def __init__(self, store: Store) -> None:
        self.store = store

    def user(self, user: ToyUser) -> dict[str, object]:
        return {"id": user.id, "username": user.username, "real_name": f"Toy {user.username}"}

    def event(self, event: Resource, viewer: ToyUser | None) -> dict[str, object]:
        fields = event.fields
        creator = self.user(self.store.users[event.creator_id])
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
            "subscribers_counter": self.store.subscribers_counter(event),
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
        body["subscription_status"] = self.subscription_status(event, viewer)
        return body

    def subscription_status(self, event: Resource, viewer: ToyUser | None) -> str | None:
        """An event's ``subscription_status``: the viewer's own (none for an anonymous viewer)."""
        return self.store.status_of(event, viewer.id) if viewer is not None else None

    def group(self, group: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """A Group: the fields events and groups share, plus ``subscribed``."""
        fields = group.fields
        creator = self.user(self.store.users[group.creator_id])
        status = self.store.status_of(group, viewer.id) if viewer is not None else None
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

    # Courses: what each schema shows of one; the toy has no lessons, sections nor categories

    def course(self, course: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """The Course schema: the answer to creating one."""
        return self.course_minimal(course, viewer) | self.course_settings(course)

    def course_minimal(self, course: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """Course Minimal: the lock screen a private course shows non-members (only basic data)."""
        fields = course.fields
        body: dict[str, object] = {
            "id": course.id,
            "name": fields["name"],
            "slug": fields.get("slug") or f"course-{course.id}",
            "privacy": fields["privacy"],
            "type": fields["type"],
            "created_at": course.created_at.isoformat().replace("+00:00", "Z"),
            "created_by": self.user(self.store.users[course.creator_id]),
            "deleted": False,
            "hide_member_count": fields.get("hide_member_count", False),
            "image_bigger": COURSE_IMAGE,
            "image_big": COURSE_IMAGE,
            "image_medium": COURSE_IMAGE,
            "image_small": COURSE_IMAGE,
            "categories": [],
            "user_completion_rate": 0,
            "join_status": self.join_status(course, viewer),
        }
        return body | {name: fields[name] for name in COURSE_TEXTS if name in fields}

    def course_settings(self, course: Resource) -> dict[str, object]:
        """What a course shows beyond its basic data, to those who see it whole."""
        fields = course.fields
        return {
            "description": fields.get("description", ""),
            "enforce_lessons_order": fields.get("enforce_lessons_order", False),
            "new_comment_notification_enabled": fields.get("new_comment_notification_enabled", True),
            "sections_order": [],
        }

    def course_user_detail(self, course: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """Course User Detail: a course as one user follows it (``view=user``, and joining's answer)."""
        counters = {"num_lessons": 0, "num_lessons_completed": 0, "num_sections": 0, "sections": []}
        return self.course(course, viewer) | counters

    def course_detail(self, course: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """Course Detail (``view=edit``): every section and lesson, for its creator and managers."""
        return self.course(course, viewer) | {"num_lessons": 0, "num_sections": 0, "sections": []}

    def course_dashboard(self, course: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """Course Dashboard (``view=dashboard``): the basic data and the members' average progress."""
        body = self.course_minimal(course, viewer) | {"avg_completion_rate": 0}
        del body["categories"]
        return body

    def join_status(self, course: Resource, viewer: ToyUser | None) -> str | None:
        """A course's ``join_status``: the viewer's own (none for an anonymous viewer)."""
        return self.store.status_of(course, viewer.id) if viewer is not None else None

    # Pages

    def page(self, request: Request, items: Sequence[dict[str, object]]) -> dict[str, object]:
        """A limit/offset page, with the links DRF's LimitOffsetPagination writes."""
        url = request.url
        limit = self.limit(request)
        offset = self.offset(request)
        ordered = self.order(items)
        count = self.count(len(ordered), offset)
        next_url = None
        if offset + limit < count:
            next_url = url.include_query_params(limit=limit, offset=self.next_offset(offset, limit))
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

    def limit(self, request: Request) -> int:
        """A positive integer; anything else falls back to the page size, as DRF does."""
        return _positive_int(request.query_params.get("limit"), self.PAGE_SIZE, strict=True)

    def offset(self, request: Request) -> int:
        """A non-negative integer; anything else falls back to 0, as DRF does."""
        return _positive_int(request.query_params.get("offset"), 0, strict=False)

    def order(self, items: Sequence[dict[str, object]]) -> list[dict[str, object]]:
        """Oldest first: users in the order their membership began."""
        return list(items)

    def count(self, total: int, offset: int) -> int:
        return total

    def next_offset(self, offset: int, limit: int) -> int:
        return offset + limit


def _positive_int(raw: str | None, default: int, *, strict: bool) -> int:
    if raw is None or not raw.isascii() or not raw.isdigit():
        return default
    value = int(raw)
    if strict and value == 0:
        return default
    return value
