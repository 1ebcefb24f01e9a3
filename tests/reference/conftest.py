"""A client for the reference server that checks every answer against openapi/v2.yaml."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.schemas import BaseSchema
from sqlalchemy.engine import make_url

from reference_impl import repository, settings, storage, tokens
from reference_impl.settings import SPEC_PATH
from testkit.reference import fresh_postgres_database as fresh_database_in
from testkit.reference import start_reference_server
from tests.conftest import ReferenceServer
from tests.reference.courses import Courses

PG_URL_ENV = "CONTRACT_PG_URL"
EVENTS = "/api/v2/event/"
PROBLEM_JSON = "application/problem+json"
# Documented once on the errors page for every operation, not per operation in the spec.
GENERAL_ERRORS = {405, 413, 415}
_numbers = itertools.count(1)


def event_body(*, privacy: str = "private", **overrides: Any) -> dict[str, Any]:
    """A valid create-event body, as the create page documents it."""
    return {
        "name": f"Reference test event {next(_numbers)}",
        "privacy": privacy,
        "start_date": "2030-05-01T18:00:00Z",
        "end_date": "2030-05-01T20:00:00Z",
        "recurring": "never",
        "location": "virtual",
        **overrides,
    }


class Accounts:
    """Users and their bearer tokens, made directly in the server's database with its secret.

    Much faster than one ``token`` CLI run per user (the CLI has tests of its own); the tokens
    are the same real HS256 JWTs the server verifies.
    """

    def __init__(self, database_url: str) -> None:
        self.engine = storage.make_engine(settings.database_url(database_url))
        self.secret = storage.signing_secret(self.engine)
        self._users: dict[str, tuple[int, str]] = {}

    def _user(self, username: str) -> tuple[int, str]:
        if username not in self._users:
            with self.engine.begin() as connection:
                user_id = int(repository.get_or_create_user(connection, username).id)
            self._users[username] = (user_id, tokens.issue(self.secret, user_id))
        return self._users[username]

    def id(self, username: str) -> int:
        return self._user(username)[0]

    def token(self, username: str) -> str:
        return self._user(username)[1]

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    def make_staff(self, username: str) -> None:
        """Give ``username`` the community role ``staff``, as ``reference_impl token --staff`` does."""
        with self.engine.begin() as connection:
            repository.grant_community_role(connection, self.id(username), "staff")

    def close(self) -> None:
        self.engine.dispose()


class SpecClient:
    """httpx against one server; each answer of a documented operation is validated by Schemathesis."""

    def __init__(self, server: ReferenceServer, schema: BaseSchema, accounts: Accounts) -> None:
        self.server = server
        self.schema = schema
        self.accounts = accounts
        self.http = httpx.Client(base_url=server.base_url, timeout=30.0)

    def request(self, method: str, path: str, *, user: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if user is not None:
            headers.update(self.accounts.headers(user))
        response = self.http.request(method, path, headers=headers, **kwargs)
        self.validate(response)
        return response

    def validate(self, response: httpx.Response) -> None:
        """Raise when a documented operation answers outside its documented schema."""
        operation = self.schema.find_operation_by_path(response.request.method, response.request.url.path)
        if operation is not None and response.status_code not in GENERAL_ERRORS:
            documented = operation.definition.raw["responses"]
            assert str(response.status_code) in documented, (
                f"{operation.label} answered {response.status_code}, which the spec does not document "
                f"(documented: {', '.join(documented)}): {response.text}"
            )
            try:
                response.request.content  # noqa: B018  Schemathesis reads it; multipart is streamed
            except httpx.RequestNotRead:
                response.request.read()
            operation.validate_response(response)
        if response.status_code >= 400:
            assert response.headers["content-type"] == PROBLEM_JSON, response.text
            assert "Traceback" not in response.text
            assert response.json()["detail"], response.text

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    # The documented operations, by what they do.

    def create_event(self, manager: str, **fields: Any) -> int:
        response = self.post(EVENTS, user=manager, json=event_body(**fields))
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def invite(self, event: int, manager: str, user_ids: list[int]) -> httpx.Response:
        return self.post(f"{EVENTS}{event}/invite/", user=manager, json={"users": user_ids})

    def status(self, event: int, user: str) -> str | None:
        response = self.get(f"{EVENTS}{event}/status/", user=user)
        assert response.status_code == 200, response.text
        return response.json()["status"]

    def listed(self, event: int, listing: str, user: str, **params: Any) -> list[int]:
        """Ids on one page of ``invite``, ``request_subscribe`` or ``subscribe``."""
        response = self.get(f"{EVENTS}{event}/{listing}/", user=user, params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["results"]]

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="session")
def api_schema() -> BaseSchema:
    return schemathesis.openapi.from_path(SPEC_PATH)


@pytest.fixture(scope="session")
def accounts(reference_server: ReferenceServer) -> Iterator[Accounts]:
    made = Accounts(reference_server.database_url)
    yield made
    made.close()


@contextmanager
def spec_client(server: ReferenceServer, schema: BaseSchema) -> Iterator[SpecClient]:
    """A client of a server of its own (another database or settings), closed with its accounts."""
    accounts = Accounts(server.database_url)
    client = SpecClient(server, schema, accounts)
    try:
        yield client
    finally:
        client.close()
        accounts.close()


@pytest.fixture(scope="session")
def api(
    reference_server: ReferenceServer, api_schema: BaseSchema, accounts: Accounts
) -> Iterator[SpecClient]:
    client = SpecClient(reference_server, api_schema, accounts)
    yield client
    client.close()


class People:
    """Usernames unique to one test, so that tests sharing the server never see each other's users."""

    def __init__(self, accounts: Accounts) -> None:
        self.accounts = accounts
        self.suffix = uuid.uuid4().hex[:8]

    def __getattr__(self, role: str) -> str:
        if role.startswith("_"):
            raise AttributeError(role)
        return f"{role}-{self.suffix}"

    def id(self, username: str) -> int:
        return self.accounts.id(username)


