"""Reviewer accounts: names, password hashes and mail addresses in the shared database.

Passwords are hashed with werkzeug.security (scrypt, salted). Repeated
wrong passwords lock the account for a while, so the review page cannot be
used to guess them; the lock-out is kept in the database, so restarting the
server or running several does not reset it. An account may carry a mail
address: the daily 待审核 digest goes there.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from sqlalchemy import Engine, Integer, String, inspect, select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import CalendarSvcError
from ..db import UtcDateTime, unreachable

#: Wrong passwords in a row before an account is locked, and for how long.
MAX_FAILURES = 5
LOCK_OUT = dt.timedelta(minutes=15)
MIN_PASSWORD = 8
#: What a reviewer's address must look like: one @, a dot in the domain, nothing that could break a mail header.
_ADDRESS = re.compile(r"[^@\s<>,;:\"\\]+@[^@\s<>,;:\"\\]+\.[^@\s<>,;:\"\\.]+")


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
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)


class Accounts:
    """Reviewer accounts in ``engine``'s database (the table is created on first use)."""

    def __init__(self, engine: Engine, *, now: Callable[[], dt.datetime]) -> None:
        self.engine = engine
        self.now = now
        try:
            _Base.metadata.create_all(engine)
            _add_email_column(engine)
        except SQLAlchemyError as exc:
            raise unreachable(exc, engine) from None

    def add(self, name: str, password: str, email: str | None = None) -> None:
        """Create reviewer ``name``; an existing name is an error (use :meth:`set_password`)."""
        name = check_name(name)
        check_password(password)
        email = check_email(email) if email else None
        try:
            with Session(self.engine) as session, session.begin():
                session.add(Reviewer(name=name, password_hash=generate_password_hash(password), failures=0, created=self.now(), email=email))
        except IntegrityError:
            raise AccountError(f"审核人 {name} 已存在") from None

    def set_email(self, name: str, email: str) -> None:
        """Where ``name``'s digest goes; an empty ``email`` removes the address."""
        address = check_email(email) if email.strip() else None
        with Session(self.engine) as session, session.begin():
            row = session.get(Reviewer, name)
            if row is None:
                raise AccountError(f"没有审核人 {name}")
            row.email = address

    def addresses(self) -> list[str]:
        """Each account's mail address: the one set, else the name when the name is an address."""
        with Session(self.engine) as session:
            rows = session.execute(select(Reviewer.name, Reviewer.email)).all()
        return sorted(email or name for name, email in rows if email or _ADDRESS.fullmatch(name))

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


def check_email(email: str) -> str:
    email = email.strip()
    if len(email) > 254 or not _ADDRESS.fullmatch(email):
        raise AccountError(f"邮箱地址不对：{email!r}（应如 kyc@example.edu.cn）")
    return email


def _add_email_column(engine: Engine) -> None:
    """Accounts made before addresses existed: add the column (the only change this table has had)."""
    if "email" not in {c["name"] for c in inspect(engine).get_columns("reviewer")}:
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE reviewer ADD COLUMN email VARCHAR(254)"))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符")
