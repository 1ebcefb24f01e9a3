"""VAL-FIELDS: every constraint of every writable body field gets a value that breaks it (rule 74).

For the family's create and each of its writes with a body, each field's stated type, enum, format,
length and range, and its not being nullable, get one violating value (``field_values``), the same on
every seed. What a server must answer is decided per constraint from the pages:

- create: a required field that is null, or that takes only listed values and gets another, answers
  400 and creates nothing; any other violation answers 400 creating nothing, or a success whose body
  matches the schema (the pages leave coercion, normalisation and ignoring a field open); the report
  says which values the server took;
- the other writes (``users`` lists): 400 changing nothing (rules 9, 12, 51); null for a field the body
  may leave out may also be read as leaving it out.

"Creates nothing" is read back around the refusals: the suite creates one resource right before the
probes and one right after, and reads GET info of every id between them that no accepted probe
returned; one that exists and bears a refused request's name, or is managed by the suite's manager,
was created by a refused request. Servers whose ids are not consecutive (random, or far apart) cannot
be read this way, and the report says so (rule 75).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openapi.document import Operation
from openapi.families import ACTIONS

from ..exchange import Exchange
from .answers import schema_mismatch, send_json
from .context import Context, succeeded
from .field_values import Violation, violations
from .outcomes import CheckFailed, Observation
from .registry import requirement
from .standing import Standing, read_standing, stand

# How many ids between the resources made right before and right after the create probes the suite
# reads, beyond one per probe: room for another client's creations, not for ids spread at random.
SPARE_IDS = 20


@dataclass
class Findings:
    """What the probes of one family saw."""

    problems: list[tuple[str, list[Exchange]]] = field(default_factory=list)
    refused: int = 0
    accepted: list[Violation] = field(default_factory=list)
    """The values a server took with an answer that matches the schema (a reading the pages allow)."""
    sent: int = 0

    def problem(self, text: str, *exchanges: Exchange) -> None:
        self.problems.append((text, list(exchanges)))


def must_refuse(violation: Violation, create: bool) -> bool:
    """Whether the pages leave the server no choice but 400 for this value (rule 74)."""
    if not create:
        return violation.required or violation.constraint != "null"
    return violation.required and (violation.closed or violation.constraint == "null")


@dataclass
class CreateProbe:
    """The create's violating values, and the read-back of what a refusal created anyway."""

    ctx: Context
    findings: Findings
    operation: Operation
    refused_names: set[str] = field(default_factory=set)
    accepted_ids: set[int] = field(default_factory=set)
    accepted_names: set[str] = field(default_factory=set)

    def run(self) -> str:
        """Send every value between two resources made to bracket them; how the gap was read."""
        ctx = self.ctx
        probes = violations(ctx.spec, self.operation.request_schema())
        before = ctx.fresh_resource("private")
        for violation in probes:
            self.send(violation)
        after = ctx.fresh_resource("private")
        return self.read_gap(before, after, len(probes))

    def send(self, violation: Violation) -> None:
        ctx, findings = self.ctx, self.findings
        body = ctx.target.resource_body(self.operation, "private")
        body[violation.field] = violation.value
        exchange, response = send_json(ctx, self.operation, ctx.manager, body)
        findings.sent += 1
        name = body.get("name")
        label = f"{self.operation.label} with {violation.label}"
        if exchange.status == 400:
            findings.refused += 1
            if isinstance(name, str):
                self.refused_names.add(name)
            return
        created = exchange.json_or_none() if succeeded(exchange) else None
        if succeeded(exchange):
            self.created(created, name)
        strict = must_refuse(violation, create=True)
        if not succeeded(exchange) or strict:
            wanted = (
                "400 (a required field cannot be null, nor take a value its enum does not list)"
                if strict
                else "400, or a success whose body matches the schema"
            )
            findings.problem(f"{label} answered {exchange.status}, not {wanted}", exchange)
            return
        if mismatch := schema_mismatch(ctx, self.operation, response):
            findings.problem(
                f"{label} answered {exchange.status} with a body that does not match the schema "
                f"({mismatch}); refuse the value with 400, or answer what was stored within the schema",
                exchange,
            )
            return
        self.accepted(violation, exchange, created)

    def created(self, answer: Any, sent_name: Any) -> None:
        """Remember what a success created: the read-back of refusals leaves it aside."""
        answer = answer if isinstance(answer, dict) else {}
        if isinstance(answer.get("id"), int):
            self.accepted_ids.add(answer["id"])
        self.accepted_names |= {name for name in (answer.get("name"), sent_name) if isinstance(name, str)}

    def accepted(self, violation: Violation, exchange: Exchange, created: Any) -> None:
        """A value taken: the resource read back, whose body must match the schema too."""
        ctx = self.ctx
        self.findings.accepted.append(violation)
        resource = created.get("id") if isinstance(created, dict) else None
        if not isinstance(resource, int) or not ctx.family.has("info"):
            return
        info = ctx.op("info")
        read, response = send_json(ctx, info, ctx.manager, resource=resource)
        mismatch = schema_mismatch(ctx, info, response) if read.status == 200 else f"status {read.status}"
        if mismatch:
            self.findings.problem(
                f"{self.operation.label} with {violation.label} answered {exchange.status}, but "
                f"{info.label} of the new event then answered a body that does not match the schema "
                f"({mismatch})",
                exchange,
                read,
            )

    def read_gap(self, before: int, after: int, probes: int) -> str:
        """GET info of every id between the bracketing resources that no accepted probe returned."""
        ctx = self.ctx
        if not ctx.family.has("info"):
            return "resources created by refusals not read back: the spec documents no GET of one"
        if not 0 < after - before <= probes + SPARE_IDS + 1:
            return (
                f"resources created by refusals not read back: the events made right before and after "
                f"the probes have ids {before} and {after}, not close enough to read the ids between"
            )
        leftovers: list[Exchange] = []
        for resource in range(before + 1, after):
            if resource in self.accepted_ids:
                continue
            read = ctx.call("info", ctx.manager, resource)
            body = read.json_or_none()
            if read.status == 200 and isinstance(body, dict) and self.made_by_a_refusal(body):
                leftovers.append(read)
        if leftovers:
            ids = [exchange.url.rstrip("/").rsplit("/", 1)[-1] for exchange in leftovers]
            self.findings.problem(
                f"refused creates still created events {', '.join(ids)} (between the events {before} and "
                f"{after} made right before and after the probes); validate the whole body before "
                "creating anything",
                *leftovers,
            )
        return f"no event created by a refusal between ids {before} and {after}"

    def made_by_a_refusal(self, resource: dict[str, Any]) -> bool:
        """It bears a refused request's name, or the suite's manager made it and no accepted one did."""
        name = resource.get("name")
        if name in self.refused_names:
            return True
        manager = resource.get("managed_by") or resource.get("created_by")
        ours = isinstance(manager, dict) and manager.get("id") == self.ctx.manager.id
        return ours and name not in self.accepted_names


