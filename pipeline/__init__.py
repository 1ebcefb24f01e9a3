"""pipeline: the contract checks a CI pipeline runs, in one command (`python -m pipeline`, `tox -e contract`).

In order, each step a process of its own with this interpreter:

1. the spec is fresh (`python -m specgen check`);
2. the docs lint clean (`python -m specgen lint`);
3. no breaking change against a base spec (`python -m publishing diff BASE openapi/v2.yaml`): `--base
   FILE`, else `openapi/v2.yaml` at the previous git tag; skipped with a message when there is none;
4. the quick conformance profile against a freshly started reference server
   (`python -m conformance demo --profile quick`; `--skip-conformance` leaves it out).

The exit status is 1 when any step failed. The runner imports none of the packages it runs: it works on
a checkout (the pages, the committed spec, the git tags), so it is not shipped in the wheel.
"""
