"""The phrases of the access language of the pages: authentication, relations and roles, conditions.

`specgen.access` splits each sentence into its parts (requirement, condition, results); this module
reads each part. Phrases are written over the *normalised* sentence (lower case, no Markdown marks).
`{resource}` in a role stands for the page's resource (`event` for `/api/v2/event/{id}/...`); what else a
page's words may refer to (the resources its path names, their attributes, its parameters) is `Terms`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openapi.access import NONE, OPTIONAL, REQUIRED, AccessCondition, Authentication, parse_role

#: (phrase, authentication); the first match in a requirement wins.
AUTHENTICATION: tuple[tuple[str, Authentication], ...] = (
    (r"does not require (?:any )?authentication(?: and subscription)?", NONE),
    (r"(?:no|without) authentication (?:is )?(?:required|needed)", NONE),
    (r"(?:being )?an? unauthenticated (?:api )?call\b(?:,.*)?", NONE),
    (r"authentication is optional", OPTIONAL),
    (r"requires? (?:only )?(?:user )?authentication(?: or simply (?:a )?jwt token)?", REQUIRED),
    (r"requires? (?:an? )?(?:authenticated user|valid (?:jwt|access) token|jwt token)", REQUIRED),
    (r"\b(?:anyone|anybody|everyone)\b(?= can\b)", NONE),
)

#: "Custom Menus are a "public object" visible both to not authenticated users and in closed communities."
PUBLIC_OBJECT = re.compile(
    r"(?:are|is) an? \W*public object\W* (?:visible|accessible|available) (?:both )?to"
    r" (?:not authenticated|unauthenticated|anonymous) users(?: and in closed communities)?"
)

_WORD = r"((?!(?:or|and|the|an?|is|users?|that|be|being|has|have|roles?|with|only|also)\b)[a-z]+)"
_CURRENT_USER = (
    r"(?:(?:current|currently authenticated|logged(?:-in)?|authenticated|requesting) user"
    r"|user currently (?:authenticated|logged(?: in)?))"
)
#: (phrase, role). `{}` takes the phrase's first group; `{resource}` the page's resource; `|` separates
#: the roles of a phrase that names several alternatives.
ROLES: tuple[tuple[str, str], ...] = (
    (rf"(?:the )?manager of (?:the|this) {_WORD}", "{}_manager"),
    (rf"(?:the )?{_WORD}(?:'s)? manager(?: role)?", "{}_manager"),
    (r"(?:an? |the )?admin(?:istrator)?s?(?: role)?", "admin"),
    (r"(?:an? |the )?moderat(?:ion|ors?)(?: role)?", "moderator"),
    (r"(?:an? |the )?staff(?: members?)?(?: users?)?(?: role)?", "staff"),
    (r"(?:an? |the )?editors?(?: role)?", "editor"),
    (
        r"(?:the )?(?:user )?(?:authenticated )?(?:is )?the same as \{(\w+)\}"
        r"|(?:the )?user identified by (?:the )?\{(\w+)\}",
        "self({})",
    ),
    (
        r"(?:the )?(?:same )?user themselves|(?:is )?the same user(?! who)|(?:user )?is the same\b(?! user)",
        "self",
    ),
    (r"(?:the )?creator of the community(?: \(id=1\))?", "community_creator"),
    (rf"(?:the )?creator of (?:the|this) {_WORD}", "{}_creator"),
    (rf"(?:is )?the same user who (?:uploaded|created|made|wrote) the {_WORD}", "{}_creator"),
    (
        rf"(?:(?:the |this )?{_WORD} (?:is |was |be |being )?)?(?:created|made|submitted|written) by the"
        rf" {_CURRENT_USER}",
        "{}_creator",
    ),
    (rf"(?:the )?{_WORD} (?:creator|author|owner)(?: role)?", "{}_creator"),
    (rf"(?:the )?{_WORD} sender", "{}_sender"),
    (rf"(?:being |is )?subscribed to (?:the|this) {_WORD}", "{}_subscriber"),
    (rf"(?:being |is )?(?:an? )?member of (?:the|this) {_WORD}", "{}_member"),
    (rf"(?:that )?the user (?:joins|joined|has joined|is joined to) (?:the|this) {_WORD}", "{}_member"),
    (r"(?:the )?invited members?", "{resource}_invited|{resource}_member"),
    (rf"(?:being |is )?invited to (?:the|this) {_WORD}", "{}_invited"),
    (
        rf"(?:that )?the user can (?:view|see|access|get) (?:the (?:info|information|details|data) of )?"
        rf"(?:the|this) {_WORD}"
        rf"|(?:the user )?(?:must )?(?:also )?(?:have|has) access to (?:the|this) {_WORD}",
        "{}_viewer",
    ),
    (
        rf"(?:will )?(?:be )?not going to (?:the|this) {_WORD}|will not be going to (?:the|this) {_WORD}",
        "{}_not_going",
    ),
    (rf"(?:will )?(?:be )?going to (?:the|this) {_WORD}", "{}_going"),
    (r"(?:be )?followed by (?:the |all |every )?(?:its )?recipients", "followed_by_recipients"),
    # The rules a manager sets on what a member may reach (the drip schedule, the order of lessons).
    (
        r"(?:the )?current (?:date ?time|date|time) (?:should|must) be"
        r" (?:greater than or equal to|at or after|after|later than|past)"
        r" (?:the )?(?:dripped_at|joined_at(?: datetime| date)? plus (?:the )?drip_delay days)",
        "{resource}_dripped",
    ),
    (
        r"all (?:the )?(?:published )?([a-z]+?)s? (?:before|preceding) (?:the current one|this one|it)"
        r" (?:should|must) be completed",
        "{}_in_order",
    ),
    (r"(?:the )?(creator|manager|subscriber|member)s?(?: role)?", "{resource}_{}"),
)

#: A condition before the requirement: "If `X` is `true` only staff members can …".
LEADING_CONDITION = re.compile(r"^(?:if|when) ")
#: "... can delete the user": the action itself, not a condition.
ACTION = r"\bcan (?:\w+)(?: .*)?$"

#: Subject phrases that name the caller by what the request does: "the user who adds the media … must be …".
CALLER_SUBJECT = re.compile(r"\b(?:the )?user (?:who (?:[a-z]+ )+?|making the (?:request|call) )(?=must\b)")

#: Words that carry no access meaning of their own once the phrases above are removed.
FILLER = frozenset(
    """this operation operations endpoint api call requires require required it also and that the user users
    logged logged-in authenticated is has have be being must or an a only by with role roles can of to
    accessible in as either needs need""".split()  # noqa: SIM905 - a word list reads better as text
)

#: Values of a resource's `privacy`; any other `the <resource> is **value**` is its `status`.
PRIVACY_VALUES = frozenset({"public", "private", "secret", "open", "closed", "hidden", "visible"})
#: Subjects of "if the X is ..." that are the caller, not the resource.
CALLER_WORDS = frozenset({"user", "caller", "request", "logged", "current"})
#: Words for a boolean setting's two values.
TRUE_WORDS = frozenset({"true", "enabled", "active", "on"})
FALSE_WORDS = frozenset({"false", "disabled", "inactive", "off"})

_NAME = r"[a-z][a-z0-9_]*"
_VALUE_LIST = r"(?:not )?[a-z0-9_]+(?:(?:,| or|, or| and) [a-z0-9_]+)*"


@dataclass(frozen=True)
class Terms:
    """What the words of one page may refer to: its resource, the resources its path names (a lesson under
    a course), the attributes their schemas document, and the operation's parameters."""

    resource: str
    named: tuple[str, ...] = ()
    attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    params: frozenset[str] = frozenset()

    @property
    def resources(self) -> tuple[str, ...]:
        """The page's resource, then the others the path names, innermost last."""
        return (self.resource, *(name for name in self.named if name != self.resource))

    def names(self, owner: str) -> bool:
        return owner in self.resources

    def attribute(self, owner: str, name: str) -> str:
        """The name a `resource` condition gives an attribute: `lesson.comments_enabled`, or `privacy` for
        the page's own resource."""
        return name if owner in ("", self.resource) else f"{owner}.{name}"

    def owner_of(self, name: str) -> str | None:
        """The innermost resource of the page whose schema documents the attribute, if any."""
        for owner in reversed(self.resources):
            if name in self.attributes.get(owner, frozenset()):
                return owner
        return None

    def with_object(self, role: str) -> str:
        """`media_creator` → `media_creator(media)` when the media is named by a parameter, not the path."""
        parsed = parse_role(role)
        if not parsed.relation or parsed.is_self or parsed.param or self.names(parsed.resource):
            return role
        for param in (parsed.resource, f"{parsed.resource}_id", f"{parsed.resource}s"):
            if param in self.params:
                return f"{role}({param})"
        return role


