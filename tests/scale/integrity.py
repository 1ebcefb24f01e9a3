"""Is a database sound after a crash? The engine's own checks plus the contract's invariants."""

from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url

from reference_impl import settings, storage
from reference_impl.families import FAMILIES, StoredFamily


def engine_problems(database_url: str) -> list[str]:
    """SQLite: integrity and foreign-key checks; PostgreSQL: amcheck on every B-tree index and its heap."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database or "") as connection:
            integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
        problems = [] if integrity == ["ok"] else [f"integrity_check: {line}" for line in integrity]
        return problems + [f"foreign_key_check: {row}" for row in foreign]
    problems = []
    with psycopg.connect(
        url.set(drivername="postgresql").render_as_string(hide_password=False)
    ) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = connection.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
            "WHERE n.nspname = 'public' AND a.amname = 'btree'"
        ).fetchall()
        for (name,) in indexes:
            try:
                connection.execute("SELECT bt_index_check(%s::regclass, true)", (name,))
            except psycopg.Error as error:
                problems.append(f"amcheck {name}: {error}")
                connection.rollback()
    return problems


def invariant_problems(database_url: str) -> list[str]:
    """For every family: one membership per (resource, user), the family's statuses only, no membership of
    a missing resource or user; where the creator has a state of their own (courses), each resource has
    exactly one membership in it, its creator's."""
    engine = storage.make_engine(settings.database_url(database_url))
    try:
        with engine.connect() as connection:
            return [found for family in FAMILIES.values() for found in _family_problems(connection, family)]
    finally:
        engine.dispose()


def _family_problems(connection: Connection, family: StoredFamily) -> list[str]:
    memberships, resources, users, key = family.memberships, family.table, storage.users, family.key_column
    statuses = (*family.member_states, "invited", "requested")
    duplicates = connection.execute(
        select(key, memberships.c.user_id, func.count())
        .group_by(key, memberships.c.user_id)
        .having(func.count() > 1)
    ).all()
    unknown_status = connection.execute(
        select(memberships.c.id, memberships.c.status).where(memberships.c.status.not_in(statuses))
    ).all()
    orphans = connection.execute(
        select(memberships.c.id)
        .outerjoin(resources, resources.c.id == key)
        .outerjoin(users, users.c.id == memberships.c.user_id)
        .where((resources.c.id.is_(None)) | (users.c.id.is_(None)))
    ).all()
    name = family.name
    found = (
        [f"duplicate {name} membership ({name}, user, count): {tuple(row)}" for row in duplicates]
        + [f"{name} membership {row.id} has unknown status {row.status!r}" for row in unknown_status]
        + [f"{name} membership {row.id} points to a missing {name} or user" for row in orphans]
    )
    if family.creator_state != family.joined_state:
        creators = (
            select(resources.c.id, resources.c.created_by, func.count(memberships.c.id).label("rows"))
            .outerjoin(memberships, (key == resources.c.id) & (memberships.c.status == family.creator_state))
            .group_by(resources.c.id, resources.c.created_by)
        )
        for row in connection.execute(creators).all():
            held = connection.execute(
                select(memberships.c.status).where(key == row.id, memberships.c.user_id == row.created_by)
            ).scalar()
            if row.rows != 1 or held != family.creator_state:
                found.append(
                    f"{name} {row.id}: {row.rows} {family.creator_state} membership(s); its creator "
                    f"{row.created_by} is {held!r}"
                )
    return found
