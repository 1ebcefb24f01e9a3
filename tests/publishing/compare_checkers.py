"""Run ``publishing diff`` and Optic's ``optic diff --check`` on the same spec pairs.

    python -m tests.publishing.compare_checkers --optic PATH/TO/optic [--spec openapi/v2.yaml]

Prints a Markdown table (one row per case of ``tests/publishing/mutations.py``): which rules of
each checker fired and whether each called the change breaking. Used to write
docs/breaking-changes.md; Optic is installed with ``npm install --prefix DIR @useoptic/optic``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from publishing.diff import compare
from tests.publishing.conftest import SPEC_PATH, write_spec
from tests.publishing.mutations import CASES, Case

OPTIC_FAILURE = re.compile(r"^\s*x \[([^\]]+)\]", re.MULTILINE)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class CaseComparison:
    """What each checker said about one case: the rules that fired and whether it called it breaking."""

    case: Case
    ours: list[str]
    ours_breaking: bool
    optic: list[str]
    optic_breaking: bool


def run_optic(optic: str, old: Path, new: Path) -> tuple[bool, list[str]]:
    """(breaking?, names of the failed checks) from ``optic diff OLD NEW --check``."""
    env = {**os.environ, "OPTIC_TELEMETRY_LEVEL": "off", "NO_COLOR": "1", "FORCE_COLOR": "0"}
    result = subprocess.run(
        [optic, "diff", str(old), str(new), "--check"],
        cwd=old.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    output = ANSI.sub("", result.stdout + result.stderr)
    if result.returncode not in (0, 1) or "invalid openapi" in output:
        raise RuntimeError(f"optic failed ({result.returncode}):\n{output[-2000:]}")
    return result.returncode == 1, sorted(set(OPTIC_FAILURE.findall(output)))


def comparisons(optic: str, spec_path: Path) -> list[CaseComparison]:
    base = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            old, new = case.pair(base)
            changes = compare(old, new)
            old_path = write_spec(Path(tmp) / "old.yaml", old)
            new_path = write_spec(Path(tmp) / "new.yaml", new)
            optic_breaking, optic_rules = run_optic(optic, old_path, new_path)
            results.append(
                CaseComparison(
                    case,
                    sorted({c.rule for c in changes}),
                    any(c.breaking for c in changes),
                    optic_rules,
                    optic_breaking,
                )
            )
    return results


def verdict(breaking: bool) -> str:
    return "**breaking**" if breaking else "ok"


def table(results: list[CaseComparison]) -> str:
    lines = [
        "| Change | Expected | publishing diff | Optic | Agree |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        ours = f"{verdict(r.ours_breaking)} ({', '.join(r.ours) or 'nothing'})"
        theirs = f"{verdict(r.optic_breaking)} ({'; '.join(r.optic) or 'no check failed'})"
        agree = "yes" if r.ours_breaking == r.optic_breaking else "**no**"
        lines.append(f"| {r.case.name} | {verdict(r.case.breaking)} | {ours} | {theirs} | {agree} |")
    agreeing = sum(r.ours_breaking == r.optic_breaking for r in results)
    lines += ["", f"Verdicts agree on {agreeing} of {len(results)} pairs."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--optic", required=True, help="path of the optic executable")
    parser.add_argument("--spec", type=Path, default=SPEC_PATH)
    args = parser.parse_args()
    print(table(comparisons(args.optic, args.spec)))


if __name__ == "__main__":
    main()
