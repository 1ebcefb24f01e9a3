"""The suite under pytest: `pytest -p conformance.pytest_plugin --base-url URL --token-file FILE`.

Each catalog requirement becomes one test item per membership family it applies to (`INV-ALL-IDS[group]`;
`--conformance-family` restricts the families). Without `--base-url` the plugin adds nothing, so loading
it never changes a project's own test run. Each item ends as its result's outcome (runner.Outcome), the
same one the CLI counts: a MUST that fails or cannot be checked fails the test; a SHOULD that does not
hold is xfail; a SHOULD or MAY that cannot be checked is skipped; MAY requirements pass and show what
was observed in the summary; the summary's `conformance:` line counts the outcomes as the CLI does
(runner.OutcomeCounts). Tokens come as for the CLI (`--token`, `--token-file`, `CONFORMANCE_TOKENS`) and
are masked in everything the plugin writes.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import pytest
from _pytest import junitxml  # its stash key: where `--junitxml` keeps the report being written

from openapi import SPEC_PATH
from openapi.catalog import Requirement
from openapi.document import Spec
from openapi.families import Family, outside_catalog

from .checks.context import Context
from .cleanup import Cleanup, CreatedResources
from .client import Client
from .credentials import SHOWN_NOTICE, TOKENS_ENV, Credentials, TokenError, gather_tokens
from .options import OptionError, parse_options, settings_lines
from .pacing import LoadPolicy, RateLimitError
from .profiles import PROFILES
from .reports.console import masked_stdio
from .runner import (
    Outcome,
    OutcomeCounts,
    Result,
    failure_evidence,
    plan,
    run_requirement,
    select,
    token_legend,
)
from .target import TargetError, connect

# Where each item's requirement is written: the catalog the contract core ships next to the spec.
CATALOG_PATH = SPEC_PATH.with_name("catalog.yaml")
_CONTEXT_KEY = pytest.StashKey["ConformanceSession"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "contract conformance of a server (conformance.pytest_plugin)")
    group.addoption("--base-url", default=None, help="server under test; enables the conformance tests")
    group.addoption(
        "--token",
        action="append",
        default=[],
        help=f"bearer token of a distinct user (3 or more); prefer --token-file or {TOKENS_ENV}",
    )
    group.addoption(
        "--token-file",
        default=None,
        help=f"file of bearer tokens, one per line; without --token and --token-file: ${TOKENS_ENV}",
    )
    group.addoption(
        "--conformance-show-secrets",
        action="store_true",
        default=False,
        help="show the tokens in clear in failures and curl lines (local debugging only)",
    )
    group.addoption(
        "--conformance-rate-limit",
        default=None,
        metavar="N[/s|/m|/h]",
        help="at most N requests per second (or minute, hour); none: no limit (default on loopback)",
    )
    group.addoption("--conformance-profile", choices=sorted(PROFILES), default="quick")
    group.addoption("--conformance-seed", type=int, default=None)
    group.addoption("--conformance-spec", default=None, help="OpenAPI document (default: the packaged one)")
    group.addoption(
        "--community-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a community setting the server runs with (e.g. content_availability=false); unstated ones are "
        "observed",
    )
    group.addoption(
        "--conformance-keep-resources",
        action="store_true",
        default=False,
        help="leave the resources the run creates on the server (listed in the summary); by default each is "
        "deleted at the end of the session, as its creator",
    )
    group.addoption(
        "--conformance-family",
        action="append",
        default=[],
        metavar="NAME",
        help="check only this membership family (event, group, …); default: every family of the spec",
    )


class ConformanceSession:
    """The target, connected on first use and shared by every requirement item."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.seed = config.getoption("conformance_seed")
        if self.seed is None:
            self.seed = secrets.randbelow(2**31)
        spec_option = config.getoption("conformance_spec")
        self.spec = Spec(Path(spec_option) if spec_option else SPEC_PATH)
        try:
            self.families: list[Family] = select(self.spec, config.getoption("conformance_family"))
        except ValueError as exc:
            raise pytest.UsageError(f"--conformance-family: {exc}") from None
        self.contexts: dict[str, Context] = {}
        self.options: dict[str, Any] = {}
        self.readings: dict[str, str] = {}
        self.client: Client | None = None
        self.ledger: CreatedResources | None = None
        self.cleanup: Cleanup | None = None
        self.observed: list[Result] = []
        self.results: list[Result] = []
        self.credentials = Credentials()
        self.load: LoadPolicy | None = None
        self.token_variables: dict[str, str] = {}

    def get_context(self, requirement: Requirement) -> Context:
        """The context of the requirement's family (the first family's for a requirement of none)."""
        if not self.contexts:
            base_url = self.config.getoption("base_url")
            try:
                self.options = parse_options(self.config.getoption("community_option"), self.spec)
            except OptionError as exc:
                pytest.exit(f"--community-option: {exc}", returncode=2)
            try:
                self.load = LoadPolicy.for_target(base_url, self.config.getoption("conformance_rate_limit"))
            except RateLimitError as exc:
                pytest.exit(f"--conformance-rate-limit: {exc}", returncode=2)
            token_file = self.config.getoption("token_file")
            try:
                tokens = gather_tokens(
                    self.config.getoption("token"), Path(token_file) if token_file else None, os.environ
                )
                self.credentials = Credentials(
                    tokens, shown=self.config.getoption("conformance_show_secrets")
                )
            except TokenError as exc:
                pytest.exit(f"tokens: {exc}", returncode=2)
            self.client = Client(base_url, credentials=self.credentials, rate_limit=self.load.limit)
            self.ledger = CreatedResources(self.spec, self.client)
            try:
                target = connect(self.client, self.spec, tokens, self.families)
            except TargetError as exc:
                pytest.exit(self.credentials.mask(f"cannot test {self.client.base_url}: {exc}"), returncode=2)
            self.token_variables = token_legend(target)
            profile = PROFILES[self.config.getoption("conformance_profile")]
            self.contexts = {
                family.name: Context(
                    target, profile, self.seed, family, options=self.options, readings=self.readings
                )
                for family in self.families
            }
        return self.contexts.get(requirement.family) or next(iter(self.contexts.values()))

    def clean_up(self) -> None:
        """Delete what the session created (unless told to keep it), once, before the reports are written."""
        if self.ledger is not None and self.cleanup is None:
            keep = self.config.getoption("conformance_keep_resources")
            self.cleanup = self.ledger.clean_up(keep=keep, evidence=failure_evidence(self.results))

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


