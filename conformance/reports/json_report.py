"""The run as JSON: one object per requirement with its verdict, message and evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..cleanup import Cleanup
from ..runner import RunResult, Verdict
from .files import write_report


def to_dict(run: RunResult) -> dict[str, Any]:
    return {
        "base_url": run.base_url,
        "profile": run.profile,
        "seed": run.seed,
        "users": run.users,
        "started": run.started.isoformat(),
        "duration_s": round(run.duration, 3),
        "requests": run.requests,
        "ok": run.ok,
        "exit_code": run.exit_code,
        "outcomes": run.counts.as_dict(),  # runner.OutcomeCounts: the counts every report prints
        "token_variables": dict(run.token_variables),
        "secrets_shown": run.secrets_shown,
        "load": run.load,
        "families": {
            family or "none": {
                "requirements": len(share.results),
                "outcomes": share.counts.as_dict(),
                "duration_s": round(share.duration, 3),
                "requests": share.requests,
            }
            for family, share in run.by_family().items()
        },
        "families_not_checked": dict(run.not_checked),
        "throttled": {"answers": run.throttled, "wait_s": round(run.throttle_wait_s, 3)},
        "community_options": dict(run.options),
        "readings": dict(run.readings),
        "cleanup": cleanup_dict(run.cleanup),
        "requirements": [
            {
                "id": result.requirement.id,
                "requirement": result.requirement.catalog_id,  # the catalog id, the same for every family
                "family": result.requirement.family or None,
                "level": str(result.requirement.level),
                "group": result.requirement.group_title,
                "title": result.requirement.title,
                "rule": result.requirement.rule,
                "sources": list(result.requirement.sources),
                "operations": list(result.requirement.operations),
                "verdict": str(result.verdict),
                "outcome": str(result.outcome),  # what the verdict means for the run: runner.Outcome
                "fails_run": result.blocking,
                "duration_s": round(result.duration, 3),
                "requests": result.requests,
                "message": result.message,
                "evidence": [exchange.to_dict() for exchange in result.exchanges]
                if result.verdict in (Verdict.FAIL, Verdict.SKIPPED, Verdict.ERROR)
                else [],
            }
            for result in run.results
        ],
    }


def cleanup_dict(cleanup: Cleanup | None) -> dict[str, Any] | None:
    """What the end of the run deleted and left (each leftover by family and id, with the reason)."""
    if cleanup is None:
        return None
    return {
        "created": cleanup.created,
        "created_by_family": dict(cleanup.by_family),
        "deleted": cleanup.deleted,
        "deleted_by_run": cleanup.deleted_by_run,
        "kept": cleanup.kept,
        "requests": cleanup.requests,
        "duration_s": round(cleanup.seconds, 3),
        "leftovers": [
            {"family": left.family, "id": left.id, "reason": left.reason} for left in cleanup.leftovers
        ],
    }


def write_json(run: RunResult, path: Path) -> None:
    write_report(run, path, json.dumps(to_dict(run), indent=2, ensure_ascii=False) + "\n")
