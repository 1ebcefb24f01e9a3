"""Run every registered rule over two versions of a document."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from publishing.diff.index import index
from publishing.diff.model import Change, ComparedOperation
from publishing.diff.rules import RULES, Site


def sites(old: ComparedOperation, new: ComparedOperation) -> Iterator[Site]:
    """Every place of the operation where a schema meets a client, present in both versions."""
    for key, parameter in old.parameters.items():
        if key in new.parameters:
            where = f"{parameter.location} parameter {new.parameters[key].name}"
            yield Site("request", where, parameter.fields, new.parameters[key].fields)
    if old.request_fields and new.request_fields:
        yield Site("request", "request body", old.request_fields, new.request_fields)
    for status, response in old.responses.items():
        if status in new.responses and response.fields and new.responses[status].fields:
            yield Site("response", f"response {status}", response.fields, new.responses[status].fields)


def compare(old_spec: Mapping[str, Any], new_spec: Mapping[str, Any]) -> list[Change]:
    """Every change from ``old_spec`` to ``new_spec``, breaking ones first, in document order."""
    old_ops, new_ops = index(old_spec), index(new_spec)
    changes: list[Change] = []
    for rule in RULES.values():
        if rule.scope != "spec":
            continue
        for location, message in rule.check(old_ops, new_ops):
            changes.append(Change(rule.id, rule.breaking, location, location, message))
    for key, old in old_ops.items():
        new = new_ops.get(key)
        if new is None:
            continue
        operation_sites = list(sites(old, new))
        for rule in RULES.values():
            if rule.scope == "operation":
                findings = list(rule.check(old, new))
            elif rule.scope == "field":
                findings = [finding for site in operation_sites for finding in rule.check(site)]
            else:
                continue
            for location, message in findings:
                changes.append(Change(rule.id, rule.breaking, new.label, location, message))
    return sorted(changes, key=lambda change: not change.breaking)