def probe_writes(ctx: Context, findings: Findings) -> int:
    """Each write with a body, each violating value, on one private resource whose users stand where a
    write applied by mistake shows: one invited, one requesting, one with no relation. Returns how many
    writes were probed."""
    target = ctx.target
    users = list(dict.fromkeys(target.others))
    states = dict(zip(users, ("invited", "requested", None), strict=False))
    resource, before = stand(ctx, states)
    # The valid id ahead of a bad item: one the write would change if it applied the list's valid part.
    changed_by = {"invite": None, "remove_invitation": "invited", "join": "requested"}
    writes = [
        action
        for action in ACTIONS
        if action != "create" and ctx.family.has(action) and ctx.op(action).body_fields
    ]
    attempts: list[Exchange] = []
    for action in writes:
        wanted = changed_by.get(action, "invited")
        item = next((user.id for user, state in states.items() if state == wanted), users[0].id)
        for violation in violations(ctx.spec, ctx.op(action).request_schema(), item=item):
            exchange = ctx.call(action, ctx.manager, resource, json_body={violation.field: violation.value})
            attempts.append(exchange)
            findings.sent += 1
            label = f"{exchange.method} {action} with {violation.label}"
            if exchange.status == 400:
                findings.refused += 1
            elif must_refuse(violation, create=False) or not succeeded(exchange):
                findings.problem(f"{label} answered {exchange.status}, not 400 (rules 9, 12, 51)", exchange)
            else:
                findings.accepted.append(violation)
    after = read_standing(ctx, resource, list(before.statuses))
    changed = Standing.predicted(ctx, before.statuses).differences(after)
    if changed:
        findings.problem(
            f"writes with a value their schema refuses changed who stands where: {'; '.join(changed)}; "
            "validate the whole body before changing anything",
            *attempts[-8:],
        )
    return len(writes)


def taken(findings: Findings) -> str:
    """The reading: which values the server took (by field, the constraints broken), the rest refused."""
    if not findings.accepted:
        return f"all {findings.refused} refused with 400"
    by_field: dict[str, list[str]] = {}
    for violation in findings.accepted:
        by_field.setdefault(violation.field, []).append(violation.constraint)
    fields = ", ".join(f"{name} ({', '.join(constraints)})" for name, constraints in by_field.items())
    return f"taken and answered within the schema: {fields}; the other {findings.refused} refused with 400"


@requirement("VAL-FIELDS")
def field_constraints(ctx: Context) -> Observation:
    findings = Findings()
    gap = CreateProbe(ctx, findings, ctx.op("create")).run()
    writes = probe_writes(ctx, findings)
    reading = taken(findings)
    ctx.reading("values breaking a constraint of an event's writable fields", reading)
    if findings.problems:
        raise CheckFailed(
            f"{len(findings.problems)} of {findings.sent} values breaking a constraint of a writable field "
            "were not answered as the contract says (rule 74): "
            + " | ".join(text for text, _ in findings.problems[:4]),
            [exchange for _, exchanges in findings.problems for exchange in exchanges],
        )
    return Observation(
        f"{findings.sent} values breaking a constraint of a writable field of the create and {writes} other "
        f"writes: {reading}; {gap}"
    )
