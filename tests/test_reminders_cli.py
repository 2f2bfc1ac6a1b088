"""The reminder commands as an operator uses them: subscribe, subscribers, remind --at, status, unsubscribe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from reminders_support import deadline, smtp  # noqa: F401

from calendar_svc import store
from calendar_svc.cli import main


def environment(tmp_path: Path, smtp_url: str) -> dict[str, str]:
    config = tmp_path / "calendar-svc.toml"
    config.write_text('[mail]\nfrom = "提醒 <r@calendar.example.edu>"\n', encoding="utf-8")
    return {
        "CALENDAR_SVC_CONFIG": str(config),
        "CALENDAR_SVC_DEADLINES": str(tmp_path / "deadlines.toml"),
        "CALENDAR_SVC_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CALENDAR_SVC_SMTP_URL": smtp_url,
        "CALENDAR_SVC_OUTBOX": str(tmp_path / "outbox"),
    }


def run(env: dict[str, str], *args: str):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_subscribe_remind_twice_status_unsubscribe(tmp_path: Path, smtp) -> None:  # noqa: F811
    env = environment(tmp_path, smtp.url)
    store.save(tmp_path / "deadlines.toml", [deadline("d", dt.date(2099, 9, 21)), deadline("o", dt.date(2099, 9, 21), issuer="教育部")])
    result = run(env, "subscribe", "Alice@Example.EDU", "--issuer", "工业和信息化部", "--offsets", "7d,1d,2h")
    assert result.exit_code == 0, result.output
    assert "alice@example.edu：已订阅（#1）工业和信息化部 — 截止前 7d,1d,2h 提醒；目前符合：1 条" in result.output
    listing = run(env, "subscribers")
    assert "#1\talice@example.edu\tconfirmed\tissuer=工业和信息化部\t7d,1d,2h" in listing.output

    dry = run(env, "remind", "--at", "2099-09-20T09:00", "--dry-run")
    assert dry.exit_code == 0
    # 7d (missed) and 1d, for the matching deadline only: one mail, the 7d one merged into it.
    assert dry.output.count("due\t") == 1 and dry.output.count("merged\t") == 1
    assert smtp.mailbox.received == []  # a dry run sends nothing…
    assert "2099年9月20日（周日） 09:00：到期 2 条提醒" in dry.output
    first = run(env, "remind", "--at", "2099-09-20T09:00")
    assert first.output.count("sent\t") == 1 and first.output.count("merged\t") == 1
    second = run(env, "remind", "--at", "2099-09-20T09:00")
    assert second.output.count("sent\t") == 0 and "已处理 0 条提醒" in second.output
    assert len(smtp.mailbox.received) == 1  # …and twice sends nothing twice

    status = run(env, "status")
    assert "订阅：已确认 1，待确认 0，已退订 0，退信 0\n" in status.output
    assert "投递：失败 0，已合并 1，待重试 0，发送中 0，已发送 1\n" in status.output
    assert "最近的失败：无" in status.output
    # Next due: only the 2h reminder is left (7d and 1d went out), for the matching deadline only.
    assert "接下来的提醒：\n  2099年9月21日 15:00\t2h\talice@example.edu\t截止：网上填报申报书（项目申报单位）\n" in status.output

    assert "alice@example.edu：已退订" in run(env, "unsubscribe", "alice@example.edu").output
    assert run(env, "remind", "--at", "2099-09-21T15:00").output.count("sent\t") == 0
    assert len(smtp.mailbox.received) == 1


def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    env = environment(tmp_path, "")
    cases = [
        (["subscribe", "not-an-address"], "错误：email: 不是有效的邮箱地址：'not-an-address'"),
        (["subscribe", "a@example.edu", "--offsets", "7x"], "错误：offsets: 提前量 '7x' 不对：请写数字加单位"),
        (["subscribe", "a@example.edu", "--kind", "holiday"], "错误：filter: 不认识的类型“holiday”"),
        (["subscribe", "a@example.edu", "--digest", "daily"], "错误：--digest: 'daily' 不是 'weekly', 'none' 之一"),
        (["unsubscribe"], "错误：请给出地址（退订它的全部订阅）或 --id N（退订一个），二者选一"),
        (["remind", "--at", "next tuesday"], "'next tuesday' 不是日期和时刻"),
    ]
    for args, message in cases:
        result = run(env, *args)
        assert result.exit_code != 0
        assert message in result.output
    assert not (tmp_path / "db.sqlite3").exists()
    bad_smtp = run({**env, "CALENDAR_SVC_SMTP_URL": "smtp://host:notaport"}, "subscribe", "a@example.edu")
    assert bad_smtp.exit_code == 1 and "错误：CALENDAR_SVC_SMTP_URL: SMTP 网址 'smtp://host:notaport' 格式不对" in bad_smtp.output
    (tmp_path / "calendar-svc.toml").write_text("[reminders]\noffsets = [\"1d\",\n", encoding="utf-8")
    bad_file = run(env, "status")
    assert bad_file.exit_code == 1 and f"错误：{tmp_path / 'calendar-svc.toml'}:" in bad_file.output
    assert not (tmp_path / "db.sqlite3").exists()


def test_outbox_is_announced(tmp_path: Path) -> None:
    env = environment(tmp_path, "")
    result = run(env, "status")
    assert "邮件发往 发件箱文件夹 " in result.output


def test_remind_at_a_past_moment_shows_what_was_due_then(tmp_path: Path, smtp) -> None:  # noqa: F811
    env = environment(tmp_path, smtp.url)
    store.save(tmp_path / "deadlines.toml", [deadline("d", dt.date(2024, 9, 21))])
    run(env, "subscribe", "alice@example.edu", "--offsets", "7d,1d")  # subscribed today, long after 2024
    dry = run(env, "remind", "--at", "2024-09-20T08:00", "--dry-run")
    assert dry.output.count("due\t") == 1
    assert "due\t2024年9月14日 09:00\t7d\talice@example.edu\t截止：网上填报申报书（项目申报单位）（迟发）" in dry.output
    assert smtp.mailbox.received == []


def test_remind_refuses_a_past_moment_unless_forced(tmp_path: Path, smtp) -> None:  # noqa: F811
    env = environment(tmp_path, smtp.url)
    store.save(tmp_path / "deadlines.toml", [deadline("d", dt.date(2000, 9, 21))])
    run(env, "subscribe", "alice@example.edu", "--offsets", "1d")
    refused = run(env, "remind", "--at", "2000-09-20T09:00")
    assert refused.exit_code == 1
    assert "错误：--at 2000年9月20日（周三） 09:00 已经过去" in refused.output and "--force" in refused.output
    assert smtp.mailbox.received == []
    assert "投递：失败 0，待重试 0，发送中 0\n" in run(env, "status").output  # no key used up
    assert run(env, "remind", "--at", "2000-09-20T09:00", "--dry-run").output.count("due\t") == 1
    forced = run(env, "remind", "--at", "2000-09-20T09:00", "--force")
    assert forced.exit_code == 0 and forced.output.count("sent\t") == 1
    assert len(smtp.mailbox.received) == 1


def test_an_address_holds_several_subscriptions(tmp_path: Path) -> None:
    env = environment(tmp_path, "")
    store.save(tmp_path / "deadlines.toml", [deadline("d", dt.date(2099, 9, 21))])
    run(env, "subscribe", "alice@example.edu", "--issuer", "工业和信息化部", "--offsets", "7d,1d", "--window-open")
    # The same filter again changes only what is given…
    again = run(env, "subscribe", "alice@example.edu", "--issuer", "工业和信息化部", "--offsets", "2h")
    assert "已订阅（#1）工业和信息化部 — 截止前 2h 提醒，申报期开始时也提醒；" in again.output
    # …another filter, or the weekly digest, is a subscription of its own beside it.
    windows = run(env, "subscribe", "alice@example.edu", "--kind", "window")
    assert "已订阅（#2）申报期 — 截止前 7d,1d 提醒；" in windows.output
    weekly = run(env, "subscribe", "alice@example.edu", "--digest", "weekly")
    assert "已订阅（#3）全部 — 每周一上午发周报；" in weekly.output
    listing = run(env, "subscribers")
    assert "#1\talice@example.edu\tconfirmed\tissuer=工业和信息化部\t2h +开始" in listing.output
    assert "#2\talice@example.edu\tconfirmed\tkind=window\t7d,1d" in listing.output
    assert "#3\talice@example.edu\tconfirmed\t全部\t周报" in listing.output
    assert "1 个地址，共 3 个订阅" in listing.output
    assert "下一期周报：" in run(env, "status").output and "，发给 1 个订阅\n" in run(env, "status").output
    assert "alice@example.edu：已退订（#2）" in run(env, "unsubscribe", "--id", "2").output
    assert "#2\talice@example.edu\tunsubscribed" in run(env, "subscribers").output
    assert "#3：没有这个有效的订阅" not in run(env, "unsubscribe", "--id", "3").output
    assert "#3：没有这个有效的订阅" in run(env, "unsubscribe", "--id", "3").output
    assert "alice@example.edu：已退订（1 个订阅）" in run(env, "unsubscribe", "alice@example.edu").output
    assert "alice@example.edu：本来就没有订阅" in run(env, "unsubscribe", "alice@example.edu").output
