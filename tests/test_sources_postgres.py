"""Two watchers sharing one real PostgreSQL database check the same sources at once: no notice is read or queued twice."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from postgres_support import postgres  # noqa: F401
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calendar_svc import store
from calendar_svc.db import make_engine
from calendar_svc.ingest import Limits, WebLimits
from calendar_svc.model import SHANGHAI
from calendar_svc.sources.config import Source
from calendar_svc.sources.polite import Polite
from calendar_svc.sources.tables import QueuedRecord, SeenNotice, SourceState
from calendar_svc.sources.watch import Watcher

from ingest_corpus import write_docx
from sources_site import GUIDE, NOTICES, FixtureSite, build_site, rss

WORKERS = 2


def _now() -> dt.datetime:
    return dt.datetime(2025, 3, 7, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def site(tmp_path):
    docx = write_docx(GUIDE, tmp_path / "guide.docx").read_bytes()
    with FixtureSite() as running:
        urls = build_site(running, docx, b"%PDF-1.4 not a real one")
        # A summary feed listing every notice: the same notices reached from two sources at once.
        running.put("/all.xml", rss([(running.url + path, title, "") for path, title, _, _ in NOTICES]), "application/rss+xml")
        urls["汇总"] = running.url + "/all.xml"
        yield running, urls


def test_two_workers_on_postgres_never_read_or_queue_a_notice_twice(site, postgres, tmp_path):  # noqa: F811
    running, urls = site
    sources = [Source(name, url, every=dt.timedelta(hours=6)) for name, url in urls.items()]
    deadlines = tmp_path / "deadlines.toml"
    barrier = threading.Barrier(WORKERS)
    results: dict[str, list] = {}

    def work(name: str) -> None:
        polite = Polite(Limits(web=WebLimits(timeout=5, total_timeout=10)), user_agent="calendar-svc/test", interval=0)
        barrier.wait(timeout=30)  # both create the tables and claim at the same moment
        watcher = Watcher(sources, engine=make_engine(postgres.url), deadlines=deadlines, polite=polite, now=_now, worker_id=name)
        barrier.wait(timeout=30)
        results[name] = watcher.run(due_only=False)

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == WORKERS
    checked = Counter(r.source for reports in results.values() for r in reports if r.checked)
    assert checked == Counter({name: 1 for name in urls})  # each source checked by exactly one worker
    assert not any(r.error for reports in results.values() for r in reports)
    for path, *_ in NOTICES:
        assert running.count(path) == 1, path  # read once, whichever source and worker found it
    for path in ("/kjt/tzgg/index.html", "/gxj/tzgg/index.html", "/rss.xml", "/all.xml"):
        assert running.count(path) == 1, path
    records = store.load(deadlines)
    for _, _, sentence, _ in NOTICES:
        assert sum(1 for d in records if sentence[4:14] in d.quote) == 1
    assert len({d.id for d in records}) == len(records)
    engine = make_engine(postgres.url)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(QueuedRecord)) == len(records)
        assert session.scalar(select(func.count()).select_from(SeenNotice).where(SeenNotice.state == "done")) == len(NOTICES)
        assert all(not row.claimed_by for row in session.scalars(select(SourceState)))  # every claim released
    engine.dispose()
