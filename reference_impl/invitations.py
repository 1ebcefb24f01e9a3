"""POST invite: the users checked, the lock taken and the change made; on PostgreSQL in one round trip.

On SQLite (in this process, no round trips) the request's transaction runs ``repository``'s
statements one by one. On PostgreSQL it calls a function per family, made when the server starts.

An invitation on PostgreSQL was seven round trips (BEGIN, the caller, the resource, the known users,
the lock, the change, COMMIT), each a wake-up of a backend and of the worker, and most of the CPU
time of a request beyond what the HTTP layer costs. What follows the access gate (take the lock, check
that the resource is still there, check the users, change) is one PL/pgSQL function, called as one
statement: before the request has begun a transaction (the gate's reads do not begin one,
``driver_statements.first``) the call is its own transaction, committed before its answer comes back,
so BEGIN and COMMIT go too (``driver_statements.call_alone``). With the gate's read, two round trips;
when the gate decides on the rows an earlier invitation read (``kept_reads``), one.

Why the gate's decision still holds without one transaction around it: the function checks, after it
has taken the resource's lock and before it changes anything, that the rows the gate decided on are
still there and, when the gate hands their versions over (``kept_reads``), still those versions; any
change of them since (a deletion, which takes the lock alone, ``repository.delete_resource``; an
update; the caller's row gone) makes it change nothing and say so, and the gate decides again on rows
read afresh (``handlers.invite``). Without versions (the second decision), what the gate reads to decide
on an event's or a group's invitation (the caller, the resource's manager column) is what no request
changes, and the function checks that the resource is still there. Invitations whose decision reads
memberships (a course's) lock the resource in the gate, which begins the transaction, so the call is a
statement of it.

Each statement of a VOLATILE PL/pgSQL function sees what was committed when it began (under READ
COMMITTED, which ``storage.request_engine`` makes every session's level), so what the function reads
after the lock is what the previous change committed. A raised error or a refusal (rows changed,
unknown users) leaves nothing behind: nothing is written before the refusal, and the call is one
statement.

The change is ``id_lists``'s ``add_members`` statement, then, only when some listed user already had a
membership, its ``move_or_add`` statement (which also accepts pending requests), both compiled for
asyncpg and put in the function as they are: their ``$n`` parameters are the function's first
parameters, named as ``move_or_add``'s, in its order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Engine,
    Integer,
    Select,
    String,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect

from reference_impl import driver_statements, id_lists, repository
from reference_impl.families import FAMILIES, StoredFamily
from reference_impl.kept_reads import RowVersions

#: The parameters of ``move_or_add``: their types in the function's signature and in the call.
_TYPES: dict[str, tuple[str, Any]] = {
    "resource": ("bigint", BigInteger),
    "ids": ("bigint[]", postgresql.ARRAY(BigInteger)),
    "source": ("text", String),
    "target": ("text", String),
    "status": ("text", String),
}


#: How the function's statements are planned: once per session, each a walk of the listed ids through
#: the indexes. Left to itself, PostgreSQL re-planned them on every call (with the ids as an array
#: parameter, a generic plan looks costlier than a custom one): a third of its CPU time per invitation.
#: A generic plan, though, is costed without the list's length, and chose to hash all the users and
#: scan all the memberships: CPU time growing with the tables. Without hash and merge joins and
#: sequential scans, every statement is a nested loop over the ids with index lookups, whatever the
#: tables hold. The settings hold while the function runs (its foreign keys' checks too, which look
#: rows up by primary key anyway) and are restored when it returns.
_PLANNING = (
    "SET plan_cache_mode = force_generic_plan SET enable_seqscan = off"
    " SET enable_hashjoin = off SET enable_mergejoin = off"
)


def name(family: StoredFamily) -> str:
    return f"reference_impl_invite_{family.name}"


def _change_order(family: StoredFamily) -> tuple[str, ...]:
    """``move_or_add``'s parameters, in the order of its ``$n``."""
    change = _change(family)
    assert change.order is not None
    return change.order


def _change(family: StoredFamily) -> driver_statements.DriverStatement:
    move_or_add = id_lists.statements_for("postgresql", family).move_or_add
    return driver_statements.compiled(move_or_add, asyncpg_dialect.dialect())  # type: ignore[no-untyped-call]


def _add_first(family: StoredFamily) -> str:
    """``id_lists``'s ``add_members`` statement as SQL of the function, its ``$n`` those of the function's
    parameters of the same names (``move_or_add``'s)."""
    add = driver_statements.compiled(
        id_lists.statements_for("postgresql", family).add_members,
        asyncpg_dialect.dialect(),  # type: ignore[no-untyped-call]
    )
    order = add.order
    assert order is not None
    positions = {parameter: index + 1 for index, parameter in enumerate(_change_order(family))}
    return re.sub(r"\$(\d+)", lambda found: f"${positions[order[int(found[1]) - 1]]}", add.sql)