def role_names(template: str, match: re.Match[str], resource: str) -> list[str]:
    groups = [group for group in match.groups() if group]
    names = []
    for option in template.split("|"):
        name = option.replace("{resource}", resource)
        names.append(name.format(*(groups[:1] or [resource])) if "{}" in name else name)
    return names


def value_of(word: str) -> Any:
    """A value as a page writes it: `true` → True, `3` → 3, `empty string` → "", else the word."""
    word = word.strip()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if word.isdigit():
        return int(word)
    if re.fullmatch(r"(?:an? )?empty(?: string)?(?: \(.*\))?", word):
        return ""
    return word


def values_of(text: str) -> list[Any]:
    """`open and private` → [open, private]; `edit or dashboard`; `empty string (draft mode)` → [""]."""
    values: list[Any] = []
    for word in re.split(r",? (?:or|and) |, ", text.strip()):
        value = value_of(word)
        if value not in values:
            values.append(value)
    return values


def read_condition(text: str, terms: Terms | None = None) -> tuple[AccessCondition, bool] | None:
    """`when` of a condition phrase, and whether it is negatable (a boolean value); None: not understood."""
    terms = terms or Terms("resource")
    text = text.strip(" ,.;")
    param = re.fullmatch(
        rf"(?:the )?({_NAME}) param(?:eter)?s?(?: is| are| will be)? (?:passed|given|specified|set)"
        r"(?: to [a-z ]+)?",
        text,
    )
    if param:
        return AccessCondition(params=(param.group(1),)), False
    param_value = re.fullmatch(
        rf"(?:the )?({_NAME}) param(?:eter)? (?:is|has (?:the )?values?|equals?) ({_VALUE_LIST})"
        rf"|({_NAME}) ?= ?({_NAME})",
        text,
    )
    if param_value:
        name = param_value.group(1) or param_value.group(3)
        values = values_of(param_value.group(2) or param_value.group(4))
        return AccessCondition(param_values=((name, tuple(values)),)), False
    return _setting(text, terms) or _attribute(text, terms) or _resource_state(text, terms)


