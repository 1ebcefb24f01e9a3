"""Read the access prose of the `:::info` blocks into `x-access` (docs/access-language.md).

Each sentence is read by its parts, not matched whole:

- a *public object* sentence ("… are a "public object" visible both to not authenticated users …");
- a *community option* the operation needs ("requires the community to be set to friendship mode");
- a *results* sentence, which narrows what is returned rather than who may call ("Return only …",
  "the results will include …", "… to view all the associations");
- an *access* sentence: a requirement (authentication wording, relations and roles, any one of which is
  enough) and an optional condition after `if` / `when` / `only if` / `unless` / `without` (a resource
  attribute, a request parameter, a community option). Unconditional requirements form the default
  clause; conditional ones become `rules`.

Whatever words of an access sentence are left unexplained make it *unparsed*: it is returned so the
linter can report it instead of the generator guessing, and at most makes authentication `optional`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openapi.access import (
    NONE,
    OPTIONAL,
    REQUIRED,
    AccessClause,
    AccessCondition,
    AccessRule,
    Authentication,
    OperationAccess,
    strength,
)
from openapi.document import resource_path
from specgen.access_phrases import (
    AUTHENTICATION,
    CALLER_SUBJECT,
    FILLER,
    PUBLIC_OBJECT,
    ROLES,
    negate,
    options_of,
    param_absent,
    read_condition,
    role_name,
)

__all__ = ["AccessReading", "normalise", "read_access", "resource_of", "sentences"]

_ACTION = r"\bcan (?:\w+)(?: .*)?$"  # "... can delete the user": the action itself, not a condition
_CONDITION = re.compile(r"\b(only if|if|when|unless|without)\b")
_CALLER_AUTHENTICATED = re.compile(
    r"(?:the request is made by an authenticated user|the user is (?:authenticated|logged(?: in)?))\b.*"
)
_RELEVANT_VERB = re.compile(
    r"\b(?:requires?|required|must|only|accessible|allowed|unauthenticated|not authenticated"
    r"|anonymous(?:ly)?)\b"
)
_RELEVANT_WHO = re.compile(
    r"authenticat|jwt|\busers?\b|admin|moderat|staff|manager|creator|owner|sender|\brole|subscribed|member\b"
    r"|going to"
)
_RESULTS_SUBJECT = re.compile(r"\bresults?\b|\breturn(?:s|ed)?\b|\bto view (?:all|only)\b|\bwill show\b")
_RESULTS_SCOPE = re.compile(r"\b(?:only|all|entire|include)\b")
_VIEW_ONLY = re.compile(r"\bto view only\b")


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

    @property
    def stated(self) -> bool:
        return self.authentication is not None or bool(self.roles)

    def access(self, fallback: Authentication = OPTIONAL) -> OperationAccess:
        """The operation's access; `fallback` is the default authentication where the prose says none."""
        return OperationAccess(
            AccessClause(self.authentication or fallback, self.roles),
            self.rules,
            self.options,
            self.public,
            self.results,
        )


@dataclass
class _Reading:
    resource: str
    authentication: Authentication | None = None
    roles: list[str] = field(default_factory=list)
    rules: list[AccessRule] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    public: bool = False
    results: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    guessed: Authentication | None = None  # authentication read from unparsed sentences

    def default(self, level: Authentication | None, roles: list[str]) -> None:
        if level is not None and (
            self.authentication is None or strength(level) > strength(self.authentication)
        ):
            self.authentication = level
        self.roles.extend(role for role in roles if role not in self.roles)

    def rule(self, when: AccessCondition, level: Authentication, roles: list[str]) -> None:
        candidate = AccessRule(when, AccessClause(REQUIRED if roles else level, tuple(roles)))
        if candidate not in self.rules:
            self.rules.append(candidate)

    def reading(self) -> AccessReading:
        authentication = self.authentication
        if authentication is None and (self.rules or self.public):
            authentication = NONE
        if authentication is None:
            authentication = self.guessed
        if self.roles:
            authentication = REQUIRED
        return AccessReading(
            authentication,
            tuple(self.roles),
            tuple(self.unparsed),
            tuple(self.rules),
            tuple(self.options.items()),
            self.public,
            tuple(self.results),
        )


def normalise(text: str, lower: bool = True) -> str:
    text = re.sub(r"[`*\\]", "", text)
    text = text.replace("’", "'")
    text = " ".join(text.split())
    return text.lower() if lower else text


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?;])(?<!e\.g\.)(?<!i\.e\.)\s+", text) if part.strip()]


def paragraphs(text: str) -> list[str]:
    return [part for part in re.split(r"\n[ \t]*\n", text) if part.strip()]


def sentences(text: str) -> list[str]:
    return [sentence for paragraph in paragraphs(text) for sentence in _split(normalise(paragraph))]


