"""Read what joining does from a join page's introduction into ``x-join`` (docs/join-language.md).

A join page says so in its first words ("This endpoint allows users to join or to accept the invite to
join a specific course", "Lets the calling user join the event"): the operation's own outcome is
``join``. Its other sentences may say what the call does instead under a condition on the resource:

- "It will request to join the course if the course is `private`." → ``request``;
- "If the course is `secret` then the user can only accept an invitation (…)." → ``invitation_only``;
- "The caller becomes a subscriber at once if the event is `public`." → ``join``.

A condition is read as ``x-access`` reads one (``specgen.access_phrases.read_condition``). A sentence
of a join page that has a condition and speaks of joining, requests or invitations but is not read is
returned as unparsed, so the linter reports it (``join-unparsed``) instead of the generator guessing.
Pages that do not say they let users join get no ``x-join``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openapi.joining import INVITATION_ONLY, JOIN, REQUEST, Joining, JoinRule, Outcome
from specgen.access_phrases import LEADING_CONDITION, Terms, leading_condition, read_condition
from specgen.access_text import normalise, pairs, paragraphs

#: The first words of a join page: the operation lets users join.
_JOIN_PAGE = re.compile(
    r"^(?:this (?:endpoint|operation) )?(?:allows|lets) (?:the calling |the )?users? (?:to )?"
    r"(?:join|subscribe)\b"
)
_THE = r"(?:the|this|a specific) [a-z]+"
_CALLER = r"(?:the )?(?:user|caller)"
#: (phrase, outcome): what the call does, as the pages say it.
OUTCOMES: tuple[tuple[re.Pattern[str], Outcome], ...] = (
    (re.compile(rf"it will request to (?:join|subscribe)(?: to)?(?: {_THE})?"), REQUEST),
    (
        re.compile(
            rf"{_CALLER} (?:is left with|makes|sends) a (?:pending )?request(?: to join(?: {_THE})?)?"
        ),
        REQUEST,
    ),
    (re.compile(rf"{_CALLER} can only accept an invitation(?: to {_THE})?"), INVITATION_ONLY),
    (
        re.compile(
            rf"{_CALLER} (?:joins(?: {_THE})?|becomes a (?:subscriber|member)(?: of {_THE})?)(?: at once)?"
        ),
        JOIN,
    ),
    (re.compile(rf"(?:anyone|everyone) can join(?: {_THE})?"), JOIN),
)
#: Words that make a conditional sentence of a join page about joining.
_ABOUT_JOINING = re.compile(r"\b(?:join|subscri|request|invit)")
_ASIDE = re.compile(r"\s*\([^()]*\)$")


@dataclass(frozen=True)
class JoinReading:
    """What a page's introduction says joining does (None: not a join page), and what was not read."""

    joining: Joining | None
    unparsed: tuple[str, ...] = ()


def outcome_of(text: str) -> Outcome | None:
    """The outcome a phrase states ("the user can only accept an invitation"), or None."""
    text = _ASIDE.sub("", text.strip(" ,.;")).strip(" ,.;")
    return next((outcome for pattern, outcome in OUTCOMES if pattern.fullmatch(text)), None)


def read_join(intro: list[str], terms: Terms) -> JoinReading:
    """The ``x-join`` of a page whose introduction (Markdown source, one block per item) is ``intro``."""
    sentences = [
        sentence for block in intro for paragraph in paragraphs(block) for sentence, _ in pairs(paragraph)
    ]
    if not sentences or not _JOIN_PAGE.match(sentences[0]):
        return JoinReading(None)
    rules: list[JoinRule] = []
    unparsed: list[str] = []
    for sentence in sentences[1:]:
        text = _ASIDE.sub("", sentence.rstrip(" .!;")).rstrip(" ,.;")
        rule = _rule(text, terms)
        if rule is not None:
            rules.append(rule)
        elif re.search(r"\bif\b", text) and _ABOUT_JOINING.search(text):
            unparsed.append(normalise(sentence))
    return JoinReading(Joining(JOIN, tuple(rules)), tuple(unparsed))


def _rule(text: str, terms: Terms) -> JoinRule | None:
    """ "<outcome> if <condition>" or "If <condition> (then) <outcome>"; None when it is neither."""
    if LEADING_CONDITION.match(text):
        split = leading_condition(text, terms, lambda rest: outcome_of(rest) is not None)
        if split is None:
            return None
        outcome = outcome_of(split[1])
        return JoinRule(split[0], outcome) if outcome is not None and split[0].resource else None
    head, found, condition = text.rpartition(" if ")
    if not found:
        return None
    outcome, parsed = outcome_of(head), read_condition(condition, terms)
    if outcome is None or parsed is None or not parsed[0].resource:
        return None
    return JoinRule(parsed[0], outcome)
