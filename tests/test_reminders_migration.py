"""Schema version 3 (several subscriptions per address, merged deliveries) migrated from a real version-2 database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reminders_support import Clock, at, deadline, make_settings, plain_text, save, service, smtp  # noqa: F401
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from calendar_svc.db import get_meta
from calendar_svc.filters import Filters
from calendar_svc.offsets import parse_offsets
from calendar_svc.reminders import schema
from calendar_svc.reminders.models import Delivery, Subscriber

V2 = Path(__file__).parent / "data"
ALICE, BOB = "alice@example.edu", "bob@example.org"


def version_2_database(url: str, dialect: str) -> None:
    """The tables as version 2 of the program created them, with an operator's data in them."""
    dump = (V2 / f"reminders-schema-v2.{dialect}.sql").read_text(encoding="utf-8")
    sql = "\n".join(line for line in dump.splitlines() if not line.startswith("--"))
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in sql.split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)
        # alice: confirmed to 工业和信息化部 (her first confirmation: generation 1), one reminder already sent;
        # bob: a pending web request whose link is still in his mailbox.
        connection.execute(text(
            "INSERT INTO subscriber (email, status, filter, offsets, window_open, created, since, confirmed_at, generation) "
            "VALUES (:e, 'confirmed', :f, '7d,1d', false, :t, :t, :t, 1)"
        ), {"e": ALICE, "f": "issuer=%E5%B7%A5%E4%B8%9A%E5%92%8C%E4%BF%A1%E6%81%AF%E5%8C%96%E9%83%A8", "t": dt.datetime(2026, 3, 1, 2, 0)})
        connection.execute(text(
            "INSERT INTO subscriber (email, status, filter, offsets, window_open, created, confirmation_sent_at, confirm_nonce, generation) "
            "VALUES (:e, 'pending', '', '', false, :t, :t, 'bob-nonce', 0)"
        ), {"e": BOB, "t": dt.datetime(2026, 3, 1, 2, 0)})
        connection.execute(text(
            "INSERT INTO delivery (deadline_id, offset_label, subscriber_id, deadline_due, remind_at, status, attempts, claimed_by, "
            "claimed_at, sent_at, late, email, summary, last_error, updated) VALUES ('gx', '7d', 1, :due, :at, 'sent', 1, 'v2', :at, :at, "
            "false, :e, '截止：网上填报申报书（项目申报单位）', '', :at)"
        ), {"e": ALICE, "due": dt.datetime(2026, 3, 16, 15, 59), "at": dt.datetime(2026, 3, 9, 1, 0)})
    engine.dispose()


def check_migrated(svc, clock, smtp) -> None:  # noqa: ANN001, F811
    """What a migrated database must do: keep every row, id and link, and take several subscriptions per address."""
    assert get_meta(svc.engine, "schema_version") == str(schema.SCHEMA_VERSION) == "3"
    columns = {c["name"] for c in inspect(svc.engine).get_columns("delivery")}
    assert "merged_into" in columns
    [alice, bob] = svc.subscribers()
    assert (alice.id, alice.email, alice.status, alice.generation, alice.digest) == (1, ALICE, "confirmed", 1, "")
    assert (bob.id, bob.status, bob.confirm_nonce) == (2, "pending", "bob-nonce")
    with Session(svc.engine) as session:
        [logged] = session.scalars(select(Delivery))
    assert (logged.subscriber_id, logged.offset, logged.status) == (1, "7d", "sent")

    # The reminder sent before the upgrade is not sent again; the next one goes out once.
    clock.set("2026-03-15T09:00")
    svc.check()
    assert [m["X-Calendar-Svc-Offset"] for m in smtp.mailbox.to(ALICE)] == ["1d"]

    # Several subscriptions per address now: another filter is a second row beside the first.
    second = svc.subscribe(ALICE, Filters(issuer=("教育部",)), parse_offsets("1d"))
    assert second.id != alice.id and [s.status for s in svc.subscribers() if s.email == ALICE] == ["confirmed", "confirmed"]

    # bob's link from before the upgrade still confirms his request (its filter travels in the link).
    token = svc.tokens.confirm_token({"email": BOB, "filter": "kind=window", "offsets": "1d", "window_open": False, "n": "bob-nonce"}, clock.now)
    confirmed = svc.confirm(token)
    assert (confirmed.id, confirmed.status, confirmed.filter) == (2, "confirmed", "kind=window")

    # An unsubscribe link from a version-2 mail (address and generation only) ends the migrated subscription only.
    old_link = svc.tokens.unsubscribe_token(ALICE, 1)
    assert svc.unsubscribe_token(old_link).id == 1
    assert [(s.id, s.status) for s in svc.subscribers() if s.email == ALICE] == [(1, "unsubscribed"), (second.id, "confirmed")]


def test_a_version_2_sqlite_database_is_migrated(tmp_path: Path, smtp) -> None:  # noqa: F811
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("gx", dt.date(2026, 3, 16)), deadline("jy", dt.date(2026, 3, 16), issuer="教育部"))
    version_2_database(settings.database_url, "sqlite")
    clock = Clock("2026-03-10T09:00")
    first = service(settings, clock, "upgraded-1")
    again = service(settings, clock, "upgraded-2")  # a second process opening the migrated file: nothing to do
    assert again.subscribers()[0].id == 1
    with first.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    check_migrated(first, clock, smtp)
