"""Reviewer accounts: names and password hashes in the shared database.

Passwords are hashed with werkzeug.security (scrypt, salted). Repeated
wrong passwords lock the account for a while, so the review page cannot be
used to guess them; the lock-out is kept in the database, so restarting the
server or running several does not reset it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from sqlalchemy import Engine, Integer, String, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import CalendarSvcError
from ..db import UtcDateTime, unreachable

#: Wrong passwords in a row before an account is locked, and for how long.
MAX_FAILURES = 5
LOCK_OUT = dt.timedelta(minutes=15)
MIN_PASSWORD = 8


class AccountError(CalendarSvcError):
    """A reviewer account cannot be made as asked."""


class _Base(DeclarativeBase):
    pass


class Reviewer(_Base):
    """A person allowed on /review."""

    __tablename__ = "reviewer"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Accounts:
    """Reviewer accounts in ``engine``'s database (the table is created on first use)."""

    def __init__(self, engine: Engine, *, now: Callable[[], dt.datetime]) -> None:
        self.engine = engine
        self.now = now
        try:
            _Base.metadata.create_all(engine)
        except SQLAlchemyError as exc:
            raise unreachable(exc, engine) from None

    def add(self, name: str, password: str) -> None:
        """Create reviewer ``name``; an existing name is an error (use :meth:`set_password`)."""
        name = check_name(name)
        check_password(password)
        try:
            with Session(self.engine) as session, session.begin():
                session.add(Reviewer(name=name, password_hash=generate_password_hash(password), failures=0, created=self.now()))
        except IntegrityError:
            raise AccountError(f"审核人 {name} 已存在") from None

    def set_password(self, name: str, password: str) -> None:
        """A new password for ``name``; also lifts a lock-out."""
        check_password(password)
        with Session(self.engine) as session, session.begin():
            row = session.get(Reviewer, name)
            if row is None:
                raise AccountError(f"没有审核人 {name}")
            row.password_hash, row.failures, row.locked_until = generate_password_hash(password), 0, None

    def names(self) -> list[str]:
        with Session(self.engine) as session:
            return list(session.scalars(select(Reviewer.name).order_by(Reviewer.name)))

    def exists(self, name: str) -> bool:
        with Session(self.engine) as session:
            return session.get(Reviewer, name) is not None

    def login(self, name: str, password: str) -> str:
        """``"ok"``, ``"wrong"`` or ``"locked"``. An unknown name is ``"wrong"`` (no telling which names exist)."""
        now = self.now()
        with Session(self.engine) as session, session.begin():
            row = session.get(Reviewer, name, with_for_update=True)
            if row is None:
                check_password_hash(_dummy_hash(), password)  # the same work, so timing does not tell either
                return "wrong"
            if row.locked_until is not None and row.locked_until > now:
                return "locked"
            if check_password_hash(row.password_hash, password):
                row.failures, row.locked_until = 0, None
                return "ok"
            row.failures += 1
            if row.failures >= MAX_FAILURES:
                row.failures, row.locked_until = 0, now + LOCK_OUT
                return "locked"
            return "wrong"


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("not a password")


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() or not c.isprintable() for c in name):
        raise AccountError("审核人名称须为 1–64 个字符，不含空格或控制字符")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符")