class RequirementFailed(Exception):
    def __init__(self, result: Result) -> None:
        super().__init__(result.message)
        self.result = result


class RequirementItem(pytest.Item):
    requirement: Requirement

    @classmethod
    def for_requirement(cls, parent: pytest.Collector, requirement: Requirement) -> RequirementItem:
        item = cls.from_parent(parent, name=requirement.id)
        item.requirement = requirement
        item.add_marker(pytest.mark.conformance)
        return item

    def runtest(self) -> None:
        session: ConformanceSession = self.config.stash[_CONTEXT_KEY]
        context = session.get_context(self.requirement)
        with masked_stdio(session.credentials):  # what pytest captures and shows with a failure
            result = run_requirement(context, self.requirement)
        session.results.append(result)
        self.user_properties.append(("verdict", str(result.verdict)))
        self.user_properties.append(("outcome", str(result.outcome)))
        self.user_properties.append(("level", str(self.requirement.level)))
        outcome = result.outcome
        mask = session.credentials.mask
        if outcome.fails_run:
            raise RequirementFailed(result)
        if outcome is Outcome.WARNED:
            pytest.xfail(mask(f"SHOULD not met (warned): {result.message}"))
        if outcome is Outcome.SKIPPED:
            pytest.skip(mask(result.message))
        if outcome is Outcome.OBSERVED:
            session.observed.append(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RequirementFailed):
            result = excinfo.value.result
            lines = [
                f"{self.requirement.level} not known to hold ({result.verdict}): {result.message}"
                if result.outcome is Outcome.ERRORED
                else result.message,
                f"rule: {self.requirement.rule}",
                f"sources: {', '.join(self.requirement.sources)}",
            ]
            for exchange in result.exchanges:
                lines += ["", exchange.curl(), exchange.response_summary()]
            session: ConformanceSession = self.config.stash[_CONTEXT_KEY]
            return session.credentials.mask("\n".join(lines))
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return (
            CATALOG_PATH,
            None,
            f"{self.requirement.id} [{self.requirement.level}] {self.requirement.title}",
        )


