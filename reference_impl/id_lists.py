"""Set-based statements over a list of user ids that is bound as ONE parameter.

However many ids a request holds, the SQL is the same few statements: the list travels as one
JSON text (SQLite, read with ``json_each``) or one array (PostgreSQL, read with ``unnest``). An
``IN (...)`` list would cost a bound parameter per id. The statements are built once per dialect,
so a request pays neither for building them nor for SQLAlchemy's cache-key work on new objects, and
they run on the driver's connection (``driver_statements``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sqlalchemy import BigInteger, Connection, FromClause, String, bindparam, delete, func, select, true
from sqlalchemy.dialects import postgresql, sqlite

from reference_impl import driver_statements
from reference_impl.families import FAMILIES, StoredFamily
from reference_impl.storage import users


@dataclass(frozen=True)
class IdListStatements:
    known_users: Any  # the ids that name users
    members_in: Any  # the ids with status :source in resource :resource, in list order
    delete_members_in: Any  # remove the memberships of the ids with status :source in resource :resource
    add_members: (
        Any  # memberships with status :status in resource :resource, in list order; existing ones kept
    )
    # PostgreSQL only (None elsewhere): in one statement, the ids with status :source move to :target
    # and the others without a membership get :status, each in list order.
    move_or_add: Any = None


StatementName = Literal["known_users", "members_in", "delete_members_in", "add_members", "move_or_add"]


def run(
    connection: Connection, family: StoredFamily, name: StatementName, parameters: dict[str, Any]
) -> list[Any]:
    """Execute ``family``'s statement ``name`` in the connection's transaction; the first column of each row.

    ``known_users`` is the same for every family."""
    statement = getattr(statements(connection, family), name)
    return [row[0] for row in driver_statements.run(connection, statement, parameters)]


def bound_ids(connection: Connection, ids: Sequence[int]) -> Any:
    """The value of the ``ids`` parameter for this connection's dialect."""
    return list(ids) if connection.dialect.name == "postgresql" else json.dumps(list(ids))


def statements(connection: Connection, family: StoredFamily) -> IdListStatements:
    return statements_for(connection.dialect.name, family)


def statements_for(dialect: str, family: StoredFamily) -> IdListStatements:
    """The statements for a dialect by its name (``postgresql``, ``sqlite``)."""
    return _statements(dialect, family.name)


@cache
def _statements(dialect: str, family_name: str) -> IdListStatements:
    family = FAMILIES[family_name]
    memberships, key = family.memberships, family.key_column
    ids: FromClause
    insert: Callable[..., Any]  # postgresql.insert or sqlite.insert: both have on_conflict_do_*
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
    resource, source = bindparam("resource", type_=BigInteger), bindparam("source", type_=String)
    in_resource_with_source = (key == resource, memberships.c.status == source)
    new_members = (
        select(bindparam("resource", type_=BigInteger), ids.c.id, bindparam("status", type_=String))
        .where(true())  # SQLite needs a WHERE to tell the upsert's ON CONFLICT from a join's ON
        .order_by(ids.c.position)
    )
    columns = [family.key, "user_id", "status"]
    add_members = (
        insert(memberships)
        .from_select(columns, new_members)
        .on_conflict_do_nothing(index_elements=[family.key, "user_id"])
    )
    return IdListStatements(
        known_users=select(users.c.id).join(ids, ids.c.id == users.c.id),
        members_in=select(memberships.c.user_id)
        .join(ids, ids.c.id == memberships.c.user_id)
        .where(*in_resource_with_source)
        .order_by(ids.c.position),
        delete_members_in=delete(memberships).where(
            *in_resource_with_source, memberships.c.user_id.in_(select(ids.c.id))
        ),
        add_members=add_members,
        move_or_add=_move_or_add(family, ids, resource, source) if dialect == "postgresql" else None,
    )


def _move_or_add(family: StoredFamily, ids: FromClause, resource: Any, source: Any) -> Any:
    """``members_in`` + ``delete_members_in`` + two ``add_members`` as one PostgreSQL statement.

    Its parts share one snapshot and run as one command: the moved rows are deleted (``moved``) and
    inserted again with :target (a new id each, as ``repository._move`` does), the others inserted
    with :status. A row deleted by its own transaction is no conflict for an insert, so a moved user
    gets a new row; the others skip the moved ones explicitly, and users with any other membership
    are kept by ON CONFLICT DO NOTHING. Ids follow list order within each status, which is the order
    of every list (lists are of one status).
    """
    memberships, key = family.memberships, family.key_column
    columns = [family.key, "user_id", "status"]
    moved = (
        delete(memberships)
        .where(key == resource, memberships.c.status == source, memberships.c.user_id.in_(select(ids.c.id)))
        .returning(memberships.c.user_id)
        .cte("moved")
    )
    moved_back = (
        postgresql.insert(memberships)
        .from_select(
            columns,
            select(resource, ids.c.id, bindparam("target", type_=String))
            .join(moved, moved.c.user_id == ids.c.id)
            .order_by(ids.c.position),
        )
        .on_conflict_do_nothing(index_elements=[family.key, "user_id"])
        .cte("moved_back")
    )
    others = (
        select(resource, ids.c.id, bindparam("status", type_=String))
        .where(ids.c.id.not_in(select(moved.c.user_id)))
        .order_by(ids.c.position)
    )
    return (
        postgresql.insert(memberships)
        .from_select(columns, others)
        .on_conflict_do_nothing(index_elements=[family.key, "user_id"])
        .add_cte(moved_back)
    )
