"""Membership families: the resources users join through one lifecycle (events, groups, courses, …).

A family is a resource whose operations run the membership lifecycle: creating one, inviting users,
withdrawing invitations, listing who is invited, who asked to join and who is in, joining (or accepting
an invitation), leaving, reading one's own status and, where the pages document it, changing members'
roles and deleting the resource. Each of these is an **action**, and this module holds the one vocabulary
for them; every package names an operation of the lifecycle by its action and asks the family for it, so a
rule is written once for every family the document has.

**How a family is recognised.** By what its operations do, not by the words of its paths. The operations
of one resource (``/api/v2/<name>/…``) are grouped by the shape of their path relative to it: the
collection (``""``), one resource (``{id}/``) and the paths one segment below it (``{id}/<segment>/``),
each with the methods it has. Then, from what each operation documents:

================= ============================================================ ===============================
action            what the operation does                                      event, group → course paths
================= ============================================================ ===============================
create            POST on the collection, with a body                          ``""``
info              GET of one resource, answering one object (not a page)       ``{id}/``
delete            DELETE of one resource, without a body                       ``{id}/``
invite            POST of a required ``users`` list, on the path whose DELETE  ``{id}/invite/``
                  takes one too (the invitations path)
remove_invitation DELETE of a ``users`` list on the invitations path           ``{id}/invite/``
invited           GET of a page of users on the invitations path               ``{id}/invite/``
join              POST without a required ``users`` list, on the path whose    ``subscribe/`` → ``join/``
                  DELETE takes none and whose GET answers a page of users
                  (the members path)
leave             DELETE on the members path (``user`` names another user)     ``subscribe/`` → ``join/``
members           GET of a page of users on the members path                   ``subscribe/`` → ``join/``
requested         GET of a page of users, alone on its path                    ``request_subscribe/`` →
                                                                               ``request_join/``
status            GET answering an object with a ``status``, alone on its path ``{id}/status/``
                  (where no page says so: one whose answer the page leaves open)
role              POST of lists of user ids other than ``users``, alone on its (none) → ``{id}/role/``
                  path (``managers``, ``joined``, ``unjoined``)
================= ============================================================ ===============================

A page of users is an object with ``count`` and ``results``, its items an object with ``username``; a list
of user ids is an array of integers. Path words only break ties: when two paths of one resource fit an
action, the one whose segment the pages use for it (``TIE_BREAKERS``) is taken, else the first in the
document. A resource is a family when it has ``LIFECYCLE``'s actions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal
from weakref import WeakKeyDictionary

from openapi.document import Operation, Spec, resource_path
from openapi.privacy import Privacy, read_privacy
from openapi.states import States, read_states

Action = Literal[
    "create", "info", "invite", "remove_invitation", "invited", "requested", "members", "join", "leave",
    "status", "role", "delete",
]  # fmt: skip

#: Each action's method and what its operation does (the module's table, shortened).
ACTIONS: dict[Action, tuple[str, str]] = {
    "create": ("POST", "creates one resource"),
    "info": ("GET", "reads one resource"),
    "invite": ("POST", "invites the users listed in `users`"),
    "remove_invitation": ("DELETE", "withdraws the invitations of the users listed in `users`"),
    "invited": ("GET", "lists the invited users"),
    "requested": ("GET", "lists the users who asked to join"),
    "members": ("GET", "lists the members"),
    "join": ("POST", "joins, or accepts an invitation"),
    "leave": ("DELETE", "leaves, or withdraws a request"),
    "status": ("GET", "reads the caller's status"),
    "role": ("POST", "changes members' roles"),
    "delete": ("DELETE", "deletes one resource"),
}
#: The actions without which a resource has no membership lifecycle.
LIFECYCLE: tuple[Action, ...] = ("create", "invite", "join", "status")
#: The path segments the pages use for an action, which break a tie between paths that both fit it.
TIE_BREAKERS: dict[Action, tuple[str, ...]] = {
    "invite": ("invite",),
    "join": ("subscribe", "join"),
    "requested": ("request_subscribe", "request_join"),
    "status": ("status",),
    "role": ("role",),
}
#: The family the catalog's requirements name by operationId (docs/contract.md: rules written for events
#: apply to every family "reading `group` for `event`").
CATALOG_FAMILY = "event"
#: The words the catalog's rules use for the two kinds of resources they create: one anyone sees and joins
#: at once, one anyone sees whose joining is a request the managers approve. A family's own values for
#: them are read from its spec (``Family.catalog_privacy``).
CATALOG_PRIVACY = ("public", "private")


@dataclass(frozen=True)
class Family:
    """A membership family of one document: its name (the path's resource) and its lifecycle operations."""

    name: str
    operations: dict[Action, Operation]

    def __str__(self) -> str:
        return self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def has(self, action: Action) -> bool:
        return action in self.operations

    def op(self, action: Action) -> Operation:
        try:
            return self.operations[action]
        except KeyError:
            method, does = ACTIONS[action]
            raise KeyError(f"the {self.name} family has no {method} operation that {does}") from None

    def action_of(self, operation: Operation) -> Action | None:
        return next((action for action, op in self.operations.items() if op == operation), None)

    def owns(self, operation: Operation) -> bool:
        return operation.resource == self.name

    @property
    def spec(self) -> Spec:
        return self.op("create").spec

    @property
    def resource_schema(self) -> str | None:
        """The ``components.schemas`` name of one resource: what its info (else its create) answers."""
        candidates: tuple[tuple[Action, str], ...] = (("info", "200"), ("create", "201"))
        for action, status in candidates:
            if self.has(action) and (name := self.op(action).response_schema_name(status)):
                return name
        return None

    @property
    def roles(self) -> tuple[str, ...]:
        """The ``<name>_<relation>`` roles its operations' access names, in the document's order."""
        found: dict[str, None] = {}
        for operation in self.spec.operations.values():
            if self.owns(operation):
                for clause in operation.access.clauses:
                    found.update((role, None) for role in clause.roles if role.startswith(self.name + "_"))
        return tuple(found)

    def translate(self, operation: Operation) -> Operation | None:
        """This family's operation for ``operation`` of any family: the one with the same action, else the
        same method and path after the resource; ``operation`` itself when it belongs to no family
        (``/api/v2/user/me/``); None when this family has no such operation."""
        spec = operation.spec
        source = next((f for f in found_families(spec) if f.owns(operation)), None)
        if source is None:
            return operation
        action = source.action_of(operation)
        if action is not None:
            return self.operations.get(action)
        shape = resource_path(operation.path)
        assert shape is not None
        return spec.find(operation.method, f"/api/v2/{self.name}/{shape[1]}")

    def operations_for(self, operation_ids: Iterable[str]) -> list[Operation]:
        """The operations named (by any family's operationIds), as this family's, without repeats."""
        spec = self.spec
        found = (self.translate(spec[operation_id]) for operation_id in operation_ids)
        return list(dict.fromkeys(op for op in found if op is not None))

    def documents(self, feature: str) -> bool:
        """``action.name``: the family's operation for ``action`` takes ``name`` in its query or body
        (``join.users``: the manager subscribes users directly), or its success answer has that property
        (``info.subscribers_counter``)."""
        action, _, name = feature.partition(".")
        if action not in ACTIONS:
            raise ValueError(f"`{feature}` names no action ({', '.join(ACTIONS)})")
        operation = next((op for found, op in self.operations.items() if found == action), None)
        return operation is not None and (operation.takes(name) or name in operation.answer_properties)

    def satisfies(self, feature: str) -> bool:
        """Whether a catalog ``requires`` item holds: ``action.name`` (``documents``), or a fact of ``FACTS``
        (``!`` denies it)."""
        if "." in feature:
            return self.documents(feature)
        name = feature.removeprefix("!")
        if name not in FACTS:
            raise ValueError(f"`{feature}` names no fact of a family ({', '.join(FACTS)})")
        return FACTS[name](self) != feature.startswith("!")

    @cached_property
    def states(self) -> States:
        """The states a user is in for one of its resources, as its status names them (``openapi.states``)."""
        resource = self.spec.schema(self.resource_schema) if self.resource_schema else {}
        operations = self.operations
        return read_states(operations.get("status"), operations.get("members"), self.spec.resolve(resource))

    @property
    def creator_role(self) -> str:
        """The role its x-access names for the user who created one (``course_creator``)."""
        return f"{self.name}_creator"

    @property
    def creator_stays(self) -> bool:
        """Its leave's x-access refuses the creator leaving: a ``nobody`` rule whose ``when`` is the creator's
        role (``course``: "The creator of the course cannot leave")."""
        leave = self.operations.get("leave")
        rules = leave.access.rules if leave is not None else ()
        return any(rule.clause.nobody and self.creator_role in rule.when.roles for rule in rules)

    @property
    def private_list_closed(self) -> bool:
        """The member list of a resource of its approval ``privacy`` is reserved to some roles (events'
        private member list: the subscribers)."""
        value = self.approval_privacy
        return value is not None and bool(self.privacy[value].listed_by)

    @property
    def hidden_privacy(self) -> tuple[str, ...]:
        """The ``privacy`` values whose info's rules refuse some authenticated callers (draft, secret)."""
        return tuple(value for value, facts in self.privacy.items() if not facts.anyone_sees)

    @property
    def join_answers_resource(self) -> bool:
        """Its join's documented success answers with a body (the course), not an empty 204."""
        join = self.operations.get("join")
        return join is not None and any(join.response_schema(status) for status in join.success_statuses)

    @property
    def privacy_values(self) -> tuple[str, ...] | None:
        """The values the create body's ``privacy`` takes (every media type's enum); None when unstated."""
        create = self.op("create")
        values: dict[str, None] = {}
        for media in create.media_types:
            privacy = self.spec.resolve(create.request_schema(media).get("properties", {}).get("privacy", {}))
            values.update((str(value), None) for value in privacy.get("enum", []) if value is not None)
        return tuple(values) or None

    @cached_property
    def privacy(self) -> dict[str, Privacy]:
        """What each ``privacy`` value means (``openapi.privacy``): who sees it, what joining does, who
        lists the members; in the create schema's order, empty when the values are unstated."""
        return read_privacy(
            self.privacy_values or (),
            self.operations.get("info"),
            self.operations.get("members"),
            self.operations.get("join"),
        )

    @property
    def open_privacy(self) -> str | None:
        """The first value on which anyone who sees resources sees it and joins at once (events: public)."""
        return next((value for value, facts in self.privacy.items() if facts.open_join), None)

    @property
    def approval_privacy(self) -> str | None:
        """The first value on which anyone sees it and joining is a request the managers approve."""
        return next((value for value, facts in self.privacy.items() if facts.needs_approval), None)

    def catalog_privacy(self, word: str) -> str:
        """This family's value for one of the catalog's words (``CATALOG_PRIVACY``): courses' ``open`` for
        ``public``; the word itself when the spec does not say."""
        value = {"public": self.open_privacy, "private": self.approval_privacy}.get(word)
        return value if value is not None else word

    @property
    def outside_catalog(self) -> str | None:
        """Why the catalog's rules cannot be checked on this family, or None. They create resources anyone
        joins at once and resources whose joining needs approval (``CATALOG_PRIVACY``), so the spec must say
        which ``privacy`` values mean that; they read each user's state, so the spec must name the states in
        words whose meaning is known (``openapi.states.MEANINGS``), a plain membership among them. What an
        operation answers on success is read from the spec too (a course's join: 200 with the course)."""
        unsaid = [
            what
            for what, value in (
                ("lets anyone see a resource and join it at once", self.open_privacy),
                ("makes joining a request the managers approve", self.approval_privacy),
            )
            if value is None
        ]
        if unsaid:
            values = ", ".join(repr(value) for value in self.privacy_values or ())
            takes = f"its `privacy` takes {values}" if values else "its create body lists no `privacy` values"
            return (
                f"{takes}, and the spec does not say which of them {' nor which '.join(unsaid)} (x-access "
                "of its info, x-join of its join); the catalog's rules create one resource of each"
            )
        states, status = self.states, self.op("status")
        if states.unknown:
            unknown = ", ".join(repr(value) for value in states.unknown)
            return (
                f"its status ({status.label}) names the state(s) {unknown}, whose meaning the kit does not "
                "know (openapi.states.MEANINGS); the catalog's rules read each user's state"
            )
        if states.member is None:
            named = ", ".join(states.values) or "none"
            return (
                f"its status ({status.label}) names no state of a member ({named}); the catalog's rules "
                "read each user's state"
            )
        return None


#: Each document's families, found once: checks translate operations through them on every call.
_FOUND: WeakKeyDictionary[Spec, tuple[Family, ...]] = WeakKeyDictionary()


def found_families(spec: Spec) -> tuple[Family, ...]:
    """Every resource of the document whose operations run the lifecycle, in the order its paths appear."""
    if spec not in _FOUND:
        _FOUND[spec] = _find(spec)
    return _FOUND[spec]


_ONE = re.compile(r"^\{[^/{}]+\}/$")
_BELOW = re.compile(r"^\{[^/{}]+\}/(?P<segment>[^/{}]+)/$")


def _find(spec: Spec) -> tuple[Family, ...]:
    by_resource: dict[str, list[tuple[str, Operation]]] = {}  # resource → (path after it, operation)
    for operation in spec.operations.values():
        shape = resource_path(operation.path)
        if shape is not None:
            by_resource.setdefault(shape[0], []).append((shape[1], operation))
    found = ((name, _actions(operations)) for name, operations in by_resource.items())
    return tuple(Family(name, ops) for name, ops in found if all(action in ops for action in LIFECYCLE))


def _actions(operations: list[tuple[str, Operation]]) -> dict[Action, Operation]:
    """The lifecycle actions among the operations of one resource (each with its path after the resource),
    by what each operation does."""
    found: dict[Action, Operation] = {}
    below: dict[str, dict[str, Operation]] = {}  # segment → method → operation
    for rest, operation in operations:
        if rest == "" and operation.method == "POST" and operation.has_body:
            found.setdefault("create", operation)
        elif _ONE.match(rest) and operation.method == "GET" and not _page_of_users(operation):
            found.setdefault("info", operation)
        elif _ONE.match(rest) and operation.method == "DELETE" and not operation.has_body:
            found.setdefault("delete", operation)
        elif match := _BELOW.match(rest):
            below.setdefault(match["segment"], {})[operation.method] = operation
    invitations = _pick("invite", [s for s, ops in below.items() if _is_invitations(ops)])
    if invitations is not None:
        ops = below[invitations]
        found.update({"invite": ops["POST"], "remove_invitation": ops["DELETE"]})
        if _page_of_users(ops.get("GET")):
            found["invited"] = ops["GET"]
    membership = _pick("join", [s for s, ops in below.items() if s != invitations and _is_membership(ops)])
    if membership is not None:
        ops = below[membership]
        found.update({"join": ops["POST"], "leave": ops["DELETE"], "members": ops["GET"]})
    alone = {segment: next(iter(ops.values())) for segment, ops in below.items() if len(ops) == 1}
    lists = [s for s, op in alone.items() if op.method == "GET" and _page_of_users(op)]
    statuses = [s for s, op in alone.items() if op.method == "GET" and _answers_status(op)]
    # A status page whose answer the page leaves open (no schema it can read): the GETs alone on their
    # path with no answer schema are the candidates, a tie broken by the path word.
    statuses = statuses or [s for s, op in alone.items() if op.method == "GET" and not _answer(op)]
    roles = [s for s, op in alone.items() if op.method == "POST" and _assigns_roles(op)]
    singles: tuple[tuple[Action, list[str]], ...] = (
        ("requested", lists),
        ("status", statuses),
        ("role", roles),
    )
    for action, candidates in singles:
        segment = _pick(action, candidates)
        if segment is not None:
            found[action] = alone[segment]
    return found


def _pick(action: Action, segments: list[str]) -> str | None:
    """The one path segment that fits ``action``; of several, the one the pages use for it, else the first."""
    if len(segments) <= 1:
        return segments[0] if segments else None
    return next((s for s in segments if s in TIE_BREAKERS.get(action, ())), segments[0])


def _is_invitations(ops: Mapping[str, Operation]) -> bool:
    """POST and DELETE both take a ``users`` list, POST requires it: inviting and withdrawing invitations."""
    post, delete = ops.get("POST"), ops.get("DELETE")
    return post is not None and delete is not None and _requires_users(post) and "users" in _id_lists(delete)


def _is_membership(ops: Mapping[str, Operation]) -> bool:
    """POST (no required ``users``) and DELETE (none either) act on the caller; GET lists users."""
    post, delete, get = ops.get("POST"), ops.get("DELETE"), ops.get("GET")
    if post is None or delete is None or get is None:
        return False
    return not _requires_users(post) and not _requires_users(delete) and _page_of_users(get)


def _id_lists(operation: Operation) -> set[str]:
    """The body fields that are lists of integers (user ids), under any media type."""
    spec = operation.spec
    found: set[str] = set()
    for media in operation.media_types:
        for name, prop in operation.request_schema(media).get("properties", {}).items():
            prop = spec.resolve(prop)
            items = spec.resolve(prop.get("items", {})) if prop.get("type") == "array" else {}
            if items.get("type") == "integer":
                found.add(str(name))
    return found


def _requires_users(operation: Operation) -> bool:
    return "users" in _id_lists(operation) and any(
        "users" in operation.request_schema(media).get("required", ()) for media in operation.media_types
    )


def _assigns_roles(operation: Operation) -> bool:
    """A body of user-id lists, none of them ``users``: each list puts its users in one role."""
    lists = _id_lists(operation)
    return bool(lists) and "users" not in lists


def _answer(operation: Operation | None) -> Mapping[str, Any]:
    if operation is None:
        return {}
    return operation.response_schema("200")


def _page_of_users(operation: Operation | None) -> bool:
    """Answers a page (``count`` and ``results``) whose items are users (they have a ``username``)."""
    answer = _answer(operation)
    properties = answer.get("properties", {})
    if operation is None or not {"count", "results"} <= set(properties):
        return False
    spec = operation.spec
    results = spec.resolve(properties["results"])
    items = spec.resolve(results.get("items", {}))
    return "username" in items.get("properties", {})


def _answers_status(operation: Operation) -> bool:
    """Answers an object with a ``status`` (the caller's state), not a page."""
    properties = _answer(operation).get("properties", {})
    return "status" in properties and "results" not in properties


def families(spec: Spec) -> list[Family]:
    """The families the catalog's rules can be checked on: the catalog's own (events) first, then the others
    in the order the document has them."""
    checkable = [family for family in found_families(spec) if family.outside_catalog is None]
    return sorted(checkable, key=lambda family: family.name != CATALOG_FAMILY)


def outside_catalog(spec: Spec) -> dict[str, str]:
    """The families the document has that the catalog's rules cannot be checked on, each with the reason."""
    return {family.name: reason for family in found_families(spec) if (reason := family.outside_catalog)}


def family_of(operation: Operation) -> Family | None:
    """The family ``operation`` belongs to, if any."""
    return next((family for family in found_families(operation.spec) if family.owns(operation)), None)


def by_name(spec: Spec, name: str) -> Family:
    found = next((family for family in found_families(spec) if family.name == name), None)
    if found is None:
        raise KeyError(f"no membership family {name!r} in {spec.path}")
    return found


#: The facts of a family a catalog ``requires`` item may name (``!`` denies one): each read from the spec.
FACTS: dict[str, Callable[[Family], bool]] = {
    "creator_state": lambda family: family.states.creator not in (None, family.states.member),
    "creator_stays": lambda family: family.creator_stays,
    "private_list_closed": lambda family: family.private_list_closed,
    "hidden_privacy": lambda family: bool(family.hidden_privacy),
    "join_answers_resource": lambda family: family.join_answers_resource,
    "lock_screen": lambda family: any(facts.lock_screen for facts in family.privacy.values()),
    "deletes": lambda family: family.has("delete"),
}