class CatalogCollector(pytest.Collector):
    def collect(self) -> list[pytest.Item]:
        session: ConformanceSession = self.config.stash[_CONTEXT_KEY]
        return [
            RequirementItem.for_requirement(self, requirement)
            for requirement in plan(session.spec, session.families)
        ]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "conformance: a requirement of the conformance catalog")
    if config.getoption("base_url"):
        config.stash[_CONTEXT_KEY] = ConformanceSession(config)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not config.getoption("base_url"):
        return
    items.extend(CatalogCollector.from_parent(session, name="conformance").collect())


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Clean up before pytest's own reports are written; `--junitxml` gets the leftovers as properties."""
    config = session.config
    if _CONTEXT_KEY not in config.stash:
        return
    conformance: ConformanceSession = config.stash[_CONTEXT_KEY]
    conformance.clean_up()
    xml = config.stash.get(junitxml.xml_key, None)
    if xml is not None and conformance.cleanup is not None:
        mask = conformance.credentials.mask
        xml.add_global_property("conformance.cleanup", mask(conformance.cleanup.describe()))
        for left in conformance.cleanup.leftovers:
            xml.add_global_property(f"conformance.leftover.{left.family}.{left.id}", mask(left.reason))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if _CONTEXT_KEY not in config.stash:
        return
    session: ConformanceSession = config.stash[_CONTEXT_KEY]
    mask = session.credentials.mask

    def write(line: str, **markup: bool) -> None:
        terminalreporter.write_line(mask(line), **markup)

    if session.observed:
        terminalreporter.section("conformance: observed (MAY)")
        for result in session.observed:
            write(f"{result.requirement.id}: {result.message}")
    if session.contexts:
        lines = settings_lines(session.options, session.readings)
        if lines:
            terminalreporter.section("conformance: community options and readings")
            for line in lines:
                write(line)
    for family, reason in outside_catalog(session.spec).items():
        write(f"conformance: family {family} not checked: {reason}", yellow=True)
    if session.credentials.shown:
        write(f"conformance: {SHOWN_NOTICE}", red=True, bold=True)
    elif session.token_variables:
        holders = ", ".join(f"{variable}: {holder}" for variable, holder in session.token_variables.items())
        write(f"conformance: curl lines read the tokens from shell variables ({holders})")
    if session.load is not None and session.client is not None:
        write(f"conformance: load: {session.load.describe()}")
    if session.client is not None:
        write(
            f"conformance: seed {session.seed}, {session.client.request_count} requests"
            + (
                f", {len(session.client.throttled)} throttled (429) and retried"
                if session.client.throttled
                else ""
            )
        )
    if session.cleanup is not None:
        write(f"conformance: cleanup: {session.cleanup.describe()}", yellow=bool(session.cleanup.leftovers))
        for left in session.cleanup.leftovers:
            write(f"conformance: left on the server: {left.describe()}", yellow=True)
    if session.results:
        write(f"conformance: {OutcomeCounts.of(session.results).describe()}")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CONTEXT_KEY in config.stash:
        config.stash[_CONTEXT_KEY].close()
