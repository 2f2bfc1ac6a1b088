"""企业微信, 钉钉 and 飞书 group robots as channels, against a loopback server that checks each platform's format and signature."""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path

import pytest
from reminders_support import Clock, at, deadline, make_settings, save, service, smtp  # noqa: F401
from test_cli_chinese import english_in
from robots_support import DINGTALK_SECRET, FEISHU_SECRET, RobotServer, robots, robots_config, text_of  # noqa: F401
from sqlalchemy import select
from sqlalchemy.orm import Session

from calendar_svc import config
from calendar_svc.channels import Note, PermanentError, Robot, TransientError, WebhookSettings
from calendar_svc.channels.robots import dingtalk_sign, feishu_sign
from calendar_svc.errors import InputError
from calendar_svc.filters import Filters
from calendar_svc.offsets import parse_offsets
from calendar_svc.reminders.models import Delivery

NOW = dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC)
HOSTILE = Note(
    title="【还有7天】截止：[点我](http://evil.example) **加急**",
    lines=("对象：<@all> 各单位 <at user_id=\"all\">所有人</at>", "原文：「# 标题 ![图](http://x/y.png) `代码` _斜_」", "第二行\r\n注入"),
    links=(("查看原文", "https://kjt.example.gov.cn/tzgg/t2026 (1).html"), ("在网页上查看", "https://calendar.example.edu/")),
)


def robot(server: RobotServer, platform: str, secret: str = "") -> Robot:
    return Robot(WebhookSettings(f"{platform}群", platform, server.urls()[platform], secret, timeout=5))


def test_each_platform_accepts_the_documented_payload_and_signature(robots) -> None:  # noqa: F811
    robots.now = lambda: NOW
    robot(robots, "wecom").send(HOSTILE, NOW)
    robot(robots, "dingtalk", DINGTALK_SECRET).send(HOSTILE, NOW)
    robot(robots, "feishu", FEISHU_SECRET).send(HOSTILE, NOW)
    assert robots.refused == []
    [wecom], [ding], [feishu] = robots.of("wecom"), robots.of("dingtalk"), robots.of("feishu")
    assert wecom.body["msgtype"] == "markdown" and ding.body["msgtype"] == "markdown" and feishu.body["msg_type"] == "post"
    assert ding.query["timestamp"] == str(int(NOW.timestamp() * 1000))
    assert feishu.body["timestamp"] == str(int(NOW.timestamp()))
    assert ding.body["markdown"]["title"] == "【还有7天】截止：[点我](http://evil.example) **加急**"  # the plain preview line
    for text in (wecom.body["markdown"]["content"], ding.body["markdown"]["text"]):
        # Notice text cannot make links, mentions or formatting: its markup characters are full-width.
        assert "［点我］（http://evil.example）" in text and "](http://evil" not in text
        assert "＜@all＞" in text and "<@all>" not in text and "＜at user＿id=\"all\"＞" in text
        assert "＃ 标题 ！［图］（http://x/y.png） ｀代码｀ ＿斜＿" in text
        assert "第二行 注入" in text  # CR/LF inside a line cannot start a line of its own
        # Our own links stay links, their URL percent-encoded where markdown would break.
        assert "[查看原文](https://kjt.example.gov.cn/tzgg/t2026%20%281%29.html)" in text
        assert text.startswith("**【还有7天】截止：［点我］（http://evil.example） ＊＊加急＊＊**")
    post = feishu.body["content"]["post"]["zh_cn"]
    assert post["title"] == "【还有7天】截止：[点我](http://evil.example) **加急**"  # rich text has no markup: kept as written
    assert all(e["tag"] in ("text", "a") for p in post["content"] for e in p)  # never an "at" element
    assert post["content"][-1] == [
        {"tag": "a", "text": "查看原文", "href": "https://kjt.example.gov.cn/tzgg/t2026%20%281%29.html"},
        {"tag": "a", "text": "在网页上查看", "href": "https://calendar.example.edu/"},
    ]


def test_signatures_match_the_platforms_published_examples() -> None:
    # Recomputed by hand from the documented recipes (HMAC-SHA256, Base64), not by the code under test.
    import base64
    import hashlib
    import hmac

    assert dingtalk_sign("this is secret", "1599360473000") == base64.b64encode(
        hmac.new(b"this is secret", b"1599360473000\nthis is secret", hashlib.sha256).digest()
    ).decode()
    assert feishu_sign("demo", "1599360473") == base64.b64encode(hmac.new(b"1599360473\ndemo", b"", hashlib.sha256).digest()).decode()


