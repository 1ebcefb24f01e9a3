"""Is a database sound after a crash? The engine's own checks plus the contract's invariants."""

from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from reference_impl import settings, storage


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
    """One membership per (event, user), known statuses, no membership of a missing event or user."""
    memberships, events, users = storage.memberships, storage.events, storage.users
    engine = storage.make_engine(settings.database_url(database_url))
    try:
        with engine.connect() as connection:
            duplicates = connection.execute(
                select(memberships.c.event_id, memberships.c.user_id, func.count())
                .group_by(memberships.c.event_id, memberships.c.user_id)
                .having(func.count() > 1)
            ).all()
            unknown_status = connection.execute(
                select(memberships.c.id, memberships.c.status).where(
                    memberships.c.status.not_in(storage.MEMBERSHIP_STATUSES)
                )
            ).all()
            orphans = connection.execute(
                select(memberships.c.id)
                .outerjoin(events, events.c.id == memberships.c.event_id)
                .outerjoin(users, users.c.id == memberships.c.user_id)
                .where((events.c.id.is_(None)) | (users.c.id.is_(None)))
            ).all()
    finally:
        engine.dispose()
    return (
        [f"duplicate membership (event, user, count): {tuple(row)}" for row in duplicates]
        + [f"membership {row.id} has unknown status {row.status!r}" for row in unknown_status]
        + [f"membership {row.id} points to a missing event or user" for row in orphans]
    )
