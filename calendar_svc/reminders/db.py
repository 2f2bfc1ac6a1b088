"""Opening the reminders database: engine, schema, and the facts kept in it.

SQLite is the embedded default, so it gets WAL, a busy timeout and BEGIN
IMMEDIATE: with those, the web process and workers share the file without
"database is locked".
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from ..config import redact_url
from ..errors import CalendarSvcError, InputError
from .models import Base, Meta

log = logging.getLogger("calendar_svc.reminders")

#: Bump when the tables change, with a migration step in :func:`create_schema`.
SCHEMA_VERSION = 2

#: Columns added since version 1 (the tables added, such as ``outgoing``, come from create_all).
_ADDED_COLUMNS = {
    2: [("subscriber", "confirm_nonce", "VARCHAR(32)"), ("subscriber", "generation", "INTEGER NOT NULL DEFAULT 0")],
}


class DatabaseError(CalendarSvcError):
    """The reminders database cannot be used as it is."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, a bad URL is a clear error."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError("database_url", f"not a SQLAlchemy URL: {redact_url(url)!r}") from None
    options: dict = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        options = {"connect_args": {"timeout": 30}}
        if parsed.database and parsed.database != ":memory:":
            private_file(Path(parsed.database))
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise InputError("database_url", f"no driver for {parsed.drivername!r}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (0600, a new folder 0700), or tighten it.

    The database holds the key that signs confirm and unsubscribe links: anyone
    who can read it can forge them. SQLite gives its -wal and -shm files the
    database file's mode, so those follow.
    """
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            try:
                path.chmod(mode & 0o700)
            except OSError as exc:
                log.warning("event=insecure-database file=%s mode=%o error=%s", path, mode, exc)
            else:
                log.warning("event=database-permissions-tightened file=%s was=%o now=%o", path, mode, mode & 0o700)
    except OSError as exc:
        raise InputError(str(path), f"cannot create the reminders database: {exc.strerror or exc}") from None
    else:
        os.close(fd)


#: Secrets people leave in example configurations; any of them lets anyone forge links.
_PLACEHOLDERS = {"secret", "changeme", "change-me", "change_me", "password", "test", "dev", "default", "calendar-svc"}
MIN_SECRET_LENGTH = 32


def secret_problem(configured: str) -> str:
    """Why the configured secret_key is weak, or ``""`` (empty means a generated one, which is fine)."""
    if not configured:
        return ""
    if configured.strip().lower() in _PLACEHOLDERS:
        return "secret_key is a well-known placeholder: anyone can forge confirm and unsubscribe links; set a long random one"
    if len(configured) < MIN_SECRET_LENGTH:
        return (
            f"secret_key is short ({len(configured)} characters): use at least {MIN_SECRET_LENGTH} random ones, "
            "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return ""


def _sqlite_begin_immediate(connection) -> None:  # noqa: ANN001 - SQLAlchemy connection
    """Take the write lock at BEGIN: a read-then-write transaction (an upsert) then waits its turn
    under busy_timeout instead of failing with "database is locked" when another process wrote first."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(connection, record) -> None:  # noqa: ANN001 - DB-API objects
    connection.isolation_level = None  # pysqlite must not issue its own BEGIN; the "begin" event does
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def unreachable(exc: Exception, engine: Engine) -> DatabaseError:
    """One clear line for a database that cannot be reached or used (no traceback, no password)."""
    original = getattr(exc, "orig", None) or exc
    first = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    where = engine.url.render_as_string(hide_password=True)
    return DatabaseError(f"cannot use the reminders database {where}: {first}")


def create_schema(engine: Engine) -> None:
    """Create the tables if missing and record the schema version; refuse a newer schema.

    Several workers may start at once against one database, so a lost race
    on creating a table or the version row is not an error.
    """
    for attempt in range(3):
        try:
            Base.metadata.create_all(engine)
            break
        except (IntegrityError, ProgrammingError, OperationalError):
            if attempt == 2:
                raise
    version = get_meta(engine, "schema_version")
    if version is None:
        set_meta_once(engine, "schema_version", str(SCHEMA_VERSION))
        version = get_meta(engine, "schema_version")
    if int(version or SCHEMA_VERSION) > SCHEMA_VERSION:
        raise DatabaseError(
            f"the reminders database has schema version {version}, newer than this program's "
            f"({SCHEMA_VERSION}); upgrade calendar-svc"
        )
    if int(version or SCHEMA_VERSION) < SCHEMA_VERSION:
        _migrate(engine, int(version or SCHEMA_VERSION))


def _migrate(engine: Engine, version: int) -> None:
    """Add the columns of each later version; another process doing the same at once is no error."""
    for target in range(version + 1, SCHEMA_VERSION + 1):
        for table, column, ddl in _ADDED_COLUMNS.get(target, []):
            present = {c["name"] for c in inspect(engine).get_columns(table)}
            if column in present:
                continue
            try:
                with engine.begin() as connection:
                    connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")
            except (OperationalError, ProgrammingError):
                if column not in {c["name"] for c in inspect(engine).get_columns(table)}:
                    raise
    set_meta(engine, "schema_version", str(SCHEMA_VERSION))
    log.info("event=schema-migrated from=%s to=%s", version, SCHEMA_VERSION)


def get_meta(engine: Engine, key: str) -> str | None:
    with Session(engine) as session:
        return session.scalar(select(Meta.value).where(Meta.key == key))


def set_meta_once(engine: Engine, key: str, value: str) -> str:
    """Store ``value`` unless another process stored one first; return the stored one."""
    try:
        with Session(engine) as session, session.begin():
            session.add(Meta(key=key, value=value))
    except IntegrityError:
        pass
    stored = get_meta(engine, key)
    assert stored is not None
    return stored


def set_meta(engine: Engine, key: str, value: str) -> None:
    """Store ``value`` under ``key``, replacing what was there (last writer wins)."""
    with Session(engine) as session, session.begin():
        session.merge(Meta(key=key, value=value))


def signing_key(engine: Engine, configured: str) -> str:
    """The configured secret, or one generated once and shared through the database."""
    if configured:
        return configured
    return get_meta(engine, "secret_key") or set_meta_once(engine, "secret_key", secrets.token_urlsafe(32))
