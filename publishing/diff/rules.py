"""The breaking-change rules: each a small named function, registered here with its id.

A rule yields ``(location, message)`` pairs; the message says what happens to a client
written against the old document. Three scopes: ``spec`` rules see both operation maps,
``operation`` rules see one operation in both versions, ``field`` rules see one place
where a schema meets a client (a parameter, a request body, a response body).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openapi.access import AccessClause, AccessRule, strength
from publishing.callers import condition_key, condition_phrase, resource_of, stricter_than
from publishing.diff.model import ComparedField, ComparedOperation, Direction

Finding = tuple[str, str]
Scope = Literal["spec", "operation", "field"]
Operations = Mapping[tuple[str, str], ComparedOperation]


@dataclass(frozen=True)
class Site:
    """One place where a schema meets a client, in both versions."""

    direction: Direction
    where: str
    old: Mapping[str, ComparedField]
    new: Mapping[str, ComparedField]

    def at(self, path: str) -> str:
        """``response 200 results[].id (User.id)``: the place, and the component it comes from."""
        node = self.new.get(path) or self.old.get(path)
        origin = f" ({node.origin})" if node is not None and node.origin and node.origin != path else ""
        return (f"{self.where} {path}" if path else self.where) + origin

    def common(self) -> Iterator[tuple[str, ComparedField, ComparedField]]:
        for path, old in self.old.items():
            if path in self.new:
                yield path, old, self.new[path]


@dataclass(frozen=True)
class ChangeRule:
    id: str
    breaking: bool
    scope: Scope
    check: Callable[..., Iterator[Finding]]

    @property
    def summary(self) -> str:
        return (self.check.__doc__ or "").strip().splitlines()[0]


RULES: dict[str, ChangeRule] = {}


def rule(rule_id: str, *, breaking: bool, scope: Scope) -> Callable[[Callable[..., Iterator[Any]]], Any]:
    def register(check: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = ChangeRule(rule_id, breaking, scope, check)
        return check

    return register


# --- helpers ---------------------------------------------------------------------------------


def parent(path: str) -> str | None:
    """``a.b`` → ``a``, ``a[]`` → ``a``, ``a`` → ``""``, ``""`` → None."""
    if not path:
        return None
    cut = max(path.rfind("."), path.rfind("["), path.rfind("<"))
    return path[:cut] if cut > 0 else ""


def is_property(path: str) -> bool:
    """A named property (not the body itself, array items or a variant)."""
    return bool(path) and not path.endswith("]") and not path.endswith(">") and not path.endswith("*")


def removed(site: Site) -> list[str]:
    """Paths gone from the new version whose parent is still there: the topmost removals only."""
    return [p for p in site.old if p not in site.new and is_property(p) and parent(p) in site.new]


def added(site: Site) -> list[str]:
    return [p for p in site.new if p not in site.old and is_property(p) and parent(p) in site.old]


def renames(site: Site) -> dict[str, str]:
    """Old path → new path where a parent lost exactly one property and gained one of the same type."""
    pairs: dict[str, str] = {}
    gone, new = removed(site), added(site)
    for path in gone:
        siblings_gone = [p for p in gone if parent(p) == parent(path)]
        siblings_new = [p for p in new if parent(p) == parent(path)]
        if len(siblings_gone) == 1 and len(siblings_new) == 1:
            candidate = siblings_new[0]
            if site.old[path].types == site.new[candidate].types:
                pairs[path] = candidate
    return pairs


def accepts(types: frozenset[str], value_type: str) -> bool:
    return not types or value_type in types or (value_type == "integer" and "number" in types)


def compare_types(old: frozenset[str], new: frozenset[str]) -> str:
    """``same``, ``wider`` (new admits every old value and more), ``narrower`` or ``other``."""
    if old == new:
        return "same"
    if all(accepts(new, t) for t in old) and (old or not new):
        return "wider"
    if all(accepts(old, t) for t in new) and (new or not old):
        return "narrower"
    return "other"


def show(types: frozenset[str], fmt: str | None = None) -> str:
    text = "|".join(sorted(types)) or "any"
    return f"{text}({fmt})" if fmt else text


def loosens(name: str, old: Any, new: Any) -> bool:
    """Whether changing constraint ``name`` from ``old`` to ``new`` admits more values."""
    if new is None:
        return True
    if old is None:
        return False
    if name in ("minimum", "exclusiveMinimum", "minLength", "minItems"):
        return bool(new < old)
    if name in ("maximum", "exclusiveMaximum", "maxLength", "maxItems"):
        return bool(new > old)
    if name == "uniqueItems":
        return not new and bool(old)
    return False


def constraint_changes(old: ComparedField, new: ComparedField) -> Iterator[tuple[str, Any, Any, bool]]:
    """``(name, old value, new value, loosened)`` for every constraint that changed."""
    old_c, new_c = dict(old.constraints), dict(new.constraints)
    for name in sorted(set(old_c) | set(new_c)):
        before, after = old_c.get(name), new_c.get(name)
        if before != after:
            yield name, before, after, loosens(name, before, after)


# --- spec scope --------------------------------------------------------------------------------


@rule("operation-removed", breaking=True, scope="spec")
def operation_removed(old: Operations, new: Operations) -> Iterator[Finding]:
    """An operation is gone: clients calling it get 404 or 405."""
    for key, operation in old.items():
        if key not in new:
            yield operation.label, f"{operation.label} was removed: clients calling it will fail."


@rule("operation-added", breaking=False, scope="spec")
def operation_added(old: Operations, new: Operations) -> Iterator[Finding]:
    """A new operation: existing clients are unaffected."""
    for key, operation in new.items():
        if key not in old:
            yield operation.label, f"{operation.label} was added."


# --- operation scope ---------------------------------------------------------------------------


@rule("authentication-added", breaking=True, scope="operation")
def authentication_added(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """The operation now needs (more) authentication: anonymous clients get 401."""
    if strength(new.authentication) > strength(old.authentication):
        yield (
            "security",
            (
                f"authentication went from {old.authentication} to {new.authentication}: "
                "clients calling without a token will get 401."
            ),
        )


@rule("authentication-relaxed", breaking=False, scope="operation")
def authentication_relaxed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """The operation needs less authentication than before."""
    if strength(new.authentication) < strength(old.authentication):
        yield "security", f"authentication went from {old.authentication} to {new.authentication}."


@rule("security-scheme-changed", breaking=True, scope="operation")
def security_scheme_changed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """Old credentials no longer satisfy any security requirement of the operation."""
    if old.authentication != new.authentication:
        return
    for requirement in old.security:
        if not any(option <= requirement for option in new.security) and new.security:
            schemes = ", ".join(sorted(requirement)) or "no credentials"
            yield "security", f"calling with {schemes} is no longer accepted: clients will get 401."


def _roles(roles: frozenset[str]) -> str:
    return " or ".join(sorted(roles))


@rule("roles-added", breaking=True, scope="operation")
def roles_added(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A role is now needed, or fewer roles are accepted (x-access): callers without one get 403."""
    if new.roles and not old.roles:
        yield "x-access.roles", f"role {_roles(new.roles)} is now required: callers without it will get 403."
    elif new.roles and not old.roles <= new.roles:
        lost = _roles(old.roles - new.roles)
        yield (
            "x-access.roles",
            f"the roles accepted went from {_roles(old.roles)} to {_roles(new.roles)}: callers with {lost}"
            " only will get 403.",
        )


