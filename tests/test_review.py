"""Review without a browser: the queue, the actions and their history, conflicts, merges, the CLI, accounts."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from feed_fixtures import MIIT, MOST, NOW, make, sample, save
from sqlalchemy import create_engine

from calendar_svc import feed, store
from calendar_svc.cli import main
from calendar_svc.model import SHANGHAI
from calendar_svc.reminders.schedule import eligible as remindable
from calendar_svc.review import Change, Conflict, ReviewError, apply, counts, edit, review_queue, version
from calendar_svc.review.accounts import LOCK_OUT, MAX_FAILURES, AccountError, Accounts

LATER = NOW + dt.timedelta(hours=2)


def candidate():
    return make(MOST, "deadline", who="申报单位", what="提交年度报告", end=dt.date(2026, 3, 11),
                quote="年度报告请于3月11日前提交。", line=60, status="candidate", doubt="年份为推断")


def data_file(tmp_path: Path, records=None) -> Path:
    return save(tmp_path / "deadlines.toml", records if records is not None else [*sample(), candidate()])


def by_id(path: Path) -> dict:
    return {d.id: d for d in store.load(path)}


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_queue_lists_new_and_candidates_soonest_first_with_counts(tmp_path: Path) -> None:
    items = review_queue(store.load(data_file(tmp_path)))
    hidden = [d for d in sample() if d.status == "hidden"]
    assert hidden and not {d.id for d in hidden} & {i.record.id for i in items}
    assert [i.record.due for i in items] == sorted(i.record.due for i in items)
    assert counts(items) == {"候选": 1, "新提取": 6}
    (cand,) = [i for i in items if i.reason == "候选"]
    assert cand.detail == "年份为推断"


def test_candidates_stay_out_of_feed_page_and_reminders_until_confirmed(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    cand = candidate()
    record = by_id(path)[cand.id]
    body = feed.FeedBuilder(feed.default_config()).build(store.load(path), stamp=NOW, now=NOW)
    assert cand.id not in body.decode() and not record.visible and not remindable(record)
    apply(path, cand.id, Change(status="confirmed"), who="张三", now=LATER)
    record = by_id(path)[cand.id]
    body = feed.FeedBuilder(feed.default_config()).build(store.load(path), stamp=NOW, now=NOW)
    assert cand.id in body.decode() and record.visible and remindable(record)
    assert record.history[-1] == "2026-03-10 12:00 张三：确认"
    assert not [i for i in review_queue(store.load(path)) if i.record.id == cand.id]


def test_every_action_is_in_the_history_with_who_and_when(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    target = sample()[1].id
    apply(path, target, Change(title="报送推荐函（重要）", tags=("推荐", "急"), note="已提醒处室"), who="李四", now=LATER)
    apply(path, target, Change(status="hidden"), who="王五", now=LATER + dt.timedelta(minutes=5))
    record = by_id(path)[target]
    assert record.title == "报送推荐函（重要）" and record.tags == ["推荐", "急"] and record.notes == "已提醒处室"
    assert record.status == "hidden"
    assert record.history[-2:] == [
        "2026-03-10 12:00 李四：改标题为「报送推荐函（重要）」；标签 推荐、急；改备注",
        "2026-03-10 12:05 王五：隐藏",
    ]


def test_unknown_id_and_bad_dates_are_clear_errors(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    with pytest.raises(ReviewError, match="没有编号为 nope"):
        apply(path, "nope", Change(status="confirmed"), who="x", now=LATER)
    window = sample()[0]
    with pytest.raises(ReviewError, match="开始日期晚于截止日期"):
        apply(path, window.id, Change(end=dt.date(2026, 2, 1)), who="x", now=LATER)


def test_second_reviewer_on_the_same_record_gets_a_conflict(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    target = sample()[2].id
    seen = version(by_id(path)[target])  # both reviewers opened the page now
    apply(path, target, Change(status="confirmed"), who="甲", now=LATER, expect=seen)
    before = path.read_bytes()
    with pytest.raises(Conflict, match="已被他人修改.*甲：确认"):
        apply(path, target, Change(status="hidden"), who="乙", now=LATER, expect=seen)
    assert path.read_bytes() == before


def test_concurrent_actions_under_the_lock_lose_nothing(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    targets = [d.id for d in sample() if d.status != "hidden"]
    threads = [
        threading.Thread(target=apply, args=(path, t, Change(note=f"备注{n}")), kwargs={"who": f"人{n}", "now": LATER})
        for n, t in enumerate(targets)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = by_id(path)
    assert [records[t].notes for t in targets] == [f"备注{n}" for n in range(len(targets))]


def test_confirmed_record_whose_date_moves_returns_to_the_queue_and_keeps_its_dates_until_confirmed(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    target = sample()[2]
    apply(path, target.id, Change(status="confirmed"), who="甲", now=LATER)
    moved = replace(target, end=dt.date(2026, 3, 19), quote="截止时间延长至2026年3月19日。")
    merged, report = store.merge(store.load(path), [moved], now=LATER, scope=store.scope_of([moved]))
    (record,) = [d for d in merged if d.id == target.id]
    # Published as confirmed (the feed, page and reminders keep the date a person vouched for) ...
    assert record.status == "confirmed" and record.end == dt.date(2026, 3, 12) and record.revision == 0
    assert record.quote == target.quote
    assert record.visible and remindable(record)
    # ... while the new reading waits in the queue.
    assert (record.pending_end, record.pending_quote) == (dt.date(2026, 3, 19), moved.quote)
    (item,) = [i for i in review_queue(merged) if i.record.id == target.id]
    assert (item.reason, item.detail) == ("日期有变", "2026年3月12日 → 2026年3月19日")
    store.save(path, merged)
    again, report = store.merge(store.load(path), [moved], now=LATER, scope=store.scope_of([moved]))
    assert report.unchanged == 1 and not report.changed  # the same reading again: nothing new

    apply(path, target.id, Change(status="confirmed"), who="乙", now=LATER)

    record = by_id(path)[target.id]
    assert (record.end, record.quote, record.revision) == (dt.date(2026, 3, 19), moved.quote, 1)
    assert not record.pending and not record.reason and not record.human_dates
    assert (record.moved_from, record.moved_at) == ("2026-03-12", LATER)
    assert record.history[-1] == "2026-03-10 12:00 乙：确认新日期 2026-03-12 → 2026-03-19"
    assert not [i for i in review_queue(store.load(path)) if i.record.id == target.id]
    merged, report = store.merge(store.load(path), [moved], now=LATER, scope=store.scope_of([moved]))
    assert report.unchanged == 1  # the source and the record agree now


def test_a_source_that_returns_to_the_confirmed_date_ends_the_wait(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    target = sample()[2]
    apply(path, target.id, Change(status="confirmed"), who="甲", now=LATER)
    moved = replace(target, end=dt.date(2026, 3, 19))
    merged, _ = store.merge(store.load(path), [moved], now=LATER)
    back, report = store.merge(merged, [target], now=LATER)
    record = next(d for d in back if d.id == target.id)
    assert [d.id for d in report.changed] == [target.id]
    assert not record.pending and not record.reason and record.end == dt.date(2026, 3, 12)
    assert not [i for i in review_queue(back) if i.record.id == target.id]


def test_editing_the_date_of_a_confirmed_record_is_a_change_people_are_told_about(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    target, fresh = sample()[2], sample()[1]
    apply(path, target.id, Change(status="confirmed"), who="甲", now=LATER)
    apply(path, target.id, Change(end=dt.date(2026, 3, 16)), who="甲", now=LATER)
    apply(path, fresh.id, Change(end=fresh.end + dt.timedelta(days=3), status="confirmed"), who="甲", now=LATER)
    records = by_id(path)
    assert (records[target.id].moved_from, records[target.id].moved_at) == ("2026-03-12", LATER)
    assert not records[fresh.id].moved_from and records[fresh.id].moved_at is None  # never confirmed before


def test_human_corrected_date_survives_reextraction_and_a_later_source_change_is_shown_beside_it(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    target = sample()[2]
    apply(path, target.id, Change(end=dt.date(2026, 3, 13), status="confirmed"), who="甲", now=LATER)
    record = by_id(path)[target.id]
    assert record.human_dates and record.end == dt.date(2026, 3, 13) and record.revision == 1
    assert record.history[-1] == "2026-03-10 12:00 甲：改日期 2026-03-12 → 2026-03-13；确认"
    again, report = store.merge(store.load(path), [target], now=LATER)  # the same source again
    assert next(d for d in again if d.id == target.id).end == dt.date(2026, 3, 13) and report.unchanged == 1
    moved = replace(target, end=dt.date(2026, 3, 20))
    merged, _ = store.merge(again, [moved], now=LATER)
    record = next(d for d in merged if d.id == target.id)
    assert record.end == dt.date(2026, 3, 13) and record.source_dates == "2026-03-20"
    (item,) = [i for i in review_queue(merged) if i.record.id == target.id]
    assert (item.reason, item.detail) == ("原文日期有变", "2026年3月12日 → 2026年3月20日")
    store.save(path, merged)
    assert by_id(path)[target.id].end == dt.date(2026, 3, 13)  # and the file keeps it


def test_vanished_record_is_in_the_queue_until_a_person_looks(tmp_path: Path) -> None:
    records = sample()
    merged, _ = store.merge(records, [records[0]], now=LATER, scope=store.scope_of(records))
    reasons = {i.record.id: i.reason for i in review_queue(merged)}
    assert reasons[records[1].id] == "已从原文消失" and reasons[records[0].id] == "新提取"


def test_cli_review_and_set(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    cand = candidate()
    out = run("review", str(path)).stdout
    assert cand.id in out and "候选" in out and "年份为推断" in out and "2026年3月11日" in out
    assert "共 7 条待审核（候选 1，新提取 6）" in out
    result = run("set", cand.id, "--data", str(path), "--status", "confirmed", "--title", "交年报", "--tag", "年报",
                 "--end", "2026年3月18日", "--by", "张三", "--now", "2026-03-10T12:00")
    assert result.exit_code == 0, result.output
    assert "2026年3月10日 12:00 张三：改日期 2026年3月11日 → 2026年3月18日；改标题为「交年报」；标签 年报；确认" in result.stdout
    record = by_id(path)[cand.id]
    assert (record.status, record.title, record.tags, record.end) == ("confirmed", "交年报", ["年报"], dt.date(2026, 3, 18))
    listed = run("list", str(path), "--now", "2026-03-10T12:00").stdout
    row = next(line for line in listed.splitlines() if cand.id in line)
    assert "交年报" in row and "已确认" in row
    timed = run("set", cand.id, "--data", str(path), "--end", "2026-03-18 16:00", "--now", "2026-03-10T12:00")
    assert timed.exit_code == 0 and by_id(path)[cand.id].end == dt.datetime(2026, 3, 18, 16, 0, tzinfo=SHANGHAI)
    missing = run("set", "nope", "--data", str(path), "--status", "hidden")
    assert missing.exit_code == 1 and "没有编号为 nope" in missing.stderr


def test_accounts_hash_passwords_and_lock_out_after_repeated_failures(tmp_path: Path) -> None:
    clock = [NOW]
    accounts = Accounts(create_engine(f"sqlite:///{tmp_path / 'r.db'}"), now=lambda: clock[0])
    accounts.add("张三", "correct horse")
    with pytest.raises(AccountError, match="已存在"):
        accounts.add("张三", "another one")
    with pytest.raises(AccountError, match="至少"):
        accounts.add("李四", "short")
    assert accounts.login("张三", "correct horse") == "ok"
    assert accounts.login("nobody", "correct horse") == "wrong"
    for _ in range(MAX_FAILURES - 1):
        assert accounts.login("张三", "wrong") == "wrong"
    assert accounts.login("张三", "wrong") == "locked"
    assert accounts.login("张三", "correct horse") == "locked"  # even the right password, for a while
    clock[0] = NOW + LOCK_OUT + dt.timedelta(seconds=1)
    assert accounts.login("张三", "correct horse") == "ok"


def test_accounts_keep_a_checked_mail_address(tmp_path: Path) -> None:
    accounts = Accounts(create_engine(f"sqlite:///{tmp_path / 'r.db'}"), now=lambda: NOW)
    accounts.add("张三", "correct horse", email=" zhang@example.edu.cn ")
    accounts.add("kyc@example.edu.cn", "correct horse")  # a name that is an address is its own address
    accounts.add("李四", "correct horse")
    assert accounts.addresses() == ["kyc@example.edu.cn", "zhang@example.edu.cn"]
    accounts.set_email("李四", "lisi@example.edu.cn")
    accounts.set_email("张三", "")
    assert accounts.addresses() == ["kyc@example.edu.cn", "lisi@example.edu.cn"]
    for bad in ["lisi", "lisi@example", "a@b.cn\r\nBcc: x@evil.example", "张三 <z@example.edu.cn>", "a@b.cn, c@d.cn"]:
        with pytest.raises(AccountError, match="邮箱地址不对"):
            accounts.set_email("李四", bad)
    with pytest.raises(AccountError, match="没有审核人"):
        accounts.set_email("王五", "w@example.edu.cn")
    assert accounts.addresses() == ["kyc@example.edu.cn", "lisi@example.edu.cn"]  # nothing changed by the refusals


def test_accounts_made_before_addresses_gain_the_column(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as db:  # the table as the first release made it
        db.exec_driver_sql("CREATE TABLE reviewer (name VARCHAR(64) PRIMARY KEY, password_hash VARCHAR(256), "
                           "failures INTEGER, locked_until DATETIME, created DATETIME)")
    Accounts(engine, now=lambda: NOW).add("张三", "correct horse")
    accounts = Accounts(engine, now=lambda: NOW)  # and again: the column is added once
    accounts.set_email("张三", "zhang@example.edu.cn")
    assert accounts.login("张三", "correct horse") == "ok" and accounts.addresses() == ["zhang@example.edu.cn"]


def test_cli_reviewer_add_asks_for_the_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    monkeypatch.setenv("CALENDAR_SVC_DATABASE_URL", url)
    result = run("reviewer", "add", "张三", input="correct horse\ncorrect horse\n")
    assert result.exit_code == 0, result.output
    assert "correct horse" not in result.stdout
    accounts = Accounts(create_engine(url), now=lambda: NOW)
    assert accounts.login("张三", "correct horse") == "ok"
    again = run("reviewer", "add", "张三", input="correct horse\ncorrect horse\n")
    assert again.exit_code == 1 and "已存在" in again.stderr
    with_address = run("reviewer", "add", "李四", "--email", "lisi@example.edu.cn", input="correct horse\ncorrect horse\n")
    assert with_address.exit_code == 0 and "待审核通知发往 lisi@example.edu.cn" in with_address.stdout
    moved = run("reviewer", "email", "张三", "zhang@example.edu.cn")
    assert moved.exit_code == 0 and "zhang@example.edu.cn" in moved.stdout
    refused = run("reviewer", "email", "张三", "zhang@example")
    assert refused.exit_code == 1 and "邮箱地址不对" in refused.stderr
    assert Accounts(create_engine(url), now=lambda: NOW).addresses() == ["lisi@example.edu.cn", "zhang@example.edu.cn"]


def test_cli_set_internal_workdays_per_record(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    target = sample()[2].id
    done = run("set", target, "--data", str(path), "--internal-workdays", "3", "--by", "张三", "--now", "2026-03-10T12:00")
    assert done.exit_code == 0 and "2026年3月10日 12:00 张三：内部截止为正式截止前 3 个工作日" in done.stdout
    assert by_id(path)[target].internal_workdays == 3
    assert run("set", target, "--data", str(path), "--internal-workdays", "0", "--by", "张三").exit_code == 0
    assert by_id(path)[target].internal_workdays == 0
    assert "内部截止按规则" in run("set", target, "--data", str(path), "--internal-workdays", "rules", "--by", "张三").stdout
    assert by_id(path)[target].internal_workdays is None
    refused = run("set", target, "--data", str(path), "--internal-workdays", "99")
    assert refused.exit_code == 2 and "0–60" in refused.output
    assert [h.split("：", 1)[1] for h in by_id(path)[target].history] == ["内部截止为正式截止前 3 个工作日", "不设内部截止", "内部截止按规则"]


def test_cli_set_repeat_until_and_no_repeat(tmp_path: Path) -> None:
    path = data_file(tmp_path)
    target = sample()[2].id  # 2026-03-12, one date
    done = run("set", target, "--data", str(path), "--repeat-until", "2026年6月30日", "--by", "张三", "--now", "2026-03-10T12:00")
    assert done.exit_code == 0 and "张三：设为重复：每月12日，至2026年6月30日" in done.stdout
    record = by_id(path)[target]
    assert record.repeat == "FREQ=MONTHLY;BYMONTHDAY=12;UNTIL=20260630" and record.human_dates and record.revision == 1
    assert "改重复 每月12日，至2026年6月30日 → 每月12日，至2026年9月30日" in run(
        "set", target, "--data", str(path), "--repeat-until", "2026-09-30", "--by", "张三").stdout
    early = run("set", target, "--data", str(path), "--repeat-until", "2026-03-01", "--by", "张三")
    assert early.exit_code != 0 and "早于第一次截止" in early.output
    assert "改为不重复（原为每月12日，至2026年9月30日）" in run("set", target, "--data", str(path), "--no-repeat", "--by", "张三").stdout
    assert by_id(path)[target].repeat == "" and by_id(path)[target].revision == 3


def test_only_a_deadline_without_a_start_recurs() -> None:
    window = make(MIIT, "window", who="各单位", what="申报", start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    with pytest.raises(ReviewError, match="只有截止日期"):
        edit(window, Change(repeat_until=dt.date(2026, 12, 31)), who="张三", now=NOW)
    assert edit(window, Change(no_repeat=True), who="张三", now=NOW) is window  # nothing to undo: no history


def test_internal_deadlines_do_not_queue_twice(tmp_path: Path) -> None:
    from calendar_svc.internal import with_internal

    records = with_internal([replace(r, internal_workdays=2) for r in sample()])
    assert any(r.internal_of for r in records)
    queued = [i.record.id for i in review_queue(records)]
    assert len(queued) == len(set(queued)) and not any(i.endswith("-internal") for i in queued)
