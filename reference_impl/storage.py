"""Tables and engine: SQLite by default, PostgreSQL through the same SQLAlchemy Core code.

The rules of the contract are in the schema too, so no code path can break them: one membership
per (event, user), a closed set of statuses and enforced foreign keys. The values an enumerated
column accepts are its schema property's ``enum`` in the shipped spec (``openapi.document.shipped``),
written as a CHECK constraint: the same DDL on SQLite and PostgreSQL, with no PostgreSQL ENUM type to
create, alter or drop.

A request that writes marks its connection (``WRITES``, set by ``transactions``), so that SQLite
begins it with ``BEGIN IMMEDIATE``.

Requests reach PostgreSQL through asyncpg, from the event loop (``request_engine``); everything else
(the CLI, start-up, tests, and requests under stock Connexion's handler layer, which calls handlers
in worker threads) through psycopg, the same tables and statements.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy import column as sql_column
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from openapi.document import Spec, shipped
from reference_impl.settings import JWT_SECRET_ENV

#: The execution option that marks the connection of a request that writes.
WRITES = "reference_impl.writes"

#: (schema, property) → the values its column holds; a CHECK constraint of the column's table each.
STORED_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    (name, prop): shipped().enum(name, prop)
    for name, prop in (
        ("Event", "privacy"),
        ("Event", "recurring"),
        ("Event", "location"),
        ("Group", "privacy"),
        ("Course", "privacy"),
        ("Course", "type"),
    )
}
# The membership lifecycle every family shares: the subscription states all their schemas name (an
# event's going/not_going is attendance, which this server does not keep).
MEMBERSHIP_STATUSES = tuple(
    status
    for status in shipped().enum("Event", "subscription_status")
    if status in shipped().enum("Group", "subscription_status")
)
# A course's states: its `join_status` values (creator, manager, joined, invited, requested).
COURSE_STATUSES = shipped().enum("Course", "join_status")
#: The community roles the server stores for users (x-access roles such as `staff`).
STORED_COMMUNITY_ROLES = ("staff",)

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets 64-bit identities.
Id = BigInteger().with_variant(Integer, "sqlite")

metadata = MetaData()


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    # SQLAlchemy renders the values as quoted literals in the DDL.
    return CheckConstraint(sql_column(column).in_(values), name=f"{column}_allowed")


def _enum_of(schema: str, column: str) -> CheckConstraint:
    return _one_of(column, STORED_ENUMS[(schema, column)])


def unstorable_values(spec: Spec) -> list[str]:
    """What ``spec`` allows that the tables refuse, one sentence each: a spec this server cannot serve."""
    refusals = []
    for (name, prop), stored in STORED_ENUMS.items():
        try:
            declared = spec.resolve(spec.schema_properties(name)[prop])
            allowed = spec.enum(name, prop) if "enum" in declared else None
        except (KeyError, TypeError, AttributeError):
            allowed = None
        if allowed is None:
            refusals.append(f"{name}.{prop} is not an enum; the tables store {', '.join(map(repr, stored))}")
            continue
        extra = [value for value in allowed if value not in stored]
        if extra:
            refusals.append(
                f"{name}.{prop} allows {', '.join(map(repr, extra))}, which the tables (made from the "
                "shipped spec) do not store"
            )
    return refusals


users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(255), nullable=False, unique=True),
    Column("real_name", String(255), nullable=False, default=""),
    Column("date_joined", DateTime(timezone=True), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("slug", Text, nullable=False, unique=True),
    Column("description", Text),
    Column("color", Text),  # the spec sets no length limit
    Column("privacy", String(16), nullable=False),
    Column("visible", Boolean, nullable=False, default=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("start_date", DateTime(timezone=True), nullable=False),
    Column("end_date", DateTime(timezone=True), nullable=False),
    Column("recurring", String(16), nullable=False),
    Column("location", String(16), nullable=False),
    Column("geolocation", Text),
    Column("geolocation_lat", Float),
    Column("geolocation_lng", Float),
    Column("link", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("managed_by", ForeignKey("users.id"), nullable=False),
    _enum_of("Event", "privacy"),
    _enum_of("Event", "recurring"),
    _enum_of("Event", "location"),
)


def membership_table(
    name: str,
    resource_table: str,
    key: str,
    constraint_prefix: str = "",
    statuses: tuple[str, ...] = MEMBERSHIP_STATUSES,
) -> Table:
    """One family's memberships: (resource, user, status), one row per pair, listed by row id.

    One table per family (not one table keyed by family) keeps a real foreign key to the family's own
    table, so a membership can never name a group that does not exist, and each family its own index.
    ``constraint_prefix`` keeps index names unique in a PostgreSQL schema; ``statuses`` are the states
    the family's users can be in.
    """
    return Table(
        name,
        metadata,
        # The id orders lists: oldest membership first.
        Column("id", Id, primary_key=True, autoincrement=True),
        Column(key, ForeignKey(f"{resource_table}.id", ondelete="CASCADE"), nullable=False),
        Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        Column("status", String(16), nullable=False),
        UniqueConstraint(key, "user_id", name=f"{constraint_prefix}one_membership_per_user"),
        _one_of("status", statuses),
        # Covers a page read: the offset is skipped inside the index, without visiting table rows.
        Index(f"{constraint_prefix}memberships_page", key, "status", "id", "user_id"),
    )


memberships = membership_table("memberships", "events", "event_id")

groups = Table(
    "groups",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("slug", Text, nullable=False, unique=True),
    Column("description", Text),
    Column("color", Text),  # the spec sets no length limit
    Column("privacy", String(16), nullable=False),
    Column("visible", Boolean, nullable=False, default=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("emotional_image_position", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("managed_by", ForeignKey("users.id"), nullable=False),
    _enum_of("Group", "privacy"),
)

group_memberships = membership_table("group_memberships", "groups", "group_id", constraint_prefix="group_")

courses = Table(
    "courses",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    # "Unique name of the course" (the Course schema): the server refuses a second one. The name has no length
    # limit, which a unique index on it could not hold (PostgreSQL's index rows are at most 2704 bytes), so
    # the index is on its SHA-256 digest.
    Column("name_digest", String(64), nullable=False, unique=True),
    Column("slug", Text, nullable=False, unique=True),
    Column("description", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("privacy", String(16), nullable=False),
    Column("enforce_lessons_order", Boolean, nullable=False),
    Column("new_comment_notification_enabled", Boolean, nullable=False),
    Column("hide_member_count", Boolean, nullable=False),
    Column("meta_title", Text),
    Column("meta_description", Text),
    Column("og_title", Text),
    Column("og_description", Text),
    Column("og_image", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    _enum_of("Course", "privacy"),
    _enum_of("Course", "type"),
)

course_memberships = membership_table(
    "course_memberships", "courses", "course_id", constraint_prefix="course_", statuses=COURSE_STATUSES
)

# Community roles of users (`staff`): a table of its own, so that databases made before it keep working.
community_roles = Table(
    "community_roles",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(32), primary_key=True),
    _one_of("role", STORED_COMMUNITY_ROLES),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is switched off so that the "begin" hook decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def writes(connection: Connection) -> bool:
    """Whether ``connection`` belongs to a request that writes (``WRITES``)."""
    return bool(connection.get_execution_options().get(WRITES, False))


def _begin_sqlite(connection: Any) -> None:
    # A writing request takes the write lock up front: a read that later upgrades to a write
    # fails at once under WAL when another writer committed meanwhile (SQLITE_BUSY_SNAPSHOT).
    # Sent on the driver's connection: SQLAlchemy's execution machinery would cost more than SQLite.
    connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if writes(connection) else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (already normalised by settings.database_url)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, pool_size=20, max_overflow=20)
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(url, pool_size=10, max_overflow=30, pool_pre_ping=True)


def request_engine(engine: Engine) -> Engine:
    """The engine that serves requests on ``engine``'s database: ``engine`` itself on SQLite; on
    PostgreSQL, a new one through asyncpg.

    With asyncpg the request's statements run on the event loop (SQLAlchemy's asyncio bridge,
    ``transactions``): no hop to a worker thread per request, and a statement costs a third of the
    client CPU time that psycopg in a worker thread took. At least as many connections as
    ``transactions.MAX_OPEN_TRANSACTIONS``, all kept open, so a checkout never waits. No pre-ping:
    asyncpg's is three round trips per checkout (BEGIN, a statement, ROLLBACK); a connection the
    server has dropped fails its request once and is replaced (SQLAlchemy invalidates the pool on a
    disconnect).
    """
    if engine.dialect.name != "postgresql":
        return engine
    asyncpg_url = engine.url.set(drivername="postgresql+asyncpg")
    # Connections kept open for every transaction admitted at once: one closed and opened again costs
    # asyncpg a connection, its codecs and its type introspection, several round trips each.
    # READ COMMITTED is what the requests' reads outside the transaction and the invitation's function
    # rely on (``driver_statements``, ``invitations``), whatever the database's default: set in the
    # connection's start-up packet, so it costs no round trip.
    read_committed = {"server_settings": {"default_transaction_isolation": "read committed"}}
    return create_async_engine(
        asyncpg_url, pool_size=32, max_overflow=8, connect_args=read_committed
    ).sync_engine


def create_schema(engine: Engine) -> None:
    """Create missing tables; safe to run again and from several processes."""
    try:
        metadata.create_all(engine, checkfirst=True)
    except DatabaseError:
        # Another process created the tables between our check and our CREATE.
        metadata.create_all(engine, checkfirst=True)


def signing_secret(engine: Engine) -> str:
    """The HS256 secret: the environment's, or one made for this database on first use."""
    if from_env := os.environ.get(JWT_SECRET_ENV):
        return from_env
    with engine.begin() as connection:
        stored = connection.execute(select(settings.c.value).where(settings.c.key == "jwt_secret")).scalar()
        if stored is not None:
            return stored
    try:
        with engine.begin() as connection:
            connection.execute(settings.insert().values(key="jwt_secret", value=secrets.token_urlsafe(48)))
    except IntegrityError:
        pass  # another process stored one first; use theirs
    with engine.begin() as connection:
        return connection.execute(select(settings.c.value).where(settings.c.key == "jwt_secret")).scalar_one()
