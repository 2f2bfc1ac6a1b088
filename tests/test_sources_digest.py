"""The reviewers' daily digest "待审核：N 条新截止日期" through a real SMTP server on 127.0.0.1: once a day, never twice."""

from __future__ import annotations

import datetime as dt

from reminders_support import at, smtp  # noqa: F401
from sqlalchemy import create_engine

from calendar_svc.config import parse_smtp_url
from calendar_svc.channels.email import SmtpTransport
from calendar_svc.review.accounts import Accounts
from calendar_svc.sources.ledger import Ledger
from calendar_svc.sources.digest import send_digest


def _setup(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    accounts = Accounts(engine, now=lambda: at("2025-03-07T08:00"))
    accounts.add("kyc@example.edu.cn", "a-long-password")
    accounts.add("zhang", "a-long-password")  # not an address: gets no mail
    accounts.add("李四", "a-long-password", email="lisi@example.edu.cn")  # an account with its address
    ledger = Ledger(engine, "w")
    return engine, ledger


def _send(engine, server, moment: str, pending=None):
    transport = SmtpTransport(parse_smtp_url(server.url), timeout=5)
    return send_digest(engine, transport=transport, mail_from="calendar-svc <cal@example.edu.cn>",
                       review_url="https://cal.example.edu.cn/review", notify=["office@example.edu.cn"], hour=9,
                       now=at(moment), pending=pending)


def test_digest_once_a_day_to_reviewer_addresses(tmp_path, smtp):  # noqa: F811
    engine, ledger = _setup(tmp_path)
    ledger.record_queued("省科技厅", "http://kjt.example.gov.cn/t1.html", [("a1", "截止：提交申报材料（申报单位）"), ("a2", "截止：报送推荐函")],
                         at("2025-03-07T07:00"))
    assert _send(engine, smtp, "2025-03-07T08:59") is None and not smtp.mailbox.received  # before digest_hour
    assert _send(engine, smtp, "2025-03-07T09:00") == 2
    assert sorted(smtp.mailbox.subjects()) == ["待审核：2 条新截止日期"] * 3
    assert smtp.mailbox.subjects("lisi@example.edu.cn") == ["待审核：2 条新截止日期"]
    message = smtp.mailbox.to("kyc@example.edu.cn")[0]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "【省科技厅】" in body and "截止：提交申报材料（申报单位）" in body and "https://cal.example.edu.cn/review" in body
    assert smtp.mailbox.to("office@example.edu.cn") and not smtp.mailbox.to("zhang")
    smtp.mailbox.clear()
    assert _send(engine, smtp, "2025-03-07T15:00") is None and not smtp.mailbox.received  # once a day
    ledger.record_queued("省科技厅", "http://kjt.example.gov.cn/t2.html", [("b1", "截止：填报"), ("b2", "截止：提交")], at("2025-03-07T16:00"))
    assert _send(engine, smtp, "2025-03-08T09:05", pending=lambda: {"b1"}) == 1  # b2 was reviewed meanwhile; a1, a2 were in yesterday's
    assert smtp.mailbox.subjects("kyc@example.edu.cn") == ["待审核：1 条新截止日期"]
    smtp.mailbox.clear()
    assert _send(engine, smtp, "2025-03-09T09:05") == 0 and not smtp.mailbox.received  # nothing new: no mail


def test_a_refused_digest_is_tried_again(tmp_path, smtp):  # noqa: F811
    engine, ledger = _setup(tmp_path)
    ledger.record_queued("市工信局", "http://gxj.example.gov.cn/1.html", [("c1", "截止：报送汇总表")], at("2025-03-07T07:00"))
    smtp.stop()
    assert _send(engine, smtp, "2025-03-07T09:00") is None
    smtp.start()
    assert _send(engine, smtp, "2025-03-07T09:01") == 1
    assert len(smtp.mailbox.subjects("kyc@example.edu.cn")) == 1
