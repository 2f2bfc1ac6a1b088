"""Composing the emails: a reminder and a subscription confirmation.

Pure functions from values to :class:`email.message.EmailMessage`: UTF-8
plain text and HTML, the subject RFC 2047-encoded by the SMTP policy, and
every header value squeezed onto one line first, so text from a notice can
never start a header of its own.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr

from .. import feed
from ..channels import Note
from ..channels.email import one_line
from ..filters import Filters
from ..model import KIND_NAMES, SHANGHAI, Deadline, zh_dates, zh_when
from .ics import event_ics
from ..offsets import WINDOW_OPEN, describe_offsets, parse_offset
from ..workdays import countdown, rest_day_mark
from .digest import Digest
from .schedule import Reminder

_SUBJECT_MAX = 150
#: SMTP line endings and RFC 2047 folding; raw headers (List-Unsubscribe) are kept as set.
_POLICY = SMTP.clone(refold_source="none")


def days_left(due: dt.datetime, now: dt.datetime, all_day: bool) -> str:
    """``还有3天``, ``今天截止``, or ``还有2小时`` for a timed deadline closing within a day."""
    remaining = due - now
    if not all_day and remaining < dt.timedelta(days=1):
        hours = int(remaining.total_seconds() // 3600)
        if hours >= 1:
            return f"还有{hours}小时"
        return f"还有{max(1, int(remaining.total_seconds() // 60))}分钟"
    days = (due.astimezone(SHANGHAI).date() - now.astimezone(SHANGHAI).date()).days
    return "今天截止" if days <= 0 else f"还有{days}天"


def reminder_message(
    reminder: Reminder,
    *,
    now: dt.datetime,
    late: bool,
    mail_from: str,
    unsubscribe_url: str,
    page_url: str,
) -> EmailMessage:
    """The reminder email for ``reminder`` as sent at ``now``."""
    d = reminder.deadline
    opening = reminder.offset == WINDOW_OPEN
    status = "已开始" if opening else days_left(d.due, now, d.all_day)
    subject = f"【{status}】{d.summary}"
    if late:
        subject = f"（补发）{subject}"
    lines = _reminder_lines(reminder, now=now, late=late, status=status)
    msg = _base(mail_from, reminder.recipient.email, subject, now)
    # Stored raw: the policy would RFC 2047-encode a URL longer than a line, and
    # mail clients want it verbatim. It is ASCII without spaces (checked base_url
    # and a URL-safe token), so it cannot break the header block.
    msg.set_raw("List-Unsubscribe", f"<{_header_url(unsubscribe_url)}>")
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Calendar-Svc-Deadline"] = one_line(d.id)
    msg["X-Calendar-Svc-Offset"] = reminder.offset
    footer = [
        "",
        "附件是这个截止时间的日历事件，可导入自己的日历（会带上提醒）；已订阅日历的无需导入，否则会多出一份。",
        f"在网页上查看：{page_url}",
        f"退订提醒：{unsubscribe_url}",
    ]
    msg.set_content("\n".join(lines + footer) + "\n", subtype="plain", charset="utf-8")
    msg.add_alternative(_html(lines, page_url, unsubscribe_url), subtype="html", charset="utf-8")
    msg.add_attachment(
        event_ics(d, now),
        maintype="text",
        subtype="calendar",
        filename=f"deadline-{_safe_name(d.id)}.ics",
        params={"charset": "utf-8"},
    )
    return msg


def _reminder_lines(reminder: Reminder, *, now: dt.datetime, late: bool, status: str) -> list[str]:
    d = reminder.deadline
    lines = [d.summary, ""]
    if late and reminder.merged:
        labels = sorted((*reminder.merged, reminder.offset), key=_longest_first)
        missed = "、".join(offset_zh(label) for label in labels)
        lines += [f"服务中断期间未能按时发出的提醒（{missed}）合并为这一封，不再分别补发；截止时间未过。", ""]
    elif late:
        lines += [f"这封提醒本应在 {zh_when(reminder.remind_at)} 发出，因服务中断而补发；截止时间未过。", ""]
    if reminder.offset == WINDOW_OPEN:
        lines.append(f"申报已开始：{zh_when(d.start)}；截止：{zh_when(d.key_moment)}（{days_left(d.due, now, d.all_day)}）")
    elif status.endswith("天"):
        lines.append(f"截止：{_when_with_day(d)}，{countdown(now.astimezone(SHANGHAI).date(), d.due)}")
    else:
        lines.append(f"截止：{_when_with_day(d)}（{status}）")
    if d.revision and d.history:
        lines.append(f"时间有变更：{readable_change(d.history[-1])}")
    lines.append("")
    lines += feed.describe(d).splitlines()
    return lines


_RECORDED = re.compile(r"^(\d{4}-\d{2}-\d{2}):\s*")


def readable_change(entry: str) -> str:
    """A history line (``2026-12-01: 2026-12-04T17:30+08:00 → 2026-12-05``) as people write dates.

    → ``2026年12月4日 17:30 → 2026年12月5日（2026年12月1日记录）``; a span's en dash reads 至.
    Text that is not a date is kept as it is (squeezed onto one line).
    """
    text = one_line(entry)
    recorded = ""
    match = _RECORDED.match(text)
    if match:
        recorded = f"（{zh_dates(match.group(1))}记录）"
        text = text[match.end() :]
    text = zh_dates(text)
    return text + recorded


def _longest_first(label: str) -> tuple[int, float]:
    """A window's opening first, then the offsets from the longest: 提前7天、提前1天、提前2小时."""
    return (0, 0.0) if label == WINDOW_OPEN else (1, -parse_offset(label).delta.total_seconds())


