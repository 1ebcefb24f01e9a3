"""The statements every request runs, compiled once per dialect and run on the driver's connection.

SQLAlchemy's own work per execution (execution context, parameter and result processing, rows)
cost more than the statements themselves, on SQLite (in this process) as on asyncpg: under POST invite
load it was a fifth of a request's CPU time. So these statements are compiled once to SQL text and
run on the DBAPI connection beneath the request's SQLAlchemy connection, inside the same transaction
(asyncpg's adapter begins it on the first statement, as for SQLAlchemy's own). Their parameters and
results are plain integers, text and lists of integers, which the drivers convert as SQLAlchemy
would; a failure surfaces as the driver's exception, which rolls the request back like any other.

On asyncpg two more ways, which SQLAlchemy's adapter has no counterpart for, go to asyncpg's own
connection. SQLAlchemy's adapter begins the transaction (a round trip of its own) before the first
statement sent through it; asyncpg's connection sends what it is given, inside the transaction when
one has begun, else as a transaction of its own (PostgreSQL's implicit one, committed before the
answer comes back).

- ``first`` reads one row, as the access gate's first statements (the caller, the resource). Read
  before the transaction begins or as its first statement, the row is the same: under READ COMMITTED
  (``storage.request_engine`` makes it every session's level) each statement sees what was committed
  when it began, and a read takes no lock that the transaction would keep.
- ``call_alone`` runs one statement that makes a change whole (``invite_function``): before anything
  else of the request has begun a transaction, it is that change's whole transaction, committed in the
  same round trip; inside one, a statement of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import Connection, Row, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import await_


@dataclass(frozen=True)
class DriverStatement:
    """SQL text for the driver, with its positional parameters' names in order (None: named ones)."""

    sql: str
    order: tuple[str, ...] | None

    def values(self, parameters: Mapping[str, Any]) -> Mapping[str, Any] | list[Any]:
        return parameters if self.order is None else [parameters[name] for name in self.order]


_compiled: dict[tuple[ClauseElement, type[Dialect]], DriverStatement] = {}


def compiled(statement: ClauseElement, dialect: Dialect) -> DriverStatement:
    """``statement`` as ``dialect``'s SQL text, compiled on first use (the statements are built once)."""
    key = (statement, type(dialect))
    found = _compiled.get(key)
    if found is None:
        compilation = statement.compile(dialect=dialect)
        assert isinstance(compilation, SQLCompiler)
        order = tuple(compilation.positiontup or ()) if compilation.positional else None
        found = DriverStatement(sql=str(compilation), order=order)
        _compiled[key] = found
    return found


def run(connection: Connection, statement: ClauseElement, parameters: Mapping[str, Any]) -> list[Any]:
    """Execute ``statement`` in ``connection``'s transaction; its rows (tuples), none for a change."""
    driver = compiled(statement, connection.dialect)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(driver.sql, driver.values(parameters))
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        cursor.close()


class AttributeRecord(asyncpg.Record):
    """asyncpg's row with its columns as attributes too, the way the server reads SQLAlchemy's rows."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _asyncpg(connection: Connection) -> asyncpg.Connection | None:
    """asyncpg's own connection beneath ``connection``; None on another driver."""
    if connection.dialect.driver != "asyncpg":
        return None
    return connection.connection.driver_connection


def first(connection: Connection, statement: Select[Any], parameters: Mapping[str, Any]) -> Row | None:
    """The first row of ``statement``, its columns as attributes; on asyncpg whether or not the
    transaction has begun (the module's docstring says why that reads the same)."""
    direct = _asyncpg(connection)
    if direct is None:
        return connection.execute(statement, parameters).first()
    driver = compiled(statement, connection.dialect)
    row: Row | None = await_(
        direct.fetchrow(driver.sql, *driver.values(parameters), record_class=AttributeRecord)
    )
    return row


def call_alone(connection: Connection, statement: Select[Any], parameters: Mapping[str, Any]) -> Any:
    """The one value ``statement`` returns: on asyncpg a transaction of its own when the request's has
    not begun (committed when this returns), else a statement of the request's transaction."""
    direct = _asyncpg(connection)
    if direct is None:
        return run(connection, statement, parameters)[0][0]
    driver = compiled(statement, connection.dialect)
    return await_(direct.fetchval(driver.sql, *driver.values(parameters)))
