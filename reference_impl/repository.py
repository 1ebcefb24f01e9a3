"""Queries and changes, each one SQL statement or a few, set-based however many ids come in."""

from __future__ import annotations

import re
import secrets
import zlib
from collections import namedtuple
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Integer,
    Row,
    Select,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    true,
)

from reference_impl import driver_statements, id_lists
from reference_impl.families import EVENT, FAMILIES, StoredFamily
from reference_impl.kept_reads import RowVersions
from reference_impl.storage import community_roles, users

MAX_ID = 2**63 - 1


def now() -> datetime:
    return datetime.now(UTC)


def is_storable_id(value: int) -> bool:
    return 0 < value <= MAX_ID


# The statements every request runs, built once: SQLAlchemy then skips their construction and
# most of its cache-key work on each execution.
_USER_BY_ID = select(users).where(users.c.id == bindparam("id", type_=BigInteger))
# The transaction that wrote the row (PostgreSQL's xid, as an integer): a new one with every change.
_ROW_VERSION: ColumnElement[int] = literal_column("xmin::text::bigint").label("row_version")
_BY_ID = {
    family.name: select(family.table).where(family.table.c.id == bindparam("id", type_=BigInteger))
    for family in FAMILIES.values()
}


def _user_and_resource(family: StoredFamily) -> Select[Any]:
    """The user and the resource in one row, columns side by side, each followed by its row's version
    (``xmin``, for ``kept_reads``); None where one is missing (the outer joins keep the row when either
    is)."""
    by_user_id = users.c.id == bindparam("user", type_=BigInteger)
    caller = select(users, _ROW_VERSION).where(by_user_id).subquery("caller")
    by_id = _BY_ID[family.name].add_columns(_ROW_VERSION).subquery("resource")
    one = select(literal_column("1")).subquery("one")
    return select(caller, by_id).select_from(one.outerjoin(caller, true()).outerjoin(by_id, true()))


_USERS_AND_BY_ID = {family.name: _user_and_resource(family) for family in FAMILIES.values()}
# Rows of those statements' halves, read by attribute like SQLAlchemy's rows.
_USER_ROW = namedtuple("_USER_ROW", users.c.keys())  # type: ignore[misc]
_RESOURCE_ROWS: dict[str, Any] = {
    family.name: namedtuple(f"_{family.name.upper()}_ROW", family.table.c.keys())
    for family in FAMILIES.values()
}
# PostgreSQL's transaction-scoped advisory locks, keyed (space, key): no row is written to take them.
_LOCK_KEY = (bindparam("space", type_=Integer), bindparam("key", type_=Integer))
_LOCK = select(func.pg_advisory_xact_lock(*_LOCK_KEY))
_SHARED_LOCK = select(func.pg_advisory_xact_lock_shared(*_LOCK_KEY))


def user_by_id(connection: Connection, user_id: int) -> Row | None:
    if not is_storable_id(user_id):
        return None
    return driver_statements.first(connection, _USER_BY_ID, {"id": user_id})


def user_and_resource(
    connection: Connection, user_id: int, family: StoredFamily, resource_id: int
) -> tuple[Row | None, Row | None, RowVersions | None]:
    """``user_by_id`` and ``resource_by_id`` together: on PostgreSQL in one statement, so one round trip,
    with the two rows' versions when both are there (None elsewhere)."""
    if connection.dialect.name != "postgresql" or not (
        is_storable_id(user_id) and is_storable_id(resource_id)
    ):
        return user_by_id(connection, user_id), resource_by_id(connection, family, resource_id), None
    row = driver_statements.first(
        connection, _USERS_AND_BY_ID[family.name], {"user": user_id, "id": resource_id}
    )
    assert row is not None  # the outer joins keep the row
    values = tuple(row)
    columns = len(users.c)  # the user's columns, its version, the resource's columns, its version
    user, resource = values[:columns], values[columns + 1 : -1]
    caller = cast(Row, _USER_ROW(*user)) if user[0] is not None else None
    found = cast(Row, _RESOURCE_ROWS[family.name](*resource)) if resource[0] is not None else None
    if caller is None or found is None:
        return caller, found, None
    return caller, found, RowVersions(caller=values[columns], resource=values[-1])


