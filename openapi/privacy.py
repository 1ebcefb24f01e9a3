"""What each value of a family's ``privacy`` means, as the spec states it: who sees a resource with that
value, what joining it does, who may list its members.

The facts come from three places of the document, none of them written per family in code:

- the values: the enum of ``privacy`` in the create body (``Course.privacy``: ``""``, ``open``, ``private``,
  ``secret``);
- seeing and listing: the ``x-access`` rules of the family's info and members operations whose ``when``
  names the value ("If course `privacy` is: - `secret`: only invited members can see the course");
- joining: the join operation's ``x-join`` (docs/join-language.md: "It will request to join the course if
  the course is `private`").

Facts, not judgement: a rule may carry other conditions (``hide_member_count``) and the default clause
applies to every value; deciding what one caller gets stays with the server and the suite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openapi.access import AccessRule
from openapi.document import Operation
from openapi.joining import INVITATION_ONLY, JOIN, REQUEST, Outcome

#: The resource attribute the values belong to.
PRIVACY = "privacy"


@dataclass(frozen=True)
class Privacy:
    """One value of a family's ``privacy`` and what the spec says it means."""

    value: str
    seeing: tuple[AccessRule, ...] = ()
    """The info operation's ``x-access`` rules on a resource with this value: who sees it."""
    listing: tuple[AccessRule, ...] = ()
    """The members operation's rules on a resource with this value: who may list its members."""
    lock_screen: str | None = None
    """The ``components.schemas`` name of what the callers the rules do not name see instead, where a
    ``results`` sentence of the info operation names one for this value ("non-members will see the lock
    screen (only basic data: Course Minimal)")."""
    joining: Outcome | None = None
    """What joining does for a caller who holds no invitation and may see the resource (None: unstated).
    A caller holding an invitation accepts it on every value (the join pages' "or accept the invite")."""

    @property
    def anyone_sees(self) -> bool:
        """No rule for this value asks more of a caller than the info operation's default clause."""
        return not any(rule.clause.restricts for rule in self.seeing)

    @property
    def open_join(self) -> bool:
        """Anyone who may see any resource sees this one and joins it at once."""
        return self.anyone_sees and self.joining == JOIN

    @property
    def needs_approval(self) -> bool:
        """Anyone who may see any resource sees this one; joining it leaves a request the managers approve."""
        return self.anyone_sees and self.joining == REQUEST

    @property
    def invitation_only(self) -> bool:
        """Joining it is accepting an invitation: a caller without one does not join."""
        return self.joining == INVITATION_ONLY

    @property
    def seen_by(self) -> tuple[str, ...]:
        """The roles the rules for this value ask of who sees it (any one is enough); () when none does."""
        return _roles(self.seeing)

    @property
    def listed_by(self) -> tuple[str, ...]:
        """The roles the rules for this value ask of who lists its members; () when none does."""
        return _roles(self.listing)


def _roles(rules: tuple[AccessRule, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(role for rule in rules for role in rule.clause.role_names))


def rules_on(operation: Operation | None, value: str) -> tuple[AccessRule, ...]:
    """The ``x-access`` rules of ``operation`` whose ``when`` holds only on a resource with this
    ``privacy`` value (other parts of the ``when`` may still narrow them)."""
    if operation is None:
        return ()
    return tuple(
        rule
        for rule in operation.access.rules
        if any(name == PRIVACY and value in values for name, values in rule.when.resource)
    )


def lock_screen(info: Operation | None, value: str) -> str | None:
    """The schema a ``results`` sentence of ``info`` about resources of this ``privacy`` value names by its
    title ("If course privacy is private: … (only basic data: Course Minimal)" → ``CourseMinimal``; of
    titles inside one another, the longest)."""
    if info is None or not value:
        return None
    schemas = info.spec.raw.get("components", {}).get("schemas", {})
    titles = sorted(
        ((str(schema["title"]), str(name)) for name, schema in schemas.items() if isinstance(schema, dict)
         and schema.get("title")),
        key=lambda pair: -len(pair[0]),
    )  # fmt: skip
    about = re.compile(rf"\b{PRIVACY}\b[^:;]*\bis\b[^:;]*\b{re.escape(value)}\b")
    for sentence in info.access.results:
        if about.search(sentence):
            named = (name for title, name in titles if re.search(rf"\b{re.escape(title)}\b", sentence))
            if (found := next(named, None)) is not None:
                return found
    return None


def read_privacy(
    values: tuple[str, ...], info: Operation | None, members: Operation | None, join: Operation | None
) -> dict[str, Privacy]:
    """Every value, in the document's order, with what the family's operations say about it."""
    joining = join.joining if join is not None else None
    return {
        value: Privacy(
            value,
            seeing=rules_on(info, value),
            listing=rules_on(members, value),
            lock_screen=lock_screen(info, value),
            joining=joining.by_resource(PRIVACY, value) if joining is not None else None,
        )
        for value in values
    }
