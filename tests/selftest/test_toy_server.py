"""The toy servers themselves: the correct one and the variants keep every rule, each fault breaks its own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from testkit.processes import REPO_ROOT

from .probes import PROBES
from .servers import toy_server
from .toy.app import ToyParts
from .toy.faults import FAULTS
from .toy.variants import VARIANTS
from .toy_client import ToyClient

# The probe each fault must break; the probes are written from the contract, not from the faults.
FAULT_PROBES = {
    "no-auth-check": "auth-missing",
    "any-token": "auth-garbage",
    "empty-token": "auth-empty",
    "any-scheme": "auth-scheme",
    "no-challenge": "auth-challenge",
    "refused-but-applied": "auth-no-effect",
    "requests-list-no-auth": "requests-list-auth",
    "non-manager-invites": "manager-invites",
    "non-manager-lists": "manager-lists",
    "non-manager-withdraws": "manager-withdraws",
    "non-manager-sees-requests": "manager-sees-requests",
    "manager-lost-on-leave": "manager-keeps",
    "unknown-event-403": "unknown-event",
    "nonnumeric-id-500": "nonnumeric-event",
    "overflow-id-500": "overflow-event",
    "status-200": "invite-204",
    "body-on-204": "invite-empty-body",
    "invite-not-stored": "invite-listed",
    "request-not-accepted": "invite-accepts",
    "subscriber-demoted": "subscriber-unchanged",
    "duplicates": "idempotent",
    "first-id-only": "all-ids",
    "invited-must-request": "invite-then-subscribe",
    "withdraw-noop": "withdraw",
    "missing-users-ok": "users-required",
    "scalar-users-ok": "users-list",
    "bad-items-dropped": "item-types",
    "unknown-user-ok": "unknown-user",
    "malformed-json-500": "malformed-json",
    "non-atomic": "atomic",
    "form-refused": "form",
    "invite-cap": "many-invites",
    "stale-membership": "leave-then-invited",
    "create-200": "create-status",
    "dates-not-rfc3339": "event-dates",
    "any-media-type": "other-media-type",
    "unsubscribe-named-user": "unsubscribe-self-only",
    "next-skips-one": "pagination",
    "event-status-of-creator": "event-status",
    "negative-offset-500": "negative-offset",
    # Deterministic probes: what a client may send, and reads right after a write
    "json-charset-refused": "json-charset",
    "media-type-case-sensitive": "media-type-case",
    "limit-boundary-500": "limit-boundary",
    "offset-past-end-count-zero": "offset-past-end",
    "undocumented-method-500": "undocumented-method",
    "bearer-lowercase-refused": "bearer-case",
    "auth-spaces-500": "auth-spaces",
    "repeated-auth-500": "repeated-auth",
    "numeric-string-500": "numeric-string",
    "huge-id-500": "huge-id",
    "counter-stale": "counter-after-leave",
    "status-stale-after-leave": "status-after-leave",
    "event-status-stale-after-leave": "event-status-after-leave",
    "subscribers-list-stale-after-leave": "subscribers-after-leave",
    "private-list-open": "private-list-closed",
    "private-list-anonymous": "private-list-anonymous",
    "public-list-closed": "public-list-open",
    "removal-ignored": "manager-removes",
    "removal-by-anyone": "removal-manager-only",
    "event-info-403": "event-info-anonymous",
    "direct-subscribe-ignored": "direct-subscribe",
    "direct-subscribe-by-anyone": "direct-subscribe-manager-only",
    "direct-subscribe-partial": "direct-subscribe-atomic",
    "families-share-status": "families-apart",
    # Every constraint, every kept state, long lists
    "link-not-uri-accepted": "event-link",
    "withdraw-drops-requests": "withdraw-keeps-requests",
    "long-list-500": "long-list",
}
# Rules a correct variant may leave aside because the contract only recommends them.
VARIANT_EXEMPTIONS = {"multipart-refused": {"multipart"}, "no-allow-on-405": {"allow-on-405"}}


@pytest.fixture(scope="module")
def correct_toy() -> Iterator[ToyClient]:
    with toy_server() as server:
        client = ToyClient(server.base_url)
        yield client
        client.close()


def test_every_fault_names_a_probe() -> None:
    assert set(FAULT_PROBES) == set(FAULTS)
    assert set(FAULT_PROBES.values()) <= set(PROBES)


def test_every_fault_and_variant_overrides_the_correct_toy() -> None:
    assert all(entry.parts != ToyParts() for entry in [*FAULTS.values(), *VARIANTS.values()])


def test_toy_shares_no_code_with_the_kit() -> None:
    """Written from the contract alone: the toy imports neither the contract core, suite nor server."""
    code = "import sys, tests.selftest.toy.faults, tests.selftest.toy.variants; print(*sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    packages = {name.split(".")[0] for name in loaded.stdout.split()}
    assert packages & {"openapi", "conformance", "reference_impl", "specgen"} == set()


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_correct_toy_keeps_rule(correct_toy: ToyClient, probe: str) -> None:
    assert PROBES[probe](correct_toy) is None


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_breaks_its_rule(fault: str) -> None:
    with toy_server("--fault", fault) as server:
        client = ToyClient(server.base_url)
        problem = PROBES[FAULT_PROBES[fault]](client)
        client.close()
    assert problem is not None, f"--fault {fault} ({FAULTS[fault].summary}) kept {FAULT_PROBES[fault]}"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_keeps_every_rule(variant: str) -> None:
    exempt = VARIANT_EXEMPTIONS.get(variant, set())
    with toy_server("--variant", variant) as server:
        client = ToyClient(server.base_url)
        broken = {name: problem for name in sorted(set(PROBES) - exempt) if (problem := PROBES[name](client))}
        client.close()
    assert broken == {}


def test_content_availability_false_closes_event_info() -> None:
    with toy_server("--content-availability", "false") as server:
        client = ToyClient(server.base_url)
        event = client.new_event("public")
        anonymous = client.send("GET", f"/api/v2/event/{event}/", None).status_code
        signed_in = client.send("GET", f"/api/v2/event/{event}/", 1).status_code
        client.close()
    assert (anonymous, signed_in) == (401, 200)
