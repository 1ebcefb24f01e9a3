"""Request pieces every caller of the API needs: a bearer header and a valid new event."""

from __future__ import annotations

import itertools

_names = itertools.count(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def event_body(*, private: bool) -> dict[str, object]:
    """A valid body for ``POST /api/v2/event/`` with a name no other call of this process uses."""
    number = next(_names)
    return {
        "name": f"Scale test event {number}",
        "description": "Created by the scale tests",
        "privacy": "private" if private else "public",
        "start_date": "2030-01-01T18:00:00Z",
        "end_date": "2030-01-01T20:00:00Z",
        "recurring": "never",
        "location": "virtual",
        "link": f"https://meet.example.com/scale-{number}",
    }
