"""What one page's access prose has stated so far, and the reading it adds up to (`AccessReading`).

`specgen.access` and `specgen.access_lists` record each sentence here: a requirement into the default
clause, a conditional one as a rule, a refusal on the clause the last sentence stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from openapi.access import (
    FORBIDDEN,
    NONE,
    OPTIONAL,
    REQUIRED,
    AccessClause,
    AccessCondition,
    AccessRule,
    Authentication,
    OperationAccess,
    Refusal,
    strength,
)
from specgen.access_phrases import Terms


@dataclass(frozen=True)
class AccessReading:
    """What a page's access prose states, in the core's terms, and the sentences it could not read."""

    authentication: Authentication | None  # None: the prose says nothing about access
    roles: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()  # sentences about access that were not fully understood
    rules: tuple[AccessRule, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()
    public: bool = False
    results: tuple[str, ...] = ()
    all_roles: tuple[str, ...] = ()
    refused: Refusal = FORBIDDEN

    @property
    def stated(self) -> bool:
        return self.authentication is not None or bool(self.roles)

    def access(self, fallback: Authentication = OPTIONAL) -> OperationAccess:
        """The operation's access; `fallback` is the default authentication where the prose says none."""
        default = AccessClause(
            self.authentication or fallback, self.roles, self.all_roles, refused=self.refused
        )
        return OperationAccess(default, self.rules, self.options, self.public, self.results)


@dataclass
class PageReading:
    """The statements of one page's access prose so far, in the order the sentences made them."""

    terms: Terms
    authentication: Authentication | None = None
    roles: list[str] = field(default_factory=list)
    all_roles: list[str] = field(default_factory=list)
    refused: Refusal = FORBIDDEN
    rules: list[AccessRule] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    public: bool = False
    results: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    guessed: Authentication | None = None  # authentication read from unparsed sentences
    last: int | None = None  # the clause the last access sentence stated: -1 the default, else a rule
    privileged: list[str] = field(default_factory=list)  # who "can always" do what the rules limit
    subject: str = ""  # what those rules govern (the lesson)
    leaving: list[str] = field(default_factory=list)  # roles that "cannot leave"

    @property
    def resource(self) -> str:
        return self.terms.resource

    def default(self, level: Authentication | None, roles: list[str]) -> None:
        if level is not None and (
            self.authentication is None or strength(level) > strength(self.authentication)
        ):
            self.authentication = level
        self.roles.extend(role for role in roles if role not in self.roles)
        self.last = -1

    def rule(
        self,
        when: AccessCondition,
        level: Authentication,
        roles: list[str],
        nobody: bool = False,
        refused: Refusal = FORBIDDEN,
    ) -> None:
        clause = AccessClause(REQUIRED if roles else level, tuple(roles), nobody=nobody, refused=refused)
        for index, existing in enumerate(self.rules):
            if existing.when != when or existing.clause.nobody != nobody:
                continue
            if nobody and refused != FORBIDDEN:  # the page says what the refusal looks like
                self.rules[index] = AccessRule(when, replace(existing.clause, refused=refused))
            if existing.clause == clause or nobody:
                self.last = index
                return
        self.rules.append(AccessRule(when, clause))
        self.last = len(self.rules) - 1

    def refuse_last(self, refusal: Refusal) -> bool:
        if self.last is None:
            return False
        if self.last < 0:
            self.refused = refusal
        else:
            rule = self.rules[self.last]
            self.rules[self.last] = AccessRule(rule.when, replace(rule.clause, refused=refusal))
        return True

    def reading(self) -> AccessReading:
        self._leaving_rules()
        authentication = self.authentication
        if authentication is None and (self.rules or self.public):
            authentication = NONE
        if authentication is None:
            authentication = self.guessed
        if self.roles or self.all_roles:
            authentication = REQUIRED
        return AccessReading(
            authentication,
            tuple(self.roles),
            tuple(self.unparsed),
            tuple(self.rules),
            tuple(self.options.items()),
            self.public,
            tuple(self.results),
            tuple(self.all_roles),
            self.refused,
        )

    def _leaving_rules(self) -> None:
        """ "The creator cannot leave": leaving oneself is the call without the parameter that names
        another user (the page's param rules), so the rule holds when none of those is passed."""
        if not self.leaving:
            return
        others = tuple(name for rule in self.rules for name in rule.when.params)
        when = AccessCondition(
            roles=tuple(self.leaving), negated=AccessCondition(params=others) if others else None
        )
        self.rule(when, REQUIRED, [], nobody=True)
        self.leaving = []
