"""The statements every request runs, compiled once per dialect and run on the driver's connection.

SQLAlchemy's own work per execution (execution context, parameter and result processing, rows)
cost more than the statements themselves, on SQLite (in this process) as on asyncpg: under POST invite
load it was a fifth of a request's CPU time. So these statements are compiled once to SQL text and
run on the DBAPI connection beneath the request's SQLAlchemy connection, inside the same transaction
(asyncpg's adapter begins it on the first statement, as for SQLAlchemy's own). Their parameters and
results are plain integers, text and lists of integers, which the drivers convert as SQLAlchemy
would; a failure surfaces as the driver's exception, which rolls the request back like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


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