def definition(family: StoredFamily) -> str:
    """``CREATE OR REPLACE FUNCTION`` for ``family``'s invitations.

    The function returns NULL when the resource is gone, or when the gate's rows are given
    (``caller_version``, ``resource_version``: ``kept_reads``) and the caller's or the resource's row is
    no longer that version; then the ids that name no user, if any; both times it changed nothing. An
    empty array when it invited.
    """
    change, order = _change(family), _change_order(family)
    positional = ", ".join(_TYPES[parameter][0] for parameter in order)
    ids, resource = f"${order.index('ids') + 1}", f"${order.index('resource') + 1}"
    table = family.table.name
    return f"""
CREATE OR REPLACE FUNCTION {name(family)}({positional}, lock_space integer, lock_key integer, shared boolean,
    caller bigint, caller_version bigint, resource_version bigint)
RETURNS bigint[] LANGUAGE plpgsql VOLATILE
{_PLANNING}
AS $function$
DECLARE
    unknown bigint[];
    added bigint;
BEGIN
    IF shared THEN
        PERFORM pg_advisory_xact_lock_shared(lock_space, lock_key);
    ELSE
        PERFORM pg_advisory_xact_lock(lock_space, lock_key);
    END IF;
    IF NOT EXISTS (
        SELECT FROM {table} WHERE {table}.id = {resource}
        AND (resource_version IS NULL OR {table}.xmin::text::bigint = resource_version)
    ) OR (caller_version IS NOT NULL AND NOT EXISTS (
        SELECT FROM users WHERE users.id = caller AND users.xmin::text::bigint = caller_version
    )) THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(array_agg(wanted.id ORDER BY wanted.position), '{{}}') INTO unknown
    FROM unnest({ids}) WITH ORDINALITY AS wanted(id, position)
    WHERE NOT EXISTS (SELECT FROM users WHERE users.id = wanted.id);
    IF cardinality(unknown) > 0 THEN
        RETURN unknown;
    END IF;
    -- Users with no membership yet are invited by a plain insert; the statement that also accepts
    -- requests runs only when some user has a membership (with 32 sessions inviting new users at once,
    -- 0.10 ms of backend CPU per call instead of 0.12 when it ran for every call).
    {_add_first(family)};
    GET DIAGNOSTICS added = ROW_COUNT;
    IF added < cardinality({ids}) THEN
        {change.sql};
    END IF;
    RETURN unknown;
END
$function$
"""


def signature(family: StoredFamily) -> str:
    """The function's name and parameter types, as ``regprocedure`` reads them."""
    types = [_TYPES[parameter][0] for parameter in _change_order(family)]
    types += ["integer", "integer", "boolean", "bigint", "bigint", "bigint"]
    return f"{name(family)}({', '.join(types)})"


def create(engine: Engine) -> None:
    """Make (or replace) every family's function; nothing to do on other databases."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        # Workers starting together: replacing a function in two sessions at once can fail ("tuple
        # concurrently updated"), so they replace the functions one at a time. A function of the same
        # name with other parameters (an earlier version's) is left alone: a server of that version on
        # the same database still calls it.
        connection.execute(
            select(func.pg_advisory_xact_lock(func.hashtext("reference_impl.invite_function")))
        )
        for family in FAMILIES.values():
            connection.execute(text(definition(family)))


def _call(family: StoredFamily) -> Select[Any]:
    """``SELECT <the family's function>(…)``, its parameters named as ``invite`` gives them."""
    change = [bindparam(parameter, type_=_TYPES[parameter][1]) for parameter in _change_order(family)]
    lock = [bindparam("lock_space", type_=Integer), bindparam("lock_key", type_=Integer)]
    rows = [bindparam(row, type_=BigInteger) for row in ("caller", "caller_version", "resource_version")]
    return select(getattr(func, name(family))(*change, *lock, bindparam("shared", type_=Boolean), *rows))


_CALLS = {family.name: _call(family) for family in FAMILIES.values()}


class ReadNotVerified(Exception):
    """The rows the gate decided on (``kept_reads``) are not the versions it kept, or could not be checked:
    nothing was changed; the gate has to decide again on rows read afresh."""


def invite(
    connection: Connection,
    family: StoredFamily,
    resource_id: int,
    user_ids: Sequence[int],
    *,
    caller_id: int | None = None,
    versions: RowVersions | None = None,
) -> list[int]:
    """Invite ``user_ids`` (once each) as ``repository.invite`` does if all name users, else change nothing;
    the ids that name no user. ``repository.ResourceGone`` when the resource was deleted after the access
    gate read it; with the ``versions`` of the caller's and the resource's rows the gate decided on,
    ``ReadNotVerified`` when they are not those versions or cannot be checked."""
    postgresql = connection.dialect.name == "postgresql"
    if not postgresql or not all(map(repository.is_storable_id, user_ids)):
        if versions is not None:  # only the function checks them
            raise ReadNotVerified
        unknown = repository.unknown_user_ids(connection, user_ids)
        if not unknown and user_ids:
            repository.invite(connection, family, resource_id, user_ids)
        return unknown
    space, key = repository.lock_key(family, resource_id)
    parameters = {
        "resource": resource_id,
        "ids": list(user_ids),
        "source": "requested",
        "target": family.joined_state,
        "status": "invited",
        "lock_space": space,
        "lock_key": key,
        "shared": len(user_ids) <= 1,
        "caller": caller_id,
        "caller_version": versions.caller if versions else None,
        "resource_version": versions.resource if versions else None,
    }
    unknown = driver_statements.call_alone(connection, _CALLS[family.name], parameters)
    if unknown is None:
        if versions is not None:
            raise ReadNotVerified
        raise repository.ResourceGone(family, resource_id)
    return list(unknown)