def _setting(text: str, terms: Terms) -> tuple[AccessCondition, bool] | None:
    """A named boolean setting: a community option, or an attribute the page's schemas document."""
    words = "|".join(sorted(TRUE_WORDS | FALSE_WORDS))
    setting = re.fullmatch(
        rf"(?:the )?(community )?(?:(?:option|setting) )?(configurations\.)?({_NAME})( community)?"
        rf"(?: option| setting)? (?:is |are )?(?:set to )?(not )?({words})",
        text,
    )
    if not setting:
        return None
    name, negation, word = setting.group(3), setting.group(5), setting.group(6)
    value = (word in TRUE_WORDS) != bool(negation)
    community = bool(setting.group(1) or setting.group(2) or setting.group(4))
    if not community and " option" not in text and " setting" not in text and "_" not in name:
        return None  # a bare name is a setting only when written as one (`courses_only_staff_enabled`)
    owner = None if community else terms.owner_of(name)
    if owner is not None:
        return AccessCondition(resource=((terms.attribute(owner, name), (value,)),)), True
    return AccessCondition(options=((name, value),)), True


def _attribute(text: str, terms: Terms) -> tuple[AccessCondition, bool] | None:
    """`the course type is scheduled`, `the lesson has comments_enabled (set to true)`."""
    named = re.fullmatch(
        rf"(?:the |this )?([a-z]+)(?:'s)? ({_NAME}) (?:is|are) ({_VALUE_LIST})"
        rf"|(?:the |this )?([a-z]+) has ({_NAME})(?: set to ({_NAME}))?",
        text,
    )
    if not named:
        return None
    owner = named.group(1) or named.group(4)
    if not terms.names(owner):
        return None
    if named.group(1):
        attribute, values = named.group(2), values_of(named.group(3))
    else:
        attribute, values = named.group(5), [value_of(named.group(6) or "true")]
    if any(isinstance(value, str) and value.startswith("not ") for value in values):
        return None
    negatable = len(values) == 1 and isinstance(values[0], bool)
    return AccessCondition(resource=((terms.attribute(owner, attribute), tuple(values)),)), negatable


