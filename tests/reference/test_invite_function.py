"""The invitation's PL/pgSQL functions (``reference_impl.invitations``), made when a server starts: one
per family, replaced in place (running servers' calls go on), and an earlier version's, with other
parameters, left for the servers of that version."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from reference_impl import invitations, settings, storage
from reference_impl.families import FAMILIES
from tests.reference.conftest import fresh_postgres_database

pytestmark = pytest.mark.postgres


def _functions(connection: Connection, name: str) -> list[str]:
    rows = connection.execute(
        text("SELECT oid::regprocedure::text FROM pg_proc WHERE proname = :name ORDER BY 1"), {"name": name}
    )
    return [row[0] for row in rows]


def _oid(connection: Connection, signature: str) -> int | None:
    found = connection.execute(
        text("SELECT to_regprocedure(:signature)::oid"), {"signature": signature}
    ).scalar_one()
    return None if found is None else int(found)


def test_start_up_replaces_the_functions_in_place_and_leaves_an_earlier_versions() -> None:
    event = FAMILIES["event"]
    earlier = f"{invitations.name(event)}(bigint, integer)"
    with fresh_postgres_database() as url:
        engine = storage.make_engine(settings.database_url(url))
        try:
            storage.create_schema(engine)
            with engine.begin() as connection:
                # What an earlier version made: the same name, other parameters.
                body = "RETURNS bigint[] LANGUAGE sql AS $$ SELECT NULL::bigint[] $$"
                connection.execute(text(f"CREATE FUNCTION {earlier} {body}"))
            invitations.create(engine)
            with engine.begin() as connection:
                made = {
                    family.name: _oid(connection, invitations.signature(family))
                    for family in FAMILIES.values()
                }
                earlier_left = _oid(connection, earlier)
                functions = _functions(connection, invitations.name(event))
            invitations.create(engine)  # a second start, as another worker's
            with engine.begin() as connection:
                again = {
                    family.name: _oid(connection, invitations.signature(family))
                    for family in FAMILIES.values()
                }
        finally:
            engine.dispose()
    assert all(made.values()), made
    assert again == made  # the same functions, replaced in place: calls from running servers go on
    assert earlier_left is not None
    assert len(functions) == 2