def test_refusals_are_clear_and_sorted_into_retry_or_not(robots) -> None:  # noqa: F811
    robots.now = lambda: NOW
    note = Note("标题", ("一行",))
    reasons: list[str] = []  # shown to people by `status` and `remind`: Chinese, the platform's own words quoted
    with pytest.raises(PermanentError, match=r"钉钉机器人 'dingtalk群' 拒收了消息：310000 sign not match.*请检查 secret（加签）") as refused:
        robot(robots, "dingtalk", "SECwrong").send(note, NOW)
    reasons.append(str(refused.value).replace("sign not match", ""))
    with pytest.raises(PermanentError, match=r"飞书机器人 'feishu群' 拒收了消息：19021 .*请检查 secret（签名校验）"):
        robot(robots, "feishu", "wrong").send(note, NOW)
    with pytest.raises(PermanentError, match="签名"):
        robot(robots, "dingtalk", DINGTALK_SECRET).send(note, NOW + dt.timedelta(hours=2))  # a clock two hours off
    bad_key = Robot(WebhookSettings("群", "wecom", robots.urls()["wecom"][:-3] + "xxx", ""))
    with pytest.raises(PermanentError, match=r"93000 .*url 里的 key 不对"):
        bad_key.send(note, NOW)
    robots.failures["wecom"] = ["ratelimit", "500"]
    with pytest.raises(TransientError, match="45009 api freq out of limit"):
        robot(robots, "wecom").send(note, NOW)
    with pytest.raises(TransientError, match="HTTP 502") as busy:
        robot(robots, "wecom").send(note, NOW)
    reasons.append(str(busy.value))
    with pytest.raises(PermanentError, match="HTTP 404 .*；请检查 url") as nowhere:
        Robot(WebhookSettings("群", "feishu", robots.base + "/nowhere", "")).send(note, NOW)
    reasons.append(str(nowhere.value))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(TransientError, match=rf"企业微信机器人 '群'：连不上 127.0.0.1:{closed}：对方拒绝连接") as unreachable:
        Robot(WebhookSettings("群", "wecom", f"http://127.0.0.1:{closed}/cgi-bin/webhook/send?key=k", "")).send(note, NOW)
    reasons.append(str(unreachable.value))
    assert len(robots.received) == 0
    assert not english_in("\n".join(reasons).replace("Not Found", "").replace("Bad Gateway", "")), reasons


def test_a_long_digest_is_cut_to_the_platforms_limits(robots) -> None:  # noqa: F811
    robots.now = lambda: NOW
    long = Note("汇总", tuple(f"· 2026年3月{i % 28 + 1}日 截止：提交第{i}批材料（各有关单位）" for i in range(400)), (("在网页上查看", "https://c.example/"),))
    for platform, secret in (("wecom", ""), ("dingtalk", DINGTALK_SECRET), ("feishu", FEISHU_SECRET)):
        robot(robots, platform, secret).send(long, NOW)
    assert robots.refused == []
    for received in robots.received:
        assert "其余内容请在网页上查看" in text_of(received) and "c.example" in text_of(received)


def test_webhooks_in_the_config_file_and_their_errors(tmp_path: Path) -> None:
    file = tmp_path / "calendar-svc.toml"
    file.write_text('[[webhook]]\nname = "科研处群"\nplatform = "dingtalk"\nurl = "https://oapi.dingtalk.com/robot/send?access_token=t"\nsecret = "SECx"\n', encoding="utf-8")
    [hook] = config.load(file, env={}).webhooks
    assert (hook.name, hook.platform, hook.secret, hook.timeout) == ("科研处群", "dingtalk", "SECx", 10.0)
    assert "access_token" not in str(hook) and "SECx" not in str(hook)
    problems = {
        'platform = "slack"\nname = "a"\nurl = "https://x/"': "platform 只能是 wecom（企业微信）、dingtalk（钉钉）或 feishu（飞书）",
        'platform = "wecom"\nname = "a"\nurl = "ftp://x/"': "url 必须是机器人的 http(s) webhook 地址",
        'platform = "wecom"\nname = "a"\nurl = "https://x/"\nsecret = "s"': "企业微信机器人的请求不加签名",
        'platform = "wecom"\nname = "a:b"\nurl = "https://x/"': "name 必须是不含 ':' 的短文本",
        'platform = "wecom"\nname = "a"\nurl = "https://x/"\ntoken = "t"': "不认识的键 token",
        'platform = "wecom"\nname = "a"\nurl = "https://x/"\ntimeout = 0': "timeout 必须是 1–120 秒",
    }
    for table, message in problems.items():
        file.write_text(f"[[webhook]]\n{table}\n", encoding="utf-8")
        with pytest.raises(InputError, match=re.escape(message)) as caught:
            config.load(file, env={})
        assert not english_in(str(caught.value)), caught.value