def _resource_state(text: str, terms: Terms) -> tuple[AccessCondition, bool] | None:
    """`the event is private` (a `privacy` value), `the course is draft` (any other value: its `status`)."""
    resource = re.fullmatch(r"(?:the |this )?([a-z]+) is ((?:not )?[a-z]+(?:(?:,| or|, or) [a-z]+)*)", text)
    if (
        resource
        and resource.group(1) not in CALLER_WORDS
        and not re.search(r"\b(?:not|true|false)\b", resource.group(2))
    ):
        values = [v for v in re.split(r",? or |, ", resource.group(2)) if v]
        attribute = "privacy" if all(v in PRIVACY_VALUES for v in values) else "status"
        owner = resource.group(1) if terms.names(resource.group(1)) else ""
        return AccessCondition(resource=((terms.attribute(owner, attribute), tuple(values)),)), False
    return None


def negate(when: AccessCondition) -> AccessCondition:
    """The opposite of a negatable condition: a boolean option or attribute with the other value."""
    return AccessCondition(
        resource=tuple((name, tuple(not value for value in values)) for name, values in when.resource),
        options=tuple((name, not value) for name, value in when.options),
    )


def param_absent(text: str) -> bool:
    """ "without the `user` param": the clause is the default; the page states the other branch."""
    return bool(re.fullmatch(r"(?:the )?[a-z][a-z0-9_]* param(?:eter)?s?", text.strip(" ,.;")))


def options_of(sentence: str) -> dict[str, Any] | None:
    """Community settings an operation needs ("requires the community to be set to friendship mode")."""
    mode = re.search(r"requires? (?:that )?the community (?:to )?(?:be |is )?set to ([a-z]+) mode", sentence)
    if mode:
        return {f"{mode.group(1)}_mode": True}
    option = re.search(
        r"requires? (?:the )?(?:configurations\.)?([a-z][a-z0-9_]*) (?:community )?option"
        r" (?:to be )?(?:set to |is )?(true|false|enabled|disabled)",
        sentence,
    )
    if option:
        return {option.group(1): option.group(2) in ("true", "enabled")}
    return None


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
            found.extend((match.start(), name) for name in role_names(template, match, resource))
            rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    roles: list[str] = []
    for _, name in sorted(found, key=lambda pair: pair[0]):
        if name not in roles:
            roles.append(name)
    rest = re.sub(ACTION, " ", rest)
    words = [word for word in re.findall(r"[\w{}()=-]+", rest) if word not in FILLER]
    if roles and level is None:
        level = REQUIRED
    return level, roles, not words


def states_something(text: str, resource: str) -> bool:
    level, roles, understood = read_requirement(text, resource)
    return understood and (level is not None or bool(roles))


def leading_condition(
    text: str, terms: Terms, accepts: Callable[[str], bool]
) -> tuple[AccessCondition, str] | None:
    """The condition a sentence starts with ("if the course type is scheduled the current datetime …"): the
    longest prefix after `if`/`when` that reads as a condition and leaves a rest that `accepts`."""
    text = LEADING_CONDITION.sub("", text, count=1)
    for separator in (", then ", " then ", ", "):
        if separator in text:
            head, rest = text.split(separator, 1)
            parsed = read_condition(head, terms)
            if parsed is not None and accepts(rest):
                return parsed[0], rest
    words = text.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        parsed = read_condition(" ".join(words[:cut]), terms)
        rest = " ".join(words[cut:])
        if parsed is not None and accepts(rest):
            return parsed[0], rest
    return None
