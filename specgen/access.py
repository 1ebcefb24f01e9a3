"""Read the access prose of the `:::info` blocks into `x-access` (docs/access-language.md).

Each sentence is read by its parts, not matched whole:

- a *public object* sentence ("… are a "public object" visible both to not authenticated users …");
- a *community option* the operation needs ("requires the community to be set to friendship mode");
- a *results* sentence, which narrows what is returned or affected rather than who may call ("Return
  only …", "the results will include …", "… to view all the associations", "the thread is deleted only
  for the logged user");
- an *access* sentence: a requirement (authentication wording, relations and roles, any one of which is
  enough) and an optional condition before or after it (`if` / `when` / `only if` / `unless` / `without` /
  `although`: a resource attribute, a request parameter or its value, a community option). Unconditional
  requirements form the default clause; conditional ones become `rules`. A requirement may also state
  the resource ("and that the lesson has `comments_enabled`") and a second role the caller must also
  hold ("… must also have access to the lesson");
- a *refusal* sentence saying what a refused caller gets ("otherwise it will return 404", "If X is false
  then it will return: <an empty page>");
- a *list* introduced by a sentence ending in a colon: per-value cases ("If course `privacy` is:" then
  "- `open`: anyone can …") or the rules the other users follow ("Users with role creator or manager can
  always get a lesson while the other users should follow the rules …" then "**Rules**:" and items).

`<br/>` separates sentences like a blank line. Whatever words of an access sentence are left unexplained
make it *unparsed*: it is returned so the linter can report it instead of the generator guessing, and at
most makes authentication `optional`.

This module reads sentences; `specgen.access_text` cuts the Markdown into them, `specgen.access_phrases`
reads their parts, `specgen.access_lists` the lists, and `specgen.access_reading` adds up what they state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from openapi.access import (
    EMPTY,
    FORBIDDEN,
    HIDDEN,
    NONE,
    OPTIONAL,
    REQUIRED,
    AccessCondition,
    Authentication,
    Refusal,
    named_resources,
)
from openapi.document import resource_path
from specgen.access_lists import read_list
from specgen.access_phrases import (
    LEADING_CONDITION,
    PUBLIC_OBJECT,
    Terms,
    leading_condition,
    negate,
    options_of,
    param_absent,
    read_condition,
    read_requirement,
    states_something,
)
from specgen.access_reading import AccessReading, PageReading
from specgen.access_text import is_list, items, normalise, pairs, paragraphs, sentences, with_answers

__all__ = ["AccessReading", "Terms", "normalise", "read_access", "resource_of", "sentences", "terms_for"]

_CONDITION = re.compile(r"\b(only if|if|when|unless|without|although)\b")
_CALLER_AUTHENTICATED = re.compile(
    r"(?:the request is made by an authenticated user|the user is (?:authenticated|logged(?: in)?))\b.*"
)
_RELEVANT_VERB = re.compile(
    r"\b(?:requires?|required|must|only|accessible|allowed|unauthenticated|not authenticated"
    r"|anonymous(?:ly)?|needs?)\b"
)
_RELEVANT_WHO = re.compile(
    r"authenticat|jwt|\busers?\b|admin|moderat|staff|manager|creator|owner|sender|\brole|subscribed|member\b"
    r"|going to"
)
_RESULTS_SUBJECT = re.compile(r"\bresults?\b|\breturn(?:s|ed)?\b|\bto view (?:all|only)\b|\bwill show\b")
_RESULTS_SCOPE = re.compile(r"\b(?:only|all|entire|include)\b")
_VIEW_ONLY = re.compile(r"\bto view only\b")
#: "The thread is deleted only for the logged user.": the call's effect, narrowed to the caller.
_EFFECT_ONLY = re.compile(
    r"\b(?:is|are) [a-z]+ed only for the (?:logged(?:-in)?|current|authenticated|requesting) user\b"
)
#: ", otherwise it will return 404": what a caller the sentence's requirement refuses gets.
_OTHERWISE = re.compile(
    r"(?:^|[,;]? )otherwise (?:it )?(?:will )?(?:returns?|answers?|responds?)(?: with)? (?:an? )?(?:http )?"
    r"(?:status )?(403|404)(?: \(?(?:not found|forbidden)\)?)?(?: error)?$"
)
_EMPTY_ANSWER = re.compile(r"(?:then )?it (?:will )?returns?:? an empty (?:page|list)")
#: "The `view` param with values `edit` and `dashboard` needs creator or manager role."
_PARAM_SUBJECT = re.compile(
    r"^(?:the )?([a-z][a-z0-9_]*) param(?:eter)? with (?:the )?values? (.+?) (needs?|requires?) (.+)$"
)
#: "… and you should specify the parameter `type`=`quiz`": the page describes the call with that value.
_PARAM_INSTRUCTION = re.compile(
    r",? and you (?:should|must|have to) (?:specify|pass|set|send) (?:the )?param(?:eter)? ([a-z][a-z0-9_]*)"
    r" ?= ?([a-z0-9_]+)$"
)
#: "… and that the lesson has `comments_enabled`": the state the resource must be in.
_STATE = re.compile(r",? and that the ([a-z]+) has ([a-z][a-z0-9_]*)(?: set to (true|false))?(?=$| \()")
#: "(also creator and managers)": callers who may as well.
_ALSO = re.compile(r" \(also ([^)]*)\)$")
#: Wording that makes a second set of roles a conjunction ("must be", "must also").
_CONJUNCTION = re.compile(r"\b(?:must|also|as well)\b")
#: "Users with role creator or manager can always get a lesson while the other users should follow the
#: rules setup by the managers."
_PRIVILEGED = re.compile(
    r"^(?P<who>.+?) can always (?:get|access|see|view|read) (?:an? |the )?(?P<subject>[a-z]+),? while"
    r" (?:the )?other users (?:should|must) follow the rules\b.*$"
)
#: "The creator of the group cannot unjoin the group but the other managers can."
_CANNOT_LEAVE = re.compile(
    r"^(?:the )?(creator|manager|member|subscriber) of (?:the|this) [a-z]+ (?:cannot|can't|can not)"
    r" (?:unjoin|leave|unsubscribe from)(?: (?:the|this) [a-z]+)?(?:,? but (?:the )?other [a-z]+ can)?$"
)


def resource_of(path: str, folder: str = "") -> str:
    """The page's resource: `/api/v2/event/{id}/subscribe/` -> `event`; else the page's folder."""
    shape = resource_path(path)
    if shape is not None and re.fullmatch(r"[a-z]+", shape[0]):
        return shape[0]
    return folder or "resource"


def terms_for(
    path: str,
    folder: str = "",
    schemas: Mapping[str, Mapping[str, Any]] | None = None,
    params: Iterable[str] = (),
) -> Terms:
    """What a page's words may refer to: the resources its path names, the attributes of each (the
    properties of the component schema named after it, `Course`, or after it within the page's resource,
    `CourseLesson`), and the operation's parameters."""
    resource = resource_of(path, folder)
    named = tuple(named_resources(path))
    attributes: dict[str, frozenset[str]] = {}
    for name in (resource, *named):
        found: set[str] = set()
        for candidate in {_pascal(name), _pascal(f"{resource}_{name}")}:
            properties = (schemas or {}).get(candidate, {}).get("properties") or {}
            found.update(str(key) for key in properties)
        attributes[name] = frozenset(found)
    return Terms(resource, named, attributes, frozenset(params))