def user_by_username(connection: Connection, username: str) -> Row | None:
    return connection.execute(select(users).where(users.c.username == username)).first()


def get_or_create_user(connection: Connection, username: str) -> Row:
    existing = user_by_username(connection, username)
    if existing is not None:
        return existing
    connection.execute(insert(users).values(username=username, real_name="", date_joined=now()))
    created = user_by_username(connection, username)
    assert created is not None
    return created


def create_users(connection: Connection, count: int, prefix: str = "user") -> list[int]:
    """``count`` new users named ``prefix`` + the smallest free numbers; returns their ids."""
    taken = set(
        connection.execute(select(users.c.username).where(users.c.username.startswith(prefix))).scalars()
    )
    names: list[str] = []
    number = 1
    while len(names) < count:
        if f"{prefix}{number}" not in taken:
            names.append(f"{prefix}{number}")
        number += 1
    if not names:
        return []
    joined = now()
    rows = [{"username": name, "real_name": "", "date_joined": joined} for name in names]
    return list(
        connection.execute(insert(users).returning(users.c.id, sort_by_parameter_order=True), rows).scalars()
    )


def has_community_role(connection: Connection, user_id: int, role: str) -> bool:
    """Whether the user holds ``role`` in the community (``staff``)."""
    found = select(community_roles.c.user_id).where(
        community_roles.c.user_id == user_id, community_roles.c.role == role
    )
    return connection.execute(found).first() is not None


def grant_community_role(connection: Connection, user_id: int, role: str) -> None:
    """Give the user ``role`` in the community; nothing changes when they hold it already."""
    if not has_community_role(connection, user_id, role):
        connection.execute(insert(community_roles).values(user_id=user_id, role=role))


def unknown_user_ids(connection: Connection, user_ids: Iterable[int]) -> list[int]:
    """The ids among ``user_ids`` that name no user, in the order given."""
    wanted = list(dict.fromkeys(user_ids))
    storable = [user_id for user_id in wanted if is_storable_id(user_id)]
    found: set[int] = set()
    if storable:
        ids = id_lists.bound_ids(connection, storable)
        found = set(id_lists.run(connection, EVENT, "known_users", {"ids": ids}))
    return [user_id for user_id in wanted if user_id not in found]


def resource_by_id(connection: Connection, family: StoredFamily, resource_id: int) -> Row | None:
    """The event (group, …), or None."""
    if not is_storable_id(resource_id):
        return None
    return driver_statements.first(connection, _BY_ID[family.name], {"id": resource_id})


class ResourceGone(Exception):
    """The resource was deleted after the access gate read it: the change that deleted it came first."""

    def __init__(self, family: StoredFamily, resource_id: int) -> None:
        super().__init__(f"No {family.name} with id {resource_id}.")


def lock(connection: Connection, family: StoredFamily, resource_id: int, *, shared: bool = False) -> None:
    """Lock the resource for a change of its memberships, until the transaction ends; ResourceGone when
    it was deleted meanwhile.

    Every change of memberships takes it first, before it reads what it changes, so that changes to
    one resource run one after the other, each on what the previous one committed (PostgreSQL;
    SQLite has a single writer anyway). ``shared``: changes that touch one membership each and give
    the same result in any order (inviting one user) share the lock among themselves and wait only
    for the others. Two of them meet on one (resource, user) row at most, which the unique index
    orders, so they cannot deadlock; two lists of users could (each inserted in its own order), so a
    list takes the lock alone. The lock is an advisory one, not the resource's row: it writes
    nothing (a change that changes nothing commits without a WAL flush), and PostgreSQL's lock queue
    is fair, so a change waiting to take it alone is not overtaken by a stream of shared ones.
    """
    if connection.dialect.name == "sqlite":
        return
    space, key = lock_key(family, resource_id)
    driver_statements.run(connection, _SHARED_LOCK if shared else _LOCK, {"space": space, "key": key})
    # A statement of its own, so it sees what was committed while the lock was awaited: a deletion
    # that held it (``delete_resource``) has committed by now.
    if not driver_statements.run(connection, _BY_ID[family.name], {"id": resource_id}):
        raise ResourceGone(family, resource_id)


