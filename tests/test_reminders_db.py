"""The reminders database: created by the program, shared safely, refused when newer than the code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from reminders_support import Clock, deadline, make_settings, save
from sqlalchemy import update
from sqlalchemy.orm import Session

from calendar_svc.errors import InputError
from calendar_svc import db
from calendar_svc.db import Meta
from calendar_svc.reminders.schema import SCHEMA_VERSION
from calendar_svc.reminders.service import Reminders


def test_schema_is_created_once_and_the_generated_key_is_shared(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "", CALENDAR_SVC_SECRET_KEY="")
    first = Reminders(settings, now=Clock("2026-03-01T00:00"))
    second = Reminders(settings, now=Clock("2026-03-01T00:00"))  # same file, schema already there
    assert db.get_meta(first.engine, "schema_version") == str(SCHEMA_VERSION)
    key = db.get_meta(first.engine, "secret_key")
    assert key and len(key) > 30
    # Links signed by one process verify in another: they share the generated key.
    token = first.tokens.unsubscribe_token("a@example.edu", 3)
    assert second.tokens.read_unsubscribe(token) == ("a@example.edu", 3, None)
    assert second.tokens.read_unsubscribe(first.tokens.unsubscribe_token("a@example.edu", 3, 7)) == ("a@example.edu", 3, 7)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "")
    svc = Reminders(settings, now=Clock("2026-03-01T00:00"))
    with Session(svc.engine) as session, session.begin():
        session.execute(update(Meta).where(Meta.key == "schema_version").values(value=str(SCHEMA_VERSION + 1)))
    with pytest.raises(db.DatabaseError, match="newer than this program"):
        Reminders(settings, now=Clock("2026-03-01T00:00"))


def test_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="不是 SQLAlchemy 数据库网址"):
        db.make_engine("not a url")
    with pytest.raises(InputError, match="没有 .* 的驱动"):
        db.make_engine("nosuchdb://x/y")


def test_sqlite_file_shared_by_busy_writers_never_reports_locked(tmp_path: Path) -> None:
    import threading

    from calendar_svc.filters import Filters

    settings = make_settings(tmp_path, "")
    save(settings, deadline("d", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T00:00")
    services = [Reminders(settings, now=clock, worker_id=f"w{i}") for i in range(6)]  # six engines: like processes
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(services))

    def work(index: int, svc: Reminders) -> None:
        try:
            barrier.wait()
            for n in range(15):
                svc.subscribe(f"u{index}-{n}@example.edu", Filters())  # read, then write
                svc.subscribe(f"shared{n}@example.edu", Filters())  # the same rows from every thread
                svc.check()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(services)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(services[0].subscribers()) == 6 * 15 + 15
