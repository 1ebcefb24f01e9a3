"""Read the access prose of the `:::info` blocks into `x-access: {authentication, roles}`.

Each sentence that speaks about access is matched against known phrases (authentication wording and
role names). Whatever words of such a sentence are left unexplained make it *unparsed*: the
authentication that could be read is kept, roles are recorded only when stated unconditionally, and
the sentence is returned so the linter can report it instead of the generator guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REQUIRED, OPTIONAL, NONE = "required", "optional", "none"

#: (phrase, authentication); the first match in a sentence wins. Conditions ("only if ...") are part
#: of the phrase: a condition on authentication makes it optional.
_AUTHENTICATION: tuple[tuple[str, str], ...] = (
    (
        r"does not require (?:any )?authentication(?: and subscription)?,? (?:only )?(?:if|when|to view)\b.*",
        OPTIONAL,
    ),
    (r"does not require (?:any )?authentication", NONE),
    (r"(?:no|without) authentication (?:is )?(?:required|needed)", NONE),
    (r"(?:being )?an? unauthenticated (?:api )?call", NONE),
    (
        r"(?:visible|accessible|available) (?:both )?to"
        r" (?:not authenticated|unauthenticated|anonymous) users",
        NONE,
    ),
    (r"requires? (?:only )?authentication,? (?:only )?(?:if|when|unless)\b.*", OPTIONAL),
    (r"authentication is optional", OPTIONAL),
    (r"requires? (?:only )?(?:user )?authentication(?: or simply (?:a )?jwt token)?", REQUIRED),
    (r"requires? (?:an? )?(?:authenticated user|valid (?:jwt|access) token|jwt token)", REQUIRED),
)

#: (phrase, role as recorded in `x-access.roles`). `{}` takes the phrase's first group.
_ROLES: tuple[tuple[str, str], ...] = (
    (r"(?:the )?manager of (?:the|this) event|(?:the )?event(?:'s)? manager", "manager"),
    (r"(?:the )?manager of (?:the|this) course|(?:the )?course manager", "course_manager"),
    (r"(?:the )?manager of (?:the|this) group|(?:the )?group manager", "group_manager"),
    (r"(?:the )?manager of (?:the|this) (\w+)", "{}_manager"),
    (r"(?:an? |the )?admin(?:istrator)?s?(?: role)?", "admin"),
    (r"(?:an? |the )?moderat(?:ion|ors?)(?: role)?", "moderator"),
    (r"(?:an? |the )?staff(?: member)?(?: user)?(?: role)?", "staff"),
    (r"(?:an? |the )?editors?(?: role)?", "editor"),
    (
        r"(?:the )?(?:user )?(?:authenticated )?(?:is )?the same as \{\w+\}"
        r"|(?:the )?(?:same )?user themselves|(?:is )?the same user|(?:user )?is the same"
        r"|(?:the )?user identified by (?:the )?\{\w+\}",
        "self",
    ),
    (r"(?:the )?creator of the community(?: \(id=1\))?", "community_creator"),
    (r"(?:the )?creator of the (\w+)", "{}_creator"),
    (r"(?:the )?(\w+) (?:creator|author|owner)", "{}_creator"),
    (r"(?:the )?(\w+) sender", "{}_sender"),
    (r"(?:being |is )?subscribed to the event", "event_subscriber"),
)

#: Words that carry no access meaning of their own once the phrases above are removed.
_FILLER = frozenset(
    """this operation operations endpoint api call requires require required it also and that the user users
    logged logged-in authenticated is has have be being must or an a only by with role roles can of to
    accessible in as either""".split()  # noqa: SIM905 - a word list reads better as text
)
_ACTION = r"\bcan (?:\w+)(?: .*)?$"  # "... can delete the user": the action itself, not a condition
_CONDITION = re.compile(r"\b(?:if|when|unless|to view|without)\b")
_RELEVANT_VERB = re.compile(
    r"\b(?:requires?|required|must|only|accessible|allowed|unauthenticated|not authenticated"
    r"|anonymous(?:ly)?)\b"
)
_RELEVANT_WHO = re.compile(
    r"authenticat|jwt|\busers?\b|admin|moderat|staff|manager|creator|owner|sender|\brole|subscribed"
)


@dataclass(frozen=True)
class Access:
    authentication: str | None  # None: the prose says nothing about access
    roles: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()  # sentences about access that were not fully understood

    @property
    def stated(self) -> bool:
        return self.authentication is not None or bool(self.roles)


def normalise(text: str) -> str:
    text = re.sub(r"[`*\\]", "", text)
    text = text.replace("’", "'")
    return " ".join(text.lower().split())


def sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?;])\s+", normalise(text)) if part.strip()]


def read_access(texts: list[str]) -> Access:
    """The access rules stated by the given admonition texts (Markdown source)."""
    authentication: str | None = None
    roles: list[str] = []
    unparsed: list[str] = []
    for sentence in (s for text in texts for s in sentences(text)):
        if not (_RELEVANT_VERB.search(sentence) and _RELEVANT_WHO.search(sentence)):
            continue
        level, sentence_roles, leftover, conditional = _read_sentence(sentence)
        if authentication is None:
            authentication = level
        if conditional:
            unparsed.append(sentence)
        else:
            roles.extend(role for role in sentence_roles if role not in roles)
            if leftover:
                unparsed.append(sentence)
    if roles and authentication != REQUIRED:
        authentication = REQUIRED
    return Access(authentication, tuple(roles), tuple(unparsed))


def _read_sentence(sentence: str) -> tuple[str | None, list[str], bool, bool]:
    """(authentication, roles, words left unexplained?, roles only under a condition?)."""
    rest = sentence.rstrip(".!;")
    level: str | None = None
    for pattern, meaning in _AUTHENTICATION:
        match = re.search(pattern, rest)
        if match:
            level = meaning
            rest = rest[: match.start()] + " " + rest[match.end() :]
            break
    found: list[tuple[int, str]] = []
    for pattern, role in _ROLES:
        for match in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", rest):
            name = role.format(match.group(1)) if "{}" in role and match.groups() else role
            found.append((match.start(), name))
            rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    roles: list[str] = []
    for _, name in sorted(found):
        if name not in roles:
            roles.append(name)
    conditional = bool(roles) and bool(_CONDITION.search(rest))
    rest = re.sub(_ACTION, " ", rest)
    words = [word for word in re.findall(r"[\w{}()=-]+", rest) if word not in _FILLER]
    if roles and level is None:
        level = REQUIRED
    return level, roles, bool(words), conditional