def lock_key(family: StoredFamily, resource_id: int) -> tuple[int, int]:
    """Two signed 32-bit integers: the family's space, the id folded in. Resources that share a key
    only wait for each other more than needed."""
    space = zlib.crc32(f"reference_impl.{family.name}".encode()) - 2**31
    return space, (resource_id % 2**32) - 2**31


def _slug(name: str, fallback: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]
    return f"{words or fallback}-{secrets.token_hex(4)}"


def create(connection: Connection, family: StoredFamily, fields: Mapping[str, Any], creator_id: int) -> int:
    """Store a resource of ``family``; its creator becomes its first member (``creator_state``) and, where
    the family has a manager column, its manager."""
    created_at = now()
    values = {
        "name": fields["name"],
        "slug": _slug(fields["name"], family.name),
        **family.create_columns(fields, created_at),
        "created_at": created_at,
        "created_by": creator_id,
    }
    table = family.table
    if "managed_by" in table.c:
        values["managed_by"] = creator_id
    resource_id = connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    connection.execute(
        insert(family.memberships).values(
            {family.key: resource_id, "user_id": creator_id, "status": family.creator_state}
        )
    )
    return int(resource_id)


def slug_taken(connection: Connection, family: StoredFamily, slug: str) -> bool:
    table = family.table
    return connection.execute(select(table.c.id).where(table.c.slug == slug)).first() is not None


def digest_taken(connection: Connection, family: StoredFamily, digest: str) -> bool:
    """Whether a resource of ``family`` has the name whose digest is ``digest`` (courses' unique names)."""
    table = family.table
    return connection.execute(select(table.c.id).where(table.c.name_digest == digest)).first() is not None


def create_event(connection: Connection, fields: Mapping[str, Any], creator_id: int) -> int:
    return create(connection, EVENT, fields, creator_id)


def status_of(connection: Connection, family: StoredFamily, resource_id: int, user_id: int) -> str | None:
    """The user's state for the resource: "invited", "requested", "subscribed" or None."""
    table = family.memberships
    return connection.execute(
        select(table.c.status).where(family.key_column == resource_id, table.c.user_id == user_id)
    ).scalar()


Statuses = str | Sequence[str]


def _in_status(family: StoredFamily, statuses: Statuses) -> ColumnElement[bool]:
    column = family.memberships.c.status
    return column == statuses if isinstance(statuses, str) else column.in_(statuses)


def count_members(connection: Connection, family: StoredFamily, resource_id: int, statuses: Statuses) -> int:
    table = family.memberships
    return connection.execute(
        select(func.count())
        .select_from(table)
        .where(family.key_column == resource_id, _in_status(family, statuses))
    ).scalar_one()


