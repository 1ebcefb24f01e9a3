"""Command line: serve the API, mint bearer tokens, seed users."""

from __future__ import annotations

import os
import warnings

import click
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from reference_impl import community, repository, settings, storage, tokens

# Connexion imports Starlette's test client at start-up, which warns about httpx on every run
# (`python -m reference_impl` and the sc-contract-server script both start here).
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

database_option = click.option(
    "--database",
    "database",
    default=None,
    metavar="URL",
    help=f"SQLAlchemy URL or SQLite file path (default: ${settings.DATABASE_URL_ENV} "
    f"or {settings.DEFAULT_DATABASE_URL}).",
)


@click.group()
def main() -> None:
    """Reference server for the SelfCommunity v2 membership lifecycle contract."""


def _prepared_engine(database: str | None) -> Engine:
    """An engine on a database whose tables and signing secret exist; clean errors for bad URLs."""
    url = settings.database_url(database)
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise click.ClickException(f"Unsupported database {url}: use sqlite:///FILE or postgresql://...")
    try:
        engine = storage.make_engine(url)
        storage.create_schema(engine)
        storage.signing_secret(engine)
    except (ArgumentError, NoSuchModuleError, OperationalError) as exc:
        raise click.ClickException(f"Cannot use the database {url}: {exc}") from exc
    return engine


def _community_options(settings_given: tuple[str, ...]) -> dict[str, community.OptionValue]:
    """Defaults, then the environment, then ``--community-option``; bad syntax is a usage error."""
    environment = os.environ.get(community.COMMUNITY_OPTIONS_ENV)
    try:
        community.resolve(environment=environment)
    except community.CommunityOptionError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        return community.resolve(settings_given, environment)
    except community.CommunityOptionError as exc:
        raise click.BadParameter(str(exc), param_hint="'--community-option'") from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@database_option
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--community-option",
    "community_options",
    multiple=True,
    metavar="NAME=VALUE",
    help="A community setting that access rules depend on; repeatable. Overrides "
    f"${community.COMMUNITY_OPTIONS_ENV} (comma-separated NAME=VALUE). Known: content_availability "
    "(default true; false makes reading event, group and course info require authentication), "
    "courses_only_staff_enabled (default false; true lets only staff members create courses, see "
    "`token --staff`).",
)
@click.option(
    "--stock-connexion",
    is_flag=True,
    default=None,
    help="Run Connexion's own Swagger UI, request validation and handler layers instead of this "
    "server's speed layers: the same answers, more slowly (to tell a Connexion problem from one of "
    f"the speed layers). Default: ${settings.STOCK_CONNEXION_ENV}=1, else off.",
)
def serve(
    host: str,
    port: int,
    database: str | None,
    workers: int,
    community_options: tuple[str, ...],
    stock_connexion: bool | None,
) -> None:
    """Serve the API with uvicorn (Swagger UI at /api/v2/ui/)."""
    import uvicorn

    from reference_impl.app import StartupError, configure_logging, create_app

    options = _community_options(community_options)
    # Tables and secret are made once here, so that workers never race to create them.
    _prepared_engine(database).dispose()
    url = settings.database_url(database)
    stock = settings.stock_connexion(stock_connexion)
    configure_logging()
    try:
        # With several workers: a check that the spec is usable.
        app = create_app(url, community_options=options, stock_connexion=stock)
    except StartupError as exc:
        raise click.ClickException(str(exc)) from exc
    if workers == 1:
        uvicorn.run(app, host=host, port=port, access_log=False, log_config=None)
    else:
        os.environ[settings.DATABASE_URL_ENV] = url  # read by each worker's factory
        os.environ[community.COMMUNITY_OPTIONS_ENV] = community.serialise(options)
        os.environ[settings.STOCK_CONNEXION_ENV] = "1" if stock else "0"
        uvicorn.run(
            "reference_impl.app:app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            access_log=False,
            log_config=None,
        )


@main.command()
@click.argument("username")
@database_option
@click.option(
    "--expires-in",
    default=tokens.DEFAULT_LIFETIME_SECONDS,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="SECONDS",
)
@click.option(
    "--staff",
    is_flag=True,
    help="Make USERNAME a staff member of the community (kept; staff members alone may create courses "
    "when courses_only_staff_enabled is true).",
)
def token(username: str, database: str | None, expires_in: int, staff: bool) -> None:
    """Print a bearer token for USERNAME (created if new) as the last line."""
    engine = _prepared_engine(database)
    secret = storage.signing_secret(engine)
    with engine.begin() as connection:
        user = repository.get_or_create_user(connection, username)
        if staff:
            repository.grant_community_role(connection, user.id, "staff")
    engine.dispose()
    click.echo(f"# user {user.username} has id {user.id}{' (staff)' if staff else ''}", err=True)
    click.echo(tokens.issue(secret, user.id, expires_in=expires_in))


@main.command()
@click.option("--users", "count", required=True, type=click.IntRange(min=1), help="How many users to add.")
@click.option("--prefix", default="user", show_default=True, help="Usernames are PREFIX1, PREFIX2, …")
@database_option
def seed(count: int, prefix: str, database: str | None) -> None:
    """Add COUNT users with free usernames."""
    engine = _prepared_engine(database)
    with engine.begin() as connection:
        ids = repository.create_users(connection, count, prefix)
    engine.dispose()
    click.echo(f"created {len(ids)} users, ids {ids[0]}..{ids[-1]}")
