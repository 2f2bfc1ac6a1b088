"""`calendar-svc serve` checks the watched sources next to the reminders; a failing source shows on /review."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sys

import requests
from reminders_support import free_port
from sqlalchemy import create_engine

from calendar_svc import store
from calendar_svc.review.accounts import Accounts
from calendar_svc.sources import Source, add_source

from ingest_corpus import write_docx
from sources_site import GUIDE, NOTICES, FixtureSite, build_site
from calendar_svc.sources.schedule import READY
from test_reminders_scheduler import Process, _up, wait_for

PASSWORD = "correct horse battery"


def test_serve_watches_sources_and_the_review_page_names_a_failing_one(tmp_path):
    config = tmp_path / "calendar-svc.toml"
    config.write_text('[sources]\ncontact = "kyc@example.edu.cn"\ninterval = 0\n', encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    Accounts(create_engine(database), now=lambda: dt.datetime.now(dt.UTC)).add("张三", PASSWORD)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CALENDAR_SVC_CONFIG": str(config),
        "CALENDAR_SVC_DATABASE_URL": database,
        "CALENDAR_SVC_SOURCES": str(tmp_path / "sources.toml"),
        "CALENDAR_SVC_OUTBOX": str(tmp_path / "outbox"),
        "CALENDAR_SVC_SECRET_KEY": "test-secret-" * 4,
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    data = tmp_path / "deadlines.toml"
    docx = write_docx(GUIDE, tmp_path / "guide.docx").read_bytes()
    with FixtureSite() as site:
        for name, url in build_site(site, docx, b"%PDF-1.4 broken").items():
            add_source(tmp_path / "sources.toml", Source(name, url))
        add_source(tmp_path / "sources.toml", Source("坏的<b>", site.url + "/broken/index.html"))
        port = free_port()
        server = Process([sys.executable, "-c", "from calendar_svc.cli import main; main()", "serve", "--data", str(data),
                          "--port", str(port)], env)
        try:
            assert server.wait_for_line("中的 4 个来源")
            assert server.wait_for_line("event=source-checked source=坏的<b>", 60)
            assert wait_for(lambda: all(any(s[4:14] in d.quote for d in store.load(data)) for _, _, s, _ in NOTICES), 60)
            assert wait_for(lambda: _up(port))
            reviewer = requests.Session()
            page = reviewer.get(f"http://127.0.0.1:{port}/review/login", timeout=10)
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            queue = reviewer.post(f"http://127.0.0.1:{port}/review/login", data={"name": "张三", "password": PASSWORD, "csrf": csrf}, timeout=10)
            assert 'id="sources-failing"' in queue.text
            assert "坏的&lt;b&gt;" in queue.text and "坏的<b>" not in queue.text  # named, as text
            assert "连续失败 1 次" in queue.text and "HTTP 500" in queue.text
            assert "新提取" in queue.text  # the watched notices' records wait here
            feed = requests.get(f"http://127.0.0.1:{port}/calendar.ics", timeout=10)
            assert NOTICES[0][1] not in feed.text  # not published before review
        finally:
            server.stop(signal.SIGINT)



def test_watch_keeps_checking_until_stopped(tmp_path):
    config = tmp_path / "calendar-svc.toml"
    config.write_text('[sources]\ncontact = "kyc@example.edu.cn"\ninterval = 0\n', encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CALENDAR_SVC_CONFIG": str(config),
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CALENDAR_SVC_SOURCES": str(tmp_path / "sources.toml"),
        "CALENDAR_SVC_DEADLINES": str(tmp_path / "deadlines.toml"),
        "CALENDAR_SVC_OUTBOX": str(tmp_path / "outbox"),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    docx = write_docx(GUIDE, tmp_path / "guide.docx").read_bytes()
    with FixtureSite() as site:
        urls = build_site(site, docx, b"%PDF-1.4 broken")
        add_source(tmp_path / "sources.toml", Source("创新券", urls["创新券"]))
        watcher = Process([sys.executable, "-c", "from calendar_svc.cli import main; main()", "watch"], env)
        try:
            assert watcher.wait_for_line(READY)
            assert watcher.wait_for_line("event=source-checked source=创新券 new=1")
        finally:
            err = watcher.stop(signal.SIGTERM)
        assert watcher.returncode == 0, err
    assert any(NOTICES[4][2][4:14] in d.quote for d in store.load(tmp_path / "deadlines.toml"))


def test_the_job_waits_for_a_database_that_is_down_and_then_watches(tmp_path, caplog):
    from calendar_svc.db import DatabaseError
    from calendar_svc.sources.schedule import Job

    class Ready:
        sources: list = []
        runs = 0

        def run(self, *, due_only: bool) -> list:
            self.runs += 1
            return []

    attempts: list[int] = []
    ready = Ready()

    def make():
        attempts.append(1)
        if len(attempts) < 3:
            raise DatabaseError("cannot use the database postgresql://db/cal: connection refused")
        return ready

    job = Job(make, tmp_path / "sources.toml")
    for _ in range(4):
        job.tick()
    assert len(attempts) == 3 and ready.runs == 2
    assert sum("connection refused" in r.getMessage() for r in caplog.records) == 1  # said once, not every minute