@rule("roles-removed", breaking=False, scope="operation")
def roles_removed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A role is no longer needed, or more roles are accepted: more callers may use the operation."""
    if old.roles and not new.roles:
        yield "x-access.roles", f"role {_roles(old.roles)} is no longer required."
    elif old.roles and old.roles < new.roles:
        yield "x-access.roles", f"role {_roles(new.roles - old.roles)} is now accepted as well."


def _needs(clause: AccessClause) -> str:
    roles = f", role {_roles(frozenset(clause.roles))}" if clause.roles else ""
    return f"authentication {clause.authentication}{roles}"


def _rules_by_condition(operation: ComparedOperation) -> dict[str, AccessRule]:
    """The operation's rules by their condition, so that one rule is found again in the other version."""
    return {condition_key(rule.when): rule for rule in operation.rules}


@rule("access-rule-stricter", breaking=True, scope="operation")
def access_rule_stricter(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A conditional access rule was added or tightened: some callers now get 401 or 403 in that case."""
    before, resource = _rules_by_condition(old), resource_of(new.path)
    for key, access_rule in _rules_by_condition(new).items():
        condition, clause = condition_phrase(access_rule.when, resource), access_rule.clause
        previous = before[key].clause if key in before else None
        if previous is None and clause.requires_caller:
            message = f"new rule: when {condition}, {_needs(clause)}: other callers get 401 or 403."
            yield "x-access.rules", message
        elif previous is not None and stricter_than(clause, previous):
            yield (
                "x-access.rules",
                f"when {condition}: {_needs(previous)} became {_needs(clause)}:"
                " callers that passed before get 401 or 403.",
            )


@rule("access-rule-relaxed", breaking=False, scope="operation")
def access_rule_relaxed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A conditional access rule was removed or loosened: more callers may use the operation."""
    after, resource = _rules_by_condition(new), resource_of(old.path)
    for key, access_rule in _rules_by_condition(old).items():
        condition, clause = condition_phrase(access_rule.when, resource), access_rule.clause
        now = after[key].clause if key in after else None
        if now is None and clause.requires_caller:
            yield "x-access.rules", f"the rule when {condition} ({_needs(clause)}) was removed."
        elif now is not None and stricter_than(clause, now) and not stricter_than(now, clause):
            yield "x-access.rules", f"when {condition}: {_needs(clause)} became {_needs(now)}."


@rule("options-added", breaking=True, scope="operation")
def options_added(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """The operation now needs community options: in other communities it is gone."""
    extra = sorted(new.options - old.options, key=str)
    if extra:
        settings = ", ".join(f"{name} = {value!r}" for name, value in extra)
        yield "x-access.options", f"the operation now exists only while the community options are {settings}."


@rule("operation-deprecated", breaking=False, scope="operation")
def operation_deprecated(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """The operation is now deprecated: still works, plan to move away."""
    if new.deprecated and not old.deprecated:
        yield "deprecated", "the operation is now deprecated."


def _parameter_pairs(
    old: ComparedOperation, new: ComparedOperation
) -> tuple[dict[tuple[str, str], tuple[str, str]], dict[tuple[str, str], tuple[str, str]]]:
    """Renamed (same location) and moved (same name) parameters, old key → new key."""
    gone = [k for k in old.parameters if k not in new.parameters]
    fresh = [k for k in new.parameters if k not in old.parameters]
    moved = {g: f for g in gone for f in fresh if g[1] == f[1]}
    renamed: dict[tuple[str, str], tuple[str, str]] = {}
    for location in {k[0] for k in gone}:
        left = [g for g in gone if g[0] == location and g not in moved]
        right = [f for f in fresh if f[0] == location and f not in moved.values()]
        if len(left) == 1 and len(right) == 1:
            renamed[left[0]] = right[0]
    return renamed, moved


def _parameter_label(operation: ComparedOperation, key: tuple[str, str]) -> str:
    parameter = operation.parameters[key]
    return f"{parameter.location} parameter {parameter.name}"


@rule("parameter-removed", breaking=True, scope="operation")
def parameter_removed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A parameter is gone: clients sending it may be rejected or silently ignored."""
    renamed, moved = _parameter_pairs(old, new)
    for key in old.parameters:
        if key not in new.parameters and key not in renamed and key not in moved:
            yield (
                _parameter_label(old, key),
                (
                    f"{_parameter_label(old, key)} was removed: clients sending it will be rejected "
                    "or have it ignored."
                ),
            )


@rule("parameter-renamed", breaking=True, scope="operation")
def parameter_renamed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A parameter got another name: clients send the old one, which is no longer read."""
    renamed, _ = _parameter_pairs(old, new)
    for before, after in renamed.items():
        if before[0] == "path":
            continue
        yield (
            _parameter_label(old, before),
            (
                f"{_parameter_label(old, before)} was renamed to {new.parameters[after].name}: "
                "clients still send the old name."
            ),
        )


@rule("parameter-moved", breaking=True, scope="operation")
def parameter_moved(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A parameter moved to another location (e.g. query → header)."""
    _, moved = _parameter_pairs(old, new)
    for before, after in moved.items():
        yield (
            _parameter_label(old, before),
            (f"{_parameter_label(old, before)} moved to {after[0]}: clients still send it in {before[0]}."),
        )


@rule("parameter-added-required", breaking=True, scope="operation")
def parameter_added_required(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A new required parameter: existing clients do not send it and get 400."""
    renamed, moved = _parameter_pairs(old, new)
    paired = set(renamed.values()) | set(moved.values())
    for key, parameter in new.parameters.items():
        if key not in old.parameters and key not in paired and parameter.required:
            yield (
                _parameter_label(new, key),
                (f"required {_parameter_label(new, key)} was added: existing clients do not send it."),
            )


@rule("parameter-added-optional", breaking=False, scope="operation")
def parameter_added_optional(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A new optional parameter."""
    renamed, moved = _parameter_pairs(old, new)
    paired = set(renamed.values()) | set(moved.values())
    for key, parameter in new.parameters.items():
        if key not in old.parameters and key not in paired and not parameter.required:
            yield _parameter_label(new, key), f"optional {_parameter_label(new, key)} was added."


@rule("parameter-became-required", breaking=True, scope="operation")
def parameter_became_required(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """An optional parameter is now required: clients that omit it get 400."""
    for key, parameter in new.parameters.items():
        if key in old.parameters and parameter.required and not old.parameters[key].required:
            yield (
                _parameter_label(new, key),
                (f"{_parameter_label(new, key)} is now required: clients that omit it will get 400."),
            )


@rule("parameter-became-optional", breaking=False, scope="operation")
def parameter_became_optional(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A required parameter is now optional."""
    for key, parameter in new.parameters.items():
        if key in old.parameters and not parameter.required and old.parameters[key].required:
            yield _parameter_label(new, key), f"{_parameter_label(new, key)} is now optional."


@rule("request-body-became-required", breaking=True, scope="operation")
def request_body_became_required(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A request body is now required: clients that send none get 400."""
    if new.request_required and not old.request_required:
        yield "request body", "a request body is now required: clients that send none will get 400."


@rule("request-body-became-optional", breaking=False, scope="operation")
def request_body_became_optional(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A required request body is now optional."""
    if old.request_required and new.request_body and not new.request_required:
        yield "request body", "the request body is now optional."


@rule("request-body-removed", breaking=True, scope="operation")
def request_body_removed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """The operation no longer takes a body: what clients send is ignored or rejected."""
    if old.request_body and not new.request_body:
        yield "request body", "the request body was removed: what clients send will be ignored or rejected."


@rule("request-media-type-removed", breaking=True, scope="operation")
def request_media_type_removed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A request media type is no longer accepted: clients sending it get 415."""
    if not new.request_body:
        return
    for media in sorted(old.request_media_types - new.request_media_types):
        yield (
            f"request body {media}",
            (f"request media type {media} is no longer accepted: clients sending it will get 415."),
        )


@rule("request-media-type-added", breaking=False, scope="operation")
def request_media_type_added(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A request media type is newly accepted."""
    for media in sorted(new.request_media_types - old.request_media_types):
        yield f"request body {media}", f"request media type {media} is now accepted."


def _success(statuses: Mapping[str, Any]) -> set[str]:
    return {s for s in statuses if s.startswith("2")}


@rule("success-status-changed", breaking=True, scope="operation")
def success_status_changed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """The success status changed (e.g. 204 → 200): clients checking the status see failure."""
    before, after = _success(old.responses), _success(new.responses)
    gone, fresh = sorted(before - after), sorted(after - before)
    if gone and fresh:
        yield (
            "responses",
            (
                f"success status changed from {', '.join(gone)} to {', '.join(fresh)}: "
                "clients checking for the old status will treat success as failure."
            ),
        )


@rule("response-status-removed", breaking=True, scope="operation")
def response_status_removed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A documented response status is gone: clients handling it meet undocumented answers."""
    changed_success = bool(_success(new.responses) - _success(old.responses))
    for status in old.responses:
        if status in new.responses or (changed_success and status.startswith("2")):
            continue
        yield (
            f"response {status}",
            (
                f"response {status} is no longer documented: clients handling it will meet answers "
                "they were not written for."
            ),
        )


@rule("response-status-added", breaking=False, scope="operation")
def response_status_added(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A new response status is documented."""
    changed_success = bool(_success(old.responses) - _success(new.responses))
    for status in new.responses:
        if status not in old.responses and not (changed_success and status.startswith("2")):
            yield f"response {status}", f"response {status} was added."


@rule("response-media-type-removed", breaking=True, scope="operation")
def response_media_type_removed(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A response media type is gone: clients asking for it (Accept) get 406 or something else."""
    for status, response in old.responses.items():
        if status in new.responses:
            for media in sorted(response.media_types - new.responses[status].media_types):
                yield (
                    f"response {status} {media}",
                    (f"response {status} no longer comes as {media}: clients parsing it will fail."),
                )


@rule("response-media-type-added", breaking=False, scope="operation")
def response_media_type_added(old: ComparedOperation, new: ComparedOperation) -> Iterator[Finding]:
    """A response is offered in a new media type."""
    for status, response in new.responses.items():
        if status in old.responses:
            for media in sorted(response.media_types - old.responses[status].media_types):
                yield f"response {status} {media}", f"response {status} may now come as {media}."


# --- field scope -------------------------------------------------------------------------------


@rule("property-removed", breaking=True, scope="field")
def property_removed(site: Site) -> Iterator[Finding]:
    """A property is gone from a body: readers of it (or senders of it) break."""
    renamed = renames(site)
    for path in removed(site):
        if path in renamed:
            continue
        if site.direction == "response":
            consequence = "clients reading it will find nothing"
        else:
            consequence = "clients sending it will be rejected or have it ignored"
        yield site.at(path), f"{site.at(path)} was removed: {consequence}."


@rule("property-renamed", breaking=True, scope="field")
def property_renamed(site: Site) -> Iterator[Finding]:
    """A property got another name: clients use the old one."""
    for before, after in renames(site).items():
        yield site.at(before), f"{site.at(before)} was renamed to {after}: clients still use the old name."


@rule("request-property-added-required", breaking=True, scope="field")
def request_property_added_required(site: Site) -> Iterator[Finding]:
    """A new required request property: existing clients do not send it and get 400."""
    if site.direction != "request":
        return
    renamed = set(renames(site).values())
    for path in added(site):
        if site.new[path].required and path not in renamed:
            yield (
                site.at(path),
                (f"required {site.at(path)} was added: existing clients do not send it and will get 400."),
            )


@rule("property-added", breaking=False, scope="field")
def property_added(site: Site) -> Iterator[Finding]:
    """A new optional request property, or a new response property."""
    renamed = set(renames(site).values())
    for path in added(site):
        if path in renamed or (site.direction == "request" and site.new[path].required):
            continue
        yield site.at(path), f"{site.at(path)} was added."


@rule("request-property-became-required", breaking=True, scope="field")
def request_property_became_required(site: Site) -> Iterator[Finding]:
    """An optional request property is now required: clients that omit it get 400."""
    if site.direction != "request":
        return
    for path, old, new in site.common():
        if path and new.required and not old.required:
            yield site.at(path), f"{site.at(path)} is now required: clients that omit it will get 400."


@rule("response-property-became-optional", breaking=True, scope="field")
def response_property_became_optional(site: Site) -> Iterator[Finding]:
    """A response property may now be absent: clients relying on it break."""
    if site.direction != "response":
        return
    for path, old, new in site.common():
        if path and old.required and not new.required:
            yield site.at(path), f"{site.at(path)} may now be absent: clients relying on it will break."


@rule("required-relaxed", breaking=False, scope="field")
def required_relaxed(site: Site) -> Iterator[Finding]:
    """A request property became optional, or a response property is now always present."""
    for path, old, new in site.common():
        if not path or old.required == new.required:
            continue
        if site.direction == "request" and not new.required:
            yield site.at(path), f"{site.at(path)} is now optional."
        if site.direction == "response" and new.required:
            yield site.at(path), f"{site.at(path)} is now always present."


def _type_changes(site: Site, verdict: str) -> Iterator[tuple[str, ComparedField, ComparedField]]:
    for path, old, new in site.common():
        if compare_types(old.types, new.types) == verdict:
            yield path, old, new


@rule("request-type-narrowed", breaking=True, scope="field")
def request_type_narrowed(site: Site) -> Iterator[Finding]:
    """A request value admits fewer types (e.g. number → integer, nullable dropped)."""
    if site.direction == "request":
        for path, old, new in _type_changes(site, "narrower"):
            yield (
                site.at(path),
                (
                    f"{site.at(path)} type narrowed from {show(old.types)} to {show(new.types)}: "
                    "clients sending the old values will get 400."
                ),
            )


@rule("response-type-widened", breaking=True, scope="field")
def response_type_widened(site: Site) -> Iterator[Finding]:
    """A response value may have more types (e.g. now nullable): clients parsing it break."""
    if site.direction == "response":
        for path, old, new in _type_changes(site, "wider"):
            yield (
                site.at(path),
                (
                    f"{site.at(path)} type widened from {show(old.types)} to {show(new.types)}: "
                    "clients parsing the old type will meet values they cannot handle."
                ),
            )


@rule("type-changed", breaking=True, scope="field")
def type_changed(site: Site) -> Iterator[Finding]:
    """A value changed to an unrelated type (e.g. integer → string)."""
    for path, old, new in _type_changes(site, "other"):
        yield (
            site.at(path),
            (
                f"{site.at(path)} type changed from {show(old.types)} to {show(new.types)}: "
                "clients written for the old type will break."
            ),
        )


@rule("type-compatible-change", breaking=False, scope="field")
def type_compatible_change(site: Site) -> Iterator[Finding]:
    """A request value admits more types, or a response value fewer."""
    verdict = "wider" if site.direction == "request" else "narrower"
    for path, old, new in _type_changes(site, verdict):
        yield site.at(path), f"{site.at(path)} type changed from {show(old.types)} to {show(new.types)}."


@rule("format-changed", breaking=True, scope="field")
def format_changed(site: Site) -> Iterator[Finding]:
    """A value's format changed, or a request value gained one (e.g. string → string(uri))."""
    for path, old, new in site.common():
        if old.format == new.format or new.format is None:
            continue
        if old.format is not None or site.direction == "request":
            yield (
                site.at(path),
                (
                    f"{site.at(path)} format changed from {old.format or 'none'} to {new.format}: "
                    "values valid before may now be rejected or parsed differently."
                ),
            )


@rule("format-relaxed", breaking=False, scope="field")
def format_relaxed(site: Site) -> Iterator[Finding]:
    """A format was dropped, or a response value gained one."""
    for path, old, new in site.common():
        if old.format == new.format:
            continue
        if new.format is None or (old.format is None and site.direction == "response"):
            yield site.at(path), f"{site.at(path)} format changed from {old.format} to {new.format}."


@rule("request-enum-narrowed", breaking=True, scope="field")
def request_enum_narrowed(site: Site) -> Iterator[Finding]:
    """A request value admits fewer enum values: clients sending them get 400."""
    if site.direction != "request":
        return
    for path, old, new in site.common():
        if new.enum is None:
            continue
        if old.enum is None:
            yield (
                site.at(path),
                (
                    f"{site.at(path)} is now limited to {sorted(map(str, new.enum))}: "
                    "clients sending other values will get 400."
                ),
            )
        elif old.enum - new.enum:
            gone = sorted(map(str, old.enum - new.enum))
            yield (
                site.at(path),
                (f"{site.at(path)} no longer accepts {gone}: clients sending them will get 400."),
            )


@rule("response-enum-widened", breaking=True, scope="field")
def response_enum_widened(site: Site) -> Iterator[Finding]:
    """A response value may take new enum values: clients matching on the old set break."""
    if site.direction != "response":
        return
    for path, old, new in site.common():
        if old.enum is None:
            continue
        if new.enum is None:
            yield (
                site.at(path),
                (f"{site.at(path)} is no longer limited to an enum: clients matching on it break."),
            )
        elif new.enum - old.enum:
            fresh = sorted(map(str, new.enum - old.enum))
            yield (
                site.at(path),
                (
                    f"{site.at(path)} may now be {fresh}: "
                    "clients matching on the old values will not handle them."
                ),
            )


@rule("enum-compatible-change", breaking=False, scope="field")
def enum_compatible_change(site: Site) -> Iterator[Finding]:
    """A request value admits more enum values, or a response value fewer."""
    for path, old, new in site.common():
        if old.enum == new.enum:
            continue
        wider = old.enum is not None and (new.enum is None or new.enum > old.enum)
        narrower = new.enum is not None and (old.enum is None or new.enum < old.enum)
        if site.direction == "request" and wider:
            yield site.at(path), f"{site.at(path)} accepts more values."
        if site.direction == "response" and narrower:
            yield site.at(path), f"{site.at(path)} takes fewer values."


@rule("request-constraint-tightened", breaking=True, scope="field")
def request_constraint_tightened(site: Site) -> Iterator[Finding]:
    """A request value must meet a stricter constraint (maxLength lowered, pattern added, …)."""
    if site.direction != "request":
        return
    for path, old, new in site.common():
        for name, before, after, loosened in constraint_changes(old, new):
            if not loosened:
                yield (
                    site.at(path),
                    (
                        f"{site.at(path)} {name} changed from {before} to {after}: "
                        "values clients sent before may now be rejected with 400."
                    ),
                )


@rule("response-constraint-relaxed", breaking=True, scope="field")
def response_constraint_relaxed(site: Site) -> Iterator[Finding]:
    """A response value may exceed a former limit (maxLength raised, …): clients sized for it break."""
    if site.direction != "response":
        return
    for path, old, new in site.common():
        for name, before, after, loosened in constraint_changes(old, new):
            if loosened:
                yield (
                    site.at(path),
                    (
                        f"{site.at(path)} {name} changed from {before} to {after}: "
                        "clients validating or sizing for the old limit may fail."
                    ),
                )


@rule("constraint-compatible-change", breaking=False, scope="field")
def constraint_compatible_change(site: Site) -> Iterator[Finding]:
    """A request constraint was relaxed, or a response constraint tightened."""
    for path, old, new in site.common():
        for name, before, after, loosened in constraint_changes(old, new):
            if loosened == (site.direction == "request"):
                yield site.at(path), f"{site.at(path)} {name} changed from {before} to {after}."
