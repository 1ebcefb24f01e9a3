"""Correct servers that differ from the plain toy where the contract leaves a choice."""

from __future__ import annotations

from dataclasses import dataclass, field

from .quirks import Quirks


@dataclass(frozen=True)
class Variant:
    """A correct server.

    ``observes``: tolerance requirement id → words its observation must contain. ``misses``: SHOULD
    requirements the variant leaves aside on purpose (they fail without failing the run).
    """

    name: str
    summary: str
    observes: dict[str, str]
    misses: frozenset[str] = frozenset()
    quirks: Quirks = field(default_factory=Quirks)


def _variant(
    name: str, summary: str, observes: dict[str, str], misses: set[str] | None = None, **quirks: object
) -> Variant:
    return Variant(name, summary, observes, frozenset(misses or ()), Quirks(**quirks))  # type: ignore[arg-type]


VARIANTS: dict[str, Variant] = {
    variant.name: variant
    for variant in [
        _variant(
            "problem-json",
            "errors as application/problem+json",
            {"TOL-ERROR-FORMAT": "application/problem+json"},
            error_style="problem",
        ),
        _variant(
            "error-key",
            'errors as {"error": "..."} in application/json',
            {"TOL-ERROR-FORMAT": "application/json"},
            error_style="error",
        ),
        _variant(
            "text-errors", "errors as text/plain", {"TOL-ERROR-FORMAT": "text/plain"}, error_style="text"
        ),
        _variant(
            "empty-errors", "errors without a body", {"TOL-ERROR-FORMAT": "no body"}, error_style="empty"
        ),
        _variant(
            "page-size-2-newest-first",
            "pages of two, newest first",
            {"TOL-PAGINATION": "descending ids"},
            page_size=2,
            newest_first=True,
        ),
        _variant(
            "empty-list-400",
            "an empty users list is refused with 400",
            {"TOL-EMPTY-LIST": "400: an empty list is refused"},
            empty_list_400=True,
        ),
        _variant(
            "content-length-on-204",
            "204 answers carry Content-Length: 0",
            {"TOL-CONTENT-LENGTH": "Content-Length: 0"},
            content_length_on_204=True,
        ),
        _variant(
            "multipart-refused",
            "multipart bodies answer 415 (a SHOULD, so the run still passes)",
            {"TOL-MULTIPART": "refused (415)"},
            misses={"MEDIA-MULTIPART"},
            accept_multipart=False,
        ),
        _variant(
            "decline-keeps-invitation",
            "an invited user who leaves stays invited",
            {"TOL-DECLINE": "still invited"},
            decline_keeps_invitation=True,
        ),
        _variant(
            "extra-fields",
            "User objects carry undocumented fields",
            {"TOL-EXTRA-FIELDS": "karma"},
            extra_fields=True,
        ),
        _variant(
            "odd-query-400",
            "a limit below 1, a negative offset or a value beyond 64 bits is refused with 400",
            {},
            odd_query_400=True,
        ),
        _variant(
            "repeated-auth-400",
            "two Authorization headers are refused with 400",
            {},
            repeated_authorization_400=True,
        ),
        _variant(
            "extra-spaces-401",
            "two spaces between Bearer and the token are refused with 401",
            {},
            extra_spaces_401=True,
        ),
        _variant(
            "numeric-string-accepted",
            'a users item "5" is read as the id 5',
            {},
            numeric_string_accepted=True,
        ),
        _variant(
            "throttled",
            "every 7th request answers 429 Too Many Requests (Retry-After: 0), as a rate limiter might",
            {},
            throttle_every=7,
        ),
        _variant(
            "no-allow-on-405",
            "405 answers without an Allow header (a SHOULD, so the run still passes)",
            {},
            misses={"METHOD-ALLOW"},
            allow_on_405=False,
        ),
        _variant(
            "left-manager-reads-list",
            "a manager who left a private event still reads its member list (the lenient reading)",
            {"TOL-LEFT-MANAGER-LIST": "200: the lenient reading"},
            left_manager_reads_list=True,
        ),
        _variant(
            "remove-unknown-404",
            "the manager's removal of a user who does not exist answers 404",
            {"TOL-REMOVE-UNKNOWN-USER": "404: the user is not found"},
            unknown_removal_status=404,
        ),
        _variant(
            "big-ids",
            "event and user ids far beyond 32 bits",
            {},
            first_event_id=2**40 + 7,
            first_user_id=2**33 + 3,
        ),
    ]
}