def offset_zh(label: str) -> str:
    """A reminder's offset as the mail names it: ``提前7天``, ``提前2小时``, ``申报开始时``."""
    return "申报开始时" if label == WINDOW_OPEN else f"提前{parse_offset(label).zh}"


def _when_with_day(d: Deadline) -> str:
    return f"{zh_when(d.key_moment)} 全天" if d.all_day else zh_when(d.key_moment)


def reminder_note(reminder: Reminder, *, now: dt.datetime, late: bool, page_url: str) -> Note:
    """The reminder for a group robot: the email's subject and text, its source link and the page as links."""
    d = reminder.deadline
    status = "已开始" if reminder.offset == WINDOW_OPEN else days_left(d.due, now, d.all_day)
    title = f"（补发）【{status}】{d.summary}" if late else f"【{status}】{d.summary}"
    lines = _reminder_lines(reminder, now=now, late=late, status=status)[2:]  # the title is the note's own
    return _note(title, lines, page_url)


def digest_note(weekly: Digest, *, now: dt.datetime, late: bool, page_url: str) -> Note:
    """The weekly digest for a group robot."""
    this, following = len(weekly.this_week), len(weekly.next_week)
    title = f"【本周{this}项、下周{following}项到期】截止日期汇总（{zh_when(weekly.monday, weekday=False)}起）"
    return _note(f"（补发）{title}" if late else title, digest_lines(weekly, now, late), page_url)


def _note(title: str, lines: list[str], page_url: str) -> Note:
    """Source lines (``出处：https://…``) become links; the rest stays text for the channel to escape."""
    text, links = [], []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(("出处：http://", "出处：https://")):
            links.append(("查看原文", stripped[3:]))
        else:
            text.append(stripped)
    links.append(("在网页上查看", page_url))
    return Note(title=title, lines=tuple(text), links=tuple(dict.fromkeys(links)))


def digest_message(
    weekly: Digest, *, now: dt.datetime, late: bool, mail_from: str, unsubscribe_url: str, page_url: str
) -> EmailMessage:
    """The Monday digest: what the subscription's filter has due this week and next, one mail instead of many."""
    this, following = len(weekly.this_week), len(weekly.next_week)
    subject = f"【本周{this}项、下周{following}项到期】截止日期汇总（{zh_when(weekly.monday, weekday=False)}起）"
    if late:
        subject = f"（补发）{subject}"
    lines = digest_lines(weekly, now, late)
    msg = _base(mail_from, weekly.recipient.email, subject, now)
    msg.set_raw("List-Unsubscribe", f"<{_header_url(unsubscribe_url)}>")
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Calendar-Svc-Deadline"] = weekly.deadline_id
    msg["X-Calendar-Svc-Offset"] = weekly.offset
    footer = ["", f"在网页上查看：{page_url}", f"退订这份汇总：{unsubscribe_url}"]
    msg.set_content("\n".join(lines + footer) + "\n", subtype="plain", charset="utf-8")
    msg.add_alternative(_html(lines, page_url, unsubscribe_url), subtype="html", charset="utf-8")
    return msg


def digest_lines(weekly: Digest, now: dt.datetime, late: bool) -> list[str]:
    """The digest's text, shared by the email and the group robots: 本周到期, then 下周到期, soonest first."""
    monday = weekly.monday
    sunday, next_monday = monday + dt.timedelta(days=6), monday + dt.timedelta(days=7)
    lines = [f"本周和下周到期的截止日期（{zh_when(monday, weekday=False)}起），共 {len(weekly.this_week) + len(weekly.next_week)} 项。", ""]
    if late:
        lines += [f"这份汇总本应在 {zh_when(weekly.remind_at)} 发出，因服务中断而补发；已过的截止日期不再列出。", ""]
    for title, first, last, items in (
        ("本周到期", monday, sunday, weekly.this_week),
        ("下周到期", next_monday, next_monday + dt.timedelta(days=6), weekly.next_week),
    ):
        lines.append(f"{title}（{_short(first)}—{_short(last)}）：{'' if items else '无'}")
        for d in items:
            lines.append(f"· {_when_with_day(d)}  {d.summary}  {_left(d, now)}")
            notice = "  ".join(part for part in (d.notice.issuer, f"《{d.notice.title}》" if d.notice.title else "", d.notice.doc_no) if part)
            if notice:
                lines.append(f"  {notice}")
            mark = rest_day_mark(d)
            if mark:
                lines.append(f"  提示：{mark}")
            if d.source.link:
                lines.append(f"  出处：{d.source.link}")
        lines.append("")
    return lines


