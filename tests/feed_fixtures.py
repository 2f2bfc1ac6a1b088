"""Deadlines, a fixed clock and a real server on loopback, for the feed, web and browser tests.

Deadlines are built through the model and saved with the store, exactly as
an extraction would write them; the app runs under the shipped server
(uvicorn with the fast path and limits, as ``calendar-svc serve`` runs it)
in a thread and is reached over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from flask import Flask

from calendar_svc import store
from calendar_svc.model import SHANGHAI, Deadline, NoticeRef, Source, deadline_id
from calendar_svc.web.server import Limits, listen, make_server

#: "Now" for every test: the page's days left and past items depend on it, never on today.
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)

MIIT = NoticeRef(
    title="关于组织开展2026年度产业基础再造工程项目申报工作的通知",
    issuer="工业和信息化部",
    doc_no="工信厅科〔2026〕12号",
    date=dt.date(2026, 2, 20),
)
MOST = NoticeRef(
    title="关于发布国家重点研发计划“先进结构与复合材料”重点专项2026年度项目申报指南的通知",
    issuer="科学技术部",
    doc_no="国科发资〔2026〕3号",
    date=dt.date(2026, 1, 15),
)
HOSTILE = NoticeRef(
    title="<script>alert('x')</script>关于“申报,报送;审核\\备案”的通知",
    issuer="某<b>厅</b>",
    doc_no="某〔2026〕1号",
    date=dt.date(2026, 3, 1),
)


def make(
    notice: NoticeRef,
    kind: str,
    *,
    who: str,
    what: str,
    end: dt.date | dt.datetime | None,
    start: dt.date | dt.datetime | None = None,
    quote: str = "",
    line: int = 1,
    **fields: object,
) -> Deadline:
    """A deadline as extraction makes it: id from the obligation, never from the date."""
    sentence = quote or f"{who}{what}"
    all_day = not isinstance(end if end is not None else start, dt.datetime)
    record = Deadline(
        id=deadline_id(notice, kind, sentence),
        kind=kind,
        start=start,
        end=end,
        all_day=all_day,
        who=who,
        what=what,
        quote=quote or f"请{who}于规定时间前{what}。",
        notice=notice,
        source=Source(file=f"notices/{notice.doc_no or 'x'}.txt", line=line),
    )
    return replace(record, **fields) if fields else record


def sample() -> list[Deadline]:
    """A small set that exercises every branch the feed and page have."""
    return [
        make(
            MIIT,
            "window",
            who="项目申报单位",
            what="网上填报申报书",
            start=dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI),
            end=dt.datetime(2026, 4, 5, 16, 0, tzinfo=SHANGHAI),
            quote="请项目申报单位于2026年3月1日9:00至4月5日16:00前，通过系统网上填报申报书。",
            line=12,
            tags=["科研项目"],
        ),
        make(
            MIIT,
            "deadline",
            who="各推荐单位",
            what="报送推荐函",
            end=dt.date(2026, 3, 16),
            quote="各推荐单位应于3月16日前报送推荐函；逾期不予受理。",
            line=20,
            tags=["科研项目", "推荐"],
        ),
        make(
            MOST,
            "deadline",
            who="申报单位",
            what="提交预申报书",
            end=dt.date(2026, 3, 12),
            quote="预申报书受理截止时间为2026年3月12日。",
            line=40,
        ),
        make(MOST, "start", who="申报单位", what="正式申报受理开始", end=None, start=dt.date(2026, 5, 6), line=44),
        make(MOST, "effective", who="", what="指南施行", end=None, start=dt.date(2026, 6, 1), line=50),
        make(MIIT, "deadline", who="申报单位", what="提交补充材料", end=dt.date(2026, 2, 27), line=30),
        make(MIIT, "deadline", who="内部", what="不公开的事项", end=dt.date(2026, 3, 20), line=31, status="hidden"),
    ]


def hostile() -> Deadline:
    """Text built to break escaping, folding and HTML: separators, newlines, markup, 500 Chinese characters."""
    return make(
        HOSTILE,
        "deadline",
        who="申报单位,甲;乙\\丙",
        what="提交<script>alert(1)</script>材料",
        end=dt.datetime(2026, 3, 25, 17, 30, tzinfo=SHANGHAI),
        quote="第一行,逗号;分号\\反斜杠\n第二行\r\n第三行" + "申报截止时间" * 80,
        line=7,
        title="截止：" + "长" * 500,
        tags=["a,b", "x;y"],
        notes="备注<img src=x onerror=alert(2)>",
    )


def save(path: Path, deadlines: list[Deadline], *, updated: dt.datetime = NOW) -> Path:
    """Write ``deadlines`` as extraction does: merged into an empty store, then saved."""
    merged, _ = store.merge([], deadlines, now=updated)
    store.save(path, merged)
    return path


class LiveServer:
    """The app under the shipped server on 127.0.0.1, on a free port, in a background thread.

    The socket listens before the thread starts, so requests made at once
    wait in its backlog: no start-up race, nothing to poll.
    """

    def __init__(self, app: Flask, limits: Limits = Limits()) -> None:
        self._socket = listen("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.server = make_server(app, limits)
        self.front = self.server.config.loaded_app if self.server.config.loaded else self.server.config.app
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "the server did not stop"
        self._socket.close()
        self.front.wsgi.executor.shutdown(wait=False, cancel_futures=True)


@contextmanager
def live(app: Flask, limits: Limits = Limits()) -> Iterator[str]:
    """Serve ``app`` for the duration of a ``with`` block; yields the base URL."""
    server = LiveServer(app, limits)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
