"""Faulty servers: each breaks one rule of the contract, named with the requirements that must catch it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .quirks import Quirks

Profile = Literal["quick", "full"]


@dataclass(frozen=True)
class Fault:
    """One contract fault.

    ``breaks``: the requirement ids a conformance run must report as failed. ``also``: ids the fault
    may fail as well, because they rest on the same broken behaviour. ``profile``: the smallest
    conformance profile that reaches the fault. ``families``: the membership families whose run
    (``--family``) must catch it; the toy's quirks act on events and groups alike, so a fault of the
    shared lifecycle can be checked in either, and a group rule's fault only in ``group``.
    """

    name: str
    summary: str
    breaks: frozenset[str]
    also: frozenset[str] = frozenset()
    profile: Profile = "quick"
    quirks: Quirks = field(default_factory=Quirks)
    families: tuple[str, ...] = ("event",)


def _fault(
    name: str,
    summary: str,
    breaks: set[str],
    also: set[str] | None = None,
    profile: Profile = "quick",
    families: tuple[str, ...] = ("event",),
    **quirks: object,
) -> Fault:
    settings = Quirks(**quirks)  # type: ignore[arg-type]
    return Fault(name, summary, frozenset(breaks), frozenset(also or ()), profile, settings, families)


# fmt: off
# Faults of the shared lifecycle checked in both families: the requirements are instantiated for each.
BOTH = ("event", "group")
# The toy's faults apply to its groups too; MGR-OTHER sends the group invitation operations (no MGR-INVITE-*
# requirement is about groups), so it sees a fault of the manager-only invitation operations as well.
_GROUP_INVITES = {"MGR-OTHER"}
# Checks whose own subject is an invitation's effect also see invitations go missing (checks that
# merely set up with an invitation are skipped instead).
# The fixed read-your-write sequence reads every state after every write: a fault in any write shows there.
_RYW = {"RYW-STATUS", "RYW-LISTS", "RYW-EVENT-STATUS", "RYW-COUNTER"}
_LISTS_READ_AFTER_INVITE = {"INV-ACCEPT", "INV-ALL-IDS", "MEDIA-FORM", "MEDIA-MULTIPART", "MODEL-STATEFUL",
                            "MEDIA-PARAMS", "MEDIA-CASE", *_RYW}

FAULTS: dict[str, Fault] = {
    fault.name: fault
    for fault in [
        # Authentication
        _fault("no-auth-check", "missing or invalid credentials act as the first user", {"AUTH-MISSING"},
               also={"AUTH-SCHEME", "AUTH-EMPTY", "AUTH-GARBAGE", "AUTH-CHALLENGE", "AUTH-NO-EFFECT",
                     "SPEC-AUTH", "AUTH-HEADER-REPEATED", "PUB-ANONYMOUS"},
               auth_required=False, families=BOTH),
        _fault("any-token", "any bearer token is accepted as the first user", {"AUTH-GARBAGE"},
               also={"AUTH-NO-EFFECT", "AUTH-HEADER-REPEATED"}, accept_any_token=True),
        _fault("empty-token", "an empty bearer token is accepted as the first user", {"AUTH-EMPTY"},
               accept_empty_token=True),
        _fault("any-scheme", "an Authorization header of another scheme is taken as the first user",
               {"AUTH-SCHEME"}, accept_any_scheme=True),
        _fault("no-challenge", "401 without a WWW-Authenticate header", {"AUTH-CHALLENGE"},
               send_challenge=False),
        _fault("refused-but-applied", "an invite refused with 401 still lands", {"AUTH-NO-EFFECT"},
               apply_refused_invites=True),
        _fault("requests-list-no-auth", "GET request_subscribe without credentials answers as the manager",
               {"AUTH-MISSING", "SPEC-AUTH"}, also={"PUB-ANONYMOUS"}, requests_list_ignores_auth=True),
        # Roles
        _fault("non-manager-invites", "any authenticated user may invite",
               {"MGR-INVITE-POST", "MODEL-STATEFUL"}, also=_GROUP_INVITES, manager_only_invite_post=False,
               families=BOTH),
        _fault("non-manager-lists", "any authenticated user may list the invitations", {"MGR-INVITE-GET"},
               also=_GROUP_INVITES, manager_only_invite_get=False),
        _fault("non-manager-withdraws", "any authenticated user may withdraw invitations",
               {"MGR-INVITE-DELETE"}, also=_GROUP_INVITES, manager_only_invite_delete=False),
        _fault("non-manager-sees-requests", "any authenticated user may list the pending requests",
               {"MGR-OTHER"}, manager_only_requests_list=False),
        _fault("manager-lost-on-leave", "a manager who leaves the event can no longer invite", {"MGR-KEEPS"},
               also={"MODEL-STATEFUL", *_RYW}, manager_lost_on_leave=True),
        # Event ids
        _fault("unknown-event-403", "an unknown event id answers 403 instead of 404", {"EXIST-UNKNOWN"},
               also={"SPEC-STATUS"}, unknown_event_status=403),
        _fault("nonnumeric-id-500", "a non-numeric event id answers 500", {"EXIST-NONNUMERIC"},
               also={"SPEC-NO-5XX"}, nonnumeric_id_500=True, families=BOTH),
        _fault("overflow-id-500", "an event id beyond 64 bits answers 500", {"EXIST-OVERFLOW"},
               also={"SPEC-NO-5XX"}, overflow_id_500=True),
        # Invitations
        _fault("status-200", "a successful invite answers 200 instead of 204", {"INV-204"},
               also={"SPEC-STATUS"}, invite_status=200),
        _fault("body-on-204", "a successful invite answers 204 with a JSON body", {"INV-EMPTY-BODY"},
               body_on_204=True),
        _fault("invite-not-stored", "invites answer 204 and are forgotten", {"INV-LISTED"},
               also=_LISTS_READ_AFTER_INVITE, store_invites=False),
        _fault("request-not-accepted", "inviting a user who asked to join leaves the request pending",
               {"INV-ACCEPT"}, also={"MODEL-STATEFUL", *_RYW}, accept_requests=False),
        _fault("subscriber-demoted", "inviting a subscriber turns them back into an invited user",
               {"INV-SUBSCRIBER-UNCHANGED"}, also={"MODEL-STATEFUL"}, demote_subscribers=True),
        _fault("duplicates", "inviting an invited user again lists them twice", {"INV-IDEMPOTENT"},
               also={"MODEL-STATEFUL", "VAL-ID-FORMS"}, duplicate_invites=True),
        _fault("first-id-only", "only the first id of users is invited", {"INV-ALL-IDS"},
               also={"MEDIA-FORM", "MEDIA-MULTIPART", "MODEL-STATEFUL", "VAL-ID-FORMS", *_RYW},
               first_id_only=True, families=BOTH),
        _fault("invited-must-request", "an invited user who subscribes to a private event is only requested",
               {"INV-THEN-SUBSCRIBE"}, also={"MODEL-STATEFUL", *_RYW}, invited_must_request=True),
        _fault("withdraw-noop", "DELETE invite answers 204 and changes nothing",
               {"INV-WITHDRAW"}, also={"MODEL-STATEFUL", "MEDIA-PARAMS", "MEDIA-CASE", *_RYW},
               withdraw_noop=True, families=BOTH),
        # Validation
        _fault("missing-users-ok", "a body without users answers 204", {"VAL-MISSING"}, require_users=False),
        _fault("scalar-users-ok", "users given as a single id is taken as a list", {"VAL-NOT-LIST"},
               scalar_users_as_list=True),
        _fault("bad-items-dropped", "items of users that are not ids are coerced or skipped",
               {"VAL-ITEM-TYPE"},
               also={"VAL-ATOMIC"}, drop_bad_items=True),
        _fault("unknown-user-ok", "unknown user ids are skipped with 204", {"VAL-UNKNOWN-USER"},
               also={"VAL-ATOMIC", "VAL-ID-FORMS"}, ignore_unknown_users=True),
        _fault("malformed-json-500", "a malformed JSON body answers 500", {"VAL-MALFORMED-JSON"},
               malformed_json_500=True),
        _fault("non-atomic", "the ids before an invalid one are invited although the answer is 400",
               {"VAL-ATOMIC"}, atomic=False),
        # Media types
        _fault("form-refused", "form-urlencoded bodies answer 415", {"MEDIA-FORM"},
               also={"SPEC-STATUS", "MEDIA-PARAMS", "MEDIA-CASE"}, accept_form=False),
        _fault("any-media-type", "a body of any media type is read as a form", {"MEDIA-UNSUPPORTED"},
               any_media_type_as_form=True),
        # Leaving and reading
        _fault("unsubscribe-named-user", "DELETE subscribe removes the user a `user` body field names",
               {"SUB-SELF-ONLY"}, unsubscribe_named_user=True),
        _fault("next-skips-one", "each `next` link skips one user", {"READ-PAGINATION"}, next_skips_one=True),
        _fault("event-status-of-creator", "GET event shows everyone the creator's subscription_status",
               {"READ-EVENT-STATUS"}, also={"RYW-EVENT-STATUS"}, event_status_of_creator=True),
        # Public access rules
        _fault("private-list-open", "any authenticated user reads a private event's member list",
               {"PUB-PRIVATE-LIST-CLOSED"}, private_list_open=True, families=BOTH),
        _fault("private-list-anonymous", "anonymous callers read a private event's member list",
               {"PUB-PRIVATE-LIST-ANONYMOUS", "PUB-ANONYMOUS"}, private_list_anonymous=True),
        _fault("public-list-closed", "a public event's member list answers 401 to anonymous callers",
               {"PUB-PUBLIC-LIST-OPEN", "PUB-ANONYMOUS"}, public_list_closed=True),
        _fault("removal-ignored", "the manager's DELETE subscribe/?user=ID removes the manager",
               {"PUB-MANAGER-REMOVES"}, also={"MODEL-STATEFUL"}, removal_ignored=True),
        _fault("removal-by-anyone", "any subscriber removes users with DELETE subscribe/?user=ID",
               {"PUB-REMOVAL-MANAGER-ONLY"}, removal_by_anyone=True, families=BOTH),
        _fault("event-info-403", "anonymous GET event answers 403, neither 200 nor 401", {"PUB-EVENT-INFO"},
               event_info_anonymous_403=True),
        # Only after several steps
        _fault("invite-cap", "after three invite requests on an event, further invites are dropped",
               {"RYW-STATUS"}, also={"MODEL-STATEFUL", *_RYW}, invite_cap_per_event=3),
        _fault("stale-membership", "a user who left and is invited again comes back subscribed",
               {"RYW-STATUS"}, also={"MODEL-STATEFUL", *_RYW}, stale_membership_after_leave=True,
               families=BOTH),
        # Groups: the manager subscribes users directly (contract rules 49 and 51)
        _fault("direct-subscribe-ignored", "the manager's POST subscribe with users subscribes nobody",
               {"SUB-DIRECT"}, also={"MODEL-STATEFUL"}, families=("group",), direct_subscribe_ignored=True),
        _fault("direct-subscribe-by-anyone", "any user subscribes users to a group directly",
               {"SUB-DIRECT-MANAGER-ONLY"}, families=("group",), direct_subscribe_by_anyone=True),
        _fault("direct-subscribe-partial", "ids before a bad one are subscribed although the answer is 400",
               {"SUB-DIRECT-ATOMIC"}, also={"VAL-ATOMIC", "MODEL-STATEFUL"}, families=("group",),
               atomic=False),
        _fault("families-share-status", "a group's status shows the state of the event with the same id",
               {"READ-FAMILIES-APART"}, also={"RYW-STATUS", "MODEL-STATEFUL"}, families=("group",),
               families_share_status=True),
        # What the OpenAPI document says
        _fault("create-200", "POST event answers 200 instead of 201", {"SPEC-STATUS"}, create_status=200),
        _fault("dates-not-rfc3339", "event dates read like 31/12/2030 10:00", {"SPEC-SCHEMA"},
               dates_not_rfc3339=True),
        _fault("negative-offset-500", "a negative offset answers 500", {"READ-QUERY-BOUNDS", "SPEC-NO-5XX"},
               negative_offset_500=True),
        # Deterministic probes: what a client may send, and reads right after a write
        _fault("json-charset-refused", "Content-Type with a charset answers 415", {"MEDIA-PARAMS"},
               media_type_params_refused=True),
        _fault("media-type-case-sensitive", "Application/JSON answers 415", {"MEDIA-CASE"},
               media_type_case_sensitive=True),
        _fault("limit-boundary-500", "a limit beyond 32 bits answers 500", {"READ-QUERY-BOUNDS"},
               also={"SPEC-NO-5XX"}, limit_boundary_500=True),
        _fault("offset-past-end-count-zero", "a page past the end says count 0", {"READ-QUERY-BOUNDS"},
               offset_past_end_count_zero=True),
        _fault("undocumented-method-500", "PUT and PATCH on the invitation paths answer 500",
               {"METHOD-UNDOCUMENTED"}, undocumented_method_500=True),
        _fault("bearer-lowercase-refused", "`bearer TOKEN` is refused with 401", {"AUTH-SCHEME-CASE"},
               scheme_case_sensitive=True),
        _fault("auth-spaces-500", "two spaces after Bearer answer 500", {"AUTH-HEADER-SPACES"},
               extra_spaces_500=True),
        _fault("repeated-auth-500", "a second Authorization header answers 500", {"AUTH-HEADER-REPEATED"},
               repeated_authorization_500=True),
        _fault("numeric-string-500", 'a users item "5" answers 500', {"VAL-ID-FORMS"},
               also={"SPEC-NO-5XX"}, numeric_string_500=True),
        _fault("huge-id-500", "a users item beyond 64 bits answers 500", {"VAL-ID-FORMS"},
               also={"VAL-UNKNOWN-USER", "SPEC-NO-5XX"}, huge_id_500=True),
        _fault("counter-stale", "subscribers_counter is not updated when someone leaves", {"RYW-COUNTER"},
               counter_stale=True),
        _fault("status-stale-after-leave", "GET status still says subscribed after leaving", {"RYW-STATUS"},
               also={"MODEL-STATEFUL", "SUB-SELF-ONLY"}, status_stale_after_leave=True),
        _fault("event-status-stale-after-leave", "GET event still says subscribed after leaving",
               {"RYW-EVENT-STATUS"}, event_status_stale_after_leave=True),
        _fault("subscribers-list-stale-after-leave", "GET subscribe still lists who just left", {"RYW-LISTS"},
               also={"RYW-COUNTER", "MODEL-STATEFUL"}, subscribers_list_stale_after_leave=True),
    ]
}
# fmt: on

#: Each (fault, family) a conformance run must catch, as pytest parameters.
FAULT_CASES = [(name, family) for name, fault in sorted(FAULTS.items()) for family in fault.families]
