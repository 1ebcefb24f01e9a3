"""Conformance suite for the SelfCommunity v2 membership lifecycle.

Points at any server (never imports one) and gives a verdict per requirement of the catalog, driven by
the packaged openapi/v2.yaml: `CONFORMANCE_TOKENS="T1 T2 T3" python -m conformance run --base-url URL`.

Every fact (the document, x-access, the membership families, the catalog) comes from the contract core,
`openapi`; what stays here is the suite's judgement. Layout: expectations (what a caller may expect from
x-access) → target (users, fresh resources) → checks/ (one module per group, one registered function
per requirement) → runner (plan and verdicts) → reports/ (console, JUnit, JSON, HTML, Markdown). Every
request leaves through client.py, which keeps to the rate limit (pacing.py) and records each exchange with
the users' tokens masked (credentials.py).
"""
