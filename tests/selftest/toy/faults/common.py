"""What several faults share: the families they are checked in, and requirements they fail alongside."""

from __future__ import annotations

# Faults of the shared lifecycle checked in both families: the requirements are instantiated for each.
BOTH = ("event", "group")
# ... and in courses too, where the course parts keep the shared behaviour the fault overrides.
ALL = (*BOTH, "course")
# Course requirements that also send their manager-only requests as a user who no longer manages.
COURSE_FORMER_MANAGERS = {"ROLE-DEMOTED", "ROLE-MANAGER-LEAVES"}
# The toy's faults apply to its groups too; MGR-OTHER sends the group invitation operations (no MGR-INVITE-*
# requirement is about groups), so it sees a fault of the manager-only invitation operations as well.
GROUP_INVITES = {"MGR-OTHER"}
# The fixed read-your-write sequence reads every state after every write: a fault in any write shows there.
RYW = {"RYW-STATUS", "RYW-LISTS", "RYW-EVENT-STATUS", "RYW-COUNTER"}
# Checks whose own subject is an invitation's effect also see invitations go missing (checks that
# merely set up with an invitation are skipped instead).
LISTS_READ_AFTER_INVITE = {
    "INV-ACCEPT",
    "INV-ALL-IDS",
    "MEDIA-FORM",
    "MEDIA-MULTIPART",
    "MODEL-STATEFUL",
    "MEDIA-PARAMS",
    "MEDIA-CASE",
    "VAL-LONG-LISTS",
    *RYW,
}
