"""Several worker processes against one real PostgreSQL database: each reminder goes out once."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import subprocess
import sys
from collections import Counter
from pathlib import Path

from postgres_support import postgres  # noqa: F401
from reminders_support import at, deadline, make_settings, smtp  # noqa: F401
from robots_support import robots  # noqa: F401
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from calendar_svc import config, store
from calendar_svc.filters import Filters
from calendar_svc.reminders.models import Delivery
from calendar_svc.offsets import parse_offsets
from calendar_svc.reminders.service import Reminders

WORKERS = 4
PEOPLE = [f"p{i}@example.edu" for i in range(5)]


def _worker(env: dict[str, str], moment: str, barrier, results, name: str) -> None:  # noqa: ANN001
    """One worker process: opens the database at the same instant as the others, then checks."""
    settings = config.load(env["CALENDAR_SVC_CONFIG"], env=env)
    barrier.wait(timeout=60)
    service = Reminders(settings, worker_id=name)  # schema creation races too
    barrier.wait(timeout=60)
    report = service.check(at(moment))
    results.put((name, [(o.status, o.deadline_id, o.email, o.offset) for o in report.outcomes], report.taken_elsewhere))


def environment(tmp_path: Path, database_url: str, smtp_url: str) -> dict[str, str]:
    file = tmp_path / "calendar-svc.toml"
    file.write_text("", encoding="utf-8")
    return {
        "CALENDAR_SVC_CONFIG": str(file),
        "CALENDAR_SVC_DEADLINES": str(tmp_path / "deadlines.toml"),
        "CALENDAR_SVC_DATABASE_URL": database_url,
        "CALENDAR_SVC_SMTP_URL": smtp_url,
        "CALENDAR_SVC_SECRET_KEY": "pg-test",
        "CALENDAR_SVC_BASE_URL": "https://calendar.example.edu",
    }


def received(mailbox) -> Counter:  # noqa: ANN001
    return Counter(
        (r.recipients[0], r.message["X-Calendar-Svc-Deadline"], r.message["X-Calendar-Svc-Offset"]) for r in mailbox.received
    )


def test_worker_processes_send_each_reminder_exactly_once(tmp_path: Path, postgres, smtp) -> None:  # noqa: F811
    env = environment(tmp_path, postgres.url, smtp.url)
    store.save(tmp_path / "deadlines.toml", [deadline(f"d{i:02}", dt.date(2026, 3, 10 + i % 10)) for i in range(40)])
    settings = config.load(env["CALENDAR_SVC_CONFIG"], env=env)

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    processes = [
        context.Process(target=_worker, args=(env, "2026-03-01T00:00", barrier, results, f"setup-{i}")) for i in range(WORKERS)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(120)
        assert p.exitcode == 0
    assert all(results.get(timeout=10)[1] == [] for _ in processes)  # nobody subscribed yet

    setup = Reminders(settings, now=lambda: at("2026-03-01T00:00"), worker_id="operator")
    for person in PEOPLE:
        setup.subscribe(person, Filters(), parse_offsets("7d,1d"))

    # Round 1: four processes released together; 200 reminders are due (most of them late).
    barrier = context.Barrier(WORKERS)
    processes = [
        context.Process(target=_worker, args=(env, "2026-03-12T09:00", barrier, results, f"worker-{i}")) for i in range(WORKERS)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(180)
        assert p.exitcode == 0
    reports = [results.get(timeout=10) for _ in processes]
    sent = [item for _, outcomes, _ in reports for item in outcomes if item[0] == "sent"]
    merged = [item for _, outcomes, _ in reports for item in outcomes if item[0] == "merged"]
    # Deadlines on the 10th and 11th have passed; of the 32 others all 7d reminders are due, and
    # the 1d ones of the 12th and 13th: (32 + 8) × 5 people. For the 12th's and 13th's the missed
    # 7d reminder rides in the 1d one's message: 32 × 5 messages, 8 × 5 merged.
    assert len(sent) == 32 * 5 and len(merged) == 8 * 5
    assert len(set(sent + merged)) == len(sent) + len(merged)
    senders = sum(any(o[0] == "sent" for o in outcomes) for _, outcomes, _ in reports)
    collisions = sum(elsewhere for _, _, elsewhere in reports)
    assert senders >= 2 or collisions > 0  # they really raced: shared the work or hit each other's claims
    counts = received(smtp.mailbox)
    assert len(counts) == 160 and set(counts.values()) == {1}

    # Round 2: the same moment again with the real CLI, four processes at once: nothing twice.
    outputs = remind_at_once(env, "2026-03-12T09:00")
    assert all("已处理 0 条提醒" in err for _, err in outputs)
    assert len(smtp.mailbox.received) == 160

    # Round 3: later moments, the CLI processes racing on what fell due since.
    outputs = remind_at_once(env, "2026-03-16T09:00")
    counts = received(smtp.mailbox)
    assert set(counts.values()) == {1}
    # Since: 1d reminders of the 14th–17th fell due, but the 14th's and 15th's deadlines have passed
    # by the 16th 09:00, so never those: the 16th's and 17th's, 8 deadlines × 5 people.
    assert len(counts) == 160 + 8 * 5
    with Session(setup.engine) as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 200 + 8 * 5  # every key once


def remind_at_once(env: dict[str, str], moment: str) -> list[tuple[str, str]]:
    """Run ``calendar-svc remind --at MOMENT --force`` (a moment now past) in WORKERS processes at once; all must succeed."""
    commands = [
        subprocess.Popen(
            [sys.executable, "-c", "from calendar_svc.cli import main; main()", "remind", "--at", moment, "--force"],
            env={**env, "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    outputs = [c.communicate(timeout=120) for c in commands]
    assert all(c.returncode == 0 for c in commands), outputs
    return outputs


def test_workers_racing_on_the_outgoing_queue_send_each_confirmation_once(tmp_path: Path, postgres, smtp) -> None:  # noqa: F811
    """Several `serve`/`worker` processes share one queue of confirmation mails: a conditional UPDATE claims each."""
    import threading

    from calendar_svc.reminders.models import Outgoing

    env = environment(tmp_path, postgres.url, smtp.url)
    store.save(tmp_path / "deadlines.toml", [deadline("q", dt.date(2026, 3, 20))])
    settings = config.load(env["CALENDAR_SVC_CONFIG"], env=env)
    clock = lambda: at("2026-03-01T10:00")  # noqa: E731
    web = Reminders(settings, now=clock, worker_id="web")
    addresses = [f"queue{i}@example.org" for i in range(30)]
    for i, address in enumerate(addresses):
        web.request_subscription(address, Filters(), client=f"10.0.{i // 5}.1")
    workers = [Reminders(settings, now=clock, worker_id=f"mailer-{i}") for i in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    sent: list[int] = []
    errors: list[BaseException] = []

    def run(service: Reminders) -> None:
        try:
            barrier.wait(timeout=60)
            sent.append(service.send_queued())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(sent) == 30
    counts = Counter(r.recipients[0] for r in smtp.mailbox.received)
    assert counts == Counter({address: 1 for address in addresses})
    with Session(web.engine) as session:
        statuses = Counter(session.scalars(select(Outgoing.status).where(Outgoing.email.in_(addresses))))
    assert statuses == Counter({"sent": 30})


def test_a_version_2_postgresql_database_is_migrated(tmp_path: Path, postgres, smtp) -> None:  # noqa: F811
    """The same upgrade as on SQLite, on PostgreSQL: ALTER TABLE under a lock, every row and id kept."""
    from reminders_support import Clock, save, service
    from test_reminders_migration import check_migrated, version_2_database

    admin = create_engine(postgres.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql("CREATE DATABASE version2")
    admin.dispose()
    url = postgres.url.rsplit("/", 1)[0] + "/version2"
    version_2_database(url, "postgresql")
    settings = make_settings(tmp_path, smtp.url, CALENDAR_SVC_DATABASE_URL=url)
    save(settings, deadline("gx", dt.date(2026, 3, 16)), deadline("jy", dt.date(2026, 3, 16), issuer="教育部"))
    clock = Clock("2026-03-10T09:00")
    upgraded = service(settings, clock, "upgraded")
    check_migrated(upgraded, clock, smtp)


def test_two_workers_send_collapsed_reminders_digests_and_robot_messages_once(tmp_path: Path, postgres, smtp, robots) -> None:  # noqa: F811
    """After an outage, two worker processes on PostgreSQL: one mail per deadline and subscription, one digest, one robot message."""
    from robots_support import robots_config

    admin = create_engine(postgres.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql("CREATE DATABASE outage")
    admin.dispose()
    env = environment(tmp_path, postgres.url.rsplit("/", 1)[0] + "/outage", smtp.url)
    Path(env["CALENDAR_SVC_CONFIG"]).write_text(robots_config(robots), encoding="utf-8")
    store.save(tmp_path / "deadlines.toml", [deadline(f"o{i:02}", dt.date(2026, 3, 17 + i % 8)) for i in range(16)])
    settings = config.load(env["CALENDAR_SVC_CONFIG"], env=env)
    setup = Reminders(settings, now=lambda: at("2026-03-01T00:00"), worker_id="operator")
    people = [f"w{i}@example.edu" for i in range(3)]
    for person in [*people, "webhook:科研处钉钉群"]:
        setup.subscribe(person, Filters(), parse_offsets("7d,1d"))
    setup.subscribe("digest@example.edu", Filters(), digest="weekly")
    setup.subscribe("webhook:科研处飞书群", Filters(), digest="weekly")
    moment = "2026-03-16T09:00"  # down since the 1st: every 7d reminder of the 17th–23rd, and the 17th's 1d, at once
    robots.now = lambda: at(moment)

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [context.Process(target=_worker, args=(env, moment, barrier, results, f"pg-{i}")) for i in range(2)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(180)
        assert p.exitcode == 0
    reports = [results.get(timeout=10) for _ in processes]
    outcomes = Counter(item[0] for _, items, _ in reports for item in items)
    # 14 deadlines on the 17th–23rd × 4 subscriptions (three addresses and the 钉钉 robot): one message each;
    # the 17th's two deadlines also had their 1d due, merged; and two digests.
    assert outcomes == {"sent": 14 * 4 + 2, "merged": 2 * 4}
    assert robots.refused == []
    assert len(robots.of("dingtalk")) == 14 and len(robots.of("feishu")) == 1
    mails = Counter((r.recipients[0], r.message["X-Calendar-Svc-Deadline"]) for r in smtp.mailbox.received)
    assert set(mails.values()) == {1} and len(mails) == 14 * 3 + 1

    # Both start again (a restart) and race on the same moment with the real CLI: nothing twice.
    outputs = [
        subprocess.Popen(
            [sys.executable, "-c", "from calendar_svc.cli import main; main()", "remind", "--at", moment, "--force"],
            env={**env, "PATH": "/usr/bin:/bin"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    assert all("已处理 0 条提醒" in c.communicate(timeout=120)[1] for c in outputs)
    assert len(smtp.mailbox.received) == 14 * 3 + 1 and len(robots.received) == 15
    with Session(setup.engine) as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 14 * 4 + 2 * 4 + 2