def resource_of(path: str, folder: str = "") -> str:
    """The page's resource: `/api/v2/event/{id}/subscribe/` -> `event`; else the page's folder."""
    shape = resource_path(path)
    if shape is not None and re.fullmatch(r"[a-z]+", shape[0]):
        return shape[0]
    return folder or "resource"


def read_access(texts: list[str], resource: str = "event") -> AccessReading:
    """The access rules stated by the given admonition texts (Markdown source)."""
    reading = _Reading(resource)
    for text in texts:
        for sentence, display in _pairs(text):
            _read_sentence(sentence, display.rstrip(), reading)
    return reading.reading()


def _pairs(text: str) -> list[tuple[str, str]]:
    """(sentence as read, sentence as shown) of each paragraph; a sentence never spans paragraphs."""
    pairs: list[tuple[str, str]] = []
    for paragraph in paragraphs(text):
        lowered, shown = _split(normalise(paragraph)), _split(normalise(paragraph, lower=False))
        if len(lowered) != len(shown):
            shown = lowered
        pairs.extend(zip(lowered, shown, strict=True))
    return pairs


def _read_sentence(sentence: str, display: str, reading: _Reading) -> None:
    if PUBLIC_OBJECT.search(sentence):
        reading.public = True
        reading.default(NONE, [])
        return
    options = options_of(sentence)
    if options:
        reading.options.update(options)
        return
    if _RESULTS_SUBJECT.search(sentence) and _RESULTS_SCOPE.search(sentence):
        reading.results.append(display)
        view_only = _VIEW_ONLY.search(sentence)
        if view_only:  # "does not require authentication to view only …": the access part still counts
            _read_access_sentence(sentence[: view_only.start()], reading)
        return
    relevant = _RELEVANT_VERB.search(sentence) and _RELEVANT_WHO.search(sentence)
    if relevant and not _read_access_sentence(sentence, reading):
        reading.unparsed.append(sentence)


def _read_access_sentence(sentence: str, reading: _Reading) -> bool:
    """Record what the sentence states; False when some of it was not understood."""
    text = sentence.rstrip(" .!;")
    found = _CONDITION.search(text)
    requirement, keyword, condition = (
        (text[: found.start()], found.group(1), text[found.end() :]) if found else (text, "", "")
    )
    level, roles, understood = read_requirement(requirement, reading.resource)
    if not understood:
        if level is not None:
            reading.guessed = OPTIONAL if keyword else level
        return False
    if not keyword or (keyword == "without" and param_absent(condition)):
        if roles and reading.roles and not set(roles) <= set(reading.roles):
            # A second set of roles the caller must ALSO hold: one clause lists alternatives only.
            reading.default(level, [])
            return False
        reading.default(level, roles)
        return True
    if _CALLER_AUTHENTICATED.fullmatch(
        condition.strip(" ,")
    ):  # "if the request is made by an authenticated …"
        reading.default(OPTIONAL if level in (None, NONE) else level, roles)
        return True
    return _conditional(level, roles, keyword, condition, reading)


def _conditional(
    level: Authentication | None, roles: list[str], keyword: str, condition: str, reading: _Reading
) -> bool:
    parsed = read_condition(condition)
    if parsed is None or (level is None and not roles):
        if level is not None:
            reading.guessed = OPTIONAL
        return False
    when, negatable = parsed
    relaxing = level == NONE and not roles
    if keyword == "unless" or (keyword == "only if" and relaxing):
        # "does not require authentication only if X is true": required whenever X is false.
        if not negatable:
            reading.guessed = OPTIONAL
            return False
        when = negate(when)
        if relaxing:
            level = REQUIRED
    if keyword == "only if" or not relaxing:
        reading.default(NONE, [])
    reading.rule(when, level or REQUIRED, roles)
    return True


def read_requirement(text: str, resource: str) -> tuple[Authentication | None, list[str], bool]:
    """(authentication, roles (any one is enough), every word explained?) of a requirement phrase."""
    rest = CALLER_SUBJECT.sub(" ", text)
    level: Authentication | None = None
    for pattern, meaning in AUTHENTICATION:
        match = re.search(pattern, rest)
        if match:
            level = meaning
            rest = rest[: match.start()] + " " + rest[match.end() :]
            break
    found: list[tuple[int, str]] = []
    for pattern, template in ROLES:
        for match in re.finditer(rf"(?<![\w{{])(?:{pattern})(?!\w)", rest):
            found.append((match.start(), role_name(template, match, resource)))
            rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    roles: list[str] = []
    for _, name in sorted(found):
        if name not in roles:
            roles.append(name)
    rest = re.sub(_ACTION, " ", rest)
    words = [word for word in re.findall(r"[\w{}()=-]+", rest) if word not in FILLER]
    if roles and level is None:
        level = REQUIRED
    return level, roles, not words