def members(
    connection: Connection,
    family: StoredFamily,
    resource_id: int,
    statuses: Statuses,
    *,
    limit: int,
    offset: int,
) -> Sequence[Row]:
    """Users in ``statuses`` (one or several) in the resource, oldest membership first.

    The page is cut from the covering index first and joined to users after, so a deep offset
    skips index entries only.
    """
    table = family.memberships
    page = (
        select(table.c.id, table.c.user_id)
        .where(family.key_column == resource_id, _in_status(family, statuses))
        .order_by(table.c.id)
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    query = select(users).join(page, page.c.user_id == users.c.id).order_by(page.c.id)
    return connection.execute(query).all()


def _move(
    connection: Connection,
    family: StoredFamily,
    resource_id: int,
    user_ids: Sequence[int],
    source: str,
    target: str,
) -> None:
    """Change the status of those of ``user_ids`` in ``source`` to ``target``.

    The row is replaced rather than updated: its new id then says when the user entered the
    new state, which is the order lists are sorted by.
    """
    selected = {"resource": resource_id, "source": source, "ids": id_lists.bound_ids(connection, user_ids)}
    moving = id_lists.run(connection, family, "members_in", selected)
    if moving:
        id_lists.run(connection, family, "delete_members_in", selected)
        _add_members(connection, family, resource_id, moving, target)


def _add_members(
    connection: Connection, family: StoredFamily, resource_id: int, user_ids: Sequence[int], status: str
) -> None:
    """Add memberships in the order of ``user_ids``, skipping users who already have one."""
    parameters = {"resource": resource_id, "status": status, "ids": id_lists.bound_ids(connection, user_ids)}
    id_lists.run(connection, family, "add_members", parameters)


def invite(connection: Connection, family: StoredFamily, resource_id: int, user_ids: Sequence[int]) -> None:
    """Accept pending requests among ``user_ids`` and invite everyone else without a membership."""
    if not user_ids:
        return
    lock(connection, family, resource_id, shared=len(set(user_ids)) == 1)
    if connection.dialect.name == "postgresql":  # the same in one round trip
        parameters = {"resource": resource_id, "ids": id_lists.bound_ids(connection, user_ids)}
        moves = {"source": "requested", "target": family.joined_state, "status": "invited"}
        id_lists.run(connection, family, "move_or_add", parameters | moves)
        return
    _move(connection, family, resource_id, user_ids, "requested", family.joined_state)
    _add_members(connection, family, resource_id, user_ids, "invited")


def subscribe_users(
    connection: Connection, family: StoredFamily, resource_id: int, user_ids: Sequence[int]
) -> None:
    """The manager subscribes ``user_ids`` directly, in list order: invited and requested users too;
    subscribers stay as they are."""
    if not user_ids:
        return
    lock(connection, family, resource_id)
    ids = id_lists.bound_ids(connection, user_ids)
    for pending in ("invited", "requested"):
        id_lists.run(
            connection, family, "delete_members_in", {"resource": resource_id, "source": pending, "ids": ids}
        )
    _add_members(connection, family, resource_id, user_ids, "subscribed")


def remove_invitations(
    connection: Connection, family: StoredFamily, resource_id: int, user_ids: Sequence[int]
) -> None:
    if not user_ids:
        return
    lock(connection, family, resource_id)
    parameters = {
        "resource": resource_id,
        "source": "invited",
        "ids": id_lists.bound_ids(connection, user_ids),
    }
    id_lists.run(connection, family, "delete_members_in", parameters)


def join(
    connection: Connection, family: StoredFamily, resource_id: int, user_id: int, *, at_once: bool
) -> None:
    """The user joins: an invitation is accepted; without one the user joins ``at_once`` or leaves a request
    for the managers. A member or a pending request stays as it is."""
    lock(connection, family, resource_id)
    current = status_of(connection, family, resource_id, user_id)
    if current == "invited":
        _move(connection, family, resource_id, [user_id], "invited", family.joined_state)
    elif current is None:
        status = family.joined_state if at_once else "requested"
        connection.execute(
            insert(family.memberships).values({family.key: resource_id, "user_id": user_id, "status": status})
        )


def set_state(
    connection: Connection, family: StoredFamily, resource_id: int, user_ids: Sequence[int], state: str | None
) -> None:
    """Put each of ``user_ids`` in ``state`` (None: no relation) whatever their state; a user who enters a
    state is listed as its newest member. A creator's state of its own (a course's ``creator``) is kept."""
    if not user_ids:
        return
    lock(connection, family, resource_id)
    ids = id_lists.bound_ids(connection, user_ids)
    kept = {state} | ({family.creator_state} if family.creator_state != family.joined_state else set())
    for source in (*family.member_states, "invited", "requested"):
        if source not in kept:
            selected = {"resource": resource_id, "source": source, "ids": ids}
            id_lists.run(connection, family, "delete_members_in", selected)
    if state is not None:
        _add_members(connection, family, resource_id, user_ids, state)


def leave(connection: Connection, family: StoredFamily, resource_id: int, user_id: int) -> None:
    lock(connection, family, resource_id)
    table = family.memberships
    connection.execute(delete(table).where(family.key_column == resource_id, table.c.user_id == user_id))


def delete_resource(connection: Connection, family: StoredFamily, resource_id: int) -> None:
    """Delete the resource and every membership of it (invitations, requests, members) in the request's
    transaction. The memberships' foreign key cascades as well; deleting them first ends the same way on a
    database made without the cascade. It takes the resource's lock, so a change that began before waits
    for it and a change that comes after finds the resource gone when it takes the lock (``lock``, and
    the invitation's function in ``invitations``)."""
    lock(connection, family, resource_id)
    memberships = family.memberships
    connection.execute(delete(memberships).where(family.key_column == resource_id))
    connection.execute(delete(family.table).where(family.table.c.id == resource_id))