def _pascal(stem: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", stem) if part)


def read_access(texts: list[str], resource: str = "event", *, terms: Terms | None = None) -> AccessReading:
    """The access rules stated by the given admonition texts (Markdown source); `terms` says what the
    page's words may refer to (`terms_for`), else only `resource` is known."""
    reading = PageReading(terms or Terms(resource))
    for text in texts:
        _read_text(with_answers(text), reading)
    return reading.reading()


def _read_text(text: str, reading: PageReading) -> None:
    lead: tuple[str, str] | None = None  # (sentence as read, as shown) of a sentence ending in ':'
    for paragraph in paragraphs(text):
        if lead is not None and is_list(paragraph):
            listed = items(paragraph)
            if not read_list(lead, listed, reading):
                _read_sentence(*lead, reading)
                for item in listed:
                    _read_sentence(normalise(item), normalise(item, lower=False), reading)
            lead = None
            continue
        if lead is not None:
            _read_sentence(*lead, reading)
            lead = None
        found = pairs(paragraph)
        for index, (sentence, display) in enumerate(found):
            if index == len(found) - 1 and sentence.endswith(":"):
                lead = (sentence, display)
            else:
                _read_sentence(sentence, display.rstrip(), reading)
    if lead is not None:
        _read_sentence(*lead, reading)


def _read_sentence(sentence: str, display: str, reading: PageReading) -> None:
    if PUBLIC_OBJECT.search(sentence):
        reading.public = True
        reading.default(NONE, [])
        return
    options = options_of(sentence)
    if options:
        reading.options.update(options)
        return
    if (_RESULTS_SUBJECT.search(sentence) and _RESULTS_SCOPE.search(sentence)) or _EFFECT_ONLY.search(
        sentence
    ):
        reading.results.append(display)
        view_only = _VIEW_ONLY.search(sentence)
        if view_only:  # "does not require authentication to view only …": the access part still counts
            _read_access_sentence(sentence[: view_only.start()], reading)
        return
    text = sentence.rstrip(" .!;")
    otherwise = _OTHERWISE.fullmatch(text)
    if otherwise:
        if not reading.refuse_last(HIDDEN if otherwise.group(1) == "404" else FORBIDDEN):
            reading.unparsed.append(sentence)
        return
    if _special(text, reading):
        return
    relevant = _RELEVANT_VERB.search(sentence) and _RELEVANT_WHO.search(sentence)
    if relevant and not _read_access_sentence(sentence, reading):
        reading.unparsed.append(sentence)


def _special(text: str, reading: PageReading) -> bool:
    """Sentences of a shape of their own: who may always do what rules limit, who cannot leave, what a
    call answers when a condition holds. True when the sentence was one of them and read."""
    privileged = _PRIVILEGED.fullmatch(text)
    if privileged:
        _, roles, understood = read_requirement(privileged["who"], reading.resource)
        if not understood or not roles:
            return False
        reading.privileged = roles
        subject = privileged["subject"]
        reading.subject = subject if reading.terms.names(subject) else reading.resource
        if reading.roles:  # they may always: alternatives to what the others need
            reading.default(REQUIRED, roles)
        return True
    leaving = _CANNOT_LEAVE.fullmatch(text)
    if leaving:
        reading.leaving.append(f"{reading.resource}_{leaving.group(1)}")
        return True
    if LEADING_CONDITION.match(text):
        split = leading_condition(text, reading.terms, lambda tail: bool(_EMPTY_ANSWER.fullmatch(tail)))
        if split is not None:
            reading.rule(split[0], NONE, [], nobody=True, refused=EMPTY)
            return True
    return False


def _read_access_sentence(sentence: str, reading: PageReading) -> bool:
    """Record what the sentence states; False when some of it was not understood."""
    text = sentence.rstrip(" .!;")
    refusal: Refusal | None = None
    otherwise = _OTHERWISE.search(text)
    if otherwise:
        refusal, text = (HIDDEN if otherwise.group(1) == "404" else FORBIDDEN), text[: otherwise.start()]
    also: list[str] = []
    found_also = _ALSO.search(text)
    if found_also:
        _, also, understood = read_requirement(found_also.group(1), reading.resource)
        if not understood or not also:
            return False
        text = text[: found_also.start()]
    states: list[AccessCondition] = []
    for state in list(_STATE.finditer(text))[::-1]:
        if not reading.terms.names(state.group(1)):
            return False
        attribute = reading.terms.attribute(state.group(1), state.group(2))
        states.append(AccessCondition(resource=((attribute, (state.group(3) != "false",)),)))
        text = text[: state.start()] + text[state.end() :]
    instruction = _PARAM_INSTRUCTION.search(text)
    case = None
    if instruction:
        case = AccessCondition(param_values=((instruction.group(1), (instruction.group(2),)),))
        text = text[: instruction.start()]
    subject = _PARAM_SUBJECT.fullmatch(text)
    if subject:
        requirement, keyword = subject.group(4), "if"
        condition = f"the {subject.group(1)} param is {subject.group(2)}"
    elif LEADING_CONDITION.match(text):
        split = leading_condition(text, reading.terms, lambda rest: states_something(rest, reading.resource))
        if split is None:
            return False
        return _record(_conditional_split(split, reading), refusal, reading)
    else:
        found = _CONDITION.search(text)
        requirement, keyword, condition = (
            (text[: found.start()], found.group(1), text[found.end() :]) if found else (text, "", "")
        )
    level, roles, understood = read_requirement(requirement, reading.resource)
    roles = [reading.terms.with_object(role) for role in roles]
    roles += [role for role in also if role not in roles]
    if not understood:
        if level is not None:
            reading.guessed = OPTIONAL if keyword else level
        return False
    if not keyword or (keyword == "without" and param_absent(condition)):
        if roles and reading.roles and not set(roles) <= set(reading.roles):
            if len(roles) != 1 or not _CONJUNCTION.search(requirement):
                # Alternatives the caller must ALSO hold one of: a clause's conjuncts are single roles.
                reading.default(level, [])
                return False
            reading.default(level, [])
            reading.all_roles.extend(role for role in roles if role not in reading.all_roles)
        else:
            reading.default(level, roles)
        for required in states:
            reading.rule(negate(required), level or REQUIRED, [], nobody=True)
        reading.last = -1
        if case is not None:
            reading.rule(case, level or REQUIRED, roles)
            reading.last = -1
        return _record(True, refusal, reading)
    if states or case is not None:
        return False
    if _CALLER_AUTHENTICATED.fullmatch(
        condition.strip(" ,")
    ):  # "if the request is made by an authenticated …"
        reading.default(OPTIONAL if level in (None, NONE) else level, roles)
        return _record(True, refusal, reading)
    return _record(_conditional(level, roles, keyword, condition, reading), refusal, reading)


def _record(understood: bool, refusal: Refusal | None, reading: PageReading) -> bool:
    if understood and refusal is not None:
        reading.refuse_last(refusal)
    return understood


def _conditional_split(split: tuple[AccessCondition, str], reading: PageReading) -> bool:
    """ "If `courses_only_staff_enabled` is `true` only staff members can create new courses." """
    when, requirement = split
    level, roles, _ = read_requirement(requirement, reading.resource)
    if level is None and not roles:
        return False
    if level != NONE or roles:
        reading.default(NONE, [])
    reading.rule(when, level or REQUIRED, [reading.terms.with_object(role) for role in roles])
    return True


def _conditional(
    level: Authentication | None, roles: list[str], keyword: str, condition: str, reading: PageReading
) -> bool:
    parsed = read_condition(condition, reading.terms)
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
