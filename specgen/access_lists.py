"""Lists in the access prose: the cases of a per-value lead ("If course `privacy` is:" then "- `open`:
anyone can …") and the rules the other users follow ("**Rules**:" then "1. lesson should be
`published`;"), after a sentence saying who is exempt ("… can always get a lesson while the other users
should follow the rules …").
"""

from __future__ import annotations

import re
from dataclasses import replace

from openapi.access import REQUIRED, AccessCondition
from specgen.access_phrases import (
    LEADING_CONDITION,
    PRIVACY_VALUES,
    leading_condition,
    read_condition,
    read_requirement,
    values_of,
)
from specgen.access_reading import PageReading
from specgen.access_text import normalise

_PER_VALUE_LEAD = re.compile(
    r"^(?:if|when) (?:(?P<pre>.+) and )?(?:the )?(?P<owner>[a-z]+)(?:'s)? (?P<attribute>[a-z][a-z0-9_]*)"
    r" is:$"
)
_RULES_LEAD = re.compile(r"^(?:the )?rules(?: are)?:$")
_SHOULD_BE = re.compile(r"^(?:the )?([a-z]+) (?:should|must) be ([a-z0-9_]+)$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
#: What the others get where an item says who sees everything ("non-members will see the lock screen").
_OTHERS_SEE = re.compile(r"\b(?:non-[a-z]+|others?|other users|the rest) will (?:see|get|receive)\b")


def read_list(lead: tuple[str, str], items: list[str], reading: PageReading) -> bool:
    """Read the items under their lead (as read, as shown); False when the lead introduces neither kind of
    list, so that the lead and the items are sentences of their own."""
    sentence, display = lead
    per_value = _PER_VALUE_LEAD.fullmatch(sentence)
    if per_value and reading.terms.names(per_value["owner"]):
        before = read_condition(per_value["pre"], reading.terms) if per_value["pre"] else None
        if per_value["pre"] and before is None:
            reading.unparsed.append(sentence)
            return True
        attribute = reading.terms.attribute(per_value["owner"], per_value["attribute"])
        for item in items:
            _read_value_item(item, attribute, before[0] if before else AccessCondition(), display, reading)
        return True
    if _RULES_LEAD.fullmatch(sentence):
        for item in items:
            if not _read_rule_item(normalise(item).rstrip(" .;"), reading):
                reading.unparsed.append(normalise(item))
        return True
    return False


def _read_value_item(
    item: str, attribute: str, before: AccessCondition, lead: str, reading: PageReading
) -> None:
    """`- `open` and `private`: anyone can see the users that joined the course;`."""
    text = normalise(item).rstrip(" .;")
    head, colon, statement = text.partition(": ")
    if not colon:
        reading.unparsed.append(normalise(item))
        return
    values = tuple(values_of(head))
    when = replace(before, resource=(*before.resource, (attribute, values)))
    if _OTHERS_SEE.search(statement):  # who sees everything, and what the others see instead
        shown = _LINK.sub(r"\1", normalise(item, lower=False)).rstrip(" ;")
        reading.results.append(f"{lead.rstrip(':').rstrip()} {shown}")
        return
    level, roles, understood = read_requirement(statement, reading.resource)
    if not understood or level is None:
        reading.unparsed.append(normalise(item))
        return
    reading.rule(when, level, roles)


def _read_rule_item(text: str, reading: PageReading) -> bool:
    """An item of the rules the other users follow: "lesson should be `published`", "if the course `type`
    is `scheduled` the current datetime should be greater than or equal to `dripped_at`"."""
    subject = reading.subject or reading.resource
    when, requirement = AccessCondition(), text
    if LEADING_CONDITION.match(text):
        split = leading_condition(
            text, reading.terms, lambda rest: _rule_requirement(rest, subject, reading) is not None
        )
        if split is None:
            return False
        when, requirement = split
    state = _SHOULD_BE.fullmatch(requirement)
    if state and reading.terms.names(state.group(1)):
        value = state.group(2)
        attribute = "privacy" if value in PRIVACY_VALUES else "status"
        required = AccessCondition(resource=((reading.terms.attribute(state.group(1), attribute), (value,)),))
        when = replace(when, negated=required)
        roles: list[str] = []
    else:
        found = _rule_requirement(requirement, subject, reading)
        if found is None:
            return False
        roles = found
    everyone = [*reading.privileged, *(role for role in roles if role not in reading.privileged)]
    reading.rule(when, REQUIRED, everyone, nobody=not everyone)
    return True


def _rule_requirement(text: str, subject: str, reading: PageReading) -> list[str] | None:
    state = _SHOULD_BE.fullmatch(text)
    if state and reading.terms.names(state.group(1)):
        return []
    _, roles, understood = read_requirement(text, subject)
    return roles if understood and roles else None
