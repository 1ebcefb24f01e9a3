"""The knobs of the toy server: the default value of each is the correct behaviour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ErrorStyle = Literal["detail", "problem", "error", "text", "empty"]


@dataclass(frozen=True)
class Quirks:
    """How the toy server deviates from a plain, correct implementation (nothing, by default)."""

    # Throttling: every Nth request answers 429 with Retry-After: 0 before any other processing (0: never)
    throttle_every: int = 0
    # Authentication
    auth_required: bool = True
    accept_any_token: bool = False
    accept_empty_token: bool = False
    accept_any_scheme: bool = False
    send_challenge: bool = True
    apply_refused_invites: bool = False
    requests_list_ignores_auth: bool = False
    # Roles
    manager_only_invite_post: bool = True
    manager_only_invite_get: bool = True
    manager_only_invite_delete: bool = True
    manager_only_requests_list: bool = True
    manager_lost_on_leave: bool = False
    # Public access rules (x-access conditional clauses)
    content_availability: bool = True
    """The community option: anonymous callers read event info only while it is true."""
    event_info_anonymous_403: bool = False
    private_list_open: bool = False
    private_list_anonymous: bool = False
    public_list_closed: bool = False
    left_manager_reads_list: bool = False
    removal_ignored: bool = False
    removal_by_anyone: bool = False
    unknown_removal_status: int = 400
    # Groups: the manager's direct subscription (POST subscribe with `users`)
    direct_subscribe_ignored: bool = False
    direct_subscribe_by_anyone: bool = False
    families_share_status: bool = False
    # Event ids
    unknown_event_status: int = 404
    nonnumeric_id_500: bool = False
    overflow_id_500: bool = False
    # Invitations
    invite_status: int = 204
    body_on_204: bool = False
    store_invites: bool = True
    accept_requests: bool = True
    demote_subscribers: bool = False
    duplicate_invites: bool = False
    first_id_only: bool = False
    invited_must_request: bool = False
    withdraw_noop: bool = False
    invite_cap_per_event: int | None = None
    stale_membership_after_leave: bool = False
    decline_keeps_invitation: bool = False
    unsubscribe_named_user: bool = False
    # Validation
    require_users: bool = True
    scalar_users_as_list: bool = False
    drop_bad_items: bool = False
    ignore_unknown_users: bool = False
    malformed_json_500: bool = False
    atomic: bool = True
    empty_list_400: bool = False
    validation_status: int = 400
    # Media types
    accept_form: bool = True
    accept_multipart: bool = True
    any_media_type_as_form: bool = False
    # Lists and representations
    page_size: int = 20
    newest_first: bool = False
    event_status_of_creator: bool = False
    dates_not_rfc3339: bool = False
    next_skips_one: bool = False
    extra_fields: bool = False
    create_status: int = 201
    negative_offset_500: bool = False
    first_event_id: int = 1
    first_user_id: int = 1
    # Response details
    error_style: ErrorStyle = "detail"
    content_length_on_204: bool = False
    # Deterministic probes: what a client may send, and reads right after a write
    media_type_params_refused: bool = False
    media_type_case_sensitive: bool = False
    limit_boundary_500: bool = False
    offset_past_end_count_zero: bool = False
    undocumented_method_500: bool = False
    allow_on_405: bool = True
    scheme_case_sensitive: bool = False
    extra_spaces_500: bool = False
    repeated_authorization_500: bool = False
    numeric_string_500: bool = False
    huge_id_500: bool = False
    counter_stale: bool = False
    status_stale_after_leave: bool = False
    event_status_stale_after_leave: bool = False
    subscribers_list_stale_after_leave: bool = False
    # ... and the other correct answers to them (variants)
    odd_query_400: bool = False
    repeated_authorization_400: bool = False
    extra_spaces_401: bool = False
    numeric_string_accepted: bool = False
