"""The database every room shares: engine, SQLite settings, small facts, one clear error.

Reminders, reviewer accounts and watched sources keep their tables in one
database (SQLite by default, PostgreSQL by URL). What they share lives here,
below all of them: opening an engine safely, storing aware datetimes, the
key/value facts (schema versions, the generated signing key) and the one-line
error for a database that cannot be used. Each room defines its tables on
:class:`Base` and creates them with :func:`create_tables`.

SQLite is the embedded default, so it gets WAL, a busy timeout and BEGIN
IMMEDIATE: with those, the web process and workers share the file without
"database is locked".
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import stat
from pathlib import Path

from sqlalchemy import DateTime, Engine, MetaData, String, Text, create_engine, event, select
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from .config import redact_url
from .errors import CalendarSvcError, InputError, os_problem

log = logging.getLogger("calendar_svc.db")


class DatabaseError(CalendarSvcError):
    """The database cannot be used as it is."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, a bad URL is a clear error."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError("database_url", f"不是 SQLAlchemy 数据库网址：{redact_url(url)!r}") from None
    options: dict = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        options = {"connect_args": {"timeout": 30}}
        if parsed.database and parsed.database != ":memory:":
            private_file(Path(parsed.database))
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise InputError("database_url", f"没有 {parsed.drivername!r} 的驱动：{exc}") from None
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
        raise InputError(str(path), f"无法创建数据库：{os_problem(exc) if isinstance(exc, OSError) else exc}") from None
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
        return "secret_key 是众所周知的占位值：任何人都能伪造确认和退订链接；请设一个足够长的随机值"
    if len(configured) < MIN_SECRET_LENGTH:
        return (
            f"secret_key 太短（{len(configured)} 个字符）：至少要 {MIN_SECRET_LENGTH} 个随机字符，"
            "如 python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
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
    return DatabaseError(f"无法使用数据库 {where}：{first}")


class UtcDateTime(TypeDecorator):
    """Aware datetimes stored as naive UTC, so SQLite and PostgreSQL compare them alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """Declarative base shared by every room's tables."""


class Meta(Base):
    """Small key/value facts about the database: schema version, generated signing key."""

    __tablename__ = "calendar_svc_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def create_tables(engine: Engine, metadata: MetaData | None = None) -> None:
    """Create the missing tables of ``metadata`` (every imported room's by default).

    Several workers may start at once against one database, so a lost race
    on creating a table is not an error.
    """
    for attempt in range(3):
        try:
            (metadata or Base.metadata).create_all(engine)
            return
        except (IntegrityError, ProgrammingError, OperationalError):
            if attempt == 2:
                raise


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
