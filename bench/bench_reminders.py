"""Benchmark the reminders: scheduling 10 000 deadlines × 1 000 subscribers, and sending throughput.

Run by hand (not part of pytest):  python bench/bench_reminders.py [--deadlines N] [--subscribers N] [--send N]

Scheduling is measured on the pure functions (every reminder of every
deadline, and the due-check at one moment) and through the service with its
SQLite delivery log (a dry run). Sending is measured end to end against a
loopback aiosmtpd server: claim in the log, compose (with .ics), SMTP, record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import socket
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calendar_svc import config, store  # noqa: E402
from calendar_svc.filters import Filters  # noqa: E402
from calendar_svc.model import SHANGHAI, Deadline, NoticeRef, Source  # noqa: E402
from calendar_svc.reminders import schedule  # noqa: E402
from calendar_svc.reminders.hours import SendingHours  # noqa: E402
from calendar_svc.reminders.models import CONFIRMED, SENT, Delivery, Subscriber  # noqa: E402
from calendar_svc.offsets import parse_offsets  # noqa: E402
from calendar_svc.reminders.service import Reminders  # noqa: E402
from calendar_svc.reminders.subscribers import filter_query  # noqa: E402

ISSUERS = [f"部门{i}" for i in range(20)]
KINDS = ["deadline", "window", "start", "effective"]
START = dt.datetime(2026, 1, 1, tzinfo=SHANGHAI)
HOURS = SendingHours()  # the defaults: 09:00, office close 17:00, 08:00–20:00


def make_deadlines(count: int, rng: random.Random) -> list[Deadline]:
    result = []
    for i in range(count):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
        timed = rng.random() < 0.3
        end = dt.datetime.combine(day, dt.time(16, 0), tzinfo=SHANGHAI) if timed else day
        kind = rng.choice(KINDS)
        start = (day - dt.timedelta(days=30)) if kind == "window" and not timed else None
        result.append(
            Deadline(
                id=f"d{i:06}",
                kind=kind,
                start=start,
                end=end,
                all_day=not timed,
                who="项目申报单位",
                what=f"提交材料{i}",
                quote="请于截止日前提交。",
                notice=NoticeRef(title=f"通知{i}", issuer=rng.choice(ISSUERS)),
                source=Source(file="bench.txt", line=i + 1),
                tags=[rng.choice(["科研", "人才", "产业"])],
            )
        )
    return result


def make_recipients(count: int, rng: random.Random) -> list[schedule.Recipient]:
    people = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.3:
            flt = Filters()
        elif roll < 0.8:
            flt = Filters(issuer=(rng.choice(ISSUERS),))
        else:
            flt = Filters(kind=(rng.choice(KINDS),), tag=(rng.choice(["科研", "人才", "产业"]),))
        weekly = i % 10 == 9  # every tenth subscription is a Monday digest (no offsets of its own)
        offsets = () if weekly else parse_offsets(rng.choice(["7d,1d", "7d,1d,2h", "1d"]))
        people.append(
            schedule.Recipient(i + 1, f"p{i}@example.edu", flt, offsets, not weekly and rng.random() < 0.2, START, digest="weekly" if weekly else "")
        )
    return people


def measure(label: str, func):  # noqa: ANN001, ANN201
    """Wall time of an untraced run, then the peak of Python allocations in a traced one."""
    began = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - began
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:62} {elapsed:8.2f} s   peak {peak / 2**20:7.1f} MiB")
    return value


def bench_schedule(n_deadlines: int, n_subscribers: int, folder: Path) -> None:
    rng = random.Random(5)
    deadlines = make_deadlines(n_deadlines, rng)
    people = make_recipients(n_subscribers, rng)
    print(f"\nScheduling: {n_deadlines} deadlines × {n_subscribers} subscribers")
    if n_deadlines * n_subscribers <= 1_000_000:  # 17 s at 10 000 × 1 000: only for small runs
        total = measure("every reminder, streamed (count only)", lambda: sum(1 for _ in schedule.reminders(deadlines, people, HOURS)))
        print(f"{'':62} {total:,} reminders")
    moment = dt.datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)
    due = measure("due-check at one moment (incl. all missed since Jan 1)", lambda: schedule.due(deadlines, people, HOURS, moment))
    print(f"{'':62} {len(due):,} due")
    measure("next 10 reminders (status)", lambda: schedule.upcoming(deadlines, people, HOURS, moment, 10))

    settings = _settings(folder, "")
    store.save(settings.deadlines, deadlines)
    service = Reminders(settings, now=lambda: START, worker_id="bench")
    with service.engine.begin() as conn:
        conn.execute(
            insert(Subscriber),
            [
                {
                    "email": p.email,
                    "status": CONFIRMED,
                    "filter": filter_query(p.filter),
                    "offsets": ",".join(o.label for o in p.offsets) or "7d,1d",
                    "window_open": p.window_open,
                    "digest": p.digest,
                    "created": START,
                    "since": START,
                    "confirmed_at": START,
                }
                for p in people
            ],
        )
    tick = dt.datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)  # a Monday: the digests fall due at this tick too
    service.deadlines.load()  # read once; the service re-reads deadlines.toml only when it changes
    report = measure("catch-up tick, empty log (dry run, SQLite)", lambda: service.check(tick, dry_run=True))
    print(f"{'':62} {len(report.outcomes):,} due")
    # Steady state: everything due by the previous tick is in the log (as if sent).
    with service.engine.begin() as conn:
        conn.execute(
            insert(Delivery),
            [
                {
                    "deadline_id": r.deadline.id, "offset_label": r.offset, "subscriber_id": r.recipient.id,
                    "deadline_due": schedule.utc(r.due), "remind_at": r.remind_at, "status": SENT, "attempts": 1,
                    "claimed_by": "bench", "claimed_at": tick, "sent_at": tick, "late": False,
                    "email": r.recipient.email, "summary": "", "last_error": "", "updated": tick,
                }
                for r in due  # the same moment as the tick: what it found due
            ],
        )
    fresh = Reminders(settings, now=lambda: tick, worker_id="bench-2")
    fresh.deadlines.load()
    moment = [tick + dt.timedelta(minutes=1)]

    def next_tick():  # noqa: ANN202 - a real (not dry) check a minute after the last, nothing new due
        moment[0] += dt.timedelta(minutes=1)
        return fresh.check(moment[0])

    began = time.perf_counter()
    first = fresh.check(moment[0])
    print(f"{'first tick, cold cache (full due-check, keys of live deadlines)':62} {time.perf_counter() - began:8.2f} s")
    began = time.perf_counter()
    next_tick()
    print(f"{'second tick (builds the timeline once per change)':62} {time.perf_counter() - began:8.2f} s")
    report = measure("steady tick, nothing new due (incremental)", next_tick)
    samples = []
    for _ in range(20):
        began = time.perf_counter()
        next_tick()
        samples.append(time.perf_counter() - began)
    samples.sort()
    print(f"{'steady tick: median and slowest of 20':62} {samples[10]:8.3f} s   max {samples[-1]:.3f} s")
    print(f"{'':62} {len(first.outcomes) + len(report.outcomes):,} sent, {len(fresh.dispatcher.known_keys(moment[0])):,} keys cached")
    measure("dry-run tick (always a full due-check)", lambda: fresh.check(moment[0], dry_run=True))
    measure(f"loading deadlines.toml ({len(deadlines):,} records, on change only)", lambda: store.load(settings.deadlines))


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        self.count += 1
        return "250 OK"


def bench_send(n_messages: int, folder: Path) -> None:
    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = _settings(folder, f"smtp://127.0.0.1:{port}")
        deadlines = [
            Deadline(
                id=f"s{i:05}", kind="deadline", start=None, end=dt.date(2026, 3, 20), all_day=True, who="单位", what=f"事项{i}",
                quote="请按时提交。", notice=NoticeRef(title="通知", issuer="部门0"), source=Source("bench.txt", i + 1),
            )
            for i in range(n_messages // 10)
        ]
        store.save(settings.deadlines, deadlines)
        service = Reminders(settings, now=lambda: START, worker_id="bench")
        for i in range(10):
            service.subscribe(f"r{i}@example.edu", Filters(), parse_offsets("1d"))
        at = dt.datetime(2026, 3, 19, 9, 0, tzinfo=SHANGHAI)
        print(f"\nSending: {len(deadlines) * 10} reminders to loopback aiosmtpd (claim, compose with .ics, SMTP, record)")
        began = time.perf_counter()
        report = service.check(at)
        elapsed = time.perf_counter() - began
        sent = report.count("sent")
        print(f"{'end-to-end send':62} {elapsed:8.2f} s   {sent / elapsed:7.1f} msg/s   ({sent} sent, {sink.count} received)")
    finally:
        controller.stop()


def _settings(folder: Path, smtp_url: str) -> config.Settings:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "calendar-svc.toml").write_text("", encoding="utf-8")
    return config.load(
        folder / "calendar-svc.toml",
        env={
            "CALENDAR_SVC_DEADLINES": str(folder / "deadlines.toml"),
            "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "CALENDAR_SVC_SMTP_URL": smtp_url,
            "CALENDAR_SVC_OUTBOX": str(folder / "outbox"),
            "CALENDAR_SVC_SECRET_KEY": "bench",
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=10_000)
    parser.add_argument("--subscribers", type=int, default=1_000)
    parser.add_argument("--send", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="calendar-svc-bench-") as tmp:
        bench_schedule(args.deadlines, args.subscribers, Path(tmp) / "schedule")
        bench_send(args.send, Path(tmp) / "send")


if __name__ == "__main__":
    main()