def _short(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _left(d: Deadline, now: dt.datetime) -> str:
    """``还剩 6 天（4 个工作日）``, or ``今天截止`` / ``还有2小时`` on the day."""
    status = days_left(d.due, now, d.all_day)
    return countdown(now.astimezone(SHANGHAI).date(), d.due) if status.startswith("还有") and status.endswith("天") else status


def describe_scope(filters: Filters) -> str:
    """What a confirmation email may say about a filter: only words of our own.

    Whoever fills in the form chooses the filter text, and the email goes to an
    address that may not be theirs: typed text (with a URL on a line of its
    own, say) would turn our email into their message. Kinds come from a fixed
    list and are named; typed conditions are only counted, and shown on the
    confirmation page, which the owner of the address opens from this email.
    """
    if not filters.active:
        return "全部截止日期"
    parts = [KIND_NAMES[k] for k in filters.kind if k in KIND_NAMES]
    typed = len(filters.issuer) + len(filters.tag) + len(filters.who) + (1 if filters.q else 0)
    if typed:
        parts.append(f"另有 {typed} 项筛选条件（发文单位、标签、对象或关键词），确认页面上可见")
    return "；".join(parts)


def describe_timing(offsets: str, digest: str) -> str:
    """What a subscription sends when, as a line of the confirmation: its offsets, or the weekly digest."""
    if digest:
        return "提醒方式：每周一上午一封汇总（本周和下周到期的截止日期）"
    return f"提前提醒：{describe_offsets(offsets)}"


def confirmation_message(
    *, email: str, confirm_url: str, scope: str, timing: str, mail_from: str, now: dt.datetime
) -> EmailMessage:
    """The double opt-in email: nothing is sent to ``email`` until its link is followed; ``scope`` from :func:`describe_scope`."""
    lines = [
        "您（或有人用您的邮箱）在截止日期日历上订阅了邮件提醒。",
        "",
        f"订阅范围：{scope}",
        timing,
        "",
        "请打开下面的链接，点击“确认订阅”；确认之前不会向您发送任何提醒：",
        confirm_url,
        "",
        "如果这不是您本人的操作，忽略这封邮件即可。",
    ]
    msg = _base(mail_from, email, "请确认订阅截止日期提醒", now)
    msg.set_content("\n".join(lines) + "\n", subtype="plain", charset="utf-8")
    msg.add_alternative(_html(lines, "", ""), subtype="html", charset="utf-8")
    return msg


def _base(mail_from: str, to: str, subject: str, now: dt.datetime) -> EmailMessage:
    msg = EmailMessage(policy=_POLICY)
    msg["Subject"] = _clip(one_line(subject))
    msg["From"] = one_line(mail_from)
    msg["To"] = Address(addr_spec=one_line(to))
    msg["Date"] = format_datetime(now.astimezone(SHANGHAI))
    msg["Message-ID"] = make_msgid(domain=_domain(mail_from))
    msg["Auto-Submitted"] = "auto-generated"
    return msg


def _header_url(url: str) -> str:
    if not url.isascii() or any(c.isspace() or not c.isprintable() or c in "<>" for c in url):
        raise ValueError(f"unsafe URL for a header: {url!r}")
    return url


def _clip(subject: str) -> str:
    return subject if len(subject) <= _SUBJECT_MAX else subject[: _SUBJECT_MAX - 1] + "…"


def _domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return re.sub(r"[^A-Za-z0-9.-]", "", address.rpartition("@")[2]) or "localhost"


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", text)[:40] or "event"


def _html(lines: list[str], page_url: str, unsubscribe_url: str) -> str:
    """The same text as HTML, every line escaped; URLs become links."""
    body = []
    for line in lines:
        escaped = html.escape(line)
        if line.startswith(("http://", "https://")):
            escaped = f'<a href="{html.escape(line, quote=True)}">{escaped}</a>'
        elif line.lstrip().startswith(("出处：http://", "出处：https://")):  # feed.describe's source line, a digest's
            escaped = f'出处：<a href="{html.escape(line.lstrip()[3:], quote=True)}">查看原文</a>'
        body.append(f"<p>{escaped}</p>" if line else "")
    if page_url:
        body.append(f'<p><a href="{html.escape(page_url, quote=True)}">在网页上查看</a></p>')
    if unsubscribe_url:
        body.append(f'<p style="color:#666;font-size:small"><a href="{html.escape(unsubscribe_url, quote=True)}">退订提醒</a></p>')
    head = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>'
    return head + "\n".join(body) + "</body></html>\n"
