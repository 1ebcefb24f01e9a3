"""JUnit XML: one testcase per requirement, so CI dashboards show each requirement's history."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from ..runner import Outcome, RunResult
from .files import write_report


def evidence_text(result: object) -> str:
    exchanges = getattr(result, "exchanges", [])
    blocks = [f"$ {exchange.curl()}\n{exchange.response_summary()}" for exchange in exchanges]
    return "\n\n".join(blocks)


def cleanup_properties(run: RunResult) -> list[tuple[str, str]]:
    """`cleanup` (what was deleted) and one `leftover.<family>.<id>` property per resource left, with why."""
    if run.cleanup is None:
        return []
    return [
        ("cleanup", run.cleanup.describe()),
        *((f"leftover.{left.family}.{left.id}", left.reason) for left in run.cleanup.leftovers),
    ]


def write_junit(run: RunResult, path: Path) -> None:
    """JUnit knows failures, errors and skips: a warned SHOULD is a skip of type `warned`; each of the
    run's outcome counts is a property (`outcome.warned`), the same numbers as every other report."""
    counts = run.counts
    suite = ET.Element(
        "testsuite",
        name="conformance",
        tests=str(len(run.results)),
        failures=str(counts.failed),
        errors=str(counts.errored),
        skipped=str(counts.skipped + counts.warned),
        time=f"{run.duration:.3f}",
        timestamp=run.started.isoformat(),
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("base_url", run.base_url),
        ("profile", run.profile),
        ("seed", str(run.seed)),
        ("requests", str(run.requests)),
        ("throttled", str(run.throttled)),
        ("load", run.load),
        ("secrets_shown", str(run.secrets_shown).lower()),
        *((f"outcome.{outcome}", str(n)) for outcome, n in counts.as_dict().items()),
        *((f"token_variable.{variable}", holder) for variable, holder in run.token_variables.items()),
        ("families", ",".join(run.families)),
        *((f"family_not_checked.{family}", reason) for family, reason in run.not_checked.items()),
        *((f"community_option.{key}", str(value).lower()) for key, value in run.options.items()),
        *((f"reading.{key}", text) for key, text in run.readings.items()),
        *cleanup_properties(run),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    for result in run.results:
        requirement = result.requirement
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"conformance.{requirement.family or 'any'}.{requirement.group}",
            name=f"{requirement.id} [{requirement.level}] {requirement.title}",
            time=f"{result.duration:.3f}",
        )
        outcome = result.outcome
        if outcome.fails_run:  # failure: the requirement does not hold; error: it could not be checked
            tag = "failure" if outcome is Outcome.FAILED else "error"
            element = ET.SubElement(case, tag, message=result.message[:500], type=str(requirement.level))
            element.text = result.message + "\n\n" + evidence_text(result)
        elif outcome is Outcome.WARNED:
            ET.SubElement(case, "skipped", type="warned", message=f"SHOULD not met: {result.message[:480]}")
        elif outcome is Outcome.SKIPPED:
            ET.SubElement(case, "skipped", message=result.message[:500])
        elif outcome is Outcome.OBSERVED:
            ET.SubElement(case, "system-out").text = f"observed: {result.message}"
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    write_report(run, path, ET.tostring(root, encoding="utf-8", xml_declaration=True).decode("utf-8") + "\n")
