"""Set-based statements over a list of user ids that is bound as ONE parameter.

However many ids a request holds, the SQL is the same few statements: the list travels as one
JSON text (SQLite, read with ``json_each``) or one array (PostgreSQL, read with ``unnest``). An
``IN (...)`` list would cost a bound parameter per id. The statements are built once per dialect,
so a request pays neither for building them nor for SQLAlchemy's cache-key work on new objects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Connection, String, bindparam, delete, func, select, true
from sqlalchemy.dialects import postgresql, sqlite

from reference_impl.storage import memberships, users


@dataclass(frozen=True)
class IdListStatements:
    known_users: Any  # the ids that name users
    members_in: Any  # the ids with status :source in event :event, in list order
    delete_members_in: Any  # remove the memberships of the ids with status :source in event :event
    add_members: Any  # memberships with status :status in event :event, in list order; existing ones kept


def bound_ids(connection: Connection, ids: Sequence[int]) -> Any:
    """The value of the ``ids`` parameter for this connection's dialect."""
    return list(ids) if connection.dialect.name == "postgresql" else json.dumps(list(ids))


def statements(connection: Connection) -> IdListStatements:
    return _statements(connection.dialect.name)


@cache
def _statements(dialect: str) -> IdListStatements:
    if dialect == "postgresql":
        array = bindparam("ids", type_=postgresql.ARRAY(BigInteger))
        ids = func.unnest(array).table_valued("id", with_ordinality="position").render_derived()
        insert = postgresql.insert
    elif dialect == "sqlite":
        rows = func.json_each(bindparam("ids", type_=String)).table_valued("key", "value")
        ids = select(rows.c.key.label("position"), rows.c.value.label("id")).subquery()
        insert = sqlite.insert
    else:
        raise NotImplementedError(f"no id-list statements for {dialect}")
    event, source = bindparam("event", type_=BigInteger), bindparam("source", type_=String)
    in_event_with_source = (memberships.c.event_id == event, memberships.c.status == source)
    new_members = (
        select(bindparam("event", type_=BigInteger), ids.c.id, bindparam("status", type_=String))
        .where(true())  # SQLite needs a WHERE to tell the upsert's ON CONFLICT from a join's ON
        .order_by(ids.c.position)
    )
    return IdListStatements(
        known_users=select(users.c.id).join(ids, ids.c.id == users.c.id),
        members_in=select(memberships.c.user_id)
        .join(ids, ids.c.id == memberships.c.user_id)
        .where(*in_event_with_source)
        .order_by(ids.c.position),
        delete_members_in=delete(memberships).where(
            *in_event_with_source, memberships.c.user_id.in_(select(ids.c.id))
        ),
        add_members=insert(memberships)
        .from_select(["event_id", "user_id", "status"], new_members)
        .on_conflict_do_nothing(index_elements=["event_id", "user_id"]),
    )
