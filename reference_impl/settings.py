"""Where the server finds its database, its specification and its signing secret, and how it runs."""

from __future__ import annotations

import os
from pathlib import Path

from openapi import SPEC_PATH

DATABASE_URL_ENV = "CONTRACT_DATABASE_URL"
JWT_SECRET_ENV = "CONTRACT_JWT_SECRET"
DEFAULT_DATABASE_URL = "sqlite:///reference.sqlite3"
SPEC_PATH_ENV = "CONTRACT_SPEC_PATH"
STOCK_CONNEXION_ENV = "CONTRACT_STOCK_CONNEXION"


def database_url(explicit: str | None = None) -> str:
    """The SQLAlchemy URL to use: the explicit one, then the environment, then a local SQLite file.

    ``postgresql://`` URLs are sent to psycopg 3, the driver this project installs; a bare file
    path means a SQLite file.
    """
    url = explicit or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    if "://" not in url:
        return f"sqlite:///{url}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def spec_path(explicit: Path | None = None) -> Path:
    """The OpenAPI document to serve: explicit, then $CONTRACT_SPEC_PATH, then the packaged spec."""
    return explicit or Path(os.environ.get(SPEC_PATH_ENV) or SPEC_PATH)


def stock_connexion(explicit: bool | None = None) -> bool:
    """Serve with Connexion's own layers instead of the speed layers: explicit, then
    $CONTRACT_STOCK_CONNEXION (``1``, ``true`` or ``yes``), else no."""
    if explicit is not None:
        return explicit
    return os.environ.get(STOCK_CONNEXION_ENV, "").strip().lower() in ("1", "true", "yes")
