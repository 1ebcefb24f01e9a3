"""Every verdict the suite gives on every toy and on the reference server, as one JSON file to compare.

A refactor of the suite, the toy or the server must leave its verdicts as they were. This runs the
suite's CLI (``python -m conformance run``, the public interface) on seed 1 against the correct toy, each
variant, each fault and the reference server on a fresh SQLite file, and writes, for each of them, the exit
code and the verdict of every requirement instance. Run it before and after a change and compare::

    python -m tests.selftest.verdict_map --out before.json
    python -m tests.selftest.verdict_map --out after.json --compare before.json

It takes a quarter of an hour on two cores (``--jobs``); it is a tool for the person changing the code,
not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from testkit.processes import REPO_ROOT, ServerProcess, free_port, python_module

TOY_TOKENS = ("toy-token-1", "toy-token-2", "toy-token-3", "toy-token-4")
SEED = "1"


def toy_cases() -> list[tuple[str, ...]]:
    """The toy's options for every case: the correct toy, each variant, each fault."""
    from tests.selftest.toy.faults import FAULTS
    from tests.selftest.toy.variants import VARIANTS

    return [(), *(("--variant", name) for name in VARIANTS), *(("--fault", name) for name in FAULTS)]


def suite(base_url: str, tokens: tuple[str, ...], extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """One quick-profile run of every family on seed 1: exit code, verdict per instance, readings."""
    with tempfile.TemporaryDirectory(prefix="verdicts-") as folder:
        report = Path(folder) / "report.json"
        argv = [*python_module("conformance", "run"), "--base-url", base_url, "--seed", SEED]
        argv += [part for token in tokens for part in ("--token", token)]
        completed = subprocess.run(
            [*argv, "--json", str(report), *extra], cwd=REPO_ROOT, capture_output=True, text=True
        )
        body = json.loads(report.read_text()) if report.exists() else {"requirements": []}
    return {
        "exit": completed.returncode,
        "verdicts": {r["id"]: r["verdict"] for r in body["requirements"]},
        "readings": body.get("readings") or {},
    }


def toy_run(options: tuple[str, ...]) -> dict[str, Any]:
    port = free_port()
    argv = python_module("tests.selftest.toy", "--port", str(port), "--users", str(len(TOY_TOKENS)), *options)
    with ServerProcess(argv, port, ready_path="/api/v2/user/me/"):
        return suite(f"http://127.0.0.1:{port}", TOY_TOKENS)


def reference_run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="verdicts-ref-") as folder:
        database = f"sqlite:///{folder}/ref.sqlite3"
        env = {"CONTRACT_JWT_SECRET": "verdict-map-secret"}
        tokens = []
        for name in ("alice", "bob", "carol", "dave"):
            minted = subprocess.run(
                [*python_module("reference_impl", "token", name, "--database", database)],
                cwd=REPO_ROOT, capture_output=True, text=True, check=True, env={**_environ(), **env},
            )  # fmt: skip
            tokens.append(minted.stdout.strip().splitlines()[-1])
        port = free_port()
        argv = python_module("reference_impl", "serve", "--port", str(port), "--database", database)
        with ServerProcess(argv, port, ready_path="/api/v2/user/me/", env=env, startup_timeout=60):
            return suite(f"http://127.0.0.1:{port}", tuple(tokens))


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="a map written before: print every difference")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    cases: dict[str, Any] = {"reference": reference_run}
    for options in toy_cases():
        cases["toy " + (" ".join(options) or "(correct)")] = options
    names = list(cases)

    def one(name: str) -> tuple[str, dict[str, Any]]:
        target = cases[name]
        result = target() if callable(target) else toy_run(target)
        print(f"{name}: exit {result['exit']}", file=sys.stderr, flush=True)
        return name, result

    with ThreadPoolExecutor(args.jobs) as pool:
        found = dict(pool.map(one, names))
    args.out.write_text(json.dumps(found, indent=1, sort_keys=True))
    if args.compare is None:
        return 0
    before = json.loads(args.compare.read_text())
    differences = 0
    for name in sorted(set(before) | set(found)):
        old, new = before.get(name), found.get(name)
        if old is None or new is None:
            print(f"{name}: only {'after' if old is None else 'before'}")
            differences += 1
            continue
        if old["exit"] != new["exit"]:
            print(f"{name}: exit {old['exit']} → {new['exit']}")
            differences += 1
        for rid in sorted(set(old["verdicts"]) | set(new["verdicts"])):
            was, now = old["verdicts"].get(rid), new["verdicts"].get(rid)
            if was != now:
                print(f"{name}: {rid} {was} → {now}")
                differences += 1
        if old["readings"] != new["readings"]:
            print(f"{name}: readings {old['readings']} → {new['readings']}")
            differences += 1
    print(f"{len(found)} servers compared, {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
