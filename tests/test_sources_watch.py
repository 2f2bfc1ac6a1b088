"""The source watcher end to end against a real site on 127.0.0.1, on a fake clock.

Every request is counted at the server: the first check reads each notice once (pages, attachments,
a feed, two pages of a TRS list, a GBK table list), robots.txt keeps it off /private/, a 404 notice is
reported without failing its source, requests to the host are the configured interval apart; a second
check fetches nothing but conditional GETs and queues nothing; a changed notice is extracted again and
its moved date goes back to the review queue; a new item on a list is the only thing read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from calendar_svc import store
from calendar_svc.ingest import Limits, WebLimits
from calendar_svc.model import SHANGHAI
from calendar_svc.review import review_queue
from calendar_svc.sources.config import Source
from calendar_svc.sources.polite import Polite
from calendar_svc.sources.tables import QueuedRecord, SeenNotice, SourceState
from calendar_svc.sources.watch import Watcher

from ingest_corpus import NOTICES as CORPUS, write_docx
from sources_site import GUIDE, NOTICES, FakeTime, FixtureSite, build_site, list_page, notice_page

INTERVAL = 5.0


@pytest.fixture(scope="module")
def attachments(rendered, tmp_path_factory) -> tuple[bytes, bytes]:
    docx = write_docx(GUIDE, tmp_path_factory.mktemp("guide") / "guide.docx").read_bytes()
    own = next(n for n in CORPUS if n.stem.startswith("07_chinatax-2020"))
    return docx, (rendered["root"] / "pdf" / f"{own.stem}.pdf").read_bytes()


@pytest.fixture
def world(tmp_path, attachments):
    clock = FakeTime()
    with FixtureSite(clock=clock.monotonic) as site:
        urls = build_site(site, *attachments)
        sources = [
            Source("省科技厅", urls["省科技厅"], tags=("科技厅",), every=dt.timedelta(hours=6)),
            Source("市工信局", urls["市工信局"], tags=("工信",), every=dt.timedelta(hours=6)),
            Source("创新券", urls["创新券"], every=dt.timedelta(hours=6), trusted=True),
        ]
        engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
        yield _World(site, clock, sources, engine, tmp_path / "deadlines.toml")


class _World:
    def __init__(self, site, clock, sources, engine, deadlines) -> None:
        self.site, self.clock, self.sources, self.engine, self.deadlines = site, clock, sources, engine, deadlines

    def watcher(self, sources=None, name="w1") -> Watcher:
        polite = Polite(Limits(web=WebLimits(timeout=0.5, total_timeout=5)), user_agent="calendar-svc/test (contact: ops@example.edu.cn)",
                        interval=INTERVAL, clock=self.clock.monotonic, sleep=self.clock.sleep)
        return Watcher(sources or self.sources, engine=self.engine, deadlines=self.deadlines, polite=polite,
                       now=self.clock.now, worker_id=name)

    def records(self):
        return store.load(self.deadlines)


def _by_sentence(records, sentence: str):
    return [d for d in records if d.quote and sentence[4:14] in d.quote]


def test_first_check_queues_every_notice_once_and_a_second_check_nothing(world):
    reports = {r.source: r for r in world.watcher().run(due_only=False)}
    assert all(r.checked and not r.error for r in reports.values()), reports
    assert reports["省科技厅"].new_notices == 3  # two list pages (createPageHTML pagination, relative links)
    assert reports["市工信局"].new_notices == 1  # GBK table list; /private/ is robots-disallowed, one 404
    assert reports["创新券"].new_notices == 1  # RSS
    errors = " ".join(reports["市工信局"].notice_errors)
    assert "robots.txt" in errors and "404" in errors
    records = world.records()
    for path, title, sentence, _ in NOTICES:
        found = _by_sentence(records, sentence)
        assert len(found) == 1, (title, [d.quote for d in records])
        assert found[0].source.url == world.site.url + path
    guide = _by_sentence(records, "各设区市科技局请于2025年5月10日前将推荐函报送省科学技术厅。")
    assert len(guide) == 1 and guide[0].source.url.endswith("/upload/guide.docx"), [(d.quote, d.source.url) for d in records]
    assert guide[0].notice.title == NOTICES[0][1]  # carries the page's notice
    assert any(d.source.url.endswith("/upload/form.pdf") for d in records)  # the PDF attachment was read
    # Untrusted sources' records wait for a person; the trusted feed's are published at once.
    kjt = _by_sentence(records, NOTICES[0][2])[0]
    assert kjt.status == "candidate" and not kjt.visible and kjt.reason.startswith("新提取：来自「省科技厅」")
    assert "科技厅" in kjt.tags
    feed_record = _by_sentence(records, NOTICES[4][2])[0]
    assert feed_record.status == "extracted" and feed_record.visible
    assert {item.reason for item in review_queue(records)} == {"新提取"}
    # Each page, attachment and list fetched once; nothing under /private/; robots.txt once per check.
    site = world.site
    for path, *_ in NOTICES:
        assert site.count(path) == 1, path
    assert site.count("/upload/guide.docx") == 1 and site.count("/upload/form.pdf") == 1
    assert site.count("/kjt/tzgg/index_1.html") == 1
    assert site.count("/private/secret.html") == 0
    assert site.count("/robots.txt") == 1
    assert all("ops@example.edu.cn" in hit.user_agent for hit in site.hits)
    # The rate limit, measured at the server: requests to the host are INTERVAL apart on the fake clock.
    moments = [hit.at for hit in site.hits]
    assert all(b - a >= INTERVAL - 1e-9 for a, b in zip(moments, moments[1:])), moments
    assert world.clock.slept  # it waited its turn (fake sleep: the test took no time for it)
    with Session(world.engine) as session:
        assert session.scalar(select(func.count()).select_from(SeenNotice).where(SeenNotice.state == "done")) == 5
        queued = session.scalar(select(func.count()).select_from(QueuedRecord))
    assert queued == len(records)
    before = world.deadlines.read_bytes()

    world.clock.advance(dt.timedelta(hours=7))
    hits = len(site.hits)
    second = {r.source: r for r in world.watcher().run(due_only=True)}
    assert all(r.checked and not r.error and r.new_notices == 0 and r.added == 0 and r.changed_notices == 0 for r in second.values())
    assert world.deadlines.read_bytes() == before  # nothing queued, nothing rewritten
    later = site.hits[hits:]
    assert later and all(hit.conditional and hit.status == 304 for hit in later if hit.path != "/robots.txt")
    assert not any(hit.path.startswith("/upload/") for hit in later)
    assert site.count("/kjt/tzgg/index_1.html") == 1  # page 1 did not change: page 2 is not asked for


def test_not_due_sources_are_left_alone(world):
    world.watcher().run(due_only=False)
    world.clock.advance(dt.timedelta(hours=1))
    hits = len(world.site.hits)
    assert not any(r.checked for r in world.watcher().run(due_only=True))
    assert len(world.site.hits) == hits


def test_changed_notice_is_extracted_again_and_its_moved_date_goes_back_to_review(world):
    world.watcher().run(due_only=False)
    record = _by_sentence(world.records(), NOTICES[1][2])[0]
    from calendar_svc.review import Change, apply

    apply(world.deadlines, record.id, Change(status="confirmed"), who="审核人", now=world.clock.now())
    path, title, sentence, signed = NOTICES[1]
    moved = sentence.replace("5月20日", "6月10日")
    world.site.put(path, notice_page(title, moved, signed), "text/html; charset=GBK")  # a new ETag
    world.clock.advance(dt.timedelta(hours=7))
    report = {r.source: r for r in world.watcher().run(due_only=True)}["省科技厅"]
    assert report.changed_notices == 1 and report.changed == 1 and report.added == 0
    again = [d for d in world.records() if d.id == record.id][0]
    assert again.pending_end == dt.date(2025, 6, 10) and again.reason.startswith("日期有变")  # back in the queue
    assert (again.status, again.end, again.revision) == ("confirmed", dt.date(2025, 5, 20), 0)  # as the store's merge
    # does: the confirmed date stays published until a person confirms the new one
    assert world.site.fetched(path) == 2


def test_a_held_record_stays_held_when_its_notice_changes(world):
    world.watcher().run(due_only=False)
    path, title, sentence, signed = NOTICES[2]
    world.site.put(path, notice_page(title, sentence.replace("3月31日", "4月8日"), signed), "text/html; charset=GBK")
    world.clock.advance(dt.timedelta(hours=7))
    world.watcher().run(due_only=True)
    record = [d for d in world.records() if d.end == dt.date(2025, 4, 8)]
    assert len(record) == 1 and record[0].status == "candidate" and not record[0].visible


def test_a_new_item_on_a_list_is_the_only_one_read(world):
    world.watcher().run(due_only=False)
    site = world.site
    title, sentence = "关于开展2025年度科技型中小企业评价工作的通知", "企业应于2025年9月30日前完成评价信息填报。"
    site.put("/kjt/tzgg/202503/t20250308_9.html", notice_page(title, sentence, "2025年3月8日"), "text/html; charset=GBK")
    items = [("./202503/t20250308_9.html", title, "2025-03-08"), ("./202503/t20250304_1.html", NOTICES[0][1], "2025-03-04"),
             ("./202503/t20250301_2.html", NOTICES[1][1], "2025-03-01")]
    site.put("/kjt/tzgg/index.html", list_page("trs", items, pages=2, current=0))
    world.clock.advance(dt.timedelta(hours=7))
    report = {r.source: r for r in world.watcher().run(due_only=True)}["省科技厅"]
    assert report.new_notices == 1 and report.added == 1
    assert len(_by_sentence(world.records(), sentence)) == 1
    for path, *_ in NOTICES:
        assert site.fetched(path) == 1


def test_a_failing_source_is_reported_backs_off_and_never_stops_the_others(world):
    site = world.site
    slow = site.hold("/slow/index.html")
    broken = [Source("坏的", site.url + "/broken/index.html"), Source("慢的", slow), Source("没有", site.url + "/nothing/index.html"),
              world.sources[2]]
    reports = {r.source: r for r in world.watcher(broken).run(due_only=False)}
    assert "HTTP 500" in reports["坏的"].error
    assert reports["慢的"].error == "0.5 秒内没有回应（超时）"
    assert "HTTP 404" in reports["没有"].error
    assert not reports["创新券"].error and reports["创新券"].new_notices == 1
    with Session(world.engine) as session:
        state = session.get(SourceState, "坏的")
        assert state.failures == 1 and "500" in state.last_error
        first_wait = state.next_check.astimezone(SHANGHAI) - world.clock.now()
    world.clock.advance(dt.timedelta(hours=6, minutes=1))
    world.watcher(broken).run(due_only=True)
    with Session(world.engine) as session:
        state = session.get(SourceState, "坏的")
        assert state.failures == 2
        assert state.next_check.astimezone(SHANGHAI) - world.clock.now() > first_wait * 1.9  # the wait doubled


def test_a_list_without_notice_links_is_an_error_that_names_the_selector(world):
    world.site.put("/empty/index.html", "<html><body><div class='nav'><a href='/'>首页</a></div></body></html>".encode())
    report = world.watcher([Source("空", world.site.url + "/empty/index.html")]).run(due_only=False)[0]
    assert "列表页上没有找到通知链接" in report.error and "selector" in report.error


def test_a_new_attachment_on_a_seen_notice_is_read_and_queued(world, tmp_path):
    world.watcher().run(due_only=False)
    path, title, sentence, signed = NOTICES[3]  # served with Last-Modified, not ETag
    extra = write_docx("补充通知\n请各区于2025年4月25日前报送拟推荐企业名单。\n", tmp_path / "extra.docx").read_bytes()
    world.site.put("/upload/extra.docx", extra, "application/octet-stream")
    world.site.put(path, notice_page(title, sentence, signed, [("附件：补充通知.docx", "/upload/extra.docx")]),
                   "text/html; charset=GBK", validators="last-modified")
    world.clock.advance(dt.timedelta(hours=7))
    report = {r.source: r for r in world.watcher().run(due_only=True)}["市工信局"]
    assert report.changed_notices == 1 and report.added == 1
    (new,) = [d for d in world.records() if d.source.url.endswith("/upload/extra.docx")]
    assert new.end == dt.date(2025, 4, 25) and new.notice.title == title and new.status == "candidate"
    assert len(_by_sentence(world.records(), sentence)) == 1  # the page's own record is not doubled