def test_reminders_go_to_the_group_robots_exactly_once(tmp_path: Path, robots, smtp) -> None:  # noqa: F811
    (tmp_path / "calendar-svc.toml").write_text("[reminders]\nall_day_hour = 9\n\n" + robots_config(robots), encoding="utf-8")
    settings = make_settings(tmp_path, smtp.url, CALENDAR_SVC_RETRY_BASE="1m")
    save(settings, deadline("gx", dt.date(2026, 3, 16)), deadline("jy", dt.date(2026, 3, 16), issuer="教育部"))
    clock = Clock("2026-03-01T10:00")
    robots.now = clock
    svc = service(settings, clock)
    gx = Filters(issuer=("工业和信息化部",))
    for name in ("科研处企业微信群", "科研处钉钉群", "科研处飞书群"):
        svc.subscribe(f"webhook:{name}", gx, parse_offsets("7d,1d"))
    svc.subscribe("webhook:科研处飞书群", Filters(), digest="weekly")  # a robot holds several subscriptions too
    with pytest.raises(InputError, match="calendar-svc.toml 中没有名为 '人事处群' 的 \\[\\[webhook\\]\\]"):
        svc.subscribe("webhook:人事处群", gx)

    clock.set("2026-03-09T09:00")  # 7 days before, and Monday: the feishu group's digest
    report = svc.check()
    assert sorted((o.email, o.offset, o.status) for o in report.outcomes) == [
        ("webhook:科研处企业微信群", "7d", "sent"), ("webhook:科研处钉钉群", "7d", "sent"),
        ("webhook:科研处飞书群", "7d", "sent"), ("webhook:科研处飞书群", "weekly", "sent"),
    ]
    assert robots.refused == []
    [wecom], [ding] = robots.of("wecom"), robots.of("dingtalk")
    assert text_of(wecom).startswith("**【还有7天】截止：网上填报申报书（项目申报单位）**")
    assert "截止：2026年3月16日（周一） 全天，还剩 7 天（5 个工作日）" in text_of(ding)
    assert ding.body["markdown"]["title"] == "【还有7天】截止：网上填报申报书（项目申报单位）"
    feishu_titles = sorted(r.body["content"]["post"]["zh_cn"]["title"] for r in robots.of("feishu"))
    assert feishu_titles == ["【本周0项、下周2项到期】截止日期汇总（2026年3月9日起）", "【还有7天】截止：网上填报申报书（项目申报单位）"]
    assert smtp.mailbox.received == []  # robots are not mailed
    assert svc.check().outcomes == []
    svc.engine.dispose()
    restarted = service(settings, clock, "restarted")  # exactly once across a restart
    assert restarted.check().outcomes == []
    assert len(robots.received) == 4

    # The 钉钉 server fails twice (a 502, then its rate limit): retried after 1 and 2 minutes, delivered once.
    robots.failures["dingtalk"] = ["500", "ratelimit"]
    clock.set("2026-03-15T09:00")
    first = restarted.check()
    assert sorted((o.email, o.status) for o in first.outcomes)[1] == ("webhook:科研处钉钉群", "retry")
    clock.set("2026-03-15T09:01")
    assert [(o.email, o.status) for o in restarted.check().outcomes] == [("webhook:科研处钉钉群", "retry")]
    clock.set("2026-03-15T09:03")
    assert [(o.email, o.status) for o in restarted.check().outcomes] == [("webhook:科研处钉钉群", "sent")]
    assert restarted.check().outcomes == []
    assert [len(robots.of(p)) for p in ("wecom", "dingtalk", "feishu")] == [2, 2, 3]  # feishu: 7d, the digest, 1d
    with Session(restarted.engine) as session:
        [row] = session.scalars(select(Delivery).where(Delivery.email == "webhook:科研处钉钉群", Delivery.offset == "1d"))
    assert (row.status, row.attempts) == ("sent", 3)


def test_a_removed_robot_fails_clearly_and_once(tmp_path: Path, robots, smtp) -> None:  # noqa: F811
    (tmp_path / "calendar-svc.toml").write_text(robots_config(robots), encoding="utf-8")
    settings = make_settings(tmp_path, smtp.url)
    save(settings, deadline("gx", dt.date(2026, 3, 16)))
    clock = Clock("2026-03-01T10:00")
    service(settings, clock).subscribe("webhook:科研处企业微信群", offsets=parse_offsets("1d"))
    (tmp_path / "calendar-svc.toml").write_text("", encoding="utf-8")  # the operator removed the robot
    svc = service(make_settings(tmp_path, smtp.url), clock)
    clock.set("2026-03-15T09:00")
    [outcome] = svc.check().outcomes
    assert outcome.status == "failed"
    assert "calendar-svc.toml 里没有名为 '科研处企业微信群' 的 [[webhook]]（已删除？）" in outcome.error
    assert svc.check().outcomes == []


def test_change_alerts_are_emails_and_leave_group_robots_out() -> None:
    """A confirmed change is mailed to addresses; a robot subscription is not an address (its reminders carry the new date)."""
    from dataclasses import replace

    from calendar_svc.reminders import changes
    from calendar_svc.reminders.schedule import Recipient

    moved = replace(deadline("d", dt.date(2026, 3, 31), status="confirmed"), moved_from="2026-03-20", moved_at=at("2026-03-03T11:00"))
    people = [
        Recipient(1, "webhook:科研处钉钉群", Filters(), parse_offsets("7d"), False, at("2026-03-01T00:00")),
        Recipient(2, "alice@example.edu", Filters(), parse_offsets("7d"), False, at("2026-03-01T00:00")),
    ]
    assert [person.email for _, person in changes.wanted([moved], people, at("2026-03-03T11:01"))] == ["alice@example.edu"]