@pytest.fixture
def people(accounts: Accounts) -> People:
    """``people.alice`` is a username of this test; ``people.id(people.alice)`` creates and returns its id."""
    return People(accounts)


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A database of its own in the cluster of $CONTRACT_PG_URL (skips without one), dropped afterwards;
    a plain postgresql:// URL, as an operator would write it."""
    admin_url = os.environ.get(PG_URL_ENV)
    if not admin_url:
        pytest.skip(
            f"{PG_URL_ENV} is not set; start a cluster with `export {PG_URL_ENV}=$(.ci/postgres.sh start)`"
        )
    plain = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with fresh_database_in(plain) as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database in the cluster of $CONTRACT_PG_URL, dropped afterwards."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[ReferenceServer]:
    """One reference server for the session on a PostgreSQL database of its own: shared by the tests the way
    the SQLite one is (each test makes its own users and resources)."""
    with fresh_postgres_database() as url:
        server = start_reference_server(url)
        try:
            yield server
        finally:
            server.process.stop()


@pytest.fixture(scope="session")
def postgres_api(postgres_server: ReferenceServer, api_schema: BaseSchema) -> Iterator[SpecClient]:
    with spec_client(postgres_server, api_schema) as client:
        yield client


@pytest.fixture
def courses(api: SpecClient) -> Courses:
    """The course operations on the session's SQLite server."""
    return Courses(api)


@pytest.fixture(params=["sqlite", "postgresql"])
def on_each_database(request: pytest.FixtureRequest) -> SpecClient:
    """The session's SQLite server, or its PostgreSQL one."""
    return request.getfixturevalue("api" if request.param == "sqlite" else "postgres_api")


@pytest.fixture
def courses_on_both(on_each_database: SpecClient) -> Courses:
    """The course operations on each database (``on_each_database``)."""
    return Courses(on_each_database)
