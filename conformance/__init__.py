"""Conformance suite for the SelfCommunity v2 event invitations.

Points at any server (never imports one) and gives a verdict per requirement of `catalog.yaml`,
driven by the packaged openapi/v2.yaml: `python -m conformance run --base-url URL --token T1 …`.

Layout: catalog (requirements) → target (users, fresh events) → checks/ (one module per group,
one registered function per requirement) → runner (verdicts) → reports/ (console, JUnit, JSON, HTML).
"""
