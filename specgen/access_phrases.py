"""The phrases of the access language of the pages: authentication, relations and roles, conditions.

`specgen.access` splits each sentence into its parts (requirement, condition, results); this module
reads each part. Phrases are written over the *normalised* sentence (lower case, no Markdown marks).
`{resource}` in a role stands for the page's resource (`event` for `/api/v2/event/{id}/...`).
"""

from __future__ import annotations

import re
from typing import Any

from openapi.access import NONE, OPTIONAL, REQUIRED, AccessCondition, Authentication

#: (phrase, authentication); the first match in a requirement wins.
AUTHENTICATION: tuple[tuple[str, Authentication], ...] = (
    (r"does not require (?:any )?authentication(?: and subscription)?", NONE),
    (r"(?:no|without) authentication (?:is )?(?:required|needed)", NONE),
    (r"(?:being )?an? unauthenticated (?:api )?call\b(?:,.*)?", NONE),
    (r"authentication is optional", OPTIONAL),
    (r"requires? (?:only )?(?:user )?authentication(?: or simply (?:a )?jwt token)?", REQUIRED),
    (r"requires? (?:an? )?(?:authenticated user|valid (?:jwt|access) token|jwt token)", REQUIRED),
)

#: "Custom Menus are a "public object" visible both to not authenticated users and in closed communities."
PUBLIC_OBJECT = re.compile(
    r"(?:are|is) an? \W*public object\W* (?:visible|accessible|available) (?:both )?to"
    r" (?:not authenticated|unauthenticated|anonymous) users(?: and in closed communities)?"
)

_WORD = r"((?!(?:or|and|the|an?|is|user|that|be|being|has|have)\b)[a-z]+)"
#: (phrase, role). `{}` takes the phrase's first group; `{resource}` the page's resource.
ROLES: tuple[tuple[str, str], ...] = (
    (rf"(?:the )?manager of (?:the|this) {_WORD}", "{}_manager"),
    (rf"(?:the )?{_WORD}(?:'s)? manager(?: role)?", "{}_manager"),
    (r"(?:an? |the )?admin(?:istrator)?s?(?: role)?", "admin"),
    (r"(?:an? |the )?moderat(?:ion|ors?)(?: role)?", "moderator"),
    (r"(?:an? |the )?staff(?: member)?(?: user)?(?: role)?", "staff"),
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
        rf"(?:(?:the |this )?{_WORD} (?:is |was |be |being )?)?created by the"
        r" (?:current|logged(?:-in)?|authenticated) user",
        "{}_creator",
    ),
    (rf"(?:the )?{_WORD} (?:creator|author|owner)(?: role)?", "{}_creator"),
    (rf"(?:the )?{_WORD} sender", "{}_sender"),
    (rf"(?:being |is )?subscribed to (?:the|this) {_WORD}", "{}_subscriber"),
    (rf"(?:being |is )?(?:an? )?member of (?:the|this) {_WORD}", "{}_member"),
    (
        rf"(?:will )?(?:be )?not going to (?:the|this) {_WORD}|will not be going to (?:the|this) {_WORD}",
        "{}_not_going",
    ),
    (rf"(?:will )?(?:be )?going to (?:the|this) {_WORD}", "{}_going"),
    (r"(?:be )?followed by (?:the |all |every )?(?:its )?recipients", "followed_by_recipients"),
    (r"(?:the )?(creator|manager|subscriber|member)s?(?: role)?", "{resource}_{}"),
)

#: Subject phrases that name the caller by what the request does: "the user who adds the media … must be …".
CALLER_SUBJECT = re.compile(r"\b(?:the )?user who (?:[a-z]+ )+?(?=must\b)")

#: Words that carry no access meaning of their own once the phrases above are removed.
FILLER = frozenset(
    """this operation operations endpoint api call requires require required it also and that the user users
    logged logged-in authenticated is has have be being must or an a only by with role roles can of to
    accessible in as either""".split()  # noqa: SIM905 - a word list reads better as text
)

#: Values of a resource's `privacy`; any other `the <resource> is **value**` is its `status`.
PRIVACY_VALUES = frozenset({"public", "private", "secret", "open", "closed", "hidden", "visible"})
#: Subjects of "if the X is ..." that are the caller, not the resource.
CALLER_WORDS = frozenset({"user", "caller", "request", "logged", "current"})


def role_name(template: str, match: re.Match[str], resource: str) -> str:
    groups = [group for group in match.groups() if group]
    name = template.replace("{resource}", resource)
    return name.format(*(groups[:1] or [resource])) if "{}" in name else name


def read_condition(text: str) -> tuple[AccessCondition, bool] | None:
    """`when` of a condition phrase, and whether it is negatable (a boolean option); None: not understood."""
    text = text.strip(" ,.;")
    param = re.fullmatch(
        r"(?:the )?([a-z][a-z0-9_]*) param(?:eter)?s?(?: is| are)? (?:passed|given|specified|set)", text
    )
    if param:
        return AccessCondition(params=(param.group(1),)), False
    option = re.fullmatch(
        r"(?:the )?(?:configurations\.)?([a-z][a-z0-9_]*)(?: community)?(?: option| setting)?"
        r" (?:is |are )?(?:set to )?(true|false|enabled|disabled)",
        text,
    )
    if option and (" community" in text or "configurations." in text or " option" in text):
        value = option.group(2) in ("true", "enabled")
        return AccessCondition(options=((option.group(1), value),)), True
    resource = re.fullmatch(r"(?:the |this )?([a-z]+) is ((?:not )?[a-z]+(?:(?:,| or|, or) [a-z]+)*)", text)
    if (
        resource
        and resource.group(1) not in CALLER_WORDS
        and not re.search(r"\b(?:not|true|false)\b", resource.group(2))
    ):
        values = [v for v in re.split(r",? or |, ", resource.group(2)) if v]
        attribute = "privacy" if all(v in PRIVACY_VALUES for v in values) else "status"
        return AccessCondition(resource=((attribute, tuple(values)),)), False
    return None


def negate(when: AccessCondition) -> AccessCondition:
    """The opposite of a negatable (boolean option) condition."""
    return AccessCondition(options=tuple((name, not value) for name, value in when.options))


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
